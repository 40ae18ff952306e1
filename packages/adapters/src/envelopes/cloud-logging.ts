/** Google Cloud Logging (`gcloud logging read --format=json`, a log sink's export): a raw line under `textPayload`. */
import { carrierField } from './json-text.js';
import { type Envelope } from './types.js';

export const cloudLogging: Envelope = {
  name: 'cloud-logging',
  stage: 'carrier',
  formats: [],
  first: [123],
  tag: undefined,
  detect: () => true,
  unwrap: (s, out) => carrierField(s, 'textPayload', out),
};
