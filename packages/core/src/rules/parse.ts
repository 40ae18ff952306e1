/**
 * Turns the text of a rule file (YAML or JSON) into a validated rule, or into a list of problems
 * that each name the file, line and column. Pure: reading files is the caller's job.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Problem } from '../errors.js';
import { RuleSchema, type Rule } from '../schema/rule.js';
import { analyzeRule } from './analyze.js';

export interface ParseResult {
  rule?: Rule | undefined;
  problems: Problem[];
}

const STANDARD_TAGS = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);

function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.replace(/\.(?:ya?ml|json)$/i, '');
}

function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[], atKey = false): { line: number; column: number } {
  // Walk down as far as the path exists; a missing key is reported at its parent.
  let node: unknown = doc.contents;
  let best: Node | null = isNode(node) ? node : null;
  path.forEach((key, depth) => {
    if (node === undefined) return;
    const last = depth === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) {
        node = undefined;
        return;
      }
      // Point at the key for unknown-key problems, the value otherwise.
      node = pair.value ?? pair.key;
      if (last && atKey && isNode(pair.key)) best = pair.key;
      else if (isNode(pair.value)) best = pair.value;
      else if (isNode(pair.key)) best = pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (isNode(node)) best = node;
      else node = undefined;
    } else node = undefined;
  });
  const offset = best?.range?.[0] ?? 0;
  const pos = lc.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** The line and column of a path (`['signature', 'pattern']`) in a rule file's text; 1:1 when it cannot be found. */
export function locateInRuleText(text: string, path: readonly PropertyKey[]): { line: number; column: number } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  return locate(doc, lc, path);
}

/** Parses and validates one rule file's text. `file` is used for places and the id check. */
export function parseRuleText(text: string, file: string, options: { operators?: readonly string[] | undefined; conditions?: readonly string[] | undefined } = {}): ParseResult {
  const problems: Problem[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true });
  for (const err of doc.errors) {
    const pos = err.linePos?.[0] ?? lc.linePos(err.pos[0]);
    problems.push({ code: 'RULE_YAML', message: err.message.split('\n')[0] ?? err.message, file, line: pos?.line, column: pos?.col });
  }
  if (problems.length > 0) return { problems };
  // Rule files are data: any explicit tag beyond the plain YAML types is refused.
  visit(doc, {
    Node(_key, node) {
      if (node.tag && !STANDARD_TAGS.has(node.tag) && !(node.tag === '!')) {
        const pos = lc.linePos(node.range?.[0] ?? 0);
        problems.push({ code: 'RULE_YAML', message: `tag ${node.tag} is not allowed in a rule file`, file, line: pos.line, column: pos.col });
      }
    },
  });
  if (problems.length > 0) return { problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    problems.push({ code: 'RULE_YAML', message: (e as Error).message, file, line: 1, column: 1 });
    return { problems };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push({ code: 'RULE_INVALID', message: 'a rule file holds one mapping (id, title, signature, …)', file, line: 1, column: 1 });
    return { problems };
  }
  // A record key such as `__proto__` would vanish inside the schema's record type: refuse it here.
  const paramsNode = doc.get('params', true);
  if (isMap(paramsNode)) {
    for (const pair of paramsNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        const pos = lc.linePos((pair.key as Node).range?.[0] ?? 0);
        problems.push({ code: 'RULE_INVALID', message: `params: parameter name "${key}" is not allowed`, file, line: pos.line, column: pos.col });
      }
    }
    if (problems.length > 0) return { problems };
  }
  const parsed = RuleSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          const parent = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
          problems.push({ code: 'RULE_INVALID', message: `${parent}unknown field "${key}"`, file, ...locate(doc, lc, path, true) });
        }
        continue;
      }
      const path = issue.path;
      const where = path.length ? path.map(String).join('.') : '(rule)';
      const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
      problems.push({ code: 'RULE_INVALID', message: `${where}: ${missing ? 'required field is missing' : issue.message}`, file, ...locate(doc, lc, path) });
    }
    // Problems the schema cannot see are still worth reporting in the same pass.
    const rawId = (data as Record<string, unknown>)['id'];
    const expectedId = baseName(file);
    if (typeof rawId === 'string' && expectedId && rawId !== expectedId) {
      problems.push({ code: 'RULE_ID_MISMATCH', message: `id "${rawId}" differs from the file name "${expectedId}"`, file, ...locate(doc, lc, ['id']) });
    }
    return { problems };
  }
  const rule = parsed.data;
  const expected = baseName(file);
  if (expected && rule.id !== expected) {
    problems.push({ code: 'RULE_ID_MISMATCH', message: `id "${rule.id}" differs from the file name "${expected}"`, file, ...locate(doc, lc, ['id']) });
  }
  for (const p of analyzeRule(rule, options)) problems.push({ ...p, file, ...locate(doc, lc, p.path) });
  const fatal = problems.some((p) => p.severity !== 'warning');
  return { rule: fatal ? undefined : rule, problems };
}
