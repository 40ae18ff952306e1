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

export type Facts = Record<string, unknown>;
export type Predicate = (facts: Facts) => boolean;

/** A host operator, as json-rules-engine's `engine.addOperator(name, cb, factValueValidator)` takes it. */
export type OperatorCallback = (factValue: unknown, value: unknown) => boolean;

/**
 * Host extensions of rule conditions (library only: a rule directory never ships code).
 * Leaves with a host operator run through json-rules-engine's own Operator; host facts are
 * computed from the record's facts, as json-rules-engine's `addFact(id, (params, almanac) => …)`
 * does, but synchronously.
 */
export interface ConditionOptions {
  operators?: Readonly<Record<string, OperatorCallback | { evaluate: OperatorCallback; factValueValidator?: (factValue: unknown) => boolean }>>;
  facts?: Readonly<Record<string, (facts: Facts) => unknown>>;
}

/** The fact names every record offers; a host fact must not shadow one. */
export const RECORD_FACTS = new Set(['kind', 'message', 'level', 'levelNumber', 'logger', 'side', 'fields', 'format', 'connectionId', 'sharedId', 'exceptions', 'exceptionTypes', 'params', 'event', 'status', 'probe', 'target', 'outcome', 'connection', 'file', 'files', 'age', 'state', 'lastEventAt']);

/** json-rules-engine's Operator: `evaluate` is its factValueValidator, then its callback. */
interface Evaluator {
  evaluate(factValue: unknown, value: unknown): boolean;
}

function hostOperators(options: ConditionOptions | undefined): Map<string, Evaluator> {
  const out = new Map<string, Evaluator>();
  for (const [name, op] of Object.entries(options?.operators ?? {})) {
    if (Object.hasOwn(OPS, name)) throw new Error(`operator "${name}" is one of json-rules-engine's defaults and cannot be replaced`);
    const made = typeof op === 'function' ? new Operator(name, op as never) : new Operator(name, op.evaluate as never, op.factValueValidator as never);
    out.set(name, made as unknown as Evaluator);
  }
  return out;
}

/**
 * The path steps whose meaning in jsonpath-plus (json-rules-engine's resolver) is a plain property
 * read: names of letters, digits and `_`; canonical indices; quoted names of letters, digits,
 * `_`, `-` and spaces. Other characters can turn a step into an operator there (`$`, `*`, `..`,
 * `~`, `^`, `,`, `:`, `@`, `(`), `[01]` reads nothing, and `["a"]` is not parsed as a name.
 */
const PATH_TOKEN = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(0|[1-9]\d{0,8})\]|\['([A-Za-z0-9_ -]+)'\]/y;

/** Parses a simple JSONPath into keys, or returns an error message. */
export function parsePath(path: string): (string | number)[] | string {
  if (!path.startsWith('$')) return `path "${path}" must start with $`;
  const keys: (string | number)[] = [];
  PATH_TOKEN.lastIndex = 1;
  let pos = 1;
  while (pos < path.length) {
    PATH_TOKEN.lastIndex = pos;
    const m = PATH_TOKEN.exec(path);
    if (!m) return `path "${path}" uses syntax beyond $.a.b, $.a[0] and $['a-b'] (names of letters, digits, _, - and spaces)`;
    const key = m[1] ?? m[3];
    keys.push(key !== undefined ? key : Number(m[2]));
    pos = PATH_TOKEN.lastIndex;
  }
  if (keys.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) return `path "${path}" names a forbidden key`;
  return keys;
}

/** One path step as jsonpath-plus takes it: an own property of any truthy value (so `length` and indices of a string too). */
function own(obj: unknown, key: string | number): unknown {
  if (!obj) return undefined;
  return Object.hasOwn(obj as object, key) ? (obj as Record<string | number, unknown>)[key] : undefined;
}

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

/**
 * Checks a condition tree; returns messages for every construct the compiler cannot honour.
 * `operators`: the names of host operators besides json-rules-engine's defaults.
 */
export function checkConditions(node: ConditionNode, at = 'conditions', operators: readonly string[] = []): string[] {
  const out: string[] = [];
  if ('all' in node) node.all.forEach((c, i) => out.push(...checkConditions(c, `${at}.all[${i}]`, operators)));
  else if ('any' in node) node.any.forEach((c, i) => out.push(...checkConditions(c, `${at}.any[${i}]`, operators)));
  else if ('not' in node) out.push(...checkConditions(node.not, `${at}.not`, operators));
  else {
    if (!Object.hasOwn(OPS, node.operator) && !operators.includes(node.operator)) {
      out.push(`${at}: operator "${node.operator}" is neither a json-rules-engine default (${Object.keys(OPS).join(', ')}) nor registered by the host application`);
    }
    if (node.path !== undefined) {
      const p = parsePath(node.path);
      if (typeof p === 'string') out.push(`${at}: ${p}`);
    }
    const v = node.value;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const ref = v as { path?: string };
      if (ref.path !== undefined) {
        const p = parsePath(ref.path);
        if (typeof p === 'string') out.push(`${at}.value: ${p}`);
      }
    }
    if ((node.operator === 'in' || node.operator === 'notIn') && !Array.isArray(v) && !(v !== null && typeof v === 'object')) {
      out.push(`${at}: operator ${node.operator} needs a list as value`);
    }
  }
  return out;
}

/** Compiles a checked condition tree into a predicate; false where json-rules-engine would reject the run. */
export function compileConditions(node: ConditionNode, options?: ConditionOptions): Predicate {
  const ops = hostOperators(options);
  const facts = options?.facts ?? {};
  for (const name of Object.keys(facts)) if (RECORD_FACTS.has(name)) throw new Error(`fact "${name}" is a record fact and cannot be replaced`);
  const run = compileNode(node, ops, facts);
  return (facts) => {
    try {
      return run(facts);
    } catch {
      return false;
    }
  };
}

/** Reads a fact: a host fact is computed from the record's facts. */
function reader(fact: string, path: string | undefined, host: Readonly<Record<string, (facts: Facts) => unknown>>): (facts: Facts) => unknown {
  const compute = Object.hasOwn(host, fact) ? host[fact]! : undefined;
  if (!compute) return factReader(fact, path);
  const read = factReader(fact, path);
  return (facts) => read({ [fact]: compute(facts) });
}

/** Every child is evaluated (no short cut), so that a throwing leaf throws as it would there. */
function compileNode(node: ConditionNode, ops: ReadonlyMap<string, Evaluator> = new Map(), host: Readonly<Record<string, (facts: Facts) => unknown>> = {}): Predicate {
  const compileNode_ = (n: ConditionNode) => compileNode(n, ops, host);
  if ('all' in node) {
    const parts = node.all.map(compileNode_);
    return (f) => {
      let ok = true;
      for (const p of parts) if (!p(f)) ok = false;
      return ok;
    };
  }
  if ('any' in node) {
    const parts = node.any.map(compileNode_);
    // json-rules-engine treats an empty `any` as true and an empty `all` as true.
    if (parts.length === 0) return () => true;
    return (f) => {
      let ok = false;
      for (const p of parts) if (p(f)) ok = true;
      return ok;
    };
  }
  if ('not' in node) {
    const inner = compileNode_(node.not);
    return (f) => !inner(f);
  }
  const left = reader(node.fact, node.path, host);
  const hostOp = ops.get(node.operator);
  const op: Op = hostOp ? (a, b) => hostOp.evaluate(a, b) : (OPS[node.operator] ?? unknownOperator(node.operator));
  const v = node.value;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'fact' in v) {
    const ref = v as { fact: string; path?: string };
    const right = reader(ref.fact, ref.path, host);
    return (f) => op(left(f), right(f));
  }
  return (f) => op(left(f), v);
}

/** One node of a condition tree with what it evaluated to on a record (for `explain`). */
export type ConditionTrace =
  | { op: 'all' | 'any'; holds: boolean; children: ConditionTrace[] }
  | { op: 'not'; holds: boolean; child: ConditionTrace }
  | { op: 'leaf'; fact: string; path?: string | undefined; operator: string; value: unknown; factValue: unknown; compareTo: unknown; holds: boolean; error?: string | undefined };

/**
 * Evaluates a condition tree leaf by leaf, keeping each leaf's fact value. `holds` of the root
 * is what the compiled predicate says; a leaf that throws (json-rules-engine rejects the run) is
 * marked with its error and fails the whole tree, as there.
 */
export function traceConditions(node: ConditionNode, facts: Facts, options?: ConditionOptions): { trace: ConditionTrace; holds: boolean } {
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
    const factValue = reader(n.fact, n.path, host)(facts);
    const v = n.value;
    const compareTo = v !== null && typeof v === 'object' && !Array.isArray(v) && 'fact' in v ? reader((v as { fact: string }).fact, (v as { path?: string }).path, host)(facts) : v;
    try {
      const hostOp = ops.get(n.operator);
      const holds = hostOp ? hostOp.evaluate(factValue, compareTo) : (OPS[n.operator] ?? unknownOperator(n.operator))(factValue, compareTo);
      return { op: 'leaf', fact: n.fact, path: n.path, operator: n.operator, value: v, factValue, compareTo, holds };
    } catch (e) {
      threw = true;
      return { op: 'leaf', fact: n.fact, path: n.path, operator: n.operator, value: v, factValue, compareTo, holds: false, error: (e as Error).message };
    }
  };
  const trace = walk(node);
  return { trace, holds: !threw && compileConditions(node, options)(facts) };
}
