import { jsonSse } from '../../src/envelopes/json-sse.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(jsonSse, {
  takes: [['data: {"MESSAGE":"x","_PID":"7"}', { payload: '{"MESSAGE":"x","_PID":"7"}' }]],
  leaves: ['data: text', 'data:{"MESSAGE":"x"}', 'date: {"a":1}', '{"MESSAGE":"x"}'],
});
