/** Message templates for the report's `unmatched` list: the same error with other ids is one entry. */
const REPLACEMENTS: [RegExp, string][] = [
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b[0-9a-f]{12,}\b/gi, '<hex>'],
  [/\b\d+(?:\.\d+)?\b/g, '<n>'],
];

export function messageTemplate(message: string, max = 240): string {
  let line = message.split('\n', 1)[0] ?? '';
  if (line.length > 4 * max) line = line.slice(0, 4 * max);
  for (const [re, rep] of REPLACEMENTS) line = line.replace(re, rep);
  line = line.replace(/\s+/g, ' ').trim();
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

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
