/**
 * Kubernetes CRI log files (containerd, CRI-O): `<RFC 3339 time> <stdout|stderr> <P|F> <text>`.
 * `P` is a piece of a line the runtime cut; `F` its last piece. Each stream is its own lane.
 */
import { DIGITS, NOT_MINE, TAKEN, type Envelope } from './types.js';

/** The index of the `P`/`F` tag, or -1. */
export function criTagAt(s: string): number {
  // 2026-05-12T14:03:22.118234567Z stdout F text
  if (s.length < 30 || s.charCodeAt(4) !== 45 || s.charCodeAt(10) !== 84) return -1;
  const sp = s.indexOf(' ', 19);
  if (sp < 0 || sp > 40) return -1;
  const st = s.slice(sp + 1, sp + 8);
  if (st !== 'stdout ' && st !== 'stderr ') return -1;
  const tag = s.charCodeAt(sp + 8);
  if (tag !== 70 && tag !== 80) return -1; // F, P
  const after = s.charCodeAt(sp + 9);
  if (!(after === 32 || Number.isNaN(after))) return -1;
  return sp + 8;
}

export const cri: Envelope = {
  name: 'cri',
  stage: 'container',
  formats: ['cri'],
  first: DIGITS,
  tag: 'cri',
  detect: (s) => s.charCodeAt(10) === 84,
  unwrap(s, out) {
    const tagAt = criTagAt(s);
    if (tagAt <= 0) return NOT_MINE;
    out.start = tagAt + 2;
    out.end = Math.max(tagAt + 2, s.length);
    out.partial = s.charCodeAt(tagAt) === 80;
    // The stream name's fourth letter: stdout, stderr.
    out.lane = s.charCodeAt(tagAt - 4) === 101 ? 'cri:stderr' : 'cri:stdout';
    out.time = s.slice(0, tagAt - 8);
    return TAKEN;
  },
};
