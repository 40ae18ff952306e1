import { jsonSeq } from '../../src/envelopes/json-seq.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(jsonSeq, {
  takes: [['\x1e{"MESSAGE":"x","_PID":"7"}', { payload: '{"MESSAGE":"x","_PID":"7"}' }]],
  leaves: ['{"MESSAGE":"x"}', '\x1e[1,2]', '\x1e'],
});
