/** What must not change when the same failures are written in another format. */
import type { Diagnosis, InputStats, Report } from '@scs-doctor/core/internal';

export interface DiagnosisSummary {
  ruleId: string;
  side: string;
  count: number;
  params: Record<string, unknown>;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  connections: string[];
  sharedIds: string[];
  /** Each occurrence's time and connection (the session must be given an evidence limit above the counts). */
  occurrences: string[];
}

export function summarize(d: Diagnosis): DiagnosisSummary {
  return {
    ruleId: d.ruleId,
    side: d.side,
    count: d.count,
    params: d.params,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    connections: d.connections.map((c) => c.id),
    sharedIds: d.sharedIds,
    occurrences: d.evidence.map((e) => `${e.time ?? '-'} ${e.connectionId ?? '-'}`).sort(),
  };
}

export function summaries(report: Report): DiagnosisSummary[] {
  return report.diagnoses.map(summarize).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Occurrences per rule id. */
export function countsByRule(report: Report): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of report.diagnoses) out[d.ruleId] = (out[d.ruleId] ?? 0) + d.count;
  return out;
}

/** Every input's lines add up: read = matched + unmatched + skipped. */
export function unbalanced(report: Report): { name: string; read: number; parts: number }[] {
  return report.stats.inputs.map((i: InputStats) => ({ name: i.name, read: i.linesRead, parts: i.linesMatched + i.linesUnmatched + i.linesSkipped })).filter((x) => x.read !== x.parts);
}
