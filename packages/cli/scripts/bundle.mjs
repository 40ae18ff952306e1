/**
 * Bundles the built CLI (dist/main.js and the packages it imports) into one module,
 * dist/scs-doctor.mjs, which bin/scs-doctor.js loads: Node then reads one file in place of ~300
 * modules, a fifth less CPU at start-up (docs/benchmarks.md). Run after `tsc -b` (`npm run build`).
 *
 * Left out and loaded from node_modules when needed: the AWS SDK (probes only), pino (--verbose
 * only), recheck (`rules lint` only: 3.5 MB of the bundle's 5.8, which every start would parse)
 * and @scs-doctor/rules (its rule directory is found next to its own module). The worker of
 * --jobs runs adapters' built parallel.js, found from the adapters package, not from the bundle.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_URL = "new URL('../dist/parallel.js', import.meta.url)";

/** In the bundle, import.meta.url is the bundle's: the worker module is found from the adapters package. */
const workerUrl = {
  name: 'worker-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]adapters[\\/]dist[\\/]parallel\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes(WORKER_URL)) throw new Error(`bundle: ${args.path} no longer starts its worker with ${WORKER_URL}; update scripts/bundle.mjs`);
      return { contents: text.replace(WORKER_URL, "new URL('./parallel.js', import.meta.resolve('@scs-doctor/adapters'))"), loader: 'js' };
    });
  },
};

await build({
  entryPoints: [path.join(cli, 'dist/main.js')],
  outfile: path.join(cli, 'dist/scs-doctor.mjs'),
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
  plugins: [workerUrl],
  logLevel: 'warning',
});
