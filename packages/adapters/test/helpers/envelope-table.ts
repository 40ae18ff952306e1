/**
 * The table test of a log shape (src/envelopes/): lines it must take, with what it finds in them,
 * and lines it must leave, the way a linter rule has valid and invalid cases.
 */
import { describe, expect, it } from 'vitest';
import { newUnwrapped, TAKEN, type Envelope } from '../../src/envelopes/index.js';

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
