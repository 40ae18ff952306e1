/**
 * The admin backend's endpoint beside each connection of the Secure Connections panel: "what is
 * wrong with this connection now, since when, is it fixed, what do I do", computed by scs-doctor
 * from the rows of the backend's own `sync_events` table (rows.ts). The rule pack is compiled once
 * at start-up; each request diagnoses the rows it read.
 *
 *   GET /connections/:id   one connection: state, since when, active and resolved diagnoses, the fix
 *   GET /connections       every connection with events in the last `overviewDays` days
 *
 * Run: npx tsx examples/02-admin-backend/server.ts   (serves the sample rows on 127.0.0.1:3000;
 * PORT and HOST change that), then: curl -s localhost:3000/connections/c-7f3a1e
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { connectionStatus, type Diagnosis, type RulePack } from '@scs-doctor/core';
import { loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';
import { eventOf, MemoryStore, SAMPLE_ROWS, type RowProblem, type SyncEventRow, type SyncEventStore } from './rows.js';

export interface ServerOptions {
  pack: RulePack;
  store: SyncEventStore;
  /** The clock connections are judged by (staleness, how long a failure lasts). */
  now?: () => Date;
  /** How many of a connection's newest rows one request reads. */
  rowLimit?: number;
  /** How far back the overview looks, in days. */
  overviewDays?: number;
  logger?: FastifyServerOptions['logger'];
}

/** Connection ids as the panel makes them: a letter or digit, then letters, digits, `.`, `_`, `:`, `-`. */
export const CONNECTION_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

/** One active diagnosis as the panel shows it: the headline, since when, and the steps to take. */
function activeView(d: Diagnosis) {
  return {
    ruleId: d.ruleId,
    severity: d.severity,
    title: d.title,
    summary: d.summary,
    firstSeen: d.firstSeen ?? null,
    lastSeen: d.lastSeen ?? null,
    count: d.count,
    // When the partner's data is in the same history, the steps it leaves (the rest are done).
    whatToDo: d.peer?.remediation ?? d.remediation,
    peerNote: d.peer?.note ?? null,
    // Diagnoses that explain this one (a deployment check and the failure it causes).
    causedBy: d.related?.filter((r) => r.relation === 'cause').map((r) => r.ruleId) ?? [],
  };
}

function resolvedView(d: Diagnosis) {
  return { ruleId: d.ruleId, severity: d.severity, title: d.title, summary: d.summary, firstSeen: d.firstSeen ?? null, resolvedAt: d.resolvedAt ?? null };
}

const rowProblem = (p: RowProblem) => `sync_events id=${p.rowId}: ${p.message}`;

/** The overview lists what needs attention first. */
const STATE_ORDER = ['failing', 'stale', 'unknown', 'healthy'];

/** The server, not yet listening (the caller chooses where: `listen({ port, host })`). */
export function buildServer(options: ServerOptions): FastifyInstance {
  const { pack, store } = options;
  const now = options.now ?? (() => new Date());
  const rowLimit = options.rowLimit ?? 500;
  const overviewDays = options.overviewDays ?? 7;
  // Ids longer than the pattern allows are refused by it (400), not by the router's own limit (414).
  const app = Fastify({ logger: options.logger ?? false, routerOptions: { maxParamLength: 256 } });

  app.get<{ Params: { id: string } }>(
    '/connections/:id',
    // An id that no connection can have is refused before the database is asked (400).
    { schema: { params: { type: 'object', properties: { id: { type: 'string', pattern: CONNECTION_ID_PATTERN } }, required: ['id'] } } },
    async (request, reply) => {
      const { id } = request.params;
      const rows = await store.connectionRows(id, rowLimit);
      const rowProblems: RowProblem[] = [];
      const events = rows.map((r) => eventOf(r, rowProblems));
      const judgedAt = now();
      const status = connectionStatus(pack, { events }, id, { now: judgedAt });
      const c = status.connection;
      if (!c) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no sync events for connection ${id}` });
      return {
        id: c.id ?? id,
        name: c.name ?? null,
        side: c.side,
        sharedId: c.sharedId ?? null,
        state: c.state,
        since: c.since ?? null,
        lastSuccess: c.lastSuccess ?? null,
        lastFailure: c.lastFailure ?? null,
        consecutiveFailures: c.consecutiveFailures,
        flapping: c.flapping,
        judgedAt: judgedAt.toISOString(),
        active: status.active.map(activeView),
        resolved: status.resolved.map(resolvedView),
        // Rows that could not be read in full: the answer is partial, and says so.
        problems: [...rowProblems.map(rowProblem), ...status.problems],
      };
    },
  );

  app.get('/connections', async () => {
    const judgedAt = now();
    const rows = await store.rowsSince(new Date(judgedAt.getTime() - overviewDays * 86_400_000), rowLimit * 20);
    // Each connection judged on its own rows, as its page judges it: a diagnosis that another
    // connection still has does not keep this one's icon red after its own recovery.
    const byConnection = new Map<string, SyncEventRow[]>();
    for (const r of rows) {
      const list = byConnection.get(r.connection_id);
      if (list) list.push(r);
      else byConnection.set(r.connection_id, [r]);
    }
    const connections = [];
    const problems: string[] = [];
    for (const [id, list] of byConnection) {
      const rowProblems: RowProblem[] = [];
      const status = connectionStatus(pack, { events: list.map((r) => eventOf(r, rowProblems)) }, id, { now: judgedAt });
      problems.push(...rowProblems.map(rowProblem), ...status.problems.map((p) => `${id}: ${p}`));
      const c = status.connection;
      if (c) connections.push({ id: c.id ?? id, name: c.name ?? null, side: c.side, state: c.state, since: c.since ?? null, active: status.active.map((d) => d.ruleId) });
    }
    connections.sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || (a.name ?? a.id).localeCompare(b.name ?? b.id));
    const states: Record<string, number> = {};
    for (const c of connections) states[c.state] = (states[c.state] ?? 0) + 1;
    return { judgedAt: judgedAt.toISOString(), states, connections, problems };
  });

  return app;
}

/** Starts the server over the sample rows. */
export async function main(): Promise<FastifyInstance> {
  const pack = await loadRulePack([rulesDir]);
  const app = buildServer({ pack, store: new MemoryStore(SAMPLE_ROWS), logger: true, now: () => new Date('2026-05-12T09:30:00Z') });
  await app.listen({ port: Number(process.env['PORT'] ?? 3000), host: process.env['HOST'] ?? '127.0.0.1' });
  return app;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const app = await main();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());
}
