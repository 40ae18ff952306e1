import { cloudLogging } from '../../src/envelopes/cloud-logging.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(cloudLogging, {
  takes: [
    ['{"textPayload":"2026-05-12 14:03:22,118 ERROR sync failed\\n","timestamp":"2026-05-12T14:03:22.118Z","severity":"ERROR"}', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'json:textPayload', escaped: true }],
    ['{"textPayload": "    raise InvalidToken", "timestamp": "2026-05-12T14:03:22.118Z"}', { payload: '    raise InvalidToken', lane: 'json:textPayload', escaped: true }],
  ],
  leaves: ['{"jsonPayload":{"message":"sync failed"},"severity":"ERROR"}', '{"protoPayload":{"status":{"message":"denied"}}}'],
});
