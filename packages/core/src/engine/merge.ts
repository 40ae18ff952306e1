/**
 * Merging reports: two reports of two shards merge into the report of the whole. Counts add,
 * first/last seen widen, evidence and samples stay bounded.
 */
import { ScsDoctorError } from '../errors.js';
import { createRedactor, type Redactor } from '../redact.js';
import type { RulePack } from '../rules/compile.js';
import { SCHEMA_VERSION } from '../schema/version.js';
import type { Connection, Diagnosis, Evidence, InputStats, Report, Stats, Unmatched, UnmatchedRest } from '../schema/report.js';
import { nowOption, parseTime, toIso } from '../time.js';
import { cutUnmatched, MAX_CONNECTIONS_PER_DIAGNOSIS } from './aggregator.js';

/** Inputs listed in `stats.inputs`; further ones are counted in `stats.inputsOmitted` and in the totals. */
export const MAX_INPUTS_LISTED = 1000;
import { finalizeReport } from './connections.js';

export const SEVERITY_ORDER = { critical: 0, error: 1, warning: 2, info: 3 } as const;

export interface MergeLimits {
  evidence?: number;
  unmatched?: number;
  problems?: number;
  /**
   * The rule pack the reports were made with: connection diagnoses (sync-stale) and the peer
   * notes are judged anew from the merged connections. Without it they are kept as the shards had them.
   */
  pack?: RulePack | undefined;
  /** The time to judge connections at (default: the latest `judged.now` of the reports). */
  now?: string | number | Date | undefined;
  staleAfterMs?: number | undefined;
  redact?: Redactor | undefined;
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
  const conns = new Map<string, Diagnosis['connections'][number]>();
  // A connection cut from the merged list had at least one occurrence: counted as one.
  let connectionsOmitted = a.connectionsOmitted + b.connectionsOmitted;
  for (const c of [...a.connections, ...b.connections]) {
    const prev = conns.get(c.id);
    if (!prev) {
      if (conns.size < MAX_CONNECTIONS_PER_DIAGNOSIS) conns.set(c.id, { ...c });
      else connectionsOmitted++;
      continue;
    }
    // Rebuilt in the report's key order (id, name, lastSeen), whichever part knew the name.
    const name = prev.name ?? c.name;
    const lastSeen = c.lastSeen !== undefined && (prev.lastSeen === undefined || c.lastSeen > prev.lastSeen) ? c.lastSeen : prev.lastSeen;
    conns.set(c.id, { id: c.id, ...(name !== undefined ? { name } : {}), ...(lastSeen !== undefined ? { lastSeen } : {}) });
  }
  const shared = [...new Set([...a.sharedIds, ...b.sharedIds])].sort();
  const firstSeen = minTime(a.firstSeen, b.firstSeen);
  const lastSeen = maxTime(a.lastSeen, b.lastSeen);
  return {
    ...first,
    count: a.count + b.count,
    ...(firstSeen !== undefined ? { firstSeen } : {}),
    ...(lastSeen !== undefined ? { lastSeen } : {}),
    connections: [...conns.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    connectionsOmitted,
    sharedIds: shared.slice(0, MAX_CONNECTIONS_PER_DIAGNOSIS),
    sharedIdsOmitted: a.sharedIdsOmitted + b.sharedIdsOmitted + Math.max(0, shared.length - MAX_CONNECTIONS_PER_DIAGNOSIS),
    evidence: boundEvidence([...a.evidence, ...b.evidence], limit),
  };
}

export function sortDiagnoses(list: Diagnosis[]): Diagnosis[] {
  return list.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function mergeUnmatched(a: Unmatched, b: Unmatched): Unmatched {
  const firstSeen = minTime(a.firstSeen, b.firstSeen);
  const lastSeen = maxTime(a.lastSeen, b.lastSeen);
  const sample = evidenceOrder(a.sample, b.sample) <= 0 ? a.sample : b.sample;
  return { ...a, count: a.count + b.count, sample, ...(firstSeen ? { firstSeen } : {}), ...(lastSeen ? { lastSeen } : {}) };
}

function mergeRest(a: UnmatchedRest, b: UnmatchedRest): UnmatchedRest {
  const firstSeen = minTime(a.firstSeen, b.firstSeen);
  const lastSeen = maxTime(a.lastSeen, b.lastSeen);
  const sample = a.sample ?? b.sample;
  return { ...a, count: a.count + b.count, ...(firstSeen ? { firstSeen } : {}), ...(lastSeen ? { lastSeen } : {}), ...(sample ? { sample } : {}) };
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
    ...((a.error ?? b.error) ? { error: (a.error ?? b.error)! } : {}),
  };
}

export function emptyStats(): Stats {
  return {
    inputs: [],
    inputsOmitted: 0,
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
  let inputsOmitted = a.inputsOmitted + b.inputsOmitted;
  for (const i of [...a.inputs, ...b.inputs]) {
    const prev = inputs.get(i.name);
    if (prev) inputs.set(i.name, mergeInput(prev, i));
    else if (inputs.size < MAX_INPUTS_LISTED) inputs.set(i.name, i);
    // Its lines are in the totals below, which add the reports' totals.
    else inputsOmitted++;
  }
  return {
    inputs: [...inputs.values()],
    inputsOmitted,
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
  const errors = new Map<string, Unmatched>();
  const warnings = new Map<string, Unmatched>();
  const rest = new Map<string, UnmatchedRest>();
  const overflow = { templates: 0, records: 0 };
  const connections: Connection[] = [];
  let stats = emptyStats();
  let nowMs: number | undefined;
  let staleAfterMs: number | undefined;
  for (const r of reports) {
    if (r.schemaVersion !== SCHEMA_VERSION) {
      throw new ScsDoctorError('REPORT_INVALID', `report schemaVersion ${String(r.schemaVersion)} is not ${String(SCHEMA_VERSION)}`);
    }
    const t = parseTime(r.judged.now);
    if (t !== undefined && (nowMs === undefined || t > nowMs)) nowMs = t;
    staleAfterMs ??= r.judged.staleAfterMs;
    for (const d of r.diagnoses) {
      const prev = diagnoses.get(d.key);
      diagnoses.set(d.key, prev ? mergeDiagnosis(prev, d, evidence) : { ...d, evidence: boundEvidence(d.evidence, evidence) });
    }
    for (const [list, into] of [
      [r.unmatched, errors],
      [r.unmatchedWarnings, warnings],
    ] as const) {
      for (const u of list) {
        const prev = into.get(u.template);
        into.set(u.template, prev ? mergeUnmatched(prev, u) : u);
      }
    }
    let restTemplates = 0;
    let restRecords = 0;
    for (const u of r.unmatchedRest) {
      restTemplates++;
      restRecords += u.count;
      const prev = rest.get(u.template);
      rest.set(u.template, prev ? mergeRest(prev, u) : u);
    }
    // What a shard could not keep even counted (past its template cap) stays counted.
    overflow.templates += Math.max(0, r.unmatchedOmitted.templates - restTemplates);
    overflow.records += Math.max(0, r.unmatchedOmitted.records - restRecords);
    connections.push(...r.connections);
    stats = mergeStats(stats, r.stats, limits.problems ?? DEFAULT_LIMITS.problems);
  }
  // A template cut from one shard's list but listed in another's adds its counted records back.
  for (const [template, u] of rest) {
    const listed = u.level === 'warn' ? warnings.get(template) : errors.get(template);
    if (listed) {
      listed.count += u.count;
      rest.delete(template);
    } else if (u.sample) {
      // Cut from every shard's list but kept with a sample: it competes for the merged list as in one run
      // (a template below the cap in each part may be the most frequent overall).
      const { sample, ...counted } = u;
      (u.level === 'warn' ? warnings : errors).set(template, { ...counted, sample });
      rest.delete(template);
    }
  }
  if (limits.now !== undefined) nowMs = nowOption(limits.now);
  const judgedNow = nowMs ?? Date.now();
  const stale = limits.staleAfterMs ?? staleAfterMs ?? 6 * 3_600_000;
  const final = finalizeReport([...diagnoses.values()], connections, {
    nowMs: judgedNow,
    staleAfterMs: stale,
    pack: limits.pack,
    redact: limits.redact ?? createRedactor([]),
    evidenceLimit: evidence,
  });
  stats.connections = final.connections.length;
  return {
    schemaVersion: SCHEMA_VERSION,
    judged: { now: toIso(judgedNow)!, staleAfterMs: stale },
    connections: final.connections,
    diagnoses: sortDiagnoses(final.diagnoses),
    ...cutUnmatched([...errors.values()], [...warnings.values()], [...rest.values()], limits.unmatched ?? DEFAULT_LIMITS.unmatched, overflow),
    stats,
  };
}
