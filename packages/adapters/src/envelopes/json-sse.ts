/** `journalctl -o json-sse` (server-sent events): `data: ` before each JSON object. */
import { NOT_MINE, TAKEN, type Envelope } from './types.js';

const SSE_DATA = 'data: {';

export const jsonSse: Envelope = {
  name: 'json-sse',
  stage: 'strip',
  formats: ['json'],
  first: [100],
  tag: undefined,
  detect: (s) => s.startsWith(SSE_DATA),
  unwrap(s, out) {
    if (!s.startsWith(SSE_DATA)) return NOT_MINE;
    out.start = SSE_DATA.length - 1;
    out.end = s.length;
    return TAKEN;
  },
};
