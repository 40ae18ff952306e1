import { kubectlPrefix } from '../../src/envelopes/kubectl-prefix.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(kubectlPrefix, {
  takes: [
    ['[pod/scs-7d9f8b6c4-x2k9p/scs] 2026-05-12 14:03:22,118 ERROR sync failed', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: '[pod/scs-7d9f8b6c4-x2k9p/scs]' }],
    ['[pod/scs-0/sidecar]   File "x.py", line 3', { payload: '  File "x.py", line 3', lane: '[pod/scs-0/sidecar]' }],
  ],
  leaves: [`[pod/${'a'.repeat(600)}/scs] text`, '[2026-05-12 14:03:22,118] ERROR sync failed', '[pod/scs-0/scs]text'],
});
