/**
 * `journalctl -o verbose`: an entry is a header (`Tue 2026-05-12 14:03:22.118234 UTC [s=…;i=…]`)
 * and its fields, one per line indented by four spaces (`    MESSAGE=…`), a value's further lines
 * indented to its start. The reader reads an entry as the JSON object `-o json` writes for it.
 */

const JOURNAL_VERBOSE_HEAD = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{6}) ([A-Z][A-Za-z]{0,5}|[+-]\d\d:?\d\d) \[s=[0-9a-f]{32};i=[0-9a-f]+;/;
const JOURNAL_FIELD_LINE = /^ {4}(_{0,2}[A-Z0-9][A-Z0-9_]{0,63})=(.*)$/;

/** An entry's header: undefined when the line is none; else the entry's time (UTC only, else undefined). */
export function verboseHead(s: string): { time: string | undefined } | undefined {
  const head = JOURNAL_VERBOSE_HEAD.exec(s);
  if (!head) return undefined;
  return { time: head[3] === 'UTC' || head[3] === 'GMT' ? `${head[1]}T${head[2]}Z` : undefined };
}

/** One field line of an entry: its name and value, or undefined. */
export function verboseField(s: string): [string, string] | undefined {
  const m = JOURNAL_FIELD_LINE.exec(s);
  return m ? [m[1]!, m[2]!] : undefined;
}
