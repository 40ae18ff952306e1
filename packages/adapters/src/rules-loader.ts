/** Loads rule packs from directories (YAML and JSON files, found with fast-glob). */
import { promises as fs, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { enableRegexBudget } from './regex-budget.js';
import { withHostModule, type PackOptions } from './host-module.js';
import { packKey, readPackCache, writePackCache } from './pack-cache.js';
import { compileRules, preloadRuleModules, ScsDoctorError, type ObserveOptions, type LoadedRule, type Problem, type RulePack } from '@scs-doctor/core/internal';

/** Largest rule file read (1 MiB; the built-in rules are a few KB each). */
export const MAX_RULE_FILE_BYTES = 1 << 20;

export const RULE_GLOB = '**/*.{yaml,yml,json}';
const RULE_FILE = /\.(?:yaml|yml|json)$/;

/**
 * The files under a rule directory that RULE_GLOB names, relative to it with `/`: what fast-glob
 * gave (dot entries and node_modules left out, links followed, each directory listed once however
 * many names reach it (the first in name order), what cannot be read or a broken link passed over)
 * without loading fast-glob
 * and its matchers at each start. A directory is read synchronously: a rule pack is a few folders.
 */
function ruleFilesUnder(root: string): string[] {
  const found: string[] = [];
  const listed = new Set<string>();
  const visit = (dir: string, rel: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      const real = realpathSync(dir);
      if (listed.has(real)) return;
      listed.add(real);
      // In name order: which name of a folder reached twice is kept does not depend on the file system.
      entries = readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir && entry.name !== 'node_modules') visit(p, `${rel}${entry.name}/`);
      else if (isFile && RULE_FILE.test(entry.name)) found.push(`${rel}${entry.name}`);
    }
  };
  visit(root, '');
  return found;
}

export interface LoadResult {
  rules: LoadedRule[];
  /** Every problem in every file, errors and warnings. */
  problems: Problem[];
  files: string[];
}

/**
 * Finds rule files under the directories (or single files), sorted for a stable order.
 *
 * @example
 * ```ts
 * const { files } = await findRuleFiles(['my-rules/']);
 * ```
 */
export async function findRuleFiles(dirs: readonly string[]): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const dir of dirs) {
    let stat;
    try {
      stat = await fs.stat(dir);
    } catch {
      problems.push({ code: 'RULES_NOT_FOUND', message: `no rule directory or file at ${dir}`, file: dir });
      continue;
    }
    if (stat.isFile()) {
      files.push(dir);
      continue;
    }
    const found = ruleFilesUnder(dir);
    found.sort();
    for (const f of found) files.push(path.join(dir, f));
  }
  return { files, problems };
}

/** Reads and validates every rule file, collecting all problems instead of stopping at the first. */
/**
 * `operators`, `conditions`: names of host operators and named conditions the conditions may use (CompileOptions).
 * `cacheDir`: a directory for the parsed pack (pack-cache.ts); a pack whose files are unchanged is not parsed again.
 *
 * @example
 * ```ts
 * const { rules, problems } = await loadRuleFiles(['my-rules/']);
 * ```
 */
export async function loadRuleFiles(dirs: readonly string[], options: { operators?: readonly string[] | undefined; conditions?: readonly string[] | undefined; cacheDir?: string | undefined } = {}): Promise<LoadResult> {
  const { files, problems } = await findRuleFiles(dirs);
  // Read one after another without the event loop: a rule file is a page, and a thousand promised
  // reads (stat, open, read, close each) cost several times more than plain ones.
  const texts = files.map((file) => {
    try {
      // A rule file is a page of YAML: one far larger is a mistake (or an attack) that would take memory to parse.
      const { size } = statSync(file);
      if (size > MAX_RULE_FILE_BYTES) {
        problems.push({ code: 'RULE_INVALID', message: `the file is ${size} bytes; rule files are read up to ${MAX_RULE_FILE_BYTES} bytes`, file });
        return undefined;
      }
      return readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ code: 'RULE_INVALID', message: `cannot read: ${(e as Error).message}`, file });
      return undefined;
    }
  });
  const cacheable = options.cacheDir !== undefined && problems.length === 0 && texts.every((t) => t !== undefined);
  const key = cacheable ? packKey(files, texts, [...(options.operators ?? []), '|', ...(options.conditions ?? [])]) : undefined;
  if (key !== undefined) {
    const cached = readPackCache(options.cacheDir!, key, files.length);
    if (cached) return { rules: cached.map((rule, i) => ({ rule, file: files[i]! })), problems, files };
  }
  // Parsing (YAML, the rule schema: yaml and zod) is loaded only when the cache cannot answer.
  const { parseRuleFiles } = await import('./rules-parse.js');
  const rules = parseRuleFiles(files, texts, options, problems);
  if (key !== undefined && problems.length === 0 && rules.length === files.length)
    writePackCache(
      options.cacheDir!,
      key,
      rules.map((r) => r.rule),
    );
  return { rules, problems, files };
}

/**
 * Loads and compiles a pack; throws RULE_INVALID carrying every problem if any file is broken.
 * `hostModule` adds the operators, facts and named conditions a module exports (OPTION_INVALID when it cannot be used).
 *
 * @example
 * ```ts
 * const pack = await loadRulePack([rulesDir, './our-rules'], { cacheDir: packCacheDir() });
 * console.log(`${pack.rules.length} rules`);
 * ```
 */
export async function loadRulePack(dirs: readonly string[], packOptions: PackOptions & Pick<ObserveOptions, 'logger'> & { cacheDir?: string | undefined } = {}): Promise<RulePack> {
  const started = Date.now();
  enableRegexBudget();
  const options = await withHostModule(packOptions);
  const { rules, problems } = await loadRuleFiles(dirs, { operators: Object.keys(options.operators ?? {}), conditions: Object.keys(options.conditions ?? {}), cacheDir: packOptions.cacheDir });
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new ScsDoctorError(
      first.code === 'RULES_NOT_FOUND' ? 'RULES_NOT_FOUND' : 'RULE_INVALID',
      errors.length === 1 ? first.message : `${errors.length} problems in rule files`,
      { file: first.file, line: first.line, column: first.column },
      errors,
    );
  }
  await preloadRuleModules(rules, options);
  const pack = compileRules(rules, options);
  packOptions.logger?.debug({ dirs: dirs.length, rules: pack.rules.length, warnings: problems.length, ms: Date.now() - started }, 'rule pack compiled');
  return pack;
}
