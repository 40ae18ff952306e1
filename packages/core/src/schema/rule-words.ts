/** The words of rules that need no schema, kept apart from rule.ts (which re-exports them) so that compiling a pack does not load zod. */
export const OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const;

export const RECORD_KINDS = ['log', 'event', 'probe', 'connection', 'file'] as const;
/** Kinds that have no text: a rule's signature does not apply to them, only its conditions. */
export const TEXTLESS_KINDS: ReadonlySet<string> = new Set(['connection', 'file']);
