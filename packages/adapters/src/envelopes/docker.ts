/**
 * Docker's json-file driver: `{"log":"<text>\n","stream":"stdout","time":"…"}`. A line longer than
 * the driver's buffer is several entries; only the last piece ends with `\n`.
 */
import { endsWithEscapeAt } from './json-text.js';
import { NOT_MINE, TAKEN, type Envelope } from './types.js';

const DOCKER_HEAD = '{"log":"';
const DOCKER_STREAM = '","stream":"';
const DOCKER_TIME = '"time":"';

export const docker: Envelope = {
  name: 'docker',
  stage: 'container',
  formats: ['docker'],
  first: [123],
  tag: 'docker',
  detect: (s) => s.startsWith(DOCKER_HEAD),
  unwrap(s, out) {
    const endAt = s.indexOf(DOCKER_STREAM, DOCKER_HEAD.length);
    if (endAt <= 0) return NOT_MINE;
    let end = endAt;
    // Docker appends '\n' to the last piece of a line only; the pieces before it are partial.
    const complete = endsWithEscapeAt(s, DOCKER_HEAD.length, end, 110);
    if (complete) {
      end -= 2;
      if (endsWithEscapeAt(s, DOCKER_HEAD.length, end, 114)) end -= 2;
    }
    out.start = DOCKER_HEAD.length;
    out.end = end;
    out.escaped = true;
    out.partial = !complete;
    out.lane = s.charCodeAt(endAt + DOCKER_STREAM.length + 3) === 101 ? 'docker:stderr' : 'docker:stdout';
    const t = s.lastIndexOf(DOCKER_TIME);
    out.time = t > endAt ? s.slice(t + DOCKER_TIME.length, s.indexOf('"', t + DOCKER_TIME.length)) : undefined;
    return TAKEN;
  },
};
