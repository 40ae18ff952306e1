/**
 * Workload: the library API in process. Loads the rule pack, then times one diagnoseInputs
 * (or diagnoseInputsParallel with `jobs` > 1) over the given logs and sync histories.
 * Usage: node bench/library.js '{"inputs":["f.log"],"events":[],"rules":null,"jobs":1,"fullPath":false}'
 * Prints one JSON line: time of the diagnosis alone (pack loading excluded), counts, peak RSS.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DiagnosisSession } from '@scs-doctor/core/internal';
import { diagnoseInputs, diagnoseInputsParallel, EventsReader, loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

/**
 * The full path for sync histories, for comparison: decoded text pushed into the reader, so every
 * line goes through JSON.parse and the schema (files are read from bytes, through the canonical lane).
 */
async function fullPath(pack, options) {
  const session = new DiagnosisSession(pack, options);
  for (const file of options.events) {
    const reader = new EventsReader(session, file);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) reader.push(decoder.write(chunk), chunk.length);
    reader.push(decoder.end(), 0);
    reader.end();
  }
  return { report: session.report() };
}

const spec = JSON.parse(process.argv[2] ?? '{}');
const dirs = spec.rules ?? [rulesDir];
const pack = await loadRulePack(dirs);
const options = { inputs: spec.inputs ?? [], events: spec.events ?? [], now: spec.now ?? '2026-05-12T12:00:00Z' };
const started = performance.now();
const cpu0 = process.cpuUsage();
const { report } = spec.fullPath ? await fullPath(pack, options) : (spec.jobs ?? 1) > 1 ? await diagnoseInputsParallel(dirs, { ...options, jobs: spec.jobs, pack }) : await diagnoseInputs(pack, options);
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
