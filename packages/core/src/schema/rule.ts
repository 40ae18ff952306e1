import { z } from 'zod';
import { OPERATORS, RECORD_KINDS } from './rule-words.js';

/** Any JSON value (a condition's `value`, a fact's `params`). */
const Json: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]));
const Params = z.record(z.string(), Json).describe("Parameters handed to a host fact, as json-rules-engine's `params`.");
const Priority = z.number().int().min(1).optional().describe('json-rules-engine priority: within an all/any, higher sets are evaluated first and a set that decides ends the evaluation.');
const NodeName = z.string().optional().describe('A name for the condition (kept by json-rules-engine in its results).');

const FactRef = z.strictObject({ fact: z.string().min(1), path: z.string().optional(), params: Params.optional() });

/** Fields json-rules-engine reads on every kind of condition. */
interface ConditionMeta {
  priority?: number | undefined;
  name?: string | undefined;
}

export type ConditionNode =
  | ({ all: ConditionNode[] } & ConditionMeta)
  | ({ any: ConditionNode[] } & ConditionMeta)
  | ({ not: ConditionNode } & ConditionMeta)
  | ({ condition: string } & ConditionMeta)
  | ({ fact: string; operator: string; value: unknown; path?: string | undefined; params?: Record<string, unknown> | undefined } & ConditionMeta);

const booleanNodes = (inner: z.ZodType<ConditionNode>) =>
  [
    z.strictObject({ all: z.array(inner), priority: Priority, name: NodeName }),
    z.strictObject({ any: z.array(inner), priority: Priority, name: NodeName }),
    z.strictObject({ not: inner, priority: Priority, name: NodeName }),
    z.strictObject({ condition: z.string().min(1), priority: Priority, name: NodeName }).describe('A reference to a named condition the host application registers (json-rules-engine setCondition).'),
  ] as const;

export const ConditionSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    ...booleanNodes(ConditionSchema),
    z.strictObject({
      fact: z.string().min(1),
      operator: z
        .string()
        .regex(/^(?:[A-Za-z][A-Za-z0-9_]*:)*[A-Za-z][A-Za-z0-9_]*$/, 'an operator name is letters, digits and _, after decorators such as someFact: or not:')
        .describe(`One of json-rules-engine's default operators (${OPERATORS.join(', ')}), one the host application registers, either behind json-rules-engine's decorators (someFact:, someValue:, everyFact:, everyValue:, swap:, not:).`),
      value: z.union([FactRef, Json]).describe('The value compared with; an object with a `fact` is read as that fact.'),
      path: z.string().optional(),
      params: Params.optional(),
      priority: Priority,
      name: NodeName,
    }),
  ]),
);

export const TopConditionSchema = z.union(booleanNodes(ConditionSchema));

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
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an id is lower-case words joined by -')
      .describe('Fixed id; equals the file name.'),
    title: z.string().min(1),
    severity: z.enum(['critical', 'error', 'warning', 'info']),
    side: z.enum(['sending', 'receiving', 'either', 'deployment']),
    category: z.string().min(1),
    references: z.array(z.string().min(1)).min(1).describe('The sections of the debugging guide this rule encodes.'),
    appliesTo: z.array(z.enum(RECORD_KINDS)).min(1).default(['log', 'event']).describe('Which records the rule reads.'),
    signature: z
      .strictObject({
        anchors: z
          .array(
            z
              .string()
              .min(3)
              .refine((s) => !/[\r\n]/.test(s), 'an anchor is one line'),
          )
          .default([])
          .describe('Literal, case-sensitive strings that must all occur in the message.'),
        pattern: z.string().min(1).optional().describe('A regular expression; named groups become parameters.'),
        exception: z
          .string()
          .regex(/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/, 'an exception type is a name such as InvalidToken or cryptography.fernet.InvalidToken')
          .optional()
          .describe("An exception type that must be in the record's exception chain (bare or qualified), or be named by the message itself (`: InvalidToken`, `InvalidToken()`, `(NoSuchKey)`), beside the anchors."),
        // Only flags V8's linear-time engine supports, so the backtracking budget applies to every rule.
        flags: z
          .string()
          .regex(/^[sm]*$/, 'allowed flags: s, m (write [Aa] for case; i and u would escape the backtracking budget)')
          .optional(),
        engine: z
          .enum(['backtracking', 'linear'])
          .optional()
          .describe('backtracking (default): V8, for patterns the safety check proves cannot backtrack catastrophically. linear: RE2 (re2js), linear time whatever the pattern; no lookaround or backreferences.'),
      })
      .optional(),
    params: z.record(paramName, ParamSpecSchema).default({}),
    conditions: TopConditionSchema.optional().describe('json-rules-engine conditions over the record facts.'),
    summary: z.string().min(1).describe('One sentence; {{param}} placeholders are filled from the parameters.'),
    cause: z.string().min(1),
    impact: z.string().min(1),
    remediation: z.array(z.string().min(1)).min(1),
    groupBy: z.array(paramName).default([]),
    files: z
      .strictObject({ conditions: TopConditionSchema.describe('json-rules-engine conditions over the facts of one file of a sync event (outcome, sizeBytes, resourceId, revisionId, …).') })
      .optional()
      .describe('The rule also reads the files of sync events (record kind `file`, made for every file that was not transferred), with these conditions instead of the signature.'),
    explains: z
      .array(z.string().min(1))
      .default([])
      .describe('Rule ids whose diagnoses this one causes: when both are in one report and agree on every parameter both group by (a deployment check behind a log diagnosis), each names the other in `related`.'),
    resolution: z
      .enum(['success', 'never'])
      .default('success')
      .describe('success: a successful sync of the connection after the last occurrence resolves the diagnosis; never: it stays active (a file over a size cap stays excluded however the connection syncs).'),
    peer: z
      .array(
        z.strictObject({
          if: z
            .strictObject({
              state: z
                .array(z.enum(['healthy', 'failing', 'stale', 'unknown']))
                .min(1)
                .optional()
                .describe("A peer connection's state is one of these."),
              diagnoses: z.array(z.string().min(1)).min(1).optional().describe('A peer connection has an active diagnosis of one of these rules.'),
            })
            .refine((c) => c.state !== undefined || c.diagnoses !== undefined, 'give state or diagnoses'),
          note: z.string().min(1).describe('What the peer proves; placeholders: {{peerName}}, {{peerId}}, {{peerSide}}, {{peerState}}, {{peerLastSuccess}}, {{peerDiagnoses}} and the parameters.'),
          skip: z.array(z.number().int().positive()).default([]).describe('Remediation steps (1-based) that the peer data makes unnecessary.'),
          steps: z.array(z.string().min(1)).default([]).describe('Steps put before the remaining ones.'),
        }),
      )
      .default([])
      .describe('How the diagnosis reads when the other side of the Shared ID is in the inputs; the first entry whose `if` holds applies.'),
  })
  .describe('An scs-doctor rule');

export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

/** A rule together with where it came from. */
export interface LoadedRule {
  rule: Rule;
  file?: string | undefined;
}
