/** `journalctl -o short-unix`: `1715522602.118234 host program[pid]: ` (epoch seconds). */
import { DIGITS, NOT_MINE, TAKEN, type Envelope } from './types.js';
import { JOURNAL_SOURCE } from './prefix-common.js';

const JOURNAL_UNIX = new RegExp(`^(\\d{9,11}\\.\\d{1,6}) ${JOURNAL_SOURCE}`);

export const journalUnix: Envelope = {
  name: 'journal-unix',
  stage: 'prefix',
  formats: [],
  first: DIGITS,
  tag: undefined,
  detect: (s) => s.charCodeAt(10) === 46 || s.charCodeAt(9) === 46 || s.charCodeAt(11) === 46,
  unwrap(s, out) {
    const u = JOURNAL_UNIX.exec(s);
    if (!u) return NOT_MINE;
    out.start = u[0].length;
    out.end = s.length;
    out.lane = `prefix:${u[2]}`;
    out.time = new Date(Number(u[1]) * 1000).toISOString();
    return TAKEN;
  },
};
