import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

const root = path.resolve(import.meta.dirname, '../../..');
const examples = path.join(root, 'examples');
const tmp = mkdtempSync(path.join(tmpdir(), 'scs-doctor-trace-'));
const write = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const history = path.join(examples, 'history', 'sync-events.json');
const logs = path.join(examples, 'logs');

describe('scs-doctor trace', () => {
  it('finds the excluded revision in the history and the log, says why, and exits 1', async () => {
    const r = await run(['trace', '0b6f4f1e-8d2a-4c33-9a57-2f1d5e7c9a10', logs, '--events', history]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^EXCLUDED: [^\n]*Acme → Initech \(sync event ev-1002[^\n]*over the ~2 GB per-file copy ceiling/);
    expect(r.stdout).toMatch(/scs-sender\.log:17 {2}2026-05-12T09:06:14\.019Z \[sending\] outbox write failed/);
  });

  it('runs the receiving checks on the facts file: all passed exits 0, one failed exits 1', async () => {
    const good = write('good.json', JSON.stringify({ viewerIsOwner: true, viewerInfosecOrder: 4, fileInfosecOrder: 2, viewerControlTags: ['ITAR'], fileControlTags: [], artifactUnparented: false }));
    const bad = write('bad.json', JSON.stringify({ facts: { viewerIsOwner: false } }));
    const ok = await run(['trace', 'res-12', '--events', history, '--facts', good, '--format', 'json']);
    const no = await run(['trace', 'res-12', '--events', history, '--facts', bad]);
    const okJson = JSON.parse(ok.stdout) as { verdict: string; checks: { result: string }[] };
    expect([ok.code, okJson.verdict, okJson.checks.map((c) => c.result)]).toEqual([0, 'transferred', ['passed', 'passed', 'passed', 'passed']]);
    expect([no.code, /✖ failed {2}The user looking for the file is an owner[^\n]*viewerIsOwner=false/.test(no.stdout)]).toEqual([1, true]);
  });

  it('takes host checks from the facts file', async () => {
    const f = write('checks.json', JSON.stringify({ facts: { viewerTeam: 'ops' }, checks: [{ id: 'team', title: 'The viewer is on the receiving team', step: 'Ask the receiving team.', conditions: { all: [{ fact: 'viewerTeam', operator: 'equal', value: 'receivers' }] } }] }));
    const r = await run(['trace', 'res-12', '--events', history, '--facts', f, '--format', 'markdown']);
    expect([r.code, r.stdout]).toEqual([1, expect.stringMatching(/\| The viewer is on the receiving team \| failed \| viewerTeam = `"ops"` \|/)]);
  });

  it('is a usage error without an id or inputs, or with a facts file that is not an object', async () => {
    const arr = write('arr.json', '[1]');
    const results = await Promise.all([run(['trace']), run(['trace', 'res-1']), run(['trace', 'res-1', '--events', history, '--facts', arr])]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(results[2]!.stderr).toMatch(/--facts .*arr\.json must hold a JSON object of facts/);
  });
});
