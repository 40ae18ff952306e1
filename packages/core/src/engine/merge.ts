/**
 * Merging reports: two reports of two shards merge into the report of the whole. Counts add,
 * first/last seen widen, evidence and samples stay bounded.
 */
import { ScsDoctorError } from '../errors.js';
import { ReportSchema, SCHEMA_VERSION, type Diagnosis, type Evidence, type InputStats, type Report, type Stats, type Unmatched } from '../schema/report.js';

export const SEVERITY_ORDER = { critical: 0, error: 1, warning: 2, info: 3 } as const;

export interface MergeLimits {
  evidence?: number;
  unmatched?: number;
  problems?: number;
}

export const DEFAULT_LIMITS = { evidence: 5, unmatched: 20, problems: 50 } as const;

function minTime(a: string | undefined, b: string | undefined) {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
function maxTime(a: string | undefined, b: string | undefined) {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/** Earliest first: by time, then file, then line. */
export function evidenceOrder(a: Evidence, b: Evidence): number {
  const ta = a.time ?? '\uffff';
  const tb = b.time ?? '\uffff';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const fa = a.file ?? '';
  const fb = b.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0);
}

/** Keeps a bounded, deterministic evidence sample: the earliest occurrences. */
export function boundEvidence(list: Evidence[], limit: number): Evidence[] {
  return [...list].sort(evidenceOrder).slice(0, limit);
}

export function mergeDiagnosis(a: Diagnosis, b: Diagnosis, limit: number = DEFAULT_LIMITS.evidence): Diagnosis {
  const first = minTime(a.firstSeen, b.firstSeen) === b.firstSeen && b.firstSeen !== a.firstSeen ? b : a;
  const conns = new Map<string, { id: string; name?: string | undefined }>();
  for (const c of [...a.connections, ...b.connections]) {
    const prev = conns.get(c.id);
    conns.set(c.id, { id: c.id, name: prev?.name ?? c.name });
  }
  const firstSeen = minTime(a.firstSeen, b.firstSeen);
  const lastSeen = maxTime(a.lastSeen, b.lastSeen);
  return {
    ...first,
    count: a.count + b.count,
    ...(firstSeen !== undefined ? { firstSeen } : {}),
    ...(lastSeen !== undefined ? { lastSeen } : {}),
    connections: [...conns.values()].map((c) => (c.name === undefined ? { id: c.id } : { id: c.id, name: c.name })).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    sharedIds: [...new Set([...a.sharedIds, ...b.sharedIds])].sort(),
    evidence: boundEvidence([...a.evidence, ...b.evidence], limit),
  };
}

export function sortDiagnoses(list: Diagnosis[]): Diagnosis[] {
  return list.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function mergeUnmatched(a: Unmatched, b: Unmatched): Unmatched {
  const firstSeen = minTime(a.firstSeen, b.firstSeen);
  const lastSeen = maxTime(a.lastSeen, b.lastSeen);
  const sample = evidenceOrder(a.sample, b.sample) <= 0 ? a.sample : b.sample;
  return { ...a, count: a.count + b.count, sample, ...(firstSeen ? { firstSeen } : {}), ...(lastSeen ? { lastSeen } : {}) };
}

export function sortUnmatched(list: Unmatched[], limit: number): Unmatched[] {
  return list.sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0)).slice(0, limit);
}

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function mergeInput(a: InputStats, b: InputStats): InputStats {
  return {
    ...a,
    bytesRead: a.bytesRead + b.bytesRead,
    linesRead: a.linesRead + b.linesRead,
    linesMatched: a.linesMatched + b.linesMatched,
    linesUnmatched: a.linesUnmatched + b.linesUnmatched,
    linesSkipped: a.linesSkipped + b.linesSkipped,
    skipped: addCounts(a.skipped, b.skipped),
    records: a.records + b.records,
    formats: addCounts(a.formats, b.formats),
    truncatedLines: a.truncatedLines + b.truncatedLines,
    ...(a.error ?? b.error ? { error: (a.error ?? b.error)! } : {}),
  };
}

export function emptyStats(): Stats {
  return {
    inputs: [],
    linesRead: 0,
    linesMatched: 0,
    linesUnmatched: 0,
    linesSkipped: 0,
    skipped: {},
    bytesRead: 0,
    records: 0,
    recordsMatched: 0,
    truncatedLines: 0,
    events: { read: 0, valid: 0, invalid: 0, matched: 0 },
    probes: 0,
    connections: 0,
    problems: [],
    problemsTotal: 0,
  };
}

export function mergeStats(a: Stats, b: Stats, problemLimit: number = DEFAULT_LIMITS.problems): Stats {
  const inputs = new Map<string, InputStats>();
  for (const i of [...a.inputs, ...b.inputs]) {
    const prev = inputs.get(i.name);
    inputs.set(i.name, prev ? mergeInput(prev, i) : i);
  }
  return {
    inputs: [...inputs.values()],
    linesRead: a.linesRead + b.linesRead,
    linesMatched: a.linesMatched + b.linesMatched,
    linesUnmatched: a.linesUnmatched + b.linesUnmatched,
    linesSkipped: a.linesSkipped + b.linesSkipped,
    skipped: addCounts(a.skipped, b.skipped),
    bytesRead: a.bytesRead + b.bytesRead,
    records: a.records + b.records,
    recordsMatched: a.recordsMatched + b.recordsMatched,
    truncatedLines: a.truncatedLines + b.truncatedLines,
    events: {
      read: a.events.read + b.events.read,
      valid: a.events.valid + b.events.valid,
      invalid: a.events.invalid + b.events.invalid,
      matched: a.events.matched + b.events.matched,
    },
    probes: a.probes + b.probes,
    connections: a.connections + b.connections,
    problems: [...a.problems, ...b.problems].slice(0, problemLimit),
    problemsTotal: a.problemsTotal + b.problemsTotal,
  };
}

/**
 * Merges reports of shards (per node, per file, per worker) into the report of the whole.
 * @example const whole = mergeReports([reportOfPodA, reportOfPodB]);
 */
export function mergeReports(reports: readonly Report[], limits: MergeLimits = {}): Report {
  const evidence = limits.evidence ?? DEFAULT_LIMITS.evidence;
  const diagnoses = new Map<string, Diagnosis>();
  const unmatched = new Map<string, Unmatched>();
  let stats = emptyStats();
  for (const r of reports) {
    if (r.schemaVersion !== SCHEMA_VERSION) {
      throw new ScsDoctorError('REPORT_INVALID', `report schemaVersion ${String(r.schemaVersion)} is not ${SCHEMA_VERSION}`);
    }
    for (const d of r.diagnoses) {
      const prev = diagnoses.get(d.key);
      diagnoses.set(d.key, prev ? mergeDiagnosis(prev, d, evidence) : { ...d, evidence: boundEvidence(d.evidence, evidence) });
    }
    for (const u of r.unmatched) {
      const prev = unmatched.get(u.template);
      unmatched.set(u.template, prev ? mergeUnmatched(prev, u) : u);
    }
    stats = mergeStats(stats, r.stats, limits.problems ?? DEFAULT_LIMITS.problems);
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    diagnoses: sortDiagnoses([...diagnoses.values()]),
    unmatched: sortUnmatched([...unmatched.values()], limits.unmatched ?? DEFAULT_LIMITS.unmatched),
    stats,
  };
}

/** Validates a report read from JSON (for merge); throws REPORT_INVALID with the first problem. */
export function parseReport(data: unknown, file?: string): Report {
  const r = ReportSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ScsDoctorError('REPORT_INVALID', `not an scs-doctor report: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { file });
  }
  return r.data;
}
