/**
 * `journalctl -o export` (systemd's Journal Export Format): an entry is `KEY=value` lines and ends
 * with a blank line; a value that is not plain text (a multi-line MESSAGE, binary data) is written
 * as `KEY`, a line end, its length as a 64-bit little-endian number, the bytes and a line end. The
 * reader reads an entry as the JSON object `-o json` writes for it.
 */

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
