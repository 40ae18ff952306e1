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

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

/** Whether `m` holds `word` (lower case letters) at `at`, in any case. */
function wordAt(m: string, at: number, end: number, word: string): boolean {
  if (end - at !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((m.charCodeAt(at + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/** Whether `m` holds `failed`, `partial` or `with ` anywhere, in any case: a word FAILURE or DOUBT needs. */
function mayDoubt(m: string, from: number): boolean {
  const n = m.length;
  for (let i = from; i < n; i++) {
    const c = m.charCodeAt(i) | 32;
    if (c === 102 ? wordAt(m, i, i + 6, 'failed') : c === 112 ? wordAt(m, i, i + 7, 'partial') : c === 119 && m.charCodeAt(i + 4) === 32 && wordAt(m, i + 1, i + 4, 'ith')) return true;
  }
  return false;
}

/**
 * The outcome of a message that opens with `sync <word>` (`sync finished connection_id=…`, the
 * commonest outcome line), read without the patterns; null when the patterns must decide. Exact:
 * `sync failed` there is what FAILURE matches at the start; `sync finished` (or another word of
 * SUCCESS) is what SUCCESS matches, and FAILURE and DOUBT cannot match a message without
 * `failed`, `partial` and `with ` (every one of their branches holds one).
 */
function leadingOutcome(m: string): 'success' | 'failure' | null {
  if (m.length < 9 || (m.charCodeAt(0) | 32) !== 115 || m.charCodeAt(4) !== 32 || !wordAt(m, 0, 4, 'sync')) return null;
  let j = 5;
  while (j < m.length) {
    const c = m.charCodeAt(j) | 32;
    if (c < 97 || c > 122) break;
    j++;
  }
  if (j < m.length && isWordChar(m.charCodeAt(j))) return null;
  switch (j - 5) {
    case 6:
      if (wordAt(m, 5, j, 'failed')) return 'failure';
      return null;
    case 8:
      if (!wordAt(m, 5, j, 'finished')) return null;
      break;
    case 9:
      if (!wordAt(m, 5, j, 'completed') && !wordAt(m, 5, j, 'succeeded')) return null;
      break;
    default:
      return null;
  }
  return mayDoubt(m, j) ? null : 'success';
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
