/**
 * Grafana Loki (`logcli query -o jsonl`): a raw line under `line`. Structured loggers write a
 * `line` field too: only a dated header starts a raw stream.
 */
import { carrierField } from './json-text.js';
import { type Envelope } from './types.js';

export const loki: Envelope = {
  name: 'loki',
  stage: 'carrier',
  formats: [],
  first: [123],
  tag: undefined,
  detect: () => true,
  unwrap(s, out) {
    out.dated = true;
    return carrierField(s, 'line', out);
  },
};
