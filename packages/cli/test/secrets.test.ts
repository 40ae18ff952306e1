/**
 * Secrets never leave scs-doctor (issue #5). Every secret shape the README promises to redact is
 * written into lines that also trigger diagnoses, in every log format (Python text, JSON, CRI,
 * Docker), into sync-event messages, into error lines no rule explains and into a broken sync
 * event; the report is rendered in every output format by the CLI and by the library renderers,
 * and no part of any secret (no run of 10 of its characters) may appear in any of them, nor on
 * stderr. Some lines are longer than an excerpt, with the secret where the excerpt is cut.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, render, renderHtml, renderJson, renderMarkdown, renderText, type Report } from '@scs-doctor/core/internal';
import { diagnoseInputs, loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';
import { run, type Run } from './run.js';

const NOW = '2026-05-12T12:00:00Z';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * Random-looking text, the same on every run (xorshift32 from `seed`): no two secrets share a run
 * of 10 characters, so any 10 characters of one found in an output are a leak of it.
 */
function unique(seed: number, length: number, alphabet = BASE62): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  let out = '';
  while (out.length < length) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}
const jwt = (seed: number) => `eyJ${unique(seed, 30)}.eyJ${unique(seed + 1000, 40)}.${unique(seed + 2000, 43)}`;
const akia = (seed: number) => `AKIA${unique(seed, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
const hex = (seed: number) => unique(seed, 64, '0123456789abcdef');
const pem = (seed: number) => [`MIIE${unique(seed, 60)}`, `${unique(seed + 1, 62)}==`];

const JWT = jwt(1);
const JWT_EVENT = jwt(2);
const JWT_CRI = jwt(3);
const JWT_JSON = jwt(4);
const JWT_CUT = jwt(5);
const BEARER = unique(6, 32);
const BEARER_UNMATCHED = unique(7, 32);
const BEARER_CUT = unique(8, 90);
const BASIC = Buffer.from(`scs_app:${unique(9, 16)}`).toString('base64');
const AKIA = akia(10);
const AKIA_CREDENTIAL = akia(11);
const AKIA_CUT = akia(12);
const AKIA_UNMATCHED = akia(13);
const AKIA_SAMPLE = akia(14);
const AWS_SECRET = unique(15, 40);
const AWS_SECRET_DOCKER = unique(16, 40);
const AMZ_SIGNATURE = hex(17);
const AMZ_SIGNATURE_EVENT = hex(18);
const AMZ_TOKEN = `IQoJb3JpZ2luX2Vj${unique(19, 120)}`;
const PEM_TRACEBACK = pem(20);
const PEM_ESCAPED_TEXT = pem(22);
const PEM_JSON = pem(24);
const PEM_JSON_ESCAPED = pem(26);
const PEM_DOCKER = pem(28);
const URL_PASSWORD = unique(30, 16);
const URL_PASSWORD_CUT = unique(31, 16);
const MASTER = unique(32, 44);
const DB_PASSWORD = unique(33, 20);
const DB_PASSWORD_EVENT = unique(34, 20);
const GITHUB_TOKEN = `ghp_${unique(35, 36)}`;
const API_KEY = unique(36, 32);
const CUSTOM = 'CUST-424242';

const SECRETS: [string, string][] = [
  ['a JWT after Authorization: Bearer (Python text)', JWT],
  ['a JWT in a sync-event message', JWT_EVENT],
  ['a JWT in a CRI line', JWT_CRI],
  ['a JWT in a JSON log line', JWT_JSON],
  ['a JWT where the excerpt of a long line is cut', JWT_CUT],
  ['a bare Bearer token', BEARER],
  ['a Bearer token in an error line no rule explains', BEARER_UNMATCHED],
  ['a Bearer token where the excerpt of a long line is cut', BEARER_CUT],
  ['an Authorization: Basic header value', BASIC],
  ['an AWS access key id', AKIA],
  ['the key id in X-Amz-Credential', AKIA_CREDENTIAL],
  ['an AWS access key id where the excerpt of a long line ends', AKIA_CUT],
  ['an AWS access key id where the unmatched template is cut', AKIA_UNMATCHED],
  ['an AWS access key id where the unmatched sample is cut', AKIA_SAMPLE],
  ['an AWS secret access key', AWS_SECRET],
  ['an AWS secret access key in a Docker line', AWS_SECRET_DOCKER],
  ['X-Amz-Signature of a presigned URL', AMZ_SIGNATURE],
  ['X-Amz-Signature in a sync-event message no rule explains', AMZ_SIGNATURE_EVENT],
  ['X-Amz-Security-Token of a presigned URL', AMZ_TOKEN],
  ['a PEM private key, multi-line in a traceback (line 1)', PEM_TRACEBACK[0]!],
  ['a PEM private key, multi-line in a traceback (line 2)', PEM_TRACEBACK[1]!],
  ['a PEM private key, \\n-escaped in a text line (line 1)', PEM_ESCAPED_TEXT[0]!],
  ['a PEM private key, \\n-escaped in a text line (line 2)', PEM_ESCAPED_TEXT[1]!],
  ['a PEM private key in a JSON message (line 1)', PEM_JSON[0]!],
  ['a PEM private key in a JSON message (line 2)', PEM_JSON[1]!],
  ['a PEM private key \\n-escaped inside a JSON message (line 1)', PEM_JSON_ESCAPED[0]!],
  ['a PEM private key \\n-escaped inside a JSON message (line 2)', PEM_JSON_ESCAPED[1]!],
  ['a PEM private key in a Docker line (line 1)', PEM_DOCKER[0]!],
  ['a PEM private key in a Docker line (line 2)', PEM_DOCKER[1]!],
  ['a password in a URL', URL_PASSWORD],
  ['a password in a URL where the excerpt of a long line is cut', URL_PASSWORD_CUT],
  ['ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET=…', MASTER],
  ['DB_PASSWORD=…', DB_PASSWORD],
  ['DB_PASSWORD=… in a sync-event message no rule explains', DB_PASSWORD_EVENT],
  ['GITHUB_TOKEN=…', GITHUB_TOKEN],
  ['SCS_API_KEY: …', API_KEY],
  ['a custom secret hidden by --redact', CUSTOM],
];

const PY = (time: string, level: string, logger: string, text: string) => `2026-05-12 ${time} ${level} [${logger}] ${text}`;
const INVALID_TOKEN = 'shared secret unavailable: InvalidToken';
const PRESIGNED = `https://scs-inbox.s3.amazonaws.com/acme-to-globex/shard0/properties?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${AKIA_CREDENTIAL}%2F20260512%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260512T090000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=${AMZ_TOKEN}&X-Amz-Signature=${AMZ_SIGNATURE}`;

/**
 * A message longer than an excerpt (300 characters) whose excerpt window starts inside `context`,
 * keeping its last `keep` characters: the window opens 75 characters before the rule's match.
 */
function cutBefore(time: string, context: string, keep: number): string {
  return PY(time, 'ERROR', 'scs.sync.sender', `request failed ${'x'.repeat(300)} ${context}${' '.repeat(75 - keep)}${INVALID_TOKEN} ${'q'.repeat(250)}`);
}

const SENDER_LOG =
  [
    PY('09:00:02,905', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN} Authorization: Bearer ${JWT}`),
    PY('09:00:03,001', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN} headers={'Authorization': 'Basic ${BASIC}'}`),
    PY('09:00:04,001', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN}; the registry answered 401 to Bearer ${BEARER}`),
    PY('09:00:05,001', 'WARNING', 'scs.sync.sender', `outbox write failed: Revision r-9 size=2684354560 exceeds single-op copy_object ceiling aws_access_key_id=${AKIA} aws_secret_access_key=${AWS_SECRET}`),
    PY('09:00:06,001', 'ERROR', 'scs.sync.receiver', `properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist. url=${PRESIGNED}`),
    PY('09:00:07,001', 'ERROR', 'scs.sync.sender', `connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'outbox-eu' ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET=${MASTER}`),
    PY(
      '09:00:08,001',
      'ERROR',
      'scs.sync.receiver',
      `connection failed (no manifest received) registry=postgresql://scs_app:${URL_PASSWORD}@db.internal:5432/scs DB_PASSWORD=${DB_PASSWORD} GITHUB_TOKEN=${GITHUB_TOKEN} SCS_API_KEY: ${API_KEY} customer ${CUSTOM}`,
    ),
    PY('09:00:09,001', 'ERROR', 'scs.sync.sender', `sync failed: ${INVALID_TOKEN}`),
    'Traceback (most recent call last):',
    '  File "/app/scs/crypto.py", line 61, in decrypt',
    '    key = load_pem_private_key(b"""-----BEGIN PRIVATE KEY-----',
    ...PEM_TRACEBACK,
    '-----END PRIVATE KEY-----""")',
    `scs.errors.SecretError: ${INVALID_TOKEN}`,
    PY('09:00:10,001', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN} material='-----BEGIN RSA PRIVATE KEY-----\\n${PEM_ESCAPED_TEXT.join('\\n')}\\n-----END RSA PRIVATE KEY-----\\n'`),
    cutBefore('09:00:11,001', `token=${JWT_CUT}`, 60),
    cutBefore('09:00:12,001', `Authorization: Bearer ${BEARER_CUT}`, 60),
    cutBefore('09:00:13,001', `dsn=postgresql://scs_app:${URL_PASSWORD_CUT}@db.internal:5432/scs`, 40),
    // The match opens the message, so the excerpt is its first 300 characters: the key id straddles the end.
    PY('09:00:14,001', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN}${' '.repeat(290 - INVALID_TOKEN.length)}${AKIA_CUT} ${'y'.repeat(300)}`),
    // No rule explains these: they go to the report's unmatched list, template and sample.
    PY('09:20:00,000', 'ERROR', 'scs.sync.sender', `upload rejected by the gateway: Authorization: Bearer ${BEARER_UNMATCHED}`),
    // The template keeps the first 239 characters of the message, the sample 300: a key id straddles each cut.
    PY('09:21:00,000', 'ERROR', 'scs.sync.sender', `upload rejected ${'z'.repeat(229 - 16 - 1)} ${AKIA_UNMATCHED} ${'z'.repeat(39)} ${AKIA_SAMPLE} ${'z'.repeat(80)}`),
  ].join('\n') + '\n';

const RECEIVER_JSONL =
  [
    { timestamp: '2026-05-12T09:00:05.644Z', level: 'error', logger: 'scs.sync.receiver', event: `manifest max infosec level 'SECRET' (order=4) exceeds local platform max; Authorization: Bearer ${JWT_JSON}`, connection_id: 'r-22c0f9' },
    { timestamp: '2026-05-12T09:00:06.000Z', level: 'error', logger: 'scs.sync.sender', msg: `${INVALID_TOKEN} key=-----BEGIN PRIVATE KEY-----\n${PEM_JSON.join('\n')}\n-----END PRIVATE KEY-----\n` },
    { timestamp: '2026-05-12T09:00:07.000Z', level: 'error', logger: 'scs.sync.sender', msg: `${INVALID_TOKEN} config={"private_key": "-----BEGIN PRIVATE KEY-----\\n${PEM_JSON_ESCAPED.join('\\n')}\\n-----END PRIVATE KEY-----\\n"}` },
    { timestamp: '2026-05-12T09:03:11.010Z', level: 'error', logger: 'scs.sync.receiver', event: `manifest control tag(s) uncovered by any transformation predicate: ['CUI'] while reading ${PRESIGNED}` },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n') + '\n';

const CRI_LOG =
  [
    `2026-05-12T09:00:02.905000000Z stderr F ${PY('09:00:02,905', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN} Authorization: Bearer ${JWT_CRI}`)}`,
    // A line the runtime cut into a partial and its end, cut inside the token.
    `2026-05-12T09:00:03.000000000Z stderr P ${PY('09:00:03,000', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN} GITHUB_TOKEN=${GITHUB_TOKEN.slice(0, 12)}`)}`,
    `2026-05-12T09:00:03.000000001Z stderr F ${GITHUB_TOKEN.slice(12)} DB_PASSWORD=${DB_PASSWORD}`,
  ].join('\n') + '\n';

const DOCKER_LOG =
  [
    { log: PY('09:00:04,000', 'ERROR', 'scs.sync.sender', `${INVALID_TOKEN} X-Amz-Security-Token=${AMZ_TOKEN} aws_secret_access_key=${AWS_SECRET_DOCKER}`) + '\n', stream: 'stderr', time: '2026-05-12T09:00:04.000000000Z' },
    { log: JSON.stringify({ level: 'error', msg: `${INVALID_TOKEN} key=-----BEGIN EC PRIVATE KEY-----\n${PEM_DOCKER.join('\n')}\n-----END EC PRIVATE KEY-----` }) + '\n', stream: 'stdout', time: '2026-05-12T09:00:05.000000000Z' },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n') + '\n';

const HISTORY = JSON.stringify({
  events: [
    {
      id: 'ev-1',
      connectionId: 'c-7f3a1e',
      connectionName: 'Acme → Globex',
      direction: 'sending',
      sharedId: 'acme-to-globex',
      status: 'failure',
      startedAt: '2026-05-12T09:00:02Z',
      finishedAt: '2026-05-12T09:00:03Z',
      message: `${INVALID_TOKEN} Authorization: Bearer ${JWT_EVENT}`,
      files: [],
    },
    {
      id: 'ev-2',
      connectionId: 'c-7f3a1e',
      direction: 'sending',
      status: 'failure',
      startedAt: '2026-05-12T09:05:02Z',
      message: `upload failed: SignatureDoesNotMatch for ${PRESIGNED.replace(AMZ_SIGNATURE, AMZ_SIGNATURE_EVENT)} DB_PASSWORD=${DB_PASSWORD_EVENT}`,
      files: [],
    },
  ],
});
// One event broken where V8 quotes the input in its JSON error message.
const HISTORY_NDJSON =
  [
    JSON.stringify({ id: 'ev-3', connectionId: 'c-19bd04', status: 'failure', startedAt: '2026-05-12T09:06:10Z', message: `${INVALID_TOKEN} DB_PASSWORD=${DB_PASSWORD}` }),
    `{"id":"ev-4","connectionId":"c-19bd04","status":"failure","startedAt":"2026-05-12T09:07:10Z","key": ${AKIA}, "secret": ${AWS_SECRET}}`,
  ].join('\n') + '\n';

let dir: string;
let args: string[];
const outputs = new Map<string, string>();
let cli: Record<string, Run>;
let withoutRedact: Run;
let report: Report;

/** Undoes the escaping of each format, so that a secret is found however it was printed. */
function plain(format: string, text: string): string {
  if (format === 'html')
    return text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  if (format === 'markdown') return text.replace(/\\([\\`*_[\]<>|])/g, '$1');
  return text;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-doctor-secrets-'));
  const write = (name: string, data: string | Buffer) => {
    writeFileSync(path.join(dir, name), data);
    return name;
  };
  // A gzip file cut short, with secrets before the cut: the run loses an input, so stderr speaks.
  const gz = gzipSync(Buffer.from(SENDER_LOG.repeat(20)));
  args = [
    write('sender.log', SENDER_LOG),
    write('receiver.jsonl', RECEIVER_JSONL),
    write('pod.log', CRI_LOG),
    write('container-json.log', DOCKER_LOG),
    write('damaged.log.gz', gz.subarray(0, Math.floor(gz.length * 0.6))),
    '--events',
    write('history.json', HISTORY),
    '--events',
    write('history.ndjson', HISTORY_NDJSON),
    '--now',
    NOW,
    '--max-evidence',
    '1000',
  ];
  cli = {};
  for (const format of FORMATS) {
    const r = await run(['diagnose', ...args, '--format', format, '--redact', 'CUST-[0-9]{6}'], { cwd: dir });
    cli[format] = r;
    outputs.set(`cli --format ${format}`, plain(format, r.stdout));
    outputs.set(`cli --format ${format} (stderr)`, r.stderr);
  }
  withoutRedact = await run(['diagnose', ...args, '--format', 'json'], { cwd: dir });

  const pack = await loadRulePack([rulesDir]);
  const [inputs, events] = [args.slice(0, 5), [args[6]!, args[8]!]];
  report = (await diagnoseInputs(pack, { inputs, events, cwd: dir, now: NOW, evidenceLimit: 1000, redact: ['CUST-[0-9]{6}'] })).report;
  outputs.set('renderText', renderText(report));
  outputs.set('renderText (color)', renderText(report, { color: true }));
  outputs.set('renderJson', renderJson(report));
  outputs.set('renderMarkdown', plain('markdown', renderMarkdown(report)));
  outputs.set('renderHtml', plain('html', renderHtml(report)));
  for (const format of FORMATS) outputs.set(`render(report, '${format}')`, plain(format, render(report, format)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The outputs that hold some run of 10 characters of the secret. */
function leaks(secret: string): string[] {
  const windows = Array.from({ length: Math.max(1, secret.length - 9) }, (_, i) => secret.slice(i, i + 10));
  return [...outputs].filter(([, text]) => windows.some((w) => text.includes(w))).map(([name]) => name);
}

describe('no part of a secret in any output', () => {
  it.each(SECRETS)('%s', (_shape, secret) => {
    expect(leaks(secret)).toEqual([]);
  });
});

describe('the test reads what it means to', () => {
  it('every line with a secret was diagnosed (occurrences per rule, CLI)', () => {
    const counts: Record<string, number> = {};
    for (const d of (JSON.parse(cli['json']!.stdout) as Report).diagnoses) counts[d.ruleId] = (counts[d.ruleId] ?? 0) + d.evidence.length;
    expect(counts).toEqual({
      'shared-secret-invalid-token': expect.any(Number),
      'file-exceeds-copy-ceiling': expect.any(Number),
      'manifest-key-missing': expect.any(Number),
      'bucket-not-configured': expect.any(Number),
      'no-manifest-received': expect.any(Number),
      'infosec-level-exceeds-max': 1,
      'control-tags-uncovered': 1,
    });
  });

  it('the invalid-token lines of every format and the event are all evidence', () => {
    const d = report.diagnoses.find((x) => x.ruleId === 'shared-secret-invalid-token');
    // sender.log 9 (and its copies in the damaged gzip, before the cut), JSON 2, CRI 2, Docker 2, events 2.
    expect(d?.evidence.filter((e) => !e.file?.endsWith('.gz')).length).toBe(17);
  });

  it('the lines no rule explains are listed, with the secret masked', () => {
    const listed = report.unmatched.filter((u) => !u.sample.file?.endsWith('.gz')).map((u) => [u.sample.file, u.sample.line, u.template.includes('[REDACTED]'), u.sample.excerpt.includes('[REDACTED]')]);
    expect(listed.sort()).toEqual([
      ['history.json', 1, true, true],
      ['sender.log', 21, true, true],
      ['sender.log', 22, true, true],
    ]);
  });

  it('the broken sync event is reported as a problem', () => {
    expect(report.stats.problems.filter((p) => p.code === 'EVENT_INVALID').map((p) => [p.file, p.line])).toEqual([['history.ndjson', 2]]);
  });

  it('an input was lost, so the CLI exits 2 and writes its problems to stderr', () => {
    expect(FORMATS.map((f) => [cli[f]!.code, cli[f]!.stderr.includes('damaged.log.gz')])).toEqual(FORMATS.map(() => [2, true]));
  });

  it('a secret variable keeps its name and loses its value', () => {
    expect(outputs.get('cli --format text')).toContain('ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET=[REDACTED]');
  });

  it('without --redact the custom secret shows: the pattern is what hides it', () => {
    expect(withoutRedact.stdout).toContain(CUSTOM);
  });
});
