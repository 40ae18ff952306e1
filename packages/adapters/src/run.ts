/** The main job: read every input and sync history into one session and return the report. */
import { DiagnosisSession, isScsDoctorError, type ProbeRecord, type Problem, type Report, type RulePack, type SessionOptions } from '@scs-doctor/core';
import { readEventsStream } from './events.js';
import { readLogStream, type ReadOptions } from './reader.js';
import { expandInputs, openInput, openLogInputs, type ExpandResult, type InputRef, type LogPart } from './sources.js';

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
  probe?: ((receivingSharedIds: string[]) => Promise<readonly ProbeRecord[] | { records: readonly ProbeRecord[]; problems: readonly Problem[] }>) | undefined;
}

export interface DiagnoseInputsResult {
  report: Report;
  /** True when some input could not be read (missing, unreadable, corrupt): exit status 2. */
  lost: boolean;
}

/** Puts arguments that named nothing readable into the session's problems; true when there were any. */
export function noteMissing(session: DiagnosisSession, missing: ExpandResult['missing']): boolean {
  for (const m of missing) session.problem({ code: m.code, message: m.message, file: m.arg }, m.arg);
  return missing.length > 0;
}

/**
 * Reads one log input into the session: a file, or each file of a tar archive as an input of its
 * own. True when something was lost (its problem is in the session): the input, a member, or the
 * rest of an archive after a damaged header.
 */
export async function readLogInput(session: DiagnosisSession, input: InputRef, options: ReadOptions, stdin?: NodeJS.ReadableStream): Promise<boolean> {
  let lost = false;
  try {
    for await (const part of openLogInputs(input, stdin, options)) if (await readLogPart(session, part, options)) lost = true;
  } catch (e) {
    noteError(session, e, input.name);
    lost = true;
  }
  return lost;
}

/** Records an error as the problem of the input it names (a member's, or its archive's), else of `name`. */
function noteError(session: DiagnosisSession, e: unknown, name: string): void {
  const file = isScsDoctorError(e) && e.place.file !== undefined ? e.place.file : name;
  const code = isScsDoctorError(e) ? e.code : 'INPUT_UNREADABLE';
  const message = isScsDoctorError(e) ? e.message : `${name}: ${(e as Error).message}`;
  session.problem({ code, message, file }, file);
}

/**
 * Reads one log (a file, or a member of an archive); true when it was lost. An error of the
 * archive around a member is thrown on: the archive cannot be read past it.
 */
async function readLogPart(session: DiagnosisSession, part: LogPart, options: ReadOptions): Promise<boolean> {
  try {
    return await readLogPartOnce(session, part, options);
  } finally {
    session.close(part.name);
  }
}

async function readLogPartOnce(session: DiagnosisSession, part: LogPart, options: ReadOptions): Promise<boolean> {
  try {
    await readLogStream(part.stream, part.name, session, options);
  } catch (e) {
    if (isScsDoctorError(e) && e.place.file !== undefined && e.place.file !== part.name) throw e;
    noteError(session, e, part.name);
    return true;
  }
  // Half its lines or more binary and no failure found (an archive, an image, an encrypted or unknown
  // compressed file): a run that called it healthy would mislead; it could not be read. A log
  // with some binary garbage in it has its text read as usual.
  const stats = session.input(part.name);
  // The reader found the log damaged (a JSON document cut short) and read what it could.
  if (stats.error) return true;
  const binary = stats.skipped['binary'] ?? 0;
  const lines = stats.linesRead - (stats.skipped['blank'] ?? 0);
  // All binary (a stream of NULs is one line however long) is flagged however few lines it has.
  if (stats.linesMatched === 0 && lines > 0 && (binary === lines || (binary * 2 >= lines && lines >= 4))) {
    session.problem({ code: 'INPUT_UNREADABLE', message: `${part.name}: not a text log: ${binary} of ${lines} lines are binary (an archive, or compressed in a format other than gzip? extract it first)`, file: part.name }, part.name);
    return true;
  }
  return false;
}

/**
 * Diagnoses log files and sync histories.
 * @example const { report } = await diagnoseInputs(pack, { inputs: ['logs/'], events: ['history.json'] });
 */
export async function diagnoseInputs(pack: RulePack, options: DiagnoseInputsOptions): Promise<DiagnoseInputsResult> {
  const session = new DiagnosisSession(pack, options);
  const receivingSharedIds = new Set<string>();
  const cwd = options.cwd ?? process.cwd();
  const logs = await expandInputs(options.inputs ?? [], cwd);
  let lost = noteMissing(session, logs.missing);
  for (const input of logs.inputs) if (await readLogInput(session, input, options, options.stdin)) lost = true;
  const events = await expandInputs(options.events ?? [], cwd);
  if (noteMissing(session, events.missing)) lost = true;
  for (const input of events.inputs) {
    try {
      const r = await readEventsStream(await openInput(input, options.stdin, options), input.name, session, {
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
    session.close(input.name);
  }
  if (options.probe) {
    // A deployment input that could not be used (an env snapshot, a credential variable) is a
    // problem of the report; the checks that did not need it still ran.
    const out = await options.probe([...receivingSharedIds].sort());
    const { records, problems } = 'records' in out ? out : { records: out, problems: [] };
    for (const p of problems) session.problem(p);
    for (const p of records) session.probe(p);
  }
  return { report: session.report(), lost };
}
