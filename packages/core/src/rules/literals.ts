/** Literal-set helpers for the prefilter: one regex that finds any of many strings. */

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

/** The forms a literal takes once a producer has JSON-encoded it, once and twice. */
export function encodedForms(literal: string): string[] {
  const once = JSON.stringify(literal).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const asciiOnce = once.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return [...new Set([literal, once, twice, asciiOnce])];
}

/** The byte string (one char per byte) of a literal's UTF-8 encoding, for scanning undecoded input. */
export function utf8AsLatin1(literal: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(literal)) out += String.fromCharCode(b);
  return out;
}
