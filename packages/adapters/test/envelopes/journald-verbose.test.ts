/**
 * journalctl -o verbose: a block shape (an entry is a header and its indented field lines); the
 * captured output of the real journald is read in journald-modes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { journaldVerbose, verboseField, verboseHead } from '../../src/envelopes/journald-verbose.js';
import { blockTable } from '../helpers/envelope-table.js';

const HEAD = 'Sat 2026-12-05 06:25:35.971817 UTC [s=c224d615775b44a68ad5d4af53ea2b31;i=159;b=1e6c84b7fc0942138d3db5f7268cb93c;m=32bcdb0d9;t=661dd0f7fe9e9;x=1e793744]';
const NEXT = HEAD.replace('i=159', 'i=15a');
const TIME = '2026-12-05T06:25:35.971817Z';

blockTable(journaldVerbose, {
  reads: [
    ['an entry, up to the next header', [HEAD, '    _PID=7304', '    MESSAGE=sync failed', NEXT], { __REALTIME_TIMESTAMP: TIME, _PID: '7304', MESSAGE: 'sync failed' }, 3],
    [
      "a MESSAGE's further lines, indented to its value (a traceback with a blank line)",
      [HEAD, '    MESSAGE=sync failed', '            Traceback (most recent call last):', '            ', '            InvalidToken', '    _PID=7304'],
      { __REALTIME_TIMESTAMP: TIME, MESSAGE: 'sync failed\nTraceback (most recent call last):\n\nInvalidToken', _PID: '7304' },
      6,
    ],
    ['an entry ended by a line that is none of its', [HEAD, '    MESSAGE=x', 'Sat 2026-12-05 06:25:35 vm scs-sync[7304]: text'], { __REALTIME_TIMESTAMP: TIME, MESSAGE: 'x' }, 2],
    ['a line indented less than the value, after a field', [HEAD, '    MESSAGE=x', '  y'], { __REALTIME_TIMESTAMP: TIME, MESSAGE: 'x' }, 2],
    ['the first of two same fields kept, as -o json does not repeat keys', [HEAD, '    A=1', '    A=2'], { __REALTIME_TIMESTAMP: TIME, A: '1' }, 3],
    ['a time in a zone other than UTC: none', [HEAD.replace(' UTC ', ' CEST '), '    MESSAGE=x'], { MESSAGE: 'x' }, 2],
  ],
  opensNot: ['    MESSAGE=x', 'Sat 2026-12-05 06:25:35 vm scs-sync[7304]: text', 'Tue 2026-05-12 14:03:22.118234 UTC [s=short;i=1a;]', '2026-05-12 14:00:00,000 INFO [scs.sync.sender] x', ''],
});

describe('log shape journald-verbose', () => {
  it.each([
    ['Tue 2026-05-12 14:03:22.118234 UTC [s=0123456789abcdef0123456789abcdef;i=1a;b=0123;m=1;t=2;x=3]', { time: '2026-05-12T14:03:22.118234Z' }],
    ['Tue 2026-05-12 16:03:22.118234 CEST [s=0123456789abcdef0123456789abcdef;i=1a;b=0123;m=1;t=2;x=3]', { time: undefined }],
  ])('a header: %j', (line, head) => expect(verboseHead(line)).toEqual(head));
  it.each(['Tue 2026-05-12 14:03:22 UTC host scs-sync[7301]: text', '    MESSAGE=x', 'Tue 2026-05-12 14:03:22.118234 UTC [s=short;i=1a;]'])('no header: %j', (line) => expect(verboseHead(line)).toBeUndefined());
  it.each([
    ['    MESSAGE=sync failed', ['MESSAGE', 'sync failed']],
    ['    _PID=7301', ['_PID', '7301']],
    ['    __REALTIME_TIMESTAMP=1778594400000000', ['__REALTIME_TIMESTAMP', '1778594400000000']],
  ])('a field: %j', (line, field) => expect(verboseField(line)).toEqual(field));
  it.each(['MESSAGE=x', '    message=x', '            Traceback (most recent call last):'])('no field: %j', (line) => expect(verboseField(line)).toBeUndefined());
});
