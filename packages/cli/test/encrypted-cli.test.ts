/**
 * An encrypted input beside a healthy log (the report: it exited 0 with "No known failure
 * found"): exit 2, one line on stderr naming the file and why, the other input diagnosed.
 * The inputs were written by openssl and gpg (packages/adapters/test/fixtures/encrypted/gen.sh).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'adapters', 'test', 'fixtures');
const LOG = path.join(FIXTURES, 'producers', 'python-logging.log');

describe('an encrypted input beside a healthy log', () => {
  it.each([
    ['scs.log.enc', /^scs-doctor: INPUT_ENCRYPTED scs\.log\.enc: not a text log: encrypted with openssl enc; decrypt it first$/],
    ['scs.log.gpg', /^scs-doctor: INPUT_ENCRYPTED scs\.log\.gpg: not a text log: an OpenPGP message \(gpg\); decrypt it first$/],
    ['random.bin', /^scs-doctor: INPUT_ENCRYPTED random\.bin: not a text log: its bytes look encrypted, compressed or random \(entropy 7\.9\d bits\/byte, \d+% invalid UTF-8\); decrypt or decompress it first$/],
  ])('%s: exit 2, the reason on stderr, the log diagnosed', async (file, line) => {
    const r = await run(['diagnose', file, LOG, '--format', 'json'], { cwd: path.join(FIXTURES, 'encrypted') });
    const report = JSON.parse(r.stdout) as { diagnoses: { ruleId: string }[] };
    expect([
      r.code,
      r.stderr
        .trim()
        .split('\n')
        .map((l) => line.test(l)),
      report.diagnoses.some((d) => d.ruleId === 'shared-secret-invalid-token'),
    ]).toEqual([2, [true], true]);
  });
});
