/**
 * The rule-test harness. A fixture is a log (or NDJSON sync history) with annotations:
 * `# ruleid: <id>` — the next record must match that rule; `# ok: <id>` — it must not;
 * `# todoruleid: <id>` / `# todook: <id>` — a known gap, reported but not failed.
 * Directives `# now: <ISO>` and `# stale-after: <duration>` set the session's clock.
 * Records are matched by the real engine, so a fixture proves what users will see.
 */
import { DiagnosisSession } from './engine/session.js';
import type { RulePack } from './rules/compile.js';
import type { LogRecord, ProbeRecord, SyncEventRecord } from './schema/records.js';
import { parseDuration } from './time.js';

export interface FixtureRecords {
  logs?: readonly LogRecord[];
  events?: readonly SyncEventRecord[];
  /** Probe outcomes; each needs a `source` so annotations can point at it. */
  probes?: readonly ProbeRecord[];
}

/** Turns fixture text (annotation lines blanked, numbering kept) into records. */
export type FixtureReader = (text: string, file: string) => FixtureRecords | Promise<FixtureRecords>;

export interface FixtureCase {
  ruleId: string;
  expect: 'match' | 'no-match';
  todo: boolean;
  /** Line of the annotation. */
  line: number;
  /** First line of the record it points at, when there is one. */
  recordLine?: number;
  matched: boolean;
  pass: boolean;
}

export interface FixtureResult {
  file: string;
  cases: FixtureCase[];
  failures: FixtureCase[];
  /** `todo` cases that now behave as the rule intends: time to promote them. */
  fixedTodos: FixtureCase[];
  /** Rule ids that have at least one `ruleid` and one `ok` case here. */
  covered: { match: Set<string>; noMatch: Set<string> };
}

// The value starts at its first non-blank and is trimmed in code: a lazy `.+?` before `\s*$` would backtrack
// over a run of blanks.
const ANNOTATION = /^\s*#\s*(ruleid|ok|todoruleid|todook)\s*:\s*(\S.*)$/;
const DIRECTIVE = /^\s*#\s*(now|stale-after)\s*:\s*(\S.*)$/;

export async function runFixture(pack: RulePack, file: string, text: string, reader: FixtureReader): Promise<FixtureResult> {
  const lines = text.split(/\r?\n/);
  const annotations: { kind: string; ids: string[]; line: number }[] = [];
  let now: string | undefined;
  let staleAfterMs: number | undefined;
  const blanked = lines.map((l, i) => {
    const a = ANNOTATION.exec(l);
    if (a) {
      annotations.push({
        kind: a[1]!,
        ids: a[2]!
          .trimEnd()
          .split(/[\s,]+/)
          .filter(Boolean),
        line: i + 1,
      });
      return '';
    }
    const d = DIRECTIVE.exec(l);
    if (d) {
      const value = d[2]!.trimEnd();
      if (d[1] === 'now') now = value;
      else staleAfterMs = parseDuration(value);
      return '';
    }
    return /^\s*#/.test(l) ? '' : l;
  });
  const records = await reader(blanked.join('\n'), file);
  const session = new DiagnosisSession(pack, { now, staleAfterMs, evidenceLimit: Number.MAX_SAFE_INTEGER });
  const spans: { line: number; endLine: number }[] = [];
  for (const r of records.logs ?? []) {
    session.log(r);
    spans.push(r.source);
  }
  for (const e of records.events ?? []) {
    session.event(e);
    spans.push(e.source);
  }
  for (const p of records.probes ?? []) {
    session.probe(p);
    if (p.source) spans.push(p.source);
  }
  spans.sort((a, b) => a.line - b.line);
  const report = session.report();
  const cases: FixtureCase[] = [];
  for (const a of annotations) {
    const target = spans.find((s) => s.line > a.line);
    for (const ruleId of a.ids) {
      const matched = target !== undefined && report.diagnoses.some((d) => d.ruleId === ruleId && d.evidence.some((ev) => ev.file === file && ev.line !== undefined && ev.line >= target.line && ev.line <= target.endLine));
      const expect = a.kind === 'ruleid' || a.kind === 'todoruleid' ? 'match' : 'no-match';
      const todo = a.kind.startsWith('todo');
      const behaves = target !== undefined && (expect === 'match' ? matched : !matched);
      cases.push({ ruleId, expect, todo, line: a.line, ...(target ? { recordLine: target.line } : {}), matched, pass: todo ? true : behaves });
    }
  }
  const covered = { match: new Set<string>(), noMatch: new Set<string>() };
  for (const c of cases) if (!c.todo) (c.expect === 'match' ? covered.match : covered.noMatch).add(c.ruleId);
  return {
    file,
    cases,
    failures: cases.filter((c) => !c.pass),
    fixedTodos: cases.filter((c) => c.todo && c.recordLine !== undefined && (c.expect === 'match' ? c.matched : !c.matched)),
    covered,
  };
}
