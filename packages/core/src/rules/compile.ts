/**
 * Compiles a rule pack into a matcher. A record is matched in three steps, cheapest first:
 * 1. one combined scan over the text for every rule's key anchor (the prefilter);
 * 2. for the rules whose key anchor was seen: every anchor, then the pattern (parameters);
 * 3. the rule's conditions, compiled to closures with json-rules-engine's meaning.
 * A record that contains no key anchor cannot match any rule, so the adapters run the same
 * scan over raw input (`rawFilter`) and skip full parsing of everything else.
 */
import { ScsDoctorError, type Problem } from '../errors.js';
import type { LoadedRule, RecordKind, Rule } from '../schema/rule.js';
import { TEXTLESS_KINDS } from '../schema/rule-words.js';
import type { ParamValue } from '../schema/report.js';
import { compileConditions, conditionEngine, fastPathGaps, type ConditionOptions, type Facts, type Predicate } from './conditions.js';
import { generalPredicate, type GeneralEngine } from './general.js';
import type { ConditionNode } from '../schema/rule.js';
import { analyzeRule } from './analyze.js';
import { OUTCOME_TOKENS } from '../engine/outcomes.js';
import { chainHas, exceptionInText, exceptionLineOffset, onFrameLine } from '../exceptions.js';
import type { ExceptionLink } from '../schema/records.js';
import { backtrackingMatcher, linearEngineRefusal, linearMatcher, type PatternMatch, type PatternMatcher } from './matcher.js';
import { knowsVerdict } from './safety.js';
import { preloadRe2js, preloadRegexpp } from './optional-modules.js';
import { encodedForms, literalScanner, utf8AsLatin1, type LiteralScanner } from './literals.js';

export interface CompiledRule {
  readonly rule: Rule;
  readonly file: string | undefined;
  readonly index: number;
  readonly kinds: ReadonlySet<RecordKind>;
  readonly anchors: readonly string[];
  readonly keyAnchor: string | undefined;
  /** The pattern, on V8's engine (proven safe) or the linear-time one (`signature.engine: linear`, or trusted). */
  readonly matcher: PatternMatcher | undefined;
  /** The exception type the rule needs in the chain (`signature.exception`). */
  readonly exception: string | undefined;
  readonly predicate: Predicate | undefined;
  /** The conditions of the rule's `files` section, for records of kind `file`. */
  readonly filePredicate: Predicate | undefined;
  /** How the rule's conditions run: compiled closures, or json-rules-engine's general path (a tree they do not cover). */
  readonly conditionPath: 'compiled' | 'general' | undefined;
}

export interface RuleMatch {
  rule: CompiledRule;
  params: Record<string, ParamValue>;
  /** Offset of the match in the text (the pattern's match, else the first anchor's). */
  offset: number;
}

/**
 * Tokens that mark a record as worth a full parse even when no rule anchors it: error-level
 * lines and tracebacks feed the report's `unmatched` list, where new SCS errors show up first,
 * and warning-level lines its `unmatchedWarnings`.
 */
export const ATTENTION_TOKENS = [
  'ERROR',
  'CRITICAL',
  'FATAL',
  'Traceback (most recent call last)',
  '"error"',
  '"fatal"',
  '"critical"',
  '"level":50',
  '"level":60',
  '"level": 50',
  '"level": 60',
  'level=error',
  'level=fatal',
  'EXCEPTION',
  '[error',
  '[critical',
  'lvl=error',
  'severity=error',
  '"levelno": 40',
  '"levelno": 50',
  // journald's JSON: syslog priorities emerg..err, compact and as older versions space them.
  '"PRIORITY":"0"',
  '"PRIORITY":"1"',
  '"PRIORITY":"2"',
  '"PRIORITY":"3"',
  '"PRIORITY" : "0"',
  '"PRIORITY" : "1"',
  '"PRIORITY" : "2"',
  '"PRIORITY" : "3"',
  // Warnings no rule explains are listed apart from errors.
  'WARN',
  '"warn',
  '[warn',
  'level=warn',
  '"level":40',
  '"level": 40',
  '"levelno": 30',
  '"PRIORITY":"4"',
  '"PRIORITY" : "4"',
] as const;

export interface RulePack {
  readonly rules: readonly CompiledRule[];
  /**
   * Scanner over undecoded input (one char per byte): a record without a hit needs no parse.
   * `undefined` means every record is a candidate. The sync outcome words are its weak literals:
   * positions()' `strong` list tells, from the same scan, which hits are anything else.
   */
  readonly rawFilter: LiteralScanner | undefined;
  /**
   * The same without the sync outcome words: a record that `rawFilter` hits and this one does not
   * can only be an outcome line (`sync completed connection_id=…`), which readers hand to the
   * session's cheap `attempt()` instead of a full parse. `undefined`: no such distinction.
   */
  readonly strongFilter: LiteralScanner | undefined;
  /** Matches one record's decoded text against the rules that apply to its kind. */
  match(kind: RecordKind, text: string, facts: Facts): RuleMatch[];
  /** Whether any rule reads records of this kind. */
  reads(kind: RecordKind): boolean;
  /** Whether some rule of this kind can match a record without any anchor in its text (an empty message). */
  readsWithoutText(kind: RecordKind): boolean;
  /** The rule of an id. */
  rule(id: string): CompiledRule | undefined;
  /** The host operators and facts the conditions were compiled with. */
  readonly conditionOptions: ConditionOptions;
}

export interface CompileOptions extends ConditionOptions {
  /**
   * Accept patterns the backtracking check refuses (the caller vouches for them): they run on the
   * linear-time engine (RE2), never on V8's backtracking one. Patterns RE2 cannot run stay refused.
   */
  trustPatterns?: boolean;
  /** Extra literals that make a raw record a candidate (default: ATTENTION_TOKENS and the sync outcome words). */
  attention?: readonly string[];
}

const MAX_REGEX_INPUT = 1 << 20;

/** A match's parameters from its named groups, converted as the rule's `params` say. */
export function paramsFromGroups(rule: Rule, groups: Record<string, string | undefined>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = Object.create(null) as Record<string, ParamValue>;
  for (const [name, raw] of Object.entries(groups)) {
    if (raw === undefined) continue;
    const spec = rule.params[name];
    const type = spec?.type ?? 'string';
    if (type === 'integer' || type === 'number') {
      const n = type === 'integer' ? Number.parseInt(raw.replace(/[_,]/g, ''), 10) : Number.parseFloat(raw);
      out[name] = Number.isFinite(n) ? n : raw;
    } else if (type === 'list') {
      const sep = spec?.separator ?? ',';
      out[name] = raw
        .split(sep)
        .map((s) => s.trim().replace(/^['"[]+|['"\]]+$/g, ''))
        .filter((s) => s !== '');
    } else out[name] = raw;
  }
  return { ...out };
}

/** The pattern's first match that is not on a traceback frame's line (at most a few tries). */
function firstOutsideFrames(matcher: PatternMatcher, subject: string, multiLine: boolean): PatternMatch | null {
  let m = matcher.exec(subject);
  if (!m || !multiLine || !onFrameLine(subject, m.index)) return m;
  // Look again from the next line on (a frame's source line is never the evidence).
  let base = 0;
  for (let tries = 0; tries < 8; tries++) {
    const nl = subject.indexOf('\n', base + m.index);
    if (nl < 0) return null;
    base = nl + 1;
    m = matcher.exec(subject.slice(base));
    if (!m) return null;
    if (!onFrameLine(subject, base + m.index)) return { index: base + m.index, groups: m.groups };
  }
  return null;
}

/**
 * Loads, ahead of compileRules (synchronous), the libraries these rules need and a start does not
 * load: re2js for rules on the linear-time engine (or any pattern, when trusted), regexpp for
 * patterns whose safety verdict is not known yet. Without it compileRules loads them on first use.
 */
export async function preloadRuleModules(loaded: readonly (LoadedRule | Rule)[], options: Pick<CompileOptions, 'trustPatterns'> = {}): Promise<void> {
  const sigs = loaded.map((entry) => ('rule' in entry ? entry.rule : entry).signature);
  const loads: Promise<void>[] = [];
  if (sigs.some((sig) => sig?.engine === 'linear' || (options.trustPatterns && sig?.pattern !== undefined))) loads.push(preloadRe2js());
  if (sigs.some((sig) => sig?.pattern !== undefined && !knowsVerdict(sig.pattern, sig.flags ?? ''))) loads.push(preloadRegexpp());
  await Promise.all(loads);
}

/**
 * Compiles validated rules. Throws RULE_INVALID with every problem when a rule cannot be compiled.
 *
 * @example
 * ```ts
 * const pack = compileRules([RuleSchema.parse(JSON.parse(ruleJson))]);
 * ```
 */
export function compileRules(loaded: readonly (LoadedRule | Rule)[], options: CompileOptions = {}): RulePack {
  const problems: Problem[] = [];
  const compiled: CompiledRule[] = [];
  const seen = new Map<string, string | undefined>();
  const hostOps = Object.keys(options.operators ?? {});
  const hostConditions = Object.keys(options.conditions ?? {});
  // json-rules-engine's engine for the rules the compiled closures do not cover, made on first need.
  let general: GeneralEngine | undefined;
  const predicateOf = (tree: ConditionNode): { predicate: Predicate; path: 'compiled' | 'general' } => {
    if (fastPathGaps(tree, 'conditions', hostOps).length === 0) return { predicate: compileConditions(tree, options), path: 'compiled' };
    general ??= conditionEngine(options);
    return { predicate: generalPredicate(tree, general), path: 'general' };
  };
  loaded.forEach((entry, index) => {
    const { rule, file } = 'rule' in entry ? entry : { rule: entry, file: undefined };
    const prior = seen.get(rule.id);
    if (seen.has(rule.id)) {
      problems.push({ code: 'RULE_DUPLICATE_ID', message: `rule id "${rule.id}" is defined twice (also in ${prior ?? 'another rule'})`, file });
      return;
    }
    seen.set(rule.id, file);
    const sig = rule.signature;
    let linear = sig?.engine === 'linear';
    for (const p of analyzeRule(rule, { operators: hostOps, conditions: hostConditions })) {
      if (p.severity === 'warning') continue;
      // A trusted pattern the check refused runs on the linear-time engine, if that engine can run it.
      if (options.trustPatterns && p.regexIssue === 'backtracking' && sig?.pattern !== undefined) {
        const why = linearEngineRefusal(sig.pattern, sig.flags ?? '');
        if (why === undefined) {
          linear = true;
          continue;
        }
        problems.push({ code: p.code, message: `${p.message}; the linear-time engine cannot run it either: ${why}`, file });
        continue;
      }
      problems.push({ code: p.code, message: p.message, file });
    }
    const anchors = sig?.anchors ?? [];
    // A rule that names only an exception is found by the exception's name (its traceback prints it).
    const keyAnchor = anchors.reduce<string | undefined>((best, a) => (best === undefined || a.length > best.length ? a : best), undefined) ?? (sig?.exception ? sig.exception.slice(sig.exception.lastIndexOf('.') + 1) : undefined);
    let matcher: PatternMatcher | undefined;
    if (sig?.pattern) {
      try {
        matcher = linear ? linearMatcher(sig.pattern, sig.flags ?? '') : backtrackingMatcher(sig.pattern, sig.flags ?? '');
      } catch {
        /* reported by analyzeRule */
      }
    }
    const kinds = new Set<RecordKind>(rule.appliesTo);
    if (rule.files) kinds.add('file');
    if (problems.length > 0) return;
    const main = rule.conditions ? predicateOf(rule.conditions) : undefined;
    const onFiles = rule.files ? predicateOf(rule.files.conditions) : undefined;
    compiled.push({
      rule,
      file,
      index,
      kinds,
      anchors,
      keyAnchor,
      matcher,
      exception: sig?.exception,
      predicate: main?.predicate,
      filePredicate: onFiles?.predicate,
      conditionPath: main?.path === 'general' || onFiles?.path === 'general' ? 'general' : main || onFiles ? 'compiled' : undefined,
    });
  });
  if (problems.length > 0) {
    const only = problems.length === 1 ? problems[0]!.message : `${problems.length} problems in the rule pack`;
    throw new ScsDoctorError('RULE_INVALID', only, { file: problems[0]!.file }, problems);
  }

  const byAnchor = new Map<string, CompiledRule[]>();
  const unanchored = new Map<RecordKind, CompiledRule[]>();
  // Records without text (connections, files) reach every rule of their kind: signatures do not apply to them.
  const textless = new Map<RecordKind, CompiledRule[]>();
  for (const r of compiled) {
    for (const k of r.kinds) if (TEXTLESS_KINDS.has(k)) textless.set(k, [...(textless.get(k) ?? []), r]);
    if (r.keyAnchor === undefined) {
      for (const k of r.kinds) if (!TEXTLESS_KINDS.has(k)) unanchored.set(k, [...(unanchored.get(k) ?? []), r]);
    } else byAnchor.set(r.keyAnchor, [...(byAnchor.get(r.keyAnchor) ?? []), r]);
  }
  const byId = new Map(compiled.map((r) => [r.rule.id, r]));
  const keys = [...byAnchor.keys()];
  // Every occurrence of every key anchor is reported, overlapping ones included.
  const keyScanner = keys.length ? literalScanner(keys) : undefined;
  const rulesOfKey = keyScanner ? keyScanner.literals.map((k) => byAnchor.get(k)!) : [];

  const rawLiterals = new Set<string>();
  for (const k of keys) for (const f of encodedForms(k)) rawLiterals.add(utf8AsLatin1(f));
  for (const t of options.attention ?? ATTENTION_TOKENS) for (const f of encodedForms(t)) rawLiterals.add(utf8AsLatin1(f));
  const strongLiterals = new Set(rawLiterals);
  if (options.attention === undefined) for (const t of OUTCOME_TOKENS) for (const f of encodedForms(t)) rawLiterals.add(utf8AsLatin1(f));
  const weakLiterals = new Set([...rawLiterals].filter((l) => !strongLiterals.has(l)));
  const logUnanchored = (unanchored.get('log')?.length ?? 0) > 0;
  const rawFilter = logUnanchored || rawLiterals.size === 0 ? undefined : literalScanner([...rawLiterals], weakLiterals);
  const strongFilter = rawFilter === undefined || strongLiterals.size === rawLiterals.size || strongLiterals.size === 0 ? undefined : literalScanner([...strongLiterals]);

  const kindsRead = new Set<RecordKind>(compiled.flatMap((r) => [...r.kinds]));

  function matchTextless(kind: RecordKind, facts: Facts): RuleMatch[] {
    const out: RuleMatch[] = [];
    for (const r of textless.get(kind) ?? []) {
      const predicate = kind === 'file' && r.filePredicate ? r.filePredicate : r.predicate;
      if (predicate) {
        const prev = facts['params'];
        facts['params'] = {};
        const pass = predicate(facts);
        facts['params'] = prev;
        if (!pass) continue;
      }
      out.push({ rule: r, params: {}, offset: 0 });
    }
    return out;
  }

  function match(kind: RecordKind, text: string, facts: Facts): RuleMatch[] {
    if (TEXTLESS_KINDS.has(kind)) return matchTextless(kind, facts);
    const subject = text.length > MAX_REGEX_INPUT ? text.slice(0, MAX_REGEX_INPUT) : text;
    // Most records hit no key anchor: no set is made for them.
    let candidates: Set<CompiledRule> | undefined;
    const loose = unanchored.get(kind);
    if (loose !== undefined && loose.length > 0) candidates = new Set(loose);
    if (keyScanner) {
      keyScanner.each(subject, (k) => {
        candidates ??= new Set();
        for (const r of rulesOfKey[k]!) candidates.add(r);
      });
    }
    if (candidates === undefined || candidates.size === 0) return [];
    const multiLine = subject.indexOf('\n') >= 0;
    const ordered = [...candidates].sort((a, b) => a.index - b.index);
    const out: RuleMatch[] = [];
    for (const r of ordered) {
      if (!r.kinds.has(kind)) continue;
      let offset = -1;
      let ok = true;
      for (const a of r.anchors) {
        // Source code printed in a traceback's frames is not what the program said: an anchor counts outside them.
        let at = subject.indexOf(a);
        while (at >= 0 && multiLine && onFrameLine(subject, at)) at = subject.indexOf(a, at + 1);
        if (at < 0) {
          ok = false;
          break;
        }
        if (offset < 0) offset = at;
      }
      if (!ok) continue;
      if (r.exception !== undefined) {
        const inChain = chainHas(facts['exceptions'] as readonly ExceptionLink[] | undefined, r.exception, r.anchors);
        const named = exceptionInText(subject, r.exception);
        if (!inChain && named < 0) continue;
        if (offset < 0) offset = named >= 0 ? named : exceptionLineOffset(subject, r.exception);
      }
      let params: Record<string, ParamValue> = {};
      if (r.matcher) {
        const m = firstOutsideFrames(r.matcher, subject, multiLine);
        if (!m) continue;
        offset = m.index;
        if (m.groups) params = paramsFromGroups(r.rule, m.groups);
      }
      if (r.predicate) {
        const prev = facts['params'];
        facts['params'] = params;
        const pass = r.predicate(facts);
        facts['params'] = prev;
        if (!pass) continue;
      }
      out.push({ rule: r, params, offset: Math.max(0, offset) });
    }
    return out;
  }

  return {
    rules: compiled,
    rawFilter,
    strongFilter,
    match,
    reads: (kind) => kindsRead.has(kind),
    readsWithoutText: (kind) => (unanchored.get(kind)?.length ?? 0) > 0,
    rule: (id) => byId.get(id),
    conditionOptions: { ...(options.operators ? { operators: options.operators } : {}), ...(options.facts ? { facts: options.facts } : {}), ...(options.conditions ? { conditions: options.conditions } : {}) },
  };
}
