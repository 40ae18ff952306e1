/** Pulls the connection context (side, connection id, shared id) out of structured fields. */
import { sideOf, vocabulary, type Side } from '@scs-doctor/core/internal';

/** Each key with its upper-case form: journald keeps a record's extra fields under upper-case names (CONNECTION_ID). */
const withUpper = (keys: readonly string[]): readonly (readonly [string, string])[] => keys.map((k) => [k, k.toUpperCase()] as const);
const SIDE_KEYS = withUpper(vocabulary.SIDE_KEYS);
const CONNECTION_KEYS = withUpper(vocabulary.CONNECTION_ID_KEYS);
const SHARED_KEYS = withUpper(vocabulary.SHARED_ID_KEYS);

/** Each key (either form) to its place in `keys`, the first place where it appears. */
function ranks(keys: readonly (readonly [string, string])[]): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  keys.forEach(([k, upper], i) => {
    if (!out.has(k)) out.set(k, i);
    if (!out.has(upper)) out.set(upper, i);
  });
  return out;
}
const SIDE_RANKS = ranks(SIDE_KEYS);
const CONNECTION_RANKS = ranks(CONNECTION_KEYS);
const SHARED_RANKS = ranks(SHARED_KEYS);

/**
 * The value of the first key of `keys` (or its upper-case form) that `fields` holds with a value.
 * The fields' own keys are walked, not the list: a record has a handful of fields, and most name
 * none of the keys; the first place in the list still wins.
 */
function first(fields: Record<string, unknown>, keys: readonly (readonly [string, string])[], rank: ReadonlyMap<string, number>): unknown {
  let best = keys.length;
  for (const key in fields) {
    const i = rank.get(key);
    if (i === undefined || i >= best) continue;
    const [k, upper] = keys[i]!;
    const v = fields[k] ?? fields[upper];
    if (v !== undefined && v !== null && v !== '') best = i;
  }
  if (best === keys.length) return undefined;
  const [k, upper] = keys[best]!;
  return fields[k] ?? fields[upper];
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'id' in v) return scalar(v.id);
  return undefined;
}

/** A side from a logger name such as `scs.sync.sender` or `secure_connection.receiving`. */
export function sideFromLogger(logger: string | undefined): Side | undefined {
  if (!logger) return undefined;
  // A log has few logger names: each is judged once (the cache is bounded for hostile input).
  const known = LOGGER_SIDES.get(logger);
  if (known !== undefined || LOGGER_SIDES.has(logger)) return known;
  const side = judgeLogger(logger);
  if (LOGGER_SIDES.size >= 1024) LOGGER_SIDES.clear();
  LOGGER_SIDES.set(logger, side);
  return side;
}

const LOGGER_SIDES = new Map<string, Side | undefined>();

function judgeLogger(logger: string): Side | undefined {
  const l = logger.toLowerCase();
  const send = /(?:^|[._:/-])(?:send|sender|sending|outbox|outgoing|outbound)(?:$|[._:/-])/.test(l);
  const recv = /(?:^|[._:/-])(?:receive|receiver|receiving|inbox|incoming|inbound)(?:$|[._:/-])/.test(l);
  return send === recv ? undefined : send ? 'sending' : 'receiving';
}

export interface Context {
  side?: Side;
  connectionId?: string;
  sharedId?: string;
}

/** Adds the connection context to `out` (a record being built) and returns it. */
export function contextOf<T extends Context>(fields: Record<string, unknown>, logger: string | undefined, out: T = {} as T): T {
  const conn = fields['connection'];
  const side = sideOf(first(fields, SIDE_KEYS, SIDE_RANKS)) ?? (conn && typeof conn === 'object' ? sideOf((conn as Record<string, unknown>)['direction']) : undefined) ?? sideFromLogger(logger);
  if (side) out.side = side;
  const cid = scalar(first(fields, CONNECTION_KEYS, CONNECTION_RANKS));
  if (cid) out.connectionId = cid;
  const sid = scalar(first(fields, SHARED_KEYS, SHARED_RANKS)) ?? (conn && typeof conn === 'object' ? scalar((conn as Record<string, unknown>)['shared_id'] ?? (conn as Record<string, unknown>)['sharedId']) : undefined);
  if (sid) out.sharedId = sid;
  return out;
}

const KV = /(?:^|\s)([A-Z_][\w.-]{0,63})=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;]+)/gi;

/** `key=value` pairs written into a text message (`connection_id=abc direction=sending`). */
export function keyValues(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (text.indexOf('=') < 0) return out;
  // One shared pattern walked with exec (no iterator, no clone of the pattern per call).
  KV.lastIndex = 0;
  for (let m = KV.exec(text); m !== null; m = KV.exec(text)) {
    const k = m[1]!;
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    // A bare value ends before the sentence's punctuation: `shared_id=S-5150: connection failed`.
    else if (v.length > 1 && (v.endsWith(':') || v.endsWith('.'))) v = v.replace(/[:.]+$/, '') || v;
    out[k] = v;
  }
  return out;
}

/** The connection context read from a message's `key=value` pairs without building them (outcome-line.ts). */
export interface PlainContext {
  side: Side | undefined;
  connectionId: string | undefined;
  sharedId: string | undefined;
  /** Never set here: a text line's pairs give no name to a sync attempt (contextOf gives none). */
  readonly connectionName: undefined;
}

/** A key of the context: which list holds it (0 side, 1 connection id, 2 Shared ID, asked in that order) and its place there. */
interface ContextKey {
  readonly key: string;
  readonly list: 0 | 1 | 2;
  readonly rank: number;
}

/**
 * The keys of the context by first character and length, [char * 65 + length] (most keys of a
 * line have no entry): a token's key is compared in place, not cut out and looked up.
 */
const CONTEXT_KEYS: (ContextKey[] | undefined)[] = [];
for (const [list, ranks] of [SIDE_RANKS, CONNECTION_RANKS, SHARED_RANKS].entries()) {
  for (const [key, rank] of ranks) {
    const at = key.charCodeAt(0) * 65 + key.length;
    if (key.charCodeAt(0) >= 128 || key.length > 64) continue;
    const entries = (CONTEXT_KEYS[at] ??= []);
    // A key of two lists belongs to the first one asked (as the Map look-ups had it).
    if (!entries.some((e) => e.key === key)) entries.push({ key, list: list as 0 | 1 | 2, rank });
  }
}

/** The entry of `entries` whose key is `text` from `start` (its length is the entries' own). */
function contextKeyAt(text: string, start: number, entries: readonly ContextKey[]): ContextKey | undefined {
  for (let e = 0; e < entries.length; e++) {
    const k = entries[e]!.key;
    let i = 0;
    while (i < k.length && text.charCodeAt(start + i) === k.charCodeAt(i)) i++;
    if (i === k.length) return entries[e];
  }
  return undefined;
}

/** A character outside printable ASCII (a tab, a colour code, a byte of UTF-8). */
const NOT_PRINTABLE = /[^\x20-\x7e]/;

/**
 * `contextOf(keyValues(text.slice(from)), logger)` (`loggerSide`: `sideFromLogger(logger)`) for a message of printable ASCII, read in one
 * pass without the pairs' object: only the tokens with an `=` are looked at. It declines (false,
 * `out` then partly filled) where keyValues could read the text otherwise than token by token:
 * a character outside printable ASCII, a value that opens with a quote (a quoted value may hold
 * spaces and pairs), a key of the context written twice (in either case form).
 */
export function plainContext(text: string, from: number, loggerSide: Side | undefined, out: PlainContext): boolean {
  if (NOT_PRINTABLE.test(text)) return false;
  let sideRank = SIDE_KEYS.length;
  let cidRank = CONNECTION_KEYS.length;
  let sidRank = SHARED_KEYS.length;
  let sideAt = -1;
  let cidAt = -1;
  let sidAt = -1;
  let sideEnd = 0;
  let cidEnd = 0;
  let sidEnd = 0;
  let seen = 0;
  const n = text.length;
  let i = from;
  for (;;) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    let end = text.indexOf(' ', eq);
    if (end < 0) end = n;
    i = end;
    // KV: `([A-Z_][\w.-]{0,63})=("…"|'…'|[^\s,;]+)`, case-insensitive, after a space (`(?:^|\s)`) or
    // at the message's start; only a token's first `=` can end a key. The key is walked back from it.
    let k = eq - 1;
    while (k >= from && eq - k <= 65) {
      const c = text.charCodeAt(k);
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45)) break;
      k--;
    }
    if (k >= from && text.charCodeAt(k) !== 32) continue;
    const start = k + 1;
    const len = eq - start;
    if (len === 0 || len > 64) continue;
    const c0 = text.charCodeAt(start);
    if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) continue;
    const v0 = text.charCodeAt(eq + 1);
    if (v0 === 34 || v0 === 39) return false;
    const entries = CONTEXT_KEYS[c0 * 65 + len];
    if (entries === undefined) continue;
    let v = eq + 1;
    while (v < end && text.charCodeAt(v) !== 44 && text.charCodeAt(v) !== 59) v++;
    if (v === eq + 1) continue;
    const found = contextKeyAt(text, start, entries);
    if (found === undefined) continue;
    const r = found.rank;
    if (found.list === 0) {
      if (seen & (1 << r)) return false;
      seen |= 1 << r;
      if (r < sideRank) {
        sideRank = r;
        sideAt = eq + 1;
        sideEnd = v;
      }
      continue;
    }
    if (found.list === 1) {
      if (seen & (1 << (r + 8))) return false;
      seen |= 1 << (r + 8);
      if (r < cidRank) {
        cidRank = r;
        cidAt = eq + 1;
        cidEnd = v;
      }
      continue;
    }
    if (seen & (1 << (r + 16))) return false;
    seen |= 1 << (r + 16);
    if (r < sidRank) {
      sidRank = r;
      sidAt = eq + 1;
      sidEnd = v;
    }
  }
  out.side = (sideAt < 0 ? undefined : sideOf(bareValue(text, sideAt, sideEnd))) ?? loggerSide;
  out.connectionId = cidAt < 0 ? undefined : bareValue(text, cidAt, cidEnd);
  out.sharedId = sidAt < 0 ? undefined : bareValue(text, sidAt, sidEnd);
  return true;
}

/** keyValues' bare value: without the sentence's punctuation after it (`shared_id=S-5150:`), unless that is all of it. */
function bareValue(text: string, at: number, end: number): string {
  let e = end;
  if (end - at > 1) {
    while (e > at && (text.charCodeAt(e - 1) === 58 || text.charCodeAt(e - 1) === 46)) e--;
    if (e === at) e = end;
  }
  return text.slice(at, e);
}
