/**
 * Workload: one rule's conditions on the compiled path and on json-rules-engine's general path,
 * side by side in one warm process. The same tree runs on both: the general copy only adds
 * `priority: 1` to its leaves, which json-rules-engine gives them anyway (one set, the same
 * order), so both give the same verdicts (checked here). Facts are a fixed, varied set of log
 * records; the figure is the best CPU time of `repeat` rounds, per evaluation.
 * Usage: node bench/conditions.js '{"records":2000,"repeat":15}'
 */
import { compileRules } from '@scs-doctor/core';

const spec = JSON.parse(process.argv[2] ?? '{}');
const tree = {
  all: [
    { fact: 'levelNumber', operator: 'greaterThanInclusive', value: 40 },
    {
      any: [
        { fact: 'fields', path: '$.connection_id', operator: 'in', value: ['c-1', 'c-2', 'c-3'] },
        { fact: 'params', path: '$.sizeBytes', operator: 'greaterThan', value: 3_000_000_000 },
      ],
    },
    { not: { fact: 'logger', operator: 'equal', value: 'scs.sync.receiver' } },
  ],
};
const withPriority = (n) => ('all' in n ? { all: n.all.map(withPriority) } : 'any' in n ? { any: n.any.map(withPriority) } : 'not' in n ? { not: withPriority(n.not) } : { ...n, priority: 1 });
const rule = (id, conditions) => ({
  id,
  title: id,
  severity: 'error',
  side: 'sending',
  category: 'bench',
  references: ['bench'],
  appliesTo: ['log'],
  signature: { anchors: ['outbox write failed'] },
  params: {},
  summary: 's',
  cause: 'c',
  impact: 'i',
  remediation: ['r'],
  groupBy: [],
  peer: [],
  explains: [],
  resolution: 'success',
  conditions,
});
const pack = compileRules([rule('compiled', tree), rule('general', withPriority(tree))]);
const [compiled, general] = pack.rules;
if (compiled.conditionPath !== 'compiled' || general.conditionPath !== 'general') throw new Error('the two rules are not on the two paths');

const records = [];
for (let i = 0; i < (spec.records ?? 2000); i++) {
  records.push({
    kind: 'log',
    message: `outbox write failed: Revision r-${i} size=${i * 7_000_000}`,
    level: i % 3 === 0 ? 'info' : 'error',
    levelNumber: i % 3 === 0 ? 30 : 50,
    logger: i % 5 === 0 ? 'scs.sync.receiver' : 'scs.sync.sender',
    fields: { connection_id: `c-${i % 7}` },
    params: { sizeBytes: i * 7_000_000 },
  });
}
let agree = 0;
for (const r of records) if (compiled.predicate(r) === general.predicate(r)) agree++;
if (agree !== records.length) throw new Error(`the paths disagree on ${records.length - agree} records`);
const holds = records.filter((r) => compiled.predicate(r)).length;

const timeOf = (p) => {
  const c0 = process.cpuUsage();
  let n = 0;
  for (const r of records) if (p(r)) n++;
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1000, n };
};
let bestCompiled = Infinity;
let bestGeneral = Infinity;
// Alternated, so that both see the same machine.
for (let i = 0; i < (spec.repeat ?? 15); i++) {
  bestCompiled = Math.min(bestCompiled, timeOf(compiled.predicate).ms);
  bestGeneral = Math.min(bestGeneral, timeOf(general.predicate).ms);
}
const us = (ms) => (ms * 1000) / records.length;
process.stdout.write(JSON.stringify({ records: records.length, holds, compiledUs: us(bestCompiled), generalUs: us(bestGeneral), ratio: bestGeneral / bestCompiled }) + '\n');
