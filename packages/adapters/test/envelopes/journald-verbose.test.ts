/** journalctl -o verbose: the entry header and field lines the reader reads an entry from (reader.ts joins them). */
import { describe, expect, it } from 'vitest';
import { verboseField, verboseHead } from '../../src/envelopes/journald-verbose.js';

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
