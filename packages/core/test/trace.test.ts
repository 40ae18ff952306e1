import { describe, expect, it } from 'vitest';
import { compileRules, traceExitCode, traceFile, type LogRecord } from '../src/index.js';

const pack = compileRules([]);
const NOW = '2026-05-12T12:00:00Z';

const ev = (id: string, direction: 'sending' | 'receiving', status: string, at: string, files: unknown[], extra: Record<string, unknown> = {}) => ({
  id,
  connectionId: direction === 'sending' ? 'c-1' : 'r-1',
  connectionName: direction === 'sending' ? 'Acme → Globex' : 'Globex ← Acme',
  direction,
  sharedId: 'S-1',
  status,
  startedAt: at,
  finishedAt: at,
  files,
  ...extra,
});
const file = (outcome: string, extra: Record<string, unknown> = {}) => ({ resourceId: 'res-7', revisionId: 'rev-7b', sizeBytes: 1024, outcome, ...extra });

describe('trace: the sending checklist', () => {
  it('received: the receiving side lists the file in a successful sync', async () => {
    const t = await traceFile(pack, { events: [ev('s1', 'sending', 'success', '2026-05-12T09:00:00Z', [file('transferred')]), ev('r1', 'receiving', 'success', '2026-05-12T09:05:00Z', [file('transferred')])] }, 'res-7', { now: NOW });
    expect([t.verdict, t.sightings.map((s) => [s.side, s.eventId])]).toEqual(['received', [['sending', 's1'], ['receiving', 'r1']]]);
    expect(t.summary).toContain('Globex ← Acme (sync event r1');
  });

  it('transferred: in a successful sending sync, nothing from the receiving side; matched by revision id too', async () => {
    const events = [ev('s1', 'sending', 'success', '2026-05-12T09:00:00Z', [file('transferred')]), ev('r0', 'receiving', 'success', '2026-05-12T08:00:00Z', [])];
    const byRevision = await traceFile(pack, { events }, 'rev-7b', { now: NOW });
    const byResource = await traceFile(pack, { events }, 'res-7', { now: NOW });
    expect([byRevision.verdict, byResource.verdict]).toEqual(['transferred', 'transferred']);
    // Both sides of the Shared ID are joined: the receiving connection is named with its state.
    expect(byResource.connections.map((c) => [c.key, c.side, c.peers])).toEqual([['c-1', 'sending', ['r-1']], ['r-1', 'receiving', ['c-1']]]);
    expect(byResource.steps[0]).toMatch(/receiving connection Globex ← Acme is healthy, last success 2026-05-12T08:00:00.000Z/);
  });

  it('excluded: over the copy ceiling, with the size; or excluded for a reason the records do not give', async () => {
    const big = await traceFile(pack, { events: [ev('s1', 'sending', 'success', '2026-05-12T09:00:00Z', [file('excluded', { sizeBytes: 3 * 1024 ** 3 })])] }, 'res-7', { now: NOW });
    const small = await traceFile(pack, { events: [ev('s1', 'sending', 'success', '2026-05-12T09:00:00Z', [file('excluded')])] }, 'res-7', { now: NOW });
    expect([big.verdict, big.reason, traceExitCode(big)]).toEqual(['excluded', 'it is 3221225472 bytes, over the ~2 GB per-file copy ceiling of the Outbox write', 1]);
    expect([small.verdict, small.reason]).toEqual(['excluded', 'SCS excluded it from the sync; the records given do not say why']);
  });

  it('excluded, from the SCS log line alone', async () => {
    const logs: LogRecord[] = [
      { kind: 'log', format: 'python', level: 'warn', side: 'sending', time: '2026-05-12T09:00:00.000Z', message: 'outbox write failed: Revision rev-7b size=2684354560 exceeds single-op copy_object ceiling', fields: {}, source: { file: 'scs.log', line: 3, endLine: 3 } },
    ];
    const t = await traceFile(pack, { logs, events: [ev('s0', 'sending', 'success', '2026-05-12T08:00:00Z', [])] }, 'rev-7b', { now: NOW });
    expect([t.verdict, t.sightings[0]?.sizeBytes, t.sightings[0]?.file, t.sightings[0]?.line]).toEqual(['excluded', 2684354560, 'scs.log', 3]);
  });

  it('failed: the file failed, or the sync it was in failed, and it never went out later', async () => {
    const f = await traceFile(pack, { events: [ev('s1', 'sending', 'warning', '2026-05-12T09:00:00Z', [file('failed')])] }, 'res-7', { now: NOW });
    const inFailed = await traceFile(pack, { events: [ev('s1', 'sending', 'failure', '2026-05-12T09:00:00Z', [{ resourceId: 'res-7' }])] }, 'res-7', { now: NOW });
    const retried = await traceFile(pack, { events: [ev('s1', 'sending', 'warning', '2026-05-12T09:00:00Z', [file('failed')]), ev('s2', 'sending', 'success', '2026-05-12T10:00:00Z', [file('transferred')])] }, 'res-7', { now: NOW });
    expect([f.verdict, inFailed.verdict, inFailed.reason, retried.verdict]).toEqual(['failed', 'failed', 'the sync it was part of failed', 'transferred']);
  });

  it('never-sent: a sending history without the file gives the re-publish steps', async () => {
    const t = await traceFile(pack, { events: [ev('s1', 'sending', 'success', '2026-05-12T09:00:00Z', [{ resourceId: 'other', outcome: 'transferred' }])] }, 'res-7', { now: NOW });
    expect([t.verdict, t.steps.some((s) => /unshare it, wait for the next sync, and share it again/.test(s))]).toEqual(['never-sent', true]);
  });

  it('not-found: nothing given names it and no sending history was given', async () => {
    const t = await traceFile(pack, { events: [ev('r1', 'receiving', 'success', '2026-05-12T09:00:00Z', [])] }, 'res-7', { now: NOW });
    expect([t.verdict, t.sightings, t.checks]).toEqual(['not-found', [], []]);
  });
});

describe('trace: the receiving checklist on host facts, through json-rules-engine', () => {
  const events = [ev('s1', 'sending', 'success', '2026-05-12T09:00:00Z', [file('transferred')])];

  it('without host facts every check is unknown, never passed', async () => {
    const t = await traceFile(pack, { events }, 'res-7', { now: NOW });
    expect(t.checks.map((c) => [c.id, c.result])).toEqual([
      ['viewer-is-owner', 'unknown'],
      ['viewer-infosec-level', 'unknown'],
      ['viewer-control-tags', 'unknown'],
      ['artifact-parented', 'unknown'],
    ]);
    expect(traceExitCode(t)).toBe(0);
  });

  it('a failing infosec fact fails its check with the values, and fails the trace', async () => {
    const t = await traceFile(pack, { events }, 'res-7', {
      now: NOW,
      facts: { viewerIsOwner: true, viewerInfosecOrder: 2, fileInfosecOrder: 3, viewerControlTags: ['ITAR', 'PROPRIETARY'], fileControlTags: ['ITAR'], artifactUnparented: false },
    });
    expect(t.checks.map((c) => [c.id, c.result])).toEqual([
      ['viewer-is-owner', 'passed'],
      ['viewer-infosec-level', 'failed'],
      ['viewer-control-tags', 'passed'],
      ['artifact-parented', 'passed'],
    ]);
    expect(t.checks[1]?.facts).toEqual({ viewerInfosecOrder: 2, fileInfosecOrder: 3 });
    expect([traceExitCode(t), t.steps.at(-1)]).toEqual([1, expect.stringContaining("infosec level")]);
  });

  it('async fact functions read the traced facts through the almanac', async () => {
    const asked: unknown[] = [];
    const t = await traceFile(pack, { events }, 'res-7', {
      now: NOW,
      facts: {
        viewerIsOwner: async (_params: unknown, almanac: { factValue: (n: string) => Promise<unknown> }) => {
          const conn = await almanac.factValue('sendingConnectionId');
          asked.push(conn);
          return conn === 'c-1';
        },
        fileControlTags: async () => ['EXPORT_CONTROLLED'],
        viewerControlTags: ['ITAR'],
      },
    });
    expect(asked).toEqual(['c-1']);
    expect(t.checks.filter((c) => c.result !== 'unknown').map((c) => [c.id, c.result, c.facts])).toEqual([
      ['viewer-is-owner', 'passed', { viewerIsOwner: true }],
      ['viewer-control-tags', 'failed', { viewerControlTags: ['ITAR'], fileControlTags: ['EXPORT_CONTROLLED'] }],
    ]);
  });

  it('a host check with its own operator runs beside the built-in ones', async () => {
    const check = { id: 'viewer-in-receivers', title: 'The user is in the receivers group', step: 'Add the user to the receivers group.', conditions: { all: [{ fact: 'viewerGroups', operator: 'hasGroup', value: 'receivers' }] } };
    const operators = [{ name: 'hasGroup', evaluate: (groups: unknown, g: unknown) => Array.isArray(groups) && groups.includes(g) }];
    const yes = await traceFile(pack, { events }, 'res-7', { now: NOW, checks: [check], operators, facts: { viewerGroups: ['receivers'] } });
    const no = await traceFile(pack, { events }, 'res-7', { now: NOW, checks: [check], operators, facts: { viewerGroups: ['others'] } });
    expect([yes.checks.at(-1)?.result, no.checks.at(-1)?.result, traceExitCode(no)]).toEqual(['passed', 'failed', 1]);
  });
});
