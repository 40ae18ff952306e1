/**
 * Host operators, facts and named conditions from a module. Functions cannot cross to worker
 * threads (they are not structured-cloneable), so `--jobs` workers import the same module by its
 * specifier and compile the pack with what it exports, as the calling thread does.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScsDoctorError, type CompileOptions } from '@scs-doctor/core/internal';

export interface PackOptions extends CompileOptions {
  /**
   * A module whose exports `operators`, `facts` and `conditions` (named, or as properties of its
   * default export) extend rule conditions as the options of the same names do. An absolute path
   * or a `file:` URL: worker threads (`jobs` > 1) import it too, from another module's place.
   * @example loadRulePack(['my-rules/'], { hostModule: new URL('./conditions.js', import.meta.url) })
   */
  hostModule?: string | URL | undefined;
}

type Extensions = Pick<CompileOptions, 'operators' | 'facts' | 'conditions'>;
const KINDS = ['operators', 'facts', 'conditions'] as const;
const SINGULAR = { operators: 'operator', facts: 'fact', conditions: 'condition' } as const;

/**
 * The module's URL, for `import()` in any thread; refuses a specifier that would resolve differently there.
 *
 * @example
 * ```ts
 * const url = hostModuleUrl('/srv/app/scs-conditions.mjs');
 * ```
 */
export function hostModuleUrl(spec: string | URL): string {
  if (spec instanceof URL) return spec.href;
  if (path.isAbsolute(spec)) return pathToFileURL(spec).href;
  if (/^file:/i.test(spec)) return spec;
  throw new ScsDoctorError('OPTION_INVALID', `hostModule "${spec}": give an absolute path or a file: URL (worker threads would resolve a relative or bare specifier from another place)`);
}

const imported = new Map<string, Promise<Extensions>>();

/** Imports the module once per thread and checks the shape of its exports. */
export function importHostModule(spec: string | URL): Promise<Extensions> {
  const url = hostModuleUrl(spec);
  let found = imported.get(url);
  if (!found) {
    found = load(url);
    imported.set(url, found);
    found.catch(() => imported.delete(url));
  }
  return found;
}

async function load(url: string): Promise<Extensions> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new ScsDoctorError('OPTION_INVALID', `hostModule ${url} cannot be imported: ${(e as Error).message}`);
  }
  const dflt = (mod['default'] ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const kind of KINDS) {
    const v = mod[kind] ?? dflt[kind];
    if (v === undefined) continue;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ScsDoctorError('OPTION_INVALID', `hostModule ${url}: export "${kind}" is an object of named ${kind}`);
    for (const [name, item] of Object.entries(v)) {
      const ok =
        kind === 'facts'
          ? typeof item === 'function'
          : kind === 'operators'
            ? typeof item === 'function' || (item !== null && typeof item === 'object' && typeof (item as { evaluate?: unknown }).evaluate === 'function')
            : item !== null && typeof item === 'object';
      if (!ok) throw new ScsDoctorError('OPTION_INVALID', `hostModule ${url}: ${SINGULAR[kind]} "${name}" is not a ${kind === 'conditions' ? 'condition tree' : kind === 'facts' ? 'function' : 'function or { evaluate }'}`);
    }
    out[kind] = v;
  }
  return out;
}

/**
 * The compile options with the module's exports added. A name given both in memory and by the
 * module must be the module's own export (the same function or object), or the threads would
 * differ.
 */
export async function withHostModule(options: PackOptions): Promise<CompileOptions> {
  const { hostModule, ...rest } = options;
  if (hostModule === undefined) return rest;
  const mod = await importHostModule(hostModule);
  const out: CompileOptions = { ...rest };
  for (const kind of KINDS) {
    const fromModule = (mod[kind] ?? {}) as Record<string, unknown>;
    const given = (rest[kind] ?? {}) as Record<string, unknown>;
    for (const [name, v] of Object.entries(given)) {
      if (Object.hasOwn(fromModule, name) && fromModule[name] !== v) {
        throw new ScsDoctorError('OPTION_INVALID', `${SINGULAR[kind]} "${name}" is given in the options and, differently, by hostModule ${hostModuleUrl(hostModule)}`);
      }
    }
    if (Object.keys(fromModule).length > 0 || rest[kind] !== undefined) (out as Record<string, unknown>)[kind] = { ...fromModule, ...given };
  }
  return out;
}

/**
 * What a worker thread can be given for these options: cloneable data and the module's
 * specifier. Throws OPTION_INVALID for host operators or facts given as functions that the
 * module does not export (a worker could not have them).
 */
export async function workerCompileOptions(options: PackOptions, packOptions?: CompileOptions): Promise<CompileOptions & { hostModule?: string }> {
  const { hostModule, operators, facts, ...data } = options;
  const mod = hostModule === undefined ? undefined : await importHostModule(hostModule);
  const functions: [kind: 'operators' | 'facts', name: string, value: unknown][] = [];
  for (const source of [{ operators, facts }, packOptions ?? {}]) {
    for (const kind of ['operators', 'facts'] as const) for (const [name, v] of Object.entries(source[kind] ?? {})) functions.push([kind, name, v]);
  }
  for (const [kind, name, v] of functions) {
    const fromModule = (mod?.[kind] ?? {}) as Record<string, unknown>;
    if (Object.hasOwn(fromModule, name) && fromModule[name] === v) continue;
    const why = mod
      ? `is not the export of that name of hostModule ${hostModuleUrl(hostModule!)}`
      : 'is a function, which cannot reach worker threads; export it from a module and pass hostModule (an absolute path or file: URL), or read with jobs 1';
    throw new ScsDoctorError('OPTION_INVALID', `jobs > 1: host ${SINGULAR[kind]} "${name}" ${why}`);
  }
  if (packOptions?.conditions !== undefined && data.conditions === undefined) data.conditions = packOptions.conditions;
  return { ...data, ...(hostModule !== undefined ? { hostModule: hostModuleUrl(hostModule) } : {}) };
}
