import { stern } from '../../src/envelopes/stern.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(stern, {
  seen: ['scs-0 sidecar'],
  takes: [
    ['scs-7d9f8b6c4-x2k9p scs 2026-05-12 14:03:22,118 ERROR sync failed', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'stern:scs-7d9f8b6c4-x2k9p scs' }],
    ['\x1b[32mscs-0\x1b[0m \x1b[36mscs\x1b[0m ERROR:scs.sync:sync failed', { payload: 'ERROR:scs.sync:sync failed', lane: 'stern:scs-0 scs' }],
    // A pair seen before a log line: its further lines (frames) are its own, whatever they start with.
    ['scs-0 sidecar     raise InvalidToken', { payload: '    raise InvalidToken', lane: 'stern:scs-0 sidecar' }],
  ],
  leaves: ['sync failed for connection 4f1c9a2e', 'scs-0 scs not a log line', 'scs main 2026-05-12 14:03:22,118 ERROR pod name without a digit', 'Scs-0 scs 2026-05-12 14:03:22,118 ERROR upper case'],
});
