import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScsDoctorError, type ErrorCode } from '../src/errors.js';
import { compileRules } from '../src/rules/compile.js';
import { parseRuleText } from '../src/rules/parse.js';

const DIR = fileURLToPath(new URL('./fixtures/broken-rules/', import.meta.url));

const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

/** The problems of one fixture, in file order, as code, place and message. */
function lint(file: string) {
  return parseRuleText(read(file), file)
    .problems.map(({ code, line, column, message }) => ({ code, line, column, message }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

type Expected = [code: ErrorCode, line: number, column: number, message: string];
const problems = (...list: Expected[]) => list.map(([code, line, column, message]) => ({ code, line, column, message: expect.stringContaining(message) }));

// The shape every fixture starts from; each broken file changes one thing (the `several-*` ones, several).
const VALID = `id: sample-rule
title: Shared secret cannot be decrypted
severity: error
side: sending
category: crypto
references:
  - "Debugging Secure Connections › Sending Side Checks › Sync Failures"
signature:
  anchors:
    - "shared secret unavailable"
  pattern: 'shared secret unavailable: (?<errorName>\\w+)'
params:
  errorName:
    type: string
summary: "The shared secret could not be decrypted ({{errorName}})."
cause: The SCS master secret differs from the Registry Service's.
impact: No resource syncs on this connection.
remediation:
  - Set the same master secret on SCS and the Registry Service.
`;

const CASES: [file: string, expected: ReturnType<typeof problems>][] = [
  ['yaml-syntax.yaml', problems(['RULE_YAML', 2, 42, 'Missing closing "quote'])],
  ['unknown-field.yaml', problems(['RULE_INVALID', 6, 1, 'unknown field "notes"'])],
  ['missing-field.yaml', problems(['RULE_INVALID', 1, 1, 'impact: required field is missing'])],
  ['id-mismatch.yaml', problems(['RULE_ID_MISMATCH', 1, 5, 'id "shared-secret-invalid-token" differs from the file name "id-mismatch"'])],
  ['placeholder-unknown.yaml', problems(['RULE_PLACEHOLDER', 15, 10, 'placeholder {{connectionLabel}} names no parameter'])],
  ['regex-invalid.yaml', problems(['RULE_REGEX', 11, 12, 'pattern does not compile'])],
  ['capture-proto.yaml', problems(['RULE_REGEX', 11, 12, 'capture group name "__proto__" is not allowed'])],
  ['capture-constructor.yaml', problems(['RULE_REGEX', 11, 12, 'capture group name "constructor" is not allowed'])],
  ['capture-prototype.yaml', problems(['RULE_REGEX', 11, 12, 'capture group name "prototype" is not allowed'])],
  ['regex-unsafe.yaml', problems(['RULE_REGEX_UNSAFE', 11, 12, 'nested quantifiers: (?:\\w+\\s?)*'])],
  // The place is the tagged value (the node that carries the tag), on the tag's line.
  ['yaml-tag-js-function.yaml', problems(['RULE_YAML', 16, 22, 'tag tag:yaml.org,2002:js/function is not allowed'])],
  ['yaml-tag-custom.yaml', problems(['RULE_YAML', 16, 16, 'tag !secret is not allowed'])],
  ['yaml-alias-bomb.yaml', problems(['RULE_YAML', 1, 1, 'Excessive alias count'])],
  ['condition-path.yaml', problems(['RULE_CONDITION', 16, 3, 'path "$.errors[?(@.name)].name" holds a script expression'])],
  ['several-schema-problems.yaml', problems(['RULE_INVALID', 1, 1, 'impact: required field is missing'], ['RULE_INVALID', 3, 11, 'severity: Invalid option'], ['RULE_INVALID', 6, 1, 'unknown field "owner"'])],
  [
    'several-analysis-problems.yaml',
    problems(['RULE_REGEX_UNSAFE', 11, 12, 'two adjacent repetitions'], ['RULE_CONDITION', 16, 3, 'path "$..name[?(@)]" holds a script expression'], ['RULE_PLACEHOLDER', 21, 10, 'placeholder {{errorCode}} names no parameter']),
  ],
  // Each is a valid rule; together they define one id twice (see the compileRules test below).
  ['duplicate-id/first/duplicate-id.yaml', problems()],
  ['duplicate-id/second/duplicate-id.yaml', problems()],
  ['param-proto.yaml', problems(['RULE_INVALID', 15, 3, 'parameter name "__proto__" is not allowed'])],
];

describe('rule lint', () => {
  it('finds nothing in the valid shape the fixtures start from', () => {
    expect(parseRuleText(VALID, 'sample-rule.yaml').problems).toEqual([]);
  });

  it.each(CASES)('%s', (file, expected) => {
    expect(lint(file)).toEqual(expected);
  });

  it('notes, as a warning, conditions that run on the general path, and refuses none of them', () => {
    const general = `${VALID}conditions:
  any:
    - fact: fields
      path: "$.errors[*].name"
      operator: someFact:equal
      value: InvalidToken
      priority: 2
    - fact: level
      operator: equal
      value: error
`;
    const r = parseRuleText(general, 'sample-rule.yaml');
    expect(r.rule?.id).toBe('sample-rule');
    expect(r.problems).toEqual([
      {
        code: 'RULE_CONDITION',
        severity: 'warning',
        generalPath: true,
        message: expect.stringMatching(
          /^conditions run on json-rules-engine's general path, slower than the compiled one, for: conditions\.any\[0\]: priority; conditions\.any\[0\]: operator "someFact:equal" \(decorated\); conditions\.any\[0\]: path "\$\.errors\[\*\]\.name"$/,
        ),
        path: ['conditions'],
        file: 'sample-rule.yaml',
        line: 21,
        column: 3,
      },
    ]);
    // The same tree on the compiled path has no note.
    const compiled = general.replace('      operator: someFact:equal\n', '      operator: equal\n').replace('      path: "$.errors[*].name"\n', '      path: "$.errors[0].name"\n').replace('      priority: 2\n', '');
    expect(parseRuleText(compiled, 'sample-rule.yaml').problems).toEqual([]);
  });

  it('refuses an alias bomb without expanding it', () => {
    const start = performance.now();
    lint('yaml-alias-bomb.yaml');
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('refuses a rule id defined in two files when the pack is compiled', () => {
    const files = ['duplicate-id/first/duplicate-id.yaml', 'duplicate-id/second/duplicate-id.yaml'];
    const loaded = files.map((file) => ({ rule: parseRuleText(read(file), file).rule!, file }));
    let thrown: unknown;
    try {
      compileRules(loaded);
    } catch (e) {
      thrown = e;
    }
    expect(thrown instanceof ScsDoctorError ? { code: thrown.code, problems: thrown.problems } : thrown).toEqual({
      code: 'RULE_INVALID',
      problems: [expect.objectContaining({ code: 'RULE_DUPLICATE_ID', file: files[1], message: expect.stringContaining(`also in ${files[0]}`) })],
    });
  });

  it('has a case for every fixture in the folder', () => {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
    const files = walk(DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => relative(DIR, f).split('\\').join('/'))
      .sort();
    expect(files).toEqual([...CASES].map(([f]) => f).sort());
  });
});
