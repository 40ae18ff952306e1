/**
 * Bundles the built CLI (dist/main.js and the packages it imports) into dist/scs-doctor.mjs, which
 * bin/scs-doctor.js loads, and the chunks it imports (dist/chunks/): Node then reads a few files in
 * place of ~300 modules, a fifth less CPU at start-up (docs/benchmarks.md). What a diagnosis of
 * logs does not need (the other commands, zod, YAML, sync-history reading) sits in chunks loaded by
 * import() when needed. Run after `tsc -b` (`npm run build`).
 *
 * Left out and loaded from node_modules when needed: the AWS SDK (probes only), pino (--verbose
 * only), recheck (`rules lint` only: 3.5 MB of the bundle's 5.8, which every start would parse)
 * and @scs-doctor/rules (its rule directory is found next to its own module). The worker of
 * --jobs runs adapters' built parallel.js, found from the adapters package, not from the bundle.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_URL = "new URL('../dist/parallel.js', import.meta.url)";

/** In the bundle, import.meta.url is the bundle's: the worker module is found from the adapters package. */
function workerUrl(text, file) {
  if (!text.includes(WORKER_URL)) throw new Error(`bundle: ${file} no longer starts its worker with ${WORKER_URL}; update scripts/bundle.mjs`);
  return text.replace(WORKER_URL, "new URL('./parallel.js', import.meta.resolve('@scs-doctor/adapters'))");
}

/**
 * The workspace packages import each other through barrels (`@scs-doctor/core/internal`, the
 * packages' index.js), which re-export every module. esbuild places a module by the entry points
 * whose import graph reaches it, barrels included, so through them every module would land in the
 * chunk of the start. In the bundle each named import from a barrel is rewritten to an import from
 * the module that defines the name (the barrels hold nothing but `export … from` lines; anything
 * else fails the build), and the packages' modules are marked free of side effects: a module none
 * of whose exports is used is left out. Their top-level code only defines values (tables, zod
 * schemas), so leaving an unused one out changes nothing but what is parsed and built.
 */
const PACKAGES = /[\\/]packages[\\/](core|adapters|probes|cli)[\\/]dist[\\/].*\.js$/;
const BARRELS = { '@scs-doctor/core/internal': 'core/dist/internal.js', '@scs-doctor/core': 'core/dist/index.js', '@scs-doctor/adapters': 'adapters/dist/index.js', '@scs-doctor/probes': 'probes/dist/index.js' };
const packagesDir = path.resolve(cli, '..');

/** A barrel's exported names: name → [defining module's path, its name there ('*' for a namespace)]. */
async function barrelExports(file) {
  const names = new Map();
  const text = (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\/|^\/\/.*$/gm, '');
  for (const statement of text
    .split(';')
    .map((t) => t.trim())
    .filter(Boolean)) {
    const list = /^export\s*\{([^}]*)\}\s*from\s*'([^']+)'$/.exec(statement);
    const star = /^export\s*\*\s*as\s+(\w+)\s+from\s*'([^']+)'$/.exec(statement);
    if (star) names.set(star[1], [path.resolve(path.dirname(file), star[2]), '*']);
    else if (list)
      for (const spec of list[1]
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)) {
        const [local, exported = local] = spec.split(/\s+as\s+/);
        names.set(exported, [path.resolve(path.dirname(file), list[2]), local]);
      }
    else throw new Error(`bundle: ${file} holds more than export … from lines: ${statement.slice(0, 80)}; update scripts/bundle.mjs`);
  }
  return names;
}

const barrels = new Map();
for (const [spec, file] of Object.entries(BARRELS)) barrels.set(spec, await barrelExports(path.join(packagesDir, file)));

/** `import { a, b as c } from '@scs-doctor/core/internal'` → one import per defining module. */
function unbarrel(text, file) {
  return text.replace(/^import\s*\{([^}]*)\}\s*from\s*'(@scs-doctor\/[^']+)';?$/gm, (whole, list, spec) => {
    const names = barrels.get(spec);
    if (!names) return whole;
    const byModule = new Map();
    const lines = [];
    for (const item of list
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)) {
      const [imported, local = imported] = item.split(/\s+as\s+/);
      const found = names.get(imported);
      if (!found) throw new Error(`bundle: ${file} imports ${imported} from ${spec}, which does not export it`);
      const [module, name] = found;
      if (name === '*') lines.push(`import * as ${local} from ${JSON.stringify(module)};`);
      else byModule.set(module, [...(byModule.get(module) ?? []), name === local ? name : `${name} as ${local}`]);
    }
    for (const [module, specs] of byModule) lines.push(`import { ${specs.join(', ')} } from ${JSON.stringify(module)};`);
    return lines.join(' ');
  });
}

/**
 * cli/dist/verdicts.js with the pattern safety check's verdicts on the built-in rules' patterns,
 * computed now by the check this bundle holds (core's build): a diagnosis then does not check them
 * again at each start. Part of the code, never read from a file at run time.
 */
async function builtInVerdicts() {
  const { checkPattern } = await import('@scs-doctor/core/internal');
  const { loadRuleFiles } = await import('@scs-doctor/adapters');
  const { rulesDir } = await import('@scs-doctor/rules');
  const { rules, problems } = await loadRuleFiles([rulesDir]);
  if (problems.length > 0) throw new Error(`bundle: the built-in rules do not load: ${problems[0].message}`);
  const table = [];
  for (const { rule } of rules) {
    const sig = rule.signature;
    if (sig?.pattern !== undefined) table.push([sig.pattern, sig.flags ?? '', checkPattern(sig.pattern, sig.flags ?? '')]);
  }
  // A JSON text, as such in the bundle (a test reads it back).
  return `export const BUILT_IN_VERDICTS = JSON.parse(${JSON.stringify(JSON.stringify(table))});\n`;
}

const workspaceModules = {
  name: 'workspace-modules',
  setup(b) {
    b.onLoad({ filter: PACKAGES }, async (args) => {
      if (/[\\/]cli[\\/]dist[\\/]verdicts\.js$/.test(args.path)) return { contents: await builtInVerdicts(), loader: 'js' };
      let text = await readFile(args.path, 'utf8');
      if (/[\\/]adapters[\\/]dist[\\/]parallel\.js$/.test(args.path)) text = workerUrl(text, args.path);
      return { contents: unbarrel(text, args.path), loader: 'js', resolveDir: path.dirname(args.path) };
    });
    b.onResolve({ filter: /^(\.\.?\/|\/|@scs-doctor\/(core|adapters|probes)(\/|$))/ }, async (args) => {
      if (args.pluginData === workspaceModules) return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: workspaceModules });
      if (r.errors.length > 0) return { errors: r.errors };
      if (r.external || !PACKAGES.test(r.path)) return undefined;
      return { path: r.path, sideEffects: false };
    });
  },
};

const out = path.join(cli, 'dist');
await rm(path.join(out, 'chunks'), { recursive: true, force: true });
const result = await build({
  entryPoints: { 'scs-doctor': path.join(cli, 'dist/main.js') },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  // What only some commands or inputs need (rule authoring, trace, merge, probes, YAML and zod on a
  // pack-cache miss, sync-history reading) is loaded by import() from chunks of its own.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@aws-sdk/*', 'pino', 'recheck', '@scs-doctor/rules'],
  // CommonJS dependencies (fast-glob) call require for Node's modules.
  banner: { js: "import { createRequire as __scsCreateRequire } from 'node:module';\nconst require = __scsCreateRequire(import.meta.url);" },
  // No comments or layout: less to decode and parse at each start, and no non-ASCII byte (a comment's
  // `…`) that would make the whole source a two-byte string.
  minifyWhitespace: true,
  plugins: [workspaceModules],
  metafile: true,
  logLevel: 'warning',
});

// The pack cache names a pack by the chunk that holds pack-cache.js (adapters/src/pack-cache.ts):
// that chunk must be the one that loads the rule parser, whose chunk name (a content hash) then
// changes with the parser.
const cacheChunk = Object.values(result.metafile.outputs).find((o) => Object.keys(o.inputs).some((f) => f.endsWith('adapters/dist/pack-cache.js')));
if (!cacheChunk || !Object.keys(cacheChunk.inputs).some((f) => f.endsWith('adapters/dist/rules-loader.js')) || !cacheChunk.imports.some((i) => i.kind === 'dynamic-import' && /rules-parse-/.test(i.path)))
  throw new Error('bundle: pack-cache.js is no longer in the chunk that loads the rule parser; the pack cache key would not change with it (see adapters/src/pack-cache.ts)');

// `node scripts/bundle.mjs --metafile`: what each output holds, for esbuild's analyzer.
if (process.argv.includes('--metafile')) await writeFile(path.join(out, 'bundle-meta.json'), JSON.stringify(result.metafile));
