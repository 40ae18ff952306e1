/**
 * Nothing leaked: secrets planted in failure lines (the formats the README names) are absent from
 * every output format and from standard error; a bad file given to merge is not quoted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

const NOW = ['--now', '2026-05-12T12:00:00Z'];
/** Made-up secrets, each in a form SCS or its tools write. */
const SECRETS = {
  fernetToken: 'gAAAAABlZ3x9kX2mQ5d8pN3sL0wJ7vT4rY6uI1oP9aS2dF5gH8jK0lZ3xC6vB9nM2qW5eR8tY1uI4oP7aS0dF3g==',
  fernetKey: 'ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=',
  urlToken: 'ghp_abcDEF1234567890123456789012345678',
  option: 'optHunter2x',
  pass: 'passHunter2x',
  pwd: 'pwdHunter2x',
  prose: 'proseHunter2x',
};
const HEAD = '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] sync failed connection_id=c-7f3a1e direction=sending: shared secret unavailable: InvalidToken';
const LINES = [
  `${HEAD} token=${SECRETS.fernetToken}`,
  `${HEAD} decrypting ${SECRETS.fernetToken} with ${SECRETS.fernetKey}`,
  `2026-05-12 09:00:03,000 ERROR [scs.sync.sender] git fetch https://${SECRETS.urlToken}@github.com/o/r failed`,
  `2026-05-12 09:00:04,000 ERROR [scs.db] pg_dump --password ${SECRETS.option} failed`,
  `2026-05-12 09:00:05,000 ERROR [scs.db] DB_PASS=${SECRETS.pass} Pwd=${SECRETS.pwd}; connect failed`,
  `2026-05-12 09:00:06,000 ERROR [scs.db] authentication failed: password '${SECRETS.prose}' rejected`,
];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-leaks-'));
  writeFileSync(path.join(dir, 'scs.log'), LINES.join('\n') + '\n');
  writeFileSync(path.join(dir, 'bad.json'), `password=${SECRETS.pass} and more text`);
  writeFileSync(path.join(dir, 'bad2.json'), `{"schemaVersion": 2,\n "x": ${SECRETS.pwd}}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no planted secret in any output', () => {
  it.each([['text'], ['json'], ['markdown'], ['html']])('%s', async (format) => {
    const r = await run(['diagnose', 'scs.log', '--format', format, ...NOW], { cwd: dir });
    const out = r.stdout + r.stderr;
    expect([
      r.code,
      Object.entries(SECRETS)
        .filter(([, s]) => out.includes(s))
        .map(([k]) => k),
    ]).toEqual([1, []]);
  });

  it.each([['bad.json'], ['bad2.json']])('merge of %s names the file, not its text', async (file) => {
    const r = await run(['merge', file], { cwd: dir });
    expect([r.code, r.stderr.includes('Hunter2'), r.stderr.includes(file)]).toEqual([2, false, true]);
  });
});
