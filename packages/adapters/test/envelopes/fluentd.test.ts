import { fluentd } from '../../src/envelopes/fluentd.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(fluentd, {
  takes: [
    [
      '2026-05-12T14:03:22+00:00\tdocker.scs\t{"log":"2026-05-12 14:03:22,118 ERROR sync failed\\n","stream":"stdout"}',
      { payload: '{"log":"2026-05-12 14:03:22,118 ERROR sync failed\\n","stream":"stdout"}', lane: 'fluentd:docker.scs', time: '2026-05-12T14:03:22+00:00', json: true },
    ],
  ],
  leaves: ['2026-05-12T14:03:22+00:00\tsync failed', '2026-05-12T14:03:22+00:00\tdocker.scs\tnot json', '2026-05-12 14:03:22\tdocker.scs\t{"log":"x"}'],
});
