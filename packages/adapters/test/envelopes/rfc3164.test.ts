import { rfc3164 } from '../../src/envelopes/rfc3164.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(rfc3164, {
  takes: [
    ['May 12 14:03:22 host scs-sync[7301]: 2026-05-12 14:03:22,118 ERROR sync failed', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'prefix:host scs-sync[7301]' }],
    ['<11>May  2 14:03:22 host scs-sync: ERROR sync failed', { payload: 'ERROR sync failed', lane: 'prefix:host scs-sync' }],
    // journalctl -o short-precise
    ['May 12 14:03:22.118234 host scs-sync[7301]:     raise InvalidToken', { payload: '    raise InvalidToken', lane: 'prefix:host scs-sync[7301]' }],
  ],
  leaves: ['May 12 14:03:22 sync failed', 'ERROR sync failed', 'Tue 2026-05-12 14:03:22 UTC host scs-sync[7301]: text'],
});
