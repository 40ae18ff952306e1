import { journalFull } from '../../src/envelopes/journal-full.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(journalFull, {
  takes: [
    ['Tue 2026-05-12 14:03:22 UTC host scs-sync[7301]: ERROR sync failed', { payload: 'ERROR sync failed', lane: 'prefix:host scs-sync[7301]', time: '2026-05-12T14:03:22Z' }],
    ['Tue 2026-05-12 16:03:22.118234 +02:00 host scs-sync[7301]: text', { payload: 'text', lane: 'prefix:host scs-sync[7301]', time: '2026-05-12T16:03:22.118234+02:00' }],
    // A zone by name: the time is not taken (journalctl's names are not offsets).
    ['Tue 2026-05-12 16:03:22 CEST host scs-sync[7301]: text', { payload: 'text', lane: 'prefix:host scs-sync[7301]' }],
  ],
  leaves: ['Tue 2026-05-12 14:03:22.118234 UTC [s=0123456789abcdef0123456789abcdef;i=1a;b=x]', 'May 12 14:03:22 host scs-sync[7301]: text', 'Tue 2026-05-12 sync failed'],
});
