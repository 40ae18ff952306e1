/** The format parsers on their own: text headers, JSON log shapes, levels, sides. */
import { describe, expect, it } from 'vitest';
import { contextOf, keyValues, sideFromLogger } from '../src/formats/fields.js';
import { fromJsonObject } from '../src/formats/json.js';
import { toLevel } from '../src/formats/levels.js';
import { parseTextHeader, type TextHeader } from '../src/formats/text.js';

describe('text headers', () => {
  const M = 'properties read failed: x';
  const HEADERS: [string, string, TextHeader][] = [
    ['Python: time level [logger]', `2026-05-12 14:03:22,118 ERROR [scs.sync.receiver] ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'scs.sync.receiver', message: M }],
    ['Python: time - logger - level -', `2026-05-12 14:03:22,118 - scs.sync.receiver - ERROR - ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'scs.sync.receiver', message: M }],
    ['Python: time level dotted.logger (no colon)', `2026-05-12 14:03:22,118 ERROR scs.sync.receiver ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'scs.sync.receiver', message: M }],
    ['Python: time level message (no logger)', `2026-05-12 14:03:22,118 ERROR ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', message: M }],
    ['Python: time level logger:', `2026-05-12 14:03:22,118 ERROR scs.sync.receiver: ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'scs.sync.receiver', message: M }],
    ['Python: padded level and [threadName]', `2026-05-12 14:03:22,118 [MainThread] WARNING  scs.sync.receiver: ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'warn', logger: 'scs.sync.receiver', message: M }],
    ['Python: level first', `ERROR 2026-05-12 14:03:22,118 [scs.sync.receiver] ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'scs.sync.receiver', message: M }],
    ['logging.basicConfig', `ERROR:scs.sync.receiver:${M}`, { format: 'python', level: 'error', logger: 'scs.sync.receiver', message: M }],
    ['uvicorn', 'INFO:     10.42.0.17:51344 - "GET /health/liveness HTTP/1.1" 200', { format: 'python', level: 'info', message: '10.42.0.17:51344 - "GET /health/liveness HTTP/1.1" 200' }],
    ['gunicorn', `[2026-05-12 14:03:22 +0000] [1] [ERROR] ${M}`, { format: 'python', time: '2026-05-12 14:03:22 +0000', level: 'error', message: M }],
    ['Flask', `[2026-05-12 14:03:22,118] ERROR in receiver: ${M}`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'receiver', message: M }],
    ['structlog console', `2026-05-12 14:03:22 [error    ] ${M} connection_id=r-1`, { format: 'python', time: '2026-05-12 14:03:22', level: 'error', message: `${M} connection_id=r-1` }],
    ['loguru', `2026-05-12 14:03:22.118 | ERROR    | scs.sync.receiver:read:212 - ${M}`, { format: 'python', time: '2026-05-12 14:03:22.118', level: 'error', logger: 'scs.sync.receiver', message: M }],
    [
      'logfmt',
      `time=2026-05-12T14:03:22Z level=error logger=scs.sync.receiver msg="${M}"`,
      { format: 'python', time: '2026-05-12T14:03:22Z', level: 'error', logger: 'scs.sync.receiver', message: `${M} time=2026-05-12T14:03:22Z level=error logger=scs.sync.receiver` },
    ],
    [
      'a shipper time before a Python header',
      `2026-05-12T14:03:22.118234567Z 2026-05-12 14:03:22,118 ERROR [scs.sync.receiver] ${M}`,
      { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'scs.sync.receiver', message: M },
    ],
    ['a time and plain text', `2026-05-12T14:03:22Z ${M}`, { format: 'plain', time: '2026-05-12T14:03:22Z', message: M }],
    ['plain text', M, { format: 'plain', message: M }],
    // The message is the rest of the line, whatever it holds: a stray carriage return or line separator used to fail the layout's `(.*)$`.
    ['a carriage return inside the message', `2026-05-12 14:03:22,118 ERROR [scs.sync.receiver] ${M}\r tail`, { format: 'python', time: '2026-05-12 14:03:22,118', level: 'error', logger: 'scs.sync.receiver', message: `${M}\r tail` }],
    [
      'a line separator inside the message',
      `2026-05-12 14:03:22.118 | ERROR    | scs.sync.receiver:read:212 - ${M}\u2028tail`,
      { format: 'python', time: '2026-05-12 14:03:22.118', level: 'error', logger: 'scs.sync.receiver', message: `${M}\u2028tail` },
    ],
    ['loguru without a logger', `2026-05-12 14:03:22.118 | ERROR | - ${M}`, { format: 'python', time: '2026-05-12 14:03:22.118', level: 'error', message: M }],
    ['structlog console, level without padding', `2026-05-12 14:03:22 [error] ${M}`, { format: 'python', time: '2026-05-12 14:03:22', level: 'error', message: M }],
  ];
  it.each(HEADERS)('%s', (_name, line, want) => {
    expect(parseTextHeader(line)).toEqual(want);
  });
});

describe('JSON log shapes', () => {
  const TB = 'Traceback (most recent call last):\n  File "/app/r.py", line 1, in f\nKeyError: x';
  const SHAPES: [string, Record<string, unknown>, { message: string; level?: string; time?: unknown; logger?: string }][] = [
    [
      'python-json-logger',
      { asctime: '2026-05-12 14:03:22,118', levelname: 'ERROR', name: 'scs.sync.receiver', message: 'm', exc_info: TB + '\n' },
      { message: `m\n${TB}`, level: 'error', time: '2026-05-12 14:03:22,118', logger: 'scs.sync.receiver' },
    ],
    ['Loki logcli jsonl export', { labels: { app: 'scs' }, line: 'm', timestamp: '2026-05-12T14:03:22.118Z' }, { message: 'm', time: '2026-05-12T14:03:22.118Z' }],
    ['Cloud Logging textPayload', { textPayload: 'm', severity: 'ERROR', timestamp: '2026-05-12T14:03:22.118Z' }, { message: 'm', level: 'error', time: '2026-05-12T14:03:22.118Z' }],
    [
      'structlog JSONRenderer',
      { event: 'm', level: 'error', logger: 'scs.sync.receiver', timestamp: '2026-05-12T14:03:22.118000Z', exception: TB },
      { message: `m\n${TB}`, level: 'error', time: '2026-05-12T14:03:22.118000Z', logger: 'scs.sync.receiver' },
    ],
    ['structlog dict_tracebacks', { event: 'm', level: 'error', exception: [{ exc_type: 'KeyError', exc_value: 'x', frames: [{ filename: '/app/r.py', lineno: 1, name: 'f' }] }] }, { message: `m\n${TB}`, level: 'error' }],
    [
      'pino, numeric level and err',
      { level: 50, time: 1778594602118, name: 'scs', msg: 'm', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f' } },
      { message: 'm\nError\nboom\nError: boom\n    at f', level: 'error', time: 1778594602118, logger: 'scs' },
    ],
    ['pino fatal', { level: 60, msg: 'm' }, { message: 'm', level: 'fatal' }],
    ['Python levelno', { levelno: 40, message: 'm' }, { message: 'm', level: 'error' }],
    [
      'ECS',
      { '@timestamp': '2026-05-12T14:03:22.118Z', 'log.level': 'error', message: 'm', log: { logger: 'scs.sync.receiver' }, error: { type: 'KeyError', message: 'x', stack_trace: TB } },
      { message: `m\nKeyError\nx\n${TB}`, level: 'error', time: '2026-05-12T14:03:22.118Z', logger: 'scs.sync.receiver' },
    ],
    ['GCP', { severity: 'ERROR', message: 'm', timestamp: '2026-05-12T14:03:22.118Z' }, { message: 'm', level: 'error', time: '2026-05-12T14:03:22.118Z' }],
    ['a LogRecord dump: the formatted message, not the format string', { msg: 'read failed: %s', args: ['x'], message: 'read failed: x', levelname: 'ERROR' }, { message: 'read failed: x', level: 'error' }],
  ];
  it.each(SHAPES)('%s', (_name, obj, want) => {
    const j = fromJsonObject(obj)!;
    expect({ message: j.message, level: j.level, time: j.time, logger: j.logger }).toEqual({ level: undefined, time: undefined, logger: undefined, ...want });
  });

  it('keeps the other keys as fields', () => {
    expect(fromJsonObject({ msg: 'm', level: 'error', connection_id: 'c-1', direction: 'sending' })!.fields).toEqual({ level: 'error', connection_id: 'c-1', direction: 'sending' });
  });

  it('is not a log event when not an object', () => {
    expect([fromJsonObject([1]), fromJsonObject('x'), fromJsonObject(null)]).toEqual([undefined, undefined, undefined]);
  });
});

describe('levels', () => {
  const LEVELS: [unknown, string | undefined][] = [
    ['ERROR', 'error'],
    ['warning', 'warn'],
    ['CRITICAL', 'fatal'],
    [50, 'error'],
    [60, 'fatal'],
    [30, 'info'],
    ['40', 'warn'],
    ['verbose', 'debug'],
    ['nonsense', undefined],
  ];
  it.each(LEVELS)('%s → %s', (raw, level) => {
    expect(toLevel(raw)).toBe(level);
  });
});

describe('sides and connection context', () => {
  const LOGGERS: [string, string | undefined][] = [
    ['scs.sync.sender', 'sending'],
    ['secure_connection.receiving', 'receiving'],
    ['scs.outbox', 'sending'],
    ['scs.inbox.poller', 'receiving'],
    ['scs.app', undefined],
    ['scs.senders_and_receivers', undefined],
  ];
  it.each(LOGGERS)('logger %s → %s', (logger, side) => {
    expect(sideFromLogger(logger)).toBe(side);
  });

  const CONTEXTS: [string, Record<string, unknown>, string | undefined, Record<string, string>][] = [
    ['direction field beats the logger', { direction: 'receiving' }, 'scs.sync.sender', { side: 'receiving' }],
    ['snake_case ids', { connection_id: 'c-1', shared_id: 's-1' }, undefined, { connectionId: 'c-1', sharedId: 's-1' }],
    ['camelCase ids and a side word', { connectionId: 'c-1', sharedId: 's-1', side: 'outbound' }, undefined, { side: 'sending', connectionId: 'c-1', sharedId: 's-1' }],
    ['a nested connection object', { connection: { id: 'c-1', direction: 'sending', shared_id: 's-1' } }, undefined, { side: 'sending', connectionId: 'c-1', sharedId: 's-1' }],
    ['nothing known', { foo: 'bar' }, 'scs.app', {}],
  ];
  it.each(CONTEXTS)('%s', (_name, fields, logger, want) => {
    expect(contextOf(fields, logger)).toEqual(want);
  });

  it('reads key=value pairs written into a text message', () => {
    expect(keyValues('sync failed connection_id=c-1 direction="sending" label=\'x y\'')).toEqual({ connection_id: 'c-1', direction: 'sending', label: 'x y' });
  });
});
