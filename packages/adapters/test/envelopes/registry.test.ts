/** The registry of log shapes: one file and one table test a shape, stages in order, names unique. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BLOCKS, ENVELOPES, STAGES } from '../../src/envelopes/index.js';

const src = fileURLToPath(new URL('../../src/envelopes/', import.meta.url));
const tests = fileURLToPath(new URL('./', import.meta.url));

describe('the registry of log shapes', () => {
  it('lists the stages in the order the reader asks them', () => {
    const order = ENVELOPES.map((e) => STAGES.indexOf(e.stage));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it.each([...BLOCKS, ...ENVELOPES].map((e) => [e.name]))('%s: its own file and its own table test', (name) => {
    expect([existsSync(`${src}${name}.ts`), existsSync(`${tests}${name}.test.ts`)]).toEqual([true, true]);
  });

  it('lists the journal modes that span lines as block shapes, none of them a per-line shape too', () => {
    expect(BLOCKS.map((b) => b.name)).toEqual(['journald-export', 'journald-verbose']);
    expect(ENVELOPES.filter((e) => BLOCKS.some((b) => b.name === e.name))).toEqual([]);
  });

  it('names each shape once', () => {
    const names = [...BLOCKS, ...ENVELOPES].map((e) => e.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});
