import { describe, expect, it } from 'vitest';
import { compileRules, DiagnosisSession, RuleSchema } from '@scs-doctor/core';
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
