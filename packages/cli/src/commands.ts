/**
 * The commands other than diagnose (merge, trace, rules, schema): loaded by main() only when one is
 * run, so that what they alone need (report validation, trace, rule authoring, JSON Schemas) is not
 * parsed at every start.
 */
import { parseArgs } from 'node:util';
import {
  formatProblem,
  hideIds,
  mergeReports,
  parseReport,
  reportJsonSchema,
  ruleJsonSchema,
  visibleLine,
  ScsDoctorError,
  type Report,
  renderTrace,
  trace as traceFile,
  TRACE_FORMATS,
  type LogRecord,
  type SyncEventRecord,
  type TraceFormat,
} from '@scs-doctor/core/internal';
import { diagnoseInputs, loadRulePack, testRulePack } from '@scs-doctor/adapters';
import type { Io } from './main.js';
import { clockOptions, logFormatOption, readText, redactOptions, ruleDirs, usage } from './options.js';
import { exitFor, formatOption, nowNotice, write, writeReport } from './output.js';
import { rulesAuthoring } from './authoring.js';

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

export async function merge(args: string[], io: Io): Promise<number> {
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
    const text = await readText(file);
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
  const text = await readText(file);
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
export async function trace(args: string[], io: Io): Promise<number> {
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

export async function rules(args: string[], io: Io): Promise<number> {
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
export async function schema(args: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const [which, ...extra] = positionals;
  if (extra.length > 0) usage(`schema takes one name (got "${positionals.join(' ')}")`);
  if (which === 'report') await write(io, JSON.stringify(reportJsonSchema(), null, 2) + '\n', undefined);
  else if (which === 'rule') await write(io, JSON.stringify(ruleJsonSchema(), null, 2) + '\n', undefined);
  else usage(which ? `unknown schema "${which}" (report, rule)` : 'schema needs a name: report or rule');
  return 0;
}
