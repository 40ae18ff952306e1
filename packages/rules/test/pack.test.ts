import { promises as fs } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { loadRuleFiles, loadRulePack, testRulePack } from '@scs-doctor/adapters';
import { BUILTIN_RULE_IDS, rulesDir } from '@scs-doctor/rules';

const loaded = await loadRuleFiles([rulesDir]);
const pack = await loadRulePack([rulesDir]);
const result = await testRulePack(pack, [rulesDir]);

describe('built-in rule pack', () => {
  it('loads without a single problem', () => {
    expect(loaded.problems).toEqual([]);
  });

  it('holds every catalogue id of DESIGN.md', () => {
    const ids = pack.rules.map((r) => r.rule.id);
    for (const id of BUILTIN_RULE_IDS) expect(ids).toContain(id);
  });

  it('names every file after its rule id', async () => {
    const mismatched = loaded.rules.filter((r) => path.basename(r.file!).replace(/\.ya?ml$/, '') !== r.rule.id);
    expect(mismatched.map((r) => r.file)).toEqual([]);
  });

  it('gives every rule a fixture with a ruleid and an ok case', () => {
    expect(result.uncovered).toEqual([]);
  });

  it('has no fixture without a rule', () => {
    expect(result.orphans).toEqual([]);
  });

  it('passes every fixture case', () => {
    const failures = result.results.flatMap((r) => r.failures.map((c) => `${r.file}:${c.line} ${c.ruleId} expected ${c.expect}`));
    expect(failures).toEqual([]);
  });

  it('has a fixture beside each rule file', async () => {
    const files = await fg('**/*.yaml', { cwd: rulesDir });
    const missing: string[] = [];
    for (const f of files) {
      const base = path.join(rulesDir, f.replace(/\.yaml$/, ''));
      const found = await Promise.all(
        ['.test.log', '.test.ndjson'].map((ext) =>
          fs.stat(base + ext).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (!found.some(Boolean)) missing.push(f);
    }
    expect(missing).toEqual([]);
  });

  it('names a section of the debugging guide in every rule', () => {
    const without = pack.rules.filter((r) => !r.rule.references.some((ref) => /Debugging Secure Connections|Secure Connection Service Setup|S3 Bucket Management/.test(ref)));
    expect(without.map((r) => r.rule.id)).toEqual([]);
  });
});
