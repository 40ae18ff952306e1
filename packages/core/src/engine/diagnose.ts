import type { RulePack } from '../rules/compile.js';
import type { LogRecord, ProbeRecord, SyncEvent, SyncEventRecord } from '../schema/records.js';
import type { Report } from '../schema/report.js';
import { DiagnosisSession, type SessionOptions } from './session.js';

export interface DiagnoseInput {
  logs?: Iterable<LogRecord> | undefined;
  events?: Iterable<SyncEvent | SyncEventRecord> | undefined;
  probes?: Iterable<ProbeRecord> | undefined;
}

/**
 * One call: match records that are already in memory and return the report.
 * @example const report = diagnose(pack, { events: history }, { now: new Date() });
 */
export function diagnose(pack: RulePack, input: DiagnoseInput, options: SessionOptions = {}): Report {
  const session = new DiagnosisSession(pack, options);
  for (const r of input.logs ?? []) session.log(r);
  let i = 0;
  for (const e of input.events ?? []) {
    i++;
    const rec: SyncEventRecord = 'kind' in e && e.kind === 'event' ? (e as SyncEventRecord) : { kind: 'event', event: e as SyncEvent, source: { file: '(events)', line: i, endLine: i } };
    session.event(rec);
  }
  for (const p of input.probes ?? []) session.probe(p);
  return session.report();
}
