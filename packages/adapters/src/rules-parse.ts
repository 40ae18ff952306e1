/** Parses rule files (rules-loader.ts loads this module only when the pack cache cannot answer). */
import { parseRuleText, type LoadedRule, type Problem } from '@scs-doctor/core/internal';

/** Parses and validates each read file's text, in order; a file's problems and a duplicate id go to `problems`. */
export function parseRuleFiles(files: readonly string[], texts: readonly (string | undefined)[], options: { operators?: readonly string[] | undefined; conditions?: readonly string[] | undefined }, problems: Problem[]): LoadedRule[] {
  const rules: LoadedRule[] = [];
  const ids = new Map<string, string>();
  files.forEach((file, i) => {
    const text = texts[i];
    if (text === undefined) return;
    const r = parseRuleText(text, file, options);
    problems.push(...r.problems);
    if (!r.rule) return;
    const prior = ids.get(r.rule.id);
    if (prior !== undefined) {
      problems.push({ code: 'RULE_DUPLICATE_ID', message: `rule id "${r.rule.id}" is also defined in ${prior}`, file, line: 1, column: 1 });
      return;
    }
    ids.set(r.rule.id, file);
    rules.push({ rule: r.rule, file });
  });
  return rules;
}
