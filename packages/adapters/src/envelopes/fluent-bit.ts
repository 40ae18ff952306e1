/**
 * A raw line under `log`: Fluent Bit's tail input (json_lines output), Filebeat/Vector shipping a
 * Docker log, Fluentd's record. A Docker json-file line is taken by the `docker` shape before.
 */
import { carrierField } from './json-text.js';
import { type Envelope } from './types.js';

export const fluentBit: Envelope = {
  name: 'fluent-bit',
  stage: 'carrier',
  formats: [],
  first: [123],
  tag: undefined,
  detect: () => true,
  unwrap: (s, out) => carrierField(s, 'log', out),
};
