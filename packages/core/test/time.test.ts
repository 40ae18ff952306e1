import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRules, diagnose, formatDuration, normalizeTime, parseDuration, parseTime, toIso, utcMillis } from '../src/internal.js';

describe('normalizeTime', () => {
  it.each([
    ['ISO with Z', '2026-05-12T14:03:22.118Z', '2026-05-12T14:03:22.118Z'],
    ['ISO with offset', '2026-05-12T16:03:22+02:00', '2026-05-12T14:03:22.000Z'],
    ['Python logging', '2026-05-12 14:03:22,118', '2026-05-12T14:03:22.118Z'],
    ['CRI nanoseconds', '2026-05-12T14:03:22.118234567Z', '2026-05-12T14:03:22.118Z'],
    ['epoch milliseconds', 1778594602118, '2026-05-12T14:03:22.118Z'],
    ['epoch seconds as float', 1778594602.118, '2026-05-12T14:03:22.118Z'],
    ['epoch nanoseconds string', '1778594602118234567', '2026-05-12T14:03:22.118Z'],
    ['not a time', 'yesterday', undefined],
  ])('%s', (_name, input, expected) => {
    expect(normalizeTime(input)).toBe(expected);
  });
});

describe('durations', () => {
  it.each([
    ['90m', 5_400_000],
    ['6h', 21_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['6 hours', undefined],
    ['0m', undefined],
  ])('parseDuration(%s)', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [45_000, '45s'],
    [5_400_000, '1h 30m'],
    [219_600_000, '2d 13h'],
  ])('formatDuration(%d)', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('normalizeTime fast paths', () => {
  // A leading blank takes parseTime's general path (trim, then the regex): the reference.
  const general = (v: string) => toIso(parseTime(` ${v}`));
  it('answers the canonical and the Python logging forms as the general path does', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(-1e14), max: new Date(3e14), noInvalidDate: true }), fc.constantFrom(' ', 'T', 'x'), fc.constantFrom(',', '.', ';'), (d, sep, frac) => {
        const iso = d.toISOString();
        const py = `${iso.slice(0, 10)}${sep}${iso.slice(11, 19)}${frac}${iso.slice(20, 23)}`;
        expect([normalizeTime(iso), normalizeTime(py), parseTime(py)]).toEqual([general(iso), general(py), parseTime(` ${py}`)]);
      }),
      { numRuns: 5000 },
    );
  });
  it('refuses what the general path refuses (days that do not exist, years 0-99 mapped by Date.UTC, stray characters)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 23, maxLength: 24, unit: fc.constantFrom(...'0123456789-:T ,.Z') }), (s) => {
        expect([normalizeTime(s), parseTime(s)]).toEqual([general(s), parseTime(` ${s}`)]);
      }),
      { numRuns: 5000 },
    );
    for (const s of ['2026-02-29 00:00:00,000', '0099-01-01 00:00:00,000', '0050-05-12T14:03:22.118Z', '2026-05-12 24:00:00,000', '2026-05-12 14:03:22,118'])
      expect([normalizeTime(s), parseTime(s)]).toEqual([general(s), parseTime(` ${s}`)]);
  });
});

describe('utcMillis', () => {
  // It keeps the first day of the month it computed last: times of one month in a row, then another.
  it('gives what Date.UTC gives, whatever month it was asked before', () => {
    fc.assert(
      fc.property(fc.array(fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date(3e14), noInvalidDate: true }), { minLength: 1, maxLength: 8 }), (dates) => {
        for (const d of dates) {
          const args = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()] as const;
          expect(utcMillis(...args)).toBe(d.getTime());
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('strict bounds', () => {
  it.each([
    ['an offset of +14:00 (Kiribati)', '2026-05-12T10:00:00+14:00', Date.UTC(2026, 4, 11, 20)],
    ['an offset of -12:00', '2026-05-12T10:00:00-12:00', Date.UTC(2026, 4, 12, 22)],
    ['an offset past +14:00', '2026-05-12T10:00:00+14:01', undefined],
    ['an offset of -15:00', '2026-05-12T10:00:00-15:00', undefined],
    ['an offset of +23:59', '2026-05-12T10:00:00+23:59', undefined],
    ['a Python logging offset past ±14', '2026-05-12 10:00:00,123 +1500', undefined],
    ['minutes of an offset past 59', '2026-05-12T10:00:00+01:60', undefined],
    ['year 9999', '9999-12-31T23:59:59Z', Date.UTC(9999, 11, 31, 23, 59, 59)],
    ['an expanded year past 9999', '+010000-01-01T00:00:00Z', undefined],
    ['a negative expanded year', '-000001-01-01T00:00:00Z', undefined],
  ])('%s', (_name, text, ms) => {
    expect(parseTime(text)).toBe(ms);
  });

  it('an event time past the bounds is refused with its field named', () => {
    const r = diagnose(compileRules([]), { events: [{ id: '1', connectionId: 'c-1', direction: 'sending', status: 'failure', startedAt: '2026-05-12T10:00:00+15:00' }] }, { now: Date.parse('2026-05-12T12:00:00Z') });
    expect(r.stats.problems.map((p) => [p.code, p.message.split(':')[0]])).toEqual([['EVENT_INVALID', 'startedAt']]);
  });
});
