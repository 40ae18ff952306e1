/** `docker compose logs`: `scs-1  | ` (Compose v1: `scs_1  | `), coloured on a terminal; a lane per service. */
import { ESC, LOWER, NOT_MINE, TAKEN, type Envelope } from './types.js';

const COMPOSE = /^(?:\x1b\[[0-9;]*m)?([a-z0-9][\w.-]{0,120}[-_]\d{1,4}) +\| (?:\x1b\[[0-9;]*m)?/;

export const compose: Envelope = {
  name: 'compose',
  stage: 'prefix',
  formats: [],
  first: [ESC, ...LOWER],
  tag: undefined,
  detect: () => true,
  unwrap(s, out) {
    const m = COMPOSE.exec(s);
    if (!m) return NOT_MINE;
    out.start = m[0].length;
    out.end = s.length;
    out.lane = `prefix:${m[1]}`;
    return TAKEN;
  },
};
