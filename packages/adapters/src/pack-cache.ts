/**
 * A cache of parsed rule packs, so that a run whose rule files have not changed since the last one
 * skips reading them as YAML and validating them (most of the start-up of `diagnose` on a small
 * input). One file per pack, named by the SHA-256 of the engine's identity and every rule file's
 * path and text: any change to a rule file, or another build of the engine, is another name.
 *
 * The cache holds data only (the rules as validated, in JSON), never code; a file that does not
 * parse, has the wrong shape or fails its own digest is ignored and written again. The rules it
 * gives are compiled as always (the pattern safety checks included). Only packs that loaded with
 * no problem at all are cached.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rule } from '@scs-doctor/core/internal';

const FORMAT = 'scs-doctor-pack-cache-1';

/**
 * The cache directory: SCS_DOCTOR_CACHE_DIR, else `scs-doctor` under XDG_CACHE_HOME or ~/.cache;
 * undefined when SCS_DOCTOR_NO_CACHE is set (to anything but empty or 0).
 *
 * @example
 * ```ts
 * const pack = await loadRulePack([rulesDir], { cacheDir: packCacheDir() });
 * ```
 */
export function packCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const off = env['SCS_DOCTOR_NO_CACHE'];
  if (off !== undefined && off !== '' && off !== '0') return undefined;
  if (env['SCS_DOCTOR_CACHE_DIR']) return env['SCS_DOCTOR_CACHE_DIR'];
  const base = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'scs-doctor');
}

let engine: string | undefined;
/**
 * The running engine's identity: the SHA-256 of this module's file (the bundle's chunk, or
 * adapters' build) and its path. The bundle's chunks are named by the hash of their content and of
 * the chunks they import, and this chunk names the one that parses rule files: another parser is
 * another name here, so another key (a size and a time would not tell: an installed package's files
 * all carry one time, and a name's hash has a fixed length).
 */
function engineId(): string {
  if (engine === undefined) {
    const file = fileURLToPath(import.meta.url);
    try {
      engine = `${file}\0${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    } catch {
      engine = `${file}\0unknown`;
    }
  }
  return engine;
}

/** The cache key of a pack: the engine, the operators its conditions may use, and each file's path and text. */
export function packKey(files: readonly string[], texts: readonly string[], operators: readonly string[]): string {
  const h = createHash('sha256').update(FORMAT).update('\0').update(engineId()).update('\0').update(operators.join(',')).update('\0');
  for (let i = 0; i < files.length; i++) h.update(files[i]!).update('\0').update(String(texts[i]!.length)).update('\0').update(texts[i]!).update('\0');
  return h.digest('hex');
}

const digestOf = (json: string) => createHash('sha256').update(json).digest('hex');

/** The rules stored under `key` (one per file, in order), or undefined when there are none or the file is not sound. */
export function readPackCache(dir: string, key: string, count: number): Rule[] | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, `${key}.json`), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const o = JSON.parse(text) as { format?: unknown; key?: unknown; digest?: unknown; rules?: unknown };
    if (o.format !== FORMAT || o.key !== key || typeof o.digest !== 'string' || !Array.isArray(o.rules) || o.rules.length !== count) return undefined;
    if (digestOf(JSON.stringify(o.rules)) !== o.digest) return undefined;
    if (!o.rules.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && typeof (r as { id?: unknown }).id === 'string')) return undefined;
    return o.rules as Rule[];
  } catch {
    return undefined;
  }
}

/** Stores the rules under `key` (written whole, then renamed into place); a cache that cannot be written is no error. */
export function writePackCache(dir: string, key: string, rules: readonly Rule[]): void {
  try {
    const json = JSON.stringify(rules);
    // Only what JSON gives back unchanged (no undefined member, no other kind of value) is stored.
    if (!isDeepStrictEqual(JSON.parse(json), rules)) return;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, digest: digestOf(json), rules: JSON.parse(json) as unknown }));
    renameSync(tmp, file);
  } catch {
    // A read-only or full disk: the next run parses the files again.
  }
}
