/**
 * The library's entry point checks its arguments: bad input held in memory (null, wrong types,
 * records built by hand) is a problem of the report, never a TypeError that loses the call; only a
 * missing rule pack, without which nothing can be judged, is a typed error.
 */
import { describe, expect, it } from 'vitest';
import { compileRules, diagnose, type DiagnoseInput, type RulePack } from '../src/internal.js';
import { rule } from './helpers.js';

const pack = compileRules([rule({ id: 'boom', signature: { anchors: ['boom'] } })]);
const NOW = { now: '2026-05-12T12:00:00Z' };
const GOOD = { kind: 'log', message: 'boom', fields: {}, format: 'python', source: { file: 'a.log', line: 1, endLine: 1 }, time: '2026-05-12T10:00:00Z' };

describe('diagnose() arguments', () => {
  it.each([
    ['null input', null, ['RECORD_INVALID']],
    ['a number as input', 5, ['RECORD_INVALID']],
    ['logs as a number', { logs: 5 }, ['RECORD_INVALID']],
    ['probes as a string', { probes: 7 }, ['RECORD_INVALID']],
    ['a null probe', { probes: [null] }, ['RECORD_INVALID']],
    ['a hand-built event record with a null event body', { events: [{ kind: 'event', event: { connectionId: null }, source: {} }] }, ['EVENT_INVALID']],
    ['a log record with null fields', { logs: [{ ...GOOD, fields: null }] }, ['RECORD_INVALID']],
  ])('%s is a problem of the report', (_name, input, codes) => {
    const r = diagnose(pack, input as unknown as DiagnoseInput, NOW);
    expect(r.stats.problems.map((p) => p.code)).toEqual(codes);
  });

  it('good records beside bad ones are still diagnosed', () => {
    const r = diagnose(pack, { logs: [null, GOOD] }, NOW);
    expect([r.diagnoses.map((d) => d.ruleId), r.stats.problems.length]).toEqual([['boom'], 1]);
  });

  it('null options are the defaults', () => {
    expect(diagnose(pack, { logs: [] }, null as never).diagnoses).toEqual([]);
  });

  it.each([[null], [{}], ['pack']])('a missing rule pack (%s) is OPTION_INVALID', (p) => {
    expect(() => diagnose(p as unknown as RulePack, { logs: [] })).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
  });
});
