/**
 * Reports that leave the organisation: connection ids, connection names and Shared IDs are what
 * an administrator acts on, so reports show them; `hideIds` replaces each with a stable
 * placeholder (`connection-1`, `name-1`, `shared-id-1`), the same one wherever the value appears
 * (fields, keys of connections and diagnoses, excerpts, parameters, messages), so the report
 * still tells connections apart and links a diagnosis to its connection.
 */
import type { Report } from '../schema/report.js';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The report with connection ids, names and Shared IDs replaced by placeholders.
 *
 * @example
 * ```ts
 * const shareable = hideIds(report); // for a report that leaves the organisation
 * ```
 */
export function hideIds(report: Report): Report {
  const ids = new Set<string>();
  const names = new Set<string>();
  const shared = new Set<string>();
  const add = (set: Set<string>, v: string | undefined) => {
    if (v !== undefined && v.trim() !== '') set.add(v);
  };
  for (const c of report.connections) {
    add(ids, c.id);
    add(names, c.name);
    add(shared, c.sharedId);
  }
  for (const d of report.diagnoses) {
    for (const c of d.connections) {
      add(ids, c.id);
      add(names, c.name);
    }
    for (const s of d.sharedIds) add(shared, s);
    for (const e of d.evidence) add(ids, e.connectionId);
    for (const p of d.peer?.connections ?? []) {
      add(ids, p.id);
      add(names, p.name);
    }
  }
  const map = new Map<string, string>();
  const assign = (set: Set<string>, label: string) => [...set].sort().forEach((v, i) => map.has(v) || map.set(v, `${label}-${i + 1}`));
  assign(shared, 'shared-id');
  assign(ids, 'connection');
  assign(names, 'name');
  if (map.size === 0) return report;
  // Longest first, so that a value that holds another is replaced whole.
  const alts = [...map.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escapeRegex);
  const re = new RegExp(`(?<![\\w-])(?:${alts.join('|')})(?![\\w-])`, 'g');
  const swap = (s: string) => s.replace(re, (m) => map.get(m) ?? m);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return swap(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: walk(x), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return walk(report) as Report;
}
