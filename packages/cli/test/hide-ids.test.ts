/**
 * `--hide-ids`: connection ids, names and Shared IDs are shown by default (they name the
 * connection to act on) and replaced by stable placeholders with the option, in every format
 * and in merge, wherever they appear (fields, excerpts, keys).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

const NOW = ['--now', '2026-05-12T12:00:00Z'];
const ID = 'c-7f3a1e';
const NAME = 'Partner Acme Ltd';
const SHARED = 'SHARED-9f8e7d6c';
const history = [
  {
    id: '1',
    connectionId: ID,
    connectionName: NAME,
    direction: 'sending',
    sharedId: SHARED,
    status: 'failure',
    startedAt: '2026-05-12T09:00:00Z',
    finishedAt: '2026-05-12T09:00:05Z',
    message: `shared secret unavailable: InvalidToken (connection ${ID}, ${SHARED})`,
    files: [],
  },
  { id: '2', connectionId: 'r-1', connectionName: 'Inbox of Acme', direction: 'receiving', sharedId: SHARED, status: 'success', startedAt: '2026-05-12T09:01:00Z', finishedAt: '2026-05-12T09:01:05Z', files: [] },
];
const LOG = `2026-05-12 09:00:02,905 ERROR [scs.sync.sender] sync failed connection_id=${ID} direction=sending: shared secret unavailable: InvalidToken\n`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-hide-'));
  writeFileSync(path.join(dir, 'history.json'), JSON.stringify(history));
  writeFileSync(path.join(dir, 'scs.log'), LOG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (format: string, hide: boolean) => ['diagnose', 'scs.log', '--events', 'history.json', '--format', format, ...NOW, ...(hide ? ['--hide-ids'] : [])];

describe('connection ids, names and Shared IDs', () => {
  it('are shown by default', async () => {
    const r = await run(args('text', false), { cwd: dir });
    expect([ID, NAME, SHARED].map((v) => r.stdout.includes(v))).toEqual([true, true, true]);
  });

  it.each([['text'], ['json'], ['markdown'], ['html']])('are hidden with --hide-ids in %s', async (format) => {
    const r = await run(args(format, true), { cwd: dir });
    expect([r.code, [ID, NAME, SHARED, 'r-1', 'Inbox of Acme'].filter((v) => r.stdout.includes(v)), /connection-\d/.test(r.stdout), /shared-id-1/.test(r.stdout)]).toEqual([1, [], true, true]);
  });

  it('the same value gets the same placeholder everywhere', async () => {
    const report = JSON.parse((await run(args('json', true), { cwd: dir })).stdout);
    const conn = report.connections.find((c: { side: string }) => c.side === 'sending');
    const d = report.diagnoses[0];
    expect([d.connections[0].id, d.sharedIds[0], d.evidence.some((e: { excerpt: string }) => e.excerpt.includes(conn.id))]).toEqual([conn.id, conn.sharedId, true]);
  });

  it('merge hides them too', async () => {
    writeFileSync(path.join(dir, 'r.json'), (await run(args('json', false), { cwd: dir })).stdout);
    const r = await run(['merge', 'r.json', '--hide-ids', '--format', 'json', ...NOW], { cwd: dir });
    expect([ID, NAME, SHARED].filter((v) => r.stdout.includes(v))).toEqual([]);
  });
});
