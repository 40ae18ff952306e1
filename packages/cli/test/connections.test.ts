/**
 * Connections over time, end to end: the CLI and the library over the built-in pack. What a user
 * asks is "what is wrong with this connection now, since when, is it fixed, what do I do".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectionStatus, diagnose, ReportSchema, type Report, type RulePack } from '@scs-doctor/core/internal';
import { loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';
import { run } from './run.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'scs-doctor-conn-'));
const write = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const json = (r: { stdout: string }) => ReportSchema.parse(JSON.parse(r.stdout));
const NOW = '2026-05-12T12:00:00Z';

let pack: RulePack;
beforeAll(async () => {
  pack = await loadRulePack([rulesDir]);
});

const senderLine = (time: string, text: string, level = 'INFO') => `2026-05-12 ${time},000 ${level} [scs.sync.sender] ${text}`;
const invalidToken = (time: string, id = 'c-1') => senderLine(time, `sync failed connection_id=${id} direction=sending: shared secret unavailable: InvalidToken`, 'ERROR');
const completed = (time: string, id = 'c-1') => senderLine(time, `sync completed connection_id=${id} direction=sending`);

describe('a connection that recovered', () => {
  const log = write('recovered.log', [invalidToken('09:00:00'), invalidToken('09:05:00'), completed('09:10:00'), completed('09:15:00')].join('\n') + '\n');

  it('is healthy, its diagnosis resolved at the first success after the failures, and the run exits 0', async () => {
    const r = await run(['diagnose', log, '--now', NOW, '--format', 'json']);
    const report = json(r);
    const d = report.diagnoses.find((x) => x.ruleId === 'shared-secret-invalid-token');
    const c = report.connections.find((x) => x.key === 'c-1');
    expect([r.code, d?.state, d?.resolvedAt, c?.state, c?.lastSuccess, c?.consecutiveFailures]).toEqual([0, 'resolved', '2026-05-12T09:10:00.000Z', 'healthy', '2026-05-12T09:15:00.000Z', 0]);
  });

  it('shows the diagnosis apart as resolved in the text report, under a healthy overview line', async () => {
    const r = await run(['diagnose', log, '--now', NOW]);
    const from = r.stdout.indexOf('Connections (');
    const overview = r.stdout.slice(from, r.stdout.indexOf('\n\n', from));
    expect([r.stdout.startsWith('Diagnoses active: none · resolved: 1 error\n'), from > 0]).toEqual([true, true]);
    expect(overview).toMatch(/✔ c-1 \[sending\]: healthy, last success 2026-05-12T09:15:00.000Z/);
    expect(r.stdout).toMatch(/Resolved \(1\)[^\n]*\n {2}✔ resolved [^\n]*shared-secret-invalid-token/);
    expect(r.stdout).not.toContain('✖ error');
    expect(r.stdout).toContain('No active failure (1 diagnosis resolved)');
  });

  it('fails again when the error comes back after the recovery', async () => {
    const again = write('again.log', [invalidToken('09:00:00'), completed('09:10:00'), invalidToken('09:20:00')].join('\n') + '\n');
    const report = json(await run(['diagnose', again, '--now', NOW, '--format', 'json']));
    const c = report.connections.find((x) => x.key === 'c-1')!;
    expect([report.diagnoses[0]?.state, c.state, c.failingSince, c.lastSuccess]).toEqual(['active', 'failing', '2026-05-12T09:20:00.000Z', '2026-05-12T09:10:00.000Z']);
  });
});

describe('recovered and failing connections mixed', () => {
  it('keeps one diagnosis active while any connection it covers still fails, and exits 1', async () => {
    const log = write('mix.log', [invalidToken('09:00:00', 'c-1'), invalidToken('09:00:30', 'c-2'), completed('09:10:00', 'c-1'), invalidToken('09:11:00', 'c-2')].join('\n') + '\n');
    const r = await run(['diagnose', log, '--now', NOW, '--format', 'json']);
    const report = json(r);
    const states = Object.fromEntries(report.connections.map((c) => [c.key, c.state]));
    expect([r.code, report.diagnoses.map((d) => d.state), states]).toEqual([1, ['active'], { 'c-1': 'healthy', 'c-2': 'failing' }]);
  });

  it('splits active and resolved per rule: the resolved one does not fail the run, the active one does', async () => {
    const log = write(
      'mix2.log',
      [
        invalidToken('09:00:00', 'c-1'),
        completed('09:10:00', 'c-1'),
        senderLine('09:20:00', "sync failed connection_id=c-3 direction=sending: connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'outbox-eu'", 'ERROR'),
      ].join('\n') + '\n',
    );
    const r = await run(['diagnose', log, '--now', NOW, '--format', 'json']);
    const states = Object.fromEntries(json(r).diagnoses.map((d) => [d.ruleId, d.state]));
    expect([r.code, states]).toEqual([1, { 'shared-secret-invalid-token': 'resolved', 'bucket-not-configured': 'active' }]);
  });
});

const event = (id: string, conn: string, status: string, at: string, extra: Record<string, unknown> = {}) => ({
  id,
  connectionId: conn,
  direction: 'sending',
  sharedId: `S-${conn}`,
  status,
  startedAt: at,
  finishedAt: at,
  files: [],
  ...extra,
});

describe('flapping', () => {
  it('marks a connection whose successes and failures alternate, and not one that failed once', () => {
    const times = ['09:00', '09:10', '09:20', '09:30', '09:40', '09:50'].map((t) => `2026-05-12T${t}:00Z`);
    const flappy = times.map((t, i) => event(`f${i}`, 'c-f', i % 2 ? 'success' : 'failure', t, i % 2 ? {} : { message: 'shared secret unavailable: InvalidToken' }));
    const steady = times.map((t, i) => event(`s${i}`, 'c-s', i === 2 ? 'failure' : 'success', t, i === 2 ? { message: 'shared secret unavailable: InvalidToken' } : {}));
    const report = diagnose(pack, { events: [...flappy, ...steady] }, { now: NOW });
    const flags = Object.fromEntries(report.connections.map((c) => [c.key, [c.state, c.flapping]]));
    expect(flags).toEqual({ 'c-f': ['healthy', true], 'c-s': ['healthy', false] });
  });
});

describe('both sides of a Shared ID', () => {
  const sender = write(
    'peer-sender.log',
    [
      senderLine('09:00:00', 'sync started connection_id=c-5150 direction=sending shared_id=S-5150'),
      senderLine('09:00:05', 'sync completed connection_id=c-5150 direction=sending shared_id=S-5150'),
      senderLine('10:00:05', 'sync completed connection_id=c-5150 direction=sending shared_id=S-5150'),
    ].join('\n') + '\n',
  );
  const receiver = write(
    'peer-receiver.jsonl',
    [
      { timestamp: '2026-05-12T10:05:00Z', level: 'error', logger: 'scs.sync.receiver', event: 'connection failed (no manifest received)', connection_id: 'r-0505', direction: 'receiving', shared_id: 'S-5150' },
      { timestamp: '2026-05-12T11:05:00Z', level: 'error', logger: 'scs.sync.receiver', event: 'connection failed (no manifest received)', connection_id: 'r-0505', direction: 'receiving', shared_id: 'S-5150' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n',
  );

  it('the receiver finds no manifest while the sender syncs: the Shared IDs match, so comparing them is no step', async () => {
    const report = json(await run(['diagnose', sender, receiver, '--now', NOW, '--format', 'json']));
    const d = report.diagnoses.find((x) => x.ruleId === 'no-manifest-received')!;
    expect(d.peer?.connections.map((c) => [c.id, c.side, c.state])).toEqual([['c-5150', 'sending', 'healthy']]);
    expect(d.peer?.note).toMatch(/c-5150 uses exactly this Shared ID and its syncs succeed/);
    expect(d.remediation.some((s) => s.includes('character by character'))).toBe(true);
    expect(d.peer?.remediation?.some((s) => s.includes('character by character'))).toBe(false);
    expect(d.peer?.remediation?.[0]).toMatch(/Outbox bucket/);
    const rc = report.connections.find((c) => c.key === 'r-0505')!;
    expect([rc.state, rc.peers]).toEqual(['failing', ['c-5150']]);
  });

  it('the text report gives the peer-aware steps and names the peer in the overview', async () => {
    const r = await run(['diagnose', sender, receiver, '--now', NOW]);
    expect(r.stdout).toMatch(/✖ r-0505 \[receiving\][^\n]*failing since 2026-05-12T10:05:00.000Z, 2 failures in a row\n {6}peer: c-5150 \(sending, healthy\)/);
    expect(r.stdout).toContain('Other side: The sending connection c-5150 uses exactly this Shared ID');
    expect(r.stdout).not.toContain('character by character');
  });

  it('the sender fails with bucket-not-configured: the receiver is told its missing manifest is a consequence, and the sender is told so too', async () => {
    const failing = write(
      'peer-sender-failing.log',
      senderLine('10:00:00', "sync failed connection_id=c-5150 direction=sending shared_id=S-5150: connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'outbox-eu'", 'ERROR') + '\n',
    );
    const report = json(await run(['diagnose', failing, receiver, '--now', NOW, '--format', 'json']));
    const recv = report.diagnoses.find((x) => x.ruleId === 'no-manifest-received')!;
    const send = report.diagnoses.find((x) => x.ruleId === 'bucket-not-configured')!;
    expect(recv.peer?.diagnoses).toEqual(['bucket-not-configured']);
    expect(recv.peer?.note).toMatch(/consequence of that failure/);
    expect(recv.peer?.remediation?.length).toBe(2);
    expect(send.peer?.note).toMatch(/r-0505 \(receiving\)[\s\S]*consequence of this failure/);
  });

  it('without the other side, the generic steps stay', async () => {
    const report = json(await run(['diagnose', receiver, '--now', NOW, '--format', 'json']));
    const d = report.diagnoses.find((x) => x.ruleId === 'no-manifest-received')!;
    expect([d.peer, d.remediation[0]]).toEqual([undefined, expect.stringContaining('character by character')]);
  });

  it('joins the sides when they come from reports merged later, as in one run', async () => {
    const a = write('side-a.json', (await run(['diagnose', sender, '--now', NOW, '--format', 'json'])).stdout);
    const b = write('side-b.json', (await run(['diagnose', receiver, '--now', NOW, '--format', 'json'])).stdout);
    const merged = json(await run(['merge', a, b, '--format', 'json']));
    const one = json(await run(['diagnose', sender, receiver, '--now', NOW, '--format', 'json']));
    expect(comparable(merged)).toEqual(comparable(one));
    expect(merged.diagnoses.find((d) => d.ruleId === 'no-manifest-received')?.peer?.note).toMatch(/syncs succeed/);
  });
});

/** What must agree between a merged and a single run: connections and diagnoses, not per-input stats. */
function comparable(r: Report) {
  // Shards read other files than the single run: where evidence was read differs, nothing else may.
  const connections = r.connections.map((c) => ({ ...c, newestEvent: c.newestEvent && { ...c.newestEvent, file: undefined } }));
  const diagnoses = r.diagnoses.map((d) => ({ ...d, evidence: d.evidence.map((e) => [e.time, e.excerpt]).sort() }));
  return { connections, diagnoses, judged: r.judged };
}

describe('files of sync events', () => {
  const big = { resourceId: 'res-big', revisionId: 'rev-big', sizeBytes: 3 * 1024 ** 3, outcome: 'excluded' };

  it('a green sync with no message whose 3 GiB file was excluded is file-exceeds-copy-ceiling, exit 1, and stays active after later successes', async () => {
    const history = write('excluded.json', JSON.stringify([event('e1', 'c-9', 'success', '2026-05-12T09:00:00Z', { files: [big] }), event('e2', 'c-9', 'success', '2026-05-12T10:00:00Z')]));
    const r = await run(['diagnose', '--events', history, '--now', NOW, '--format', 'json']);
    const d = json(r).diagnoses.find((x) => x.ruleId === 'file-exceeds-copy-ceiling');
    expect([r.code, d?.params, d?.state, d?.resolution]).toEqual([1, { revisionId: 'rev-big', resourceId: 'res-big', sizeBytes: 3221225472 }, 'active', 'never']);
  });

  it('a failed file in an event without a message is file-transfer-failed, resolved once a later sync succeeds', () => {
    const failed = { resourceId: 'res-2', revisionId: 'rev-2', outcome: 'failed' };
    const report = diagnose(pack, { events: [event('e1', 'c-9', 'warning', '2026-05-12T09:00:00Z', { files: [failed] }), event('e2', 'c-9', 'success', '2026-05-12T10:00:00Z')] }, { now: NOW });
    const d = report.diagnoses.find((x) => x.ruleId === 'file-transfer-failed');
    expect([d?.params['resourceId'], d?.state]).toEqual(['res-2', 'resolved']);
  });
});

describe('merge and staleness, exactly', () => {
  const events = [
    event('a1', 'c-a', 'failure', '2026-05-12T08:00:00Z', { message: 'shared secret unavailable: InvalidToken' }),
    event('a2', 'c-a', 'success', '2026-05-12T11:50:00Z'),
    event('b1', 'c-b', 'success', '2026-05-01T08:00:00Z'),
    event('b2', 'c-b', 'failure', '2026-05-01T09:00:00Z', { message: 'shared secret unavailable: InvalidToken' }),
  ];

  it('reports of a history split by time merge into the single run: no stale connection that synced ten minutes before --now', async () => {
    const early = write('early.json', JSON.stringify(events.filter((e) => e.startedAt < '2026-05-10')));
    const late = write('late.json', JSON.stringify(events.filter((e) => e.startedAt >= '2026-05-10')));
    const all = write('all.json', JSON.stringify(events));
    const shard = async (f: string) => write(`${path.basename(f)}.report.json`, (await run(['diagnose', '--events', f, '--now', NOW, '--format', 'json'])).stdout);
    const merged = json(await run(['merge', await shard(early), await shard(late), '--now', NOW, '--format', 'json']));
    const one = json(await run(['diagnose', '--events', all, '--now', NOW, '--format', 'json']));
    expect(comparable(merged)).toEqual(comparable(one));
    const states = Object.fromEntries(merged.connections.map((c) => [c.key, c.state]));
    expect(states).toEqual({ 'c-a': 'healthy', 'c-b': 'failing' });
    expect(merged.diagnoses.filter((d) => d.ruleId === 'sync-stale').map((d) => d.connections[0]?.id)).toEqual(['c-b']);
  });

  it('an event in the future of --now is a problem, and does not hide that the connection is stale', () => {
    const report = diagnose(pack, { events: [event('o', 'c-o', 'success', '2026-05-01T12:00:00Z'), event('f', 'c-o', 'success', '2026-06-30T12:00:00Z')] }, { now: NOW });
    const c = report.connections[0]!;
    expect([c.state, report.stats.problems.map((p) => p.code)]).toEqual(['stale', ['EVENT_IN_FUTURE']]);
    expect(report.diagnoses.map((d) => d.ruleId)).toEqual(['sync-stale']);
  });

  it('--now before every event is a notice on standard error', async () => {
    const f = write('future.json', JSON.stringify([event('x', 'c-x', 'success', '2026-05-12T09:00:00Z')]));
    const r = await run(['diagnose', '--events', f, '--now', '2026-01-01T00:00:00Z']);
    expect(r.stderr).toMatch(/notice: --now 2026-01-01T00:00:00.000Z is before every sync event/);
  });

  it('a sync that started and never finished is an attempt, not a success: the connection stays stale', () => {
    const started = { ...event('s', 'c-s', 'started', '2026-05-12T11:55:00Z'), finishedAt: undefined, status: 'running' };
    const report = diagnose(pack, { events: [event('old', 'c-s', 'success', '2026-05-01T12:00:00Z'), started] }, { now: NOW });
    const c = report.connections[0]!;
    expect([c.state, c.recent.map((a) => a.outcome), c.lastSuccess]).toEqual(['stale', ['success', 'started'], '2026-05-01T12:00:00.000Z']);
  });
});

describe('the library entry for the admin backend', () => {
  it('diagnose() reads snake_case rows with Date objects like the file reader does', () => {
    const rows = [
      {
        id: 1,
        connection_id: 'c-db',
        connection_name: 'From the database',
        direction: 'sending',
        shared_id: 'S-db',
        status: 'failure',
        started_at: new Date('2026-05-12T09:00:00Z'),
        finished_at: new Date('2026-05-12T09:00:05Z'),
        message: 'shared secret unavailable: InvalidToken',
        files: [],
      },
      { id: 2, connection_id: 'c-db', direction: 'sending', status: 'success', started_at: new Date('2026-05-12T10:00:00Z'), finished_at: Date.parse('2026-05-12T10:00:04Z'), files: [] },
    ];
    const report = diagnose(pack, { events: rows }, { now: new Date(NOW) });
    const c = report.connections[0]!;
    expect([c.key, c.name, c.state, c.lastFailure, report.diagnoses[0]?.state, report.stats.problems]).toEqual(['c-db', 'From the database', 'healthy', '2026-05-12T09:00:05.000Z', 'resolved', []]);
  });

  it('tracks at most 20,000 connections and says how many attempts of further ones were only counted', () => {
    const events = Array.from({ length: 20_050 }, (_, i) => event(`e${i}`, `c-${i}`, 'success', '2026-05-12T11:00:00Z'));
    const report = diagnose(pack, { events }, { now: NOW });
    const p = report.stats.problems.find((x) => x.code === 'CONNECTIONS_OVER_LIMIT');
    expect([report.connections.length, report.stats.events.read, p?.message]).toEqual([20_000, 20_050, expect.stringContaining(': 50 attempts of further connections')]);
  });

  it('an unparsable time is a problem with its place, not an event from 1970', () => {
    const report = diagnose(pack, { events: [{ connectionId: 'c-bad', direction: 'sending', status: 'success', startedAt: 'yesterday', files: [] }] }, { now: NOW });
    expect([report.connections.length, report.stats.events.invalid, report.stats.problems[0]?.code, report.stats.problems[0]?.line]).toEqual([0, 1, 'EVENT_INVALID', 1]);
    expect(report.diagnoses.some((d) => d.summary.includes('1970'))).toBe(false);
  });

  it('connectionStatus() answers for one connection: state, active and resolved diagnoses, peers', () => {
    const events = [
      event('1', 'c-1', 'failure', '2026-05-12T09:00:00Z', { message: 'shared secret unavailable: InvalidToken', sharedId: 'S-1' }),
      event('2', 'c-1', 'success', '2026-05-12T10:00:00Z', { sharedId: 'S-1' }),
      { ...event('3', 'r-1', 'success', '2026-05-12T10:01:00Z', { sharedId: 'S-1' }), direction: 'receiving' },
    ];
    const s = connectionStatus(pack, { events }, 'c-1', { now: NOW });
    expect([s.connection?.state, s.active.length, s.resolved.map((d) => d.ruleId), s.peers.map((p) => p.key)]).toEqual(['healthy', 0, ['shared-secret-invalid-token'], ['r-1']]);
  });
});

describe('what logs can and cannot say', () => {
  it('a connection seen only in logs is never stale, however old its last line', async () => {
    const old = write('old.log', completed('01:00:00', 'c-old').replace('2026-05-12', '2026-04-01') + '\n');
    const report = json(await run(['diagnose', old, '--now', NOW, '--format', 'json']));
    expect([report.connections[0]?.state, report.diagnoses.map((d) => d.ruleId)]).toEqual(['healthy', []]);
  });

  it('an outcome line that names no connection is counted and attributes nothing', async () => {
    const f = write('anon.log', [senderLine('09:00:00', 'sync completed'), completed('09:01:00', 'c-7'), senderLine('09:02:00', 'sync completed for shared_id=S-9')].join('\n') + '\n');
    const report = json(await run(['diagnose', f, '--now', NOW, '--format', 'json']));
    expect([report.stats.linesRead, report.stats.linesUnmatched, report.connections.map((c) => c.key)]).toEqual([3, 3, ['c-7', 'shared:S-9:sending']]);
  });

  it('Markdown and HTML open with the connection overview and keep resolved diagnoses apart', async () => {
    const log = write('md.log', [invalidToken('09:00:00', 'c-1'), completed('09:10:00', 'c-1'), invalidToken('09:11:00', 'c-2')].join('\n') + '\n');
    const md = (await run(['diagnose', log, '--now', NOW, '--format', 'markdown'])).stdout;
    expect(md.indexOf('## Connections (1 failing, 1 healthy)')).toBeLessThan(md.indexOf('## ERROR'));
    expect(md).toMatch(/\| failing \| c-2 \| sending \|/);
    const html = (await run(['diagnose', log, '--now', NOW, '--format', 'html'])).stdout;
    expect(html).toMatch(/<tr class="failing"><td>failing<\/td><td>c-2<\/td>/);
    const single = write('md2.log', [invalidToken('09:00:00', 'c-1'), completed('09:10:00', 'c-1')].join('\n') + '\n');
    const md2 = (await run(['diagnose', single, '--now', NOW, '--format', 'markdown'])).stdout;
    expect(md2).toMatch(/No active failure\.[\s\S]*## Resolved \(1\)\n\n[^\n]*\n\n- ~~/);
  });
});

describe('a deployment check and the log failure it causes', () => {
  const probe = (label: string) => ({
    kind: 'probe' as const,
    probe: 'object-store-label',
    target: label,
    outcome: 'missing',
    message: `object-store label ${label} is configured for SCS but not for the Registry Service`,
    fields: { label, configuredIn: 'scs', missingIn: 'registry' },
    time: '2026-05-12T09:00:00Z',
  });
  const log = (label: string, line: number) => ({
    kind: 'log' as const,
    format: 'python' as const,
    level: 'error' as const,
    side: 'sending' as const,
    time: '2026-05-12T09:10:00.000Z',
    message: `sync failed connection_id=c-3: connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label '${label}'`,
    fields: {},
    connectionId: 'c-3',
    source: { file: 'scs.log', line, endLine: line },
  });

  it('are linked when they name the same label, and not when the labels differ', () => {
    const report = diagnose(pack, { logs: [log('outbox-eu', 1), log('outbox-us', 2)], probes: [probe('outbox-eu')] }, { now: NOW });
    const links = report.diagnoses.map((d) => [d.ruleId, d.params['label'], (d.related ?? []).map((r) => `${r.relation} ${r.ruleId}`)]);
    expect(links).toEqual(
      expect.arrayContaining([
        ['object-store-label-missing', 'outbox-eu', ['consequence bucket-not-configured']],
        ['bucket-not-configured', 'outbox-eu', ['cause object-store-label-missing']],
        ['bucket-not-configured', 'outbox-us', []],
      ]),
    );
  });

  it('the text report says what caused the log failure', async () => {
    const f = write('label.json', JSON.stringify(ReportSchema.parse(diagnose(pack, { logs: [log('outbox-eu', 1)], probes: [probe('outbox-eu')] }, { now: NOW }))));
    const r = await run(['merge', f, '--format', 'text', '--now', NOW]);
    expect(r.stdout).toMatch(/ {2}bucket-not-configured\n {2}Caused by: The object-store label outbox-eu is configured for SCS but not for the Registry Service\. {2}object-store-label-missing\n/);
    expect(r.stdout).toMatch(/ {2}object-store-label-missing\n {2}Causes: The Registry Service has no object-store configuration for label/);
  });
});
