/**
 * The JSON report written piece by piece is the same text as JSON.stringify's, and no piece grows
 * with the number of connections or inputs (a report with millions of them is longer than the
 * longest string V8 can make: "Invalid string length").
 */
import { describe, expect, it } from 'vitest';
import { compileRules, diagnose, renderJson, renderJsonPieces, type Report } from '../src/internal.js';
import { log, rule } from './helpers.js';

const pack = compileRules([rule({ id: 'boom', signature: { anchors: ['boom'], pattern: 'boom (?<what>.+)$' }, summary: 'Boom {{what}}' })]);
const small = diagnose(pack, { logs: [log('boom "quoted"\nline two \u2028 ok', { time: '2026-05-12T10:00:00Z', connectionId: 'c-1' })] }, { now: '2026-05-12T12:00:00Z' });

describe('renderJsonPieces', () => {
  it('gives the text of renderJson', () => {
    expect([...renderJsonPieces(small)].join('')).toBe(renderJson(small));
  });

  it('a report with 100,000 inputs: the same text, no piece over a few KB', () => {
    const input = small.stats.inputs[0] ?? { name: 'x', kind: 'logs', bytesRead: 0, linesRead: 0, linesMatched: 0, linesUnmatched: 0, linesSkipped: 0, skipped: {}, records: 0, formats: {}, truncatedLines: 0 };
    const big: Report = { ...small, stats: { ...small.stats, inputs: Array.from({ length: 100_000 }, (_, i) => ({ ...input, name: `bundle.tar:logs/${i}.log` })) } };
    let longest = 0;
    let text = '';
    for (const p of renderJsonPieces(big)) {
      longest = Math.max(longest, p.length);
      text += p;
    }
    expect([text === renderJson(big), longest < 4096]).toEqual([true, true]);
  });
});
