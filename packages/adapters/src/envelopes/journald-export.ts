/**
 * `journalctl -o export` (systemd's Journal Export Format): an entry is `KEY=value` lines and ends
 * with a blank line; a value that is not plain text (a multi-line MESSAGE, binary data) is written
 * as `KEY`, a line end, its length as a 64-bit little-endian number, the bytes and a line end. The
 * entry is a block (types.ts, BlockShape), read as the JSON object `-o json` writes for it.
 */
import { journalObject } from './journal-entry.js';
import { ENDS, NOT_MINE, TAKEN, type BlockShape } from './types.js';

/** The first field of every entry (`__CURSOR=s=…`). */
export const EXPORT_START = '__CURSOR=';
const TEXT_FIELD = /^([A-Z0-9_]{1,64})=/;
const BINARY_FIELD = /^[A-Z0-9_]{1,64}$/;

/**
 * A field line of an entry: `[key, value]` for a text field, `[key, undefined]` for the name of a
 * binary field (its length and bytes follow), undefined for a line that is no field.
 */
export function exportField(s: string): [string, string | undefined] | undefined {
  const m = TEXT_FIELD.exec(s);
  if (m) return [m[1]!, s.slice(m[0].length)];
  return BINARY_FIELD.test(s) ? [s, undefined] : undefined;
}

/**
 * The value of a binary field from what followed its name, the lines joined with `\n` (one char a
 * byte; `got` of them read, `acc` the first of them, kept up to a cap): undefined while more bytes
 * are to come (the length itself may hold a line end).
 */
export function binaryValue(acc: string, got = acc.length): string | undefined {
  if (acc.length < 8) return undefined;
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + acc.charCodeAt(i);
  return got >= 8 + n ? acc.slice(8, 8 + n) : undefined;
}

interface ExportEntry {
  fields: [string, string][];
  /** The binary field whose bytes are being read; `acc` those bytes (kept up to `cap`), `got` how many (-1: no line of them yet). */
  binary: string | undefined;
  acc: string;
  got: number;
  cap: number;
}

export const journaldExport: BlockShape<ExportEntry> = {
  name: 'journald-export',
  formats: ['auto'],
  first: [95],
  // A binary field's bytes run over lines (a traceback's line ends are among them) and may hold any byte.
  raw: true,
  open(line, maxLine) {
    if (!line.startsWith(EXPORT_START)) return undefined;
    return { fields: [['__CURSOR', line.slice(EXPORT_START.length)]], binary: undefined, acc: '', got: 0, cap: maxLine + 8 };
  },
  take(x, line) {
    if (x.binary !== undefined) {
      // The bytes after a binary field's name, one line at a time (joined by the line ends the split took).
      // (`got` is -1 before the first line: a first line may be empty, when the length starts with a line end.)
      const piece = x.got < 0 ? line : '\n' + line;
      x.got = Math.max(x.got, 0) + piece.length;
      if (x.acc.length < x.cap) x.acc += piece.length + x.acc.length > x.cap ? piece.slice(0, x.cap - x.acc.length) : piece;
      const value = binaryValue(x.acc, x.got);
      if (value !== undefined) {
        x.fields.push([x.binary, value]);
        x.binary = undefined;
      }
      return TAKEN;
    }
    // The blank line that ends the entry is the entry's.
    if (line.length === 0) return ENDS;
    const field = exportField(line);
    if (!field) return NOT_MINE;
    if (field[1] !== undefined) x.fields.push(field as [string, string]);
    else {
      x.binary = field[0];
      x.acc = '';
      x.got = -1;
    }
    return TAKEN;
  },
  verbatim: (x) => x.binary !== undefined,
  record: (x) => journalObject(x.fields, undefined),
};
