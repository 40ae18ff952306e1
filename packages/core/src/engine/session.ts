/**
 * The streaming engine: push records as they are read, then take the report.
 *
 * The session is the one accountant of input: every line an adapter reads is handed over as part
 * of a matched record, an unmatched record, or a skip with its reason, so that
 * `linesRead = linesMatched + linesUnmatched + linesSkipped` holds for every input.
 */
import type { Problem } from '../errors.js';
import { createRedactor, type Redactor } from '../redact.js';
import type { RulePack, RuleMatch } from '../rules/compile.js';
import type { Facts } from '../rules/conditions.js';
import { LEVEL_NUMBER, type Level, type LogRecord, type ProbeRecord, type Side, type SyncEvent, type SyncEventRecord } from '../schema/records.js';
import { SCHEMA_VERSION, type Diagnosis, type Evidence, type InputStats, type ParamValue, type Report, type Unmatched } from '../schema/report.js';
import { formatDuration, parseTime, toIso } from '../time.js';
import { DEFAULT_LIMITS, boundEvidence, evidenceOrder, emptyStats, mergeReports, sortDiagnoses, sortUnmatched } from './merge.js';
import { excerptAt, messageTemplate } from './normalize.js';
import { fillTemplate } from './template.js';

export const DEFAULT_STALE_AFTER_MS = 6 * 3_600_000;

export interface SessionOptions {
  /** The time staleness is judged at (default: the current time). */
  now?: string | number | Date | undefined;
  /** How old a connection's newest sync event may be before `sync-stale` applies (default 6h). */
  staleAfterMs?: number | undefined;
  /** Evidence items kept per diagnosis (default 5). */
  evidenceLimit?: number | undefined;
  /** Entries in the report's unmatched list (default 20). */
  unmatchedLimit?: number | undefined;
  /** Extra redaction patterns, or a ready redactor. */
  redact?: Redactor | readonly (string | RegExp)[] | undefined;
}

interface Group {
  diagnosis: Diagnosis;
  conns: Map<string, string | undefined>;
  shared: Set<string>;
  evidence: Evidence[];
  firstMs: number | undefined;
  lastMs: number | undefined;
}

interface ConnectionState {
  id: string;
  name: string | undefined;
  side: Side | undefined;
  sharedId: string | undefined;
  lastMs: number;
  lastStatus: string;
  lastEventId: string | undefined;
  events: number;
  failures: number;
  source: { file: string; line: number };
}

const MAX_TEMPLATES = 2000;
/** Distinct groups one rule may open; further occurrences are counted in one overflow group. */
export const MAX_GROUPS_PER_RULE = 1000;
const TRACEBACK = 'Traceback (most recent call last)';
/** Longest excerpt (evidence, unmatched sample), as `excerptAt` cuts it. */
const EXCERPT_CHARS = 300;
/** Characters either side of a match that are redacted together before an excerpt is cut from them. */
const REDACT_AROUND = 16_384;

function levelOfStatus(status: SyncEvent['status']): Level {
  return status === 'failure' ? 'error' : status === 'warning' ? 'warn' : 'info';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

export class DiagnosisSession {
  readonly pack: RulePack;
  private readonly redact: Redactor;
  private readonly nowMs: number;
  private readonly staleAfterMs: number;
  private readonly evidenceLimit: number;
  private readonly unmatchedLimit: number;
  private readonly groups = new Map<string, Group>();
  private readonly groupsPerRule = new Map<string, number>();
  private readonly templates = new Map<string, Unmatched>();
  private readonly inputs = new Map<string, InputStats>();
  private readonly connections = new Map<string, ConnectionState>();
  private readonly stats = emptyStats();
  /** Inputs whose lines the adapter counted itself; for the others lines read is the sum of the parts. */
  private readonly counted = new Set<string>();

  constructor(pack: RulePack, options: SessionOptions = {}) {
    this.pack = pack;
    const r = options.redact;
    this.redact = typeof r === 'function' ? r : createRedactor(r ?? []);
    const now = options.now instanceof Date ? options.now.getTime() : options.now === undefined ? Date.now() : parseTime(options.now);
    this.nowMs = now ?? Date.now();
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.evidenceLimit = options.evidenceLimit ?? DEFAULT_LIMITS.evidence;
    this.unmatchedLimit = options.unmatchedLimit ?? DEFAULT_LIMITS.unmatched;
  }

  /** The stats entry of one input, created on first use. */
  input(name: string, kind: InputStats['kind'] = 'logs'): InputStats {
    let s = this.inputs.get(name);
    if (!s) {
      s = { name, kind, bytesRead: 0, linesRead: 0, linesMatched: 0, linesUnmatched: 0, linesSkipped: 0, skipped: {}, records: 0, formats: {}, truncatedLines: 0 };
      this.inputs.set(name, s);
    }
    return s;
  }

  /** Lines the adapter read from an input, and bytes; called as it goes or once at the end. */
  read(name: string, lines: number, bytes = 0): void {
    this.counted.add(name);
    const s = this.input(name);
    s.linesRead += lines;
    s.bytesRead += bytes;
  }

  /** Lines passed over, with the reason (`blank`, `binary`, `invalid-json`, …). */
  skip(name: string, reason: string, lines = 1): void {
    const s = this.input(name);
    s.linesSkipped += lines;
    s.skipped[reason] = (s.skipped[reason] ?? 0) + lines;
  }

  /** Lines that were searched (within the cap) but cut short. They are still counted once elsewhere. */
  truncated(name: string, lines = 1): void {
    this.input(name).truncatedLines += lines;
  }

  /** Records the prefilter ruled out: they cannot match any rule and are not parsed further. */
  unmatched(name: string, lines: number, records = 1, format?: string): void {
    const s = this.input(name);
    s.linesUnmatched += lines;
    s.records += records;
    if (format) s.formats[format] = (s.formats[format] ?? 0) + records;
  }

  /** An input, event or line that could not be read; kept (bounded) in `stats.problems`. */
  problem(p: Problem, inputName?: string): void {
    this.stats.problemsTotal++;
    const safe = { ...p, message: this.redact(p.message) };
    if (this.stats.problems.length < DEFAULT_LIMITS.problems) {
      const { severity: _s, ...rest } = safe;
      this.stats.problems.push(rest);
    }
    if (inputName !== undefined && (p.code === 'INPUT_UNREADABLE' || p.code === 'INPUT_NOT_FOUND' || p.code === 'INPUT_CORRUPT' || p.code === 'EVENTS_UNREADABLE')) {
      const s = this.input(inputName);
      if (!s.error) s.error = { code: p.code, message: safe.message };
    }
  }

  /** Matches one log record; returns how many rules matched it. */
  log(record: LogRecord): number {
    const lines = record.source.endLine - record.source.line + 1;
    const s = this.input(record.source.file);
    s.records++;
    const fmt = record.envelope ? `${record.envelope}+${record.format}` : record.format;
    s.formats[fmt] = (s.formats[fmt] ?? 0) + 1;
    const facts: Facts = {
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
      params: {},
    };
    const matches = this.pack.match('log', record.message, facts);
    if (matches.length === 0) {
      s.linesUnmatched += lines;
      if ((facts['levelNumber'] as number | undefined ?? 0) >= 50 || record.message.includes(TRACEBACK)) {
        this.noteUnmatched(record.message, record.level, record.time, { source: 'log', file: record.source.file, line: record.source.line, ...(record.time ? { time: record.time } : {}) });
      }
      return 0;
    }
    s.linesMatched += lines;
    this.stats.recordsMatched++;
    const timeMs = parseTime(record.time);
    for (const m of matches) {
      const { excerpt, lineDelta } = this.excerpt(record.message, m.offset);
      this.add(m, record.side, timeMs, {
        connectionId: record.connectionId,
        connectionName: str(record.fields['connection_name'] ?? record.fields['connectionName']),
        sharedId: record.sharedId,
        level: record.level,
        logger: record.logger,
      }, {
        source: 'log',
        file: record.source.file,
        line: Math.min(record.source.line + lineDelta, record.source.endLine),
        ...(record.source.endLine !== record.source.line ? { endLine: record.source.endLine } : {}),
        ...(record.time ? { time: record.time } : {}),
        excerpt,
        ...(record.connectionId ? { connectionId: record.connectionId } : {}),
      });
    }
    return matches.length;
  }

  /** Matches one sync event's error message and records it for staleness. */
  event(rec: SyncEventRecord): number {
    const e = rec.event;
    this.stats.events.read++;
    this.stats.events.valid++;
    const s = this.input(rec.source.file, 'events');
    s.records++;
    // The schema has normalized both times to ISO-8601: the end of the attempt, else its start.
    const when = e.finishedAt ?? e.startedAt;
    const endMs = rec.endMs ?? parseTime(when) ?? 0;
    const conn = this.connections.get(e.connectionId);
    if (!conn) {
      this.connections.set(e.connectionId, {
        id: e.connectionId,
        name: e.connectionName,
        side: e.direction,
        sharedId: e.sharedId,
        lastMs: endMs,
        lastStatus: e.status,
        lastEventId: e.id,
        events: 1,
        failures: e.status === 'failure' ? 1 : 0,
        source: { file: rec.source.file, line: rec.source.line },
      });
    } else {
      // Updated in place: a history holds many events per connection.
      conn.events++;
      if (e.status === 'failure') conn.failures++;
      if (endMs >= conn.lastMs) {
        if (e.connectionName !== undefined) conn.name = e.connectionName;
        if (e.direction !== undefined) conn.side = e.direction;
        if (e.sharedId !== undefined) conn.sharedId = e.sharedId;
        conn.lastMs = endMs;
        conn.lastStatus = e.status;
        conn.lastEventId = e.id;
        conn.source = { file: rec.source.file, line: rec.source.line };
      } else conn.name ??= e.connectionName;
    }
    const lines = rec.source.endLine - rec.source.line + 1;
    const level = levelOfStatus(e.status);
    const message = e.message ?? '';
    if (message === '') {
      // Nothing to match: only the bookkeeping above (most events of a healthy history).
      s.linesUnmatched += lines;
      return 0;
    }
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
      fields: { files: e.files, startedAt: e.startedAt, finishedAt: e.finishedAt, id: e.id },
      params: {},
    };
    const matches = this.pack.match('event', message, facts);
    if (matches.length === 0) {
      s.linesUnmatched += lines;
      if (e.status !== 'success') {
        this.noteUnmatched(message, level, when, { source: 'event', file: rec.source.file, line: rec.source.line, time: when, ...(e.id ? { eventId: e.id } : {}), connectionId: e.connectionId });
      }
      return 0;
    }
    s.linesMatched += lines;
    this.stats.events.matched++;
    for (const m of matches) {
      const { excerpt } = this.excerpt(message, m.offset);
      this.add(m, e.direction, endMs, { connectionId: e.connectionId, connectionName: e.connectionName, sharedId: e.sharedId, status: e.status, level }, {
        source: 'event',
        file: rec.source.file,
        line: rec.source.line,
        time: when,
        excerpt,
        ...(e.id ? { eventId: e.id } : {}),
        connectionId: e.connectionId,
      });
    }
    return matches.length;
  }

  /** An event that failed validation: counted, located, and the rest go on. */
  invalidEvent(file: string, line: number, reason: string, lines = 1): void {
    this.stats.events.read++;
    this.stats.events.invalid++;
    if (lines > 0) this.skip(file, 'invalid-event', lines);
    this.problem({ code: 'EVENT_INVALID', message: reason, file, line });
  }

  /** Matches the outcome of a deployment probe. */
  probe(rec: ProbeRecord): number {
    this.stats.probes++;
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
      this.add(m, rec.side, timeMs, { probe: rec.probe, target: rec.target, outcome: rec.outcome }, {
        source: 'probe',
        ...(rec.source ? { file: rec.source.file, line: rec.source.line } : {}),
        time: toIso(timeMs)!,
        excerpt: `${rec.probe} ${rec.target}: ${rec.message}`,
      });
    }
    return matches.length;
  }

  /**
   * The excerpt of a record at a match, redacted before it is cut: a cut can part a secret from
   * what marks it as one (`Authorization: Bearer`, `scheme://user:`, a JWT's first segment), and
   * the part left over would no longer be recognised.
   */
  private excerpt(text: string, offset: number): { excerpt: string; lineDelta: number } {
    const { excerpt: line, lineDelta } = excerptAt(text, offset, Number.POSITIVE_INFINITY);
    // A line that fits is not cut: `add` redacts it whole, as it redacts every excerpt.
    if (line.length <= EXCERPT_CHARS) return { excerpt: line, lineDelta };
    const rel = offset - (text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1);
    // Far from the match nothing is shown: a line of a megabyte is redacted only around it.
    const from = Math.max(0, rel - REDACT_AROUND);
    const to = Math.min(line.length, rel + REDACT_AROUND);
    const around = line.slice(from, to);
    const redacted = this.redact(around);
    let cut = redacted;
    if (redacted.length > EXCERPT_CHARS) cut = excerptAt(redacted, Math.min(this.redact(around.slice(0, rel - from)).length, redacted.length), EXCERPT_CHARS).excerpt;
    const excerpt = `${from > 0 && !cut.startsWith('…') ? '…' : ''}${cut}${to < line.length && !cut.endsWith('…') ? '…' : ''}`;
    return { excerpt, lineDelta };
  }

  private noteUnmatched(message: string, level: string | undefined, time: string | undefined, sample: Omit<Evidence, 'excerpt'>): void {
    // Redacted before it is templated and cut (see `excerpt`); only the first line is shown.
    const nl = message.indexOf('\n');
    const first = this.redact((nl < 0 ? message : message.slice(0, nl)).slice(0, REDACT_AROUND));
    const template = messageTemplate(first);
    const prev = this.templates.get(template);
    if (prev) {
      prev.count++;
      if (time && (!prev.firstSeen || time < prev.firstSeen)) prev.firstSeen = time;
      if (time && (!prev.lastSeen || time > prev.lastSeen)) prev.lastSeen = time;
      // Keep the earliest sample, as a merge of shards does, so that merges are exact.
      const candidate: Evidence = { ...sample, excerpt: '' };
      if (evidenceOrder(candidate, prev.sample) < 0) prev.sample = { ...sample, excerpt: excerptAt(first, 0, EXCERPT_CHARS).excerpt };
      return;
    }
    if (this.templates.size >= MAX_TEMPLATES) return;
    const excerpt = excerptAt(first, 0, EXCERPT_CHARS).excerpt;
    this.templates.set(template, {
      template,
      count: 1,
      ...(level ? { level } : {}),
      ...(time ? { firstSeen: time, lastSeen: time } : {}),
      sample: { ...sample, excerpt },
    });
  }

  /** The diagnosis text of one occurrence: templates filled from its values, then redacted. */
  private words(rule: RuleMatch['rule']['rule'], values: Record<string, ParamValue | undefined>, params: Record<string, ParamValue>) {
    for (const gname of rule.groupBy) if (values[gname] !== undefined && params[gname] === undefined) params[gname] = values[gname]!;
    return {
      summary: this.redact(fillTemplate(rule.summary, values)),
      cause: this.redact(fillTemplate(rule.cause, values)),
      impact: this.redact(fillTemplate(rule.impact, values)),
      remediation: rule.remediation.map((r) => this.redact(fillTemplate(r, values))),
      params,
    };
  }

  private add(m: RuleMatch, recordSide: Side | undefined, timeMs: number | undefined, ctx: Record<string, ParamValue | undefined>, ev: Evidence): void {
    const rule = m.rule.rule;
    const side: Diagnosis['side'] = recordSide ?? (rule.side === 'sending' || rule.side === 'receiving' ? rule.side : rule.side === 'deployment' ? 'deployment' : 'unknown');
    const params: Record<string, ParamValue> = {};
    for (const [k, v] of Object.entries(m.params)) params[k] = Array.isArray(v) ? v.map(this.redact) : typeof v === 'string' ? this.redact(v) : v;
    const values: Record<string, ParamValue | undefined> = { ...ctx, side, ...params };
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
          sharedIds: [],
          evidence: [],
        },
        conns: new Map(),
        shared: new Set(),
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
    const cid = typeof ctx['connectionId'] === 'string' ? ctx['connectionId'] : undefined;
    if (cid) {
      const name = typeof ctx['connectionName'] === 'string' ? ctx['connectionName'] : undefined;
      g.conns.set(cid, g.conns.get(cid) ?? name);
    }
    const sid = typeof ctx['sharedId'] === 'string' ? ctx['sharedId'] : typeof params['sharedId'] === 'string' ? params['sharedId'] : undefined;
    if (sid) g.shared.add(sid);
    const item: Evidence = { ...ev, excerpt: this.redact(ev.excerpt) };
    // Keep the earliest occurrences; re-bound only when the buffer doubles.
    g.evidence.push(item);
    if (g.evidence.length >= this.evidenceLimit * 4) g.evidence = boundEvidence(g.evidence, this.evidenceLimit);
  }

  private connectionReport(): Report | undefined {
    if (!this.pack.reads('connection') || this.connections.size === 0) return undefined;
    const sub = new DiagnosisSession(this.pack, { now: this.nowMs, staleAfterMs: this.staleAfterMs, evidenceLimit: this.evidenceLimit, redact: this.redact });
    for (const c of this.connections.values()) sub.connection(c, this.nowMs, this.staleAfterMs);
    const r = sub.build();
    r.stats = emptyStats();
    return r;
  }

  private connection(c: ConnectionState, nowMs: number, staleAfterMs: number): void {
    const ageMs = nowMs - c.lastMs;
    const lastEventAt = toIso(c.lastMs);
    const facts: Facts = {
      kind: 'connection',
      message: '',
      connectionId: c.id,
      connectionName: c.name,
      side: c.side,
      sharedId: c.sharedId,
      lastEventAt,
      lastStatus: c.lastStatus,
      ageMs,
      staleAfterMs,
      events: c.events,
      failures: c.failures,
      params: {},
    };
    for (const m of this.pack.match('connection', '', facts)) {
      this.add(
        m,
        c.side,
        c.lastMs,
        { connectionId: c.id, connectionName: c.name, sharedId: c.sharedId, status: c.lastStatus, lastEventAt, age: formatDuration(ageMs), staleAfter: formatDuration(staleAfterMs) },
        {
          source: 'connection',
          file: c.source.file,
          line: c.source.line,
          ...(lastEventAt ? { time: lastEventAt } : {}),
          excerpt: `newest sync event ${c.lastEventId ?? ''} at ${lastEventAt ?? '(unknown)'} (${c.lastStatus}), ${formatDuration(ageMs)} before ${toIso(nowMs)}`.replace('  ', ' '),
          connectionId: c.id,
        },
      );
    }
  }

  private build(): Report {
    const diagnoses: Diagnosis[] = [];
    for (const g of this.groups.values()) {
      const d: Diagnosis = {
        ...g.diagnosis,
        ...(g.firstMs !== undefined ? { firstSeen: toIso(g.firstMs)! } : {}),
        ...(g.lastMs !== undefined ? { lastSeen: toIso(g.lastMs)! } : {}),
        connections: [...g.conns].map(([id, name]) => (name ? { id, name } : { id })).sort((a, b) => (a.id < b.id ? -1 : 1)),
        sharedIds: [...g.shared].sort(),
        evidence: boundEvidence(g.evidence, this.evidenceLimit),
      };
      diagnoses.push(d);
    }
    const inputs = [...this.inputs.values()].map((i) => ({
      ...i,
      linesRead: this.counted.has(i.name) ? i.linesRead : i.linesMatched + i.linesUnmatched + i.linesSkipped,
      skipped: { ...i.skipped },
      formats: { ...i.formats },
    }));
    const stats = { ...this.stats, inputs, events: { ...this.stats.events }, problems: [...this.stats.problems], skipped: {} as Record<string, number> };
    for (const i of inputs) {
      stats.linesRead += i.linesRead;
      stats.linesMatched += i.linesMatched;
      stats.linesUnmatched += i.linesUnmatched;
      stats.linesSkipped += i.linesSkipped;
      stats.bytesRead += i.bytesRead;
      stats.records += i.records;
      stats.truncatedLines += i.truncatedLines;
      for (const [k, v] of Object.entries(i.skipped)) stats.skipped[k] = (stats.skipped[k] ?? 0) + v;
    }
    stats.connections = this.connections.size;
    return {
      schemaVersion: SCHEMA_VERSION,
      diagnoses: sortDiagnoses(diagnoses),
      unmatched: sortUnmatched([...this.templates.values()].map((u) => ({ ...u })), this.unmatchedLimit),
      stats,
    };
  }

  /** The report so far. Can be called more than once; staleness is judged at `now`. */
  report(): Report {
    const base = this.build();
    const conn = this.connectionReport();
    if (!conn) return base;
    const merged = mergeReports([base, conn], { evidence: this.evidenceLimit, unmatched: this.unmatchedLimit });
    merged.stats = base.stats;
    return merged;
  }
}
