/**
 * Sync history (`--events`): every accepted layout, validation with the rest going on, rules on
 * event messages attributed to the connection, staleness per connection, streaming.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisSession, type Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, EventsReader, loadRulePack, readEventsStream, readEventsText } from '../src/index.js';
import { countsByRule, summaries, unbalanced } from './helpers/compare.js';
import { gzip } from './helpers/producers.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';

/** Two connections: a sender failing on InvalidToken, a receiver that last synced two days ago. */
const EVENTS = [
  {
    id: 'ev-1',
    connectionId: 'c-7f3a1e',
    connectionName: 'Acme → Globex',
    direction: 'sending',
    sharedId: 'acme-to-globex',
    status: 'failure',
    startedAt: '2026-05-12T09:00:02Z',
    finishedAt: '2026-05-12T09:00:03Z',
    message: 'shared secret unavailable: InvalidToken',
    files: [],
  },
  {
    id: 'ev-2',
    connectionId: 'r-22c0f9',
    connectionName: 'Globex → Acme',
    direction: 'receiving',
    sharedId: 'globex-to-acme',
    status: 'failure',
    startedAt: '2026-05-10T08:00:00Z',
    finishedAt: '2026-05-10T08:00:03Z',
    message: 'connection failed (no manifest received)',
    files: [],
  },
  {
    id: 'ev-3',
    connectionId: 'c-7f3a1e',
    connectionName: 'Acme → Globex',
    direction: 'sending',
    sharedId: 'acme-to-globex',
    status: 'failure',
    startedAt: '2026-05-12T11:30:02Z',
    finishedAt: '2026-05-12T11:30:03Z',
    message: 'shared secret unavailable: cryptography.fernet.InvalidToken',
    files: [],
  },
  {
    id: 'ev-4',
    connectionId: 'r-22c0f9',
    connectionName: 'Globex → Acme',
    direction: 'receiving',
    sharedId: 'globex-to-acme',
    status: 'success',
    startedAt: '2026-05-09T08:00:00Z',
    finishedAt: '2026-05-09T08:00:21Z',
    files: [{ resourceId: 'res-1', revisionId: 'rev-1', sizeBytes: 1024, outcome: 'transferred' }],
  },
];

function report(text: string, name = 'history.json'): Report {
  const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 100 });
  readEventsText(text, name, session);
  return session.report();
}

const LAYOUTS: [string, string][] = [
  ['a JSON array, pretty-printed', JSON.stringify(EVENTS, null, 2)],
  ['a JSON array on one line', JSON.stringify(EVENTS)],
  ['an object with an events array', JSON.stringify({ generatedAt: NOW, events: EVENTS, page: { next: null } }, null, 2)],
  ['an object with an events array, on one line', JSON.stringify({ events: EVENTS })],
  ['a paginated API page with an items array', JSON.stringify({ total: 4, page: 1, items: EVENTS }, null, 2)],
  ['an API response with a data array, on one line', JSON.stringify({ data: EVENTS, meta: { count: 4 } })],
  ['an export with a syncEvents array', JSON.stringify({ connection: 'all', syncEvents: EVENTS }, null, 2)],
  ['NDJSON', EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n'],
  ['NDJSON with blank and comment lines', '# exported 2026-05-12\n\n' + EVENTS.map((e) => JSON.stringify(e)).join('\n\n') + '\n'],
  ['NDJSON with CRLF line endings and no final newline', EVENTS.map((e) => JSON.stringify(e)).join('\r\n')],
  ['a pretty-printed array with CRLF line endings and a byte-order mark', '\ufeff' + JSON.stringify(EVENTS, null, 2).replace(/\n/g, '\r\n')],
];

describe('accepted layouts', () => {
  const expected = summaries(report(JSON.stringify(EVENTS, null, 2)));

  it('the pretty-printed array gives both signatures and the stale receiver', () => {
    expect(countsByRule(report(JSON.stringify(EVENTS, null, 2)))).toEqual({ 'shared-secret-invalid-token': 2, 'no-manifest-received': 1, 'sync-stale': 1 });
  });

  it.each(LAYOUTS)('%s: same diagnoses', (_name, text) => {
    expect(summaries(report(text))).toEqual(expected);
  });

  it.each(LAYOUTS)('%s: every line accounted for', (_name, text) => {
    const r = report(text);
    expect([unbalanced(r), r.stats.events.valid]).toEqual([[], 4]);
  });
});

describe('event messages are matched by the log rules and attributed to the connection', () => {
  const r = report(JSON.stringify(EVENTS, null, 2));
  const d = r.diagnoses.find((x) => x.ruleId === 'shared-secret-invalid-token')!;

  it('the connection, with its name, and its shared id', () => {
    expect([d.connections, d.sharedIds]).toEqual([[{ id: 'c-7f3a1e', lastSeen: '2026-05-12T11:30:03.000Z', name: 'Acme → Globex' }], ['acme-to-globex']]);
  });

  it('the side from the event direction', () => {
    expect(r.diagnoses.map((x) => [x.ruleId, x.side]).sort()).toEqual([
      ['no-manifest-received', 'receiving'],
      ['shared-secret-invalid-token', 'sending'],
      ['sync-stale', 'receiving'],
    ]);
  });

  it('first and last seen from the events’ finish times', () => {
    expect([d.firstSeen, d.lastSeen]).toEqual(['2026-05-12T09:00:03.000Z', '2026-05-12T11:30:03.000Z']);
  });

  it('evidence names the event and its line', () => {
    expect(d.evidence.map((e) => [e.eventId, e.line])).toEqual([
      ['ev-1', 2],
      ['ev-3', 26],
    ]);
  });
});

describe('invalid events are counted with their reason, the rest go on', () => {
  const good = JSON.stringify(EVENTS[0]);
  const CASES: [string, string, { valid: number; invalid: number; problem: string; line: number }][] = [
    ['no connection id', `${good}\n{"id":"x","status":"failure","startedAt":"${NOW}"}\n`, { valid: 1, invalid: 1, problem: 'connectionId', line: 2 }],
    // An unknown status word is kept (as a warning, its message still matched); an empty one is not a status.
    ['an empty status', `${good}\n{"connectionId":"c","status":"","startedAt":"${NOW}"}\n`, { valid: 1, invalid: 1, problem: 'status', line: 2 }],
    ['a time that is not one', `{"connectionId":"c","status":"failure","startedAt":"yesterday"}\n${good}\n`, { valid: 1, invalid: 1, problem: 'startedAt', line: 1 }],
    ['an NDJSON line that is not JSON', `${good}\n{"connectionId": "c", status}\n${good}\n`, { valid: 2, invalid: 1, problem: 'not valid JSON', line: 2 }],
    ['an array element that is not JSON', `[\n${good},\n{"id": oops},\n${good}\n]\n`, { valid: 2, invalid: 1, problem: 'not valid JSON', line: 3 }],
    ['an array element that is not an object', `[${good}, 42]`, { valid: 1, invalid: 1, problem: 'expected object', line: 1 }],
  ];
  it.each(CASES)('%s', (_name, text, want) => {
    const r = report(text);
    const p = r.stats.problems.find((x) => x.code === 'EVENT_INVALID');
    expect({ valid: r.stats.events.valid, invalid: r.stats.events.invalid, problem: p?.message.includes(want.problem) ? want.problem : p?.message, line: p?.line }).toEqual(want);
  });

  it.each(CASES)('%s: every line accounted for', (_name, text) => {
    expect(unbalanced(report(text))).toEqual([]);
  });

  it('snake_case, Python times and other status words are accepted', () => {
    const text = '{"id": "e1", "connection_id": "c-9", "direction": "outbound", "status": "failed", "started_at": "2026-05-12 09:00:00,118", "error": "shared secret unavailable: InvalidToken"}\n';
    const d = report(text).diagnoses[0]!;
    expect([d.ruleId, d.side, d.connections, d.firstSeen]).toEqual(['shared-secret-invalid-token', 'sending', [{ id: 'c-9', lastSeen: '2026-05-12T09:00:00.118Z' }], '2026-05-12T09:00:00.118Z']);
  });
});

describe('connections without an id', () => {
  it.each([
    ['a name only', { connectionName: 'Partner A' }, 'Partner A'],
    ['a bare connection string', { connection: 'conn-7' }, 'conn-7'],
    ['a connection object', { connection: { id: 'conn-8', name: 'B' } }, 'conn-8'],
  ])('%s', (_name, who, want) => {
    const text = JSON.stringify({ ...who, status: 'failure', startedAt: '2026-05-12T09:00:00Z', message: 'shared secret unavailable: InvalidToken' }) + '\n';
    const session = new DiagnosisSession(pack, { now: NOW });
    const seen: string[] = [];
    readEventsText(text, 'h.ndjson', session, { onEvent: (e) => seen.push(e.connectionId) });
    expect(seen).toEqual([want]);
  });
});

describe('status words as producers write them', () => {
  it.each([
    ['Completed with warnings', 'warning'],
    ['COMPLETED_WITH_WARNINGS', 'warning'],
    ['partially-failed', 'warning'],
    ['FAILED', 'failure'],
    ['Succeeded', 'success'],
  ])('%s → %s', (status, want) => {
    const text = JSON.stringify({ connectionId: 'c-1', status, startedAt: '2026-05-12T09:00:00Z', message: 'shared secret unavailable: InvalidToken' }) + '\n';
    const session = new DiagnosisSession(pack, { now: NOW });
    const seen: string[] = [];
    readEventsText(text, 'h.ndjson', session, { onEvent: (e) => seen.push(e.status) });
    expect(seen).toEqual([want]);
  });
});

describe('files through diagnoseInputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'scs-events-'));
    writeFileSync(path.join(dir, 'history.json'), JSON.stringify(EVENTS, null, 2));
    writeFileSync(path.join(dir, 'history.ndjson.gz'), gzip(EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n'));
    writeFileSync(path.join(dir, 'cut.json'), JSON.stringify(EVENTS, null, 2).slice(0, -60));
    writeFileSync(path.join(dir, 'not-history.log'), '2026-05-12 09:00:00,001 INFO [scs] hello\n');
    writeFileSync(
      path.join(dir, 'first.ndjson'),
      EVENTS.slice(0, 2)
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    writeFileSync(
      path.join(dir, 'second.ndjson'),
      EVENTS.slice(2)
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (events: string[], staleAfterMs?: number) => diagnoseInputs(pack, { events: events.map((e) => path.join(dir, e)), now: NOW, staleAfterMs, evidenceLimit: 100 });

  it('a stale connection and failed events: sync-stale and the signature diagnoses', async () => {
    const { report: r, lost } = await run(['history.json']);
    expect([lost, countsByRule(r)]).toEqual([false, { 'shared-secret-invalid-token': 2, 'no-manifest-received': 1, 'sync-stale': 1 }]);
  });

  it('sync-stale names the connection whose newest event is too old', async () => {
    const { report: r } = await run(['history.json']);
    expect(r.diagnoses.filter((d) => d.ruleId === 'sync-stale').map((d) => [d.connections, d.lastSeen])).toEqual([[[{ id: 'r-22c0f9', name: 'Globex → Acme', lastSeen: '2026-05-10T08:00:03.000Z' }], '2026-05-10T08:00:03.000Z']]);
  });

  it('a longer --stale-after clears the stale connection', async () => {
    const { report: r } = await run(['history.json'], 3 * 86_400_000);
    expect(countsByRule(r)['sync-stale']).toBeUndefined();
  });

  it('gzipped NDJSON gives the same diagnoses', async () => {
    const [a, b] = await Promise.all([run(['history.json']), run(['history.ndjson.gz'])]);
    expect(summaries(b.report)).toEqual(summaries(a.report));
  });

  it('--events is repeatable: two files are one history', async () => {
    const [a, b] = await Promise.all([run(['history.json']), run(['first.ndjson', 'second.ndjson'])]);
    expect(summaries(b.report)).toEqual(summaries(a.report));
  });

  it('a file cut short: the events before the cut are read, and the input is reported lost', async () => {
    const { report: r, lost } = await run(['cut.json']);
    expect([lost, r.stats.events.valid, r.stats.problems.map((p) => p.code).sort()]).toEqual([true, 3, ['EVENTS_UNREADABLE', 'EVENT_INVALID']]);
  });

  it('a file that is not a sync history is an input error', async () => {
    const { report: r, lost } = await run(['not-history.log']);
    expect([lost, r.stats.problems.map((p) => p.code), unbalanced(r)]).toEqual([true, ['EVENTS_UNREADABLE'], []]);
  });
});

describe('streaming', () => {
  const text = JSON.stringify({ events: EVENTS }, null, 2);
  const whole = report(text);

  it('any cut of the bytes into chunks gives the report of the whole', async () => {
    const bytes = Buffer.from(text, 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }), async (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((to, i) => bytes.subarray(points[i], to));
        const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 100 });
        await readEventsStream(Readable.from(chunks), 'history.json', session);
        const r = session.report();
        expect([summaries(r), r.stats.linesRead, r.stats.linesSkipped]).toEqual([summaries(whole), whole.stats.linesRead, whole.stats.linesSkipped]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('histories as real exporters write them', () => {
  const failed = (id: string, cid: string, message: string, extra: Record<string, unknown> = {}) => ({
    connection_id: cid,
    status: 'failed',
    started_at: '2026-05-12T09:00:00Z',
    finished_at: '2026-05-12T09:00:02Z',
    event_id: id,
    error_message: message,
    ...extra,
  });
  const ok = (id: string, cid: string, extra: Record<string, unknown> = {}) => ({ connection_id: cid, status: 'succeeded', started_at: '2026-05-12T10:00:00Z', finished_at: '2026-05-12T10:00:05Z', event_id: id, ...extra });
  const read = (text: string) => {
    const session = new DiagnosisSession(pack, { now: NOW });
    const result = readEventsText(text, 'history.json', session);
    return { result, report: session.report() };
  };

  it('NDJSON whose events carry their own items list is read line by line, not as a page', () => {
    const lines = [failed('e1', 'c-1', 'shared secret unavailable: InvalidToken', { items: [{ resource_id: 'r-1', size_bytes: 10 }] }), ok('e2', 'c-2', { items: [{ resource_id: 'r-2' }] }), ok('e3', 'c-1', { items: [] })].map((e) =>
      JSON.stringify(e),
    );
    const { result, report } = read(lines.join('\n') + '\n');
    expect(result).toEqual({ events: 3, invalid: 0, unreadable: false });
    expect(countsByRule(report)['shared-secret-invalid-token']).toBe(1);
  });

  it('a file in which no event is valid is an input problem, with the first reason and its line', async () => {
    const log = [
      { event: 'sync failed', level: 'error', timestamp: '2026-05-12T09:00:00Z', logger: 'scs.sync' },
      { event: 'poll', level: 'info', timestamp: '2026-05-12T09:00:01Z', logger: 'scs.sync' },
    ].map((e) => JSON.stringify(e));
    const { result, report } = read(log.join('\n') + '\n');
    expect(result.unreadable).toBe(true);
    const problem = report.stats.problems.find((p) => p.code === 'EVENTS_UNREADABLE');
    expect(problem?.message).toMatch(/no valid sync event \(2 invalid; the first, at line 1: invalid sync event/);
    expect(problem?.line).toBe(1);
    expect(unbalanced(report)).toEqual([]);
    // Through the library as the CLI runs it: the run is marked as having lost an input (exit 2).
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-history-'));
    try {
      writeFileSync(path.join(dir, 'h.ndjson'), log.join('\n') + '\n');
      const r = await diagnoseInputs(pack, { events: [path.join(dir, 'h.ndjson')], now: NOW });
      expect(r.lost).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a stream of pretty-printed events (jq .) counts a bad one as invalid and reads the rest', () => {
    const events = [failed('e1', 'c-1', 'connection failed (no manifest received)'), { status: 'failed', started_at: '2026-05-12T09:00:00Z', error_message: 'no connection named' }, ok('e3', 'c-1')];
    const { result, report } = read(events.map((e) => JSON.stringify(e, null, 2)).join('\n') + '\n');
    expect(result).toEqual({ events: 2, invalid: 1, unreadable: false });
    expect(report.stats.problems.find((p) => p.code === 'EVENT_INVALID')?.line).toBe(9);
    expect(unbalanced(report)).toEqual([]);
  });

  it('responses that nest their events: {"data": {"events": [...]}} and GraphQL edges', () => {
    const events = [failed('e1', 'c-1', 'shared secret unavailable: InvalidToken'), ok('e2', 'c-2')];
    for (const body of [{ data: { events }, meta: { page: 1 } }, { data: { syncEvents: { edges: events.map((node) => ({ node, cursor: 'x' })), pageInfo: { hasNextPage: false } } } }]) {
      const { result, report } = read(JSON.stringify(body, null, 2) + '\n');
      expect(result).toEqual({ events: 2, invalid: 0, unreadable: false });
      expect(countsByRule(report)['shared-secret-invalid-token']).toBe(1);
      expect(unbalanced(report)).toEqual([]);
    }
  });

  it('a JSON document that holds no events at all stays unreadable, with the reason', () => {
    const { result, report } = read(JSON.stringify({ name: 'config', replicas: 2, data: { x: 1 } }, null, 2));
    expect(result.unreadable).toBe(true);
    expect(report.stats.problems[0]?.message).toMatch(/expected a JSON array of sync events/);
  });
});

describe('a line longer than any event (maxEventChars)', () => {
  const good = (i: number) => JSON.stringify({ connectionId: 'c-1', status: 'success', startedAt: `2026-05-12T09:00:0${i}.000Z` });
  const long = JSON.stringify({ connectionId: 'c-1', status: 'failure', startedAt: '2026-05-12T09:00:05.000Z', message: `${'A'.repeat(300)} shared secret unavailable: InvalidToken` });
  const text = [good(1), good(2), long, good(3)].join('\n') + '\n';
  const read = (feed: (r: EventsReader) => void) => {
    const session = new DiagnosisSession(pack, { now: NOW });
    const reader = new EventsReader(session, 'h.ndjson', { maxEventChars: 100 });
    feed(reader);
    const result = reader.end();
    const report = session.report();
    return { result, problems: report.stats.problems.map((p) => `${p.line} ${p.message}`), diagnoses: report.diagnoses.length, unbalanced: unbalanced(report) };
  };
  const want = { result: { events: 3, invalid: 1, unreadable: false }, problems: ['3 event longer than 100 characters'], diagnoses: 0, unbalanced: [] };
  const pieces = (s: string | Buffer, n: number) => Array.from({ length: Math.ceil(s.length / n) }, (_, i) => s.slice(i * n, (i + 1) * n));

  it.each([1, 7, 50, 64, 1000])('is one invalid event at its line, read as text in pieces of %i characters', (n) => {
    expect(read((r) => pieces(text, n).forEach((p) => r.push(p as string)))).toEqual(want);
  });

  it.each([1, 7, 50, 64, 1000])('is one invalid event at its line, read as bytes in pieces of %i bytes (the lane too)', (n) => {
    expect(read((r) => pieces(Buffer.from(text), n).forEach((p) => r.pushBytes(p as Buffer)))).toEqual(want);
  });

  it('as the last line, without a newline', () => {
    const t = [good(1), long].join('\n');
    for (const feed of [(r: EventsReader) => r.push(t), (r: EventsReader) => r.pushBytes(Buffer.from(t))]) {
      expect(read(feed)).toEqual({ ...want, result: { events: 1, invalid: 1, unreadable: false }, problems: ['2 event longer than 100 characters'] });
    }
  });
});

describe('files given as JSON text (a JSON column exported as a string)', () => {
  const ev = (files: string) => ({ id: 'e1', connectionId: 'c-1', direction: 'sending', status: 'success', startedAt: '2026-05-12T10:00:00.000Z', finishedAt: '2026-05-12T10:00:05.000Z', files });
  const listed = '[{"resourceId":"r-1","name":"a.step","outcome":"failed","sizeBytes":10}]';

  it.each([
    ['an NDJSON history', (e: object) => JSON.stringify(e) + '\n'],
    ['a JSON document', (e: object) => JSON.stringify({ events: [e] }, null, 1)],
  ])('are read as files in %s: the failed file is diagnosed', (_name, write) => {
    const r = report(write(ev(listed)));
    expect([r.diagnoses.map((d) => [d.ruleId, d.params['resourceId']]), r.stats.problems]).toEqual([[['file-transfer-failed', 'r-1']], []]);
  });

  it('text that does not parse is an EVENT_INVALID problem naming the field and its line', () => {
    const r = report(JSON.stringify(ev('[]')) + '\n' + JSON.stringify(ev('[{"resourceId":"r-1",')) + '\n');
    expect(r.stats.problems.map((p) => [p.code, /files: JSON text that does not parse/.test(p.message), p.line])).toEqual([['EVENT_INVALID', true, 2]]);
  });
});
