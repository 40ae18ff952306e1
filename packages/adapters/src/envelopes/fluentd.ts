/**
 * Fluentd's out_file: `<time>\t<tag>\t<record as JSON>`. The record is read as a JSON line of its
 * own (its raw line, a Docker `log`, by the carriers) in a lane per tag.
 */
import { DIGITS, NOT_MINE, TAKEN, type Envelope } from './types.js';
import { ISO_TIME } from './prefix-common.js';

const FLUENTD = new RegExp(`^(${ISO_TIME})\\t([\\w.-]{1,255})\\t\\{`);

export const fluentd: Envelope = {
  name: 'fluentd',
  stage: 'prefix',
  formats: [],
  first: DIGITS,
  tag: undefined,
  detect: (s) => s.charCodeAt(10) === 84,
  unwrap(s, out) {
    const m = FLUENTD.exec(s);
    if (!m) return NOT_MINE;
    out.start = m[0].length - 1;
    out.end = s.length;
    out.lane = `fluentd:${m[2]}`;
    out.time = m[1];
    out.json = true;
    return TAKEN;
  },
};
