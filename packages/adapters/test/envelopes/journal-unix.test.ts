import { journalUnix } from '../../src/envelopes/journal-unix.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(journalUnix, {
  takes: [
    ['1778594401.000123 host scs-sync[7301]: 2026-05-12 14:00:01,000 ERROR sync failed', { payload: '2026-05-12 14:00:01,000 ERROR sync failed', lane: 'prefix:host scs-sync[7301]', time: '2026-05-12T14:00:01.000Z' }],
    ['1778594401.5 host kernel: text', { payload: 'text', lane: 'prefix:host kernel', time: '2026-05-12T14:00:01.500Z' }],
  ],
  leaves: ['1778594401 host scs-sync[7301]: text', '2026-05-12 14:00:01,000 ERROR sync failed', '12345.678901 a line of numbers'],
});
