import { fluentBit } from '../../src/envelopes/fluent-bit.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(fluentBit, {
  takes: [
    ['{"date":1715522602.118,"log":"2026-05-12 14:03:22,118 ERROR sync failed"}', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'json:log', escaped: true }],
    ['{"date":1715522602.118,"stream":"stderr","log":"Traceback (most recent call last):\\n"}', { payload: 'Traceback (most recent call last):', lane: 'json:log:stderr', escaped: true }],
    ['{"log" : "  File \\"x.py\\", line 3\\r\\n"}', { payload: '  File \\"x.py\\", line 3', lane: 'json:log', escaped: true }],
  ],
  leaves: ['{"level":"error","msg":"sync failed"}', '{"logger":"scs","msg":"log"}', '{"log":42}', '{"log":"never closed'],
});
