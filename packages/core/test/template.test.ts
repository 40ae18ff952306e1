/** The unmatched list's templates: ids wherever they appear are one placeholder, the words stay. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageTemplate, PATH_PATTERN, replacePaths } from '../src/engine/normalize.js';

describe('messageTemplate', () => {
  it.each([
    ['short hex ids', 'run r-0716d9 failed on 52e6b438', 'run r-<id> failed on <id>'],
    ['underscore-joined ids', 'attempt_202605121400_000001_0 failed', '<id> failed'],
    ['id fields of any shape', 'connection_id=1234 request_id="a b" failed', 'connection_id=<id> request_id=<id> failed'],
    ['UUIDs', 'object 128b2f33-0c5c-7fd0-a6a3-a4506513270e missing', 'object <uuid> missing'],
    ['sizes and durations', 'upload of 156 MiB took 2.35s (timeout 500ms, 3 retries)', 'upload of <size> took <duration> (timeout <duration>, <n> retries)'],
    ['paths and URLs', 'cannot open /srv/inbox/r-1/part-0001.bin or s3://inbox/a/b.json', 'cannot open <path> or <path>'],
    ['emails', 'quota of owner0@example.org exceeded', 'quota of <email> exceeded'],
    ['quoted values', 'KeyError: \'region\' in "inbox-eu"', "KeyError: '<v>' in '<v>'"],
    ['times', 'at 2026-05-12T14:03:22.118Z', 'at <time>'],
  ])('%s', (_name, text, want) => {
    expect(messageTemplate(text)).toBe(want);
  });

  it.each([
    ['a tab', 'disk\tfull on node', 'disk full on node'],
    ['two spaces', 'disk  full', 'disk full'],
    ['a no-break space', 'disk\u00a0full', 'disk full'],
    ['a line separator', 'disk\u2028full', 'disk full'],
    ['a carriage return', 'disk full\r', 'disk full'],
    ['single spaces only', 'disk full on node', 'disk full on node'],
  ])('white space as one space: %s', (_name, text, want) => {
    expect(messageTemplate(text)).toBe(want);
  });

  it('leaves no white space but single spaces between words, whatever the line holds', () => {
    const unit = fc.constantFrom('a', 'b', '1', '-', '/', '=', ' ', '\t', '\u00a0', '\u2028', '\r', '\f', '\v', '\ufeff', '\u3000');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const t = messageTemplate(text);
        expect(/\s\s|[^\S ]|^\s|\s$/.test(t)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  // The pattern as it was written whole; replacePaths leaves out the kinds a line cannot hold.
  const WHOLE = /(?:\b[a-z][a-z0-9+.-]{0,15}:\/\/[^\s'"()<>]+|(?<![\w.])~?(?:\/[\w.@%+=:,-]+){2,}\/?|\b[A-Za-z]:(?:\\[\w.@%+=,-]+){2,})/g;

  it('replaces paths as the whole pattern does, whichever kinds the line holds', () => {
    expect(PATH_PATTERN.source).toBe(WHOLE.source);
    const unit = fc.constantFrom('a', 'Z', 's3', '1', '.', '-', '~', ':', '://', '/', '\\', 'C:\\', ' ', '"', '@', '=');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(replacePaths(text)).toBe(text.replace(WHOLE, '<path>'));
      }),
      { numRuns: 5000 },
    );
    expect(replacePaths('get s3://inbox/a/b and /srv/x/y and C:\\data\\x')).toBe('get <path> and <path> and <path>');
  });

  it('words are kept: a hex-looking word without a digit, a sentence in quotes', () => {
    expect(messageTemplate('exceeded the deadbeef quota')).toBe('exceeded the deadbeef quota');
    expect(messageTemplate("reason 'shared secret unavailable'")).toBe("reason 'shared secret unavailable'");
  });
});
