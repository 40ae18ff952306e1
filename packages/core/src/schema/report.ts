import { z } from 'zod';

export const SCHEMA_VERSION = 1;

export const ParamValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type ParamValue = z.infer<typeof ParamValueSchema>;

export const EvidenceSchema = z.object({
  source: z.enum(['log', 'event', 'probe', 'connection']),
  file: z.string().optional(),
  line: z.number().int().optional(),
  endLine: z.number().int().optional(),
  time: z.string().optional(),
  excerpt: z.string(),
  eventId: z.string().optional(),
  connectionId: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ConnectionRefSchema = z.object({ id: z.string(), name: z.string().optional() });

export const DiagnosisSchema = z.object({
  key: z.string().describe('Stable identity of this diagnosis: rule, side and group parameters.'),
  ruleId: z.string(),
  title: z.string(),
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  side: z.enum(['sending', 'receiving', 'deployment', 'unknown']),
  category: z.string(),
  summary: z.string(),
  cause: z.string(),
  impact: z.string(),
  remediation: z.array(z.string()),
  references: z.array(z.string()),
  count: z.number().int().nonnegative(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  params: z.record(z.string(), ParamValueSchema),
  connections: z.array(ConnectionRefSchema),
  sharedIds: z.array(z.string()),
  evidence: z.array(EvidenceSchema),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

export const UnmatchedSchema = z.object({
  template: z.string().describe('The message with ids, numbers and times replaced by placeholders.'),
  count: z.number().int().nonnegative(),
  level: z.string().optional(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  sample: EvidenceSchema,
});
export type Unmatched = z.infer<typeof UnmatchedSchema>;

const Counts = z.record(z.string(), z.number().int().nonnegative());

export const InputStatsSchema = z.object({
  name: z.string(),
  kind: z.enum(['logs', 'events']),
  bytesRead: z.number().int().nonnegative(),
  linesRead: z.number().int().nonnegative(),
  linesMatched: z.number().int().nonnegative(),
  linesUnmatched: z.number().int().nonnegative(),
  linesSkipped: z.number().int().nonnegative(),
  skipped: Counts,
  records: z.number().int().nonnegative(),
  formats: Counts,
  truncatedLines: z.number().int().nonnegative(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type InputStats = z.infer<typeof InputStatsSchema>;

export const ProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const StatsSchema = z.object({
  inputs: z.array(InputStatsSchema),
  linesRead: z.number().int().nonnegative(),
  linesMatched: z.number().int().nonnegative(),
  linesUnmatched: z.number().int().nonnegative(),
  linesSkipped: z.number().int().nonnegative(),
  skipped: Counts.describe('Skipped lines by reason.'),
  bytesRead: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  recordsMatched: z.number().int().nonnegative(),
  truncatedLines: z.number().int().nonnegative(),
  events: z.object({
    read: z.number().int().nonnegative(),
    valid: z.number().int().nonnegative(),
    invalid: z.number().int().nonnegative(),
    matched: z.number().int().nonnegative(),
  }),
  probes: z.number().int().nonnegative(),
  connections: z.number().int().nonnegative(),
  problems: z.array(ProblemSchema).describe('Inputs or events that could not be read, with where and why (bounded).'),
  problemsTotal: z.number().int().nonnegative(),
});
export type Stats = z.infer<typeof StatsSchema>;

export const ReportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  diagnoses: z.array(DiagnosisSchema),
  unmatched: z.array(UnmatchedSchema),
  stats: StatsSchema,
});
export type Report = z.infer<typeof ReportSchema>;
