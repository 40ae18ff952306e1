import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleText } from '../core/src/rules/parse.js';
import { compileRules } from '../core/src/rules/compile.js';
import { runFixture, type FixtureReader } from '../core/src/harness.js';
import { SyncEventSchema, type LogRecord, type SyncEventRecord } from '../core/src/schema/records.js';
import { fromJsonObject } from '../adapters/src/formats/json.js';
import { parseTextHeader } from '../adapters/src/formats/text.js';
import { contextOf, keyValues } from '../adapters/src/formats/fields.js';
import { rulesDir, BUILTIN_RULE_IDS } from './src/index.js';
import type { Rule } from '../core/src/schema/rule.js';

const files: string[] = [];
for (const area of readdirSync(rulesDir)) for (const f of readdirSync(join(rulesDir, area))) files.push(join(rulesDir, area, f));
const rules: { rule: Rule; file: string }[] = [];
for (const f of files.filter((f) => f.endsWith('.yaml'))) {
  const r = parseRuleText(readFileSync(f, 'utf8'), f);
  for (const p of r.problems) console.log('PROBLEM', f, p);
  if (r.rule) rules.push({ rule: r.rule, file: f });
}
console.log('ids ok:', JSON.stringify(rules.map((r) => r.rule.id).sort()) === JSON.stringify([...BUILTIN_RULE_IDS].sort()));
const pack = compileRules(rules);
for (const r of pack.rules) console.log(r.rule.id, 'key:', r.keyAnchor);

const HEADER = /^\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d/;
const logReader: FixtureReader = (text, file) => {
  const lines = text.split('\n');
  const logs: LogRecord[] = [];
  let cur: { first: number; last: number; lines: string[] } | undefined;
  const flush = () => {
    if (!cur) return;
    const first = cur.lines[0]!;
    let rec: LogRecord;
    if (first.startsWith('{')) {
      const j = fromJsonObject(JSON.parse(first))!;
      const ctx = contextOf(j.fields, j.logger);
      rec = { kind: 'log', message: j.message, level: j.level, time: String(j.time), logger: j.logger, fields: j.fields, format: 'json', ...ctx, source: { file, line: cur.first, endLine: cur.last } };
    } else {
      const h = parseTextHeader(first);
      const msg = [h.message, ...cur.lines.slice(1)].join('\n');
      const fields = keyValues(h.message);
      const ctx = contextOf(fields, h.logger);
      rec = { kind: 'log', message: msg, level: h.level, time: h.time, logger: h.logger, fields, format: h.format, ...ctx, source: { file, line: cur.first, endLine: cur.last } };
    }
    logs.push(rec);
    cur = undefined;
  };
  lines.forEach((l, i) => {
    if (l.trim() === '') return flush();
    if (l.startsWith('{') || HEADER.test(l)) {
      flush();
      cur = { first: i + 1, last: i + 1, lines: [l] };
    } else if (cur) {
      cur.lines.push(l);
      cur.last = i + 1;
    }
  });
  flush();
  return { logs };
};
const ndjsonReader: FixtureReader = (text, file) => {
  const events: SyncEventRecord[] = [];
  text.split('\n').forEach((l, i) => {
    if (!l.trim()) return;
    events.push({ kind: 'event', event: SyncEventSchema.parse(JSON.parse(l)), source: { file, line: i + 1, endLine: i + 1 } });
  });
  return { events };
};

for (const f of files.filter((f) => /\.test\.(log|ndjson)$/.test(f))) {
  const text = readFileSync(f, 'utf8');
  const res = await runFixture(pack, f, text, f.endsWith('.ndjson') ? ndjsonReader : logReader);
  const id = f.split('/').pop()!.replace(/\.test\.\w+$/, '');
  console.log(`\n== ${id}: ${res.cases.length} cases, ${res.failures.length} failures, covered match=${res.covered.match.has(id)} ok=${res.covered.noMatch.has(id)}`);
  for (const c of res.failures) console.log('  FAIL', c);
  for (const c of res.cases) if (!c.pass || c.recordLine === undefined) console.log('  ?', c);
}
