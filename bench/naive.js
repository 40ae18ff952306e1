/**
 * Workload: the naive baseline. The same rules evaluated by json-rules-engine line by line, as a
 * user of that library would write it: one Engine holding every rule, each rule's anchors and
 * pattern as custom operators over a `message` fact next to its own conditions, one
 * `engine.run` per line. It manages a few thousand lines a second, so it reads lines from the
 * start of the file for a fixed time and the caller extrapolates.
 * Usage: node bench/naive.js '{"file":"f.log","seconds":3,"rules":null}'
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Engine } from 'json-rules-engine';
import { loadRuleFiles } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const spec = JSON.parse(process.argv[2] ?? '{}');
const { rules } = await loadRuleFiles(spec.rules ?? [rulesDir]);
const engine = new Engine([], { allowUndefinedFacts: true });
const regexes = new Map();
engine.addOperator('containsAll', (message, anchors) => typeof message === 'string' && anchors.every((a) => message.includes(a)));
engine.addOperator('matchesPattern', (message, source) => {
  let re = regexes.get(source);
  if (!re) regexes.set(source, (re = new RegExp(source)));
  return typeof message === 'string' && re.test(message);
});
for (const { rule } of rules) {
  if (!rule.appliesTo.includes('log')) continue;
  const all = [];
  if (rule.signature?.anchors?.length) all.push({ fact: 'message', operator: 'containsAll', value: rule.signature.anchors });
  if (rule.signature?.pattern) all.push({ fact: 'message', operator: 'matchesPattern', value: rule.signature.pattern });
  if (rule.conditions) all.push(rule.conditions);
  engine.addRule({ name: rule.id, conditions: { all }, event: { type: rule.id } });
}

const budgetMs = (spec.seconds ?? 3) * 1000;
const lines = createInterface({ input: createReadStream(spec.file), crlfDelay: Infinity });
let n = 0;
let matched = 0;
const started = performance.now();
for await (const line of lines) {
  const { events } = await engine.run({ kind: 'log', message: line });
  matched += events.length;
  n++;
  if ((n & 63) === 0 && performance.now() - started > budgetMs) break;
}
const ms = performance.now() - started;
lines.close();
process.stdout.write(JSON.stringify({ lines: n, ms, linesPerSec: (n / ms) * 1000, matched, rules: rules.length }) + '\n');
process.exit(0);
