/**
 * What every human-readable report opens with: one line per connection (state, since when, the
 * peer, its active diagnoses), and the diagnoses split into active and resolved.
 */
import { INPUT_ERROR_CODES } from '../errors.js';
import type { Connection, Diagnosis, InputStats, Report } from '../schema/report.js';
import { activeOn } from '../engine/connections.js';

export interface OverviewLine {
  connection: Connection;
  /** The name and id as a person knows the connection: `Partner A (c-1)`, or the key. */
  label: string;
  /** `failing since …`, `healthy, last success …`, `stale, newest event …`, `unknown`. */
  status: string;
  /** The other side of the Shared ID: `c-9 (sending, healthy)`. */
  peers: string[];
  active: string[];
}

const ORDER: Record<Connection['state'], number> = { failing: 0, stale: 1, unknown: 2, healthy: 3 };

export function connectionLabel(c: Connection): string {
  const id = c.id ?? (c.sharedId !== undefined ? `Shared ID ${c.sharedId}` : c.key);
  return c.name !== undefined && c.name !== c.id ? `${c.name} (${id})` : id;
}

function status(c: Connection): string {
  switch (c.state) {
    case 'failing': {
      const streak = c.consecutiveFailures > 1 ? `, ${c.consecutiveFailures} failures in a row` : '';
      return `failing since ${c.failingSince ?? c.lastFailure ?? '?'}${streak}${c.flapping ? ', flapping' : ''}`;
    }
    case 'stale':
      return `stale: newest sync event ${c.lastHistoryAt ?? c.newestEvent?.at ?? '?'}`;
    case 'healthy':
      return `healthy, last success ${c.lastSuccess ?? '?'}${c.flapping ? ' (flapping)' : ''}`;
    default:
      return 'unknown: no sync outcome seen';
  }
}

/** The connection overview, worst first. */
export function overview(report: Report): OverviewLine[] {
  const byKey = new Map(report.connections.map((c) => [c.key, c]));
  return [...report.connections]
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((c) => ({
      connection: c,
      label: connectionLabel(c),
      status: status(c),
      peers: c.peers.map((k) => {
        const p = byKey.get(k);
        return p ? `${connectionLabel(p)} (${p.side}, ${p.state})` : k;
      }),
      active: c.activeDiagnoses,
    }));
}

/** Active diagnoses first, resolved ones apart. */
export function splitDiagnoses(report: Report): { active: Diagnosis[]; resolved: Diagnosis[] } {
  const active: Diagnosis[] = [];
  const resolved: Diagnosis[] = [];
  for (const d of report.diagnoses) (d.state === 'resolved' ? resolved : active).push(d);
  return { active, resolved };
}

/** The steps to show: the peer-aware ones when the other side's data changed them. */
export function stepsOf(d: Diagnosis): string[] {
  return d.peer?.remediation ?? d.remediation;
}

/** `2 failing, 1 healthy` */
export function stateCounts(report: Report): string {
  const n = new Map<string, number>();
  for (const c of report.connections) n.set(c.state, (n.get(c.state) ?? 0) + 1);
  return (['failing', 'stale', 'unknown', 'healthy'] as const)
    .filter((s) => n.has(s))
    .map((s) => `${n.get(s)} ${s}`)
    .join(', ');
}

/** `Partner A (c-1)` for a diagnosis' connection reference. */
export function refLabel(x: { id: string; name?: string | undefined }): string {
  return x.name !== undefined && x.name !== x.id ? `${x.name} (${x.id})` : x.id;
}

/** An ISO time as tables show it: `2026-05-12 09:00:02Z` (the full time stays in the details). */
export function shortTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
}

/** An input the report could not read, wholly or from some point on. */
export interface UnreadInput {
  input: string;
  code: string;
  message: string;
}

/** Problem codes that leave a report partial without naming an input. */
const PARTIAL_CODES: ReadonlySet<string> = new Set(['CONNECTIONS_OVER_LIMIT']);

/**
 * Why the report covers less than it was given: the inputs that could not be read (their own
 * `error`, or an input-level problem naming them) and other problems that leave it partial.
 * Every format puts this at its top, so that a partial report never looks whole.
 */
export function incompleteness(report: Report): { inputs: UnreadInput[]; other: { code: string; message: string }[] } {
  const inputs: UnreadInput[] = [];
  const named = new Set<string>();
  for (const i of report.stats.inputs) {
    if (!i.error) continue;
    inputs.push({ input: i.name, code: i.error.code, message: i.error.message });
    named.add(i.name);
  }
  const other: { code: string; message: string }[] = [];
  for (const p of report.stats.problems) {
    if (INPUT_ERROR_CODES.has(p.code)) {
      if (p.file !== undefined && named.has(p.file)) continue;
      inputs.push({ input: p.file ?? '(input)', code: p.code, message: p.message });
      if (p.file !== undefined) named.add(p.file);
    } else if (PARTIAL_CODES.has(p.code)) other.push({ code: p.code, message: p.message });
  }
  return { inputs, other };
}

/** The one-sentence warning above a partial report, or undefined when nothing was lost. */
export function incompleteHeadline(report: Report): string | undefined {
  const { inputs, other } = incompleteness(report);
  if (inputs.length === 0 && other.length === 0) return undefined;
  const what = inputs.length ? `${inputs.length} input${inputs.length === 1 ? '' : 's'} could not be read (wholly or in part)` : 'not everything in the inputs could be followed';
  return `Incomplete report: ${what}; what follows covers only what was read.`;
}

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

/** Diagnoses by severity, active and resolved apart; every severity listed. */
export function severityCounts(report: Report): { severity: Diagnosis['severity']; active: number; resolved: number }[] {
  const rows = SEVERITIES.map((severity) => ({ severity, active: 0, resolved: 0 }));
  for (const d of report.diagnoses) {
    const row = rows[SEVERITIES.indexOf(d.severity)]!;
    if (d.state === 'resolved') row.resolved++;
    else row.active++;
  }
  return rows;
}

/** `active: 1 critical, 2 error · resolved: 1 warning` (`active: none` when nothing is). */
export function severityLine(report: Report): string {
  const rows = severityCounts(report);
  const list = (k: 'active' | 'resolved') =>
    rows
      .filter((r) => r[k] > 0)
      .map((r) => `${r[k]} ${r.severity}`)
      .join(', ');
  const active = list('active');
  const resolved = list('resolved');
  return `active: ${active || 'none'}${resolved ? ` · resolved: ${resolved}` : ''}`;
}

/** The diagnoses as the summary table lists them: active ones by severity, then the resolved ones. */
export function summaryRows(report: Report): Diagnosis[] {
  const rank = (d: Diagnosis) => (d.state === 'resolved' ? 10 : 0) + SEVERITIES.indexOf(d.severity);
  return report.diagnoses
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i)
    .map((x) => x.d);
}

/** `since 2026-05-12 09:00:02Z` for an active diagnosis, `resolved 2026-05-12 09:20:03Z` for a resolved one. */
export function sinceText(d: Diagnosis): string {
  if (d.state === 'resolved') return `resolved ${shortTime(d.resolvedAt) || '?'}`;
  return d.firstSeen !== undefined ? `since ${shortTime(d.firstSeen)}` : '';
}

/** What the other side of a diagnosis' Shared ID shows: `Partner (r-1), receiving, healthy, last success …`. */
export function peerLines(d: Diagnosis): string[] {
  if (!d.peer) return [];
  return d.peer.connections.map((p) => {
    const label = p.id !== undefined ? refLabel({ id: p.id, name: p.name }) : p.key;
    return `${label}, ${p.side}, ${p.state}${p.lastSuccess ? `, last success ${shortTime(p.lastSuccess)}` : ''}`;
  });
}

/** How many inputs the overview lists by name; the rest are counted (unread ones are always named, at the top). */
export const INPUTS_LISTED = 25;

/** One input as the overview shows it: `22 lines (python)`, or what went wrong. */
export function inputText(i: InputStats): string {
  const lines = `${i.linesRead.toLocaleString('en-US')} line${i.linesRead === 1 ? '' : 's'}`;
  const formats = Object.keys(i.formats);
  return `${lines}${formats.length ? ` (${formats.join(', ')})` : ''}${i.error ? `; ${i.error.code}` : ''}`;
}

/** `1 line`, `2,048 lines`: a count with its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What a diagnosis' capped connection or Shared ID list left out (` … and N more occurrences …`), or '' when nothing. */
export function omittedText(n: number, what: 'connections' | 'sharedIds'): string {
  return n ? ` … and ${plural(n, 'more occurrence')} ${what === 'connections' ? 'on other connections' : 'with other Shared IDs'}` : '';
}

/**
 * The connections of a diagnosis as the card lists them: `Partner (c-1)`, and `(recovered)` after
 * one that synced successfully since its last occurrence while another connection keeps it active.
 */
export function diagnosisConnections(report: Report, d: Diagnosis): string[] {
  const conns = connectionsByKey(report);
  return d.connections.map((c) => `${refLabel(c)}${d.state === 'active' && !activeOn(d, c.id, conns) ? ' (recovered)' : ''}`);
}

/** The report's connections by key, built once per report (every card and summary row asks). */
const byKey = new WeakMap<Report, Map<string, Connection>>();
function connectionsByKey(report: Report): Map<string, Connection> {
  let m = byKey.get(report);
  if (!m) byKey.set(report, (m = new Map(report.connections.map((c) => [c.key, c]))));
  return m;
}
