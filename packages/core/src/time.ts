/**
 * Timestamp and duration handling. Every time that leaves scs-doctor is ISO-8601 UTC.
 */
import { ScsDoctorError } from './errors.js';

const PY_LOGGING = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[,.](\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?$/;

/**
 * Parses the timestamps SCS and its log shippers write: ISO-8601 (any fraction length, with or
 * without zone), Python logging's `2026-05-12 14:03:22,118`, epoch seconds / milliseconds /
 * nanoseconds as numbers or numeric strings. Times without a zone are taken as UTC.
 * Returns epoch milliseconds, or undefined when the value is not a time.
 */
export function parseTime(value: unknown): number | undefined {
  const ms = parseAnyTime(value);
  // Four-digit years only (what ISO-8601 without an agreement, and every producer, writes).
  return ms !== undefined && ms >= MIN_MS && ms <= MAX_MS ? ms : undefined;
}

const MIN_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
/** Zone offsets run from -12:00 to +14:00; anything past ±14:00 (or minutes past 59) is not a zone. */
const MAX_OFFSET_MINUTES = 14 * 60;
const TRAILING_OFFSET = /\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*[+-](\d\d):?(\d\d)$/;

function offsetOk(hours: number, minutes: number): boolean {
  return minutes < 60 && hours * 60 + minutes <= MAX_OFFSET_MINUTES;
}

function parseAnyTime(value: unknown): number | undefined {
  if (typeof value === 'string' && value.length === 24) {
    // The canonical form (toISOString, and every sync event): the same Date.UTC call as below,
    // without the regex (sync histories hold millions of these).
    const ms = canonicalIso(value);
    if (ms !== undefined) return ms;
  } else if (typeof value === 'string' && value.length === 23) {
    // Python logging's form, as every text log line's header has it: the regex below, without it.
    const ms = pythonTime(value);
    if (ms !== undefined) return ms;
  }
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return fromEpochNumber(value);
  // What database drivers hand over for a timestamp column.
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(s)) return fromEpochNumber(Number(s));
  const m = PY_LOGGING.exec(s);
  if (m) {
    if (!realFields(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, true)) return undefined;
    const frac = (m[7] ?? '0').padEnd(3, '0').slice(0, 3);
    let ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +frac);
    const zone = m[8];
    if (zone && zone !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      if (!offsetOk(Number(digits.slice(0, 2)), Number(digits.slice(2, 4)))) return undefined;
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    return Number.isFinite(ms) ? ms : undefined;
  }
  // Date.parse carries a day past the month's end into the next month (`2026-02-30`, and `T24:00`
  // into the next day): an ISO-8601 date or date-time it would read so is not a time.
  const iso = ISO_PREFIX.exec(s);
  if (iso && !realFields(+iso[1]!, +iso[2]!, +iso[3]!, +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0), false)) return undefined;
  const off = TRAILING_OFFSET.exec(s);
  if (off && !offsetOk(+off[1]!, +off[2]!)) return undefined;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The date and time fields of an ISO-8601 date, or date-time, at the start of a string. */
const ISO_PREFIX = /^([+-]\d{6}|\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when the fields name a date and time that exist: Date.UTC and Date.parse carry 2026-02-29
 * into March, April 31 into May and 24:00 into the next day, which would move an event. With
 * `utcYears`, years 0-99 are Date.UTC's 1900-1999 (that is the year whose calendar applies).
 */
function realFields(year: number, month: number, day: number, hour: number, minute: number, second: number, utcYears: boolean): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  if (day <= 28) return true;
  if (month !== 2) return day <= DAYS_IN_MONTH[month - 1]!;
  const y = utcYears && year >= 0 && year < 100 ? year + 1900 : year;
  return day <= (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28);
}

/** The digit at `i` of `s`, or a value that makes any sum of digits negative. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
}

/**
 * The fields of `YYYY-MM-DD?HH:MM:SS?mmm` at their fixed places (the separators checked by the
 * caller) as epoch milliseconds, or undefined for a non-digit or a date or time that does not
 * exist (left to the general path, which refuses it). Years below `minYear` are left to it too.
 */
function fixedFields(s: string, minYear: number): number | undefined {
  const year = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3);
  const month = digitAt(s, 5) * 10 + digitAt(s, 6);
  const day = digitAt(s, 8) * 10 + digitAt(s, 9);
  const hour = digitAt(s, 11) * 10 + digitAt(s, 12);
  const minute = digitAt(s, 14) * 10 + digitAt(s, 15);
  const second = digitAt(s, 17) * 10 + digitAt(s, 18);
  const milli = digitAt(s, 20) * 100 + digitAt(s, 21) * 10 + digitAt(s, 22);
  // A non-digit makes its field negative (no field of nine or fewer digits reaches 100,000).
  if (year < minYear || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || milli < 0) return undefined;
  if (!realFields(year, month, day, hour, minute, second, true)) return undefined;
  // Date.UTC's arithmetic (MakeDay, MakeTime) for the common case; it alone maps years 0-99, so
  // those take it.
  if (year < 100) {
    const ms = Date.UTC(year, month - 1, day, hour, minute, second, milli);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return utcMillis(year, month, day, hour, minute, second, milli);
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` to epoch milliseconds, or undefined for any other string. */
function canonicalIso(s: string): number | undefined {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return undefined;
  return fixedFields(s, 0);
}

/**
 * True when the fields (proleptic Gregorian, month 1-12) name a date and time that exist. For a
 * reader that has the fields already (from bytes) and must agree with parseTime.
 */
export function isRealDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return realFields(year, month, day, hour, minute, second, false);
}

/**
 * Epoch milliseconds of real UTC fields (month 1-12, year 100 on), as Date.UTC gives them and
 * parseTime returns them, without a call into the runtime.
 */
export function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, milli: number): number {
  // Times read one after the other are mostly of one month: its first day is kept.
  if (year !== lastYear || month !== lastMonth) {
    lastDays = daysFromCivil(year, month);
    lastYear = year;
    lastMonth = month;
  }
  return (lastDays + day - 1) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}
let lastYear = Number.NaN;
let lastMonth = Number.NaN;
let lastDays = 0;

/** Days from 1970-01-01 to the first of a month (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function fromEpochNumber(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n < 1e11) return Math.round(n * 1000); // seconds (until year 5138)
  if (n < 1e14) return Math.round(n); // milliseconds
  if (n < 1e17) return Math.round(n / 1000); // microseconds
  return Math.round(n / 1e6); // nanoseconds
}

export function toIso(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Python logging's `2026-05-12 14:03:22,118` (also with `T` or `.`; no zone: UTC) to epoch
 * milliseconds, as the general path reads it, for real dates from year 1000 on; else undefined.
 */
function pythonTime(value: string): number | undefined {
  const c10 = value.charCodeAt(10);
  const c19 = value.charCodeAt(19);
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || (c10 !== 32 && c10 !== 84) || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || (c19 !== 44 && c19 !== 46)) return undefined;
  return fixedFields(value, 1000);
}

/** Normalizes any accepted time to ISO-8601 UTC, or undefined. */
export function normalizeTime(value: unknown): string | undefined {
  if (typeof value === 'string') {
    // The two forms nearly every record has, answered without a Date: the canonical form is its
    // own normal form, and Python logging's `2026-05-12 14:03:22,118` (no zone: UTC) is a
    // rearrangement of it. Both only for real dates from year 1000 on (Date.UTC maps 0-99 apart).
    if (value.length === 24 && canonicalIso(value) !== undefined && digitAt(value, 0) > 0) return value;
    if (value.length === 23 && pythonTime(value) !== undefined) return `${value.slice(0, 10)}T${value.slice(11, 19)}.${value.slice(20, 23)}Z`;
  }
  return toIso(parseTime(value));
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a duration such as `90m`, `6h`, `2d`, `1h30m` or `500ms` into milliseconds.
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:ms|[smhdw]))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|[smhdw])/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total > 0 ? total : undefined;
}

/** Renders a duration the way a person says it: `3d 4h`, `2h 5m`, `45s`. */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(abs / 86400);
  const h = Math.floor((abs % 86400) / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

/**
 * The time connections are judged at: the current time when not given; a value that is not a
 * time (`'yesterday'`, NaN, an invalid Date) is an OPTION_INVALID error, never the current time.
 */
export function nowOption(now: unknown): number {
  if (now === undefined) return Date.now();
  const ms = parseTime(now);
  if (ms !== undefined) return ms;
  const shown = now instanceof Date ? 'an invalid Date' : typeof now === 'string' ? JSON.stringify(now.length > 64 ? now.slice(0, 64) + '…' : now) : typeof now === 'number' ? String(now) : now === null ? 'null' : `a ${typeof now}`;
  throw new ScsDoctorError('OPTION_INVALID', `now: ${shown} is not a time (ISO-8601 with a zone, epoch milliseconds or a valid Date)`);
}
