/**
 * Sync histories saved from an API: a whole response on one line (`{"data":{"events":[…]}}`,
 * `{"events":[…],"next":…}`, GraphQL connections), several pages one a line, the same pretty-printed.
 * The fixtures are written by the scripts beside them (fixtures/api-responses/README.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosisSession, type Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, loadRulePack, readEventsStream, readEventsText, type EventReadOptions } from '../src/index.js';
import { countsByRule, summaries, unbalanced } from './helpers/compare.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'api-responses');
const fixture = (name: string) => readFileSync(path.join(DIR, name), 'utf8');

function read(text: string, name = 'history.json', options: EventReadOptions = {}) {
  const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 100 });
  const result = readEventsText(text, name, session, options);
  return { result, report: session.report() };
}

async function readChunks(text: string, size: number): Promise<Report> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 100 });
  await readEventsStream(Readable.from(chunks), 'history.json', session);
  return session.report();
}

interface Want {
  events: number;
  invalid: number;
  lines: number;
  skipped: Record<string, number>;
  rules: Record<string, number>;
  /** Each EVENT_INVALID problem: its line and the start of its message. */
  problems: [number, string][];
}

const FIXTURES: [string, Want][] = [
  ['rest-data-events.json', { events: 5, invalid: 0, lines: 1, skipped: {}, rules: { 'shared-secret-invalid-token': 2, 'manifest-key-missing': 2 }, problems: [] }],
  ['rest-events-next.json', { events: 5, invalid: 0, lines: 1, skipped: {}, rules: { 'shared-secret-invalid-token': 2, 'manifest-key-missing': 2 }, problems: [] }],
  // Four pages, one a line; the last one empty (structure); the third event of page 2 has no connection.
  ['rest-pages.ndjson', { events: 11, invalid: 1, lines: 4, skipped: { structure: 1 }, rules: { 'shared-secret-invalid-token': 4, 'manifest-key-missing': 3 }, problems: [[2, 'data.events[2]: invalid sync event: connectionId: missing']] }],
  [
    'rest-pages-pretty.json',
    {
      events: 11,
      invalid: 1,
      lines: 201,
      skipped: { structure: 35, 'invalid-event': 10 },
      rules: { 'shared-secret-invalid-token': 4, 'manifest-key-missing': 3 },
      problems: [[109, 'data.events[2]: invalid sync event: connectionId: missing']],
    },
  ],
  // Line 2 ends inside the second event's connection name: the first event of that page is read.
  ['rest-pages-cut.ndjson', { events: 8, invalid: 1, lines: 3, skipped: {}, rules: { 'shared-secret-invalid-token': 2, 'manifest-key-missing': 3 }, problems: [[2, 'data.events[1]: not valid JSON: a line break inside a string']] }],
  ['graphql-edges.json', { events: 6, invalid: 0, lines: 1, skipped: {}, rules: { 'shared-secret-invalid-token': 3 }, problems: [] }],
  ['graphql-edges-pretty.json', { events: 6, invalid: 0, lines: 103, skipped: { structure: 13 }, rules: { 'shared-secret-invalid-token': 3 }, problems: [] }],
  ['graphql-pages.ndjson', { events: 5, invalid: 1, lines: 2, skipped: {}, rules: { 'shared-secret-invalid-token': 2 }, problems: [[2, 'data.syncEvents.edges[1].node: invalid sync event: status:']] }],
];

describe('API responses as saved: every event read, every line accounted for, a bad event named by line and JSON path', () => {
  it.each(FIXTURES)('%s', (name, want) => {
    const { result, report } = read(fixture(name), name);
    const input = report.stats.inputs[0]!;
    const problems = report.stats.problems.filter((p) => p.code === 'EVENT_INVALID').map((p): [number, string] => [p.line ?? 0, p.message.slice(0, want.problems.find(([l]) => l === p.line)?.[1].length ?? 60)]);
    expect({ events: result.events, invalid: result.invalid, lines: input.linesRead, skipped: input.skipped, rules: countsByRule(report), problems }).toEqual(want);
    expect([result.unreadable, report.stats.events.read, unbalanced(report)]).toEqual([false, want.events + want.invalid, []]);
  });

  it.each(FIXTURES)('%s: read as bytes in pieces of 1, 7 and 1000 bytes, the same report', async (name) => {
    const whole = read(fixture(name), 'history.json').report;
    for (const size of [1, 7, 1000]) {
      const r = await readChunks(fixture(name), size);
      expect([summaries(r), r.stats.inputs, r.stats.problems]).toEqual([summaries(whole), whole.stats.inputs, whole.stats.problems]);
    }
  });
});

describe('one history, any layout', () => {
  it.each([
    ['GraphQL: compact and pretty-printed', 'graphql-edges.json', 'graphql-edges-pretty.json'],
    ['REST pages: one a line and pretty-printed', 'rest-pages.ndjson', 'rest-pages-pretty.json'],
  ])('%s give the same diagnoses', (_name, a, b) => {
    expect(summaries(read(fixture(a)).report)).toEqual(summaries(read(fixture(b)).report));
  });

  it('a compact response longer than maxEventChars is read event by event (each event is short)', () => {
    const text = fixture('graphql-edges.json');
    expect(text.length).toBeGreaterThan(1500);
    const { result } = read(text, 'history.json', { maxEventChars: 1000 });
    expect(result).toEqual({ events: 6, invalid: 0, unreadable: false });
  });

  it('a list of responses (jq -s of the pages): each page read, a bad event named by its path', () => {
    const pages = fixture('rest-pages.ndjson')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    const { result, report } = read(JSON.stringify(pages));
    expect([result.events, result.invalid]).toEqual([11, 1]);
    expect(report.stats.problems.map((p) => [p.line, p.message.split(':')[0]])).toEqual([[1, '[1].data.events[2]']]);
    expect(unbalanced(report)).toEqual([]);
  });

  it('NDJSON of events with a whole response on one of its lines: that line counted once, an empty page as structure', () => {
    const event = (JSON.parse(fixture('rest-data-events.json')) as { data: { events: unknown[] } }).data.events[0];
    const text = `${JSON.stringify(event)}\n${fixture('rest-data-events.json')}\n${JSON.stringify(event)}\n{"data":{"events":[]},"meta":{"count":0,"next":null}}\n`;
    const { result, report } = read(text);
    expect([result.events, result.invalid, report.stats.inputs[0]!.linesRead, report.stats.inputs[0]!.skipped, unbalanced(report)]).toEqual([7, 0, 4, { structure: 1 }, []]);
  });

  it('an error response instead of a history: an input problem that says so', () => {
    const { result, report } = read(fixture('graphql-error.json'));
    expect(result.unreadable).toBe(true);
    expect(report.stats.problems.find((p) => p.code === 'EVENTS_UNREADABLE')?.message).toMatch(/an error response, not a page of events \(1 error; the first: Not authorised to read sync events\)/);
    expect(unbalanced(report)).toEqual([]);
  });

  it('a pretty-printed error response: the same reason', () => {
    const { result, report } = read(JSON.stringify(JSON.parse(fixture('graphql-error.json')), null, 2));
    expect(result.unreadable).toBe(true);
    expect(report.stats.problems.map((p) => p.message)).toEqual([expect.stringMatching(/: an error response, not a page of events/)]);
  });

  it('through diagnoseInputs, as --events reads a file', async () => {
    const r = await diagnoseInputs(pack, { events: [path.join(DIR, 'rest-pages.ndjson')], now: NOW });
    expect([r.lost, r.report.stats.events, countsByRule(r.report)]).toEqual([false, { read: 12, valid: 11, invalid: 1, matched: 7 }, { 'shared-secret-invalid-token': 4, 'manifest-key-missing': 3 }]);
  });
});

describe('properties', () => {
  /** The events of the REST fixture, as a pool to draw pages from. */
  const POOL = fixture('rest-pages.ndjson')
    .trim()
    .split('\n')
    .flatMap((l) => (JSON.parse(l) as { data: { events: Record<string, unknown>[] } }).data.events)
    .filter((e) => 'connectionId' in e);
  const LAYOUTS: ((page: Record<string, unknown>[], n: number) => string)[] = [
    (page) => JSON.stringify({ data: { events: page }, meta: { count: page.length } }),
    (page, n) => JSON.stringify({ events: page, next: `cursor-${n}` }),
    (page, n) => JSON.stringify({ data: { syncEvents: { edges: page.map((node, i) => ({ cursor: `${n}:${i}`, node })), pageInfo: { hasNextPage: true } } } }),
    (page) => JSON.stringify({ data: { events: page } }, null, 2),
  ];

  it('pages of any size, in any layout, one a line, read in any chunks: the diagnoses of the same events as NDJSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: LAYOUTS.length - 1 }),
        fc.integer({ min: 1, max: 5000 }),
        async (picks, sizes, layout, chunk) => {
          const events = picks.map((i, n) => ({ ...POOL[i]!, id: `e-${n}` }));
          const pages: Record<string, unknown>[][] = [];
          for (let at = 0, k = 0; at < events.length; k++) {
            const size = sizes[k % sizes.length]!;
            pages.push(events.slice(at, at + size));
            at += size;
          }
          const text = pages.map((p, n) => LAYOUTS[layout]!(p, n)).join('\n') + '\n';
          const r = await readChunks(text, chunk);
          const want = read(events.map((e) => JSON.stringify(e)).join('\n') + '\n').report;
          expect([summaries(r), r.stats.events, unbalanced(r), r.stats.inputs[0]!.linesRead]).toEqual([summaries(want), want.stats.events, [], text.split('\n').length - 1]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
