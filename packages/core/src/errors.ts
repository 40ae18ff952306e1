import { visible, visibleLine } from './escape.js';
/** Stable error codes. Tools and tests depend on these strings; never rename one. */
export type ErrorCode =
  | 'RULE_INVALID'
  | 'RULE_YAML'
  | 'RULE_DUPLICATE_ID'
  | 'RULE_ID_MISMATCH'
  | 'RULE_REGEX'
  | 'RULE_REGEX_UNSAFE'
  | 'RULE_PLACEHOLDER'
  | 'RULE_CONDITION'
  | 'RULE_FIXTURE_MISSING'
  | 'RULE_FIXTURE_FAILS'
  | 'RULE_ID_CLASH'
  | 'RULE_UNWRITTEN'
  | 'RULES_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'INPUT_ENCRYPTED'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_CORRUPT'
  | 'INPUT_TOO_LARGE'
  | 'EVENT_INVALID'
  | 'EVENT_IN_FUTURE'
  | 'NOW_BEFORE_EVENTS'
  | 'CONNECTIONS_OVER_LIMIT'
  | 'RECORD_INVALID'
  | 'EVENTS_UNREADABLE'
  | 'REPORT_INVALID'
  | 'USAGE'
  | 'OPTION_INVALID'
  | 'PROBE_FAILED';

/**
 * Problem codes that mean an input as a whole (or its rest) could not be read: a report with one
 * of them covers only part of what it was given, and every format says so at its top.
 */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>(['INPUT_UNREADABLE', 'INPUT_NOT_FOUND', 'INPUT_CORRUPT', 'INPUT_TOO_LARGE', 'EVENTS_UNREADABLE']);

/** Where a problem sits: a file and, when known, a 1-based line and column. */
export interface Place {
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

export function formatPlace(place: Place): string {
  if (!place.file) return '';
  let s = place.file;
  if (place.line !== undefined) {
    s += `:${place.line}`;
    if (place.column !== undefined) s += `:${place.column}`;
  }
  return s;
}

/**
 * A failure with a stable `code` and, for files, a place. Findings are never errors.
 *
 * @example
 * ```ts
 * throw new ScsDoctorError('INPUT_NOT_FOUND', 'no such file', { file: 'scs.log' });
 * ```
 */
export class ScsDoctorError extends Error {
  readonly code: ErrorCode;
  readonly place: Place;
  readonly problems: readonly Problem[];

  constructor(code: ErrorCode, message: string, place: Place = {}, problems: readonly Problem[] = []) {
    super(message);
    this.name = 'ScsDoctorError';
    this.code = code;
    this.place = place;
    this.problems = problems;
  }

  /** One line: `file:line:col CODE message`. */
  override toString(): string {
    const where = formatPlace(this.place);
    return `${where ? where + ' ' : ''}${this.code} ${this.message}`;
  }
}

/** One problem found while loading or linting; many can be collected before failing. */
export interface Problem extends Place {
  code: ErrorCode;
  message: string;
  severity?: 'error' | 'warning';
}

/**
 * One line for a problem, as the command line prints it: `file:line:col CODE message`, control characters made visible.
 *
 * @example
 * ```ts
 * for (const p of report.stats.problems) console.error(formatProblem(p));
 * ```
 */
export function formatProblem(p: Problem): string {
  const where = visibleLine(formatPlace(p));
  return `${where ? where + ' ' : ''}${p.severity === 'warning' ? 'warning ' : ''}${p.code} ${visible(p.message)}`;
}

/**
 * Whether a thrown value is an ScsDoctorError (it carries a stable `code` and a place).
 *
 * @example
 * ```ts
 * try { await loadRulePack(['rules/']); } catch (e) { if (isScsDoctorError(e)) console.error(e.code); }
 * ```
 */
export function isScsDoctorError(e: unknown): e is ScsDoctorError {
  return e instanceof ScsDoctorError;
}
