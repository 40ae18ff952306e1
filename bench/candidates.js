/**
 * Workload: the cost of one candidate record in a warm process. From a log file it keeps only the
 * records the prefilter's literals hit (their first line holds an anchor or attention token) with
 * their continuation lines (tracebacks), then reads that text `repeat` times into a fresh session
 * each time and reports the best CPU time per candidate (reading and matching; the report is built apart), so the one-off costs (JIT, first allocation)
 * drop out. Usage: node bench/candidates.js '{"file":"f.log","repeat":15}'
 */
import { readFileSync } from 'node:fs';
import { DiagnosisSession } from '@scs-doctor/core/internal';
import { loadRulePack, readLogText } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const spec = JSON.parse(process.argv[2] ?? '{}');
const pack = await loadRulePack(spec.rules ?? [rulesDir]);
// The strong literals: anchors and attention tokens, not the sync outcome words (those lines take a cheaper path).
const literals = (pack.strongFilter ?? pack.rawFilter).literals;
const head = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/;
const kept = [];
let candidates = 0;
let keep = false;
for (const line of readFileSync(spec.file, 'latin1').split('\n')) {
  if (line === '') continue;
  if (head.test(line)) {
    keep = literals.some((l) => line.includes(l));
    if (keep) candidates++;
  }
  if (keep) kept.push(line);
}
const text = Buffer.from(kept.join('\n') + '\n', 'latin1');
let best = Infinity;
let report;
for (let i = 0; i < (spec.repeat ?? 15); i++) {
  const session = new DiagnosisSession(pack, { now: '2026-05-12T12:00:00Z' });
  const c0 = process.cpuUsage();
  readLogText(text, 'candidates.log', session);
  const c = process.cpuUsage(c0);
  best = Math.min(best, (c.user + c.system) / 1000);
  report = session.report();
}
process.stdout.write(JSON.stringify({ candidates, lines: kept.length, ms: best, usPerCandidate: (best * 1000) / candidates, diagnoses: report.diagnoses.length, records: report.stats.records }) + '\n');
