/**
 * Nothing injected: terminal escapes, C1 codes and bidirectional overrides from logs are shown,
 * never executed, in every human format; Markdown code spans hold any run of backticks; HTML in
 * Markdown text is written as entities.
 */
import { describe, expect, it } from 'vitest';
import { codeSpan, compileRules, diagnose, formatProblem, markdownText, render, visible, type LogRecord } from '../src/internal.js';
import { log, rule } from './helpers.js';

const CLEAR = '\x1b[2J\x1b[H';
const TITLE = '\x1b]0;pwned\x07';
const C1_CSI = '\x9b2J';
const RLO = '\u202e';
const FAKE = `${CLEAR}${TITLE}${C1_CSI}No known failure found${RLO}gnp.exe`;
const pack = compileRules([rule({ id: 'boom', signature: { anchors: ['boom'], pattern: 'boom (?<what>.+)$' }, summary: 'Boom {{what}}' })]);
const report = diagnose(pack, {
  logs: [log(`boom ${FAKE} \`\`\`<img src=x onerror=alert(1)>\`\`\``, { time: '2026-05-12T10:00:00Z', connectionId: `c-1${CLEAR}`, connectionName: `Partner${TITLE}\r` } as Partial<LogRecord>)],
});

/** Control characters other than LF, and the bidi/format characters. */
const LIVE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('visible', () => {
  it.each([
    ['ESC', '\x1b[2J', '\\x1b[2J'],
    ['BEL', 'a\x07', 'a\\x07'],
    ['C1 CSI', '\x9b2J', '\\x9b2J'],
    ['carriage return', 'a\rb', 'a\\x0db'],
    ['right-to-left override', `a${RLO}b`, 'a\\u202eb'],
    ['first strong isolate', 'a\u2068b', 'a\\u2068b'],
    ['line feed and tab kept', 'a\n\tb', 'a\n\tb'],
    ['plain text as it is', 'Grüße, 東京', 'Grüße, 東京'],
  ])('%s', (_name, input, want) => {
    expect(visible(input)).toBe(want);
  });
});

describe('renderers show escapes instead of running them', () => {
  it.each([['text'], ['markdown'], ['html']] as const)('%s has no live control character', (format) => {
    const out = render(report, format, { color: false }).replace(/\n/g, '');
    expect(LIVE.exec(out)?.[0]).toBeUndefined();
  });

  it('text with color keeps only its own SGR codes', () => {
    const out = render(report, 'text', { color: true });
    expect(out.replace(/\x1b\[[0-9;]*m/g, '').includes('\x1b')).toBe(false);
  });

  it('text shows the escape', () => {
    expect(render(report, 'text')).toContain('\\x1b[2J');
  });

  it('problems written to standard error are made visible', () => {
    expect(formatProblem({ code: 'INPUT_CORRUPT', message: `bad ${CLEAR}`, file: `f${RLO}.log` })).toBe('f\\u202e.log INPUT_CORRUPT bad \\x1b[2J\\x1b[H');
  });
});

describe('Markdown', () => {
  it.each([
    ['no backtick', 'abc', '`abc`'],
    ['one backtick', 'a`b', '``a`b``'],
    ['a run of three', 'a```b', '````a```b````'],
    ['starts with a backtick', '`a', '`` `a ``'],
    ['line breaks joined', 'a\nb', '`a b`'],
  ])('code span: %s', (_name, input, want) => {
    expect(codeSpan(input)).toBe(want);
  });

  it('text: HTML as entities', () => {
    expect(markdownText('<img src=x onerror=alert(1)> & co')).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; co');
  });

  it('an excerpt holding ``` stays inside its code span', () => {
    const md = render(report, 'markdown');
    const line = md.split('\n').find((l) => l.startsWith('- ') && l.includes('onerror'))!;
    // Outside code spans (any fence length) no tag remains.
    const outside = line.replace(/(`+)(?:(?!\1).)*?\1(?!`)/g, '');
    expect([line.includes('<img'), outside.includes('<img')]).toEqual([true, false]);
  });
});
