/** `kubectl logs --timestamps`: the kubelet's fixed nine-digit RFC 3339 time and a space before each line, under any `--log-format`. */
import { DIGITS, NOT_MINE, TAKEN, type Envelope } from './types.js';

const KUBECTL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(?:Z|[+-]\d\d:\d\d) /;

export const kubectlTimestamps: Envelope = {
  name: 'kubectl-timestamps',
  stage: 'stamp',
  formats: ['python', 'plain', 'json', 'cri', 'docker'],
  first: DIGITS,
  tag: undefined,
  detect: (s) => s.length >= 31 && s.charCodeAt(10) === 84 && s.charCodeAt(19) === 46,
  unwrap(s, out) {
    const z = s.charCodeAt(29);
    const end = z === 90 ? 30 : z === 43 || z === 45 ? 35 : 0;
    if (!(end > 0 && s.charCodeAt(end) === 32 && KUBECTL_TIME.test(s))) return NOT_MINE;
    out.start = end + 1;
    out.end = s.length;
    out.time = s.slice(0, end);
    return TAKEN;
  },
};
