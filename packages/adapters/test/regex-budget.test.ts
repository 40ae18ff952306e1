import { describe, expect, it } from 'vitest';
import { compileRules, DiagnosisSession, preloadRuleModules, RuleSchema } from '@scs-doctor/core/internal';
import { enableRegexBudget, readLogText } from '@scs-doctor/adapters';

const badRule = RuleSchema.parse({
  id: 'catastrophic',
  title: 'A deliberately bad rule',
  severity: 'error',
  side: 'either',
  category: 'test',
  references: ['test'],
  signature: { anchors: ['aaaa'], pattern: '(?<x>a+)+$' },
  summary: 's',
  cause: 'c',
  impact: 'i',
  remediation: ['r'],
});

describe('regex budget', () => {
  it('refuses the catastrophic pattern at load by default', () => {
    const err = (() => {
      try {
        compileRules([badRule]);
      } catch (e) {
        return e as { problems: { code: string }[] };
      }
      return undefined;
    })();
    expect(err?.problems.map((p) => p.code)).toEqual(['RULE_REGEX_UNSAFE']);
  });

  it('keeps a scan of an adversarial 64 KiB line short even when the bad pattern is let in', () => {
    enableRegexBudget();
    const pack = compileRules([badRule], { trustPatterns: true });
    const session = new DiagnosisSession(pack);
    const line = '2026-05-12 09:00:00,000 ERROR ' + 'a'.repeat(64 * 1024) + '!\n';
    const started = performance.now();
    readLogText(line.repeat(3), 'adversarial.log', session);
    const ms = performance.now() - started;
    const stats = session.report().stats;
    // Without the budget this takes longer than the age of the universe; a generous guard, not a benchmark.
    expect([stats.linesRead, ms < 5000]).toEqual([3, true]);
  });

  it.each([
    ['lookahead', '(?=x)a+'],
    ['lookbehind', '(?<=x)a+'],
    ['backreference', '(a)\\1'],
    ['named backreference', '(?<q>a)\\k<q>'],
  ])('refuses a %s, which the budget cannot cover, even when trusted', (_name, pattern) => {
    const rule = { ...badRule, signature: { anchors: ['aaaa'], pattern } };
    expect(() => compileRules([rule], { trustPatterns: true })).toThrow();
  });
});

describe('patterns the check cannot prove safe', () => {
  const rule = (pattern: string, engine?: 'linear') => RuleSchema.parse({ ...badRule, signature: { anchors: ['sync failed'], pattern, ...(engine ? { engine } : {}) } });

  it('refuses them at load with the reason', () => {
    for (const pattern of ['sync failed: (?<x>a+)+$', 'sync failed: [ -~]{0,80}=[ -~]{0,80}=[ -~]{0,80}=x']) {
      expect(() => compileRules([rule(pattern)])).toThrow(/backtrack catastrophically/);
    }
  });

  it('runs them on the linear-time engine with engine: linear, in linear time, with the same groups', () => {
    const pack = compileRules([rule('sync failed: (?<x>a+)+$', 'linear'), { ...rule('sync failed: [ -~]{0,80}=[ -~]{0,80}=[ -~]{0,80}=x', 'linear'), id: 'second' }]);
    expect(pack.rules.map((r) => r.matcher?.engine)).toEqual(['linear', 'linear']);
    const session = new DiagnosisSession(pack);
    const hostile = '2026-05-12 09:00:00,000 ERROR sync failed: ' + 'a'.repeat(20_000) + '!\n' + '2026-05-12 09:00:01,000 ERROR sync failed: ' + '='.repeat(20_000) + '\n';
    const started = performance.now();
    readLogText(hostile + '2026-05-12 09:00:02,000 ERROR sync failed: aaa\n', 'hostile.log', session);
    const ms = performance.now() - started;
    const report = session.report();
    // a generous guard against exponential or cubic time, not a benchmark
    expect([report.stats.linesRead, ms < 5000]).toEqual([3, true]);
    expect(report.diagnoses.map((d) => d.ruleId)).toEqual(['catastrophic']);
    expect(report.diagnoses[0]!.params['x']).toBe('aaa');
  });

  it('compiles them the same after preloadRuleModules loaded re2js and regexpp ahead (as loadRulePack does)', async () => {
    const rules = [rule('sync failed: (?<x>a+)+$', 'linear'), { ...rule('sync failed: (?<y>b+)$'), id: 'second' }];
    await preloadRuleModules(rules);
    expect(compileRules(rules).rules.map((r) => r.matcher?.engine)).toEqual(['linear', 'backtracking']);
  });

  it('runs trusted patterns on the linear-time engine, never V8', () => {
    const pack = compileRules([rule('sync failed: (?<x>a+)+$')], { trustPatterns: true });
    expect(pack.rules[0]!.matcher?.engine).toBe('linear');
  });

  it('keeps proven patterns on V8', () => {
    const pack = compileRules([rule('sync failed: (?<x>a+)$')]);
    expect(pack.rules[0]!.matcher?.engine).toBe('backtracking');
  });

  it('refuses engine: linear for what RE2 cannot run', () => {
    expect(() => compileRules([rule('sync failed: (a)\\1', 'linear')])).toThrow(/engine linear cannot run/);
  });
});
