/**
 * Records whose only sign of trouble is their level, in the ways structured producers write it,
 * pass the prefilter: an error no rule knows is listed in `unmatched` (where new SCS errors show up).
 */
import { describe, expect, it } from 'vitest';
import { DiagnosisSession } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { loadRulePack, LogReader } from '../src/index.js';

const pack = await loadRulePack([rulesDir]);

function unmatched(text: string): string[] {
  const session = new DiagnosisSession(pack, { now: '2026-05-12T12:00:00Z' });
  const reader = new LogReader(session, 'x.log');
  reader.push(Buffer.from(text));
  reader.end();
  return session.report().unmatched.map((u) => u.template);
}

describe('error levels the prefilter knows', () => {
  const NEW_ERROR = 'inbox poll failed: QuotaExceeded for bucket inbox-eu';
  it.each([
    ['journald JSON, priority err (3)', `{"__REALTIME_TIMESTAMP":"1715522602118000","PRIORITY":"3","SYSLOG_IDENTIFIER":"scs","MESSAGE":"${NEW_ERROR}"}\n`],
    ['journald JSON, priority crit (2), older spacing', `{ "__REALTIME_TIMESTAMP" : "1715522602118000", "PRIORITY" : "2", "MESSAGE" : "${NEW_ERROR}" }\n`],
  ])('%s', (_name, text) => {
    expect(unmatched(text).join('\n')).toContain('QuotaExceeded');
  });

  it('a journald record at priority info (6) is not an error', () => {
    expect(unmatched(`{"__REALTIME_TIMESTAMP":"1715522602118000","PRIORITY":"6","MESSAGE":"${NEW_ERROR}"}\n`)).toEqual([]);
  });
});
