/**
 * The aggregator: occurrences of rules become diagnoses (one per rule, side and groupBy values),
 * and records no rule explains become the unmatched lists. Evidence is kept bounded, and only the
 * evidence that is kept is cut and redacted.
 */
import type { Redactor } from '../redact.js';
import type { RuleMatch } from '../rules/compile.js';
import type { Side } from '../schema/records.js';
import type { Diagnosis, Evidence, ParamValue, Unmatched, UnmatchedRest } from '../schema/report.js';
import { toIso } from '../time.js';
import { evidenceOrder, sortDiagnoses } from './merge.js';
import { excerptAt, messageTemplate } from './normalize.js';
import { fillTemplate } from './template.js';

/** Distinct groups one rule may open; further occurrences are counted in one overflow group. */
export const MAX_GROUPS_PER_RULE = 1000;
/** Distinct unmatched templates tracked; records of further templates are counted only. */
export const MAX_TEMPLATES = 2000;
/** Connections and Shared IDs named per diagnosis; occurrences on further ones are counted in `connectionsOmitted`/`sharedIdsOmitted`. */
export const MAX_CONNECTIONS_PER_DIAGNOSIS = 200;
/** Longest excerpt (evidence, unmatched sample), as `excerptAt` cuts it. */
const EXCERPT_CHARS = 300;
/** Characters either side of a match that are redacted together before an excerpt is cut from them. */
const REDACT_AROUND = 16_384;

/** Evidence not cut yet: the record's text and where the match is. */
interface Pending {
  ev: Omit<Evidence, 'excerpt'>;
  text: string;
  offset: number;
  /** A ready excerpt (probes and connections write their own), still to be redacted. */
  excerpt: string | undefined;
}

interface Group {
  diagnosis: Diagnosis;
  /** Per connection: its name and the last occurrence there (epoch ms, or -Infinity when not timed). */
  conns: Map<string, { name: string | undefined; lastMs: number }>;
  shared: Set<string>;
  /** Occurrences on connections and Shared IDs past the lists' limit: counted, never held. */
  connectionsOmitted: number;
  sharedIdsOmitted: number;
  evidence: Pending[];
  firstMs: number | undefined;
  lastMs: number | undefined;
}

/** What an occurrence is known by beside its parameters (connection, status, level…). */
export type Context = Record<string, ParamValue | undefined>;

function pendingOrder(a: Pending, b: Pending): number {
  return evidenceOrder(a.ev as Evidence, b.ev as Evidence);
}

/**
 * The excerpt of a record at a match, redacted before it is cut: a cut can part a secret from
 * what marks it as one (`Authorization: Bearer`, `scheme://user:`, a JWT's first segment), and
 * the part left over would no longer be recognised.
 */
export function redactedExcerpt(redact: Redactor, text: string, offset: number): { excerpt: string; lineDelta: number } {
  const { excerpt: line, lineDelta } = excerptAt(text, offset, Number.POSITIVE_INFINITY);
  if (line.length <= EXCERPT_CHARS) return { excerpt: redact(line), lineDelta };
  const rel = offset - (text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1);
  // Far from the match nothing is shown: a line of a megabyte is redacted only around it.
  const from = Math.max(0, rel - REDACT_AROUND);
  const to = Math.min(line.length, rel + REDACT_AROUND);
  const around = line.slice(from, to);
  const redacted = redact(around);
  let cut = redacted;
  if (redacted.length > EXCERPT_CHARS) cut = excerptAt(redacted, Math.min(redact(around.slice(0, rel - from)).length, redacted.length), EXCERPT_CHARS).excerpt;
  const excerpt = `${from > 0 && !cut.startsWith('…') ? '…' : ''}${cut}${to < line.length && !cut.endsWith('…') ? '…' : ''}`;
  return { excerpt, lineDelta };
}

/** A sample with its excerpt, its fields in the order the sample has them (no spread). */
function withExcerpt(sample: Omit<Evidence, 'excerpt'>, excerpt: string): Evidence {
  const out = Object.assign({}, sample) as Evidence;
  out.excerpt = excerpt;
  return out;
}

/** The line of a record a match is on (0 = the record's first line). */
export function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const TRACEBACK = 'Traceback (most recent call last)';
const CHAIN_MARKS = ['\nThe above exception was the direct cause of the following exception:', '\nDuring handling of the above exception, another exception occurred:'];

/**
 * The root exception of a record, `Type: message`: the structured chain's last link when the
 * reader parsed one, else the exception line that ends a traceback's first block (Python prints
 * the root cause first).
 */
export function rootException(message: string, exceptions: readonly { type: string; message: string }[] | undefined): string | undefined {
  const last = exceptions?.[exceptions.length - 1];
  if (last) return last.message === '' ? last.type : `${last.type}: ${last.message}`;
  const tb = message.indexOf(TRACEBACK);
  if (tb < 0) return undefined;
  let end = message.length;
  for (const mark of CHAIN_MARKS) {
    const at = message.indexOf(mark, tb);
    if (at >= 0 && at < end) end = at;
  }
  const block = message.slice(tb, end).trimEnd();
  const nl = block.lastIndexOf('\n');
  const line = block.slice(nl + 1).trim();
  return line === '' || line.startsWith('File "') ? undefined : line;
}

export class Aggregator {
  private readonly groups = new Map<string, Group>();
  private readonly groupsPerRule = new Map<string, number>();
  private readonly templates = new Map<string, Unmatched>();
  private readonly warnings = new Map<string, Unmatched>();
  /** Records whose template came after MAX_TEMPLATES were tracked. */
  private overflowRecords = 0;

  constructor(
    private readonly redact: Redactor,
    private readonly evidenceLimit: number,
    private readonly unmatchedLimit: number,
  ) {}

  /** The diagnosis text of one occurrence: templates filled from its values, then redacted. */
  private words(rule: RuleMatch['rule']['rule'], values: Context, params: Record<string, ParamValue>) {
    for (const gname of rule.groupBy) if (values[gname] !== undefined && params[gname] === undefined) params[gname] = values[gname]!;
    return {
      summary: this.redact(fillTemplate(rule.summary, values)),
      cause: this.redact(fillTemplate(rule.cause, values)),
      impact: this.redact(fillTemplate(rule.impact, values)),
      remediation: rule.remediation.map((r) => this.redact(fillTemplate(r, values))),
      params,
    };
  }

  /**
   * One occurrence of a rule. `text`/`offset` locate the excerpt (cut and redacted only if the
   * occurrence is kept as evidence); `excerpt` is a ready one. Returns the diagnosis key.
   */
  add(m: RuleMatch, recordSide: Side | undefined, timeMs: number | undefined, ctx: Context, ev: Omit<Evidence, 'excerpt'>, text: string, offset: number, excerpt?: string, origin: Diagnosis['origin'] = 'records'): string {
    const rule = m.rule.rule;
    const side: Diagnosis['side'] = recordSide ?? (rule.side === 'sending' || rule.side === 'receiving' ? rule.side : rule.side === 'deployment' ? 'deployment' : 'unknown');
    const params: Record<string, ParamValue> = {};
    for (const k in m.params) {
      const v = m.params[k]!;
      params[k] = Array.isArray(v) ? v.map(this.redact) : typeof v === 'string' ? this.redact(v) : v;
    }
    const values: Context = { ...ctx, side, ...params };
    const groupValues = rule.groupBy.map((g) => values[g] ?? null);
    let key = `${rule.id}|${side}${groupValues.length ? '|' + JSON.stringify(groupValues) : ''}`;
    let g = this.groups.get(key);
    if (!g && groupValues.length > 0 && (this.groupsPerRule.get(rule.id) ?? 0) >= MAX_GROUPS_PER_RULE) {
      // Memory stays bounded on logs with millions of distinct values: the rest share one group.
      key = `${rule.id}|${side}|(more)`;
      g = this.groups.get(key);
      if (!g) for (const name of rule.groupBy) values[name] = params[name] = '(more values)';
    }
    if (!g) {
      this.groupsPerRule.set(rule.id, (this.groupsPerRule.get(rule.id) ?? 0) + 1);
      g = {
        diagnosis: {
          key,
          ruleId: rule.id,
          title: rule.title,
          severity: rule.severity,
          side,
          category: rule.category,
          ...this.words(rule, values, params),
          references: [...rule.references],
          count: 0,
          connections: [],
          connectionsOmitted: 0,
          sharedIds: [],
          sharedIdsOmitted: 0,
          evidence: [],
          state: 'active',
          origin,
          resolution: rule.resolution,
        },
        conns: new Map(),
        shared: new Set(),
        connectionsOmitted: 0,
        sharedIdsOmitted: 0,
        evidence: [],
        firstMs: undefined,
        lastMs: undefined,
      };
      this.groups.set(key, g);
    } else if (timeMs !== undefined && g.firstMs !== undefined && timeMs < g.firstMs) {
      // The words and parameters are those of the earliest occurrence, as a merge of shards keeps them.
      Object.assign(g.diagnosis, this.words(rule, values, params));
    }
    g.diagnosis.count++;
    if (timeMs !== undefined) {
      if (g.firstMs === undefined || timeMs < g.firstMs) g.firstMs = timeMs;
      if (g.lastMs === undefined || timeMs > g.lastMs) g.lastMs = timeMs;
    }
    const cid = typeof ctx['connectionKey'] === 'string' ? ctx['connectionKey'] : typeof ctx['connectionId'] === 'string' ? ctx['connectionId'] : undefined;
    if (cid) {
      const prev = g.conns.get(cid);
      const name = typeof ctx['connectionName'] === 'string' ? ctx['connectionName'] : undefined;
      const at = timeMs ?? Number.NEGATIVE_INFINITY;
      if (prev) {
        prev.name ??= name;
        if (at > prev.lastMs) prev.lastMs = at;
      } else if (g.conns.size < MAX_CONNECTIONS_PER_DIAGNOSIS) g.conns.set(cid, { name, lastMs: at });
      else g.connectionsOmitted++;
    }
    const sid = typeof ctx['sharedId'] === 'string' ? ctx['sharedId'] : typeof params['sharedId'] === 'string' ? params['sharedId'] : undefined;
    if (sid && !g.shared.has(sid)) {
      if (g.shared.size < MAX_CONNECTIONS_PER_DIAGNOSIS) g.shared.add(sid);
      else g.sharedIdsOmitted++;
    }
    // Keep the earliest occurrences; re-bound only when the buffer grows to four times the limit.
    g.evidence.push({ ev, text, offset, excerpt });
    if (g.evidence.length >= this.evidenceLimit * 4) g.evidence = g.evidence.sort(pendingOrder).slice(0, this.evidenceLimit);
    return key;
  }

  /** A record at error level (or a traceback) or warning level that no rule explains. */
  noteUnmatched(message: string, level: string | undefined, time: string | undefined, sample: Omit<Evidence, 'excerpt'>, exceptions?: readonly { type: string; message: string }[]): void {
    const list = level === 'warn' ? this.warnings : this.templates;
    // Redacted before it is templated and cut; only the first line is shown.
    const nl = message.indexOf('\n');
    const first = this.redact((nl < 0 ? message : message.slice(0, nl)).slice(0, REDACT_AROUND));
    const root = rootException(message, exceptions);
    // Four root causes logged under one `log.exception("sync failed")` are four templates.
    const template = root === undefined || first.includes(root) ? messageTemplate(first) : `${messageTemplate(first)} ← ${messageTemplate(this.redact(root.slice(0, REDACT_AROUND)))}`;
    const prev = list.get(template);
    if (prev) {
      prev.count++;
      if (time && (!prev.firstSeen || time < prev.firstSeen)) prev.firstSeen = time;
      if (time && (!prev.lastSeen || time > prev.lastSeen)) prev.lastSeen = time;
      // Keep the earliest sample, as a merge of shards does, so that merges are exact.
      if (evidenceOrder(sample as Evidence, prev.sample) < 0) prev.sample = withExcerpt(sample, excerptAt(first, 0, EXCERPT_CHARS).excerpt);
      return;
    }
    if (this.templates.size + this.warnings.size >= MAX_TEMPLATES) {
      this.overflowRecords++;
      return;
    }
    const entry: Unmatched = { template, count: 1 } as Unmatched;
    if (level) entry.level = level;
    if (time) {
      entry.firstSeen = time;
      entry.lastSeen = time;
    }
    entry.sample = withExcerpt(sample, excerptAt(first, 0, EXCERPT_CHARS).excerpt);
    list.set(template, entry);
  }

  /** The unmatched lists cut to the limit, and what was left out (counted, and kept as `rest` for merges). */
  unmatched(): { unmatched: Unmatched[]; unmatchedWarnings: Unmatched[]; unmatchedOmitted: { templates: number; records: number }; unmatchedRest: UnmatchedRest[] } {
    return cutUnmatched([...this.templates.values()], [...this.warnings.values()], [], this.unmatchedLimit, { templates: 0, records: this.overflowRecords });
  }

  diagnoses(): Diagnosis[] {
    const out: Diagnosis[] = [];
    for (const g of this.groups.values()) {
      const kept = g.evidence.sort(pendingOrder).slice(0, this.evidenceLimit);
      const evidence: Evidence[] = kept.map((p) => {
        if (p.excerpt !== undefined) return { ...p.ev, excerpt: this.redact(p.excerpt) };
        return { ...p.ev, excerpt: redactedExcerpt(this.redact, p.text, p.offset).excerpt };
      });
      const d: Diagnosis = {
        ...g.diagnosis,
        connections: [...g.conns]
          .map(([id, c]) => {
            const ref: Diagnosis['connections'][number] = { id };
            if (c.name !== undefined) ref.name = c.name;
            const last = toIso(c.lastMs);
            if (last !== undefined) ref.lastSeen = last;
            return ref;
          })
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        connectionsOmitted: g.connectionsOmitted,
        sharedIds: [...g.shared].sort(),
        sharedIdsOmitted: g.sharedIdsOmitted,
        evidence,
      };
      if (g.firstMs !== undefined) d.firstSeen = toIso(g.firstMs)!;
      if (g.lastMs !== undefined) d.lastSeen = toIso(g.lastMs)!;
      out.push(d);
    }
    return sortDiagnoses(out);
  }
}

function byCount(a: { count: number; template: string }, b: { count: number; template: string }): number {
  return b.count - a.count || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0);
}

/**
 * Cuts the unmatched lists to `limit` each, most frequent first; what is left out is counted in
 * `omitted` and kept, without samples, in `rest` (bounded), so that a merge can bring back a
 * template that is frequent overall but below the cut in each part.
 */
export function cutUnmatched(errors: Unmatched[], warnings: Unmatched[], rest: UnmatchedRest[], limit: number, omitted: { templates: number; records: number }) {
  errors.sort(byCount);
  warnings.sort(byCount);
  const left: UnmatchedRest[] = [...rest];
  for (const u of [...errors.slice(limit), ...warnings.slice(limit)]) {
    const r: UnmatchedRest = { template: u.template, count: u.count };
    if (u.level !== undefined) r.level = u.level;
    if (u.firstSeen !== undefined) r.firstSeen = u.firstSeen;
    if (u.lastSeen !== undefined) r.lastSeen = u.lastSeen;
    r.sample = u.sample;
    left.push(r);
  }
  left.sort(byCount);
  const keep = left.slice(0, MAX_TEMPLATES);
  let templates = omitted.templates;
  let records = omitted.records;
  for (const r of left) {
    templates++;
    records += r.count;
  }
  return { unmatched: errors.slice(0, limit), unmatchedWarnings: warnings.slice(0, limit), unmatchedOmitted: { templates, records }, unmatchedRest: keep };
}
