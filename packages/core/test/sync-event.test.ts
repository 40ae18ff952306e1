/**
 * The sync event schema keeps an event whenever it can: only the connection, the status and the
 * start time can make an event invalid, and then the reason says what is missing or wrong. Every
 * other field is read leniently, because the event's status and message are what is diagnosed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTime, sideOf, SYNC_EVENT_KEYS, SyncEventSchema, syncStatusOf } from '../src/internal.js';

const RUNS = Number(process.env['SCS_PROPERTY_RUNS'] ?? 300);
const BASE = { connectionId: 'c-1', status: 'failure', startedAt: '2026-05-12T09:00:00.000Z' };

function parse(raw: unknown) {
  const r = SyncEventSchema.safeParse(raw);
  if (!r.success) throw new Error(`rejected: ${reason(raw)}`);
  return r.data;
}

/** The reason as the history reader words it: the first issue, at its path. */
function reason(raw: unknown): string | undefined {
  const r = SyncEventSchema.safeParse(raw);
  if (r.success) return undefined;
  const issue = r.error.issues[0]!;
  return `${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`;
}

describe('direction', () => {
  it('an unknown word leaves the direction absent, the event kept; known words still map', () => {
    expect(parse({ ...BASE, type: 'scheduled' }).direction).toBeUndefined();
    expect(parse({ ...BASE, direction: 'sideways' }).direction).toBeUndefined();
    expect(parse({ ...BASE, direction: '' }).direction).toBeUndefined();
    expect(parse({ ...BASE, direction: 7 }).direction).toBeUndefined();
    expect(parse({ ...BASE, side: 'Outbound' }).direction).toBe('sending');
    expect(parse({ ...BASE, type: 'INBOUND' }).direction).toBe('receiving');
    expect(sideOf('sideways')).toBeUndefined();
  });
});

describe('status', () => {
  it.each(['timed_out', 'Timed out', 'timeout', 'TimedOut', 'aborted', 'cancelled', 'canceled', 'revoked', 'rejected', 'crashed', 'killed', 'expired'])('%s is a failure', (word) => {
    expect(parse({ ...BASE, status: word }).status).toBe('failure');
    expect(syncStatusOf(word)).toBe('failure');
  });

  it.each(['running', 'started', 'pending', 'queued', 'in_progress', 'In progress', 'in-progress', 'retry', 'retrying', 'scheduled', 'skipped'])('%s is a warning (not finished, not a failure)', (word) => {
    expect(parse({ ...BASE, status: word }).status).toBe('warning');
    expect(syncStatusOf(word)).toBe('warning');
  });

  it('an unknown word is read as warning with its message kept; syncStatusOf still says undefined', () => {
    const e = parse({ ...BASE, status: 'exploded', message: 'shared secret unavailable: InvalidToken' });
    expect([e.status, e.message]).toEqual(['warning', 'shared secret unavailable: InvalidToken']);
    expect(parse({ connectionId: 'c-1', state: 'WAITING_FOR_PEER', startedAt: BASE.startedAt }).status).toBe('warning');
    expect(syncStatusOf('exploded')).toBeUndefined();
  });

  it('a missing, empty or non-word status stays invalid', () => {
    const { status: _status, ...noStatus } = BASE;
    expect(reason(noStatus)).toBe('status: missing (looked for status, state, result)');
    expect(reason({ ...BASE, status: null })).toBe('status: missing (looked for status, state, result)');
    expect(reason({ ...BASE, status: '' })).toMatch(/^status: empty/);
    expect(reason({ ...BASE, status: '  ' })).toMatch(/^status: empty/);
    expect(reason({ ...BASE, status: 3 })).toMatch(/^status: expected a status word .*, got number$/);
  });
});

describe('files', () => {
  it('never invalidate their event: each field lenient, non-objects dropped, a value neither a list nor text is no files', () => {
    const e = parse({
      ...BASE,
      files: [
        { resourceId: 12, revision_id: 34, size: '2048', outcome: 'vanished', checksum: 'abc' },
        { resource: 'r-2', sizeBytes: -1, status: 'Sent', fileName: 'a.pdf' },
        { resourceId: '', sizeBytes: 1.5, outcome: 3, name: { x: 1 } },
        { sizeBytes: 2 ** 60 },
        { sizeBytes: 'abc' },
        { sizeBytes: '' },
        'a',
        null,
        42,
        ['nested'],
      ],
    });
    expect(e.files).toEqual([
      { resourceId: '12', revisionId: '34', sizeBytes: 2048, outcome: undefined, name: undefined },
      { resourceId: 'r-2', revisionId: undefined, sizeBytes: undefined, outcome: 'transferred', name: 'a.pdf' },
      { resourceId: undefined, revisionId: undefined, sizeBytes: undefined, outcome: undefined, name: undefined },
      { resourceId: undefined, revisionId: undefined, sizeBytes: undefined, outcome: undefined, name: undefined },
      { resourceId: undefined, revisionId: undefined, sizeBytes: undefined, outcome: undefined, name: undefined },
      { resourceId: undefined, revisionId: undefined, sizeBytes: undefined, outcome: undefined, name: undefined },
    ]);
    // The same five keys on every file, absent ones undefined.
    for (const f of e.files) expect(Object.keys(f)).toEqual(['resourceId', 'revisionId', 'sizeBytes', 'outcome', 'name']);
    expect(parse({ ...BASE, files: '  ' }).files).toEqual([]);
    expect(parse({ ...BASE, files: '[{"resource_id":"r-1","status":"failed"}, 3]' }).files).toEqual([{ resourceId: 'r-1', revisionId: undefined, sizeBytes: undefined, outcome: 'failed', name: undefined }]);
    // Text that is not a list of files is the one way files make their event invalid: silently no files would hide them.
    for (const files of ['a', '{"resourceId":"r"}', '[{"resourceId":']) {
      const r = SyncEventSchema.safeParse({ ...BASE, files });
      expect(r.success ? undefined : r.error.issues.map((i) => i.path.join('.'))).toEqual(['files']);
    }
    expect(parse({ ...BASE, files: { resourceId: 'r' } }).files).toEqual([]);
    expect(parse({ ...BASE, items: 3 }).files).toEqual([]);
  });
});

describe('id and connection name', () => {
  it('an empty id is absent; a number or boolean name is written out', () => {
    expect(parse({ ...BASE, id: '' }).id).toBeUndefined();
    expect(parse({ ...BASE, id: 7 }).id).toBe('7');
    expect(parse({ ...BASE, connectionName: 42 }).connectionName).toBe('42');
    expect(parse({ ...BASE, connection_name: false }).connectionName).toBe('false');
    expect(parse({ ...BASE, sharedId: '' }).sharedId).toBeUndefined();
  });
});

describe('message', () => {
  it('keeps the SCS error beside a generic message, from every message key in order', () => {
    expect(parse({ ...BASE, message: 'Sync failed', error: 'connection failed (no manifest received)' }).message).toBe('Sync failed: connection failed (no manifest received)');
    expect(parse({ ...BASE, message: '', error_message: 'shared secret unavailable: InvalidToken' }).message).toBe('shared secret unavailable: InvalidToken');
    expect(parse({ ...BASE, details: 'b', message: 'a', error: 'a' }).message).toBe('a: b');
  });

  it('turns objects and lists into text', () => {
    expect(parse({ ...BASE, error: { code: 'InvalidToken', message: 'shared secret unavailable' } }).message).toBe('InvalidToken: shared secret unavailable');
    expect(parse({ ...BASE, error: { type: 'NoSuchKey', message: 'properties read failed' } }).message).toBe('NoSuchKey: properties read failed');
    expect(parse({ ...BASE, error: { message: 'bucket not configured' } }).message).toBe('bucket not configured');
    expect(parse({ ...BASE, detail: { bucket: 'inbox' } }).message).toBe('{"bucket":"inbox"}');
    expect(parse({ ...BASE, message: 'Sync failed', errors: [{ code: 'E1', message: 'one' }, 'two', '', null, ['three']] }).message).toBe('Sync failed: E1: one; two; three');
    expect(parse({ ...BASE, message: 5 }).message).toBe('5');
  });

  it('a lone string is kept exactly; only empty strings give ""; nothing gives undefined', () => {
    expect(parse({ ...BASE, message: '  spaced  ' }).message).toBe('  spaced  ');
    expect(parse({ ...BASE, error: 'x' }).message).toBe('x');
    expect(parse({ ...BASE, message: '' }).message).toBe('');
    expect(parse({ ...BASE, message: '', error: '' }).message).toBe('');
    expect(parse({ ...BASE, message: null }).message).toBeUndefined();
    expect(parse(BASE).message).toBeUndefined();
    expect(SYNC_EVENT_KEYS.message.at(-1)).toBe('errors');
  });
});

describe('reasons', () => {
  it('a missing required field says so and names where it was looked for', () => {
    expect(reason({ status: 'failure', startedAt: BASE.startedAt })).toBe('connectionId: missing (looked for connectionId, connection_id, connId, conn_id, connection.id, connection, connectionName, connection_name, connection.name)');
    expect(reason({ connectionId: 'c', status: 'failure' })).toBe('startedAt: missing (looked for startedAt, started_at, start, startTime, start_time, time, timestamp)');
    expect(reason({ connectionId: 'c', startedAt: BASE.startedAt })).toBe('status: missing (looked for status, state, result)');
  });

  it('a present but invalid value says what is wrong with it', () => {
    expect(reason({ ...BASE, connectionId: '' })).toMatch(/^connectionId: empty string/);
    expect(reason({ ...BASE, connectionId: { id: 'c' } })).toBe('connectionId: expected a string or a number, got object');
    expect(reason({ ...BASE, connectionId: true })).toBe('connectionId: expected a string or a number, got boolean');
    expect(reason({ ...BASE, startedAt: 'yesterday' })).toMatch(/^startedAt: not a timestamp.*\(ISO-8601 or epoch expected\)$/);
    expect(reason({ ...BASE, startedAt: '' })).toMatch(/^startedAt: empty string/);
    expect(reason({ ...BASE, startedAt: ['2026'] })).toBe('startedAt: expected an ISO-8601 or epoch time, got array');
    expect(reason([BASE])).toBe('expected object, got array');
    expect(reason(42)).toBe('expected object, got number');
  });
});

describe('times that do not exist', () => {
  it.each([
    '2026-02-29T00:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-05-12T24:00:00.000Z',
    '2026-05-12T09:60:00.000Z',
    '2026-05-12T09:00:60.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-05-00T00:00:00.000Z',
    '2026-02-29 10:00:00,118',
    '2026-04-31T10:00:00+02:00',
    '2026-02-30',
    '2026-05-12T24:00Z',
    '1900-02-29T00:00:00.000Z',
  ])('%s is not a time (no roll-over into another date)', (s) => {
    expect(parseTime(s)).toBeUndefined();
    expect(reason({ ...BASE, startedAt: s })).toMatch(/^startedAt: not a timestamp/);
  });

  it('real dates read as before', () => {
    expect(parseTime('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseTime('2000-02-29 00:00:00,5')).toBe(Date.UTC(2000, 1, 29, 0, 0, 0, 500));
    expect(parseTime('2026-04-30T22:00:00+02:00')).toBe(Date.UTC(2026, 3, 30, 20));
    expect(parseTime('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    // Date.UTC's reading of years 0-99 (1900-1999) is kept.
    expect(parseTime('0099-05-12T09:00:00.000Z')).toBe(Date.UTC(1999, 4, 12, 9));
  });

  it('a generated date-time is read as Date.parse reads it when its fields exist, and refused otherwise', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 2400 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('canonical', 'python', 'offset'),
        (y, mo, d, h, mi, s, ms, form) => {
          const date = `${y}-${two(mo)}-${two(d)}`;
          const time = `${two(h)}:${two(mi)}:${two(s)}`;
          const frac = String(ms).padStart(3, '0');
          const text = form === 'canonical' ? `${date}T${time}.${frac}Z` : form === 'python' ? `${date} ${time},${frac}` : `${date}T${time}.${frac}+01:30`;
          const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
          const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
          const real = mo >= 1 && mo <= 12 && d >= 1 && d <= days && h <= 23 && mi <= 59 && s <= 59;
          const iso = form === 'python' ? `${date}T${time}.${frac}Z` : text;
          expect(parseTime(text)).toBe(real ? Date.parse(iso) : undefined);
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });
});

describe('properties', () => {
  const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, maxDepth: 3 });
  const ALIASES = Object.values(SYNC_EVENT_KEYS).flat();
  /** Any of the keys the schema reads (and `connection`, and others), with any value. */
  const looseObject = fc.dictionary(fc.oneof(fc.constantFrom(...ALIASES, 'connection'), fc.string({ maxLength: 8 })), anything, { maxKeys: 12 });

  it('SyncEventSchema never throws', () => {
    fc.assert(
      fc.property(fc.oneof(anything, looseObject), (raw) => {
        expect(() => SyncEventSchema.safeParse(raw)).not.toThrow();
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('an event with a valid connection id, status word and start time is never rejected over its other fields', () => {
    const required = fc.record({
      connection: fc.tuple(fc.constantFrom(...SYNC_EVENT_KEYS.connectionId), fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.integer())),
      status: fc.tuple(
        fc.constantFrom(...SYNC_EVENT_KEYS.status),
        fc.oneof(
          fc.constantFrom('success', 'Succeeded', 'FAILED', 'completed with warnings', 'timed out', 'Cancelled', 'in-progress', 'queued', 'error'),
          fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''),
        ),
      ),
      startedAt: fc.tuple(
        fc.constantFrom(...SYNC_EVENT_KEYS.startedAt),
        fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()),
      ),
    });
    fc.assert(
      fc.property(looseObject, required, (others, { connection, status, startedAt }) => {
        const raw: Record<string, unknown> = { ...others };
        // The required fields' other spellings are left out: the value given is the one read.
        for (const k of [...SYNC_EVENT_KEYS.connectionId, ...SYNC_EVENT_KEYS.status, ...SYNC_EVENT_KEYS.startedAt]) delete raw[k];
        // Files given as a string are JSON text, which may not parse (tested on its own below).
        for (const k of SYNC_EVENT_KEYS.files) if (typeof raw[k] === 'string') delete raw[k];
        raw[connection[0]] = connection[1];
        raw[status[0]] = status[1];
        raw[startedAt[0]] = startedAt[1];
        const r = SyncEventSchema.safeParse(raw);
        expect(r.success ? undefined : r.error.issues).toBeUndefined();
        expect(r.data!.connectionId).toBe(String(connection[1]));
        expect(r.data!.status).toBe(syncStatusOf(status[1]) ?? 'warning');
        expect(r.data!.startedAt).toBe(startedAt[1]);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
