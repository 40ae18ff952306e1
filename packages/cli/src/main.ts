/**
 * The `scs-doctor` command: a thin shell over core, rules and adapters.
 * Exit status: 0 nothing diagnosed, 1 diagnoses found (or rule problems), 2 usage or input error.
 * `trace` adds 3: undetermined (the file not found, or checks left unknown).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { formatProblem, hideIds, isScsDoctorError, knowVerdicts, type Logger } from '@scs-doctor/core/internal';
import { USAGE, VERSION } from './usage.js';
import { progressLine } from './progress.js';
import { clockOptions, logFormatOption, redactOptions, ruleDirs, usage } from './options.js';
import { exitFor, formatOption, nowNotice, writeReport } from './output.js';
import { BUILT_IN_VERDICTS } from './verdicts.js';
import { diagnoseInputsParallel, loadRulePack, packCacheDir } from '@scs-doctor/adapters';

export { USAGE, VERSION } from './usage.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  isTTY: boolean;
  /** Standard error is a terminal: the progress line is drawn there (default: false). */
  stderrIsTTY?: boolean;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), isTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY) });

/**
 * --verbose: the library's debug lines go to standard error as pino JSON lines (never record
 * text). pino is loaded only then.
 */
async function logger(verbose: boolean, io: Io): Promise<Logger | undefined> {
  if (!verbose) return undefined;
  const { pino } = await import('pino');
  const p = pino({ level: 'debug', base: undefined }, io.stderr as unknown as import('pino').DestinationStream);
  // Only its level methods: a pino logger's type answers any property name, `then` too, so it cannot be awaited as is.
  const methods: Logger = { debug: p.debug.bind(p), info: p.info.bind(p), warn: p.warn.bind(p), error: p.error.bind(p) };
  return methods;
}

/** A byte size: a whole number with an optional K, M or G (powers of 1024). */
function parseSize(v: string): number | undefined {
  const m = /^(\d{1,15})([KMG]?)i?B?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase());
  return n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

async function diagnose(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      events: { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      now: { type: 'string' },
      'stale-after': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'no-builtin': { type: 'boolean' },
      'log-format': { type: 'string' },
      redact: { type: 'string', multiple: true },
      'max-evidence': { type: 'string' },
      'max-unmatched': { type: 'string' },
      config: { type: 'string' },
      jobs: { type: 'string', short: 'j' },
      'max-inflated-bytes': { type: 'string' },
      'hide-ids': { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  const format = formatOption(values.format);
  const logFormat = logFormatOption(values['log-format']);
  const { now, staleAfterMs } = clockOptions(values);
  let evidenceLimit: number | undefined;
  if (values['max-evidence'] !== undefined) {
    evidenceLimit = Number(values['max-evidence']);
    if (!Number.isInteger(evidenceLimit) || evidenceLimit < 0) usage('--max-evidence must be a whole number');
  }
  let unmatchedLimit: number | undefined;
  if (values['max-unmatched'] !== undefined) {
    unmatchedLimit = Number(values['max-unmatched']);
    if (!Number.isInteger(unmatchedLimit) || unmatchedLimit < 0) usage(`--max-unmatched must be a whole number (got "${values['max-unmatched']}")`);
  }
  let jobs = 1;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) usage(`--jobs must be a whole number from 1 to 256 (got "${values.jobs}")`);
    // Each worker holds a rule pack and its input's working set: more workers than cores only add memory.
    const cores = availableParallelism();
    if (jobs > cores) {
      io.stderr.write(`scs-doctor: notice: --jobs ${jobs} is more than the ${cores} cores of this machine; using ${cores}\n`);
      jobs = cores;
    }
  }
  let maxInflatedBytes: number | undefined;
  if (values['max-inflated-bytes'] !== undefined) {
    maxInflatedBytes = parseSize(values['max-inflated-bytes']);
    if (maxInflatedBytes === undefined) usage(`--max-inflated-bytes must be a size such as 500M or 4G (got "${values['max-inflated-bytes']}")`);
  }
  const redact = redactOptions(values.redact);
  // Standard input can be read once: a second `-` would read nothing and look like an empty log.
  if ([...positionals, ...(values.events ?? [])].filter((a) => a === '-').length > 1) usage('- (standard input) is given more than once; it can be read only once');
  if (positionals.length === 0 && !values.events?.length && !values.config) usage('give at least one INPUT (a file, directory, glob or -), --events FILE or --config FILE');
  // Read (and refuse) the deployment config before any input is read.
  // The probes are loaded only then (they carry the config's schema and the S3 client's loader).
  const probes = values.config ? await import('@scs-doctor/probes') : undefined;
  const config = values.config ? await probes!.loadDeploymentConfig(values.config) : undefined;
  // Snapshots and credential variables are read now: what is missing becomes a problem of the report.
  const deployment = config ? await probes!.prepareDeployment(config) : undefined;
  const log = await logger(Boolean(values.verbose), io);
  const progress = io.stderrIsTTY && !values.quiet && !values.verbose ? progressLine(io.stderr) : undefined;
  const dirs = ruleDirs(values);
  if (dirs.length === 0) usage('--no-builtin needs at least one --rules DIR');
  const pack = await loadRulePack(dirs, { logger: log, cacheDir: packCacheDir() });
  const { report: full, lost } = await diagnoseInputsParallel(dirs, {
    logger: log,
    onProgress: progress?.onProgress,
    jobs,
    pack,
    inputs: positionals,
    events: values.events ?? [],
    now,
    staleAfterMs,
    evidenceLimit,
    unmatchedLimit,
    redact,
    logFormat,
    maxInflatedBytes,
    cwd: io.cwd,
    stdin: io.stdin,
    probe: deployment ? (sharedIds) => deployment.run(sharedIds) : undefined,
  });
  progress?.end();
  const report = values['hide-ids'] ? hideIds(full) : full;
  const color = values['no-color'] ? false : (values.color ?? (io.isTTY && !values.output && !process.env['NO_COLOR']));
  await writeReport(io, report, format, color, values.output);
  if (lost) {
    for (const p of report.stats.problems) if (p.code !== 'EVENT_INVALID') io.stderr.write(`scs-doctor: ${formatProblem({ ...p, code: p.code as never, file: undefined })}\n`);
    return 2;
  }
  nowNotice(report, io);
  return exitFor(report);
}

/**
 * Runs the command line; returns the exit status. Never throws for user errors.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['diagnose', 'logs/', '--format', 'markdown']);
 * ```
 */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  // A closed pipe (`scs-doctor diagnose … | head`) ends the output quietly: the reader has what it wanted.
  io.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') io.stderr.write(`scs-doctor: cannot write the output: ${e.message}\n`);
  });
  // `scs-doctor diagnose --help` (or -h) anywhere before `--`: the usage, not an error.
  const end = rest.indexOf('--');
  if (command !== undefined && (end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(USAGE);
    return 0;
  }
  knowVerdicts(BUILT_IN_VERDICTS);
  try {
    switch (command) {
      case 'diagnose':
        // --explain (rule authoring): authoring.ts runs diagnose and explains each diagnosis.
        if (rest.slice(0, end < 0 ? undefined : end).includes('--explain')) return await (await import('./authoring.js')).diagnoseExplain(rest, io, diagnose);
        return await diagnose(rest, io);
      // The other commands are loaded when run (commands.ts, authoring.ts): a diagnosis does not parse them.
      case 'explain':
        return await (await import('./authoring.js')).explainCommand(rest, io);
      case 'merge':
        return await (await import('./commands.js')).merge(rest, io);
      case 'trace':
        return await (await import('./commands.js')).trace(rest, io);
      case 'rules':
        return await (await import('./commands.js')).rules(rest, io);
      case 'schema':
        return await (await import('./commands.js')).schema(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return 0;
      case '--version':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
        io.stderr.write(USAGE);
        return 2;
      default:
        usage(`unknown command "${command}" (diagnose, merge, trace, rules, explain, schema, help)`);
    }
  } catch (e) {
    if (isScsDoctorError(e)) {
      if (e.problems.length > 1) for (const p of e.problems) io.stderr.write(`scs-doctor: ${formatProblem(p)}\n`);
      else io.stderr.write(`scs-doctor: ${e.problems[0] ? formatProblem(e.problems[0]) : e.toString()}\n`);
      if (e.code === 'USAGE') io.stderr.write(`Run "scs-doctor help" for usage.\n`);
      return 2;
    }
    const err = e as { code?: string; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`scs-doctor: USAGE ${err.message}\nRun "scs-doctor help" for usage.\n`);
      return 2;
    }
    io.stderr.write(`scs-doctor: internal error: ${err.message ?? String(e)}\n`);
    return 2;
  }
}
