/**
 * A per-match backtracking budget for rule patterns. V8 can switch a regex that backtracks more
 * than a set number of times to its linear-time engine; rule patterns keep to what that engine
 * supports (no lookaround, no backreferences, flags s and m only — checked at load), so one bad
 * pattern costs linear time instead of stalling the scan. The flags change no match result.
 */
import v8 from 'node:v8';

let applied = 0;

/**
 * Turns the budget on for this process (idempotent). `backtracks` is the fallback threshold.
 *
 * @example
 * ```ts
 * enableRegexBudget(); // before compiling rule packs from untrusted directories
 * ```
 */
export function enableRegexBudget(backtracks = 50_000): void {
  if (applied === backtracks) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  v8.setFlagsFromString(`--regexp-backtracks-before-fallback=${backtracks}`);
  applied = backtracks;
}
