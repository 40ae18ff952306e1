/**
 * The SCS health probe against real node http servers on loopback: each case starts its own
 * server on a kernel-assigned port and says how it answers.
 */
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { DiagnosisSession, ProbeRecordSchema, type ProbeRecord } from '@scs-doctor/core/internal';
import { loadRulePack } from '@scs-doctor/adapters';
import { afterEach, describe, expect, test } from 'vitest';
import { createHealthProbe } from '../src/index.js';

const rulesDir = fileURLToPath(new URL('../../rules/rules', import.meta.url));
const open: net.Server[] = [];
const sockets = new Set<net.Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  for (const s of open.splice(0)) {
    (s as http.Server).closeAllConnections?.();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

/** A server on 127.0.0.1 whose answer per path is given; returns its base URL. */
async function serve(handler: http.RequestListener): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const srv = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  open.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`, seen };
}

/** A port nothing listens on: bound, read, closed. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function outcomes(records: ProbeRecord[]): string[] {
  return records.map((r) => `${String(r.fields['endpoint'])} ${r.outcome}`);
}

describe('createHealthProbe', () => {
  test('both endpoints answering 200 are ok, and only GET is sent', async () => {
    const { url, seen } = await serve((_req, res) => res.end('{"status":"ok"}'));
    const records = await createHealthProbe({ url }).run();
    expect([outcomes(records), seen]).toEqual([
      ['readiness ok', 'liveness ok'],
      ['GET /health/readiness', 'GET /health/liveness'],
    ]);
  });

  test('a refused connection is refused (ECONNREFUSED)', async () => {
    const records = await createHealthProbe({ url: `http://127.0.0.1:${await closedPort()}` }).run();
    expect(records.map((r) => [r.outcome, r.fields['reason']])).toEqual([
      ['refused', 'ECONNREFUSED'],
      ['refused', 'ECONNREFUSED'],
    ]);
  });

  test('a server that accepts and never answers is a timeout', async () => {
    const silent = net.createServer((socket) => void sockets.add(socket));
    open.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const records = await createHealthProbe({ url, timeoutMs: 200 }).run();
    expect(records.map((r) => [r.outcome, r.fields['reason']])).toEqual([
      ['timeout', 'TimeoutError'],
      ['timeout', 'TimeoutError'],
    ]);
  });

  test('a non-2xx answer is an http-error with its status', async () => {
    const { url } = await serve((req, res) => {
      res.statusCode = req.url === '/health/readiness' ? 503 : 200;
      res.end();
    });
    const records = await createHealthProbe({ url }).run();
    expect(records.map((r) => [r.fields['endpoint'], r.outcome, r.fields['httpStatus']])).toEqual([
      ['readiness', 'http-error', 503],
      ['liveness', 'ok', 200],
    ]);
  });

  test('a 2xx answer after the slow threshold is slow, not ok', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/health/liveness') setTimeout(() => res.end(), 150);
      else res.end();
    });
    const records = await createHealthProbe({ url, slowMs: 60, timeoutMs: 3000 }).run();
    expect(outcomes(records)).toEqual(['readiness ok', 'liveness slow']);
  });

  test('user info in the base URL never reaches a record', async () => {
    const { url } = await serve((_req, res) => res.end());
    const withUser = url.replace('http://', 'http://admin:hunter2-9c1f@');
    const records = await createHealthProbe({ url: withUser }).run();
    expect(JSON.stringify(records)).not.toContain('hunter2-9c1f');
  });

  test('every record fits ProbeRecordSchema', async () => {
    const records = await createHealthProbe({ url: `http://127.0.0.1:${await closedPort()}` }).run();
    expect(records.filter((r) => !ProbeRecordSchema.safeParse(r).success)).toEqual([]);
  });

  test('the built-in rules tell the failures apart', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/health/readiness') {
        res.statusCode = 500;
        res.end();
      } else setTimeout(() => res.end(), 150);
    });
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    for (const r of await createHealthProbe({ url, slowMs: 60 }).run()) session.probe(r);
    expect(session.report().diagnoses.map((d) => [d.ruleId, d.params['endpoint'], d.params['reason'] ?? null])).toEqual([
      ['scs-unhealthy', 'readiness', 'HTTP500'],
      ['scs-health-slow', 'liveness', null],
    ]);
  });
});
