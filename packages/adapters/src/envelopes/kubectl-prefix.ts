/** `kubectl logs --prefix` (several pods at once): `[pod/<pod>/<container>] ` before each line, a lane per pod and container. */
import { NOT_MINE, TAKEN, type Envelope } from './types.js';

const KUBECTL_POD = '[pod/';

export const kubectlPrefix: Envelope = {
  name: 'kubectl-prefix',
  stage: 'stream',
  formats: [],
  first: [91],
  tag: undefined,
  detect: (s) => s.startsWith(KUBECTL_POD),
  unwrap(s, out) {
    const close = s.indexOf('] ', KUBECTL_POD.length);
    if (!(close > 0 && close < 512 && s.indexOf('/', KUBECTL_POD.length) < close)) return NOT_MINE;
    out.lane = s.slice(0, close + 1);
    out.start = close + 2;
    out.end = s.length;
    return TAKEN;
  },
};
