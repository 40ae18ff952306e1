/**
 * The admin backend's endpoint over real HTTP: started on loopback on a port the kernel hands out,
 * asked with fetch, closed. Expectations come from the rows and the rule pack, not from the
 * server's own words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RulePack } from '@scs-doctor/core';
import { loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';
import { buildServer } from './server.js';
import { MemoryStore, SAMPLE_ROWS, type SyncEventRow } from './rows.js';

const NOW = new Date('2026-05-12T09:30:00Z');
const iso = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v.replace(' ', 'T').replace(/\+00$/, 'Z')).toISOString());

/** Rows of the tests' own connections, beside the sample table. */
const row = (id: number, connection: string, status: string, minute: number, message: string | null, files: SyncEventRow['files'] = '[]'): SyncEventRow => ({
  id: String(id),
  connection_id: connection,
  connection_name: `conn ${connection}`,
  direction: 'sending',
  shared_id: `shared-${connection}`,
  status,
  started_at: new Date(Date.UTC(2026, 4, 12, 9, minute, 2)),
  finished_at: new Date(Date.UTC(2026, 4, 12, 9, minute, 3)),
  message,
  files,
});
const INVALID_TOKEN = 'shared secret unavailable: InvalidToken';
const failing = [row(1, 'c-fail', 'failure', 0, INVALID_TOKEN), row(2, 'c-fail', 'failure', 5, INVALID_TOKEN)];
const recovered = [row(3, 'c-fixed', 'failure', 0, INVALID_TOKEN), row(4, 'c-fixed', 'success', 20, null)];
const damaged = [
  row(5, 'c-damaged', 'success', 1, null, '[{"resource_id": "res-1", '),
  // A start time the database could never have stored: the library refuses the row, as a problem.
  { ...row(6, 'c-damaged', 'failure', 2, INVALID_TOKEN), started_at: 'not a time' },
];
const rows: SyncEventRow[] = [...SAMPLE_ROWS, ...failing, ...recovered, ...damaged];

let pack: RulePack;
let store: MemoryStore;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  pack = await loadRulePack([rulesDir]);
  store = new MemoryStore(rows);
  app = buildServer({ pack, store, now: () => NOW });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`not listening on TCP: ${String(address)}`);
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app?.close();
});

// The answer's JSON as it came: the tests assert its shape rather than assume it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
async function get(path: string): Promise<{ status: number; type: string | null; body: any }> {
  const res = await fetch(base + path);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

/** The rule's own remediation steps, from the pack (rules without placeholders in them). */
const stepsOf = (id: string) => {
  const r = pack.rules.find((x) => x.rule.id === id);
  if (!r) throw new Error(`no rule ${id} in the pack`);
  return r.rule.remediation;
};

describe('GET /connections/:id', () => {
  it('a failing connection: its state since the first failure, the active diagnosis and the rule’s steps', async () => {
    const { status, type, body } = await get('/connections/c-fail');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(body).toMatchObject({ id: 'c-fail', name: 'conn c-fail', side: 'sending', sharedId: 'shared-c-fail', state: 'failing', lastSuccess: null, consecutiveFailures: failing.length, judgedAt: NOW.toISOString() });
    expect(body.since).toBe(iso(failing[0]!.finished_at));
    expect(body.active.map((d: { ruleId: string }) => d.ruleId)).toEqual(['shared-secret-invalid-token']);
    expect(body.active[0]).toMatchObject({ severity: 'error', count: failing.length, firstSeen: iso(failing[0]!.finished_at), lastSeen: iso(failing[1]!.finished_at), whatToDo: stepsOf('shared-secret-invalid-token') });
    expect(body.resolved).toEqual([]);
    expect(body.problems).toEqual([]);
  });

  it('the same failure after a successful sync: healthy, and the diagnosis resolved at that sync', async () => {
    const { status, body } = await get('/connections/c-fixed');
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'healthy', lastSuccess: iso(recovered[1]!.finished_at), active: [] });
    expect(body.resolved).toEqual([expect.objectContaining({ ruleId: 'shared-secret-invalid-token', resolvedAt: iso(recovered[1]!.finished_at) })]);
  });

  it('text timestamps and a JSON text column: the excluded file of the row is diagnosed with its revision and size', async () => {
    const sample = SAMPLE_ROWS.find((r) => r.connection_id === 'c-19bd04')!;
    const excluded = (JSON.parse(sample.files as string) as { revision_id: string; size_bytes: number; outcome: string }[]).find((f) => f.outcome === 'excluded')!;
    const { status, body } = await get('/connections/c-19bd04');
    expect(status).toBe(200);
    expect(body.lastSuccess).toBe(iso(sample.finished_at));
    const d = body.active.find((x: { ruleId: string }) => x.ruleId === 'file-exceeds-copy-ceiling');
    expect(d.summary).toContain(excluded.revision_id);
    expect(d.summary).toContain(String(excluded.size_bytes));
    expect(d.whatToDo).toHaveLength(stepsOf('file-exceeds-copy-ceiling').length);
  });

  it('a connection whose newest row is older than the staleness threshold is stale', async () => {
    const { body } = await get('/connections/r-77aa01');
    expect(body.state).toBe('stale');
    expect(body.active.map((d: { ruleId: string }) => d.ruleId)).toEqual(['sync-stale']);
  });

  it('rows it cannot read in full are problems of the answer, naming the row; the rest is still judged', async () => {
    const { status, body } = await get('/connections/c-damaged');
    expect(status).toBe(200);
    expect(body.state).toBe('healthy');
    expect(body.problems).toHaveLength(2);
    expect(body.problems[0]).toMatch(/^sync_events id=5: files is not JSON/);
    expect(body.problems[1]).toMatch(/startedAt/);
  });

  it('an unknown connection is 404', async () => {
    const before = store.queries;
    const { status, body } = await get('/connections/c-none');
    expect(status).toBe(404);
    expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(body.message).toContain('c-none');
    expect(store.queries).toBe(before + 1);
  });

  it.each([
    ['a space', '/connections/bad%20id'],
    ['a leading dot', '/connections/.hidden'],
    ['a quote', "/connections/c-1'--"],
    ['129 characters', `/connections/${'c'.repeat(129)}`],
  ])('an id with %s is 400, and the database is not asked', async (_what, path) => {
    const before = store.queries;
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(store.queries).toBe(before);
  });
});

describe('GET /connections', () => {
  it('lists every connection with events in the window once, with its state and active rule ids', async () => {
    const { status, body } = await get('/connections');
    expect(status).toBe(200);
    const ids = [...new Set(rows.filter((r) => r.started_at !== 'not a time').map((r) => r.connection_id))].sort();
    expect(body.connections.map((c: { id: string }) => c.id).sort()).toEqual(ids);
    const byId = Object.fromEntries(body.connections.map((c: { id: string }) => [c.id, c]));
    expect(byId['c-fail']).toMatchObject({ state: 'failing', active: ['shared-secret-invalid-token'] });
    expect(byId['c-fixed']).toMatchObject({ state: 'healthy', active: [] });
    // What needs attention first.
    expect(body.connections.map((c: { state: string }) => c.state)).toEqual(
      [...body.connections.map((c: { state: string }) => c.state)].sort((a: string, b: string) => ['failing', 'stale', 'unknown', 'healthy'].indexOf(a) - ['failing', 'stale', 'unknown', 'healthy'].indexOf(b)),
    );
    expect(body.connections[0].state).toBe('failing');
    // The counts by state add up to the list.
    const total = Object.values(body.states as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(ids.length);
    expect(body.states.failing).toBe(body.connections.filter((c: { state: string }) => c.state === 'failing').length);
    expect(body.problems.some((p: string) => p.startsWith('sync_events id=5:'))).toBe(true);
  });
});
