/**
 * The words of records that need no schema: levels, the producers' words for status, direction and
 * outcome, and the keys a sync event's fields come under. Kept apart from the zod schemas
 * (records.ts, which re-exports them) so that reading logs does not load zod.
 */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
type Level = (typeof LEVELS)[number];
type Side = 'sending' | 'receiving';

/** The numeric scale pino uses; conditions may compare `levelNumber`. */
export const LEVEL_NUMBER: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const STATUS_ALIASES: Record<string, 'success' | 'warning' | 'failure'> = {
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  ok: 'success',
  green: 'success',
  completed: 'success',
  complete: 'success',
  warning: 'warning',
  warn: 'warning',
  yellow: 'warning',
  partial: 'warning',
  partial_success: 'warning',
  warnings: 'warning',
  completed_with_warnings: 'warning',
  succeeded_with_warnings: 'warning',
  success_with_warnings: 'warning',
  partial_failure: 'warning',
  partially_failed: 'warning',
  // Not finished yet, or not run: the yellow icon, neither a success nor a confirmed failure.
  running: 'warning',
  started: 'warning',
  pending: 'warning',
  queued: 'warning',
  in_progress: 'warning',
  retry: 'warning',
  retrying: 'warning',
  scheduled: 'warning',
  skipped: 'warning',
  failure: 'failure',
  failed: 'failure',
  fail: 'failure',
  error: 'failure',
  errored: 'failure',
  red: 'failure',
  timed_out: 'failure',
  timeout: 'failure',
  timedout: 'failure',
  aborted: 'failure',
  cancelled: 'failure',
  canceled: 'failure',
  revoked: 'failure',
  rejected: 'failure',
  crashed: 'failure',
  killed: 'failure',
  expired: 'failure',
};
const DIRECTION_ALIASES: Record<string, Side> = {
  sending: 'sending',
  send: 'sending',
  sender: 'sending',
  outgoing: 'sending',
  outbound: 'sending',
  outbox: 'sending',
  receiving: 'receiving',
  receive: 'receiving',
  receiver: 'receiving',
  incoming: 'receiving',
  inbound: 'receiving',
  inbox: 'receiving',
};
const OUTCOME_ALIASES: Record<string, 'transferred' | 'excluded' | 'failed'> = {
  transferred: 'transferred',
  sent: 'transferred',
  received: 'transferred',
  success: 'transferred',
  ok: 'transferred',
  excluded: 'excluded',
  skipped: 'excluded',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
};

function wordOf<T extends string>(table: Record<string, T>, v: unknown): T | undefined {
  // `Completed with warnings`, `COMPLETED-WITH-WARNINGS` and `completed_with_warnings` are one word.
  return typeof v === 'string'
    ? Object.hasOwn(
        table,
        (v = v
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, '_')),
      )
      ? table[v as string]
      : undefined
    : undefined;
}

/**
 * The sync status a producer's word means (`Succeeded`, `FAILED`, `completed with warnings`, …), or
 * undefined for a word outside the table (the schema reads such a word as warning; callers that
 * read events without the schema step aside on undefined).
 */
export function syncStatusOf(v: unknown): 'success' | 'warning' | 'failure' | undefined {
  return wordOf(STATUS_ALIASES, v);
}

/** The side a producer's word for a direction means (`outbound`, `Receiving`, …), or undefined. */
export function sideOf(v: unknown): Side | undefined {
  return wordOf(DIRECTION_ALIASES, v);
}

/** The outcome a producer's word for a file's outcome means, or undefined. */
export function fileOutcomeOf(v: unknown): 'transferred' | 'excluded' | 'failed' | undefined {
  return wordOf(OUTCOME_ALIASES, v);
}

/**
 * The keys each field of a sync event may come under, in the order they are looked for (the first
 * present and not null wins; `message` takes them all): camelCase, snake_case and the names
 * exports commonly use.
 */
export const SYNC_EVENT_KEYS = {
  id: ['id', 'eventId', 'event_id', 'syncId', 'sync_id'],
  connectionId: ['connectionId', 'connection_id', 'connId', 'conn_id'],
  connectionName: ['connectionName', 'connection_name'],
  direction: ['direction', 'side', 'type'],
  sharedId: ['sharedId', 'shared_id'],
  status: ['status', 'state', 'result'],
  startedAt: ['startedAt', 'started_at', 'start', 'startTime', 'start_time', 'time', 'timestamp'],
  finishedAt: ['finishedAt', 'finished_at', 'endedAt', 'ended_at', 'end', 'endTime', 'end_time', 'completedAt', 'completed_at'],
  message: ['message', 'error', 'errorMessage', 'error_message', 'detail', 'details', 'errors'],
  files: ['files', 'items', 'resources'],
} as const satisfies Record<string, readonly string[]>;

/** The same for each file of an event. */
export const SYNC_FILE_KEYS = {
  resourceId: ['resourceId', 'resource_id', 'resource'],
  revisionId: ['revisionId', 'revision_id', 'revision'],
  sizeBytes: ['sizeBytes', 'size_bytes', 'size'],
  outcome: ['outcome', 'status', 'result'],
  name: ['name', 'fileName', 'file_name'],
} as const satisfies Record<string, readonly string[]>;
