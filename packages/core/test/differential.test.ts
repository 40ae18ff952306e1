/**
 * The compiled rule pack against plain json-rules-engine (DESIGN.md › Rules: "The compiled path
 * and json-rules-engine must agree; a test proves it").
 *
 * The reference is what a user of json-rules-engine would write: one Engine per rule, the rule's
 * anchors and pattern as custom operators over the `message` fact, its `conditions` as they are,
 * and `allowUndefinedFacts`. Every call the engine makes to `pack.match` is recorded with its
 * facts and replayed through the reference; the rule ids must be the same, and the diagnoses of
 * the DiagnosisSession must count exactly the reference's matches. Inputs: every rule fixture,
 * generated records, and generated condition trees over generated facts.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import fg from 'fast-glob';
import { Engine, Operator } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { fixtureReader, loadRuleFiles } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';
import {
  compileConditions,
  compileRules,
  traceConditions,
  DiagnosisSession,
  parseDuration,
  type ConditionNode,
  type Facts,
  type LogRecord,
  type ParamValue,
  type RecordKind,
  type Rule,
  type RulePack,
  type SyncEventRecord,
  TEXTLESS_KINDS,
} from '../src/internal.js';
import { checkConditions, conditionEngine, factReader, fastPathGaps, parsePath } from '../src/rules/conditions.js';
import { generalPredicate } from '../src/rules/general.js';
import { rule } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// The reference: json-rules-engine as its users write it.

/** The documented conversion of captured text to a parameter (`params.<name>.type`). */
function extractParams(r: Rule, message: string): Record<string, ParamValue> {
  const sig = r.signature;
  if (!sig?.pattern) return {};
  const m = new RegExp(sig.pattern, sig.flags ?? '').exec(message);
  const out: Record<string, ParamValue> = {};
  for (const [name, raw] of Object.entries(m?.groups ?? {})) {
    if (raw === undefined) continue;
    const spec = r.params[name];
    if (spec?.type === 'integer') {
      const n = Number.parseInt(raw.replace(/[_,]/g, ''), 10);
      out[name] = Number.isFinite(n) ? n : raw;
    } else if (spec?.type === 'number') {
      const n = Number.parseFloat(raw);
      out[name] = Number.isFinite(n) ? n : raw;
    } else if (spec?.type === 'list') {
      out[name] = raw
        .split(spec.separator ?? ',')
        .map((s) => s.trim().replace(/^['"[]+|['"\]]+$/g, ''))
        .filter((s) => s !== '');
    } else out[name] = raw;
  }
  return out;
}

/** The text without traceback frames: `  File "…", line N, in f` and the indented lines under it. */
function withoutFrames(text: string): string {
  const out: string[] = [];
  let inFrame = false;
  for (const line of text.split('\n')) {
    if (/^\s+File "[^"]*", line \d+/.test(line)) inFrame = true;
    else if (!(inFrame && /^\s/.test(line) && line.trim() !== '')) inFrame = false;
    out.push(inFrame ? '' : line);
  }
  return out.join('\n');
}

/** The documented meaning of `signature.exception` over the chain: through causes, or a context under the program's own report. */
function chainExplains(chain: unknown, name: string, anchors: string[]): boolean {
  if (!Array.isArray(chain)) return false;
  const links = chain as { type: string; name: string; message: string; relation?: string }[];
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    if (name.includes('.') ? l.type === name || l.type.endsWith('.' + name) : l.name === name) return true;
    const next = links[i + 1];
    if (!next) return false;
    if (next.relation === 'context' && !anchors.every((a) => l.message.includes(a))) return false;
  }
  return false;
}

/** The message names the exception as a word of its own, before any traceback. */
function namesException(message: string, name: string): boolean {
  const bare = name.slice(name.lastIndexOf('.') + 1);
  const text = withoutFrames(message);
  const cut = text.indexOf('Traceback (most recent call last):');
  // A word of its own in the whole text (`InvalidTokenTraceback …` is not one), found before the traceback.
  for (const m of text.matchAll(new RegExp(`(?<![A-Za-z0-9_])${bare}(?![A-Za-z0-9_])`, 'g'))) if (cut < 0 || m.index < cut) return true;
  return false;
}

interface Reference {
  rule: Rule;
  engine: Engine;
}

function referenceOf(r: Rule): Reference {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const flags = r.signature?.flags ?? '';
  // Anchors count outside a traceback's frames: the frame headers and the indented lines under them are dropped first.
  engine.addOperator('containsEvery', (message: unknown, anchors: string[]) => typeof message === 'string' && anchors.every((a) => withoutFrames(message).includes(a)));
  engine.addOperator('explainedBy', (chain: unknown, v: { name: string; anchors: string[] }) => chainExplains(chain, v.name, v.anchors));
  engine.addOperator('namesException', (message: unknown, name: string) => typeof message === 'string' && namesException(message, name));
  engine.addOperator('matchesPattern', (message: unknown, source: string) => typeof message === 'string' && new RegExp(source, flags).test(message));
  // Signatures apply to records with text; connections and files are matched by conditions alone.
  const textKinds = r.appliesTo.filter((k) => !TEXTLESS_KINDS.has(k));
  if (textKinds.length > 0) {
    const all: unknown[] = [{ fact: 'kind', operator: 'in', value: textKinds }];
    const anchors = r.signature?.anchors ?? [];
    if (anchors.length > 0) all.push({ fact: 'message', operator: 'containsEvery', value: anchors });
    if (r.signature?.pattern) all.push({ fact: 'message', operator: 'matchesPattern', value: r.signature.pattern });
    if (r.signature?.exception) {
      all.push({
        any: [
          { fact: 'exceptions', operator: 'explainedBy', value: { name: r.signature.exception, anchors } },
          { fact: 'message', operator: 'namesException', value: r.signature.exception },
        ],
      });
    }
    if (r.conditions) all.push(r.conditions);
    engine.addRule({ conditions: { all } as never, event: { type: r.id } });
  }
  if (r.appliesTo.includes('connection')) engine.addRule({ conditions: { all: [{ fact: 'kind', operator: 'equal', value: 'connection' }, ...(r.conditions ? [r.conditions] : [])] }, event: { type: r.id } });
  const fileConditions = r.files?.conditions ?? (r.appliesTo.includes('file') ? r.conditions : undefined);
  if (r.files || r.appliesTo.includes('file')) engine.addRule({ conditions: { all: [{ fact: 'kind', operator: 'equal', value: 'file' }, ...(fileConditions ? [fileConditions] : [])] }, event: { type: r.id } });
  return { rule: r, engine };
}

/** The ids of the rules json-rules-engine says match these facts. */
async function referenceMatch(refs: readonly Reference[], facts: Facts): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs) {
    const message = typeof facts['message'] === 'string' ? facts['message'] : '';
    const { events } = await ref.engine.run({ ...facts, params: extractParams(ref.rule, message) });
    if (events.length > 0) ids.push(ref.rule.id);
  }
  return ids.sort();
}

interface Call {
  kind: RecordKind;
  text: string;
  facts: Facts;
  ids: string[];
}

/** The pack, with every `match` call the engine makes recorded (facts copied before matching). */
function recording(pack: RulePack): { pack: RulePack; calls: Call[] } {
  const calls: Call[] = [];
  const spy: RulePack = {
    rules: pack.rules,
    rawFilter: pack.rawFilter,
    strongFilter: pack.strongFilter,
    conditionOptions: pack.conditionOptions,
    reads: (kind) => pack.reads(kind),
    readsWithoutText: (kind) => pack.readsWithoutText(kind),
    rule: (id) => pack.rule(id),
    match(kind, text, facts) {
      const copy = structuredClone(facts);
      const found = pack.match(kind, text, facts);
      calls.push({ kind, text, facts: copy, ids: found.map((m) => m.rule.rule.id).sort() });
      return found;
    },
  };
  return { pack: spy, calls };
}

/** Compares every recorded call with the reference, and the session's counts with the reference's matches. */
async function expectAgreement(refs: readonly Reference[], calls: readonly Call[], counts: Map<string, number>, where: string): Promise<void> {
  const expected = new Map<string, number>();
  for (const c of calls) {
    const ids = await referenceMatch(refs, c.facts);
    expect(c.ids, `${where}: ${c.kind} "${c.text.slice(0, 120)}"`).toEqual(ids);
    for (const id of ids) expected.set(id, (expected.get(id) ?? 0) + 1);
  }
  expect(Object.fromEntries([...counts].sort()), `${where}: diagnosis counts`).toEqual(Object.fromEntries([...expected].sort()));
}

function countsOf(session: DiagnosisSession): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of session.report().diagnoses) out.set(d.ruleId, (out.get(d.ruleId) ?? 0) + d.count);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The built-in pack, plus rules that exercise conditions on parameters, fields and levels.

const loaded = await loadRuleFiles([rulesDir]);
const extraRules: Rule[] = [
  rule({
    id: 'big-file-over-3gb',
    signature: { anchors: ['exceeds single-op copy_object ceiling'], pattern: 'size=(?<sizeBytes>\\d[\\d_,]{0,30})' },
    params: { sizeBytes: { type: 'integer' } },
    conditions: { all: [{ fact: 'params', path: '$.sizeBytes', operator: 'greaterThan', value: 3_000_000_000 }] },
  }),
  rule({
    id: 'tags-with-itar',
    signature: { anchors: ['uncovered by any transformation predicate'], pattern: 'predicate: \\[?(?<tags>[^\\]\\n]{1,200})' },
    params: { tags: { type: 'list' } },
    conditions: {
      any: [
        { fact: 'params', path: '$.tags', operator: 'contains', value: 'ITAR' },
        { fact: 'params', path: '$.tags[0]', operator: 'equal', value: 'CUI' },
      ],
    },
  }),
  rule({
    id: 'error-without-connection',
    signature: { anchors: ['failed'] },
    conditions: { all: [{ fact: 'levelNumber', operator: 'greaterThanInclusive', value: 50 }, { not: { fact: 'fields', path: '$.connection_id', operator: 'notEqual', value: null } }] },
  }),
  rule({
    id: 'receiver-logger',
    appliesTo: ['log'],
    signature: { anchors: ['manifest'] },
    conditions: {
      all: [
        { fact: 'logger', operator: 'in', value: ['scs.sync.receiver', 'scs.receiver'] },
        { fact: 'side', operator: 'notIn', value: ['sending'] },
      ],
    },
  }),
  rule({
    id: 'failed-event',
    appliesTo: ['event'],
    conditions: {
      all: [
        { fact: 'status', operator: 'equal', value: 'failure' },
        { fact: 'fields', path: '$.files', operator: 'doesNotContain', value: 'x' },
      ],
    },
  }),
];
const builtinPack = compileRules(loaded.rules);
const builtinRefs = loaded.rules.map((l) => referenceOf(l.rule));
const widePack = compileRules([...loaded.rules.map((l) => l.rule), ...extraRules]);
const wideRefs = [...loaded.rules.map((l) => l.rule), ...extraRules].map(referenceOf);

const fixtureFiles = (await fg('**/*.test.{log,ndjson,json}', { cwd: rulesDir })).sort();
const DIRECTIVE = /^\s*#\s*(now|stale-after)\s*:\s*(\S.*)$/;

/** Runs one fixture through the reader and a session over the recording pack. */
async function runFixtureFile(pack: RulePack, rel: string): Promise<{ calls: Call[]; counts: Map<string, number> }> {
  const file = path.join(rulesDir, rel);
  const text = await fs.readFile(file, 'utf8');
  let now: string | undefined;
  let staleAfterMs: number | undefined;
  // Annotations and directives are blanked, as the rule-test harness does, keeping line numbers.
  const blanked = text
    .split('\n')
    .map((l) => {
      const d = DIRECTIVE.exec(l);
      if (d) {
        const value = d[2]!.trimEnd();
        if (d[1] === 'now') now = value;
        else staleAfterMs = parseDuration(value);
      }
      return /^\s*#/.test(l) ? '' : l;
    })
    .join('\n');
  const records = await fixtureReader(pack)(blanked, rel);
  const { pack: spy, calls } = recording(pack);
  const session = new DiagnosisSession(spy, { now, staleAfterMs, evidenceLimit: 1000 });
  for (const r of records.logs ?? []) session.log(r);
  for (const e of records.events ?? []) session.event(e);
  for (const p of records.probes ?? []) session.probe(p);
  return { calls, counts: countsOf(session) };
}

describe('compiled pack = json-rules-engine, on every rule fixture', () => {
  it('finds the fixtures', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(loaded.rules.length);
  });

  it.each(fixtureFiles)('%s (built-in pack)', async (rel) => {
    const { calls, counts } = await runFixtureFile(builtinPack, rel);
    expect(calls.length).toBeGreaterThan(0);
    await expectAgreement(builtinRefs, calls, counts, rel);
  });

  it.each(fixtureFiles)('%s (with condition rules)', async (rel) => {
    const { calls, counts } = await runFixtureFile(widePack, rel);
    await expectAgreement(wideRefs, calls, counts, rel);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated records: fixture messages cut, spliced and mixed with near-miss fragments.

const fixtureMessages: string[] = [];
for (const rel of fixtureFiles) {
  const { calls } = await runFixtureFile(builtinPack, rel);
  for (const c of calls) if (c.text) fixtureMessages.push(c.text);
}
const FRAGMENTS = [
  'shared secret unavailable: ',
  'InvalidToken',
  'cryptography.fernet.InvalidToken',
  'bucket not configured: ',
  'No RSS object-store configuration for label ',
  "'outbox-eu'",
  'outbox write failed: Revision ',
  '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c',
  ' size=',
  '2684354560',
  '4,294,967,296',
  '3500000000',
  ' exceeds single-op copy_object ceiling',
  'properties read failed: ',
  'botocore.errorfactory.NoSuchKey: ',
  'An error occurred (NoSuchKey) when calling the GetObject operation',
  'connection failed (no manifest received)',
  'connection failed (no manifest produced)',
  'manifest control tag(s) uncovered by any transformation predicate: ',
  "['CUI', 'ITAR']",
  'frozenset({',
  "manifest max infosec level 'SECRET' (order=4)",
  ' exceeds local platform max',
  'manifest received',
  '\n  File "x.py", line 1, in f\n',
  'Traceback (most recent call last):',
  ' ',
  ': ',
  '.',
  "'",
  '"',
  'é',
];

const messageArb = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
  fc.tuple(fc.constantFrom(...fixtureMessages), fc.nat(), fc.nat(), fc.constantFrom(...FRAGMENTS)).map(([m, a, b, frag]) => {
    // Cut a piece out of a real message and put a fragment in its place.
    const i = a % (m.length + 1);
    const j = i + (b % 12);
    return m.slice(0, i) + (b % 3 === 0 ? '' : frag) + m.slice(j);
  }),
  fc.tuple(fc.constantFrom(...fixtureMessages), fc.constantFrom(...fixtureMessages)).map(([x, y]) => `${x} ${y}`),
);
const levelArb = fc.constantFrom(undefined, 'debug', 'info', 'warn', 'error', 'fatal' as const);
const fieldsArb = fc.record({ connection_id: fc.constantFrom('c-1', 'r-2', null, 7), shared_id: fc.constantFrom('acme-to-globex', ''), files: fc.constantFrom([], ['x'], ['y', 'x'], 'x') }, { requiredKeys: [] });
const recordArb = fc.record({
  message: messageArb,
  level: levelArb,
  logger: fc.constantFrom(undefined, 'scs.sync.receiver', 'scs.sync.sender', 'scs.receiver'),
  side: fc.constantFrom(undefined, 'sending', 'receiving' as const),
  fields: fieldsArb,
});

type GeneratedRecord = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;
let genLine = 0;
function logRecord(g: GeneratedRecord): LogRecord {
  genLine++;
  return {
    kind: 'log',
    message: g.message,
    fields: g.fields,
    format: 'python',
    source: { file: 'generated.log', line: genLine, endLine: genLine },
    ...(g.level ? { level: g.level } : {}),
    ...(g.logger ? { logger: g.logger } : {}),
    ...(g.side ? { side: g.side } : {}),
  };
}

describe('compiled pack = json-rules-engine, on generated records', () => {
  it('agrees on generated log records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 6 }), async (gens) => {
        const { pack, calls } = recording(widePack);
        const session = new DiagnosisSession(pack);
        for (const g of gens) session.log(logRecord(g));
        await expectAgreement(wideRefs, calls, countsOf(session), 'generated logs');
      }),
      { numRuns: 150 },
    );
  });

  it('agrees on generated sync events', async () => {
    const eventArb = fc.record({
      message: fc.option(messageArb, { nil: undefined }),
      status: fc.constantFrom('success', 'warning', 'failure' as const),
      direction: fc.constantFrom(undefined, 'sending', 'receiving' as const),
      ageH: fc.integer({ min: 0, max: 72 }),
      conn: fc.constantFrom('conn-a', 'conn-b', 'conn-c'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 5 }), async (gens) => {
        const { pack, calls } = recording(widePack);
        const now = Date.parse('2026-05-12T12:00:00Z');
        const session = new DiagnosisSession(pack, { now, staleAfterMs: 6 * 3_600_000 });
        gens.forEach((g, i) => {
          const at = new Date(now - g.ageH * 3_600_000).toISOString();
          const rec: SyncEventRecord = {
            kind: 'event',
            event: { connectionId: g.conn, status: g.status, startedAt: at, finishedAt: at, files: [], ...(g.message !== undefined ? { message: g.message } : {}), ...(g.direction ? { direction: g.direction } : {}) },
            source: { file: 'generated.ndjson', line: i + 1, endLine: i + 1 },
          };
          session.event(rec);
        });
        await expectAgreement(wideRefs, calls, countsOf(session), 'generated events');
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Generated condition trees over generated facts: compileConditions against json-rules-engine.

const FACTS = ['a', 'b', 'c', 'missing'] as const;
const KEYS = ['x', 'y', 'k-1', 'a b', 'length', '0', '1'];
const OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const;
const PATHS = ['$', '$.x', '$.y', '$.x.y', '$.x[0]', '$.x[1]', '$[0]', '$[1]', "$['k-1']", "$['a b']", '$.length', '$.x.length', '$.y[0].x', "$.x['0']", '$.x[0].y[1]'];

const scalarArb = fc.oneof(
  fc.constantFrom('', 'x', 'y', 'abc', '1', '2.5', '-3', '0', ' 4', '1e3', 'NaN', 'Infinity', 'true', 'null'),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -0, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
);
const { json: jsonArb } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: scalarArb, weight: 3 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.array(tie('json'), { maxLength: 3 }), weight: 2 },
    { arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('json'), { maxKeys: 4, noNullPrototype: true }), weight: 3 },
  ),
}));
/** Facts are mostly objects, so that paths have something to walk. */
const factArb = fc.oneof(fc.dictionary(fc.constantFrom(...KEYS), jsonArb, { minKeys: 1, maxKeys: 4, noNullPrototype: true }), fc.array(jsonArb, { minLength: 1, maxLength: 3 }), jsonArb);
const factsArb = fc.record({ a: factArb, b: factArb, c: factArb }, { requiredKeys: [] });

const factRefArb = fc.record({ fact: fc.constantFrom(...FACTS), path: fc.constantFrom(...PATHS) }, { requiredKeys: ['fact'] });
const valueArb = fc.oneof(scalarArb, fc.constant(null), fc.array(scalarArb, { maxLength: 3 }), factRefArb);
const leafArb = fc.record({ fact: fc.constantFrom(...FACTS), operator: fc.constantFrom(...OPERATORS), value: valueArb, path: fc.constantFrom(...PATHS) }, { requiredKeys: ['fact', 'operator', 'value'] }).map((l) => l as ConditionNode);
const { node: nodeArb } = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('node'), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('node'), { maxLength: 3 }).map((any) => ({ any })),
    tie('node').map((not) => ({ not })),
  ),
}));
const rootArb = fc.oneof(
  fc.array(nodeArb, { maxLength: 4 }).map((all): ConditionNode => ({ all })),
  fc.array(nodeArb, { maxLength: 4 }).map((any): ConditionNode => ({ any })),
  nodeArb.map((not): ConditionNode => ({ not })),
);

/** json-rules-engine's verdict: true, false, or 'error' when the run rejects. */
async function jre(tree: ConditionNode, facts: Facts): Promise<boolean | 'error'> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addRule({ conditions: structuredClone(tree) as never, event: { type: 'hit' } });
  try {
    const { events } = await engine.run(structuredClone(facts));
    return events.length > 0;
  } catch {
    return 'error';
  }
}

describe('compileConditions = json-rules-engine, on generated trees and facts', () => {
  it('gives the same verdict (a rejected run is no match)', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, factsArb, async (tree, facts) => {
        fc.pre(checkConditions(tree).length === 0);
        const expected = await jre(tree, facts);
        expect(compileConditions(tree)(facts)).toBe(expected === true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every accepted path as jsonpath-plus does', async () => {
    // Paths from a wider grammar than the accepted one: whatever parsePath lets through must read
    // the same value (the very same, by identity) as json-rules-engine's path resolver.
    const unit = fc.oneof({ arbitrary: fc.constantFrom('x', 'y', 'a', 'Z', '_', '0', '1'), weight: 6 }, { arbitrary: fc.constantFrom(...'-$ .~*^@,:(`\'"'.split('')), weight: 1 });
    const nameArb = fc.oneof({ arbitrary: fc.constantFrom('x', 'y', 'length', '0', '1', 'a b', 'k-1'), weight: 3 }, { arbitrary: fc.string({ unit, minLength: 0, maxLength: 3 }), weight: 2 });
    const stepArb = fc.oneof(
      nameArb.map((n) => `.${n}`),
      fc.constantFrom('0', '1', '2', '01', '00', '-1', '1:2', '*', '0,1').map((n) => `[${n}]`),
      nameArb.map((n) => `['${n}']`),
      nameArb.map((n) => `["${n}"]`),
    );
    const pathArb = fc.array(stepArb, { minLength: 0, maxLength: 3 }).map((steps) => `$${steps.join('')}`);
    const keyedArb = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        { arbitrary: scalarArb, weight: 2 },
        { arbitrary: fc.constantFrom('abc', 'x', ''), weight: 2 },
        { arbitrary: fc.constant(null), weight: 1 },
        { arbitrary: fc.array(tie('v'), { minLength: 1, maxLength: 3 }), weight: 3 },
        { arbitrary: fc.dictionary(nameArb, tie('v'), { minKeys: 1, maxKeys: 4, noNullPrototype: true }), weight: 4 },
      ),
    })).v;
    const rootArb2 = fc.oneof(fc.dictionary(nameArb, keyedArb, { minKeys: 1, maxKeys: 4, noNullPrototype: true }), fc.array(keyedArb, { minLength: 1, maxLength: 3 }), keyedArb);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(pathArb, rootArb2, async (p, a) => {
        fc.pre(typeof parsePath(p) !== 'string');
        compared++;
        let seen: unknown = 'not evaluated';
        const engine = new Engine([], { allowUndefinedFacts: true });
        engine.addOperator('capture', (lhs: unknown) => ((seen = lhs), true));
        engine.addRule({ conditions: { all: [{ fact: 'a', path: p, operator: 'capture', value: null }] }, event: { type: 'hit' } });
        await engine.run({ a });
        expect(factReader('a', p)({ a })).toBe(seen);
      }),
      { numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------
// Host operators and facts (library options): the compiled path against json-rules-engine with the
// same addOperator and addFact.

const hostOptions = {
  operators: {
    // a plain callback
    startsWith: (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
    // with a fact value validator, as json-rules-engine's addOperator takes it
    divides: { evaluate: (a: unknown, b: unknown) => (b as number) % (a as number) === 0, factValueValidator: (a: unknown) => typeof a === 'number' && a !== 0 },
  },
  facts: {
    size: (f: Facts) => (Array.isArray(f['a']) ? f['a'].length : typeof f['a'] === 'string' ? f['a'].length : undefined),
    both: (f: Facts) => ({ x: f['a'], y: f['b'] }),
  },
};
const HOST_FACTS = ['a', 'b', 'size', 'both', 'missing'] as const;
const hostLeafArb = fc
  .record(
    {
      fact: fc.constantFrom(...HOST_FACTS),
      operator: fc.constantFrom('startsWith', 'divides', 'equal', 'greaterThan', 'in'),
      value: fc.oneof(scalarArb, fc.array(scalarArb, { maxLength: 3 }), fc.record({ fact: fc.constantFrom(...HOST_FACTS), path: fc.constantFrom('$.x', '$.y', '$[0]') }, { requiredKeys: ['fact'] })),
      path: fc.constantFrom('$.x', '$.y', '$[0]', '$.length'),
    },
    { requiredKeys: ['fact', 'operator', 'value'] },
  )
  .map((l) => l as ConditionNode);
const hostTreeArb = fc.oneof(
  fc.array(hostLeafArb, { maxLength: 4 }).map((all): ConditionNode => ({ all })),
  fc.array(hostLeafArb, { maxLength: 4 }).map((any): ConditionNode => ({ any })),
);

async function jreHost(tree: ConditionNode, facts: Facts): Promise<boolean | 'error'> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('startsWith', hostOptions.operators.startsWith);
  engine.addOperator(new Operator('divides', hostOptions.operators.divides.evaluate as never, hostOptions.operators.divides.factValueValidator as never));
  for (const [name, fn] of Object.entries(hostOptions.facts))
    engine.addFact(name, (_params, almanac) => Promise.all([almanac.factValue('a').catch(() => undefined), almanac.factValue('b').catch(() => undefined)]).then(([a, b]) => fn({ a, b })));
  engine.addRule({ conditions: structuredClone(tree) as never, event: { type: 'hit' } });
  try {
    const { events } = await engine.run(structuredClone(facts));
    return events.length > 0;
  } catch {
    return 'error';
  }
}

describe('host operators and facts = json-rules-engine with the same addOperator and addFact', () => {
  it('gives the same verdict on generated trees and facts', async () => {
    await fc.assert(
      fc.asyncProperty(hostTreeArb, fc.record({ a: factArb, b: factArb }, { requiredKeys: [] }), async (tree, facts) => {
        fc.pre(checkConditions(tree, 'conditions', Object.keys(hostOptions.operators)).length === 0);
        const expected = await jreHost(tree, facts);
        expect(compileConditions(tree, hostOptions)(facts)).toBe(expected === true);
      }),
      { numRuns: 1000 },
    );
  });

  // Found by the property above (seed 404, numRuns 4000): json-rules-engine's almanac computes a
  // fact once per run, so a host fact compared with itself is the same object; the compiled path
  // computed it once per leaf side and saw two.
  it.each([
    [{ any: [{ fact: 'both', operator: 'equal', value: { fact: 'both' } }] }, {}],
    [
      {
        all: [
          { fact: 'both', operator: 'equal', value: { fact: 'both' } },
          { fact: 'a', operator: 'equal', value: 1 },
        ],
      },
      { a: 1 },
    ],
    [{ all: [{ fact: 'both', operator: 'notEqual', value: { fact: 'both' } }] }, { b: 'x' }],
  ] as [ConditionNode, Facts][])('regression: a host fact compared with itself, %j on %j', async (tree, facts) => {
    const expected = await jreHost(tree, facts);
    expect([compileConditions(tree, hostOptions)(facts), expected]).toEqual([expected === true, expected]);
  });

  it('refuses an unregistered operator at load, and takes it once the host registers it', () => {
    const r = rule({ id: 'host-op', signature: { anchors: ['disk full'] }, conditions: { all: [{ fact: 'message', operator: 'startsWith', value: 'disk' }] } });
    expect(() => compileRules([r])).toThrow(/operator "startsWith" is neither a json-rules-engine default/);
    const pack = compileRules([r], hostOptions);
    const facts = { kind: 'log', message: 'disk full on /var', params: {} };
    expect(pack.match('log', 'disk full on /var', facts).map((m) => m.rule.rule.id)).toEqual(['host-op']);
    expect(pack.match('log', 'the disk full alarm', { ...facts, message: 'the disk full alarm' })).toEqual([]);
  });

  it('refuses a host fact that would shadow a record fact, and a host operator that would replace a default', () => {
    const r = rule({ id: 'host-op', signature: { anchors: ['disk full'] }, conditions: { all: [{ fact: 'message', operator: 'equal', value: 'x' }] } });
    expect(() => compileRules([r], { facts: { message: () => 'x' } })).toThrow(/record fact/);
    expect(() => compileRules([r], { operators: { equal: () => true } })).toThrow(/cannot be replaced/);
  });
});

// ---------------------------------------------------------------------------------------------
// The general path: trees the compiled closures do not cover (priorities, condition references,
// decorated operators, fact params, any JSONPath, any JSON value) run on json-rules-engine's own
// parts synchronously (rules/general.ts). Held to engine.run with the same setCondition,
// addOperator and addFact; where the compiled closures also apply, all three agree.

const generalOptions = {
  operators: {
    startsWith: (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
    // a host operator that answers with a value other than true or false
    lengthOf: (a: unknown) => (Array.isArray(a) || typeof a === 'string' ? a.length : undefined),
  },
  facts: {
    pick: (f: Facts, p: Record<string, unknown>) => {
      const a = f['a'];
      return a !== null && typeof a === 'object' ? (a as Record<string, unknown>)[String(p['key'])] : undefined;
    },
    size: (f: Facts) => (Array.isArray(f['b']) ? f['b'].length : undefined),
  },
  conditions: {
    aHasX: { all: [{ fact: 'a', path: '$.x', operator: 'notEqual', value: null }] } as ConditionNode,
    bSmallOrAHasX: { any: [{ fact: 'b', operator: 'lessThan', value: 2 }, { condition: 'aHasX' }] } as ConditionNode,
  },
};
const G_FACTS = ['a', 'b', 'c', 'pick', 'size', 'missing'] as const;
const G_OPERATORS = [...OPERATORS, 'startsWith', 'lengthOf', 'someFact:equal', 'everyFact:greaterThan', 'someValue:startsWith', 'everyValue:notEqual', 'swap:in', 'not:contains', 'not:not:equal', 'someFact:not:in'] as const;
const G_PATHS = [...PATHS, '$..x', '$.*', '$[*]', '$.x[-1:]', "$['x','y']", '$..[0]', 'x', '$.x[1:3]', '$.*.y', '$..length'];
const gValueArb = fc.oneof(
  scalarArb,
  fc.constant(null),
  fc.array(scalarArb, { maxLength: 3 }),
  fc.record({ fact: fc.constantFrom(...G_FACTS), path: fc.constantFrom(...G_PATHS), params: fc.record({ key: fc.constantFrom('x', 'y') }) }, { requiredKeys: ['fact'] }),
  fc.dictionary(fc.constantFrom('x', 'y'), scalarArb, { maxKeys: 2, noNullPrototype: true }),
);
const gLeafArb = fc
  .record(
    {
      fact: fc.constantFrom(...G_FACTS),
      operator: fc.constantFrom(...G_OPERATORS),
      value: gValueArb,
      path: fc.constantFrom(...G_PATHS),
      params: fc.record({ key: fc.constantFrom('x', 'y', 'k-1') }),
      priority: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: ['fact', 'operator', 'value'] },
  )
  .map((l) => l as ConditionNode);
// A reference to an unregistered condition is checked on its own below: json-rules-engine throws for
// it synchronously inside a Promise.all, which leaves the promises of its siblings unhandled.
const gRefArb = fc.record({ condition: fc.constantFrom('aHasX', 'bSmallOrAHasX'), priority: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['condition'] }).map((r) => r as ConditionNode);
const gPriority = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined });
const withPriority = (n: ConditionNode, p: number | undefined): ConditionNode => (p === undefined ? n : { ...n, priority: p });
const { node: gNodeArb } = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: gLeafArb, weight: 4 },
    { arbitrary: gRefArb, weight: 1 },
    { arbitrary: fc.tuple(fc.array(tie('node'), { maxLength: 4 }), gPriority).map(([all, p]) => withPriority({ all }, p)), weight: 1 },
    { arbitrary: fc.tuple(fc.array(tie('node'), { maxLength: 4 }), gPriority).map(([any, p]) => withPriority({ any }, p)), weight: 1 },
    { arbitrary: tie('node').map((not) => ({ not })), weight: 1 },
  ),
}));
const gRootArb = fc.oneof(
  fc.array(gNodeArb, { maxLength: 5 }).map((all): ConditionNode => ({ all })),
  fc.array(gNodeArb, { maxLength: 5 }).map((any): ConditionNode => ({ any })),
  gNodeArb.map((not): ConditionNode => ({ not })),
  gRefArb,
);

/** json-rules-engine with the same operators, facts and named conditions; a fresh engine per run (it rewrites condition references on its first run). */
async function jreGeneral(tree: ConditionNode, facts: Facts): Promise<boolean | 'error'> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, op] of Object.entries(generalOptions.operators)) engine.addOperator(name, op as never);
  for (const [name, fn] of Object.entries(generalOptions.facts)) {
    engine.addFact(name, async (params, almanac) => {
      const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((id) => almanac.factValue(id)));
      return fn({ a, b, c }, params as Record<string, unknown>);
    });
  }
  for (const [name, c] of Object.entries(generalOptions.conditions)) engine.setCondition(name, structuredClone(c) as never);
  engine.addRule({ conditions: structuredClone(tree) as never, event: { type: 'hit' } });
  try {
    const { events } = await engine.run(structuredClone(facts));
    return events.length > 0;
  } catch {
    return 'error';
  }
}

const generalEngineForTests = conditionEngine(generalOptions);

describe('the general path = json-rules-engine, on generated trees and facts', () => {
  it('gives the same verdict as engine.run (a rejected run is no match)', async () => {
    let general = 0;
    await fc.assert(
      fc.asyncProperty(gRootArb, factsArb, async (tree, facts) => {
        const expected = await jreGeneral(tree, facts);
        if (fastPathGaps(tree, 'conditions', Object.keys(generalOptions.operators)).length > 0) general++;
        expect(generalPredicate(tree, generalEngineForTests)(structuredClone(facts))).toBe(expected === true);
      }),
      { numRuns: 2000 },
    );
    // Most generated trees need the general path: the comparison is about it.
    expect(general).toBeGreaterThan(1000);
  });

  it('agrees with the compiled closures wherever those apply', async () => {
    let both = 0;
    await fc.assert(
      fc.asyncProperty(rootArb, factsArb, async (tree, facts) => {
        fc.pre(checkConditions(tree).length === 0);
        both++;
        const compiled = compileConditions(tree)(facts);
        expect(generalPredicate(tree, generalEngineForTests)(facts)).toBe(compiled);
        expect(compiled).toBe((await jre(tree, facts)) === true);
      }),
      { numRuns: 1000 },
    );
    expect(both).toBeGreaterThan(500);
  });

  it('a host operator that answers with a value other than true counts as json-rules-engine counts it, on both paths', async () => {
    // lengthOf returns a number: all/any count only true, not negates the value.
    const trees: [ConditionNode, Facts][] = [
      [{ all: [{ fact: 'a', operator: 'lengthOf', value: null }] }, { a: 'abc' }],
      [{ not: { fact: 'a', operator: 'lengthOf', value: null } }, { a: 'abc' }],
      [{ not: { fact: 'a', operator: 'lengthOf', value: null } }, { a: '' }],
      [
        {
          any: [
            { fact: 'a', operator: 'lengthOf', value: null },
            { fact: 'b', operator: 'equal', value: 1 },
          ],
        },
        { a: 'abc', b: 1 },
      ],
    ];
    for (const [tree, facts] of trees) {
      const expected = (await jreGeneral(tree, facts)) === true;
      expect(compileConditions(tree, generalOptions)(facts), JSON.stringify(tree)).toBe(expected);
      expect(generalPredicate(tree, generalEngineForTests)(facts), JSON.stringify(tree)).toBe(expected);
    }
  });

  it('a reference to an unregistered condition fails the rule, as the run rejects', async () => {
    const tree: ConditionNode = { any: [{ condition: 'unregistered' }] };
    expect(await jreGeneral(tree, { a: 1 })).toBe('error');
    expect(generalPredicate(tree, generalEngineForTests)({ a: 1 })).toBe(false);
    // An `any` decided by a set of higher priority never meets it.
    const decided: ConditionNode = { any: [{ fact: 'a', operator: 'equal', value: 1, priority: 2 }, { condition: 'unregistered' }] };
    expect(await jreGeneral(decided, { a: 1 })).toBe(true);
    expect(generalPredicate(decided, generalEngineForTests)({ a: 1 })).toBe(true);
  });

  it('a set of higher priority that decides an any keeps a throwing lower set from failing the rule', async () => {
    // `in` with a number as its list throws in json-rules-engine; priority 2 is evaluated first and decides.
    const tree: ConditionNode = {
      any: [
        { fact: 'a', operator: 'equal', value: 1, priority: 2 },
        { fact: 'a', operator: 'in', value: 5 },
      ],
    };
    expect(await jreGeneral(tree, { a: 1 })).toBe(true);
    expect(generalPredicate(tree, generalEngineForTests)({ a: 1 })).toBe(true);
    expect(await jreGeneral(tree, { a: 2 })).toBe('error');
    expect(generalPredicate(tree, generalEngineForTests)({ a: 2 })).toBe(false);
  });
});

describe('compileRules picks a path per rule', () => {
  const fast = rule({ id: 'fast', signature: { anchors: ['disk full'] }, conditions: { all: [{ fact: 'level', operator: 'equal', value: 'error' }] } });
  const decorated = rule({ id: 'decorated', signature: { anchors: ['disk full'] }, conditions: { all: [{ fact: 'fields', path: '$.tags', operator: 'someFact:equal', value: 'prod' }] } });
  const deep = rule({ id: 'deep', signature: { anchors: ['disk full'] }, conditions: { any: [{ fact: 'fields', path: '$..volume', operator: 'contains', value: '/var', priority: 2 }, { condition: 'isError' }] } });
  const pack = compileRules([fast, decorated, deep], { conditions: { isError: { all: [{ fact: 'level', operator: 'equal', value: 'error' }] } } });

  it('marks each rule with its path', () => {
    expect(pack.rules.map((r) => [r.rule.id, r.conditionPath])).toEqual([
      ['fast', 'compiled'],
      ['decorated', 'general'],
      ['deep', 'general'],
    ]);
  });

  it('matches records on the general path as engine.run does', async () => {
    const cases: { facts: Facts; ids: string[] }[] = [
      { facts: { kind: 'log', message: 'disk full', level: 'error', fields: {} }, ids: ['deep', 'fast'] },
      { facts: { kind: 'log', message: 'disk full', level: 'info', fields: { tags: ['dev', 'prod'] } }, ids: ['decorated'] },
      { facts: { kind: 'log', message: 'disk full', level: 'info', fields: { mounts: [{ volume: '/var' }] } }, ids: ['deep'] },
      { facts: { kind: 'log', message: 'disk full', level: 'info', fields: { tags: 'prod' } }, ids: [] },
    ];
    for (const c of cases) {
      const got = pack
        .match('log', c.facts['message'] as string, { ...c.facts, params: {} })
        .map((m) => m.rule.rule.id)
        .sort();
      expect(got, JSON.stringify(c.facts)).toEqual(c.ids);
      // The reference: one Engine, the named condition set as json-rules-engine users set it.
      const ids: string[] = [];
      for (const r of [fast, decorated, deep]) {
        const engine = new Engine([], { allowUndefinedFacts: true });
        engine.setCondition('isError', { all: [{ fact: 'level', operator: 'equal', value: 'error' }] });
        engine.addRule({ conditions: structuredClone(r.conditions) as never, event: { type: r.id } });
        if ((await engine.run({ ...c.facts, params: {} })).events.length > 0) ids.push(r.id);
      }
      expect(got).toEqual(ids.sort());
    }
  });

  it('traces a general-path rule node by node for explain, with the verdict of its predicate', () => {
    const facts = { kind: 'log', message: 'disk full', level: 'error', fields: {}, params: {} };
    const t = traceConditions(deep.conditions!, facts, pack.conditionOptions);
    expect(t).toEqual({
      holds: true,
      trace: {
        op: 'any',
        holds: true,
        children: [
          { op: 'leaf', fact: 'fields', path: '$..volume', operator: 'contains', value: '/var', factValue: undefined, compareTo: '/var', holds: false },
          {
            op: 'condition',
            name: 'isError',
            holds: true,
            child: { op: 'all', holds: true, children: [{ op: 'leaf', fact: 'level', path: undefined, operator: 'equal', value: 'error', factValue: 'error', compareTo: 'error', holds: true }] },
          },
        ],
      },
    });
    // The higher set decides: the reference is not evaluated.
    const decided = traceConditions(deep.conditions!, { ...facts, level: 'info', fields: { mounts: [{ volume: '/var' }] } }, pack.conditionOptions);
    expect(decided.holds).toBe(true);
    expect(decided.trace).toMatchObject({
      op: 'any',
      children: [
        { op: 'leaf', holds: true },
        { op: 'skipped', node: { condition: 'isError' } },
      ],
    });
  });

  it('refuses what json-rules-engine could never run: an unregistered condition, an unknown operator, a script in a path', () => {
    const ref = rule({ id: 'ref', signature: { anchors: ['xyz'] }, conditions: { all: [{ condition: 'nowhere' }] } });
    expect(() => compileRules([ref])).toThrow(/condition "nowhere" is not registered by the host application/);
    const op = rule({ id: 'op', signature: { anchors: ['xyz'] }, conditions: { all: [{ fact: 'a', operator: 'someThing:equal', value: 1 }] } });
    expect(() => compileRules([op])).toThrow(/operator "someThing:equal" is neither a json-rules-engine default/);
    const script = rule({ id: 'script', signature: { anchors: ['xyz'] }, conditions: { all: [{ fact: 'fields', path: '$.a[?(@.b.repeat(1e9))]', operator: 'equal', value: 1 }] } });
    expect(() => compileRules([script])).toThrow(/holds a script expression/);
  });

  it('refuses named conditions that refer to themselves', () => {
    const r = rule({ id: 'loop', signature: { anchors: ['xyz'] }, conditions: { all: [{ condition: 'a' }] } });
    expect(() => compileRules([r], { conditions: { a: { all: [{ condition: 'b' }] }, b: { any: [{ condition: 'a' }] } } })).toThrow(/refers to itself \(a → b → a\)/);
  });
});
