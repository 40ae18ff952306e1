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
 *   \ufffd), lines over the 16 KiB copier buffer split into entries without a trailing `\n`;
 * - more Python layouts (Celery, the logging cookbook, pipes, structlog's ConsoleRenderer);
 * - collectors and log stores that keep each output line on its own: syslog (RFC 3164, 5424,
 *   rsyslog's RFC 3339 files), journald (`journalctl -o json`, `-o short-iso`), CloudWatch
 *   (`aws logs tail`, exports), Loki (`logcli`), Grafana's download, `docker compose logs`,
 *   Fluent Bit, Filebeat, Cloud Logging, `stern` (several pods), Fluentd's out_file;
 * - log stores' exports saved as one pretty-printed JSON document: the AWS CLI's
 *   `aws logs filter-log-events` / `get-log-events`, `gcloud logging read --format=json` (newest
 *   first), an Elasticsearch search response (`?pretty`, newest first); the same compact, on
 *   one line (`jq -c .`, a search without `?pretty`);
 * - containers: UTF-16LE with and without a byte-order mark, zip.
 */
import { deflateRawSync, gzipSync } from 'node:zlib';

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
  for (let i = 0; i < bytes.length;) {
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

// ---------------------------------------------------------------------------------------------
// More Python layouts

/** Celery's worker format: `[%(asctime)s: %(levelname)s/%(processName)s] %(message)s`. */
export function celeryText(events: readonly LogEvent[]): string {
  return events.map((e) => `[${asctime(e.time)}: ${e.level}/ForkPoolWorker-1] ${kv(e.fields)}${e.message}${e.exc ? '\n' + e.exc : ''}\n`).join('');
}

/** The logging cookbook's `%(asctime)s %(name)-12s %(levelname)-8s %(message)s`. */
export function cookbookText(events: readonly LogEvent[]): string {
  return events.map((e) => `${asctime(e.time)} ${e.logger.padEnd(12)} ${e.level.padEnd(8)} ${kv(e.fields)}${e.message}${e.exc ? '\n' + e.exc : ''}\n`).join('');
}

/** `%(asctime)s | %(levelname)s | %(name)s | %(message)s`. */
export function pipeText(events: readonly LogEvent[]): string {
  return events.map((e) => `${asctime(e.time)} | ${e.level} | ${e.logger} | ${kv(e.fields)}${e.message}${e.exc ? '\n' + e.exc : ''}\n`).join('');
}

const STRUCTLOG_LEVEL_COLOR: Record<PyLevel, string> = { DEBUG: '\x1b[32m', INFO: '\x1b[32m', WARNING: '\x1b[33m', ERROR: '\x1b[31m', CRITICAL: '\x1b[31m' };

/**
 * structlog's ConsoleRenderer (22.x) after TimeStamper('%Y-%m-%d %H:%M:%S'), add_log_level and
 * add_logger_name: `<time> [<level padded to 9>] <event padded to 30> [<logger>] k=v …` (keys
 * sorted), the exception after a newline; with `colors`, the ANSI codes it writes on a terminal.
 */
export function structlogConsole(events: readonly LogEvent[], colors: boolean): string {
  const c = (code: string, s: string) => (colors ? `${code}${s}\x1b[0m` : s);
  return events
    .map((e) => {
      const ts = `${e.time.slice(0, 10)} ${e.time.slice(11, 19)}`;
      const level = e.level.toLowerCase();
      const pairs = Object.keys(e.fields ?? {})
        .sort()
        .map((k) => `${c('\x1b[36m', k)}=${c('\x1b[35m', e.fields![k]!)}`)
        .join(' ');
      const head = colors
        ? `${c('\x1b[2m', ts)} [${STRUCTLOG_LEVEL_COLOR[e.level]}\x1b[1m${level.padEnd(9)}\x1b[0m] ${c('\x1b[1m', e.message.padEnd(30))} [\x1b[34m\x1b[1m${e.logger}\x1b[0m] ${pairs}`
        : `${ts} [${level.padEnd(9)}] ${e.message.padEnd(30)} [${e.logger}] ${pairs}`;
      return `${head}${e.exc ? '\n' + e.exc : ''}\n`;
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Collectors and log stores: each line of an application's output is kept or sent on its own

/** One line of output as a collector reads it, with the time and stream of the write it came in. */
export interface OutputLine {
  time: string;
  stream: Stream;
  text: string;
  /** The level of the record the line belongs to (a collector does not know it; syslog's PRI may). */
  level: PyLevel;
}

export function outputLines(events: readonly LogEvent[], render: (events: readonly LogEvent[]) => string, streamOf: (e: LogEvent) => Stream = () => 'stderr'): OutputLine[] {
  return events.flatMap((e) =>
    render([e])
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ time: e.time, stream: streamOf(e), text, level: e.level })),
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SYSLOG_SEVERITY: Record<PyLevel, number> = { DEBUG: 7, INFO: 6, WARNING: 4, ERROR: 3, CRITICAL: 2 };

/** RFC 3164 time: `May 12 09:00:02`, the day padded with a space. */
function bsdTime(iso: string): string {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${iso.slice(11, 19)}`;
}

/** `2026-05-12T09:00:02.905000+00:00`: microseconds and a numeric zone (rsyslog, `aws logs tail`). */
function isoMicros(iso: string): string {
  return `${iso.slice(0, 23)}000+00:00`;
}

/** `/var/log/syslog` (rsyslog's traditional format) and `journalctl`'s default short output. */
export function syslogBsd(lines: readonly OutputLine[], withPri = false): string {
  return lines.map((l) => `${withPri ? `<${8 + SYSLOG_SEVERITY[l.level]}>` : ''}${bsdTime(l.time)} scs-node-1 scs[7]: ${l.text}\n`).join('');
}

/** rsyslog's default on current distributions (RSYSLOG_FileFormat): RFC 3339 time with µs. */
export function rsyslogFile(lines: readonly OutputLine[]): string {
  return lines.map((l) => `${isoMicros(l.time)} scs-node-1 scs[7]: ${l.text}\n`).join('');
}

/** RFC 5424 as a relay forwards it: `<PRI>1 TIME HOST APP PROCID MSGID SD MSG`. */
export function syslog5424(lines: readonly OutputLine[]): string {
  return lines.map((l) => `<${8 + SYSLOG_SEVERITY[l.level]}>1 ${l.time} scs-node-1 scs 7 - - ${l.text}\n`).join('');
}

/** `journalctl -o short-iso` (systemd 252): a header line, then whole seconds and a `+0000` zone. */
export function journalShortIso(lines: readonly OutputLine[]): string {
  return `-- Journal begins at Mon 2026-05-11 00:00:01 UTC, ends at Tue 2026-05-12 12:00:00 UTC. --\n` + lines.map((l) => `${l.time.slice(0, 19)}+0000 scs-node-1 scs[7]: ${l.text}\n`).join('');
}

/** `journalctl -o json` of a service whose stdout/stderr go to the journal: one object per line, every value a string. */
export function journalJson(lines: readonly OutputLine[]): string {
  return lines
    .map(
      (l, i) =>
        JSON.stringify({
          __CURSOR: `s=7c1e;i=${(i + 1).toString(16)};b=9a1f;m=${i.toString(16)};t=6f1e;x=2b`,
          __REALTIME_TIMESTAMP: String(Date.parse(l.time) * 1000 + i),
          __MONOTONIC_TIMESTAMP: String(1_000_000 + i),
          _BOOT_ID: '9a1f',
          PRIORITY: '6',
          SYSLOG_FACILITY: '3',
          _UID: '999',
          _GID: '999',
          _SYSTEMD_UNIT: 'scs.service',
          SYSLOG_IDENTIFIER: 'scs',
          _PID: '7',
          _COMM: 'python3',
          _TRANSPORT: 'stdout',
          _STREAM_ID: 'a1b2',
          MESSAGE: l.text,
        }) + '\n',
    )
    .join('');
}

/**
 * `journalctl -o json` of records sent by Python's systemd.journal.JournalHandler: one object per
 * record, MESSAGE the formatted record (`%(message)s` and the traceback), PRIORITY its syslog
 * severity, LOGGER its logger, the record's extra fields under upper-case names (journald's rule).
 */
export function journalNative(events: readonly LogEvent[]): string {
  return events
    .map(
      (e, i) =>
        JSON.stringify({
          __CURSOR: `s=7c1e;i=${(i + 1).toString(16)}`,
          __REALTIME_TIMESTAMP: String(Date.parse(e.time) * 1000),
          PRIORITY: String(SYSLOG_SEVERITY[e.level]),
          SYSLOG_IDENTIFIER: 'scs',
          _PID: '7',
          _TRANSPORT: 'journal',
          CODE_FILE: '/app/scs/sync/worker.py',
          CODE_LINE: '88',
          CODE_FUNC: 'run_once',
          LOGGER: e.logger,
          THREAD_NAME: 'MainThread',
          ...Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k.toUpperCase(), v])),
          MESSAGE: `${e.message}${e.exc ? '\n' + e.exc : ''}`,
        }) + '\n',
    )
    .join('');
}

/** `aws logs tail GROUP` piped: `<time with µs> <stream> <message>`. */
export function awsLogsTail(lines: readonly OutputLine[]): string {
  return lines.map((l) => `${isoMicros(l.time)} scs/scs/0f3e1b2a9c ${l.text}\n`).join('');
}

/** A CloudWatch Logs export to S3 (`create-export-task`): `<ISO time> <message>`. */
export function cloudwatchExport(lines: readonly OutputLine[]): string {
  return lines.map((l) => `${l.time} ${l.text}\n`).join('');
}

/** `logcli query --forward` (default output): `<RFC 3339> {labels} <line>`. */
export function logcliText(lines: readonly OutputLine[]): string {
  return lines.map((l) => `${l.time.slice(0, 19)}Z {app="scs", namespace="scs", pod="scs-7d9f8c6b5-x2x4z"} ${l.text}\n`).join('');
}

/** `logcli query --forward --output=jsonl`. */
export function logcliJsonl(lines: readonly OutputLine[]): string {
  return lines.map((l) => JSON.stringify({ labels: { app: 'scs', pod: 'scs-7d9f8c6b5-x2x4z' }, line: l.text, timestamp: `${l.time.slice(0, 23)}000000Z` }) + '\n').join('');
}

/** Grafana Explore's "Download logs" (.txt), oldest first: the common labels, two blank lines, `<ISO time>\t<line>`. */
export function grafanaTxt(lines: readonly OutputLine[]): string {
  return `Common labels: {"app":"scs","pod":"scs-7d9f8c6b5-x2x4z"}\n\n\n` + lines.map((l) => `${l.time.slice(0, 19)}+00:00\t${l.text}\n`).join('');
}

/** `docker compose logs`: `<service>-<n>  | <line>`; on a terminal the prefix is coloured. */
export function composeLogs(lines: readonly OutputLine[], colors = false): string {
  return lines.map((l) => `${colors ? '\x1b[36m' : ''}scs-1  | ${colors ? '\x1b[0m' : ''}${l.text}\n`).join('');
}

/**
 * `stern scs` (v1, its default template `{{color .PodColor .PodName}} {{color .ContainerColor
 * .ContainerName}} {{.Message}}`): piped, the names as they are; on a terminal or with
 * `--color always`, each wrapped in its colour (fatih/color: `ESC[96m` … `ESC[0m`).
 */
export function sternLogs(lines: readonly OutputLine[], pod = 'scs-7d9f8c6b5-x2kqp', colors = false): string {
  const names = colors ? `\x1b[96m${pod}\x1b[0m \x1b[36mscs\x1b[0m` : `${pod} scs`;
  return lines.map((l) => `${names} ${l.text}\n`).join('');
}

/**
 * Fluentd's out_file with its default format (`<time>\t<tag>\t<record as JSON>`, the time in
 * seconds with a numeric zone) of a Docker json-file tailed by in_tail's json parser, which takes
 * `time` out of the record: `{"log": "<line>\n", "stream": …}`.
 */
export function fluentdOutFile(lines: readonly OutputLine[], tag = 'scs.sync'): string {
  return lines.map((l) => `${l.time.slice(0, 19)}+00:00\t${tag}\t${JSON.stringify({ log: l.text + '\n', stream: l.stream })}\n`).join('');
}

/** Fluent Bit (tail input, docker parser, kubernetes filter), `stdout` output in json_lines. */
export function fluentBitJson(lines: readonly OutputLine[]): string {
  return lines
    .map(
      (l) =>
        JSON.stringify({ date: Date.parse(l.time) / 1000, log: l.text + '\n', stream: l.stream, time: `${l.time.slice(0, 23)}456789Z`, kubernetes: { pod_name: 'scs-7d9f8c6b5-x2x4z', namespace_name: 'scs', container_name: 'scs' } }) + '\n',
    )
    .join('');
}

/** Filebeat shipping a log file as ECS: the raw line under `message`, the file and offset under `log`. */
export function filebeatJson(lines: readonly OutputLine[]): string {
  let offset = 0;
  return lines
    .map((l) => {
      const doc = {
        '@timestamp': l.time,
        log: { offset, file: { path: '/var/log/scs/scs.log' } },
        message: l.text,
        input: { type: 'filestream' },
        ecs: { version: '8.0.0' },
        host: { name: 'scs-node-1' },
        agent: { type: 'filebeat', version: '8.13.0' },
      };
      offset += Buffer.byteLength(l.text) + 1;
      return JSON.stringify(doc) + '\n';
    })
    .join('');
}

/** Cloud Logging entries of a container's output lines (a sink's JSON files): `textPayload`, stderr as ERROR. */
export function gcpTextPayload(lines: readonly OutputLine[]): string {
  return lines
    .map(
      (l, i) =>
        JSON.stringify({
          insertId: `0x${i.toString(16)}`,
          logName: `projects/acme/logs/${l.stream}`,
          receiveTimestamp: `${l.time.slice(0, 23)}912345678Z`,
          resource: { type: 'k8s_container', labels: { container_name: 'scs', namespace_name: 'scs', pod_name: 'scs-7d9f8c6b5-x2x4z' } },
          severity: l.stream === 'stderr' ? 'ERROR' : 'INFO',
          textPayload: l.text,
          timestamp: `${l.time.slice(0, 23)}123456Z`,
        }) + '\n',
    )
    .join('');
}

/** Cloud Logging entries of JSON log lines: the agent moves the line's object to `jsonPayload` and lifts `severity` out of it. */
export function gcpJsonPayload(events: readonly LogEvent[]): string {
  return events
    .map((e, i) => {
      const payload: Record<string, unknown> = { ...e.fields, message: e.message, logger: e.logger };
      if (e.exc) payload['exception'] = e.exc;
      return JSON.stringify({ insertId: `0x${i.toString(16)}`, jsonPayload: payload, logName: 'projects/acme/logs/stderr', resource: { type: 'k8s_container' }, severity: e.level, timestamp: e.time }) + '\n';
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Log stores' exports: one pretty-printed JSON document holding a list of entries

/** A Python string literal as json.dumps writes it: `ensure_ascii` escapes every non-ASCII character, else only `"`, `\\` and controls. */
function pyJsonStr(s: string, ensureAscii: boolean): string {
  if (ensureAscii) return pyJsonString(s);
  const SHORT: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += SHORT[c] ?? (code < 0x20 ? '\\u' + code.toString(16).padStart(4, '0') : c);
  }
  return out + '"';
}

/**
 * Python's `json.dumps(value, indent=n, ensure_ascii=…, sort_keys=…)`: with an indent, the item
 * separator is ',' (no space) before each new line and the key separator ': '; empty containers
 * stay `[]` and `{}`.
 */
export function pyJsonIndent(value: unknown, indent: number, options: { ensureAscii?: boolean; sortKeys?: boolean } = {}, level = 0): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pyJsonStr(value, options.ensureAscii ?? true);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = '\n' + ' '.repeat(indent * (level + 1));
  const outer = '\n' + ' '.repeat(indent * level);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${inner}${value.map((v) => pyJsonIndent(v, indent, options, level + 1)).join(',' + inner)}${outer}]`;
  }
  let entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (options.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${inner}${entries.map(([k, v]) => `${pyJsonStr(k, options.ensureAscii ?? true)}: ${pyJsonIndent(v, indent, options, level + 1)}`).join(',' + inner)}${outer}}`;
}

/**
 * Elasticsearch's `?pretty` (Jackson's pretty printer as XContent sets it up): two spaces, `" : "`
 * between key and value, every element of an array on its own line, empty containers `[ ]` and
 * `{ }`; non-ASCII text as it is, controls escaped.
 */
export function esPretty(value: unknown, level = 0): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pyJsonStr(value, false).replace(/\\u00([0-9a-f]{2})/g, (_m, h: string) => `\\u00${h.toUpperCase()}`);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = '\n' + '  '.repeat(level + 1);
  const outer = '\n' + '  '.repeat(level);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[${inner}${value.map((v) => esPretty(v, level + 1)).join(',' + inner)}${outer}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{ }';
  return `{${inner}${entries.map(([k, v]) => `${pyJsonStr(k, false)} : ${esPretty(v, level + 1)}`).join(',' + inner)}${outer}}`;
}

/** A CloudWatch Logs event id: 56 digits. */
function cloudwatchEventId(ms: number, i: number): string {
  return `${ms}${String(i).padStart(6, '0')}`.padEnd(56, '7').slice(0, 56);
}

const LOG_STREAM = 'scs/scs/0f3e1b2a9c4d4e6f8a1b2c3d4e5f6a7b';

/**
 * `aws logs filter-log-events --log-group-name /ecs/scs > out.json` (AWS CLI: `json.dump(response,
 * indent=4, ensure_ascii=False)` and a newline). Each event holds one record, as the CloudWatch
 * agent with a `multi_line_start_pattern` (or a Python handler) sends it: the traceback inside
 * the message.
 */
export function cloudwatchFilterLogEvents(events: readonly LogEvent[], render: (events: readonly LogEvent[]) => string = pythonText): string {
  return pyJsonIndent(filterLogEventsResponse(events, render), 4, { ensureAscii: false }) + '\n';
}

/** The response of `filter-log-events` (see cloudwatchFilterLogEvents). */
export function filterLogEventsResponse(events: readonly LogEvent[], render: (events: readonly LogEvent[]) => string = pythonText): Record<string, unknown> {
  return {
    events: events.map((e, i) => {
      const ms = Date.parse(e.time);
      return { logStreamName: LOG_STREAM, timestamp: ms, message: render([e]).replace(/\n$/, ''), ingestionTime: ms + 41 + (i % 7), eventId: cloudwatchEventId(ms, i) };
    }),
    searchedLogStreams: [],
    nextToken: 'Bxkq6kVGFtq2y_Moigeqscgt8fTtgAbcTkRvaBq1vhmq2yKdhG6Ssa0-dTBwAixvSRwHT2JSp5T_NgzxXaGFgeAt5VXZBa1lUrdQQspQFY',
  };
}

/**
 * `aws logs get-log-events --log-group-name … --log-stream-name … > out.json`, of a container
 * logged by Docker's awslogs driver: one event per output line, so a traceback is one event a line.
 */
export function cloudwatchGetLogEvents(lines: readonly OutputLine[]): string {
  return pyJsonIndent(getLogEventsResponse(lines), 4, { ensureAscii: false }) + '\n';
}

/** The response of `get-log-events` (see cloudwatchGetLogEvents). */
export function getLogEventsResponse(lines: readonly OutputLine[]): Record<string, unknown> {
  return {
    events: lines.map((l, i) => ({ timestamp: Date.parse(l.time), message: l.text, ingestionTime: Date.parse(l.time) + 41 + (i % 7) })),
    nextForwardToken: 'f/38273947584720938475629384756293847562938475629384756293/s',
    nextBackwardToken: 'b/38273947584720938475629384756293847562938475629384756290/s',
  };
}

/** The time Cloud Logging gives the n-th line read: nanoseconds, increasing within a millisecond. */
function gcpNanos(iso: string, n: number): string {
  return `${iso.slice(0, 23)}${String(100_000 + n).slice(-6)}Z`;
}

const GKE_RESOURCE = { type: 'k8s_container', labels: { cluster_name: 'acme-prod', container_name: 'scs', location: 'europe-west1', namespace_name: 'scs', pod_name: 'scs-7d9f8c6b5-x2x4z', project_id: 'acme' } };

/** Cloud Logging entries of a GKE container's output lines (`textPayload`, stderr as ERROR), in the API's JSON form. */
export function gcpTextEntries(lines: readonly OutputLine[]): Record<string, unknown>[] {
  return lines.map((l, i) => ({
    insertId: `${(0x5f3a1b + i).toString(16)}k9q2xy`,
    labels: { 'compute.googleapis.com/resource_name': 'gke-acme-prod-pool-1-3f2a', 'k8s-pod/app': 'scs' },
    logName: `projects/acme/logs/${l.stream}`,
    receiveTimestamp: `${l.time.slice(0, 23)}912345Z`,
    resource: GKE_RESOURCE,
    severity: l.stream === 'stderr' ? 'ERROR' : 'INFO',
    textPayload: l.text,
    timestamp: gcpNanos(l.time, i),
  }));
}

/** Cloud Logging entries of JSON log lines: the payload under `jsonPayload`, `severity` lifted out of it. */
export function gcpJsonEntries(events: readonly LogEvent[]): Record<string, unknown>[] {
  return events.map((e, i) => {
    const payload: Record<string, unknown> = { ...e.fields, message: e.message, logger: e.logger };
    if (e.exc) payload['exception'] = e.exc;
    return {
      insertId: `${(0x7c2e00 + i).toString(16)}m1w8ab`,
      jsonPayload: payload,
      logName: 'projects/acme/logs/stderr',
      receiveTimestamp: `${e.time.slice(0, 23)}912345Z`,
      resource: GKE_RESOURCE,
      severity: e.level === 'CRITICAL' ? 'CRITICAL' : e.level,
      timestamp: gcpNanos(e.time, i),
    };
  });
}

/**
 * `gcloud logging read FILTER --format=json > out.json`: a JSON array, newest entry first (the
 * default order), each entry printed by `json.dumps(entry, ensure_ascii=False, indent=2,
 * separators=(',', ': '), sort_keys=True)` and indented two more spaces inside the list.
 */
export function gcloudLoggingRead(entries: readonly Record<string, unknown>[]): string {
  const newestFirst = newestFirstOf(entries);
  if (newestFirst.length === 0) return '[]\n';
  return '[\n' + newestFirst.map((e) => '  ' + pyJsonIndent(e, 2, { ensureAscii: false, sortKeys: true }).split('\n').join('\n  ')).join(',\n') + '\n]\n';
}

function newestFirstOf(entries: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return [...entries].sort((a, b) => (String(a['timestamp']) < String(b['timestamp']) ? 1 : String(a['timestamp']) > String(b['timestamp']) ? -1 : 0));
}

/** A value with the keys of every object sorted, as `sort_keys=True` leaves them. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortedKeys(o[k])]),
  );
}

/**
 * `jq -c .` of a document: the whole value on one line, keys in the order they came, no spaces,
 * non-ASCII as it is; a newline after it.
 */
export function jqCompact(value: unknown): string {
  return JSON.stringify(value) + '\n';
}

/** `gcloud logging read FILTER --format=json | jq -c .`: gcloud's array (newest first, keys sorted) on one line. */
export function gcloudLoggingReadCompact(entries: readonly Record<string, unknown>[]): string {
  return jqCompact(sortedKeys(newestFirstOf(entries)));
}

/**
 * An Elasticsearch (or OpenSearch) search response, `GET logs-scs/_search?pretty` sorted by
 * `@timestamp` descending as Kibana's Discover asks: each hit's `_source` as ecs-logging-python's
 * StdlibFormatter wrote it (dotted `log.level`, `log.logger` under `log`, the exception under
 * `error`, `extra=` fields at the top).
 */
export function elasticsearchResponse(events: readonly LogEvent[]): string {
  return esPretty(searchResponse(events)) + '\n';
}

/** `curl 'es:9200/logs-scs/_search' > out.json`, no `?pretty`: Jackson's compact form on one line, no newline at its end. */
export function elasticsearchCompact(events: readonly LogEvent[]): string {
  return JSON.stringify(searchResponse(events));
}

/** The search response of elasticsearchResponse, as a value. */
function searchResponse(events: readonly LogEvent[]): Record<string, unknown> {
  const hits = events
    .map((e, i) => {
      const source: Record<string, unknown> = {
        '@timestamp': e.time,
        'log.level': e.level.toLowerCase(),
        message: e.message,
        ecs: { version: '1.6.0' },
        log: { logger: e.logger, origin: { file: { line: 88, name: 'worker.py' }, function: 'run_once' }, original: e.message },
        process: { name: 'MainProcess', pid: 7, thread: { id: 140245, name: 'MainThread' } },
        ...e.fields,
      };
      if (e.exc) {
        const last = e.exc.split('\n').at(-1)!;
        const colon = last.indexOf(': ');
        source['error'] = { message: colon > 0 ? last.slice(colon + 2) : '', stack_trace: e.exc, type: colon > 0 ? last.slice(0, colon) : last };
      }
      return { _index: '.ds-logs-scs-default-2026.05.12-000001', _id: `Xk${String(i).padStart(4, '0')}pI8BqZ3mD2vJtLwQ`, _score: null, _source: source, sort: [Date.parse(e.time)] };
    })
    .reverse();
  return { took: 12, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 }, hits: { total: { value: hits.length, relation: 'eq' }, max_score: null, hits } };
}

// ---------------------------------------------------------------------------------------------
// Containers

/** UTF-16LE, as Windows PowerShell's `>` writes it (with the byte-order mark) or a cut of such a file (without). */
export function utf16le(text: string, bom: boolean): Buffer {
  return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive of one file, deflated, as `zip` and Windows' "Send to > Compressed folder" write it. */
export function zipOf(name: string, data: string | Buffer): Buffer {
  const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const body = deflateRawSync(raw);
  const fname = Buffer.from(name, 'utf8');
  const crc = crc32(raw);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(raw.length, 22);
  local.writeUInt16LE(fname.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(raw.length, 24);
  central.writeUInt16LE(fname.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fname.length, 12);
  end.writeUInt32LE(30 + fname.length + body.length, 16);
  return Buffer.concat([local, fname, body, central, fname, end]);
}
