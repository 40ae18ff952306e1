/**
 * The log reader: bytes in, records out, every line accounted for.
 *
 * Stages, per chunk of input:
 * 1. lines: split on LF (CRLF and lone CR too), cap very long lines, skip binary ones (the NULs
 *    a crash leaves before or after a line's text are dropped, the text is read);
 * 2. envelopes (the log shapes of envelopes/, one file each, asked in the registry's order):
 *    Kubernetes CRI (`<time> <stream> <P|F> <text>`) and Docker json-file lines are
 *    unwrapped, and their partial lines (CRI `P`, Docker entries without a trailing newline) are
 *    joined into one logical line. Runtimes write stdout and stderr from separate goroutines, so
 *    the two streams' lines interleave: each stream has its own lane (partials, open record);
 *    a `kubectl logs --timestamps` prefix is taken off the same way, and so are the prefixes
 *    collectors and log stores write before each line (syslog, journald, CloudWatch, Loki,
 *    Grafana, Compose, stern) and the JSON objects that carry one raw line each (journald, Fluent
 *    Bit, Fluentd, Filebeat, Cloud Logging, Loki): a traceback they cut into lines is one record again;
 * 3. records: a Python traceback, indented lines and, after a line that starts like a log line
 *    (time, level), the lines that do not, join the record they follow;
 * 4. prefilter: the rule pack's raw scanner runs once over the whole chunk. A record with no hit
 *    cannot match any rule and is counted without being decoded or parsed; only candidates are
 *    decoded (UTF-8, JSON) and handed to the engine as `LogRecord`s.
 *
 * Input is kept as one-byte strings (latin1) until a record is a candidate: that keeps the scan
 * at memory speed, and the scanner's literals are encoded the same way.
 *
 * One JSON document that holds a list of log entries (a log store's export: CloudWatch, Cloud
 * Logging, a search response; see formats/document.ts) is told by its first line, which opens
 * JSON without closing it, or is a whole list of entries (a compact export, `jq -c`). Its lines
 * are fragments, not log lines: it is held whole (up to a cap), and each entry goes through the
 * stages above as if it were one NDJSON line on the line where it starts, in time order. The
 * document's other lines (brackets, keys, an entry's inner lines) are skipped as `structure`;
 * a line that holds several entries is counted once. NDJSON, whose first line is one event,
 * streams as before.
 */
import { fastScanEnabled, plainHeaderAt } from './fastscan.js';
import { newOutcomeLine, readOutcomeLine } from './outcome-line.js';
import { normalizeTime, pythonChain, type DiagnosisSession, type LiteralScanner, type LogRecord } from '@scs-doctor/core/internal';
import { entryStream, entryTime, entryValue, holdsEntries, opensDocument, scanDocument, timeOrder } from './formats/document.js';
import { contextOf, keyValues } from './formats/fields.js';
import { fromJsonObject, jsonError } from './formats/json.js';
import { parseTextHeader, type TextHeader } from './formats/text.js';
import { BLOCKS, ENDS, ENVELOPES, NOT_MINE, TAKEN, newUnwrapped, shapeTable, type BlockShape, type Envelope, type ShapeTable, type Unwrapped } from './envelopes/index.js';
import { DATE_HEAD, looksLikeHeader } from './envelopes/header.js';
import { carrierTime } from './envelopes/json-text.js';

export const LOG_FORMATS = ['auto', 'python', 'plain', 'json', 'cri', 'docker'] as const;
export type LogFormatOption = (typeof LOG_FORMATS)[number];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface ReadOptions {
  /** Force one format instead of detecting it per line (default `auto`). */
  logFormat?: LogFormatOption | undefined;
  /** Longest line searched, in bytes; the rest of a longer line is dropped and counted (default 1 MiB). */
  maxLineBytes?: number | undefined;
  /** Most lines joined into one record (default 5,000). */
  maxRecordLines?: number | undefined;
  /** Parse and hand over every record, not only prefilter candidates (fixtures, differential tests). */
  everyRecord?: boolean | undefined;
  /** Largest JSON document read entry by entry (default 256 MiB); a larger one is read line by line, with a problem. */
  maxDocumentBytes?: number | undefined;
  /** Most bytes a gzip input decompresses to (default 1 GiB); the rest is not read, with an `INPUT_TOO_LARGE` problem. */
  maxInflatedBytes?: number | undefined;
}

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
export const DEFAULT_MAX_DOCUMENT_BYTES = 256 << 20;
const DEFAULT_MAX_RECORD_LINES = 5000;
const TRACEBACK = 'Traceback (most recent call last):';
const CHAIN_1 = 'During handling of the above exception, another exception occurred:';
const CHAIN_2 = 'The above exception was the direct cause of the following exception:';
const EMPTY = Buffer.alloc(0);
const HIGH_BYTE = /[\x80-\xff]/;
const NON_ASCII = /[^\x00-\x7f]/;

interface Logical {
  /** Payload, one char per byte; JSON-escaped when `escaped`. */
  payload: string;
  escaped: boolean;
  hit: boolean;
  line: number;
  endLine: number;
  /** Physical lines it was read from: a CRI/Docker line cut into partials is several. */
  count: number;
  envelope: LogRecord['envelope'];
  envTime: string | undefined;
}

interface OpenRecord {
  lines: Logical[];
  line: number;
  endLine: number;
  /** Physical lines of the record: fewer than its span when lines of another stream fell inside it. */
  count: number;
  /** Payload characters kept; continuation lines past the cap are counted, not kept. */
  size: number;
  hit: boolean;
  json: boolean;
  /** The first line starts like a log line (a time, a level): a line that does not is its continuation. */
  headed: boolean;
  envelope: LogRecord['envelope'];
  /** 0: plain, 1: in a traceback's frames, 2: just after the exception line. */
  tb: 0 | 1 | 2;
}

/**
 * The state one stream of an input keeps between its lines. Container runtimes write stdout and
 * stderr from separate goroutines into one file, so lines (and partial lines) of the two streams
 * interleave: each stream joins its own partials and continuation lines.
 */
interface Lane {
  /** The first piece of a line cut into partials, until its last piece arrives. */
  partial: Logical | undefined;
  parts: string[];
  partSize: number;
  /** The partial line went past the line cap: the rest of its pieces are counted, not kept. */
  cut: boolean;
  open: OpenRecord | undefined;
  /** Blank lines held until we know whether the open record goes on after them. */
  blanks: number;
  /** Lines of this stream start like log lines (a time, a level): a record's end can be told. */
  headers: boolean;
}

const newLane = (): Lane => ({ partial: undefined, parts: [], partSize: 0, cut: false, open: undefined, blanks: 0, headers: false });

/** Most blank lines a record may hold between two of its lines (chained tracebacks hold one each). */
const MAX_BLANKS_IN_RECORD = 20;
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * JSON lines of an input looked at for a raw line before it is taken as structured logging
 * throughout: the test costs a few searches of the line, which a file of structured events
 * need not pay on every line.
 */
const RAW_LINE_CHECKS = 256;

/**
 * Whether a JSON-escaped string is a raw line of output: a log line's header, JSON, a line of a
 * traceback (its header, an indented frame), or any line while its stream has a raw record open
 * that such a line may go on (the exception line, a chain line, a multi-line message: the
 * reader's own rules decide). `dated`: the carrier's field holds structured loggers' messages
 * too (`message`, `line`): there only a dated header starts a raw stream.
 */
function isRawLine(payload: string, dated: boolean, open: OpenRecord | undefined): boolean {
  const c0 = payload.charCodeAt(0);
  if (c0 === 32 || payload.startsWith('\\t') || payload.startsWith(TRACEBACK)) return true;
  if (dated ? DATE_HEAD.test(payload) : looksLikeHeader(payload)) return true;
  return open !== undefined && !open.json && (open.headed || open.tb !== 0);
}

/** Whether the first `n` characters of `s` are spaces. */
function isSpaces(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}

/** Lanes (streams, processes, pods) kept at once; past it, the one idle longest is ended. */
const MAX_LANES = 1024;

/** Control characters other than TAB and ESC: binary data, not text. */
const CONTROL = /[\x00-\x08\x0a-\x1a\x1c-\x1f]/;

const CONTROLS = /[\x00-\x08\x0a-\x1a\x1c-\x1f]/g;

/** A line this long or longer, with one control character in 64 or fewer, is text with stray bytes in it. */
const STRAY_MIN_LENGTH = 16;

/**
 * The text of a line padded with NULs at its start or end (a crash leaves zeros where the file had
 * grown but its data never reached the disk; the restarted service writes on after them), or
 * undefined when the rest is not text: a binary line. Text holding a stray control byte or two (a
 * NUL from a torn write or a flipped bit) is text: it is read with them, and the report shows them
 * as visible escapes (`\x00`).
 */
function unpadded(line: string): string | undefined {
  let a = 0;
  let b = line.length;
  while (a < b && line.charCodeAt(a) === 0) a++;
  while (b > a && line.charCodeAt(b - 1) === 0) b--;
  if (a === b) return undefined;
  const text = line.slice(a, b);
  if (!CONTROL.test(text)) return text;
  if (text.length < STRAY_MIN_LENGTH) return undefined;
  CONTROLS.lastIndex = 0;
  let n = 0;
  while (CONTROLS.exec(text) !== null) n++;
  return n <= Math.max(1, text.length >> 6) ? text : undefined;
}

/** Bytes decoded per string in `push` (whole lines; a longer line makes a longer slice). */
const DECODE_SLICE = 1 << 16;

/**
 * A copy of a line that does not keep its chunk alive: V8 slices share their parent, and a
 * candidate's text ends up in the report (evidence, parameters) until the run ends.
 */
function detach(line: string): string {
  return line.length < 16 ? line : Buffer.from(line, 'latin1').toString('latin1');
}

/** A value cut from a chunk, as a string of its own (V8 copies a cut shorter than 13 characters itself). */
function own(v: string | undefined): string | undefined {
  return v === undefined || v.length < 13 ? v : Buffer.from(v, 'latin1').toString('latin1');
}

function utf8(latin1: string): string {
  return HIGH_BYTE.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

/** Every key or phrase that names a connection or Shared ID (fields.ts, outcomes.ts) holds one of these. */
const ID_HINT = /conn|shared/i;
/** Levels whose records the unmatched lists want. */
const NOTEWORTHY_LEVEL = /^(?:err|crit|fatal|warn|emerg|alert|panic|severe)/i;

function clear(out: Unwrapped): void {
  out.start = 0;
  out.end = 0;
  out.lane = undefined;
  out.time = undefined;
  out.escaped = false;
  out.partial = false;
  out.weak = false;
  out.dated = false;
  out.json = false;
}

/** The carriers in registry order (a JSON object is read by the first whose field it has). */
function carrierList(format: string): number[] {
  const list: number[] = [];
  ENVELOPES.forEach((e, i) => {
    if (e.stage === 'carrier' && (format === 'auto' || e.formats.includes(format as never))) list.push(i);
  });
  return list;
}

/**
 * Streams one input into the session.
 *
 * @example
 * ```ts
 * const reader = new LogReader(session, 'scs.log', { logFormat: 'auto' });
 * for await (const chunk of createReadStream('scs.log')) reader.push(chunk as Buffer);
 * reader.end();
 * ```
 */
export class LogReader {
  private readonly session: DiagnosisSession;
  private readonly name: string;
  private readonly scanner: LiteralScanner | undefined;
  private readonly strong: LiteralScanner | undefined;
  /** Reused per outcome line read directly (outcome-line.ts). */
  private readonly outcome = newOutcomeLine();
  /** The same for a line read in place by lines(): its own, as closing the record before it fills `outcome`. */
  private readonly inPlace = newOutcomeLine();
  /** Reused per chunk: positions of prefilter hits of literals that are not outcome words. */
  private readonly strongBuf: number[] = [];
  /** Reused per chunk: positions of prefilter hits. */
  private readonly hitBuf: number[] = [];
  private readonly force: LogFormatOption;
  private readonly maxLine: number;
  private readonly maxRecordLines: number;

  private lineNo = 0;
  private bytes = 0;
  private carry: Buffer | undefined;
  /** The rest of a line past the cap is being dropped; `cr`: it ended with a CR, an LF may follow. */
  private discarding: false | 'line' | 'cr' = false;
  /** Lines outside any container envelope. */
  private readonly plain: Lane = newLane();
  /** One lane per envelope stream (`cri:stdout`, `docker:stderr`, …), created on first use. */
  private readonly lanes = new Map<string, Lane>();
  /** JSON lines looked at for a raw line inside; once one held one, every JSON line is. */
  private rawLineChecks = 0;
  /** The block of a block shape being read (envelopes/index.ts, BLOCKS): its first line, its lines, whether one was hit. */
  private block: { shape: BlockShape; state: unknown; line: number; lines: number; hit: boolean } | undefined;
  /** The block shapes read under `--log-format`. */
  private readonly blocks: readonly BlockShape[];
  /** The first characters a block can open with, asked before the lines are capped (raw) and after. */
  private readonly blockFirstRaw: ReadonlySet<number>;
  private readonly blockFirst: ReadonlySet<number>;
  /** The log shapes read under this input's format, by stage and first character; the carriers in order. */
  private readonly shapes: ShapeTable;
  private readonly carriers: readonly number[];
  /** What the last shape asked found (one object, filled again per line). */
  private readonly out: Unwrapped = newUnwrapped();
  /** Each shape's memory (stern's pod/container pairs), by registry position. */
  private readonly seen: Set<string>[] = ENVELOPES.map(() => new Set<string>());
  /** The prefix of the line before, while lines indented to its width may go on its message. */
  private lastPrefix: { lane: string; length: number; time: string | undefined } | undefined;
  private rawLinesSeen = false;
  /**
   * The input's first bytes, held until its first line tells whether it is one JSON document,
   * then, for a document, all of it; undefined once the input is read line by line.
   */
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  private document = false;
  private readonly maxDocument: number;
  /** Records are a document's entries: each stands on the one line where it starts. */
  private entries = false;
  /** The stream the entry being read names (its raw lines join their own stream's records). */
  private entryStream: string | undefined;
  /** Lines the session had counted for this input when its document was read (its other lines are structure). */
  private documentBase: number | undefined;
  /**
   * While entries that share a line are read (a compact document): per line, what its records
   * came to (2 matched, 1 unmatched, 0 blank). The session counts each record's line, so such a
   * line would be counted once per entry; it is counted once, from this, when the entries are read.
   */
  private shared: Map<number, 0 | 1 | 2> | undefined;

  constructor(session: DiagnosisSession, name: string, options: ReadOptions = {}) {
    this.session = session;
    this.name = name;
    this.scanner = options.everyRecord ? undefined : session.pack.rawFilter;
    this.strong = options.everyRecord ? undefined : session.pack.strongFilter;
    this.force = options.logFormat ?? 'auto';
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxRecordLines = options.maxRecordLines ?? DEFAULT_MAX_RECORD_LINES;
    this.maxDocument = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    this.shapes = shapeTable(this.force);
    this.blocks = BLOCKS.filter((b) => this.force === 'auto' || b.formats.includes(this.force));
    this.blockFirstRaw = new Set(this.blocks.filter((b) => b.raw).flatMap((b) => b.first));
    this.blockFirst = new Set(this.blocks.filter((b) => !b.raw).flatMap((b) => b.first));
    this.carriers = carrierList(this.force);
    // A forced text or container format is never a document.
    if (this.force === 'auto' || this.force === 'json') this.held = [];
    session.input(name, 'logs');
  }

  /** Feeds a chunk of bytes. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.held) this.hold(chunk);
    else this.feed(chunk);
  }

  /** Holds the first bytes until the first line is whole, and a document until its end or the cap. */
  private hold(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.held!.push(chunk);
    this.heldBytes += chunk.length;
    if (!this.document) {
      const start = this.documentStart(false);
      if (start === undefined) return;
      if (!start) {
        this.release();
        return;
      }
      this.document = true;
    }
    if (this.heldBytes > this.maxDocument) this.tooLarge();
  }

  /** A document past the cap: read line by line, with a problem that says what that costs. */
  private tooLarge(): void {
    const cap = this.maxDocument >= 1 << 20 ? `${Math.round(this.maxDocument / (1 << 20))} MiB` : `${this.maxDocument} bytes`;
    this.session.problem(
      {
        code: 'INPUT_UNREADABLE',
        message: `${this.name}: a JSON document larger than ${cap} is not read entry by entry; it was read line by line, where an entry's lines are fragments and counts and times are not to be trusted (export a shorter time range)`,
        file: this.name,
        line: 1,
      },
      this.name,
    );
    this.release();
  }

  /**
   * Whether the held bytes are one JSON document: the first non-blank character opens an object
   * or an array that its line does not close. Undefined while that line is not whole. Past the
   * line cap it is not (whatever the chunks, the same answer).
   */
  private documentStart(atEnd: boolean): boolean | undefined {
    const head = this.held!.length === 1 ? this.held![0]! : Buffer.concat(this.held!);
    let k = 0;
    while (k < head.length && (head[k] === 32 || head[k] === 9 || head[k] === 10 || head[k] === 13)) k++;
    if (k > this.maxLine) return false;
    if (k === head.length) return atEnd ? false : undefined;
    if (head[k] !== 123 && head[k] !== 91) return false;
    // The first line's end (LF, or a CR before it), looked for within the line cap only.
    const within = head.subarray(k, Math.min(head.length, k + this.maxLine + 1));
    let e = within.indexOf(10);
    const cr = (e < 0 ? within : within.subarray(0, e)).indexOf(13);
    if (cr >= 0) e = cr;
    if (e < 0 && within.length > this.maxLine) return false;
    if (e < 0 && !atEnd) return undefined;
    const first = e < 0 ? within : within.subarray(0, e);
    return opensDocument(first) || holdsEntries(first);
  }

  /** The held document in one buffer; each chunk is let go once copied, not all at the end. */
  private joinHeld(): Buffer {
    const held = this.held!;
    this.held = undefined;
    if (held.length === 1) return held[0]!;
    const doc = Buffer.allocUnsafeSlow(this.heldBytes);
    this.heldBytes = 0;
    let at = 0;
    for (let k = 0; k < held.length; k++) {
      at += held[k]!.copy(doc, at);
      held[k] = EMPTY;
    }
    return doc;
  }

  /** Reads what was held line by line, and the rest of the input too. */
  private release(): void {
    const held = this.held!;
    this.held = undefined;
    this.heldBytes = 0;
    this.document = false;
    for (const c of held) this.feed(c);
  }

  /** Feeds bytes to the line reader. */
  private feed(chunk: Buffer): void {
    let buf = chunk;
    if (this.discarding) {
      const next = this.dropRest(buf);
      if (next < 0) return;
      buf = buf.subarray(next);
    }
    if (this.carry) {
      // Finish the carried line on its own rather than copying the whole chunk behind it.
      const nl = buf.indexOf(10);
      const carry = this.carry;
      this.carry = undefined;
      if (nl < 0) {
        this.keepCarry(Buffer.concat([carry, buf]));
        return;
      }
      // One flat string (a concatenation would be a rope, slower to scan).
      this.lines(Buffer.concat([carry, buf.subarray(0, nl + 1)]).toString('latin1'));
      buf = buf.subarray(nl + 1);
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.keepCarry(buf);
      return;
    }
    // Decode in slices of whole lines: strings this small live on the V8 heap and die young,
    // where a 1 MiB one is allocated outside it and lingers until a full GC.
    for (let from = 0; from <= last;) {
      let to = last + 1;
      if (to - from > DECODE_SLICE) {
        const nl = buf.indexOf(10, from + DECODE_SLICE);
        if (nl >= 0 && nl < last) to = nl + 1;
      }
      this.lines(buf.toString('latin1', from, to), buf, from);
      from = to;
    }
    // After the lines before it: keepCarry hands over a tail past the cap at once.
    if (last + 1 < buf.length) this.keepCarry(buf.subarray(last + 1));
  }

  private keepCarry(rest: Buffer): void {
    if (rest.length > this.maxLine) {
      // Lone CRs end lines too (old Mac files, progress bars): hand over the lines they end. A CR
      // in the last byte stays, as an LF may follow it in the next chunk.
      const cr = rest.lastIndexOf(13, rest.length - 2);
      if (cr >= 0) {
        this.lines(rest.toString('latin1', 0, cr + 1) + '\n');
        rest = rest.subarray(cr + 1);
      }
    }
    const endsWithCr = rest.length > 0 && rest[rest.length - 1] === 13;
    if (rest.length - (endsWithCr ? 1 : 0) > this.maxLine) {
      // A line past the cap: search its first maxLine bytes, drop the rest up to its end.
      this.session.truncated(this.name);
      this.lines(rest.toString('latin1', 0, this.maxLine) + '\n');
      this.discarding = endsWithCr ? 'cr' : 'line';
      return;
    }
    this.carry = Buffer.from(rest);
  }

  /** Drops the rest of a line past the cap, up to its LF, CR or CRLF; returns where the next line starts, or -1. */
  private dropRest(buf: Buffer): number {
    if (buf.length === 0) return -1;
    if (this.discarding === 'cr') {
      this.discarding = false;
      return buf[0] === 10 ? 1 : 0;
    }
    const nl = buf.indexOf(10);
    const cr = buf.indexOf(13, 0);
    if (cr >= 0 && (nl < 0 || cr < nl)) {
      if (cr + 1 === buf.length) {
        this.discarding = 'cr';
        return -1;
      }
      this.discarding = false;
      return buf[cr + 1] === 10 ? cr + 2 : cr + 1;
    }
    if (nl < 0) return -1;
    this.discarding = false;
    return nl + 1;
  }

  /** Ends the input: flushes a last line without newline, open partials and records. */
  end(): void {
    if (this.held && !this.document && this.documentStart(true) === true) {
      this.document = true;
      if (this.heldBytes > this.maxDocument) this.tooLarge();
    }
    if (this.held) {
      if (this.document) {
        const doc = this.joinHeld();
        this.readDocument(doc);
      } else this.release();
    }
    if (this.carry && this.carry.length > 0) this.lines(this.carry.toString('latin1') + '\n');
    this.carry = undefined;
    this.settle();
    if (this.documentBase !== undefined) {
      const s = this.session.input(this.name);
      const counted = s.linesMatched + s.linesUnmatched + s.linesSkipped - this.documentBase;
      if (this.lineNo > counted) this.session.skip(this.name, 'structure', this.lineNo - counted);
    }
    this.session.read(this.name, this.lineNo, this.bytes);
  }

  /**
   * Reads a JSON document entry by entry (see formats/document.ts). Each entry is handed to the
   * line stages as one compact JSON line, on the line where it starts and in time order. What
   * follows a cut or a damaged byte is read line by line (a failure in an entry cut short is
   * still found), with a problem that says where; text after the document is read so too.
   */
  private readDocument(doc: Buffer): void {
    const stats = this.session.input(this.name);
    this.documentBase = stats.linesMatched + stats.linesUnmatched + stats.linesSkipped;
    const scan = scanDocument(doc);
    const stop = scan.stop;
    const spans = scan.entries;
    // First pass: each entry's line and time (the order to read them in), and whether it parses.
    // The entries are parsed again as they are read: holding them all would double the memory.
    const lines = new Array<number>(spans.length);
    const times = new Array<number | undefined>(spans.length);
    let claimed = 0;
    let damaged = 0;
    let damage = '';
    let damageLine = 0;
    let shared = false;
    for (let k = 0; k < spans.length; k++) {
      const span = spans[k]!;
      // Each entry is counted on a line of its own where it can be; entries that share one (a
      // compact list on one line) stand on the last line of their own, counted once.
      let line = Math.max(span.line, claimed + 1);
      if (line > span.endLine) {
        line = span.endLine;
        shared = true;
      }
      lines[k] = line;
      claimed = Math.max(claimed, line);
      try {
        times[k] = entryTime(entryValue(JSON.parse(doc.toString('utf8', span.start, span.end))));
      } catch (e) {
        // Its bounds are sound (the scanner checked the brackets) but not its text (a control
        // byte, a bad escape): read as text on one line, the entries after it as entries.
        times[k] = undefined;
        if (damaged++ === 0) {
          damage = `the entry at line ${span.line} is not valid JSON (${jsonError(e)})`;
          damageLine = span.line;
        }
      }
    }
    if (spans.length === 0 && stop?.reason !== 'cut') {
      // JSON at first sight only (a text log that starts with a brace), or a document in which no
      // list of entries was found (lists of lists, as `jq -s` writes them; other keys): read as
      // text, so what its lines hold is still diagnosed.
      this.documentBase = undefined;
      this.feed(doc);
      return;
    }
    if (damaged > 0) {
      const more = damaged > 1 ? ` and ${damaged - 1} more` : '';
      this.session.problem({ code: 'INPUT_CORRUPT', message: `${this.name}: ${damage}${more}; read as text`, file: this.name, line: damageLine }, this.name);
    }
    this.entries = true;
    const before = shared ? { matched: stats.linesMatched, unmatched: stats.linesUnmatched, skipped: stats.linesSkipped, blank: stats.skipped['blank'] } : undefined;
    if (shared) this.shared = new Map();
    for (const k of timeOrder(times)) {
      const span = spans[k]!;
      let text: string;
      this.entryStream = undefined;
      try {
        const entry = entryValue(JSON.parse(doc.toString('utf8', span.start, span.end)));
        this.entryStream = entryStream(entry);
        text = JSON.stringify(entry);
        if (NON_ASCII.test(text)) text = Buffer.from(text, 'utf8').toString('latin1');
      } catch {
        text = doc.toString('latin1', span.start, span.end).replace(/[\x00-\x1f]+/g, ' ');
      }
      this.physical(text, !this.scanner || this.test(text), lines[k]);
    }
    this.entryStream = undefined;
    this.settle();
    if (before) this.countShared(before);
    this.entries = false;
    this.lineNo = scan.lines;
    if (!stop) return;
    // What could not be read as entries is read as lines, from a line no entry stands on.
    let from = stop.at;
    let fromLine = stop.atLine;
    while (from > 0 && doc[from - 1] !== 10 && doc[from - 1] !== 13) from--;
    while (fromLine <= claimed && from < doc.length) {
      while (from < doc.length && doc[from] !== 10 && doc[from] !== 13) from++;
      from += doc[from] === 13 && doc[from + 1] === 10 ? 2 : 1;
      fromLine++;
    }
    if (stop.reason !== 'text') {
      const where = stop.reason === 'cut' ? `the file ends at line ${stop.line}, inside the document (cut short?)` : `not valid JSON at line ${stop.line}: ${stop.why}`;
      const rest = from < doc.length ? `; from line ${fromLine} on, read as lines` : '';
      this.session.problem(
        { code: 'INPUT_CORRUPT', message: `${this.name}: ${where}; ${spans.length} ${spans.length === 1 ? 'entry' : 'entries'} read${rest}`, file: this.name, line: stop.reason === 'cut' ? fromLine : stop.line },
        this.name,
      );
    }
    if (from >= doc.length) return;
    this.lineNo = fromLine - 1;
    this.feed(doc.subarray(from));
  }

  /**
   * Counts each line that entries share once, in place of once per record: matched when one of its
   * records matched, unmatched when one was read, blank when its entries held no text.
   */
  private countShared(before: { matched: number; unmatched: number; skipped: number; blank: number | undefined }): void {
    const tally = this.shared!;
    this.shared = undefined;
    const n = [0, 0, 0];
    for (const v of tally.values()) n[v]!++;
    const s = this.session.input(this.name);
    s.linesMatched = before.matched + n[2]!;
    s.linesUnmatched = before.unmatched + n[1]!;
    s.linesSkipped = before.skipped + n[0]!;
    const blank = (before.blank ?? 0) + n[0]!;
    if (blank > 0) s.skipped['blank'] = blank;
    else delete s.skipped['blank'];
  }

  /** Handles whole lines; `bytes` from `offset` on, when given, hold `s` as bytes (the scanner prefers them). */
  private lines(s: string, bytes?: Uint8Array, offset?: number): void {
    const hasCr = s.indexOf('\r') >= 0;
    const hasNul = s.indexOf('\0') >= 0;
    const hasEsc = s.indexOf('\x1b') >= 0;
    let hits: number[] | undefined;
    // Hits of anything but an outcome word (the scanner's weak literals), from the same scan.
    const strongHits = this.strongBuf;
    strongHits.length = 0;
    if (this.scanner) {
      hits = this.hitBuf;
      hits.length = 0;
      this.scanner.positions(s, hits, bytes, offset, this.strong ? strongHits : undefined);
    }
    let h = 0;
    let sh = 0;
    let start = 0;
    const n = s.length;
    // fastscan.ts: unhit one-line records of plain log text are counted without the full path.
    const fast = hits !== undefined && !hasCr && !hasNul && !hasEsc && (this.force === 'auto' || this.force === 'python' || this.force === 'plain') && fastScanEnabled();
    let run = 0;
    /** The start of the line that the last fast line found a header at (asked once, not twice). */
    let headed = -1;
    while (start < n) {
      let end = s.indexOf('\n', start);
      if (end < 0) end = n;
      let hit = true;
      if (hits) {
        while (h < hits.length && hits[h]! < start) h++;
        hit = h < hits.length && hits[h]! < end;
      }
      if (fast && !hit && end + 1 < n && end - start <= this.maxLine && this.block === undefined && this.shared === undefined && !this.entries && (headed === start || plainHeaderAt(s, start)) && plainHeaderAt(s, end + 1)) {
        headed = end + 1;
        if (run++ === 0) {
          this.close(this.plain);
          if (this.plain.blanks > 0) this.session.skip(this.name, 'blank', this.plain.blanks);
          this.plain.blanks = 0;
          this.plain.headers = true;
          this.lastPrefix = undefined;
        }
        this.lineNo++;
        start = end + 1;
        continue;
      }
      // outcome-line.ts: a hit line of the fast path's shape, followed by a line of that shape, is a
      // record of one line; an outcome line among them is read in place (no copy, no record objects).
      if (fast && hit && end + 1 < n && end - start <= this.maxLine && this.block === undefined && this.shared === undefined && !this.entries && (headed === start || plainHeaderAt(s, start)) && plainHeaderAt(s, end + 1)) {
        headed = end + 1;
        const line = s.slice(start, end);
        // An id the reading found came from a key of the vocabulary's connection or Shared ID lists,
        // every one of which holds `conn` or `shared`: ID_HINT would match, it need not be asked.
        const q = this.inPlace;
        while (sh < strongHits.length && strongHits[sh]! < start) sh++;
        if (this.strong && !(sh < strongHits.length && strongHits[sh]! < end) && readOutcomeLine(line, q) && (q.connectionId !== undefined || q.sharedId !== undefined || ID_HINT.test(line))) {
          if (run > 0) {
            this.session.unmatched(this.name, run, run, 'text');
            run = 0;
          } else {
            this.close(this.plain);
            if (this.plain.blanks > 0) this.session.skip(this.name, 'blank', this.plain.blanks);
            this.plain.blanks = 0;
            this.plain.headers = true;
            this.lastPrefix = undefined;
          }
          // What the session may keep (a new connection's ids) must not hold the 64 KiB chunk.
          q.connectionId = own(q.connectionId);
          q.sharedId = own(q.sharedId);
          this.session.attempt(this.name, ++this.lineNo, q.message, q.time, q.side, q, 'text');
          start = end + 1;
          continue;
        }
      }
      if (run > 0) {
        this.session.unmatched(this.name, run, run, 'text');
        run = 0;
      }
      let line = hit && hits ? detach(s.slice(start, end)) : s.slice(start, end);
      // Colour codes can sit inside a level marker or a signature (structlog's console writes
      // `[` ESC[31m `error`): the scanner looks at the line without them.
      if (!hit && hasEsc && line.indexOf('\x1b[') >= 0 && this.test(line.replace(ANSI, ''))) {
        hit = true;
        line = detach(line);
      }
      if (hasCr || hasNul) this.special(line, hit);
      else this.physical(line, hit);
      start = end + 1;
    }
    if (run > 0) this.session.unmatched(this.name, run, run, 'text');
  }

  private special(line: string, hit: boolean): void {
    // A block in raw bytes (a binary field of journalctl -o export): its bytes are read, not taken as binary.
    const b = this.block;
    if (b !== undefined && b.shape.verbatim(b.state)) {
      this.blockLine(line, hit, ++this.lineNo, b.shape.raw);
      return;
    }
    let l = line;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    // Lone CR separates lines too (old Mac files, progress output), in binary text as well.
    const parts = l.indexOf('\r') < 0 ? [l] : l.split('\r');
    for (const part of parts) {
      // Binary when a NUL is within the cap: what lies past it is never looked at (see keepCarry).
      const nul = part.indexOf('\0');
      if (nul >= 0 && nul < this.maxLine) {
        const capped = part.length > this.maxLine ? part.slice(0, this.maxLine) : part;
        const text = unpadded(capped);
        if (text !== undefined) {
          // Text behind or before a run of NULs: the zeros a crash leaves where the file had grown
          // but the data never reached the disk. The line is read without them.
          if (capped !== part) this.session.truncated(this.name);
          // A JSON record takes no raw control byte in a string: written as its escape, the record parses and keeps it.
          const read = text.charCodeAt(0) === 123 ? text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
          this.physical(read, hit && (!this.scanner || this.test(read)));
          continue;
        }
        this.lineNo++;
        if (part.length > this.maxLine) this.session.truncated(this.name);
        this.settle();
        this.session.skip(this.name, 'binary');
      } else this.physical(part, parts.length === 1 ? hit : hit && (!this.scanner || this.test(part)));
    }
  }

  private test(s: string): boolean {
    return this.scanner!.test(s);
  }

  private physical(line: string, hit: boolean, lineNo = ++this.lineNo): void {
    let raw = line;
    const f = this.force;
    if (this.blocks.length > 0 && this.blockLine(raw, hit, lineNo, true)) return;
    if (raw.length > this.maxLine) {
      // Past the cap within one chunk (a line cut across chunks is capped in keepCarry).
      this.session.truncated(this.name);
      raw = raw.slice(0, this.maxLine);
      if (hit && this.scanner) hit = this.test(raw);
    }
    if (this.blocks.length > 0 && this.blockLine(raw, hit, lineNo, false)) return;
    // The log shapes of envelopes/, stage by stage (envelopes/types.ts), looked up by the line's
    // first character (most lines: no shape of most stages starts so, and nothing is called).
    const T = this.shapes;
    const out = this.out;
    let c = raw.charCodeAt(0);
    let list = T.strip[c];
    if (list !== undefined && this.find(list, raw)) {
      raw = raw.slice(out.start);
      c = raw.charCodeAt(0);
    }
    list = T.container[c];
    const e = list === undefined ? undefined : this.find(list, raw);
    if (e) {
      this.envelopeLine(this.laneOf(out.lane!), raw.slice(out.start, out.end), out.escaped, out.partial, hit, lineNo, e.tag, out.time);
      return;
    }
    if (c === 123 && this.carriers.length > 0 && (this.rawLinesSeen || this.rawLineChecks < RAW_LINE_CHECKS) && this.rawLine(raw, hit, lineNo)) return;
    // A stream a prefix names (kubectl --prefix, stern): its own lane, so a traceback stays one
    // record however the pods' lines interleave.
    let lane = this.plain;
    list = T.stream[c];
    if (list !== undefined && this.find(list, raw)) {
      lane = this.laneOf(out.lane!);
      raw = raw.slice(out.start);
      c = raw.charCodeAt(0);
    }
    list = T.stamp[c];
    if (list !== undefined && this.find(list, raw)) {
      this.logical(lane, { payload: raw.slice(out.start), escaped: false, hit, line: lineNo, endLine: lineNo, count: 1, envelope: undefined, envTime: out.time });
      return;
    }
    if (f === 'auto' && lane === this.plain) {
      const last = this.lastPrefix;
      this.lastPrefix = undefined;
      // journalctl writes the further lines of a multi-line message indented to the prefix's width.
      if (last && raw.charCodeAt(0) === 32 && raw.length >= last.length && isSpaces(raw, last.length)) {
        this.lastPrefix = last;
        this.logical(this.laneOf(last.lane), { payload: raw.slice(last.length), escaped: false, hit, line: lineNo, endLine: lineNo, count: 1, envelope: undefined, envTime: last.time });
        return;
      }
      list = T.prefix[raw.charCodeAt(0)];
      if (list !== undefined && this.find(list, raw)) {
        const { start, lane: key, time } = out;
        if (out.json) {
          // A record as JSON behind the prefix (Fluentd): its raw line in a lane per prefix stream.
          const json = raw.slice(start);
          if ((this.rawLinesSeen || this.rawLineChecks < RAW_LINE_CHECKS) && this.rawLine(json, hit, lineNo, key, time)) return;
          this.logical(this.laneOf(key!), { payload: json, escaped: false, hit, line: lineNo, endLine: lineNo, count: 1, envelope: undefined, envTime: time });
          return;
        }
        if (!out.weak || this.continuesTraceback(raw.slice(start))) {
          // The lane key keeps each process's (host, program, pid; Loki stream; Compose service)
          // records apart when a collector interleaves them.
          const into = key === undefined ? lane : this.laneOf(key);
          if (key !== undefined) this.lastPrefix = { lane: key, length: start, time };
          this.logical(into, { payload: raw.slice(start), escaped: false, hit, line: lineNo, endLine: lineNo, count: 1, envelope: undefined, envTime: time });
          return;
        }
      }
    }
    this.logical(lane, { payload: raw, escaped: false, hit, line: lineNo, endLine: lineNo, count: 1, envelope: undefined, envTime: undefined });
  }

  /**
   * The shape of `list` (a stage's shapes for the line's first character) that takes the line, its
   * findings in `this.out`; undefined when none does or one reads the line as it is.
   */
  private find(list: readonly number[], raw: string): Envelope | undefined {
    const out = this.out;
    for (let i = 0; i < list.length; i++) {
      const k = list[i]!;
      const e = ENVELOPES[k]!;
      if (!e.detect(raw)) continue;
      clear(out);
      const v = e.unwrap(raw, out, this.seen[k]!);
      if (v === TAKEN) return e;
      if (v !== NOT_MINE) return undefined;
    }
    return undefined;
  }

  /**
   * Whether a line that followed a bare time (`<ISO time> <text>`, as a log store's export writes
   * every line) goes on with the open record of the plain lane as part of a traceback: a bare time
   * cannot be told from a log line's own header, so only traceback text takes it off.
   */
  private continuesTraceback(payload: string): boolean {
    const o = this.plain.open;
    if (!o || o.json) return false;
    const c0 = payload.charCodeAt(0);
    if (payload.length === 0) return o.tb !== 0;
    if (c0 === 32 || c0 === 9 || payload.startsWith(TRACEBACK)) return true;
    if (o.tb === 2) return payload.startsWith(CHAIN_1) || payload.startsWith(CHAIN_2);
    return o.tb === 1 && !looksLikeHeader(payload);
  }

  /**
   * A JSON object that carries one raw line of an application's output (journald's MESSAGE from
   * a service's stdout, Fluent Bit's `log`, Cloud Logging's `textPayload`, Loki's `line`, a
   * shipper's `message`) is read like a Docker entry: the line goes into its stream's lane, so a
   * traceback written one line per object is one record again and the line's own header gives
   * the level and the logger. A structured event (`{"level": …, "msg": "connection failed"}`)
   * is not a raw line and stays a JSON record.
   */
  private rawLine(raw: string, hit: boolean, lineNo: number, scope = this.entryStream, time?: string): boolean {
    if (!this.rawLinesSeen) this.rawLineChecks++;
    const carriers = this.carriers;
    const out = this.out;
    for (let i = 0; i < carriers.length; i++) {
      const k = carriers[i]!;
      const e = ENVELOPES[k]!;
      if (!e.detect(raw)) continue;
      clear(out);
      const v = e.unwrap(raw, out, this.seen[k]!);
      if (v === NOT_MINE) continue;
      if (v !== TAKEN) return false;
      const payload = raw.slice(out.start, out.end);
      const lane = this.laneOf(scope === undefined ? out.lane! : `${out.lane!}|${scope}`);
      if (!isRawLine(payload, out.dated, lane.open)) return false;
      this.rawLinesSeen = true;
      this.logical(lane, { payload, escaped: true, hit, line: lineNo, endLine: lineNo, count: 1, envelope: undefined, envTime: carrierTime(raw) ?? time });
      return true;
    }
    return false;
  }

  private laneOf(key: string): Lane {
    let lane = this.lanes.get(key);
    if (lane) {
      // Near the cap, the lanes are kept in order of use: the one evicted is the one idle longest.
      if (this.lanes.size > MAX_LANES / 2) {
        this.lanes.delete(key);
        this.lanes.set(key, lane);
      }
      return lane;
    }
    if (this.lanes.size >= MAX_LANES) {
      // A syslog of a whole host has a process id per cron run: a lane for each would grow
      // without end. The idlest lane is ended (its open record handed over) and forgotten.
      const [oldKey, old] = this.lanes.entries().next().value as [string, Lane];
      this.finishPartial(old);
      this.close(old);
      if (old.blanks > 0) this.session.skip(this.name, 'blank', old.blanks);
      this.lanes.delete(oldKey);
    }
    lane = newLane();
    this.lanes.set(key, lane);
    return lane;
  }

  private envelopeLine(lane: Lane, payload: string, escaped: boolean, partial: boolean, hit: boolean, lineNo: number, envelope: LogRecord['envelope'], envTime: string | undefined): void {
    const p = lane.partial;
    if (p) {
      p.endLine = lineNo;
      p.count++;
      p.hit ||= hit;
      if (lane.partSize + payload.length <= this.maxLine) {
        lane.parts.push(payload);
        lane.partSize += payload.length;
      } else if (!lane.cut) {
        // Past the line cap: keep what fits, count the rest of the pieces without keeping them.
        lane.parts.push(payload.slice(0, this.maxLine - lane.partSize));
        lane.partSize = this.maxLine;
        lane.cut = true;
      }
      if (!partial) this.finishPartial(lane);
      return;
    }
    const l: Logical = { payload, escaped, hit, line: lineNo, endLine: lineNo, count: 1, envelope, envTime };
    if (partial) {
      lane.partial = l;
      lane.parts = [payload];
      lane.partSize = payload.length;
      lane.cut = false;
      return;
    }
    this.logical(lane, l);
  }

  /** Joins a lane's partial pieces into one logical line. */
  private finishPartial(lane: Lane): void {
    const p = lane.partial;
    if (!p) return;
    lane.partial = undefined;
    const joined = lane.parts.length === 1 ? lane.parts[0]! : lane.parts.join('');
    lane.parts = [];
    lane.partSize = 0;
    if (lane.cut) this.session.truncated(this.name);
    lane.cut = false;
    // A signature may straddle a cut: scan the joined text again.
    this.logical(lane, { ...p, payload: joined, hit: p.hit || !this.scanner || this.test(joined) });
  }

  /**
   * The block shapes (envelopes/index.ts, BLOCKS) asked at one point of a line's reading: `raw`
   * before the line is capped or judged binary, else after the cap. An open block is given the line
   * by its shape alone; a line it does not take ends it and is read afresh. Whether the line was a block's.
   */
  private blockLine(line: string, hit: boolean, lineNo: number, raw: boolean): boolean {
    const b = this.block;
    if (b !== undefined) {
      if (b.shape.raw !== raw) return false;
      const v = b.shape.take(b.state, line);
      if (v !== NOT_MINE) {
        b.lines++;
        b.hit ||= hit;
        if (v === ENDS) this.flushBlock();
        return true;
      }
      this.flushBlock();
    }
    const c = line.charCodeAt(0);
    // Most lines open no block: one look-up, not a walk over the shapes.
    if (!(raw ? this.blockFirstRaw : this.blockFirst).has(c)) return false;
    for (const shape of this.blocks) {
      if (shape.raw !== raw || !shape.first.includes(c)) continue;
      const state = shape.open(line, this.maxLine);
      if (state === undefined) continue;
      this.block = { shape, state, line: lineNo, lines: 1, hit };
      return true;
    }
    return false;
  }

  /**
   * An open block, read as its one record (the JSON object `-o json` writes for a journal entry)
   * on its first line; its other lines are counted as `structure`.
   */
  private flushBlock(): void {
    const b = this.block;
    if (!b) return;
    this.block = undefined;
    if (b.lines > 1) this.session.skip(this.name, 'structure', b.lines - 1);
    const json = JSON.stringify(b.shape.record(b.state));
    if (this.rawLine(json, b.hit, b.line)) return;
    this.logical(this.plain, { payload: json, escaped: false, hit: b.hit, line: b.line, endLine: b.line, count: 1, envelope: undefined, envTime: undefined });
  }

  /** Ends every lane: joins open partials, hands over open records, skips held blank lines. */
  private settle(): void {
    this.flushBlock();
    const lanes = [this.plain, ...this.lanes.values()];
    for (const lane of lanes) this.finishPartial(lane);
    for (const lane of lanes) {
      this.close(lane);
      if (lane.blanks > 0) this.session.skip(this.name, 'blank', lane.blanks);
      lane.blanks = 0;
    }
  }

  private logical(lane: Lane, l: Logical): void {
    const s = l.payload;
    const c0 = s.charCodeAt(0);
    // Blank: held until we know whether the record goes on after it.
    if (s.length === 0 || (c0 <= 32 && s.trim() === '') || (l.escaped && c0 === 92 && /^(?:\s|\\[tnr]|\\u0009)*$/.test(s))) {
      lane.blanks += l.count;
      if (this.shared && !this.shared.has(l.line)) this.shared.set(l.line, 0);
      return;
    }
    const o = lane.open;
    const json = this.force === 'json' || (this.force !== 'python' && this.force !== 'plain' && c0 === 123); /* { */
    const header = !json && looksLikeHeader(s);
    if (header) lane.headers = true;
    if (o && !json && !o.json && o.count < this.maxRecordLines && lane.blanks <= MAX_BLANKS_IN_RECORD && this.continues(o, s, l.escaped, header, lane.blanks > 0, lane.headers)) {
      if (lane.blanks > 0) {
        // Blank lines inside a record (between chained tracebacks) stay in its message.
        for (let i = 0; i < lane.blanks; i++) o.lines.push({ ...l, payload: '', hit: false, count: 1 });
        o.count += lane.blanks;
        lane.blanks = 0;
      }
      if (o.size + s.length <= this.maxLine) {
        o.lines.push(l);
        o.size += s.length;
      } else if (o.size < this.maxLine) {
        // The record is past what the engine searches (the line cap): count the rest, keep none of it.
        this.session.truncated(this.name);
        o.size = this.maxLine;
      }
      o.endLine = l.endLine;
      o.count += l.count;
      o.hit ||= l.hit;
      return;
    }
    this.close(lane);
    if (lane.blanks > 0) {
      this.session.skip(this.name, 'blank', lane.blanks);
      lane.blanks = 0;
    }
    lane.open = {
      lines: [l],
      line: l.line,
      endLine: l.endLine,
      count: l.count,
      size: s.length,
      hit: l.hit,
      json,
      headed: header,
      envelope: l.envelope,
      tb: s.startsWith(TRACEBACK) ? 1 : 0,
    };
  }

  /**
   * Whether a line continues the open record: a traceback (header, indented frames, the exception
   * line, chained tracebacks), an indented line, or, after a line that starts like a log line, any
   * line that does not (a multi-line message). After a blank line only a traceback goes on.
   * `headers`: the stream has log-line headers, so a line without one after an exception line is
   * more of the exception's text; in plain text it is the next line.
   */
  private continues(o: OpenRecord, s: string, escaped: boolean, header: boolean, afterBlank: boolean, headers: boolean): boolean {
    const c0 = s.charCodeAt(0);
    const indented = c0 === 32 || c0 === 9 || (escaped && (s.startsWith('\\t') || s.startsWith('\\u0009')));
    if (o.tb === 1) {
      if (header) return false; // frames cut short: a new log line
      if (!indented && !s.startsWith(TRACEBACK)) o.tb = 2; // the exception line ends the frames
      return true;
    }
    if (s.startsWith(TRACEBACK)) {
      o.tb = 1;
      return true;
    }
    if (o.tb === 2 && (s.startsWith(CHAIN_1) || s.startsWith(CHAIN_2))) return true;
    if (indented) return true;
    if (afterBlank || header) return false;
    // A Python exception message can run over several lines, and a logged message too.
    return o.headed || (o.tb === 2 && headers);
  }

  private close(lane: Lane): void {
    const o = lane.open;
    if (!o) return;
    lane.open = undefined;
    const fmtBase = o.json ? 'json' : 'text';
    const fmt = o.envelope ? `${o.envelope}+${fmtBase}` : fmtBase;
    if (!o.hit) {
      this.session.unmatched(this.name, this.entries ? 1 : o.count, 1, fmt);
      if (this.shared && (this.shared.get(o.line) ?? 0) < 1) this.shared.set(o.line, 1);
      return;
    }
    if (this.strong && o.count === 1 && !o.json && !o.lines[0]!.escaped && !this.strong.test(o.lines[0]!.payload)) {
      // Only a sync outcome word (`sync completed`): an attempt of its connection, no full parse;
      // and a line that names no connection or Shared ID is an attempt of nobody.
      if (!ID_HINT.test(o.lines[0]!.payload)) {
        this.session.unmatched(this.name, 1, 1, fmt);
        if (this.shared && (this.shared.get(o.line) ?? 0) < 1) this.shared.set(o.line, 1);
        return;
      }
      // outcome-line.ts: the commonest shape read without the header's patterns or the pairs' object.
      if (fastScanEnabled() && readOutcomeLine(o.lines[0]!.payload, this.outcome)) {
        const q = this.outcome;
        this.session.attempt(this.name, o.line, q.message, q.time, q.side, q, fmt);
        if (this.shared && (this.shared.get(o.line) ?? 0) < 1) this.shared.set(o.line, 1);
        return;
      }
      const text = this.decode(o.lines[0]!);
      const header = parseTextHeader(text.indexOf('\x1b[') >= 0 ? text.replace(ANSI, '') : text);
      // A line at error or warning level also feeds the unmatched lists: the full path reads it.
      if (header.level === undefined || !NOTEWORTHY_LEVEL.test(header.level)) {
        const ctx = contextOf(keyValues(header.message), header.logger);
        this.session.attempt(this.name, o.line, header.message, header.time ?? o.lines[0]!.envTime, ctx.side, ctx, fmt);
        if (this.shared && (this.shared.get(o.line) ?? 0) < 1) this.shared.set(o.line, 1);
        return;
      }
    }
    const matched = this.session.log(this.toRecord(o)) > 0;
    if (this.shared && (this.shared.get(o.line) ?? 0) < (matched ? 2 : 1)) this.shared.set(o.line, matched ? 2 : 1);
  }

  private decode(l: Logical): string {
    const text = utf8(l.payload);
    if (!l.escaped) return text;
    try {
      return JSON.parse(`"${text}"`) as string;
    } catch {
      return text;
    }
  }

  /** A record's leading fields, in the order the report has always had them. */
  private recordBase(o: OpenRecord, source: LogRecord['source'], format: LogRecord['format'], message: string, fields: LogRecord['fields']): Mutable<LogRecord> {
    if (o.envelope) return { kind: 'log', source, envelope: o.envelope, format, message, fields };
    return { kind: 'log', source, format, message, fields };
  }

  private toRecord(o: OpenRecord): LogRecord {
    const first = o.lines[0]!;
    // The session counts a record's lines from its span; when lines of another stream fell inside
    // it, the span is narrowed to the lines the record holds so that every line is counted once.
    // A document's entries: the line where the first one starts (its other lines are structure).
    const source = { file: this.name, line: o.line, endLine: this.entries ? o.line : o.line + o.count - 1 };
    const envTime = normalizeTime(first.envTime);
    // Records are built field by field in one order (no spreads): absent fields stay absent.
    if (o.json) {
      const text = this.decode(first);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const j = fromJsonObject(parsed);
      if (j) {
        const time = normalizeTime(j.time) ?? envTime;
        const rec = this.recordBase(o, source, 'json', j.message, j.fields);
        if (j.level) rec.level = j.level;
        if (time) rec.time = time;
        if (j.logger) rec.logger = j.logger;
        if (j.exceptions) rec.exceptions = j.exceptions;
        return contextOf(j.fields, j.logger, rec);
      }
      // Not JSON after all (truncated, or braces in text): searched as plain text.
      const rec = this.recordBase(o, source, 'plain', text, {});
      if (envTime) rec.time = envTime;
      return rec;
    }
    const lines = o.lines;
    const texts: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      let t = this.decode(l);
      if (t.indexOf('\x1b[') >= 0) t = t.replace(ANSI, '');
      // A raw line kept in JSON may be a whole record (a log store's entry of a multi-line
      // message): its first line is the header.
      if (l.escaped && t.indexOf('\n') >= 0) for (const part of t.split(/\r?\n/)) texts.push(part);
      else texts.push(t);
    }
    const header: TextHeader = this.force === 'plain' ? { format: 'plain', message: texts[0]! } : parseTextHeader(texts[0]!);
    const message = texts.length > 1 ? `${header.message}\n${texts.slice(1).join('\n')}` : header.message;
    const fields = keyValues(header.message);
    const time = normalizeTime(header.time) ?? envTime;
    const exceptions = texts.length > 1 ? pythonChain(message) : undefined;
    const rec = this.recordBase(o, source, header.format, message, fields);
    if (header.level) rec.level = header.level;
    if (time) rec.time = time;
    if (header.logger) rec.logger = header.logger;
    if (exceptions) rec.exceptions = exceptions;
    return contextOf(fields, header.logger, rec);
  }
}

/**
 * Reads a whole stream of bytes into the session.
 *
 * @example
 * ```ts
 * const session = new DiagnosisSession(await loadRulePack([rulesDir]));
 * await readLogStream(createReadStream('/var/log/scs/scs.log'), 'scs.log', session);
 * const report = session.report();
 * ```
 */
export async function readLogStream(stream: AsyncIterable<Buffer | string>, name: string, session: DiagnosisSession, options: ReadOptions = {}): Promise<void> {
  const reader = new LogReader(session, name, options);
  try {
    for await (const chunk of stream) reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } finally {
    reader.end();
  }
}

/**
 * Reads log text already in memory (tests, fixtures, embedding hosts).
 *
 * @example
 * ```ts
 * readLogText('2026-05-12 14:03:22,118 ERROR scs.sync.sender shared secret unavailable: InvalidToken\n', 'pasted', session);
 * const { diagnoses } = session.report();
 * ```
 */
export function readLogText(text: string | Buffer, name: string, session: DiagnosisSession, options: ReadOptions = {}): void {
  const reader = new LogReader(session, name, options);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  // A UTF-8 byte-order mark (Windows editors) is not part of the first line.
  reader.push(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
  reader.end();
}
