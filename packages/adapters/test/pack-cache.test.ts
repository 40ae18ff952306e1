/** The parsed-pack cache (src/pack-cache.ts): same rules as parsing, keyed by the files' text, and a damaged cache is ignored. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesDir } from '@scs-doctor/rules';
import { loadRuleFiles, loadRulePack, packCacheDir } from '../src/index.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'scs-pack-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('pack cache', () => {
  it('gives the same rules as parsing the files, from the second load on', async () => {
    const cacheDir = path.join(tmp, 'a');
    const parsed = await loadRuleFiles([rulesDir]);
    const first = await loadRuleFiles([rulesDir], { cacheDir });
    expect(cacheFiles(cacheDir)).toHaveLength(1);
    const second = await loadRuleFiles([rulesDir], { cacheDir });
    expect(first).toEqual(parsed);
    expect(second).toEqual(parsed);
    expect(parsed.rules.length).toBeGreaterThan(10);
    const pack = await loadRulePack([rulesDir], { cacheDir });
    const plain = await loadRulePack([rulesDir]);
    expect(pack.rules.map((r) => r.rule.id)).toEqual(plain.rules.map((r) => r.rule.id));
    expect(pack.rawFilter?.literals).toEqual(plain.rawFilter?.literals);
  });

  it('reads a changed rule file again', async () => {
    const cacheDir = path.join(tmp, 'b');
    const dir = path.join(tmp, 'rules-b');
    cpSync(rulesDir, dir, { recursive: true });
    const before = await loadRuleFiles([dir], { cacheDir });
    const file = before.rules[0]!.file!;
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^title: .*$/m, 'title: A title changed after the first load'));
    const after = await loadRuleFiles([dir], { cacheDir });
    expect(after.rules[0]!.rule.title).toBe('A title changed after the first load');
    expect(cacheFiles(cacheDir)).toHaveLength(2);
  });

  it('ignores a damaged or altered cache file', async () => {
    const cacheDir = path.join(tmp, 'c');
    const parsed = await loadRuleFiles([rulesDir]);
    await loadRuleFiles([rulesDir], { cacheDir });
    const [name] = cacheFiles(cacheDir);
    const file = path.join(cacheDir, name!);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    // An altered rule with the old digest: refused, the files are parsed again.
    stored.rules[0].title = 'altered';
    writeFileSync(file, JSON.stringify(stored));
    expect(await loadRuleFiles([rulesDir], { cacheDir })).toEqual(parsed);
    // The same change with its digest made again is read: the loads above did not come from the cache.
    const { createHash } = await import('node:crypto');
    stored.digest = createHash('sha256').update(JSON.stringify(stored.rules)).digest('hex');
    writeFileSync(file, JSON.stringify(stored));
    expect((await loadRuleFiles([rulesDir], { cacheDir })).rules[0]!.rule.title).toBe('altered');
    writeFileSync(file, '{"format": "scs-doctor-pack-cache-1", "rules": [');
    expect(await loadRuleFiles([rulesDir], { cacheDir })).toEqual(parsed);
    // And written again, sound.
    expect(JSON.parse(readFileSync(file, 'utf8')).rules[0].title).toBe(parsed.rules[0]!.rule.title);
  });

  it('caches no pack with a problem', async () => {
    const cacheDir = path.join(tmp, 'd');
    const dir = path.join(tmp, 'rules-d');
    cpSync(rulesDir, dir, { recursive: true });
    writeFileSync(path.join(dir, 'broken.yaml'), 'id: broken\ntitle: [unclosed\n');
    await expect(loadRulePack([dir], { cacheDir })).rejects.toMatchObject({ code: 'RULE_INVALID' });
    expect(() => readdirSync(cacheDir)).toThrow();
  });

  it('finds its directory from the environment', () => {
    expect(packCacheDir({ SCS_DOCTOR_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(packCacheDir({ XDG_CACHE_HOME: '/c' })).toBe(path.join('/c', 'scs-doctor'));
    expect(packCacheDir({ SCS_DOCTOR_NO_CACHE: '1', SCS_DOCTOR_CACHE_DIR: '/x/y' })).toBeUndefined();
    expect(packCacheDir({ SCS_DOCTOR_NO_CACHE: '0', SCS_DOCTOR_CACHE_DIR: '/x/y' })).toBe('/x/y');
  });
});
