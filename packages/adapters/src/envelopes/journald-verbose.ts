/**
 * `journalctl -o verbose`: an entry is a header (`Tue 2026-05-12 14:03:22.118234 UTC [s=…;i=…]`)
 * and its fields, one per line indented by four spaces (`    MESSAGE=…`), a value's further lines
 * indented to its start. An entry is a block (types.ts, BlockShape), read as the JSON object
 * `-o json` writes for it.
 */
import { journalObject } from './journal-entry.js';
import { NOT_MINE, TAKEN, type BlockShape } from './types.js';

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

/** Whether the first `n` characters of `s` are spaces. */
function isSpaces(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}

interface VerboseEntry {
  fields: [string, string][];
  /** Where the last field's value starts: its further lines are indented so. */
  indent: number;
  time: string | undefined;
}

export const journaldVerbose: BlockShape<VerboseEntry> = {
  name: 'journald-verbose',
  formats: ['auto'],
  // The weekday's initial: Mon, Tue, Wed, Thu, Fri, Sat, Sun.
  first: [...'MTWFS'].map((c) => c.charCodeAt(0)),
  raw: false,
  open(line) {
    const head = verboseHead(line);
    return head ? { fields: [], indent: 4, time: head.time } : undefined;
  },
  take(v, line) {
    if (line.charCodeAt(0) !== 32) return NOT_MINE;
    const field = verboseField(line);
    if (field) {
      v.fields.push(field);
      v.indent = field[0].length + 5;
      return TAKEN;
    }
    if (v.fields.length === 0 || !isSpaces(line, Math.min(v.indent, line.length))) return NOT_MINE;
    const last = v.fields[v.fields.length - 1]!;
    last[1] += '\n' + line.slice(v.indent);
    return TAKEN;
  },
  verbatim: () => false,
  record: (v) => journalObject(v.fields, v.time),
};
