/**
 * Literal-set helpers for the prefilter: find any of many strings in a text, fast.
 *
 * `literalScanner` is the scanner the engine and the readers use: a Wu-Manber search (skip
 * table over two-character blocks) whose cost per byte does not grow with the number of
 * literals, so a pack of 1,000 rules scans nearly as fast as a pack of ten. A V8 regex over
 * a large alternation does not scale that way (measured: 290 MB/s for 10 rules, 13 MB/s for
 * 1,000; docs/benchmarks.md). `literalAlternation` remains for callers that want a regex.
 */

export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

interface Trie {
  [ch: string]: Trie | true;
}

function emit(node: Trie): string {
  const keys = Object.keys(node).filter((k) => k !== '');
  const end = Object.prototype.hasOwnProperty.call(node, '');
  const alts = keys.map((k) => escapeRegex(k) + emit(node[k] as Trie));
  if (alts.length === 0) return '';
  // A literal ending here and a longer one continuing: the shorter is enough for a hit.
  if (end) return '';
  if (alts.length === 1) return alts[0]!;
  return `(?:${alts.join('|')})`;
}

/**
 * Builds one regex source matching any of the literals, factored as a trie so that V8 does not
 * retry every alternative at every position.
 */
export function literalAlternation(literals: readonly string[]): string {
  const root: Trie = Object.create(null) as Trie;
  for (const lit of new Set(literals)) {
    if (lit === '') continue;
    let node = root;
    for (const ch of lit) {
      let next = node[ch];
      if (next === undefined || next === true) {
        next = Object.create(null) as Trie;
        node[ch] = next;
      }
      node = next;
    }
    node[''] = true;
  }
  return emit(root);
}

/**
 * Go's encoding/json, as Docker's json-file driver writes the `log` field: `<`, `>`, `&`,
 * U+2028/U+2029 and every control character but \n and \r as `\uXXXX`, the rest raw.
 */
function goQuoted(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || c === '<' || c === '>' || c === '&' || c === '\u2028' || c === '\u2029') out += '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
  }
  return out;
}

/**
 * The forms a literal takes once producers have JSON-encoded it, once and twice: JSON.stringify
 * (pino), Python's json.dumps with ensure_ascii (non-ASCII as \uXXXX), and Docker's json-file
 * writer around any of them (Go's escaping of `<`, `>`, `&` and control characters).
 */
export function encodedForms(literal: string): string[] {
  const once = JSON.stringify(literal).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const asciiOnce = once.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  const asciiTwice = JSON.stringify(asciiOnce).slice(1, -1);
  return [...new Set([literal, once, twice, asciiOnce, asciiTwice, goQuoted(literal), goQuoted(once), goQuoted(asciiOnce)])];
}

/** The byte string (one char per byte) of a literal's UTF-8 encoding, for scanning undecoded input. */
export function utf8AsLatin1(literal: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(literal)) out += String.fromCharCode(b);
  return out;
}

/**
 * How often a character appears in log text, roughly (higher is more common). Only used to pick,
 * in each literal, the window whose blocks are rarest: a rare window keeps common blocks out of
 * the skip table, so the scan takes long strides. Any table gives correct results.
 */
const COMMONNESS = (() => {
  const t = new Float64Array(256).fill(0.3);
  const set = (chars: string, f: number) => {
    for (const ch of chars) t[ch.charCodeAt(0)] = f;
  };
  set('abcdefghijklmnopqrstuvwxyz', 6);
  set('etaoinsr', 9);
  set(' ', 15);
  set('0123456789', 5);
  set('.:-/_=,"', 4);
  set('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1.5);
  set("[](){}'\\", 1.5);
  return t;
})();

/** Longest window used; a longer one allows longer strides but puts more blocks in the skip table. */
const MAX_WINDOW = 12;

/** Finds occurrences of a fixed set of literals. */
export interface LiteralScanner {
  readonly literals: readonly string[];
  /**
   * Appends to `out` one position inside each occurrence of any literal, ascending; several
   * literals occurring at once may be reported as one position. Returns `out`.
   */
  positions(s: string, out?: number[]): number[];
  /** Whether any literal occurs in `s`. */
  test(s: string): boolean;
  /** Calls `fn` with the index (in `literals`) of every literal occurrence in `s`, and its start. */
  each(s: string, fn: (index: number, start: number) => void): void;
}

/**
 * Wu-Manber over latin1 (or any) strings. Each literal contributes one window of `m`
 * characters (its rarest); the skip table says, for the two characters ending at a text
 * position, how far the end of a window can be from there. A zero skip means a window may end
 * here: its literals are verified with `startsWith`.
 */
class WuManber implements LiteralScanner {
  readonly literals: readonly string[];
  private readonly m: number;
  private readonly shift: Uint8Array;
  /** Per block: first candidate (index into the cand* arrays) + 1, or 0. */
  private readonly head: Int32Array;
  private readonly candNext: Int32Array;
  private readonly candLit: Int32Array;
  /** Distance from the window's last character back to the literal's start. */
  private readonly candBack: Int32Array;

  constructor(literals: readonly string[], m: number) {
    this.literals = literals;
    this.m = m;
    const shift = new Uint8Array(65536).fill(m - 1);
    const head = new Int32Array(65536);
    const n = literals.length;
    this.candNext = new Int32Array(n);
    this.candLit = new Int32Array(n);
    this.candBack = new Int32Array(n);
    literals.forEach((lit, li) => {
      let best = 0;
      let bestScore = Infinity;
      for (let w = 0; w + m <= lit.length; w++) {
        let score = 0;
        for (let j = w; j < w + m - 1; j++) score += COMMONNESS[lit.charCodeAt(j) & 255]! * COMMONNESS[lit.charCodeAt(j + 1) & 255]!;
        if (score < bestScore) {
          bestScore = score;
          best = w;
        }
      }
      for (let j = 0; j < m - 1; j++) {
        const b = ((lit.charCodeAt(best + j) & 255) << 8) | (lit.charCodeAt(best + j + 1) & 255);
        const sh = m - 2 - j;
        if (sh < shift[b]!) shift[b] = sh;
      }
      const last = ((lit.charCodeAt(best + m - 2) & 255) << 8) | (lit.charCodeAt(best + m - 1) & 255);
      this.candLit[li] = li;
      this.candBack[li] = best + m - 1;
      this.candNext[li] = head[last]!;
      head[last] = li + 1;
    });
    this.shift = shift;
    this.head = head;
  }

  positions(s: string, out: number[] = []): number[] {
    const { shift, head, candNext, candBack } = this;
    const lits = this.literals;
    const n = s.length;
    let i = this.m - 1;
    while (i < n) {
      const b = ((s.charCodeAt(i - 1) & 255) << 8) | (s.charCodeAt(i) & 255);
      const sh = shift[b]!;
      if (sh !== 0) {
        i += sh;
        continue;
      }
      for (let c = head[b]!; c !== 0; c = candNext[c - 1]!) {
        const start = i - candBack[c - 1]!;
        if (start >= 0 && s.startsWith(lits[c - 1]!, start)) {
          out.push(i);
          break;
        }
      }
      i++;
    }
    return out;
  }

  test(s: string): boolean {
    const { shift, head, candNext, candBack } = this;
    const lits = this.literals;
    const n = s.length;
    let i = this.m - 1;
    while (i < n) {
      const b = ((s.charCodeAt(i - 1) & 255) << 8) | (s.charCodeAt(i) & 255);
      const sh = shift[b]!;
      if (sh !== 0) {
        i += sh;
        continue;
      }
      for (let c = head[b]!; c !== 0; c = candNext[c - 1]!) {
        const start = i - candBack[c - 1]!;
        if (start >= 0 && s.startsWith(lits[c - 1]!, start)) return true;
      }
      i++;
    }
    return false;
  }

  each(s: string, fn: (index: number, start: number) => void): void {
    const { shift, head, candNext, candBack } = this;
    const lits = this.literals;
    const n = s.length;
    let i = this.m - 1;
    while (i < n) {
      const b = ((s.charCodeAt(i - 1) & 255) << 8) | (s.charCodeAt(i) & 255);
      const sh = shift[b]!;
      if (sh !== 0) {
        i += sh;
        continue;
      }
      for (let c = head[b]!; c !== 0; c = candNext[c - 1]!) {
        const start = i - candBack[c - 1]!;
        if (start >= 0 && s.startsWith(lits[c - 1]!, start)) fn(c - 1, start);
      }
      i++;
    }
  }
}

/** For sets holding a one-character literal, where blocks of two do not apply. */
class IndexOfScanner implements LiteralScanner {
  constructor(readonly literals: readonly string[]) {}

  positions(s: string, out: number[] = []): number[] {
    const found: number[] = [];
    this.each(s, (_i, start) => found.push(start));
    found.sort((a, b) => a - b);
    for (const p of found) if (out.length === 0 || out[out.length - 1] !== p) out.push(p);
    return out;
  }

  test(s: string): boolean {
    return this.literals.some((l) => s.includes(l));
  }

  each(s: string, fn: (index: number, start: number) => void): void {
    this.literals.forEach((l, i) => {
      for (let at = s.indexOf(l); at >= 0; at = s.indexOf(l, at + 1)) fn(i, at);
    });
  }
}

/**
 * Builds a scanner for a set of non-empty literals (duplicates and empty strings are dropped;
 * `literals` of the result lists the ones kept, in first-seen order).
 * @example literalScanner(['InvalidToken', 'NoSuchKey']).test('…: InvalidToken') // true
 */
export function literalScanner(literals: readonly string[]): LiteralScanner {
  const kept = [...new Set(literals)].filter((l) => l !== '');
  let min = Infinity;
  for (const l of kept) min = Math.min(min, l.length);
  if (kept.length === 0 || min < 2) return new IndexOfScanner(kept);
  return new WuManber(kept, Math.min(min, MAX_WINDOW));
}
