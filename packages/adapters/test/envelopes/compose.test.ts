import { compose } from '../../src/envelopes/compose.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(compose, {
  takes: [
    ['scs-1  | 2026-05-12 14:03:22,118 ERROR sync failed', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'prefix:scs-1' }],
    ['\x1b[36mscs_1  | \x1b[0m    raise InvalidToken', { payload: '\x1b[0m    raise InvalidToken'.replace('\x1b[0m', ''), lane: 'prefix:scs_1' }],
  ],
  leaves: ['scs  | no replica number', 'sync failed | at 14:03', 'Scs-1  | text'],
});
