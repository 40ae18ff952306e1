/** The main job: read every input and sync history into one session and return the report. */
import { DiagnosisSession, isScsDoctorError, type Report, type RulePack, type SessionOptions } from '@scs-doctor/core';
import { readEventsText } from './events.js';
import { readLogStream, type ReadOptions } from './reader.js';
import { expandInputs, openInput } from './sources.js';

export interface DiagnoseInputsOptions extends SessionOptions, ReadOptions {
  /** Log inputs: files, directories, globs, `-` for standard input. */
  inputs?: readonly string[] | undefined;
  /** Sync-history files (JSON array, `{events: [...]}` or NDJSON; gzip allowed). */
  events?: readonly string[] | undefined;
  cwd?: string | undefined;
  stdin?: NodeJS.ReadableStream | undefined;
}

export interface DiagnoseInputsResult {
  report: Report;
  /** True when some input could not be read (missing, unreadable, corrupt): exit status 2. */
  lost: boolean;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Diagnoses log files and sync histories.
 * @example const { report } = await diagnoseInputs(pack, { inputs: ['logs/'], events: ['history.json'] });
 */
export async function diagnoseInputs(pack: RulePack, options: DiagnoseInputsOptions): Promise<DiagnoseInputsResult> {
  const session = new DiagnosisSession(pack, options);
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
      const text = await readAll(await openInput(input, options.stdin));
      readEventsText(text, input.name, session);
    } catch (e) {
      lost = true;
      const code = isScsDoctorError(e) ? e.code : 'EVENTS_UNREADABLE';
      session.problem({ code, message: (e as Error).message, file: input.name }, input.name);
    }
  }
  return { report: session.report(), lost };
}
