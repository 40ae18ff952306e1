/**
 * The table test of a log shape (src/envelopes/): lines it must take, with what it finds in them,
 * and lines it must leave, the way a linter rule has valid and invalid cases.
 */
import { describe, expect, it } from 'vitest';
import { ENDS, newUnwrapped, NOT_MINE, TAKEN, type BlockShape, type Envelope } from '../../src/envelopes/index.js';

export interface Found {
  payload: string;
  lane?: string | undefined;
  time?: string | undefined;
  partial?: boolean;
  escaped?: boolean;
  weak?: boolean;
  dated?: boolean;
  json?: boolean;
}

export interface EnvelopeTable {
  /** [line, what the shape finds in it]. */
  takes: [string, Found][];
  /** Lines the shape does not take (another shape's, or text). */
  leaves: string[];
  /** Pod/container pairs the reader saw before (stern). */
  seen?: string[];
}

/** What `shape` finds in `line`, or undefined when it does not take it (as the reader asks it). */
export function unwrapWith(shape: Envelope, line: string, seen: Set<string> = new Set()): Found | undefined {
  if (!shape.first.includes(line.charCodeAt(0)) || !shape.detect(line)) return undefined;
  const out = newUnwrapped();
  if (shape.unwrap(line, out, seen) !== TAKEN) return undefined;
  return { payload: line.slice(out.start, out.end), lane: out.lane, time: out.time, partial: out.partial, escaped: out.escaped, weak: out.weak, dated: out.dated, json: out.json };
}

export function envelopeTable(shape: Envelope, table: EnvelopeTable): void {
  describe(`log shape ${shape.name}`, () => {
    it.each(table.takes)('takes %j', (line, found) => {
      expect(unwrapWith(shape, line, new Set(table.seen))).toEqual({ lane: undefined, time: undefined, partial: false, escaped: false, weak: false, dated: false, json: false, ...found });
    });
    it.each(table.leaves)('leaves %j', (line) => {
      expect(unwrapWith(shape, line, new Set(table.seen))).toBeUndefined();
    });
  });
}

export interface BlockTable {
  /** [lines, the record the shape reads from them, how many of them are the block's (the rest are not)]. */
  reads: [string, string[], Record<string, string>, number][];
  /** Lines that open no block of this shape. */
  opensNot: string[];
}

/** What a block shape reads from `lines` (the first opens the block), as the reader hands them to it; undefined when the first opens none. */
export function readBlock(shape: BlockShape, lines: readonly string[], maxLine = 1 << 20): { record: Record<string, string>; took: number } | undefined {
  const first = lines[0] ?? '';
  if (!shape.first.includes(first.charCodeAt(0))) return undefined;
  const block = shape.open(first, maxLine);
  if (block === undefined) return undefined;
  let took = 1;
  for (const line of lines.slice(1)) {
    const v = shape.take(block, line);
    if (v === NOT_MINE) break;
    took++;
    if (v === ENDS) break;
  }
  return { record: shape.record(block), took };
}

export function blockTable(shape: BlockShape, table: BlockTable): void {
  describe(`log shape ${shape.name} (a block of lines)`, () => {
    it.each(table.reads)('reads %s', (_name, lines, record, took) => {
      expect(readBlock(shape, lines)).toEqual({ record, took });
    });
    it.each(table.opensNot)('opens no block on %j', (line) => {
      expect(readBlock(shape, [line])).toBeUndefined();
    });
  });
}
