/**
 * The canonical fast lane of the sync-history reader, held to the full path.
 *
 * - The direct reading of a parsed object (canonicalObject) gives what the schema gives, or
 *   steps aside: on generated objects with canonical keys, their aliases and other keys.
 * - NDJSON read from bytes (the lane: learned key-order patterns, no JSON.parse) gives the same
 *   report and the same events as the text path (JSON.parse and the schema for every line), on
 *   generated histories whose lines mostly share a key order, cut into chunks anywhere.
 * - The lane is really taken: canonical lines are not handed to JSON.parse.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiagnosisSession, SYNC_EVENT_KEYS, SyncEventSchema, type LogOutcomeRecord, type SyncEvent } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { canonicalObject, canonicalTime } from '../src/events-canonical.js';
import { EventsReader, loadRulePack, toSyncEvent } from '../src/index.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
const RUNS = Number(process.env['SCS_PROPERTY_RUNS'] ?? 300);

/** An event as a host sees it: keys whose value is undefined dropped (the schema keeps them, the direct path leaves them out). */
function plain(e: SyncEvent): unknown {
  return JSON.parse(JSON.stringify(e));
}

// Values: mostly canonical, with the near misses that must take the full path.
const TIMES = [
  '2026-05-12T09:00:02.123Z',
  '2026-05-12T09:00:03Z',
  '2024-02-29T23:59:59.999Z',
  '2026-02-28T00:00:00.000Z',
  '2026-01-31T12:00:00.000Z',
  '2026-02-29T00:00:00.000Z',
  '2026-04-31T00:00:00.000Z',
  '2026-05-12T24:00:00.000Z',
  '2026-05-12T09:60:00.000Z',
  '0099-05-12T09:00:00.000Z',
  '1900-02-29T00:00:00.000Z',
  '2000-02-29T00:00:00.000Z',
  '2026-05-12 09:00:02,118',
  '2026-05-12T09:00:02+02:00',
  '2026-05-12T09:00:02.1234Z',
  '2026-13-01T00:00:00.000Z',
  'yesterday',
  '',
  '1715504402',
  '2026-05-12T09:00:02.000z',
  // As Python writes them: isoformat() with microseconds and +00:00, str() with a space, naive.
  '2026-05-12T09:00:02.123456+00:00',
  '2026-05-12T09:00:02+00:00',
  '2026-05-12T09:00:02.123456',
  '2026-05-12 09:00:02',
  '2026-05-12T09:00:02.5-0000',
  '2026-05-12T09:00:02.123456+02:00',
  '2026-05-12T09:00:02.1234567891Z',
  '2024-02-29 23:59:59.999999',
  '2026-02-29T10:00:00+00:00',
  '2026-05-12T09:00:02 +00:00',
];
const timeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TIMES.slice(0, 5)) },
  { weight: 3, arbitrary: fc.constantFrom(...TIMES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()) },
);
const textArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('c-3c6ef3', 'r-ec48c9', 'initech-to-globex (sending)', 'acme-to-hooli-16', 'a-connection-id-longer-than-13') },
  { weight: 1, arbitrary: fc.constantFrom('', 'ünïcode → name', 'quote " inside', 'back\\slash', 'tab\there', 'bracket ] [', '\u2028', 'del\u007f') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const messageArb = fc.oneof(
  fc.constantFrom(
    'shared secret unavailable: InvalidToken',
    'connection failed (no manifest received)',
    'properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation',
    'outbox write failed: Revision r-1 size=2684354560 exceeds single-op copy_object ceiling',
    'Timed out after 30s — “retrying”',
    'unknown failure with a secret AKIAIOSFODNN7EXAMPLE in it',
  ),
  textArb,
);
const fileArb = fc.oneof(
  fc.record(
    { resourceId: fc.constantFrom('res-1', 'res-22'), revisionId: fc.constantFrom('rev-1', 'b7e1c3d0-0000-4000-8000-000000000001'), sizeBytes: fc.nat(), outcome: fc.constantFrom('transferred', 'excluded', 'failed') },
    { requiredKeys: [] },
  ),
  fc.record(
    { resourceId: fc.constantFrom('', 5), sizeBytes: fc.constantFrom(-1, 1.5, '10', 2 ** 60), outcome: fc.constantFrom('sent', 'ok', 'Transferred'), name: fc.string({ maxLength: 6 }), status: fc.constant('ok') },
    { requiredKeys: [] },
  ),
);
const VALUES: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 9_999_999 }).map((n) => `ev-${n}`) }, { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.constantFrom('', 7, null)) }),
  connectionId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('c-3c6ef3', 'r-ec48c9', 'c-e3779b', 'a-connection-id-longer-than-13') }, { weight: 1, arbitrary: fc.constantFrom('', 42, null) }),
  connectionName: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('initech-to-globex (sending)', 'soylent-to-initech-29 (receiving)', 'x') }, { weight: 1, arbitrary: textArb }),
  // Words of one field in another (`failed` as a direction): each field reads its own words.
  direction: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('sending', 'receiving') }, { weight: 2, arbitrary: fc.constantFrom('Sending', 'outbound', 'sideways', '', 'failed', 'success', 'Warning') }),
  sharedId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('initech-to-globex', 'acme-to-hooli-16', 'zz') }, { weight: 1, arbitrary: fc.constantFrom('', 3) }),
  status: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('success', 'failure', 'warning') }, { weight: 2, arbitrary: fc.constantFrom('Completed with warnings', 'failed', 'ok', 'SUCCESS', '', 'outbound', 'Receiving') }),
  startedAt: timeArb,
  finishedAt: timeArb,
  message: fc.oneof({ weight: 5, arbitrary: messageArb }, { weight: 1, arbitrary: fc.constantFrom(null, 5, { code: 'E' }) }),
  files: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(fileArb, { maxLength: 2 }) }, { weight: 1, arbitrary: fc.constantFrom('a', null, [[]], ['a']) }),
};
/** Canonical values only: the lines the lane must read. */
const CLEAN: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(
    fc.integer({ min: 1, max: 9_999_999 }).map((n) => `ev-${n}`),
    fc.uuid(),
  ),
  connectionId: fc.constantFrom('c-3c6ef3', 'r-ec48c9', 'c-e3779b', 'a-connection-id-longer-than-13'),
  connectionName: fc.constantFrom('initech-to-globex (sending)', 'soylent-to-initech-29 (receiving)', 'x', '', 'Acme → Globex', 'Zürich inbox', 'quote " and \\ slash', 'inv\u00b7alid bytes'),
  direction: fc.constantFrom('sending', 'receiving', 'sending', 'receiving', 'Outbound', 'RECEIVING'),
  sharedId: fc.constantFrom('initech-to-globex', 'acme-to-hooli-16', 'zz'),
  status: fc.constantFrom('success', 'failure', 'warning', 'success', 'failure', 'Succeeded', 'FAILED', 'completed with warnings'),
  startedAt: fc.oneof(
    fc.constantFrom(...TIMES.slice(0, 5)),
    fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()),
    fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString().replace('Z', '123+00:00')),
  ),
  finishedAt: fc.oneof(
    fc.constantFrom(...TIMES.slice(0, 5)),
    fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString().replace('.000Z', 'Z')),
  ),
  message: fc.constantFrom('shared secret unavailable: InvalidToken', 'connection failed (no manifest received)', 'retry later', '', 'échec: shared secret unavailable: InvalidToken', 'line one\nline two'),
  files: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fileArb, { maxLength: 2 }) }),
};
const FIELDS = Object.keys(VALUES);
/** Keys outside the schema's alias table, or that it reads in its own way (`connection`). */
const OTHER_KEYS = ['connection', 'durationMs', 'trigger', 'Status'];
/** The field each key the schema reads stands for. */
const FIELD_OF = new Map<string, string>(Object.entries(SYNC_EVENT_KEYS).flatMap(([f, keys]) => keys.map((k): [string, string] => [k, f])));
const ALIASES = [...FIELD_OF.keys(), ...OTHER_KEYS];
const aliasValue = fc.oneof(fc.constantFrom('InvalidToken', 'failed', 'receiving', 'c-9', '2026-05-12T09:00:00.000Z', 12), fc.constant({ id: 'c-1', name: 'n' }));

/**
 * A key order: the fields an event carries (connectionId, status and startedAt nearly always),
 * under camelCase keys, snake_case ones or any of the schema's aliases, now and then one field
 * under two keys; shuffled.
 */
const shapeArb = fc
  .tuple(
    fc.subarray(FIELDS, { minLength: 3 }),
    fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.constantFrom('camel', 'camel', 'snake', 'any'),
    fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  )
  .map(([fields, required, seed, naming, twice]) => {
    const set = new Set(fields);
    if (required) for (const k of ['connectionId', 'status', 'startedAt']) set.add(k);
    let s = Math.floor(seed * 2 ** 31);
    const next = (n: number) => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s % n;
    };
    const keysOf = (f: string) => SYNC_EVENT_KEYS[f as keyof typeof SYNC_EVENT_KEYS] as readonly string[];
    const out = [...set].map((f) => {
      const keys = keysOf(f);
      if (naming === 'camel') return keys[0]!;
      if (naming === 'snake') return keys.find((k) => k.includes('_')) ?? keys[0]!;
      return keys[next(keys.length)]!;
    });
    if (twice) {
      const keys = keysOf(FIELD_OF.get(out[0]!)!);
      if (keys.length > 1) out.push(keys.find((k) => k !== out[0])!);
    }
    // A seeded shuffle: shapes differ in order as well as in keys.
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  });

function objectArb(keys: string[], values = VALUES): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(...keys.map((k) => values[FIELD_OF.get(k)!]!)).map((vals) => {
    const o: Record<string, unknown> = {};
    keys.forEach((k, i) => (o[k] = vals[i]));
    return o;
  });
}

/** A line of a history: an event of the history's shape (most lines), of another shape, or something else. */
function lineArb(shape: string[]): fc.Arbitrary<string> {
  const event = objectArb(shape).map((o) => JSON.stringify(o));
  return fc.oneof(
    { weight: 16, arbitrary: objectArb(shape, CLEAN).map((o) => JSON.stringify(o)) },
    { weight: 6, arbitrary: event },
    { weight: 1, arbitrary: shapeArb.chain(objectArb).map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.tuple(objectArb(shape), fc.constantFrom(...ALIASES), aliasValue).map(([o, k, v]) => JSON.stringify({ ...o, [k]: v })) },
    { weight: 1, arbitrary: objectArb(shape).map((o) => JSON.stringify(o, null, 1).replace(/\n/g, ' ')) },
    { weight: 1, arbitrary: event.map((l) => ` ${l}\t`) },
    { weight: 1, arbitrary: event.map((l) => l.slice(0, Math.max(1, l.length - 3))) },
    // The lane's pattern only bounds a files array: what is inside may still be broken.
    { weight: 1, arbitrary: objectArb(shape, CLEAN).map((o) => JSON.stringify(o).replace(/"(files|items|resources)":\[[^\]]*\]/, '"$1":[}]')) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', '# exported 2026-05-12', '// page 2', '[]', '{}', 'null', '"text"', '{"connectionId":"c-1",}', '\u00ff\u00fe') },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  );
}

/** JSON as Python's json.dumps writes it by default: `", "` between members, `": "` after keys. */
function pythonStyle(line: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    out += c;
    if (inString) {
      if (c === '\\') out += line[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',' || c === ':') out += ' ';
  }
  return out;
}

/** JSON with non-ASCII characters escaped, as Python's json.dumps writes them by default (ensure_ascii). */
function asciiOnly(line: string): string {
  return line.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const historyArb = shapeArb.chain((shape) =>
  fc.record({
    lines: fc
      .tuple(fc.array(lineArb(shape), { minLength: 1, maxLength: 60, size: 'medium' }), fc.constantFrom('compact', 'python', 'mixed', 'ascii'))
      .map(([lines, style]) => (style === 'compact' ? lines : style === 'ascii' ? lines.map(asciiOnly) : lines.map((l, i) => (style === 'python' || i % 3 === 0 ? pythonStyle(l) : l)))),
    /** Invalid UTF-8 in values: every `·` (C2 B7) written as a lone FF byte. */
    badUtf8: fc.boolean(),
    crlf: fc.boolean(),
    lastNewline: fc.boolean(),
    bom: fc.boolean(),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
  }),
);

interface Read {
  report: string;
  events: unknown[];
  result: unknown;
}

/** The text path: the whole file decoded, pushed as text (every line through JSON.parse and the schema). `bytes`: the file's size. */
function viaText(text: string, bytes = Buffer.byteLength(text)): Read {
  const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
  const events: unknown[] = [];
  const reader = new EventsReader(session, 'history.ndjson', { onEvent: (e) => events.push(plain(e)) });
  reader.push(text, bytes);
  const result = reader.end();
  return { report: JSON.stringify(session.report()), events, result };
}

async function viaBytes(bytes: Buffer, cuts: number[]): Promise<Read> {
  const at = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    if (c > from) chunks.push(bytes.subarray(from, c));
    from = Math.max(from, c);
  }
  const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
  const events: unknown[] = [];
  const reader = new EventsReader(session, 'history.ndjson', { onEvent: (e) => events.push(plain(e)) });
  for (const c of chunks) reader.pushBytes(c);
  const result = reader.end();
  const report = session.report();
  lane.lines += report.stats.linesRead;
  lane.canonical += reader.canonicalLines;
  return { report: JSON.stringify(report), events, result };
}

/** Lines read from bytes, and those of them the lane read. */
const lane = { lines: 0, canonical: 0 };

describe('the canonical reading of a parsed event', () => {
  it('gives what the schema gives, or leaves the event to it', () => {
    const raw = fc.oneof(
      shapeArb.chain(objectArb),
      fc.tuple(shapeArb.chain(objectArb), fc.constantFrom(...ALIASES), aliasValue).map(([o, k, v]) => ({ ...o, [k]: v })),
    );
    let direct = 0;
    fc.assert(
      fc.property(raw, (o) => {
        const schema = SyncEventSchema.safeParse(o);
        const canonical = canonicalObject(o);
        if (canonical) {
          direct++;
          expect(schema.success).toBe(true);
          expect(plain(canonical)).toEqual(plain(schema.data!));
        }
        const r = toSyncEvent(o);
        if (schema.success) expect('event' in r && plain(r.event)).toEqual(plain(schema.data));
        else expect('error' in r).toBe(true);
      }),
      { numRuns: RUNS * 3 },
    );
    // The property says something about the direct path only if it was taken.
    expect(direct).toBeGreaterThan(RUNS / 10);
  });

  it('reads an error under an alias key (the schema path), not as an event without a message', () => {
    const r = toSyncEvent({ connectionId: 'c-1', status: 'failure', startedAt: '2026-05-12T09:00:00.000Z', error: 'shared secret unavailable: InvalidToken' });
    expect('event' in r && r.event.message).toBe('shared secret unavailable: InvalidToken');
    const text = JSON.stringify({ connectionId: 'c-1', status: 'failure', startedAt: '2026-05-12T09:00:00.000Z', finishedAt: '2026-05-12T09:00:01.000Z', error: 'shared secret unavailable: InvalidToken' });
    const read = viaText(`${text}\n${text}\n`);
    expect(JSON.parse(read.report).diagnoses.map((d: { ruleId: string; count: number }) => [d.ruleId, d.count])).toContainEqual(['shared-secret-invalid-token', 2]);
  });

  it('normalizes the times it takes exactly as the schema does', () => {
    let taken = 0;
    const wide = fc
      .tuple(fc.integer({ min: -62_000_000_000_000, max: 253_402_300_799_999 }), fc.constantFrom('T', ' '), fc.nat({ max: 9 }), fc.constantFrom('Z', '+00:00', '-0000', '', '+01:00'), fc.constantFrom('.', ','))
      .map(([ms, t, digits, zone, dot]) => {
        const iso = new Date(ms).toISOString();
        const frac = (iso.slice(20, 23) + '987654').slice(0, digits);
        return `${iso.slice(0, 10)}${t}${iso.slice(11, 19)}${digits ? dot + frac : ''}${zone}`;
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...TIMES),
          fc.integer({ min: -62_000_000_000_000, max: 253_402_300_799_999 }).map((ms) => new Date(ms).toISOString()),
          wide,
        ),
        (t) => {
          const normalized = canonicalTime(t);
          if (normalized === undefined) return;
          taken++;
          const parsed = SyncEventSchema.safeParse({ connectionId: 'c', status: 'success', startedAt: t });
          expect(parsed.success && parsed.data.startedAt).toBe(normalized);
        },
      ),
      { numRuns: RUNS * 3 },
    );
    expect(taken).toBeGreaterThan(RUNS);
  });
});

describe('NDJSON from bytes (the canonical lane) against the text path', () => {
  it('gives the same report, events and counts on generated histories cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ lines, crlf, lastNewline, bom, cuts, badUtf8 }) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = lines.join(eol) + (lastNewline ? eol : '');
        let bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
        if (badUtf8) bytes = Buffer.from(bytes.toString('latin1').replaceAll('\u00c2\u00b7', '\u00ff'), 'latin1');
        // The text path reads the file decoded as a whole (and counts the bytes of the text it is given: the mark too).
        const expected = viaText(bytes.toString('utf8'), bytes.length);
        const actual = await viaBytes(bytes, cuts);
        expect(actual.result).toEqual(expected.result);
        expect(actual.events).toEqual(expected.events);
        expect(actual.report).toBe(expected.report);
      }),
      { numRuns: RUNS },
    );
    // The property speaks of the lane only if the lane read a good share of the events.
    expect(lane.canonical).toBeGreaterThan(lane.lines / 4);
  });

  it('reads a long history of one shape the same way, in 1 MiB chunks as files are read', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const failed = i % 997 === 0;
      lines.push(
        JSON.stringify({
          id: `ev-${i}`,
          connectionId: `c-${i % 7}`,
          connectionName: `conn-${i % 7} (sending)`,
          direction: failed || i % 2 ? 'sending' : 'receiving',
          sharedId: `shared-${i % 7}`,
          status: failed ? 'failure' : i % 50 === 0 ? 'warning' : 'success',
          startedAt: new Date(Date.UTC(2026, 4, 1) + i * 60_000).toISOString(),
          finishedAt: new Date(Date.UTC(2026, 4, 1) + i * 60_000 + 1234).toISOString().replace(/\.\d{3}Z$/, (m) => (i % 3 ? m : 'Z')),
          ...(failed ? { message: 'shared secret unavailable: InvalidToken' } : {}),
          files: i % 20 === 0 ? [{ resourceId: `res-${i}`, sizeBytes: i, outcome: 'transferred' }] : [],
        }),
      );
    }
    const text = lines.join('\n') + '\n';
    const bytes = Buffer.from(text);
    const expected = viaText(text);
    const actual = await viaBytes(bytes, [0.1, 0.3, 0.5000001, 0.9]);
    expect(actual.result).toEqual({ events: 20_000, invalid: 0, unreadable: false });
    expect(actual.events).toEqual(expected.events);
    expect(actual.report).toBe(expected.report);
    expect(JSON.parse(actual.report).diagnoses.find((d: { ruleId: string }) => d.ruleId === 'shared-secret-invalid-token').count).toBe(21);
  });
});

describe('the start time the lane reads from the bytes', () => {
  // The lane hands the session each event's start as milliseconds (the connection's time window
  // is built from it, without parsing startedAt again). A log outcome 4 s before an event's start
  // lies in that event's window (one attempt); one 6 s before does not (an attempt of its own).
  // A start read wrong (the end instead, a fraction cut otherwise) moves the window and the count.
  it('gives the same windows as the schema time, in the forms the lane normalizes', () => {
    const START = Date.UTC(2026, 4, 12, 9, 0, 0);
    const lines: string[] = [];
    const outcomes: LogOutcomeRecord[] = [];
    for (let i = 0; i < 40; i++) {
      const started = START + i * 120_000 + (i % 7) * 37;
      const iso = new Date(started).toISOString();
      // Python's isoformat() (microseconds, +00:00), str() (a space, no zone), and the schema's own form.
      const startedAt = i % 3 === 0 ? iso.replace('Z', '456+00:00') : i % 3 === 1 ? iso.replace('T', ' ').replace('Z', '') : iso;
      lines.push(JSON.stringify({ id: `ev-${i}`, connectionId: 'c-1', direction: 'sending', status: 'success', startedAt, finishedAt: new Date(started + 30_000).toISOString(), files: [] }));
      outcomes.push({ key: 'c-1', id: 'c-1', name: undefined, side: 'sending' as const, sharedId: undefined, ms: started - (i % 2 ? 4_000 : 6_000), outcome: 'failure' as const, file: 'scs.log', line: i + 1 });
    }
    const text = lines.join('\n') + '\n';
    const read = (viaLane: boolean) => {
      const session = new DiagnosisSession(pack, { now: NOW });
      const reader = new EventsReader(session, 'history.ndjson');
      if (viaLane) reader.pushBytes(Buffer.from(text));
      else reader.push(text, Buffer.byteLength(text));
      reader.end();
      if (viaLane) expect(reader.canonicalLines).toBeGreaterThan(35);
      session.addLogOutcomes(outcomes);
      return session.report();
    };
    const lane = read(true);
    expect(JSON.stringify(lane)).toBe(JSON.stringify(read(false)));
    // 40 events and the 20 outcomes 6 s before a start.
    expect(lane.connections.find((c) => c.key === 'c-1')?.attempts).toBe(60);
  });
});

describe('a files array of one file, read without JSON.parse', () => {
  afterEach(() => vi.restoreAllMocks());
  // Each case: the files array of a line, as written. The lane reads the common shape (one file,
  // these four keys in this order, plain ids, a whole size, an outcome the schema keeps) itself;
  // the rest goes through JSON.parse as before. Either way the report and the events are the text path's.
  const CASES = [
    '[{"resourceId":"res-1","revisionId":"b7e1c3d0-0000-4000-8000-000000000001","sizeBytes":0,"outcome":"transferred"}]',
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":123456789012345,"outcome":"failed"}]',
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":2684354560,"outcome":"excluded"}]',
    // Past a safe integer, a leading zero, a sign, a fraction: not the shape (the schema decides).
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":9007199254740993,"outcome":"failed"}]',
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":0123,"outcome":"failed"}]',
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":-1,"outcome":"failed"}]',
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":1.5,"outcome":"failed"}]',
    // An outcome word the schema maps (sent is transferred), an empty id, another key order, two files.
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":10,"outcome":"sent"}]',
    '[{"resourceId":"","revisionId":"rev-1","sizeBytes":10,"outcome":"failed"}]',
    '[{"revisionId":"rev-1","resourceId":"res-1","sizeBytes":10,"outcome":"failed"}]',
    '[{"resourceId":"res-1","revisionId":"rev-1","sizeBytes":10,"outcome":"failed"},{"resourceId":"res-2","revisionId":"rev-2","sizeBytes":1,"outcome":"transferred"}]',
    // Python's separators, and the two mixed.
    '[{"resourceId": "res-1", "revisionId": "rev-1", "sizeBytes": 10, "outcome": "failed"}]',
    '[{"resourceId":"res-1", "revisionId": "rev-1","sizeBytes": 10,"outcome":"failed"}]',
  ];
  it.each(CASES)('%s', async (files) => {
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
      const e = JSON.stringify({ id: `ev-${i}`, connectionId: 'c-1', direction: 'sending', status: i === 3 ? 'failure' : 'success', startedAt: `2026-05-12T09:00:0${i}.000Z`, files: [] });
      lines.push(i >= 2 ? e.replace('"files":[]', `"files":${files}`) : e);
    }
    const text = lines.join('\n') + '\n';
    const expected = viaText(text);
    const actual = await viaBytes(Buffer.from(text), []);
    expect(actual.events).toEqual(expected.events);
    expect(actual.report).toBe(expected.report);
  });
  it('takes the common shape without JSON.parse', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++)
      lines.push(
        JSON.stringify({
          id: `ev-${i}`,
          connectionId: 'c-1',
          status: 'success',
          startedAt: new Date(Date.UTC(2026, 4, 1) + i * 1000).toISOString(),
          files: [{ resourceId: `res-${i}`, revisionId: `rev-${i}`, sizeBytes: i, outcome: 'transferred' }],
        }),
      );
    const parse = vi.spyOn(JSON, 'parse');
    const reader = new EventsReader(new DiagnosisSession(pack, { now: NOW }), 'h.ndjson');
    reader.pushBytes(Buffer.from(lines.join('\n') + '\n'));
    const r = reader.end();
    const calls = parse.mock.calls.length;
    parse.mockRestore();
    expect(r.events).toBe(200);
    expect(calls).toBeLessThan(10);
  });
});

describe('the lane is taken', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses only the lines that teach it a key order (and the files arrays), not every line', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const e: Record<string, unknown> = { id: `ev-${i}`, connectionId: `c-${i % 3}`, status: i % 1000 === 1 ? 'failure' : 'success', startedAt: new Date(Date.UTC(2026, 4, 1) + i * 1000).toISOString(), files: [] };
      if (e['status'] === 'failure') e['message'] = 'connection failed (no manifest received)';
      lines.push(JSON.stringify(e));
    }
    const session = new DiagnosisSession(pack, { now: NOW });
    // Synchronous from push to end: no other code runs (and parses JSON) while the spy counts.
    const reader = new EventsReader(session, 'h.ndjson');
    reader.pushBytes(Buffer.from(lines.join('\n') + '\n'));
    const r = reader.end();
    const calls = parse.mock.calls.length;
    parse.mockRestore();
    expect(r.events).toBe(5000);
    // The sniffing of the first lines, one line per key order (with and without message).
    expect(calls).toBeLessThan(10);
    expect(session.report().diagnoses.find((d) => d.ruleId === 'no-manifest-received')?.count).toBe(5);
  });

  it('reads Python json.dumps lines (", " and ": ", isoformat() times) through the lane too', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        pythonStyle(
          JSON.stringify({
            id: `ev-${i}`,
            connectionId: `c-${i % 4}`,
            direction: 'receiving',
            status: 'success',
            startedAt: new Date(Date.UTC(2026, 4, 1) + i * 1000).toISOString(),
            finishedAt: new Date(Date.UTC(2026, 4, 1) + i * 1000 + 500).toISOString().replace('Z', '123+00:00'),
            files: i % 10 ? [] : [{ resourceId: 'res-1', sizeBytes: 10, outcome: 'transferred' }],
          }),
        ),
      );
    }
    expect(lines[0]).toContain('"id": "ev-0", "connectionId": "c-0"');
    expect(lines[0]).toContain('"finishedAt": "2026-05-01T00:00:00.500123+00:00"');
    const text = lines.join('\n') + '\n';
    const session = new DiagnosisSession(pack, { now: NOW });
    const reader = new EventsReader(session, 'history.ndjson');
    reader.pushBytes(Buffer.from(text));
    expect(reader.end().events).toBe(3000);
    // All but the lines read to decide the layout and to learn the key order.
    expect(reader.canonicalLines).toBeGreaterThan(2990);
    expect(JSON.stringify(session.report())).toBe(viaText(text).report);
  });

  it('reads snake_case lines through the lane, as the schema reads them', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const failed = i % 500 === 7;
      lines.push(
        JSON.stringify({
          event_id: `ev-${i}`,
          connection_id: `c-${i % 4}`,
          connection_name: `conn ${i % 4}`,
          direction: 'sending',
          shared_id: `s-${i % 4}`,
          status: failed ? 'failure' : 'success',
          started_at: new Date(Date.UTC(2026, 4, 12) + i * 1000).toISOString(),
          finished_at: new Date(Date.UTC(2026, 4, 12) + i * 1000 + 500).toISOString(),
          ...(failed ? { error_message: 'shared secret unavailable: InvalidToken' } : {}),
          files: [],
        }),
      );
    }
    const text = lines.join('\n') + '\n';
    const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
    const reader = new EventsReader(session, 'history.ndjson');
    reader.pushBytes(Buffer.from(text));
    expect(reader.end().events).toBe(3000);
    expect(reader.canonicalLines).toBeGreaterThan(2990);
    const report = session.report();
    expect(report.diagnoses.find((d) => d.ruleId === 'shared-secret-invalid-token')?.count).toBe(6);
    expect(JSON.stringify(report)).toBe(viaText(text).report);
  });

  it('keeps no block of the file alive through what the session holds', () => {
    // A value the session keeps per connection (id, name, shared id, newest event id) that still
    // referred to the 64 KiB block of text it was cut from would hold that block. Each connection's
    // events here are written together, so every connection's newest event is in another block.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const CONNS = 1200;
    const PER = 110;
    let session: DiagnosisSession | undefined = new DiagnosisSession(pack, { now: NOW });
    let reader: EventsReader | undefined = new EventsReader(session, 'history.ndjson');
    let buf = '';
    for (let i = 0; i < CONNS * PER; i++) {
      const c = Math.floor(i / PER);
      buf +=
        JSON.stringify({
          id: `event-${String(i).padStart(10, '0')}-uuid`,
          connectionId: `connection-${String(c).padStart(6, '0')}-id`,
          connectionName: `Connection number ${c} (sending)`,
          direction: 'sending',
          sharedId: `shared-${String(c).padStart(6, '0')}-identifier`,
          status: i % 97 ? 'success' : 'failure',
          startedAt: new Date(Date.UTC(2026, 4, 1) + i * 1000).toISOString(),
          ...(i % 97 ? {} : { message: `shared secret unavailable: InvalidToken ${'x'.repeat(40)}` }),
          files: [],
        }) + '\n';
      if (buf.length > 1 << 20) {
        reader.pushBytes(Buffer.from(buf));
        buf = '';
      }
    }
    reader.pushBytes(Buffer.from(buf));
    buf = '';
    const events = reader.end().events;
    const canonical = reader.canonicalLines;
    const connections = session.report().stats.connections;
    reader = undefined;
    // What the session holds: the heap with it, less the heap without it (both after a full
    // collection, one right after the other; nothing is asserted in between).
    // Collections run back to back: after one, the sweeper may still be freeing what it found dead.
    const settled = () => {
      for (let i = 0; i < 3; i++) gc();
      return process.memoryUsage().heapUsed;
    };
    const withSession = settled();
    session = undefined;
    const held = withSession - settled();
    expect([events, canonical > CONNS * PER - 10, connections]).toEqual([CONNS * PER, true, CONNS]);
    // 1,200 connections' state and the evidence are ~1 MB; a pinned block per pair of connections ~35 MB.
    expect(held).toBeLessThan(12e6);
  });
});
