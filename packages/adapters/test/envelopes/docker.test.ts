import { docker } from '../../src/envelopes/docker.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(docker, {
  takes: [
    [
      '{"log":"2026-05-12 14:03:22,118 ERROR sync failed\\n","stream":"stdout","time":"2026-05-12T14:03:22.118234567Z"}',
      { payload: '2026-05-12 14:03:22,118 ERROR sync failed', lane: 'docker:stdout', time: '2026-05-12T14:03:22.118234567Z', escaped: true },
    ],
    ['{"log":"  File \\"x.py\\", line 3\\r\\n","stream":"stderr","time":"2026-05-12T14:03:22Z"}', { payload: '  File \\"x.py\\", line 3', lane: 'docker:stderr', time: '2026-05-12T14:03:22Z', escaped: true }],
    ['{"log":"a piece of a long line","stream":"stdout","time":"2026-05-12T14:03:22Z"}', { payload: 'a piece of a long line', lane: 'docker:stdout', time: '2026-05-12T14:03:22Z', escaped: true, partial: true }],
    ['{"log":"ends with a backslash \\\\n","stream":"stdout"}', { payload: 'ends with a backslash \\\\n', lane: 'docker:stdout', escaped: true, partial: true }],
  ],
  leaves: ['{"log":"no stream field\\n"}', '{"message":"x","stream":"stdout"}', '{ "log":"spaced\\n","stream":"stdout"}', 'log: text'],
});
