/**
 * findRuleFiles (src/rules-loader.ts) lists a rule directory with its own walk, not fast-glob:
 * the same files as fast-glob's `**\/*.{yaml,yml,json}` with dot entries and node_modules left
 * out, links followed and each folder listed once.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesDir } from '@scs-doctor/rules';
import { findRuleFiles, RULE_GLOB } from '../src/index.js';
import { globFiles } from '../src/sources.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'scs-rule-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dir = path.join(tmp, 'rules');
for (const d of ['a/b', '.hidden', 'node_modules/x', 'notes']) mkdirSync(path.join(dir, d), { recursive: true });
for (const f of ['r1.yaml', 'a/r2.yml', 'a/b/r3.json', 'a/z.yaml', '.dot.yaml', '.hidden/h.yaml', 'node_modules/x/n.yaml', 'UPPER.YAML', 'notes/readme.txt']) writeFileSync(path.join(dir, f), 'id: x\n');
symlinkSync('..', path.join(dir, 'a/up')); // a link back up the tree
symlinkSync(path.join(tmp, 'nowhere.yaml'), path.join(dir, 'broken.yaml'));
symlinkSync('a/b/r3.json', path.join(dir, 'link.json'));
// Listed once, under the first of its names in name order (fast-glob's choice depended on the order of its reads).
const aliased = path.join(tmp, 'aliased');
mkdirSync(path.join(aliased, 'b'), { recursive: true });
writeFileSync(path.join(aliased, 'b/r.yaml'), 'id: x\n');
symlinkSync('b', path.join(aliased, 'a'));
symlinkSync('b', path.join(aliased, 'c'));

/** What fast-glob gives for the same pattern (as findRuleFiles did before it had its own walk). */
async function fastGlob(root: string): Promise<string[]> {
  return (await globFiles(RULE_GLOB, { cwd: root, ignore: ['**/node_modules/**'] })).sort().map((f) => path.join(root, f));
}

describe('findRuleFiles', () => {
  it('lists rule files: dot entries, node_modules, other names and broken links left out; a folder reached twice listed once', async () => {
    const { files, problems } = await findRuleFiles([dir]);
    expect([files.map((f) => path.relative(dir, f)), problems]).toEqual([['a/b/r3.json', 'a/r2.yml', 'a/z.yaml', 'link.json', 'r1.yaml'], []]);
  });

  it('lists a folder reached by several names once, under the first name', async () => {
    expect((await findRuleFiles([aliased])).files.map((f) => path.relative(aliased, f))).toEqual(['a/r.yaml']);
  });

  it('gives what fast-glob gives on the first folder', async () => {
    expect((await findRuleFiles([dir])).files).toEqual(await fastGlob(dir));
  });

  it('gives what fast-glob gives on the built-in pack', async () => {
    expect((await findRuleFiles([rulesDir])).files).toEqual(await fastGlob(rulesDir));
  });
});
