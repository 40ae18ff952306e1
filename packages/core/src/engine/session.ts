/**
 * The streaming engine: push records as they are read, then take the report.
 *
 * The session is a narrow sink that readers push records into. It hands the work to four parts:
 * the ledger (line accounting), the rule pack (matching), the aggregator (diagnoses and the
 * unmatched lists) and the connection tracker (connections over time); `report()` puts them
 * together and judges connections and diagnoses at `now` (connections.ts).
 */
import type { Problem } from '../errors.js';
import { createRedactor, type Redactor } from '../redact.js';
import type { RulePack, RuleMatch } from '../rules/compile.js';
import type { Facts } from '../rules/conditions.js';
import type { Level, LogRecord, ProbeRecord, Side, SyncEvent, SyncEventRecord, SyncFile } from '../schema/records.js';
import { LEVEL_NUMBER } from '../schema/words.js';
import type { Evidence, InputStats, ParamValue, Report } from '../schema/report.js';
import { SCHEMA_VERSION } from '../schema/version.js';
import { nowOption, parseTime, toIso } from '../time.js';
import { Aggregator, lineOf } from './aggregator.js';
import { ConnectionTracker, connectionKey, finalizeReport, type LogOutcomeRecord } from './connections.js';
import { Ledger } from './ledger.js';
import { DEFAULT_LIMITS, sortDiagnoses } from './merge.js';
import { connectionIdInText, idsInText, outcomeOf, sharedIdInText } from './outcomes.js';

export const DEFAULT_STALE_AFTER_MS = 6 * 3_600_000;
export { MAX_GROUPS_PER_RULE } from './aggregator.js';

export interface SessionOptions {
  /** The time connections are judged at (default: the current time). */
  now?: string | number | Date | undefined;
  /** How old a connection's newest sync event may be before `sync-stale` applies (default 6h). */
  staleAfterMs?: number | undefined;
  /** Evidence items kept per diagnosis (default 5). */
  evidenceLimit?: number | undefined;
  /** Entries in each of the report's unmatched lists (default 20). */
  unmatchedLimit?: number | undefined;
  /** Extra redaction patterns, or a ready redactor. */
  redact?: Redactor | readonly (string | RegExp)[] | undefined;
  /** Called with every log record and sync event the session is given (before matching); for tracing one file. */
  tap?: ((record: LogRecord | SyncEventRecord) => void) | undefined;
}

/** What readers push records into. */
export interface RecordSink {
  input(name: string, kind?: InputStats['kind']): InputStats;
  read(name: string, lines: number, bytes?: number): void;
  skip(name: string, reason: string, lines?: number): void;
  truncated(name: string, lines?: number): void;
  unmatched(name: string, lines: number, records?: number, format?: string): void;
  problem(p: Problem, inputName?: string): void;
  log(record: LogRecord): number;
  event(rec: SyncEventRecord): number;
  invalidEvent(file: string, line: number, reason: string, lines?: number): void;
  probe(rec: ProbeRecord): number;
  attempt(file: string, line: number, message: string, time: string | undefined, side: Side | undefined, ids: AttemptIds, format?: string): void;
}

/** What a reader found of an attempt's connection in structured parts, and its time when it read it already. */
export interface AttemptIds {
  connectionId?: string | undefined;
  sharedId?: string | undefined;
  connectionName?: string | undefined;
  /** `parseTime(time)`, when the reader computed it (outcome-line.ts); else the session parses `time`. */
  timeMs?: number | undefined;
}

const TRACEBACK = 'Traceback (most recent call last)';
const BLOCKING = new Set(['critical', 'error']);

function levelOfStatus(status: SyncEvent['status']): Level {
  return status === 'failure' ? 'error' : status === 'warning' ? 'warn' : 'info';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * A streaming diagnosis: records and events are pushed one by one, then `report()` judges the connections and returns the report.
 *
 * @example
 * ```ts
 * const session = new DiagnosisSession(pack, { now: new Date() });
 * for (const e of events) session.event(e);
 * const report = session.report();
 * ```
 */
export class DiagnosisSession implements RecordSink {
  readonly pack: RulePack;
  private readonly redact: Redactor;
  private readonly nowMs: number;
  private readonly staleAfterMs: number;
  private readonly evidenceLimit: number;
  private readonly ledger: Ledger;
  private readonly aggregator: Aggregator;
  private readonly tracker: ConnectionTracker;
  private readonly tap: SessionOptions['tap'];
  private readonly eventsWithoutText: boolean;
  private readonly readsFiles: boolean;

  constructor(pack: RulePack, options: SessionOptions = {}) {
    this.pack = pack;
    const r = options.redact;
    this.redact = typeof r === 'function' ? r : createRedactor(r ?? []);
    this.nowMs = nowOption(options.now);
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.evidenceLimit = options.evidenceLimit ?? DEFAULT_LIMITS.evidence;
    this.ledger = new Ledger(this.redact);
    this.aggregator = new Aggregator(this.redact, this.evidenceLimit, options.unmatchedLimit ?? DEFAULT_LIMITS.unmatched);
    this.tracker = new ConnectionTracker(this.nowMs);
    this.tap = options.tap;
    this.eventsWithoutText = pack.readsWithoutText('event');
    this.readsFiles = pack.reads('file');
  }

  /** The stats entry of one input, created on first use. */
  input(name: string, kind: InputStats['kind'] = 'logs'): InputStats {
    return this.ledger.input(name, kind);
  }

  /**
   * The adapter is done with an input. Past the first 1,000 inputs an input is then only counted
   * (`stats.inputsOmitted`, and its lines in the totals), so a run over a million members stays small.
   */
  close(name: string): void {
    this.ledger.close(name);
  }

  /** Lines the adapter read from an input, and bytes; called as it goes or once at the end. */
  read(name: string, lines: number, bytes = 0): void {
    this.ledger.read(name, lines, bytes);
  }

  /** Lines passed over, with the reason (`blank`, `binary`, `invalid-json`, …). */
  skip(name: string, reason: string, lines = 1): void {
    this.ledger.skip(name, reason, lines);
  }

  /** Lines that were searched (within the cap) but cut short. They are still counted once elsewhere. */
  truncated(name: string, lines = 1): void {
    this.ledger.truncated(name, lines);
  }

  /** Records the prefilter ruled out: they cannot match any rule and are not parsed further. */
  unmatched(name: string, lines: number, records = 1, format?: string): void {
    this.ledger.unmatched(name, lines, records, format);
  }

  /** An input, event or line that could not be read; kept (bounded) in `stats.problems`. */
  problem(p: Problem, inputName?: string): void {
    this.ledger.problem(p, inputName);
  }

  /** Matches one log record; returns how many rules matched it. */
  log(record: LogRecord): number {
    this.tap?.(record);
    const lines = record.source.endLine - record.source.line + 1;
    const s = this.ledger.input(record.source.file);
    const fmt = record.envelope ? `${record.envelope}+${record.format}` : record.format;
    const exceptions = record.exceptions ?? [];
    const facts = logFacts(record);
    const matches = this.pack.match('log', record.message, facts);
    const timeMs = parseTime(record.time);
    this.logOutcome(record, matches, timeMs);
    if (matches.length === 0) {
      this.ledger.record(s, lines, false, fmt);
      const levelNumber = record.level ? LEVEL_NUMBER[record.level] : 0;
      if (levelNumber >= 40 || record.message.includes(TRACEBACK)) {
        const level = levelNumber >= 50 || levelNumber === 0 ? record.level : 'warn';
        const sample: Omit<Evidence, 'excerpt'> = { source: 'log', file: record.source.file, line: record.source.line };
        if (record.time) sample.time = record.time;
        this.aggregator.noteUnmatched(record.message, level, record.time, sample, exceptions);
      }
      return 0;
    }
    this.ledger.record(s, lines, true, fmt);
    this.ledger.stats.recordsMatched++;
    const ids = record.connectionId === undefined && record.sharedId === undefined ? idsInText(record.message) : undefined;
    const connectionId = record.connectionId ?? ids?.connectionId;
    const sharedId = record.sharedId ?? ids?.sharedId;
    const key = connectionKey(connectionId, sharedId, record.side);
    const connectionName = str(record.fields['connection_name'] ?? record.fields['connectionName']);
    for (const m of matches) {
      // Built field by field in the report's order; absent fields stay absent.
      const ev: Omit<Evidence, 'excerpt'> = { source: 'log', file: record.source.file, line: Math.min(record.source.line + lineOf(record.message, m.offset), record.source.endLine) };
      if (record.source.endLine !== record.source.line) ev.endLine = record.source.endLine;
      if (record.time) ev.time = record.time;
      if (connectionId) ev.connectionId = connectionId;
      this.aggregator.add(m, record.side, timeMs, { connectionKey: key, connectionId, connectionName, sharedId, level: record.level, logger: record.logger }, ev, record.message, m.offset);
    }
    return matches.length;
  }

  /**
   * A one-line text record that the prefilter selected for its sync outcome words only: counted as
   * unmatched, and taken as an attempt of the connection it names, without building a record.
   * `ids` are what the reader found in structured parts (key=value pairs, the logger's side).
   */
  attempt(file: string, line: number, message: string, time: string | undefined, side: Side | undefined, ids: AttemptIds, format?: string): void {
    this.ledger.unmatched(file, 1, 1, format);
    const timeMs = ids.timeMs ?? parseTime(time);
    if (timeMs === undefined) return;
    const outcome = outcomeOf(message);
    if (outcome === undefined) return;
    // Only the id the reader did not find is looked for in the text (as idsInText would give it).
    const connectionId = ids.connectionId ?? connectionIdInText(message);
    const sharedId = ids.sharedId ?? sharedIdInText(message);
    const key = connectionKey(connectionId, sharedId, side);
    if (key !== undefined) this.tracker.log(key, connectionId, ids.connectionName, side, sharedId, outcome, timeMs, file, line);
  }

  /**
   * A log record as an attempt of its connection: `sync completed` is a success, `sync failed`,
   * `connection failed` or a blocking diagnosis a failure, when the record names its connection.
   */
  private logOutcome(record: LogRecord, matches: readonly RuleMatch[], timeMs: number | undefined): void {
    if (timeMs === undefined) return;
    let outcome = outcomeOf(record.message);
    if (outcome === undefined && matches.some((m) => BLOCKING.has(m.rule.rule.severity) && m.rule.rule.resolution === 'success')) outcome = 'failure';
    if (outcome === undefined) return;
    const connectionId = record.connectionId ?? connectionIdInText(record.message);
    const sharedId = record.sharedId ?? sharedIdInText(record.message);
    const key = connectionKey(connectionId, sharedId, record.side);
    if (key === undefined) return;
    this.tracker.log(key, connectionId, str(record.fields['connection_name'] ?? record.fields['connectionName']), record.side, sharedId, outcome, timeMs, record.source.file, record.source.line);
  }

  /** Matches one sync event (its message, and its files that were not transferred) and follows its connection. */
  event(rec: SyncEventRecord): number {
    this.tap?.(rec);
    const e = rec.event;
    this.ledger.stats.events.read++;
    this.ledger.stats.events.valid++;
    const s = this.ledger.input(rec.source.file, 'events');
    // The schema has normalized both times to ISO-8601: the end of the attempt, else its start.
    const when = e.finishedAt ?? e.startedAt;
    const endMs = rec.endMs ?? parseTime(when) ?? 0;
    this.tracker.event(e, endMs, rec.source.file, rec.source.line, rec.endMs === undefined ? undefined : rec.startMs);
    const lines = rec.source.endLine - rec.source.line + 1;
    const message = e.message ?? '';
    const files = e.files;
    let found = 0;
    if (this.readsFiles && files.length > 0) for (const f of files) if (f.outcome !== undefined && f.outcome !== 'transferred') found += this.file(rec, f, endMs, when);
    if (message === '' && !this.eventsWithoutText) {
      // Nothing to match: only the bookkeeping above (most events of a healthy history).
      this.ledger.record(s, lines, found > 0);
      if (found > 0) this.ledger.stats.events.matched++;
      return found;
    }
    const level = levelOfStatus(e.status);
    let withUpdates = false;
    for (const f of files) if (f.outcome === 'transferred') withUpdates = true;
    const facts: Facts = {
      kind: 'event',
      message,
      status: e.status,
      level,
      levelNumber: LEVEL_NUMBER[level],
      side: e.direction,
      connectionId: e.connectionId,
      connectionName: e.connectionName,
      sharedId: e.sharedId,
      withUpdates,
      fields: { files, startedAt: e.startedAt, finishedAt: e.finishedAt, id: e.id },
      params: {},
    };
    const matches = this.pack.match('event', message, facts);
    if (matches.length === 0) {
      this.ledger.record(s, lines, found > 0);
      if (found > 0) this.ledger.stats.events.matched++;
      else if (e.status !== 'success' && message !== '') {
        this.aggregator.noteUnmatched(message, level, when, { source: 'event', file: rec.source.file, line: rec.source.line, time: when, ...(e.id ? { eventId: e.id } : {}), connectionId: e.connectionId });
      }
      return found;
    }
    this.ledger.record(s, lines, true);
    this.ledger.stats.events.matched++;
    for (const m of matches) {
      const ev = { source: 'event' as const, file: rec.source.file, line: rec.source.line, time: when, ...(e.id ? { eventId: e.id } : {}), connectionId: e.connectionId };
      this.aggregator.add(m, e.direction, endMs, { connectionKey: e.connectionId, connectionId: e.connectionId, connectionName: e.connectionName, sharedId: e.sharedId, status: e.status, level }, ev, message, m.offset);
    }
    return matches.length + found;
  }

  /** One file of an event that was not transferred, as a record of kind `file`. */
  private file(rec: SyncEventRecord, f: SyncFile, endMs: number, when: string): number {
    const e = rec.event;
    const facts: Facts = {
      kind: 'file',
      message: '',
      outcome: f.outcome,
      sizeBytes: f.sizeBytes,
      resourceId: f.resourceId,
      revisionId: f.revisionId,
      name: f.name,
      status: e.status,
      side: e.direction,
      connectionId: e.connectionId,
      connectionName: e.connectionName,
      sharedId: e.sharedId,
      params: {},
    };
    const matches = this.pack.match('file', '', facts);
    for (const m of matches) {
      const values: Record<string, ParamValue> = {};
      if (f.revisionId !== undefined) values['revisionId'] = f.revisionId;
      if (f.resourceId !== undefined) values['resourceId'] = f.resourceId;
      if (f.sizeBytes !== undefined) values['sizeBytes'] = f.sizeBytes;
      if (f.name !== undefined) values['fileName'] = f.name;
      const what = [f.name, f.resourceId && `resource ${f.resourceId}`, f.revisionId && `revision ${f.revisionId}`, f.sizeBytes !== undefined && `${f.sizeBytes} bytes`].filter(Boolean).join(', ');
      const excerpt = `file ${what || '(unnamed)'}: ${f.outcome} in sync event ${e.id ?? ''} (${e.status})`.replace('  ', ' ');
      const ev = { source: 'event' as const, file: rec.source.file, line: rec.source.line, time: when, ...(e.id ? { eventId: e.id } : {}), connectionId: e.connectionId };
      this.aggregator.add(
        { ...m, params: { ...values, ...m.params } },
        e.direction,
        endMs,
        { connectionKey: e.connectionId, connectionId: e.connectionId, connectionName: e.connectionName, sharedId: e.sharedId, status: e.status },
        ev,
        '',
        0,
        excerpt,
      );
    }
    return matches.length;
  }

  /** An event that failed validation: counted, located, and the rest go on. */
  invalidEvent(file: string, line: number, reason: string, lines = 1): void {
    this.ledger.stats.events.read++;
    this.ledger.stats.events.invalid++;
    if (lines > 0) this.ledger.skip(file, 'invalid-event', lines);
    this.ledger.problem({ code: 'EVENT_INVALID', message: reason, file, line });
  }

  /** Matches the outcome of a deployment probe. */
  probe(rec: ProbeRecord): number {
    this.ledger.stats.probes++;
    const facts: Facts = {
      kind: 'probe',
      message: rec.message,
      probe: rec.probe,
      target: rec.target,
      outcome: rec.outcome,
      side: rec.side,
      fields: rec.fields,
      params: {},
    };
    const matches = this.pack.match('probe', rec.message, facts);
    const timeMs = parseTime(rec.time) ?? this.nowMs;
    for (const m of matches) {
      this.aggregator.add(
        m,
        rec.side,
        timeMs,
        { probe: rec.probe, target: rec.target, outcome: rec.outcome },
        { source: 'probe', ...(rec.source ? { file: rec.source.file, line: rec.source.line } : {}), time: toIso(timeMs)! },
        '',
        0,
        `${rec.probe} ${rec.target}: ${rec.message}`,
      );
    }
    return matches.length;
  }

  /** The report so far. Can be called more than once; connections are judged at `now`. */
  /**
   * The connection outcomes this session's logs showed, for a session that reads the history
   * (parallel reading: logs in worker threads, the history in one place): see `addLogOutcomes`.
   */
  logOutcomes(): LogOutcomeRecord[] {
    return this.tracker.logOutcomes();
  }

  /** Log outcomes of another session: attempts of their connections unless this session's history holds them. */
  addLogOutcomes(list: readonly LogOutcomeRecord[]): void {
    this.tracker.addLogOutcomes(list);
  }

  report(): Report {
    const { diagnoses, connections } = finalizeReport(this.aggregator.diagnoses(), this.tracker.connections(), {
      nowMs: this.nowMs,
      staleAfterMs: this.staleAfterMs,
      pack: this.pack,
      redact: this.redact,
      evidenceLimit: this.evidenceLimit,
    });
    const stats = this.ledger.build(connections.length);
    for (const p of this.tracker.problems()) {
      stats.problemsTotal++;
      if (stats.problems.length < DEFAULT_LIMITS.problems) stats.problems.push(p);
    }
    return {
      schemaVersion: SCHEMA_VERSION,
      judged: { now: toIso(this.nowMs)!, staleAfterMs: this.staleAfterMs },
      connections,
      diagnoses: sortDiagnoses(diagnoses),
      ...this.aggregator.unmatched(),
      stats,
    };
  }
}

/** The facts a log record offers to rule conditions. */
export function logFacts(record: LogRecord): Facts {
  const exceptions = record.exceptions ?? [];
  return {
    kind: 'log',
    message: record.message,
    level: record.level,
    levelNumber: record.level ? LEVEL_NUMBER[record.level] : undefined,
    logger: record.logger,
    side: record.side,
    fields: record.fields,
    format: record.format,
    connectionId: record.connectionId,
    sharedId: record.sharedId,
    exceptions,
    exceptionTypes: exceptions.map((e) => e.name),
    params: {},
  };
}
