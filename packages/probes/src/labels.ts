/**
 * The object-store label probe: SCS and the Registry Service each keep one object-store
 * configuration per label, and the two must be duplicated (domain facts: "Inbox / Outbox"; the
 * guide's `bucket not configured: No RSS object-store configuration for label`). Both services'
 * configurations are read from their environment snapshots and compared label by label: bucket,
 * region and endpoint.
 *
 * The public documentation does not name the variables that hold these settings, so the deployment
 * file says where they are (`objectStores`): either a template per setting with `{label}` in it
 * (`SCS_OBJECT_STORE_{label}_BUCKET`), or one variable whose value is JSON, an object from label to
 * `{ bucket, region, endpoint }`. Values here are bucket names, regions and URLs, not credentials;
 * a URL's user info is dropped all the same.
 */
import type { ProbeRecord } from '@scs-doctor/core/internal';
import type { Probe } from './index.js';
import type { EnvSnapshot } from './secrets.js';

export const OBJECT_STORE_LABEL_PROBE = 'object-store-label';
export const OBJECT_STORE_FIELDS = ['bucket', 'region', 'endpoint'] as const;
export type ObjectStoreField = (typeof OBJECT_STORE_FIELDS)[number];

/** Where one service's object-store configuration is in its environment. */
export type ObjectStoreMapping = { json: string } | { bucket: string; region?: string | undefined; endpoint?: string | undefined };

export type ObjectStoreConfig = Partial<Record<ObjectStoreField, string>>;
export type ServiceName = 'scs' | 'registry';
export const SERVICE_TITLE: Record<ServiceName, string> = { scs: 'SCS', registry: 'the Registry Service' };

export interface LabelProbeOptions {
  scs: { env: EnvSnapshot; mapping: ObjectStoreMapping };
  registry: { env: EnvSnapshot; mapping: ObjectStoreMapping };
}

const LABEL = '[A-Za-z0-9_.-]+';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A template such as `SCS_S3_{label}_BUCKET` as a regular expression capturing the label. */
export function templateRegex(template: string): RegExp {
  const parts = template.split('{label}');
  return new RegExp(`^${parts.map(escape).join(`(${LABEL})`)}$`);
}

function cleanUrl(v: string): string {
  try {
    const u = new URL(v);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return v;
  }
}

function normal(field: ObjectStoreField, v: string): string {
  const t = v.trim();
  return field === 'endpoint' ? cleanUrl(t) : t;
}

export interface ReadStores {
  stores: Map<string, ObjectStoreConfig>;
  /** Why the mapping could not be read (a JSON variable that is not JSON), without its value. */
  problem?: string;
}

/** The object-store configurations by label that a mapping finds in an environment. */
export function readObjectStores(env: EnvSnapshot, mapping: ObjectStoreMapping): ReadStores {
  const stores = new Map<string, ObjectStoreConfig>();
  if ('json' in mapping) {
    const raw = env[mapping.json];
    if (raw === undefined || raw === '') return { stores, problem: `${mapping.json} is not set` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { stores, problem: `${mapping.json} is not valid JSON` };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { stores, problem: `${mapping.json} is not a JSON object of labels` };
    for (const [label, value] of Object.entries(parsed as Record<string, unknown>)) {
      const c: ObjectStoreConfig = {};
      for (const f of OBJECT_STORE_FIELDS) {
        const v = (value as Record<string, unknown> | null)?.[f];
        if (typeof v === 'string' && v !== '') c[f] = normal(f, v);
      }
      stores.set(label, c);
    }
    return { stores };
  }
  for (const f of OBJECT_STORE_FIELDS) {
    const template = mapping[f];
    if (template === undefined) continue;
    const re = templateRegex(template);
    for (const [name, value] of Object.entries(env)) {
      const m = re.exec(name);
      if (!m || value === undefined || value === '') continue;
      const label = m[1]!;
      const c = stores.get(label) ?? {};
      c[f] = normal(f, value);
      stores.set(label, c);
    }
  }
  return { stores };
}

/**
 * Creates the probe that compares SCS's and the Registry Service's object-store labels. One record
 * a label: `ok`, `missing` (one service only) or `mismatch` (bucket, region or endpoint differ),
 * and an `unreadable` record for a service whose mapping finds nothing readable.
 * @example await createLabelProbe({ scs: { env, mapping: { json: 'OBJECT_STORES' } }, registry: { env: reg, mapping: { json: 'FILE_SERVICE_OBJECT_STORES' } } }).run();
 */
export function createLabelProbe(options: LabelProbeOptions): Probe {
  return {
    name: 'labels',
    // A probe that cannot run fails its promise, as an asynchronous one does.
    run: () => new Promise<ProbeRecord[]>((resolve) => resolve(labelRecords(options))),
  };
}

/** The records of the label probe: one per object-store label, and one per unreadable configuration. */
function labelRecords(options: LabelProbeOptions): ProbeRecord[] {
  const time = new Date().toISOString();
  const read = { scs: readObjectStores(options.scs.env, options.scs.mapping), registry: readObjectStores(options.registry.env, options.registry.mapping) };
  const records: ProbeRecord[] = [];
  for (const s of ['scs', 'registry'] as const) {
    const problem = read[s].problem;
    if (problem !== undefined) {
      records.push({
        kind: 'probe',
        probe: OBJECT_STORE_LABEL_PROBE,
        target: s,
        outcome: 'unreadable',
        message: `object-store configuration of ${SERVICE_TITLE[s]} cannot be read: ${problem}`,
        fields: { service: s },
        time,
      });
    }
  }
  const labels = [...new Set([...read.scs.stores.keys(), ...read.registry.stores.keys()])].sort();
  for (const label of labels) {
    const a = read.scs.stores.get(label);
    const b = read.registry.stores.get(label);
    const fields: Record<string, unknown> = { label, scs: a ?? null, registry: b ?? null };
    if (!a || !b) {
      const has: ServiceName = a ? 'scs' : 'registry';
      const lacks: ServiceName = a ? 'registry' : 'scs';
      records.push({
        kind: 'probe',
        probe: OBJECT_STORE_LABEL_PROBE,
        target: label,
        outcome: 'missing',
        message: `object-store label ${label} is configured for ${has === 'scs' ? 'SCS' : 'the Registry Service'} but not for ${SERVICE_TITLE[lacks]}`,
        fields: { ...fields, configuredIn: has, missingIn: lacks },
        time,
      });
      continue;
    }
    const differ = OBJECT_STORE_FIELDS.filter((f) => (a[f] ?? '') !== (b[f] ?? ''));
    if (differ.length === 0) {
      records.push({ kind: 'probe', probe: OBJECT_STORE_LABEL_PROBE, target: label, outcome: 'ok', message: `object-store label ${label} is the same for SCS and the Registry Service`, fields, time });
    } else {
      const what = differ.map((f) => `${f} ${a[f] ?? '(not set)'} vs ${b[f] ?? '(not set)'}`).join(', ');
      records.push({
        kind: 'probe',
        probe: OBJECT_STORE_LABEL_PROBE,
        target: label,
        outcome: 'mismatch',
        message: `object-store label ${label} differs between SCS and the Registry Service: ${what}`,
        fields: { ...fields, differ },
        time,
      });
    }
  }
  return records;
}
