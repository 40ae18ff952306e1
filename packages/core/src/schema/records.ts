import { z } from 'zod';
import { normalizeTime } from '../time.js';

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export const LevelSchema = z.enum(LEVELS);
export type Level = z.infer<typeof LevelSchema>;

/** The numeric scale pino uses; conditions may compare `levelNumber`. */
export const LEVEL_NUMBER: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export const SideSchema = z.enum(['sending', 'receiving']);
export type Side = z.infer<typeof SideSchema>;

export const SourceSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  endLine: z.number().int().nonnegative(),
});
export type Source = z.infer<typeof SourceSchema>;

export const LogFormatSchema = z.enum(['python', 'plain', 'json']);
export type LogFormat = z.infer<typeof LogFormatSchema>;
export const EnvelopeSchema = z.enum(['cri', 'docker']);
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** One logical log event: a line plus its continuation lines (a traceback is one record). */
export const LogRecordSchema = z.object({
  kind: z.literal('log'),
  message: z.string(),
  level: LevelSchema.optional(),
  time: z.string().optional(),
  logger: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).default({}),
  format: LogFormatSchema,
  envelope: EnvelopeSchema.optional(),
  side: SideSchema.optional(),
  connectionId: z.string().optional(),
  sharedId: z.string().optional(),
  source: SourceSchema,
});
export type LogRecord = z.infer<typeof LogRecordSchema>;

const STATUS_ALIASES: Record<string, 'success' | 'warning' | 'failure'> = {
  success: 'success', succeeded: 'success', successful: 'success', ok: 'success', green: 'success', completed: 'success', complete: 'success',
  warning: 'warning', warn: 'warning', yellow: 'warning', partial: 'warning', partial_success: 'warning',
  warnings: 'warning', completed_with_warnings: 'warning', succeeded_with_warnings: 'warning', success_with_warnings: 'warning', partial_failure: 'warning', partially_failed: 'warning',
  failure: 'failure', failed: 'failure', fail: 'failure', error: 'failure', errored: 'failure', red: 'failure',
};
const DIRECTION_ALIASES: Record<string, Side> = {
  sending: 'sending', send: 'sending', sender: 'sending', outgoing: 'sending', outbound: 'sending', outbox: 'sending',
  receiving: 'receiving', receive: 'receiving', receiver: 'receiving', incoming: 'receiving', inbound: 'receiving', inbox: 'receiving',
};
const OUTCOME_ALIASES: Record<string, 'transferred' | 'excluded' | 'failed'> = {
  transferred: 'transferred', sent: 'transferred', received: 'transferred', success: 'transferred', ok: 'transferred',
  excluded: 'excluded', skipped: 'excluded',
  failed: 'failed', failure: 'failed', error: 'failed',
};

function wordOf<T extends string>(table: Record<string, T>, v: unknown): T | undefined {
  // `Completed with warnings`, `COMPLETED-WITH-WARNINGS` and `completed_with_warnings` are one word.
  return typeof v === 'string' ? (Object.hasOwn(table, (v = v.trim().toLowerCase().replace(/[\s-]+/g, '_'))) ? table[v as string] : undefined) : undefined;
}

function alias<T extends string>(table: Record<string, T>) {
  return (v: unknown) => wordOf(table, v) ?? v;
}

/** The sync status a producer's word means (`Succeeded`, `FAILED`, `completed with warnings`, …), or undefined. */
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

/** First present value among several spellings a producer may use. */
function pick(o: Record<string, unknown>, ...keys: readonly string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

const idString = z.union([z.string().min(1), z.number()]).transform(String);
const isoTime = z.unknown().transform((v, ctx) => {
  const iso = normalizeTime(v);
  if (iso === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not a timestamp (ISO-8601 or epoch expected)' });
    return z.NEVER;
  }
  return iso;
});

/**
 * The keys each field of a sync event may come under, in the order they are looked for (the first
 * present and not null wins): camelCase, snake_case and the names exports commonly use.
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
  message: ['message', 'error', 'errorMessage', 'error_message', 'detail', 'details'],
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

export const SyncFileSchema = z.preprocess(
  (raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const o = raw as Record<string, unknown>;
    const k = SYNC_FILE_KEYS;
    return {
      resourceId: pick(o, ...k.resourceId),
      revisionId: pick(o, ...k.revisionId),
      sizeBytes: pick(o, ...k.sizeBytes),
      outcome: pick(o, ...k.outcome),
      name: pick(o, ...k.name),
    };
  },
  z.object({
    resourceId: idString.optional(),
    revisionId: idString.optional(),
    sizeBytes: z.coerce.number().int().nonnegative().optional(),
    outcome: z.preprocess(alias(OUTCOME_ALIASES), z.enum(['transferred', 'excluded', 'failed'])).optional(),
    name: z.string().optional(),
  }),
);
export type SyncFile = z.infer<typeof SyncFileSchema>;

/**
 * One sync attempt as the Sync Status page shows it. Accepts camelCase and snake_case and the
 * common spellings of status and direction; normalizes times to ISO-8601 UTC.
 */
export const SyncEventSchema = z.preprocess(
  (raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const o = raw as Record<string, unknown>;
    const conn = (o['connection'] && typeof o['connection'] === 'object' ? o['connection'] : {}) as Record<string, unknown>;
    const k = SYNC_EVENT_KEYS;
    return {
      id: pick(o, ...k.id),
      // A history without ids still identifies its connections by name (or a bare `connection` string).
      connectionId:
        pick(o, ...k.connectionId) ??
        pick(conn, 'id') ??
        (typeof o['connection'] === 'string' ? o['connection'] : undefined) ??
        pick(o, ...k.connectionName) ??
        pick(conn, 'name'),
      connectionName: pick(o, ...k.connectionName) ?? pick(conn, 'name'),
      direction: pick(o, ...k.direction) ?? pick(conn, 'direction', 'type'),
      sharedId: pick(o, ...k.sharedId) ?? pick(conn, 'sharedId', 'shared_id'),
      status: pick(o, ...k.status),
      startedAt: pick(o, ...k.startedAt),
      finishedAt: pick(o, ...k.finishedAt),
      message: pick(o, ...k.message),
      files: pick(o, ...k.files),
    };
  },
  z.object({
    id: idString.optional(),
    connectionId: idString,
    connectionName: z.string().optional(),
    direction: z.preprocess(alias(DIRECTION_ALIASES), SideSchema).optional(),
    sharedId: idString.optional(),
    status: z.preprocess(alias(STATUS_ALIASES), z.enum(['success', 'warning', 'failure'])),
    startedAt: isoTime,
    finishedAt: isoTime.optional(),
    message: z.preprocess((v) => (v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : v), z.string().optional()),
    files: z.array(SyncFileSchema).default([]),
  }),
);
export type SyncEvent = z.infer<typeof SyncEventSchema>;

/** A located sync event, as the adapters hand it to the engine. */
export interface SyncEventRecord {
  kind: 'event';
  event: SyncEvent;
  source: Source;
  /**
   * The event's end (`finishedAt`, else `startedAt`) in epoch milliseconds, when the reader has
   * read it already from the bytes; the session parses the time itself otherwise.
   */
  endMs?: number;
}

/**
 * The outcome of one read-only check of the deployment (a bucket, a key, a secret fingerprint).
 * Probes produce these; rules match them like any other record.
 */
export const ProbeRecordSchema = z.object({
  kind: z.literal('probe'),
  probe: z.string(),
  target: z.string(),
  outcome: z.string(),
  message: z.string(),
  side: SideSchema.optional(),
  fields: z.record(z.string(), z.unknown()).default({}),
  time: z.string().optional(),
  source: SourceSchema.optional(),
});
export type ProbeRecord = z.infer<typeof ProbeRecordSchema>;
