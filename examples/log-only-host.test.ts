/**
 * A host that only reads logs (the admin backend, support tooling) installs @scs-doctor/core,
 * @scs-doctor/adapters and @scs-doctor/rules. The AWS SDK is for the deployment checks
 * (@scs-doctor/probes) alone: it must not be in what those three pull in.
 *
 * The closure is computed from package-lock.json the way npm installs it: each package's
 * `dependencies`, `optionalDependencies` and required `peerDependencies`, each name resolved from
 * the requiring package's folder upwards (`<dir>/node_modules/<name>`, then the parents'), workspace
 * links followed to their folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const entries = lock.packages;

/** The lock key a name required from `from` resolves to, as Node and npm look it up. */
function resolveFrom(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (entries[key]) return key;
    if (dir === '') return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up >= 0 ? dir.slice(0, up) : '';
  }
}

/** Runtime names a lock entry needs: dependencies, optional ones, peers not marked optional. */
function needs(e: LockEntry): string[] {
  const peers = Object.keys(e.peerDependencies ?? {}).filter((n) => !e.peerDependenciesMeta?.[n]?.optional);
  return [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {}), ...peers];
}

/** Every installed package (by name) that the workspaces at `starts` pull in at run time. */
function closure(starts: string[]): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const todo = [...starts];
  while (todo.length > 0) {
    let key = todo.pop()!;
    let e = entries[key];
    if (!e) throw new Error(`package-lock.json has no entry ${key}`);
    if (e.link && e.resolved) {
      key = e.resolved;
      e = entries[key];
      if (!e) throw new Error(`package-lock.json has no entry ${key}`);
    }
    if (seen.has(key)) continue;
    seen.add(key);
    for (const name of needs(e)) {
      const dep = resolveFrom(key, name);
      // An optional dependency for another platform is not in the lock of this one.
      if (dep === undefined) {
        if (e.optionalDependencies?.[name] !== undefined) continue;
        throw new Error(`${key || 'the root'} needs ${name}, which package-lock.json does not hold`);
      }
      names.add(name);
      todo.push(dep);
    }
  }
  return names;
}

/** The AWS SDK and the packages only it brings (its Smithy runtime, its hashing). */
const aws = (names: Set<string>) => [...names].filter((n) => /^@(?:aws-sdk|smithy|aws-crypto)\//.test(n)).sort();

describe('a host that only reads logs', () => {
  it('reads a lockfile of the version npm writes', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('installs no AWS SDK with core, adapters and rules', () => {
    const names = closure(['packages/core', 'packages/adapters', 'packages/rules']);
    // The walk reached the packages' own dependencies (it is not vacuously empty).
    const declared = ['core', 'adapters', 'rules'].flatMap((p) => Object.keys((JSON.parse(readFileSync(path.join(root, 'packages', p, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}));
    for (const d of declared) expect(names).toContain(d);
    expect(aws(names)).toEqual([]);
  });

  it('installs no AWS SDK with what the examples declare (the embedding programs and their HTTP server)', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'examples/package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const direct = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(direct).not.toContain('@scs-doctor/probes');
    expect(direct).not.toContain('@scs-doctor/cli');
    const names = closure(direct.map((n) => resolveFrom('examples', n)!));
    expect(aws(names)).toEqual([]);
  });

  it('finds the AWS SDK where it is: the deployment checks, and the CLI through them', () => {
    // The same walk sees the SDK when it is there, so the two tests above can fail.
    expect(aws(closure(['packages/probes']))).toContain('@aws-sdk/client-s3');
    expect(closure(['packages/cli'])).toContain('@scs-doctor/probes');
    expect(aws(closure(['packages/cli']))).toContain('@aws-sdk/client-s3');
  });
});
