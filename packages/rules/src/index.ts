import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the built-in rule pack (`packages/rules/rules`), one YAML file per rule.
 * Resolved from this module, which sits one level below the package root in `src/` and `dist/` alike.
 */
export const rulesDir: string = fileURLToPath(new URL('../rules', import.meta.url));

/** The ids of the built-in rules; they are fixed, since users and tools depend on them. */
export const BUILTIN_RULE_IDS = [
  'shared-secret-invalid-token',
  'bucket-not-configured',
  'file-exceeds-copy-ceiling',
  'manifest-key-missing',
  'no-manifest-received',
  'control-tags-uncovered',
  'infosec-level-exceeds-max',
  'sync-stale',
  'master-secret-mismatch',
  'bucket-unreachable',
  'inbox-manifest-missing',
] as const;

/** The id of a built-in rule. */
export type BuiltinRuleId = (typeof BUILTIN_RULE_IDS)[number];
