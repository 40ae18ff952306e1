import { isoPrefix } from '../../src/envelopes/iso-prefix.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(isoPrefix, {
  takes: [
    // Grafana's log download
    ['2026-05-12T14:03:22.118Z\t2026-05-12 14:03:22,118 ERROR sync failed', { payload: '2026-05-12 14:03:22,118 ERROR sync failed', time: '2026-05-12T14:03:22.118Z' }],
    // logcli
    ['2026-05-12T14:03:22.118Z {app="scs", pod="scs-0"} ERROR sync failed', { payload: 'ERROR sync failed', lane: 'prefix:{app="scs", pod="scs-0"}', time: '2026-05-12T14:03:22.118Z' }],
    // rsyslog's RFC 3339 files, journalctl -o short-iso
    ['2026-05-12T14:03:22+0000 host scs-sync[7301]:   File "x.py", line 3', { payload: '  File "x.py", line 3', lane: 'prefix:host scs-sync[7301]', time: '2026-05-12T14:03:22+0000' }],
    // aws logs tail
    ['2026-05-12T14:03:22.118000+00:00 ecs/scs/0a1b2c ERROR sync failed', { payload: 'ERROR sync failed', lane: 'prefix:ecs/scs/0a1b2c', time: '2026-05-12T14:03:22.118000+00:00' }],
    // a CloudWatch export to S3: a bare time, taken only where a traceback goes on
    ['2026-05-12T14:03:22.118Z     raise InvalidToken', { payload: '    raise InvalidToken', time: '2026-05-12T14:03:22.118Z', weak: true }],
  ],
  leaves: ['2026-05-12 14:03:22,118 ERROR sync failed', '2026-05-12T14:03:22 no zone', '2026-05-12T14:03:22.118234567Z stdout F text'.slice(0, 10)],
});
