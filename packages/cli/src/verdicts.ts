import type { PatternVerdict } from '@scs-doctor/core/internal';

/**
 * The pattern safety check's verdicts on the built-in rules' patterns, as [pattern, flags,
 * verdict]. Empty here: scripts/bundle.mjs fills it in when it bundles the command (computed by the
 * same build's check), so that a diagnosis does not check the same patterns at every start. Without
 * the bundle every pattern is checked at load, as it is for patterns not in this table.
 */
export const BUILT_IN_VERDICTS: readonly (readonly [pattern: string, flags: string, verdict: PatternVerdict])[] = [];
