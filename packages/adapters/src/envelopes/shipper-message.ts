/**
 * A shipper's `message` (Filebeat, Logstash, Vector, CloudWatch's export): a raw line of an
 * application's output. Structured loggers write `message` too: only a dated header starts a raw stream.
 */
import { carrierField } from './json-text.js';
import { type Envelope } from './types.js';

export const shipperMessage: Envelope = {
  name: 'shipper-message',
  stage: 'carrier',
  formats: [],
  first: [123],
  tag: undefined,
  detect: () => true,
  unwrap(s, out) {
    out.dated = true;
    return carrierField(s, 'message', out);
  },
};
