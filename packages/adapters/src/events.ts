/**
 * The sync-history reader. Accepts a JSON array of events, an object with an `events` array, or
 * NDJSON (one event a line). Each event is validated; an invalid one is counted with its place and
 * reason and the rest go on. Every line of the file is accounted for in the input's stats.
 */
import { SyncEventSchema, type DiagnosisSession, type SyncEvent } from '@scs-doctor/core';

const STATUSES = new Set(['success', 'warning', 'failure']);
const DIRECTIONS = new Set(['sending', 'receiving']);
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z$/;

/**
 * Validates one event. Events already in the canonical shape take a direct path (the history of a
 * busy installation is millions of events); anything else goes through the full schema, which also
 * accepts snake_case, other status words and other time formats.
 */
export function toSyncEvent(raw: unknown): { event: SyncEvent } | { error: string } {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    const id = o['id'];
    const cid = o['connectionId'];
    const status = o['status'];
    const started = o['startedAt'];
    const finished = o['finishedAt'];
    const files = o['files'];
    const dir = o['direction'];
    const msg = o['message'];
    if (
      typeof cid === 'string' && cid !== '' &&
      typeof status === 'string' && STATUSES.has(status) &&
      typeof started === 'string' && ISO_UTC.test(started) && (started.length === 24 || started.length === 20) &&
      (finished === undefined || (typeof finished === 'string' && ISO_UTC.test(finished) && (finished.length === 24 || finished.length === 20))) &&
      (id === undefined || (typeof id === 'string' && id !== '')) &&
      (dir === undefined || (typeof dir === 'string' && DIRECTIONS.has(dir))) &&
      (msg === undefined || typeof msg === 'string') &&
      (o['connectionName'] === undefined || typeof o['connectionName'] === 'string') &&
      (o['sharedId'] === undefined || (typeof o['sharedId'] === 'string' && o['sharedId'] !== '')) &&
      (files === undefined || (Array.isArray(files) && files.length === 0)) &&
      Object.keys(o).length <= 10
    ) {
      const e: SyncEvent = { connectionId: cid, status: status as SyncEvent['status'], startedAt: started.length === 20 ? started.slice(0, 19) + '.000Z' : started, files: [] };
      if (id !== undefined) e.id = id as string;
      if (o['connectionName'] !== undefined) e.connectionName = o['connectionName'] as string;
      if (dir !== undefined) e.direction = dir as SyncEvent['direction'];
      if (o['sharedId'] !== undefined) e.sharedId = o['sharedId'] as string;
      if (finished !== undefined) e.finishedAt = finished.length === 20 ? finished.slice(0, 19) + '.000Z' : finished;
      if (msg !== undefined) e.message = msg;
      return { event: e };
    }
  }
  const r = SyncEventSchema.safeParse(raw);
  if (r.success) return { event: r.data };
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') + ': ' : '';
  return { error: `invalid sync event: ${where}${issue.message}` };
}

/** Line numbers (1-based) where each element object of the events array starts. */
function elementLines(text: string, top: 'array' | 'object'): number[] {
  const out: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let arrayDepth = top === 'array' ? 1 : -1;
  let lastKey = '';
  let keyStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) {
        inString = false;
        if (depth === 1 && keyStart >= 0) lastKey = text.slice(keyStart, i);
      }
      continue;
    }
    if (c === 34) {
      inString = true;
      keyStart = i + 1;
    } else if (c === 123 || c === 91) {
      depth++;
      if (c === 91 && top === 'object' && depth === 2 && lastKey === 'events' && arrayDepth < 0) arrayDepth = 2;
      if (c === 123 && depth === arrayDepth + 1) out.push(line);
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return out;
}

export interface EventReadOptions {
  /** Called for each valid event before it reaches the session (hosts may collect them). */
  onEvent?: (event: SyncEvent) => void;
}

/** Reads a sync history held in memory (the whole file's text). */
export function readEventsText(text: string, name: string, session: DiagnosisSession, options: EventReadOptions = {}): void {
  const input = session.input(name, 'events');
  input.bytesRead += Buffer.byteLength(text);
  const trimmed = text.replace(/^\uFEFF/, '');
  const firstChar = /\S/.exec(trimmed)?.[0];
  const lines = trimmed.split('\n');
  const totalLines = trimmed.endsWith('\n') ? lines.length - 1 : lines.length;
  session.read(name, totalLines, 0);
  if (firstChar === undefined) {
    if (totalLines > 0) session.skip(name, 'blank', totalLines);
    return;
  }
  const give = (raw: unknown, line: number, endLine: number) => {
    const r = toSyncEvent(raw);
    if ('error' in r) {
      session.invalidEvent(name, line, r.error, endLine - line + 1);
      return;
    }
    options.onEvent?.(r.event);
    session.event({ kind: 'event', event: r.event, source: { file: name, line, endLine } });
  };
  let doc: unknown;
  let isDoc = firstChar === '[';
  if (firstChar === '{') {
    // NDJSON, unless the first line alone is not a whole JSON value or is an envelope object.
    const firstLine = lines.find((l) => l.trim() !== '') ?? '';
    try {
      const v = JSON.parse(firstLine) as Record<string, unknown>;
      isDoc = Array.isArray(v['events']);
    } catch {
      isDoc = true;
    }
  }
  if (isDoc) {
    try {
      doc = JSON.parse(trimmed);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const line = m ? trimmed.slice(0, Number(m[1])).split('\n').length : 1;
      session.skip(name, 'invalid-json', totalLines);
      session.problem({ code: 'EVENTS_UNREADABLE', message: `not valid JSON: ${(e as Error).message}`, file: name, line }, name);
      return;
    }
    const arr = Array.isArray(doc) ? doc : (doc as Record<string, unknown>)['events'];
    if (!Array.isArray(arr)) {
      session.skip(name, 'invalid-json', totalLines);
      session.problem({ code: 'EVENTS_UNREADABLE', message: 'expected a JSON array of sync events or an object with an "events" array', file: name, line: 1 }, name);
      return;
    }
    const starts = elementLines(trimmed, Array.isArray(doc) ? 'array' : 'object');
    let covered = 0;
    arr.forEach((raw, i) => {
      const line = starts[i] ?? starts[starts.length - 1] ?? 1;
      if (i > 0 && (starts[i - 1] ?? -1) >= line) {
        // Several events on one line: the line is counted with the first of them.
        const r = toSyncEvent(raw);
        if ('error' in r) session.invalidEvent(name, line, r.error, 0);
        else session.event({ kind: 'event', event: r.event, source: { file: name, line, endLine: line - 1 } });
        return;
      }
      const next = starts[i + 1];
      // An element's lines run to the line before the next element; the last one to its own line.
      const endLine = next !== undefined ? Math.max(line, next - 1) : line;
      covered += endLine - line + 1;
      give(raw, line, endLine);
    });
    const rest = totalLines - covered;
    if (rest > 0) session.skip(name, 'structure', rest);
    return;
  }
  for (let i = 0; i < totalLines; i++) {
    const l = lines[i]!;
    const t = l.trim();
    if (t === '') {
      session.skip(name, 'blank');
      continue;
    }
    if (t.startsWith('#') || t.startsWith('//')) {
      session.skip(name, 'comment');
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(t);
    } catch (e) {
      session.invalidEvent(name, i + 1, `not valid JSON: ${(e as Error).message}`);
      continue;
    }
    give(raw, i + 1, i + 1);
  }
}
