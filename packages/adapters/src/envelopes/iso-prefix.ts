/**
 * A time with a `T` and a zone, then: a tab (Grafana's log download), Loki's `{labels}` (logcli),
 * syslog's `host program[pid]:` (rsyslog's RFC 3339 files, `journalctl -o short-iso`), a
 * CloudWatch `group/stream` name (`aws logs tail`), or a bare space (a CloudWatch export to S3),
 * which cannot be told from a log line's own header: that one is taken only inside a traceback.
 */
import { DIGITS, NOT_MINE, TAKEN, type Envelope } from './types.js';
import { ISO_TIME } from './prefix-common.js';

const ISO_SHIPPER = new RegExp(`^(${ISO_TIME})(?:(\\t)| (?:(\\{[^{}\\n]{0,4000}\\}) |([\\w.:-]{1,255} [^\\s\\[\\]:]{1,128}\\[\\d{1,10}\\]): |([\\w.-]{1,255}(?:/[^\\s/]{1,255})+) )?)`);

export const isoPrefix: Envelope = {
  name: 'iso-prefix',
  stage: 'prefix',
  formats: [],
  first: DIGITS,
  tag: undefined,
  detect: (s) => s.charCodeAt(10) === 84,
  unwrap(s, out) {
    const m = ISO_SHIPPER.exec(s);
    if (!m) return NOT_MINE;
    const lane = m[3] ?? m[4] ?? m[5];
    out.start = m[0].length;
    out.end = s.length;
    out.lane = lane === undefined ? undefined : `prefix:${lane}`;
    out.time = m[1];
    out.weak = lane === undefined && m[2] === undefined;
    return TAKEN;
  },
};
