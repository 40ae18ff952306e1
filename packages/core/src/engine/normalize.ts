/** Message templates for the report's `unmatched` list: the same error with other ids is one entry. */
const DIGIT = /\d/;
const has = (c: string) => (line: string) => line.includes(c);
/** The last line hasDigit was asked of, and its answer: four gates ask it, mostly of a line no replacement changed in between. */
let digitLine = '';
let digitAnswer = false;
const hasDigit = (line: string) => {
  if (line !== digitLine) {
    digitLine = line;
    digitAnswer = DIGIT.test(line);
  }
  return digitAnswer;
};
/** A URL, a path of two parts or more, or a Windows path: the three kinds of PATH_PATTERN, in its order. */
const PATH_KINDS = [String.raw`\b[a-z][a-z0-9+.-]{0,15}:\/\/[^\s'"()<>]+`, String.raw`(?<![\w.])~?(?:\/[\w.@%+=:,-]+){2,}\/?`, String.raw`\b[A-Za-z]:(?:\\[\w.@%+=,-]+){2,}`] as const;
export const PATH_PATTERN = new RegExp(`(?:${PATH_KINDS.join('|')})`, 'g');
/** The kinds a line can hold: each needs its own literal (`://`, `/`, `:\`). */
const PATH_NEEDS = ['://', '/', ':\\'] as const;
/** PATH_PATTERN with only some of its kinds, by bit mask (bit k: kind k), made when first needed. */
const pathPatterns: (RegExp | undefined)[] = [];

/**
 * `line.replace(PATH_PATTERN, '<path>')`, with only the kinds whose literal the line holds: a kind
 * that can match nowhere in the line changes no match, and the URL kind, tried at every word, was
 * most of the cost of a line with a path and no URL.
 */
export function replacePaths(line: string): string {
  let mask = 0;
  for (let k = 0; k < PATH_NEEDS.length; k++) if (line.includes(PATH_NEEDS[k]!)) mask |= 1 << k;
  if (mask === 0) return line;
  const re = (pathPatterns[mask] ??= new RegExp(`(?:${PATH_KINDS.filter((_, k) => mask & (1 << k)).join('|')})`, 'g'));
  return line.replace(re, '<path>');
}

/**
 * [regex, replacement, gate], or a function that does the replacing: the gate is a cheap test
 * that every match of the regex needs (a character each match contains), so that a line lacking it
 * skips the regex. Gates are checked on the line as the replacements before them left it.
 */
const REPLACEMENTS: ([RegExp, string, (line: string) => boolean] | ((line: string) => string))[] = [
  // The value of an id field, whatever it looks like: `connection_id=52e6b438`, `request_id=1234`.
  [/\b([a-z_]*id)=("[^"]*"|'[^']*'|[^\s,;)]+)/gi, '$1=<id>', has('=')],
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>', has(':')],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>', has('-')],
  [/[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+/gi, '<email>', has('@')],
  // Paths (two parts or more): `/srv/inbox/r-0716d9/part-0001.bin`, `s3://inbox/a/b`, `C:\data\x` (replacePaths).
  replacePaths,
  // Quoted values: `'inbox-eu'`, `"9b07…"` (a quote of a sentence, with spaces, stays).
  [/'[^'\s]{1,80}'|"[^"\s]{1,80}"/g, "'<v>'", (l) => l.includes("'") || l.includes('"')],
  // Ids joined by underscores: `attempt_202605121400_000001_0`, `job_1715522602_0042`.
  [/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\d+(?:_[a-z0-9]+)*\b/gi, '<id>', has('_')],
  [/\b0x[0-9a-f]+\b/gi, '<hex>', has('0')],
  // Hex ids of six digits or more with a digit among them: `52e6b438`, `r-0716d9`'s `0716d9`.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, '<id>', hasDigit],
  [/\b[0-9a-f]{12,}\b/gi, '<hex>', () => true],
  [/\b\d+(?:[.,]\d+)?\s?(?:[KMGTP]i?B|kB|bytes?|B)\b/g, '<size>', hasDigit],
  [/\b\d+(?:\.\d+)?\s?(?:ns|\u00b5s|us|ms|[dhs]|sec|secs|seconds?|min|mins|minutes?|hours?|days?)\b/g, '<duration>', hasDigit],
  [/\b\d+(?:\.\d+)?\b/g, '<n>', hasDigit],
];

export function messageTemplate(message: string, max = 240): string {
  const nl = message.indexOf('\n');
  let line = nl < 0 ? message : message.slice(0, nl);
  if (line.length > 4 * max) line = line.slice(0, 4 * max);
  for (let i = 0; i < REPLACEMENTS.length; i++) {
    const r = REPLACEMENTS[i]!;
    if (typeof r === 'function') line = r(line);
    else if (r[2](line)) line = line.replace(r[0], r[1]);
  }
  // Most lines have single spaces only, which the replacement would copy unchanged.
  if (UNEVEN_SPACE.test(line)) line = line.replace(/\s+/g, ' ');
  line = line.trim();
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

/** White space that `\s+` → ` ` would change: two in a row, or one that is not a space. */
const UNEVEN_SPACE = /\s\s|[^\S ]/;

/** One line of a record, cut around `offset` to at most `max` characters. */
export function excerptAt(text: string, offset: number, max = 300): { excerpt: string; lineDelta: number } {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  let lineDelta = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) lineDelta++;
  let line = text.slice(start, end);
  if (line.length > max) {
    const rel = offset - start;
    const from = Math.max(0, Math.min(rel - Math.floor(max / 4), line.length - max));
    line = (from > 0 ? '…' : '') + line.slice(from, from + max) + (from + max < line.length ? '…' : '');
  }
  return { excerpt: line.replace(/\r$/, ''), lineDelta };
}
