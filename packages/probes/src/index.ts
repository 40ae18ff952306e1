/** Read-only probes of a deployment: S3 buckets and manifests, the Master Key, and the config that names them. */
import type { ProbeRecord } from '@scs-doctor/core/internal';

/**
 * A probe: one source of deployment checks. `run()` returns one record per check, `ok` ones too;
 * a failed check is a record, never an exception.
 */
export interface Probe {
  name: string;
  run(): Promise<ProbeRecord[]>;
}

export {
  createS3Probe,
  READ_ONLY_COMMANDS,
  S3_BUCKET_PROBE,
  S3_MANIFEST_PROBE,
  S3_OUTBOX_OBJECT_PROBE,
  S3_OUTBOX_LISTING_PROBE,
  revisionOfKey,
  type OutboxListingOptions,
  type S3ProbeOptions,
  type S3BucketTarget,
  type S3Credentials,
  type BucketRole,
} from './s3.js';
export { createSecretsProbe, readEnvSnapshot, fingerprint, FINGERPRINT_PARAMS, MASTER_SECRET_PROBE, SCS_MASTER_SECRET_ENV, REGISTRY_MASTER_SECRET_ENV, type SecretsProbeOptions, type EnvSnapshot } from './secrets.js';
export { createHealthProbe, SCS_HEALTH_PROBE, SCS_HEALTH_PATHS, type HealthProbeOptions } from './health.js';
export { createLabelProbe, readObjectStores, OBJECT_STORE_LABEL_PROBE, type LabelProbeOptions, type ObjectStoreMapping, type ObjectStoreConfig } from './labels.js';
export { loadDeploymentConfig, DeploymentConfigSchema, type DeploymentConfig } from './config.js';
export { prepareDeployment, probeDeployment, S3_BUCKET_ACCESS_PROBE, OUTBOX_HISTORY_PROBE, type ProbeDeploymentOptions, type PreparedDeployment, type DeploymentResult } from './deployment.js';
