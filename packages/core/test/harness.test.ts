import { describe, expect, it } from 'vitest';
import { compileRules, runFixture, type FixtureReader, type LogRecord } from '../src/internal.js';
import { rule } from './helpers.js';

const pack = compileRules([rule({ id: 'boom', signature: { anchors: ['boom happened'] } })]);

/** One record per non-blank line, enough to test the harness without the adapters. */
const perLine: FixtureReader = (text, file) => ({
  logs: text.split('\n').flatMap((message, i): LogRecord[] => (message.trim() ? [{ kind: 'log', message, fields: {}, format: 'plain', source: { file, line: i + 1, endLine: i + 1 } }] : [])),
});

describe('runFixture', () => {
  it('passes a ruleid case that matches and an ok case that does not', async () => {
    const r = await runFixture(pack, 'f.test.log', '# ruleid: boom\nboom happened\n# ok: boom\nall quiet\n', perLine);
    expect(r.cases.map((c) => [c.ruleId, c.expect, c.pass])).toEqual([
      ['boom', 'match', true],
      ['boom', 'no-match', true],
    ]);
  });

  it('fails a ruleid case whose record does not match', async () => {
    const r = await runFixture(pack, 'f.test.log', '# ruleid: boom\nall quiet\n', perLine);
    expect(r.failures.map((c) => c.line)).toEqual([1]);
  });

  it('fails an ok case whose record matches', async () => {
    const r = await runFixture(pack, 'f.test.log', '# ok: boom\nboom happened\n', perLine);
    expect(r.failures.length).toBe(1);
  });

  it('keeps a todo visible without failing, and says when it starts to pass', async () => {
    const r = await runFixture(pack, 'f.test.log', '# todoruleid: boom\nall quiet\n# todoruleid: boom\nboom happened\n', perLine);
    expect([r.failures.length, r.fixedTodos.map((c) => c.line)]).toEqual([0, [3]]);
  });

  it('fails an annotation with no record after it', async () => {
    const r = await runFixture(pack, 'f.test.log', 'boom happened\n# ruleid: boom\n', perLine);
    expect(r.failures.length).toBe(1);
  });
});
