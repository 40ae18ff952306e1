/**
 * Compiles json-rules-engine conditions into plain closures with the same meaning.
 *
 * json-rules-engine is the semantics of a rule's `conditions`; evaluating it per record costs
 * hundreds of microseconds (it is promise-based and walks JSONPath), so candidates are evaluated
 * by these closures instead. The differential test (`packages/core/test/differential.test.ts`)
 * holds them to json-rules-engine's results on generated trees and facts. Only constructs whose
 * meaning is reproduced exactly are accepted: all/any/not, the ten default operators, fact
 * references as values, and simple paths (`$.a.b`, `$.a[0]`, `$['a-b']`).
 *
 * Where json-rules-engine would reject a run (an operator throws, as `in` does when its list is a
 * fact that is missing), the rule does not match the record: json-rules-engine evaluates every
 * condition of a tree before combining them, so one throwing leaf fails the whole rule, whatever
 * the other leaves say.
 */
import { Operator } from 'json-rules-engine';
import type { ConditionNode } from '../schema/rule.js';
import { checkGeneral, generalEngine, traceGeneral, type ConditionTrace, type GeneralEngine, type HostFact, type HostOperator } from './general.js';

export type { ConditionTrace, HostFact, HostOperator, OperatorCallback } from './general.js';
export type Facts = Record<string, unknown>;
export type Predicate = (facts: Facts) => boolean;

/**
 * Host extensions of rule conditions (library only: a rule directory never ships code).
 * Operators and named conditions are json-rules-engine's `addOperator` and `setCondition`; host
 * facts are computed from the record's facts and the condition's `params`, as
 * `addFact(id, (params, almanac) => …)` does, but synchronously.
 */
export interface ConditionOptions {
  operators?: Readonly<Record<string, HostOperator>>;
  facts?: Readonly<Record<string, HostFact>>;
  /** Named conditions that rule conditions refer to with `{ condition: NAME }`, as json-rules-engine's `setCondition`. */
  conditions?: Readonly<Record<string, ConditionNode>>;
}

/** The fact names every record offers; a host fact must not shadow one. */
export const RECORD_FACTS = new Set([
  'kind',
  'message',
  'level',
  'levelNumber',
  'logger',
  'side',
  'fields',
  'format',
  'connectionId',
  'sharedId',
  'exceptions',
  'exceptionTypes',
  'params',
  'event',
  'status',
  'probe',
  'target',
  'outcome',
  'connection',
  'file',
  'files',
  'age',
  'state',
  'lastEventAt',
]);

/** json-rules-engine's Operator: `evaluate` is its factValueValidator, then its callback. */
interface Evaluator {
  evaluate(factValue: unknown, value: unknown): unknown;
}

function hostOperators(options: ConditionOptions | undefined): Map<string, Evaluator> {
  const out = new Map<string, Evaluator>();
  for (const [name, op] of Object.entries(options?.operators ?? {})) {
    if (Object.hasOwn(OPS, name)) throw new Error(`operator "${name}" is one of json-rules-engine's defaults and cannot be replaced`);
    if (name.includes(':')) throw new Error(`operator "${name}": a name with ":" would read as a decorated operator`);
    const made = typeof op === 'function' ? new Operator(name, op as never) : new Operator(name, op.evaluate as never, op.factValueValidator);
    out.set(name, made as unknown as Evaluator);
  }
  return out;
}

import { own, parsePath } from './paths.js';
export { parsePath } from './paths.js';

/** Reads a fact, and a path into it, as json-rules-engine's almanac does (exported for the differential test). */
export function factReader(fact: string, path: string | undefined): (facts: Facts) => unknown {
  if (path === undefined || path === '') return (facts) => own(facts, fact);
  const keys = parsePath(path) as (string | number)[];
  return (facts) => {
    const base = own(facts, fact);
    // json-rules-engine hands a non-object fact value through unchanged when a path is given.
    if (base === null || typeof base !== 'object') return base;
    let v: unknown = base;
    for (const k of keys) {
      v = own(v, k);
      if (v === undefined) return undefined;
    }
    return v;
  };
}

/** json-rules-engine throws for an unknown operator: the run is rejected, so the rule does not match. */
const unknownOperator =
  (name: string): Op =>
  () => {
    throw new Error(`Unknown operator: ${name}`);
  };

const isNumeric = (v: unknown) => Number.parseFloat(v as string).toString() !== 'NaN';

type Op = (a: unknown, b: unknown) => boolean;
const OPS: Record<string, Op> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumeric(a) && (a as number) >= (b as number),
};

/** The named decorators of json-rules-engine's operator map (`someFact:equal`, `not:in`, …). */
const DECORATED = /:/;

/**
 * Why the compiled closures do not cover a tree (empty: they do). They cover all/any/not, the
 * ten default operators and the host's, fact references as values, and simple paths (`$.a.b`,
 * `$.a[0]`, `$['a-b']`); priorities, condition references, fact `params`, decorated operators
 * and other paths run on the general path (general.ts).
 */
export function fastPathGaps(node: ConditionNode, at = 'conditions', operators: readonly string[] = []): string[] {
  const out: string[] = [];
  if (node.priority !== undefined) out.push(`${at}: priority`);
  if ('all' in node) node.all.forEach((c, i) => out.push(...fastPathGaps(c, `${at}.all[${i}]`, operators)));
  else if ('any' in node) node.any.forEach((c, i) => out.push(...fastPathGaps(c, `${at}.any[${i}]`, operators)));
  else if ('not' in node) out.push(...fastPathGaps(node.not, `${at}.not`, operators));
  else if ('condition' in node) out.push(`${at}: condition reference "${node.condition}"`);
  else {
    if (!Object.hasOwn(OPS, node.operator) && !operators.includes(node.operator)) out.push(`${at}: operator "${node.operator}"${DECORATED.test(node.operator) ? ' (decorated)' : ''}`);
    if (node.params !== undefined) out.push(`${at}: fact params`);
    if (node.path !== undefined && typeof parsePath(node.path) === 'string') out.push(`${at}: path "${node.path}"`);
    const v = node.value;
    if (v !== null && typeof v === 'object' && Object.hasOwn(v, 'fact')) {
      const ref = v as { path?: unknown; params?: unknown };
      if (ref.params !== undefined) out.push(`${at}.value: fact params`);
      if (ref.path !== undefined && (typeof ref.path !== 'string' || typeof parsePath(ref.path) === 'string')) out.push(`${at}.value: path ${JSON.stringify(ref.path)}`);
    }
  }
  return out;
}

/** json-rules-engine's engine with operators and named conditions of these names (for checks that know only names). */
const checkEngines = new Map<string, GeneralEngine>();
function namesEngine(operators: readonly string[], conditions: readonly string[]): GeneralEngine {
  const key = JSON.stringify([operators, conditions]);
  let ge = checkEngines.get(key);
  if (!ge) {
    const never = () => false;
    ge = generalEngine({ operators: Object.fromEntries(operators.map((n) => [n, never])), conditions: Object.fromEntries(conditions.map((n) => [n, { all: [] }])) });
    if (checkEngines.size > 32) checkEngines.clear();
    checkEngines.set(key, ge);
  }
  return ge;
}

/** How a rule's conditions run: refused (errors), compiled, or on json-rules-engine's general path (with why). */
export interface ConditionPlan {
  errors: string[];
  /** Why the compiled closures do not cover the tree; empty when they do. */
  general: string[];
  /** Legal but likely mistakes. */
  warnings: string[];
}

/**
 * Plans a condition tree. `operators` and `conditions`: names of the host's operators and named
 * conditions. Errors are what json-rules-engine would refuse or could never run.
 */
export function planConditions(node: ConditionNode, at = 'conditions', names: { operators?: readonly string[] | undefined; conditions?: readonly string[] | undefined } = {}): ConditionPlan {
  const operators = names.operators ?? [];
  const errors = checkGeneral(node, at, namesEngine(operators, names.conditions ?? []));
  const warnings: string[] = [];
  const walk = (n: ConditionNode, where: string) => {
    if ('all' in n) n.all.forEach((c, i) => walk(c, `${where}.all[${i}]`));
    else if ('any' in n) n.any.forEach((c, i) => walk(c, `${where}.any[${i}]`));
    else if ('not' in n) walk(n.not, `${where}.not`);
    else if ('fact' in n && (n.operator === 'in' || n.operator === 'notIn')) {
      const v = n.value;
      if (!Array.isArray(v) && !(v !== null && typeof v === 'object')) warnings.push(`${where}: operator ${n.operator} takes a list as value (json-rules-engine searches a string value as text, and fails the rule for any other)`);
    }
  };
  walk(node, at);
  return { errors, general: errors.length > 0 ? [] : fastPathGaps(node, at, operators), warnings };
}

/**
 * Messages for every construct the compiled closures cannot honour, refusals included (empty:
 * the tree runs compiled). `operators`: the names of host operators besides the defaults.
 */
export function checkConditions(node: ConditionNode, at = 'conditions', operators: readonly string[] = []): string[] {
  const plan = planConditions(node, at, { operators });
  return [...plan.errors, ...plan.general];
}

/** Compiles a checked condition tree into a predicate; false where json-rules-engine would reject the run. */
export function compileConditions(node: ConditionNode, options?: ConditionOptions): Predicate {
  const ops = hostOperators(options);
  // A host fact is computed once per evaluation, as json-rules-engine's almanac caches a fact's
  // value for a run: a leaf that compares a host fact with itself sees one value (the same object).
  const memo = new Map<string, unknown>();
  const cached: Record<string, HostFact> = {};
  for (const [name, compute] of Object.entries(hostFacts(options)))
    cached[name] = (f, params) => {
      if (memo.has(name)) return memo.get(name);
      const value = compute(f, params);
      memo.set(name, value);
      return value;
    };
  const run = compileNode(node, ops, cached, true);
  return (facts) => {
    memo.clear();
    try {
      return Boolean(run(facts));
    } catch {
      return false;
    }
  };
}

function hostFacts(options: ConditionOptions | undefined): Readonly<Record<string, HostFact>> {
  const facts = options?.facts ?? {};
  for (const name of Object.keys(facts)) if (RECORD_FACTS.has(name)) throw new Error(`fact "${name}" is a record fact and cannot be replaced`);
  return facts;
}

/** The engine of the general path for these options (host operators, facts and named conditions checked as for the compiled path). */
export function conditionEngine(options: ConditionOptions = {}): GeneralEngine {
  hostOperators(options);
  hostFacts(options);
  const ge = generalEngine(options);
  for (const [name, tree] of Object.entries(options.conditions ?? {})) {
    const errors = checkGeneral(tree, `conditions "${name}"`, ge);
    if (errors.length > 0) throw new Error(`named condition "${name}": ${errors.join('; ')}`);
  }
  return ge;
}

/** Reads a fact: a host fact is computed from the record's facts. */
function reader(fact: string, path: string | undefined, host: Readonly<Record<string, HostFact>>): (facts: Facts) => unknown {
  const compute = Object.hasOwn(host, fact) ? host[fact]! : undefined;
  if (!compute) return factReader(fact, path);
  const read = factReader(fact, path);
  return (facts) => read({ [fact]: compute(facts, {}) });
}

type Node = (facts: Facts) => unknown;

/**
 * Every child is evaluated (no short cut), so that a throwing leaf throws as it would there. A
 * leaf gives its operator's raw result (a host operator may return any value); as in
 * json-rules-engine, all/any count only `true` (but the rule's root all/any of one child passes
 * that child's value on), and `not` negates the raw value.
 */
function compileNode(node: ConditionNode, ops: ReadonlyMap<string, Evaluator> = new Map(), host: Readonly<Record<string, HostFact>> = {}, root = false): Node {
  const compileNode_ = (n: ConditionNode) => compileNode(n, ops, host);
  // The rule's root all/any with one child hands that child's raw value to the rule, where any truthy value passes.
  if (root && ('all' in node || 'any' in node)) {
    const kids = 'all' in node ? node.all : node.any;
    if (kids.length === 1) return compileNode_(kids[0]!);
  }
  if ('all' in node) {
    const parts = node.all.map(compileNode_);
    return (f) => {
      let ok = true;
      for (const p of parts) if (p(f) !== true) ok = false;
      return ok;
    };
  }
  if ('any' in node) {
    const parts = node.any.map(compileNode_);
    // json-rules-engine treats an empty `any` as true and an empty `all` as true.
    if (parts.length === 0) return () => true;
    return (f) => {
      let ok = false;
      for (const p of parts) if (p(f) === true) ok = true;
      return ok;
    };
  }
  if ('not' in node) {
    const inner = compileNode_(node.not);
    return (f) => !inner(f);
  }
  if ('condition' in node) throw new Error(`condition references run on the general path`);
  const left = reader(node.fact, node.path, host);
  const hostOp = ops.get(node.operator);
  const op: (a: unknown, b: unknown) => unknown = hostOp ? (a, b) => hostOp.evaluate(a, b) : (OPS[node.operator] ?? unknownOperator(node.operator));
  const v = node.value;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'fact')) {
    const ref = v as { fact: string; path?: string };
    const right = reader(ref.fact, ref.path, host);
    return (f) => op(left(f), right(f));
  }
  return (f) => op(left(f), v);
}

/**
 * Evaluates a condition tree leaf by leaf, keeping each leaf's fact value. `holds` of the root
 * is what the rule's predicate says; a leaf that throws (json-rules-engine rejects the run) is
 * marked with its error and fails the whole tree, as there. A tree the compiled closures do not
 * cover is traced on the general path.
 */
export function traceConditions(node: ConditionNode, facts: Facts, options?: ConditionOptions): { trace: ConditionTrace; holds: boolean } {
  if (fastPathGaps(node, 'conditions', Object.keys(options?.operators ?? {})).length > 0) return traceGeneral(node, facts, conditionEngine(options));
  let threw = false;
  const ops = hostOperators(options);
  const host = options?.facts ?? {};
  const walk = (n: ConditionNode): ConditionTrace => {
    if ('all' in n) {
      const children = n.all.map(walk);
      return { op: 'all', holds: children.every((c) => c.holds), children };
    }
    if ('any' in n) {
      const children = n.any.map(walk);
      return { op: 'any', holds: children.length === 0 || children.some((c) => c.holds), children };
    }
    if ('not' in n) {
      const child = walk(n.not);
      return { op: 'not', holds: !child.holds, child };
    }
    if ('condition' in n) return { op: 'condition', name: n.condition, holds: false };
    const factValue = reader(n.fact, n.path, host)(facts);
    const v = n.value;
    const compareTo = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'fact') ? reader((v as { fact: string }).fact, (v as { path?: string }).path, host)(facts) : v;
    try {
      const hostOp = ops.get(n.operator);
      const holds = (hostOp ? hostOp.evaluate(factValue, compareTo) : (OPS[n.operator] ?? unknownOperator(n.operator))(factValue, compareTo)) === true;
      return { op: 'leaf', fact: n.fact, path: n.path, operator: n.operator, value: v, factValue, compareTo, holds };
    } catch (e) {
      threw = true;
      return { op: 'leaf', fact: n.fact, path: n.path, operator: n.operator, value: v, factValue, compareTo, holds: false, error: (e as Error).message };
    }
  };
  const trace = walk(node);
  return { trace, holds: !threw && compileConditions(node, options)(facts) };
}
