/**
 * The deployment config snapshot (`scs-doctor diagnose --config FILE`): where the Inbox / Outbox
 * buckets are, which environment variables hold the S3 credentials, and where the SCS and Registry
 * Service environment snapshots are. The file never holds a credential itself: one that does is
 * refused, so that config files can be shared with support without leaking anything.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ScsDoctorError } from '@scs-doctor/core/internal';
import { MAX_PROBE_TIMEOUT_MS } from './s3.js';

const envName = z.string().regex(/^[A-Z_]\w*$/i, 'must be the NAME of an environment variable (credentials are never written in the config file)');
const sharedId = z.string().regex(/^[^\s/]+$/, 'a Shared ID has no spaces or slashes');

const BucketSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not a valid S3 bucket name'),
  role: z.enum(['inbox', 'outbox']),
  label: z.string().min(1).optional(),
  sharedIds: z.array(sharedId).optional(),
});

/** One service's S3 access: the names of the variables that hold static keys, or the default chain (Pod Identity). */
const CredentialsSchema = z.union([z.strictObject({ accessKeyIdEnv: envName, secretAccessKeyEnv: envName, sessionTokenEnv: envName.optional() }), z.strictObject({ podIdentity: z.literal(true) })]);

const S3Schema = z.strictObject({
  endpoint: z.url().optional(),
  region: z.string().regex(/^[a-z0-9-]+$/, 'not a region name'),
  forcePathStyle: z.boolean().optional(),
  accessKeyIdEnv: envName.optional(),
  secretAccessKeyEnv: envName.optional(),
  sessionTokenEnv: envName.optional(),
  timeoutMs: z.number().int().positive().max(MAX_PROBE_TIMEOUT_MS, `at most ${MAX_PROBE_TIMEOUT_MS} ms (a probe that waits longer holds the whole run)`).optional(),
  maxAttempts: z.number().int().min(1).max(5).optional(),
  services: z.strictObject({ scs: CredentialsSchema.optional(), registry: CredentialsSchema.optional() }).optional(),
  outboxListing: z
    .strictObject({
      enabled: z.boolean().optional(),
      recordAboveBytes: z.number().int().nonnegative().optional(),
      maxObjects: z.number().int().positive().max(10_000_000).optional(),
      pageSize: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
  buckets: z.array(BucketSchema).min(1),
});

const template = z.string().regex(/^[A-Za-z_]\w*\{label\}\w*$|^\{label\}\w+$/, 'a variable name with {label} where the label goes');
const MappingSchema = z.union([z.strictObject({ json: envName }), z.strictObject({ bucket: template, region: template.optional(), endpoint: template.optional() })]);

const isoTime = z.iso.datetime({ offset: true });

/** The validated config; paths are absolute (relative ones are resolved against the config file's folder). */
export const DeploymentConfigSchema = z
  .strictObject({
    scs: z.strictObject({ url: z.url(), timeoutMs: z.number().int().positive().max(120_000).optional(), slowMs: z.number().int().positive().optional() }).optional(),
    s3: S3Schema.optional(),
    env: z.strictObject({ scs: z.string().min(1), registry: z.string().min(1) }).optional(),
    objectStores: z.strictObject({ scs: MappingSchema, registry: MappingSchema }).optional(),
    connections: z.array(z.strictObject({ sharedId, name: z.string().min(1).optional(), outboxLabel: z.string().min(1), createdAt: isoTime.optional() })).optional(),
    history: z.array(z.strictObject({ time: isoTime, scs: z.string().min(1) })).optional(),
    sharedIds: z.array(sharedId).optional(),
  })
  .refine((c) => c.s3 !== undefined || c.env !== undefined || c.scs !== undefined, { message: 'nothing to probe: give scs, s3, env, or several' })
  .refine((c) => (c.s3?.accessKeyIdEnv === undefined) === (c.s3?.secretAccessKeyEnv === undefined), {
    message: 's3.accessKeyIdEnv and s3.secretAccessKeyEnv go together (or leave both out for the default chain: Pod Identity, environment)',
    path: ['s3'],
  })
  .refine((c) => c.objectStores === undefined || c.env !== undefined, { message: 'objectStores reads the environment snapshots: give env too', path: ['objectStores'] })
  .refine((c) => (c.connections === undefined && c.history === undefined) || c.objectStores !== undefined, {
    message: 'connections and history are compared through objectStores: give objectStores too',
    path: ['connections'],
  });

export type DeploymentConfig = z.infer<typeof DeploymentConfigSchema> & {
  /** The config file, absolute. */
  file: string;
};

/** Keys that would hold a credential: refused wherever they appear. */
const SECRET_KEY = /^(?:access_?key(?:_?id)?|secret(?:_?access)?_?key|session_?token|credentials?|password|token|secret|master_?secret|aws_access_key_id|aws_secret_access_key)$/i;
/** Values that look like a credential (an AWS key id, a long high-entropy word). */
const SECRET_VALUE = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|^(?=[A-Za-z0-9/+=]{40}$)(?=.*\d)(?=.*[A-Z])(?=.*[a-z])/;

function place(p: (string | number | symbol)[]): string {
  return p.length
    ? p
        .map((k) => (typeof k === 'number' ? `[${k}]` : String(k)))
        .join('.')
        .replace(/\.\[/g, '[')
    : '(top level)';
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
    else if (at[0] !== 'env' && at[0] !== 'history' && SECRET_VALUE.test(value)) out.push(`${place(at)} looks like a credential`);
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
    ...(c.history ? { history: c.history.map((h) => ({ ...h, scs: path.resolve(dir, h.scs) })) } : {}),
    file: abs,
  };
}
