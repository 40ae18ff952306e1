/**
 * The layout of the HTML report's timelines: one per connection, its recent sync attempts as
 * marks and its diagnoses as bands from onset to recovery, each at a position in percent of the
 * track. Layout only, no markup: html.ts draws it, tests read it.
 */
import { parseTime } from '../time.js';
import type { Attempt, Connection, Diagnosis, Report } from '../schema/report.js';
import { overview } from './overview.js';

export interface AttemptMark {
  attempt: Attempt;
  /** Position on the track, 0–100. */
  x: number;
}

export interface DiagnosisBand {
  diagnosis: Diagnosis;
  /** Its onset on this connection. */
  onset: string;
  /** Onset, 0–100. */
  x0: number;
  /** Where the band ends: recovery, or the track's end while it is still active. */
  x1: number;
  /** The last occurrence on this connection. */
  lastSeen?: string | undefined;
  xLast?: number | undefined;
  /** When this connection recovered from it: its first success after the last occurrence (a rule that a success resolves), or the diagnosis' resolvedAt. */
  recoveredAt?: string | undefined;
  /** Still going on at the end of the track. */
  open: boolean;
}

export interface Tick {
  x: number;
  label: string;
}

export interface Timeline {
  /** The connection, or undefined for the lane of diagnoses tied to no connection. */
  connection?: Connection | undefined;
  label: string;
  status: string;
  peers: string[];
  from: string;
  to: string;
  marks: AttemptMark[];
  bands: DiagnosisBand[];
  ticks: Tick[];
  /** `now` (the time judged at) when it is on the track: a stale connection's gap up to it. */
  now?: number | undefined;
  /** Attempts older than the recent ones the report keeps. */
  earlier: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [SECOND, 5 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 30 * DAY, 365 * DAY];
const MAX_TICKS = 6;

/**
 * The connections' timelines, worst first (at most `limit`), and one for the diagnoses with a time
 * but no connection.
 */
export function timelines(report: Report, limit = Infinity): Timeline[] {
  const byKey = new Map(report.diagnoses.map((d) => [d.key, d]));
  const nowMs = parseTime(report.judged.now);
  const out: Timeline[] = [];
  const placed = new Set<string>();
  for (const o of overview(report)) {
    const c = o.connection;
    if (out.length >= limit) {
      for (const k of c.diagnoses) placed.add(k);
      continue;
    }
    const diagnoses = c.diagnoses.map((k) => byKey.get(k)).filter((d): d is Diagnosis => d !== undefined);
    for (const d of diagnoses) placed.add(d.key);
    const t = layout(c, diagnoses, c.state === 'stale' ? nowMs : undefined);
    if (t) out.push({ ...t, connection: c, label: o.label, status: o.status, peers: o.peers, earlier: Math.max(0, c.attempts - c.recent.length) });
  }
  const loose = report.diagnoses.filter((d) => !placed.has(d.key) && d.firstSeen !== undefined);
  if (loose.length) {
    const t = layout(undefined, loose, undefined);
    if (t) out.push({ ...t, label: 'Not tied to a connection', status: 'deployment checks and log lines that name no connection', peers: [], earlier: 0 });
  }
  return out;
}

type Layout = Pick<Timeline, 'from' | 'to' | 'marks' | 'bands' | 'ticks' | 'now'>;

function layout(c: Connection | undefined, diagnoses: Diagnosis[], nowMs: number | undefined): Layout | undefined {
  const attempts = (c?.recent ?? []).map((a) => ({ a, ms: parseTime(a.at) }));
  const times: number[] = [];
  for (const { ms } of attempts) if (ms !== undefined) times.push(ms);
  for (const d of diagnoses) {
    for (const t of [onsetOn(d, c), lastSeenOn(d, c), d.state === 'resolved' ? d.resolvedAt : undefined]) {
      const ms = parseTime(t);
      if (ms !== undefined) times.push(ms);
    }
  }
  if (nowMs !== undefined) times.push(nowMs);
  if (times.length === 0) return undefined;
  let lo = Math.min(...times);
  let hi = Math.max(...times);
  // A margin on both sides, so that marks at the ends are drawn whole; one instant is centred.
  const pad = hi > lo ? (hi - lo) * 0.04 : MINUTE;
  lo -= pad;
  hi += pad;
  const x = (ms: number) => Math.round(((ms - lo) / (hi - lo)) * 10_000) / 100;
  const marks = attempts.flatMap(({ a, ms }) => (ms === undefined ? [] : [{ attempt: a, x: x(ms) }]));
  const bands: DiagnosisBand[] = [];
  for (const d of diagnoses) {
    const onset = onsetOn(d, c);
    const first = parseTime(onset);
    if (first === undefined) continue;
    const lastSeen = lastSeenOn(d, c);
    const lastMs = parseTime(lastSeen);
    const recoveredAt = recovery(d, c, lastMs);
    const recMs = parseTime(recoveredAt);
    bands.push({
      diagnosis: d,
      onset: onset!,
      x0: x(first),
      x1: recMs !== undefined ? Math.max(x(recMs), x(first)) : 100,
      lastSeen,
      xLast: lastMs !== undefined ? x(lastMs) : undefined,
      recoveredAt,
      open: recMs === undefined,
    });
  }
  return { from: new Date(lo + pad).toISOString(), to: new Date(hi - pad).toISOString(), marks, bands, ticks: ticks(lo, hi, x), now: nowMs !== undefined ? x(nowMs) : undefined };
}

/**
 * The diagnosis' onset on this connection: its first seen, or, when it covers several connections
 * (first seen may be another's), this connection's first failed or warning attempt from then on
 * up to its last occurrence here.
 */
function onsetOn(d: Diagnosis, c: Connection | undefined): string | undefined {
  if (!c || d.connections.length < 2) return d.firstSeen;
  const from = parseTime(d.firstSeen) ?? -Infinity;
  const to = parseTime(lastSeenOn(d, c)) ?? Infinity;
  const hit = c.recent.find((a) => {
    const ms = parseTime(a.at);
    return (a.outcome === 'failure' || a.outcome === 'warning') && ms !== undefined && ms >= from && ms <= to;
  });
  return hit?.at ?? d.firstSeen;
}

/** The diagnosis' last occurrence on this connection (resolution is judged per connection). */
function lastSeenOn(d: Diagnosis, c: Connection | undefined): string | undefined {
  const ref = c?.id !== undefined ? d.connections.find((r) => r.id === c.id) : undefined;
  return ref?.lastSeen ?? d.lastSeen;
}

/**
 * When this connection recovered: its first successful attempt after the last occurrence, for a
 * rule that a success resolves; else the diagnosis' own resolvedAt when it is resolved.
 */
function recovery(d: Diagnosis, c: Connection | undefined, lastMs: number | undefined): string | undefined {
  if (c && d.resolution === 'success' && lastMs !== undefined) {
    const ok = c.recent.find((a) => a.outcome === 'success' && (parseTime(a.at) ?? -Infinity) > lastMs);
    if (ok) return ok.at;
  }
  return d.state === 'resolved' ? d.resolvedAt : undefined;
}

/** Tick marks at round UTC times, at most MAX_TICKS; the date is written on the first and where it changes. */
function ticks(lo: number, hi: number, x: (ms: number) => number): Tick[] {
  const step = STEPS.find((s) => (hi - lo) / s <= MAX_TICKS) ?? STEPS[STEPS.length - 1]!;
  const out: Tick[] = [];
  let lastDay = '';
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
    const iso = new Date(t).toISOString();
    const day = iso.slice(0, 10);
    const clock = step >= DAY ? '' : step < MINUTE ? iso.slice(11, 19) : iso.slice(11, 16);
    out.push({ x: x(t), label: day !== lastDay ? `${day.slice(5)}${clock ? ' ' + clock : ''}` : clock });
    lastDay = day;
  }
  return out;
}
