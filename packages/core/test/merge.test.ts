import { describe, expect, it } from 'vitest';
import { compileRules, diagnose, mergeReports, parseReport, ScsDoctorError } from '../src/internal.js';
import { log, rule } from './helpers.js';

const pack = compileRules([rule({ id: 'a', signature: { anchors: ['alpha failure'], pattern: 'alpha failure (?<n>\\w+)' }, groupBy: ['n'] }), rule({ id: 'b', signature: { anchors: ['beta failure'] } })]);

const records = [
  log('alpha failure one', { time: '2026-05-12T10:00:00Z', level: 'error' }),
  log('beta failure', { time: '2026-05-12T09:00:00Z' }),
  log('alpha failure two', { time: '2026-05-12T11:00:00Z' }),
  log('unknown failure 1', { level: 'error', time: '2026-05-12T08:00:00Z' }),
  log('alpha failure one', { time: '2026-05-12T12:00:00Z' }),
  log('beta failure', { time: '2026-05-12T13:00:00Z' }),
  log('unknown failure 2', { level: 'error', time: '2026-05-12T14:00:00Z' }),
];

describe('mergeReports', () => {
  it('merges shard reports into the report of the whole', () => {
    const whole = diagnose(pack, { logs: records });
    const merged = mergeReports([diagnose(pack, { logs: records.slice(0, 3) }), diagnose(pack, { logs: records.slice(3) })]);
    expect(merged.diagnoses).toEqual(whole.diagnoses);
    expect(merged.unmatched).toEqual(whole.unmatched);
    expect(merged.stats.linesMatched).toBe(whole.stats.linesMatched);
  });

  it('does not depend on the order of the shards, samples and words included', () => {
    const whole = diagnose(pack, { logs: [...records].reverse() });
    const merged = mergeReports([diagnose(pack, { logs: records.slice(3) }), diagnose(pack, { logs: records.slice(0, 3) })]);
    expect([merged.diagnoses, merged.unmatched]).toEqual([whole.diagnoses, whole.unmatched]);
  });

  it('widens first and last seen', () => {
    const merged = mergeReports([diagnose(pack, { logs: [records[1]!] }), diagnose(pack, { logs: [records[5]!] })]);
    expect([merged.diagnoses[0]!.firstSeen, merged.diagnoses[0]!.lastSeen, merged.diagnoses[0]!.count]).toEqual(['2026-05-12T09:00:00.000Z', '2026-05-12T13:00:00.000Z', 2]);
  });

  it("keeps a connection's keys in the report's order when only a later part knows its name", () => {
    // A part that read only log lines knows the id; the part with the sync history also knows the name.
    const failure = (time: string) => log('beta failure', { time, connectionId: 'c-1' });
    const event = { connectionId: 'c-1', connectionName: 'Acme → Globex', status: 'failure' as const, startedAt: '2026-05-12T08:00:00.000Z', message: 'beta failure', files: [] };
    const whole = diagnose(pack, { logs: [failure('2026-05-12T13:00:00Z')], events: [event] });
    const merged = mergeReports([diagnose(pack, { logs: [failure('2026-05-12T13:00:00Z')] }), diagnose(pack, { events: [event] })]);
    expect(JSON.stringify(merged.diagnoses[0]!.connections)).toBe(JSON.stringify(whole.diagnoses[0]!.connections));
    expect(Object.keys(merged.diagnoses[0]!.connections[0]!)).toEqual(['id', 'name', 'lastSeen']);
  });

  it('refuses a document that is not a report', () => {
    expect(() => parseReport({ schemaVersion: 1, diagnoses: 'x' }, 'r.json')).toThrow(ScsDoctorError);
  });

  it('round-trips through JSON', () => {
    const r = diagnose(pack, { logs: records });
    expect(parseReport(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });
});
