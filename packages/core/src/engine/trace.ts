/**
 * "Sync Succeeds, File Not Received", automated: follows one resource or revision id through
 * everything given (sync histories of both sides, SCS logs) and walks the debugging guide's two
 * checklists. The sending checklist is answered from the records; the receiving checklist needs
 * facts only the host has (who is looking, their infosec level and control tags, whether the
 * artifact has a parent), so it is evaluated by json-rules-engine at run time over host-supplied
 * facts, and hosts extend it with their own facts, checks and operators.
 */
import { Engine, type DynamicFactCallback, type TopLevelCondition } from 'json-rules-engine';
import { createRedactor, type Redactor } from '../redact.js';
import type { RulePack } from '../rules/compile.js';
import type { LogRecord, Side, SyncEventRecord } from '../schema/records.js';
import type { Connection, Report } from '../schema/report.js';
import { parseTime, toIso } from '../time.js';
import { pushEvents, pushLogs, type DiagnoseInput } from './diagnose.js';
import { DiagnosisSession, type SessionOptions } from './session.js';

/** The single-operation copy ceiling of the Outbox write, in bytes (the guide's "~2 GB"). */
export const COPY_CEILING_BYTES = 2_000_000_000;

export const TRACE_VERDICTS = ['received', 'transferred', 'excluded', 'failed', 'never-sent', 'not-found'] as const;
export type TraceVerdict = (typeof TRACE_VERDICTS)[number];

/** One place the id was seen: a file of a sync event, or a log line naming it. */
export interface Sighting {
  source: 'event' | 'log';
  side: Side | 'unknown';
  /** transferred / excluded / failed as the history records the file; `listed` when it gives none; `mentioned` for a log line that says no more. */
  outcome: 'transferred' | 'excluded' | 'failed' | 'listed' | 'mentioned';
  at?: string;
  file: string;
  line: number;
  eventId?: string;
  status?: 'success' | 'warning' | 'failure';
  connectionId?: string;
  connectionName?: string;
  sharedId?: string;
  resourceId?: string;
  revisionId?: string;
  sizeBytes?: number;
  /** The log line, redacted and cut to 300 characters. */
  excerpt?: string;
}

/** A check of the receiving checklist, as data: json-rules-engine conditions over facts. */
export interface TraceCheck {
  id: string;
  title: string;
  conditions: TopLevelCondition;
  /** What to do when the check fails or cannot be answered. */
  step: string;
}

export interface CheckResult {
  id: string;
  title: string;
  /** unknown: a fact it needs was not supplied (never shown as passed). */
  result: 'passed' | 'failed' | 'unknown';
  /** The facts it read, with their values (missing ones listed in `missing`). */
  facts: Record<string, unknown>;
  missing: string[];
  step: string;
}

export interface TraceResult {
  id: string;
  verdict: TraceVerdict;
  /** One sentence: what happened to the file. */
  summary: string;
  /** Why it was excluded or failed, when the records say. */
  reason?: string;
  /** What to do next, in order. */
  steps: string[];
  sightings: Sighting[];
  /** The receiving checklist (run when the file left the sending side). */
  checks: CheckResult[];
  /** The connections the sightings belong to, and their peers, as judged over everything given. */
  connections: Connection[];
  /** Problems reading the inputs (`file:line CODE message`). */
  problems: string[];
}

/** A fact: a value, or a function json-rules-engine calls (it may be async and read other facts through the almanac). */
export type HostFact = unknown;

export interface TraceOptions extends SessionOptions {
  /** Host-supplied facts for the receiving checklist: values or (async) functions `(params, almanac) => value`. */
  facts?: Record<string, HostFact> | undefined;
  /** More checks, appended to the built-in ones (or replacing one with the same id). */
  checks?: readonly TraceCheck[] | undefined;
  /** Custom operators the checks may use. */
  operators?: readonly { name: string; evaluate: (factValue: unknown, compareTo: unknown) => boolean }[] | undefined;
}

/** The guide's receiving checklist, with the facts each check needs from the host. */
export const RECEIVING_CHECKS: readonly TraceCheck[] = [
  {
    id: 'viewer-is-owner',
    title: 'The user looking for the file is an owner of the receiving connection',
    conditions: { all: [{ fact: 'viewerIsOwner', operator: 'equal', value: true }] },
    step: 'Make the user an owner of the receiving connection (Manage Owners, Receiving Connections), or have an owner look for the file.',
  },
  {
    id: 'viewer-infosec-level',
    title: "The user holds the file's infosec level",
    conditions: { all: [{ fact: 'viewerInfosecOrder', operator: 'greaterThanInclusive', value: { fact: 'fileInfosecOrder' } }] },
    step: "Grant the user the file's infosec level (or have a user who holds it look for the file).",
  },
  {
    id: 'viewer-control-tags',
    title: "The user holds every control tag of the file",
    conditions: { all: [{ fact: 'viewerControlTags', operator: 'containsAll', value: { fact: 'fileControlTags' } }] },
    step: 'Grant the user the control tags the file carries (after the receiving connection’s transformation), or have a user who holds them look for it.',
  },
  {
    id: 'artifact-parented',
    title: 'The artifact has a parent the user can browse to',
    conditions: { all: [{ fact: 'artifactUnparented', operator: 'equal', value: false }] },
    step: 'The artifact is unparented: follow "Finding Artifacts Shared to You Individually" in the user guide to find it.',
  },
];

/** Collects what names the id while a session reads everything; give `tap` to the session. */
export class FileTracer {
  readonly id: string;
  readonly sightings: Sighting[] = [];
  private readonly redact: Redactor;

  constructor(id: string, redact: Redactor = createRedactor()) {
    this.id = id;
    this.redact = redact;
  }

  /** The session's tap: sees every record before matching. */
  readonly tap = (record: LogRecord | SyncEventRecord): void => {
    if (record.kind === 'event') this.event(record);
    else this.log(record);
  };

  private event(rec: SyncEventRecord): void {
    const e = rec.event;
    for (const f of e.files) {
      if (f.resourceId !== this.id && f.revisionId !== this.id) continue;
      const s: Sighting = { source: 'event', side: e.direction ?? 'unknown', outcome: f.outcome ?? 'listed', file: rec.source.file, line: rec.source.line, status: e.status, connectionId: e.connectionId };
      const at = toIso(parseTime(e.finishedAt ?? e.startedAt));
      if (at !== undefined) s.at = at;
      if (e.id !== undefined) s.eventId = e.id;
      if (e.connectionName !== undefined) s.connectionName = e.connectionName;
      if (e.sharedId !== undefined) s.sharedId = e.sharedId;
      if (f.resourceId !== undefined) s.resourceId = f.resourceId;
      if (f.revisionId !== undefined) s.revisionId = f.revisionId;
      if (f.sizeBytes !== undefined) s.sizeBytes = f.sizeBytes;
      this.sightings.push(s);
    }
  }

  private log(rec: LogRecord): void {
    const text = rec.message;
    if (!text.includes(this.id)) return;
    const s: Sighting = { source: 'log', side: rec.side ?? 'unknown', outcome: logOutcome(text, rec.level), file: rec.source.file, line: rec.source.line };
    if (rec.time !== undefined) s.at = rec.time;
    const cid = rec.connectionId ?? str(rec.fields['connection_id'] ?? rec.fields['connectionId']);
    if (cid !== undefined) s.connectionId = cid;
    const sid = rec.sharedId ?? str(rec.fields['shared_id'] ?? rec.fields['sharedId']);
    if (sid !== undefined) s.sharedId = sid;
    const size = /\bsize=(\d[\d_,]{0,30})/.exec(text)?.[1];
    if (size !== undefined) s.sizeBytes = Number(size.replace(/[_,]/g, ''));
    const first = text.split('\n', 1)[0]!;
    s.excerpt = this.redact(first.length > 300 ? first.slice(0, 299) + '…' : first);
    this.sightings.push(s);
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

function logOutcome(text: string, level: string | undefined): Sighting['outcome'] {
  if (/exceeds single-op copy_object ceiling|\bexcluded\b/i.test(text)) return 'excluded';
  if (/\b(?:failed|error|exception)\b/i.test(text) || level === 'error' || level === 'critical') return 'failed';
  if (/\b(?:copied|transferred|written|uploaded|delivered)\b|write ok\b/i.test(text)) return 'transferred';
  return 'mentioned';
}

const ms = (s: Sighting) => (s.at !== undefined ? (parseTime(s.at) ?? 0) : 0);
const delivered = (s: Sighting) => s.status !== 'failure' && (s.outcome === 'transferred' || (s.outcome === 'listed' && s.status === 'success'));

/** Follows `id` (a resource or revision id) through the inputs and walks both checklists. */
export async function traceFile(pack: RulePack, input: DiagnoseInput, id: string, options: TraceOptions = {}): Promise<TraceResult> {
  const r = options.redact;
  const redact = typeof r === 'function' ? r : createRedactor(r ?? []);
  const tracer = new FileTracer(id, redact);
  const session = new DiagnosisSession(pack, { ...options, tap: tracer.tap });
  if (input.logs) pushLogs(session, input.logs);
  if (input.events) pushEvents(session, input.events);
  return judgeTrace(tracer, session.report(), options);
}

/** The verdict over what a tracer collected and the report of the same run (for connections and peers). */
export async function judgeTrace(tracer: FileTracer, report: Report, options: TraceOptions = {}): Promise<TraceResult> {
  const id = tracer.id;
  const all = [...tracer.sightings].sort((a, b) => ms(a) - ms(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const receiving = all.filter((s) => s.side === 'receiving' && s.source === 'event');
  const sending = all.filter((s) => s.side !== 'receiving');
  const sendEvents = sending.filter((s) => s.source === 'event');
  const problems = report.stats.problems.map((p) => `${p.file ?? ''}${p.line !== undefined ? ':' + p.line : ''} ${p.code} ${p.message}`.trim());
  const keys = new Set(all.map((s) => s.connectionId).filter((k): k is string => k !== undefined));
  const mine = report.connections.filter((c) => keys.has(c.key) || (c.id !== undefined && keys.has(c.id)));
  const peerKeys = new Set(mine.flatMap((c) => c.peers));
  const connections = report.connections.filter((c) => mine.includes(c) || peerKeys.has(c.key));
  const result: TraceResult = { id, verdict: 'not-found', summary: '', steps: [], sightings: all, checks: [], connections, problems };
  const where = (s: Sighting) => {
    const detail = [s.eventId !== undefined ? `sync event ${s.eventId}` : s.source === 'log' ? `${s.file}:${s.line}` : undefined, s.at].filter((x) => x !== undefined).join(', ');
    return `${s.connectionName ?? s.connectionId ?? (s.source === 'log' ? 'the SCS log' : 'a connection')}${detail ? ` (${detail})` : ''}`;
  };

  const arrived = receiving.filter(delivered).at(-1);
  const sent = sendEvents.filter(delivered).at(-1);
  // The sync history's word on the file, else the newest log line that says what happened to it.
  const lastSend = sendEvents.filter((s) => s.outcome !== 'transferred').at(-1) ?? sending.filter((s) => s.outcome !== 'mentioned' && s.outcome !== 'transferred').at(-1);
  if (arrived) {
    result.verdict = 'received';
    result.summary = `${id} arrived on the receiving side in ${where(arrived)}.`;
  } else if (sent) {
    result.verdict = 'transferred';
    result.summary = `${id} left the sending side cleanly in a successful sync of ${where(sent)}; the receiving checks follow.`;
    const recvConn = connections.find((c) => c.side === 'receiving' && c.sharedId !== undefined && c.sharedId === sent.sharedId);
    if (recvConn) result.steps.push(`The receiving connection ${recvConn.name ?? recvConn.id ?? recvConn.key} is ${recvConn.state}${recvConn.lastSuccess ? `, last success ${recvConn.lastSuccess}` : ''}; if its last success is older than ${sent.at ?? 'the send'}, wait for its next sync.`);
  } else if (lastSend && lastSend.outcome === 'excluded') {
    result.verdict = 'excluded';
    const size = lastSend.sizeBytes ?? sending.find((s) => s.sizeBytes !== undefined)?.sizeBytes;
    const overCeiling = (size !== undefined && size >= COPY_CEILING_BYTES) || sending.some((s) => s.excerpt?.includes('copy_object ceiling'));
    result.reason = overCeiling ? `it is ${size !== undefined ? `${size} bytes, ` : ''}over the ~2 GB per-file copy ceiling of the Outbox write` : 'SCS excluded it from the sync; the records given do not say why';
    result.summary = `${id} was excluded from sync on the sending side in ${where(lastSend)}: ${result.reason}.`;
    result.steps.push(
      ...(overCeiling
        ? [
            'No setting raises the cap and a retry sends the same file: bring it under about 2 GB (split or compress it) and share the smaller files, or deliver it through another approved channel.',
            'Tell the owners of the resource that it cannot reach the partner through the Secure Connection as it is.',
          ]
        : ['Read the sending SCS logs around that sync (scs-doctor diagnose) for the reason SCS gives for the exclusion.']),
    );
  } else if (lastSend && (lastSend.outcome === 'failed' || lastSend.outcome === 'listed')) {
    result.verdict = 'failed';
    result.reason = lastSend.outcome === 'failed' ? (lastSend.excerpt ?? 'the sync history marks the file as failed') : 'the sync it was part of failed';
    result.summary = `${id} did not leave the sending side: its last attempt in ${where(lastSend)} failed.`;
    result.steps.push(
      'Diagnose the sending side’s SCS logs around that time (scs-doctor diagnose): the error that failed the file or the sync names the fix.',
      'After fixing it, check that the file appears as transferred in a later successful sync ("With Updates" on the sync history).',
      'If it keeps failing, unshare the file, wait for the next sync, and share it again.',
    );
  } else if (report.connections.some((c) => c.side === 'sending' && c.lastHistoryAt !== undefined)) {
    result.verdict = 'never-sent';
    const span = report.connections.filter((c) => c.side === 'sending' && c.lastHistoryAt !== undefined).map((c) => c.lastHistoryAt!).sort();
    result.summary = `${id} appears in no sending sync of the history given (newest sending event ${span.at(-1)}).`;
    result.steps.push(
      'Check that the history covers the time the file was shared; give the sending side’s history for that period if not.',
      'Re-publish the file: unshare it, wait for the next sync, and share it again. This is needed when the Outbox was changed after the Sending Connection was created.',
      'Confirm that the Outbox points at the correct S3 bucket (S3 Bucket Management).',
    );
  } else {
    result.verdict = 'not-found';
    result.summary = `Nothing given mentions ${id}, and no sending-side sync history was given.`;
    result.steps.push(
      'Give the sending side’s sync history (--events) covering the time the file was shared, and the receiving side’s, then trace again.',
      'Check the id: a resource id and each of its revision ids are matched; a file name is not.',
    );
  }

  if (result.verdict === 'received' || result.verdict === 'transferred') {
    const file = all.find((s) => s.revisionId !== undefined || s.resourceId !== undefined);
    result.checks = await runChecks(options, {
      traceId: id,
      verdict: result.verdict,
      resourceId: file?.resourceId,
      revisionId: file?.revisionId,
      sizeBytes: file?.sizeBytes,
      sendingConnectionId: (sent ?? sendEvents.at(-1))?.connectionId,
      receivingConnectionId: arrived?.connectionId ?? connections.find((c) => c.side === 'receiving')?.id,
    });
    for (const c of result.checks) if (c.result !== 'passed') result.steps.push(c.result === 'unknown' ? `Check: ${c.title} (not known: ${c.missing.join(', ')}). ${c.step}` : c.step);
  }
  return result;
}

/** Fact names a condition tree reads (`fact` and `value: {fact}`). */
function factsOf(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) factsOf(n, out);
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o['fact'] === 'string') out.add(o['fact']);
    for (const [k, v] of Object.entries(o)) if (k !== 'fact' && typeof v === 'object') factsOf(v, out);
  }
  return out;
}

const containsAll = (a: unknown, b: unknown): boolean => Array.isArray(a) && Array.isArray(b) && b.every((x) => a.includes(x));

async function runChecks(options: TraceOptions, traced: Record<string, unknown>): Promise<CheckResult[]> {
  const checks = new Map<string, TraceCheck>();
  for (const c of [...RECEIVING_CHECKS, ...(options.checks ?? [])]) checks.set(c.id, c);
  const supplied: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(traced)) if (v !== undefined) supplied[k] = v;
  const host = options.facts ?? {};
  const known = (name: string) => Object.prototype.hasOwnProperty.call(host, name) || Object.prototype.hasOwnProperty.call(supplied, name);

  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('containsAll', containsAll);
  for (const op of options.operators ?? []) engine.addOperator(op.name, op.evaluate);
  const values: Record<string, unknown> = { ...supplied };
  for (const [k, v] of Object.entries(host)) {
    if (typeof v === 'function') engine.addFact(k, v as DynamicFactCallback<unknown>);
    else values[k] = v;
  }
  const out: CheckResult[] = [];
  const runnable: TraceCheck[] = [];
  for (const c of checks.values()) {
    const needs = [...factsOf(c.conditions, new Set())];
    const missing = needs.filter((n) => !known(n));
    if (missing.length > 0) out.push({ id: c.id, title: c.title, result: 'unknown', facts: {}, missing, step: c.step });
    else {
      runnable.push(c);
      engine.addRule({ name: c.id, conditions: c.conditions, event: { type: c.id } });
    }
  }
  if (runnable.length > 0) {
    const run = await engine.run(values);
    const passed = new Set(run.results.map((r) => r.name));
    for (const c of runnable) {
      const facts: Record<string, unknown> = {};
      for (const n of factsOf(c.conditions, new Set())) facts[n] = await run.almanac.factValue(n);
      out.push({ id: c.id, title: c.title, result: passed.has(c.id) ? 'passed' : 'failed', facts, missing: [], step: c.step });
    }
  }
  const order = [...checks.keys()];
  return out.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

/** The trace as a person reads it. */
export function renderTraceText(t: TraceResult): string {
  const out: string[] = [`${t.verdict.toUpperCase()}: ${t.summary}`];
  if (t.reason !== undefined && !t.summary.includes(t.reason)) out.push(`  Why: ${t.reason}`);
  if (t.checks.length) {
    out.push('  Receiving checks:');
    for (const c of t.checks) {
      const mark = c.result === 'passed' ? '✔' : c.result === 'failed' ? '✖' : '?';
      const detail = c.result === 'unknown' ? ` (not known: ${c.missing.join(', ')})` : c.result === 'failed' ? ` (${Object.entries(c.facts).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})` : '';
      out.push(`    ${mark} ${c.result.padEnd(7)} ${c.title}${detail}`);
    }
  }
  if (t.steps.length) {
    out.push('  Next:');
    t.steps.forEach((s, i) => out.push(`    ${i + 1}. ${s}`));
  }
  if (t.sightings.length) {
    out.push('  Seen:');
    for (const s of t.sightings) {
      const what = s.source === 'event' ? `${s.outcome} in ${s.status ?? ''} sync${s.eventId !== undefined ? ` ${s.eventId}` : ''}` : (s.excerpt ?? s.outcome);
      const who = s.connectionName ?? s.connectionId;
      out.push(`    ${s.file}:${s.line}  ${[s.at, `[${s.side}]`, who !== undefined ? `${who}:` : undefined, what].filter((x) => x !== undefined && x !== '').join(' ')}`);
    }
  }
  for (const p of t.problems) out.push(`  ! ${p}`);
  return out.join('\n') + '\n';
}

/** The trace as Markdown for a ticket. */
export function renderTraceMarkdown(t: TraceResult): string {
  const code = (s: string) => {
    const run = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
    const f = '`'.repeat(run + 1);
    return `${f}${run ? ' ' : ''}${s.replace(/\n/g, ' ')}${run ? ' ' : ''}${f}`;
  };
  const md = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1');
  const out = [`# Trace of ${code(t.id)}: ${t.verdict}`, '', md(t.summary), ''];
  if (t.reason !== undefined) out.push(`**Why:** ${md(t.reason)}`, '');
  if (t.checks.length) {
    out.push('| check | result | facts |', '| --- | --- | --- |');
    for (const c of t.checks) out.push(`| ${md(c.title)} | ${c.result} | ${c.result === 'unknown' ? `not known: ${c.missing.map(code).join(', ')}` : Object.entries(c.facts).map(([k, v]) => `${k} = ${code(JSON.stringify(v) ?? 'undefined')}`).join(', ')} |`);
    out.push('');
  }
  if (t.steps.length) {
    out.push('**Next**', '');
    t.steps.forEach((s, i) => out.push(`${i + 1}. ${md(s)}`));
    out.push('');
  }
  if (t.sightings.length) {
    out.push('**Seen**', '');
    for (const s of t.sightings) out.push(`- ${code(`${s.file}:${s.line}`)} ${s.at ?? ''} ${s.side} ${md(s.connectionName ?? s.connectionId ?? '')}: ${s.source === 'event' ? `${s.outcome} (${s.status ?? ''} sync${s.eventId !== undefined ? ` ${md(s.eventId)}` : ''})` : code(s.excerpt ?? '')}`);
    out.push('');
  }
  return out.join('\n');
}

/** 0 when the file was delivered and no check failed; 1 otherwise. */
export function traceExitCode(t: TraceResult): number {
  return (t.verdict === 'received' || t.verdict === 'transferred') && !t.checks.some((c) => c.result === 'failed') ? 0 : 1;
}
