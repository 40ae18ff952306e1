/**
 * Text from logs, histories and file names made safe to show. A log line can hold terminal
 * escapes (clear the screen, set the window title, move the cursor back over a line) and
 * bidirectional overrides that make text read differently from what it is: in a terminal they
 * act, so every text written to one has them made visible instead (`\x1b`, `\u202e`). Line feeds
 * and tabs stay (a traceback's lines); a carriage return, which can write over a line, does not.
 */

/** C0 controls but TAB and LF, DEL, C1 controls, and the Unicode format characters that reorder or hide text. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

function code(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** The text with control characters, C1 codes and bidirectional controls written as visible escapes. */
export function visible(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, code) : s;
}

/** The same on one line: line feeds and tabs made visible too (a name, a header field). */
export function visibleLine(s: string): string {
  return visible(s).replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}

/** Every string in a value (object keys too) passed through `visible`; other values as they are. */
export function visibleDeep<T>(value: T): T {
  return deep(value, 0) as T;
}

function deep(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return visible(v);
  if (v === null || typeof v !== 'object' || depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => deep(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[visible(k)] = deep(x, depth + 1);
  return out;
}

/**
 * A Markdown code span that holds `s` as it is: fenced by one backtick more than the longest
 * run inside (CommonMark §6.1), padded with a space when it starts or ends with a backtick or a
 * space, on one line.
 */
export function codeSpan(s: string): string {
  const text = s.replace(/\r?\n|\r/g, ' ');
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Markdown text: HTML written as entities (no tag reaches a renderer), Markdown's marks escaped, on one line. */
export function markdownText(s: string): string {
  return s
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r?\n|\r/g, ' ');
}
