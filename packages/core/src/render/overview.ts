/**
 * What every human-readable report opens with: one line per connection (state, since when, the
 * peer, its active diagnoses), and the diagnoses split into active and resolved.
 */
import { activeOn } from '../engine/connections.js';
import type { Connection, Diagnosis, Report } from '../schema/report.js';

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

/**
 * The connections of a diagnosis as the card lists them: `Partner (c-1)`, and `(recovered)` after
 * one that synced successfully since its last occurrence while another connection keeps it active.
 */
export function diagnosisConnections(report: Report, d: Diagnosis): string[] {
  const conns = new Map(report.connections.map((c) => [c.key, c]));
  return d.connections.map((c) => `${c.name ? `${c.name} (${c.id})` : c.id}${d.state === 'active' && !activeOn(d, c.id, conns) ? ' (recovered)' : ''}`);
}
