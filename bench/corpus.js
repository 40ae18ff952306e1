/**
 * Deterministic benchmark corpora: ordinary SCS traffic with about 0.2 % failure lines, in the
 * three log layouts scs-doctor reads most (Python logging text, JSON lines, Docker json-file),
 * an NDJSON sync history, and generated rule packs of any size. Files are cached under
 * bench/.corpus/ (gitignored) and rebuilt only when missing or when GENERATOR changes.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '.corpus');
/** Bump when the generated content changes, so cached files are rebuilt. */
const GENERATOR = 4;

/** mulberry32: a tiny seeded PRNG, so every run writes the same bytes. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONNECTIONS = Array.from({ length: 40 }, (_, i) => ({
  id: (i % 2 ? 'r-' : 'c-') + ((i * 2654435761) >>> 0).toString(16).slice(0, 6),
  dir: i % 2 ? 'receiving' : 'sending',
  shared: ['acme', 'globex', 'initech', 'hooli', 'umbrella', 'soylent', 'stark', 'wayne'][i % 8] + '-to-' + ['acme', 'globex', 'initech', 'hooli', 'umbrella'][(i * 3) % 5] + (i > 9 ? `-${i}` : ''),
}));
const hex = (r, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[(r() * 16) | 0];
  return s;
};
const uuid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
/** Oversized revisions come back at every sync until someone acts: a small fixed pool. */
const BIG_REVISIONS = (() => {
  const r = rng(99);
  return Array.from({ length: 6 }, () => [uuid(r), 2147483648 + ((r() * 1e9) | 0)]);
})();

/** Ordinary traffic: [weight, level, logger, message(r, conn)]. */
const NORMAL = [
  [22, 'INFO', 'scs.sync.sender', (r, c) => `sync started connection_id=${c.id} direction=${c.dir} shared_id=${c.shared}`],
  [22, 'INFO', 'scs.sync.sender', (r, c) => `sync finished connection_id=${c.id} files_transferred=${(r() * 40) | 0} files_excluded=0 duration_ms=${(r() * 9000) | 0}`],
  [18, 'INFO', 'scs.storage', (r, c) => `copy_object ok bucket=scs-outbox key=${c.shared}/shard0/objects/${hex(r, 8)} size=${(r() * 1e8) | 0}`],
  [16, 'INFO', 'uvicorn.access', (r) => `10.42.0.${(r() * 250) | 0}:${40000 + ((r() * 20000) | 0)} - "GET /health/readiness HTTP/1.1" 200`],
  [12, 'DEBUG', 'scs.sync.receiver', (r, c) => `polling inbox for shared id ${c.shared} prefix=${c.shared}/shard0/ etag=${hex(r, 16)}`],
  [10, 'INFO', 'scs.sync.receiver', (r, c) => `manifest received: ${c.shared}/shard0/manifest (${(r() * 30) | 0} file(s)) connection_id=${c.id}`],
  [8, 'INFO', 'scs.registry', (r) => `registry call ok: GET /api/v1/revisions/${uuid(r)} 200 in ${(r() * 300) | 0} ms`],
  [5, 'DEBUG', 'scs.crypto', (r, c) => `shared secret loaded for connection ${c.id} (fingerprint ${hex(r, 12)})`],
  [4, 'WARNING', 'scs.registry', (r) => `registry call slow: GET /api/v1/resources?page=${(r() * 90) | 0} took ${1000 + ((r() * 4000) | 0)} ms`],
  [3, 'INFO', 'scs.sync.receiver', (r, c) => `properties read ok: ${c.shared}/shard0/objects/${hex(r, 8)}/properties`],
];
/** Failures, 0.2 % of records: [level, logger, message, traceback lines or undefined]. Every one matches a built-in rule. */
const FAILURES = [
  (r, c) => [
    'ERROR',
    'scs.sync.sender',
    `sync failed connection_id=${c.id} direction=sending: shared secret unavailable: InvalidToken`,
    [
      '  File "/app/scs/sync/sender.py", line 214, in run_once',
      '    secret = self.secrets.decrypt(connection.shared_secret_ref)',
      '  File "/usr/local/lib/python3.11/site-packages/cryptography/fernet.py", line 91, in decrypt',
      '    raise InvalidToken',
      'cryptography.fernet.InvalidToken',
    ],
  ],
  (r) => ['ERROR', 'scs.sync.sender', `connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'outbox-${['eu', 'us', 'ap'][(r() * 3) | 0]}'`],
  (r) => {
    const [rev, size] = BIG_REVISIONS[(r() * BIG_REVISIONS.length) | 0];
    return ['WARNING', 'scs.sync.sender', `outbox write failed: Revision ${rev} size=${size} exceeds single-op copy_object ceiling`];
  },
  () => [
    'ERROR',
    'scs.sync.receiver',
    `properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.`,
    [
      '  File "/app/scs/sync/receiver.py", line 188, in read_properties',
      '    body = self.s3.get_object(Bucket=self.inbox, Key=key)["Body"].read()',
      '  File "/usr/local/lib/python3.11/site-packages/botocore/client.py", line 1023, in _make_api_call',
      '    raise error_class(parsed_response, operation_name)',
      'botocore.errorfactory.NoSuchKey: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
    ],
  ],
  (r, c) => ['ERROR', 'scs.sync.receiver', `connection ${c.id} connection failed (no manifest received)`],
  (r) => ['ERROR', 'scs.sync.receiver', `manifest control tag(s) uncovered by any transformation predicate: ['EXPORT_CONTROLLED', '${['PROPRIETARY', 'CUI', 'ITAR'][(r() * 3) | 0]}']`],
  (r) => ['ERROR', 'scs.sync.receiver', `manifest max infosec level '${['SECRET', 'TOP_SECRET'][(r() * 2) | 0]}' (order=${4 + ((r() * 2) | 0)}) exceeds local platform max`],
];
/** Errors no rule knows (they land in the report's `unmatched`): 0.05 % of records. */
const OTHER_ERRORS = [
  () => ['ERROR', 'scs.registry', `registry call failed: 503 Service Unavailable from http://registry-service:8080/api/v1/revisions`],
  (r, c) => ['ERROR', 'scs.sync.sender', `sync failed connection_id=${c.id}: timeout after ${30 + ((r() * 60) | 0)}s waiting for registry`],
];
const NORMAL_TOTAL = NORMAL.reduce((n, t) => n + t[0], 0);

/**
 * Errors of the kind every busy service logs and no rule knows, for the real-density corpus: about
 * 3.5 % of records, a third of them with a traceback (as Python logging writes logger.exception).
 * Real logs carry this much: the Loghub samples hold 3–4 % lines with an attention token.
 */
const UNRELATED = [
  (r) => ['ERROR', 'scs.registry', `registry call failed: GET /api/v1/resources?page=${(r() * 90) | 0} returned 502 Bad Gateway`],
  () => [
    'ERROR',
    'uvicorn.error',
    `Exception in ASGI application`,
    [
      '  File "/usr/local/lib/python3.11/site-packages/uvicorn/protocols/http/h11_impl.py", line 408, in run_asgi',
      '    result = await app(self.scope, self.receive, self.send)',
      '  File "/app/scs/api/routes.py", line 77, in readiness',
      '    await db.execute("select 1")',
      `asyncpg.exceptions.ConnectionDoesNotExistError: connection was closed in the middle of operation`,
    ],
  ],
  (r) => ['ERROR', 'scs.db', `could not obtain a database connection after ${(r() * 5 + 1) | 0} attempt(s): timeout`],
  (r) => ['CRITICAL', 'scs.health', `health check failed: disk usage ${90 + ((r() * 9) | 0)}% on /var/lib/scs`],
  () => ['ERROR', 'scs.metrics', `failed to push metrics to http://pushgateway:9091: Connection refused`],
  () => [
    'ERROR',
    'scs.scheduler',
    `job sync-all raised an exception`,
    [
      '  File "/usr/local/lib/python3.11/site-packages/apscheduler/executors/base.py", line 125, in run_job',
      '    retval = job.func(*job.args, **job.kwargs)',
      '  File "/app/scs/jobs.py", line 41, in sync_all',
      '    raise RuntimeError("previous run still active")',
      'RuntimeError: previous run still active',
    ],
  ],
  (r) => ['WARNING', 'scs.auth', `token refresh returned ERROR invalid_grant for client scs-${hex(r, 6)}; retrying`],
  (r) => [
    'ERROR',
    'urllib3.connectionpool',
    `Retrying (Retry(total=${(r() * 3) | 0}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPConnectionPool(host='registry-service', port=8080): Read timed out. (read timeout=10)")': /api/v1/revisions`,
  ],
];
export const UNRELATED_RATE = 0.035;

export const FAILURE_RATE = 0.002;
const OTHER_RATE = 0.0005;

/** One record's worth of {level, logger, message, tb} from the traffic mix ('scs', or 'dense' with unrelated errors at real-log density). */
function nextRecord(r, mix = 'scs') {
  const c = CONNECTIONS[(r() * CONNECTIONS.length) | 0];
  if (mix === 'dense' && r() < UNRELATED_RATE) {
    const [level, logger, message, tb] = UNRELATED[(r() * UNRELATED.length) | 0](r, c);
    return { level, logger, message, tb, failure: false };
  }
  const x = r();
  if (x < FAILURE_RATE) {
    const [level, logger, message, tb] = FAILURES[(r() * FAILURES.length) | 0](r, c);
    return { level, logger, message, tb, failure: true };
  }
  if (x < FAILURE_RATE + OTHER_RATE) {
    const [level, logger, message] = OTHER_ERRORS[(r() * OTHER_ERRORS.length) | 0](r, c);
    return { level, logger, message, tb: undefined, failure: false };
  }
  let w = r() * NORMAL_TOTAL;
  for (const [weight, level, logger, msg] of NORMAL) {
    if ((w -= weight) < 0) return { level, logger, message: msg(r, c), tb: undefined, failure: false };
  }
  throw new Error('unreachable');
}

const pad = (n, w) => String(n).padStart(w, '0');
function clock(start) {
  let ms = start;
  return {
    tick(r) {
      ms += (r() * 40) | 0;
    },
    text() {
      const d = new Date(ms);
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)},${pad(d.getUTCMilliseconds(), 3)}`;
    },
    iso() {
      return new Date(ms).toISOString();
    },
  };
}

/** Physical lines of one record in a layout. */
const LAYOUTS = {
  text(rec, t) {
    const head = `${t.text()} ${rec.level} [${rec.logger}] ${rec.message}`;
    return rec.tb ? [head, 'Traceback (most recent call last):', ...rec.tb] : [head];
  },
  jsonl(rec, t) {
    const o = { timestamp: t.iso(), level: rec.level.toLowerCase(), logger: rec.logger, event: rec.message };
    if (rec.tb) o.exc_info = ['Traceback (most recent call last):', ...rec.tb].join('\n');
    return [JSON.stringify(o)];
  },
  docker(rec, t) {
    const stream = rec.level === 'INFO' || rec.level === 'DEBUG' ? 'stdout' : 'stderr';
    const time = t.iso().replace('Z', '123456Z');
    return LAYOUTS.text(rec, t).map((l) => `{"log":${JSON.stringify(l + '\n')},"stream":"${stream}","time":"${time}"}`);
  },
};

function writeAtomically(file, fill) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    fill((s) => writeSync(fd, s, null, 'latin1'));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * A log file of about `bytes` bytes in `layout` (text | jsonl | docker); returns its path and line count.
 * `mix` 'dense' adds unrelated errors (some with tracebacks) at real-log density, 3.5 % of records.
 * Content is ASCII, so latin1 writes are byte-exact.
 */
export function logCorpus(layout, bytes, seed = 1, mix = 'scs') {
  const file = path.join(CORPUS_DIR, `scs-${layout}-${bytes}-g${GENERATOR}-s${seed}${mix === 'scs' ? '' : `-${mix}`}.log`);
  const meta = file + '.json';
  if (existsSync(file) && existsSync(meta)) return { file, ...JSON.parse(readText(meta)) };
  const r = rng(seed);
  const t = clock(Date.UTC(2026, 4, 12, 0, 0, 0));
  let lines = 0;
  let failures = 0;
  let written = 0;
  writeAtomically(file, (write) => {
    let buf = '';
    while (written + buf.length < bytes) {
      t.tick(r);
      const rec = nextRecord(r, mix);
      if (rec.failure) failures++;
      for (const l of LAYOUTS[layout](rec, t)) {
        buf += l + '\n';
        lines++;
      }
      if (buf.length > 1 << 20) {
        written += write(buf);
        buf = '';
      }
    }
    if (buf) written += write(buf);
  });
  const info = { bytes: statSync(file).size, lines, failures };
  writeFileSync(meta, JSON.stringify(info));
  return { file, ...info };
}

function readText(f) {
  return readFileSync(f, 'utf8');
}

/**
 * JSON as Python's json.dumps writes it by default (`", "` between members, `": "` after keys),
 * with times as datetime.isoformat() writes an aware UTC time (microseconds, `+00:00`).
 */
function pythonJson(v) {
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x)}`)
      .join(', ')}}`;
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v)) return JSON.stringify(v.replace('Z', '000+00:00'));
  return JSON.stringify(v);
}

/**
 * An NDJSON sync history of `count` events (0.2 % failures, 5 % "with updates" carrying files).
 * `style` 'python' writes each line as Python's json.dumps does by default (`", "` and `": "`),
 * times as isoformat() does.
 */
export function eventsCorpus(count, seed = 7, style = 'compact') {
  const file = path.join(CORPUS_DIR, `history-${count}-g${GENERATOR}-s${seed}${style === 'compact' ? '' : `-${style}-isoformat`}.ndjson`);
  const meta = file + '.json';
  if (existsSync(file) && existsSync(meta)) return { file, ...JSON.parse(readText(meta)) };
  const r = rng(seed);
  const t = clock(Date.UTC(2026, 4, 1, 0, 0, 0));
  let failures = 0;
  writeAtomically(file, (write) => {
    let buf = '';
    for (let i = 0; i < count; i++) {
      t.tick(r);
      const c = CONNECTIONS[(r() * CONNECTIONS.length) | 0];
      const started = t.iso();
      t.tick(r);
      const e = { id: `ev-${i + 1}`, connectionId: c.id, connectionName: `${c.shared} (${c.dir})`, direction: c.dir, sharedId: c.shared, status: 'success', startedAt: started, finishedAt: t.iso(), files: [] };
      const x = r();
      if (x < FAILURE_RATE) {
        failures++;
        e.status = 'failure';
        e.message = FAILURES[(r() * FAILURES.length) | 0](r, c)[2];
      } else if (x < 0.05) {
        e.files = [{ resourceId: `res-${(r() * 900) | 0}`, revisionId: uuid(r), sizeBytes: (r() * 1e8) | 0, outcome: 'transferred' }];
      }
      buf += (style === 'python' ? pythonJson(e) : JSON.stringify(e)) + '\n';
      if (buf.length > 1 << 20) {
        write(buf);
        buf = '';
      }
    }
    if (buf) write(buf);
  });
  const info = { bytes: statSync(file).size, events: count, failures };
  writeFileSync(meta, JSON.stringify(info));
  return { file, ...info };
}

const COMPONENTS = ['inbox', 'outbox', 'registry', 'manifest', 'shard', 'keyring', 'transform', 'scheduler', 'uploader', 'downloader', 'catalog', 'revision', 'webhook', 'token', 'quota', 'audit', 'mirror', 'ledger', 'zitadel', 'tagger'];
const OPERATIONS = ['poll', 'write', 'read', 'list', 'sign', 'verify', 'publish', 'refresh', 'rotate', 'lookup', 'commit', 'resolve', 'prune', 'sync', 'fetch', 'decode', 'encode', 'lease', 'merge', 'probe'];
const ERRORS = [
  'EndpointConnectionError',
  'ReadTimeoutError',
  'ClientError',
  'AccessDenied',
  'SlowDown',
  'ExpiredToken',
  'IntegrityError',
  'OperationalError',
  'ValidationError',
  'KeyError',
  'SSLError',
  'ConflictError',
  'QuotaExceeded',
  'ChecksumMismatch',
  'PermissionDenied',
  'NotFound',
  'Throttled',
  'ProtocolError',
  'InvalidSignature',
  'LeaseLost',
];

/**
 * A rule directory of `n` rules: the built-in ones (`builtinFiles`: {file, text}) and generated rules
 * with distinct, realistic anchors ("<component> <operation> failed: <ErrorClass>") and a pattern
 * that extracts a connection id. Returns the directory.
 */
export function rulePackCorpus(n, builtinFiles) {
  const hash = createHash('sha1')
    .update(builtinFiles.map((f) => f.text).join('\0'))
    .digest('hex')
    .slice(0, 8);
  const dir = path.join(CORPUS_DIR, `rules-${n}-g${GENERATOR}-${hash}`);
  if (existsSync(path.join(dir, '.done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Rules with a log signature first, so that even the smallest pack holds every one of them.
  const builtin = [...builtinFiles].sort((a, b) => Number(!/^signature:/m.test(a.text)) - Number(!/^signature:/m.test(b.text))).slice(0, n);
  for (const f of builtin) writeFileSync(path.join(dir, path.basename(f.file)), f.text);
  for (let i = 0; i < n - builtin.length; i++) {
    const comp = COMPONENTS[i % COMPONENTS.length];
    const op = OPERATIONS[Math.floor(i / COMPONENTS.length) % OPERATIONS.length];
    const err = ERRORS[Math.floor(i / (COMPONENTS.length * OPERATIONS.length)) % ERRORS.length];
    const id = `gen-${comp}-${op}-${err.toLowerCase()}`;
    const anchor = `${comp} ${op} failed: ${err}`;
    writeFileSync(
      path.join(dir, `${id}.yaml`),
      [
        `id: ${id}`,
        `title: ${comp} ${op} fails with ${err}`,
        'severity: error',
        'side: either',
        'category: generated',
        'references:',
        '  - Debugging Secure Connections › Other Issues',
        'signature:',
        '  anchors:',
        `    - '${anchor}'`,
        `  pattern: '${anchor} \\(connection (?<conn>[\\w-]{1,40})\\)'`,
        'params:',
        '  conn:',
        '    type: string',
        `summary: ${comp} ${op} failed with ${err} on connection {{conn}}.`,
        'cause: Generated for the benchmark.',
        'impact: Generated for the benchmark.',
        'remediation:',
        '  - Generated for the benchmark.',
        'groupBy: [conn]',
        '',
      ].join('\n'),
    );
  }
  writeFileSync(path.join(dir, '.done'), '');
  return dir;
}

/**
 * Logs of other software, as a support bundle holds them beside the SCS ones: an Apache error log,
 * a Java service (log4j layout, with stack traces), syslog and an nginx access log, interleaved in
 * blocks, with about 3.5 % of lines carrying an error word (`[error]`, `ERROR`, `FATAL`, `Exception`)
 * as the Loghub samples do. No rule matches any of it: it measures what attention tokens cost.
 */
export function otherCorpus(bytes, seed = 5) {
  const file = path.join(CORPUS_DIR, `other-${bytes}-g${GENERATOR}-s${seed}.log`);
  const meta = file + '.json';
  if (existsSync(file) && existsSync(meta)) return { file, ...JSON.parse(readText(meta)) };
  const r = rng(seed);
  const t = clock(Date.UTC(2026, 4, 12, 0, 0, 0));
  const ip = () => `10.${(r() * 250) | 0}.${(r() * 250) | 0}.${(r() * 250) | 0}`;
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const D = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const when = () => new Date(Date.parse(t.iso()));
  const apache = (err) => {
    const d = when();
    const head = `[${D[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)} ${t.text().slice(11, 19)} ${d.getUTCFullYear()}]`;
    return err ? [`${head} [error] [client ${ip()}] File does not exist: /var/www/html/${hex(r, 6)}.php`] : [`${head} [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties`];
  };
  const java = (err) => {
    const ts = t.text();
    if (!err) return [`${ts} INFO dfs.DataNode$PacketResponder: Received block blk_${(r() * 1e15) | 0} of size ${(r() * 7e7) | 0} from /${ip()}`];
    if (r() < 0.5) return [`${ts} ERROR dfs.DataXceiver: ${ip()}:50010:DataXceiver: java.io.IOException: Connection reset by peer`];
    return [
      `${ts} FATAL org.apache.hadoop.mapred.TaskTracker: Task attempt_${hex(r, 8)}_m_0000${(r() * 90) | 0} failed: java.lang.OutOfMemoryError: Java heap space`,
      '\tat java.util.Arrays.copyOf(Arrays.java:3332)',
      '\tat org.apache.hadoop.io.Text.append(Text.java:236)',
      '\tat org.apache.hadoop.mapred.MapTask.run(MapTask.java:343)',
    ];
  };
  const syslog = (err) => {
    const d = when();
    const head = `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${t.text().slice(11, 19)} node-${(r() * 9) | 0}`;
    return err
      ? [`${head} kernel: [${(r() * 9e5).toFixed(6)}] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #${(r() * 9e6) | 0}: comm rsync: reading directory lblock 0`]
      : [`${head} sshd[${(r() * 30000) | 0}]: Accepted publickey for deploy from ${ip()} port ${(r() * 60000) | 0} ssh2`];
  };
  const nginx = (err) => {
    const d = when();
    return [
      `${ip()} - - [${pad(d.getUTCDate(), 2)}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${t.text().slice(11, 19)} +0000] "GET /static/${hex(r, 10)}.js HTTP/1.1" ${err ? 500 : 200} ${(r() * 90000) | 0} "-" "Mozilla/5.0 (X11; Linux x86_64)"${err ? ' upstream error' : ''}`,
    ];
  };
  const SOURCES = [apache, java, syslog, nginx];
  let lines = 0;
  let attention = 0;
  let written = 0;
  writeAtomically(file, (write) => {
    let buf = '';
    let src = SOURCES[0];
    while (written + buf.length < bytes) {
      if (r() < 0.001) src = SOURCES[(r() * SOURCES.length) | 0];
      t.tick(r);
      const err = r() < 0.032;
      for (const l of src(err)) {
        buf += l + '\n';
        lines++;
        if (err) attention++;
      }
      if (buf.length > 1 << 20) {
        written += write(buf);
        buf = '';
      }
    }
    if (buf) written += write(buf);
  });
  const info = { bytes: statSync(file).size, lines, failures: 0, attention };
  writeFileSync(meta, JSON.stringify(info));
  return { file, ...info };
}
