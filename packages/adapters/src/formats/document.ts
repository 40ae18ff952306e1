/**
 * One JSON document holding a list of log entries, as log stores export them: CloudWatch
 * (`aws logs filter-log-events` / `get-log-events`: `{"events": [...]}`), Cloud Logging
 * (`gcloud logging read --format=json`: an array, newest first), Elasticsearch and OpenSearch
 * search responses (`{"hits": {"hits": [{"_source": …}]}}`), Kibana and Grafana exports (arrays),
 * and `jq .` output (pretty-printed entries one after another); compact too, the whole document
 * on one line (a search without `?pretty`, `jq -c`).
 *
 * The scanner checks the JSON grammar over the bytes itself rather than parsing the whole
 * document at once: it learns where each entry starts (its line, for evidence) and where a cut or a
 * damaged byte ends what can be read, and only each entry is then parsed on its own.
 */
import { parseTime, vocabulary } from '@scs-doctor/core/internal';

/** Keys under which a response or an export holds its list of entries (`hits` twice in a search response). */
const LIST_KEYS: ReadonlySet<string> = new Set(vocabulary.LIST_KEYS);
/** Keys of a log entry's own text: an object with one at its top is an entry, not a page of them. */
const ENTRY_KEYS: ReadonlySet<string> = new Set(['message', 'msg', 'textPayload', 'jsonPayload', 'protoPayload', 'log', 'MESSAGE', 'event', '@message', 'line', '_source']);
/** Containers a list of entries may sit in (`{"data": {"events": [...]}}`, `{"hits": {"hits": [...]}}`). */
const MAX_LIST_DEPTH = 4;
/** An entry's time, as log stores and structured loggers name it. */
const TIME_KEYS = vocabulary.TIME_KEYS;

/** One entry of the list: bytes [start, end) of the document, from line `line` to `endLine`. */
export interface EntrySpan {
  start: number;
  end: number;
  line: number;
  endLine: number;
}

/** Where reading the document stopped before its end. */
export interface DocumentStop {
  /** `cut`: the bytes end inside a value; `syntax`: a byte that JSON does not allow; `text`: no JSON value starts here (text after the document). */
  reason: 'cut' | 'syntax' | 'text';
  /** Why, without quoting the input (a quote cut short can hold part of a secret). */
  why: string;
  /** The line of the offending byte (the last line, for a cut). */
  line: number;
  /** Where what could not be read starts: the unfinished entry, or the offending byte. */
  at: number;
  atLine: number;
  /** The bytes end inside a string or a literal (a first line that does so is not a document's opening). */
  inToken: boolean;
}

export interface DocumentScan {
  /** Entries in the order of the file. */
  entries: EntrySpan[];
  /** Lines of the document (a last line without a line break is a line). */
  lines: number;
  stop: DocumentStop | undefined;
  /** Entries came from a list (an array, or a list under a known key), not from an object that is one. */
  listed: boolean;
}

const enum Want {
  /** A value, or the end: between the values of the top level. */
  Top,
  Value,
  /** A value or `]`: just after `[`. */
  ValueOrEnd,
  Key,
  /** A key or `}`: just after `{`. */
  KeyOrEnd,
  Colon,
  /** `,` or the end of the container. */
  Next,
}

interface List {
  /** Containers open inside the list's array included (the stack's length while its elements are read). */
  depth: number;
  items: EntrySpan[];
  /** The element being read, an object or a string: its first byte and line; -1 for none. */
  from: number;
  fromLine: number;
}

function describeByte(c: number): string {
  return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * Scans a JSON document (or several, one after another) and returns its entries: the elements
 * (objects or strings) of the top-level array, or of the first list under a known key a few
 * containers deep, or, for an object that holds no such list or is an entry itself, the object.
 */
export function scanDocument(b: Uint8Array): DocumentScan {
  const n = b.length;
  const hasCr = b.indexOf(13) >= 0;
  const entries: EntrySpan[] = [];
  /** Open containers: true for an object. */
  const stack: boolean[] = [];
  // Widened: `ended` sets it too, out of the sight of narrowing.
  let want = Want.Top as Want;
  let line = 1;
  let i = 0;
  // The next line break at or after a position (a string may not hold one): cached, as
  // strings are many and line breaks far apart in a compact document.
  let nextLf = -2;
  let nextCr = -2;
  const breakFrom = (from: number): number => {
    if (nextLf !== -1 && nextLf < from) nextLf = b.indexOf(10, from);
    if (!hasCr) return nextLf < 0 ? n : nextLf;
    if (nextCr !== -1 && nextCr < from) nextCr = b.indexOf(13, from);
    return Math.min(nextLf < 0 ? n : nextLf, nextCr < 0 ? n : nextCr);
  };
  // The top-level value being read.
  let topStart = 0;
  let topLine = 1;
  let topIsEntry = false;
  let list: List | undefined;
  let chosen: List | undefined;
  /** The key just read, when a list could sit under it; undefined otherwise. */
  let key: string | undefined;
  let listed = false;

  /** Runs to the end of the bytes, counting their lines: a cut is reported on the last line. */
  const toEnd = (): void => {
    for (let k = i; k < n; k++) if (b[k] === 10 || (b[k] === 13 && b[k + 1] !== 10)) line++;
    if (b[n - 1] === 10 || b[n - 1] === 13) line--;
    i = n;
  };

  const stopAt = (reason: DocumentStop['reason'], why: string, inToken = false): DocumentScan => {
    let at = i;
    let atLine = line;
    if (reason !== 'text' && stack.length > 0) {
      const l = chosen ?? (list && list.items.length > 0 ? list : undefined);
      if (stack[0] === false || (l && !topIsEntry)) {
        // A list of entries is being read: what came before the unfinished element is kept.
        if (l) for (const e of l.items) entries.push(e);
        if (list && list.from >= 0) {
          at = list.from;
          atLine = list.fromLine;
        }
      } else {
        at = topStart;
        atLine = topLine;
      }
    }
    return { entries, lines: line, stop: { reason, why, line, at, atLine, inToken }, listed };
  };

  /** A value ended (a scalar, or a container just closed): ends an element or the top-level value. */
  const ended = (end: number): void => {
    if (list && stack.length === list.depth && list.from >= 0) {
      list.items.push({ start: list.from, end, line: list.fromLine, endLine: line });
      list.from = -1;
    }
    if (stack.length === 0) {
      // A loop, not a spread: a list holds more entries than a call takes arguments.
      if (chosen && !topIsEntry) {
        listed = true;
        for (const e of chosen.items) entries.push(e);
      } else if (b[topStart] === 123) entries.push({ start: topStart, end, line: topLine, endLine: line });
      list = chosen = undefined;
      topIsEntry = false;
      want = Want.Top;
    } else want = Want.Next;
  };

  while (i < n) {
    const c = b[i]!;
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 13) {
      if (b[i + 1] !== 10) line++;
      i++;
      continue;
    }
    switch (want) {
      case Want.Colon:
        if (c !== 58) return stopAt('syntax', `expected ':' after a key, found ${describeByte(c)}`);
        want = Want.Value;
        i++;
        continue;
      case Want.Next:
        if (c === 44) {
          want = stack[stack.length - 1] ? Want.Key : Want.Value;
          i++;
          continue;
        }
        if (c === 125 || c === 93) break; // closed below
        return stopAt('syntax', `expected ',' or the end of ${stack[stack.length - 1] ? 'an object' : 'an array'}, found ${describeByte(c)}`);
      case Want.Key:
      case Want.KeyOrEnd:
        if (c === 125 && want === Want.KeyOrEnd) break;
        if (c !== 34) return stopAt('syntax', `expected a key, found ${describeByte(c)}`);
        break;
      case Want.Top:
        // Only a container starts a document: anything else is text after it.
        if (c !== 123 && c !== 91) return stopAt('text', `no JSON value starts with ${describeByte(c)}`);
        topStart = i;
        topLine = line;
        break;
      default:
        break;
    }
    // Closing brackets.
    if (c === 125 || c === 93) {
      const obj = c === 125;
      if (stack.length === 0 || stack[stack.length - 1] !== obj || (want !== Want.Next && want !== (obj ? Want.KeyOrEnd : Want.ValueOrEnd))) {
        return stopAt('syntax', `unexpected ${describeByte(c)}`);
      }
      if (list && !obj && stack.length === list.depth) {
        // The list ends: the first one with entries is the document's list.
        if (list.items.length > 0 && !chosen) chosen = list;
        list = undefined;
      }
      stack.pop();
      i++;
      ended(i);
      continue;
    }
    const isKey = want === Want.Key || want === Want.KeyOrEnd;
    // A value (or a key) starts here: an element of the list, when it sits right in it.
    if (!isKey && list && stack.length === list.depth && (c === 123 || c === 34)) {
      list.from = i;
      list.fromLine = line;
    }
    if (c === 34) {
      let q = b.indexOf(34, i + 1);
      for (;;) {
        if (q < 0) {
          // Reported on the last line; what is left unread starts with the string, on its own line.
          const from = i;
          const fromLine = line;
          toEnd();
          const last = line;
          i = from;
          line = fromLine;
          const r = stopAt('cut', 'the file ends inside a string', true);
          r.stop!.line = last;
          return r;
        }
        let k = q - 1;
        while (b[k] === 92) k--;
        if ((q - 1 - k) % 2 === 0) break;
        q = b.indexOf(34, q + 1);
      }
      if (breakFrom(i + 1) < q) return stopAt('syntax', 'a line break inside a string');
      if (isKey) {
        const depth = stack.length;
        // Keys matter at the top (an entry's own text) and where a list may start.
        key = depth === 1 || (!chosen && !list && depth <= MAX_LIST_DEPTH) ? (q - i <= 65 ? Buffer.from(b.buffer, b.byteOffset + i + 1, q - i - 1).toString('latin1') : '') : undefined;
        if (depth === 1 && stack[0] && key !== undefined && ENTRY_KEYS.has(key)) topIsEntry = true;
        want = Want.Colon;
        i = q + 1;
        continue;
      }
      i = q + 1;
      ended(i);
      continue;
    }
    if (c === 123 || c === 91) {
      const obj = c === 123;
      if (!obj && !chosen && !list && (stack.length === 0 || (stack[stack.length - 1] === true && key !== undefined && LIST_KEYS.has(key) && stack.length <= MAX_LIST_DEPTH))) {
        list = { depth: stack.length + 1, items: [], from: -1, fromLine: 0 };
      }
      stack.push(obj);
      key = undefined;
      want = obj ? Want.KeyOrEnd : Want.ValueOrEnd;
      i++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      // A number (JSON.parse checks the entries' own; the rest is structure).
      let j = i + 1;
      while (j < n) {
        const d = b[j]!;
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      i = j;
      ended(i);
      continue;
    }
    const literal = c === 116 ? 'true' : c === 102 ? 'false' : c === 110 ? 'null' : undefined;
    if (literal !== undefined) {
      let k = 1;
      while (k < literal.length && i + k < n && b[i + k] === literal.charCodeAt(k)) k++;
      if (k === literal.length) {
        i += k;
        ended(i);
        continue;
      }
      if (i + k >= n) {
        toEnd();
        return stopAt('cut', `the file ends inside '${literal}'`, true);
      }
    }
    return stopAt('syntax', `unexpected ${describeByte(c)}`);
  }
  if (n > 0 && (b[n - 1] === 10 || b[n - 1] === 13)) line--;
  if (stack.length > 0) return stopAt('cut', 'the file ends before the document does');
  return { entries, lines: line, stop: undefined, listed };
}

/**
 * Whether a first line opens a JSON document that goes on past it (`{`, `[`, `{"events": [`):
 * valid JSON so far, and open. A complete value (an NDJSON line) or anything JSON does not allow
 * (`[2026-05-12 …] ERROR`, `[pod/…]`) is not.
 */
export function opensDocument(line: Uint8Array): boolean {
  const s = scanDocument(line).stop;
  return s !== undefined && s.reason === 'cut' && !s.inToken;
}

/**
 * Whether a first line is a whole document of entries (a compact export): complete JSON whose
 * entries come from a list, an array or one under a known key. An NDJSON line is one event (its
 * own text at its top), never a page of them, and a line of text is not JSON.
 */
export function holdsEntries(line: Uint8Array): boolean {
  const scan = scanDocument(line);
  return scan.stop === undefined && scan.listed && scan.entries.length > 0;
}

/** What an entry holds: a search hit's `_source`, or a bare string as a message. */
export function entryValue(v: unknown): unknown {
  if (typeof v === 'string') return { message: v };
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const source = (v as Record<string, unknown>)['_source'];
    if (source !== null && typeof source === 'object' && !Array.isArray(source)) return source;
  }
  return v;
}

/** The time of an entry in epoch milliseconds, or undefined. */
export function entryTime(v: unknown): number | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  for (const k of TIME_KEYS) {
    const t = o[k];
    if (t !== undefined && t !== null && t !== '') return parseTime(t);
  }
  return undefined;
}

/**
 * The order in which to read entries so that their times run forward: as they are, reversed when
 * the export lists the newest first (Cloud Logging, Kibana), then sorted by time (stably, so that
 * entries of the same time, such as the lines of one traceback, keep their order). An entry
 * without a time stays after the one before it.
 */
export function timeOrder(times: readonly (number | undefined)[]): number[] {
  const order = times.map((_, k) => k);
  let up = 0;
  let down = 0;
  let prev: number | undefined;
  for (const t of times) {
    if (t === undefined) continue;
    if (prev !== undefined) {
      if (t > prev) up++;
      else if (t < prev) down++;
    }
    prev = t;
  }
  if (down === 0) return order;
  if (down > up) order.reverse();
  const key: number[] = new Array<number>(times.length);
  let last = Number.NEGATIVE_INFINITY;
  for (const k of order) key[k] = last = times[k] ?? last;
  return order.sort((a, b) => key[a]! - key[b]!);
}

/**
 * The stream an entry was written to, when its log store names one (a CloudWatch log stream, a
 * Cloud Logging container): one stream's lines, a traceback cut into one entry a line, are
 * joined apart from another's when an export interleaves them by time.
 */
export function entryStream(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['logStreamName'] === 'string') return o['logStreamName'];
  const resource = o['resource'];
  const labels = resource !== null && typeof resource === 'object' ? (resource as Record<string, unknown>)['labels'] : undefined;
  if (labels !== null && typeof labels === 'object') {
    const l = labels as Record<string, unknown>;
    if (typeof l['pod_name'] === 'string') return `${l['pod_name']}/${typeof l['container_name'] === 'string' ? l['container_name'] : ''}`;
  }
  return undefined;
}
