/**
 * A log shape a container runtime, collector or log store wraps around an application's lines:
 * one file per shape, in the ordered registry of index.ts. The reader asks each shape of a stage,
 * in order, whether it takes a line; a shape is `detect` (a test of a few characters, so that most
 * lines pay nothing) and `unwrap` (where the application's text lies, its stream, its time).
 */
import type { LogRecord } from '@scs-doctor/core/internal';
import type { LogFormatOption } from '../reader.js';

/**
 * When in a line's reading a shape is asked, in this order:
 * - `strip`: a marker before a JSON object (`journalctl -o json-seq`, `json-sse`); the next stages read the rest;
 * - `container`: a runtime's line (CRI, Docker json-file): its pieces join into one line, per stream;
 * - `carrier`: a JSON object that carries one raw line under a field (journald, Fluent Bit, Loki…);
 * - `stream`: a prefix naming a pod or container (`kubectl logs --prefix`, stern): the rest is read in its lane;
 * - `stamp`: a time before every line (`kubectl logs --timestamps`), under any `--log-format`;
 * - `prefix`: a collector's or log store's prefix (syslog, journalctl's short modes, Loki, CloudWatch, Compose).
 */
export const STAGES = ['strip', 'container', 'carrier', 'stream', 'stamp', 'prefix'] as const;
export type Stage = (typeof STAGES)[number];

/** What `unwrap` found; one object per reader, filled again for every line (no allocation per line). */
export interface Unwrapped {
  /** Where the application's text starts and ends in the line. */
  start: number;
  end: number;
  /** The stream the shape names (a process, a pod, a runtime's stderr): its lane; undefined: the file's own. */
  lane: string | undefined;
  /** The time the shape gives the line (the record's own time, when it has one, comes first). */
  time: string | undefined;
  /** The text is JSON-escaped (a field of a JSON object). */
  escaped: boolean;
  /** container: a piece of a line cut by the runtime (CRI `P`, a Docker entry without its `\n`). */
  partial: boolean;
  /** prefix: a bare time, which cannot be told from a line's own header: taken only where it goes on a traceback. */
  weak: boolean;
  /** carrier: only a dated header starts a raw stream (the field holds structured loggers' messages too). */
  dated: boolean;
  /** prefix: the text is a JSON object (Fluentd's record), read by the carriers in the prefix's lane. */
  json: boolean;
}

export const newUnwrapped = (): Unwrapped => ({ start: 0, end: 0, lane: undefined, time: undefined, escaped: false, partial: false, weak: false, dated: false, json: false });

/** `unwrap`'s answer: not this shape (the next is asked), taken, or this shape's line that is read as it is. */
export const NOT_MINE = 0;
export const TAKEN = 1;
export const AS_IS = 2;
export type Verdict = typeof NOT_MINE | typeof TAKEN | typeof AS_IS;

export interface Envelope {
  /** The shape's name, as its file is named. */
  readonly name: string;
  readonly stage: Stage;
  /** `--log-format` values under which the shape is read; `auto` reads every shape. */
  readonly formats: readonly LogFormatOption[];
  /** Character codes a line of this shape can start with (the reader indexes shapes by them). */
  readonly first: readonly number[];
  /** The record's `envelope` (container shapes). */
  readonly tag: LogRecord['envelope'];
  /** A cheap test of a few characters; `unwrap` is asked only when it holds. */
  detect(line: string): boolean;
  /**
   * Fills `out` (cleared before) for a line of this shape. `seen`: the reader's memory for this
   * shape (stern keeps the pod/container pairs it saw before a log line).
   */
  unwrap(line: string, out: Unwrapped, seen: Set<string>): Verdict;
}

export const DIGITS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57] as const;
export const UPPER = Array.from({ length: 26 }, (_, i) => 65 + i);
export const LOWER = Array.from({ length: 26 }, (_, i) => 97 + i);
export const ESC = 27;

/** `BlockShape.take`'s third answer: the line is the block's, and its last. */
export const ENDS = 3;
export type BlockVerdict = typeof NOT_MINE | typeof TAKEN | typeof ENDS;

/**
 * A shape whose record is a block of lines (`journalctl -o verbose`, `-o export`): it owns the
 * lines from one it opens a block on up to the block's end, and gives the block as one record.
 * The reader holds one open block at a time; a line the block does not take ends it and is read
 * afresh. A block is asked before the per-line stages, under `--log-format` values it lists.
 */
export interface BlockShape<B = unknown> {
  /** The shape's name, as its file is named. */
  readonly name: string;
  /** `--log-format` values under which the shape is read; `auto` reads every shape. */
  readonly formats: readonly LogFormatOption[];
  /** Character codes a block's first line can start with. */
  readonly first: readonly number[];
  /**
   * Asked before a line is capped at the line limit or judged binary (a field's raw bytes run over
   * lines and may hold any byte); else after the cap, like the per-line stages.
   */
  readonly raw: boolean;
  /** A new block on this line (the block's first), or undefined. `maxLine`: the reader's cap on a line, which a value is kept to. */
  open(line: string, maxLine: number): B | undefined;
  /** The open block's next line: TAKEN, ENDS (taken, and the block is whole), or NOT_MINE (the block ended before it). */
  take(block: B, line: string): BlockVerdict;
  /** Whether the block is in raw bytes: its next line goes to it as it is, whatever it holds. */
  verbatim(block: B): boolean;
  /** The block as one record: the JSON object the one-line form of the same log writes for it. */
  record(block: B): Record<string, string>;
}
