/**
 * Workload: the library API in process. Loads the rule pack, then times one diagnoseInputs
 * (or diagnoseInputsParallel with `jobs` > 1) over the given logs and sync histories.
 * Usage: node bench/library.js '{"inputs":["f.log"],"events":[],"rules":null,"jobs":1}'
 * Prints one JSON line: time of the diagnosis alone (pack loading excluded), counts, peak RSS.
 */
import { diagnoseInputs, diagnoseInputsParallel, loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const spec = JSON.parse(process.argv[2] ?? '{}');
const dirs = spec.rules ?? [rulesDir];
const pack = await loadRulePack(dirs);
const options = { inputs: spec.inputs ?? [], events: spec.events ?? [], now: spec.now ?? '2026-05-12T12:00:00Z' };
const started = performance.now();
const cpu0 = process.cpuUsage();
const { report } = (spec.jobs ?? 1) > 1 ? await diagnoseInputsParallel(dirs, { ...options, jobs: spec.jobs, pack }) : await diagnoseInputs(pack, options);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
const s = report.stats;
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssKb: process.resourceUsage().maxRSS,
    bytes: s.bytesRead,
    lines: s.linesRead,
    records: s.records,
    events: s.events.read,
    diagnoses: report.diagnoses.length,
    matched: report.diagnoses.reduce((n, d) => n + d.count, 0),
  }) + '\n',
);
