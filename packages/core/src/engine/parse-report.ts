import { ScsDoctorError } from '../errors.js';
import { createRedactor } from '../redact.js';
import { ReportSchema, type Report } from '../schema/report.js';

/**
 * Validates a report read from JSON (for merge); throws REPORT_INVALID with the first problem.
 *
 * @example
 * ```ts
 * const report = parseReport(JSON.parse(readFileSync('report.json', 'utf8')), 'report.json');
 * ```
 */
export function parseReport(data: unknown, file?: string): Report {
  const r = ReportSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    // zod's message can quote the value it refused: it goes through the redactor like any text.
    throw new ScsDoctorError('REPORT_INVALID', `not an scs-doctor report: ${issue.path.join('.') || '(root)'}: ${createRedactor()(issue.message)}`, { file });
  }
  return r.data;
}
