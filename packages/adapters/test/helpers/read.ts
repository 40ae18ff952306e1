/** Runs bytes through the real reader and returns the records it hands over and the report. */
import { DiagnosisSession, type LogRecord, type Report, type RulePack } from '@scs-doctor/core/internal';
import { readLogText, type ReadOptions } from '../../src/index.js';

export const NOW = '2026-05-12T12:00:00Z';

export interface ReadResult {
  /** Every record (the reader is asked for all of them, not only prefilter candidates). */
  records: LogRecord[];
  /** The report of the same bytes read the normal way (prefilter on). */
  report: Report;
}

export function readAll(pack: RulePack, bytes: string | Buffer, name = 'input.log', options: ReadOptions = {}): ReadResult {
  const records: LogRecord[] = [];
  const recorder = new DiagnosisSession(pack, { now: NOW });
  const log = recorder.log.bind(recorder);
  recorder.log = (r: LogRecord) => (records.push(r), log(r));
  readLogText(bytes, name, recorder, { ...options, everyRecord: true });
  const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
  readLogText(bytes, name, session, options);
  return { records, report: session.report() };
}
