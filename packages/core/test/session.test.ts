import { describe, expect, it } from 'vitest';
import { compileRules, DiagnosisSession, diagnose } from '../src/internal.js';
import { log, rule } from './helpers.js';

const pack = compileRules([
  rule({
    id: 'label-missing',
    signature: { anchors: ['No RSS object-store configuration for label'], pattern: "for label '?(?<label>[\\w-]+)'?" },
    summary: 'Label {{label}} is missing',
    groupBy: ['label'],
  }),
  rule({
    id: 'too-big',
    side: 'sending',
    signature: { anchors: ['exceeds single-op copy_object ceiling'], pattern: 'size=(?<sizeBytes>\\d+)' },
    params: { sizeBytes: { type: 'integer' } },
    summary: 'File of {{sizeBytes}} bytes',
  }),
  rule({
    id: 'errors-only',
    signature: { anchors: ['flaky thing'] },
    conditions: { all: [{ fact: 'levelNumber', operator: 'greaterThanInclusive', value: 50 }] },
  }),
  rule({
    id: 'stale',
    appliesTo: ['connection'],
    conditions: { all: [{ fact: 'ageMs', operator: 'greaterThan', value: { fact: 'staleAfterMs' } }] },
    summary: '{{connectionName}} silent for {{age}}',
    groupBy: ['connectionId'],
  }),
]);

describe('DiagnosisSession', () => {
  it('splits one rule into a diagnosis per groupBy value', () => {
    const s = new DiagnosisSession(pack);
    s.log(log("No RSS object-store configuration for label 'outbox-a'"));
    s.log(log("No RSS object-store configuration for label 'outbox-b'"));
    s.log(log("No RSS object-store configuration for label 'outbox-a'"));
    const r = s.report();
    expect(r.diagnoses.map((d) => [d.params['label'], d.count])).toEqual([
      ['outbox-a', 2],
      ['outbox-b', 1],
    ]);
  });

  it('fills the summary from extracted parameters, converted to their type', () => {
    const r = diagnose(pack, { logs: [log('outbox write failed: Revision x size=2684354560 exceeds single-op copy_object ceiling')] });
    expect(r.diagnoses[0]!.summary).toBe('File of 2684354560 bytes');
    expect(r.diagnoses[0]!.params['sizeBytes']).toBe(2684354560);
  });

  it('takes the side from the record, else from a one-sided rule, else unknown', () => {
    const r = diagnose(pack, {
      logs: [log("No RSS object-store configuration for label 'x'", { side: 'receiving' }), log("No RSS object-store configuration for label 'x'"), log('size=1 exceeds single-op copy_object ceiling')],
    });
    const sides = r.diagnoses.map((d) => `${d.ruleId}:${d.side}`).sort();
    expect(sides).toEqual(['label-missing:receiving', 'label-missing:unknown', 'too-big:sending']);
  });

  it('applies conditions: the same text at info level does not match', () => {
    const r = diagnose(pack, { logs: [log('flaky thing happened', { level: 'info' }), log('flaky thing happened', { level: 'error' })] });
    expect(r.diagnoses.find((d) => d.ruleId === 'errors-only')?.count).toBe(1);
  });

  it('accounts for every line of every record', () => {
    const s = new DiagnosisSession(pack);
    s.read('a.log', 7);
    s.log({ ...log("No RSS object-store configuration for label 'x'"), source: { file: 'a.log', line: 1, endLine: 3 } });
    s.unmatched('a.log', 2);
    s.skip('a.log', 'blank', 2);
    const i = s.report().stats.inputs[0]!;
    expect([i.linesRead, i.linesMatched, i.linesUnmatched, i.linesSkipped, i.skipped['blank']]).toEqual([7, 3, 2, 2, 2]);
  });

  it('keeps a bounded evidence sample but counts every occurrence', () => {
    const s = new DiagnosisSession(pack, { evidenceLimit: 3 });
    for (let i = 0; i < 50; i++) s.log(log(`No RSS object-store configuration for label 'z'`, { time: `2026-05-12T10:${String(i).padStart(2, '0')}:00.000Z` }));
    const d = s.report().diagnoses[0]!;
    expect([d.count, d.evidence.length, d.firstSeen, d.lastSeen]).toEqual([50, 3, '2026-05-12T10:00:00.000Z', '2026-05-12T10:49:00.000Z']);
  });

  it('lists error records no rule explains, grouped by message template', () => {
    const r = diagnose(pack, {
      logs: [log('registry call failed: 503 from host-1', { level: 'error' }), log('registry call failed: 502 from host-7', { level: 'error' }), log('all good', { level: 'info' })],
    });
    expect(r.unmatched.map((u) => [u.template, u.count])).toEqual([['registry call failed: <n> from host-<n>', 2]]);
  });

  // Recurring first lines: one template per root exception, redaction on every kept sample, counts that do not depend on how many other lines came between.
  it('keeps one first line with two root exceptions as two templates, however often each recurs', () => {
    const failed = (root: string) => log(`job sync-all raised an exception\nTraceback (most recent call last):\n  File "/app/j.py", line 3, in run\n${root}`, { level: 'error' });
    const r = diagnose(pack, { logs: [failed('KeyError: 7'), failed('ValueError: bad'), failed('KeyError: 9'), failed('ValueError: bad')] });
    expect(r.unmatched.map((u) => [u.template, u.count])).toEqual([
      ['job sync-all raised an exception ← KeyError: <n>', 2],
      ['job sync-all raised an exception ← ValueError: bad', 2],
    ]);
  });

  it('redacts a recurring line on every occurrence it keeps', () => {
    const line = 'registry login refused api_key=sk0123456789abcdefXYZ for host-1';
    const r = diagnose(pack, { logs: [log(line, { level: 'error', time: '2026-05-12T10:00:00Z' }), log(line, { level: 'error', time: '2026-05-12T09:00:00Z' })] });
    expect(JSON.stringify(r.unmatched)).not.toContain('sk0123456789abcdefXYZ');
    expect(r.unmatched.map((u) => [u.count, u.sample?.excerpt])).toEqual([[2, 'registry login refused api_key=[REDACTED] for host-1']]);
  });

  it('counts a line again after more distinct lines than are remembered, and long lines alike', () => {
    const long = `registry answer too large: ${'x'.repeat(600)} 1`;
    const lines = [log('first failure 1', { level: 'error' }), log(long, { level: 'error' })];
    for (let i = 0; i < 1500; i++) lines.push(log(`failure kind-${'q'.repeat(i % 40)}${i}`, { level: 'error' }));
    lines.push(log('first failure 2', { level: 'error' }), log(long.replace(/ 1$/, ' 2'), { level: 'error' }));
    const counts = new Map(diagnose(pack, { logs: lines }, { unmatchedLimit: 5000 }).unmatched.map((u) => [u.template, u.count]));
    expect([counts.get('first failure <n>'), counts.get(`registry answer too large: ${'x'.repeat(600)} <n>`.slice(0, 239) + '…')]).toEqual([2, 2]);
  });

  it('diagnoses a connection whose newest event is older than staleAfter, and not a fresh one', () => {
    const ev = (connectionId: string, finishedAt: string) => ({ connectionId, connectionName: connectionId.toUpperCase(), status: 'success' as const, startedAt: finishedAt, finishedAt, files: [] });
    const r = diagnose(pack, { events: [ev('old', '2026-05-10T00:00:00.000Z'), ev('fresh', '2026-05-12T11:00:00.000Z'), ev('old', '2026-05-09T00:00:00.000Z')] }, { now: '2026-05-12T12:00:00Z', staleAfterMs: 6 * 3600e3 });
    const stale = r.diagnoses.filter((d) => d.ruleId === 'stale');
    expect(stale.map((d) => [d.summary, d.lastSeen])).toEqual([['OLD silent for 2d 12h', '2026-05-10T00:00:00.000Z']]);
  });

  it('matches sync event messages and attributes them to the connection', () => {
    const r = diagnose(pack, {
      events: [
        { connectionId: 'c1', connectionName: 'Partner', direction: 'receiving', status: 'failure', startedAt: '2026-05-12T10:00:00.000Z', message: "bucket not configured: No RSS object-store configuration for label 'in'", files: [] },
      ],
    });
    const d = r.diagnoses[0]!;
    expect([d.ruleId, d.side, d.connections]).toEqual(['label-missing', 'receiving', [{ id: 'c1', name: 'Partner', lastSeen: '2026-05-12T10:00:00.000Z' }]]);
  });

  it('redacts secrets in evidence and parameters', () => {
    const r = diagnose(pack, { logs: [log("No RSS object-store configuration for label 'x' MY_SECRET=hunter2hunter2")] });
    const json = JSON.stringify(r);
    expect(json).not.toContain('hunter2hunter2');
    expect(json).toContain('MY_SECRET=');
  });

  it('gives the same report when called twice', () => {
    const s = new DiagnosisSession(pack, { now: '2026-05-12T12:00:00Z' });
    s.event({ kind: 'event', event: { connectionId: 'c', status: 'success', startedAt: '2026-01-01T00:00:00.000Z', files: [] }, source: { file: 'h', line: 1, endLine: 1 } });
    expect(s.report()).toEqual(s.report());
  });
});

describe('DiagnosisSession bounds', () => {
  it('caps the groups of one rule and counts the rest in one overflow group', async () => {
    const { MAX_GROUPS_PER_RULE } = await import('../src/engine/session.js');
    const s = new DiagnosisSession(pack);
    const n = MAX_GROUPS_PER_RULE + 5;
    for (let i = 0; i < n; i++) s.log(log(`No RSS object-store configuration for label 'l${i}'`));
    const ds = s.report().diagnoses;
    expect([ds.length, ds.reduce((sum, d) => sum + d.count, 0), ds.some((d) => d.params['label'] === '(more values)')]).toEqual([MAX_GROUPS_PER_RULE + 1, n, true]);
  });
});

describe('facts of sync events without a message', () => {
  const ev = (id: string, files: unknown[], status = 'success') => ({
    kind: 'event' as const,
    event: { id, connectionId: 'c-u', direction: 'sending' as const, status: status as 'success', startedAt: '2026-05-12T09:00:00.000Z', finishedAt: '2026-05-12T09:00:01.000Z', files: files as never[] },
    source: { file: 'h.json', line: Number(id), endLine: Number(id) },
  });
  const updates = compileRules([
    rule({ id: 'with-updates', appliesTo: ['event'], conditions: { all: [{ fact: 'withUpdates', operator: 'equal', value: true }] }, groupBy: ['connectionId'] }),
    rule({ id: 'small-excluded', signature: { anchors: ['text no event has'] }, files: { conditions: { all: [{ fact: 'sizeBytes', operator: 'lessThan', value: 100 }] } } }),
  ]);

  it('"with updates" is a fact: true only for an event that transferred a file', () => {
    const s = new DiagnosisSession(updates, { now: '2026-05-12T12:00:00Z' });
    s.event(ev('1', [{ resourceId: 'a', outcome: 'transferred' }]));
    s.event(ev('2', [{ resourceId: 'b', outcome: 'excluded', sizeBytes: 5000 }]));
    s.event(ev('3', []));
    const d = s.report().diagnoses.find((x) => x.ruleId === 'with-updates');
    expect(d?.evidence.map((e) => e.line)).toEqual([1]);
  });

  it('a rule with a files section reads each file that was not transferred, with its ids as parameters', () => {
    const s = new DiagnosisSession(updates, { now: '2026-05-12T12:00:00Z' });
    s.event(
      ev('1', [
        { resourceId: 'a', outcome: 'transferred', sizeBytes: 10 },
        { resourceId: 'b', revisionId: 'rb', outcome: 'excluded', sizeBytes: 10 },
        { resourceId: 'c', outcome: 'failed', sizeBytes: 500 },
      ]),
    );
    const d = s.report().diagnoses.find((x) => x.ruleId === 'small-excluded');
    expect([d?.count, d?.params]).toEqual([1, { resourceId: 'b', revisionId: 'rb', sizeBytes: 10 }]);
  });
});
