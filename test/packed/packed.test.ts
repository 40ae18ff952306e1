/**
 * Installs the packed tarballs (`npm pack` of each workspace package) into a scratch project, as
 * a host app would, then type-checks a strict TypeScript host program against them and runs it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'scs-doctor-host-'));
const PACKAGES = ['core', 'rules', 'adapters', 'probes', 'cli'];
/** What a host that only reads logs installs: no deployment checks, so no AWS SDK. */
const LOG_ONLY = ['@scs-doctor/core', '@scs-doctor/rules', '@scs-doctor/adapters'];
const logOnly = mkdtempSync(path.join(tmpdir(), 'scs-doctor-logs-host-'));
const sh = (cmd: string, args: string[], cwd = scratch) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });

beforeAll(() => {
  const tarballs: Record<string, string> = {};
  for (const p of PACKAGES) {
    const [{ filename, name }] = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', scratch], path.join(root, 'packages', p))) as [{ filename: string; name: string }];
    tarballs[name] = `file:./${filename}`;
  }
  // The packages name each other by version; overrides point those names at the tarballs too.
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module', dependencies: tarballs, overrides: tarballs }, null, 2));
  writeFileSync(
    path.join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: true,
        types: ['node'],
        typeRoots: [path.join(root, 'node_modules/@types')],
        outDir: 'out',
        skipLibCheck: false,
      },
      files: ['host.ts'],
    }),
  );
  copyFileSync(path.join(root, 'test/packed/host.ts'), path.join(scratch, 'host.ts'));
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts']);
  const only = Object.fromEntries(LOG_ONLY.map((n) => [n, tarballs[n]!.replace('file:./', `file:${scratch}/`)]));
  writeFileSync(path.join(logOnly, 'package.json'), JSON.stringify({ name: 'log-host', private: true, type: 'module', dependencies: only, overrides: only }, null, 2));
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], logOnly);
}, 300_000);

describe('the packed packages in a fresh host project', () => {
  it('install without the sources: only dist, the rule files and the shipped schema', () => {
    const core = path.join(scratch, 'node_modules/@scs-doctor/core');
    expect([existsSync(path.join(core, 'dist/index.d.ts')), existsSync(path.join(core, 'schema/report.schema.json')), existsSync(path.join(core, 'LICENSE')), existsSync(path.join(core, 'README.md'))]).toEqual([true, true, true, true]);
  });

  it('a strict TypeScript host program type-checks against them', () => {
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    expect(sh(process.execPath, [tsc, '-p', '.'])).toBe('');
  }, 120_000);

  it('the host program runs: lines, database rows, markdown, the shipped schema and the logger', () => {
    const out = JSON.parse(sh(process.execPath, ['out/host.js'])) as { lines: string[]; rows: string[]; markdown: boolean; schema: boolean; debug: string[] };
    expect(out).toEqual({ lines: ['shared-secret-invalid-token'], rows: ['c-1:failing'], markdown: true, schema: true, debug: ['rule pack compiled', 'input read', 'report built'] });
  }, 60_000);

  it('the command runs from the installed package', () => {
    const pkg = JSON.parse(readFileSync(path.join(scratch, 'node_modules/@scs-doctor/cli/package.json'), 'utf8')) as { version: string };
    expect(sh(process.execPath, ['node_modules/@scs-doctor/cli/bin/scs-doctor.js', '--version']).trim()).toBe(pkg.version);
  });

  it('a host that only reads logs installs no AWS SDK (the deployment checks are their own package)', () => {
    const installed = JSON.parse(sh('npm', ['ls', '--all', '--json'], logOnly)) as { dependencies?: Record<string, unknown> };
    const names = new Set<string>();
    const walk = (deps: Record<string, unknown> | undefined): void => {
      for (const [name, d] of Object.entries(deps ?? {})) {
        names.add(name);
        walk((d as { dependencies?: Record<string, unknown> }).dependencies);
      }
    };
    walk(installed.dependencies);
    expect([names.has('@scs-doctor/adapters'), names.has('zod'), [...names].filter((n) => n.startsWith('@aws-sdk/') || n === '@scs-doctor/probes')]).toEqual([true, true, []]);
    expect(existsSync(path.join(logOnly, 'node_modules/@aws-sdk'))).toBe(false);
  });

  it('the internal entry point stays reachable for the sibling packages but is not the public one', () => {
    const js = `import * as pub from '@scs-doctor/core'; import * as internal from '@scs-doctor/core/internal'; console.log(String('utcMillis' in pub) + ' ' + String('utcMillis' in internal));`;
    expect(sh(process.execPath, ['--input-type=module', '-e', js]).trim()).toBe('false true');
  });
});
