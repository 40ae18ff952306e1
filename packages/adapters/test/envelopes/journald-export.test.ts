/**
 * journalctl -o export: a block shape (an entry is field lines up to a blank line, a binary
 * field's bytes over several lines); the captured export of the real journald is read in
 * journald-modes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { binaryValue, exportField, journaldExport } from '../../src/envelopes/journald-export.js';
import { blockTable } from '../helpers/envelope-table.js';

/** A binary field's bytes as journald writes them (length, 64-bit little-endian, then the bytes), as the reader holds them (one char a byte). */
const bytes = (text: string) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  return b.toString('latin1') + Buffer.from(text).toString('latin1');
};

const CURSOR = '__CURSOR=s=c224d615775b44a68ad5d4af53ea2b31;i=159;b=1e6c84b7fc0942138d3db5f7268cb93c;m=32bcdb0d9;t=661dd0f7fe9e9;x=1e793744';
const C = CURSOR.slice('__CURSOR='.length);
/** A binary field's value as the reader's lines hold it: the bytes split at their line ends. */
const binaryLines = (name: string, text: string) => [name, ...bytes(text).split('\n')];

blockTable(journaldExport, {
  reads: [
    ['an entry, up to its blank line', [CURSOR, '_PID=7304', 'MESSAGE=sync failed', '', '__CURSOR=s=next'], { __CURSOR: C, _PID: '7304', MESSAGE: 'sync failed' }, 4],
    [
      'a binary MESSAGE holding a traceback with a blank line',
      [CURSOR, ...binaryLines('MESSAGE', 'sync failed\nTraceback (most recent call last):\n\nInvalidToken'), '_PID=7304', ''],
      { __CURSOR: C, MESSAGE: 'sync failed\nTraceback (most recent call last):\n\nInvalidToken', _PID: '7304' },
      8,
    ],
    ['a binary value whose length holds a line end (10 bytes)', [CURSOR, ...binaryLines('MESSAGE', '0123456789'), ''], { __CURSOR: C, MESSAGE: '0123456789' }, 5],
    ['an entry cut short by a line that is no field', [CURSOR, 'MESSAGE=x', 'Traceback (most recent call last):'], { __CURSOR: C, MESSAGE: 'x' }, 2],
  ],
  opensNot: ['_PID=7304', 'MESSAGE=x', '__cursor=s=1', '', '2026-05-12 14:00:00,000 INFO [scs.sync.sender] x'],
});

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
