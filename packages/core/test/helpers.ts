import type { LogRecord, Rule, RuleInput } from '../src/internal.js';
import { RuleSchema } from '../src/internal.js';

/** A valid rule with overrides; the defaults describe a made-up signature. */
export function rule(over: Partial<RuleInput> & { id: string }): Rule {
  return RuleSchema.parse({
    title: `Rule ${over.id}`,
    severity: 'error',
    side: 'either',
    category: 'test',
    references: ['Debugging Secure Connections › Test'],
    summary: `Summary of ${over.id}`,
    cause: 'Cause.',
    impact: 'Impact.',
    remediation: ['Do the thing.'],
    ...over,
  });
}

let line = 0;
export function log(message: string, over: Partial<LogRecord> = {}): LogRecord {
  line++;
  return { kind: 'log', message, fields: {}, format: 'python', source: { file: 'test.log', line, endLine: line }, ...over };
}
