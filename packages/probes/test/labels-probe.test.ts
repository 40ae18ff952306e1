/**
 * The object-store label probe: both services' configurations read from environment snapshots in
 * each supported shape (env file, JSON, Kubernetes Secret / ConfigMap YAML) and compared label by label.
 */
import { fileURLToPath } from 'node:url';
import { diagnose, DiagnosisSession } from '@scs-doctor/core/internal';
import { loadRulePack } from '@scs-doctor/adapters';
import { describe, expect, test } from 'vitest';
import { createLabelProbe, readEnvSnapshot, readObjectStores } from '../src/index.js';

const rulesDir = fileURLToPath(new URL('../../rules/rules', import.meta.url));
const scsMapping = { bucket: 'SCS_OBJECT_STORE_{label}_BUCKET', region: 'SCS_OBJECT_STORE_{label}_REGION', endpoint: 'SCS_OBJECT_STORE_{label}_ENDPOINT' };
const regMapping = { json: 'FILE_SERVICE_OBJECT_STORES' };

const SCS_ENV = `# kubectl exec deploy/secure-connection-service -- env
SCS_OBJECT_STORE_outbox_BUCKET=acme-outbox
SCS_OBJECT_STORE_outbox_REGION=us-east-1
SCS_OBJECT_STORE_inbox_BUCKET=acme-inbox
SCS_OBJECT_STORE_inbox_REGION=us-east-1
SCS_OBJECT_STORE_archive_BUCKET=acme-archive
`;
// Base64 of {"outbox":{"bucket":"acme-outbox","region":"us-east-1"},"inbox":{"bucket":"acme-inbox-old","region":"us-east-1"}}
const REG_SECRET_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: registry-service-env
type: Opaque
data:
  FILE_SERVICE_OBJECT_STORES: ${Buffer.from(JSON.stringify({ outbox: { bucket: 'acme-outbox', region: 'us-east-1' }, inbox: { bucket: 'acme-inbox-old', region: 'us-east-1' } })).toString('base64')}
`;

describe('readObjectStores', () => {
  test('a template mapping collects every setting under its label', () => {
    const { stores } = readObjectStores(readEnvSnapshot(SCS_ENV), scsMapping);
    expect(Object.fromEntries(stores)).toEqual({
      outbox: { bucket: 'acme-outbox', region: 'us-east-1' },
      inbox: { bucket: 'acme-inbox', region: 'us-east-1' },
      archive: { bucket: 'acme-archive' },
    });
  });

  test('a JSON mapping reads a Kubernetes Secret (base64 data)', () => {
    const { stores } = readObjectStores(readEnvSnapshot(REG_SECRET_YAML), regMapping);
    expect(Object.fromEntries(stores)).toEqual({ outbox: { bucket: 'acme-outbox', region: 'us-east-1' }, inbox: { bucket: 'acme-inbox-old', region: 'us-east-1' } });
  });

  test('a JSON snapshot (container env list) works the same', () => {
    const json = JSON.stringify([{ name: 'SCS_OBJECT_STORE_outbox_BUCKET', value: 'acme-outbox' }]);
    expect(Object.fromEntries(readObjectStores(readEnvSnapshot(json), scsMapping).stores)).toEqual({ outbox: { bucket: 'acme-outbox' } });
  });

  test('a JSON variable that is not JSON is a problem that does not quote the value', () => {
    const r = readObjectStores({ FILE_SERVICE_OBJECT_STORES: '{not json secret-ish' }, regMapping);
    expect([r.problem, r.stores.size]).toEqual(['FILE_SERVICE_OBJECT_STORES is not valid JSON', 0]);
  });

  test("an endpoint's user info is dropped", () => {
    const { stores } = readObjectStores({ X_a_BUCKET: 'b', X_a_ENDPOINT: 'https://key:secret-7f1@minio.local:9000/' }, { bucket: 'X_{label}_BUCKET', endpoint: 'X_{label}_ENDPOINT' });
    expect(stores.get('a')).toEqual({ bucket: 'b', endpoint: 'https://minio.local:9000' });
  });
});

describe('createLabelProbe', () => {
  const run = () => createLabelProbe({ scs: { env: readEnvSnapshot(SCS_ENV), mapping: scsMapping }, registry: { env: readEnvSnapshot(REG_SECRET_YAML), mapping: regMapping } }).run();

  test('one record a label: same, different, one service only', async () => {
    expect((await run()).map((r) => [r.target, r.outcome])).toEqual([
      ['archive', 'missing'],
      ['inbox', 'mismatch'],
      ['outbox', 'ok'],
    ]);
  });

  test('the built-in rules name the missing label and the differing bucket', async () => {
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    for (const r of await run()) session.probe(r);
    expect(session.report().diagnoses.map((d) => [d.ruleId, d.params])).toEqual([
      ['object-store-label-mismatch', { label: 'inbox', differences: 'bucket acme-inbox vs acme-inbox-old' }],
      ['object-store-label-missing', { label: 'archive', configuredIn: 'SCS', missingIn: 'the Registry Service' }],
    ]);
  });

  test('the label of a bucket-not-configured log line is the one the probe names', async () => {
    const report = diagnose(await loadRulePack([rulesDir]), {
      logs: [
        {
          kind: 'log',
          format: 'plain',
          level: 'error',
          time: '2026-05-12T09:00:00Z',
          message: 'connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label archive',
          source: { file: 'scs.log', line: 1, endLine: 1 },
        },
      ],
      probes: await run(),
    });
    const labels = report.diagnoses.filter((d) => d.ruleId === 'bucket-not-configured' || d.ruleId === 'object-store-label-missing').map((d) => [d.ruleId, d.params['label']]);
    expect(labels).toEqual([
      ['bucket-not-configured', 'archive'],
      ['object-store-label-missing', 'archive'],
    ]);
  });
});
