/**
 * Running the checks a deployment file asks for. `prepareDeployment` reads what the checks need
 * (environment snapshots, the credential variables the file names) before any log is scanned, so a
 * missing file or an unset variable is known at once; each becomes a problem of the report and only
 * the checks that needed it are left out. `run` then sends the probes and returns their records.
 */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { ProbeRecord, Problem } from '@scs-doctor/core/internal';
import type { DeploymentConfig } from './config.js';
import { createHealthProbe } from './health.js';
import { createLabelProbe, readObjectStores, OBJECT_STORE_FIELDS, SERVICE_TITLE, type ObjectStoreMapping, type ServiceName } from './labels.js';
import { createS3Probe, S3_BUCKET_PROBE, type S3Credentials } from './s3.js';
import { createSecretsProbe, readEnvSnapshot, type EnvSnapshot } from './secrets.js';
import type { Probe } from './index.js';

export const S3_BUCKET_ACCESS_PROBE = 's3-bucket-access';
export const OUTBOX_HISTORY_PROBE = 'outbox-history';

export interface ProbeDeploymentOptions {
  /** Receiving Shared IDs whose manifests to look for, besides the config's `sharedIds`. */
  sharedIds?: readonly string[] | undefined;
  /** Where the credential variables named by the config are read (default: `process.env`). */
  env?: Record<string, string | undefined> | undefined;
  /** Overrides `s3.timeoutMs` (default 10 s a request). */
  timeoutMs?: number | undefined;
  /** The Master Key fingerprint salt (default: random, one per call). */
  salt?: string | undefined;
}

export interface DeploymentResult {
  records: ProbeRecord[];
  /** Inputs of the deployment file that could not be used (never a credential value). */
  problems: Problem[];
}

export interface PreparedDeployment {
  /** What could not be read up front; `run` returns these too. */
  problems: readonly Problem[];
  /** Sends the probes; `sharedIds` adds receiving Shared IDs (from the sync history) to look for. */
  run(sharedIds?: readonly string[]): Promise<DeploymentResult>;
}

type Access = { kind: 'keys'; credentials: S3Credentials } | { kind: 'chain' };

/** A credentials entry of the deployment file: variable names of static keys, or Pod Identity. */
interface CredentialNames {
  accessKeyIdEnv?: string | undefined;
  secretAccessKeyEnv?: string | undefined;
  sessionTokenEnv?: string | undefined;
  podIdentity?: true | undefined;
}

async function readSnapshot(file: string, which: string, problems: Problem[]): Promise<EnvSnapshot | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    problems.push({ code: errno === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', message: `${file}: cannot read the ${which} environment snapshot (${errno ?? 'error'}); the checks that need it were not run`, file });
    return undefined;
  }
  try {
    return readEnvSnapshot(text, file);
  } catch (e) {
    const line = (e as { line?: number }).line;
    problems.push({ code: 'INPUT_CORRUPT', message: `${file}: the ${which} environment snapshot cannot be read: ${(e as Error).message}`, file, ...(line !== undefined ? { line } : {}) });
    return undefined;
  }
}

/** The access a credentials entry names, or a problem when its variables are not set. */
function access(entry: CredentialNames | undefined, env: Record<string, string | undefined>, what: string, file: string, problems: Problem[]): Access | undefined {
  if (!entry || entry.podIdentity || entry.accessKeyIdEnv === undefined || entry.secretAccessKeyEnv === undefined) return { kind: 'chain' };
  const missing = [entry.accessKeyIdEnv, entry.secretAccessKeyEnv].filter((n) => !env[n]);
  if (missing.length) {
    problems.push({ code: 'OPTION_INVALID', message: `${file}: environment variable ${missing.join(' and ')} (named by ${what}) is not set; the S3 checks with these credentials were not run`, file });
    return undefined;
  }
  const token = entry.sessionTokenEnv !== undefined ? env[entry.sessionTokenEnv] : undefined;
  return { kind: 'keys', credentials: { accessKeyId: env[entry.accessKeyIdEnv]!, secretAccessKey: env[entry.secretAccessKeyEnv]!, ...(token ? { sessionToken: token } : {}) } };
}

/** One `s3-bucket-access` record per bucket that one service reads and the other cannot. */
function accessDifferences(scs: ProbeRecord[], registry: ProbeRecord[]): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  const byBucket = (rs: ProbeRecord[]) => new Map(rs.filter((r) => r.probe === S3_BUCKET_PROBE).map((r) => [String(r.fields['bucket']), r]));
  const a = byBucket(scs);
  const b = byBucket(registry);
  for (const [bucket, ra] of a) {
    const rb = b.get(bucket);
    if (!rb) continue;
    const role = String(ra.fields['role']);
    const okA = ra.outcome === 'ok';
    const okB = rb.outcome === 'ok';
    const time = new Date().toISOString();
    if (okA === okB) {
      out.push({
        kind: 'probe',
        probe: S3_BUCKET_ACCESS_PROBE,
        target: bucket,
        outcome: 'same',
        message: `bucket ${bucket} (${role}) reads the same for SCS and the Registry Service`,
        fields: { bucket, role, scs: ra.outcome, registry: rb.outcome },
        time,
      });
      continue;
    }
    const can: ServiceName = okA ? 'scs' : 'registry';
    const cannot: ServiceName = okA ? 'registry' : 'scs';
    const failed = okA ? rb : ra;
    const given = failed.fields['reason'];
    const reason = typeof given === 'string' ? given : failed.outcome;
    const title = (s: ServiceName) => (s === 'scs' ? 'SCS' : 'the Registry Service');
    out.push({
      kind: 'probe',
      probe: S3_BUCKET_ACCESS_PROBE,
      target: bucket,
      outcome: 'differs',
      message: `bucket ${bucket} (${role}) can be read by ${title(can)} but not by ${title(cannot)}: ${reason}`,
      fields: { bucket, role, canRead: can, cannotRead: cannot, reason },
      time,
    });
  }
  return out;
}

/**
 * The guide's re-publish case: a connection's Outbox label, or the bucket behind it, differs between
 * the SCS snapshot at (or before) the connection's creation and the current one.
 */
function outboxHistory(config: DeploymentConfig, current: EnvSnapshot, history: { time: string; env: EnvSnapshot }[], mapping: ObjectStoreMapping): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  const now = readObjectStores(current, mapping).stores;
  const sorted = [...history].sort((x, y) => Date.parse(x.time) - Date.parse(y.time));
  for (const c of config.connections ?? []) {
    const created = c.createdAt !== undefined ? Date.parse(c.createdAt) : undefined;
    // The newest snapshot taken at or before creation; without a creation time, the earliest one.
    const before = created !== undefined ? sorted.filter((h) => Date.parse(h.time) <= created).pop() : sorted[0];
    const who = c.name ? `${c.name} (${c.sharedId})` : c.sharedId;
    const time = new Date().toISOString();
    const base = { sharedId: c.sharedId, label: c.outboxLabel, ...(c.name ? { connectionName: c.name } : {}), ...(c.createdAt ? { createdAt: c.createdAt } : {}) };
    if (!before) {
      out.push({ kind: 'probe', probe: OUTBOX_HISTORY_PROBE, target: c.sharedId, outcome: 'skipped', message: `outbox of connection ${who} not compared: no SCS snapshot from before its creation`, side: 'sending', fields: base, time });
      continue;
    }
    const then = readObjectStores(before.env, mapping).stores.get(c.outboxLabel);
    const cur = now.get(c.outboxLabel);
    const show = (v: Record<string, string | undefined> | undefined) =>
      v
        ? OBJECT_STORE_FIELDS.filter((f) => v[f] !== undefined)
            .map((f) => `${f} ${v[f]}`)
            .join(', ') || '(empty)'
        : '(label not configured)';
    const differ = OBJECT_STORE_FIELDS.filter((f) => (then?.[f] ?? '') !== (cur?.[f] ?? ''));
    if (!then && !cur) {
      out.push({ kind: 'probe', probe: OUTBOX_HISTORY_PROBE, target: c.sharedId, outcome: 'skipped', message: `outbox of connection ${who} not compared: label ${c.outboxLabel} is in neither snapshot`, side: 'sending', fields: base, time });
    } else if (then && cur && differ.length === 0) {
      out.push({
        kind: 'probe',
        probe: OUTBOX_HISTORY_PROBE,
        target: c.sharedId,
        outcome: 'ok',
        message: `outbox of connection ${who} unchanged since ${before.time}: label ${c.outboxLabel}, ${show(cur)}`,
        side: 'sending',
        fields: { ...base, since: before.time },
        time,
      });
    } else {
      out.push({
        kind: 'probe',
        probe: OUTBOX_HISTORY_PROBE,
        target: c.sharedId,
        outcome: 'changed',
        message: `outbox of connection ${c.sharedId} changed after it was created [snapshot ${before.time}]: label ${c.outboxLabel} was ${show(then)}; now ${show(cur)}`,
        side: 'sending',
        fields: { ...base, since: before.time, before: then ?? null, now: cur ?? null, differ },
        time,
      });
    }
  }
  return out;
}

/**
 * Reads what the deployment file's checks need, up front, and returns the runner.
 * @example const d = await prepareDeployment(await loadDeploymentConfig('deploy.json')); const { records, problems } = await d.run();
 */
export async function prepareDeployment(config: DeploymentConfig, options: ProbeDeploymentOptions = {}): Promise<PreparedDeployment> {
  const problems: Problem[] = [];
  const env = options.env ?? process.env;
  const [scsEnv, registryEnv] = config.env ? await Promise.all([readSnapshot(config.env.scs, 'SCS', problems), readSnapshot(config.env.registry, 'Registry Service', problems)]) : [undefined, undefined];
  const history: { time: string; env: EnvSnapshot }[] = [];
  for (const h of config.history ?? []) {
    const e = await readSnapshot(h.scs, `SCS (${h.time})`, problems);
    if (e) history.push({ time: h.time, env: e });
  }
  const s3 = config.s3;
  const runs: { service: ServiceName | undefined; access: Access }[] = [];
  if (s3) {
    const services = s3.services;
    if (services && (services.scs || services.registry)) {
      for (const service of ['scs', 'registry'] as const) {
        const entry = services[service];
        if (!entry) continue;
        const a = access(entry, env, `s3.services.${service}`, config.file, problems);
        if (a) runs.push({ service, access: a });
      }
    } else {
      const a = access({ accessKeyIdEnv: s3.accessKeyIdEnv, secretAccessKeyEnv: s3.secretAccessKeyEnv, sessionTokenEnv: s3.sessionTokenEnv }, env, "the config's s3 credentials", config.file, problems);
      if (a) runs.push({ service: undefined, access: a });
    }
  }
  const salt = options.salt ?? randomBytes(8).toString('hex');
  const upFront = [...problems];

  return {
    problems: upFront,
    async run(extraSharedIds: readonly string[] = []): Promise<DeploymentResult> {
      const probes: Probe[] = [];
      if (config.scs) probes.push(createHealthProbe({ url: config.scs.url, timeoutMs: config.scs.timeoutMs, slowMs: config.scs.slowMs }));
      if (scsEnv && registryEnv) {
        probes.push(createSecretsProbe({ scs: scsEnv, registry: registryEnv, salt }));
        if (config.objectStores) probes.push(createLabelProbe({ scs: { env: scsEnv, mapping: config.objectStores.scs }, registry: { env: registryEnv, mapping: config.objectStores.registry } }));
      }
      const records: ProbeRecord[] = [];
      for (const p of probes) records.push(...(await p.run()));
      if (scsEnv && config.objectStores && config.connections?.length) records.push(...outboxHistory(config, scsEnv, history, config.objectStores.scs));
      if (s3) {
        const sharedIds = [...new Set([...(config.sharedIds ?? []), ...(options.sharedIds ?? []), ...extraSharedIds])];
        const listing = s3.outboxListing?.enabled === false ? undefined : { recordAboveBytes: s3.outboxListing?.recordAboveBytes, maxObjects: s3.outboxListing?.maxObjects, pageSize: s3.outboxListing?.pageSize };
        const byService = new Map<ServiceName | undefined, ProbeRecord[]>();
        let listed = false;
        for (const r of runs) {
          const out = await createS3Probe({
            region: s3.region,
            buckets: s3.buckets,
            sharedIds,
            endpoint: s3.endpoint,
            forcePathStyle: s3.forcePathStyle,
            credentials: r.access.kind === 'keys' ? r.access.credentials : undefined,
            timeoutMs: options.timeoutMs ?? s3.timeoutMs,
            maxAttempts: s3.maxAttempts,
            service: r.service,
            // The Outbox is listed once, with the first credentials that run (SCS's when given).
            outboxListing: listed ? undefined : listing,
          }).run();
          listed = true;
          byService.set(r.service, out);
          records.push(...out);
        }
        const a = byService.get('scs');
        const b = byService.get('registry');
        if (a && b) records.push(...accessDifferences(a, b));
      }
      // Label-probe records a mapping could not read are problems of the input, not findings.
      const kept: ProbeRecord[] = [];
      const runProblems: Problem[] = [];
      for (const r of records) {
        if (r.probe === 'object-store-label' && r.outcome === 'unreadable') {
          const service = r.fields['service'] as ServiceName;
          runProblems.push({ code: 'INPUT_CORRUPT', message: `${r.message} (objectStores.${service} in ${config.file}; snapshot of ${SERVICE_TITLE[service]})`, file: service === 'scs' ? config.env?.scs : config.env?.registry });
        } else kept.push(r);
      }
      return { records: kept, problems: [...upFront, ...runProblems] };
    },
  };
}

/**
 * Runs every probe the config asks for and returns their records; what could not be read is in
 * `problems`. Nothing is thrown for an unreadable snapshot or an unset credential variable.
 * @example const { records, problems } = await probeDeployment(await loadDeploymentConfig('deploy.json'), { sharedIds: ['3f2a…'] });
 */
export async function probeDeployment(config: DeploymentConfig, options: ProbeDeploymentOptions = {}): Promise<DeploymentResult> {
  return (await prepareDeployment(config, options)).run();
}
