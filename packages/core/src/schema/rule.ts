import { z } from 'zod';

export const OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;

const FactRef = z.strictObject({ fact: z.string().min(1), path: z.string().optional() });

export type ConditionNode =
  | { all: ConditionNode[] }
  | { any: ConditionNode[] }
  | { not: ConditionNode }
  | { fact: string; operator: (typeof OPERATORS)[number]; value: unknown; path?: string | undefined };

export const ConditionSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema) }),
    z.strictObject({ any: z.array(ConditionSchema) }),
    z.strictObject({ not: ConditionSchema }),
    z.strictObject({
      fact: z.string().min(1),
      operator: z.enum(OPERATORS),
      value: z.union([FactRef, z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()]))]),
      path: z.string().optional(),
    }),
  ]),
);

export const TopConditionSchema = z.union([
  z.strictObject({ all: z.array(ConditionSchema) }),
  z.strictObject({ any: z.array(ConditionSchema) }),
  z.strictObject({ not: ConditionSchema }),
]);

export const RECORD_KINDS = ['log', 'event', 'probe', 'connection'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter name is letters, digits and _');

export const ParamSpecSchema = z.strictObject({
  type: z.enum(['string', 'integer', 'number', 'list']).default('string').describe('How the captured text is converted.'),
  separator: z.string().min(1).optional().describe('For type list: the separator between items (default: comma).'),
  description: z.string().optional(),
});
export type ParamSpec = z.infer<typeof ParamSpecSchema>;

/** The file format of one rule: `packages/rules/rules/<area>/<id>.yaml`. */
export const RuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an id is lower-case words joined by -').describe('Fixed id; equals the file name.'),
    title: z.string().min(1),
    severity: z.enum(['critical', 'error', 'warning', 'info']),
    side: z.enum(['sending', 'receiving', 'either', 'deployment']),
    category: z.string().min(1),
    references: z.array(z.string().min(1)).min(1).describe('The sections of the debugging guide this rule encodes.'),
    appliesTo: z.array(z.enum(RECORD_KINDS)).min(1).default(['log', 'event']).describe('Which records the rule reads.'),
    signature: z
      .strictObject({
        anchors: z
          .array(z.string().min(3).refine((s) => !/[\r\n]/.test(s), 'an anchor is one line'))
          .default([])
          .describe('Literal, case-sensitive strings that must all occur in the message.'),
        pattern: z.string().min(1).optional().describe('A regular expression; named groups become parameters.'),
        // Only flags V8's linear-time engine supports, so the backtracking budget applies to every rule.
        flags: z.string().regex(/^[sm]*$/, 'allowed flags: s, m (write [Aa] for case; i and u would escape the backtracking budget)').optional(),
      })
      .optional(),
    params: z.record(paramName, ParamSpecSchema).default({}),
    conditions: TopConditionSchema.optional().describe('json-rules-engine conditions over the record facts.'),
    summary: z.string().min(1).describe('One sentence; {{param}} placeholders are filled from the parameters.'),
    cause: z.string().min(1),
    impact: z.string().min(1),
    remediation: z.array(z.string().min(1)).min(1),
    groupBy: z.array(paramName).default([]),
  })
  .describe('An scs-doctor rule');

export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

/** A rule together with where it came from. */
export interface LoadedRule {
  rule: Rule;
  file?: string | undefined;
}
