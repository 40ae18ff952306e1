/**
 * `--jobs N`: log files spread over worker threads.
 *
 * Each worker loads the rule pack from the same rule directories (rules cross as paths, not as
 * compiled regexes), takes files from a shared queue, reads each with the normal reader into a
 * session of its own and posts back that file's Report (a tar archive is one file: its members
 * are read in order by one worker, as one run reads them). The main thread reads standard input and
 * the sync history itself (staleness needs every event of a connection in one place) and merges
 * the reports in input order with mergeReports, so the result is the report of one sequential run.
 */
import type { Worker } from 'node:worker_threads';
import { DiagnosisSession, isScsDoctorError, mergeReports, nowOption, toIso, type LogOutcomeRecord, type Report, type RulePack, type SessionOptions } from '@scs-doctor/core/internal';
import type { ReadOptions } from './reader.js';
import { loadRulePack } from './rules-loader.js';
import { workerCompileOptions, type PackOptions } from './host-module.js';
import { diagnoseInputs, noteMissing, readLogInput, runInputs, type DiagnoseInputsOptions, type DiagnoseInputsResult } from './run.js';
import { expandInputs, type InputRef } from './sources.js';

export interface ParallelOptions extends DiagnoseInputsOptions {
  /** Worker threads reading log files; 1 (or a single log file) reads everything in this thread. */
  jobs: number;
  /** The pack this thread already loaded from the same directories, if any (loaded otherwise). */
  pack?: RulePack | undefined;
  /**
   * Compile options, as given to loadRulePack (each worker compiles the pack itself). Host
   * operators and facts reach workers only through `hostModule`: with `jobs` > 1, one given
   * as a function that the module does not export is refused (OPTION_INVALID).
   */
  compile?: PackOptions | undefined;
}

const MARK = 'scsDoctorParallelWorker';

/** node:worker_threads, loaded when a worker is started or runs: a run without --jobs starts none. */
const threads = () => process.getBuiltinModule('node:worker_threads');

/** Appended to a worker's process.argv, so that this module tells without loading worker_threads whether it may be one. */
const WORKER_ARG = '--scs-doctor-parallel-worker';

/** What crosses to a worker: plain, structured-cloneable values only. */
interface WorkerSetup {
  [MARK]: true;
  ruleDirs: readonly string[];
  /** Data only: the host's functions come from `hostModule`, which the worker imports. */
  compile: PackOptions;
  session: SessionOptions;
  read: ReadOptions;
}

type ToWorker = { type: 'file'; index: number; input: InputRef } | { type: 'stop' };
type FromWorker = { type: 'ready' } | { type: 'report'; index: number; report: Report; outcomes: LogOutcomeRecord[]; lost: boolean } | { type: 'failed'; message: string; code?: string };

/**
 * Starts a worker on the built module. It inherits the parent's Node options, less export
 * conditions: the worker runs the built JavaScript, and a condition that sends the parent to
 * TypeScript sources (as in the tests) would send the worker there too. Options a worker may not
 * be given explicitly (--expose-gc, heap sizes) make Node refuse the list: then it gets none.
 */
function startWorker(setup: WorkerSetup): Worker {
  // From src/ (tests) and dist/ alike, the built module is ../dist/parallel.js.
  const url = new URL('../dist/parallel.js', import.meta.url);
  const argv = process.execArgv;
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--conditions' || a === '-C') i++;
    else if (!a.startsWith('--conditions=') && !a.startsWith('-C=')) kept.push(a);
  }
  const { Worker } = threads();
  if (kept.length === argv.length) return new Worker(url, { workerData: setup, argv: [WORKER_ARG] });
  try {
    return new Worker(url, { workerData: setup, argv: [WORKER_ARG], execArgv: kept });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    return new Worker(url, { workerData: setup, argv: [WORKER_ARG], execArgv: [] });
  }
}

/**
 * Reads one log input into its own session, as diagnoseInputs reads each input. Its connections
 * are judged where the history is read: the report leaves them out and the log outcomes go there
 * (a log line within a history event is part of that attempt, lines of two files seconds apart one).
 */
async function readOne(pack: RulePack, input: InputRef, session: SessionOptions, read: ReadOptions, stdin?: NodeJS.ReadableStream): Promise<{ report: Report; outcomes: LogOutcomeRecord[]; lost: boolean }> {
  const s = new DiagnosisSession(pack, session);
  const lost = await readLogInput(s, input, read, stdin);
  return { report: { ...s.report(), connections: [] }, outcomes: s.logOutcomes(), lost };
}

/**
 * Diagnoses log files on `jobs` worker threads and sync histories in this thread; the report is
 * the one diagnoseInputs gives for the same options. Rules are loaded from `ruleDirs` in every
 * thread. A redactor given as a function cannot cross threads: then everything is read here.
 * @example const { report } = await diagnoseInputsParallel([rulesDir], { inputs: ['logs/'], events: ['history.ndjson'], jobs: 4 });
 */
export async function diagnoseInputsParallel(ruleDirs: readonly string[], options: ParallelOptions): Promise<DiagnoseInputsResult> {
  const { jobs, pack: given, compile = {}, ...rest } = options;
  // Checked before anything is read, however many files there turn out to be.
  const toWorkers = Math.floor(jobs) > 1 ? await workerCompileOptions(compile, given?.conditionOptions) : undefined;
  const pack = given ?? (await loadRulePack(ruleDirs, compile));
  // One clock for every thread, so that all sessions judge time alike.
  // A `now` that is not a time is an OPTION_INVALID error here, as in every session.
  const now = toIso(nowOption(rest.now));
  const opts: DiagnoseInputsOptions = { ...rest, now };
  const cwd = opts.cwd ?? process.cwd();
  const logs = await expandInputs(opts.inputs ?? [], cwd);
  const files = logs.inputs.filter((i) => i.path !== undefined);
  const workers = Math.min(Math.max(1, Math.floor(jobs)), files.length);
  if (workers <= 1 || typeof opts.redact === 'function') return diagnoseInputs(pack, opts);

  const session: SessionOptions = { now, staleAfterMs: opts.staleAfterMs, evidenceLimit: opts.evidenceLimit, redact: opts.redact };
  const read: ReadOptions = {
    logFormat: opts.logFormat,
    maxLineBytes: opts.maxLineBytes,
    maxRecordLines: opts.maxRecordLines,
    everyRecord: opts.everyRecord,
    maxDocumentBytes: opts.maxDocumentBytes,
    maxInflatedBytes: opts.maxInflatedBytes,
  };
  // Per input, every unmatched template is kept; the merge cuts the list to the limit, as one run would.
  const perInput: SessionOptions = { ...session, unmatchedLimit: Number.MAX_SAFE_INTEGER };

  // In input order: problems of missing log arguments, each log input, then the sync history.
  const head = new DiagnosisSession(pack, session);
  let lost = noteMissing(head, logs.missing);
  const reports: (Report | undefined)[] = logs.inputs.map(() => undefined);
  const outcomes: LogOutcomeRecord[][] = logs.inputs.map(() => []);
  const queue = logs.inputs.map((input, index) => ({ input, index })).filter((q) => q.input.path !== undefined);

  const setup: WorkerSetup = { [MARK]: true, ruleDirs: [...ruleDirs], compile: toWorkers ?? {}, session: perInput, read };
  await new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let running = workers;
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(e);
    };
    for (let w = 0; w < workers; w++) {
      const worker = startWorker(setup);
      pool.push(worker);
      let current: InputRef | undefined;
      const next = () => {
        const job = queue.shift();
        current = job?.input;
        worker.postMessage(job ? ({ type: 'file', index: job.index, input: job.input } satisfies ToWorker) : ({ type: 'stop' } satisfies ToWorker));
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') next();
        else if (m.type === 'report') {
          reports[m.index] = m.report;
          outcomes[m.index] = m.outcomes;
          lost ||= m.lost;
          next();
        } else fail(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
      });
      worker.on('error', (e) => fail(e));
      worker.on('exit', (code) => {
        // A worker that ends with a file in hand (killed, out of memory) fails the run: no input goes missing silently.
        if (current !== undefined) fail(new Error(`worker reading ${current.name} ended (exit code ${code})`));
        else if (--running === 0 && !failed) resolve();
      });
    }
  });
  // Standard input is read here, in its place among the inputs.
  for (const [index, input] of logs.inputs.entries()) {
    if (input.path !== undefined) continue;
    const r = await readOne(pack, input, perInput, read, opts.stdin);
    reports[index] = r.report;
    outcomes[index] = r.outcomes;
    lost ||= r.lost;
  }
  const tail = await runInputs(pack, { ...opts, inputs: [] }, (s) => s.addLogOutcomes(outcomes.flat()));
  lost ||= tail.lost;
  const report = mergeReports([head.report(), ...reports.filter((r): r is Report => r !== undefined), tail.report], {
    ...(opts.evidenceLimit !== undefined ? { evidence: opts.evidenceLimit } : {}),
    ...(opts.unmatchedLimit !== undefined ? { unmatched: opts.unmatchedLimit } : {}),
  });
  return { report, lost };
}

/** The worker side: load the pack, then read files until told to stop. */
async function workerMain(setup: WorkerSetup): Promise<void> {
  const port = threads().parentPort!;
  let pack: RulePack;
  try {
    pack = await loadRulePack(setup.ruleDirs, setup.compile);
  } catch (e) {
    port.postMessage({ type: 'failed', message: (e as Error).message, ...(isScsDoctorError(e) ? { code: e.code } : {}) } satisfies FromWorker);
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'stop') {
      port.close();
      return;
    }
    void readOne(pack, m.input, setup.session, setup.read).then(
      ({ report, outcomes, lost }) => port.postMessage({ type: 'report', index: m.index, report, outcomes, lost } satisfies FromWorker),
      (e: unknown) => port.postMessage({ type: 'failed', message: (e as Error).message } satisfies FromWorker),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (process.argv.includes(WORKER_ARG)) {
  const { isMainThread } = threads();
  const setup = threads().workerData as Partial<WorkerSetup> | null;
  if (!isMainThread && setup?.[MARK] === true) void workerMain(setup as WorkerSetup);
}
