/**
 * What a log record says about a sync attempt of a connection: `sync completed`, `sync failed`,
 * and the connection or Shared ID it names when the record has no structured field for it. One
 * table, read by the session; the literals also make such lines candidates of the prefilter.
 */

/** Literals that mark a raw line as a possible outcome line (case variants as SCS and loggers write them). */
export const OUTCOME_TOKENS = [
  'sync completed',
  'Sync completed',
  'sync succeeded',
  'Sync succeeded',
  'sync finished',
  'Sync finished',
  'synced successfully',
  'sync_completed',
  'sync_succeeded',
  'sync failed',
  'Sync failed',
  'sync_failed',
  'SYNC_FAILED',
  'SYNC_COMPLETED',
] as const;

const SUCCESS = /\bsync(?:hroni[sz]ation)?(?:[ _](?:of|for|run|job|attempt))?(?:[ _][\w.:-]{1,64})?[ _](?:completed|complete|succeeded|successful|finished|done)\b|\bsynced successfully\b/i;
const FAILURE = /\bsync(?:hroni[sz]ation)?(?:[ _](?:of|for|run|job|attempt))?(?:[ _][\w.:-]{1,64})?[ _]failed\b|\bconnection failed\b/i;
/** A success line that admits errors is not a success. */
const DOUBT = /\b(?:with (?:\d+ )?(?:errors?|failures?)|partially|partial)\b/i;

/** The outcome a message states, or undefined. */
export function outcomeOf(message: string): 'success' | 'failure' | undefined {
  const lead = leadingOutcome(message);
  return lead === null ? outcomeByPatterns(message) : lead;
}

/** outcomeOf by its three patterns alone (the shortcut below is held to it by test/outcomes.test.ts). */
export function outcomeByPatterns(message: string): 'success' | 'failure' | undefined {
  const first = message.length > 2048 ? message.slice(0, 2048) : message;
  if (FAILURE.test(first)) return 'failure';
  if (SUCCESS.test(first) && !DOUBT.test(first)) return 'success';
  return undefined;
}

/**
 * A message that opens with `sync finished` (the commonest outcome line: `sync finished
 * connection_id=…`), `sync completed` or `sync succeeded` and holds none of `failed`, `partial` and
 * `with `: SUCCESS matches it at its start, and FAILURE and DOUBT cannot (each of their branches
 * holds one of those words), so it is a success. One anchored pattern instead of three scans.
 */
const LEAD_SUCCESS = /^sync (?:finished|completed|succeeded)\b(?!.+?(?:failed|partial|with ))/is;
/** `sync failed` at the start is FAILURE's match. */
const LEAD_FAILURE = /^sync failed\b/i;

/** The outcome of a message of the shapes above, read without the three patterns; null when they must decide. */
function leadingOutcome(m: string): 'success' | 'failure' | null {
  if (LEAD_SUCCESS.test(m)) return 'success';
  if (LEAD_FAILURE.test(m)) return 'failure';
  return null;
}

const CONNECTION_ID = /\b(?:conn(?:ection)?[_ .-]?id|connection)\s*[=:]\s*["']?([a-z0-9][\w.:/-]{0,127})/i;
/** An id written into a sentence ends before its punctuation: `shared_id=S-5150: failed`. */
function bare(id: string | undefined): string | undefined {
  if (id === undefined || id.length < 2) return id;
  return id.replace(/[:.]+$/, '') || id;
}
const SHARED_ID = /\bshared[_ .-]?id\s*[=:]\s*["']?([a-z0-9][\w.:/-]{0,127})/i;

/** The connection id and Shared ID a message names as `connection_id=…`, `connection: …`, `shared_id=…`. */
export function idsInText(message: string): { connectionId: string | undefined; sharedId: string | undefined } {
  return { connectionId: connectionIdInText(message), sharedId: sharedIdInText(message) };
}

/** The connection id of idsInText alone (a record that has the Shared ID already need not look for it). */
export function connectionIdInText(message: string): string | undefined {
  return bare(CONNECTION_ID.exec(message.length > 2048 ? message.slice(0, 2048) : message)?.[1]);
}

/** The Shared ID of idsInText alone. */
export function sharedIdInText(message: string): string | undefined {
  return bare(SHARED_ID.exec(message.length > 2048 ? message.slice(0, 2048) : message)?.[1]);
}
