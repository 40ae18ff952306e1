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
 * 3. Runs of unbounded repetitions (`*`, `+`, `{n,}`, or a range wider than 16: V8's linear-time
 *    fallback does not take those either, so `[ -~]{0,80}` counts as unbounded). Two of them in a
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
 *
 * The pattern is parsed by regexpp; anything the checks do not model (a modifier group such as
 * `(?i:…)`, a Unicode property, a class set operation under `v`) is refused, never passed.
 */

import type { AST } from '@eslint-community/regexpp';
import { regexppModule } from './optional-modules.js';

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
// Parsing: the pattern is read by regexpp (the parser ESLint keeps current with the language) and
// turned into the few node kinds the checks reason about. Anything without a node kind here is
// refused with its name and place: the check fails closed.

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

/** A construct the checker does not know, or a pattern that does not parse: refused. */
class Refused extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 100;
const NON_ASCII: CharSet = [[0x80, MAX_CP]];

/** Facts about a parsed pattern that other checks read (group names, constructs the linear-time fallback lacks). */
export interface PatternFacts {
  groupNames: string[];
  /** The first construct V8's linear-time fallback cannot run, with its offset. */
  budgetless?: { what: string; offset: number } | undefined;
}

function parse(src: string, flags: string): { alts: Node[][]; facts: PatternFacts } {
  const icase = flags.includes('i');
  const dot = flags.includes('s') ? ANY : negate(LINE_TERMINATORS);
  const facts: PatternFacts = { groupNames: [] };
  const budgetless = (what: string, offset: number) => {
    facts.budgetless ??= { what, offset };
  };
  // Under `i` only ASCII letters are folded exactly; a set that holds any other character is
  // widened to every non-ASCII character (more overlap, the refusing direction).
  const fold = (set: CharSet): CharSet => {
    if (!icase) return set;
    const f = foldCase(set);
    return intersects(f, NON_ASCII) ? union(f, NON_ASCII) : f;
  };
  let ast: AST.Pattern;
  try {
    const parser = new (regexppModule().RegExpParser)({ ecmaVersion: 2025 });
    ast = parser.parsePattern(src, 0, src.length, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
  } catch (e) {
    if (e instanceof RangeError) throw new Refused('the pattern nests too deep to check', 0);
    const m = /^Invalid regular expression: \/.*\/[a-z]*: (.*)$/s.exec((e as Error).message);
    const index = (e as { index?: number }).index;
    throw new Refused(`the pattern does not parse (${m?.[1] ?? (e as Error).message})`, typeof index === 'number' ? index : 0);
  }

  function escapeSet(n: AST.EscapeCharacterSet): CharSet {
    const base = n.kind === 'digit' ? DIGIT : n.kind === 'word' ? WORD : SPACE;
    // `\w` under `u` and `i` also takes U+017F and U+212A; fold() widens sets that need it.
    const set =
      n.kind === 'word' && icase && flags.includes('u')
        ? union(base, [
            [0x17f, 0x17f],
            [0x212a, 0x212a],
          ])
        : base;
    return n.negate ? negate(set) : set;
  }

  function classSet(n: AST.CharacterClass): CharSet {
    const parts: CharSet[] = [];
    for (const e of n.elements) {
      switch (e.type) {
        case 'Character':
          parts.push([[e.value, e.value]]);
          break;
        case 'CharacterClassRange':
          parts.push([[e.min.value, e.max.value]]);
          break;
        case 'CharacterSet':
          if (e.kind === 'property') throw new Refused(`a Unicode property escape (${e.raw}), whose characters the checker does not know`, e.start);
          parts.push(escapeSet(e));
          break;
        default:
          throw new Refused(`a set operation or string in a class (${e.raw}), which the checker does not know`, e.start);
      }
    }
    const members = fold(union(...parts));
    return n.negate ? fold(negate(members)) : members;
  }

  function alternatives(list: readonly AST.Alternative[], depth: number): Node[][] {
    if (depth > MAX_DEPTH) throw new Refused(`groups nest more than ${MAX_DEPTH} deep, too deep to check`, list[0]?.start ?? 0);
    return list.map((a) => a.elements.map((e) => element(e, depth)));
  }

  function element(n: AST.Element, depth: number): Node {
    const span = { start: n.start, end: n.end };
    switch (n.type) {
      case 'Character':
        return { kind: 'char', set: fold([[n.value, n.value]]), ...span };
      case 'CharacterClass':
        return { kind: 'char', set: classSet(n), ...span };
      case 'CharacterSet':
        if (n.kind === 'any') return { kind: 'char', set: dot, ...span };
        if (n.kind === 'property') throw new Refused(`a Unicode property escape (${n.raw}), whose characters the checker does not know`, n.start);
        return { kind: 'char', set: fold(escapeSet(n)), ...span };
      case 'Assertion':
        if (n.kind === 'lookahead' || n.kind === 'lookbehind') {
          budgetless('a lookaround', n.start);
          return { kind: 'look', alts: alternatives(n.alternatives, depth + 1), ...span };
        }
        return { kind: 'assert', ...span };
      case 'Backreference':
        budgetless(typeof n.ref === 'string' ? 'a named backreference' : 'a backreference', n.start);
        return { kind: 'backref', ...span };
      case 'Group':
        if (n.modifiers) throw new Refused(`a modifier group (${n.raw.slice(0, n.modifiers.end - n.start + 1)}…), which V8's linear-time fallback does not run and the checker does not know`, n.start);
        return { kind: 'group', alts: alternatives(n.alternatives, depth + 1), ...span };
      case 'CapturingGroup':
        if (n.name !== null) facts.groupNames.push(n.name);
        return { kind: 'group', alts: alternatives(n.alternatives, depth + 1), ...span };
      case 'Quantifier': {
        const body = element(n.element, depth + 1);
        // A quantified lookahead (Annex B) still asserts once.
        if (body.kind === 'look' || body.kind === 'assert') return { ...body, ...span };
        return { kind: 'repeat', body, min: n.min, max: n.max, ...span };
      }
      default:
        throw new Refused(`${(n as AST.Node).raw}, a construct the checker does not know`, (n as AST.Node).start);
    }
  }

  return { alts: alternatives(ast.alternatives, 0), facts };
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
const UNBOUNDED = 17;

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
    for (const alt of n.alts)
      for (const m of alt) {
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

/** The checker's verdict on a pattern. */
export interface PatternVerdict {
  /** Why the pattern is refused: it can backtrack catastrophically, or the checker cannot prove it cannot. */
  unsafe?: { reason: string; offset: number } | undefined;
  /** Facts from the parse; undefined when the pattern does not parse. */
  facts?: PatternFacts | undefined;
}

/**
 * Parses a pattern once and checks it. Fails closed: a pattern that does not parse, or holds a
 * construct the checker does not know (modifier groups, Unicode properties, class set operations),
 * is refused with the reason and its offset in the pattern.
 */
export function checkPattern(pattern: string, flags = ''): PatternVerdict {
  // A pattern is checked when its file is parsed and again when the pack is compiled (and once per
  // load in a long-lived host): the verdict depends on the two strings only, so it is kept.
  const key = `${flags}\0${pattern}`;
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const verdict = checkPatternOnce(pattern, flags);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, verdict);
  return verdict;
}

/** Verdicts kept by checkPattern (pattern and flags to verdict); emptied when it reaches the bound. */
const verdicts = new Map<string, PatternVerdict>();
const MAX_VERDICTS = 8192;

/**
 * Verdicts known before any check, as checkPattern would give them. The command line's bundle
 * computes those of the built-in pack's patterns when it is built and hands them over at start
 * (packages/cli/src/verdicts.ts): they come with the code, never from a file read at run time, which
 * anyone who can write it could use to pass an unsafe pattern.
 */
export function knowVerdicts(known: Iterable<readonly [pattern: string, flags: string, verdict: PatternVerdict]>): void {
  for (const [pattern, flags, verdict] of known) if (verdicts.size < MAX_VERDICTS) verdicts.set(`${flags}\0${pattern}`, verdict);
}

/** Whether checkPattern already knows the verdict on this pattern (it then does not parse it). */
export function knowsVerdict(pattern: string, flags = ''): boolean {
  return verdicts.has(`${flags}\0${pattern}`);
}

function checkPatternOnce(pattern: string, flags: string): PatternVerdict {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(pattern, flags);
  } catch (e) {
    if (e instanceof Refused) return { unsafe: { reason: e.message, offset: e.offset } };
    if (e instanceof RangeError) return { unsafe: { reason: 'the pattern nests too deep to check', offset: 0 } };
    throw e;
  }
  let reason: string | undefined;
  try {
    reason = check(pattern, parsed.alts);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    reason = 'the pattern nests too deep to check';
  }
  return { facts: parsed.facts, unsafe: reason === undefined ? undefined : { reason, offset: 0 } };
}

/**
 * Returns why a pattern can backtrack catastrophically or cannot be checked, or undefined when it
 * passes the checks. A pattern that does not parse is refused too (the check fails closed).
 * @example unsafeRegexReason('(a+)+$') // 'nested quantifiers: (a+)+ repeats …'
 */
export function unsafeRegexReason(pattern: string, flags = ''): string | undefined {
  return checkPattern(pattern, flags).unsafe?.reason;
}
