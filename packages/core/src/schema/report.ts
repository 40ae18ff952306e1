import { z } from 'zod';
import { SCHEMA_VERSION } from './version.js';

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

export const ConnectionRefSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  lastSeen: z.string().optional().describe('The last occurrence of the diagnosis on this connection (resolution is judged per connection).'),
});

export const PeerSchema = z.object({
  connections: z
    .array(
      z.object({
        key: z.string(),
        id: z.string().optional(),
        name: z.string().optional(),
        side: z.enum(['sending', 'receiving', 'unknown']),
        state: z.enum(['healthy', 'failing', 'stale', 'unknown']),
        lastSuccess: z.string().optional(),
      }),
    )
    .describe('The connections on the other side of the same Shared ID.'),
  diagnoses: z.array(z.string()).describe('Rule ids of the active diagnoses on the peer connections.'),
  note: z.string().optional().describe("What the peer's data proves, from the rule's `peer` section."),
  remediation: z.array(z.string()).optional().describe('The steps as the peer data leaves them (steps it makes unnecessary left out); the generic steps stay in the diagnosis.'),
});
export type Peer = z.infer<typeof PeerSchema>;

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
  count: z.number().int().nonnegative().describe('Records matched: log records, sync events, files and probes. One sync attempt found in both a log and the history counts twice here; the attempts are counted in connections[].'),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  params: z.record(z.string(), ParamValueSchema),
  connections: z.array(ConnectionRefSchema).describe('The connections it occurred on (at most 200).'),
  connectionsOmitted: z.number().int().nonnegative().describe('Occurrences on connections left out of `connections` by its limit (in a merged report, a connection cut from the merged list counts as one).'),
  sharedIds: z.array(z.string()).describe('The Shared IDs it occurred with (at most 200).'),
  sharedIdsOmitted: z.number().int().nonnegative().describe('Occurrences with Shared IDs left out of `sharedIds` by its limit (counted as for `connectionsOmitted`).'),
  evidence: z.array(EvidenceSchema),
  state: z.enum(['active', 'resolved']).describe('resolved: every connection it covers synced successfully after its last occurrence there.'),
  resolvedAt: z.string().optional().describe('When the last of its connections recovered (state resolved).'),
  origin: z.enum(['records', 'connection']).describe("records: matched in log lines, events, files or probes; connection: judged from a connection's state (sync-stale)."),
  resolution: z.enum(['success', 'never']).describe("The rule's resolution: whether a later successful sync resolves it."),
  peer: PeerSchema.optional(),
  related: z
    .array(
      z.object({
        relation: z.enum(['cause', 'consequence']).describe('cause: the other diagnosis explains this one; consequence: this one explains the other.'),
        ruleId: z.string(),
        key: z.string(),
        summary: z.string(),
      }),
    )
    .optional()
    .describe("Diagnoses of the same report linked by a rule's `explains` (a deployment check and the log failure it causes)."),
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

/** A template past the list's limit: counted, with its sample when the run kept one (a merge may list it again). */
export const UnmatchedRestSchema = z.object({
  template: z.string(),
  count: z.number().int().nonnegative(),
  level: z.string().optional(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  sample: EvidenceSchema.optional().describe('A record of the template, kept so that merged reports can list a template frequent overall though each part cut it.'),
});
export type UnmatchedRest = z.infer<typeof UnmatchedRestSchema>;

export const ConnectionStateSchema = z.enum(['healthy', 'failing', 'stale', 'unknown']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const AttemptSchema = z.object({
  at: z.string(),
  outcome: z.enum(['success', 'warning', 'failure', 'started']).describe('started: a sync that began and has no finish (not a success).'),
  source: z.enum(['event', 'log']),
  eventId: z.string().optional(),
  file: z.string().optional().describe('Where the attempt was read (kept for the newest event only).'),
  line: z.number().int().optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

/**
 * One connection as the inputs show it: what users ask about. Its state inputs (newest event,
 * last success and failure, the failing streak, recent attempts) are kept so that merging the
 * reports of shards gives the same connection as one run over everything.
 */
export const ConnectionSchema = z.object({
  key: z.string().describe('The connection id, or `shared:<SHARED_ID>:<side>` when only the Shared ID is known.'),
  id: z.string().optional(),
  name: z.string().optional(),
  side: z.enum(['sending', 'receiving', 'unknown']),
  sharedId: z.string().optional(),
  state: ConnectionStateSchema,
  since: z.string().optional().describe('Since when the state holds: failingSince when failing, the newest event when stale, the last success when healthy.'),
  newestEvent: AttemptSchema.optional().describe('The newest attempt seen (history or log).'),
  lastHistoryAt: z.string().optional().describe('The newest finished sync event of the history (staleness is judged from it).'),
  lastSuccess: z.string().optional(),
  lastFailure: z.string().optional(),
  failingSince: z.string().optional().describe('The first failure after the last success.'),
  consecutiveFailures: z.number().int().nonnegative(),
  flapping: z.boolean().describe('Success and failure alternate among the recent attempts.'),
  attempts: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  recent: z.array(AttemptSchema).describe('The newest attempts, oldest first (bounded).'),
  peers: z.array(z.string()).describe('Keys of the connections on the other side of the same Shared ID.'),
  diagnoses: z.array(z.string()).describe('Keys of the diagnoses on this connection.'),
  activeDiagnoses: z.array(z.string()).describe('Rule ids of its active diagnoses.'),
});
export type Connection = z.infer<typeof ConnectionSchema>;

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
  inputs: z.array(InputStatsSchema).describe('Per input, the first 1,000 read (the members of an archive are inputs of their own).'),
  inputsOmitted: z.number().int().nonnegative().describe('Inputs left out of `inputs` by its limit; the totals below count their lines too.'),
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
  judged: z.object({ now: z.string(), staleAfterMs: z.number().nonnegative() }).describe('The time connections were judged at, and the staleness threshold.'),
  connections: z.array(ConnectionSchema),
  diagnoses: z.array(DiagnosisSchema),
  unmatched: z.array(UnmatchedSchema).describe('Error-level records no rule explains, by template, most frequent first (bounded by --max-unmatched).'),
  unmatchedWarnings: z.array(UnmatchedSchema).describe('Warning-level records no rule explains, apart from the errors.'),
  unmatchedOmitted: z.object({ templates: z.number().int().nonnegative(), records: z.number().int().nonnegative() }).describe('Templates and records left out of both lists by their limits (nothing is dropped silently).'),
  unmatchedRest: z.array(UnmatchedRestSchema).describe('The templates past the limits, counted: merged reports cut the lists as one run would.'),
  stats: StatsSchema,
});
export type Report = z.infer<typeof ReportSchema>;
