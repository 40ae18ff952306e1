/** Checks of a schema-valid rule that a schema cannot express. */
import type { ErrorCode } from '../errors.js';
import type { ConditionNode, Rule } from '../schema/rule.js';
import { planConditions } from './conditions.js';
import { checkPattern } from './safety.js';
import { linearEngineRefusal } from './matcher.js';

export interface RuleProblem {
  code: ErrorCode;
  message: string;
  severity?: 'error' | 'warning';
  path: (string | number)[];
  /** For pattern problems: backtracking (the safety check refused it), budgetless (lookaround, backreference), linear (RE2 cannot run it). */
  regexIssue?: 'backtracking' | 'budgetless' | 'linear';
  /** A note, not a fault: the conditions run on json-rules-engine's general path. */
  generalPath?: boolean;
}

/** Values every record offers to placeholders and `groupBy`, besides a rule's own parameters. */
export const CONTEXT_KEYS = ['side', 'connectionId', 'connectionName', 'sharedId', 'level', 'logger', 'status', 'probe', 'target', 'outcome', 'lastEventAt', 'age', 'staleAfter'] as const;

/** What `rules new` writes where a person has to write the text; `rules lint` refuses a rule that still holds one. */
export const UNWRITTEN = /<write: [^>]*>/;

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
// `{{ name }}`; an empty name is reported too. The name and the blank after it are one optional group, so
// two blank runs never meet.
const PLACEHOLDER = /\{\{\s*(?:([^}\s]+)\s*)?\}\}/g;

/** Names of the named capture groups in a regex source (from the parser that also checks its safety). */
export function groupNames(pattern: string, flags = ''): string[] {
  return checkPattern(pattern, flags).facts?.groupNames ?? [...pattern.matchAll(/\(\?<([A-Z_$][\w$]*)>/gi)].map((m) => m[1]!);
}

/** Parameters every match on a file of a sync event carries (engine/session.ts). */
export const FILE_PARAM_KEYS = ['revisionId', 'resourceId', 'sizeBytes', 'fileName'] as const;
/** Placeholders of a rule's peer sections (engine/connections.ts). */
export const PEER_KEYS = ['peerName', 'peerId', 'peerSide', 'peerState', 'peerLastSuccess', 'peerDiagnoses'] as const;

/**
 * `operators`, `conditions`: names of the host's operators and named conditions (library options)
 * that conditions may use besides json-rules-engine's defaults.
 */
export function analyzeRule(rule: Rule, options: { operators?: readonly string[] | undefined; conditions?: readonly string[] | undefined } = {}): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const names = new Set<string>(CONTEXT_KEYS);
  // A rule that reads the files of sync events gets the file's ids and size as parameters.
  if (rule.files !== undefined || rule.appliesTo.includes('file')) for (const k of FILE_PARAM_KEYS) names.add(k);
  const sig = rule.signature;
  if (sig?.pattern !== undefined) {
    const flags = sig.flags ?? '';
    let ok = true;
    try {
      new RegExp(sig.pattern, flags);
    } catch (e) {
      ok = false;
      problems.push({ code: 'RULE_REGEX', message: `pattern does not compile: ${(e as Error).message}`, path: ['signature', 'pattern'] });
    }
    const verdict = checkPattern(sig.pattern, flags);
    for (const g of verdict.facts?.groupNames ?? groupNames(sig.pattern, flags)) {
      if (FORBIDDEN_NAMES.has(g)) problems.push({ code: 'RULE_REGEX', message: `capture group name "${g}" is not allowed`, path: ['signature', 'pattern'] });
      names.add(g);
    }
    if (ok && sig.engine === 'linear') {
      const why = linearEngineRefusal(sig.pattern, flags);
      if (why) problems.push({ code: 'RULE_REGEX', regexIssue: 'linear', message: `engine linear cannot run this pattern: ${why}`, path: ['signature', 'pattern'] });
    } else if (ok) {
      const budgetless = verdict.facts?.budgetless;
      if (budgetless) {
        problems.push({
          code: 'RULE_REGEX_UNSAFE',
          regexIssue: 'budgetless',
          message: `pattern uses ${budgetless.what} (at offset ${budgetless.offset}), which the linear-time fallback cannot run, so no backtracking budget would apply`,
          path: ['signature', 'pattern'],
        });
      }
      if (verdict.unsafe) {
        problems.push({
          code: 'RULE_REGEX_UNSAFE',
          regexIssue: 'backtracking',
          message: `pattern can backtrack catastrophically or cannot be checked: ${verdict.unsafe.reason}${verdict.unsafe.offset ? ` (at offset ${verdict.unsafe.offset})` : ''}; rewrite it, or set signature.engine: linear`,
          path: ['signature', 'pattern'],
        });
      }
    }
  }
  for (const [name, spec] of Object.entries(rule.params)) {
    if (spec.description !== undefined && UNWRITTEN.test(spec.description)) {
      problems.push({ code: 'RULE_UNWRITTEN', severity: 'warning', message: `params.${name}.description is still the scaffold's placeholder: write it`, path: ['params', name, 'description'] });
    }
    if (FORBIDDEN_NAMES.has(name)) problems.push({ code: 'RULE_INVALID', message: `parameter name "${name}" is not allowed`, path: ['params', name] });
    if (!names.has(name)) problems.push({ code: 'RULE_PLACEHOLDER', message: `params.${name} is not a capture group of the pattern`, path: ['params', name] });
    if (spec.separator !== undefined && spec.type !== 'list') problems.push({ code: 'RULE_INVALID', message: `params.${name}: separator needs type list`, path: ['params', name] });
  }
  const appliesToText = rule.appliesTo.includes('log') || rule.appliesTo.includes('event');
  if (appliesToText && (sig === undefined || sig.anchors.length === 0)) {
    problems.push({
      code: 'RULE_INVALID',
      severity: 'warning',
      message: 'no signature anchors: every record is a candidate for this rule, which slows every scan',
      path: sig ? ['signature'] : ['id'],
    });
  }
  const texts: [string, (string | number)[]][] = [[rule.summary, ['summary']], [rule.cause, ['cause']], [rule.impact, ['impact']], ...rule.remediation.map((r, i): [string, (string | number)[]] => [r, ['remediation', i]])];
  texts.push([rule.title, ['title']], ...rule.references.map((r, i): [string, (string | number)[]] => [r, ['references', i]]));
  for (const [text, path] of texts) {
    if (UNWRITTEN.test(text)) {
      // Load accepts it (so `rules test` runs on a fresh scaffold); `rules lint` refuses it.
      problems.push({ code: 'RULE_UNWRITTEN', severity: 'warning', message: `${path.join('.')} is still the scaffold's placeholder: write it`, path });
      continue;
    }
    for (const m of text.matchAll(PLACEHOLDER)) {
      if (!names.has(m[1] ?? '')) problems.push({ code: 'RULE_PLACEHOLDER', message: `placeholder {{${m[1] ?? ''}}} names no parameter`, path });
    }
  }
  rule.peer.forEach((p, i) => {
    const peerNames = new Set([...names, ...PEER_KEYS]);
    const peerTexts: [string, (string | number)[]][] = [[p.note, ['peer', i, 'note']], ...p.steps.map((t, j): [string, (string | number)[]] => [t, ['peer', i, 'steps', j]])];
    for (const [text, path] of peerTexts) {
      for (const m of text.matchAll(PLACEHOLDER)) {
        if (!peerNames.has(m[1] ?? '')) problems.push({ code: 'RULE_PLACEHOLDER', message: `placeholder {{${m[1] ?? ''}}} names no parameter`, path });
      }
    }
    p.skip.forEach((n, j) => {
      if (n > rule.remediation.length) problems.push({ code: 'RULE_INVALID', message: `peer skips step ${n}, but the rule has ${rule.remediation.length} remediation steps`, path: ['peer', i, 'skip', j] });
    });
  });
  rule.groupBy.forEach((g, i) => {
    if (!names.has(g)) problems.push({ code: 'RULE_PLACEHOLDER', message: `groupBy "${g}" names no parameter`, path: ['groupBy', i] });
  });
  const trees: [ConditionNode | undefined, (string | number)[]][] = [
    [rule.conditions, ['conditions']],
    [rule.files?.conditions, ['files', 'conditions']],
  ];
  for (const [tree, path] of trees) {
    if (!tree) continue;
    const plan = planConditions(tree, path.join('.'), options);
    for (const msg of plan.errors) problems.push({ code: 'RULE_CONDITION', message: msg, path });
    for (const msg of plan.warnings) problems.push({ code: 'RULE_CONDITION', severity: 'warning', message: msg, path });
    if (plan.general.length > 0) {
      problems.push({
        code: 'RULE_CONDITION',
        severity: 'warning',
        generalPath: true,
        message: `${path.join('.')} run on json-rules-engine's general path, slower than the compiled one, for: ${plan.general.join('; ')}`,
        path,
      });
    }
  }
  return problems;
}
