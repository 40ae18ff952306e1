/**
 * The commands for rule authors: `rules new`, `rules lint`, `explain`, and `diagnose --explain`.
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { FORMATS, formatProblem, parseReport, render, ScsDoctorError, type OutputFormat, type Report } from '@scs-doctor/core/internal';
import { explainText, lintRules, loadRulePack, readEvidenceLines, renderExplanation, scaffoldRule, unmatchedSamples, type LineWindow } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';
import { readText, ruleDirs, usage } from './options.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  isTTY: boolean;
}

const out = (io: Io, text: string) => new Promise<void>((resolve) => (io.stdout.write(text) ? resolve() : io.stdout.once('drain', () => resolve())));

/** The shipped rule JSON Schema (`@scs-doctor/core/rule.schema.json`). */
export function ruleSchemaPath(): string {
  return createRequire(import.meta.url).resolve('@scs-doctor/core/rule.schema.json');
}

/** `rules new ID --from-line LINE… [--ok LINE…] [--dir DIR]` or `rules new ID --from-unmatched N REPORT.json [--dir DIR]`. */
async function rulesNew(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { 'from-line': { type: 'string', multiple: true }, 'from-unmatched': { type: 'string' }, ok: { type: 'string', multiple: true }, dir: { type: 'string' }, force: { type: 'boolean' } },
  });
  const [id, report, ...extra] = positionals;
  if (!id) usage('rules new needs an ID: scs-doctor rules new ID --from-line "LINE" (or --from-unmatched N REPORT.json)');
  const fromLines = values['from-line'] ?? [];
  const fromUnmatched = values['from-unmatched'];
  if (fromLines.length > 0 === (fromUnmatched !== undefined)) usage('rules new takes --from-line "LINE" or --from-unmatched N REPORT.json (one of them)');
  if (fromUnmatched !== undefined && !report) usage('--from-unmatched N needs the report: scs-doctor rules new ID --from-unmatched N REPORT.json');
  if (extra.length || (fromUnmatched === undefined && report)) usage(`unexpected argument "${extra[0] ?? report}"`);
  const dir = path.resolve(io.cwd, values.dir ?? '.');
  let samples = fromLines;
  let nearMisses = values.ok ?? [];
  let origin: string | undefined;
  if (fromUnmatched !== undefined) {
    const file = path.resolve(io.cwd, report!);
    let data: unknown;
    try {
      data = JSON.parse(await readText(file, 'report'));
    } catch (e) {
      if (e instanceof ScsDoctorError) throw e;
      throw new ScsDoctorError('REPORT_INVALID', `not JSON: ${(e as Error).message}`, { file: report });
    }
    const parsed = parseReport(data, report);
    const cache = new Map<string, string[] | undefined>();
    const files = new Set<string>();
    for (const u of [...parsed.unmatched, ...parsed.unmatchedWarnings]) if (u.sample.file) files.add(u.sample.file);
    for (const f of files) {
      const at = path.resolve(path.dirname(file), f);
      const alt = path.resolve(io.cwd, f);
      let text: string | undefined;
      for (const p of [alt, at]) {
        try {
          text = await fs.readFile(p, 'utf8');
          break;
        } catch {
          /* not at hand: the excerpt stands in */
        }
      }
      cache.set(f, text?.split(/\r?\n/));
    }
    let picked;
    try {
      picked = unmatchedSamples(parsed, fromUnmatched, (f, line) =>
        cache
          .get(f)
          ?.slice(line - 1, line + 499)
          .join('\n'),
      );
    } catch (e) {
      throw new ScsDoctorError('USAGE', (e as Error).message);
    }
    samples = picked.samples;
    nearMisses = [...nearMisses, ...picked.nearMisses];
    origin = `made from the unmatched entry "${picked.template}" of ${path.basename(report!)}`;
  }
  const yamlFile = path.join(dir, `${id}.yaml`);
  const fixtureFile = path.join(dir, `${id}.test.log`);
  if (!values.force) {
    for (const f of [yamlFile, fixtureFile]) {
      const exists = await fs.stat(f).then(
        () => true,
        () => false,
      );
      if (exists) throw new ScsDoctorError('OPTION_INVALID', `${f} exists; choose another id or --dir, or pass --force`, { file: f });
    }
  }
  let scaffold;
  try {
    scaffold = await scaffoldRule({ id, samples, nearMisses, ...(origin ? { origin } : {}), schemaPath: path.relative(dir, ruleSchemaPath()).split(path.sep).join('/') });
  } catch (e) {
    throw new ScsDoctorError('OPTION_INVALID', (e as Error).message);
  }
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(yamlFile, scaffold.yaml);
  await fs.writeFile(fixtureFile, scaffold.fixture);
  await out(
    io,
    `wrote ${path.relative(io.cwd, yamlFile) || yamlFile} and ${path.relative(io.cwd, fixtureFile) || fixtureFile}\n` +
      `next: write every <write: …> text, then run\n  scs-doctor rules test ${path.relative(io.cwd, dir) || '.'}\n  scs-doctor rules lint ${path.relative(io.cwd, dir) || '.'}\n`,
  );
  return 0;
}

/** `rules lint [DIR…] [--rules DIR]… [--no-builtin] [--no-recheck]`. */
async function rulesLint(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { rules: { type: 'string', multiple: true }, 'no-builtin': { type: 'boolean' }, 'no-recheck': { type: 'boolean' } } });
  const dirs = positionals.length ? positionals : ruleDirs(values);
  if (dirs.length === 0) usage('--no-builtin needs at least one --rules DIR');
  const { problems, files } = await lintRules(dirs, { builtinDir: values['no-builtin'] ? undefined : rulesDir, recheck: !values['no-recheck'] });
  for (const p of problems) io.stdout.write(formatProblem(p) + '\n');
  const errors = problems.filter((p) => p.severity !== 'warning').length;
  await out(io, `${files.length} rule files, ${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'}\n`);
  return errors > 0 ? 1 : 0;
}

/** Handles the rule authors' `rules` subcommands; undefined for the others. */
export async function rulesAuthoring(sub: string | undefined, args: string[], io: Io): Promise<number | undefined> {
  if (sub === 'new') return rulesNew(args, io);
  if (sub === 'lint') return rulesLint(args, io);
  return undefined;
}

async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

/** `explain "LINE" [--rules DIR]… [--no-builtin] [--rule ID]… [--json]`; `-` reads the record from standard input. */
export async function explainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { rules: { type: 'string', multiple: true }, 'no-builtin': { type: 'boolean' }, rule: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) usage('explain takes one LINE (quoted; a multi-line record too), or - to read it from standard input');
  const text = positionals[0] === '-' ? await readStdin(io) : positionals[0]!;
  const dirs = ruleDirs(values);
  if (dirs.length === 0) usage('--no-builtin needs at least one --rules DIR');
  const pack = await loadRulePack(dirs);
  for (const id of values.rule ?? []) if (!pack.rule(id)) usage(`--rule ${id}: no rule of that id in the pack`);
  const e = explainText(pack, text, { rules: values.rule ?? [] });
  await out(io, values.json ? JSON.stringify(e, null, 2) + '\n' : renderExplanation(e));
  return e.records.some((r) => r.matches.length > 0) ? 0 : 1;
}

const DIAGNOSE_OPTIONS = {
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
  config: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  explain: { type: 'boolean' },
} as const;

/**
 * `diagnose … --explain`: the report as asked, then for each diagnosis the explanation of its first
 * evidence record, read again through the sources layer (a gzip file, a member of a tar archive,
 * or the copy of standard input kept while diagnose read it). After the report on standard output for the text and
 * Markdown formats written there; on standard error otherwise.
 */
export async function diagnoseExplain(args: string[], io: Io, diagnose: (args: string[], io: Io) => Promise<number>): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: DIAGNOSE_OPTIONS });
  const format = (values.format ?? 'text') as OutputFormat;
  if (!(FORMATS as readonly string[]).includes(format)) usage(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
  // Run diagnose for its JSON report, then render it in the format asked for.
  const inner: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--explain') continue;
    if (a === '--format' || a === '-f' || a === '--output' || a === '-o') {
      i++;
      continue;
    }
    if (/^--(?:format|output)=/.test(a)) continue;
    inner.push(a);
  }
  // Standard input cannot be read twice: a copy is kept in a temporary file while diagnose reads it.
  const readsStdin = positionals.includes('-') || (values.events ?? []).includes('-');
  const tmp = readsStdin ? await fs.mkdtemp(path.join(os.tmpdir(), 'scs-doctor-explain-')) : undefined;
  try {
    const stdinCopy = tmp ? path.join(tmp, 'stdin') : undefined;
    if (stdinCopy) await pipeline(io.stdin, createWriteStream(stdinCopy));
    const captured = new PassThrough();
    const chunks: Buffer[] = [];
    captured.on('data', (c: Buffer) => chunks.push(c));
    const code = await diagnose([...inner, '--format', 'json'], { ...io, stdout: captured, isTTY: false, ...(stdinCopy ? { stdin: createReadStream(stdinCopy) } : {}) });
    const json = Buffer.concat(chunks).toString('utf8');
    if (json.trim() === '') return code;
    const report: Report = parseReport(JSON.parse(json), 'report');
    const rendered = render(report, format, { color: false });
    if (values.output) await fs.writeFile(values.output, rendered);
    else await out(io, rendered);

    const dirs = ruleDirs(values);
    const pack = await loadRulePack(dirs);
    // Each evidence record again, through the sources layer (gzip, tar members, the copy of standard input).
    const windows: LineWindow[] = [];
    for (const d of report.diagnoses) {
      const ev = d.evidence[0];
      if (!ev || !ev.file || ev.line === undefined || ev.source !== 'log') continue;
      // The evidence line can sit inside a multi-line record: read from before it, keep the record that holds it.
      windows.push({ file: ev.file, from: ev.endLine !== undefined ? Math.max(1, ev.line - 500) : ev.line, to: ev.endLine ?? ev.line });
    }
    const found = await readEvidenceLines(windows, { cwd: io.cwd, stdinCopy });
    const parts: string[] = [];
    for (const d of report.diagnoses) {
      const ev = d.evidence[0];
      const head = `explain ${d.ruleId} (${d.key})`;
      if (!ev || !ev.file || ev.line === undefined || ev.source !== 'log') {
        parts.push(`${head}: its evidence is not a log line (${ev?.source ?? 'no evidence'}); nothing to explain\n`);
        continue;
      }
      const got = found.get(ev.file);
      if (!got || 'error' in got) {
        parts.push(`${head}: ${ev.file} cannot be read again (${got?.error ?? 'not found'}); nothing to explain\n`);
        continue;
      }
      const from = ev.endLine !== undefined ? Math.max(1, ev.line - 500) : ev.line;
      const to = ev.endLine ?? ev.line;
      const text: string[] = [];
      for (let n = from; n <= to; n++) text.push(got.lines.get(n) ?? '');
      const e = explainText(pack, text.join('\n'), { rules: [d.ruleId] });
      const rel = ev.line - from + 1;
      const records = e.records.filter((r) => r.lines[0] <= rel && rel <= r.lines[1]).map((r) => ({ ...r, lines: [r.lines[0] + from - 1, r.lines[1] + from - 1] as [number, number] }));
      parts.push(`${head}, ${ev.file}:${ev.line}\n${renderExplanation({ ...e, records })}`);
    }
    const explanation = parts.join('\n');
    if (!values.output && (format === 'text' || format === 'markdown')) await out(io, `\n${explanation}`);
    else io.stderr.write(explanation);
    return code;
  } finally {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  }
}
