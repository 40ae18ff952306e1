/**
 * The accounting ledger: every line an adapter reads is booked as part of a matched record, an
 * unmatched record, or a skip with its reason, so that
 * `linesRead = linesMatched + linesUnmatched + linesSkipped` holds for every input.
 */
import { INPUT_ERROR_CODES, type Problem } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { InputStats, Stats } from '../schema/report.js';
import { DEFAULT_LIMITS, emptyStats, MAX_INPUTS_LISTED } from './merge.js';

const blankInput = (name: string, kind: InputStats['kind']): InputStats => ({
  name,
  kind,
  bytesRead: 0,
  linesRead: 0,
  linesMatched: 0,
  linesUnmatched: 0,
  linesSkipped: 0,
  skipped: {},
  records: 0,
  formats: {},
  truncatedLines: 0,
});

export class Ledger {
  /** The listed inputs (the first MAX_INPUTS_LISTED), then the unlisted ones still being read. */
  private readonly inputs = new Map<string, InputStats>();
  /** Inputs whose lines the adapter counted itself; for the others lines read is the sum of the parts. */
  private readonly counted = new Set<string>();
  /** Unlisted inputs still being read: folded into `rest` when closed, so memory does not grow per input. */
  private readonly unlisted = new Set<string>();
  /** The closed unlisted inputs, summed: their lines stay in the totals. */
  private readonly rest = blankInput('(more inputs)', 'logs');
  private restInputs = 0;
  readonly stats = emptyStats();

  constructor(private readonly redact: Redactor) {}

  /** The stats entry of one input, created on first use. */
  input(name: string, kind: InputStats['kind'] = 'logs'): InputStats {
    let s = this.inputs.get(name);
    if (!s) {
      s = blankInput(name, kind);
      if (this.inputs.size - this.unlisted.size >= MAX_INPUTS_LISTED) this.unlisted.add(name);
      this.inputs.set(name, s);
    }
    return s;
  }

  /**
   * The adapter is done with an input. A listed one stays; an unlisted one (past the limit: a
   * tar of a million members) is added to the totals and forgotten.
   */
  close(name: string): void {
    if (!this.unlisted.has(name)) return;
    const i = this.final(this.inputs.get(name)!);
    addInput(this.rest, i);
    this.restInputs++;
    this.unlisted.delete(name);
    this.inputs.delete(name);
    this.counted.delete(name);
  }

  /** An input's entry as the report shows it (lines read: counted by the adapter, or the sum of the parts). */
  private final(i: InputStats): InputStats {
    return { ...i, linesRead: this.counted.has(i.name) ? i.linesRead : i.linesMatched + i.linesUnmatched + i.linesSkipped, skipped: { ...i.skipped }, formats: { ...i.formats } };
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
    const inputs: InputStats[] = [];
    const open: InputStats[] = [];
    for (const i of this.inputs.values()) (this.unlisted.has(i.name) ? open : inputs).push(this.final(i));
    const stats: Stats = { ...this.stats, inputs, inputsOmitted: this.restInputs + open.length, events: { ...this.stats.events }, problems: [...this.stats.problems], skipped: {} };
    for (const i of [...inputs, ...open, this.rest]) {
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

/** Adds an input's counts into `into`. */
function addInput(into: InputStats, i: InputStats): void {
  into.bytesRead += i.bytesRead;
  into.linesRead += i.linesRead;
  into.linesMatched += i.linesMatched;
  into.linesUnmatched += i.linesUnmatched;
  into.linesSkipped += i.linesSkipped;
  into.records += i.records;
  into.truncatedLines += i.truncatedLines;
  for (const [k, v] of Object.entries(i.skipped)) into.skipped[k] = (into.skipped[k] ?? 0) + v;
  for (const [k, v] of Object.entries(i.formats)) into.formats[k] = (into.formats[k] ?? 0) + v;
}
