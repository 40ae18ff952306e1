/**
 * The Master Key probe: SCS's `ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET` must equal
 * the Registry Service's `FILE_SERVICE_REMOTE_MASTER_SECRET` (domain facts: "Master Key"; rule
 * `master-secret-mismatch`). The two values are compared, and only their fingerprints ever leave
 * this file: never the values, not even in an error. A fingerprint is a slow, salted hash (scrypt,
 * with a salt drawn for each report), so that a report cannot be used to test guesses of the key
 * offline against a plain SHA-256, and two reports cannot be matched by their fingerprints.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { ScsDoctorError, type ProbeRecord } from '@scs-doctor/core/internal';
import { isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import type { Probe } from './index.js';

export const SCS_MASTER_SECRET_ENV = 'ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET';
export const REGISTRY_MASTER_SECRET_ENV = 'FILE_SERVICE_REMOTE_MASTER_SECRET';
export const MASTER_SECRET_PROBE = 'master-secret';

export type EnvSnapshot = Record<string, string | undefined>;

export interface SecretsProbeOptions {
  /** The Secure Connection Service's environment (or the part of it that holds its master secret). */
  scs: EnvSnapshot;
  /** The Registry Service's environment. */
  registry: EnvSnapshot;
  /** The fingerprint salt (default: 8 random bytes, hex, drawn once for this probe). */
  salt?: string | undefined;
}

/** scrypt cost parameters of the fingerprint; each fingerprint costs about 16 MiB and tens of milliseconds. */
export const FINGERPRINT_PARAMS = { N: 16384, r: 8, p: 1, keyLength: 16 } as const;

/**
 * The fingerprint of a secret: `scrypt:` and the first 12 hex digits of scrypt(value, salt) with
 * `FINGERPRINT_PARAMS`. An administrator reproduces it inside a pod, without printing the value:
 * `python3 -c 'import hashlib,os;print(hashlib.scrypt(os.environ["VARIABLE"].encode(),salt=b"SALT",n=16384,r=8,p=1,dklen=16).hex()[:12])'`
 * @example fingerprint('s3cr3t', '9f2c61d0a4b7e835')
 */
export function fingerprint(value: string, salt: string): string {
  const { N, r, p, keyLength } = FINGERPRINT_PARAMS;
  return `scrypt:${scryptSync(Buffer.from(value, 'utf8'), Buffer.from(salt, 'utf8'), keyLength, { N, r, p }).toString('hex').slice(0, 12)}`;
}

function present(v: string | undefined): v is string {
  return typeof v === 'string' && v !== '';
}

/**
 * Creates the probe that compares the two master secrets by fingerprint. One record: outcome
 * `ok` (equal), `mismatch` (both set, different) or `missing` (one or both not set or empty).
 */
export function createSecretsProbe(options: SecretsProbeOptions): Probe {
  return {
    name: 'secrets',
    // A probe that cannot run fails its promise, as an asynchronous one does.
    run: () => new Promise<ProbeRecord[]>((resolve) => resolve(secretsRecords(options))),
  };
}

/** The one record of the secrets probe. */
function secretsRecords(options: SecretsProbeOptions): ProbeRecord[] {
  const scs = options.scs[SCS_MASTER_SECRET_ENV];
  const reg = options.registry[REGISTRY_MASTER_SECRET_ENV];
  const salt = options.salt ?? randomBytes(8).toString('hex');
  const scsFp = present(scs) ? fingerprint(scs, salt) : 'not set';
  const regFp = present(reg) ? fingerprint(reg, salt) : 'not set';
  const fields: Record<string, unknown> = {
    fingerprintSalt: salt,
    fingerprintAlgorithm: `scrypt N=${FINGERPRINT_PARAMS.N} r=${FINGERPRINT_PARAMS.r} p=${FINGERPRINT_PARAMS.p} dkLen=${FINGERPRINT_PARAMS.keyLength}, first 12 hex digits`,
    scsVariable: SCS_MASTER_SECRET_ENV,
    registryVariable: REGISTRY_MASTER_SECRET_ENV,
    scsFingerprint: present(scs) ? scsFp : null,
    registryFingerprint: present(reg) ? regFp : null,
  };
  // The same words for `mismatch` and `missing`, so one pattern reads both fingerprints.
  const pair = `SCS ${scsFp}, Registry Service ${regFp} (salt ${salt}; ${SCS_MASTER_SECRET_ENV} vs ${REGISTRY_MASTER_SECRET_ENV})`;
  let outcome: 'ok' | 'mismatch' | 'missing';
  let message: string;
  if (!present(scs) || !present(reg)) {
    outcome = 'missing';
    message = `master secret missing: ${pair}`;
  } else if (scs === reg) {
    outcome = 'ok';
    message = `master secrets match: fingerprint ${scsFp} (salt ${salt}; ${SCS_MASTER_SECRET_ENV} vs ${REGISTRY_MASTER_SECRET_ENV})`;
  } else {
    outcome = 'mismatch';
    // A trailing newline from `kubectl create secret --from-file` is the classic cause.
    const onlyWhitespace = scs.trim() === reg.trim();
    fields['differsOnlyByWhitespace'] = onlyWhitespace;
    message = `master secret fingerprints differ: ${pair}${onlyWhitespace ? '; they differ only by leading or trailing whitespace' : ''}`;
  }
  // The target reads as a pair, not as a name: `master-key:` would look like an assignment to the redactor.
  return [{ kind: 'probe', probe: MASTER_SECRET_PROBE, target: 'scs-vs-registry', outcome, message, fields, time: new Date().toISOString() }];
}

const ENV_NAME = /^[A-Z_][\w.-]*$/i;

/** Where in `text` the character at `index` is (1-based), for errors that must not quote the text. */
function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function fail(message: string, file: string | undefined, line?: number): never {
  throw new ScsDoctorError('INPUT_CORRUPT', message, { file, line });
}

/** A dotenv-style value: quotes removed, escapes in double quotes decoded, inline comments dropped. */
function dotenvValue(raw: string): string {
  const v = raw.trim();
  if (v.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"/s.exec(v);
    const body = m ? m[1]! : v.slice(1);
    return body.replace(/\\([nrt"\\$])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
  }
  if (v.startsWith("'")) {
    const end = v.indexOf("'", 1);
    return end > 0 ? v.slice(1, end) : v.slice(1);
  }
  const hash = v.search(/\s#/);
  return (hash >= 0 ? v.slice(0, hash) : v).trim();
}

/**
 * Dotenv and `kubectl exec … env` output. Not `util.parseEnv`: on Node 20 (which `engines`
 * allows) it ends a double-quoted value at an escaped quote (`K="a\"b"` gives `a\`), and a line
 * that is not an assignment (a continuation line of a multi-line value in `env` output) becomes
 * part of the next key (`"line\nK"`), losing that variable. Both are cases of the tests.
 */
function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^\uFEFF/, '');
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][\w.-]*)\s*=(.*)$/.exec(t);
    if (!m) continue; // `kubectl exec env` output can hold continuation lines of multi-line values
    let raw = m[2]!;
    // A double-quoted value may run over several lines.
    if (/^\s*"/.test(raw) && !/^\s*"(?:[^"\\]|\\.)*"/.test(raw)) {
      while (i + 1 < lines.length) {
        raw += '\n' + lines[++i]!;
        if (/^\s*"(?:[^"\\]|\\.)*"/.test(raw)) break;
      }
    }
    out[m[1]!] = dotenvValue(raw);
  }
  return out;
}

function decodeBase64(value: string, key: string, file: string | undefined, line: number): string {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Z0-9+/]*={0,2}$/i.test(compact) || compact.length % 4 === 1) fail(`Secret data key ${key} is not base64`, file, line);
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * `data:` / `stringData:` of a Kubernetes Secret or ConfigMap written as YAML, read by the `yaml`
 * library. The failsafe schema keeps every scalar a string, as written (`0123`, `1e3`, `yes` are
 * not numbers or booleans here). Documents after `---` are read in turn. An error names a line
 * and the parser's error code, never the text around it (it can be a secret).
 */
function parseKubernetesYaml(text: string, file: string | undefined): Record<string, string> {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { schema: 'failsafe', lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) fail('not valid YAML', file);
  const out: Record<string, string> = {};
  const fromStringData: Record<string, string> = {};
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) fail(`not valid YAML (${err.code})`, file, lc.linePos(err.pos[0]).line);
    const root = doc.contents;
    if (!isMap(root)) continue;
    const isSecret = scalarString(root.get('kind')) === 'Secret';
    for (const section of ['data', 'stringData'] as const) {
      const map = root.get(section, true);
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
        const key = String(pair.key.value);
        const value = String(pair.value.value);
        if (section === 'stringData') fromStringData[key] = value;
        else out[key] = isSecret ? decodeBase64(value, key, file, lc.linePos(pair.value.range?.[0] ?? 0).line) : value;
      }
    }
  }
  // As the API server does: stringData wins over data.
  return { ...out, ...fromStringData };
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A JSON snapshot: a flat object, a Kubernetes Secret/ConfigMap, or a container `env` list. */
function fromJson(value: unknown, file: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const envList = (list: unknown[]) => {
    for (const item of list) {
      const name = scalarString((item as Record<string, unknown> | null)?.['name']);
      const v = scalarString((item as Record<string, unknown> | null)?.['value']);
      if (name !== undefined && v !== undefined) out[name] = v;
    }
  };
  if (Array.isArray(value)) {
    envList(value);
    return out;
  }
  if (value === null || typeof value !== 'object') fail('an environment snapshot in JSON must be an object or a list of {name, value}', file);
  const o = value as Record<string, unknown>;
  if ((o['kind'] === 'Secret' || o['kind'] === 'ConfigMap') && (typeof o['data'] === 'object' || typeof o['stringData'] === 'object')) {
    const data = (o['data'] ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(data)) {
      const s = scalarString(v);
      if (s !== undefined) out[k] = o['kind'] === 'Secret' ? decodeBase64(s, k, file, 1) : s;
    }
    for (const [k, v] of Object.entries((o['stringData'] ?? {}) as Record<string, unknown>)) {
      const s = scalarString(v);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  if (Array.isArray(o['env'])) {
    envList(o['env']);
    return out;
  }
  for (const [k, v] of Object.entries(o)) {
    const s = scalarString(v);
    if (s !== undefined && ENV_NAME.test(k)) out[k] = s;
  }
  return out;
}

/**
 * Parses an environment snapshot: dotenv (`KEY=value`, `export KEY=value`, `kubectl exec … env`
 * output), a JSON object (flat, a Kubernetes Secret/ConfigMap, or a list of `{name, value}`), or a
 * Kubernetes Secret/ConfigMap in YAML (`data:` base64-decoded for a Secret, `stringData:` plain).
 * Errors name a line, never a value.
 * @example readEnvSnapshot('export FILE_SERVICE_REMOTE_MASTER_SECRET="s3cr3t"\n')
 */
export function readEnvSnapshot(text: string, file?: string): Record<string, string> {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      // V8 quotes the text around the error: report only where it is.
      const pos = /position (\d+)/.exec((e as Error).message);
      fail('not valid JSON', file, pos ? lineOf(body, Number(pos[1])) : undefined);
    }
    return fromJson(parsed, file);
  }
  if (/^(?:apiVersion|kind|data|stringData|metadata):/m.test(body) && /^(?:data|stringData):/m.test(body)) return parseKubernetesYaml(body, file);
  return parseDotenv(body);
}
