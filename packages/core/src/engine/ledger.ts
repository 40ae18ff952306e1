/**
 * The accounting ledger: every line an adapter reads is booked as part of a matched record, an
 * unmatched record, or a skip with its reason, so that
 * `linesRead = linesMatched + linesUnmatched + linesSkipped` holds for every input.
 */
import { INPUT_ERROR_CODES, type Problem } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { InputStats, Stats } from '../schema/report.js';
import { DEFAULT_LIMITS, emptyStats } from './merge.js';

export class Ledger {
  private readonly inputs = new Map<string, InputStats>();
  /** Inputs whose lines the adapter counted itself; for the others lines read is the sum of the parts. */
  private readonly counted = new Set<string>();
  readonly stats = emptyStats();

  constructor(private readonly redact: Redactor) {}

  /** The stats entry of one input, created on first use. */
  input(name: string, kind: InputStats['kind'] = 'logs'): InputStats {
    let s = this.inputs.get(name);
    if (!s) {
      s = { name, kind, bytesRead: 0, linesRead: 0, linesMatched: 0, linesUnmatched: 0, linesSkipped: 0, skipped: {}, records: 0, formats: {}, truncatedLines: 0 };
      this.inputs.set(name, s);
    }
    return s;
  }

  read(name: string, lines: number, bytes = 0): void {
    this.counted.add(name);
    const s = this.input(name);
    s.linesRead += lines;
    s.bytesRead += bytes;
  }

  skip(name: string, reason: string, lines = 1): void {
    const s = this.input(name);
    s.linesSkipped += lines;
    s.skipped[reason] = (s.skipped[reason] ?? 0) + lines;
  }

  truncated(name: string, lines = 1): void {
    this.input(name).truncatedLines += lines;
  }

  /** A record read and booked as matched or unmatched, with its format. */
  record(s: InputStats, lines: number, matched: boolean, format?: string): void {
    s.records++;
    if (format !== undefined) s.formats[format] = (s.formats[format] ?? 0) + 1;
    if (matched) s.linesMatched += lines;
    else s.linesUnmatched += lines;
  }

  /** Records the prefilter ruled out. */
  unmatched(name: string, lines: number, records = 1, format?: string): void {
    const s = this.input(name);
    s.linesUnmatched += lines;
    s.records += records;
    if (format) s.formats[format] = (s.formats[format] ?? 0) + records;
  }

  problem(p: Problem, inputName?: string): void {
    this.stats.problemsTotal++;
    const safe = { ...p, message: this.redact(p.message) };
    if (this.stats.problems.length < DEFAULT_LIMITS.problems) {
      const { severity: _s, ...rest } = safe;
      this.stats.problems.push(rest);
    }
    if (inputName !== undefined && INPUT_ERROR_CODES.has(p.code)) {
      const s = this.input(inputName);
      if (!s.error) s.error = { code: p.code, message: safe.message };
    }
  }

  /** The stats: per input, and the totals summed from them. */
  build(connections: number): Stats {
    const inputs = [...this.inputs.values()].map((i) => ({
      ...i,
      linesRead: this.counted.has(i.name) ? i.linesRead : i.linesMatched + i.linesUnmatched + i.linesSkipped,
      skipped: { ...i.skipped },
      formats: { ...i.formats },
    }));
    const stats: Stats = { ...this.stats, inputs, events: { ...this.stats.events }, problems: [...this.stats.problems], skipped: {} };
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
    stats.connections = connections;
    return stats;
  }
}
