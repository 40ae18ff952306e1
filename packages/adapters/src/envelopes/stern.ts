/**
 * stern (several pods tailed at once): `<pod> <container> <line>`, the names coloured on a terminal.
 * Two lowercase words open many lines of text (`sync failed …`), so a pair is taken only once it
 * stood before a line that starts like a log line, with a first word shaped like a pod's name; from
 * then on every line behind the same pair (a traceback's frames, a message's lines) is one.
 */
import { looksLikeHeader } from './header.js';
import { ESC, LOWER, NOT_MINE, TAKEN, type Envelope } from './types.js';

/** Kubernetes names: a pod is a DNS subdomain, a container a DNS label. */
const STERN = /^(?:\x1b\[[0-9;]*m)?([a-z][a-z0-9.-]{0,252})(?:\x1b\[0m)? (?:\x1b\[[0-9;]*m)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\x1b\[0m)?(?: |$)/;
/** A pod's name as controllers make it (`<deployment>-<hash>-<suffix>`, `<statefulset>-<n>`): a part after a `-` holds a digit. Words of a message do not. */
const POD_NAME = /-[a-z0-9]*\d/;
/** Pairs of names taken as stern's prefix, at most (a bound for hostile input). */
const MAX_STERN_PAIRS = 4096;

export const stern: Envelope = {
  name: 'stern',
  stage: 'stream',
  formats: [],
  first: [ESC, ...LOWER],
  tag: undefined,
  detect: () => true,
  unwrap(s, out, seen) {
    const m = STERN.exec(s);
    if (!m) return NOT_MINE;
    const names = `${m[1]} ${m[2]}`;
    if (!seen.has(names)) {
      if (seen.size >= MAX_STERN_PAIRS || !POD_NAME.test(m[1]!) || !looksLikeHeader(s.slice(m[0].length))) return NOT_MINE;
      seen.add(names);
    }
    out.lane = `stern:${names}`;
    out.start = m[0].length;
    out.end = s.length;
    return TAKEN;
  },
};
