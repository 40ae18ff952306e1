import { describe, expect, it } from 'vitest';
import { formatDuration, normalizeTime, parseDuration } from '../src/index.js';

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
