import { z } from 'zod';
import { RuleSchema } from '../schema/rule.js';

/** Where the package ships the schema (`@scs-doctor/core/rule.schema.json`), written by scripts/write-rule-schema.ts. */
export const RULE_SCHEMA_FILE = 'rule.schema.json';

/** Rewrites `type: [a, b]` as `anyOf`, which Ajv's strict mode takes without allowUnionTypes. */
function plainTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plainTypes);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = plainTypes(v);
  if (Array.isArray(out['type'])) {
    const types = out['type'] as string[];
    delete out['type'];
    const anyOf = types.map((t) => ({ type: t }));
    if (out['anyOf']) out['allOf'] = [{ anyOf: out['anyOf'] }, { anyOf }];
    else out['anyOf'] = anyOf;
  }
  return out;
}

/**
 * The JSON Schema of rule files, generated from the zod schema the loader uses, in draft-07: the
 * draft Ajv takes by default and the YAML language server reads from a
 * `# yaml-language-server: $schema=…` comment.
 *
 * @example
 * ```ts
 * writeFileSync('rule.schema.json', JSON.stringify(ruleJsonSchema(), null, 2));
 * ```
 */
export function ruleJsonSchema(): Record<string, unknown> {
  const schema = plainTypes(z.toJSONSchema(RuleSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' })) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, title: 'scs-doctor rule', ...rest };
}
