/** Message templates for the report's `unmatched` list: the same error with other ids is one entry. */
const REPLACEMENTS: [RegExp, string][] = [
  // The value of an id field, whatever it looks like: `connection_id=52e6b438`, `request_id=1234`.
  [/\b([A-Za-z_]*(?:[Ii][Dd]|ID))=("[^"]*"|'[^']*'|[^\s,;)]+)/g, '$1=<id>'],
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/[\w.+-]{1,64}@[A-Z0-9-]{1,63}(?:\.[A-Z0-9-]{1,63})+/gi, '<email>'],
  // Paths (two parts or more): `/srv/inbox/r-0716d9/part-0001.bin`, `s3://inbox/a/b`, `C:\data\x`.
  [/(?:\b[a-z][a-z0-9+.-]{0,15}:\/\/[^\s'"()<>]+|(?<![\w.])~?(?:\/[\w.@%+=:,-]+){2,}\/?|\b[A-Za-z]:(?:\\[\w.@%+=,-]+){2,})/g, '<path>'],
  // Quoted values: `'inbox-eu'`, `"9b07…"` (a quote of a sentence, with spaces, stays).
  [/'[^'\s]{1,80}'|"[^"\s]{1,80}"/g, "'<v>'"],
  // Ids joined by underscores: `attempt_202605121400_000001_0`, `job_1715522602_0042`.
  [/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_\d+(?:_[A-Z0-9]+)*\b/gi, '<id>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Hex ids of six digits or more with a digit among them: `52e6b438`, `r-0716d9`'s `0716d9`.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, '<id>'],
  [/\b[0-9a-f]{12,}\b/gi, '<hex>'],
  [/\b\d+(?:[.,]\d+)?\s?(?:[KMGTP]i?B|[kKMGTP]B|bytes?|B)\b/g, '<size>'],
  [/\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|[shd]|sec|secs|seconds?|min|mins|minutes?|hours?|days?)\b/g, '<duration>'],
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
