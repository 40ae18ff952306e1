/**
 * Fixture generators: write log events the way the real producers write them, byte for byte.
 *
 * - Python `logging` text (`%(asctime)s %(levelname)s [%(name)s] %(message)s`, asctime with a
 *   comma before the milliseconds; `exc_info` appended after a newline, as Formatter.format does);
 * - python-json-logger and structlog's JSONRenderer (Python `json.dumps`, `ensure_ascii=True`);
 * - pino (JSON.stringify shapes, numeric levels, epoch-ms `time`, `err: {type, message, stack}`);
 * - Kubernetes CRI files as containerd writes them (internal/cri/io/logger.go): RFC3339Nano
 *   time, stream, `P`/`F`, lines cut at 16384 bytes, each stream written by its own goroutine so
 *   stdout and stderr lines interleave;
 * - Docker json-file (daemon/logger/jsonfilelog): `{"log":…,"stream":…,"time":…}` with Go's
 *   escaping (`<`, `>`, `&` as \u003c \u003e \u0026, control bytes as \u00XX, invalid UTF-8 as
 *   \ufffd), lines over the 16 KiB copier buffer split into entries without a trailing `\n`.
 */
import { gzipSync } from 'node:zlib';

export type PyLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** One call to a logger, as the application made it. */
export interface LogEvent {
  /** ISO-8601 UTC with milliseconds. */
  time: string;
  level: PyLevel;
  logger: string;
  message: string;
  /** Structured context (`extra=` / bound keys); text formats print it as key=value before the message. */
  fields?: Record<string, string>;
  /** `traceback.format_exception` output without the trailing newline, for `logger.exception`. */
  exc?: string;
}

const PY_LEVELNO: Record<PyLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 };
const PINO_LEVEL: Record<PyLevel, number> = { DEBUG: 20, INFO: 30, WARNING: 40, ERROR: 50, CRITICAL: 60 };

/** Python's default `asctime`: `2026-05-12 14:03:22,118`. */
export function asctime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

function kv(fields: Record<string, string> | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${v} `)
    .join('');
}

/** logging.Formatter('%(asctime)s %(levelname)s [%(name)s] %(message)s') with exc_info. */
export function pythonText(events: readonly LogEvent[]): string {
  return events.map((e) => `${asctime(e.time)} ${e.level} [${e.logger}] ${kv(e.fields)}${e.message}${e.exc ? '\n' + e.exc : ''}\n`).join('');
}

/** logging.Formatter('%(message)s'): no time, level or logger; the plain-text fallback. */
export function plainText(events: readonly LogEvent[]): string {
  return events.map((e) => `${kv(e.fields)}${e.message}${e.exc ? '\n' + e.exc : ''}\n`).join('');
}

/** logging.Formatter('%(asctime)s - %(name)s - %(levelname)s - %(message)s'), the cookbook layout. */
export function pythonDashText(events: readonly LogEvent[]): string {
  return events.map((e) => `${asctime(e.time)} - ${e.logger} - ${e.level} - ${kv(e.fields)}${e.message}${e.exc ? '\n' + e.exc : ''}\n`).join('');
}

/** Python's `json.dumps(value)` with its defaults: ensure_ascii, separators (', ', ': '). */
export function pyJsonDumps(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pyJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`)
    .join(', ')}}`;
}

function pyJsonString(s: string): string {
  // json.encoder.ESCAPE_ASCII: short escapes for \\ " \b \f \n \r \t, \uXXXX (lower-case hex,
  // surrogate pairs) for every other control or non-ASCII character.
  const SHORT: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (SHORT[c]) out += SHORT[c];
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

/** python-json-logger: JsonFormatter('%(asctime)s %(levelname)s %(name)s %(message)s'). */
export function pythonJsonLogger(events: readonly LogEvent[]): string {
  return events
    .map((e) => {
      const rec: Record<string, unknown> = { asctime: asctime(e.time), levelname: e.level, name: e.logger, message: e.message, ...e.fields };
      if (e.exc) rec['exc_info'] = e.exc;
      return pyJsonDumps(rec) + '\n';
    })
    .join('');
}

/** structlog: TimeStamper(fmt='iso', utc=True), add_log_level, add_logger_name, format_exc_info, JSONRenderer(). */
export function structlogJson(events: readonly LogEvent[]): string {
  return events
    .map((e) => {
      const rec: Record<string, unknown> = { ...e.fields, event: e.message, level: e.level.toLowerCase(), logger: e.logger, timestamp: `${e.time.slice(0, 23)}000Z` };
      if (e.exc) rec['exception'] = e.exc;
      return pyJsonDumps(rec) + '\n';
    })
    .join('');
}

/** pino: numeric level, epoch-ms time, pid/hostname, `name`, `msg`, and `err` for an exception. */
export function pinoJson(events: readonly LogEvent[]): string {
  return events
    .map((e) => {
      const rec: Record<string, unknown> = { level: PINO_LEVEL[e.level], time: Date.parse(e.time), pid: 1, hostname: 'scs-7d9f8c6b5-x2x4z', name: e.logger, ...e.fields };
      if (e.exc) {
        const last = e.exc.split('\n').at(-1)!;
        const colon = last.indexOf(': ');
        rec['err'] = { type: colon > 0 ? last.slice(0, colon) : last, message: colon > 0 ? last.slice(colon + 2) : '', stack: e.exc };
      }
      rec['msg'] = e.message;
      return JSON.stringify(rec) + '\n';
    })
    .join('');
}

export const PY_LEVELNO_OF = PY_LEVELNO;

// ---------------------------------------------------------------------------------------------
// Container runtimes

export type Stream = 'stdout' | 'stderr';

/** One write of the application to a stream (a logging handler's `stream.write(msg + '\n')`). */
export interface StreamWrite {
  stream: Stream;
  /** Bytes written, usually one formatted record with its trailing newline. */
  text: string;
  /** When it was written (ISO); each line the runtime writes gets this time plus a few µs. */
  time: string;
}

/** Go's time.RFC3339Nano: nanoseconds with trailing zeros (and a bare '.') trimmed. */
export function rfc3339Nano(epochMs: number, extraNs: number): string {
  const base = new Date(epochMs).toISOString(); // 2026-05-12T14:03:22.118Z
  const ns = String((epochMs % 1000) * 1_000_000 + extraNs).padStart(9, '0');
  const frac = ns.replace(/0+$/, '');
  return `${base.slice(0, 19)}${frac ? '.' + frac : ''}Z`;
}

/** Splits a stream's bytes into lines as containerd's readLine does (drops '\n' and '\r\n'). */
function runtimeLines(buf: Buffer): { line: Buffer; complete: boolean }[] {
  const out: { line: Buffer; complete: boolean }[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(10, start);
    if (nl < 0) {
      out.push({ line: buf.subarray(start), complete: false });
      break;
    }
    let end = nl;
    if (end > start && buf[end - 1] === 13) end--;
    out.push({ line: buf.subarray(start, end), complete: true });
    start = nl + 1;
  }
  return out;
}

export const KUBELET_MAX_LINE = 16384;

/** The entries one runtime goroutine writes for one stream write: `{stream, time, tag, bytes}`. */
interface CriEntry {
  stream: Stream;
  time: string;
  tag: 'P' | 'F';
  bytes: Buffer;
}

function criEntries(w: StreamWrite, maxLen: number, seq: { n: number }): CriEntry[] {
  const out: CriEntry[] = [];
  const ms = Date.parse(w.time);
  for (const { line, complete } of runtimeLines(Buffer.from(w.text, 'utf8'))) {
    // containerd: while the buffered line is longer than maxLen, write maxLen bytes as P.
    let rest = line;
    while (rest.length > maxLen) {
      out.push({ stream: w.stream, time: rfc3339Nano(ms, 1000 + seq.n++ * 7919), tag: 'P', bytes: rest.subarray(0, maxLen) });
      rest = rest.subarray(maxLen);
    }
    out.push({ stream: w.stream, time: rfc3339Nano(ms, 1000 + seq.n++ * 7919), tag: complete ? 'F' : 'P', bytes: rest });
  }
  return out;
}

/**
 * Orders the entries of the writes in the file. Each stream has its own goroutine in the runtime,
 * so lines of two writes on different streams can land between each other: `'sequential'` keeps
 * each write's entries together; `'interleaved'` zips every write with the next one when that one
 * is on the other stream (the worst case: a stdout line between the first two lines, or the first
 * two partial entries, of every stderr record).
 */
function order<T extends { stream: Stream }>(perWrite: T[][], mode: 'sequential' | 'interleaved'): T[] {
  if (mode === 'sequential') return perWrite.flat();
  const out: T[] = [];
  for (let i = 0; i < perWrite.length; i++) {
    const a = perWrite[i]!;
    const b = perWrite[i + 1];
    if (!b || a.length === 0 || b.length === 0 || a[0]!.stream === b[0]!.stream) {
      out.push(...a);
      continue;
    }
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      if (k < a.length) out.push(a[k]!);
      if (k < b.length) out.push(b[k]!);
    }
    i++;
  }
  return out;
}

export interface RuntimeOptions {
  maxLen?: number;
  interleave?: 'sequential' | 'interleaved';
}

/** A Kubernetes CRI log file (/var/log/pods/…/0.log) as containerd writes it. */
export function criFile(writes: readonly StreamWrite[], options: RuntimeOptions = {}): Buffer {
  const seq = { n: 0 };
  const entries = order(
    writes.map((w) => criEntries(w, options.maxLen ?? KUBELET_MAX_LINE, seq)),
    options.interleave ?? 'sequential',
  );
  return Buffer.concat(entries.map((e) => Buffer.concat([Buffer.from(`${e.time} ${e.stream} ${e.tag} `), e.bytes, Buffer.from('\n')])));
}

/** Go's encoding used by Docker's jsonlog.ffjsonWriteJSONBytesAsString, over raw bytes. */
export function goJsonString(bytes: Buffer): string {
  const hex = '0123456789abcdef';
  let out = '"';
  const text = bytes.toString('latin1');
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (b >= 0x20 && b !== 0x5c && b !== 0x22 && b !== 0x3c && b !== 0x3e && b !== 0x26) out += text[i];
      else if (b === 0x5c || b === 0x22) out += '\\' + text[i];
      else if (b === 10) out += '\\n';
      else if (b === 13) out += '\\r';
      else out += '\\u00' + hex[b >> 4]! + hex[b & 15]!;
      i++;
      continue;
    }
    const size = utf8RuneSize(bytes, i);
    if (size === 0) {
      out += '\\ufffd';
      i++;
      continue;
    }
    const ch = bytes.subarray(i, i + size).toString('utf8');
    out += ch === '\u2028' || ch === '\u2029' ? '\\u202' + hex[ch.charCodeAt(0) & 15]! : ch;
    i += size;
  }
  return out + '"';
}

/** Length of the valid UTF-8 sequence at i, or 0 when the bytes there are not one. */
function utf8RuneSize(b: Buffer, i: number): number {
  const c = b[i]!;
  const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

export const DOCKER_BUF_SIZE = 16 * 1024;

interface DockerEntry {
  stream: Stream;
  json: string;
}

function dockerEntries(w: StreamWrite, bufSize: number, seq: { n: number }): DockerEntry[] {
  const out: DockerEntry[] = [];
  const ms = Date.parse(w.time);
  const data = Buffer.from(w.text, 'utf8');
  // daemon/logger/copier.go: lines are cut at '\n'; a buffer full of bytes without one is
  // logged as a partial message; json-file appends '\n' to the log only on the last piece.
  let start = 0;
  while (start < data.length) {
    const nl = data.indexOf(10, start);
    const lineEnd = nl < 0 ? data.length : nl;
    const time = rfc3339Nano(ms, 1000 + seq.n++ * 7919);
    let p = start;
    while (lineEnd - p >= bufSize) {
      out.push({ stream: w.stream, json: `{"log":${goJsonString(data.subarray(p, p + bufSize))},"stream":"${w.stream}","time":"${time}"}` });
      p += bufSize;
    }
    if (nl < 0) {
      if (p < lineEnd) out.push({ stream: w.stream, json: `{"log":${goJsonString(data.subarray(p, lineEnd))},"stream":"${w.stream}","time":"${time}"}` });
      break;
    }
    const piece = Buffer.concat([data.subarray(p, lineEnd), Buffer.from('\n')]);
    out.push({ stream: w.stream, json: `{"log":${goJsonString(piece)},"stream":"${w.stream}","time":"${time}"}` });
    start = nl + 1;
  }
  return out;
}

/** A Docker json-file log (/var/lib/docker/containers/<id>/<id>-json.log). */
export function dockerJsonFile(writes: readonly StreamWrite[], options: RuntimeOptions = {}): Buffer {
  const seq = { n: 0 };
  const entries = order(
    writes.map((w) => dockerEntries(w, options.maxLen ?? DOCKER_BUF_SIZE, seq)),
    options.interleave ?? 'sequential',
  );
  return Buffer.from(entries.map((e) => e.json + '\n').join(''), 'utf8');
}

/** Splits producer output into one write per record, on the stream Python's StreamHandler uses. */
export function writesOf(events: readonly LogEvent[], render: (events: readonly LogEvent[]) => string, streamOf: (e: LogEvent) => Stream = () => 'stderr'): StreamWrite[] {
  return events.map((e) => ({ stream: streamOf(e), text: render([e]), time: e.time }));
}

export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export function gzip(data: string | Buffer): Buffer {
  return gzipSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}
