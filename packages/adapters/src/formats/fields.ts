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
