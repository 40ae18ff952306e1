import { shipperMessage } from '../../src/envelopes/shipper-message.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(shipperMessage, {
  takes: [
    ['{"@timestamp":"2026-05-12T14:03:22.118Z","message":"2026-05-12 14:03:22,118 ERROR sync failed","host":{"name":"h"}}', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'json:message', escaped: true, dated: true }],
    // A structured logger's message: found here; the reader reads it as JSON, for no date opens it.
    ['{"level":"error","message":"sync failed"}', { payload: 'sync failed', lane: 'json:message', escaped: true, dated: true }],
  ],
  leaves: ['{"level":"error","msg":"sync failed"}', '{"messages":["a"]}', '{"message":{"text":"nested"}}'],
});
