/**
 * The scs-doctor benchmark: `npm run bench` (full: inputs up to 1 GB) or `npm run bench -- --quick`
 * (small inputs, under a minute). Needs `npm run build` first: it runs the built CLI and library.
 *
 * One run measures, side by side on the same generated files (bench/corpus.js):
 *   1. the `scs-doctor diagnose` process end to end (wall time and peak RSS from /usr/bin/time);
 *   2. the library API in process (bench/library.js);
 *   3. a naive baseline: json-rules-engine line by line (bench/naive.js), on a timed sample,
 *      extrapolated;
 *   4. `grep -c -F -f anchors`, the floor: GNU grep over the pack's prefilter literals;
 * then how cost grows with input size and rule count (bench/compile.js for load + compile),
 * sync-history throughput, `--jobs` at library level, and one condition tree on the compiled and
 * the general path (bench/conditions.js). Results also go to
 * bench/.corpus/results-<mode>.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR, eventsCorpus, logCorpus, otherCorpus, rulePackCorpus } from './corpus.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'packages/cli/bin/scs-doctor.js');
const NOW = '2026-05-12T12:00:00Z';
const QUICK = process.argv.includes('--quick');
const MB = 1e6;

// The full run's first text file is the issue-sized one: 127 MB, about a million lines of Python logging.
const PLAN = QUICK
  ? { text: [20 * MB, 100 * MB], other: 20 * MB, dense: 20 * MB, events: 200_000, rulesOn: 20 * MB, jobsFileSize: 20 * MB, naiveSeconds: 1.5, reps: 2, bigReps: 1, startReps: 5 }
  : { text: [127 * MB, 1000 * MB], other: 100 * MB, dense: 127 * MB, events: 2_000_000, rulesOn: 127 * MB, jobsFileSize: 100 * MB, naiveSeconds: 3, reps: 3, bigReps: 2, startReps: 7 };

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Running things

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command to completion, stdout drained through a pipe; wall seconds and peak RSS (KB). */
function run(cmd, args, { capture = false, env = undefined } = {}) {
  return new Promise((resolve, reject) => {
    const full = TIME ? [TIME, ['-f', 'BENCH_TIME %e %M %U %S', cmd, ...args]] : [cmd, args];
    const started = performance.now();
    const child = spawn(full[0], full[1], { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      if (capture) out += d;
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - started) / 1000;
      const m = /BENCH_TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(err);
      if (code !== 0 && code !== 1) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-500)}`));
      resolve({ wall: m ? Math.max(Number(m[1]), 0.001) : wall, rssKb: m ? Number(m[2]) : undefined, cpu: m ? Number(m[3]) + Number(m[4]) : undefined, out, code });
    });
  });
}

async function best(reps, f) {
  let b;
  for (let i = 0; i < reps; i++) {
    const r = await f();
    if (!b || r.wall < b.wall) b = r;
  }
  return b;
}

const node = (script, spec) => run(process.execPath, [path.join(ROOT, 'bench', script), JSON.stringify(spec)], { capture: true }).then((r) => ({ ...JSON.parse(r.out.trim().split('\n').pop()), rssKb: r.rssKb, processWall: r.wall }));
/** The library workload: its own timing of the diagnosis (pack loading excluded). */
const library = (spec) => node('library.js', spec).then((r) => ({ ...r, wall: r.ms / 1000, cpu: r.cpuMs / 1000 }));
const fmtCpu = (s) => (s === undefined ? '–' : `${s.toFixed(2)} s`);

// The same node flags as the installed command's shebang line (packages/cli/bin/scs-doctor.js).
/** The rule pack cache of every process run: a directory of the benchmark's own (warm after the first run). */
const CACHE_ENV = { SCS_DOCTOR_CACHE_DIR: path.join(CORPUS_DIR, 'pack-cache') };
const cli = (args, env = CACHE_ENV) => run(process.execPath, ['--max-semi-space-size=8', CLI, 'diagnose', ...args, '--format', 'json', '--now', NOW], { env });

// ---------------------------------------------------------------------------------------------
// Formatting

const fmtBytes = (b) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${Math.round(b / MB)} MB`);
const fmtRate = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
const fmtRss = (kb) => (kb === undefined ? '–' : `${Math.round(kb / 1024)} MB`);
const fmtS = (s) => (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`);

function table(title, header, rows) {
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i < 2 ? String(c ?? '').padEnd(w[i]) : String(c ?? '').padStart(w[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(w.map((n) => '─'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(path.join(ROOT, 'packages/cli/dist/main.js')) || !existsSync(path.join(ROOT, 'packages/adapters/dist/index.js'))) {
    console.error('bench: the packages are not built; run `npm run build` first');
    process.exit(2);
  }
  const started = performance.now();
  const cpu = (/model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown').trim();
  const machine = { nproc: os.availableParallelism(), cpu, node: process.version, platform: `${os.type()} ${os.release()}`, memGB: Math.round(os.totalmem() / 1e9), loadBefore: os.loadavg()[0] };
  const grepVersion = spawnSync('grep', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`scs-doctor benchmark (${QUICK ? 'quick' : 'full'}): ${machine.nproc} CPUs (${cpu}), ${machine.memGB} GB, node ${machine.node}, ${grepVersion}`);
  console.log(`load average at start ${machine.loadBefore.toFixed(2)}; each figure is the best of ${PLAN.reps} runs (${PLAN.bigReps} for inputs of 1 GB); peak RSS ${TIME ? 'from /usr/bin/time' : 'not measured (no /usr/bin/time)'}`);

  // Corpora ------------------------------------------------------------------------------------
  log('generating corpora (cached in bench/.corpus/)…');
  const texts = PLAN.text.map((size) => logCorpus('text', size));
  const jsonl = logCorpus('jsonl', PLAN.other);
  const docker = logCorpus('docker', PLAN.other);
  const dense = logCorpus('text', PLAN.dense, 1, 'dense');
  const other = otherCorpus(PLAN.other);
  const history = eventsCorpus(PLAN.events);
  const pyHistory = eventsCorpus(PLAN.events, 7, 'python');
  const builtin = readdirSync(path.join(ROOT, 'packages/rules/rules'), { recursive: true })
    .filter((f) => String(f).endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: String(f), text: readFileSync(path.join(ROOT, 'packages/rules/rules', String(f)), 'utf8') }));
  const packs = [10, 100, 1000].map((n) => ({ n, dir: rulePackCorpus(n, builtin) }));
  const jobsFiles = [logCorpus('text', PLAN.jobsFileSize, 2), logCorpus('text', PLAN.jobsFileSize, 3), logCorpus('jsonl', PLAN.jobsFileSize), logCorpus('docker', PLAN.jobsFileSize)];

  // The grep floor searches the same literals as the prefilter.
  const anchorsFile = path.join(CORPUS_DIR, 'anchors.txt');
  const { loadRulePack } = await import('@scs-doctor/adapters');
  const { rulesDir } = await import('@scs-doctor/rules');
  const pack = await loadRulePack([rulesDir]);
  writeFileSync(anchorsFile, pack.rawFilter.literals.join('\n') + '\n', 'latin1');

  const results = { machine, plan: PLAN, sideBySide: [], rules: [], events: [], jobs: [] };

  // 1–4 side by side ---------------------------------------------------------------------------
  const inputs = [
    ...texts.map((c) => ({ c, label: `text ${fmtBytes(c.bytes)}` })),
    { c: dense, label: `text ${fmtBytes(dense.bytes)}, real density`, dense: true },
    { c: other, label: `other software ${fmtBytes(other.bytes)}`, other: true },
    { c: jsonl, label: `JSON lines ${fmtBytes(jsonl.bytes)}` },
    { c: docker, label: `Docker json-file ${fmtBytes(docker.bytes)}` },
  ];
  const rows = [];
  for (const { c, label, dense: isDense, other: isOther } of inputs) {
    const reps = c.bytes >= 500 * MB ? PLAN.bigReps : PLAN.reps;
    log(`${label}: scs-doctor diagnose…`);
    const e2e = await best(reps, () => cli([c.file]));
    log(`${label}: library…`);
    const lib = await best(reps, () => library({ inputs: [c.file] }));
    log(`${label}: grep…`);
    const grep = await best(reps, () => run('grep', ['-c', '-F', '-f', anchorsFile, c.file], { capture: true }));
    log(`${label}: json-rules-engine sample…`);
    const naive = await node('naive.js', { file: c.file, seconds: PLAN.naiveSeconds });
    const naiveWall = c.lines / naive.linesPerSec;
    const r = { input: label, dense: Boolean(isDense), other: Boolean(isOther), bytes: c.bytes, lines: c.lines, failures: c.failures, e2e, lib, grep, naive: { ...naive, extrapolatedWall: naiveWall } };
    results.sideBySide.push(r);
    const mbps = (s) => (c.bytes / MB / s).toFixed(0);
    const lps = (s) => fmtRate(c.lines / s);
    const cpuRatio = (x) => (x.cpu && grep.cpu ? `${(grep.cpu / x.cpu).toFixed(2)}×` : '–');
    rows.push([label, 'scs-doctor diagnose (process)', fmtS(e2e.wall), fmtCpu(e2e.cpu), mbps(e2e.wall), lps(e2e.wall), fmtRss(e2e.rssKb), `${(grep.wall / e2e.wall).toFixed(2)}×`, cpuRatio(e2e), `${Math.round(naiveWall / e2e.wall)}×`]);
    rows.push(['', 'library diagnoseInputs', fmtS(lib.wall), fmtCpu(lib.cpu), mbps(lib.wall), lps(lib.wall), fmtRss(lib.rssKb), `${(grep.wall / lib.wall).toFixed(2)}×`, cpuRatio(lib), `${Math.round(naiveWall / lib.wall)}×`]);
    rows.push(['', `json-rules-engine per line *`, `${fmtS(naiveWall)} *`, '', mbps(naiveWall), lps(naiveWall), fmtRss(naive.rssKb), `${(grep.wall / naiveWall).toFixed(4)}×`, '', '1×']);
    rows.push(['', `grep -c -F -f anchors (${grep.out.trim()} lines)`, fmtS(grep.wall), fmtCpu(grep.cpu), mbps(grep.wall), lps(grep.wall), fmtRss(grep.rssKb), '1.00×', '1.00×', `${Math.round(naiveWall / grep.wall)}×`]);
  }
  table('Side by side, one thread, built-in rule pack (the same files for every row)', ['input', 'workload', 'wall', 'CPU', 'MB/s', 'lines/s', 'peak RSS', 'vs grep (wall)', 'vs grep (CPU)', 'vs naive'], rows);
  console.log(
    `real density: the SCS traffic of the text rows plus unrelated errors (3.5 % of records, a third with a traceback): ${dense.lines} lines, ${dense.failures} failure records. other software: Apache, Java (with stack traces), syslog and nginx logs with ~3.5 % error lines that no rule matches.`,
  );
  const n0 = results.sideBySide[0].naive;
  const label0 = results.sideBySide[0].input;
  console.log(`* json-rules-engine: the first lines of each file for ${PLAN.naiveSeconds} s (${n0.lines} lines, ${fmtRate(n0.linesPerSec)} lines/s on ${label0}), extrapolated to the whole file.`);
  console.log('MB/s and lines/s are by wall time; CPU is user + system time of the process (for the library: of the diagnosis), which other load on the machine inflates less.');

  // Input size ---------------------------------------------------------------------------------
  const sizeRows = results.sideBySide
    .filter((r) => r.input.startsWith('text') && !r.dense)
    .map((r) => [r.input, fmtS(r.e2e.wall), (r.bytes / MB / r.e2e.wall).toFixed(0), fmtRss(r.e2e.rssKb), fmtS(r.lib.wall), (r.bytes / MB / r.lib.wall).toFixed(0), fmtRss(r.lib.rssKb), (r.bytes / MB / r.grep.wall).toFixed(0)]);
  table('Input size (plain text)', ['input', 'process', 'MB/s', 'peak RSS', 'library', 'MB/s', 'peak RSS', 'grep MB/s'], sizeRows);

  // Rule count ---------------------------------------------------------------------------------
  const corpusForRules = texts.find((t) => t.bytes === PLAN.rulesOn) ?? texts[0];
  const ruleRows = [];
  for (const p of packs) {
    log(`${p.n} rules: load and compile…`);
    const comp = await node('compile.js', { dirs: [p.dir], repeat: 3 });
    log(`${p.n} rules: scan…`);
    const e2e = await best(PLAN.reps, () => cli([corpusForRules.file, '--no-builtin', '--rules', p.dir]));
    const lib = await best(PLAN.reps, () => library({ inputs: [corpusForRules.file], rules: [p.dir] }));
    results.rules.push({ rules: p.n, compile: comp, e2e, lib });
    ruleRows.push([
      String(p.n),
      `${comp.firstMs.toFixed(0)} ms`,
      `${comp.loadMs.toFixed(0)} ms`,
      `${comp.compileMs.toFixed(0)} ms`,
      (corpusForRules.bytes / MB / e2e.wall).toFixed(0),
      (corpusForRules.bytes / MB / lib.wall).toFixed(0),
      fmtRss(e2e.rssKb),
    ]);
  }
  table(`Rule count (generated packs; scan of text ${fmtBytes(corpusForRules.bytes)})`, ['rules', 'load+compile (cold)', 'load+compile (warm)', 'compile only', 'process MB/s', 'library MB/s', 'peak RSS'], ruleRows);

  // Sync history -------------------------------------------------------------------------------
  log('sync history…');
  const evE2e = await best(PLAN.reps, () => cli(['--events', history.file]));
  const evLib = await best(PLAN.reps, () => library({ events: [history.file] }));
  const evPy = await best(PLAN.reps, () => library({ events: [pyHistory.file] }));
  const evFull = await best(1, () => library({ events: [history.file], fullPath: true }));
  results.events.push({ events: history.events, bytes: history.bytes, e2e: evE2e, lib: evLib, python: { bytes: pyHistory.bytes, ...evPy }, fullPath: evFull });
  const evRow = (name, r, bytes = history.bytes) => [name, '', fmtS(r.wall), fmtRate(history.events / r.wall), (bytes / MB / r.wall).toFixed(0), fmtRss(r.rssKb)];
  table(
    `Sync history (NDJSON, ${fmtRate(history.events)} events, ${fmtBytes(history.bytes)})`,
    ['workload', '', 'time', 'events/s', 'MB/s', 'peak RSS'],
    [
      evRow('scs-doctor diagnose --events (process)', evE2e),
      evRow('library diagnoseInputs({ events })', evLib),
      evRow("library, lines as Python's json.dumps writes them", evPy, pyHistory.bytes),
      evRow('library, full path (JSON.parse + schema each line)', evFull),
    ],
  );

  // --jobs ------------------------------------------------------------------------------------
  log('--jobs…');
  const jobFiles = jobsFiles.map((f) => f.file);
  const jobBytes = jobsFiles.reduce((n, f) => n + f.bytes, 0);
  const jobRows = [];
  for (const jobs of [1, 2]) {
    const r = await best(PLAN.reps, () => library({ inputs: jobFiles, jobs }));
    results.jobs.push({ jobs, bytes: jobBytes, ...r });
    jobRows.push([String(jobs), fmtS(r.wall), (jobBytes / MB / r.wall).toFixed(0), fmtRss(r.rssKb), String(r.matched)]);
  }
  table(`--jobs (library diagnoseInputsParallel; 4 files, ${fmtBytes(jobBytes)} in all)`, ['jobs', 'time', 'MB/s', 'peak RSS', 'matches'], jobRows);
  console.log(`Each worker loads the modules and the rule pack itself before it reads. ${machine.nproc} CPUs, load average ${os.loadavg()[0].toFixed(1)} now: a second worker gains only what CPU the rest of the machine leaves idle.`);

  // Start-up ----------------------------------------------------------------------------------
  log('start-up…');
  const tiny = path.join(CORPUS_DIR, 'tiny-1k.log');
  writeFileSync(
    tiny,
    readFileSync(texts[0].file)
      .subarray(0, 1024)
      .toString('latin1')
      .replace(/[^\n]*$/, ''),
    'latin1',
  );
  const nodeBare = await best(PLAN.startReps, () => run(process.execPath, ['-e', '0']));
  const version = await best(PLAN.startReps, () => run(process.execPath, ['--max-semi-space-size=8', CLI, '--version']));
  // Warm: the pack cache holds the built-in pack (CACHE_ENV); cold: every run without the cache.
  await cli([tiny]);
  const small = await best(PLAN.startReps, () => cli([tiny]));
  const smallCold = await best(PLAN.startReps, () => cli([tiny], { SCS_DOCTOR_NO_CACHE: '1' }));
  results.startup = { nodeBare, version, small, smallCold };
  table(
    `Start-up (best of ${PLAN.startReps})`,
    ['workload', '', 'wall', 'CPU', 'peak RSS'],
    [
      ['node -e 0', '', fmtS(nodeBare.wall), fmtCpu(nodeBare.cpu), fmtRss(nodeBare.rssKb)],
      ['scs-doctor --version', '', fmtS(version.wall), fmtCpu(version.cpu), fmtRss(version.rssKb)],
      ['scs-doctor diagnose (1 KB file)', 'pack cache warm', fmtS(small.wall), fmtCpu(small.cpu), fmtRss(small.rssKb)],
      ['scs-doctor diagnose (1 KB file)', 'no pack cache', fmtS(smallCold.wall), fmtCpu(smallCold.cpu), fmtRss(smallCold.rssKb)],
    ],
  );

  // Candidates -------------------------------------------------------------------------------
  log('cost per candidate…');
  const candRows = [];
  results.candidates = [];
  for (const c of [texts[0], dense]) {
    const r = await node('candidates.js', { file: c.file, repeat: 15 });
    results.candidates.push({ file: path.basename(c.file), ...r });
    candRows.push([path.basename(c.file), '', String(r.candidates), String(r.lines), `${r.ms.toFixed(1)} ms`, `${r.usPerCandidate.toFixed(1)} µs`]);
  }
  table('Cost per candidate, warm process (records the prefilter hits, with their tracebacks; best CPU time of 15 reads)', ['corpus', '', 'candidates', 'lines', 'CPU', 'per candidate'], candRows);

  // Conditions: compiled vs general path --------------------------------------------------------
  log('conditions on both paths…');
  const cond = await node('conditions.js', { records: 2000, repeat: 15 });
  results.conditions = cond;
  table(
    'Conditions, one tree on both paths (warm; best CPU time of 15 rounds of 2,000 records)',
    ['path', 'per evaluation', 'vs compiled'],
    [
      ['compiled closures', `${cond.compiledUs.toFixed(2)} µs`, '1×'],
      ["json-rules-engine's general path", `${cond.generalUs.toFixed(2)} µs`, `${cond.ratio.toFixed(1)}×`],
    ],
  );

  // Targets ------------------------------------------------------------------------------------
  const textRows = results.sideBySide.filter((r) => r.input.startsWith('text') && !r.dense).sort((a, b) => a.bytes - b.bytes);
  const big = textRows[textRows.length - 1];
  const first = textRows[0];
  const denseRow = results.sideBySide.find((r) => r.dense);
  const ratio = (r, k) => (r.e2e[k] && r.grep[k] ? r.grep[k] / r.e2e[k] : 0);
  const worstCandidate = Math.max(...results.candidates.map((c) => c.usPerCandidate));
  const e2eMBps = big.bytes / MB / big.e2e.wall;
  const naiveRatio = big.naive.extrapolatedWall / big.e2e.wall;
  const r10 = results.rules.find((r) => r.rules === 10);
  const r1000 = results.rules.find((r) => r.rules === 1000);
  const scanRatio = r10.lib.wall / r1000.lib.wall;
  const evRate = history.events / evLib.wall;
  // A quick run's inputs are small: start-up weighs on every rate, so a miss says little there.
  const ok = (b) => (b ? 'yes' : QUICK ? 'not at this size' : 'NO');
  const sized = (b) => (b ? 'yes' : 'NO');
  table(
    `Targets (one thread, the process unless named${QUICK ? '; a quick run: the size-dependent targets are for the full run, `npm run bench`' : ''})`,
    ['target', 'figure', 'met'],
    [
      [`text ${fmtBytes(big.bytes)}: ≥ 0.5× grep -F, wall`, `${ratio(big, 'wall').toFixed(2)}×`, ok(!QUICK && ratio(big, 'wall') >= 0.5)],
      [`text ${fmtBytes(big.bytes)}: ≥ 0.5× grep -F, CPU`, `${ratio(big, 'cpu').toFixed(2)}×`, ok(!QUICK && ratio(big, 'cpu') >= 0.5)],
      [`text ${fmtBytes(first.bytes)}: ≥ 0.3× grep -F, wall`, `${ratio(first, 'wall').toFixed(2)}×`, ok(!QUICK && ratio(first, 'wall') >= 0.3)],
      [`text ${fmtBytes(first.bytes)}: ≥ 0.3× grep -F, CPU`, `${ratio(first, 'cpu').toFixed(2)}×`, ok(!QUICK && ratio(first, 'cpu') >= 0.3)],
      [`${denseRow.input}: ≥ 0.25× grep -F, CPU`, `${ratio(denseRow, 'cpu').toFixed(2)}×`, ok(!QUICK && ratio(denseRow, 'cpu') >= 0.25)],
      ['scs-doctor --version ≤ 150 ms', `${(version.wall * 1000).toFixed(0)} ms (CPU ${(version.cpu * 1000).toFixed(0)} ms; node -e 0: ${(nodeBare.wall * 1000).toFixed(0)} ms)`, sized(version.wall <= 0.15)],
      ['diagnose of a 1 KB file ≤ 300 ms wall', `${(small.wall * 1000).toFixed(0)} ms (CPU ${(small.cpu * 1000).toFixed(0)} ms)`, sized(small.wall <= 0.3)],
      ['≤ 10 µs per candidate (warm)', `${worstCandidate.toFixed(1)} µs`, sized(worstCandidate <= 10)],
      ['end to end ≥ 250 MB/s', `${e2eMBps.toFixed(0)} MB/s`, ok(e2eMBps >= 250)],
      ['≥ 50× the naive baseline (lines/s)', `${naiveRatio.toFixed(0)}×`, ok(naiveRatio >= 50)],
      [`peak RSS < 150 MB (${fmtBytes(big.bytes)} input)`, fmtRss(big.e2e.rssKb), ok(big.e2e.rssKb !== undefined && big.e2e.rssKb < 150 * 1024)],
      ['1,000-rule pack loads and compiles < 1 s', `${r1000.compile.firstMs.toFixed(0)} ms`, sized(r1000.compile.firstMs < 1000)],
      ['1,000 rules scan ≥ half the speed of 10', `${(scanRatio * 100).toFixed(0)} %`, ok(scanRatio >= 0.5)],
      ['sync history ≥ 1 M events/s (library)', `${fmtRate(evRate)} events/s`, ok(evRate >= 1e6)],
      ['sync history ≥ 1 M events/s (process)', `${fmtRate(history.events / evE2e.wall)} events/s`, ok(history.events / evE2e.wall >= 1e6)],
    ],
  );
  results.loadAfter = os.loadavg()[0];
  console.log(`Load average before ${machine.loadBefore.toFixed(2)}, after ${results.loadAfter.toFixed(2)} (${machine.nproc} CPUs): above ${machine.nproc} the wall times carry other work; the CPU columns less so.`);
  results.seconds = (performance.now() - started) / 1000;
  const out = path.join(CORPUS_DIR, `results-${QUICK ? 'quick' : 'full'}.json`);
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nload average at end ${results.loadAfter.toFixed(2)}; ${results.seconds.toFixed(0)} s in all; results in ${path.relative(ROOT, out)}`);
}

main().catch((e) => {
  console.error(`bench: ${e.stack ?? e}`);
  process.exit(1);
});
