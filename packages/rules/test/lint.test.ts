/**
 * The built-in pack under `rules lint`: every check, recheck's second opinion on each pattern
 * included (CI runs it; the load path does not, it is too slow for a large pack).
 */
import { describe, expect, it } from 'vitest';
import { lintRules } from '@scs-doctor/adapters';
import { checkPattern, DEFAULT_PATTERNS } from '@scs-doctor/core/internal';
import { rulesDir } from '../src/index.js';

describe('the built-in pack', () => {
  it('lints clean, with recheck finding no pattern that backtracks', async () => {
    const { problems, files } = await lintRules([rulesDir], { builtinDir: rulesDir });
    expect(files.length).toBeGreaterThan(10);
    // recheck's automaton checker proves each pattern; where it gives up (a long bounded repeat),
    // fuzzing measures attacks, and a polynomial slowdown it measures is a warning, never an error.
    const notFuzz = problems.filter((p) => p.severity !== 'warning' || !/^recheck: .*polynomial \(fuzz\)/.test(p.message));
    expect(notFuzz.map((p) => `${p.file}:${p.line} ${p.code} ${p.message}`)).toEqual([]);
  }, 120_000);

  it('stays on V8, each pattern proven by the checker', async () => {
    const { rules } = await (await import('@scs-doctor/adapters')).loadRuleFiles([rulesDir]);
    const withPattern = rules.filter((r) => r.rule.signature?.pattern);
    expect(withPattern.length).toBeGreaterThan(5);
    for (const r of withPattern) {
      expect([r.rule.id, r.rule.signature!.engine ?? 'backtracking', checkPattern(r.rule.signature!.pattern!, r.rule.signature!.flags ?? '').unsafe]).toEqual([r.rule.id, 'backtracking', undefined]);
    }
  });

  it('redaction patterns pass the same checker', () => {
    for (const p of DEFAULT_PATTERNS) expect([p.name, checkPattern(p.regex.source, p.regex.flags).unsafe]).toEqual([p.name, undefined]);
  });
});
