/**
 * The `scs-doctor` command: a thin shell over core, rules and adapters.
 * Exit status: 0 nothing diagnosed, 1 diagnoses found (or rule problems), 2 usage or input error.
 * `trace` adds 3: undetermined (the file not found, or checks left unknown).
 */
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  FORMATS,
  formatProblem,
  hideIds,
  isScsDoctorError,
  mergeReports,
  parseReport,
  render,
  renderJsonPieces,
  reportJsonSchema,
  ruleJsonSchema,
  visibleLine,
  ScsDoctorError,
  type Logger,
  type OutputFormat,
  type Report,
  renderTrace,
  trace as traceFile,
  TRACE_FORMATS,
  type LogRecord,
  type SyncEventRecord,
  type TraceFormat,
} from '@scs-doctor/core/internal';
import { USAGE, VERSION } from './usage.js';
import { progressLine } from './progress.js';
import { clockOptions, logFormatOption, redactOptions, ruleDirs, usage } from './options.js';
import { diagnoseInputs, diagnoseInputsParallel, loadRulePack, packCacheDir, testRulePack } from '@scs-doctor/adapters';
import { loadDeploymentConfig, prepareDeployment } from '@scs-doctor/probes';
import { diagnoseExplain, explainCommand, rulesAuthoring } from './authoring.js';

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

async function write(io: Io, text: string, output: string | undefined): Promise<void> {
  if (output) {
    await fs.writeFile(output, text);
    io.stderr.write(`scs-doctor: report written to ${visibleLine(output)}\n`);
  } else
    await new Promise<void>((resolve) => {
      // A reader that went away (`| head`) never drains: stop waiting when the pipe closes or fails.
      const done = () => {
        io.stdout.off('drain', done);
        io.stdout.off('error', done);
        io.stdout.off('close', done);
        resolve();
      };
      if (io.stdout.write(text)) return resolve();
      io.stdout.once('drain', done);
      io.stdout.once('error', done);
      io.stdout.once('close', done);
    });
}

/** Where JSON.parse failed, as line and column when V8 says (never the text itself). */
function jsonErrorPlace(text: string, e: Error): string {
  if (/Unexpected end/i.test(e.message) || text.trim() === '') return 'it ends too soon';
  const at = /position (\d+)/.exec(e.message);
  if (!at) return 'unexpected text';
  const pos = Number(at[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return `unexpected text at line ${line}, column ${pos - before.lastIndexOf('\n')}`;
}

/** A byte size: a whole number with an optional K, M or G (powers of 1024). */
function parseSize(v: string): number | undefined {
  const m = /^(\d{1,15})([KMG]?)i?B?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase());
  return n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

/** Writes a report; JSON piece by piece (a report can be larger than the longest string). */
async function writeReport(io: Io, report: Report, format: OutputFormat, color: boolean, output: string | undefined): Promise<void> {
  if (format !== 'json') return write(io, render(report, format, { color }), output);
  const fh = output ? await fs.open(output, 'w') : undefined;
  try {
    let buffer = '';
    for (const piece of renderJsonPieces(report)) {
      buffer += piece;
      if (buffer.length < 1 << 20) continue;
      if (fh) await fh.write(buffer);
      else await write(io, buffer, undefined);
      buffer = '';
    }
    if (fh) await fh.write(buffer);
    else await write(io, buffer, undefined);
  } finally {
    await fh?.close();
  }
  if (output) io.stderr.write(`scs-doctor: report written to ${visibleLine(output)}\n`);
}

function formatOption(v: string | undefined): OutputFormat {
  const f = v ?? 'text';
  if (!(FORMATS as readonly string[]).includes(f)) usage(`--format must be one of ${FORMATS.join(', ')} (got "${f}")`);
  return f as OutputFormat;
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
  const config = values.config ? await loadDeploymentConfig(values.config) : undefined;
  // Snapshots and credential variables are read now: what is missing becomes a problem of the report.
  const deployment = config ? await prepareDeployment(config) : undefined;
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

/** 1 when a diagnosis is active; resolved diagnoses are history and do not fail a run. */
function exitFor(report: Report): number {
  return report.diagnoses.some((d) => d.state === 'active') ? 1 : 0;
}

/** `--now` before every sync event judges nothing: say so where the user looks, not only in the report. */
function nowNotice(report: Report, io: Io): void {
  for (const p of report.stats.problems) if (p.code === 'NOW_BEFORE_EVENTS') io.stderr.write(`scs-doctor: notice: ${p.message}\n`);
}

async function merge(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      now: { type: 'string' },
      'stale-after': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'no-builtin': { type: 'boolean' },
      'hide-ids': { type: 'boolean' },
    },
  });
  const format = formatOption(values.format);
  const { now, staleAfterMs } = clockOptions(values);
  const dirs = ruleDirs(values);
  if (positionals.length === 0) usage('merge needs at least one report file (written by diagnose --format json)');
  const reports: Report[] = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      throw new ScsDoctorError('INPUT_UNREADABLE', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      // V8's message quotes a piece of the file, which may hold anything (a secret): say where, not what.
      throw new ScsDoctorError('REPORT_INVALID', `not JSON (${jsonErrorPlace(text, e as Error)}); merge reads reports written by diagnose --format json`, { file });
    }
    reports.push(parseReport(data, file));
  }
  // The pack judges connection diagnoses (sync-stale) and peer notes anew over the merged connections.
  const pack = dirs.length > 0 ? await loadRulePack(dirs) : undefined;
  const whole = mergeReports(reports, { pack, now, staleAfterMs });
  const merged = values['hide-ids'] ? hideIds(whole) : whole;
  await writeReport(io, merged, format, false, values.output);
  nowNotice(merged, io);
  return exitFor(merged);
}

/** Reads `--facts FILE.json`: `{ "facts": {...}, "checks": [...] }`, or a flat object of facts. */
async function readFacts(file: string): Promise<{ facts: Record<string, unknown>; checks: unknown[] }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ScsDoctorError('INPUT_UNREADABLE', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    const before = at ? text.slice(0, Number(at[1])).split('\n') : undefined;
    throw new ScsDoctorError('OPTION_INVALID', `--facts: not JSON: ${(e as Error).message}`, { file, line: before?.length, column: before ? before[before.length - 1]!.length + 1 : undefined });
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(data)) throw new ScsDoctorError('OPTION_INVALID', '--facts: expected a JSON object of facts, or { "facts": {...}, "checks": [...] }', { file });
  if (!('facts' in data) && !('checks' in data)) return { facts: data, checks: [] };
  if (data['facts'] !== undefined && !isObj(data['facts'])) throw new ScsDoctorError('OPTION_INVALID', '--facts: "facts" must be an object', { file });
  if (data['checks'] !== undefined && !Array.isArray(data['checks'])) throw new ScsDoctorError('OPTION_INVALID', '--facts: "checks" must be a list', { file });
  return { facts: data['facts'] ?? {}, checks: (data['checks'] as unknown[] | undefined) ?? [] };
}

/** `scs-doctor trace ID`: where one file stopped, read from the inputs as diagnose reads them. */
async function trace(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      events: { type: 'string', multiple: true },
      facts: { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      now: { type: 'string' },
      'stale-after': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'no-builtin': { type: 'boolean' },
      'log-format': { type: 'string' },
      redact: { type: 'string', multiple: true },
    },
  });
  const [id, ...inputs] = positionals;
  if (id === undefined || id.trim() === '') usage('trace needs a resource or revision id: scs-doctor trace ID [INPUT...] [--events FILE]...');
  const format = (values.format ?? 'text') as TraceFormat;
  if (!(TRACE_FORMATS as readonly string[]).includes(format)) usage(`--format must be one of ${TRACE_FORMATS.join(', ')} (got "${format}")`);
  const logFormat = logFormatOption(values['log-format']);
  const { now, staleAfterMs } = clockOptions(values);
  const redact = redactOptions(values.redact);
  if (inputs.length === 0 && !values.events?.length) usage('give at least one INPUT (a file, directory, glob or -) or --events FILE after the id');
  const host = values.facts ? await readFacts(values.facts) : { facts: {}, checks: [] };
  const dirs = ruleDirs(values);
  if (dirs.length === 0) usage('--no-builtin needs at least one --rules DIR');
  const pack = await loadRulePack(dirs);
  // Every record is read (not only the prefilter's candidates): a line that names the file may match no rule.
  const want = id.trim().toLowerCase();
  const events: SyncEventRecord[] = [];
  const logs: LogRecord[] = [];
  const { report, lost } = await diagnoseInputs(pack, {
    inputs,
    events: values.events ?? [],
    now,
    staleAfterMs,
    redact,
    logFormat,
    everyRecord: true,
    cwd: io.cwd,
    stdin: io.stdin,
    tap: (rec) => {
      if (rec.kind === 'event') events.push(rec);
      else if (rec.message.toLowerCase().includes(want) || JSON.stringify(rec.fields).toLowerCase().includes(want)) logs.push(rec);
    },
  });
  const t = await traceFile({ events, logs }, id, { pack, report, now, staleAfterMs, redact, facts: host.facts, checks: host.checks as never });
  await write(io, renderTrace(t, format), values.output);
  if (lost) {
    for (const p of report.stats.problems) if (p.code !== 'EVENT_INVALID') io.stderr.write(`scs-doctor: ${formatProblem({ ...p, code: p.code as never, file: undefined })}\n`);
    return 2;
  }
  nowNotice(report, io);
  return t.conclusion === 'ok' ? 0 : t.conclusion === 'problem' ? 1 : 3;
}

async function rules(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  // Rule authoring (new, lint): authoring.ts.
  const authored = await rulesAuthoring(sub, rest, io);
  if (authored !== undefined) return authored;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { rules: { type: 'string', multiple: true }, 'no-builtin': { type: 'boolean' } } });
  const dirs = positionals.length ? positionals : ruleDirs(values);
  switch (sub) {
    case 'schema':
      await write(io, JSON.stringify(ruleJsonSchema(), null, 2) + '\n', undefined);
      return 0;
    case 'list': {
      const pack = await loadRulePack(dirs);
      const rows = pack.rules.map((r) => [r.rule.id, r.rule.severity, r.rule.side, r.rule.title]);
      const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 4));
      const out = rows.map((r) => visibleLine(`${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]}`));
      await write(io, out.join('\n') + `\n${rows.length} rules\n`, undefined);
      return 0;
    }
    case 'test': {
      const pack = await loadRulePack(dirs);
      const { results, uncovered, orphans } = await testRulePack(pack, dirs);
      let failed = 0;
      let passed = 0;
      for (const r of results) {
        for (const c of r.cases) {
          if (c.todo) continue;
          if (c.pass) passed++;
          else {
            failed++;
            const why = c.recordLine === undefined ? 'no record follows the annotation' : c.expect === 'match' ? 'expected a match, got none' : 'expected no match, but the rule matched';
            io.stdout.write(`${visibleLine(r.file)}:${c.line} ${visibleLine(c.ruleId)}: ${why}${c.recordLine ? ` (record at line ${c.recordLine})` : ''}\n`);
          }
        }
        for (const t of r.fixedTodos) io.stdout.write(`${r.file}:${t.line} ${t.ruleId}: todo case now behaves; promote it\n`);
      }
      for (const u of uncovered) {
        failed++;
        io.stdout.write(`${u.file ?? u.ruleId} ${u.ruleId}: fixture lacks a ${u.missing}\n`);
      }
      for (const o of orphans) {
        failed++;
        io.stdout.write(`${o}: fixture names no rule in the pack\n`);
      }
      io.stdout.write(`${results.length} fixtures, ${passed} cases passed, ${failed} failed\n`);
      return failed > 0 ? 1 : 0;
    }
    default:
      usage(sub ? `unknown rules command "${sub}" (list, test, lint, schema, new)` : 'rules needs a command: list, test, lint, schema or new');
  }
}

/** `schema report` prints the report's JSON Schema (as shipped in @scs-doctor/core); `schema rule` the rule files'. */
async function schema(args: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const [which, ...extra] = positionals;
  if (extra.length > 0) usage(`schema takes one name (got "${positionals.join(' ')}")`);
  if (which === 'report') await write(io, JSON.stringify(reportJsonSchema(), null, 2) + '\n', undefined);
  else if (which === 'rule') await write(io, JSON.stringify(ruleJsonSchema(), null, 2) + '\n', undefined);
  else usage(which ? `unknown schema "${which}" (report, rule)` : 'schema needs a name: report or rule');
  return 0;
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
  try {
    switch (command) {
      case 'diagnose':
        // --explain (rule authoring): authoring.ts runs diagnose and explains each diagnosis.
        if (rest.slice(0, end < 0 ? undefined : end).includes('--explain')) return await diagnoseExplain(rest, io, diagnose);
        return await diagnose(rest, io);
      case 'explain':
        return await explainCommand(rest, io);
      case 'merge':
        return await merge(rest, io);
      case 'trace':
        return await trace(rest, io);
      case 'rules':
        return await rules(rest, io);
      case 'schema':
        return await schema(rest, io);
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
