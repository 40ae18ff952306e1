/**
 * Literal-set helpers for the prefilter: find any of many strings in a text, fast.
 *
 * `literalScanner` is the scanner the engine and the readers use: a Wu-Manber search (skip
 * table over two-character blocks) whose cost per byte does not grow with the number of
 * literals, so a pack of 1,000 rules scans nearly as fast as a pack of ten. A V8 regex over
 * a large alternation does not scale that way (measured: 290 MB/s for 10 rules, 13 MB/s for
 * 1,000; docs/benchmarks.md).
 */

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
/**
 * A few literals shorter than this are searched on their own (V8's indexOf, which skips to the
 * first character's occurrences at memory speed), so that the window, and with it the stride, can
 * be longer for the rest. The built-in pack's raw set has one such literal, `WARN`: alone, it
 * lets the window grow from 4 to 5, and the scan of SCS logs takes a fifth less time (text,
 * JSON lines and the real-density corpus, 127 MB each, same hits; bench/.corpus); on logs of other
 * software it is even. A limit of 7 took seven literals out, more than MAX_SHORT_ALONE.
 */
const SHORT = 5;
const MAX_SHORT_ALONE = 3;

/** Finds occurrences of a fixed set of literals. */
export interface LiteralScanner {
  readonly literals: readonly string[];
  /**
   * Appends to `out` one position inside each occurrence of any literal, ascending; several
   * literals occurring at once may be reported as one position. Returns `out`.
   * `bytes` from `offset` on may hold `s` once more, one byte per character (its latin1
   * encoding, as readers of raw input have it): then the bytes are scanned, which is faster.
   * `strong`, when given, gets in the same pass the positions (ascending) of the occurrences of
   * the literals outside the scanner's weak set (see literalScanner): every such occurrence holds
   * one of them, and each lies inside one. A reader asks it to know, without a second scan,
   * whether a line holds anything but weak literals.
   */
  positions(s: string, out?: number[], bytes?: Uint8Array, offset?: number, strong?: number[]): number[];
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
/** Appends `src` to `dst` (one function for both lists of positionsInBytes: its feedback is never missing). */
function appendAll(dst: number[], src: number[]): void {
  for (let k = 0; k < src.length; k++) dst.push(src[k]!);
}

/** A hash of a window's last block and the block before it, for WuManber's `pairs`. */
function pairHash(last: number, before: number): number {
  return Math.imul((before << 16) | last, 0x9e3779b1) >>> 16;
}

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
  /**
   * Per hash of a window's last two blocks (pairHash), 1 when some literal's window ends so: most
   * windows whose last block is a candidate's are not a literal's, and this one look-up turns them
   * away without walking the candidates (in plain text, ~12 such windows a hit).
   */
  private readonly pairs: Uint8Array;
  /** Per literal, 1 when it is weak (positions' `strong` leaves it out). */
  private readonly weak: Uint8Array;

  constructor(literals: readonly string[], m: number, weak?: ReadonlySet<string>) {
    this.literals = literals;
    this.m = m;
    this.weak = Uint8Array.from(literals, (l) => (weak?.has(l) ? 1 : 0));
    const shift = new Uint8Array(65536).fill(m - 1);
    const head = new Int32Array(65536);
    // A window shorter than two blocks has no block before its last: nothing is turned away.
    const pairs = new Uint8Array(65536).fill(m >= 4 ? 0 : 1);
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
      if (m >= 4) pairs[pairHash(last, ((lit.charCodeAt(best + m - 4) & 255) << 8) | (lit.charCodeAt(best + m - 3) & 255))] = 1;
      this.candLit[li] = li;
      this.candBack[li] = best + m - 1;
      this.candNext[li] = head[last]!;
      head[last] = li + 1;
    });
    this.shift = shift;
    this.head = head;
    this.pairs = pairs;
  }

  positions(s: string, out: number[] = [], bytes?: Uint8Array, offset = 0, strong?: number[]): number[] {
    if (bytes !== undefined && offset + s.length <= bytes.length) return this.positionsInBytes(bytes, offset, offset + s.length, out, strong);
    this.scanString(s, (i, block) => {
      const li = this.firstInString(s, i, block);
      if (li < 0) return false;
      out.push(i);
      if (strong !== undefined) {
        let c = li;
        while (c >= 0 && this.weak[c] === 1) c = this.firstInString(s, i, block, this.candNext[c]);
        if (c >= 0) strong.push(i);
      }
      return false;
    });
    return out;
  }

  /**
   * Walks the windows of `s` with the skip table; `visit(i, block)` is called where the window
   * ending at `i` holds candidates, and stops the walk by returning true.
   */
  private scanString(s: string, visit: (i: number, block: number) => boolean): void {
    const shift = this.shift;
    const n = s.length;
    let i = this.m - 1;
    while (i < n) {
      const b = ((s.charCodeAt(i - 1) & 255) << 8) | (s.charCodeAt(i) & 255);
      const sh = shift[b]!;
      if (sh !== 0) {
        i += sh;
        continue;
      }
      if (this.head[b] !== 0 && visit(i, b)) return;
      i++;
    }
  }

  /** Index of the first candidate of `block` that occurs in `s` with its window ending at `i`, or -1. */
  private firstInString(s: string, i: number, block: number, from = this.head[block]!): number {
    const { candNext, candBack } = this;
    for (let c = from; c !== 0; c = candNext[c - 1]!) {
      const start = i - candBack[c - 1]!;
      if (start >= 0 && s.startsWith(this.literals[c - 1]!, start)) return c - 1;
    }
    return -1;
  }

  /** Character codes of each literal, for comparing with bytes. */
  private codes: Uint16Array[] | undefined;

  /** Whether literal `li` occurs in `b` at `start` (characters past 255 never match a byte). */
  private bytesAt(b: Uint8Array, li: number, start: number, end: number): boolean {
    const codes = (this.codes ??= this.literals.map((l) => {
      const a = new Uint16Array(l.length);
      for (let k = 0; k < l.length; k++) a[k] = l.charCodeAt(k);
      return a;
    }))[li]!;
    if (start + codes.length > end) return false;
    for (let k = 0; k < codes.length; k++) if (b[start + k] !== codes[k]) return false;
    return true;
  }

  /**
   * Whether a literal is verified with its window ending at `i`: 0 none, 1 weak ones only, 2 one
   * that is not weak (the walk stops at the first such one, and at the first of any when no
   * literal is weak).
   */
  private verifyBytes(b: Uint8Array, i: number, block: number, from: number, to: number): number {
    const { candNext, candBack, weak } = this;
    let found = 0;
    for (let c = this.head[block]!; c !== 0; c = candNext[c - 1]!) {
      const start = i - candBack[c - 1]!;
      if (start >= from && (found === 0 || weak[c - 1] === 0) && this.bytesAt(b, c - 1, start, to)) {
        if (weak[c - 1] === 0) return 2;
        found = 1;
      }
    }
    return found;
  }

  /**
   * positions() over bytes[from, to), relative to `from`. Two halves are scanned at once: each
   * stride waits on two dependent loads (the bytes, then the skip table), and two independent
   * chains of them keep the CPU busy while the other waits (measured: 1.6 times the speed of one).
   * A window that may end a literal is handed to hitAt, and what is left of either half to
   * lane: code that every chunk runs, so the optimizing compiler has seen every path of it when it
   * compiles (an arithmetic path not yet run when it did was a deoptimization, again and again).
   */
  private positionsInBytes(b: Uint8Array, from: number, to: number, out: number[], strong: number[] | undefined): number[] {
    const shift = this.shift;
    const split = Math.max(from + this.m - 1, (from + to) >> 1);
    const second = this.second;
    const strongSecond = this.strongSecond;
    second.length = 0;
    strongSecond.length = 0;
    let i = from + this.m - 1;
    let j = split;
    while (i < split && j < to) {
      const si = shift[(b[i - 1]! << 8) | b[i]!]!;
      const sj = shift[(b[j - 1]! << 8) | b[j]!]!;
      if (si !== 0) i += si;
      else {
        this.hitAt(b, i, from, to, out, strong);
        i++;
      }
      if (sj !== 0) j += sj;
      else {
        this.hitAt(b, j, from, to, second, strongSecond);
        j++;
      }
    }
    this.lane(b, i, split, from, to, out, strong);
    this.lane(b, j, to, from, to, second, strongSecond);
    appendAll(out, second);
    if (strong !== undefined) appendAll(strong, strongSecond);
    return out;
  }

  /** Reused by positionsInBytes for the second half's positions. */
  private readonly second: number[] = [];
  private readonly strongSecond: number[] = [];

  /** One half's windows from `i` until `until`, as positionsInBytes walks them. */
  private lane(b: Uint8Array, i: number, until: number, from: number, to: number, out: number[], strong: number[] | undefined): void {
    const shift = this.shift;
    while (i < until) {
      const si = shift[(b[i - 1]! << 8) | b[i]!]!;
      if (si !== 0) i += si;
      else {
        this.hitAt(b, i, from, to, out, strong);
        i++;
      }
    }
  }

  /** Records the window ending at `i` (its skip is zero) when a literal is verified there. */
  private hitAt(b: Uint8Array, i: number, from: number, to: number, out: number[], strong: number[] | undefined): void {
    const bi = (b[i - 1]! << 8) | b[i]!;
    if (this.pairs[pairHash(bi, (b[i - 3]! << 8) | b[i - 2]!)] === 0) return;
    const v = this.verifyBytes(b, i, bi, from, to);
    if (v === 0) return;
    out.push(i - from);
    if (v === 2 && strong !== undefined) strong.push(i - from);
  }

  test(s: string): boolean {
    let found = false;
    this.scanString(s, (i, block) => (found = this.firstInString(s, i, block) >= 0));
    return found;
  }

  each(s: string, fn: (index: number, start: number) => void): void {
    this.scanString(s, (i, block) => {
      // Every candidate that occurs, not only the first: overlapping literals are all reported.
      for (let li = this.firstInString(s, i, block); li >= 0; li = this.firstInString(s, i, block, this.candNext[li])) fn(li, i - this.candBack[li]!);
      return false;
    });
  }
}

/** For sets holding a one-character literal, where blocks of two do not apply. */
class IndexOfScanner implements LiteralScanner {
  constructor(
    readonly literals: readonly string[],
    private readonly weak?: ReadonlySet<string>,
  ) {}

  positions(s: string, out: number[] = [], _bytes?: Uint8Array, _offset?: number, strong?: number[]): number[] {
    const found: number[] = [];
    const strongFound: number[] = [];
    this.each(s, (i, start) => {
      found.push(start);
      if (this.weak?.has(this.literals[i]!) !== true) strongFound.push(start);
    });
    appendSorted(out, found);
    if (strong !== undefined) appendSorted(strong, strongFound);
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

/** Appends `found`, sorted and without repeats, to `out` (repeats only among `found`: `out` may hold a caller's positions). */
function appendSorted(out: number[], found: number[]): void {
  found.sort((a, b) => a - b);
  const from = out.length;
  for (const p of found) if (out.length === from || out[out.length - 1] !== p) out.push(p);
}

/**
 * Merges `extra` into what `out` holds from `from` on (ascending, no repeats), keeping it so:
 * one walk over both, as the scanner's positions are already in order (`extra` is sorted here).
 */
function mergeFrom(out: number[], from: number, extra: number[]): void {
  if (extra.length === 0) return;
  extra.sort((a, b) => a - b);
  const mine = out.splice(from);
  let i = 0;
  let j = 0;
  while (i < mine.length || j < extra.length) {
    const p = j >= extra.length || (i < mine.length && mine[i]! <= extra[j]!) ? mine[i++]! : extra[j++]!;
    if (out.length === from || out[out.length - 1] !== p) out.push(p);
  }
}

/** A Wu-Manber scanner for the long literals, and indexOf for a few short ones. */
class SplitScanner implements LiteralScanner {
  private readonly extra: number[] = [];
  private readonly strongExtra: number[] = [];

  constructor(
    readonly literals: readonly string[],
    private readonly long: WuManber,
    /** Indices (in `literals`) of the short ones. */
    private readonly short: readonly number[],
    /** Index in `literals` of each of the long scanner's literals. */
    private readonly longIndex: readonly number[],
    private readonly weak?: ReadonlySet<string>,
  ) {}

  positions(s: string, out: number[] = [], bytes?: Uint8Array, offset = 0, strong?: number[]): number[] {
    const from = out.length;
    const strongFrom = strong?.length ?? 0;
    this.long.positions(s, out, bytes, offset, strong);
    const extra = this.extra;
    const strongExtra = this.strongExtra;
    extra.length = 0;
    strongExtra.length = 0;
    for (const k of this.short) {
      const lit = this.literals[k]!;
      const isStrong = this.weak?.has(lit) !== true;
      for (let at = s.indexOf(lit); at >= 0; at = s.indexOf(lit, at + 1)) {
        extra.push(at);
        if (isStrong) strongExtra.push(at);
      }
    }
    mergeFrom(out, from, extra);
    if (strong !== undefined) mergeFrom(strong, strongFrom, strongExtra);
    return out;
  }

  test(s: string): boolean {
    for (const k of this.short) if (s.includes(this.literals[k]!)) return true;
    return this.long.test(s);
  }

  each(s: string, fn: (index: number, start: number) => void): void {
    this.long.each(s, (i, start) => fn(this.longIndex[i]!, start));
    for (const k of this.short) {
      const lit = this.literals[k]!;
      for (let at = s.indexOf(lit); at >= 0; at = s.indexOf(lit, at + 1)) fn(k, at);
    }
  }
}

/**
 * Builds a scanner for a set of non-empty literals (duplicates and empty strings are dropped;
 * `literals` of the result lists the ones kept, in first-seen order). The literals in `weak`
 * are found as the others are, but left out of positions()' `strong` list.
 * @example literalScanner(['InvalidToken', 'NoSuchKey']).test('…: InvalidToken') // true
 */
export function literalScanner(literals: readonly string[], weak?: ReadonlySet<string>): LiteralScanner {
  const kept = [...new Set(literals)].filter((l) => l !== '');
  let min = Infinity;
  for (const l of kept) min = Math.min(min, l.length);
  if (kept.length === 0 || min < 2) return new IndexOfScanner(kept, weak);
  const short = kept.flatMap((l, i) => (l.length < SHORT ? [i] : []));
  if (short.length > 0 && short.length <= MAX_SHORT_ALONE && short.length < kept.length) {
    const longIndex = kept.flatMap((l, i) => (l.length >= SHORT ? [i] : []));
    const longLits = longIndex.map((i) => kept[i]!);
    const minLong = Math.min(...longLits.map((l) => l.length));
    return new SplitScanner(kept, new WuManber(longLits, Math.min(minLong, MAX_WINDOW), weak), short, longIndex, weak);
  }
  return new WuManber(kept, Math.min(min, MAX_WINDOW), weak);
}
