/**
 * Sync events in the canonical shape (one key per field, camelCase as DESIGN.md gives it or one of
 * the schema's aliases such as snake_case; string values; the status and direction words; ISO-8601
 * UTC times; files with canonical values), and the fast lane that reads NDJSON lines of that shape
 * straight from the bytes. A busy installation's history is millions of such lines; the full path (JSON.parse, then
 * the schema with its aliases) costs about 2.5 µs a line, the lane about a third of that.
 *
 * The lane never decides anything the full path would decide differently: a line it does not
 * recognise exactly, or whose values are not canonical, goes down the full path. The differential
 * test in events-fast.test.ts holds the two to the same report.
 */
import { fileOutcomeOf, isRealDateTime, normalizeTime, parseTime, sideOf, SYNC_EVENT_KEYS, SYNC_FILE_KEYS, syncStatusOf, utcMillis, type SyncEvent, type SyncFile } from '@scs-doctor/core/internal';

/** Field slots, in canonicalEvent's argument order; `files` last. */
const FIELDS = ['id', 'connectionId', 'connectionName', 'direction', 'sharedId', 'status', 'startedAt', 'finishedAt', 'message', 'files'] as const;
const ID = 0,
  CID = 1,
  NAME = 2,
  DIR = 3,
  SHARED = 4,
  STATUS = 5,
  STARTED = 6,
  FINISHED = 7,
  MESSAGE = 8,
  FILES = 9;

/** Each key the schema reads a field from (SYNC_EVENT_KEYS), to the field's slot. */
function slotsOf(table: Record<string, readonly string[]>, fields: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  fields.forEach((f, slot) => {
    for (const k of table[f]!) m.set(k, slot);
  });
  return m;
}
/**
 * A key outside this map (`connection`, or anything the schema does not read) sends the event to
 * the schema: the canonical reading does not know what it would make of it.
 */
const EVENT_SLOT = slotsOf(SYNC_EVENT_KEYS, FIELDS);
const FILE_FIELDS = ['resourceId', 'revisionId', 'sizeBytes', 'outcome', 'name'] as const;
const FILE_SLOT = slotsOf(SYNC_FILE_KEYS, FILE_FIELDS);
/**
 * Times as Python writes them (`isoformat()`: microseconds, `+00:00`; `str()`: a space, no zone;
 * logging's comma), which the schema reads as UTC and normalizes to `YYYY-MM-DDTHH:MM:SS.mmmZ`
 * (the fraction cut to milliseconds). Other offsets take the schema.
 */
const WIDE_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]00:?00)?$/;

/**
 * The schema's normalization of `s` (parse, then write as ISO-8601 UTC) when it is one of the
 * forms above, else undefined. A time already written so is its own normalization.
 */
export function canonicalTime(s: string): string | undefined {
  if (!WIDE_TIME.test(s)) return undefined;
  if (s.length === 24 && s.charCodeAt(10) === 84 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90 && !s.startsWith('00')) return parseTime(s) === undefined ? undefined : s;
  return normalizeTime(s);
}

/**
 * The event for canonical values, or undefined when any value is not canonical (the schema then
 * decides). Times are normalized as the schema normalizes them.
 */
export function canonicalEvent(id: unknown, cid: unknown, name: unknown, dir: unknown, sharedId: unknown, status: unknown, started: unknown, finished: unknown, msg: unknown, files: SyncFile[] = []): SyncEvent | undefined {
  const startedAt = typeof started === 'string' ? canonicalTime(started) : undefined;
  const finishedAt = typeof finished === 'string' ? canonicalTime(finished) : undefined;
  const statusWord = syncStatusOf(status);
  const side = dir === undefined ? undefined : sideOf(dir);
  if (
    typeof cid !== 'string' ||
    cid === '' ||
    statusWord === undefined ||
    startedAt === undefined ||
    (finished !== undefined && finishedAt === undefined) ||
    (id !== undefined && (typeof id !== 'string' || id === '')) ||
    (dir !== undefined && side === undefined) ||
    (msg !== undefined && typeof msg !== 'string') ||
    (name !== undefined && typeof name !== 'string') ||
    (sharedId !== undefined && (typeof sharedId !== 'string' || sharedId === ''))
  ) {
    return undefined;
  }
  const e: SyncEvent = { connectionId: cid, status: statusWord, startedAt, files };
  if (id !== undefined) e.id = id;
  if (name !== undefined) e.connectionName = name;
  if (side !== undefined) e.direction = side;
  if (sharedId !== undefined) e.sharedId = sharedId;
  if (finishedAt !== undefined) e.finishedAt = finishedAt;
  if (msg !== undefined) e.message = msg;
  return e;
}

/**
 * The files of an event when each is canonical (string ids, a whole non-negative size, an outcome
 * word the schema keeps as it is), shaped as the schema gives them; else undefined.
 */
export function canonicalFiles(files: unknown): SyncFile[] | undefined {
  if (files === undefined) return [];
  if (!Array.isArray(files)) return undefined;
  const out: SyncFile[] = [];
  for (const f of files as unknown[]) {
    if (f === null || typeof f !== 'object' || Array.isArray(f)) return undefined;
    const v: unknown[] = [undefined, undefined, undefined, undefined, undefined];
    let seen = 0;
    for (const k of Object.keys(f)) {
      const slot = FILE_SLOT.get(k);
      // One key per field: with two, which one the schema takes depends on their values.
      if (slot === undefined || seen & (1 << slot)) return undefined;
      seen |= 1 << slot;
      v[slot] = (f as Record<string, unknown>)[k];
    }
    const [resourceId, revisionId, sizeBytes, outcome, name] = v;
    if (
      (resourceId !== undefined && (typeof resourceId !== 'string' || resourceId === '')) ||
      (revisionId !== undefined && (typeof revisionId !== 'string' || revisionId === '')) ||
      (sizeBytes !== undefined && !(Number.isSafeInteger(sizeBytes) && (sizeBytes as number) >= 0)) ||
      (outcome !== undefined && fileOutcomeOf(outcome) === undefined) ||
      (name !== undefined && typeof name !== 'string')
    ) {
      return undefined;
    }
    out.push({ resourceId, revisionId, sizeBytes, outcome: outcome === undefined ? undefined : fileOutcomeOf(outcome), name } as SyncFile);
  }
  return out;
}

/** The canonical reading of a parsed object, or undefined when the schema must decide. */
export function canonicalObject(o: Record<string, unknown>): SyncEvent | undefined {
  const v: unknown[] = [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined];
  let seen = 0;
  for (const [k, x] of Object.entries(o)) {
    const slot = EVENT_SLOT.get(k);
    if (slot === undefined || seen & (1 << slot)) return undefined;
    seen |= 1 << slot;
    v[slot] = x;
  }
  const files = canonicalFiles(v[FILES]);
  if (files === undefined) return undefined;
  return canonicalEvent(v[ID], v[CID], v[NAME], v[DIR], v[SHARED], v[STATUS], v[STARTED], v[FINISHED], v[MESSAGE], files);
}

// The NDJSON fast lane -------------------------------------------------------------------------

/** The status's second and third captures (the `f` of failure, another word), the direction's second (another word). */
const STATUS_F = 10,
  STATUS_WORD = 11,
  DIR_WORD = 12;
/** In the narrow form: the direction's one capture, and the status's last (both move past the word). */
const DIR_ONLY = 13,
  STATUS_F_ONLY = 14;
/**
 * Characters of a JSON string without escapes, control characters or bytes outside printable
 * ASCII (read as latin1, a byte is a character: a line with UTF-8 in a value takes the full path).
 */
const PLAIN = '[^"\\\\\\x00-\\x1f\\x7f-\\xff]';
/**
 * Any JSON string's characters: escapes, and UTF-8 bytes (latin1 characters 0x80-0xff). A value
 * of this kind is decoded from the bytes (and its escapes by JSON.parse); tried after PLAIN, so
 * it costs only the lines that have one.
 */
const WIDE = '[^"\\\\\\x00-\\x1f]*(?:\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\\\\x00-\\x1f]*)*';
/** A string value: plain (capture 1) or wide (capture 2). */
const STRING = (plain: string) => `"(?:(${plain})|(${WIDE}))"`;
/** The wide capture of a slot's string value. */
const WIDE_OF = 16;
/**
 * The digits and separators of a time in the forms canonicalTime takes; its fields' ranges are
 * checked from the bytes (timeMsAt).
 */
const TIME = '"(\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?(?:Z|[+-]00:?00)?)"';
/**
 * The value each slot accepts, as canonicalEvent would: non-empty ids, the status and direction
 * words, ISO-8601 UTC times with real fields (a day past the 28th is checked after), a files
 * array without nested arrays (JSON.parse then reads it; 5 % of lines carry one). The words are
 * known, so a one-letter capture (V8 keeps those, nothing is cut) tells which.
 */
const WIDE_VALUE: string[] = [
  STRING(`${PLAIN}+`),
  STRING(`${PLAIN}+`),
  STRING(`${PLAIN}*`),
  `"(?:(s)ending|receiving|(${PLAIN}+))"`,
  STRING(`${PLAIN}+`),
  `"(?:(s)uccess|(f)ailure|warning|(${PLAIN}+))"`,
  TIME,
  TIME,
  STRING(`${PLAIN}*`),
  '(?:\\[\\]|(\\[[^\\[\\]\\x00-\\x1f\\x7f-\\xff]*\\]))',
];
/**
 * The same for lines as the schema itself would write them: plain strings and the exact words.
 * Fewer captures make each match cheaper; a key order gets both forms, this one tried first.
 */
const NARROW_VALUE: string[] = [`"(${PLAIN}+)"`, `"(${PLAIN}+)"`, `"(${PLAIN}*)"`, '"(?:(s)ending|receiving)"', `"(${PLAIN}+)"`, '"(?:(s)uccess|(f)ailure|warning)"', TIME, TIME, `"(${PLAIN}*)"`, WIDE_VALUE[FILES]!];
/** Key orders kept (each in its two forms). */
const MAX_TEMPLATES = 8;
/** How often one key order may be offered to `learn`, and how many orders are remembered. */
const MAX_TRIES = 8;
const MAX_ORDERS = 256;
const SHARED_CACHE = 1024;
/** V8 copies a substring shorter than this; a longer one refers to the string it was cut from. */
const SLICE_MIN = 13;
/** Text is cut from the bytes in blocks of about this size: a cut value a host keeps keeps one alive. */
const BLOCK = 64 * 1024;

type Latin1 = (this: Buffer, start: number, end: number) => string;
const latin1Slice: Latin1 =
  (Buffer.prototype as unknown as { latin1Slice?: Latin1 }).latin1Slice ??
  function (this: Buffer, start, end) {
    return this.toString('latin1', start, end);
  };

/** One key order, compiled: a sticky regex that matches a whole line of that shape, newline included. */
interface Template {
  re: RegExp;
  /** Capture i + 1 holds slot slots[i]. */
  slots: number[];
  /** Characters of literal pattern text before capture i (after the previous capture). */
  gaps: number[];
}

/**
 * How producers separate members: compact (JavaScript's JSON.stringify, Go, Jackson) and
 * Python's json.dumps default (`", "` and `": "`), and the two mixed.
 */
const SEPARATORS: [string, string][] = [
  [',', ':'],
  [', ', ': '],
  [',', ': '],
  [', ', ':'],
];

/** The template of a parsed line's key order and separators, when every key is canonical. */
function templateOf(o: Record<string, unknown>, item: string, colon: string, wide: boolean): Template | undefined {
  const value = wide ? WIDE_VALUE : NARROW_VALUE;
  const keys = Object.keys(o);
  let src = '\\{';
  let literal = 1;
  const slots: number[] = [];
  const gaps: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const slot = EVENT_SLOT.get(k);
    if (slot === undefined) return undefined;
    const sep = i === 0 ? '' : item;
    src += `${sep}"${k}"${colon}${value[slot]}`;
    // Before the value: the separator, the quoted key, the colon, and a string's opening quote.
    gaps.push(literal + sep.length + k.length + 2 + colon.length + (slot === FILES ? 0 : 1));
    literal = slot === FILES ? 0 : 1;
    if (!wide) {
      if (slot === STATUS) {
        slots.push(STATUS, STATUS_F_ONLY);
        gaps.push(0);
      } else slots.push(slot === DIR ? DIR_ONLY : slot);
      continue;
    }
    slots.push(slot);
    if (slot === STATUS) {
      slots.push(STATUS_F, STATUS_WORD);
      gaps.push(0, 0);
    } else if (slot === DIR) {
      slots.push(DIR_WORD);
      gaps.push(0);
    } else if (slot === ID || slot === CID || slot === NAME || slot === SHARED || slot === MESSAGE) {
      slots.push(slot + WIDE_OF);
      gaps.push(0);
    }
  }
  return { re: new RegExp(src + '\\}\\r?\\n', 'y'), slots, gaps };
}

function digits2(b: Buffer, i: number): number {
  return (b[i]! - 48) * 10 + b[i + 1]! - 48;
}

/** The milliseconds of a time the pattern accepted: the fraction's first three digits, padded on the right. */
function milliAt(b: Buffer, pos: number): number {
  let milli = 0;
  const sep = b[pos + 19];
  if (sep === 46 || sep === 44) {
    for (let i = 0, scale = 100; i < 3; i++, scale /= 10) {
      const d = b[pos + 20 + i]! - 48;
      if (d < 0 || d > 9) break;
      milli += d * scale;
    }
  }
  return milli;
}

/** `.000Z` to `.999Z`: the end of a normalized time. */
const MILLIS = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}Z`);

/**
 * A time the pattern accepted in another form (`2026-05-12 09:00:02`, `…T09:00:02.123456+00:00`),
 * written as the schema normalizes it. `copy`: the result must not refer to the block's text.
 */
function normalizedTime(s: string, b: Buffer, pos: number, copy: boolean): string {
  const head = b[pos + 10] !== 84 ? `${latin1Slice.call(b, pos, pos + 10)}T${latin1Slice.call(b, pos + 11, pos + 19)}` : copy ? latin1Slice.call(b, pos, pos + 19) : s.slice(0, 19);
  return head + MILLIS[milliAt(b, pos)]!;
}

/**
 * The epoch milliseconds of a time the pattern accepted, as the schema reads it (a fraction cut to
 * milliseconds), or NaN when it names no real instant the schema keeps as written: month, day,
 * hour, minute and second in range, a year from 100 on (Date.UTC reads 0-99 as 1900-1999).
 */
function timeMsAt(b: Buffer, pos: number): number {
  if (b[pos] === 48 && b[pos + 1] === 48) return Number.NaN;
  const year = digits2(b, pos) * 100 + digits2(b, pos + 2);
  const month = digits2(b, pos + 5);
  const day = digits2(b, pos + 8);
  const hour = digits2(b, pos + 11);
  const minute = digits2(b, pos + 14);
  const second = digits2(b, pos + 17);
  if (!isRealDateTime(year, month, day, hour, minute, second)) return Number.NaN;
  return utcMillis(year, month, day, hour, minute, second, milliAt(b, pos));
}

/** True when the time at `pos` is written as the schema writes it: `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
function isNormalized(b: Buffer, pos: number, len: number): boolean {
  return len === 24 && b[pos + 10] === 84 && b[pos + 19] === 46 && b[pos + 23] === 90;
}

/**
 * Recognises canonical NDJSON lines in latin1 text (one character a byte) and builds their events,
 * as canonicalEvent would. It learns a key order from a line the full path read as canonical
 * (`learn`) and keeps the few most recently used (a history has one or two: with and without
 * `message`).
 */
export class CanonicalLines {
  /** Where the line `read` recognised ends (after its newline), its end time and its start time (epoch ms). */
  next = 0;
  endMs = 0;
  startMs = 0;
  private templates: Template[] = [];
  /** Words already read, one table per kind: `failed` is a status, not a side. */
  private readonly statusWords = new Map<string, string | undefined>();
  private readonly sideWords = new Map<string, string | undefined>();
  private readonly tries = new Map<string, number>();
  /** Strings that repeat (connection ids, names, shared ids), by a cheap hash of their bytes. */
  private readonly sharedKeys: (string | undefined)[] = new Array<string | undefined>(SHARED_CACHE).fill(undefined);
  /** The cache slot of the last value shared (the connection id, when its key comes first), and per slot the last name and shared id seen with it. */
  private cidSlot = 0;
  private readonly lastName: (string | undefined)[] = new Array<string | undefined>(SHARED_CACHE).fill(undefined);
  private readonly lastShared: (string | undefined)[] = new Array<string | undefined>(SHARED_CACHE).fill(undefined);
  private readonly sharedValues: (string | undefined)[] = new Array<string | undefined>(SHARED_CACHE).fill(undefined);

  get active(): boolean {
    return this.templates.length > 0;
  }

  /** Offers a line the full path read as a canonical event; keeps its key order when it is plain. */
  learn(o: Record<string, unknown>, line: string): void {
    // A key order whose lines keep coming down the full path (a value the pattern does not take,
    // odd spacing) is not compiled again and again: a few tries per order, then it is left alone.
    const order = Object.keys(o).join('\u0000');
    const tries = this.tries.get(order) ?? 0;
    if (tries >= MAX_TRIES || (tries === 0 && this.tries.size >= MAX_ORDERS)) return;
    this.tries.set(order, tries + 1);
    for (const [item, colon] of SEPARATORS) {
      const t = templateOf(o, item, colon, true);
      if (!t) return;
      // The template must match the very line it came from (integer-like keys reorder, spacing…).
      t.re.lastIndex = 0;
      if (!t.re.test(line + '\n')) continue;
      if (this.templates.some((x) => x.re.source === t.re.source)) return;
      // Both forms, the narrow one first: most lines are plain, and a wide line moves its form up.
      this.templates.unshift(templateOf(o, item, colon, false)!, t);
      if (this.templates.length > MAX_TEMPLATES) this.templates.length = MAX_TEMPLATES;
      return;
    }
  }

  /**
   * Reads the line starting at `at` in `text`, the latin1 reading of `bytes` from `base` on.
   * Returns its event (and sets `next` and `endMs`), or undefined when the full path must read it.
   */
  read(text: string, at: number, bytes: Buffer, base: number): SyncEvent | undefined {
    const ts = this.templates;
    for (let t = 0; t < ts.length; t++) {
      const tpl = ts[t]!;
      const re = tpl.re;
      re.lastIndex = at;
      const m = re.exec(text);
      if (m === null) continue;
      const { slots, gaps } = tpl;
      let pos = base + at;
      let id: string | undefined;
      let cid = '';
      let name: string | undefined;
      let dir: SyncEvent['direction'];
      let sharedId: string | undefined;
      let status: SyncEvent['status'] = 'success';
      let started = '';
      let finished: string | undefined;
      let startedPos = 0;
      let finishedPos = 0;
      let startMs = 0;
      let finishedMs = 0;
      let message: string | undefined;
      let files: SyncFile[] | undefined = [];
      for (let i = 0; i < slots.length; i++) {
        const s = m[i + 1];
        pos += gaps[i]!;
        // A capture of 13 characters or more refers to the block's text: values a session keeps
        // (one per connection) are shared copies; the rest is dropped with the line.
        switch (slots[i]) {
          // A string value is one of two captures: plain, or wide (the other is undefined).
          case ID:
            if (s === undefined) continue;
            // Kept as its connection's newest event.
            id = s.length < SLICE_MIN ? s : latin1Slice.call(bytes, pos, pos + s.length);
            break;
          case CID:
            if (s === undefined) continue;
            cid = this.share(s, bytes, pos);
            break;
          // A connection's name and shared id rarely change: the values its last line had are tried first.
          case NAME: {
            if (s === undefined) continue;
            const last = this.lastName[this.cidSlot];
            name = last === s ? last : (this.lastName[this.cidSlot] = this.share(s, bytes, pos));
            break;
          }
          case SHARED: {
            if (s === undefined) continue;
            const last = this.lastShared[this.cidSlot];
            sharedId = last === s ? last : (this.lastShared[this.cidSlot] = this.share(s, bytes, pos));
            break;
          }
          case MESSAGE:
            if (s === undefined) continue;
            message = s.length < SLICE_MIN ? s : latin1Slice.call(bytes, pos, pos + s.length);
            break;
          case ID + WIDE_OF:
            if (s === undefined) continue;
            id = wideString(s, bytes, pos);
            if (id === '') return undefined; // an empty id is invalid: the full path says so
            break;
          case MESSAGE + WIDE_OF:
            if (s === undefined) continue;
            message = wideString(s, bytes, pos);
            break;
          case CID + WIDE_OF:
            if (s === undefined) continue;
            cid = this.share(s, bytes, pos, true);
            if (cid === '') return undefined;
            break;
          case NAME + WIDE_OF:
            if (s === undefined) continue;
            name = this.share(s, bytes, pos, true);
            break;
          case SHARED + WIDE_OF:
            if (s === undefined) continue;
            sharedId = this.share(s, bytes, pos, true);
            if (sharedId === '') return undefined;
            break;
          case STARTED:
            started = s!;
            startedPos = pos;
            startMs = timeMsAt(bytes, pos);
            if (Number.isNaN(startMs)) return undefined;
            break;
          case FINISHED:
            finished = s!;
            finishedPos = pos;
            finishedMs = timeMsAt(bytes, pos);
            if (Number.isNaN(finishedMs)) return undefined;
            break;
          // The words the schema writes are told by a one-letter capture; another word (`Succeeded`,
          // `outbound`) is captured whole and read as the schema reads it.
          case DIR:
            dir = s === undefined ? 'receiving' : 'sending';
            continue;
          case DIR_ONLY:
            dir = s === undefined ? 'receiving' : 'sending';
            pos += s === undefined ? 9 : 7;
            continue;
          case STATUS_F_ONLY:
            status = s !== undefined ? 'failure' : status;
            pos += 7;
            continue;
          case DIR_WORD:
            if (s === undefined) pos += dir === 'sending' ? 7 : 9;
            else {
              dir = this.word(s, sideOf, this.sideWords);
              if (dir === undefined) return undefined;
              pos += s.length;
            }
            continue;
          case STATUS:
            status = s === undefined ? 'warning' : 'success';
            continue;
          case STATUS_F:
            if (s !== undefined) status = 'failure';
            continue;
          case STATUS_WORD:
            if (s === undefined) pos += 7;
            else {
              const w = this.word(s, syncStatusOf, this.statusWords);
              if (w === undefined) return undefined;
              status = w;
              pos += s.length;
            }
            continue;
          default:
            // The pattern only bounds the array; what is inside may be anything (`[}]`): the full path then says what.
            if (s !== undefined) files = oneFile(s) ?? canonicalFiles(tryParse(s) ?? null);
            pos += s === undefined ? 2 : s.length;
            continue;
        }
        pos += s!.length;
      }
      if (files === undefined) return undefined;
      // A time already in the normalized form is the capture; a failure's times may be kept as
      // evidence, so they are copies that refer to nothing else. Any other form is normalized.
      // The end time (finished, else started) goes to the session as milliseconds, and the start time.
      // The start goes too: the connection's time window needs it (parsing the text again costs more).
      let endMs = startMs;
      if (isNormalized(bytes, startedPos, started.length)) {
        if (message !== undefined) started = latin1Slice.call(bytes, startedPos, startedPos + 24);
      } else started = normalizedTime(started, bytes, startedPos, message !== undefined);
      if (finished !== undefined) {
        endMs = finishedMs;
        if (!isNormalized(bytes, finishedPos, finished.length)) finished = normalizedTime(finished, bytes, finishedPos, message !== undefined);
        else if (message !== undefined) finished = latin1Slice.call(bytes, finishedPos, finishedPos + 24);
      }
      // One shape for every event (absent values undefined, as the schema gives them): one allocation.
      const e: SyncEvent = {
        id,
        connectionId: cid,
        connectionName: name,
        direction: dir,
        sharedId,
        status,
        startedAt: started,
        finishedAt: finished,
        message,
        files,
      };
      if (t > 0) {
        ts.splice(t, 1);
        ts.unshift(tpl);
      }
      this.next = re.lastIndex;
      this.endMs = endMs;
      this.startMs = startMs;
      return e;
    }
    return undefined;
  }

  /** What a producer's word means, by `read` (a history uses a few words: they are remembered). */
  private word<T extends string>(s: string, read: (v: unknown) => T | undefined, words: Map<string, string | undefined>): T | undefined {
    const known = words.get(s);
    if (known !== undefined || words.has(s)) return known as T | undefined;
    const w = read(s);
    if (words.size < 64) words.set(latin1Copy(s), w);
    return w;
  }

  /** The shared copy of a repeating value: a direct-mapped cache, checked by content. */
  private share(s: string, bytes: Buffer, pos: number, wide = false): string {
    const n = s.length;
    // Hashed from the bytes: reading the characters of a cut string costs more.
    const h = n === 0 ? 0 : (n * 31 + bytes[pos]! * 7 + bytes[pos + (n >> 1)]! * 5 + bytes[pos + n - 1]! * 3 + bytes[pos + ((n * 3) >> 2)]!) & (SHARED_CACHE - 1);
    // Keyed by the value as written (latin1); a wide value's entry holds it decoded.
    this.cidSlot = h;
    if (this.sharedKeys[h] === s) return this.sharedValues[h]!;
    const key = n < SLICE_MIN ? s : latin1Slice.call(bytes, pos, pos + n);
    const value = wide ? wideString(s, bytes, pos) : key;
    this.sharedKeys[h] = key;
    this.sharedValues[h] = value;
    return value;
  }
}

/**
 * A wide string value: its bytes decoded as UTF-8 (as the full path decodes the line; the quotes
 * around it are ASCII, so decoding the value alone gives the same characters), then its escapes.
 * The pattern has checked the escapes, so JSON.parse does not fail.
 */
function wideString(s: string, bytes: Buffer, pos: number): string {
  const text = bytes.toString('utf8', pos, pos + s.length);
  return s.indexOf('\\') < 0 ? text : (JSON.parse(`"${text}"`) as string);
}

/**
 * The files array most events with updates carry: one file, its ids plain strings, a whole size
 * without a sign or leading zero (at most 15 digits: a safe integer), an outcome word the schema
 * keeps as written; members in this order (compact or Python's separators). The same files
 * canonicalFiles(JSON.parse(s)) gives, without the parse; undefined for any other array.
 */
const ONE_FILE = /^\[\{"resourceId": ?"([^"\\\x00-\x1f\x7f-\xff]+)", ?"revisionId": ?"([^"\\\x00-\x1f\x7f-\xff]+)", ?"sizeBytes": ?(0|[1-9]\d{0,14}), ?"outcome": ?"(transferred|excluded|failed)"\}\]$/;

function oneFile(s: string): SyncFile[] | undefined {
  const m = ONE_FILE.exec(s);
  if (m === null) return undefined;
  // Copies: a failed file's ids may be kept as evidence, and must not hold the block they were cut from.
  return [{ resourceId: latin1Copy(m[1]!), revisionId: latin1Copy(m[2]!), sizeBytes: Number(m[3]!), outcome: m[4] as SyncFile['outcome'], name: undefined }];
}

/** JSON.parse, or undefined for text that is not JSON. */
export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A copy of a latin1 string that refers to no other string. */
function latin1Copy(s: string): string {
  return s.length < SLICE_MIN ? s : Buffer.from(s, 'latin1').toString('latin1');
}

/** Where to end the block of text that starts at `from`: after a newline, about BLOCK bytes on. */
export function blockEnd(bytes: Buffer, from: number, to: number): number {
  if (to - from <= BLOCK * 2) return to;
  const nl = bytes.lastIndexOf(10, from + BLOCK);
  return nl >= from ? nl + 1 : to;
}
