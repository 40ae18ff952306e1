/**
 * One morning of SCS failures, written once as logger calls and rendered by every producer.
 * Each event that is a documented failure names the rule it must be diagnosed as (`expect`), so
 * the ground truth lives beside the input rather than in the assertions.
 */
import type { LogEvent, Stream } from './producers.js';

export interface ScenarioEvent extends LogEvent {
  /** The rule this one logged failure must count once for. */
  expect?: string;
  /** Stream the handler writes to (Python's StreamHandler: stderr; uvicorn's access log: stdout). */
  stream?: Stream;
}

const INVALID_TOKEN_TB = [
  'Traceback (most recent call last):',
  '  File "/app/scs/sync/sender.py", line 214, in run_once',
  '    secret = self.secrets.decrypt(connection.shared_secret_ref)',
  '             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/app/scs/crypto.py", line 61, in decrypt',
  '    return self._fernet.decrypt(token)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/local/lib/python3.11/site-packages/cryptography/fernet.py", line 91, in decrypt',
  '    raise InvalidToken',
  'cryptography.fernet.InvalidToken',
].join('\n');

const NO_SUCH_KEY = 'An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.';

/** A chained traceback whose last line repeats the logged error text. */
const PROPERTIES_TB = [
  'Traceback (most recent call last):',
  '  File "/app/scs/sync/receiver.py", line 212, in read_properties',
  '    obj = self._s3.get_object(Bucket=self._bucket, Key=key)',
  '          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/local/lib/python3.11/site-packages/botocore/client.py", line 565, in _api_call',
  '    return self._make_api_call(operation_name, kwargs)',
  '  File "/usr/local/lib/python3.11/site-packages/botocore/client.py", line 1021, in _make_api_call',
  '    raise error_class(parsed_response, operation_name)',
  `botocore.errorfactory.NoSuchKey: ${NO_SUCH_KEY}`,
  '',
  'The above exception was the direct cause of the following exception:',
  '',
  'Traceback (most recent call last):',
  '  File "/app/scs/sync/receiver.py", line 230, in sync_once',
  '    props = self.read_properties(manifest)',
  '  File "/app/scs/sync/receiver.py", line 216, in read_properties',
  '    raise PropertiesReadError(f"properties read failed: {exc}") from exc',
  `scs.sync.errors.PropertiesReadError: properties read failed: ${NO_SUCH_KEY}`,
].join('\n');

/** A traceback whose only mention of the failure is its exception line. */
const NO_MANIFEST_TB = [
  'Traceback (most recent call last):',
  '  File "/app/scs/sync/receiver.py", line 140, in sync_once',
  '    manifest = self.fetch_manifest(shared_id)',
  '  File "/app/scs/sync/receiver.py", line 98, in fetch_manifest',
  '    raise SyncError("connection failed (no manifest received)")',
  'scs.sync.errors.SyncError: connection failed (no manifest received)',
].join('\n');

const SEND = { connection_id: 'c-7f3a1e', shared_id: 'acme-to-globex', direction: 'sending' };
const SEND2 = { connection_id: 'c-19bd04', shared_id: 'acme-to-initech', direction: 'sending' };
const RECV = { connection_id: 'r-22c0f9', shared_id: 'globex-to-acme', direction: 'receiving' };
const RECV2 = { connection_id: 'r-5a61d2', shared_id: 'initech-to-acme', direction: 'receiving' };

/** A manifest listing long enough that runtimes split the record (over 16 KiB before the error). */
const LONG_LISTING = Array.from({ length: 1000 }, (_, i) => `objects/${String(i).padStart(4, '0')}-5d1e2c7a9b3f`).join(',');

export const SCENARIO: readonly ScenarioEvent[] = [
  { time: '2026-05-12T09:00:01.004Z', level: 'INFO', logger: 'uvicorn.error', message: 'Started server process [1]' },
  { time: '2026-05-12T09:00:01.118Z', level: 'INFO', logger: 'scs.app', message: 'Secure Connection Service 2026.04.2 starting; registry=http://registry-service:8080' },
  { time: '2026-05-12T09:00:02.771Z', level: 'INFO', logger: 'scs.sync.sender', fields: SEND, message: 'sync started' },
  {
    time: '2026-05-12T09:00:02.905Z',
    level: 'ERROR',
    logger: 'scs.sync.sender',
    fields: SEND,
    message: 'sync failed: shared secret unavailable: InvalidToken',
    exc: INVALID_TOKEN_TB,
    expect: 'shared-secret-invalid-token',
  },
  { time: '2026-05-12T09:00:02.906Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:52001 - "GET /health/liveness HTTP/1.1" 200', stream: 'stdout' },
  { time: '2026-05-12T09:00:10.000Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:51344 - "GET /health/readiness HTTP/1.1" 200', stream: 'stdout' },
  { time: '2026-05-12T09:05:02.930Z', level: 'ERROR', logger: 'scs.sync.sender', fields: SEND, message: 'sync failed: shared secret unavailable: InvalidToken', expect: 'shared-secret-invalid-token' },
  { time: '2026-05-12T09:06:11.440Z', level: 'INFO', logger: 'scs.storage', fields: SEND2, message: 'copy_object ok bucket=scs-outbox key=acme-to-initech/shard0/objects/5d1e2c7a size=73400320' },
  {
    time: '2026-05-12T09:06:14.019Z',
    level: 'WARNING',
    logger: 'scs.sync.sender',
    fields: SEND2,
    message: 'outbox write failed: Revision 0b6f4f1e-8d2a-4c33-9a57-2f1d5e7c9a10 size=2684354560 exceeds single-op copy_object ceiling',
    expect: 'file-exceeds-copy-ceiling',
  },
  {
    time: '2026-05-12T09:06:14.522Z',
    level: 'WARNING',
    logger: 'scs.sync.sender',
    fields: SEND2,
    message: 'outbox write failed: Revision 9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f size=3221225472 exceeds single-op copy_object ceiling',
    expect: 'file-exceeds-copy-ceiling',
  },
  { time: '2026-05-12T09:06:20.000Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:51360 - "GET /health/liveness HTTP/1.1" 200', stream: 'stdout' },
  {
    time: '2026-05-12T09:10:02.117Z',
    level: 'ERROR',
    logger: 'scs.sync.sender',
    fields: SEND2,
    message: "connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'outbox-eu'",
    expect: 'bucket-not-configured',
  },
  { time: '2026-05-12T09:12:00.000Z', level: 'DEBUG', logger: 'scs.sync.receiver', fields: RECV, message: 'polling inbox for globex-to-acme/shard0/manifest' },
  {
    time: '2026-05-12T09:12:05.644Z',
    level: 'ERROR',
    logger: 'scs.sync.receiver',
    fields: RECV,
    message: "manifest max infosec level 'SECRET' (order=4) exceeds local platform max",
    expect: 'infosec-level-exceeds-max',
  },
  {
    time: '2026-05-12T09:15:11.010Z',
    level: 'ERROR',
    logger: 'scs.sync.receiver',
    fields: RECV2,
    message: "manifest control tag(s) uncovered by any transformation predicate: ['EXPORT_CONTROLLED', 'PROPRIETARY']",
    expect: 'control-tags-uncovered',
  },
  {
    time: '2026-05-12T09:20:01.442Z',
    level: 'ERROR',
    logger: 'scs.sync.receiver',
    fields: RECV,
    message: `properties read failed: ${NO_SUCH_KEY}`,
    exc: PROPERTIES_TB,
    expect: 'manifest-key-missing',
  },
  { time: '2026-05-12T09:20:01.443Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:52002 - "GET /health/liveness HTTP/1.1" 200', stream: 'stdout' },
  { time: '2026-05-12T09:20:01.450Z', level: 'INFO', logger: 'scs.sync.receiver', fields: RECV, message: 'sync finished status=failure' },
  // A logged failure whose signature is only in the traceback's exception line.
  { time: '2026-05-12T09:25:00.003Z', level: 'ERROR', logger: 'scs.sync.receiver', fields: RECV2, message: 'sync failed', exc: NO_MANIFEST_TB, expect: 'no-manifest-received' },
  { time: '2026-05-12T09:25:00.004Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:52003 - "GET /health/liveness HTTP/1.1" 200', stream: 'stdout' },
  // A multi-line message: the lines after the first carry no header of their own.
  {
    time: '2026-05-12T09:30:00.118Z',
    level: 'ERROR',
    logger: 'scs.sync.receiver',
    fields: RECV2,
    message: 'connection failed (no manifest received)\nlooked for: initech-to-acme/shard0/manifest\nnext attempt in 300 s',
    expect: 'no-manifest-received',
  },
  { time: '2026-05-12T09:30:00.119Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:52004 - "GET /health/liveness HTTP/1.1" 200', stream: 'stdout' },
  // Non-ASCII text: the label printed by Python, JSON-escaped by python-json-logger and structlog.
  {
    time: '2026-05-12T09:40:00.500Z',
    level: 'ERROR',
    logger: 'scs.sync.receiver',
    fields: RECV,
    message: "connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'inbox-zürich'",
    expect: 'bucket-not-configured',
  },
  // A record longer than the runtimes' 16 KiB line limit, the error after the cut.
  {
    time: '2026-05-12T09:45:00.250Z',
    level: 'ERROR',
    logger: 'scs.sync.receiver',
    fields: RECV,
    message: `manifest listing ${LONG_LISTING}; properties read failed: ${NO_SUCH_KEY}`,
    expect: 'manifest-key-missing',
  },
  { time: '2026-05-12T09:45:00.251Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:52005 - "GET /health/liveness HTTP/1.1" 200', stream: 'stdout' },
  { time: '2026-05-12T09:50:00.000Z', level: 'INFO', logger: 'uvicorn.access', message: '10.42.0.17:51400 - "GET /stats/prometheus HTTP/1.1" 200', stream: 'stdout' },
  {
    time: '2026-05-12T11:59:59.999Z',
    level: 'CRITICAL',
    logger: 'scs.sync.sender',
    fields: SEND,
    message: 'sync failed: shared secret unavailable: cryptography.fernet.InvalidToken',
    expect: 'shared-secret-invalid-token',
  },
];

export const streamOf = (e: ScenarioEvent): Stream => e.stream ?? 'stderr';
