/**
 * One vocabulary of field names for every reader: a JSON log line's time under any of its names
 * (`eventTime` too) gives the diagnosis its time, and the text rules read holds every string field
 * that is not metadata, so a failure told in `error` or `reason` is found.
 */
import { describe, expect, it } from 'vitest';
import { DiagnosisSession, vocabulary } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { fromJsonObject } from '../src/formats/json.js';
import { loadRulePack, LogReader } from '../src/index.js';

const pack = await loadRulePack([rulesDir]);

function report(text: string) {
  const session = new DiagnosisSession(pack, { now: '2026-05-13T00:00:00Z' });
  const reader = new LogReader(session, 'x.log');
  reader.push(Buffer.from(text));
  reader.end();
  return session.report();
}

describe('field names', () => {
  it.each(vocabulary.TIME_KEYS.filter((k) => k !== '__REALTIME_TIMESTAMP' && k !== 'created' && k !== 't'))('the time under %s', (key) => {
    const r = report(JSON.stringify({ [key]: '2026-05-12T14:03:22.118Z', level: 'error', event: 'sync_failed', reason: 'shared secret unavailable: InvalidToken' }) + '\n');
    expect(r.diagnoses.map((d) => [d.ruleId, d.firstSeen])).toEqual([['shared-secret-invalid-token', '2026-05-12T14:03:22.118Z']]);
  });

  it('a raw line a collector carries takes the time under a vocabulary key the old raw-line list lacked (eventTime)', () => {
    const line = JSON.stringify({ eventTime: '2026-05-12T14:03:22.118Z', log: 'ERROR [scs.sync.sender] connection_id=4f1c9a2e shared secret unavailable: InvalidToken\n' });
    const r = report(line + '\n');
    expect(r.diagnoses.map((d) => [d.ruleId, d.firstSeen])).toEqual([['shared-secret-invalid-token', '2026-05-12T14:03:22.118Z']]);
  });

  it('every string field that is not metadata is read after the message; metadata is not', () => {
    const j = fromJsonObject({
      event: 'sync failed',
      error: 'properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation',
      hostname: 'properties read failed',
      connection_id: 'abc',
      detail: { why: 'a nested reason' },
    })!;
    const lines = j.message.split('\n');
    expect(lines[0]).toBe('sync failed');
    expect(lines).toContain('error: properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation');
    expect(lines).toContain('detail.why: a nested reason');
    expect(j.message).not.toContain('hostname');
    expect(j.message).not.toContain('abc');
  });

  it('a field that names the failure is diagnosed; the same words under a metadata key are not', () => {
    expect(report('{"time":"2026-05-12T14:03:22Z","level":"error","event":"sync failed","error":"properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation"}\n').diagnoses.map((d) => d.ruleId)).toEqual([
      'manifest-key-missing',
    ]);
    expect(report('{"time":"2026-05-12T14:03:22Z","level":"error","event":"sync failed","logger":"shared secret unavailable: InvalidToken"}\n').diagnoses).toEqual([]);
  });
});
