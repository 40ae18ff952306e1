/** Searches of JSON text without parsing it: the carriers read one field of each object this way. */
import { vocabulary } from '@scs-doctor/core/internal';

/**
 * Where the string value of `key` starts (after its opening quote), or -1. Writers differ in
 * spacing: compact (Go, journald), `": "` (Python's json.dumps), `" : "` (older journald).
 */
export function stringValueAt(s: string, key: string): number {
  const name = `"${key}"`;
  for (let at = s.indexOf(name); at >= 0; at = s.indexOf(name, at + 1)) {
    let i = at + name.length;
    while (s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) !== 58) continue; // a value that reads like the key, not the key
    i++;
    while (s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) === 34) return i + 1;
  }
  return -1;
}

/** Where the JSON string that starts at `from` ends (its closing quote), or -1. */
export function jsonStringEnd(s: string, from: number): number {
  for (let q = s.indexOf('"', from); q >= 0; q = s.indexOf('"', q + 1)) {
    let b = q - 1;
    while (b >= from && s.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) return q;
  }
  return -1;
}

/** Whether a JSON-escaped text ends with the escape `\<ch>` (an odd run of backslashes before it). */
export function endsWithEscape(s: string, ch: string): boolean {
  if (s.length < 2 || s[s.length - 1] !== ch) return false;
  let i = s.length - 2;
  while (i >= 0 && s.charCodeAt(i) === 92) i--;
  return (s.length - 2 - i) % 2 === 1;
}

/** Whether the escaped text from `start` to `end` ends with the escape `\<ch>`. */
export function endsWithEscapeAt(s: string, start: number, end: number, ch: number): boolean {
  if (end - start < 2 || s.charCodeAt(end - 1) !== ch) return false;
  let i = end - 2;
  while (i >= start && s.charCodeAt(i) === 92) i--;
  return (end - 2 - i) % 2 === 1;
}

/** `end` less a trailing escaped `\n`, then a trailing escaped `\r` (a line's own end, kept in the field). */
export function trimEscapedEol(s: string, start: number, end: number): number {
  let e = end;
  if (endsWithEscapeAt(s, start, e, 110)) e -= 2;
  if (endsWithEscapeAt(s, start, e, 114)) e -= 2;
  return e;
}

/**
 * The collector's time of a raw line (journald's epoch µs, Fluent Bit's epoch seconds): the first
 * field named as a time in the one vocabulary (core's vocabulary.ts), as the JSON reader names it.
 */
const CARRIER_TIME = new RegExp(`"(?:${vocabulary.TIME_KEYS.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})" ?: ?"?([^",}\\s]{1,40})`);

/** The time a carrier's object gives its raw line, or undefined. */
export function carrierTime(s: string): string | undefined {
  const t = CARRIER_TIME.exec(s);
  return t ? t[1] : undefined;
}

/**
 * A carrier that keeps the raw line under `key`: fills `out` with the field's text (a line end
 * kept in it taken off) and the stream `json:<key>` (`:stderr` when the object names that stream).
 * NOT_MINE when the object has no such field; AS_IS when its string does not end.
 */
export function carrierField(s: string, key: string, out: { start: number; end: number; lane: string | undefined; escaped: boolean }): 0 | 1 | 2 {
  const from = stringValueAt(s, key);
  if (from < 0) return 0;
  const to = jsonStringEnd(s, from);
  if (to < 0) return 2;
  out.start = from;
  out.end = trimEscapedEol(s, from, to);
  out.escaped = true;
  out.lane = s.indexOf('"stream":"stderr"') >= 0 ? `json:${key}:stderr` : `json:${key}`;
  // The time (carrierTime) is looked for only once the reader takes the line as a raw line.
  return 1;
}
