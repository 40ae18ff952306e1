/**
 * The deployment config snapshot (`scs-doctor diagnose --config FILE`): where the Inbox / Outbox
 * buckets are, which environment variables hold the S3 credentials, and where the SCS and Registry
 * Service environment snapshots are. The file never holds a credential itself: one that does is
 * refused, so that config files can be shared with support without leaking anything.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ScsDoctorError, type ProbeRecord } from '@scs-doctor/core';
import type { Probe } from './index.js';
import { createS3Probe, MAX_PROBE_TIMEOUT_MS, type S3Credentials } from './s3.js';
import { createSecretsProbe, readEnvSnapshot } from './secrets.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the NAME of an environment variable (credentials are never written in the config file)');
const sharedId = z.string().regex(/^[^\s/]+$/, 'a Shared ID has no spaces or slashes');

const BucketSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not a valid S3 bucket name'),
  role: z.enum(['inbox', 'outbox']),
  label: z.string().min(1).optional(),
  sharedIds: z.array(sharedId).optional(),
});

const S3Schema = z.strictObject({
  endpoint: z.url().optional(),
  region: z.string().regex(/^[a-z0-9-]+$/, 'not a region name'),
  forcePathStyle: z.boolean().optional(),
  accessKeyIdEnv: envName.optional(),
  secretAccessKeyEnv: envName.optional(),
  sessionTokenEnv: envName.optional(),
  timeoutMs: z.number().int().positive().max(MAX_PROBE_TIMEOUT_MS, `at most ${MAX_PROBE_TIMEOUT_MS} ms (a probe that waits longer holds the whole run)`).optional(),
  buckets: z.array(BucketSchema).min(1),
});

/** The validated config; paths are absolute (relative ones are resolved against the config file's folder). */
export const DeploymentConfigSchema = z
  .strictObject({
    s3: S3Schema.optional(),
    env: z.strictObject({ scs: z.string().min(1), registry: z.string().min(1) }).optional(),
    sharedIds: z.array(sharedId).optional(),
  })
  .refine((c) => c.s3 !== undefined || c.env !== undefined, { message: 'nothing to probe: give s3, env, or both' })
  .refine((c) => (c.s3?.accessKeyIdEnv === undefined) === (c.s3?.secretAccessKeyEnv === undefined), {
    message: 's3.accessKeyIdEnv and s3.secretAccessKeyEnv go together (or leave both out for the default chain: Pod Identity, environment)',
    path: ['s3'],
  });

export type DeploymentConfig = z.infer<typeof DeploymentConfigSchema> & {
  /** The config file, absolute. */
  file: string;
};

/** Keys that would hold a credential: refused wherever they appear. */
const SECRET_KEY = /^(?:access_?key(?:_?id)?|secret(?:_?access)?_?key|session_?token|credentials?|password|token|secret|master_?secret|aws_access_key_id|aws_secret_access_key)$/i;
/** Values that look like a credential (an AWS key id, a long high-entropy word). */
const SECRET_VALUE = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|^(?=[A-Za-z0-9/+=]{40}$)(?=.*[0-9])(?=.*[A-Z])(?=.*[a-z]).*$/;

function place(p: (string | number | symbol)[]): string {
  return p.length ? p.map((k) => (typeof k === 'number' ? `[${k}]` : String(k))).join('.').replace(/\.\[/g, '[') : '(top level)';
}

const URL_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i;

/** Looks for credentials written in the file; names where, never what. */
function findLiteralSecrets(value: unknown, at: (string | number)[] = []): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...findLiteralSecrets(v, [...at, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '') out.push(`${place([...at, k])} holds a credential`);
      else out.push(...findLiteralSecrets(v, [...at, k]));
    }
  } else if (typeof value === 'string') {
    if (URL_USERINFO.test(value)) out.push(`${place(at)} holds credentials in a URL`);
    // Paths of environment snapshots are file names, not values to judge.
    else if (at[0] !== 'env' && SECRET_VALUE.test(value)) out.push(`${place(at)} looks like a credential`);
  }
  return out;
}

/** Line and column of a JSON text position. */
function lineCol(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/**
 * Reads and validates a deployment config snapshot (JSON). Throws `ScsDoctorError` with code
 * `INPUT_NOT_FOUND` / `INPUT_UNREADABLE` when the file cannot be read, and `OPTION_INVALID` when it
 * is not valid JSON, does not fit the schema, or holds a literal credential.
 * @example const config = await loadDeploymentConfig('deploy.json');
 */
export async function loadDeploymentConfig(file: string): Promise<DeploymentConfig> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    throw new ScsDoctorError(code, `${file}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    // V8's message quotes the text around the error, which may hold anything: keep only the place.
    const pos = /position (\d+)/.exec((e as Error).message);
    const where = pos ? lineCol(text, Number(pos[1])) : {};
    throw new ScsDoctorError('OPTION_INVALID', `${file}: the config file is not valid JSON`, { file, ...where });
  }
  const leaks = findLiteralSecrets(raw);
  if (leaks.length > 0) {
    throw new ScsDoctorError(
      'OPTION_INVALID',
      `${file}: ${leaks[0]}; credentials must not be written in the config file: name the environment variables that hold them (s3.accessKeyIdEnv, s3.secretAccessKeyEnv) or use the default chain`,
      { file },
      leaks.map((message) => ({ code: 'OPTION_INVALID' as const, message, file })),
    );
  }
  const parsed = DeploymentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    // zod's own messages name the expectation, not the input value.
    const problems = parsed.error.issues.map((i) => ({ code: 'OPTION_INVALID' as const, message: `${place(i.path)}: ${i.message}`, file }));
    throw new ScsDoctorError('OPTION_INVALID', `${file}: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, { file }, problems);
  }
  const dir = path.dirname(abs);
  const c = parsed.data;
  return {
    ...c,
    ...(c.env ? { env: { scs: path.resolve(dir, c.env.scs), registry: path.resolve(dir, c.env.registry) } } : {}),
    file: abs,
  };
}

export interface ProbeDeploymentOptions {
  /** Receiving Shared IDs whose manifests to look for, besides the config's `sharedIds`. */
  sharedIds?: readonly string[] | undefined;
  /** Where the credential variables named by the config are read (default: `process.env`). */
  env?: Record<string, string | undefined> | undefined;
  /** Overrides `s3.timeoutMs` (default 10 s a request). */
  timeoutMs?: number | undefined;
}

async function readSnapshot(file: string, which: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    throw new ScsDoctorError(code, `${file}: cannot read the ${which} environment snapshot (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  return readEnvSnapshot(text, file);
}

/** The probes a config asks for; credentials are read from `env` now, by the names the config gives. */
export async function deploymentProbes(config: DeploymentConfig, options: ProbeDeploymentOptions = {}): Promise<Probe[]> {
  const probes: Probe[] = [];
  const env = options.env ?? process.env;
  if (config.env) {
    const [scs, registry] = await Promise.all([readSnapshot(config.env.scs, 'SCS'), readSnapshot(config.env.registry, 'Registry Service')]);
    probes.push(createSecretsProbe({ scs, registry }));
  }
  const s3 = config.s3;
  if (s3) {
    let credentials: S3Credentials | undefined;
    if (s3.accessKeyIdEnv !== undefined && s3.secretAccessKeyEnv !== undefined) {
      const missing = [s3.accessKeyIdEnv, s3.secretAccessKeyEnv].filter((n) => !env[n]);
      if (missing.length) {
        throw new ScsDoctorError('OPTION_INVALID', `${config.file}: environment variable ${missing.join(' and ')} (named by the config's s3 credentials) is not set`, { file: config.file });
      }
      const token = s3.sessionTokenEnv !== undefined ? env[s3.sessionTokenEnv] : undefined;
      credentials = { accessKeyId: env[s3.accessKeyIdEnv]!, secretAccessKey: env[s3.secretAccessKeyEnv]!, ...(token ? { sessionToken: token } : {}) };
    }
    const sharedIds = [...new Set([...(config.sharedIds ?? []), ...(options.sharedIds ?? [])])];
    probes.push(
      createS3Probe({
        region: s3.region,
        buckets: s3.buckets,
        sharedIds,
        ...(s3.endpoint !== undefined ? { endpoint: s3.endpoint } : {}),
        ...(s3.forcePathStyle !== undefined ? { forcePathStyle: s3.forcePathStyle } : {}),
        ...(credentials ? { credentials } : {}),
        ...((options.timeoutMs ?? s3.timeoutMs) !== undefined ? { timeoutMs: options.timeoutMs ?? s3.timeoutMs } : {}),
      }),
    );
  }
  return probes;
}

/**
 * Runs every probe the config asks for and returns their records, failures and `ok` checks alike.
 * Feed each to `session.probe(record)`. Throws `ScsDoctorError` only for usage problems (an
 * unreadable environment snapshot, an unset credential variable); S3 failures are records.
 * @example for (const r of await probeDeployment(await loadDeploymentConfig('deploy.json'), { sharedIds: ['3f2a…'] })) session.probe(r);
 */
export async function probeDeployment(config: DeploymentConfig, options: ProbeDeploymentOptions = {}): Promise<ProbeRecord[]> {
  const records: ProbeRecord[] = [];
  for (const probe of await deploymentProbes(config, options)) records.push(...(await probe.run()));
  return records;
}
