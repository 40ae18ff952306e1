import { kubectlTimestamps } from '../../src/envelopes/kubectl-timestamps.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(kubectlTimestamps, {
  takes: [
    ['2026-05-12T14:03:22.118234567Z 2026-05-12 14:03:22,118 ERROR sync failed', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', time: '2026-05-12T14:03:22.118234567Z' }],
    ['2026-05-12T14:03:22.118234567+02:00   File "x.py", line 3', { payload: '  File "x.py", line 3', time: '2026-05-12T14:03:22.118234567+02:00' }],
  ],
  leaves: ['2026-05-12T14:03:22.118Z sync failed', '2026-05-12T14:03:22.118234567Ztext', '2026-05-12 14:03:22.118234567 text', '2026-05-12T14:03:22.118234567 text'],
});
