/**
 * `scs-doctor trace ID`: the CLI over the built-in pack, inputs read as diagnose reads them
 * (globs, gzip, sync histories), both sides given as separate files and joined by Shared ID.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Trace } from '@scs-doctor/core/internal';
import { run } from './run.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'scs-doctor-trace-'));
const write = (name: string, text: string | Buffer) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const NOW = '2026-05-12T12:00:00Z';
const REV = '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c';
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Trace;
const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const sent = (at: string, files: object[]) => ({ id: `s-${at}`, connection_id: 'c-5150', connection_name: 'To partner', direction: 'sending', shared_id: 'S-5150', status: 'success', started_at: at, finished_at: at, files });
const got = (at: string, files: object[]) => ({ id: `r-${at}`, connection_id: 'r-0505', direction: 'receiving', shared_id: 'S-5150', status: 'success', started_at: at, finished_at: at, files });
const FILE = { resource_id: 'res-1', revision_id: REV, size_bytes: 1048576, outcome: 'transferred' };

const senderHistory = write('sender-history.ndjson', ndjson([sent('2026-05-12T09:00:00Z', [FILE]), sent('2026-05-12T10:00:00Z', [])]));
const receiverWithout = write('receiver-without.ndjson', ndjson([got('2026-05-12T09:30:00Z', [{ resource_id: 'res-2', outcome: 'transferred' }])]));
const receiverWith = write('receiver-with.json', JSON.stringify({ events: [got('2026-05-12T09:30:00Z', [FILE])] }));
const passing = write(
  'facts-pass.json',
  JSON.stringify({ viewerId: 'u-7', receivingConnectionOwners: ['u-7'], viewerInfosecLevel: 'SECRET', fileInfosecLevel: 'CUI', viewerControlTags: ['ITAR'], fileControlTags: ['ITAR'], artifactParented: true }),
);

describe('scs-doctor trace', () => {
  it('received, every host check passing: exit 0', async () => {
    const r = await run(['trace', REV, '--events', senderHistory, '--events', receiverWith, '--facts', passing, '--now', NOW, '--format', 'json']);
    const t = json(r);
    expect([r.code, t.verdict, t.conclusion, t.evidence[0]?.file]).toEqual([0, 'received', 'ok', receiverWith]);
  });

  it('both sides as separate histories joined by Shared ID: the receiver synced without the file, exit 1', async () => {
    const r = await run(['trace', 'res-1', '--events', senderHistory, '--events', receiverWithout, '--now', NOW]);
    expect([r.code, r.stdout.split('\n')[1]]).toEqual([1, expect.stringMatching(/^✖ transferred \[sending\]: Resource res-1/)]);
    expect(r.stdout).toMatch(/✖ failed +The receiving side shows the file in a successful sync\. — r-0505 synced successfully at 2026-05-12T09:30:00.000Z/);
  });

  it('transferred with no receiving side and no facts: undetermined, exit 3', async () => {
    const r = await run(['trace', 'res-1', '--events', senderHistory, '--now', NOW, '--format', 'json']);
    const t = json(r);
    expect([r.code, t.verdict, t.conclusion, t.checks.filter((c) => c.result === 'unknown').length]).toEqual([3, 'transferred', 'undetermined', 4]);
  });

  it('a failing infosec fact from --facts: exit 1 and the levels shown', async () => {
    const facts = write(
      'facts-infosec.json',
      JSON.stringify({ facts: { viewerId: 'u-7', receivingConnectionOwners: ['u-7'], viewerInfosecLevel: 'CUI', fileInfosecLevel: 'SECRET', viewerControlTags: [], fileControlTags: [], artifactParented: true } }),
    );
    const r = await run(['trace', 'res-1', '--events', senderHistory, '--facts', facts, '--now', NOW]);
    expect([r.code, /✖ failed +The viewer holds the file's infosec level\. — .*viewerInfosecLevel=CUI, fileInfosecLevel=SECRET/.test(r.stdout)]).toEqual([1, true]);
  });

  it('a host check from the facts file is evaluated', async () => {
    const facts = write(
      'facts-check.json',
      JSON.stringify({
        facts: { viewerDepartment: 'sales' },
        checks: [{ id: 'department', side: 'receiving', title: 'The viewer is in engineering.', conditions: { all: [{ fact: 'viewerDepartment', operator: 'equal', value: 'engineering' }] }, step: 'Ask engineering.' }],
      }),
    );
    const t = json(await run(['trace', 'res-1', '--events', senderHistory, '--facts', facts, '--now', NOW, '--format', 'json']));
    expect(t.checks.find((c) => c.id === 'department')?.result).toBe('failed');
  });

  it('excluded, from the SCS log line the built-in rule reads (a glob of gzip logs): exit 1', async () => {
    write('scs-1.log.gz', gzipSync(`2026-05-12 14:00:03,118 WARNING [scs.sync.sender] outbox write failed: Revision ${REV} size=2684354560 exceeds single-op copy_object ceiling\n`));
    const r = await run(['trace', REV, path.join(tmp, 'scs-*.log.gz'), '--now', NOW, '--format', 'json']);
    const t = json(r);
    expect([r.code, t.verdict, t.evidence[0]?.ruleId, `${path.basename(t.evidence[0]?.file ?? '')}:${t.evidence[0]?.line}`, t.reason]).toEqual([
      1,
      'excluded',
      'file-exceeds-copy-ceiling',
      'scs-1.log.gz:1',
      expect.stringContaining('over the ~2 GB per-file cap'),
    ]);
  });

  it('a support bundle (tar.gz made with tar): the log line inside names the revision', async () => {
    mkdirSync(path.join(tmp, 'bundle', 'logs'), { recursive: true });
    write('bundle/logs/scs.log', `2026-05-12 14:00:03,118 WARNING [scs.sync.sender] outbox write failed: Revision ${REV} size=2684354560 exceeds single-op copy_object ceiling\n`);
    execFileSync('tar', ['-czf', 'bundle.tar.gz', '-C', 'bundle', 'logs/scs.log'], { cwd: tmp });
    const r = await run(['trace', REV, path.join(tmp, 'bundle.tar.gz'), '--now', NOW, '--format', 'json']);
    const t = json(r);
    expect([r.code, t.verdict, `${path.relative(tmp, t.evidence[0]?.file ?? '')}:${t.evidence[0]?.line}`]).toEqual([1, 'excluded', 'bundle.tar.gz:logs/scs.log:1']);
  });

  it('never sent: the sending side synced other files, exit 1 with the re-publish steps in Markdown', async () => {
    const r = await run(['trace', 'res-404', '--events', senderHistory, '--now', NOW, '--format', 'markdown']);
    expect([r.code, r.stdout.includes('**✖ never-sent**'), r.stdout.includes('unshare it, wait for the next sync, and share it again')]).toEqual([1, true, true]);
  });

  it('not found: nothing to judge by, exit 3', async () => {
    const r = await run(['trace', 'res-1', '--events', receiverWithout, '--now', NOW, '--format', 'json']);
    expect([r.code, json(r).verdict]).toEqual([3, 'not-found']);
  });

  it('a secret in a log line that names the file is not printed', async () => {
    const log = write('secret.log', `2026-05-12 09:00:00,000 ERROR [scs.sync.sender] upload of res-1 to https://scs:hunter2secret@outbox.example/b failed\n`);
    const r = await run(['trace', 'res-1', log, '--events', senderHistory, '--now', NOW, '--format', 'json']);
    expect([json(r).evidence.some((e) => e.file === log), r.stdout.includes('hunter2secret')]).toEqual([true, false]);
  });

  it.each([
    [['trace'], /trace needs a resource or revision id/],
    [['trace', 'res-1'], /give at least one INPUT/],
    [['trace', 'res-1', '--events', senderHistory, '--format', 'html'], /--format must be one of text, json, markdown/],
    [['trace', 'res-1', '--events', senderHistory, '--facts', path.join(tmp, 'missing.json')], /INPUT_UNREADABLE cannot read/],
  ])('usage error %j: exit 2', async (args, message) => {
    const r = await run(args);
    expect([r.code, message.test(r.stderr)]).toEqual([2, true]);
  });

  it('a facts file that is not JSON: exit 2 with the file named', async () => {
    const bad = write('bad-facts.json', '{ viewerId: ');
    const r = await run(['trace', 'res-1', '--events', senderHistory, '--facts', bad]);
    expect([r.code, r.stderr.includes(`${bad}:1:3 OPTION_INVALID --facts: not JSON`)]).toEqual([2, true]);
  });

  it('an input that does not exist: exit 2', async () => {
    const r = await run(['trace', 'res-1', path.join(tmp, 'nope.log'), '--events', senderHistory, '--now', NOW]);
    expect(r.code).toBe(2);
  });
});
