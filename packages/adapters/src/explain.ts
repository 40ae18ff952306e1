/**
 * `explain`: why a line (or a multi-line record) did or did not match, stage by stage — which
 * format and envelope read it, the message and exception chain the rules saw, whether the
 * prefilter selected it, and for each rule that came close: its anchors, its pattern and groups,
 * its conditions with each leaf's value; for a match, the parameters and the diagnosis key.
 * Every stage uses the engine's own code (reader, scanners, matchers, conditions, session).
 */
import {
  compileRules,
  DiagnosisSession,
  logFacts,
  paramsFromGroups,
  rootException,
  traceConditions,
  type CompiledRule,
  type ConditionTrace,
  type ExceptionLink,
  type LogRecord,
  type ParamValue,
  type RulePack,
} from '@scs-doctor/core/internal';
import { readLogText } from './reader.js';

export interface RuleTrace {
  ruleId: string;
  file: string | undefined;
  /** Whether the rule reads log records at all. */
  readsLogs: boolean;
  anchors: { text: string; present: boolean; key: boolean }[];
  pattern?: { source: string; engine: string; matched: boolean; offset?: number; groups?: Record<string, string | undefined> } | undefined;
  params?: Record<string, ParamValue> | undefined;
  conditions?: { holds: boolean; trace: ConditionTrace } | undefined;
  /** The first stage the record failed, or undefined when the rule matched. */
  stoppedAt?: 'kind' | 'anchors' | 'pattern' | 'conditions' | undefined;
}

export interface RecordTrace {
  lines: [number, number];
  format: string;
  envelope?: string | undefined;
  level?: string | undefined;
  logger?: string | undefined;
  time?: string | undefined;
  side?: string | undefined;
  connectionId?: string | undefined;
  message: string;
  exceptions: ExceptionLink[];
  rootException?: string | undefined;
  /** Key anchors found in the message: the rules they select are candidates. */
  keyAnchors: string[];
  rules: RuleTrace[];
  matches: { ruleId: string; params: Record<string, ParamValue>; key: string }[];
}

export interface Explanation {
  /** Whether the raw text holds a key anchor or attention token (else a real run skips it unparsed). */
  prefilter: { selected: boolean; filtering: boolean };
  records: RecordTrace[];
}

export interface ExplainOptions {
  /** Also trace these rules, near or not. */
  rules?: readonly string[];
}

const MAX_REGEX_INPUT = 1 << 20;

function traceRule(pack: RulePack, r: CompiledRule, record: LogRecord, text: string): RuleTrace {
  const t: RuleTrace = { ruleId: r.rule.id, file: r.file, readsLogs: r.kinds.has('log'), anchors: r.anchors.map((a) => ({ text: a, present: text.includes(a), key: a === r.keyAnchor })) };
  if (!t.readsLogs) t.stoppedAt = 'kind';
  else if (t.anchors.some((a) => !a.present)) t.stoppedAt = 'anchors';
  let params: Record<string, ParamValue> = {};
  if (r.matcher) {
    const m = r.matcher.exec(text);
    t.pattern = { source: r.matcher.source, engine: r.matcher.engine, matched: m !== null, ...(m ? { offset: m.index, groups: m.groups ?? {} } : {}) };
    if (m?.groups) params = paramsFromGroups(r.rule, m.groups);
    if (!m) t.stoppedAt ??= 'pattern';
    else t.params = params;
  } else t.params = params;
  if (r.predicate && r.rule.conditions) {
    const facts = logFacts(record);
    facts['params'] = params;
    t.conditions = traceConditions(r.rule.conditions, facts, pack.conditionOptions);
    if (!t.conditions.holds) t.stoppedAt ??= 'conditions';
  }
  return t;
}

/**
 * Explains how the pack treats a text of one or more log lines.
 *
 * @example
 * ```ts
 * console.log(renderExplanation(explainText(pack, 'shared secret unavailable: InvalidToken')));
 * ```
 */
export function explainText(pack: RulePack, text: string, options: ExplainOptions = {}): Explanation {
  const raw = Buffer.from(text, 'utf8').toString('latin1');
  const prefilter = { filtering: pack.rawFilter !== undefined, selected: pack.rawFilter === undefined || pack.rawFilter.test(raw) };
  const records: LogRecord[] = [];
  const recorder = new DiagnosisSession(compileRules([]));
  recorder.log = (r: LogRecord) => (records.push(r), 0);
  readLogText(text, 'explain', recorder, { everyRecord: true });
  const keyed = pack.rules.filter((r) => r.keyAnchor !== undefined);
  const traces = records.map((record): RecordTrace => {
    const subject = record.message.length > MAX_REGEX_INPUT ? record.message.slice(0, MAX_REGEX_INPUT) : record.message;
    const keyAnchors = [...new Set(keyed.filter((r) => subject.includes(r.keyAnchor!)).map((r) => r.keyAnchor!))];
    // Rules that came close: a present anchor, no anchors at all, or asked for.
    const close = pack.rules.filter((r) => r.kinds.has('log') && (r.anchors.length === 0 || r.anchors.some((a) => subject.includes(a))));
    const asked = (options.rules ?? []).map((id) => pack.rule(id)).filter((r): r is CompiledRule => r !== undefined);
    const rules = [...new Set([...close, ...asked])].sort((a, b) => a.index - b.index).map((r) => traceRule(pack, r, record, subject));
    // The real session for what a run reports: parameters and the diagnosis key.
    const session = new DiagnosisSession(pack, { now: record.time ?? '2026-01-01T00:00:00Z' });
    session.log(record);
    const matches = session.report().diagnoses.map((d) => ({ ruleId: d.ruleId, params: d.params, key: d.key }));
    const root = rootException(record.message, record.exceptions);
    return {
      lines: [record.source.line, record.source.endLine],
      format: record.format,
      envelope: record.envelope,
      level: record.level,
      logger: record.logger,
      time: record.time,
      side: record.side,
      connectionId: record.connectionId,
      message: record.message,
      exceptions: record.exceptions ?? [],
      rootException: root,
      keyAnchors,
      rules,
      matches,
    };
  });
  return { prefilter, records: traces };
}

const show = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));

function conditionLines(t: ConditionTrace, depth: number, out: string[]): void {
  const pad = '    ' + '  '.repeat(depth);
  const mark = t.holds ? 'holds' : 'fails';
  if (t.op === 'leaf') {
    const fact = t.path ? `${t.fact} ${t.path}` : t.fact;
    out.push(`${pad}${fact} ${t.operator} ${show(t.value)}: fact is ${show(t.factValue)}${t.compareTo !== t.value ? ` (compared with ${show(t.compareTo)})` : ''} → ${mark}${t.error ? ` (throws: ${t.error})` : ''}`);
  } else if (t.op === 'not') {
    out.push(`${pad}not → ${mark}`);
    conditionLines(t.child, depth + 1, out);
  } else if (t.op === 'condition') {
    out.push(`${pad}condition ${t.name} → ${mark}${t.child ? '' : ' (not registered)'}`);
    if (t.child) conditionLines(t.child, depth + 1, out);
  } else if (t.op === 'skipped') {
    out.push(`${pad}${JSON.stringify(t.node)}: not evaluated (a set of higher priority decided)`);
  } else {
    out.push(`${pad}${t.op} → ${mark}`);
    for (const c of t.children) conditionLines(c, depth + 1, out);
  }
}

/**
 * The explanation as text, one stage a line.
 *
 * @example
 * ```ts
 * console.log(renderExplanation(explainText(pack, line)));
 * ```
 */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [];
  out.push(
    `prefilter: ${!e.prefilter.filtering ? 'off (a rule without anchors reads every record)' : e.prefilter.selected ? 'selected (a key anchor or attention token occurs)' : 'skipped: no key anchor or attention token occurs, so a run does not parse this text'}`,
  );
  if (e.records.length === 0) out.push('records: none (the text is empty or holds only blank lines)');
  e.records.forEach((r, i) => {
    const lines = r.lines[0] === r.lines[1] ? `line ${r.lines[0]}` : `lines ${r.lines[0]}-${r.lines[1]}`;
    out.push('', `record ${i + 1} (${lines})`);
    out.push(
      `  read as: ${r.envelope ? `${r.envelope} envelope, ` : ''}${r.format} format${r.level ? `, level ${r.level}` : ''}${r.logger ? `, logger ${r.logger}` : ''}${r.time ? `, time ${r.time}` : ''}${r.side ? `, side ${r.side}` : ''}${r.connectionId ? `, connection ${r.connectionId}` : ''}`,
    );
    const msg = r.message.split('\n');
    out.push(`  message: ${JSON.stringify(msg[0])}${msg.length > 1 ? ` (+${msg.length - 1} more lines)` : ''}`);
    if (r.exceptions.length) out.push(`  exception chain: ${r.exceptions.map((x) => `${x.type}: ${x.message}${x.relation ? ` [${x.relation}]` : ''}`).join(' → ')}`);
    if (r.rootException) out.push(`  root exception: ${r.rootException}`);
    out.push(`  key anchors present: ${r.keyAnchors.length ? r.keyAnchors.map((a) => JSON.stringify(a)).join(', ') : 'none'}`);
    if (r.rules.length === 0) out.push('  rules that came close: none (no anchor of any rule occurs)');
    for (const t of r.rules) {
      out.push(`  rule ${t.ruleId}: ${t.stoppedAt ? `no match (stopped at ${t.stoppedAt})` : 'MATCH'}`);
      if (!t.readsLogs) out.push('    reads no log records (appliesTo)');
      for (const a of t.anchors) out.push(`    anchor ${JSON.stringify(a.text)}${a.key ? ' (key)' : ''}: ${a.present ? 'present' : 'absent'}`);
      if (t.pattern) {
        out.push(`    pattern (${t.pattern.engine} engine): ${t.pattern.matched ? `matched at ${t.pattern.offset}` : 'no match'}`);
        for (const [k, v] of Object.entries(t.pattern.groups ?? {})) out.push(`      group ${k} = ${show(v)}`);
      }
      if (t.conditions) {
        out.push(`    conditions: ${t.conditions.holds ? 'hold' : 'fail'}`);
        conditionLines(t.conditions.trace, 1, out);
      }
    }
    for (const m of r.matches) {
      out.push(`  diagnosis ${m.ruleId}: key ${m.key}`);
      for (const [k, v] of Object.entries(m.params)) out.push(`    param ${k} = ${show(v)}`);
    }
    if (r.matches.length === 0) out.push('  result: no rule matched');
  });
  return out.join('\n') + '\n';
}
