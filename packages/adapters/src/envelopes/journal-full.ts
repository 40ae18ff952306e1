/**
 * `journalctl -o short-full` and `with-unit`: `Tue 2026-05-12 14:03:22 UTC host program[pid]: `.
 * The zone is as journalctl names it: a time is taken for UTC and numeric offsets only.
 */
import { NOT_MINE, TAKEN, UPPER, type Envelope } from './types.js';
import { JOURNAL_SOURCE } from './prefix-common.js';

const JOURNAL_FULL = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?) ([A-Z][A-Za-z]{0,5}|[+-]\\d\\d:?\\d\\d) ${JOURNAL_SOURCE}`);

export const journalFull: Envelope = {
  name: 'journal-full',
  stage: 'prefix',
  formats: [],
  first: UPPER,
  tag: undefined,
  detect: (s) => s.charCodeAt(3) === 32,
  unwrap(s, out) {
    const full = JOURNAL_FULL.exec(s);
    if (!full) return NOT_MINE;
    const zone = full[3]!;
    out.start = full[0].length;
    out.end = s.length;
    out.lane = `prefix:${full[4]}`;
    out.time = zone === 'UTC' || zone === 'GMT' || zone === 'Z' ? `${full[1]}T${full[2]}Z` : zone.charCodeAt(0) === 43 || zone.charCodeAt(0) === 45 ? `${full[1]}T${full[2]}${zone}` : undefined;
    return TAKEN;
  },
};
