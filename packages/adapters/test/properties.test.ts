/**
 * Properties of the parsers and of the engine on generated input (issue #5): the text-header and
 * JSON-log parsers, the log reader on arbitrary bytes in every --log-format, the sync-history
 * reader, and the session on arbitrary records. Nothing throws, and every line is accounted for:
 * per input, linesRead = linesMatched + linesUnmatched + linesSkipped, linesSkipped is the sum of
 * the per-reason counts, and linesRead is the number of lines an independent count finds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosisSession, type InputStats, type Level, type LogRecord } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { fromJsonObject } from '../src/formats/json.js';
import { parseTextHeader } from '../src/formats/text.js';
import { LOG_FORMATS, LogReader, loadRulePack, readEventsText, toSyncEvent } from '../src/index.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
/** Runs per property: enough to matter, and the whole file stays within a few seconds of CI. */
const RUNS = Number(process.env['SCS_PROPERTY_RUNS'] ?? 500);

/**
 * Lines as the reader defines them: LF separates, a lone CR separates too (CRLF is one ending),
 * and a last line without an ending is a line.
 */
function countLines(bytes: Uint8Array): number {
  const segments = Buffer.from(bytes).toString('latin1').split('\n');
  if (segments[segments.length - 1] === '') segments.pop();
  return segments.reduce((n, s) => n + (s.endsWith('\r') ? s.slice(0, -1) : s).split('\r').length, 0);
}

/** The accounting of one input: lines read, and the sum of matched, unmatched and skipped. */
function accounting(i: InputStats | undefined): { read: number; parts: number } | undefined {
  return i && { read: i.linesRead, parts: i.linesMatched + i.linesUnmatched + i.linesSkipped };
}

const ANCHORS = [
  'shared secret unavailable: InvalidToken',
  'connection failed (no manifest received)',
  'properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation',
  "bucket not configured: No RSS object-store configuration for label 'outbox-eu'",
  "manifest max infosec level 'SECRET' (order=4) exceeds local platform max",
  "manifest control tag(s) uncovered by any transformation predicate: ['CUI']",
  'outbox write failed: Revision r-1 size=2684354560 exceeds single-op copy_object ceiling',
];

/** Pieces real logs are made of, and pieces that break them; joined at random. */
const FRAGMENTS: Buffer[] = [
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  '\0',
  ' ',
  '\t',
  '    ',
  '\\n',
  '\\r',
  '"',
  '\\"',
  '\x1b[31m',
  '\ufeff',
  '2026-05-12 14:03:22,118 ERROR [scs.sync.sender] ',
  '2026-05-12 14:03:22,118 INFO [scs.app] ',
  'ERROR:scs.sync:',
  'level=error msg="',
  '2026-05-12T14:03:22.118234567Z stdout F ',
  '2026-05-12T14:03:22.118234567Z stderr P ',
  '2026-05-12T14:03:22.118234567+02:00 stderr F ',
  '2026-05-12T14:00:00.000000001Z ',
  '{"log":"',
  '\\n","stream":"stderr","time":"2026-05-12T14:03:22.118Z"}',
  '","stream":"stdout","time":"2026-05-12T14:03:22.118Z"}',
  '{"level":"error","logger":"scs.sync.sender","msg":"',
  '{"timestamp":"2026-05-12T09:00:05.644Z","level":50,"event":"',
  '"}',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '{"a":',
  'null',
  '{"err":{"type":"E","message":"',
  'Traceback (most recent call last):',
  '  File "/app/scs/sync/sender.py", line 214, in run_once',
  'During handling of the above exception, another exception occurred:',
  'cryptography.fernet.InvalidToken',
  ...ANCHORS,
  'é',
  '€',
  '😀',
].map((s) => Buffer.from(s, 'utf8'));
const INVALID_UTF8: Buffer[] = [[0xff], [0xfe, 0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0x80, 0x80], [0xef, 0xbb, 0xbf], [0xc0, 0xaf]].map((b) => Buffer.from(b));

const bytesArb = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 2, arbitrary: fc.constantFrom(...INVALID_UTF8) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }).map((s) => Buffer.from(s, 'utf8')) },
    ),
    { maxLength: 80, size: 'medium' },
  )
  .map((parts) => Buffer.concat(parts));

/** Bytes and where to cut them into chunks (the reader must not care). */
const chunkedArb = bytesArb.chain((bytes) =>
  fc.tuple(
    fc.constant(bytes),
    fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 6 }).map((c) => c.sort((a, b) => a - b)),
  ),
);

function readChunks(bytes: Buffer, cuts: number[], options: ConstructorParameters<typeof LogReader>[2]): InputStats | undefined {
  const session = new DiagnosisSession(pack, { now: NOW });
  const reader = new LogReader(session, 'input.log', options);
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    reader.push(bytes.subarray(from, at));
    from = at;
  }
  reader.end();
  return session.report().stats.inputs[0];
}

describe('the log reader on arbitrary bytes', () => {
  it.each(LOG_FORMATS)('--log-format %s: never throws; every line is counted once', (logFormat) => {
    fc.assert(
      fc.property(chunkedArb, ([bytes, cuts]) => {
        const lines = countLines(bytes);
        expect(accounting(readChunks(bytes, cuts, { logFormat, everyRecord: true }))).toEqual({ read: lines, parts: lines });
      }),
      { numRuns: RUNS },
    );
  });

  it.each(LOG_FORMATS)('--log-format %s with the prefilter and a 24-byte line cap: every line is counted once', (logFormat) => {
    fc.assert(
      fc.property(chunkedArb, ([bytes, cuts]) => {
        const lines = countLines(bytes);
        expect(accounting(readChunks(bytes, cuts, { logFormat, maxLineBytes: 24 }))).toEqual({ read: lines, parts: lines });
      }),
      { numRuns: RUNS },
    );
  });

  it('linesSkipped is the sum of the counts per reason', () => {
    fc.assert(
      fc.property(chunkedArb, fc.constantFrom(...LOG_FORMATS), ([bytes, cuts], logFormat) => {
        const i = readChunks(bytes, cuts, { logFormat });
        expect(i?.linesSkipped).toBe(Object.values(i?.skipped ?? {}).reduce((a, b) => a + b, 0));
      }),
      { numRuns: RUNS },
    );
  });

  it('the cut into chunks does not change the report', () => {
    fc.assert(
      fc.property(chunkedArb, fc.constantFrom(...LOG_FORMATS), ([bytes, cuts], logFormat) => {
        const run = (c: number[]) => {
          const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
          const reader = new LogReader(session, 'input.log', { logFormat, maxLineBytes: 64 });
          let from = 0;
          for (const at of [...c, bytes.length]) {
            reader.push(bytes.subarray(from, at));
            from = at;
          }
          reader.end();
          const r = session.report();
          return { diagnoses: r.diagnoses.map((d) => [d.ruleId, d.count, d.evidence.map((e) => e.excerpt)]), stats: r.stats.inputs[0] };
        };
        expect(run(cuts)).toEqual(run([]));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('parseTextHeader', () => {
  it('never throws; gives a known format and level, and a message no longer than the line', () => {
    const lineArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom(...FRAGMENTS.map((b) => b.toString('utf8')), 'x', ' ', '[', ']', '-', '|', ':', '=', 'level=', 'ts='), { maxLength: 20 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(lineArb, (line) => {
        const h = parseTextHeader(line);
        expect({
          format: ['python', 'plain'].includes(h.format),
          level: h.level === undefined || ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(h.level),
          short: h.message.length <= line.length,
        }).toEqual({ format: true, level: true, short: true });
      }),
      { numRuns: 1000 },
    );
  });

  const LEVELS: [string, Level][] = [
    ['DEBUG', 'debug'],
    ['INFO', 'info'],
    ['WARNING', 'warn'],
    ['ERROR', 'error'],
    ['CRITICAL', 'fatal'],
  ];
  it('reads back what Python logging wrote: time, level, logger and message', () => {
    const timeArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('T', ' ').replace('.', ',').slice(0, 23));
    const loggerArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(?:\.[a-z][a-z0-9_]{0,8}){0,3}$/);
    const messageArb = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z]$/),
        fc.string({ maxLength: 120 }).map((s) => s.replace(/[\r\n]/g, ' ')),
      )
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(timeArb, fc.constantFrom(...LEVELS), loggerArb, messageArb, (time, [word, level], logger, message) => {
        expect(parseTextHeader(`${time} ${word} [${logger}] ${message}`)).toEqual({ format: 'python', time, level, logger, message });
      }),
      { numRuns: 500 },
    );
  });
});

describe('fromJsonObject', () => {
  const valueArb = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom('msg', 'message', 'event', 'err', 'error', 'level', 'levelno', 'time', 'logger', 'name', 'log', 'exc_info', 'stack', 'traceback', 'x'), fc.jsonValue({ maxDepth: 3 })),
    fc.string({ unit: 'binary', maxLength: 100 }).map((s) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        return s;
      }
    }),
  );
  it('never throws; an object gives a string message without CRLF, anything else nothing', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const j = fromJsonObject(v);
        const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
        expect({ defined: j !== undefined, message: j === undefined || (typeof j.message === 'string' && !j.message.includes('\r\n')) }).toEqual({ defined: isObject, message: true });
      }),
      { numRuns: 1000 },
    );
  });

  it('reads back what a structured logger wrote: message, level, logger, other fields kept', () => {
    const textArb = fc.string({ maxLength: 80 }).filter((s) => s !== '' && !s.includes('\r'));
    fc.assert(
      fc.property(textArb, fc.constantFrom('debug', 'info', 'warn', 'error', 'fatal' as const), textArb, fc.jsonValue({ maxDepth: 2 }), (msg, level, logger, extra) => {
        const written = JSON.parse(JSON.stringify({ level, logger, msg, connection_id: extra })) as Record<string, unknown>;
        expect(fromJsonObject(written)).toEqual({ message: msg, level, logger, fields: { level, logger, connection_id: written['connection_id'] } });
      }),
      { numRuns: 500 },
    );
  });
});

describe('the sync-history reader on arbitrary text', () => {
  const EVENT = JSON.stringify({ id: 'e', connectionId: 'c-1', direction: 'sending', status: 'failure', startedAt: '2026-05-12T09:00:02Z', message: ANCHORS[0] });
  const textArb = fc
    .array(fc.oneof(fc.constantFrom('[', ']', '{', '}', ',', '\n', '\r\n', ' ', '"events":', '{"events":[', EVENT, EVENT.slice(0, 30), '// c\n', '#c\n', 'null', '"'), fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 30 })
    .map((p) => p.join(''));
  it('never throws; every line is counted once (LF separates lines here)', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const session = new DiagnosisSession(pack, { now: NOW });
        readEventsText(text, 'history.json', session);
        const segments = text.split('\n');
        if (segments[segments.length - 1] === '') segments.pop();
        expect(accounting(session.report().stats.inputs[0])).toEqual({ read: segments.length, parts: segments.length });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the engine on arbitrary records', () => {
  const messageArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.oneof(fc.constantFrom(...ANCHORS, 'Traceback (most recent call last)', '\n', ' ', "'", '"', '\0'), fc.string({ unit: 'binary', maxLength: 10 })), { maxLength: 12 }).map((p) => p.join('')),
  );
  const recordArb = fc.record({
    message: messageArb,
    lines: fc.integer({ min: 1, max: 4 }),
    level: fc.constantFrom(undefined, 'trace', 'debug', 'info', 'warn', 'error', 'fatal' as const),
    fields: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('connection_id', 'connection_name', 'shared_id', '__proto__', 'constructor', 'label')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    time: fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.constant('2026-05-12T09:00:02.905Z')), { nil: undefined }),
    logger: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    side: fc.constantFrom(undefined, 'sending', 'receiving' as const),
    connectionId: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  });

  it('log records: never throws; each record is matched or unmatched, all of its lines', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 12 }), (gens) => {
        const session = new DiagnosisSession(pack, { now: NOW });
        let line = 1;
        for (const g of gens) {
          const { lines, ...rest } = g;
          const record: LogRecord = { kind: 'log', format: 'python', ...rest, source: { file: 'x.log', line, endLine: line + lines - 1 } };
          session.log(record);
          line += lines;
        }
        session.read('x.log', line - 1);
        const report = session.report();
        expect(accounting(report.stats.inputs[0])).toEqual({ read: line - 1, parts: line - 1 });
      }),
      { numRuns: RUNS },
    );
  });

  const eventArb = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.record(
      {
        id: fc.string({ maxLength: 6 }),
        connectionId: fc.constantFrom('c-1', 'c-2', ''),
        connectionName: fc.string({ maxLength: 10 }),
        direction: fc.constantFrom('sending', 'receiving', 'sideways'),
        sharedId: fc.string({ maxLength: 10 }),
        status: fc.constantFrom('success', 'warning', 'failure', 'failed', 'ok'),
        startedAt: fc.constantFrom('2026-05-12T09:00:02Z', '2026-05-12 09:00:02', 'yesterday', '2026-05-12T09:00:02.123Z'),
        finishedAt: fc.constantFrom('2026-05-12T09:00:03Z', 'x', undefined),
        message: messageArb,
        files: fc.constantFrom([], ['a'], 'a'),
      },
      { requiredKeys: [] },
    ),
  );
  it('sync events: never throws; each event is matched, unmatched or skipped as invalid', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 12 }), (raws) => {
        const session = new DiagnosisSession(pack, { now: NOW });
        raws.forEach((raw, i) => {
          const r = toSyncEvent(raw);
          if ('event' in r) session.event({ kind: 'event', event: r.event, source: { file: 'h.json', line: i + 1, endLine: i + 1 } });
          else session.invalidEvent('h.json', i + 1, r.error);
        });
        session.read('h.json', raws.length);
        const report = session.report();
        expect(accounting(report.stats.inputs[0])).toEqual({ read: raws.length, parts: raws.length });
      }),
      { numRuns: RUNS },
    );
  });
});
