import { z } from 'zod';
import { normalizeTime } from '../time.js';
// The words (levels, status and direction words, event keys) are in words.ts, which needs no zod.
import { LEVELS, SYNC_EVENT_KEYS, SYNC_FILE_KEYS, fileOutcomeOf, sideOf, syncStatusOf } from './words.js';

export const LevelSchema = z.enum(LEVELS);
export type Level = z.infer<typeof LevelSchema>;

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

/** One link of an exception chain, outermost (the exception logged) first, root cause last. */
export const ExceptionLinkSchema = z.object({
  type: z.string().describe('As printed, qualified: cryptography.fernet.InvalidToken.'),
  name: z.string().describe('Bare: InvalidToken.'),
  message: z.string(),
  relation: z.enum(['cause', 'context']).optional().describe('How this link relates to the one before it.'),
});
export type ExceptionLink = z.infer<typeof ExceptionLinkSchema>;

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
  exceptions: z.array(ExceptionLinkSchema).optional(),
  source: SourceSchema,
});
export type LogRecord = z.infer<typeof LogRecordSchema>;

/** First present value among several spellings a producer may use. */
function pick(o: Record<string, unknown>, ...keys: readonly string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** What a value is, for a reason: `null`, `array`, or its typeof. */
function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** An optional id: a non-empty string, or a number written out; anything else is absent. */
function optionalId(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** Optional text: a string, or a scalar written out (a name exported as a number); anything else is absent. */
function optionalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
}

/** A byte count: a whole non-negative number, or a string that is one (`"1024"`); anything else is absent. */
function sizeOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** JSON text of a value, or '' for one JSON cannot write (a cycle, a bigint). */
function jsonOf(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/**
 * A message value as text: a string as is; an error object (`{code, message}`) as `code: message`;
 * another object as JSON; a list as its items' texts joined with `; `; a scalar written out.
 */
function messageText(v: unknown, depth = 0): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    // Deep (or cyclic) nesting is written as JSON rather than walked.
    if (depth > 4) return jsonOf(v);
    return v
      .map((x) => messageText(x, depth + 1))
      .filter((t) => t !== '')
      .join('; ');
  }
  if (v === null || typeof v !== 'object') return '';
  const o = v as Record<string, unknown>;
  const message = o['message'];
  if (typeof message === 'string') {
    const code = [o['code'], o['type'], o['name']].find((c): c is string => typeof c === 'string' && c !== '');
    return code === undefined ? message : message === '' ? code : `${code}: ${message}`;
  }
  return jsonOf(v);
}

/**
 * The message of an event from every key that may hold it, in SYNC_EVENT_KEYS.message order: a
 * producer that writes `"message": "Sync failed"` beside `"error": "<the SCS error>"` keeps the
 * error text the rules match. Empty texts and exact repeats are dropped; the rest joined with `: `.
 * A lone string comes back exactly; only empty strings give ''; no key at all gives undefined.
 */
function messageOf(o: Record<string, unknown>): string | undefined {
  const texts: string[] = [];
  let empty = false;
  for (const k of SYNC_EVENT_KEYS.message) {
    const v = o[k];
    if (v === undefined || v === null) continue;
    if (v === '') empty = true;
    const t = messageText(v);
    if (t !== '' && !texts.includes(t)) texts.push(t);
  }
  return texts.length > 0 ? texts.join(': ') : empty ? '' : undefined;
}

/** Where each required field is looked for: the reason for an event without one lists them. */
const LOOKED_FOR = {
  connectionId: [...SYNC_EVENT_KEYS.connectionId, 'connection.id', 'connection', ...SYNC_EVENT_KEYS.connectionName, 'connection.name'],
  status: SYNC_EVENT_KEYS.status,
  startedAt: SYNC_EVENT_KEYS.startedAt,
};

function missing(field: keyof typeof LOOKED_FOR): string {
  return `missing (looked for ${LOOKED_FOR[field].join(', ')})`;
}

/**
 * The connection id: a non-empty string, or a number written out. Required: the reason says where
 * it was looked for, or what is wrong with the value found.
 */
const connectionIdSchema = z.unknown().transform((v, ctx): string => {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  const message = v === undefined ? missing('connectionId') : v === '' ? 'empty string (a connection id or name expected)' : typeof v === 'number' ? 'not a finite number' : `expected a string or a number, got ${kindOf(v)}`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

/** The start time, normalized to ISO-8601 UTC. Required, with a reason as above. */
const startedAtSchema = z.unknown().transform((v, ctx): string => {
  const iso = normalizeTime(v);
  if (iso !== undefined) return iso;
  const message =
    v === undefined
      ? missing('startedAt')
      : v === ''
        ? 'empty string (ISO-8601 or epoch time expected)'
        : typeof v === 'string' || typeof v === 'number'
          ? 'not a timestamp, or a date or time that does not exist (ISO-8601 or epoch expected)'
          : `expected an ISO-8601 or epoch time, got ${kindOf(v)}`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

const statusSchema = z.enum(['success', 'warning', 'failure'], {
  error: (issue) =>
    issue.input === undefined
      ? missing('status')
      : typeof issue.input === 'string'
        ? 'empty string (a status word such as success, warning or failure expected)'
        : `expected a status word such as success, warning or failure, got ${kindOf(issue.input)}`,
});

/** The object that is not one, for the reason: `expected object, got array`. */
const notAnObject = (issue: { input?: unknown }) => `expected object, got ${kindOf(issue.input)}`;

/**
 * One file of an event. Each field is read leniently (a value that is not what the field holds is
 * absent): a file's details never cost its event, whose status and message are what is diagnosed.
 */
export const SyncFileSchema = z.preprocess(
  (raw) => {
    if (!isObject(raw)) return raw;
    const k = SYNC_FILE_KEYS;
    return {
      resourceId: optionalId(pick(raw, ...k.resourceId)),
      revisionId: optionalId(pick(raw, ...k.revisionId)),
      sizeBytes: sizeOf(pick(raw, ...k.sizeBytes)),
      outcome: fileOutcomeOf(pick(raw, ...k.outcome)),
      name: optionalText(pick(raw, ...k.name)),
    };
  },
  z.object(
    {
      resourceId: z.string().optional(),
      revisionId: z.string().optional(),
      sizeBytes: z.number().int().nonnegative().optional(),
      outcome: z.enum(['transferred', 'excluded', 'failed']).optional(),
      name: z.string().optional(),
    },
    { error: notAnObject },
  ),
);
export type SyncFile = z.infer<typeof SyncFileSchema>;

/** Files given as JSON text that is not a list: the reason, for the schema to refuse the event. */
class FilesText {
  constructor(readonly reason: string) {}
}

/**
 * The files of an event: a list (entries that are not objects left out), or JSON text of one (a
 * database JSON column a driver returns as a string); any other value is no files.
 */
function filesOf(v: unknown): unknown[] | FilesText {
  if (Array.isArray(v)) return v.filter(isObject);
  if (typeof v !== 'string') return [];
  const text = v.trim();
  if (text === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return new FilesText(`JSON text that does not parse (${(e as Error).message}); a list of files expected`);
  }
  if (!Array.isArray(parsed)) return new FilesText(`JSON text of ${kindOf(parsed)}, not a list of files`);
  return parsed.filter(isObject);
}

const filesSchema = z
  .unknown()
  .transform((v, ctx): unknown => {
    if (!(v instanceof FilesText)) return v;
    ctx.addIssue({ code: 'custom', message: v.reason });
    return z.NEVER;
  })
  .pipe(z.array(SyncFileSchema));

/**
 * One sync attempt as the Sync Status page shows it. Accepts camelCase and snake_case and the
 * common spellings of status and direction; normalizes times to ISO-8601 UTC.
 *
 * Only the connection, the status, the start time and `files` given as JSON text that is not a
 * list can make an event invalid: every other field is read leniently (an unknown direction word, a broken finish time, a file that is not one are
 * absent), because the event's status and message are what is diagnosed and must not be lost.
 */
export const SyncEventSchema = z.preprocess(
  (raw) => {
    if (!isObject(raw)) return raw;
    const o = raw;
    const conn = isObject(o['connection']) ? o['connection'] : {};
    const k = SYNC_EVENT_KEYS;
    const name = pick(o, ...k.connectionName) ?? pick(conn, 'name');
    const status = pick(o, ...k.status);
    const files = pick(o, ...k.files);
    return {
      id: optionalId(pick(o, ...k.id)),
      // A history without ids still identifies its connections by name (or a bare `connection` string).
      connectionId: pick(o, ...k.connectionId) ?? pick(conn, 'id') ?? (typeof o['connection'] === 'string' ? o['connection'] : undefined) ?? name,
      connectionName: optionalText(name),
      direction: sideOf(pick(o, ...k.direction) ?? pick(conn, 'direction', 'type')),
      sharedId: optionalId(pick(o, ...k.sharedId) ?? pick(conn, 'sharedId', 'shared_id')),
      // A word outside the table (`exploded`, a producer's own state) is read as warning: its
      // message is still matched. Only an empty or non-word status is refused (by the schema).
      status: typeof status === 'string' && status.trim() !== '' ? (syncStatusOf(status) ?? 'warning') : status,
      startedAt: pick(o, ...k.startedAt),
      finishedAt: normalizeTime(pick(o, ...k.finishedAt)),
      message: messageOf(o),
      files: filesOf(files),
    };
  },
  z.object(
    {
      id: z.string().optional(),
      connectionId: connectionIdSchema,
      connectionName: z.string().optional(),
      direction: SideSchema.optional(),
      sharedId: z.string().optional(),
      status: statusSchema,
      startedAt: startedAtSchema,
      finishedAt: z.string().optional(),
      message: z.string().optional(),
      files: filesSchema,
    },
    { error: notAnObject },
  ),
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
  endMs?: number | undefined;
  /** The event's start (`startedAt`) in epoch milliseconds, when the reader has read it already (with `endMs`). */
  startMs?: number | undefined;
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
