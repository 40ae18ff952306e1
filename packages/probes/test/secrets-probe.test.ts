/**
 * The Master Key probe, environment snapshots, and the deployment config: values are compared,
 * only fingerprints leave, and a config file with a credential in it is refused.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosisSession, ProbeRecordSchema } from '@scs-doctor/core/internal';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadRulePack } from '@scs-doctor/adapters';
import { createSecretsProbe, fingerprint, loadDeploymentConfig, readEnvSnapshot } from '../src/index.js';

const SCS = 'ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET';
const REG = 'FILE_SERVICE_REMOTE_MASTER_SECRET';
const A = 'Zq8-master-alpha-51c0e2';
const B = 'Zq8-master-bravo-9e77d4';
const rulesDir = fileURLToPath(new URL('../../rules/rules', import.meta.url));

const SALT = '0c4e9a7b21d85f36';

async function check(scs: string | undefined, registry: string | undefined, salt?: string) {
  const records = await createSecretsProbe({ scs: { [SCS]: scs, OTHER: 'x' }, registry: { [REG]: registry }, ...(salt ? { salt } : {}) }).run();
  expect(records).toHaveLength(1);
  return records[0]!;
}

describe('createSecretsProbe', () => {
  // [case, SCS value, Registry value, outcome]
  const outcomes: [string, string | undefined, string | undefined, string][] = [
    ['equal values', A, A, 'ok'],
    ['different values', A, B, 'mismatch'],
    ['a trailing newline on one side', A, `${A}\n`, 'mismatch'],
    ['Registry Service value not set', A, undefined, 'missing'],
    ['SCS value empty', '', A, 'missing'],
    ['neither set', undefined, undefined, 'missing'],
  ];
  test.each(outcomes)('%s → %s', async (_case, scs, registry, outcome) => {
    expect((await check(scs, registry)).outcome).toBe(outcome);
  });

  // [case, SCS value, Registry value] — each secret value must be absent from the record.
  const leaks: [string, string | undefined, string | undefined][] = [
    ['equal values', A, A],
    ['different values', A, B],
    ['a trailing newline on one side', A, `${A}\n`],
    ['one value not set', undefined, B],
  ];
  test.each(leaks)('%s: no secret value in the record JSON', async (_case, scs, registry) => {
    const json = JSON.stringify(await check(scs, registry));
    expect([json.includes(A), json.includes(B)]).toEqual([false, false]);
  });

  test('fingerprints are scrypt: and 12 hex digits of scrypt(value, salt)', () => {
    // python3 -c 'import hashlib;print(hashlib.scrypt(b"password",salt=b"5d0c7a19e2b4f683",n=16384,r=8,p=1,dklen=16).hex()[:12])'
    expect(fingerprint('password', '5d0c7a19e2b4f683')).toBe('scrypt:321e82bd8437');
  });

  test('the same value has another fingerprint under another salt', () => {
    expect(fingerprint('password', 'a') === fingerprint('password', 'b')).toBe(false);
  });

  test('each probe draws its own salt, and the record names it', async () => {
    const [a, b] = await Promise.all([check(A, B), check(A, B)]);
    expect([typeof a.fields['fingerprintSalt'], a.fields['fingerprintSalt'] === b.fields['fingerprintSalt'], a.fields['scsFingerprint'] === fingerprint(A, a.fields['fingerprintSalt'] as string)]).toEqual(['string', false, true]);
  });

  test('a mismatch reports both fingerprints', async () => {
    expect((await check(A, B, SALT)).fields).toMatchObject({ scsFingerprint: fingerprint(A, SALT), registryFingerprint: fingerprint(B, SALT), differsOnlyByWhitespace: false });
  });

  test('a mismatch that is only whitespace says so', async () => {
    expect((await check(A, ` ${A}\n`)).fields['differsOnlyByWhitespace']).toBe(true);
  });

  test('the record fits ProbeRecordSchema', async () => {
    expect(ProbeRecordSchema.safeParse(await check(A, B)).success).toBe(true);
  });

  test('master-secret-mismatch diagnoses a mismatch with both fingerprints and no value', async () => {
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    session.probe(await check(A, B, SALT));
    const report = session.report();
    expect(report.diagnoses.map((d) => [d.ruleId, d.side, d.params])).toEqual([['master-secret-mismatch', 'deployment', { scsFingerprint: fingerprint(A, SALT), registryFingerprint: fingerprint(B, SALT), salt: SALT }]]);
  });

  test('master-secret-mismatch diagnoses a missing value as "not set"', async () => {
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    session.probe(await check(A, undefined, SALT));
    expect(session.report().diagnoses.map((d) => d.params)).toEqual([{ scsFingerprint: fingerprint(A, SALT), registryFingerprint: 'not set', salt: SALT }]);
  });

  test('matching secrets are diagnosed as nothing', async () => {
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    session.probe(await check(A, A));
    expect(session.report().diagnoses).toEqual([]);
  });

  // Regression: with target `master-key`, the excerpt `master-secret master-key: master secret …`
  // read as an assignment to the redactor and lost its first word.
  test('the evidence excerpt is not mistaken for a secret by the redactor', async () => {
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    session.probe(await check(A, B, SALT));
    expect(session.report().diagnoses[0]!.evidence[0]!.excerpt).toContain(`master secret fingerprints differ: SCS ${fingerprint(A, SALT)}, Registry Service ${fingerprint(B, SALT)}`);
  });

  test('no secret value appears in the rendered report', async () => {
    const session = new DiagnosisSession(await loadRulePack([rulesDir]));
    session.probe(await check(A, B, SALT));
    const json = JSON.stringify(session.report());
    expect([json.includes(A), json.includes(B)]).toEqual([false, false]);
  });
});

describe('readEnvSnapshot', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  // [case, text, key, expected value]
  const cases: [string, string, string, string | undefined][] = [
    ['dotenv KEY=value', `${REG}=abc123\n`, REG, 'abc123'],
    ['dotenv export', `export ${REG}=abc123\n`, REG, 'abc123'],
    ['dotenv double quotes with escapes', `${REG}="a b\\"c\\n"\n`, REG, 'a b"c\n'],
    ['dotenv single quotes are literal', `${REG}='a\\nb # c'\n`, REG, 'a\\nb # c'],
    ['dotenv inline comment', `${REG}=abc123 # rotated 2026-05\n`, REG, 'abc123'],
    ['dotenv comment lines and blanks', `# comment\n\n${REG}=abc123\n`, REG, 'abc123'],
    ['dotenv = inside the value', `${REG}=a=b=c\n`, REG, 'a=b=c'],
    ['dotenv CRLF', `${REG}=abc123\r\nOTHER=1\r\n`, REG, 'abc123'],
    ['dotenv key absent', 'OTHER=1\n', REG, undefined],
    ['JSON object', JSON.stringify({ [REG]: 'abc123', PORT: 8000 }), REG, 'abc123'],
    ['JSON numbers become strings', JSON.stringify({ PORT: 8000 }), 'PORT', '8000'],
    ['JSON list of {name, value}', JSON.stringify([{ name: REG, value: 'abc123' }]), REG, 'abc123'],
    ['JSON container spec env', JSON.stringify({ env: [{ name: REG, value: 'abc123' }] }), REG, 'abc123'],
    ['JSON Kubernetes Secret (base64 data)', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', data: { [REG]: b64('abc123\n') } }), REG, 'abc123\n'],
    ['JSON Kubernetes ConfigMap', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data: { [REG]: 'abc123' } }), REG, 'abc123'],
    ['YAML Secret data (base64)', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: scs\ndata:\n  ${SCS}: ${b64('abc123')}\ntype: Opaque\n`, SCS, 'abc123'],
    ['YAML Secret data keeps a trailing newline', `apiVersion: v1\nkind: Secret\ndata:\n  ${SCS}: ${b64('abc123\n')}\n`, SCS, 'abc123\n'],
    ['YAML Secret stringData (plain)', `apiVersion: v1\nkind: Secret\nstringData:\n  ${SCS}: "abc123"\n`, SCS, 'abc123'],
    ['YAML stringData wins over data', `kind: Secret\ndata:\n  ${SCS}: ${b64('old')}\nstringData:\n  ${SCS}: new\n`, SCS, 'new'],
    ['YAML ConfigMap data (plain)', `apiVersion: v1\nkind: ConfigMap\ndata:\n  ${REG}: 'abc''123'\n`, REG, "abc'123"],
    ['YAML block scalar', `kind: ConfigMap\ndata:\n  ${REG}: |\n    abc123\n  OTHER: x\n`, REG, 'abc123\n'],
    ['YAML block scalar, chomped', `kind: ConfigMap\ndata:\n  ${REG}: |-\n    abc123\n`, REG, 'abc123'],
    ['YAML nested metadata keys are not data', `kind: ConfigMap\nmetadata:\n  name: ${REG}\ndata:\n  OTHER: x\n`, 'name', undefined],
    // Read by the yaml library since the private grammar (block maps only) was replaced.
    ['YAML flow mapping', `kind: ConfigMap\ndata: {${REG}: abc123, OTHER: x}\n`, REG, 'abc123'],
    ['YAML double-quoted escapes', `kind: ConfigMap\ndata:\n  ${REG}: "abc\\x41\\u00e9"\n`, REG, 'abcAé'],
    ['YAML numbers stay as written', `kind: ConfigMap\ndata:\n  PORT: 0800\n`, 'PORT', '0800'],
    ['YAML second document', `kind: ConfigMap\ndata:\n  OTHER: x\n---\nkind: Secret\ndata:\n  ${SCS}: ${b64('abc123')}\n`, SCS, 'abc123'],
  ];
  test.each(cases)('%s', (_case, text, key, value) => {
    expect(readEnvSnapshot(text)[key]).toBe(value);
  });

  test('invalid JSON is INPUT_CORRUPT and does not quote the text', () => {
    let err: unknown;
    try {
      readEnvSnapshot(`{"${REG}": "abc123-do-not-print", }`, 'registry.json');
    } catch (e) {
      err = e;
    }
    expect([(err as { code?: string }).code, String((err as Error).message).includes('abc123-do-not-print')]).toEqual(['INPUT_CORRUPT', false]);
  });

  test('YAML that does not parse is INPUT_CORRUPT with its line, and does not quote it', () => {
    let err: unknown;
    try {
      readEnvSnapshot(`kind: Secret\nstringData:\n  ${REG}: "abc123-do-not-print\n  OTHER: [x\n`, 'scs.yaml');
    } catch (e) {
      err = e;
    }
    expect([(err as { code?: string }).code, String((err as Error).message).includes('abc123-do-not-print'), typeof (err as { place?: { line?: number } }).place?.line]).toEqual(['INPUT_CORRUPT', false, 'number']);
  });

  test('Secret data that is not base64 is INPUT_CORRUPT and does not quote it', () => {
    let err: unknown;
    try {
      readEnvSnapshot(`kind: Secret\ndata:\n  ${REG}: not*base64!secret\n`, 'scs.yaml');
    } catch (e) {
      err = e;
    }
    expect([(err as { code?: string }).code, String((err as Error).message).includes('not*base64!secret')]).toEqual(['INPUT_CORRUPT', false]);
  });
});

describe('loadDeploymentConfig', () => {
  let dir: string;
  const write = async (name: string, value: unknown) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };
  const s3 = { region: 'us-east-1', buckets: [{ name: 'acme-scs-inbox', role: 'inbox' }] };
  const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scs-doctor-config-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function failure(name: string, value: unknown): Promise<{ code: string; message: string }> {
    const file = await write(name, value);
    try {
      await loadDeploymentConfig(file);
    } catch (e) {
      return { code: (e as { code: string }).code, message: (e as Error).message };
    }
    throw new Error('expected loadDeploymentConfig to throw');
  }

  test('resolves the environment snapshots against the config folder', async () => {
    const file = await write('ok.json', { s3, env: { scs: 'scs.env', registry: 'sub/registry.env' } });
    expect((await loadDeploymentConfig(file)).env).toEqual({ scs: path.join(dir, 'scs.env'), registry: path.join(dir, 'sub/registry.env') });
  });

  test('keeps the names of the credential variables', async () => {
    const file = await write('names.json', { s3: { ...s3, accessKeyIdEnv: 'SCS_S3_KEY_ID', secretAccessKeyEnv: 'SCS_S3_SECRET' } });
    expect((await loadDeploymentConfig(file)).s3).toMatchObject({ accessKeyIdEnv: 'SCS_S3_KEY_ID', secretAccessKeyEnv: 'SCS_S3_SECRET' });
  });

  // [case, config] — every one is refused with OPTION_INVALID.
  const refused: [string, unknown][] = [
    ['a literal secretAccessKey', { s3: { ...s3, secretAccessKey: AWS_SECRET } }],
    ['a literal accessKeyId', { s3: { ...s3, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' } }],
    ['a credentials object', { s3: { ...s3, credentials: { accessKeyId: 'a', secretAccessKey: AWS_SECRET } } }],
    ['a secret in place of a variable name', { s3: { ...s3, accessKeyIdEnv: 'AKIAIOSFODNN7EXAMPLE', secretAccessKeyEnv: AWS_SECRET } }],
    ['credentials in the endpoint URL', { s3: { ...s3, endpoint: `https://AKIAIOSFODNN7EXAMPLE:${encodeURIComponent(AWS_SECRET)}@s3.example.com` } }],
    ['an access key variable without its secret', { s3: { ...s3, accessKeyIdEnv: 'SCS_S3_KEY_ID' } }],
    ['an unknown bucket role', { s3: { ...s3, buckets: [{ name: 'acme-scs-inbox', role: 'archive' }] } }],
    ['nothing to probe', { sharedIds: ['a'] }],
  ];
  test.each(refused)('refuses %s (OPTION_INVALID)', async (_case, value) => {
    expect((await failure('refused.json', value)).code).toBe('OPTION_INVALID');
  });

  // [case, config] — the refusal names where, never what.
  const quiet: [string, unknown][] = [
    ['a literal secretAccessKey', { s3: { ...s3, secretAccessKey: AWS_SECRET } }],
    ['a secret in place of a variable name', { s3: { ...s3, accessKeyIdEnv: 'AKIAIOSFODNN7EXAMPLE', secretAccessKeyEnv: AWS_SECRET } }],
    ['credentials in the endpoint URL', { s3: { ...s3, endpoint: `https://AKIAIOSFODNN7EXAMPLE:${encodeURIComponent(AWS_SECRET)}@s3.example.com` } }],
  ];
  test.each(quiet)('the refusal of %s does not print the secret', async (_case, value) => {
    const { message } = await failure('quiet.json', value);
    expect([message.includes(AWS_SECRET), message.includes(encodeURIComponent(AWS_SECRET)), message.includes('AKIAIOSFODNN7EXAMPLE')]).toEqual([false, false, false]);
  });

  test('a file that is not JSON is OPTION_INVALID and is not quoted', async () => {
    const { code, message } = await failure('broken.json', `{"s3": {"secretAccessKey": "${AWS_SECRET}",,}}`);
    expect([code, message.includes(AWS_SECRET)]).toEqual(['OPTION_INVALID', false]);
  });

  test('a missing file is INPUT_NOT_FOUND', async () => {
    await expect(loadDeploymentConfig(path.join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
  });
});
