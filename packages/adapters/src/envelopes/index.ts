/**
 * The ordered registry of log shapes. The reader asks the shapes of each stage (types.ts, STAGES)
 * in this order; within a stage, the first that takes a line wins. A new shape is one file here and
 * one table test in test/envelopes/.
 *
 * Most shapes read one line at a time (`Envelope`). A shape whose record spans lines, with no
 * per-line mark to tell its lines (`journalctl -o verbose`, `-o export`), is a block shape
 * (`BlockShape`, in BLOCKS): it declares that it owns a block of lines, from a line it opens the
 * block on to the block's end; the reader hands it each next line (raw, before the cap and the
 * binary test, when the shape says so) and reads the block as the one record it gives.
 */
import { cloudLogging } from './cloud-logging.js';
import { compose } from './compose.js';
import { cri } from './cri.js';
import { docker } from './docker.js';
import { fluentBit } from './fluent-bit.js';
import { fluentd } from './fluentd.js';
import { isoPrefix } from './iso-prefix.js';
import { journalFull } from './journal-full.js';
import { journalMonotonic } from './journal-monotonic.js';
import { journalUnix } from './journal-unix.js';
import { journaldExport } from './journald-export.js';
import { journaldJson } from './journald-json.js';
import { journaldVerbose } from './journald-verbose.js';
import { jsonSeq } from './json-seq.js';
import { jsonSse } from './json-sse.js';
import { kubectlPrefix } from './kubectl-prefix.js';
import { kubectlTimestamps } from './kubectl-timestamps.js';
import { loki } from './loki.js';
import { rfc3164 } from './rfc3164.js';
import { rfc5424 } from './rfc5424.js';
import { shipperMessage } from './shipper-message.js';
import { stern } from './stern.js';
import type { BlockShape, Envelope, Stage } from './types.js';

export const ENVELOPES: readonly Envelope[] = [
  jsonSeq,
  jsonSse,
  cri,
  docker,
  // Carriers, most specific field first: a JSON object is read by the first whose field it has.
  fluentBit,
  journaldJson,
  cloudLogging,
  loki,
  shipperMessage,
  kubectlPrefix,
  stern,
  kubectlTimestamps,
  fluentd,
  journalUnix,
  isoPrefix,
  journalMonotonic,
  rfc3164,
  journalFull,
  rfc5424,
  compose,
];

/** Block shapes, asked in this order before the per-line stages (a block open, its shape alone is asked). */
export const BLOCKS: readonly BlockShape[] = [journaldExport, journaldVerbose];

export { AS_IS, ENDS, NOT_MINE, STAGES, TAKEN, newUnwrapped, type BlockShape, type BlockVerdict, type Envelope, type Stage, type Unwrapped, type Verdict } from './types.js';

/** Per stage, per first character (one byte: lines are read one char a byte), the registry positions of the shapes a line may be. */
export type ShapeTable = Record<Stage, (number[] | undefined)[]>;

const tables = new Map<string, ShapeTable>();

/** The shapes read under a `--log-format` value, indexed by stage and first character. */
export function shapeTable(format: string): ShapeTable {
  let t = tables.get(format);
  if (t) return t;
  const byte = (): (number[] | undefined)[] => new Array<number[] | undefined>(256).fill(undefined);
  t = { strip: byte(), container: byte(), carrier: byte(), stream: byte(), stamp: byte(), prefix: byte() };
  ENVELOPES.forEach((e, i) => {
    if (format !== 'auto' && !e.formats.includes(format as never)) return;
    const byFirst = t[e.stage];
    for (const c of e.first) (byFirst[c] ??= []).push(i);
  });
  tables.set(format, t);
  return t;
}
