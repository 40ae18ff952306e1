/**
 * `rules lint`: everything load refuses, and what load cannot see — an id that clashes with the
 * built-in pack, fixture cases that no longer hold, scaffold text not yet written, and a second
 * opinion on each pattern from recheck (a sound ReDoS checker; too slow for the load path).
 * Every problem names file:line:col.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compileRules, isScsDoctorError, locateInRuleText, type LoadedRule, type Problem } from '@scs-doctor/core/internal';
import { testRulePack } from './fixtures.js';
import { loadRuleFiles } from './rules-loader.js';

export interface LintOptions {
  /** The built-in pack's directory: ids of linted rules outside it must not clash with its ids. */
  builtinDir?: string | undefined;
  /** Ask recheck about every pattern (default true). */
  recheck?: boolean;
  /** recheck's time per pattern and checker in ms (default 5 s). */
  recheckTimeoutMs?: number;
}

export interface LintResult {
  files: string[];
  /** Errors and warnings, each with file, line and column. */
  problems: Problem[];
}

const inside = (file: string, dir: string) => {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

async function locate(file: string, where: readonly PropertyKey[]): Promise<{ line: number; column: number }> {
  try {
    return locateInRuleText(await fs.readFile(file, 'utf8'), where);
  } catch {
    return { line: 1, column: 1 };
  }
}

type Recheck = typeof import('recheck');

/** recheck's verdict on one pattern: an error for exponential backtracking, a warning for polynomial. */
async function secondOpinion(recheck: Recheck, r: LoadedRule, timeout: number): Promise<Omit<Problem, 'file' | 'line' | 'column'> | undefined> {
  const sig = r.rule.signature;
  if (!sig?.pattern || sig.engine === 'linear') return undefined;
  // The automaton checker is sound and repeatable; fuzzing (measured attacks) only where it gives up.
  let d = await recheck.check(sig.pattern, sig.flags ?? '', { timeout, checker: 'automaton' });
  if (d.status === 'unknown') d = await recheck.check(sig.pattern, sig.flags ?? '', { timeout, checker: 'fuzz' });
  if (d.status !== 'vulnerable') return undefined;
  const attack = d.attack.string.length > 60 ? `${JSON.stringify(d.attack.string.slice(0, 60))}…` : JSON.stringify(d.attack.string);
  if (d.complexity.type === 'exponential') {
    return { code: 'RULE_REGEX_UNSAFE', message: `recheck: pattern backtracks exponentially (attack ${attack}); rewrite it, or set signature.engine: linear` };
  }
  return { code: 'RULE_REGEX_UNSAFE', severity: 'warning', message: `recheck: pattern can take ${d.complexity.summary} time on a crafted line (attack ${attack})` };
}

/**
 * Lints rule directories (or files).
 *
 * @example
 * ```ts
 * const { problems } = await lintRules(['my-rules/']);
 * ```
 */
export async function lintRules(dirs: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  const { rules, problems: loaded, files } = await loadRuleFiles(dirs);
  // Scaffold text is fine for load and `rules test`, not for a finished rule.
  const problems: Problem[] = loaded.map((p) => (p.code === 'RULE_UNWRITTEN' ? { ...p, severity: 'error' } : p));

  const builtinDir = options.builtinDir;
  if (builtinDir && !dirs.some((d) => path.resolve(d) === path.resolve(builtinDir))) {
    const builtin = await loadRuleFiles([builtinDir]);
    const ids = new Map(builtin.rules.map((r) => [r.rule.id, r.file]));
    for (const r of rules) {
      const theirs = ids.get(r.rule.id);
      if (theirs === undefined || (r.file && inside(r.file, builtinDir))) continue;
      problems.push({
        code: 'RULE_ID_CLASH',
        message: `id "${r.rule.id}" is the id of a built-in rule (${path.relative(builtinDir, theirs ?? '')}): diagnose refuses the pack; rename the rule, or run with --no-builtin`,
        file: r.file,
        ...(r.file ? await locate(r.file, ['id']) : {}),
      });
    }
  }

  // Fixtures run when the pack compiles; otherwise load's problems say why it does not.
  if (!problems.some((p) => p.severity !== 'warning')) {
    try {
      const pack = compileRules(rules);
      const { results, uncovered, orphans } = await testRulePack(pack, dirs);
      for (const res of results) {
        for (const c of res.cases) {
          if (c.todo || c.pass) continue;
          const why = c.recordLine === undefined ? 'no record follows the annotation' : c.expect === 'match' ? `the record at line ${c.recordLine} no longer matches` : `the record at line ${c.recordLine} matches, but is marked ok`;
          problems.push({ code: 'RULE_FIXTURE_FAILS', message: `${c.expect === 'match' ? 'ruleid' : 'ok'}: ${c.ruleId}: ${why}`, file: res.file, line: c.line, column: 1 });
        }
      }
      for (const u of uncovered) problems.push({ code: 'RULE_FIXTURE_MISSING', severity: 'warning', message: `${u.ruleId}: its fixture lacks a ${u.missing}`, file: u.file, line: 1, column: 1 });
      for (const o of orphans) problems.push({ code: 'RULE_FIXTURE_FAILS', message: 'fixture names no rule in the pack', file: o, line: 1, column: 1 });
    } catch (e) {
      if (!isScsDoctorError(e)) throw e;
      problems.push(...(e.problems.length ? e.problems : [{ code: e.code, message: e.message }]));
    }
  }

  if (options.recheck !== false) {
    let recheck: Recheck | undefined;
    try {
      recheck = await import('recheck');
    } catch {
      problems.push({ code: 'RULE_REGEX_UNSAFE', severity: 'warning', message: 'recheck is not installed: patterns had no second opinion' });
    }
    if (recheck) {
      const refused = new Set(problems.filter((p) => p.code === 'RULE_REGEX_UNSAFE' || p.code === 'RULE_REGEX').map((p) => p.file));
      for (const r of rules) {
        if (refused.has(r.file)) continue;
        const p = await secondOpinion(recheck, r, options.recheckTimeoutMs ?? 5_000);
        if (p) problems.push({ ...p, file: r.file, ...(r.file ? await locate(r.file, ['signature', 'pattern']) : {}) });
      }
    }
  }
  return { files, problems };
}
