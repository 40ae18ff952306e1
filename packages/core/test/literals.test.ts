/**
 * The prefilter's literal scanner against the obvious search: a literal it misses is a diagnosis
 * lost, so every occurrence of every literal must be found, whatever the set looks like (one
 * window for all, short literals searched apart, one-character literals, characters past 255).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { literalScanner } from '../src/internal.js';

/** Every (literal index, start) of an occurrence, sorted. */
function occurrences(literals: readonly string[], s: string): [number, number][] {
  const out: [number, number][] = [];
  literals.forEach((l, i) => {
    for (let at = s.indexOf(l); at >= 0; at = s.indexOf(l, at + 1)) out.push([i, at]);
  });
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

const unit = fc.constantFrom('a', 'b', 'E', 'R', 'O', ' ', '"', '\\', ':', 'é', '€', 'x');
const literalArb = fc.string({ unit, minLength: 1, maxLength: 14 });
const setArb = fc.oneof(
  fc.array(literalArb, { minLength: 1, maxLength: 12 }),
  // A few short ones among long ones: the split scanner.
  fc.tuple(fc.array(fc.string({ unit, minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 3 }), fc.array(fc.string({ unit, minLength: 7, maxLength: 20 }), { minLength: 1, maxLength: 8 })).map(([a, b]) => [...a, ...b]),
  // Only long ones: one long window.
  fc.array(fc.string({ unit, minLength: 9, maxLength: 24 }), { minLength: 1, maxLength: 30 }),
);
const caseArb = setArb.chain((lits) =>
  fc.record({
    lits: fc.constant(lits),
    text: fc.array(fc.oneof(fc.string({ unit, maxLength: 8 }), fc.constantFrom(...lits)), { maxLength: 30 }).map((parts) => parts.join('')),
  }),
);

describe('literalScanner', () => {
  it('reports every occurrence (each), in any set and text', () => {
    fc.assert(
      fc.property(caseArb, ({ lits, text }) => {
        const sc = literalScanner(lits);
        const found: [number, number][] = [];
        sc.each(text, (i, start) => found.push([i, start]));
        found.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
        expect(found).toEqual(occurrences(sc.literals, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('tests and positions agree with the occurrences', () => {
    fc.assert(
      fc.property(caseArb, fc.array(fc.nat(), { maxLength: 3 }), ({ lits, text }, pre) => {
        const sc = literalScanner(lits);
        const occ = occurrences(sc.literals, text);
        expect(sc.test(text)).toBe(occ.length > 0);
        const out = [...pre];
        const pos = sc.positions(text, out).slice(pre.length);
        expect(out.slice(0, pre.length)).toEqual(pre);
        // Ascending, each inside an occurrence, and every occurrence holds one of them.
        expect(pos).toEqual([...new Set(pos)].sort((a, b) => a - b));
        const inside = (p: number) => occ.some(([i, st]) => p >= st && p < st + sc.literals[i]!.length);
        expect(pos.every(inside)).toBe(true);
        for (const [i, st] of occ) expect(pos.some((p) => p >= st && p < st + sc.literals[i]!.length)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('reports the same positions scanning bytes (latin1) as scanning the string', () => {
    const byteUnit = fc.constantFrom('a', 'b', 'E', 'R', 'O', ' ', '"', '\\', ':', 'é', '\u0000', '\u00ff', 'x');
    const latin1Case = fc
      .array(fc.string({ unit: byteUnit, minLength: 1, maxLength: 16 }), { minLength: 1, maxLength: 12 })
      .chain((lits) => fc.record({ lits: fc.constant(lits), text: fc.array(fc.oneof(fc.string({ unit: byteUnit, maxLength: 40 }), fc.constantFrom(...lits)), { maxLength: 40 }).map((p) => p.join('')), pad: fc.nat({ max: 5 }) }));
    fc.assert(
      fc.property(latin1Case, ({ lits, text, pad }) => {
        const sc = literalScanner(lits);
        const bytes = new Uint8Array(pad + text.length + pad);
        for (let i = 0; i < text.length; i++) bytes[pad + i] = text.charCodeAt(i);
        expect(sc.positions(text, [], bytes, pad)).toEqual(sc.positions(text, []));
      }),
      { numRuns: 3000 },
    );
  });

  it('lists apart, in the same scan, the positions of every literal but the weak ones', () => {
    const weakCase = caseArb.chain(({ lits, text }) => fc.record({ lits: fc.constant(lits), text: fc.constant(text), weak: fc.subarray(lits), pad: fc.nat({ max: 3 }) }));
    fc.assert(
      fc.property(weakCase, ({ lits, text, weak, pad }) => {
        const weakSet = new Set(weak);
        const sc = literalScanner(lits, weakSet);
        const occ = occurrences(sc.literals, text).filter(([i]) => !weakSet.has(sc.literals[i]!));
        const inside = (p: number) => occ.some(([i, st]) => p >= st && p < st + sc.literals[i]!.length);
        const latin1 = [...text].every((c) => c.charCodeAt(0) < 256);
        const bytes = new Uint8Array(pad + text.length);
        for (let i = 0; i < text.length; i++) bytes[pad + i] = text.charCodeAt(i);
        for (const viaBytes of latin1 ? [false, true] : [false]) {
          const strong = [7];
          const all = viaBytes ? sc.positions(text, [], bytes, pad, strong) : sc.positions(text, [], undefined, 0, strong);
          const pos = strong.slice(1);
          expect(strong[0]).toBe(7);
          expect(pos).toEqual([...new Set(pos)].sort((a, b) => a - b));
          expect(pos.every(inside)).toBe(true);
          for (const [i, st] of occ) expect(pos.some((p) => p >= st && p < st + sc.literals[i]!.length)).toBe(true);
          // The full list is the one positions() gives without the strong list.
          expect(all).toEqual(sc.positions(text, []));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('drops duplicates and empty strings', () => {
    expect(literalScanner(['abc', '', 'abc', 'xyz']).literals).toEqual(['abc', 'xyz']);
  });

  it('finds nothing with no literals', () => {
    expect(literalScanner([]).test('anything')).toBe(false);
  });
});
