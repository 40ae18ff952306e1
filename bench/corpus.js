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
  (r, c) => ['ERROR', 'scs.sync.sender', `sync failed connection_id=${c.id} direction=sending: shared secret unavailable: InvalidToken`, ['  File "/app/scs/sync/sender.py", line 214, in run_once', '    secret = self.secrets.decrypt(connection.shared_secret_ref)', '  File "/usr/local/lib/python3.11/site-packages/cryptography/fernet.py", line 91, in decrypt', '    raise InvalidToken', 'cryptography.fernet.InvalidToken']],
  (r, c) => ['ERROR', 'scs.sync.sender', `connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'outbox-${['eu', 'us', 'ap'][(r() * 3) | 0]}'`],
  (r) => {
    const [rev, size] = BIG_REVISIONS[(r() * BIG_REVISIONS.length) | 0];
    return ['WARNING', 'scs.sync.sender', `outbox write failed: Revision ${rev} size=${size} exceeds single-op copy_object ceiling`];
  },
  (r, c) => ['ERROR', 'scs.sync.receiver', `properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.`, ['  File "/app/scs/sync/receiver.py", line 188, in read_properties', '    body = self.s3.get_object(Bucket=self.inbox, Key=key)["Body"].read()', '  File "/usr/local/lib/python3.11/site-packages/botocore/client.py", line 1023, in _make_api_call', '    raise error_class(parsed_response, operation_name)', 'botocore.errorfactory.NoSuchKey: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.']],
  (r, c) => ['ERROR', 'scs.sync.receiver', `connection ${c.id} connection failed (no manifest received)`],
  (r) => ['ERROR', 'scs.sync.receiver', `manifest control tag(s) uncovered by any transformation predicate: ['EXPORT_CONTROLLED', '${['PROPRIETARY', 'CUI', 'ITAR'][(r() * 3) | 0]}']`],
  (r) => ['ERROR', 'scs.sync.receiver', `manifest max infosec level '${['SECRET', 'TOP_SECRET'][(r() * 2) | 0]}' (order=${4 + ((r() * 2) | 0)}) exceeds local platform max`],
];
/** Errors no rule knows (they land in the report's `unmatched`): 0.05 % of records. */
const OTHER_ERRORS = [
  (r) => ['ERROR', 'scs.registry', `registry call failed: 503 Service Unavailable from http://registry-service:8080/api/v1/revisions`],
  (r, c) => ['ERROR', 'scs.sync.sender', `sync failed connection_id=${c.id}: timeout after ${30 + ((r() * 60) | 0)}s waiting for registry`],
];
const NORMAL_TOTAL = NORMAL.reduce((n, t) => n + t[0], 0);

export const FAILURE_RATE = 0.002;
const OTHER_RATE = 0.0005;

/** One record's worth of {level, logger, message, tb} from the traffic mix. */
function nextRecord(r) {
  const c = CONNECTIONS[(r() * CONNECTIONS.length) | 0];
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
 * Content is ASCII, so latin1 writes are byte-exact.
 */
export function logCorpus(layout, bytes, seed = 1) {
  const file = path.join(CORPUS_DIR, `scs-${layout}-${bytes}-g${GENERATOR}-s${seed}.log`);
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
      const rec = nextRecord(r);
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
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x)}`).join(', ')}}`;
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
const ERRORS = ['EndpointConnectionError', 'ReadTimeoutError', 'ClientError', 'AccessDenied', 'SlowDown', 'ExpiredToken', 'IntegrityError', 'OperationalError', 'ValidationError', 'KeyError', 'SSLError', 'ConflictError', 'QuotaExceeded', 'ChecksumMismatch', 'PermissionDenied', 'NotFound', 'Throttled', 'ProtocolError', 'InvalidSignature', 'LeaseLost'];

/**
 * A rule directory of `n` rules: the built-in ones (`builtinFiles`: {file, text}) and generated rules
 * with distinct, realistic anchors ("<component> <operation> failed: <ErrorClass>") and a pattern
 * that extracts a connection id. Returns the directory.
 */
export function rulePackCorpus(n, builtinFiles) {
  const hash = createHash('sha1').update(builtinFiles.map((f) => f.text).join('\0')).digest('hex').slice(0, 8);
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
