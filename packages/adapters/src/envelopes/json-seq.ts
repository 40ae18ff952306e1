/** `journalctl -o json-seq` (RFC 7464): an RS character before each JSON object. */
import { NOT_MINE, TAKEN, type Envelope } from './types.js';

export const jsonSeq: Envelope = {
  name: 'json-seq',
  stage: 'strip',
  formats: ['json'],
  first: [30],
  tag: undefined,
  detect: (s) => s.charCodeAt(1) === 123,
  unwrap(s, out) {
    if (s.charCodeAt(0) !== 30 || s.charCodeAt(1) !== 123) return NOT_MINE;
    out.start = 1;
    out.end = s.length;
    return TAKEN;
  },
};
