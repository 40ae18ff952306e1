import { rfc5424 } from '../../src/envelopes/rfc5424.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(rfc5424, {
  takes: [
    ['<11>1 2026-05-12T14:03:22.118Z host scs-sync 7301 - - ERROR sync failed', { payload: 'ERROR sync failed', lane: 'prefix:host scs-sync 7301', time: '2026-05-12T14:03:22.118Z' }],
    ['<11>1 - host scs-sync 7301 ID47 [origin ip="10.0.0.1"] \xef\xbb\xbfTraceback (most recent call last):', { payload: 'Traceback (most recent call last):', lane: 'prefix:host scs-sync 7301' }],
  ],
  leaves: ['<11>May 12 14:03:22 host scs-sync: text', '<11>2 2026-05-12T14:03:22Z host a b - - text', '<html>'],
});
