/** The main job: read every input and sync history into one session and return the report. */
import { DiagnosisSession, isScsDoctorError, type ProbeRecord, type Report, type RulePack, type SessionOptions } from '@scs-doctor/core';
import { readEventsStream } from './events.js';
import { readLogStream, type ReadOptions } from './reader.js';
import { expandInputs, openInput } from './sources.js';

export interface DiagnoseInputsOptions extends SessionOptions, ReadOptions {
  /** Log inputs: files, directories, globs, `-` for standard input. */
  inputs?: readonly string[] | undefined;
  /** Sync-history files (JSON array, `{events: [...]}` or NDJSON; gzip allowed). */
  events?: readonly string[] | undefined;
  cwd?: string | undefined;
  stdin?: NodeJS.ReadableStream | undefined;
  /**
   * Deployment checks to run after the history is read; receives the Shared IDs of the receiving
   * connections seen in it (for manifest checks). See `probeDeployment`.
   */
  probe?: ((receivingSharedIds: string[]) => Promise<readonly ProbeRecord[]>) | undefined;
}

export interface DiagnoseInputsResult {
  report: Report;
  /** True when some input could not be read (missing, unreadable, corrupt): exit status 2. */
  lost: boolean;
}

/**
 * Diagnoses log files and sync histories.
 * @example const { report } = await diagnoseInputs(pack, { inputs: ['logs/'], events: ['history.json'] });
 */
export async function diagnoseInputs(pack: RulePack, options: DiagnoseInputsOptions): Promise<DiagnoseInputsResult> {
  const session = new DiagnosisSession(pack, options);
  const receivingSharedIds = new Set<string>();
  let lost = false;
  const cwd = options.cwd ?? process.cwd();
  const logs = await expandInputs(options.inputs ?? [], cwd);
  for (const m of logs.missing) {
    lost = true;
    session.problem({ code: m.code, message: m.message, file: m.arg }, m.arg);
  }
  for (const input of logs.inputs) {
    try {
      const stream = await openInput(input, options.stdin);
      await readLogStream(stream, input.name, session, options);
    } catch (e) {
      lost = true;
      if (isScsDoctorError(e)) session.problem({ code: e.code, message: e.message, file: input.name }, input.name);
      else session.problem({ code: 'INPUT_UNREADABLE', message: `${input.name}: ${(e as Error).message}`, file: input.name }, input.name);
    }
  }
  const events = await expandInputs(options.events ?? [], cwd);
  for (const m of events.missing) {
    lost = true;
    session.problem({ code: m.code, message: m.message, file: m.arg }, m.arg);
  }
  for (const input of events.inputs) {
    try {
      const r = await readEventsStream(await openInput(input, options.stdin), input.name, session, {
        onEvent: (e) => {
          if (e.direction === 'receiving' && e.sharedId) receivingSharedIds.add(e.sharedId);
        },
      });
      // Not a sync history at all, or cut short: an input error (invalid events are not).
      if (r.unreadable) lost = true;
    } catch (e) {
      lost = true;
      const code = isScsDoctorError(e) ? e.code : 'EVENTS_UNREADABLE';
      session.problem({ code, message: (e as Error).message, file: input.name }, input.name);
    }
  }
  if (options.probe) for (const p of await options.probe([...receivingSharedIds].sort())) session.probe(p);
  return { report: session.report(), lost };
}
