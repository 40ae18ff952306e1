import { journaldJson } from '../../src/envelopes/journald-json.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(journaldJson, {
  takes: [
    ['{"__REALTIME_TIMESTAMP":"1778594400000000","_PID":"7301","MESSAGE":"Traceback (most recent call last):","_TRANSPORT":"stdout"}', { payload: 'Traceback (most recent call last):', lane: 'json:MESSAGE:7301', escaped: true }],
    ['{ "__REALTIME_TIMESTAMP" : "1778594400000000", "MESSAGE" : "2026-05-12 14:00:01,000 ERROR sync failed" }', { payload: '2026-05-12 14:00:01,000 ERROR sync failed', lane: 'json:MESSAGE', escaped: true }],
  ],
  leaves: [
    // python-systemd's JournalHandler: one entry a record, read as JSON.
    '{"MESSAGE":"[scs.sync.sender] sync failed\\nTraceback (most recent call last):","_TRANSPORT":"journal","_PID":"7321"}',
    '{"PRIORITY":"3","SYSLOG_IDENTIFIER":"scs"}',
    '{"MESSAGE":[104,105]}',
  ],
});
