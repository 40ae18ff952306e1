/**
 * Workload: loading and compiling a rule pack (find files, read, parse YAML, validate, analyze,
 * compile the prefilter). Usage: node bench/compile.js '{"dirs":["bench/.corpus/rules-1000-g4"]}'
 * Prints the time of loadRulePack as a whole and of the compile step alone (best of `repeat`).
 */
import { loadRuleFiles, loadRulePack } from '@scs-doctor/adapters';
import { compileRules } from '@scs-doctor/core/internal';

const spec = JSON.parse(process.argv[2] ?? '{}');
let t = performance.now();
const pack = await loadRulePack(spec.dirs);
const firstMs = performance.now() - t;
let bestLoad = firstMs;
let bestCompile = Infinity;
const { rules } = await loadRuleFiles(spec.dirs);
for (let i = 0; i < (spec.repeat ?? 3); i++) {
  t = performance.now();
  await loadRulePack(spec.dirs);
  bestLoad = Math.min(bestLoad, performance.now() - t);
  t = performance.now();
  compileRules(rules);
  bestCompile = Math.min(bestCompile, performance.now() - t);
}
process.stdout.write(JSON.stringify({ rules: pack.rules.length, firstMs, loadMs: bestLoad, compileMs: bestCompile }) + '\n');
