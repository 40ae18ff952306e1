import { describe, expect, it } from 'vitest';
import { outcomeByPatterns, outcomeOf } from '../src/engine/outcomes.js';

// outcomeOf reads a message that opens with `sync <word>` without its patterns; each case holds
// that reading to the patterns (outcomeByPatterns) and to the outcome it must give.
const cases: [message: string, outcome: 'success' | 'failure' | undefined][] = [
  ['sync finished connection_id=c-6a99b4 files_transferred=37 files_excluded=0 duration_ms=8696', 'success'],
  ['sync finished', 'success'],
  ['Sync finished connection_id=c-1', 'success'],
  ['SYNC FINISHED connection_id=c-1', 'success'],
  ['sync completed connection_id=c-1', 'success'],
  ['sync succeeded shared_id=S-1', 'success'],
  ['sync finished. connection_id=c-1', 'success'],
  ['sync finished: connection_id=c-1', 'success'],
  ['sync failed connection_id=c-1', 'failure'],
  ['Sync FAILED connection_id=c-1 error=timeout', 'failure'],
  ['sync failed, with 3 errors', 'failure'],
  ['sync finished with errors connection_id=c-1', undefined],
  ['sync finished with 3 errors connection_id=c-1', undefined],
  ['sync finished With Failures connection_id=c-1', undefined],
  ['sync finished with failure connection_id=c-1', undefined],
  ['sync finished partially connection_id=c-1', undefined],
  ['sync finished (partial) connection_id=c-1', undefined],
  ['sync finished but connection failed connection_id=c-1', 'failure'],
  ['sync finished; retry sync failed connection_id=c-1', 'failure'],
  ['sync finished; the next sync run failed connection_id=c-1', 'failure'],
  ['sync finished with warnings connection_id=c-1', 'success'],
  ['sync finished withdrawn=1 connection_id=c-1', 'success'],
  ['sync finished partialities=0 connection_id=c-1', 'success'],
  ['sync finished status=failed connection_id=c-1', 'success'],
  ['sync finished status=FAILED connection_id=c-1', 'success'],
  ['sync finishedx connection_id=c-1', undefined],
  ['sync finished_ok connection_id=c-1', undefined],
  ['sync finished2 connection_id=c-1', undefined],
  ['sync failedx connection_id=c-1', undefined],
  ['sync failed_over connection_id=c-1', undefined],
  ['sync finish connection_id=c-1', undefined],
  ['sync started connection_id=c-1', undefined],
  ['sync not finished connection_id=c-1', 'success'],
  ['sync never failed connection_id=c-1', 'failure'],
  ['sync done connection_id=c-1', 'success'],
  ['sync complete connection_id=c-1', 'success'],
  ['sync successful connection_id=c-1', 'success'],
  ['sync_finished connection_id=c-1', 'success'],
  ['sync_failed connection_id=c-1', 'failure'],
  ['sync  finished connection_id=c-1', undefined],
  ['syncs finished connection_id=c-1', undefined],
  ['resync finished connection_id=c-1', undefined],
  ['synced successfully connection_id=c-1', 'success'],
  ['synchronization finished connection_id=c-1', 'success'],
  ['sync job finished connection_id=c-1', 'success'],
  ['sync of c-1 failed', 'failure'],
  ['sync\tfinished connection_id=c-1', undefined],
  ['sync finished\tconnection_id=c-1', 'success'],
  ['sync finished connection_id=c-1\nwith errors', undefined],
  ['sync finished connection_id=c-1\nsync failed', 'failure'],
  ['sync failed\nsync finished', 'failure'],
  ['sync succeeded\r\n', 'success'],
  ['sync finished-early connection_id=c-1', 'success'],
  ['sync finished connection_id=c-1 note=withheld', 'success'],
  ['sync finished connection_id=c-1 note=with', 'success'],
  ['sync failed-over connection_id=c-1', 'failure'],
  [`sync finished ${'x'.repeat(2100)} with errors`, 'success'],
  [`sync finished ${'x'.repeat(2100)} sync failed`, 'success'],
];

describe('outcomeOf', () => {
  it.each(cases)('%s', (message, outcome) => {
    expect(outcomeOf(message)).toBe(outcome);
    expect(outcomeOf(message)).toBe(outcomeByPatterns(message));
  });
});
