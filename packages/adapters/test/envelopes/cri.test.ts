import { cri } from '../../src/envelopes/cri.js';
import { envelopeTable } from '../helpers/envelope-table.js';

envelopeTable(cri, {
  takes: [
    ['2026-05-12T14:03:22.118234567Z stdout F 2026-05-12 14:03:22,118 ERROR [scs.sync] sync failed', { payload: '2026-05-12 14:03:22,118 ERROR [scs.sync] sync failed', lane: 'cri:stdout', time: '2026-05-12T14:03:22.118234567Z' }],
    ['2026-05-12T14:03:22.118234567Z stderr F Traceback (most recent call last):', { payload: 'Traceback (most recent call last):', lane: 'cri:stderr', time: '2026-05-12T14:03:22.118234567Z' }],
    ['2026-05-12T14:03:22.118234567+02:00 stdout P a line the runtime cut', { payload: 'a line the runtime cut', lane: 'cri:stdout', time: '2026-05-12T14:03:22.118234567+02:00', partial: true }],
    ['2026-05-12T14:03:22.118234567Z stdout F', { payload: '', lane: 'cri:stdout', time: '2026-05-12T14:03:22.118234567Z' }],
  ],
  leaves: [
    '2026-05-12T14:03:22.118234567Z stdin F text',
    '2026-05-12T14:03:22.118234567Z stdout X text',
    '2026-05-12T14:03:22.118234567Z stdout Ftext',
    '2026-05-12 14:03:22,118 ERROR [scs.sync] stdout F',
    '{"log":"text\\n","stream":"stdout"}',
  ],
});
