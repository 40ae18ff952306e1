/** RFC 5424 syslog: `<PRI>1 TIME HOST APP PROCID MSGID SD `, then the message (a UTF-8 BOM may open it). */
import { NOT_MINE, TAKEN, type Envelope } from './types.js';

const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+ \S+ \S+) \S+ (?:-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (?:\xef\xbb\xbf)?|$)/;

export const rfc5424: Envelope = {
  name: 'rfc5424',
  stage: 'prefix',
  formats: [],
  first: [60],
  tag: undefined,
  detect: () => true,
  unwrap(s, out) {
    const r = RFC5424.exec(s);
    if (!r) return NOT_MINE;
    out.start = r[0].length;
    out.end = s.length;
    out.lane = `prefix:${r[2]}`;
    out.time = r[1] === '-' ? undefined : r[1];
    return TAKEN;
  },
};
