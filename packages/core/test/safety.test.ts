import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unsafeRegexReason } from '../src/rules/safety.js';

describe('unsafeRegexReason refuses', () => {
  it.each([
    // rule 1: nested repetition
    ['(a+)+', /nested quantifiers/],
    ['(a*)*', /can match empty text/],
    ['(\\w+\\s?)*', /nested quantifiers/],
    ['(?:a+){2,}', /nested quantifiers/],
    ['(.*a){20}', /nested quantifiers/],
    ['^(a+)+$', /nested quantifiers/],
    ['^([a-z]+)*$', /nested quantifiers/],
    ['(x+x+)+y', /nested quantifiers/],
    ['(?:a{1,50}){1,50}', /nested quantifiers/],
    ['(a?b?)*', /can match empty text/],
    ['(?:\\\\.|[^"\\\\]+)*"', /nested quantifiers/],
    ['(?=(a+)+b)', /nested quantifiers/],
    ['(?<tags>(?:\\w+,?)+)$', /nested quantifiers/],
    // found by fuzzing: iterations whose length varies through `?` alone
    ['(?:[^b][ab]?.)+$', /nested quantifiers/],
    ['(?:\\d?\\d)*?.*x', /nested quantifiers/],
    ['(?:\\S?\\S){2,}\\w{1,3}$', /nested quantifiers/],
    // rule 2: ambiguous alternation under repetition
    ['(a|a)*', /alternation whose branches can match the same text/],
    ['(a|ab)*', /alternation whose branches can match the same text/],
    ['(\\w|\\d)+', /alternation whose branches can match the same text/],
    ['(.|\\s)*', /alternation whose branches can match the same text/],
    ['(?:foo|foobar){2,}', /alternation whose branches can match the same text/],
    ['(?:x(?:a|a)y)*', /alternation whose branches can match the same text/],
    ['(?:a|[a-c])+$', /alternation whose branches can match the same text/],
    // rule 3: runs of linked repetitions
    ['\\s*\\s*$', /two adjacent repetitions can take the same characters/],
    ['.*.*.*x', /two adjacent repetitions can take the same characters/],
    ['\\d+\\d+x', /two adjacent repetitions can take the same characters/],
    ['(?<a>.*)(?<b>.*)(?<c>.*)!', /two adjacent repetitions can take the same characters/],
    ['\\d+\\s?\\d+x', /two adjacent repetitions can take the same characters/],
    ['\\w+\\w*x', /two adjacent repetitions can take the same characters/],
    // one set holds the other, or the two are adjacent through a repetition that can be empty
    ['b*?.+$', /two adjacent repetitions can take the same characters/],
    ['.{2,}\\d{2,}$', /two adjacent repetitions can take the same characters/],
    ['size=.*(?<n>\\d+) bytes', /two adjacent repetitions can take the same characters/],
    ['\\d+\\s*\\d+x', /two adjacent repetitions can take the same characters/],
    ['(?:ab)*(?:ab)*x', /two adjacent repetitions can take the same characters/],
    ['.*(?:ab)+x', /two adjacent repetitions can take the same characters/],
    ['a*?(?:\\w)*x', /two adjacent repetitions can take the same characters/],
    ['.*a.*a.*a', /3 repetitions in a row can take the same characters/],
    ['.*foo.*bar.*baz', /3 repetitions in a row can take the same characters/],
    ['.*(?:a{1,3}|.+\\s+a)?x', /3 repetitions in a row can take the same characters/],
    // too deep to check is refused rather than waved through
    [`${'('.repeat(150)}a${')'.repeat(150)}`, /too deep to check/],
  ])('%s', (pattern, reason) => {
    expect(unsafeRegexReason(pattern)).toMatch(reason);
  });
});

describe('unsafeRegexReason honours flags', () => {
  it.each([
    ['(?:a|A)+', '', false],
    ['(?:a|A)+', 'i', true],
    ['[a-z]+[A-Z]+$', '', false],
    ['[a-z]+[A-Z]+$', 'i', true],
    ['.*\\n.*\\n.*x', '', false],
    ['.*\\n.*\\n.*x', 's', true],
    ['predicate: (?<tags>.+?)\\s*$', '', false],
    ['predicate: (?<tags>.+?)\\s*$', 's', true],
  ])('%s with flags "%s" refused: %s', (pattern, flags, refused) => {
    expect(unsafeRegexReason(pattern, flags) !== undefined).toBe(refused);
  });
});

describe('unsafeRegexReason accepts', () => {
  it.each([
    // the catalogue's patterns and the shapes rule authors write
    'outbox write failed: Revision (?<revisionId>[0-9a-fA-F-]{36}) size=(?<sizeBytes>\\d+) exceeds single-op copy_object ceiling',
    `No RSS object-store configuration for label ['"]?(?<label>[^'"\\s]+)['"]?`,
    "manifest max infosec level '(?<level>[^']+)' \\(order=(?<order>\\d+)\\) exceeds local platform max",
    'uncovered by any transformation predicate: (?<tags>.+?)\\s*$',
    'shared secret unavailable: (?<errorName>\\w+)',
    'connection failed \\(no manifest received\\)',
    '.*foo.*bar',
    '^\\s*(?<x>\\S+)\\s+(?<y>\\d+)$',
    '(?:ab|cd)+',
    '[a-z]+-\\d+',
    // repetition pinned by a delimiter the inner repetitions cannot take
    '(?:[^,]+,)*',
    '(?:\\s*,\\s*[A-Z]+)*',
    '(\\w+\\s)*',
    '\\w+(?:,\\s*\\w+)*\\s*$',
    '(?:\\d{1,3}\\.){3}\\d{1,3}',
    '(?:ab?)+',
    '(?:,\\s?\\w+)*',
    '(?:[A-Z]+_)*[A-Z]+=',
    'size=(?<n>-?\\d+(?:\\.\\d+)?) bytes',
    '-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20}-----',
    // alternations whose branches part at once
    '(?:\\\\.|[^"\\\\])*',
    '(?:Bearer|Basic)+',
    // backreferences and lookarounds
    `(["'])[^"']*\\1`,
    '(?<![\\w.-])[\\w.-]+(?==)',
  ])('%s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeUndefined();
  });
});

describe('the checker fails closed', () => {
  it.each([
    // Node 24 compiles modifier groups, and V8's linear-time fallback does not take them
    ['sync failed: (?i:(a+)+)$', '', /modifier group/],
    ['(?i:abc)', '', /modifier group/],
    ['(?-i:abc)', '', /modifier group/],
    // counted repeats wider than 16 count as unbounded (the fallback refuses them too)
    ['[ -~]{0,80}=[ -~]{0,80}=[ -~]{0,80}=x', '', /3 repetitions in a row/],
    ['\\d{0,40}\\d{0,40}x', '', /two adjacent repetitions/],
    // constructs the checker has no model for
    ['\\p{L}+', 'u', /Unicode property/],
    ['[\\p{L}--[a-z]]+', 'v', /does not know/],
    ['[\\q{abc}x]+', 'v', /does not know/],
    // text that does not parse is refused, not passed to the compiler
    ['(', '', /does not parse/],
    ['[a', '', /does not parse/],
    ['a{2,1}', '', /does not parse/],
  ])('%s (flags %s)', (pattern, flags, reason) => {
    expect(unsafeRegexReason(pattern, flags)).toMatch(reason);
  });

  it('refuses deep nesting instead of overflowing the stack', () => {
    expect(unsafeRegexReason('('.repeat(5000) + 'a' + ')'.repeat(5000))).toMatch(/too deep/);
  });

  it('keeps bounded ranges up to 16 wide', () => {
    expect(unsafeRegexReason('[ -~]{0,16}=[ -~]{0,16}=[ -~]{0,16}=x')).toBeUndefined();
  });
});

describe('unsafeRegexReason on generated input', () => {
  const token = fc.constantFrom('(', ')', '(?:', '(?<n>', '(?=', '(?<!', '|', '*', '+', '?', '{2,}', '{1,3}', '[', ']', '[^', '^', '$', '\\', 'a', 'b', '.', '\\d', '\\s', '\\w', '\\b', '-', '\\1', '\\k<n>', '\\u{41}', '\\p{L}');

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(token, { maxLength: 40 }).map((t) => t.join('')),
        ),
        (pattern) => {
          const why = unsafeRegexReason(pattern);
          return why === undefined || typeof why === 'string';
        },
      ),
    );
  });
});
