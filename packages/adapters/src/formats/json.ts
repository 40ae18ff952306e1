/**
 * JSON log lines from structured loggers: structlog, python-json-logger, pino, ECS, GCP/Loki
 * shapes, journald (`journalctl -o json`). The message, level, time, logger and exception are
 * found under their common names; every other key stays in `fields`.
 */
import { chainOf, pythonChain, vocabulary, type ExceptionLink, type Level } from '@scs-doctor/core/internal';
import { toLevel } from './levels.js';

export interface JsonLog {
  message: string;
  level?: Level;
  time?: unknown;
  logger?: string;
  fields: Record<string, unknown>;
  /** The exception chain, outermost first, when the record carries one. */
  exceptions?: ExceptionLink[];
}

const { MESSAGE_KEYS, LEVEL_KEYS, TIME_KEYS, LOGGER_KEYS, EXCEPTION_KEYS, METADATA_KEYS, JOURNAL_FIELD } = vocabulary;
/** Syslog severities (RFC 5424), the scale of journald's PRIORITY. */
const SYSLOG_LEVELS: readonly Level[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];
/** The other string fields added to the text rules read, at most this much of them. */
const MAX_EXTRA_TEXT = 64 * 1024;

const PRINTF = /%(?:\([\w.]+\))?[-#0 +]*(?:[1-9]\d*)?(?:\.\d+)?[sdrifxXeEgGoac%]/;

function pickKey(o: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (v !== undefined && v !== null && v !== '') return k;
  }
  return undefined;
}

/** structlog's `dict_tracebacks`: `[{exc_type, exc_value, frames: [{filename, lineno, name}]}]`, oldest first. */
function dictTraceback(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0 || !v.every((e) => e && typeof e === 'object' && 'exc_type' in e)) return undefined;
  const out: string[] = [];
  for (const e of v as Record<string, unknown>[]) {
    if (out.length) out.push('');
    out.push('Traceback (most recent call last):');
    if (Array.isArray(e['frames'])) {
      for (const f of e['frames'] as Record<string, unknown>[]) if (f && typeof f === 'object') out.push(`  File "${String(f['filename'])}", line ${String(f['lineno'])}, in ${String(f['name'])}`);
    }
    out.push(`${String(e['exc_type'])}: ${text(e['exc_value'])}`);
  }
  return out.join('\n');
}

/** journald writes a MESSAGE that is not valid UTF-8 as an array of its bytes. */
function bytesText(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0 || !v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) return undefined;
  return Buffer.from(v as number[]).toString('utf8');
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  const bytes = bytesText(v);
  if (bytes !== undefined) return bytes;
  const tb = dictTraceback(v);
  if (tb !== undefined) return tb;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // pino's `err: {type, message, stack}` and ECS's `error: {message, stack_trace}`
    const parts = [o['type'], o['message'], o['stack'] ?? o['stack_trace']].filter((x): x is string => typeof x === 'string');
    if (parts.length) return parts.join('\n');
    return JSON.stringify(v);
  }
  // What JSON has left: a number or a boolean.
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

/** Interprets a parsed JSON object as a log event; undefined when it is not an object. */
export function fromJsonObject(o: unknown): JsonLog | undefined {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  let obj = o as Record<string, unknown>;
  // Cloud Logging entries hold the application's JSON under `jsonPayload`, beside the entry's own
  // severity and timestamp: read it as one event, the payload's keys before the entry's.
  const payload = obj['jsonPayload'];
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const { jsonPayload: _payload, ...entry } = obj;
    obj = { ...entry, ...(payload as Record<string, unknown>) };
  }
  const fields: Record<string, unknown> = { ...obj };
  let mk = pickKey(obj, MESSAGE_KEYS);
  // A dump of Python's LogRecord holds `msg`, the format string, beside `message`, the text.
  if (mk === 'msg' && typeof obj['message'] === 'string' && typeof obj['msg'] === 'string' && PRINTF.test(obj['msg'])) mk = 'message';
  let message = mk ? text(obj[mk]) : '';
  if (mk) delete fields[mk];
  let exceptions: ExceptionLink[] | undefined;
  // pino puts an error under `err` beside `msg`; keep its text searchable too.
  const errKey = mk !== 'err' && obj['err'] && typeof obj['err'] === 'object' ? 'err' : mk !== 'error' && obj['error'] && typeof obj['error'] === 'object' ? 'error' : undefined;
  if (errKey) {
    message += '\n' + text(obj[errKey]);
    exceptions = chainOf(obj[errKey]);
  } else if (mk === 'err' || mk === 'error') exceptions = chainOf(obj[mk]);
  const ek = pickKey(obj, EXCEPTION_KEYS);
  const exc = ek === undefined ? undefined : typeof obj[ek] === 'string' ? obj[ek] : dictTraceback(obj[ek]);
  if (ek !== undefined && exc !== undefined) {
    exceptions ??= chainOf(obj[ek]);
    delete fields[ek];
  }
  // A traceback inside the message itself (journald's MESSAGE from a JournalHandler).
  exceptions ??= pythonChain(message);
  // Every other string field is part of the text rules read (`"error": "properties read failed: …"`,
  // `"reason": "shared secret unavailable: InvalidToken"`), after the message: the first line stays the message.
  const journal = obj['MESSAGE'] !== undefined || obj['__REALTIME_TIMESTAMP'] !== undefined;
  let extra = 0;
  for (const k of Object.keys(fields)) {
    if (extra > MAX_EXTRA_TEXT) break;
    if (k === mk || k === ek || k === errKey || METADATA_KEYS.has(k) || (journal && JOURNAL_FIELD.test(k))) continue;
    // A dump of Python's LogRecord: `msg` is the format string of the message already read.
    if (k === 'msg' && mk === 'message') continue;
    const v = fields[k];
    if (typeof v === 'string') {
      if (v === '') continue;
      message += `\n${k}: ${v}`;
      extra += v.length;
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) {
        if (typeof v2 !== 'string' || v2.length < 8 || METADATA_KEYS.has(k2) || extra > MAX_EXTRA_TEXT) continue;
        message += `\n${k}.${k2}: ${v2}`;
        extra += v2.length;
      }
    }
  }
  // The traceback comes last, after what the program said.
  if (ek !== undefined && exc !== undefined) message += (message ? '\n' : '') + exc.replace(/\n+$/, '');
  const out: JsonLog = { message: message.replace(/\r\n/g, '\n'), fields };
  if (exceptions) out.exceptions = exceptions;
  const lk = pickKey(obj, LEVEL_KEYS);
  if (lk) {
    const raw = obj[lk];
    // Python's levelno scale (ERROR=40) differs from pino's (error=50).
    const level = lk === 'levelno' && typeof raw === 'number' ? toLevel(raw + 10) : lk === 'PRIORITY' ? SYSLOG_LEVELS[Number(raw)] : toLevel(raw);
    if (level) out.level = level;
  }
  const tk = pickKey(obj, TIME_KEYS);
  if (tk) out.time = obj[tk];
  const gk = pickKey(obj, LOGGER_KEYS);
  if (gk && typeof obj[gk] === 'string') out.logger = obj[gk];
  else {
    // ECS nests it: `"log": {"logger": "scs.sync.sender"}`.
    const log = obj['log'];
    if (log && typeof log === 'object' && typeof (log as Record<string, unknown>)['logger'] === 'string') out.logger = (log as Record<string, string>)['logger'];
  }
  return out;
}

/**
 * A JSON.parse error without the piece of input V8 quotes in it (`Unexpected token 'A', "{"k":
 * AKIAQ7W3"... is not valid JSON`): a quote cut short can hold part of a secret that redaction no
 * longer recognises. The place is reported beside it.
 */
export function jsonError(e: unknown): string {
  return (e as Error).message.replace(/, (?:\.\.\.)?"[\s\S]*$/, '').replace(/ in JSON at position \d.*$/, '');
}
