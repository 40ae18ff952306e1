/**
 * The admin backend's sync history, as its database hands it over. The table:
 *
 * ```sql
 * CREATE TABLE sync_events (
 *   id              bigserial   PRIMARY KEY,
 *   connection_id   text        NOT NULL,
 *   connection_name text,
 *   direction       text        NOT NULL,      -- 'sending' | 'receiving'
 *   shared_id       text,
 *   status          text        NOT NULL,      -- 'success' | 'warning' | 'failure'
 *   started_at      timestamptz NOT NULL,
 *   finished_at     timestamptz,               -- NULL while the attempt runs
 *   message         text,                      -- the SCS error, NULL on success
 *   files           text                       -- JSON array: [{resource_id, revision_id, size_bytes, outcome}]
 * );
 * CREATE INDEX ON sync_events (connection_id, started_at DESC);
 * ```
 *
 * Drivers differ in what they return: `pg` gives `bigint` ids as strings and `timestamptz` as
 * `Date` (or as text with its type parser turned off), SQLite and MySQL's text columns give
 * timestamps as strings; a JSON column kept as `text` arrives as a string. scs-doctor reads the
 * snake_case names, `Date` objects and time strings and `null`s itself; the host only parses its
 * JSON text column, because only the host knows which of its columns hold JSON.
 */

/** One row of `sync_events`, as a driver returns it. */
export interface SyncEventRow {
  id: string | number;
  connection_id: string;
  connection_name: string | null;
  direction: string;
  shared_id: string | null;
  status: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  message: string | null;
  /** JSON text, or already parsed by a driver that knows the column is JSON. */
  files: string | unknown[] | null;
}

/** Where the server gets its rows: the two queries it needs. */
export interface SyncEventStore {
  /** The newest `limit` rows of one connection, oldest first. Empty when the connection is unknown. */
  connectionRows(connectionId: string, limit: number): Promise<SyncEventRow[]>;
  /** Every connection's rows that started at or after `since`, oldest first. */
  rowsSince(since: Date, limit: number): Promise<SyncEventRow[]>;
}

/** A row whose JSON column could not be parsed: its event is still diagnosed, without its files. */
export interface RowProblem {
  rowId: string;
  message: string;
}

/**
 * The row as scs-doctor takes it: the same row with its JSON column parsed. A column that is not
 * a JSON array is a problem of the response (the event's status and message are still read).
 */
export function eventOf(row: SyncEventRow, problems: RowProblem[]): SyncEventRow {
  if (typeof row.files !== 'string') return row;
  let files: unknown;
  try {
    files = JSON.parse(row.files);
  } catch (e) {
    problems.push({ rowId: String(row.id), message: `files is not JSON (${(e as Error).message})` });
    return { ...row, files: [] };
  }
  if (!Array.isArray(files)) {
    problems.push({ rowId: String(row.id), message: `files is JSON but not an array (${files === null ? 'null' : typeof files})` });
    return { ...row, files: [] };
  }
  return { ...row, files };
}

/** A row's start in epoch ms: a `Date`, or Postgres' text form (`2026-05-12 09:06:10.12+00`) or ISO-8601. */
function timeOf(v: Date | string): number {
  if (v instanceof Date) return v.getTime();
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d(?::?\d\d)?)?$/i.exec(v.trim());
  if (!m) return Number.NaN;
  const z = m[3];
  const zone = z === undefined ? 'Z' : z.length === 3 ? `${z}:00` : z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
  return Date.parse(`${m[1]}T${m[2]}${zone}`);
}

/**
 * The store over rows held in memory, with the semantics of the two queries on the table above:
 * `WHERE connection_id = $1 ORDER BY started_at DESC LIMIT $2` and
 * `WHERE started_at >= $1 ORDER BY started_at DESC LIMIT $2`, each handed back oldest first.
 * A host puts its database client behind the same interface.
 */
export class MemoryStore implements SyncEventStore {
  /** How many queries were made (the server must not query for an id it refused). */
  queries = 0;

  constructor(private readonly rows: readonly SyncEventRow[]) {}

  connectionRows(connectionId: string, limit: number): Promise<SyncEventRow[]> {
    this.queries++;
    return Promise.resolve(
      this.newest(
        this.rows.filter((r) => r.connection_id === connectionId),
        limit,
      ),
    );
  }

  rowsSince(since: Date, limit: number): Promise<SyncEventRow[]> {
    this.queries++;
    return Promise.resolve(
      this.newest(
        this.rows.filter((r) => timeOf(r.started_at) >= since.getTime()),
        limit,
      ),
    );
  }

  private newest(rows: SyncEventRow[], limit: number): SyncEventRow[] {
    return rows
      .map((r) => ({ r, t: timeOf(r.started_at) }))
      .sort((a, b) => b.t - a.t)
      .slice(0, limit)
      .reverse()
      .map((x) => x.r);
  }
}

const at = (iso: string) => new Date(iso);

/**
 * A morning of the table at Acme, as `pg` returns it (ids as strings, `Date` timestamps) except
 * where noted. Used when the server is started by hand.
 */
export const SAMPLE_ROWS: readonly SyncEventRow[] = [
  // Acme → Globex: the Master Key was rotated; every sync fails with InvalidToken.
  {
    id: '1001',
    connection_id: 'c-7f3a1e',
    connection_name: 'Acme → Globex',
    direction: 'sending',
    shared_id: 'acme-to-globex',
    status: 'failure',
    started_at: at('2026-05-12T09:00:02Z'),
    finished_at: at('2026-05-12T09:00:03Z'),
    message: 'shared secret unavailable: InvalidToken',
    files: '[]',
  },
  {
    id: '1004',
    connection_id: 'c-7f3a1e',
    connection_name: 'Acme → Globex',
    direction: 'sending',
    shared_id: 'acme-to-globex',
    status: 'failure',
    started_at: at('2026-05-12T09:05:02Z'),
    finished_at: at('2026-05-12T09:05:03Z'),
    message: 'shared secret unavailable: InvalidToken',
    files: '[]',
  },
  // Acme → Initech: one revision over the per-file cap is excluded; the others flow. Text
  // timestamps, as a driver with the timestamptz parser turned off returns them.
  {
    id: '1002',
    connection_id: 'c-19bd04',
    connection_name: 'Acme → Initech',
    direction: 'sending',
    shared_id: 'acme-to-initech',
    status: 'warning',
    started_at: '2026-05-12 09:06:10.120431+00',
    finished_at: '2026-05-12 09:06:15.004112+00',
    message: null,
    files:
      '[{"resource_id": "res-88", "revision_id": "0b6f4f1e-8d2a-4c33-9a57-2f1d5e7c9a10", "size_bytes": 2684354560, "outcome": "excluded"}, {"resource_id": "res-12", "revision_id": "5d1e2c7a-1111-4a2b-8c3d-0e9f8a7b6c5d", "size_bytes": 73400320, "outcome": "transferred"}]',
  },
  // Globex → Acme: no manifest at first; the partner fixed their side and the next sync worked.
  {
    id: '0990',
    connection_id: 'r-22c0f9',
    connection_name: 'Globex → Acme',
    direction: 'receiving',
    shared_id: 'globex-to-acme',
    status: 'failure',
    started_at: at('2026-05-12T08:00:05Z'),
    finished_at: at('2026-05-12T08:00:06Z'),
    message: 'connection failed (no manifest received)',
    files: null,
  },
  {
    id: '1003',
    connection_id: 'r-22c0f9',
    connection_name: 'Globex → Acme',
    direction: 'receiving',
    shared_id: 'globex-to-acme',
    status: 'success',
    started_at: at('2026-05-12T09:00:05Z'),
    finished_at: at('2026-05-12T09:00:09Z'),
    message: null,
    files: '[{"resource_id": "res-301", "revision_id": "9a0e5b7c-2f41-4d8e-a1c3-6b7d8e9f0a12", "size_bytes": 1048576, "outcome": "transferred"}]',
  },
  // Soylent → Acme: nothing since Saturday night.
  {
    id: '0950',
    connection_id: 'r-77aa01',
    connection_name: 'Soylent → Acme',
    direction: 'receiving',
    shared_id: 'soylent-to-acme',
    status: 'success',
    started_at: at('2026-05-09T22:15:00Z'),
    finished_at: at('2026-05-09T22:15:04Z'),
    message: null,
    files: '[]',
  },
];
