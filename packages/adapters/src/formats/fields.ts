/** Pulls the connection context (side, connection id, shared id) out of structured fields. */
import { vocabulary, type Side } from '@scs-doctor/core';

const SIDE_WORDS: Record<string, Side> = {
  sending: 'sending', send: 'sending', sender: 'sending', outgoing: 'sending', outbound: 'sending', outbox: 'sending',
  receiving: 'receiving', receive: 'receiving', receiver: 'receiving', incoming: 'receiving', inbound: 'receiving', inbox: 'receiving',
};

const { SIDE_KEYS, CONNECTION_ID_KEYS: CONNECTION_KEYS, SHARED_ID_KEYS: SHARED_KEYS } = vocabulary;

function first(fields: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) {
    // journald keeps a record's extra fields under upper-case names (CONNECTION_ID).
    const v = fields[k] ?? fields[k.toUpperCase()];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'id' in v) return scalar((v as { id: unknown }).id);
  return undefined;
}

/** A side from an explicit field value only. */
export function sideFromValue(v: unknown): Side | undefined {
  return typeof v === 'string' ? SIDE_WORDS[v.trim().toLowerCase()] : undefined;
}

/** A side from a logger name such as `scs.sync.sender` or `secure_connection.receiving`. */
export function sideFromLogger(logger: string | undefined): Side | undefined {
  if (!logger) return undefined;
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

export function contextOf(fields: Record<string, unknown>, logger: string | undefined): Context {
  const out: Context = {};
  const conn = fields['connection'];
  const side = sideFromValue(first(fields, SIDE_KEYS)) ?? (conn && typeof conn === 'object' ? sideFromValue((conn as Record<string, unknown>)['direction']) : undefined) ?? sideFromLogger(logger);
  if (side) out.side = side;
  const cid = scalar(first(fields, CONNECTION_KEYS));
  if (cid) out.connectionId = cid;
  const sid = scalar(first(fields, SHARED_KEYS)) ?? (conn && typeof conn === 'object' ? scalar((conn as Record<string, unknown>)['shared_id'] ?? (conn as Record<string, unknown>)['sharedId']) : undefined);
  if (sid) out.sharedId = sid;
  return out;
}

const KV = /(?:^|\s)([A-Za-z_][\w.-]{0,63})=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;]+)/g;

/** `key=value` pairs written into a text message (`connection_id=abc direction=sending`). */
export function keyValues(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (text.indexOf('=') < 0) return out;
  for (const m of text.matchAll(KV)) {
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
