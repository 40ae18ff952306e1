import { loki } from '../../src/envelopes/loki.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(loki, {
  takes: [
    ['{"labels":{"app":"scs"},"line":"2026-05-12 14:03:22,118 ERROR sync failed","timestamp":"2026-05-12T14:03:22.118Z"}', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'json:line', escaped: true, dated: true }],
    ['{"line":"Traceback (most recent call last):","stream":"stderr"}', { payload: 'Traceback (most recent call last):', lane: 'json:line:stderr', escaped: true, dated: true }],
  ],
  leaves: ['{"labels":{"app":"scs"},"timestamp":"2026-05-12T14:03:22.118Z"}', '{"lines":"x"}', '{"line":12}'],
});
