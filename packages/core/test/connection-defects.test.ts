/**
 * Defects of the connection model a host app found: `files` as JSON text, a diagnosis shared by a
 * recovered and a failing connection, an unreadable `now`, and a log line counted beside the
 * history event of the same attempt.
 */
import { describe, expect, it } from 'vitest';
import { compileRules, connectionStatus, diagnose, DiagnosisSession, render } from '../src/internal.js';
import { log, rule } from './helpers.js';

const NOW = { now: '2026-05-12T12:00:00Z' };

describe('files given as JSON text (a database JSON column read as a string)', () => {
  const pack = compileRules([rule({ id: 'file-failed', signature: { anchors: ['text no event has'] }, files: { conditions: { all: [{ fact: 'outcome', operator: 'equal', value: 'failed' }] } } })]);
  const ev = (files: unknown) => ({ connection_id: 'c-1', status: 'success', started_at: '2026-05-12T10:00:00Z', finished_at: '2026-05-12T10:00:05Z', files });

  it('is parsed, so the file rules read its files', () => {
    const r = diagnose(pack, { events: [ev('[{"name":"a.step","status":"failed"}]')] }, NOW);
    expect([r.diagnoses.map((d) => [d.ruleId, d.params['fileName']]), r.stats.problems]).toEqual([[['file-failed', 'a.step']], []]);
  });

  it.each([
    ['text that is not JSON', '[{"name":"a.step",'],
    ['JSON that is not a list', '{"name":"a.step"}'],
  ])('%s is an EVENT_INVALID problem naming the field', (_name, files) => {
    const r = diagnose(pack, { events: [ev(files)] }, NOW);
    expect(r.stats.problems.map((p) => [p.code, p.message.startsWith('files: JSON text'), p.line])).toEqual([['EVENT_INVALID', true, 1]]);
  });
});

describe('a diagnosis shared by a recovered and a failing connection', () => {
  const pack = compileRules([rule({ id: 'label-missing', signature: { anchors: ['No RSS object-store configuration for label'], pattern: "label '(?<label>[\\w-]+)'" }, groupBy: ['label'] })]);
  const fail = (c: string, at: string) => ({ connectionId: c, status: 'failure', startedAt: at, finishedAt: at, message: "No RSS object-store configuration for label 'east'" });
  const ok = (c: string, at: string) => ({ connectionId: c, status: 'success', startedAt: at, finishedAt: at });
  const input = { events: [fail('c-1', '2026-05-12T10:00:00Z'), ok('c-1', '2026-05-12T10:10:00Z'), fail('c-2', '2026-05-12T10:00:00Z'), fail('c-2', '2026-05-12T10:10:00Z')] };

  it('is active (one connection keeps it) but listed as active only on the failing connection', () => {
    const r = diagnose(pack, input, NOW);
    const by = Object.fromEntries(r.connections.map((c) => [c.key, [c.state, c.activeDiagnoses, c.diagnoses.length]]));
    expect([r.diagnoses.map((d) => d.state), by]).toEqual([['active'], { 'c-1': ['healthy', [], 1], 'c-2': ['failing', ['label-missing'], 1] }]);
  });

  it('connectionStatus gives it as resolved for the recovered connection, active for the failing one', () => {
    const one = connectionStatus(pack, input, 'c-1', NOW);
    const two = connectionStatus(pack, input, 'c-2', NOW);
    expect([one.active.length, one.resolved.map((d) => d.ruleId), two.active.map((d) => d.ruleId), two.resolved.length]).toEqual([0, ['label-missing'], ['label-missing'], 0]);
  });

  it.each(['text', 'markdown', 'html'] as const)('the %s report shows it active on the failing connection, recovered on the other', (format) => {
    const out = render(diagnose(pack, input, NOW), format);
    // The summary and the card mark c-1 recovered, never c-2.
    expect([out.includes('c-1 (recovered)'), out.includes('c-2 (recovered)')]).toEqual([true, false]);
  });

  it('the connections overview lists the rule as active on c-2 only', () => {
    const md = render(diagnose(pack, input, NOW), 'markdown').split('\n');
    const row = (id: string) => md.find((l) => l.includes(`| ${id} |`) && !l.includes('Rule label-missing')) ?? '';
    expect([row('c-1').includes('label-missing'), row('c-2').includes('label-missing')]).toEqual([false, true]);
  });
});

describe('an unreadable `now`', () => {
  const pack = compileRules([rule({ id: 'boom', signature: { anchors: ['boom'] } })]);
  it.each([['yesterday'], [Number.NaN], [new Date('not a date')], [''], [{}]])('%s is OPTION_INVALID naming now', (now) => {
    const opts = { now: now as never };
    for (const call of [() => new DiagnosisSession(pack, opts), () => diagnose(pack, { logs: [] }, opts), () => connectionStatus(pack, { logs: [] }, 'c-1', opts)]) {
      expect(call).toThrow(expect.objectContaining({ code: 'OPTION_INVALID', message: expect.stringContaining('now') }));
    }
  });

  it('a readable one (ISO, epoch, Date) is taken', () => {
    for (const now of ['2026-05-12T12:00:00Z', Date.parse('2026-05-12T12:00:00Z'), new Date('2026-05-12T12:00:00Z')]) {
      expect(new DiagnosisSession(pack, { now }).report().judged.now).toBe('2026-05-12T12:00:00.000Z');
    }
  });
});

describe('attempts, not records, in a row', () => {
  const pack = compileRules([rule({ id: 'boom', signature: { anchors: ['boom'] }, groupBy: ['connectionId'] })]);
  const event = (id: string, start: string, end: string) => ({ id, connectionId: 'c-9', direction: 'sending', status: 'failure', startedAt: start, finishedAt: end, message: 'boom' });

  it('a log line within the time of a history event of its connection is not another attempt', () => {
    const r = diagnose(
      pack,
      {
        logs: [log('sync failed connection_id=c-9: boom', { time: '2026-05-12T10:00:01.000Z' }), log('sync failed connection_id=c-9: boom', { time: '2026-05-12T10:05:01.400Z' })],
        events: [event('e1', '2026-05-12T10:00:00Z', '2026-05-12T10:00:01Z'), event('e2', '2026-05-12T10:05:00Z', '2026-05-12T10:05:01Z')],
      },
      NOW,
    );
    const c = r.connections.find((x) => x.key === 'c-9')!;
    // count is what was matched: two log lines and two events.
    expect([c.attempts, c.failures, c.consecutiveFailures, c.recent.map((a) => a.source), r.diagnoses.reduce((n, d) => n + d.count, 0)]).toEqual([2, 2, 2, ['event', 'event'], 4]);
  });

  it('a log line outside every event of its connection still is an attempt', () => {
    const r = diagnose(pack, { logs: [log('sync failed connection_id=c-9: boom', { time: '2026-05-12T11:00:00.000Z' })], events: [event('e1', '2026-05-12T10:00:00Z', '2026-05-12T10:00:01Z')] }, NOW);
    const c = r.connections.find((x) => x.key === 'c-9')!;
    expect([c.attempts, c.consecutiveFailures, c.newestEvent?.source]).toEqual([2, 2, 'log']);
  });

  it('without a history, the failure lines of one attempt (seconds apart) count once', () => {
    const s = new DiagnosisSession(pack, NOW);
    for (const t of ['10:00:31', '10:00:32', '10:05:31', '10:05:32']) s.log(log('connection failed connection_id=r-1: boom', { time: `2026-05-12T${t}.000Z` }));
    const c = s.report().connections.find((x) => x.key === 'r-1')!;
    expect([c.attempts, c.failures, c.consecutiveFailures, c.failingSince]).toEqual([2, 2, 2, '2026-05-12T10:00:31.000Z']);
  });
});
