import { formatProblem, ScsDoctorError, type Problem } from '../errors.js';
import type { RulePack } from '../rules/compile.js';
import { LogRecordSchema, ProbeRecordSchema, SyncEventSchema, type ProbeRecord, type SyncEventRecord } from '../schema/records.js';
import type { Connection, Diagnosis, Report } from '../schema/report.js';
import { logReportBuilt, type ObserveOptions } from '../observe.js';
import { DiagnosisSession, type SessionOptions } from './session.js';
import { activeOn } from './connections.js';

export interface DiagnoseInput {
  /** Log records (as the adapters make them). */
  logs?: Iterable<unknown> | undefined;
  /**
   * Sync events as a database or an API returns them: camelCase or snake_case keys, ISO-8601
   * strings, epoch numbers or `Date` objects; or located records from a reader.
   */
  events?: Iterable<unknown> | undefined;
  probes?: Iterable<ProbeRecord> | undefined;
}

const MEMORY = '(events)';
const MEMORY_LOGS = '(logs)';

function isRecord(e: unknown): e is SyncEventRecord {
  return typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'event' && typeof (e as { event?: unknown }).event === 'object' && typeof (e as { source?: unknown }).source === 'object';
}

/** The first problem of a failed schema check, as one line: `connectionId: missing (looked for …)`. */
function reasonOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const i = issues[0];
  if (!i) return 'invalid';
  const at = i.path.map(String).join('.');
  return at ? `${at}: ${i.message}` : i.message;
}

/**
 * Validates events held in memory exactly as the file reader does, and pushes them into a session:
 * an invalid event is a problem of the report (`(events):N` and the reason), never an exception.
 */
export function pushEvents(session: DiagnosisSession, events: Iterable<unknown>, file = MEMORY): void {
  let i = 0;
  for (const e of events) {
    i++;
    if (isRecord(e)) {
      // A record built by a reader: its event is checked all the same (a caller may have built it).
      const r = SyncEventSchema.safeParse(e.event);
      if (r.success) session.event({ ...e, event: r.data });
      else session.invalidEvent(file, i, reasonOf(r.error.issues), 0);
      continue;
    }
    const r = SyncEventSchema.safeParse(e);
    if (!r.success) {
      session.invalidEvent(file, i, reasonOf(r.error.issues), 0);
      continue;
    }
    session.event({ kind: 'event', event: r.data, source: { file, line: i, endLine: i } });
  }
}

/** Validates log records held in memory and pushes them into a session; an invalid one is a problem. */
export function pushLogs(session: DiagnosisSession, logs: Iterable<unknown>): void {
  let i = 0;
  for (const l of logs) {
    i++;
    const r = LogRecordSchema.safeParse(l);
    if (!r.success) {
      session.problem({ code: 'RECORD_INVALID', message: `log record ${i}: ${reasonOf(r.error.issues)}`, file: MEMORY_LOGS, line: i });
      continue;
    }
    session.log(r.data);
  }
}

/**
 * One call: match records that are already in memory and return the report. Events are
 * validated as the file reader validates them; invalid ones are reported in `stats.problems`.
 * @example const report = diagnose(pack, { events: rowsFromTheDatabase }, { now: new Date() });
 */
export function diagnose(pack: RulePack, input: DiagnoseInput, options: SessionOptions & Pick<ObserveOptions, 'logger'> = {}): Report {
  const started = Date.now();
  // Without a pack nothing can be judged, nor at a `now` that is not a time: typed errors. Everything else bad is a problem of the report.
  if (typeof pack !== 'object' || pack === null || !Array.isArray((pack as { rules?: unknown }).rules)) {
    throw new ScsDoctorError('OPTION_INVALID', 'diagnose needs a rule pack (from compileRules or loadRulePack)');
  }
  const session = new DiagnosisSession(pack, typeof options === 'object' && options !== null ? options : {});
  if (typeof input !== 'object' || input === null) {
    session.problem({ code: 'RECORD_INVALID', message: `the input must be an object with logs, events or probes (got ${input === null ? 'null' : typeof input})`, file: '(input)' });
    return session.report();
  }
  const list = (name: string, v: unknown): Iterable<unknown> | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object' && Symbol.iterator in v) return v as Iterable<unknown>;
    session.problem({ code: 'RECORD_INVALID', message: `${name} must be a list (got ${typeof v})`, file: `(${name})` });
    return undefined;
  };
  const logs = list('logs', input.logs);
  if (logs) pushLogs(session, logs);
  const events = list('events', input.events);
  if (events) pushEvents(session, events);
  let i = 0;
  for (const p of list('probes', input.probes) ?? []) {
    i++;
    const r = ProbeRecordSchema.safeParse(p);
    if (r.success) session.probe(r.data);
    else session.problem({ code: 'RECORD_INVALID', message: `probe record ${i}: ${reasonOf(r.error.issues)}`, file: '(probes)', line: i });
  }
  const report = session.report();
  logReportBuilt(typeof options === 'object' && options !== null ? options.logger : undefined, report, started);
  return report;
}

/** What the admin backend shows beside one connection. */
export interface ConnectionStatus {
  /** The connection as judged at `now`, or undefined when the inputs never name it. */
  connection: Connection | undefined;
  /** Its active diagnoses, fix first. */
  active: Diagnosis[];
  /** Its resolved diagnoses (history). */
  resolved: Diagnosis[];
  /** The connections on the other side of its Shared ID. */
  peers: Connection[];
  /** Events or records that could not be read, as `file:line: CODE message`. */
  problems: string[];
}

/**
 * One call for "this connection's state and diagnoses": diagnoses the records (the connection's
 * own history, and its peer's when the host has it) and picks the connection out.
 * @example const { connection, active } = connectionStatus(pack, { events: rows }, 'c-5150', { now: new Date() });
 */
export function connectionStatus(pack: RulePack, input: DiagnoseInput, connectionId: string, options: SessionOptions & Pick<ObserveOptions, 'logger'> = {}): ConnectionStatus {
  const report = diagnose(pack, input, options);
  const connection = report.connections.find((c) => c.key === connectionId || c.id === connectionId);
  const key = connection?.key ?? connectionId;
  const mine = report.diagnoses.filter((d) => d.connections.some((c) => c.id === key));
  // Judged for this connection: a diagnosis another connection keeps active is resolved here once it recovered.
  const conns = new Map(report.connections.map((c) => [c.key, c]));
  return {
    connection,
    active: mine.filter((d) => activeOn(d, key, conns)),
    resolved: mine.filter((d) => !activeOn(d, key, conns)),
    peers: report.connections.filter((c) => connection?.peers.includes(c.key)),
    problems: report.stats.problems.map((p) => formatProblem({ ...p, code: p.code as Problem['code'] })),
  };
}
