/**
 * trace(): "Sync Succeeds, File Not Received" automated (Debugging Secure Connections › Sending
 * Side Checks and Receiving Side Checks). One expectation a case; the histories are written the
 * way the admin backend exports them (camelCase, ISO times, files with outcomes).
 */
import { describe, expect, it } from 'vitest';
import { compileRules, trace, renderTrace, type SyncEventRecord, type Trace, type TraceCheck } from '../src/internal.js';
import { log, rule } from './helpers.js';

const NOW = '2026-05-12T12:00:00Z';
const GiB3 = 3 * 1024 ** 3;

type FileRow = { resourceId?: string; revisionId?: string; sizeBytes?: number; outcome?: string; name?: string };
let n = 0;
function ev(connectionId: string, direction: 'sending' | 'receiving', status: string, at: string, files: FileRow[] = [], more: Record<string, unknown> = {}) {
  n++;
  const end = new Date(Date.parse(at) + 60_000).toISOString();
  return { id: `e-${n}`, connectionId, direction, sharedId: 'S-5150', status, startedAt: at, finishedAt: end, files, ...more };
}
const send = (status: string, at: string, files: FileRow[] = [], more: Record<string, unknown> = {}) => ev('c-5150', 'sending', status, at, files, more);
const recv = (status: string, at: string, files: FileRow[] = [], more: Record<string, unknown> = {}) => ev('r-0505', 'receiving', status, at, files, more);
/** Located records, as a reader hands them over from one file. */
function fromFile(file: string, rows: ReturnType<typeof ev>[]): SyncEventRecord[] {
  return rows.map((e, i) => ({ kind: 'event', event: { ...e, direction: e.direction, status: e.status as 'success', files: e.files as never }, source: { file, line: i + 1, endLine: i + 1 } }));
}

const FILE = { resourceId: 'res-1', revisionId: 'rev-1a', sizeBytes: 1_000_000, name: 'wing.step' };
const check = (t: Trace, id: string): TraceCheck | undefined => t.checks.find((c) => c.id === id);
const ALL_PASS = { viewerId: 'u-7', receivingConnectionOwners: ['u-7', 'u-9'], viewerInfosecLevel: 'SECRET', fileInfosecLevel: 'CUI', viewerControlTags: ['ITAR', 'EXPORT'], fileControlTags: ['ITAR'], artifactParented: true };

describe('verdicts', () => {
  const sender = [send('success', '2026-05-12T09:00:00Z', [{ ...FILE, outcome: 'transferred' }]), send('success', '2026-05-12T10:00:00Z', [])];

  it('transferred: in a successful sync of the sending side; the receiving checks are walked', async () => {
    const t = await trace({ events: sender }, 'res-1', { now: NOW });
    expect([t.verdict, t.side, t.evidence[0]?.eventId, check(t, 'with-updates')?.result, t.checks.filter((c) => c.side === 'receiving').map((c) => c.id)]).toEqual([
      'transferred',
      'sending',
      'e-1',
      'passed',
      ['viewer-owner', 'viewer-infosec', 'viewer-control-tags', 'artifact-parented'],
    ]);
  });

  it('transferred with every host check passing concludes ok', async () => {
    const t = await trace({ events: sender }, 'res-1', { now: NOW, facts: ALL_PASS });
    expect([t.verdict, t.conclusion, t.checks.map((c) => c.result)]).toEqual(['transferred', 'ok', ['passed', 'passed', 'passed', 'passed', 'passed']]);
  });

  it('received: seen in a successful sync of the receiving side', async () => {
    const t = await trace({ events: [...sender, recv('success', '2026-05-12T09:30:00Z', [{ ...FILE, outcome: 'transferred' }])] }, 'res-1', { now: NOW });
    expect([t.verdict, t.side, t.evidence[0]?.connectionId, check(t, 'receiving-side')?.result, check(t, 'with-updates')?.result]).toEqual(['received', 'receiving', 'r-0505', 'passed', 'passed']);
  });

  it('excluded: a file over the ~2 GB copy ceiling, with the reason and its place', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T09:00:00Z', [{ ...FILE, sizeBytes: GiB3, outcome: 'excluded' }])] }, 'rev-1a', { now: NOW });
    expect([t.verdict, t.reason, `${t.evidence[0]?.file}:${t.evidence[0]?.line}`, t.conclusion]).toEqual(['excluded', `it is ${GiB3} bytes, over the ~2 GB per-file copy ceiling`, '(events):1', 'problem']);
  });

  it('excluded below the ceiling has no reason from the history and sends the reader to the logs', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T09:00:00Z', [{ ...FILE, outcome: 'skipped' }])] }, 'res-1', { now: NOW });
    expect([t.verdict, t.reason, t.steps[0]]).toEqual(['excluded', 'the sync history gives no reason', expect.stringContaining('SCS logs of the sending side')]);
  });

  it('excluded from a log line: a rule that no sync resolves names the revision', async () => {
    const pack = compileRules([
      rule({
        id: 'too-big',
        side: 'sending',
        resolution: 'never',
        title: 'Too big for the Outbox',
        signature: { anchors: ['exceeds ceiling'], pattern: 'Revision (?<revisionId>[\\w-]+) size=(?<sizeBytes>\\d+) exceeds ceiling' },
        params: { sizeBytes: { type: 'integer' } },
        summary: 'Revision {{revisionId}} is too big.',
        remediation: ['Split it.'],
      }),
    ]);
    const t = await trace({ logs: [log('outbox write failed: Revision rev-1a size=3221225472 exceeds ceiling', { time: '2026-05-12T09:00:00Z', side: 'sending' })] }, 'rev-1a', { now: NOW, pack });
    expect([t.verdict, t.reason, t.evidence[0]?.ruleId, t.evidence[0]?.source, t.steps]).toEqual(['excluded', 'Too big for the Outbox', 'too-big', 'log', ['Split it.']]);
  });

  it('failed: the history marks the file failed; the sending checks are walked', async () => {
    const t = await trace({ events: [send('warning', '2026-05-12T09:00:00Z', [{ ...FILE, outcome: 'failed' }])] }, 'res-1', { now: NOW });
    expect([t.verdict, t.reason, t.checks.map((c) => `${c.id}:${c.result}`)]).toEqual(['failed', 'the sync history marks it failed', ['with-updates:failed', 'outbox-unchanged:unknown', 'outbox-bucket:unknown']]);
  });

  it('failed: listed only in a failed sync', async () => {
    const t = await trace({ events: [send('failure', '2026-05-12T09:00:00Z', [{ ...FILE }], { message: 'outbox write failed' })] }, 'res-1', { now: NOW });
    expect([t.verdict, t.reason]).toEqual(['failed', 'it appears only in syncs that did not succeed']);
  });

  it('a later successful sync that transfers a failed file makes it transferred', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T08:00:00Z', [{ ...FILE, outcome: 'failed' }]), send('success', '2026-05-12T09:00:00Z', [{ ...FILE, outcome: 'transferred' }])] }, 'res-1', { now: NOW });
    expect(t.verdict).toBe('transferred');
  });

  it('never-sent: successful syncs of the sending side, none with the file; the re-publish steps', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T09:00:00Z', [{ resourceId: 'res-2', outcome: 'transferred' }]), send('success', '2026-05-12T10:00:00Z', [{ resourceId: 'res-3', outcome: 'transferred' }])] }, 'res-1', {
      now: NOW,
    });
    expect([t.verdict, t.conclusion, t.evidenceTotal, t.steps.some((s) => /unshare it, wait for the next sync, and share it again/.test(s)), t.steps.some((s) => /Outbox is configured to the correct S3 bucket/.test(s))]).toEqual([
      'never-sent',
      'problem',
      2,
      true,
      true,
    ]);
  });

  it('never-sent with the Outbox changed after the connection was created: that check fails with the fact values', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T09:00:00Z', [{ resourceId: 'res-2', outcome: 'transferred' }])] }, 'res-1', {
      now: NOW,
      facts: { outboxChangedAt: '2026-04-02T00:00:00Z', sendingConnectionCreatedAt: '2026-03-01T00:00:00Z' },
    });
    const c = check(t, 'outbox-unchanged');
    expect([c?.result, c?.facts, t.steps[1]]).toEqual(['failed', { outboxChangedAt: '2026-04-02T00:00:00Z', sendingConnectionCreatedAt: '2026-03-01T00:00:00Z' }, expect.stringContaining('re-published: unshare it')]);
  });

  it('not-found: the id nowhere and no sending history to judge by', async () => {
    const t = await trace({ events: [recv('success', '2026-05-12T09:00:00Z', [{ resourceId: 'res-2', outcome: 'transferred' }])] }, 'res-1', { now: NOW });
    expect([t.verdict, t.conclusion, check(t, 'with-updates')?.result, t.matchedBy]).toEqual(['not-found', 'undetermined', 'unknown', []]);
  });

  it('not-found when the sending history lists no files at all (it cannot show what was sent)', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T09:00:00Z')] }, 'res-1', { now: NOW });
    expect([t.verdict, t.summary]).toEqual(['not-found', expect.stringContaining('list no files')]);
  });
});

describe('the id: revision or resource', () => {
  const history = [
    send('success', '2026-05-10T09:00:00Z', [{ resourceId: 'res-1', revisionId: 'rev-1a', outcome: 'transferred' }]),
    send('success', '2026-05-12T09:00:00Z', [{ resourceId: 'res-1', revisionId: 'rev-1b', sizeBytes: GiB3, outcome: 'excluded' }]),
  ];

  it('a revision id matches that revision only', async () => {
    const t = await trace({ events: history }, 'REV-1A', { now: NOW });
    expect([t.matchedBy, t.revisionId, t.verdict, t.revisions]).toEqual([['revision'], 'rev-1a', 'transferred', []]);
  });

  it('a resource id is judged by its newest revision; the others are listed with their own verdicts', async () => {
    const t = await trace({ events: history }, 'res-1', { now: NOW });
    expect([t.matchedBy, t.revisionId, t.verdict, t.revisions.map((r) => `${r.revisionId}:${r.verdict}`)]).toEqual([['resource'], 'rev-1b', 'excluded', ['rev-1a:transferred']]);
  });

  it('an id that is a substring of another is not a match', async () => {
    const t = await trace({ events: history }, 'res', { now: NOW });
    expect(t.matchedBy).toEqual([]);
  });
});

describe('both sides, given as separate inputs, joined by Shared ID', () => {
  const sender = fromFile('sender-history.json', [send('success', '2026-05-12T09:00:00Z', [{ ...FILE, outcome: 'transferred' }])]);

  it('the receiver synced after the transfer without the file: the receiving check fails and names it', async () => {
    const receiver = fromFile('receiver-history.json', [recv('success', '2026-05-12T09:30:00Z', [{ resourceId: 'res-2', outcome: 'transferred' }])]);
    const t = await trace({ events: [...sender, ...receiver] }, 'res-1', { now: NOW });
    const c = check(t, 'receiving-side');
    expect([t.verdict, c?.result, c?.detail, t.evidence[0]?.file, t.connections.map((x) => x.key).sort()]).toEqual([
      'transferred',
      'failed',
      expect.stringContaining('r-0505 synced successfully at 2026-05-12T09:31:00.000Z'),
      'receiver-history.json',
      ['c-5150', 'r-0505'],
    ]);
  });

  it('the receiver is failing: the receiving check fails with its active diagnoses', async () => {
    const pack = compileRules([rule({ id: 'infosec-too-high', side: 'receiving', signature: { anchors: ['exceeds local platform max'] } })]);
    const receiver = fromFile('receiver-history.json', [recv('failure', '2026-05-12T09:30:00Z', [], { message: "manifest max infosec level 'SECRET' (order=3) exceeds local platform max" })]);
    const t = await trace({ events: [...sender, ...receiver] }, 'res-1', { now: NOW, pack });
    expect([check(t, 'receiving-side')?.result, check(t, 'receiving-side')?.detail]).toEqual(['failed', 'r-0505 has active diagnoses: infosec-too-high']);
  });

  it("the receiver has the file: received, from the receiver's own file", async () => {
    const receiver = fromFile('receiver-history.json', [recv('success', '2026-05-12T09:30:00Z', [{ ...FILE, outcome: 'transferred' }])]);
    const t = await trace({ events: [...sender, ...receiver] }, 'rev-1a', { now: NOW });
    expect([t.verdict, t.evidence[0]?.file, check(t, 'with-updates')?.detail]).toEqual(['received', 'receiver-history.json', expect.stringContaining('sender-history.json:1')]);
  });

  it('the receiving side excluded the file: excluded on the receiving side', async () => {
    const receiver = fromFile('receiver-history.json', [recv('success', '2026-05-12T09:30:00Z', [{ ...FILE, outcome: 'excluded' }])]);
    const t = await trace({ events: [...sender, ...receiver] }, 'res-1', { now: NOW });
    expect([t.verdict, t.side, check(t, 'with-updates')?.result, check(t, 'receiving-side')?.result]).toEqual(['excluded', 'receiving', 'passed', 'failed']);
  });
});

describe('the receiving side alone', () => {
  it('a file the receiver excluded left the sending side: that check passes, the receiving one fails', async () => {
    const t = await trace({ events: [recv('success', '2026-05-12T09:30:00Z', [{ ...FILE, outcome: 'excluded' }])] }, 'res-1', { now: NOW });
    expect([t.verdict, t.side, check(t, 'with-updates')?.result, check(t, 'receiving-side')?.result]).toEqual(['excluded', 'receiving', 'passed', 'failed']);
  });
});

describe('host-supplied facts through json-rules-engine', () => {
  const events = [send('success', '2026-05-12T09:00:00Z', [{ ...FILE, outcome: 'transferred' }]), recv('success', '2026-05-12T08:00:00Z', [])];

  it('a failing infosec fact: the check fails and shows the levels it compared', async () => {
    const t = await trace({ events }, 'res-1', { now: NOW, facts: { ...ALL_PASS, viewerInfosecLevel: 'CUI', fileInfosecLevel: 'SECRET' } });
    const c = check(t, 'viewer-infosec');
    expect([c?.result, c?.facts['viewerInfosecLevel'], c?.facts['fileInfosecLevel'], c?.facts['infosecLevels'], t.conclusion]).toEqual(['failed', 'CUI', 'SECRET', 'US_DOD', 'problem']);
  });

  it('levels are compared in the schema that holds both (AUS)', async () => {
    const t = await trace({ events }, 'res-1', { now: NOW, facts: { ...ALL_PASS, viewerInfosecLevel: 'PROTECTED', fileInfosecLevel: 'OFFICIAL:SENSITIVE' } });
    expect(check(t, 'viewer-infosec')?.result).toBe('passed');
  });

  it('a file without a level passes for a viewer without one', async () => {
    const t = await trace({ events }, 'res-1', { now: NOW, facts: { ...ALL_PASS, viewerInfosecLevel: null, fileInfosecLevel: null } });
    expect(check(t, 'viewer-infosec')?.result).toBe('passed');
  });

  it("an async fact function is awaited and reads the trace's own facts (the receiving connection)", async () => {
    const asked: unknown[] = [];
    const t = await trace({ events }, 'res-1', {
      now: NOW,
      facts: {
        ...ALL_PASS,
        receivingConnectionOwners: async (_params: unknown, almanac: { factValue: (id: string) => Promise<unknown> }) => {
          asked.push(await almanac.factValue('receivingConnectionId'));
          await new Promise((r) => setTimeout(r, 5));
          return ['u-1'];
        },
      },
    });
    const c = check(t, 'viewer-owner');
    expect([asked, c?.result, c?.facts]).toEqual([['r-0505'], 'failed', { receivingConnectionOwners: ['u-1'], viewerId: 'u-7' }]);
  });

  it('a host check with a host operator is evaluated beside the built-in ones', async () => {
    const t = await trace({ events }, 'res-1', {
      now: NOW,
      facts: { ...ALL_PASS, viewerGroups: ['eng', 'partners'] },
      operators: { sharesAny: (a: unknown, b: unknown) => Array.isArray(a) && Array.isArray(b) && a.some((x) => b.includes(x)) },
      checks: [
        {
          id: 'viewer-group',
          side: 'receiving',
          title: 'The viewer is in a group the file is shared with.',
          conditions: { all: [{ fact: 'viewerGroups', operator: 'sharesAny', value: ['legal'] }] },
          step: 'Add the viewer to the legal group.',
        },
      ],
    });
    expect([check(t, 'viewer-group')?.result, t.steps.includes('Add the viewer to the legal group.'), t.conclusion]).toEqual(['failed', true, 'problem']);
  });

  it('a host check replaces the built-in one of the same id', async () => {
    const t = await trace({ events }, 'res-1', {
      now: NOW,
      facts: { ...ALL_PASS, artifactParented: false, artifactListedIndividually: true },
      checks: [
        {
          id: 'artifact-parented',
          side: 'receiving',
          title: 'The artifact can be found.',
          conditions: {
            any: [
              { fact: 'artifactParented', operator: 'equal', value: true },
              { fact: 'artifactListedIndividually', operator: 'equal', value: true },
            ],
          },
          step: 'x',
        },
      ],
    });
    expect([check(t, 'artifact-parented')?.title, check(t, 'artifact-parented')?.result]).toEqual(['The artifact can be found.', 'passed']);
  });

  it('a fact not supplied is unknown, never passed, even under an operator that undefined satisfies', async () => {
    const t = await trace({ events }, 'res-1', {
      now: NOW,
      facts: ALL_PASS,
      checks: [{ id: 'not-blocked', side: 'receiving', title: 'The viewer is not blocked.', conditions: { all: [{ fact: 'viewerBlockedReason', operator: 'notEqual', value: 'suspended' }] }, step: 'Unblock.' }],
    });
    const c = check(t, 'not-blocked');
    expect([c?.result, c?.missing, t.conclusion]).toEqual(['unknown', ['viewerBlockedReason'], 'undetermined']);
  });

  it('without facts every receiving check is unknown and names the facts to supply', async () => {
    const t = await trace({ events }, 'res-1', { now: NOW });
    expect(t.checks.filter((c) => c.by === 'host').map((c) => `${c.result}:${c.missing.join('+')}`)).toEqual([
      'unknown:receivingConnectionOwners+viewerId',
      'unknown:fileInfosecLevel+viewerInfosecLevel',
      'unknown:fileControlTags+viewerControlTags',
      'unknown:artifactParented',
    ]);
  });

  it('a fact function that throws leaves its check unknown with the message, secrets masked', async () => {
    const t = await trace({ events }, 'res-1', {
      now: NOW,
      facts: {
        ...ALL_PASS,
        viewerControlTags: () => {
          throw new Error('registry refused: Authorization: Bearer sk-live-abcdef123456');
        },
      },
    });
    const c = check(t, 'viewer-control-tags');
    expect([c?.result, c?.detail.includes('registry refused'), JSON.stringify(t).includes('sk-live-abcdef123456')]).toEqual(['unknown', true, false]);
  });

  it('a secret-named fact is masked in the values shown', async () => {
    const t = await trace({ events }, 'res-1', {
      now: NOW,
      facts: { ...ALL_PASS, apiToken: 'tok-9f8e7d6c5b4a' },
      checks: [{ id: 'token', side: 'receiving', title: 'The token is the expected one.', conditions: { all: [{ fact: 'apiToken', operator: 'equal', value: 'other' }] }, step: 'x' }],
    });
    expect([check(t, 'token')?.result, JSON.stringify(t).includes('tok-9f8e7d6c5b4a')]).toEqual(['failed', false]);
  });

  it('a host check that is not one is refused with OPTION_INVALID', async () => {
    await expect(trace({ events }, 'res-1', { checks: [{ id: 'x', side: 'sideways', title: 't', conditions: { all: [] }, step: 's' } as never] })).rejects.toMatchObject({ code: 'OPTION_INVALID' });
  });

  it('a host check with an empty condition list is refused (it would pass without reading a fact)', async () => {
    await expect(trace({ events }, 'res-1', { checks: [{ id: 'x', side: 'receiving', title: 't', conditions: { all: [] }, step: 's' }] })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
      message: expect.stringContaining('conditions.all must be a non-empty list'),
    });
  });

  it('an unknown operator in a host check is refused with OPTION_INVALID', async () => {
    await expect(trace({ events }, 'res-1', { checks: [{ id: 'x', side: 'receiving', title: 't', conditions: { all: [{ fact: 'viewerId', operator: 'nope', value: 1 }] }, step: 's' }] })).rejects.toMatchObject({ code: 'OPTION_INVALID' });
  });
});

describe('input and output', () => {
  it('snake_case rows and Date objects are read as diagnose reads them; an invalid row is a problem', async () => {
    const rows = [
      { connection_id: 'c-5150', direction: 'sending', shared_id: 'S-5150', status: 'succeeded', started_at: new Date('2026-05-12T09:00:00Z'), files: [{ resource_id: 'res-1', revision_id: 'rev-1a', outcome: 'sent' }] },
      { connection_id: 'c-5150', status: 'success' },
    ];
    const t = await trace({ events: rows }, 'res-1', { now: NOW });
    expect([t.verdict, t.problems]).toEqual(['transferred', [expect.stringMatching(/^\(events\):2 EVENT_INVALID startedAt: missing/)]]);
  });

  it('secrets in an event message never reach the output', async () => {
    const t = await trace({ events: [send('failure', '2026-05-12T09:00:00Z', [{ ...FILE }], { message: 'PUT https://scs:hunter2secret@outbox.example/x failed' })] }, 'res-1', { now: NOW });
    expect([t.verdict, renderTrace(t, 'text').includes('hunter2secret'), renderTrace(t, 'json').includes('hunter2secret')]).toEqual(['failed', false, false]);
  });

  it('a blank id is a usage error', async () => {
    await expect(trace({ events: [] }, '  ')).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('text output leads with the verdict line', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T09:00:00Z', [{ ...FILE, sizeBytes: GiB3, outcome: 'excluded' }])] }, 'res-1', { now: NOW });
    expect(renderTrace(t, 'text').split('\n')[1]).toMatch(/^✖ excluded \[sending\]: Resource res-1 \(revision rev-1a\) was excluded from sync by c-5150/);
  });

  it('markdown output has the checks as a table', async () => {
    const t = await trace({ events: [send('success', '2026-05-12T09:00:00Z', [{ ...FILE, outcome: 'transferred' }])] }, 'res-1', { now: NOW, facts: ALL_PASS });
    expect(renderTrace(t, 'markdown')).toContain('| receiving | The viewer is an owner of the receiving connection. | ✔ passed |');
  });
});
