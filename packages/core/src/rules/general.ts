/**
 * The general path: rule conditions that the compiled closures (conditions.ts) do not cover,
 * evaluated by json-rules-engine's own parts.
 *
 * json-rules-engine's `run` is promise-based, and a DiagnosisSession matches a record while it
 * reads it. The parts that decide a condition are synchronous, though, and are used here as they
 * are: `Rule` and `Condition` parse and validate the tree (priorities, condition references, the
 * root's shape), the engine's `OperatorMap` gives every operator (host ones and decorated ones
 * such as `someFact:equal`), `Rule#prioritizeConditions` orders the sets of an `all`/`any`,
 * `Fact#getCacheKey` keys the values of host facts by their params, and the `Almanac`'s path
 * resolver (jsonpath-plus) reads paths. What is written here is only the control flow of
 * `Rule#evaluate`, `Condition#evaluate` and `Almanac#factValue` without the promises: sets in
 * priority order, each set evaluated whole, the first set that decides an `any` or `all` ending
 * it, and a throw anywhere failing the run (the rule does not match the record). The differential
 * test (packages/core/test/differential.test.ts) holds it to `engine.run` on generated trees.
 *
 * One difference is deliberate: json-rules-engine replaces a condition reference by its
 * definition inside the rule on the first run, so later runs order that node by the definition's
 * priority. Here every record is evaluated as a first run is.
 */
import { Almanac, Engine, Operator, Rule } from 'json-rules-engine';
import type { ConditionNode } from '../schema/rule.js';
import { parsePath, walkPath } from './paths.js';

export type Facts = Record<string, unknown>;

/** A host fact: computed from the record's facts and the condition's `params`. */
export type HostFact = (facts: Facts, params: Record<string, unknown>) => unknown;

/** A host operator, as json-rules-engine's `engine.addOperator(name, cb, factValueValidator)` takes it. */
export type OperatorCallback = (factValue: unknown, value: unknown) => unknown;
export type HostOperator = OperatorCallback | { evaluate: OperatorCallback; factValueValidator?: (factValue: unknown) => boolean };

/** A condition tree as json-rules-engine's `Condition` holds it (its own fields, and its methods). */
interface JreCondition {
  operator?: string;
  all?: JreCondition[];
  any?: JreCondition[];
  not?: JreCondition;
  condition?: string;
  fact?: string;
  value?: unknown;
  path?: string;
  params?: Record<string, unknown>;
  priority?: number;
  isConditionReference(): boolean;
  isBooleanOperator(): boolean;
}

interface JreOperator {
  evaluate(factValue: unknown, value: unknown): unknown;
}

interface JreEngine {
  operators: { get(name: string): JreOperator | null };
  conditions: Map<string, JreCondition>;
  getFact(id: string): { getCacheKey(params: unknown): unknown; priority?: number } | undefined;
}

/** One node of a condition tree with what it evaluated to on a record (for `explain`). */
export type ConditionTrace =
  | { op: 'all' | 'any'; holds: boolean; children: ConditionTrace[] }
  | { op: 'not'; holds: boolean; child: ConditionTrace }
  | { op: 'condition'; name: string; holds: boolean; child?: ConditionTrace | undefined }
  | { op: 'skipped'; holds: false; node: unknown }
  | { op: 'leaf'; fact: string; path?: string | undefined; operator: string; value: unknown; factValue: unknown; compareTo: unknown; holds: boolean; error?: string | undefined };

/** The engine whose parts evaluate the general path: json-rules-engine's, with the host's operators, facts and named conditions. */
export interface GeneralEngine {
  readonly engine: Engine;
  readonly hostFacts: Readonly<Record<string, HostFact>>;
  readonly resolvePath: (value: unknown, path: string) => unknown;
}

/** Makes the engine. Throws for a named condition json-rules-engine refuses, or one that refers to itself. */
export function generalEngine(
  options: { operators?: Readonly<Record<string, HostOperator>> | undefined; facts?: Readonly<Record<string, HostFact>> | undefined; conditions?: Readonly<Record<string, ConditionNode>> | undefined } = {},
): GeneralEngine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, op] of Object.entries(options.operators ?? {})) {
    engine.addOperator(typeof op === 'function' ? new Operator(name, op as never) : new Operator(name, op.evaluate as never, op.factValueValidator as never));
  }
  const hostFacts = options.facts ?? {};
  // Registered so that their priority and cache keys are json-rules-engine's; the value is computed here.
  for (const name of Object.keys(hostFacts)) engine.addFact(name, () => undefined);
  const named = options.conditions ?? {};
  for (const [name, tree] of Object.entries(named)) engine.setCondition(name, structuredClone(tree) as never);
  for (const name of Object.keys(named)) {
    const cycle = referenceCycle(name, named);
    if (cycle) throw new Error(`named condition "${name}" refers to itself (${cycle.join(' → ')})`);
  }
  return { engine, hostFacts, resolvePath: (new Almanac({}) as unknown as { pathResolver: unknown }).pathResolver as (value: unknown, path: string) => unknown };
}

function referencesOf(node: unknown, out: string[] = []): string[] {
  if (node === null || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  if (typeof n['condition'] === 'string') out.push(n['condition']);
  for (const k of ['all', 'any'] as const) if (Array.isArray(n[k])) for (const c of n[k] as unknown[]) referencesOf(c, out);
  if (n['not'] !== undefined) referencesOf(n['not'], out);
  return out;
}

function referenceCycle(start: string, named: Readonly<Record<string, ConditionNode>>): string[] | undefined {
  const walk = (name: string, trail: string[]): string[] | undefined => {
    for (const ref of referencesOf(named[name])) {
      if (ref === start) return [...trail, ref];
      if (trail.includes(ref) || !Object.hasOwn(named, ref)) continue;
      const found = walk(ref, [...trail, ref]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/** json-rules-engine's Rule over this tree, attached to the engine (for its priority ordering). Throws as `addRule` would. */
function ruleOf(tree: ConditionNode, ge: GeneralEngine): JreRule {
  const rule = new Rule({ conditions: structuredClone(tree) as never, event: { type: 'match' } }) as unknown as JreRule;
  rule.setEngine(ge.engine);
  return rule;
}

/** The parts of json-rules-engine's Rule its typings leave out. */
interface JreRule {
  setEngine(engine: Engine): void;
  getConditions(): JreCondition;
  prioritizeConditions(conditions: JreCondition[]): JreCondition[][];
}

class Evaluation {
  private cache: Map<unknown, unknown> | undefined;
  threw: string | undefined;
  constructor(
    private readonly ge: GeneralEngine,
    private readonly rule: JreRule,
    private readonly facts: Facts,
    private readonly tracing: boolean,
  ) {}

  private get jre(): JreEngine {
    return this.ge.engine as unknown as JreEngine;
  }

  /** Almanac#factValue without the promise: run facts (the record's), then host facts, else undefined. */
  factValue(id: string, params: Record<string, unknown> | undefined, path: string | undefined): unknown {
    let value: unknown;
    if (Object.hasOwn(this.facts, id)) value = this.facts[id];
    else if (Object.hasOwn(this.ge.hostFacts, id)) {
      const p = params ?? {};
      const key = this.jre.getFact(id)!.getCacheKey(p);
      this.cache ??= new Map();
      if (this.cache.has(key)) value = this.cache.get(key);
      else {
        value = this.ge.hostFacts[id]!(this.facts, p);
        this.cache.set(key, value);
      }
    } else return undefined;
    if (path && value !== null && typeof value === 'object') {
      // A path of plain steps reads what jsonpath-plus reads (the differential test holds the two together), without its parser.
      const keys = simpleKeys(path);
      return keys ? walkPath(value, keys) : this.ge.resolvePath(value, path);
    }
    return value;
  }

  /** Almanac#getValue: a `{ fact }` object is read as a fact, anything else is the value. */
  getValue(value: unknown): unknown {
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, 'fact')) {
      const ref = value as { fact: string; params?: Record<string, unknown>; path?: string };
      return this.factValue(ref.fact, ref.params, ref.path);
    }
    return value;
  }

  /**
   * The rule's root, as Rule#evaluate takes it: an all/any hands its result to the rule as it is
   * (a single leaf's raw value, so any truthy value passes), a `not` negates, a reference is
   * evaluated as a condition.
   */
  root(c: JreCondition): { value: unknown; trace?: ConditionTrace | undefined } {
    if (c.isConditionReference() || c.operator === 'not') return this.condition(c);
    const op = c.operator as 'all' | 'any';
    const { value, traces } = this.run(c[op]!, op);
    return { value, trace: this.tracing ? { op, holds: Boolean(value), children: traces } : undefined };
  }

  /** Rule#evaluate's evaluateCondition: the raw result of a leaf, a boolean for the others. */
  condition(c: JreCondition): { value: unknown; trace?: ConditionTrace | undefined } {
    if (c.isConditionReference()) return this.reference(c);
    if (c.isBooleanOperator()) {
      if (c.operator === 'not') {
        const inner = this.condition(c.not!);
        const holds = !inner.value;
        return { value: holds, trace: this.tracing ? { op: 'not', holds, child: inner.trace! } : undefined };
      }
      const op = c.operator as 'all' | 'any';
      const { value, traces } = this.run(c[op]!, op);
      const holds = value === true;
      return { value: holds, trace: this.tracing ? { op, holds, children: traces } : undefined };
    }
    return this.leaf(c);
  }

  private leaf(c: JreCondition): { value: unknown; trace?: ConditionTrace | undefined } {
    const op = this.jre.operators.get(c.operator!);
    let compareTo: unknown;
    let factValue: unknown;
    try {
      if (!op) throw new Error(`Unknown operator: ${c.operator}`);
      compareTo = this.getValue(c.value);
      factValue = this.factValue(c.fact!, c.params, c.path);
      const value = op.evaluate(factValue, compareTo);
      return { value, trace: this.tracing ? { op: 'leaf', fact: c.fact!, path: c.path, operator: c.operator!, value: c.value, factValue, compareTo, holds: value === true } : undefined };
    } catch (e) {
      if (!this.tracing) throw e;
      this.threw ??= (e as Error).message;
      return { value: false, trace: { op: 'leaf', fact: c.fact!, path: c.path, operator: c.operator!, value: c.value, factValue, compareTo, holds: false, error: (e as Error).message } };
    }
  }

  private reference(c: JreCondition): { value: unknown; trace?: ConditionTrace | undefined } {
    const name = c.condition!;
    const found = this.jre.conditions.get(name);
    if (!found) {
      // The engine is made without allowUndefinedConditions, as json-rules-engine's default.
      const message = `No condition ${name} exists`;
      if (!this.tracing) throw new Error(message);
      this.threw ??= message;
      return { value: false, trace: { op: 'condition', name, holds: false } };
    }
    const inner = this.condition(found);
    return { value: inner.value, trace: this.tracing ? { op: 'condition', name, holds: inner.value === true, child: inner.trace } : undefined };
  }

  /** Rule#evaluate's prioritizeAndRun: sets by priority, each whole; the first that decides ends it. */
  private run(conditions: JreCondition[], op: 'all' | 'any'): { value: unknown; traces: ConditionTrace[] } {
    const traces: ConditionTrace[] = [];
    if (conditions.length === 0) return { value: true, traces };
    if (conditions.length === 1) {
      const only = this.condition(conditions[0]!);
      if (only.trace) traces.push(only.trace);
      return { value: only.value, traces };
    }
    let sets = prioritized.get(conditions);
    if (!sets) {
      sets = this.rule.prioritizeConditions(conditions);
      prioritized.set(conditions, sets);
    }
    let result = op === 'all';
    for (const set of sets) {
      const decided = op === 'any' ? result : !result;
      if (decided) {
        if (this.tracing) for (const c of set) traces.push({ op: 'skipped', holds: false, node: plain(c) });
        continue;
      }
      const results = set.map((c) => {
        const r = this.condition(c);
        if (r.trace) traces.push(r.trace);
        return r.value;
      });
      result = op === 'any' ? results.some((r) => r === true) : results.every((r) => r === true);
    }
    return { value: result, traces };
  }
}

const simple = new Map<string, (string | number)[] | null>();
function simpleKeys(path: string): (string | number)[] | null {
  let keys = simple.get(path);
  if (keys === undefined) {
    const p = parsePath(path);
    keys = typeof p === 'string' ? null : p;
    if (simple.size > 4096) simple.clear();
    simple.set(path, keys);
  }
  return keys;
}

/** Rule#prioritizeConditions per list of conditions: the result depends only on the tree and the engine's facts, both fixed. */
const prioritized = new WeakMap<JreCondition[], JreCondition[][]>();

function plain(c: JreCondition): unknown {
  return (c as unknown as { toJSON(stringify: boolean): unknown }).toJSON(false);
}

/**
 * Compiles a tree to a predicate on the general path. Throws, as json-rules-engine's `addRule`
 * does, for a tree it refuses. The predicate is false where a run would reject (an operator or a
 * host fact throws, an unknown operator or condition is met on the way).
 */
export function generalPredicate(tree: ConditionNode, ge: GeneralEngine): (facts: Facts) => boolean {
  const rule = ruleOf(tree, ge);
  const root = rule.getConditions();
  return (facts) => {
    try {
      return Boolean(new Evaluation(ge, rule, facts, false).root(root).value);
    } catch {
      return false;
    }
  };
}

/** Evaluates a tree on the general path, keeping what each node evaluated to. */
export function traceGeneral(tree: ConditionNode, facts: Facts, ge: GeneralEngine): { trace: ConditionTrace; holds: boolean } {
  const rule = ruleOf(tree, ge);
  const ev = new Evaluation(ge, rule, facts, true);
  const r = ev.root(rule.getConditions());
  return { trace: r.trace!, holds: ev.threw === undefined && generalPredicate(tree, ge)(facts) };
}

/** Whether json-rules-engine's operator map has this operator (decorated names such as `not:in` included). */
export function knownOperator(ge: GeneralEngine, name: string): boolean {
  return (ge.engine as unknown as JreEngine).operators.get(name) !== null;
}

/**
 * Problems json-rules-engine would meet with this tree: a shape `addRule` refuses, an operator
 * its operator map does not have, a condition reference the host did not register, a path its
 * resolver cannot parse, and a script in a path (`?(…)`, `(…)`): jsonpath-plus evaluates those
 * as expressions that can call methods of the values, and a rule file is data, never code.
 */
export function checkGeneral(tree: ConditionNode, at: string, ge: GeneralEngine): string[] {
  const out: string[] = [];
  try {
    ruleOf(tree, ge);
  } catch (e) {
    return [`${at}: json-rules-engine refuses the conditions: ${(e as Error).message}`];
  }
  const conditions = (ge.engine as unknown as JreEngine).conditions;
  const path = (p: unknown, where: string) => {
    if (p === undefined || p === '') return;
    if (typeof p !== 'string') return void out.push(`${where}: a path is a string`);
    if (p.includes('(')) return void out.push(`${where}: path "${p}" holds a script expression, which a rule file may not carry`);
    try {
      ge.resolvePath({}, p);
    } catch (e) {
      out.push(`${where}: path "${p}" does not parse: ${(e as Error).message}`);
    }
  };
  const walk = (n: Record<string, unknown>, where: string) => {
    if (Array.isArray(n['all'])) (n['all'] as Record<string, unknown>[]).forEach((c, i) => walk(c, `${where}.all[${i}]`));
    else if (Array.isArray(n['any'])) (n['any'] as Record<string, unknown>[]).forEach((c, i) => walk(c, `${where}.any[${i}]`));
    else if (n['not'] !== undefined) walk(n['not'] as Record<string, unknown>, `${where}.not`);
    else if (Object.hasOwn(n, 'condition')) {
      if (!conditions.has(n['condition'] as string)) out.push(`${where}: condition "${String(n['condition'])}" is not registered by the host application (CompileOptions.conditions)`);
    } else {
      const op = n['operator'] as string;
      if (!knownOperator(ge, op)) out.push(`${where}: operator "${op}" is neither a json-rules-engine default (with its decorators someFact, someValue, everyFact, everyValue, swap, not) nor registered by the host application`);
      path(n['path'], where);
      const v = n['value'];
      if (v !== null && typeof v === 'object' && Object.hasOwn(v, 'fact')) path((v as Record<string, unknown>)['path'], `${where}.value`);
    }
  };
  walk(tree as unknown as Record<string, unknown>, at);
  return out;
}
