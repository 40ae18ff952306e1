/** `journalctl -o short-monotonic` and `short-delta`: `[  123.456789] ` or `[  123.456789 <    0.000123>] ` (time since boot: no time taken). */
import { NOT_MINE, TAKEN, type Envelope } from './types.js';
import { JOURNAL_SOURCE } from './prefix-common.js';

const JOURNAL_MONOTONIC = new RegExp(`^\\[ *\\d{1,10}\\.\\d{6}(?: <[ \\d.]{1,20}>| +)?\\] ${JOURNAL_SOURCE}`);

export const journalMonotonic: Envelope = {
  name: 'journal-monotonic',
  stage: 'prefix',
  formats: [],
  first: [91],
  tag: undefined,
  detect: (s) => {
    const c = s.charCodeAt(1);
    return c === 32 || (c >= 48 && c <= 57);
  },
  unwrap(s, out) {
    const m = JOURNAL_MONOTONIC.exec(s);
    if (!m) return NOT_MINE;
    out.start = m[0].length;
    out.end = s.length;
    out.lane = `prefix:${m[1]}`;
    return TAKEN;
  },
};
