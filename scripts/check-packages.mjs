#!/usr/bin/env node
// `npm run check:packages`: packs every workspace package and runs publint and
// @arethetypeswrong/cli on it (ESM-only packages: the node10 and CommonJS-require checks are the
// esm-only profile's to skip). Exits 1 when any package fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspaces = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces;
const out = mkdtempSync(path.join(tmpdir(), 'scs-doctor-pack-'));
const bin = (name) => path.join(root, 'node_modules/.bin', name);
let failed = 0;
try {
  for (const ws of workspaces) {
    const dir = path.join(root, ws);
    // A private workspace (the examples) is never published.
    if (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).private) continue;
    const [{ filename, name }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    for (const [tool, args] of [
      ['publint', [dir, '--strict']],
      ['attw', [path.join(out, filename), '--profile', 'esm-only', '--format', 'table-flipped']],
    ]) {
      try {
        execFileSync(bin(tool), args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
        console.log(`ok   ${name} ${tool}`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name} ${tool}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exitCode = failed > 0 ? 1 : 0;
