/**
 * prepareDeployment without an S3 server: health, labels and the Outbox history read from files a
 * deployment file names, problems for what is missing, and the built-in rules on the result.
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosisSession } from '@scs-doctor/core/internal';
import { loadRulePack } from '@scs-doctor/adapters';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDeploymentConfig, prepareDeployment, probeDeployment } from '../src/index.js';

const rulesDir = fileURLToPath(new URL('../../rules/rules', import.meta.url));
const SID = '3f2a9c4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
let dir: string;
let server: http.Server;
let url: string;

async function write(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scs-doctor-deployment-'));
  server = http.createServer((req, res) => {
    res.statusCode = req.url === '/health/readiness' ? 503 : 200;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  await write('scs.env', 'ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET=same-6c1d\nSCS_STORE_outbox_BUCKET=acme-outbox\nSCS_STORE_outbox_REGION=us-east-1\nSCS_STORE_extra_BUCKET=acme-extra\n');
  await write('scs-2026-01.env', 'SCS_STORE_outbox_BUCKET=acme-outbox-old\nSCS_STORE_outbox_REGION=us-east-1\n');
  await write('registry.json', { FILE_SERVICE_REMOTE_MASTER_SECRET: 'same-6c1d', FILE_SERVICE_STORES: JSON.stringify({ outbox: { bucket: 'acme-outbox', region: 'us-east-1' } }) });
  await write('deploy.json', {
    scs: { url, timeoutMs: 2000 },
    env: { scs: 'scs.env', registry: 'registry.json' },
    objectStores: { scs: { bucket: 'SCS_STORE_{label}_BUCKET', region: 'SCS_STORE_{label}_REGION' }, registry: { json: 'FILE_SERVICE_STORES' } },
    connections: [{ sharedId: SID, name: 'Acme to Partner', outboxLabel: 'outbox', createdAt: '2026-01-15T00:00:00Z' }],
    history: [{ time: '2026-01-10T00:00:00Z', scs: 'scs-2026-01.env' }],
  });
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('prepareDeployment', () => {
  test('health, secrets, labels and the Outbox history each give their records', async () => {
    const { records, problems } = await probeDeployment(await loadDeploymentConfig(path.join(dir, 'deploy.json')));
    expect([records.map((r) => `${r.probe} ${r.target.replace(url, '')} ${r.outcome}`), problems]).toEqual([
      ['scs-health /health/readiness http-error', 'scs-health /health/liveness ok', 'master-secret scs-vs-registry ok', 'object-store-label extra missing', 'object-store-label outbox ok', `outbox-history ${SID} changed`],
      [],
    ]);
  });

  test('the built-in rules diagnose them', async () => {
    const { records } = await probeDeployment(await loadDeploymentConfig(path.join(dir, 'deploy.json')));
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    for (const r of records) session.probe(r);
    expect(
      session
        .report()
        .diagnoses.map((d) => d.ruleId)
        .sort(),
    ).toEqual(['object-store-label-missing', 'outbox-changed-after-creation', 'scs-unhealthy']);
  });

  test('the Outbox change names both buckets and the snapshot time', async () => {
    const { records } = await probeDeployment(await loadDeploymentConfig(path.join(dir, 'deploy.json')));
    expect(records.find((r) => r.probe === 'outbox-history')!.message).toBe(
      `outbox of connection ${SID} changed after it was created [snapshot 2026-01-10T00:00:00Z]: label outbox was bucket acme-outbox-old, region us-east-1; now bucket acme-outbox, region us-east-1`,
    );
  });

  test('a connection created before every snapshot is not compared', async () => {
    const file = await write('early.json', {
      env: { scs: 'scs.env', registry: 'registry.json' },
      objectStores: { scs: { bucket: 'SCS_STORE_{label}_BUCKET' }, registry: { json: 'FILE_SERVICE_STORES' } },
      connections: [{ sharedId: SID, outboxLabel: 'outbox', createdAt: '2025-06-01T00:00:00Z' }],
      history: [{ time: '2026-01-10T00:00:00Z', scs: 'scs-2026-01.env' }],
    });
    const { records } = await probeDeployment(await loadDeploymentConfig(file));
    expect(records.filter((r) => r.probe === 'outbox-history').map((r) => r.outcome)).toEqual(['skipped']);
  });

  test('missing snapshots are problems known up front; the health check still runs', async () => {
    const file = await write('missing.json', {
      scs: { url },
      env: { scs: 'gone-scs.env', registry: 'registry.json' },
      history: [{ time: '2026-01-10T00:00:00Z', scs: 'gone-old.env' }],
      objectStores: { scs: { json: 'X' }, registry: { json: 'Y' } },
    });
    const prepared = await prepareDeployment(await loadDeploymentConfig(file));
    const { records } = await prepared.run();
    expect([prepared.problems.map((p) => [p.code, path.basename(p.file ?? '')]), records.map((r) => r.probe)]).toEqual([
      [
        ['INPUT_NOT_FOUND', 'gone-scs.env'],
        ['INPUT_NOT_FOUND', 'gone-old.env'],
      ],
      ['scs-health', 'scs-health'],
    ]);
  });

  test('a JSON mapping variable that is not JSON is a problem, not a finding, and its value is not quoted', async () => {
    await write('bad-registry.env', 'FILE_SERVICE_STORES={"outbox": secret-looking-9f\n');
    const file = await write('badjson.json', { env: { scs: 'scs.env', registry: 'bad-registry.env' }, objectStores: { scs: { bucket: 'SCS_STORE_{label}_BUCKET' }, registry: { json: 'FILE_SERVICE_STORES' } } });
    const { records, problems } = await probeDeployment(await loadDeploymentConfig(file));
    expect([problems.map((p) => p.code), JSON.stringify(problems).includes('secret-looking-9f'), records.filter((r) => r.probe === 'object-store-label').map((r) => r.outcome)]).toEqual([['INPUT_CORRUPT'], false, ['missing', 'missing']]);
  });
});

describe('loadDeploymentConfig', () => {
  test('objectStores without env is refused with the place', async () => {
    const file = await write('no-env.json', { scs: { url }, objectStores: { scs: { json: 'X' }, registry: { json: 'Y' } } });
    await expect(loadDeploymentConfig(file)).rejects.toMatchObject({ code: 'OPTION_INVALID', message: expect.stringContaining('objectStores') });
  });

  test('a template without {label} is refused', async () => {
    const file = await write('no-label.json', { env: { scs: 'scs.env', registry: 'registry.json' }, objectStores: { scs: { bucket: 'SCS_BUCKET' }, registry: { json: 'Y' } } });
    await expect(loadDeploymentConfig(file)).rejects.toMatchObject({ code: 'OPTION_INVALID', message: expect.stringContaining('{label}') });
  });
});
