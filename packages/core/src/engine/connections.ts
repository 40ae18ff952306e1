/**
 * Connections over time. The tracker follows every connection the inputs show (sync events, and
 * log records that carry a connection id or Shared ID and an outcome) and keeps what its state is
 * judged from: the newest attempt, the last success and failure, the failing streak and the
 * recent attempts. `finalizeReport` judges each connection at `now`, joins the two sides of a
 * Shared ID, runs the rules that read connections (sync-stale), and marks each diagnosis active
 * or resolved. Merged reports are finalized the same way, so shards merge into the whole.
 */
import type { Problem } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { RulePack } from '../rules/compile.js';
import type { Facts } from '../rules/conditions.js';
import type { Side } from '../schema/records.js';
import type { Attempt, Connection, ConnectionState, Diagnosis, ParamValue } from '../schema/report.js';
import { formatDuration, parseTime, toIso } from '../time.js';
import { Aggregator } from './aggregator.js';
import { fillTemplate } from './template.js';

/** Attempts kept per connection (newest), for flapping, the timeline and exact merges. */
export const RECENT_ATTEMPTS = 16;
/** The window flapping is judged in: the newest attempts that finished. */
const FLAP_WINDOW = 10;
/** Changes between success and failure within the window that make a connection flap. */
const FLAP_CHANGES = 3;
/** How far in the future of `now` an event may lie before it is clock skew, not just late. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Failure times kept per failing streak (for exact onset when events arrive out of order). */
const MAX_STREAK = 100_000;
/**
 * How far around a history event's startedAt..finishedAt a log line of its connection is taken as
 * part of that attempt, and how close two failure (or success) lines of a connection without such an
 * event must be to be one attempt (a log writes several lines per attempt: the cause, then the outcome).
 */
export const ATTEMPT_TOLERANCE_MS = 5_000;
/** Connections tracked; attempts of further connections are counted only. */
export const MAX_CONNECTIONS = 20_000;

export type Outcome = Attempt['outcome'];

/** The key of a connection: its id, or its Shared ID and side when only that is known. */
export function connectionKey(id: string | undefined, sharedId: string | undefined, side: Side | undefined): string | undefined {
  if (id !== undefined && id !== '') return id;
  if (sharedId !== undefined && sharedId !== '') return `shared:${sharedId}:${side ?? 'unknown'}`;
  return undefined;
}

const succeeded = (o: Outcome) => o === 'success' || o === 'warning';

interface Entry {
  key: string;
  id: string | undefined;
  name: string | undefined;
  side: Side | undefined;
  sharedId: string | undefined;
  newestMs: number;
  /** The newest attempt, as plain fields (no object per event on the hot path). */
  newestOutcome: Outcome | undefined;
  newestSource: Attempt['source'];
  newestEventId: string | undefined;
  newestFile: string;
  newestLine: number;
  /** Newest finished history event (staleness). */
  historyMs: number | undefined;
  lastSuccessMs: number | undefined;
  lastFailureMs: number | undefined;
  /** Failure times after the last success (unordered). */
  streak: number[];
  /** Failures after the last success that were not kept in `streak` (beyond MAX_STREAK). */
  streakOverflow: number;
  attempts: number;
  failures: number;
  /** The newest attempts, oldest first: times, outcomes and sources (small, for 100,000 connections). */
  recent: Recent[];
  /**
   * History events' times as flat [from, to] pairs, widened by ATTEMPT_TOLERANCE_MS; an event that
   * overlaps the one before it extends that pair, so a connection's contiguous history stays one pair
   * (numbers only: no text cut from an input block is kept alive). At most MAX_WINDOWS pairs, the newest.
   */
  windows: number[];
  /** Outcomes seen in logs: attempts unless a history event of the connection already holds them (see `connections`). */
  logs: LogColumns | undefined;
}

/**
 * A connection's log outcomes, column by column: a gigabyte log holds a million and more outcome
 * lines, kept until the report (a history read later may hold them), so as numbers in typed arrays
 * that grow by doubling (17 bytes an outcome, no object for the collector to walk).
 */
/** `into` holding `from`'s values first (a column grown to a new size). */
function widened<T extends Float64Array | Uint8Array | Uint32Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

class LogColumns {
  length = 0;
  ms = new Float64Array(8);
  /** 1 failure, 0 success. */
  failed = new Uint8Array(8);
  file = new Uint32Array(8);
  line = new Uint32Array(8);
  /** Whether the times came in order (the usual case: one log read from start to end). */
  sorted = true;

  push(ms: number, failed: boolean, file: number, line: number): void {
    const n = this.length;
    if (n === this.ms.length) this.grow(n * 2);
    if (n > 0 && ms < this.ms[n - 1]!) this.sorted = false;
    this.ms[n] = ms;
    this.failed[n] = failed ? 1 : 0;
    this.file[n] = file;
    // Line numbers past 2^32 (a log of four billion lines) are kept as the largest that fits.
    this.line[n] = line > 0xffffffff ? 0xffffffff : line;
    this.length = n + 1;
  }

  private grow(size: number): void {
    this.ms = widened(this.ms, new Float64Array(size));
    this.failed = widened(this.failed, new Uint8Array(size));
    this.file = widened(this.file, new Uint32Array(size));
    this.line = widened(this.line, new Uint32Array(size));
  }

  /** The positions in time order (stable: lines of one time keep the order they came in). */
  order(): ArrayLike<number> {
    const idx = new Uint32Array(this.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    if (this.sorted) return idx;
    const ms = this.ms;
    return Array.from(idx).sort((a, b) => ms[a]! - ms[b]! || a - b);
  }
}

interface LogOutcome {
  ms: number;
  outcome: 'success' | 'failure';
  file: string;
  line: number;
}

/** A log outcome with its connection, as it crosses from one session to another. */
export interface LogOutcomeRecord extends LogOutcome {
  key: string;
  id: string | undefined;
  name: string | undefined;
  side: Side | undefined;
  sharedId: string | undefined;
}

interface Recent {
  ms: number;
  outcome: Outcome;
  source: Attempt['source'];
}

/** One event dated after `now` (clock skew), for the report's problems. */
interface FutureEvent {
  file: string;
  line: number;
  at: string;
}

export class ConnectionTracker {
  private readonly entries = new Map<string, Entry>();
  /** The files log outcomes came from, by number (LogColumns keeps the number). */
  private readonly files: string[] = [];
  private readonly fileNumbers = new Map<string, number>();
  private historyEvents = 0;
  private futureEvents = 0;
  private readonly future: FutureEvent[] = [];
  private earliestHistoryMs: number | undefined;
  overflow = 0;

  constructor(private readonly nowMs: number) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The outcomes seen in logs, with their connections, not yet judged against a history: what a
   * thread that read only logs hands to the one that reads the history (see `addLogOutcomes`).
   */
  logOutcomes(): LogOutcomeRecord[] {
    const out: LogOutcomeRecord[] = [];
    for (const e of this.entries.values()) {
      const l = e.logs;
      if (l === undefined) continue;
      for (let i = 0; i < l.length; i++) {
        out.push({ key: e.key, id: e.id, name: e.name, side: e.side, sharedId: e.sharedId, ms: l.ms[i]!, outcome: l.failed[i] === 1 ? 'failure' : 'success', file: this.files[l.file[i]!]!, line: l.line[i]! });
      }
    }
    return out;
  }

  /** Log outcomes another session collected (see `logOutcomes`), judged here with this session's history. */
  addLogOutcomes(list: readonly LogOutcomeRecord[]): void {
    for (const l of list) this.log(l.key, l.id, l.name, l.side, l.sharedId, l.outcome, l.ms, l.file, l.line);
  }

  private entry(key: string, id: string | undefined, name: string | undefined, side: Side | undefined, sharedId: string | undefined): Entry | undefined {
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= MAX_CONNECTIONS) {
        this.overflow++;
        return undefined;
      }
      e = {
        key,
        id,
        name,
        side,
        sharedId,
        newestMs: Number.NEGATIVE_INFINITY,
        newestOutcome: undefined,
        newestSource: 'event',
        newestEventId: undefined,
        newestFile: '',
        newestLine: 0,
        historyMs: undefined,
        lastSuccessMs: undefined,
        lastFailureMs: undefined,
        streak: [],
        streakOverflow: 0,
        attempts: 0,
        failures: 0,
        recent: [],
        windows: [],
        logs: undefined,
      };
      this.entries.set(key, e);
    } else {
      e.name ??= name;
      e.side ??= side;
      e.sharedId ??= sharedId;
      e.id ??= id;
    }
    return e;
  }

  /**
   * One sync event of a history. Returns false when it lies in the future of `now` (clock skew):
   * it is then left out of the connection's state, and reported.
   */
  event(
    e: {
      id?: string | undefined;
      startedAt?: string | undefined;
      connectionId: string;
      connectionName?: string | undefined;
      direction?: Side | undefined;
      sharedId?: string | undefined;
      status: 'success' | 'warning' | 'failure';
      finishedAt?: string | undefined;
    },
    endMs: number,
    file: string,
    line: number,
    startMs?: number,
  ): boolean {
    this.historyEvents++;
    if (this.earliestHistoryMs === undefined || endMs < this.earliestHistoryMs) this.earliestHistoryMs = endMs;
    if (endMs > this.nowMs + FUTURE_TOLERANCE_MS) {
      this.futureEvents++;
      if (this.future.length < 50) this.future.push({ file, line, at: toIso(endMs) ?? String(endMs) });
      return false;
    }
    const entry = this.entry(e.connectionId, e.connectionId, e.connectionName, e.direction, e.sharedId);
    if (!entry) return true;
    // A sync that started and has no finish (running, queued…) is an attempt, not a success.
    const outcome: Outcome = e.status === 'warning' && e.finishedAt === undefined ? 'started' : e.status;
    if (outcome !== 'started' && (entry.historyMs === undefined || endMs > entry.historyMs)) entry.historyMs = endMs;
    if (endMs >= entry.newestMs) {
      // The newest event names the connection as it is now.
      if (e.connectionName !== undefined) entry.name = e.connectionName;
      if (e.direction !== undefined) entry.side = e.direction;
      if (e.sharedId !== undefined) entry.sharedId = e.sharedId;
    }
    // `startMs`: startedAt already read by the caller (the reader's canonical lane, from the bytes).
    addWindow(entry.windows, startMs ?? (e.startedAt === undefined ? endMs : (parseTime(e.startedAt) ?? endMs)), endMs);
    this.attempt(entry, endMs, outcome, 'event', e.id, file, line);
    return true;
  }

  /** An outcome seen in a log record of a connection. */
  log(key: string, id: string | undefined, name: string | undefined, side: Side | undefined, sharedId: string | undefined, outcome: 'success' | 'failure', timeMs: number | undefined, file: string, line: number): void {
    if (timeMs === undefined || timeMs > this.nowMs + FUTURE_TOLERANCE_MS) return;
    const entry = this.entry(key, id, name, side, sharedId);
    if (!entry) return;
    // Judged when the connections are asked for: a history read after the logs may hold this attempt.
    let f = this.fileNumbers.get(file);
    if (f === undefined) {
      f = this.files.length;
      this.files.push(file);
      this.fileNumbers.set(file, f);
    }
    (entry.logs ??= new LogColumns()).push(timeMs, outcome === 'failure', f, line);
  }

  /**
   * The entry with its log outcomes applied as attempts: a log line within a history event of the
   * connection (startedAt..finishedAt, give or take ATTEMPT_TOLERANCE_MS) is part of that attempt,
   * and lines of the same outcome seconds apart (the cause, then `connection failed`) are one attempt.
   */
  private withLogs(e: Entry): Entry {
    const logs = e.logs;
    if (logs === undefined || logs.length === 0) return e;
    const out = copyEntry(e);
    const windows = mergedWindows(e.windows);
    const order = logs.order();
    let prevMs = Number.NaN;
    let prevFailed = -1;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const ms = logs.ms[i]!;
      const failed = logs.failed[i]!;
      if (covered(windows, ms)) continue;
      const same = prevFailed === failed && ms - prevMs <= ATTEMPT_TOLERANCE_MS;
      prevMs = ms;
      prevFailed = failed;
      if (same) continue;
      this.attempt(out, ms, failed === 1 ? 'failure' : 'success', 'log', undefined, this.files[logs.file[i]!]!, logs.line[i]!);
    }
    return out;
  }

  private attempt(entry: Entry, ms: number, outcome: Outcome, source: Attempt['source'], eventId: string | undefined, file: string, line: number): void {
    entry.attempts++;
    if (ms >= entry.newestMs) {
      entry.newestMs = ms;
      entry.newestOutcome = outcome;
      entry.newestSource = source;
      entry.newestEventId = eventId;
      entry.newestFile = file;
      entry.newestLine = line;
    }
    if (outcome === 'failure') {
      entry.failures++;
      if (entry.lastFailureMs === undefined || ms > entry.lastFailureMs) entry.lastFailureMs = ms;
      if (entry.lastSuccessMs === undefined || ms > entry.lastSuccessMs) {
        if (entry.streak.length < MAX_STREAK) entry.streak.push(ms);
        else entry.streakOverflow++;
      }
    } else if (succeeded(outcome) && (entry.lastSuccessMs === undefined || ms > entry.lastSuccessMs)) {
      entry.lastSuccessMs = ms;
      // Failures before this success no longer belong to the streak (histories come newest-first too).
      if (entry.streak.length > 0) entry.streak = entry.streak.filter((t) => t > ms);
      entry.streakOverflow = 0;
    }
    insertRecent(entry.recent, ms, outcome, source);
  }

  /**
   * Problems the inputs show about connections: more connections than are tracked, events after
   * `now`, or `now` before every event.
   */
  problems(): Problem[] {
    const out: Problem[] = [];
    if (this.overflow > 0) {
      out.push({
        code: 'CONNECTIONS_OVER_LIMIT',
        message: `more than ${MAX_CONNECTIONS.toLocaleString('en-US')} connections in the inputs: ${this.overflow.toLocaleString('en-US')} attempts of further connections were counted in the stats but not tracked as connections`,
      });
    }
    return [...out, ...this.timeProblems()];
  }

  private timeProblems(): Problem[] {
    if (this.futureEvents === 0) return [];
    if (this.futureEvents === this.historyEvents) {
      return [
        {
          code: 'NOW_BEFORE_EVENTS',
          message: `--now ${toIso(this.nowMs)} is before every sync event (the earliest ends at ${toIso(this.earliestHistoryMs)}): no connection state or staleness can be judged; give a later --now or leave it out`,
        },
      ];
    }
    return this.future.map((f) => ({ code: 'EVENT_IN_FUTURE', message: `sync event ends at ${f.at}, after --now ${toIso(this.nowMs)} (clock skew?): left out of the connection's state`, file: f.file, line: f.line }));
  }

  get futureCount(): number {
    return this.futureEvents;
  }

  /** The connections, not judged yet (state and links are set by `finalizeReport`). */
  connections(): Connection[] {
    const out: Connection[] = [];
    for (const entry of this.entries.values()) {
      const e = this.withLogs(entry);
      const c = blankConnection(e.key);
      if (e.id !== undefined) c.id = e.id;
      if (e.name !== undefined) c.name = e.name;
      c.side = e.side ?? 'unknown';
      if (e.sharedId !== undefined) c.sharedId = e.sharedId;
      if (e.newestOutcome !== undefined) {
        const at = toIso(e.newestMs) ?? '';
        // Fields in the report's order.
        c.newestEvent =
          e.newestEventId === undefined
            ? { at, outcome: e.newestOutcome, source: e.newestSource, file: e.newestFile, line: e.newestLine }
            : { at, outcome: e.newestOutcome, source: e.newestSource, eventId: e.newestEventId, file: e.newestFile, line: e.newestLine };
      }
      if (e.historyMs !== undefined) c.lastHistoryAt = toIso(e.historyMs)!;
      if (e.lastSuccessMs !== undefined) c.lastSuccess = toIso(e.lastSuccessMs)!;
      if (e.lastFailureMs !== undefined) c.lastFailure = toIso(e.lastFailureMs)!;
      if (e.streak.length > 0) c.failingSince = toIso(Math.min(...e.streak))!;
      c.consecutiveFailures = e.streak.length + e.streakOverflow;
      c.attempts = e.attempts;
      c.failures = e.failures;
      c.recent = e.recent.map((r) => ({ at: toIso(r.ms) ?? '', outcome: r.outcome, source: r.source }));
      out.push(c);
    }
    return out;
  }
}

/** History events' times as sorted, merged [start, end] intervals widened by ATTEMPT_TOLERANCE_MS. */
function mergedWindows(flat: readonly number[]): number[][] {
  const list: number[][] = [];
  for (let i = 0; i < flat.length; i += 2) list.push([flat[i]!, flat[i + 1]!]);
  list.sort((a, b) => a[0]! - b[0]!);
  const out: number[][] = [];
  for (const w of list) {
    const last = out[out.length - 1];
    if (last && w[0]! <= last[1]!) last[1] = Math.max(last[1]!, w[1]!);
    else out.push(w);
  }
  return out;
}

/** History windows kept per connection: the newest (a log line older than all of them counts as its own attempt). */
const MAX_WINDOWS = 10_000;

/** Adds a history event's window to a connection's flat pairs, extending the newest pair when they overlap. */
function addWindow(flat: number[], startMs: number, endMs: number): void {
  const lo = Math.min(startMs, endMs) - ATTEMPT_TOLERANCE_MS;
  const hi = Math.max(startMs, endMs) + ATTEMPT_TOLERANCE_MS;
  const n = flat.length;
  if (n > 0 && lo <= flat[n - 1]! && hi >= flat[n - 2]!) {
    flat[n - 2] = Math.min(flat[n - 2]!, lo);
    flat[n - 1] = Math.max(flat[n - 1]!, hi);
    return;
  }
  flat.push(lo, hi);
  if (flat.length > 4 * MAX_WINDOWS) flat.splice(0, flat.length - 2 * MAX_WINDOWS);
}

/** Whether a time lies in one of the merged windows (binary search). */
function covered(windows: readonly number[][], ms: number): boolean {
  let lo = 0;
  let hi = windows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = windows[mid]!;
    if (ms < w[0]!) hi = mid - 1;
    else if (ms > w[1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Keeps the newest RECENT_ATTEMPTS attempts in time order; a full list reuses its oldest slot. */
function insertRecent(recent: Recent[], ms: number, outcome: Outcome, source: Attempt['source']): void {
  const full = recent.length >= RECENT_ATTEMPTS;
  if (full && ms < recent[0]!.ms) return;
  const r: Recent = full ? recent.shift()! : { ms, outcome, source };
  r.ms = ms;
  r.outcome = outcome;
  r.source = source;
  let i = recent.length;
  while (i > 0 && recent[i - 1]!.ms > ms) i--;
  if (i === recent.length) recent.push(r);
  else recent.splice(i, 0, r);
}

/**
 * A copy of an entry to apply log outcomes to, built as `entry()` builds one (the same fields in
 * the same order, so the same hidden class: a spread gave another, and the attempt code compiled
 * for one was thrown away on the other).
 */
function copyEntry(e: Entry): Entry {
  return {
    key: e.key,
    id: e.id,
    name: e.name,
    side: e.side,
    sharedId: e.sharedId,
    newestMs: e.newestMs,
    newestOutcome: e.newestOutcome,
    newestSource: e.newestSource,
    newestEventId: e.newestEventId,
    newestFile: e.newestFile,
    newestLine: e.newestLine,
    historyMs: e.historyMs,
    lastSuccessMs: e.lastSuccessMs,
    lastFailureMs: e.lastFailureMs,
    streak: [...e.streak],
    streakOverflow: e.streakOverflow,
    attempts: e.attempts,
    failures: e.failures,
    recent: e.recent.map((r) => ({ ms: r.ms, outcome: r.outcome, source: r.source })),
    windows: e.windows,
    logs: e.logs,
  };
}

function blankConnection(key: string): Connection {
  return { key, side: 'unknown', state: 'unknown', consecutiveFailures: 0, flapping: false, attempts: 0, failures: 0, recent: [], peers: [], diagnoses: [], activeDiagnoses: [] };
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : parseTime(iso));
const later = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : (ms(a) ?? 0) >= (ms(b) ?? 0) ? a : b);

/**
 * Two views of one connection (from two shards) as one. The failing streak is recomputed against
 * the later last success: a shard whose own last success is earlier contributes its failures after
 * the later one, which its recent attempts (or its own streak onset) hold.
 */
export function mergeConnection(a: Connection, b: Connection): Connection {
  const c = blankConnection(a.key);
  const id = a.id ?? b.id;
  if (id !== undefined) c.id = id;
  // On a tie the later shard wins, as the later record does in one run.
  const newer = (ms(a.newestEvent?.at) ?? -Infinity) > (ms(b.newestEvent?.at) ?? -Infinity) ? a : b;
  const older = newer === a ? b : a;
  const name = newer.name ?? older.name;
  if (name !== undefined) c.name = name;
  c.side = newer.side !== 'unknown' ? newer.side : older.side;
  const sid = newer.sharedId ?? older.sharedId;
  if (sid !== undefined) c.sharedId = sid;
  const newest = newer.newestEvent ?? older.newestEvent;
  if (newest) c.newestEvent = newest;
  const hist = later(a.lastHistoryAt, b.lastHistoryAt);
  if (hist !== undefined) c.lastHistoryAt = hist;
  const success = later(a.lastSuccess, b.lastSuccess);
  if (success !== undefined) c.lastSuccess = success;
  const failure = later(a.lastFailure, b.lastFailure);
  if (failure !== undefined) c.lastFailure = failure;
  c.attempts = a.attempts + b.attempts;
  c.failures = a.failures + b.failures;
  // Shards are disjoint: every attempt is counted once, in one of them.
  c.recent = [...a.recent, ...b.recent].sort((x, y) => (ms(x.at) ?? 0) - (ms(y.at) ?? 0)).slice(-RECENT_ATTEMPTS);
  // The streak after the later success L, from each side.
  const L = ms(success);
  let since: number | undefined;
  let count = 0;
  for (const part of [a, b]) {
    const own = ms(part.lastSuccess);
    if (own === L || (own === undefined && L === undefined)) {
      count += part.consecutiveFailures;
      const f = ms(part.failingSince);
      if (f !== undefined && (since === undefined || f < since)) since = f;
      continue;
    }
    const after = part.recent.filter((r) => r.outcome === 'failure' && (ms(r.at) ?? 0) > (L ?? -Infinity));
    count += after.length;
    const onset = ms(part.failingSince);
    const first = onset !== undefined && L !== undefined && onset > L ? onset : after.length ? ms(after[0]!.at) : undefined;
    if (first !== undefined && (since === undefined || first < since)) since = first;
  }
  c.consecutiveFailures = count;
  if (since !== undefined && count > 0) c.failingSince = toIso(since)!;
  return c;
}

/** Options of `finalizeReport`. */
export interface FinalizeOptions {
  nowMs: number;
  staleAfterMs: number;
  /** The pack: runs its connection rules and its rules' peer sections. Without it, both are kept as they are. */
  pack?: RulePack | undefined;
  redact: Redactor;
  evidenceLimit: number;
}

/**
 * The time freshness is judged from: the newest finished history event, or a newer finished
 * attempt of the logs; undefined without a history. A started sync without a finish does not count.
 */
function freshAt(c: Connection): number | undefined {
  const hist = ms(c.lastHistoryAt);
  if (hist === undefined) return undefined;
  const newest = c.newestEvent && c.newestEvent.outcome !== 'started' ? ms(c.newestEvent.at) : undefined;
  return newest === undefined ? hist : Math.max(hist, newest);
}

function judge(c: Connection, nowMs: number, staleAfterMs: number): void {
  const fresh = freshAt(c);
  let state: ConnectionState = 'unknown';
  let since: string | undefined;
  if (c.consecutiveFailures > 0) {
    state = 'failing';
    since = c.failingSince;
  } else if (fresh !== undefined && nowMs - fresh > staleAfterMs) {
    // Judged only where a history was given: a log is a window of time, not the whole history.
    state = 'stale';
    since = toIso(fresh);
  } else if (c.lastSuccess !== undefined) {
    state = 'healthy';
    since = c.lastSuccess;
  }
  c.state = state;
  if (since !== undefined) c.since = since;
  else delete c.since;
  const finished = c.recent.filter((r) => r.outcome !== 'started').slice(-FLAP_WINDOW);
  let changes = 0;
  for (let i = 1; i < finished.length; i++) if (succeeded(finished[i]!.outcome) !== succeeded(finished[i - 1]!.outcome)) changes++;
  c.flapping = changes >= FLAP_CHANGES;
}

/** Connections known only by Shared ID and side are folded into the one connection with an id that has them. */
function foldSharedOnly(conns: Map<string, Connection>): Map<string, string> {
  const alias = new Map<string, string>();
  const byShared = new Map<string, Connection[]>();
  for (const c of conns.values()) {
    if (c.id === undefined || c.sharedId === undefined) continue;
    const k = `shared:${c.sharedId}:${c.side}`;
    byShared.set(k, [...(byShared.get(k) ?? []), c]);
  }
  for (const [key, c] of conns) {
    if (c.id !== undefined) continue;
    const owners = byShared.get(key);
    if (owners?.length !== 1) continue;
    const owner = owners[0]!;
    conns.set(owner.key, mergeConnection(owner, { ...c, key: owner.key }));
    conns.delete(key);
    alias.set(key, owner.key);
  }
  return alias;
}

/** The first success after `afterMs` among a connection's recent attempts, else its last success. */
function recoveredAt(c: Connection, afterMs: number): number | undefined {
  for (const r of c.recent) {
    const t = ms(r.at);
    if (t !== undefined && t > afterMs && succeeded(r.outcome)) return t;
  }
  return ms(c.lastSuccess);
}

/**
 * Judges the connections at `now` and links them with the diagnoses: connection rules, each
 * diagnosis' state, and the peer on the other side of a Shared ID.
 */
export function finalizeReport(diagnoses: Diagnosis[], connections: readonly Connection[], options: FinalizeOptions): { diagnoses: Diagnosis[]; connections: Connection[] } {
  const conns = new Map<string, Connection>();
  for (const c of connections) {
    const prev = conns.get(c.key);
    conns.set(c.key, prev ? mergeConnection(prev, c) : { ...c, recent: [...c.recent] });
  }
  const alias = foldSharedOnly(conns);
  for (const c of conns.values()) judge(c, options.nowMs, options.staleAfterMs);

  let all = diagnoses.map((d) => ({ ...d, connections: remap(d.connections, alias) }));
  if (options.pack) {
    // Connection diagnoses are judged anew from the connections as they are now.
    all = all.filter((d) => d.origin !== 'connection');
    all.push(...connectionDiagnoses([...conns.values()], options));
  }

  // Which diagnoses each connection has, and its peers.
  const byConn = new Map<string, Diagnosis[]>();
  for (const d of all) for (const ref of d.connections) byConn.set(ref.id, [...(byConn.get(ref.id) ?? []), d]);
  for (const d of all) setState(d, conns);
  const bySharedSide = new Map<string, Connection[]>();
  for (const c of conns.values()) {
    if (c.sharedId === undefined || c.side === 'unknown') continue;
    const k = `${c.sharedId}|${c.side}`;
    bySharedSide.set(k, [...(bySharedSide.get(k) ?? []), c]);
  }
  const peersOf = (c: Connection) => (c.sharedId === undefined || c.side === 'unknown' ? [] : (bySharedSide.get(`${c.sharedId}|${c.side === 'sending' ? 'receiving' : 'sending'}`) ?? []));
  for (const c of conns.values()) {
    const ds = byConn.get(c.key) ?? [];
    c.diagnoses = ds.map((d) => d.key).sort();
    // Judged for this connection: a group that another connection keeps active is not active here once this one recovered.
    c.activeDiagnoses = [...new Set(ds.filter((d) => activeOn(d, c.key, conns)).map((d) => d.ruleId))].sort();
    c.peers = peersOf(c)
      .map((p) => p.key)
      .sort();
  }
  for (const d of all) {
    const own = d.connections.map((r) => conns.get(r.id)).filter((c): c is Connection => c !== undefined);
    // A diagnosis known by Shared ID only (a log line without a connection id) looks for both sides.
    if (own.length === 0 && d.sharedIds.length > 0 && (d.side === 'sending' || d.side === 'receiving')) {
      for (const sid of d.sharedIds) own.push(...(bySharedSide.get(`${sid}|${d.side}`) ?? []), { ...blankConnection(`shared:${sid}:${d.side}`), sharedId: sid, side: d.side });
    }
    const peers = new Map<string, Connection>();
    for (const c of own) for (const p of peersOf(c)) peers.set(p.key, p);
    if (peers.size === 0) {
      delete d.peer;
      continue;
    }
    const list = [...peers.values()].sort((x, y) => (x.key < y.key ? -1 : 1));
    const peer: NonNullable<Diagnosis['peer']> = {
      connections: list.map((p) => {
        const ref: NonNullable<Diagnosis['peer']>['connections'][number] = { key: p.key, side: p.side, state: p.state };
        if (p.id !== undefined) ref.id = p.id;
        if (p.name !== undefined) ref.name = p.name;
        if (p.lastSuccess !== undefined) ref.lastSuccess = p.lastSuccess;
        return ref;
      }),
      diagnoses: [...new Set(list.flatMap((p) => p.activeDiagnoses))].sort(),
    };
    const previous = d.peer;
    d.peer = peer;
    const rule = options.pack?.rule(d.ruleId)?.rule;
    if (rule) applyPeerSection(d, rule.peer, list, options.redact);
    else if (previous?.note !== undefined) {
      // Without the pack (a merge by a library caller), the words a shard chose are kept.
      d.peer.note = previous.note;
      if (previous.remediation) d.peer.remediation = previous.remediation;
    }
  }
  if (options.pack) linkRelated(all, options.pack);
  const out = [...conns.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { diagnoses: all, connections: out };
}

/**
 * Links diagnoses a rule's `explains` connects: the cause and its consequence agree on every
 * parameter both rules group by (at least one). Without the pack (a merge by a library caller)
 * the links the shards made are kept.
 */
function linkRelated(all: Diagnosis[], pack: RulePack): void {
  for (const d of all) delete d.related;
  const byRule = new Map<string, Diagnosis[]>();
  for (const d of all) byRule.set(d.ruleId, [...(byRule.get(d.ruleId) ?? []), d]);
  for (const cause of all) {
    const rule = pack.rule(cause.ruleId)?.rule;
    if (!rule || rule.explains.length === 0) continue;
    for (const id of rule.explains) {
      const other = pack.rule(id)?.rule;
      if (!other) continue;
      const common = rule.groupBy.filter((k) => other.groupBy.includes(k));
      if (common.length === 0) continue;
      for (const effect of byRule.get(id) ?? []) {
        if (!common.every((k) => cause.params[k] !== undefined && String(cause.params[k]) === String(effect.params[k]))) continue;
        (effect.related ??= []).push({ relation: 'cause', ruleId: cause.ruleId, key: cause.key, summary: cause.summary });
        (cause.related ??= []).push({ relation: 'consequence', ruleId: effect.ruleId, key: effect.key, summary: effect.summary });
      }
    }
  }
}

function remap(refs: Diagnosis['connections'], alias: Map<string, string>): Diagnosis['connections'] {
  if (alias.size === 0) return refs;
  const out = new Map<string, Diagnosis['connections'][number]>();
  for (const r of refs) {
    const id = alias.get(r.id) ?? r.id;
    const prev = out.get(id);
    if (!prev) out.set(id, { ...r, id });
    else if (r.lastSeen !== undefined && (prev.lastSeen === undefined || r.lastSeen > prev.lastSeen)) prev.lastSeen = r.lastSeen;
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Whether a diagnosis is active on one of its connections: it is when it is active and that
 * connection has not synced successfully since its last occurrence there (a group spanning several
 * connections is judged per connection for each connection's own list).
 */
export function activeOn(d: Diagnosis, key: string, conns: ReadonlyMap<string, Connection>): boolean {
  if (d.state !== 'active') return false;
  if (d.origin === 'connection' || d.resolution === 'never') return true;
  const ref = d.connections.find((r) => r.id === key);
  if (ref === undefined) return true;
  const last = ms(ref.lastSeen ?? d.lastSeen);
  const success = ms(conns.get(key)?.lastSuccess);
  return last === undefined || success === undefined || success <= last;
}

/** Resolved when every connection it covers synced successfully after its last occurrence there. */
function setState(d: Diagnosis, conns: Map<string, Connection>): void {
  d.state = 'active';
  delete d.resolvedAt;
  if (d.origin === 'connection' || d.resolution === 'never' || d.connections.length === 0) return;
  let at = Number.NEGATIVE_INFINITY;
  for (const ref of d.connections) {
    const c = conns.get(ref.id);
    const last = ms(ref.lastSeen ?? d.lastSeen);
    const success = ms(c?.lastSuccess);
    if (c === undefined || last === undefined || success === undefined || success <= last) return;
    at = Math.max(at, recoveredAt(c, last) ?? success);
  }
  d.state = 'resolved';
  d.resolvedAt = toIso(at)!;
}

function applyPeerSection(d: Diagnosis, section: readonly { if: { state?: ConnectionState[] | undefined; diagnoses?: string[] | undefined }; note: string; skip: number[]; steps: string[] }[], peers: Connection[], redact: Redactor): void {
  for (const entry of section) {
    const hit = peers.find((p) => (entry.if.state === undefined || entry.if.state.includes(p.state)) && (entry.if.diagnoses === undefined || entry.if.diagnoses.some((id) => p.activeDiagnoses.includes(id))));
    if (!hit) continue;
    const values: Record<string, ParamValue | undefined> = {
      ...d.params,
      sharedId: hit.sharedId,
      peerName: hit.name ?? hit.id ?? hit.key,
      peerId: hit.id ?? hit.key,
      peerSide: hit.side,
      peerState: hit.state,
      peerLastSuccess: hit.lastSuccess ?? '(never)',
      peerDiagnoses: hit.activeDiagnoses.length ? hit.activeDiagnoses.join(', ') : '(none)',
    };
    d.peer!.note = redact(fillTemplate(entry.note, values));
    if (entry.skip.length > 0 || entry.steps.length > 0) {
      d.peer!.remediation = [...entry.steps.map((s) => redact(fillTemplate(s, values))), ...d.remediation.filter((_, i) => !entry.skip.includes(i + 1))];
    }
    return;
  }
}

/** Runs the pack's connection rules (sync-stale) over the judged connections. */
function connectionDiagnoses(conns: Connection[], options: FinalizeOptions): Diagnosis[] {
  const pack = options.pack!;
  if (!pack.reads('connection')) return [];
  const agg = new Aggregator(options.redact, options.evidenceLimit, 0);
  for (const c of conns) {
    const hist = freshAt(c);
    const lastMs = hist ?? ms(c.newestEvent?.at);
    const ageMs = lastMs === undefined ? undefined : options.nowMs - lastMs;
    const lastEventAt = toIso(lastMs);
    const lastStatus = c.newestEvent?.outcome;
    const facts: Facts = {
      kind: 'connection',
      message: '',
      connectionId: c.id ?? c.key,
      connectionName: c.name ?? c.id ?? c.key,
      side: c.side === 'unknown' ? undefined : c.side,
      sharedId: c.sharedId,
      lastEventAt,
      lastStatus,
      // Staleness is judged from sync histories only.
      ageMs: hist === undefined ? undefined : ageMs,
      staleAfterMs: options.staleAfterMs,
      events: c.attempts,
      failures: c.failures,
      state: c.state,
      consecutiveFailures: c.consecutiveFailures,
      flapping: c.flapping,
      fromHistory: hist !== undefined,
      params: {},
    };
    for (const m of pack.match('connection', '', facts)) {
      agg.add(
        m,
        c.side === 'unknown' ? undefined : c.side,
        lastMs,
        {
          connectionKey: c.key,
          connectionId: c.id ?? c.key,
          connectionName: c.name ?? c.id ?? c.key,
          sharedId: c.sharedId,
          status: lastStatus,
          lastEventAt,
          age: formatDuration(ageMs ?? 0),
          staleAfter: formatDuration(options.staleAfterMs),
        },
        {
          source: 'connection',
          ...(c.newestEvent?.file !== undefined ? { file: c.newestEvent.file } : {}),
          ...(c.newestEvent?.line !== undefined ? { line: c.newestEvent.line } : {}),
          ...(lastEventAt ? { time: lastEventAt } : {}),
          connectionId: c.id ?? c.key,
        },
        '',
        0,
        `newest sync event${c.newestEvent?.eventId ? ' ' + c.newestEvent.eventId : ''} at ${lastEventAt ?? '(unknown)'} (${lastStatus ?? 'unknown'}), ${formatDuration(ageMs ?? 0)} before ${toIso(options.nowMs)}`,
        'connection',
      );
    }
  }
  return agg.diagnoses();
}
