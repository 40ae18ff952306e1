import { journalMonotonic } from '../../src/envelopes/journal-monotonic.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(journalMonotonic, {
  takes: [
    ['[  123.456789] host scs-sync[7301]: ERROR sync failed', { payload: 'ERROR sync failed', lane: 'prefix:host scs-sync[7301]' }],
    ['[  123.456789 <    0.000123>] host scs-sync[7301]: Traceback (most recent call last):', { payload: 'Traceback (most recent call last):', lane: 'prefix:host scs-sync[7301]' }],
  ],
  leaves: ['[2026-05-12 14:03:22,118] ERROR sync failed', '[  123.456] host scs: text', '[ERROR] sync failed'],
});
