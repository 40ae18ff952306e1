import { describe, expect, it } from 'vitest';
import { compileRules, DiagnosisSession, mergeReports } from '../src/index.js';
import { log, rule } from './helpers.js';

const pack = compileRules([rule({ id: 'beta', signature: { anchors: ['beta failure'] } })]);
const NOW = '2026-05-13T00:00:00Z';

/** A session that read `n` inputs of one matched and one skipped line each, closing each as an adapter does. */
function inputs(n: number, from = 0, close = true): DiagnosisSession {
  const s = new DiagnosisSession(pack, { now: NOW });
  for (let i = from; i < from + n; i++) {
    const name = `bundle.tar:pod-${i}.log`;
    s.input(name);
    s.log(log('beta failure', { source: { file: name, line: 1, endLine: 1 } }));
    s.skip(name, 'blank');
    s.read(name, 2, 40);
    if (close) s.close(name);
  }
  return s;
}

describe('stats.inputs', () => {
  it('lists the first 1,000 inputs and counts the others, their lines in the totals', () => {
    const r = inputs(1005).report();
    const s = r.stats;
    expect([s.inputs.length, s.inputsOmitted, s.inputs.at(-1)!.name, s.linesRead, s.linesMatched, s.linesSkipped, s.skipped['blank'], s.bytesRead, s.records]).toEqual([
      1000,
      5,
      'bundle.tar:pod-999.log',
      2010,
      1005,
      1005,
      1005,
      40200,
      1005,
    ]);
  });

  it('counts an input past the limit that was never closed', () => {
    const s = inputs(1002, 0, false).report().stats;
    expect([s.inputs.length, s.inputsOmitted, s.linesRead]).toEqual([1000, 2, 2004]);
  });

  it('a merge keeps 1,000 inputs, counts the rest and adds the totals', () => {
    const m = mergeReports([inputs(600, 0).report(), inputs(600, 600).report()]).stats;
    expect([m.inputs.length, m.inputsOmitted, m.linesRead, m.linesMatched]).toEqual([1000, 200, 2400, 1200]);
  });
});

describe("a diagnosis' connections and Shared IDs", () => {
  const each = (n: number, over: (i: number) => Record<string, string>) => {
    const s = new DiagnosisSession(pack, { now: NOW });
    for (let i = 0; i < n; i++) s.log(log('beta failure', over(i)));
    return s.report();
  };

  it('names 200 connections and counts the occurrences on the others', () => {
    // 205 connections, the last one twice.
    const d = each(206, (i) => ({ connectionId: `c-${String(Math.min(i, 204)).padStart(3, '0')}` })).diagnoses[0]!;
    expect([d.count, d.connections.length, d.connectionsOmitted]).toEqual([206, 200, 6]);
  });

  it('names 200 Shared IDs and counts the occurrences with the others', () => {
    const d = each(205, (i) => ({ sharedId: `S-${String(i).padStart(3, '0')}` })).diagnoses[0]!;
    expect([d.sharedIds.length, d.sharedIdsOmitted, d.sharedIds[0]]).toEqual([200, 5, 'S-000']);
  });

  it('a merge cuts the union of the lists and counts what it cut', () => {
    const part = (from: number) => {
      const s = new DiagnosisSession(pack, { now: NOW });
      for (let i = from; i < from + 150; i++) s.log(log('beta failure', { connectionId: `c-${String(i).padStart(3, '0')}`, sharedId: `S-${String(i).padStart(3, '0')}` }));
      return s.report();
    };
    const d = mergeReports([part(0), part(150)]).diagnoses[0]!;
    expect([d.count, d.connections.length, d.connectionsOmitted, d.sharedIds.length, d.sharedIdsOmitted]).toEqual([300, 200, 100, 200, 100]);
  });
});
