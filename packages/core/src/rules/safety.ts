/**
 * Refuses regular expressions that can backtrack catastrophically. V8's regex engine backtracks,
 * so a pattern like `(a+)+$` takes exponential time, and `.*.*.*x` cubic time, on a crafted line.
 * The pattern is parsed and checked at load; three rules, each named in the reason it returns:
 *
 * 1. Nested repetition. A group repeated more than once (`*`, `+`, `{2,}`, `{20}`) whose body can
 *    take more than one length (it holds `*`, `+`, `?` or `{m,n}`) is refused when the body can
 *    match empty (`(a*)*`, `(a?b?)*`), or when three copies of the body in a row hold a run that
 *    rule 3 refuses, the body's `?` and `{m,n}` counting as repetitions there (`(a+)+`,
 *    `(\w+\s?)*`, `(?:a+){2,}`, `(.*a){20}`, `(?:\d?\d)*`). A body pinned by a delimiter its
 *    repetitions cannot take passes: `(?:[^,]+,)*`, `(?:\s*,\s*\w+)*`, `(?:\d{1,3}\.){3}`.
 * 2. Ambiguous alternation under repetition. Inside a group repeated more than once, an
 *    alternation whose branches can begin with the same characters is refused: `(a|a)*`,
 *    `(a|ab)*`, `(\w|\d)+`, `(.|\s)*`. Branches that part early pass: `(?:ab|cd)+`, `(?:\\.|[^"])*`.
 * 3. Runs of unbounded repetitions (`*`, `+`, `{n,}`, or a range of 100 or more). Two of them in a
 *    sequence are *linked* when the first can take the characters that follow it and everything
 *    required between them, and their sets overlap: where the first one stops is then a free
 *    choice. Refused: three or more linked in a row (`.*.*.*x`, `(?<a>.*)(?<b>.*)(?<c>.*)!`,
 *    `.*a.*a.*a`, `.*foo.*bar.*baz`), and two linked with nothing required between them where one
 *    set holds the other (`\s*\s*$`, `\d+\d+x`, `\d+\s?\d+x`, `.*\d+x`). Accepted: `.*foo.*bar`
 *    (two, apart), `(?<tags>.+?)\s*$` (neither set holds the other: `.` lacks line breaks),
 *    `\S+\s+\d+` (each stops where the next begins).
 *
 * What passes can still be quadratic per start position: two linked repetitions (`.*foo.*bar`,
 * `[^b]*a\w*$`) on a long crafted line. That is the limit the rule sets, so callers should also
 * bound the text they match. Lookaround bodies are checked on their own; a backreference counts
 * as an optional atom that can be any character. The checks are conservative: a refused pattern
 * can usually be rewritten with a negated class (`[^']+` rather than `.+?` before a quote) or a
 * delimiter.
 */

/** Sorted, disjoint, non-adjacent inclusive code point ranges. */
type CharSet = readonly (readonly [number, number])[];

const MAX_CP = 0x10ffff;
const EMPTY: CharSet = [];
const ANY: CharSet = [[0, MAX_CP]];
const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
// ECMAScript WhiteSpace and LineTerminator (the set `\s` matches).
const SPACE: CharSet = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const LINE_TERMINATORS: CharSet = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function normalize(ranges: (readonly [number, number])[]): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const union = (...sets: CharSet[]): CharSet => normalize(sets.flat());

function negate(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function intersects(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = x[i]!;
    const b = y[j]!;
    if (a[1] < b[0]) i++;
    else if (b[1] < a[0]) j++;
    else return true;
  }
  return false;
}

const sameSet = (x: CharSet, y: CharSet) => x.length === y.length && x.every((r, i) => r[0] === y[i]![0] && r[1] === y[i]![1]);

/** Adds the other case of ASCII letters (what the `i` flag does to the sets that matter here). */
function foldCase(set: CharSet): CharSet {
  const extra: [number, number][] = [];
  for (const [a, b] of set) {
    const lo = Math.max(a, 0x41);
    const hi = Math.min(b, 0x5a);
    if (lo <= hi) extra.push([lo + 32, hi + 32]);
    const lo2 = Math.max(a, 0x61);
    const hi2 = Math.min(b, 0x7a);
    if (lo2 <= hi2) extra.push([lo2 - 32, hi2 - 32]);
  }
  return extra.length ? union(set, extra) : set;
}

// ---------------------------------------------------------------------------------------------
// Parsing: enough of the ECMAScript pattern grammar to know sets, groups and repetitions.

interface Span {
  start: number;
  end: number;
}
type Node =
  | (Span & { kind: 'char'; set: CharSet })
  | (Span & { kind: 'assert' })
  | (Span & { kind: 'look'; alts: Node[][] })
  | (Span & { kind: 'group'; alts: Node[][] })
  | (Span & { kind: 'backref' })
  | (Span & { kind: 'repeat'; body: Node; min: number; max: number });

class Unparsable extends Error {}
class TooDeep extends Error {}

const MAX_DEPTH = 100;

function parse(src: string, flags: string): Node[][] {
  const icase = flags.includes('i');
  const dot = flags.includes('s') ? ANY : negate(LINE_TERMINATORS);
  let i = 0;
  const fold = (set: CharSet) => (icase ? foldCase(set) : set);
  const single = (cp: number): CharSet => [[cp, cp]];

  function hex(len: number): number | undefined {
    const s = src.slice(i, i + len);
    if (s.length !== len || !/^[0-9a-fA-F]+$/.test(s)) return undefined;
    i += len;
    return parseInt(s, 16);
  }

  /** Reads an escape after the backslash. Returns a set, or a marker for assertions and backrefs. */
  function escape(inClass: boolean): CharSet | 'assert' | 'backref' {
    const c = src[i];
    if (c === undefined) throw new Unparsable();
    i++;
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return negate(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return negate(WORD);
      case 's':
        return SPACE;
      case 'S':
        return negate(SPACE);
      case 'b':
        return inClass ? single(8) : 'assert';
      case 'B':
        return inClass ? single(0x42) : 'assert';
      case 'n':
        return single(10);
      case 'r':
        return single(13);
      case 't':
        return single(9);
      case 'f':
        return single(12);
      case 'v':
        return single(11);
      case 'c': {
        const l = src[i];
        if (l && /[A-Za-z]/.test(l)) {
          i++;
          return single(l.charCodeAt(0) % 32);
        }
        return single(0x5c);
      }
      case 'x': {
        const v = hex(2);
        return v === undefined ? single(0x78) : single(v);
      }
      case 'u': {
        if (src[i] === '{') {
          const end = src.indexOf('}', i);
          const v = end > i ? parseInt(src.slice(i + 1, end), 16) : NaN;
          if (Number.isFinite(v)) {
            i = end + 1;
            return single(v);
          }
          return single(0x75);
        }
        const v = hex(4);
        return v === undefined ? single(0x75) : single(v);
      }
      case 'p':
      case 'P':
        // A Unicode property: treated as any character (overlap is assumed, the safe direction).
        if (src[i] === '{') {
          const end = src.indexOf('}', i);
          if (end > i) i = end + 1;
        }
        return ANY;
      case 'k':
        if (!inClass && src[i] === '<') {
          const end = src.indexOf('>', i);
          if (end > i) {
            i = end + 1;
            return 'backref';
          }
        }
        return single(0x6b);
      default:
        if (c >= '1' && c <= '9' && !inClass) {
          while (src[i] !== undefined && src[i]! >= '0' && src[i]! <= '9') i++;
          return 'backref';
        }
        if (c === '0') return single(0);
        return single(c.codePointAt(0)!);
    }
  }

  function charClass(): CharSet {
    // after '['; in ECMAScript `[]` matches nothing and `[^]` anything
    let negated = false;
    if (src[i] === '^') {
      negated = true;
      i++;
    }
    const parts: CharSet[] = [];
    for (;;) {
      const c = src[i];
      if (c === undefined) throw new Unparsable();
      if (c === ']') {
        i++;
        break;
      }
      const lo = classAtom();
      if (src[i] === '-' && src[i + 1] !== ']' && src[i + 1] !== undefined) {
        const save = i;
        i++;
        const hi = classAtom();
        if (lo.length === 1 && lo[0]![0] === lo[0]![1] && hi.length === 1 && hi[0]![0] === hi[0]![1] && lo[0]![0] <= hi[0]![0]) {
          parts.push([[lo[0]![0], hi[0]![0]]]);
          continue;
        }
        // `[\w-x]`: the dash is literal
        i = save;
      }
      parts.push(lo);
    }
    // Case folding applies to the members before a negation, as the `i` flag does.
    const set = fold(union(...parts));
    return negated ? negate(set) : set;
  }

  function classAtom(): CharSet {
    if (src[i] === '\\') {
      i++;
      const e = escape(true);
      return typeof e === 'string' ? ANY : e;
    }
    const cp = src.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    return [[cp, cp]];
  }

  function alternation(depth: number): Node[][] {
    if (depth > MAX_DEPTH) throw new TooDeep();
    const alts: Node[][] = [sequence(depth)];
    while (src[i] === '|') {
      i++;
      alts.push(sequence(depth));
    }
    return alts;
  }

  function sequence(depth: number): Node[] {
    const items: Node[] = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const start = i;
      let atom = primary(depth);
      const q = quantifier();
      if (q) {
        if (atom.kind === 'assert' || atom.kind === 'look') atom = { ...atom, end: i };
        else atom = { kind: 'repeat', body: atom, min: q.min, max: q.max, start, end: i };
      }
      items.push(atom);
    }
    return items;
  }

  function quantifier(): { min: number; max: number } | undefined {
    const c = src[i];
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 40));
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length - 1;
      q = { min, max };
    }
    if (!q) return undefined;
    i++;
    if (src[i] === '?') i++; // lazy: backtracks just as much
    return q;
  }

  function primary(depth: number): Node {
    const start = i;
    const c = src[i]!;
    if (c === '(') {
      i++;
      let look = false;
      if (src[i] === '?') {
        const n = src[i + 1];
        if (n === ':') i += 2;
        else if (n === '=' || n === '!') {
          look = true;
          i += 2;
        } else if (n === '<' && (src[i + 2] === '=' || src[i + 2] === '!')) {
          look = true;
          i += 3;
        } else if (n === '<') {
          const end = src.indexOf('>', i);
          if (end < 0) throw new Unparsable();
          i = end + 1;
        } else throw new Unparsable();
      }
      const alts = alternation(depth + 1);
      if (src[i] !== ')') throw new Unparsable();
      i++;
      return look ? { kind: 'look', alts, start, end: i } : { kind: 'group', alts, start, end: i };
    }
    if (c === '[') {
      i++;
      return { kind: 'char', set: charClass(), start, end: i };
    }
    if (c === '\\') {
      i++;
      const e = escape(false);
      if (e === 'assert') return { kind: 'assert', start, end: i };
      if (e === 'backref') return { kind: 'backref', start, end: i };
      return { kind: 'char', set: fold(e), start, end: i };
    }
    if (c === '^' || c === '$') {
      i++;
      return { kind: 'assert', start, end: i };
    }
    if (c === '.') {
      i++;
      return { kind: 'char', set: dot, start, end: i };
    }
    if (c === '*' || c === '+' || c === '?') throw new Unparsable();
    const cp = src.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    return { kind: 'char', set: fold(single(cp)), start, end: i };
  }

  const alts = alternation(0);
  if (i !== src.length) throw new Unparsable();
  return alts;
}

// ---------------------------------------------------------------------------------------------
// Facts about nodes.

function nullable(n: Node): boolean {
  switch (n.kind) {
    case 'char':
      return false;
    case 'group':
      return n.alts.some((alt) => alt.every(nullable));
    case 'repeat':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
}

/** Every character a node can consume. */
function charsOf(n: Node): CharSet {
  switch (n.kind) {
    case 'char':
      return n.set;
    case 'group':
      return union(...n.alts.flat().map(charsOf));
    case 'repeat':
      return n.max === 0 ? EMPTY : charsOf(n.body);
    case 'backref':
      return ANY;
    default:
      return EMPTY;
  }
}

/** The characters a sequence can begin with; `open` when it can match empty. */
function firstOfSeq(seq: readonly Node[]): { set: CharSet; open: boolean } {
  const parts: CharSet[] = [];
  for (const n of seq) {
    parts.push(firstOf(n));
    if (!nullable(n)) return { set: union(...parts), open: false };
  }
  return { set: union(...parts), open: true };
}

function firstOf(n: Node): CharSet {
  switch (n.kind) {
    case 'char':
      return n.set;
    case 'group':
      return union(...n.alts.map((a) => firstOfSeq(a).set));
    case 'repeat':
      return n.max === 0 ? EMPTY : firstOf(n.body);
    case 'backref':
      return ANY;
    default:
      return EMPTY;
  }
}

/** Repetitions bounded by less than this many extra iterations cost a constant factor, not a power of the input. */
const UNBOUNDED = 100;

/** Whether an unbounded repetition (`*`, `+`, `{n,}`, or a range of at least 100) sits inside. */
function holdsUnbounded(n: Node): boolean {
  if (n.kind === 'repeat') return n.max - n.min >= UNBOUNDED || holdsUnbounded(n.body);
  if (n.kind === 'group') return n.alts.some((a) => a.some(holdsUnbounded));
  return false;
}

/** The characters a node can go on taking at a point where it could also stop. */
function endOf(n: Node): CharSet {
  switch (n.kind) {
    case 'repeat':
      if (n.min === n.max) return endOf(n.body);
      // where an iteration ends, the next can begin, or the last inner repetition go on
      return unwrap(n.body).kind === 'char' ? charsOf(n.body) : union(firstOf(n.body), endOf(n.body));
    case 'group':
      return union(
        ...n.alts.map((alt) => {
          const parts: CharSet[] = [];
          for (let k = alt.length - 1; k >= 0; k--) {
            const m = alt[k]!;
            parts.push(endOf(m));
            if (!nullable(m)) break;
          }
          return union(...parts);
        }),
      );
    case 'backref':
      return ANY;
    default:
      return EMPTY;
  }
}

/** Whether something inside can take more than one length: `x?`, `x{1,3}`, `x*` (lookarounds aside: they never backtrack into the match). */
function holdsFlexible(n: Node): boolean {
  if (n.kind === 'repeat') return n.min < n.max || holdsFlexible(n.body);
  if (n.kind === 'group') return n.alts.some((a) => a.some(holdsFlexible));
  return false;
}

/** Whether a repetition (or a backreference, whose length varies) sits inside. */
function holdsRepeat(n: Node): boolean {
  if (n.kind === 'repeat' || n.kind === 'backref') return true;
  if (n.kind === 'group') return n.alts.some((a) => a.some(holdsRepeat));
  return false;
}

// ---------------------------------------------------------------------------------------------
// Rule 3: runs of linked repetitions in a flattened sequence.

interface Elem {
  node: Node;
  /** Every character it can take. */
  set: CharSet;
  first: CharSet;
  /** The characters it can still take where it could stop: what it competes for with what follows. */
  end: CharSet;
  variable: boolean;
  /** How many linked repetitions it holds in a row: more than one for an alternation whose branch holds a run. */
  weight: number;
  /** Required whenever the optional groups around it are taken. */
  mandatory: boolean;
  /** The optional groups (`?`) it sits in, outermost first. */
  scopes: readonly number[];
}

let scopeIds = 0;

/**
 * Flattens a sequence: plain groups are inlined, fixed repetitions unrolled (up to three copies).
 * `body` mode is for the body of a repeated group, where any element of varying width (an
 * optional `x?` too) moves the boundaries between iterations and so counts as a repetition.
 */
function flatten(seq: readonly Node[], out: Elem[], scopes: readonly number[] = [], body = false): Elem[] {
  for (const n of seq) {
    if (n.kind === 'assert' || n.kind === 'look') continue;
    if (n.kind === 'char') out.push({ node: n, set: n.set, first: n.set, end: EMPTY, variable: false, weight: 0, mandatory: true, scopes });
    else if (n.kind === 'group' && n.alts.length === 1) flatten(n.alts[0]!, out, scopes, body);
    else if (n.kind === 'repeat' && n.max <= 1000 && (body ? n.min === n.max && !holdsFlexible(n.body) : n.max - n.min < UNBOUNDED)) {
      const copies = Math.min(n.max, 3);
      for (let k = 0; k < copies; k++) flatten([n.body], out, k >= n.min ? [...scopes, ++scopeIds] : scopes, body);
    } else {
      const variable = body ? holdsFlexible(n) : holdsUnbounded(n);
      let weight = variable ? 1 : 0;
      if (variable && n.kind === 'group') for (const alt of n.alts) weight = Math.max(weight, analyzeRun('', flatten(alt, [], [], body)).longest);
      out.push({ node: n, set: charsOf(n), first: firstOf(n), end: endOf(n), variable, weight, mandatory: !nullable(n), scopes });
    }
  }
  return out;
}

const within = (inner: readonly number[], outer: readonly number[]) => inner.length <= outer.length && inner.every((s, i) => outer[i] === s);

/** Whether element e must be matched on every path that matches both a and b. */
function required(e: Elem, a: Elem, b: Elem): boolean {
  return e.mandatory && (within(e.scopes, a.scopes) || within(e.scopes, b.scopes));
}

function linked(list: readonly Elem[], a: number, b: number): boolean {
  const ea = list[a]!;
  const eb = list[b]!;
  if (!intersects(ea.set, eb.set)) return false;
  let next: CharSet = EMPTY;
  let pinned = false;
  for (let k = a + 1; k < b; k++) {
    const e = list[k]!;
    if (!pinned) next = union(next, e.first);
    if (required(e, ea, eb)) {
      // The first repetition can only run past this element if it can take its characters.
      if (!intersects(e.set, ea.set)) return false;
      pinned = true;
    }
  }
  if (!pinned) next = union(next, eb.first);
  return intersects(ea.end, next);
}

/** The source of a node, shortened for a message. */
function src(pattern: string, n: Node): string {
  const text = pattern.slice(n.start, n.end);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const contains = (outer: CharSet, inner: CharSet) => sameSet(union(outer, inner), outer);
/** The node inside plain one-element groups: `(?:\w)` is `\w`. */
function unwrap(n: Node): Node {
  while (n.kind === 'group' && n.alts.length === 1 && n.alts[0]!.length === 1) n = n.alts[0]![0]!;
  return n;
}
const simple = (e: Elem) => e.node.kind === 'repeat' && unwrap(e.node.body).kind === 'char';

/**
 * Whether two adjacent repetitions can share out one run of text in many ways: one of them can
 * take everything the other takes. A repeated group stops only where its body ends, so a simple
 * repetition competes with it only when it can take all of the group's characters.
 */
function competes(a: Elem, b: Elem): boolean {
  if (simple(a) && simple(b)) return contains(a.set, b.set) || contains(b.set, a.set);
  if (simple(a)) return contains(a.set, b.set);
  if (simple(b)) return contains(b.set, a.set);
  return sameSet(a.set, b.set);
}

/** Finds a refused run in a flattened sequence; also gives the longest chain of linked repetitions. */
function analyzeRun(pattern: string, list: readonly Elem[]): { problem?: string; longest: number } {
  // For each element: the heaviest chain of linked repetitions that ends there.
  const len: number[] = list.map(() => 0);
  const path: number[][] = list.map(() => []);
  let longest = 0;
  for (let b = 0; b < list.length; b++) {
    const eb = list[b]!;
    if (!eb.variable) continue;
    len[b] = eb.weight;
    path[b] = [b];
    for (let a = 0; a < b; a++) {
      const ea = list[a]!;
      if (!ea.variable || !linked(list, a, b)) continue;
      const adjacent = !list.slice(a + 1, b).some((e) => required(e, ea, eb));
      if (adjacent && competes(ea, eb)) {
        return {
          problem: `two adjacent repetitions can take the same characters (${src(pattern, ea.node)} then ${src(pattern, eb.node)}), so a run splits between them in many ways`,
          longest: Infinity,
        };
      }
      if (len[a]! + eb.weight > len[b]!) {
        len[b] = len[a]! + eb.weight;
        path[b] = [...path[a]!, b];
      }
    }
    longest = Math.max(longest, len[b]!);
    if (len[b]! >= 3) {
      const shown = path[b]!.map((c) => src(pattern, list[c]!.node)).join(', ');
      return { problem: `${len[b]} repetitions in a row can take the same characters (${shown}): polynomial backtracking on a line that does not match`, longest };
    }
  }
  return { longest };
}

const runProblem = (pattern: string, list: readonly Elem[]) => analyzeRun(pattern, list).problem;

// ---------------------------------------------------------------------------------------------
// Rule 2: ambiguous alternation.

/** Per-position character sets a sequence starts with, as far as they are fixed. */
function prefix(seq: readonly Node[], limit = 8): CharSet[] {
  const out: CharSet[] = [];
  const flat: Node[] = [];
  const inline = (s: readonly Node[]) => {
    for (const n of s) {
      if (n.kind === 'group' && n.alts.length === 1) inline(n.alts[0]!);
      else if (n.kind !== 'assert' && n.kind !== 'look') flat.push(n);
    }
  };
  inline(seq);
  for (let k = 0; k < flat.length && out.length < limit; k++) {
    const n = flat[k]!;
    if (n.kind === 'char') {
      out.push(n.set);
      continue;
    }
    if (n.kind === 'repeat' && n.min === n.max && !holdsFlexible(n.body)) {
      const inner = prefix([n.body], limit);
      for (let c = 0; c < n.min && out.length < limit; c++) out.push(...inner);
      if (inner.length === 0 && n.min > 0) break;
      continue;
    }
    // Where the fixed part ends: the next character comes from here or, if this can be empty, later.
    const rest = firstOfSeq(flat.slice(k));
    out.push(rest.open ? ANY : rest.set);
    break;
  }
  return out;
}

function prefixesOverlap(px: readonly CharSet[], py: readonly CharSet[]): boolean {
  const n = Math.min(px.length, py.length);
  for (let k = 0; k < n; k++) if (!intersects(px[k]!, py[k]!)) return false;
  return true;
}

function ambiguousAlternation(n: Node): Node | undefined {
  if (n.kind === 'group') {
    if (n.alts.length > 1) {
      const prefixes = n.alts.map((alt) => prefix(alt));
      for (let a = 0; a < prefixes.length; a++) {
        for (let b = a + 1; b < prefixes.length; b++) if (prefixesOverlap(prefixes[a]!, prefixes[b]!)) return n;
      }
    }
    for (const alt of n.alts) for (const m of alt) {
      const found = ambiguousAlternation(m);
      if (found) return found;
    }
  }
  if (n.kind === 'repeat') return ambiguousAlternation(n.body);
  return undefined;
}

// ---------------------------------------------------------------------------------------------

function check(pattern: string, alts: readonly Node[][]): string | undefined {
  for (const alt of alts) {
    // Inner constructs first: their reasons name the construct to rewrite.
    for (const n of alt) {
      const why = checkNode(pattern, n);
      if (why) return why;
    }
    const run = runProblem(pattern, flatten(alt, []));
    if (run) return run;
  }
  return undefined;
}

function checkNode(pattern: string, n: Node): string | undefined {
  if (n.kind === 'group' || n.kind === 'look') return check(pattern, n.alts);
  if (n.kind !== 'repeat') return undefined;
  if (n.max >= 2) {
    const body = n.body;
    if (nullable(body) && holdsRepeat(body)) {
      return `nested quantifiers: ${src(pattern, n)} repeats a group that can match empty text and holds another repetition`;
    }
    const alt = ambiguousAlternation(body);
    if (alt) return `${src(pattern, n)} repeats an alternation whose branches can match the same text (${src(pattern, alt)})`;
    if (holdsFlexible(body)) {
      const copies = Math.min(n.max, 3);
      const list: Elem[] = [];
      for (let k = 0; k < copies; k++) flatten([body], list, [], true);
      if (runProblem(pattern, list)) {
        return `nested quantifiers: ${src(pattern, n)} repeats a group that holds another repetition, and its iterations can split the same text in many ways`;
      }
    }
  }
  return checkNode(pattern, n.body);
}

/**
 * Returns why a pattern can backtrack catastrophically, or undefined when it passes the checks.
 * A pattern that does not parse also gives undefined: compiling it reports the error.
 * @example unsafeRegexReason('(a+)+$') // 'nested quantifiers: (a+)+ repeats …'
 */
export function unsafeRegexReason(pattern: string, flags = ''): string | undefined {
  let alts: Node[][];
  try {
    alts = parse(pattern, flags);
  } catch (e) {
    if (e instanceof Unparsable) return undefined;
    if (e instanceof TooDeep) return `groups nest more than ${MAX_DEPTH} deep, too deep to check`;
    throw e;
  }
  return check(pattern, alts);
}
