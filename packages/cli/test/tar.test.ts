/** `scs-doctor diagnose bundle.tar.gz`: a support bundle is read member by member. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

const NOW = ['--now', '2026-05-12T12:00:00Z'];
const INVALID_TOKEN = '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] sync failed connection_id=c-7f3a1e direction=sending: shared secret unavailable: InvalidToken';
const NO_MANIFEST = '2026-05-12 14:00:01,118 ERROR [scs.sync.receiver] connection 7d2e0b44 connection failed (no manifest received)';
const INFO = '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished';

const tmp = mkdtempSync(path.join(tmpdir(), 'scs-doctor-cli-tar-'));
mkdirSync(path.join(tmp, 'bundle/logs/scs-7d9f'), { recursive: true });
writeFileSync(path.join(tmp, 'bundle/logs/scs-7d9f/scs.log'), `${INFO}\n${INVALID_TOKEN}\n`);
writeFileSync(path.join(tmp, 'bundle/logs/scs-7d9f/scs.log.2.gz'), gzipSync(`${NO_MANIFEST}\n`));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
execFileSync('tar', ['-czf', 'bundle.tar.gz', '-C', 'bundle', 'logs/scs-7d9f/scs.log', 'logs/scs-7d9f/scs.log.2.gz'], { cwd: tmp });

describe('scs-doctor diagnose on a tar archive', () => {
  it('exits 1 with the diagnoses, the evidence naming <archive>:<member>:<line>', async () => {
    const r = await run(['diagnose', 'bundle.tar.gz', ...NOW], { cwd: tmp });
    expect([r.code, r.stdout.includes('shared-secret-invalid-token'), r.stdout.includes('no-manifest-received')]).toEqual([1, true, true]);
    expect(r.stdout).toContain('bundle.tar.gz:logs/scs-7d9f/scs.log:2  sync failed connection_id=c-7f3a1e');
    expect(r.stdout).toContain('bundle.tar.gz:logs/scs-7d9f/scs.log.2.gz:1  connection 7d2e0b44 connection failed (no manifest received)');
  });

  it('a damaged header: exit 2, a one-line reason with its offset, the members before it diagnosed', async () => {
    const tar = gunzipSync(readFileSync(path.join(tmp, 'bundle.tar.gz')));
    // The second header: scs.log.2.gz's, after scs.log's header and its one block of data.
    const at = tar.indexOf('logs/scs-7d9f/scs.log.2.gz');
    tar[at + 5] = tar[at + 5]! ^ 0x01;
    writeFileSync(path.join(tmp, 'damaged.tar.gz'), gzipSync(tar));
    const r = await run(['diagnose', 'damaged.tar.gz', '--format', 'json', ...NOW], { cwd: tmp });
    const report = JSON.parse(r.stdout);
    expect([r.code, report.diagnoses.map((d: { ruleId: string }) => d.ruleId), r.stderr.trim(), r.stderr.includes('    at ')]).toEqual([
      2,
      ['shared-secret-invalid-token'],
      `scs-doctor: INPUT_CORRUPT damaged.tar.gz: damaged tar header at byte ${at}`,
      false,
    ]);
  });
});
