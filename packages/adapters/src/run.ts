/** The main job: read every input and sync history into one session and return the report. */
import { promises as fs } from 'node:fs';
import {
  DiagnosisSession,
  isScsDoctorError,
  logReportBuilt,
  type Logger,
  type ObserveOptions,
  type ProbeRecord,
  type Problem,
  type ProgressCallback,
  type Report,
  type RulePack,
  type SessionOptions,
  type SyncEvent,
} from '@scs-doctor/core/internal';
import { countLines, judgeStream, skipReason, type ByteVerdict } from './byte-verdict.js';
import { readLogStream, readLogText, type ReadOptions } from './reader.js';
import { expandInputs, openInput, openLogInputs, type ExpandResult, type InputRef, type LogPart } from './sources.js';

export interface DiagnoseInputsOptions extends SessionOptions, ReadOptions, ObserveOptions {
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
 * A member of an archive that holds a sync history rather than log lines, by its name:
 * `sync-history.json`, `sync_events.ndjson`, `history/….json` and the like (gzip allowed).
 */
export const HISTORY_MEMBER = /(?:^|[/:])(?:[^/:]*sync[-_]?(?:history|events)[^/:]*|history\/[^/:]+)\.(?:json|ndjson|jsonl)(?:\.gz)?$/i;

/**
 * Whether an archive member (`<archive>:<path>`) is read as a sync history (see {@link HISTORY_MEMBER}).
 *
 * @example
 * ```ts
 * isHistoryMember('bundle.tar.gz:hooli/sync-history.json'); // true
 * isHistoryMember('bundle.tar.gz:hooli/scs.log'); // false
 * ```
 */
export function isHistoryMember(name: string): boolean {
  return HISTORY_MEMBER.test(name);
}

/**
 * Reads one log input into the session: a file, or each file of a tar archive as an input of its
 * own (a member named like a sync-history export is read as events, see {@link HISTORY_MEMBER}).
 * True when something was lost (its problem is in the session): the input, a member, or the
 * rest of an archive after a damaged header.
 */
export async function readLogInput(session: DiagnosisSession, input: InputRef, options: ReadOptions & ObserveOptions, stdin?: NodeJS.ReadableStream, onEvent?: (e: SyncEvent) => void): Promise<boolean> {
  let lost = false;
  try {
    const total = await plainSize(input);
    for await (const part of openLogInputs(input, stdin, options)) {
      const started = Date.now();
      if (part.name !== input.name && isHistoryMember(part.name)) {
        const observed = new Observed(session, part.name, 'events', undefined, options.onProgress);
        if (await readEventsPart(session, part.name, observed.stream(part.stream), onEvent)) lost = true;
        observed.done();
        logInputRead(options.logger, session, part.name, 'events', started);
        continue;
      }
      const observed = new Observed(session, part.name, 'logs', part.name === input.name ? total : undefined, options.onProgress);
      if (await readLogPart(session, { name: part.name, stream: observed.stream(part.stream) }, options)) lost = true;
      observed.done();
      logInputRead(options.logger, session, part.name, 'logs', started);
      session.close(part.name);
    }
  } catch (e) {
    noteError(session, e, input.name);
    lost = true;
  }
  return lost;
}

/** The size of a plain (not compressed) file, for progress; undefined for standard input and gzip. */
async function plainSize(input: InputRef): Promise<number | undefined> {
  if (!input.path || /\.(?:gz|tgz)$/i.test(input.path)) return undefined;
  try {
    return (await fs.stat(input.path)).size;
  } catch {
    return undefined;
  }
}

const PROGRESS_STEP = 64 * 1024;

/** Lines of an input accounted for so far (the reader counts `linesRead` itself when it ends). */
function linesSoFar(session: DiagnosisSession, name: string, kind: 'logs' | 'events'): number {
  const s = session.input(name, kind);
  return Math.max(s.linesRead, s.linesMatched + s.linesUnmatched + s.linesSkipped);
}

/** Counts an input's bytes as it is read, and reports its progress. */
class Observed {
  bytes = 0;
  private next = PROGRESS_STEP;
  constructor(
    private readonly session: DiagnosisSession,
    private readonly name: string,
    private readonly kind: 'logs' | 'events',
    private totalBytes: number | undefined,
    private readonly onProgress: ProgressCallback | undefined,
  ) {}

  /** The input's chunks, counted: a progress call at most every 64 KiB. */
  async *stream(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    if (!this.onProgress) {
      yield* source;
      return;
    }
    for await (const chunk of source) {
      this.bytes += chunk.length;
      yield chunk;
      if (this.bytes >= this.next) {
        this.next = this.bytes + PROGRESS_STEP;
        this.report(false);
      }
    }
  }

  /** The last call for this input, after the reader has counted its lines. */
  done(): void {
    this.report(true);
  }

  private report(done: boolean): void {
    if (!this.onProgress) return;
    // A total that the bytes outgrow (a file compressed without a .gz name) is dropped rather than shown wrong.
    if (this.totalBytes !== undefined && this.bytes > this.totalBytes) this.totalBytes = undefined;
    this.onProgress({ input: this.name, kind: this.kind, bytes: this.bytes, lines: linesSoFar(this.session, this.name, this.kind), totalBytes: this.totalBytes, done });
  }
}

/** One debug line per input read: its size, lines, records, time; never its text. */
function logInputRead(logger: Logger | undefined, session: DiagnosisSession, name: string, kind: 'logs' | 'events', started: number): void {
  if (!logger) return;
  const s = session.input(name, kind);
  logger.debug({ input: name, kind, bytes: s.bytesRead, lines: s.linesRead, records: s.records, matched: s.linesMatched, skipped: s.linesSkipped, error: s.error?.code, ms: Date.now() - started }, 'input read');
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
  // Known by its first bytes (openssl, gpg, zstd…): not read, its lines counted. Judged by the
  // statistics of its bytes alone: read all the same (a log may hold a block of binary data
  // before its text), and unreadable when nothing in it was found.
  const judged = await judgeStream(part.stream);
  const verdict = judged.verdict;
  if (verdict.code && verdict.known) return notText(session, part.name, 'logs', verdict, judged.stream);
  try {
    await readLogStream(judged.stream, part.name, session, options);
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
  // Encrypted or random bytes read as text give about a third of binary lines, too few for the
  // line test: their statistics tell (byte-verdict.ts).
  if (verdict.code && stats.linesMatched === 0) {
    session.problem({ code: verdict.code, message: `${part.name}: not a text log: its bytes ${verdict.reason!.replace(/^looks/, 'look')}; decrypt or decompress it first`, file: part.name }, part.name);
    return true;
  }
  return false;
}

/** The first characters a sync history may start with: `[`, `{`, `#`, `/`. */
const HISTORY_STARTS = [0x5b, 0x7b, 0x23, 0x2f];

/**
 * An input whose first bytes are not text (byte-verdict.ts): its lines are counted and skipped,
 * not read (random bytes read as text would fill the unmatched list), and it is a problem of the
 * report. Always true: the input is lost.
 */
async function notText(session: DiagnosisSession, name: string, kind: 'logs' | 'events', verdict: ByteVerdict, stream: AsyncIterable<Buffer>): Promise<true> {
  session.input(name, kind);
  const counted = { lines: 0, bytes: 0 };
  let error: unknown;
  try {
    await countLines(stream, counted);
  } catch (e) {
    error = e;
  }
  session.read(name, counted.lines, counted.bytes);
  session.skip(name, skipReason(verdict), counted.lines);
  const what = verdict.code === 'INPUT_ENCRYPTED' ? `not a text log: ${verdict.known ? `${verdict.reason}; decrypt it first` : `its bytes ${verdict.reason!.replace(/^looks/, 'look')}; decrypt or decompress it first`}` : verdict.reason;
  session.problem({ code: verdict.code!, message: `${name}: ${kind === 'events' ? what!.replace('a text log', 'a sync history') : what}`, file: name }, name);
  // The archive around a member failed: it cannot be read past it (see readLogPart).
  if (isScsDoctorError(error) && error.place.file !== undefined && error.place.file !== name) throw error;
  if (error !== undefined) noteError(session, error, name);
  return true;
}

/**
 * Reads one sync history (a file, or a member of an archive) into the session; true when it was
 * lost. An error of the archive around a member is thrown on, as for logs.
 */
async function readEventsPart(session: DiagnosisSession, name: string, stream: AsyncIterable<Buffer>, onEvent: ((e: SyncEvent) => void) | undefined): Promise<boolean> {
  // A history starts with `[`, `{` or a comment: bytes that look encrypted and start otherwise are not one.
  const judged = await judgeStream(stream);
  const v = judged.verdict;
  if (v.code && (v.known || !HISTORY_STARTS.includes(v.firstByte))) return notText(session, name, 'events', judged.verdict, judged.stream);
  try {
    // Not a sync history at all, or cut short: an input error (invalid events are not).
    // events.js (and the event schema, zod) is loaded with the first sync history: reading logs alone does not parse it.
    const { readEventsStream } = await import('./events.js');
    return (await readEventsStream(judged.stream, name, session, onEvent ? { onEvent } : {})).unreadable;
  } catch (e) {
    if (isScsDoctorError(e) && e.place.file !== undefined && e.place.file !== name) throw e;
    session.problem({ code: isScsDoctorError(e) ? e.code : 'EVENTS_UNREADABLE', message: (e as Error).message, file: name }, name);
    return true;
  }
}

/**
 * Diagnoses log files and sync histories.
 * @example const { report } = await diagnoseInputs(pack, { inputs: ['logs/'], events: ['history.json'] });
 */
export async function diagnoseInputs(pack: RulePack, options: DiagnoseInputsOptions): Promise<DiagnoseInputsResult> {
  return runInputs(pack, options);
}

/** diagnoseInputs, with a hook on the session before anything is read (parallel.ts hands it the workers' log outcomes). */
export async function runInputs(pack: RulePack, options: DiagnoseInputsOptions, prepare?: (session: DiagnosisSession) => void): Promise<DiagnoseInputsResult> {
  const startedAll = Date.now();
  const session = new DiagnosisSession(pack, options);
  prepare?.(session);
  const receivingSharedIds = new Set<string>();
  const cwd = options.cwd ?? process.cwd();
  const logs = await expandInputs(options.inputs ?? [], cwd);
  let lost = noteMissing(session, logs.missing);
  const onEvent = (e: SyncEvent) => {
    if (e.direction === 'receiving' && e.sharedId) receivingSharedIds.add(e.sharedId);
  };
  for (const input of logs.inputs) if (await readLogInput(session, input, options, options.stdin, onEvent)) lost = true;
  const events = await expandInputs(options.events ?? [], cwd);
  if (noteMissing(session, events.missing)) lost = true;
  for (const input of events.inputs) {
    const started = Date.now();
    const observed = new Observed(session, input.name, 'events', await plainSize(input), options.onProgress);
    try {
      if (await readEventsPart(session, input.name, observed.stream(await openInput(input, options.stdin, options)), onEvent)) lost = true;
    } catch (e) {
      lost = true;
      const code = isScsDoctorError(e) ? e.code : 'EVENTS_UNREADABLE';
      session.problem({ code, message: (e as Error).message, file: input.name }, input.name);
    }
    observed.done();
    logInputRead(options.logger, session, input.name, 'events', started);
    // Past the first inputs listed, its stats go into the totals and leave memory.
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
  const report = session.report();
  logReportBuilt(options.logger, report, startedAll);
  return { report, lost };
}

/** Options of {@link diagnoseLines}: the session's, the reader's and the observing ones. */
export interface DiagnoseLinesOptions extends SessionOptions, ReadOptions, ObserveOptions {
  /** The name the report gives these lines (default `(lines)`). */
  name?: string | undefined;
}

/**
 * Diagnoses log lines a host already holds in memory (from its log store): the lines are read as
 * a file of them would be (every shape the file reader knows, tracebacks joined), then matched.
 *
 * @example
 * ```ts
 * import { diagnoseLines, loadRulePack } from '@scs-doctor/adapters';
 * import { rulesDir } from '@scs-doctor/rules';
 * const pack = await loadRulePack([rulesDir]);
 * const report = diagnoseLines(pack, ['2026-05-12 09:00:02,905 ERROR [scs.sync.sender] shared secret unavailable: InvalidToken']);
 * console.log(report.diagnoses[0]?.ruleId); // shared-secret-invalid-token
 * ```
 */
export function diagnoseLines(pack: RulePack, lines: Iterable<string>, options: DiagnoseLinesOptions = {}): Report {
  const started = Date.now();
  const name = options.name ?? '(lines)';
  const session = new DiagnosisSession(pack, options);
  const text = Array.isArray(lines) ? (lines as string[]).join('\n') : [...lines].join('\n');
  readLogText(text.length > 0 ? text + '\n' : text, name, session, options);
  const stats = session.input(name, 'logs');
  options.onProgress?.({ input: name, kind: 'logs', bytes: stats.bytesRead, lines: stats.linesRead, totalBytes: stats.bytesRead, done: true });
  logInputRead(options.logger, session, name, 'logs', started);
  const report = session.report();
  logReportBuilt(options.logger, report, started);
  return report;
}
