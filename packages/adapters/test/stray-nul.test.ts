/**
 * One stray NUL byte inside an otherwise readable line (a flipped bit, a write torn by a crash) does
 * not make the line vanish: the line is read with its NUL, the failure on it is diagnosed, the NUL
 * is shown as `\x00` wherever the report shows the line, every line is counted, and the input is
 * not judged binary or unreadable. A line of binary data (many control bytes) is still skipped.
 */
import { describe, expect, it } from 'vitest';
import { DiagnosisSession, visible } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { judgeBytes } from '../src/byte-verdict.js';
import { loadRulePack, readLogText } from '../src/index.js';
import { unbalanced } from './helpers/compare.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
const RULE = 'shared-secret-invalid-token';

const python = [
  '2026-05-12 09:00:01,100 INFO [scs.sync.sender] connection r-0716d9 sync started',
  '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] connection r-0716d9\0 shared secret unavailable: InvalidToken',
  '2026-05-12 09:00:03,000 INFO [scs.sync.sender] connection r-0716d9 sync finished',
];
const jsonLines = [
  '{"time":"2026-05-12T09:00:01.100Z","level":"info","logger":"scs.sync.sender","connection_id":"r-0716d9","msg":"sync started"}',
  '{"time":"2026-05-12T09:00:02.905Z","level":"error","logger":"scs.sync.sender","connection_id":"r-0716d9","msg":"sync\0 failed: shared secret unavailable: InvalidToken"}',
  '{"time":"2026-05-12T09:00:03.000Z","level":"info","logger":"scs.sync.sender","connection_id":"r-0716d9","msg":"sync finished"}',
];
const cri = [
  '2026-05-12T09:00:01.100000000+00:00 stderr F 2026-05-12 09:00:01,100 INFO [scs.sync.sender] connection r-0716d9 sync started',
  '2026-05-12T09:00:02.905000000+00:00 stderr F 2026-05-12 09:00:02,905 ERROR [scs.sync.sender] connection r-0716d9\0 shared secret unavailable: InvalidToken',
  '2026-05-12T09:00:03.000000000+00:00 stderr F 2026-05-12 09:00:03,000 INFO [scs.sync.sender] connection r-0716d9 sync finished',
];

describe('a stray NUL inside a readable line', () => {
  it.each([
    ['Python logging', 'app.log', python],
    ['JSON lines', 'app.jsonl', jsonLines],
    ['CRI', 'pod.log', cri],
  ])('%s: the failure on the line is diagnosed, its NUL shown, every line counted', (_name, file, lines) => {
    const text = lines.join('\n') + '\n';
    expect(judgeBytes(Buffer.from(text)).code).toBeUndefined();
    const session = new DiagnosisSession(pack, { now: NOW });
    readLogText(text, file, session);
    const report = session.report();
    const d = report.diagnoses.find((x) => x.ruleId === RULE);
    expect(d?.count).toBe(1);
    expect(d?.evidence[0]?.excerpt).toContain('\0');
    expect(d?.evidence[0]?.line).toBe(2);
    const input = report.stats.inputs.find((i) => i.name === file)!;
    expect([input.linesRead, input.skipped['binary'], unbalanced(report)]).toEqual([3, undefined, []]);
    expect(report.stats.problems.map((p) => p.code)).toEqual([]);
    // What the text, Markdown and HTML reports show of the excerpt; JSON writes it as \u0000.
    expect(visible(d!.evidence[0]!.excerpt)).toMatch(/\\x00/);
    expect(JSON.stringify(d!.evidence[0]!.excerpt)).toContain('\\u0000');
  });

  it('a line of binary data among them is still skipped as binary', () => {
    const text = [python[0], 'PNG\0\0\x01\x02IHDR\0\x05\x06\x07\0\0\x10\x11 IDAT\0\x03', python[1]].join('\n') + '\n';
    const session = new DiagnosisSession(pack, { now: NOW });
    readLogText(text, 'app.log', session);
    const report = session.report();
    expect([report.diagnoses.find((x) => x.ruleId === RULE)?.count, report.stats.inputs[0]?.skipped['binary'], unbalanced(report)]).toEqual([1, 1, []]);
  });
});
