/**
 * journalctl -o export: the field lines and binary values the reader reads an entry from (reader.ts
 * joins them); the captured export of the real journald is read in journald-modes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { binaryValue, exportField } from '../../src/envelopes/journald-export.js';

/** A binary field's bytes as journald writes them (length, 64-bit little-endian, then the bytes), as the reader holds them (one char a byte). */
const bytes = (text: string) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  return b.toString('latin1') + Buffer.from(text).toString('latin1');
};

describe('log shape journald-export', () => {
  it.each([
    ['MESSAGE=sync failed', ['MESSAGE', 'sync failed']],
    ['__REALTIME_TIMESTAMP=1778594400000000', ['__REALTIME_TIMESTAMP', '1778594400000000']],
    ['_CMDLINE=/usr/bin/python3 a=b', ['_CMDLINE', '/usr/bin/python3 a=b']],
    ['MESSAGE', ['MESSAGE', undefined]],
  ])('a field: %j', (line, field) => expect(exportField(line)).toEqual(field));
  it.each(['', 'message=x', '    MESSAGE=x', 'Traceback (most recent call last):'])('no field: %j', (line) => expect(exportField(line)).toBeUndefined());
  it.each([
    ['a traceback with blank lines', bytes('sync failed\nTraceback (most recent call last):\n\nInvalidToken'), 'sync failed\nTraceback (most recent call last):\n\nInvalidToken'],
    ['a length whose bytes hold a line end (10)', bytes('0123456789'), '0123456789'],
    ['UTF-8, one char a byte', bytes('é'), '\xc3\xa9'],
  ])('a binary value: %s', (_, acc, value) => expect(binaryValue(acc)).toBe(value));
  it.each([
    ['the length not whole', bytes('abc').slice(0, 5)],
    ['bytes still to come', bytes('sync failed').slice(0, 12)],
  ])('not yet: %s', (_, acc) => expect(binaryValue(acc)).toBeUndefined());
});
