/**
 * The fast path of the line reader for plain log text: a line the prefilter does not hit, that
 * starts with a log line's date and time (`2026-05-12 14:03:22`, Python logging's layout) and is
 * followed by another such line, is a record of one line that no rule can match. The reader
 * counts it (one line, one unmatched record) without slicing it out, looking for an envelope or
 * building a record; every other line takes the full path.
 *
 * Why that is exact: a line of this shape (a space, not a `T`, after the date) is no container,
 * journald, kubectl or collector envelope, not JSON and not blank, and it starts a record
 * (`looksLikeHeader`), so it closes the record before it; the next line starts one too, so it
 * closes this one with nothing added. test/fastscan.test.ts holds the reports of both paths equal
 * on every fixture, example and generated corpus.
 */

let enabled = true;

/**
 * Turns the fast path off or on (the full path is the reference the tests compare it with).
 *
 * @example
 * ```ts
 * setFastScan(false); // every line through the full path, to compare a report with the default one
 * ```
 */
export function setFastScan(on: boolean): void {
  enabled = on;
}

export function fastScanEnabled(): boolean {
  return enabled;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Whether `s` at `i` starts with `dddd-dd-dd dd:dd` (a date, a space, hours and minutes). */
export function plainHeaderAt(s: string, i: number): boolean {
  return (
    s.charCodeAt(i + 10) === 32 &&
    s.charCodeAt(i + 4) === 45 &&
    s.charCodeAt(i + 7) === 45 &&
    s.charCodeAt(i + 13) === 58 &&
    isDigit(s.charCodeAt(i)) &&
    isDigit(s.charCodeAt(i + 1)) &&
    isDigit(s.charCodeAt(i + 2)) &&
    isDigit(s.charCodeAt(i + 3)) &&
    isDigit(s.charCodeAt(i + 5)) &&
    isDigit(s.charCodeAt(i + 6)) &&
    isDigit(s.charCodeAt(i + 8)) &&
    isDigit(s.charCodeAt(i + 9)) &&
    isDigit(s.charCodeAt(i + 11)) &&
    isDigit(s.charCodeAt(i + 12))
  );
}
