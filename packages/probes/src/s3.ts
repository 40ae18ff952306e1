/**
 * The S3 probe: read-only checks that each Inbox / Outbox bucket exists and can be read, and that
 * the manifest of each receiving Shared ID sits at `<SHARED_ID>/shard0/manifest` in the Inbox
 * (domain facts: "Inbox / Outbox"; rules `bucket-unreachable`, `inbox-manifest-missing`).
 *
 * It sends only HeadBucket, ListObjectsV2 (MaxKeys 1) and HeadObject: a guard middleware on the
 * client refuses any other command before it is signed. Every check yields one record, `ok` ones
 * too, so the report's probe count says how much was checked; rules match only the failures.
 */
// Type-only at load: the SDK is imported when a probe runs, so diagnosing logs does not pay for it.
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { ScsDoctorError, type ProbeRecord } from '@scs-doctor/core/internal';
import type { Probe } from './index.js';

export type BucketRole = 'inbox' | 'outbox';

export interface S3BucketTarget {
  name: string;
  role: BucketRole;
  /** The object-store label SCS and the Registry Service know the bucket by. */
  label?: string | undefined;
  /** Receiving Shared IDs whose manifests to look for in this bucket (inbox only); default: the probe's `sharedIds`. */
  sharedIds?: readonly string[] | undefined;
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface S3ProbeOptions {
  /** Custom endpoint (MinIO, Swift, …); default: AWS. */
  endpoint?: string | undefined;
  region: string;
  /** Static keys; `undefined` uses the SDK's default chain (environment, Pod Identity, profile, …). */
  credentials?: S3Credentials | undefined;
  /** Path-style addressing; default: true when `endpoint` is set, else false. */
  forcePathStyle?: boolean | undefined;
  buckets: readonly S3BucketTarget[];
  /** Receiving Shared IDs whose manifests to look for in every inbox bucket that lists none of its own. */
  sharedIds?: readonly string[] | undefined;
  /** Time allowed for one request (default 10 s). */
  timeoutMs?: number | undefined;
  /** Attempts per request, retries included (default 2). */
  maxAttempts?: number | undefined;
  /** A ready client (tests; custom handlers). The read-only guard is added to it. */
  client?: S3Client | undefined;
  /** Whose credentials these are; named in every message when set (each service may have its own). */
  service?: 'scs' | 'registry' | undefined;
  /** List every readable Outbox and record its large objects (see `OutboxListingOptions`). */
  outboxListing?: OutboxListingOptions | undefined;
}

export interface OutboxListingOptions {
  /** Objects at least this large are recorded (default 1,000,000,000 bytes); the rule judges them against its ceiling. */
  recordAboveBytes?: number | undefined;
  /** Stop after this many objects (default 200,000): the listing is then marked truncated. */
  maxObjects?: number | undefined;
  /** Keys per page (default 1000, the S3 maximum). */
  pageSize?: number | undefined;
}

/** The only S3 commands the probe may send. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set(['HeadBucketCommand', 'ListObjectsV2Command', 'HeadObjectCommand']);

export const S3_BUCKET_PROBE = 's3-bucket';
export const S3_MANIFEST_PROBE = 's3-manifest';
export const S3_OUTBOX_OBJECT_PROBE = 's3-outbox-object';
export const S3_OUTBOX_LISTING_PROBE = 's3-outbox-listing';
const SERVICE_WORDS = { scs: 'SCS', registry: 'the Registry Service' } as const;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The revision a key names: the last UUID in it, when there is one. */
export function revisionOfKey(key: string): string | undefined {
  const all = key.match(UUID);
  return all ? all[all.length - 1]!.toLowerCase() : undefined;
}

type Outcome = 'ok' | 'missing' | 'forbidden' | 'unreachable' | 'skipped';

const MISSING = new Set(['NoSuchBucket', 'NotFound', 'NoSuchKey']);
const FORBIDDEN = new Set([
  'AccessDenied',
  'Forbidden',
  'AllAccessDisabled',
  'AccountProblem',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'AuthorizationHeaderMalformed',
  'PermanentRedirect',
  'Redirect',
  'TemporaryRedirect',
  'IllegalLocationConstraintException',
  'RequestTimeTooSkewed',
  'CredentialsProviderError',
  'InvalidBucketName',
  'BadRequest',
]);
const GENERIC_NAMES = new Set(['Unknown', 'UnknownError', 'Error', 'S3ServiceException', '']);
const STATUS_CODE: Record<number, string> = { 301: 'PermanentRedirect', 307: 'TemporaryRedirect', 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' };
const MAX_MESSAGE = 300;

interface ErrorInfo {
  /** The S3 error code, a Node network code, or a name derived from the HTTP status. */
  code: string;
  status: number | undefined;
  /** The service's own wording, when it said more than the code. */
  detail: string | undefined;
  requestId: string | undefined;
  /** Whether the service answered (false: network, timeout, credentials could not be loaded). */
  answered: boolean;
  bucketRegion: string | undefined;
}

function prop(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** What an SDK or network error says, without the request's signing material. */
function errorInfo(e: unknown, timeoutMs?: number): ErrorInfo {
  const meta = prop(e, '$metadata');
  const status = typeof prop(meta, 'httpStatusCode') === 'number' ? (prop(meta, 'httpStatusCode') as number) : undefined;
  const name = text(prop(e, 'Code')) ?? text(prop(e, 'name'));
  // Node network errors carry `code` (ECONNREFUSED, ENOTFOUND…); Node 20's dual-stack connect
  // wraps them in an AggregateError whose members carry it.
  const errno = text(prop(e, 'code')) ?? text(prop((prop(e, 'errors') as unknown[] | undefined)?.[0], 'code'));
  let code: string;
  if (name && !GENERIC_NAMES.has(name)) code = name;
  else if (errno) code = errno;
  else if (status !== undefined) code = STATUS_CODE[status] ?? (status >= 500 ? 'ServerError' : `HTTP${status}`);
  else code = name || 'Error';
  if (code === 'AggregateError' && errno) code = errno;
  const message = text(prop(e, 'message'));
  let detail = message && message !== 'UnknownError' && message !== code ? message : undefined;
  // The handler's per-request timeout, or the probe's bound on a whole call (retries included).
  if (code === 'TimeoutError' || code === 'AbortError' || code === 'ETIMEDOUT') {
    code = 'TimeoutError';
    detail = timeoutMs !== undefined ? `no answer within ${timeoutMs} ms` : detail;
  }
  const headers = prop(prop(e, '$response'), 'headers');
  return {
    code,
    status,
    detail,
    requestId: text(prop(meta, 'requestId')) ?? text(prop(e, 'RequestId')),
    answered: status !== undefined,
    bucketRegion: text(prop(headers, 'x-amz-bucket-region')) ?? text(prop(e, 'Region')),
  };
}

function outcomeOf(info: ErrorInfo): Exclude<Outcome, 'ok' | 'skipped'> {
  if (MISSING.has(info.code) || info.status === 404) return 'missing';
  if (FORBIDDEN.has(info.code) || info.status === 401 || info.status === 403 || (info.status !== undefined && info.status >= 300 && info.status < 500)) return 'forbidden';
  return 'unreachable';
}

/** `Code (HTTP 403): detail`, scrubbed of every credential value known to the probe. */
function describe(info: ErrorInfo, scrub: (s: string) => string): string {
  const detail = info.detail ? scrub(info.detail.replace(/\s+/g, ' ').trim()) : '';
  const s = `${info.code}${info.status !== undefined ? ` (HTTP ${info.status})` : ''}${detail ? `: ${detail}` : ''}`;
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s;
}

function scrubber(values: readonly (string | undefined)[]): (s: string) => string {
  const secrets = values.filter((v): v is string => typeof v === 'string' && v.length >= 4).sort((a, b) => b.length - a.length);
  return (s) => {
    let out = s;
    for (const v of secrets) out = out.split(v).join('[REDACTED]');
    return out;
  };
}

/** Refuses, before signing, every command that is not a read (the probe must never write). */
function guardReadOnly(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName ?? '(unknown)';
      if (!READ_ONLY_COMMANDS.has(name)) throw new Error(`scs-doctor S3 probe is read-only: refused ${name}`);
      return next(args);
    },
    { step: 'initialize', name: 'scsDoctorReadOnlyGuard', priority: 'high', override: true },
  );
}

/** Longest wait for one S3 request (2 minutes): a probe that waits longer holds the whole run. */
export const MAX_PROBE_TIMEOUT_MS = 120_000;

function manifestKey(sharedId: string): string {
  return `${sharedId}/shard0/manifest`;
}

type ListCtor = typeof import('@aws-sdk/client-s3').ListObjectsV2Command;

/**
 * Lists an Outbox page by page (bounded by `maxObjects`) and records each object at or above
 * `recordAboveBytes`, then one `s3-outbox-listing` record with the counts (`truncated` when the bound
 * stopped it, `unreachable`/`forbidden` when a page failed).
 */
async function listOutbox(
  client: S3Client,
  List: ListCtor,
  b: S3BucketTarget,
  bucketFields: Record<string, unknown>,
  o: OutboxListingOptions,
  opts: () => { abortSignal: AbortSignal },
  timeoutMs: number,
  scrubFor: () => Promise<(s: string) => string>,
): Promise<ProbeRecord[]> {
  const above = o.recordAboveBytes ?? 1_000_000_000;
  const maxObjects = o.maxObjects ?? 200_000;
  const pageSize = Math.min(1000, Math.max(1, o.pageSize ?? 1000));
  const out: ProbeRecord[] = [];
  let token: string | undefined;
  let objects = 0;
  let pages = 0;
  let largest = 0;
  let failure: ErrorInfo | undefined;
  let truncated = false;
  for (;;) {
    let page;
    try {
      page = await client.send(new List({ Bucket: b.name, MaxKeys: Math.min(pageSize, maxObjects - objects), ...(token ? { ContinuationToken: token } : {}) }), opts());
    } catch (e) {
      failure = errorInfo(e, timeoutMs);
      break;
    }
    pages++;
    for (const obj of page.Contents ?? []) {
      objects++;
      const size = obj.Size ?? 0;
      if (size > largest) largest = size;
      if (size >= above && obj.Key !== undefined) {
        const revision = revisionOfKey(obj.Key);
        out.push({
          kind: 'probe',
          probe: S3_OUTBOX_OBJECT_PROBE,
          target: `${b.name}/${obj.Key}`,
          outcome: 'listed',
          message: `outbox object ${obj.Key} in bucket ${b.name} is ${size} bytes${revision ? ` (revision ${revision})` : ''}`,
          side: 'sending',
          fields: { ...bucketFields, key: obj.Key, sizeBytes: size, ...(revision ? { revisionId: revision } : {}), ...(obj.LastModified instanceof Date ? { lastModified: obj.LastModified.toISOString() } : {}) },
          time: new Date().toISOString(),
        });
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    if (!token) break;
    if (objects >= maxObjects) {
      truncated = true;
      break;
    }
  }
  const counts = { objects, pages, largestBytes: largest, recordAboveBytes: above, maxObjects };
  if (failure) {
    const s = await scrubFor();
    out.push({
      kind: 'probe',
      probe: S3_OUTBOX_LISTING_PROBE,
      target: b.name,
      outcome: outcomeOf(failure),
      message: `outbox ${b.name} could not be listed to the end: ${describe(failure, s)} after ${objects} objects`,
      side: 'sending',
      fields: { ...bucketFields, ...counts, reason: failure.code },
      time: new Date().toISOString(),
    });
  } else {
    out.push({
      kind: 'probe',
      probe: S3_OUTBOX_LISTING_PROBE,
      target: b.name,
      outcome: truncated ? 'truncated' : 'ok',
      message: truncated ? `outbox ${b.name} listed only in part: stopped after ${objects} objects (the limit), largest ${largest} bytes` : `outbox ${b.name} listed: ${objects} objects in ${pages} pages, largest ${largest} bytes`,
      side: 'sending',
      fields: { ...bucketFields, ...counts },
      time: new Date().toISOString(),
    });
  }
  return out;
}

/**
 * Creates the read-only S3 probe.
 * @example const records = await createS3Probe({ region: 'us-east-1', buckets: [{ name: 'acme-inbox', role: 'inbox' }], sharedIds: ['3f2a…'] }).run();
 */
export function createS3Probe(options: S3ProbeOptions): Probe {
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_PROBE_TIMEOUT_MS) {
    throw new ScsDoctorError('OPTION_INVALID', `timeoutMs must be a whole number of milliseconds from 1 to ${MAX_PROBE_TIMEOUT_MS} (got ${String(timeoutMs)})`);
  }
  return {
    name: 's3',
    async run(): Promise<ProbeRecord[]> {
      const { HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } = await import('@aws-sdk/client-s3');
      const config: S3ClientConfig = {
        region: options.region,
        forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        disableS3ExpressSessionAuth: true,
        maxAttempts: options.maxAttempts ?? 2,
        requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
        ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
        ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
      };
      const own = options.client === undefined;
      const client = options.client ?? new S3Client(config);
      guardReadOnly(client);

      let scrub = scrubber([options.credentials?.accessKeyId, options.credentials?.secretAccessKey, options.credentials?.sessionToken]);
      let scrubbedChain = options.credentials !== undefined;
      /** With the default chain the values are unknown until resolved: learn them once, to scrub. */
      const scrubFor = async (): Promise<(s: string) => string> => {
        if (!scrubbedChain) {
          scrubbedChain = true;
          try {
            const c = await client.config.credentials();
            scrub = scrubber([c.accessKeyId, c.secretAccessKey, c.sessionToken]);
          } catch {
            /* no credentials: nothing to scrub */
          }
        }
        return scrub;
      };

      const endpoint = options.endpoint ?? `https://s3.${options.region}.amazonaws.com`;
      const base = { endpoint, region: options.region, ...(options.service ? { service: options.service } : {}) };
      const by = options.service ? ` by ${SERVICE_WORDS[options.service]}` : '';
      const tgt = (t: string) => (options.service ? `${t} (${options.service})` : t);
      const records: ProbeRecord[] = [];
      // A bound on the whole call, retries included, beside the handler's per-request timeouts.
      const opts = () => ({ abortSignal: AbortSignal.timeout(timeoutMs * (options.maxAttempts ?? 2) + 1000) });

      try {
        for (const b of options.buckets) {
          const bucketFields = { ...base, bucket: b.name, role: b.role, ...(b.label !== undefined ? { label: b.label } : {}) };
          let failure: ErrorInfo | undefined;
          let region: string | undefined;
          try {
            const out = await client.send(new HeadBucketCommand({ Bucket: b.name }), opts());
            region = out.BucketRegion;
          } catch (e) {
            const head = errorInfo(e, timeoutMs);
            failure = head;
            // A HEAD answer has no body, so S3 cannot say why (`403`, `400`): the same question
            // as a one-key listing returns the error code (NoSuchBucket, SignatureDoesNotMatch…).
            if (head.answered) {
              try {
                await client.send(new ListObjectsV2Command({ Bucket: b.name, MaxKeys: 1 }), opts());
                failure = undefined; // HEAD refused, listing allowed: the bucket can be read
              } catch (e2) {
                const listed = errorInfo(e2, timeoutMs);
                if (listed.answered) failure = { ...listed, bucketRegion: listed.bucketRegion ?? head.bucketRegion };
              }
            }
          }
          const time = new Date().toISOString();
          if (failure) {
            const s = await scrubFor();
            const outcome = outcomeOf(failure);
            records.push({
              kind: 'probe',
              probe: S3_BUCKET_PROBE,
              target: tgt(b.name),
              outcome,
              message: `bucket ${b.name} (${b.role}) cannot be read${by}: ${describe(failure, s)}`,
              fields: {
                ...bucketFields,
                reason: failure.code,
                ...(failure.status !== undefined ? { httpStatus: failure.status } : {}),
                ...(failure.requestId ? { requestId: failure.requestId } : {}),
                ...(failure.bucketRegion ? { bucketRegion: failure.bucketRegion } : {}),
              },
              time,
            });
          } else {
            records.push({
              kind: 'probe',
              probe: S3_BUCKET_PROBE,
              target: tgt(b.name),
              outcome: 'ok',
              message: `bucket ${b.name} (${b.role}) is readable${by}`,
              fields: { ...bucketFields, ...(region ? { bucketRegion: region } : {}) },
              time,
            });
          }

          if (b.role === 'outbox' && !failure && options.outboxListing) {
            records.push(...(await listOutbox(client, ListObjectsV2Command, b, bucketFields, options.outboxListing, opts, timeoutMs, scrubFor)));
          }
          if (b.role !== 'inbox') continue;
          for (const sharedId of b.sharedIds ?? options.sharedIds ?? []) {
            const key = manifestKey(sharedId);
            const fields = { ...base, bucket: b.name, role: b.role, key, sharedId, ...(b.label !== undefined ? { label: b.label } : {}) };
            if (failure) {
              // HEAD on a key in a missing bucket also answers 404: checking would misreport the manifest.
              records.push({
                kind: 'probe',
                probe: S3_MANIFEST_PROBE,
                target: tgt(`${b.name}/${key}`),
                outcome: 'skipped',
                message: `manifest ${key} not checked: bucket ${b.name} (inbox) cannot be read (${failure.code})`,
                side: 'receiving',
                fields: { ...fields, reason: failure.code },
                time: new Date().toISOString(),
              });
              continue;
            }
            try {
              const head = await client.send(new HeadObjectCommand({ Bucket: b.name, Key: key }), opts());
              const modified = head.LastModified instanceof Date ? head.LastModified.toISOString() : undefined;
              records.push({
                kind: 'probe',
                probe: S3_MANIFEST_PROBE,
                target: tgt(`${b.name}/${key}`),
                outcome: 'ok',
                message: `manifest ${key} found in inbox bucket ${b.name}${head.ContentLength !== undefined ? ` (${head.ContentLength} bytes${modified ? `, modified ${modified}` : ''})` : ''}`,
                side: 'receiving',
                fields: { ...fields, ...(head.ContentLength !== undefined ? { sizeBytes: head.ContentLength } : {}), ...(modified ? { lastModified: modified } : {}) },
                time: new Date().toISOString(),
              });
            } catch (e) {
              const info = errorInfo(e, timeoutMs);
              const outcome = outcomeOf(info);
              const s = await scrubFor();
              const extra = {
                reason: info.code,
                ...(info.status !== undefined ? { httpStatus: info.status } : {}),
                ...(info.requestId ? { requestId: info.requestId } : {}),
              };
              records.push({
                kind: 'probe',
                probe: S3_MANIFEST_PROBE,
                target: tgt(`${b.name}/${key}`),
                outcome,
                // A missing key is the finding; any other failure is the bucket's (it cannot be read).
                message: outcome === 'missing' ? `no manifest at ${key} in inbox bucket ${b.name}: ${describe(info, s)}` : `bucket ${b.name} (inbox) cannot be read${by}: ${describe(info, s)} at key ${key}`,
                side: 'receiving',
                fields: { ...fields, ...extra },
                time: new Date().toISOString(),
              });
            }
          }
        }
      } finally {
        if (own) client.destroy();
      }
      return records;
    },
  };
}
