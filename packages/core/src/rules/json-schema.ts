import { z } from 'zod';
import { RuleSchema } from '../schema/rule.js';

/** The JSON Schema of rule files, for editors; generated from the zod schema the loader uses. */
export function ruleJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RuleSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'scs-doctor rule' };
}
