import { z } from 'zod';
import { ReportSchema } from './report.js';
import { SCHEMA_VERSION } from './version.js';

/**
 * The JSON Schema of the report (`--format json`), generated from the zod schema that validates it.
 *
 * @example
 * ```ts
 * import { reportJsonSchema } from '@scs-doctor/core';
 * const schema = reportJsonSchema();
 * console.log(schema['$id']); // urn:scs-doctor:report:2
 * ```
 */
export function reportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ReportSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema['$schema'],
    $id: `urn:scs-doctor:report:${SCHEMA_VERSION}`,
    title: 'scs-doctor report',
    description: `The report written by \`scs-doctor diagnose --format json\`, schemaVersion ${SCHEMA_VERSION}.`,
    ...schema,
  };
}
