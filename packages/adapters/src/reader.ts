/**
 * The log reader: bytes in, records out, every line accounted for.
 *
 * Stages, per chunk of input:
 * 1. lines: split on LF (CRLF and lone CR too), cap very long lines, skip binary ones;
 * 2. envelopes: Kubernetes CRI (`<time> <stream> <P|F> <text>`) and Docker json-file lines are
 *    unwrapped, and their partial lines (CRI `P`, Docker entries without a trailing newline) are
 *    joined into one logical line;
 * 3. records: a Python traceback and other continuation lines join the record they follow;
 * 4. prefilter: the rule pack's raw scanner runs once over the whole chunk. A record with no hit
 *    cannot match any rule and is counted without being decoded or parsed; only candidates are
 *    decoded (UTF-8, JSON) and handed to the engine as `LogRecord`s.
 *
 * Input is kept as one-byte strings (latin1) until a record is a candidate: that keeps the scan
 * at memory speed, and the scanner's literals are encoded the same way.
 */
import { normalizeTime, type DiagnosisSession, type LogRecord } from '@scs-doctor/core';
import { contextOf, keyValues } from './formats/fields.js';
import { fromJsonObject } from './formats/json.js';
import { parseTextHeader } from './formats/text.js';

export const LOG_FORMATS = ['auto', 'python', 'plain', 'json', 'cri', 'docker'] as const;
export type LogFormatOption = (typeof LOG_FORMATS)[number];

export interface ReadOptions {
  /** Force one format instead of detecting it per line (default `auto`). */
  logFormat?: LogFormatOption | undefined;
  /** Longest line searched, in bytes; the rest of a longer line is dropped and counted (default 1 MiB). */
  maxLineBytes?: number | undefined;
  /** Most lines joined into one record (default 5,000). */
  maxRecordLines?: number | undefined;
  /** Parse and hand over every record, not only prefilter candidates (fixtures, differential tests). */
  everyRecord?: boolean | undefined;
}

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
const DEFAULT_MAX_RECORD_LINES = 5000;
const TRACEBACK = 'Traceback (most recent call last):';
const CHAIN_1 = 'During handling of the above exception, another exception occurred:';
const CHAIN_2 = 'The above exception was the direct cause of the following exception:';
const DOCKER_HEAD = '{"log":"';
const DOCKER_STREAM = '","stream":"';
const HIGH_BYTE = /[\x80-\xff]/;

interface Logical {
  /** Payload, one char per byte; JSON-escaped when `escaped`. */
  payload: string;
  escaped: boolean;
  hit: boolean;
  line: number;
  endLine: number;
  envelope: 'cri' | 'docker' | undefined;
  envTime: string | undefined;
}

interface OpenRecord {
  lines: Logical[];
  line: number;
  endLine: number;
  hit: boolean;
  json: boolean;
  envelope: 'cri' | 'docker' | undefined;
  /** 0: plain, 1: in a traceback's frames, 2: just after the exception line. */
  tb: 0 | 1 | 2;
}

function utf8(latin1: string): string {
  return HIGH_BYTE.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

function isCriStart(s: string): number {
  // 2026-05-12T14:03:22.118234567Z stdout F text  → index of the text, or -1
  if (s.length < 30 || s.charCodeAt(4) !== 45 || s.charCodeAt(10) !== 84) return -1;
  const sp = s.indexOf(' ', 19);
  if (sp < 0 || sp > 40) return -1;
  const st = s.slice(sp + 1, sp + 8);
  if (st !== 'stdout ' && st !== 'stderr ') return -1;
  const tag = s.charCodeAt(sp + 8);
  if (tag !== 70 && tag !== 80) return -1; // F, P
  const after = s.charCodeAt(sp + 9);
  if (!(after === 32 || Number.isNaN(after))) return -1;
  return sp + 8;
}

/** Streams one input into the session. */
export class LogReader {
  private readonly session: DiagnosisSession;
  private readonly name: string;
  private readonly scanner: RegExp | undefined;
  private readonly force: LogFormatOption;
  private readonly maxLine: number;
  private readonly maxRecordLines: number;

  private lineNo = 0;
  private bytes = 0;
  private carry: Buffer | undefined;
  private discarding = false;
  private pendingCr = false;
  private partial: Logical | undefined;
  private partialParts: string[] = [];
  private open: OpenRecord | undefined;
  private blanks = 0;
  private blankStart = 0;

  constructor(session: DiagnosisSession, name: string, options: ReadOptions = {}) {
    this.session = session;
    this.name = name;
    this.scanner = session.pack.rawScanner && !options.everyRecord ? new RegExp(session.pack.rawScanner.source, 'g') : undefined;
    this.force = options.logFormat ?? 'auto';
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxRecordLines = options.maxRecordLines ?? DEFAULT_MAX_RECORD_LINES;
    session.input(name, 'logs');
  }

  /** Feeds a chunk of bytes. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let buf = chunk;
    if (this.discarding) {
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      this.discarding = false;
      buf = buf.subarray(nl + 1);
    }
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = undefined;
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.keepCarry(buf);
      return;
    }
    if (last + 1 < buf.length) this.keepCarry(buf.subarray(last + 1));
    this.lines(buf.toString('latin1', 0, last + 1));
  }

  private keepCarry(rest: Buffer): void {
    if (rest.length > this.maxLine) {
      // A line past the cap: search its first maxLine bytes, drop the rest up to the newline.
      this.session.truncated(this.name);
      this.lines(rest.toString('latin1', 0, this.maxLine) + '\n');
      this.discarding = true;
      return;
    }
    this.carry = Buffer.from(rest);
  }

  /** Ends the input: flushes a last line without newline, open partials and records. */
  end(): void {
    if (this.carry && this.carry.length > 0) this.lines(this.carry.toString('latin1') + '\n');
    this.carry = undefined;
    this.flushPartial();
    this.close();
    if (this.blanks > 0) this.session.skip(this.name, 'blank', this.blanks);
    this.blanks = 0;
    this.session.read(this.name, this.lineNo, this.bytes);
  }

  private lines(s: string): void {
    const hasCr = s.indexOf('\r') >= 0;
    const hasNul = s.indexOf('\0') >= 0;
    let hits: number[] | undefined;
    if (this.scanner) {
      hits = [];
      const re = this.scanner;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s)) !== null) hits.push(m.index);
    }
    let h = 0;
    let start = 0;
    const n = s.length;
    while (start < n) {
      let end = s.indexOf('\n', start);
      if (end < 0) end = n;
      let hit = true;
      if (hits) {
        while (h < hits.length && hits[h]! < start) h++;
        hit = h < hits.length && hits[h]! < end;
      }
      if (hasCr || hasNul) this.special(s.slice(start, end), hit);
      else this.physical(s.slice(start, end), hit);
      start = end + 1;
    }
  }

  private special(line: string, hit: boolean): void {
    if (line.indexOf('\0') >= 0) {
      this.lineNo++;
      this.flushPartial();
      this.close();
      this.session.skip(this.name, 'binary');
      return;
    }
    let l = line;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l.indexOf('\r') < 0) {
      this.physical(l, hit);
      return;
    }
    // Lone CR separates lines too (old Mac files, progress output).
    for (const part of l.split('\r')) this.physical(part, hit && (!this.scanner || this.test(part)));
  }

  private test(s: string): boolean {
    const re = this.scanner!;
    re.lastIndex = 0;
    return re.test(s);
  }

  private physical(raw: string, hit: boolean): void {
    const lineNo = ++this.lineNo;
    const f = this.force;
    if (f === 'auto' || f === 'cri') {
      const tagAt = isCriStart(raw);
      if (tagAt > 0) {
        const partial = raw.charCodeAt(tagAt) === 80;
        this.envelopeLine(raw.slice(tagAt + 2), false, partial, hit, lineNo, 'cri', raw.slice(0, raw.indexOf(' ')));
        return;
      }
    }
    if ((f === 'auto' || f === 'docker') && raw.startsWith(DOCKER_HEAD)) {
      const endAt = raw.indexOf(DOCKER_STREAM, DOCKER_HEAD.length);
      if (endAt > 0) {
        let payload = raw.slice(DOCKER_HEAD.length, endAt);
        const complete = payload.endsWith('\\n') && !payload.endsWith('\\\\n');
        if (complete) payload = payload.slice(0, -2);
        if (payload.endsWith('\\r')) payload = payload.slice(0, -2);
        const t = /"time":"([^"]+)"/.exec(raw.slice(endAt));
        this.envelopeLine(payload, true, !complete, hit, lineNo, 'docker', t?.[1]);
        return;
      }
    }
    this.flushPartial();
    this.logical({ payload: raw, escaped: false, hit, line: lineNo, endLine: lineNo, envelope: undefined, envTime: undefined });
  }

  private envelopeLine(payload: string, escaped: boolean, partial: boolean, hit: boolean, lineNo: number, envelope: 'cri' | 'docker', envTime: string | undefined): void {
    const p = this.partial;
    if (p) {
      this.partialParts.push(payload);
      p.endLine = lineNo;
      p.hit ||= hit;
      if (partial && this.partialBytes() < this.maxLine) return;
      const joined = this.partialParts.join('');
      this.partial = undefined;
      this.partialParts = [];
      if (partial) this.session.truncated(this.name);
      // A signature may straddle the split: scan the joined text again.
      this.logical({ ...p, payload: joined, hit: p.hit || !this.scanner || this.test(joined) });
      return;
    }
    const l: Logical = { payload, escaped, hit, line: lineNo, endLine: lineNo, envelope, envTime };
    if (partial) {
      this.partial = l;
      this.partialParts = [payload];
      return;
    }
    this.logical(l);
  }

  private partialBytes(): number {
    let n = 0;
    for (const p of this.partialParts) n += p.length;
    return n;
  }

  private flushPartial(): void {
    const p = this.partial;
    if (!p) return;
    this.partial = undefined;
    const joined = this.partialParts.join('');
    this.partialParts = [];
    this.logical({ ...p, payload: joined, hit: p.hit || !this.scanner || this.test(joined) });
  }

  private logical(l: Logical): void {
    const s = l.payload;
    const c0 = s.charCodeAt(0);
    // Blank: held until we know whether the record goes on after it.
    if (s.length === 0 || (c0 <= 32 && s.trim() === '') || (l.escaped && /^(?:\s|\\[tnr])*$/.test(s))) {
      if (this.blanks === 0) this.blankStart = l.line;
      this.blanks += l.endLine - l.line + 1;
      return;
    }
    const o = this.open;
    const json = this.force === 'json' || (this.force !== 'python' && this.force !== 'plain' && c0 === 123 /* { */);
    if (o && !json && !o.json && o.lines.length < this.maxRecordLines && this.continues(o, s, l.escaped)) {
      if (this.blanks > 0) {
        this.blanks = 0;
      }
      o.lines.push(l);
      o.endLine = l.endLine;
      o.hit ||= l.hit;
      return;
    }
    this.close();
    if (this.blanks > 0) {
      this.session.skip(this.name, 'blank', this.blanks);
      this.blanks = 0;
    }
    this.open = {
      lines: [l],
      line: l.line,
      endLine: l.endLine,
      hit: l.hit,
      json,
      envelope: l.envelope,
      tb: s.startsWith(TRACEBACK) ? 1 : 0,
    };
  }

  private continues(o: OpenRecord, s: string, escaped: boolean): boolean {
    const c0 = s.charCodeAt(0);
    const indented = c0 === 32 || c0 === 9 || (escaped && s.startsWith('\\t'));
    if (o.tb === 1) {
      if (!indented && !s.startsWith(TRACEBACK)) o.tb = 2; // the exception line ends the frames
      return true;
    }
    if (s.startsWith(TRACEBACK)) {
      o.tb = 1;
      return true;
    }
    if (o.tb === 2 && (s.startsWith(CHAIN_1) || s.startsWith(CHAIN_2))) return true;
    if (indented) return true;
    if (o.tb === 2) {
      // botocore/Python exception messages can run over several lines; a line that does not
      // start like a new log line still belongs to the exception.
      return !/^(?:\d{4}-\d\d-\d\d|\[\d{4}-|[A-Z]{4,9}:|\{)/.test(s);
    }
    return false;
  }

  private close(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    const lines = o.endLine - o.line + 1;
    const fmtBase = o.json ? 'json' : 'text';
    const fmt = o.envelope ? `${o.envelope}+${fmtBase}` : fmtBase;
    if (!o.hit) {
      this.session.unmatched(this.name, lines, 1, fmt);
      return;
    }
    this.session.log(this.toRecord(o));
  }

  private decode(l: Logical): string {
    const text = utf8(l.payload);
    if (!l.escaped) return text;
    try {
      return JSON.parse(`"${text}"`) as string;
    } catch {
      return text;
    }
  }

  private toRecord(o: OpenRecord): LogRecord {
    const first = o.lines[0]!;
    const source = { file: this.name, line: o.line, endLine: o.endLine };
    const envTime = normalizeTime(first.envTime);
    const base = { kind: 'log' as const, source, ...(o.envelope ? { envelope: o.envelope } : {}) };
    if (o.json) {
      const text = this.decode(first);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const j = fromJsonObject(parsed);
      if (j) {
        const time = normalizeTime(j.time) ?? envTime;
        const ctx = contextOf(j.fields, j.logger);
        return {
          ...base,
          format: 'json',
          message: j.message,
          fields: j.fields,
          ...(j.level ? { level: j.level } : {}),
          ...(time ? { time } : {}),
          ...(j.logger ? { logger: j.logger } : {}),
          ...ctx,
        };
      }
      // Not JSON after all (truncated, or braces in text): searched as plain text.
      return { ...base, format: 'plain', message: text, fields: {}, ...(envTime ? { time: envTime } : {}) };
    }
    const texts = o.lines.map((l) => this.decode(l));
    const header = parseTextHeader(texts[0]!);
    const message = texts.length > 1 ? `${header.message}\n${texts.slice(1).join('\n')}` : header.message;
    const fields = keyValues(header.message);
    const time = normalizeTime(header.time) ?? envTime;
    return {
      ...base,
      format: header.format,
      message,
      fields,
      ...(header.level ? { level: header.level } : {}),
      ...(time ? { time } : {}),
      ...(header.logger ? { logger: header.logger } : {}),
      ...contextOf(fields, header.logger),
    };
  }
}

/** Reads a whole stream of bytes into the session. */
export async function readLogStream(stream: AsyncIterable<Buffer | string>, name: string, session: DiagnosisSession, options: ReadOptions = {}): Promise<void> {
  const reader = new LogReader(session, name, options);
  try {
    for await (const chunk of stream) reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } finally {
    reader.end();
  }
}

/** Reads log text already in memory (tests, fixtures, embedding hosts). */
export function readLogText(text: string | Buffer, name: string, session: DiagnosisSession, options: ReadOptions = {}): void {
  const reader = new LogReader(session, name, options);
  reader.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  reader.end();
}
