/**
 * The sync-history reader. Accepts a JSON array of events, an object with an `events` array, or
 * NDJSON (one event a line), streamed: the file never has to fit in memory, and a file cut short
 * still gives the events before the cut. Each event is validated; an invalid one is counted with
 * its place and reason and the rest go on. Every line of the file is accounted for in the input's
 * stats: an event's lines are matched or unmatched, the rest (brackets, blank lines, comments)
 * skipped with the reason.
 */
import { StringDecoder } from 'node:string_decoder';
import { SYNC_EVENT_KEYS, SyncEventSchema, type DiagnosisSession, type SyncEvent } from '@scs-doctor/core/internal';
import { blockEnd, CanonicalLines, canonicalObject, tryParse } from './events-canonical.js';
import { jsonError } from './formats/json.js';

/**
 * Keys under which an envelope object holds its events: `{"events": [...]}` as DESIGN.md names it,
 * and the names paginated APIs and exports commonly use for the same list.
 */
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['events', 'syncEvents', 'sync_events', 'items', 'data', 'results', 'records']);

/** Keys that name a connection: an object with one is an event, not a page of them. */
const CONNECTION_KEYS: ReadonlySet<string> = new Set([...SYNC_EVENT_KEYS.connectionId, ...SYNC_EVENT_KEYS.connectionName, 'connection']);
const START_KEYS: ReadonlySet<string> = new Set(SYNC_EVENT_KEYS.startedAt);
/** The start keys no envelope would carry (`time` and `timestamp` may stamp a page). */
const EVENT_START_KEYS: ReadonlySet<string> = new Set(['startedAt', 'started_at', 'startTime', 'start_time']);
const STATUS_KEYS: ReadonlySet<string> = new Set(SYNC_EVENT_KEYS.status);

/** An object that carries a sync event's own fields: a connection, or a status and a start time. */
function looksLikeEvent(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  let status = false;
  let start = false;
  for (const k of Object.keys(v)) {
    if (CONNECTION_KEYS.has(k)) return true;
    status ||= STATUS_KEYS.has(k);
    start ||= START_KEYS.has(k);
  }
  return status && start;
}

/**
 * An object that holds events under an envelope key. An event's own list (`items` and `data` are
 * also names for its files) does not make it one: a list whose entries are events does, and so
 * does a list of anything in an object that is not itself an event (`{"events": []}`).
 */
function isEnvelope(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  let lists = false;
  for (const k of ENVELOPE_KEYS) {
    const list = v[k];
    if (!Array.isArray(list)) continue;
    if (list.some(looksLikeEvent)) return true;
    lists = true;
  }
  return lists && !looksLikeEvent(v);
}

/** Envelope keys are searched this deep for a nested list of events (`{"data": {"events": [...]}}`). */
const NESTED_DEPTH = 4;

/** The depth (1: inside the top-level value) down to which the scanner looks for a list of events while reading. */
const MAX_LIST_DEPTH = NESTED_DEPTH + 1;

/** Keys of a list of events in a response: the envelope keys, and GraphQL connections' `edges` and `nodes`. */
const LIST_KEYS: ReadonlySet<string> = new Set([...ENVELOPE_KEYS, 'edges', 'nodes']);

/** A list of events found inside a response, with its JSON path (`data.syncEvents.edges`). */
interface NestedList {
  list: unknown[];
  path: string;
  /** GraphQL edges: each element holds its event under `node`. */
  edges: boolean;
}

/** The JSON path of element `i` of a nested list (`data.events[3]`, `data.syncEvents.edges[3].node`). */
function elementPath(path: string, i: number, edges: boolean): string {
  return `${path}[${i}]${edges ? '.node' : ''}`;
}

/** An element of a list of events: itself, or the `node` of a GraphQL edge. */
function unwrapEdge(e: unknown, edges: boolean): unknown {
  return edges && isPlainObject(e) && e['node'] !== undefined ? e['node'] : e;
}

/**
 * The events of a response that nests them: under envelope keys at any depth up to NESTED_DEPTH,
 * and as GraphQL connections write lists (`{"edges": [{"node": {...}}]}`). Undefined when none.
 */
function nestedEvents(v: unknown, depth = 0, path = ''): NestedList | undefined {
  if (!isPlainObject(v) || depth > NESTED_DEPTH) return undefined;
  // An empty list (the last page of a paginated history) is a page without events, when no list
  // with events is found.
  let empty: NestedList | undefined;
  for (const [k, x] of Object.entries(v)) {
    if (Array.isArray(x) && LIST_KEYS.has(k)) {
      const edges = k === 'edges';
      if (x.some((e) => looksLikeEvent(unwrapEdge(e, edges)))) return { list: x, path: path + k, edges };
      if (x.length === 0) empty ??= { list: x, path: path + k, edges };
    }
  }
  for (const [k, x] of Object.entries(v)) {
    const found = nestedEvents(x, depth + 1, `${path}${k}.`);
    if (found && found.list.length > 0) return found;
    empty ??= found;
  }
  return empty;
}

/**
 * The errors of an API error response (GraphQL's `{"errors": [{"message": …}], "data": null}`,
 * or `{"error": "…"}`): what to tell the user instead of "not a sync event".
 */
function errorResponse(v: unknown): string | undefined {
  if (!isPlainObject(v) || looksLikeEvent(v)) return undefined;
  const errors = v['errors'];
  if (Array.isArray(errors) && errors.length > 0) {
    const first: unknown = errors[0];
    const message = isPlainObject(first) && typeof first['message'] === 'string' ? first['message'] : typeof first === 'string' ? first : JSON.stringify(first);
    return `an error response, not a page of events (${errors.length} error${errors.length === 1 ? '' : 's'}; the first: ${message.slice(0, 200)})`;
  }
  const error = v['error'];
  if (typeof error === 'string' || isPlainObject(error)) {
    const message = typeof error === 'string' ? error : typeof error['message'] === 'string' ? error['message'] : JSON.stringify(error);
    return `an error response, not a page of events (${message.slice(0, 200)})`;
  }
  return undefined;
}

/** A response (not an event) that holds a list of events somewhere inside. */
function holdsNestedEvents(v: unknown): boolean {
  return isPlainObject(v) && !looksLikeEvent(v) && nestedEvents(v) !== undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Validates one event. Events already in the canonical shape take a direct path (the history of a
 * busy installation is millions of events); anything else goes through the full schema, which also
 * accepts snake_case and other aliases, other status words and other time formats.
 *
 * @example
 * ```ts
 * const r = toSyncEvent({ connection_id: 'c-1', status: 'failure', started_at: '2026-05-12T14:00:00Z', message: 'connection failed (no manifest received)' });
 * if ('event' in r) session.event(r.event);
 * else console.error(r.error);
 * ```
 */
export function toSyncEvent(raw: unknown): { event: SyncEvent } | { error: string } {
  if (isPlainObject(raw)) {
    const event = canonicalObject(raw);
    if (event) return { event };
  }
  const r = SyncEventSchema.safeParse(raw);
  if (r.success) return { event: r.data };
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') + ': ' : '';
  return { error: `invalid sync event: ${where}${issue.message}` };
}

export interface EventReadOptions {
  /** Called for each valid event before it reaches the session (hosts may collect them). */
  onEvent?: (event: SyncEvent) => void;
  /** Longest event (or NDJSON line) read, in characters (default 16 MiB). */
  maxEventChars?: number;
}

export interface EventReadResult {
  /** Valid events handed to the session. */
  events: number;
  /** Events that failed validation or JSON parsing (counted, located, skipped). */
  invalid: number;
  /** The file is not a sync history at all, or its JSON is cut short: an input error. */
  unreadable: boolean;
}

const DEFAULT_MAX_EVENT_CHARS = 16 << 20;
const EMPTY = Buffer.alloc(0);
/** How much of a `{` file is looked at to tell NDJSON from one JSON object. */
const SNIFF_CHARS = 1 << 20;

type Mode = 'sniff' | 'ndjson' | 'doc' | 'unreadable';

/**
 * Incremental reader: feed text with `push`, then call `end`. Line numbers are 1-based; a line is
 * counted once, by the first event that has a character on it.
 *
 * @example
 * ```ts
 * const reader = new EventsReader(session, 'api-page.json');
 * for (const page of pages) reader.push(page);
 * const { events, invalid } = reader.end();
 * ```
 */
export class EventsReader {
  private readonly session: DiagnosisSession;
  private readonly name: string;
  private readonly options: EventReadOptions;
  private readonly maxChars: number;
  private readonly result: EventReadResult = { events: 0, invalid: 0, unreadable: false };
  private mode: Mode = 'sniff';
  private first = true;
  private bytes = 0;
  /** Text not yet consumed (sniffing; NDJSON: the unfinished line). */
  private pending = '';
  /** Lines fully read so far, and lines handed over as part of an event or a skip. */
  private line = 1;
  private counted = 0;
  private lastCountedLine = 0;

  // Document scanner state.
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Depth of the array whose elements are events (1: a top-level array, 2: `{"events": [...]}`). */
  private arrDepth = -1;
  /** The top-level value is an object: buffered until we know it is not an `events` envelope. */
  private topObject: string[] | undefined;
  private topObjectChars = 0;
  private topObjectLine = 0;
  /** The line on which the top-level value starts (a compact response is all on it). */
  private topLine = 0;
  /**
   * Per depth (1: inside the top-level value) up to MAX_LIST_DEPTH, while no list of events is
   * being read: whether the container there is an object, the key whose value is being read, and
   * whether the object has shown an event's start time (then its lists are its own, not events).
   */
  private readonly isObj: boolean[] = [];
  private readonly keys: string[] = [];
  private readonly eventish: boolean[] = [];
  /** The list of events being read: its JSON path (`data.events`), whether it holds GraphQL edges, the next index. */
  private arrPath = '';
  private arrEdges = false;
  private arrIndex = 0;
  private stringStart = -1;
  private stringParts: string[] = [];
  private stringChars = 0;
  private lastString = '';
  /** The event being read: its text pieces, first line, last line with a character of it. */
  private elem: string[] | undefined;
  private elemChars = 0;
  private elemLine = 0;
  private elemEndLine = 0;
  private elemScalar = false;
  private elemTooLong = false;
  private elemIndex = 0;

  constructor(session: DiagnosisSession, name: string, options: EventReadOptions = {}) {
    this.session = session;
    this.name = name;
    this.options = options;
    this.maxChars = options.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS;
    session.input(name, 'events');
  }

  push(text: string, bytes = Buffer.byteLength(text)): void {
    this.bytes += bytes;
    let t = text;
    if (this.first && t.length > 0) {
      this.first = false;
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    }
    if (this.mode === 'sniff') {
      this.pending += t;
      this.sniff(false);
      return;
    }
    this.feed(t);
  }

  end(): EventReadResult {
    if (this.lane) {
      if (this.pendingBytes.length > 0) this.pending = this.pendingBytes.toString('utf8');
      this.pendingBytes = EMPTY;
    } else if (this.decoder) {
      this.push(this.decoder.end(), 0);
      this.decoder = undefined;
    }
    if (this.mode === 'sniff') this.sniff(true);
    if (this.mode === 'ndjson') {
      if (this.overlong) this.tooLong(false);
      else if (this.pending.length > 0) this.ndjsonLine(this.pending, false);
      this.pending = '';
    } else if (this.mode === 'doc') this.endDoc();
    else if (this.mode === 'unreadable') this.pending = '';
    if (this.result.events === 0 && this.result.invalid > 0 && !this.result.unreadable) {
      // Not one event could be read: most likely not a sync history, or one in a shape not known
      // here. A run that reported it as healthy would mislead; it is an input problem.
      this.unreadable(this.firstInvalidLine, `no valid sync event (${this.result.invalid} invalid; the first, at line ${this.firstInvalidLine}: ${this.firstInvalidReason})`);
    }
    // A last line without a newline is a line too.
    const total = this.line - (this.lastCharWasNewline ? 1 : 0);
    // Lines outside any event: brackets and keys of a document, blank lines; all of a file that is not a history.
    const nothingRead = this.result.unreadable && this.result.events === 0 && this.result.invalid === 0;
    const reason = this.mode === 'unreadable' || (this.mode === 'doc' && nothingRead) ? 'invalid-json' : this.mode === 'doc' ? 'structure' : 'blank';
    if (total > this.counted) this.session.skip(this.name, reason, total - this.counted);
    this.session.read(this.name, total, this.bytes);
    return this.result;
  }

  private lastCharWasNewline = true;

  // Bytes (readEventsStream): the layout is sniffed from decoded text; NDJSON then stays in bytes.
  private decoder: StringDecoder | undefined;
  /** While sniffing bytes: what was pushed, undecoded (NDJSON is then read from these). */
  private sniffRaw: Buffer[] = [];
  /** Sniffing for pushBytes: an NDJSON decision leaves the text unread (the bytes are read instead). */
  private holdNdjson = false;
  /** NDJSON in bytes: the unfinished line. */
  private pendingBytes: Buffer = EMPTY;
  /** Set once NDJSON is read from bytes: canonical lines go through it without JSON.parse. */
  private lane: CanonicalLines | undefined;
  private laneLines = 0;

  /** Lines read by the canonical lane (from bytes, without JSON.parse); the rest took the full path. */
  get canonicalLines(): number {
    return this.laneLines;
  }

  /**
   * Feeds bytes (UTF-8). NDJSON is read from the bytes themselves: lines in the canonical shape
   * are recognised in place, others are decoded and take the full path. Do not mix with `push`.
   */
  pushBytes(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.lane) {
      this.bytes += chunk.length;
      this.lastCharWasNewline = chunk[chunk.length - 1] === 10;
      this.feedNdjsonBytes(chunk);
      return;
    }
    const size = chunk.length;
    let c = chunk;
    if (this.first && c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) c = c.subarray(3);
    this.decoder ??= new StringDecoder('utf8');
    if (this.mode !== 'sniff') {
      this.push(this.decoder.write(c), size);
      return;
    }
    this.sniffRaw.push(c);
    this.holdNdjson = true;
    this.push(this.decoder.write(c), size);
    this.holdNdjson = false;
    if (this.mode === 'sniff') return;
    const raw = Buffer.concat(this.sniffRaw);
    this.sniffRaw = [];
    if (this.mode !== 'ndjson') return;
    // NDJSON: nothing has been read yet; from here on, bytes.
    this.lane = new CanonicalLines();
    this.decoder = undefined;
    if (raw.length > 0) {
      this.lastCharWasNewline = raw[raw.length - 1] === 10;
      this.feedNdjsonBytes(raw);
    }
  }

  /** Decides the layout from the first characters, then feeds what was held. */
  private sniff(atEnd: boolean): void {
    const text = this.pending;
    const at = text.search(/\S/);
    if (at < 0) {
      if (!atEnd) return;
      // Nothing but whitespace: every line is blank.
      this.mode = 'ndjson';
      this.pending = '';
      if (!this.holdNdjson) this.feed(text);
      return;
    }
    const c = text[at]!;
    let mode: Mode;
    if (c === '[') mode = 'doc';
    else if (c === '#' || c === '/') mode = 'ndjson';
    else if (c !== '{') mode = 'unreadable';
    else {
      // `{`: NDJSON unless the first line alone is not a whole JSON value (a pretty-printed
      // document) or is an `events` envelope. A broken first line followed by a line that is a
      // whole object is NDJSON with one bad line.
      const lines = nonBlankLines(text, 2, atEnd);
      if (lines === undefined && text.length < SNIFF_CHARS && !atEnd) return;
      const [l1, l2] = lines ?? [];
      const v1 = l1 === undefined ? undefined : tryParse(l1);
      if (v1 !== undefined && v1 !== null && typeof v1 === 'object' && !Array.isArray(v1)) {
        // A response (compact, as curl saves it) is read by the document scanner, which finds its
        // list of events and reads them one by one, and reads more responses after it (NDJSON of pages).
        mode = isEnvelope(v1) || holdsNestedEvents(v1) ? 'doc' : 'ndjson';
      } else if (v1 === undefined && l2 !== undefined) {
        const v2 = tryParse(l2);
        mode = v2 !== null && typeof v2 === 'object' && !Array.isArray(v2) ? 'ndjson' : 'doc';
      } else mode = v1 === undefined ? 'doc' : 'ndjson';
    }
    this.mode = mode;
    this.pending = '';
    if (mode === 'unreadable') {
      this.result.unreadable = true;
      this.session.problem({ code: 'EVENTS_UNREADABLE', message: `${this.name}: not a sync history (expected a JSON array of sync events, an object with an "events" array, or NDJSON)`, file: this.name, line: lineOf(text, at) }, this.name);
    }
    if (mode === 'ndjson' && this.holdNdjson) return;
    this.feed(text);
  }

  private feed(t: string): void {
    if (t.length === 0) return;
    this.lastCharWasNewline = t.charCodeAt(t.length - 1) === 10;
    if (this.mode === 'ndjson') this.feedNdjson(t);
    else if (this.mode === 'doc') this.feedDoc(t);
    else this.line += countNewlines(t);
  }

  // NDJSON ----------------------------------------------------------------------------------

  private feedNdjson(t: string): void {
    let text = this.pending + t;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (this.overlong) this.tooLong(true);
      else this.ndjsonLine(text.slice(start, nl), true);
      start = nl + 1;
    }
    text = text.slice(start);
    if (this.overlong || text.length > this.maxChars) {
      // A line longer than any event: its text is dropped until it ends, then it is one invalid event.
      this.overlong = true;
      this.pending = '';
      return;
    }
    this.pending = text;
  }

  /** The unfinished line is longer than any event: dropped until its newline. */
  private overlong = false;

  /** A line longer than any event, ended: one invalid event, counted at its place. */
  private tooLong(complete: boolean): void {
    this.overlong = false;
    const lineNo = this.takeLine(complete);
    this.invalid(lineNo, lineNo, `event longer than ${this.maxChars} characters`);
  }

  /** Counts the NDJSON line being read (its newline too, when it has one); returns its number. */
  private takeLine(complete: boolean): number {
    const lineNo = this.line;
    if (complete) this.line++;
    this.counted++;
    this.lastCountedLine = lineNo;
    return lineNo;
  }

  /** NDJSON from bytes: whole lines through the lane (or the full path), the unfinished one kept. */
  private feedNdjsonBytes(chunk: Buffer): void {
    let start = 0;
    if (this.pendingBytes.length > 0 || this.overlong) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        if (!this.overlong) this.keepBytes(Buffer.concat([this.pendingBytes, chunk]));
        return;
      }
      if (this.overlong) this.tooLong(true);
      else {
        const line = Buffer.concat([this.pendingBytes, chunk.subarray(0, nl)]);
        this.pendingBytes = EMPTY;
        // Decoded, it may still be longer than any event in characters: ndjsonLine says so.
        this.ndjsonLine(line.toString('utf8'), true);
      }
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) this.ndjsonBytes(chunk, start, last + 1);
    const rest = Math.max(start, last + 1);
    if (rest < chunk.length) this.keepBytes(Buffer.from(chunk.subarray(rest)));
  }

  /**
   * Holds the unfinished line. Past three bytes for each character an event may have (UTF-8
   * needs at most that many for one UTF-16 character), it is longer than any event whatever it
   * decodes to: dropped until its newline.
   */
  private keepBytes(line: Buffer): void {
    if (line.length > this.maxChars * 3) {
      this.overlong = true;
      this.pendingBytes = EMPTY;
    } else this.pendingBytes = line;
  }

  /** Whole lines `bytes[from, to)` (ending with a newline). */
  private ndjsonBytes(bytes: Buffer, from: number, to: number): void {
    for (let start = from; start < to;) {
      const end = blockEnd(bytes, start, to);
      this.ndjsonBlock(bytes, start, end);
      start = end;
    }
  }

  private ndjsonBlock(bytes: Buffer, from: number, to: number): void {
    const lane = this.lane!;
    const text = bytes.toString('latin1', from, to);
    const n = text.length;
    let i = 0;
    while (i < n) {
      let event = lane.active ? lane.read(text, i, bytes, from) : undefined;
      // A line longer than any event takes the full path, which refuses it (by its characters).
      if (event !== undefined && lane.next - i - 1 > this.maxChars) event = undefined;
      if (event !== undefined) {
        const lineNo = this.takeLine(true);
        this.laneLines++;
        this.accept(event, lineNo, lineNo, lane.endMs, lane.startMs);
        i = lane.next;
        continue;
      }
      const nl = text.indexOf('\n', i);
      this.ndjsonLine(bytes.toString('utf8', from + i, from + nl), true);
      i = nl + 1;
    }
  }

  private ndjsonLine(raw: string, complete: boolean): void {
    if (raw.length > this.maxChars) return this.tooLong(complete);
    const lineNo = this.takeLine(complete);
    const t = raw.trim();
    if (t === '') return this.session.skip(this.name, 'blank');
    if (t.startsWith('#') || t.startsWith('//')) return this.session.skip(this.name, 'comment');
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      this.invalid(lineNo, lineNo, `not valid JSON: ${jsonError(e)}`);
      return;
    }
    if (this.lane && isPlainObject(value)) {
      const event = canonicalObject(value);
      if (event) {
        // A canonical line the lane did not know: it learns the key order for the lines to come.
        this.lane.learn(value, t);
        this.accept(event, lineNo, lineNo);
        return;
      }
    }
    this.give(value, lineNo, lineNo);
  }

  // JSON document --------------------------------------------------------------------------

  private feedDoc(t: string): void {
    const n = t.length;
    // Pieces of `t` that belong to the current event (or to the buffered top-level object).
    let elemFrom = this.elem ? 0 : -1;
    let topFrom = this.topObject ? 0 : -1;
    let i = 0;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (this.inString) {
        // Jump to the next quote or backslash.
        let j = i;
        let broken = false;
        while (j < n) {
          const d = t.charCodeAt(j);
          if (this.escape) this.escape = false;
          else if (d === 92) this.escape = true;
          else if (d === 34) break;
          else if (d === 10) {
            // JSON has no line break inside a string: a compact response cut short on its line.
            if (this.topLine === this.line) {
              broken = true;
              break;
            }
            this.line++;
          }
          j++;
        }
        if (broken) {
          this.cutLine();
          elemFrom = -1;
          topFrom = -1;
          this.line++;
          i = j + 1;
          continue;
        }
        // The event reaches the line of its last character: not the next line when that is a newline.
        if (this.elem && j > i) this.elemEndLine = t.charCodeAt(j - 1) === 10 ? this.line - 1 : this.line;
        if (this.stringStart >= 0) {
          // Keys are short: a long string at depth 1 is a value, not worth keeping.
          if (this.stringChars + j - this.stringStart <= 64) this.stringParts.push(t.slice(this.stringStart, j));
          this.stringChars += j - this.stringStart;
        }
        if (j >= n) {
          if (this.stringStart >= 0) this.stringStart = 0;
          break;
        }
        this.inString = false;
        if (this.stringStart >= 0) this.lastString = this.stringChars <= 64 ? this.stringParts.join('') : '';
        this.stringParts = [];
        this.stringStart = -1;
        i = j + 1;
        if (this.elem) this.elemEndLine = this.line;
        if (this.elemScalar && this.depth === this.arrDepth) elemFrom = this.endElement(t, elemFrom, i);
        continue;
      }
      if (c === 10) {
        this.line++;
        i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        if (this.elemScalar && this.depth === this.arrDepth) elemFrom = this.endElement(t, elemFrom, i);
        i++;
        continue;
      }
      // A character that is not whitespace.
      if (this.depth === this.arrDepth) {
        if (!this.elem && c !== 44 /* , */ && c !== 93 /* ] */) {
          // An element: an object (an event), or anything else (an invalid one).
          this.startElement(c !== 123 && c !== 91);
          elemFrom = i;
        } else if (this.elemScalar && c === 44) {
          elemFrom = this.endElement(t, elemFrom, i);
          i++;
          continue;
        }
      }
      if (this.elem) this.elemEndLine = this.line;
      if (c === 34) {
        this.inString = true;
        // Keys matter on the way to a list of events; short keys are kept, long strings not.
        this.stringStart = this.arrDepth < 0 && this.depth >= 1 && this.depth <= MAX_LIST_DEPTH ? i + 1 : -1;
        this.stringParts = [];
        this.stringChars = 0;
        i++;
        continue;
      }
      if (c === 123 || c === 91) {
        if (this.depth === 0) {
          this.arrDepth = c === 91 ? 1 : -1;
          this.topLine = this.line;
          this.arrPath = '';
          this.arrEdges = false;
          this.arrIndex = 0;
          if (c === 123) {
            this.topObject = [];
            this.topObjectChars = 0;
            this.topObjectLine = this.line;
            topFrom = i;
          }
        } else if (c === 91 && this.arrDepth < 0 && this.listOfEvents()) {
          // `{"events": [`, `{"data": {"syncEvents": {"edges": [` — a response: the list's
          // elements are the events; stop buffering it.
          this.arrDepth = this.depth + 1;
          this.arrPath = this.keys.slice(1, this.depth + 1).join('.');
          this.arrEdges = this.keys[this.depth] === 'edges';
          this.arrIndex = 0;
          this.topObject = undefined;
          topFrom = -1;
        }
        this.depth++;
        if (this.depth <= MAX_LIST_DEPTH) {
          this.isObj[this.depth] = c === 123;
          this.keys[this.depth] = '';
          this.eventish[this.depth] = false;
        }
        i++;
        continue;
      }
      if (c === 125 || c === 93) {
        if (this.elemScalar && this.depth === this.arrDepth) elemFrom = this.endElement(t, elemFrom, i);
        this.depth--;
        i++;
        if (this.elem && this.depth === this.arrDepth) elemFrom = this.endElement(t, elemFrom, i);
        else if (this.depth === this.arrDepth - 1) this.arrDepth = -1; // the events array is done
        if (this.depth === 0 && this.topObject) {
          topFrom = this.endTopObject(t, topFrom, i);
        }
        if (this.depth < 0) this.depth = 0;
        continue;
      }
      if (this.arrDepth < 0 && this.depth >= 1 && this.depth <= MAX_LIST_DEPTH) {
        if (c === 58 /* : */) {
          this.keys[this.depth] = this.lastString;
          // A start time before the list: this object is an event with a list of its own (its
          // files), not a page of events (pages name their connection or a time stamp, not a start).
          if (EVENT_START_KEYS.has(this.lastString)) this.eventish[this.depth] = true;
        } else if (c === 44) this.keys[this.depth] = '';
      }
      i++;
    }
    if (this.elem && elemFrom >= 0) this.keepElement(t.slice(elemFrom));
    if (this.topObject && topFrom >= 0) this.keepTop(t.slice(topFrom));
    // A key whose quote is the chunk's last character goes on from the start of the next chunk.
    if (this.stringStart > 0) this.stringStart = 0;
  }

  /**
   * Whether the list that opens here holds events: it is the value of a list key (LIST_KEYS) in
   * an object reached through objects only, none of them an event. At the top (`{"events": [`) any
   * envelope key; deeper, only inside a response's `data` or another envelope key (so the lists of
   * one pretty-printed event are not taken for events); other shapes are found once the whole
   * value is read (endTopObject).
   */
  private listOfEvents(): boolean {
    const d = this.depth;
    if (d < 1 || d > MAX_LIST_DEPTH || !this.topObject) return false;
    const key = this.keys[d]!;
    if (!(d === 1 ? ENVELOPE_KEYS.has(key) : LIST_KEYS.has(key) && ENVELOPE_KEYS.has(this.keys[1]!))) return false;
    for (let k = 1; k <= d; k++) if (!this.isObj[k] || this.eventish[k]) return false;
    return true;
  }

  /**
   * A line break inside a string of a value that started on this line (a response cut short, one
   * of NDJSON pages): the event being read there is invalid, and reading starts again at the next line.
   */
  private cutLine(): void {
    const reason = 'not valid JSON: a line break inside a string (the line is cut short)';
    if (this.elem) {
      this.elem = undefined;
      this.invalid(this.elemLine, this.line, this.at(this.elemIndex, reason));
    } else if (this.topObject) this.invalid(this.topObjectLine, this.line, reason);
    this.topObject = undefined;
    this.elemScalar = false;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.arrDepth = -1;
    this.stringStart = -1;
    this.stringParts = [];
  }

  /** A reason with the JSON path of element `index` of the list being read (`data.events[3]: …`). */
  private at(index: number, reason: string): string {
    return `${elementPath(this.arrPath, index, this.arrEdges)}: ${reason}`;
  }

  private startElement(scalar: boolean): void {
    this.elemIndex = this.arrIndex++;
    this.elem = [];
    this.elemChars = 0;
    this.elemLine = this.line;
    this.elemEndLine = this.line;
    this.elemScalar = scalar;
    this.elemTooLong = false;
  }

  private keepElement(piece: string): void {
    if (this.elemTooLong) return;
    if (this.elemChars + piece.length > this.maxChars) {
      this.elemTooLong = true;
      this.elem = [];
      return;
    }
    this.elem!.push(piece);
    this.elemChars += piece.length;
  }

  private keepTop(piece: string): void {
    if (!this.topObject) return;
    if (this.topObjectChars + piece.length > this.maxChars) {
      // Too big to be one event, and no `events` array so far: keep scanning, stop buffering.
      this.topObject = [];
      this.topObjectChars = Number.POSITIVE_INFINITY;
      return;
    }
    this.topObject.push(piece);
    this.topObjectChars += piece.length;
  }

  /** Ends the current event at `to` (exclusive); returns the new start of the event text in `t` (none). */
  private endElement(t: string, from: number, to: number): number {
    if (from >= 0) this.keepElement(t.slice(from, to));
    const text = (this.elem ?? []).join('');
    const tooLong = this.elemTooLong;
    const line = this.elemLine;
    const endLine = this.elemEndLine;
    this.elem = undefined;
    this.elemScalar = false;
    const index = this.elemIndex;
    if (tooLong) {
      this.invalid(line, endLine, this.at(index, `event longer than ${this.maxChars} characters`));
      return -1;
    }
    const value = tryParse(text.trim());
    if (value === undefined) {
      let reason = 'not valid JSON';
      try {
        JSON.parse(text);
      } catch (e) {
        reason = `not valid JSON: ${jsonError(e)}`;
      }
      this.invalid(line, endLine, this.at(index, reason));
      return -1;
    }
    this.give(unwrapEdge(value, this.arrEdges), line, endLine, elementPath(this.arrPath, index, this.arrEdges));
    return -1;
  }

  private endTopObject(t: string, from: number, to: number): number {
    if (from >= 0) this.keepTop(t.slice(from, to));
    const parts = this.topObject!;
    const tooBig = this.topObjectChars === Number.POSITIVE_INFINITY;
    const line = this.topObjectLine;
    this.topObject = undefined;
    const value = tooBig ? undefined : tryParse(parts.join(''));
    if (isPlainObject(value)) {
      // A response that nests its events deeper (`{"data": {"events": [...]}}`, GraphQL edges).
      const nested = looksLikeEvent(value) ? undefined : nestedEvents(value);
      if (nested) {
        this.giveAll(nested, line, this.line, '');
        return -1;
      }
      // One event, pretty-printed (a stream of them, as `jq .` writes one): valid or not, it is an event.
      if (looksLikeEvent(value) || this.result.events + this.result.invalid > 0 || 'event' in toSyncEvent(value)) {
        this.give(value, line, this.line);
        return -1;
      }
    }
    this.unreadable(line, value === undefined && !tooBig ? 'not valid JSON' : (errorResponse(value) ?? 'expected a JSON array of sync events or an object with an "events" array'));
    return -1;
  }

  private endDoc(): void {
    if (this.elem) {
      const line = this.elemLine;
      this.elem = undefined;
      this.invalid(line, this.elemEndLine, 'cut short: the file ends inside this event');
    }
    if (this.depth > 0 || this.inString) this.unreadable(this.line, 'the JSON ends before its closing bracket (file cut short?)');
    this.topObject = undefined;
  }

  // Both ------------------------------------------------------------------------------------

  /** The lines [line, endLine] not yet counted by an earlier event. */
  private claim(line: number, endLine: number): { from: number; lines: number } {
    const from = Math.max(line, this.lastCountedLine + 1);
    const lines = Math.max(0, endLine - from + 1);
    if (lines > 0) this.lastCountedLine = endLine;
    this.counted += lines;
    return { from, lines };
  }

  /** `path`: where the value sits in its document (`data.events[3]`), named in a reason. */
  private give(raw: unknown, line: number, endLine: number, path = ''): void {
    const r = toSyncEvent(raw);
    if ('error' in r) {
      // A whole response where an event was expected (an NDJSON line that is a page, a list of pages).
      const nested = looksLikeEvent(raw) ? undefined : nestedEvents(raw);
      if (nested) return this.giveAll(nested, line, endLine, path);
      const reason = errorResponse(raw) ?? r.error;
      this.invalid(line, endLine, path ? `${path}: ${reason}` : reason);
      return;
    }
    this.accept(r.event, line, endLine);
  }

  /** The events of a response, all on the lines [line, endLine]: those lines are counted once. */
  private giveAll(nested: NestedList, line: number, endLine: number, path: string): void {
    const spent = this.lineSpent;
    const prefix = path ? `${path}.` : '';
    for (let i = 0; i < nested.list.length; i++) {
      this.give(unwrapEdge(nested.list[i], nested.edges), line, endLine, prefix + elementPath(nested.path, i, nested.edges));
      this.lineSpent = true;
    }
    // A page without events (the last one of a paginated history): its line is structure.
    if (nested.list.length === 0 && this.mode === 'ndjson' && !spent) this.session.skip(this.name, 'structure');
    this.lineSpent = spent;
  }

  /** While the events of one NDJSON line are given: the line is counted by the first. */
  private lineSpent = false;

  /** `endMs`, `startMs`: the event's end and start times, when the lane has read them from the bytes already. */
  private accept(event: SyncEvent, line: number, endLine: number, endMs?: number, startMs?: number): void {
    const lines = this.mode === 'ndjson' ? (this.lineSpent ? 0 : 1) : this.claim(line, endLine).lines;
    this.result.events++;
    this.options.onEvent?.(event);
    // The session counts an event's lines from its span: an event on a line counted already spans none.
    const source = { file: this.name, line, endLine: line + lines - 1 };
    // One shape for every record (times undefined when the session must parse them).
    this.session.event({ kind: 'event', event, source, endMs, startMs });
  }

  private firstInvalidLine = 0;
  private firstInvalidReason = '';

  private invalid(line: number, endLine: number, reason: string): void {
    if (this.result.invalid === 0) {
      this.firstInvalidLine = line;
      this.firstInvalidReason = reason;
    }
    const lines = this.mode === 'ndjson' ? (this.lineSpent ? 0 : 1) : this.claim(line, endLine).lines;
    this.result.invalid++;
    this.session.invalidEvent(this.name, line, reason, lines);
  }

  private unreadable(line: number, reason: string): void {
    this.result.unreadable = true;
    this.session.problem({ code: 'EVENTS_UNREADABLE', message: `${this.name}: ${reason}`, file: this.name, line }, this.name);
  }
}

function countNewlines(t: string): number {
  let n = 0;
  for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) n++;
  return n;
}

function lineOf(text: string, at: number): number {
  return countNewlines(text.slice(0, at)) + 1;
}

/** The first `n` non-blank complete lines (a last line without newline only at the end), or undefined while unknown. */
function nonBlankLines(text: string, n: number, atEnd: boolean): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  while (out.length < n) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (!atEnd) return undefined;
      const last = text.slice(start);
      if (last.trim() !== '') out.push(last);
      return out;
    }
    const l = text.slice(start, nl);
    if (l.trim() !== '') out.push(l);
    start = nl + 1;
  }
  return out;
}

/**
 * Reads a sync history held in memory (the whole file's text).
 *
 * @example
 * ```ts
 * const { events, invalid, unreadable } = readEventsText(await readFile('sync-history.json', 'utf8'), 'sync-history.json', session);
 * ```
 */
export function readEventsText(text: string, name: string, session: DiagnosisSession, options: EventReadOptions = {}): EventReadResult {
  const reader = new EventsReader(session, name, options);
  reader.push(text);
  return reader.end();
}

/**
 * Reads a sync history from a stream of bytes (UTF-8), in flat memory.
 *
 * @example
 * ```ts
 * const seen: SyncEvent[] = [];
 * const result = await readEventsStream(createReadStream('sync_events.ndjson'), 'sync_events.ndjson', session, { onEvent: (e) => seen.push(e) });
 * if (result.unreadable) throw new Error('not a sync history');
 * ```
 */
export async function readEventsStream(stream: AsyncIterable<Buffer | string>, name: string, session: DiagnosisSession, options: EventReadOptions = {}): Promise<EventReadResult> {
  const reader = new EventsReader(session, name, options);
  let ended = false;
  try {
    for await (const chunk of stream) reader.pushBytes(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    ended = true;
    return reader.end();
  } finally {
    if (!ended) reader.end();
  }
}
