/** RFC 3164 syslog (`/var/log/syslog`, `journalctl`'s default short mode): `[<PRI>]May 12 14:03:22 host program[pid]: `. No year: no time taken. */
import { NOT_MINE, TAKEN, UPPER, type Envelope } from './types.js';

const RFC3164 = /^(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,6})? ([\w.:-]{1,255} [^\s[\]:]{1,128}(?:\[\d{1,10}\])?): /;

export const rfc3164: Envelope = {
  name: 'rfc3164',
  stage: 'prefix',
  formats: [],
  first: [60, ...UPPER],
  tag: undefined,
  detect: (s) => s.charCodeAt(0) === 60 || s.charCodeAt(3) === 32,
  unwrap(s, out) {
    const m = RFC3164.exec(s);
    if (!m) return NOT_MINE;
    out.start = m[0].length;
    out.end = s.length;
    out.lane = `prefix:${m[1]}`;
    return TAKEN;
  },
};
