/**
 * The S3 probe against a real S3-compatible server (Swift with s3api, started by s3-global-setup.ts).
 * The test writes its buckets and objects with the SDK directly; the probe only reads. `test:reader`
 * is a user of the server that signs correctly but may read nothing (scripts/s3-server.mjs).
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DiagnosisSession, ProbeRecordSchema, type ProbeRecord } from '@scs-doctor/core/internal';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { loadRulePack } from '@scs-doctor/adapters';
import { createS3Probe, loadDeploymentConfig, prepareDeployment, probeDeployment, READ_ONLY_COMMANDS, type S3ProbeOptions } from '../src/index.js';

const endpoint = inject('s3Endpoint');
// The built-in pack, by path: adapters does not depend on the rules package.
const rulesDir = fileURLToPath(new URL('../../rules/rules', import.meta.url));
const region = 'us-east-1';
const credentials = { accessKeyId: 'test:tester', secretAccessKey: 'testing' };
const WRONG_SECRET = 'wrong-secret-4f7c1e9a';

// Unique names, so a reused server (SCS_DOCTOR_S3_ENDPOINT) never sees a previous run's objects.
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const inbox = `scs-doctor-inbox-${run}`;
const outbox = `scs-doctor-outbox-${run}`;
const absent = `scs-doctor-absent-${run}`;
const present = `present-${run}`;
const lost = `lost-${run}`;
const listed = `scs-doctor-listed-${run}`;
const REV = '6f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';

function writer(): S3Client {
  return new S3Client({ endpoint, region, credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
}

async function probe(extra: Partial<S3ProbeOptions>): Promise<ProbeRecord[]> {
  return createS3Probe({ endpoint, region, credentials, forcePathStyle: true, buckets: [], timeoutMs: 5000, ...extra }).run();
}

/** One record, by probe and target. */
function only(records: ProbeRecord[], probeName: string, target: string): ProbeRecord {
  const found = records.filter((r) => r.probe === probeName && r.target === target);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/**
 * Swift answers its healthcheck before its account and container servers take writes; a fresh
 * server can answer 404 to the first writes for a few seconds. Retry set-up writes until it settles.
 */
async function settled<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (attempt >= 40) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

beforeAll(async () => {
  const s3 = writer();
  await settled(() => s3.send(new CreateBucketCommand({ Bucket: inbox })));
  await settled(() => s3.send(new CreateBucketCommand({ Bucket: outbox })));
  await settled(() => s3.send(new PutObjectCommand({ Bucket: inbox, Key: `${present}/shard0/manifest`, Body: '{"files":[]}' })));
  await settled(() => s3.send(new CreateBucketCommand({ Bucket: listed })));
  // Three objects over two pages of two: sizes 1500 (with a revision in the key), 1000, 10.
  await settled(() => s3.send(new PutObjectCommand({ Bucket: listed, Key: `files/${REV}/model.step`, Body: Buffer.alloc(1500, 1) })));
  await settled(() => s3.send(new PutObjectCommand({ Bucket: listed, Key: 'misc/no-revision.bin', Body: Buffer.alloc(1000, 2) })));
  await settled(() => s3.send(new PutObjectCommand({ Bucket: listed, Key: 'small/readme.txt', Body: Buffer.alloc(10, 3) })));
  await settled(async () => {
    const probed = await probe({ buckets: [{ name: inbox, role: 'inbox' }], sharedIds: [present] });
    if (probed.some((r) => r.outcome !== 'ok')) throw new Error('the server has not settled yet');
  });
  s3.destroy();
}, 60_000);

describe('bucket checks', () => {
  test('an existing bucket is ok', async () => {
    const r = only(await probe({ buckets: [{ name: outbox, role: 'outbox' }] }), 's3-bucket', outbox);
    expect(r).toMatchObject({ outcome: 'ok', message: `bucket ${outbox} (outbox) is readable`, fields: { bucket: outbox, role: 'outbox' } });
  });

  test('a bucket that does not exist is missing (NoSuchBucket)', async () => {
    const r = only(await probe({ buckets: [{ name: absent, role: 'inbox' }] }), 's3-bucket', absent);
    expect(r).toMatchObject({ outcome: 'missing', fields: { reason: 'NoSuchBucket', httpStatus: 404, role: 'inbox' } });
  });

  test('a wrong secret key is forbidden (SignatureDoesNotMatch)', async () => {
    const r = only(await probe({ credentials: { ...credentials, secretAccessKey: WRONG_SECRET }, buckets: [{ name: inbox, role: 'inbox' }] }), 's3-bucket', inbox);
    expect(r).toMatchObject({ outcome: 'forbidden', fields: { reason: 'SignatureDoesNotMatch', httpStatus: 403 } });
  });

  test('a wrong secret key never appears in the record', async () => {
    const records = await probe({ credentials: { ...credentials, secretAccessKey: WRONG_SECRET }, buckets: [{ name: inbox, role: 'inbox' }], sharedIds: [present] });
    expect(JSON.stringify(records)).not.toContain(WRONG_SECRET);
  });

  test('a wrong region is forbidden (AuthorizationHeaderMalformed)', async () => {
    const r = only(await probe({ region: 'eu-west-1', buckets: [{ name: inbox, role: 'inbox' }] }), 's3-bucket', inbox);
    expect(r).toMatchObject({ outcome: 'forbidden', fields: { reason: 'AuthorizationHeaderMalformed', httpStatus: 400 } });
  });

  test('an endpoint that does not answer is unreachable (ECONNREFUSED)', async () => {
    // Port 1 on loopback: nothing listens there.
    const r = only(await probe({ endpoint: 'http://127.0.0.1:1', maxAttempts: 1, buckets: [{ name: inbox, role: 'inbox' }] }), 's3-bucket', inbox);
    expect(r).toMatchObject({ outcome: 'unreachable', fields: { reason: 'ECONNREFUSED' } });
  });

  test('an endpoint that accepts but never answers is unreachable (TimeoutError)', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const records = await probe({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 300, maxAttempts: 1, buckets: [{ name: inbox, role: 'inbox' }] });
    silent.close();
    expect(only(records, 's3-bucket', inbox)).toMatchObject({ outcome: 'unreachable', fields: { reason: 'TimeoutError' } });
  });

  test('the label of a bucket is kept in the record fields', async () => {
    const r = only(await probe({ buckets: [{ name: inbox, role: 'inbox', label: 'inbox-primary' }] }), 's3-bucket', inbox);
    expect(r.fields['label']).toBe('inbox-primary');
  });
});

describe('manifest checks', () => {
  test('a manifest that exists is ok', async () => {
    const r = only(await probe({ buckets: [{ name: inbox, role: 'inbox' }], sharedIds: [present] }), 's3-manifest', `${inbox}/${present}/shard0/manifest`);
    expect(r).toMatchObject({ outcome: 'ok', side: 'receiving', fields: { sharedId: present, sizeBytes: 12 } });
  });

  test('a manifest that does not exist is missing', async () => {
    const r = only(await probe({ buckets: [{ name: inbox, role: 'inbox' }], sharedIds: [lost] }), 's3-manifest', `${inbox}/${lost}/shard0/manifest`);
    expect(r).toMatchObject({ outcome: 'missing', side: 'receiving', message: `no manifest at ${lost}/shard0/manifest in inbox bucket ${inbox}: NotFound (HTTP 404)` });
  });

  test('manifests are not looked for in an inbox that cannot be read', async () => {
    const r = only(await probe({ buckets: [{ name: absent, role: 'inbox' }], sharedIds: [present] }), 's3-manifest', `${absent}/${present}/shard0/manifest`);
    expect(r).toMatchObject({ outcome: 'skipped', fields: { reason: 'NoSuchBucket' } });
  });

  test('manifests are not looked for in an outbox', async () => {
    const records = await probe({ buckets: [{ name: outbox, role: 'outbox' }], sharedIds: [present] });
    expect(records.map((r) => r.probe)).toEqual(['s3-bucket']);
  });

  test("a bucket's own sharedIds replace the probe's", async () => {
    const records = await probe({ buckets: [{ name: inbox, role: 'inbox', sharedIds: [present] }], sharedIds: [lost] });
    expect(records.map((r) => `${r.probe} ${r.outcome}`)).toEqual(['s3-bucket ok', 's3-manifest ok']);
  });
});

describe('read-only', () => {
  test('the probe sends only HeadBucket, ListObjectsV2 and HeadObject', async () => {
    const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true, maxAttempts: 1, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    const sent: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push((context as { commandName: string }).commandName);
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands', priority: 'high' },
    );
    // Every path: ok bucket, missing bucket (HEAD then list), manifest present and missing.
    await probe({
      client,
      buckets: [
        { name: inbox, role: 'inbox' },
        { name: absent, role: 'outbox' },
        { name: listed, role: 'outbox' },
      ],
      sharedIds: [present, lost],
      outboxListing: { pageSize: 1 },
    });
    client.destroy();
    const counts = Object.fromEntries([...new Set(sent)].sort().map((c) => [c, sent.filter((x) => x === c).length]));
    // HeadBucket ×3; ListObjectsV2: 1 (absent, for its error code) + 3 pages of the listed Outbox; HeadObject ×2.
    expect([counts, [...new Set(sent)].every((c) => READ_ONLY_COMMANDS.has(c))]).toEqual([{ HeadBucketCommand: 3, HeadObjectCommand: 2, ListObjectsV2Command: 4 }, true]);
  });

  test('a client handed to the probe refuses writes afterwards', async () => {
    const client = writer();
    await probe({ client, buckets: [{ name: outbox, role: 'outbox' }] });
    await expect(client.send(new PutObjectCommand({ Bucket: outbox, Key: 'x', Body: 'x' }))).rejects.toThrow('read-only: refused PutObjectCommand');
    client.destroy();
  });
});

describe('records', () => {
  test('every record fits ProbeRecordSchema', async () => {
    const records = await probe({
      buckets: [
        { name: inbox, role: 'inbox' },
        { name: absent, role: 'outbox' },
      ],
      sharedIds: [present, lost],
    });
    expect(records.filter((r) => !ProbeRecordSchema.safeParse(r).success)).toEqual([]);
  });

  test('the built-in rules diagnose the failures and nothing else', async () => {
    const pack = await loadRulePack([rulesDir]);
    const session = new DiagnosisSession(pack);
    const records = await probe({
      buckets: [
        { name: inbox, role: 'inbox' },
        { name: outbox, role: 'outbox' },
        { name: absent, role: 'outbox' },
      ],
      sharedIds: [present, lost],
    });
    for (const r of records) session.probe(r);
    const report = session.report();
    expect(report.diagnoses.map((d) => [d.ruleId, d.side, d.params])).toEqual([
      ['bucket-unreachable', 'deployment', { bucket: absent, role: 'outbox', reason: 'NoSuchBucket' }],
      ['inbox-manifest-missing', 'receiving', { sharedId: lost, bucket: inbox }],
    ]);
  });
});

describe('outbox listing', () => {
  test('every page is read and each object at or over the threshold is recorded with its revision', async () => {
    const records = await probe({ buckets: [{ name: listed, role: 'outbox' }], outboxListing: { recordAboveBytes: 1000, pageSize: 2 } });
    expect(records.filter((r) => r.probe !== 's3-bucket').map((r) => [r.probe, r.outcome, r.fields['key'] ?? null, r.fields['sizeBytes'] ?? null, r.fields['revisionId'] ?? null, r.fields['pages'] ?? null])).toEqual([
      ['s3-outbox-object', 'listed', `files/${REV}/model.step`, 1500, REV, null],
      ['s3-outbox-object', 'listed', 'misc/no-revision.bin', 1000, null, null],
      ['s3-outbox-listing', 'ok', null, null, null, 2],
    ]);
  });

  test('the listing stops at maxObjects and says it is truncated', async () => {
    const records = await probe({ buckets: [{ name: listed, role: 'outbox' }], outboxListing: { recordAboveBytes: 1000, pageSize: 2, maxObjects: 2 } });
    expect(records.filter((r) => r.probe === 's3-outbox-listing').map((r) => [r.outcome, r.fields['objects']])).toEqual([['truncated', 2]]);
  });

  test('the rule judges sizes against its own ceiling (a pack with a 1200-byte ceiling)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scs-doctor-ceiling-'));
    const yaml = await fs.readFile(path.join(rulesDir, 'deployment', 'outbox-object-over-ceiling.yaml'), 'utf8');
    expect(yaml).toContain('value: 2000000000');
    await fs.writeFile(path.join(dir, 'outbox-object-over-ceiling.yaml'), yaml.replace('value: 2000000000', 'value: 1200'));
    const session = new DiagnosisSession(await loadRulePack([dir]));
    for (const r of await probe({ buckets: [{ name: listed, role: 'outbox' }], outboxListing: { recordAboveBytes: 0 } })) session.probe(r);
    await fs.rm(dir, { recursive: true, force: true });
    expect(session.report().diagnoses.map((d) => [d.ruleId, d.params])).toEqual([['outbox-object-over-ceiling', { key: `files/${REV}/model.step`, bucket: listed, sizeBytes: 1500, revisionId: REV }]]);
  });
});

describe('probeDeployment', () => {
  let dir: string;
  const envOk = { TEST_S3_KEY_ID: 'test:tester', TEST_S3_SECRET: 'testing', TEST_RSS_KEY_ID: 'test:reader', TEST_RSS_SECRET: 'reading' };
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scs-doctor-deploy-'));
    await fs.writeFile(path.join(dir, 'scs.env'), 'ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET=alpha-7d1e0c\n');
    await fs.writeFile(path.join(dir, 'registry.env'), 'export FILE_SERVICE_REMOTE_MASTER_SECRET="bravo-93b2aa"\n');
    const s3 = { endpoint, region, forcePathStyle: true, accessKeyIdEnv: 'TEST_S3_KEY_ID', secretAccessKeyEnv: 'TEST_S3_SECRET', buckets: [{ name: inbox, role: 'inbox', label: 'inbox-primary' }] };
    await fs.writeFile(path.join(dir, 'deploy.json'), JSON.stringify({ s3, env: { scs: 'scs.env', registry: 'registry.env' }, sharedIds: [present] }));
    await fs.writeFile(path.join(dir, 'no-snapshot.json'), JSON.stringify({ s3, env: { scs: 'missing-scs.env', registry: 'registry.env' }, sharedIds: [present] }));
    const services = { scs: { accessKeyIdEnv: 'TEST_S3_KEY_ID', secretAccessKeyEnv: 'TEST_S3_SECRET' }, registry: { accessKeyIdEnv: 'TEST_RSS_KEY_ID', secretAccessKeyEnv: 'TEST_RSS_SECRET' } };
    await fs.writeFile(path.join(dir, 'services.json'), JSON.stringify({ s3: { endpoint, region, forcePathStyle: true, services, outboxListing: { enabled: false }, buckets: [{ name: outbox, role: 'outbox' }] } }));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('runs the secrets and S3 probes of a config file', async () => {
    const config = await loadDeploymentConfig(path.join(dir, 'deploy.json'));
    const { records, problems } = await probeDeployment(config, { sharedIds: [lost], env: envOk });
    expect([records.map((r) => `${r.probe} ${r.outcome}`), problems]).toEqual([['master-secret mismatch', 's3-bucket ok', 's3-manifest ok', 's3-manifest missing'], []]);
  });

  test('no secret of the deployment appears in its records', async () => {
    const config = await loadDeploymentConfig(path.join(dir, 'deploy.json'));
    const json = JSON.stringify(await probeDeployment(config, { env: envOk }));
    expect([json.includes('alpha-7d1e0c'), json.includes('bravo-93b2aa'), json.includes('"testing"')]).toEqual([false, false, false]);
  });

  test('an unset credential variable is a problem known before the run; the other checks still run', async () => {
    const config = await loadDeploymentConfig(path.join(dir, 'deploy.json'));
    const prepared = await prepareDeployment(config, { env: { TEST_S3_KEY_ID: 'test:tester' } });
    const { records, problems } = await prepared.run();
    expect([prepared.problems.map((p) => p.code), records.map((r) => r.probe), problems.map((p) => p.message.includes('TEST_S3_SECRET'))]).toEqual([['OPTION_INVALID'], ['master-secret'], [true]]);
  });

  test('a missing environment snapshot is a problem; the S3 checks still run', async () => {
    const config = await loadDeploymentConfig(path.join(dir, 'no-snapshot.json'));
    const { records, problems } = await probeDeployment(config, { env: envOk });
    expect([problems.map((p) => [p.code, path.basename(p.file ?? '')]), records.map((r) => r.probe)]).toEqual([[['INPUT_NOT_FOUND', 'missing-scs.env']], ['s3-bucket', 's3-manifest']]);
  });

  test('each service reads with its own credentials; a bucket only SCS can read is diagnosed as such', async () => {
    const config = await loadDeploymentConfig(path.join(dir, 'services.json'));
    const { records } = await probeDeployment(config, { env: envOk });
    expect(records.map((r) => [r.probe, r.target, r.outcome, r.fields['reason'] ?? null])).toEqual([
      ['s3-bucket', `${outbox} (scs)`, 'ok', null],
      ['s3-bucket', `${outbox} (registry)`, 'forbidden', 'AccessDenied'],
      ['s3-bucket-access', outbox, 'differs', 'AccessDenied'],
    ]);
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    for (const r of records) session.probe(r);
    expect(session.report().diagnoses.map((d) => [d.ruleId, d.params['cannotRead'] ?? d.params['service']])).toEqual([
      ['bucket-access-differs', 'the Registry Service'],
      ['bucket-unreachable', 'the Registry Service'],
    ]);
  });
});
