/**
 * The log reader on real shapes: Python tracebacks and multi-line records, CRI partials cut at
 * 16 KiB (interleaved with the other stream), Docker json-file entries split at 16 KiB, Go's
 * escaping, line endings, forced formats, timestamps, sides, and the line accounting.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosisSession } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { LogReader, loadRulePack } from '../src/index.js';
import { countsByRule, summaries, unbalanced } from './helpers/compare.js';
import { criFile, dockerJsonFile, KUBELET_MAX_LINE, pythonText, writesOf, type StreamWrite } from './helpers/producers.js';
import { NOW, readAll } from './helpers/read.js';
import { SCENARIO, streamOf } from './helpers/scenario.js';

const pack = await loadRulePack([rulesDir]);

const HEADER = '2026-05-12 14:03:22,118 ERROR [scs.sync.sender] connection_id=c-7f3a1e direction=sending ';
const ANCHOR = 'shared secret unavailable: InvalidToken';
/** A Python log line whose signature starts `before` bytes ahead of the runtimes' 16 KiB cut. */
function lineAcrossCut(before: number, size = KUBELET_MAX_LINE): string {
  return HEADER + 'x'.repeat(size - before - HEADER.length) + ANCHOR;
}
const T = '2026-05-12T14:03:22.118Z';
const ACCESS = '2026-05-12 14:03:22,120 INFO [uvicorn.access] 10.42.0.17:51344 - "GET /health/liveness HTTP/1.1" 200\n';

describe('Python records', () => {
  const TRACEBACK =
    [
      '2026-05-12 14:35:01,442 ERROR [scs.sync.receiver] connection_id=r-1 properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
      'Traceback (most recent call last):',
      '  File "/app/scs/sync/receiver.py", line 212, in read_properties',
      '    obj = self._s3.get_object(Bucket=self._bucket, Key=key)',
      '          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      'botocore.errorfactory.NoSuchKey: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'Traceback (most recent call last):',
      '  File "/app/scs/sync/receiver.py", line 230, in sync_once',
      '    raise PropertiesReadError(f"properties read failed: {exc}") from exc',
      'scs.sync.errors.PropertiesReadError: properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
      '2026-05-12 14:35:01,450 INFO [scs.sync.receiver] connection_id=r-1 sync finished status=failure',
    ].join('\n') + '\n';

  it('a chained traceback is one record with its blank lines, up to the next log line', () => {
    const { records } = readAll(pack, TRACEBACK);
    expect(records.map((r) => [r.source.line, r.source.endLine])).toEqual([
      [1, 13],
      [14, 14],
    ]);
  });

  it('the record keeps the traceback text, blank lines included', () => {
    const { records } = readAll(pack, TRACEBACK);
    expect(records[0]!.message.split('\n').length).toBe(13);
  });

  it('one logged failure is one occurrence although its exception lines repeat the error', () => {
    const { report } = readAll(pack, TRACEBACK);
    expect(countsByRule(report)).toEqual({ 'manifest-key-missing': 1 });
  });

  const SHAPES: [string, string, [number, number][]][] = [
    [
      'a multi-line message: lines without a header continue the record',
      '2026-05-12 14:00:00,001 ERROR [scs.sync.receiver] connection failed (no manifest received)\nlooked for: x/shard0/manifest\nnext attempt in 300 s\n2026-05-12 14:00:01,001 INFO [scs.app] ok\n',
      [
        [1, 3],
        [4, 4],
      ],
    ],
    [
      'a traceback after a log line, its exception text over two lines',
      '2026-05-12 14:00:00,001 ERROR [scs.app] sync failed\nTraceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\n    main()\nRuntimeError: connection failed (no manifest received)\nwith a second line of exception text\n2026-05-12 14:00:01,001 INFO [scs.app] next\n',
      [
        [1, 6],
        [7, 7],
      ],
    ],
    [
      'in plain text (no headers anywhere) the line after an exception line is the next record',
      'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\nRuntimeError: connection failed (no manifest received)\nnext plain line\n',
      [
        [1, 3],
        [4, 4],
      ],
    ],
    [
      'frames cut short by a new log line end the record',
      '2026-05-12 14:00:00,001 ERROR [scs] sync failed\nTraceback (most recent call last):\n  File "/app/x.py", line 1, in f\n2026-05-12 14:00:01,001 INFO [scs] next\n',
      [
        [1, 3],
        [4, 4],
      ],
    ],
    [
      'after a blank line, a line without a header starts a new record',
      '2026-05-12 14:00:00,001 ERROR [scs] first\n\nsecond, unrelated\n',
      [
        [1, 1],
        [3, 3],
      ],
    ],
    [
      'plain lines without headers are one record each',
      'alpha\nbeta\ngamma\n',
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
    ],
    [
      'indented lines continue a plain line',
      'summary:\n  item one\n  item two\nnext\n',
      [
        [1, 3],
        [4, 4],
      ],
    ],
    [
      'a JSON line takes no continuation; a raw traceback after it is one record',
      '{"msg":"a"}\nTraceback (most recent call last):\n  File "/app/x.py", line 1, in f\nValueError: x\n{"msg":"c"}\n',
      [
        [1, 1],
        [2, 4],
        [5, 5],
      ],
    ],
    [
      'uvicorn and basicConfig headers start records',
      'INFO:     Started server process [1]\nERROR:scs.sync:sync failed\nWARNING:scs.sync:retrying\n',
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
    ],
    [
      'kubectl logs --timestamps: the prefix on every line does not split a traceback',
      '2026-05-12T14:00:00.000000001Z 2026-05-12 14:00:00,001 ERROR [scs] sync failed\n2026-05-12T14:00:00.000000002Z Traceback (most recent call last):\n2026-05-12T14:00:00.000000003Z   File "/app/x.py", line 1, in f\n2026-05-12T14:00:00.000000004Z RuntimeError: boom\n2026-05-12T14:00:01.000000001Z 2026-05-12 14:00:01,001 INFO [scs] next\n',
      [
        [1, 4],
        [5, 5],
      ],
    ],
  ];
  it.each(SHAPES)('%s', (_name, text, spans) => {
    const { records } = readAll(pack, text);
    expect(records.map((r) => [r.source.line, r.source.endLine])).toEqual(spans);
  });
});

describe('Kubernetes CRI files (containerd, lines cut at 16384 bytes)', () => {
  const split = criFile([{ stream: 'stderr', text: lineAcrossCut(10) + '\n', time: T }]);

  it('cuts the fixture where kubelet does: the first piece is P with 16384 bytes, without the whole signature', () => {
    const [p] = split.toString('utf8').split('\n');
    expect([p!.split(' ')[2], p!.slice(p!.indexOf(' P ') + 3).length, p!.includes(ANCHOR)]).toEqual(['P', 16384, false]);
  });

  it('a signature split across partials is found once', () => {
    expect(countsByRule(readAll(pack, split).report)).toEqual({ 'shared-secret-invalid-token': 1 });
  });

  it('the joined record spans the P and F lines and holds the whole line', () => {
    const { records } = readAll(pack, split);
    expect(records.map((r) => [r.source.line, r.source.endLine, r.message.length])).toEqual([[1, 2, lineAcrossCut(10).length - HEADER.length + 'connection_id=c-7f3a1e direction=sending '.length]]);
  });

  const writes: StreamWrite[] = [
    { stream: 'stderr', text: lineAcrossCut(10, 3 * KUBELET_MAX_LINE) + '\n', time: T },
    { stream: 'stdout', text: ACCESS, time: T },
  ];
  const interleaved = criFile(writes, { interleave: 'interleaved' });

  it('the fixture interleaves: a stdout line sits between the stderr partials', () => {
    expect(
      interleaved
        .toString('utf8')
        .split('\n')
        .map((l) => l.split(' ').slice(1, 3).join(' ')),
    ).toEqual(['stderr P', 'stdout F', 'stderr P', 'stderr P', 'stderr F', '']);
  });

  it('partials are joined per stream: the stderr line is whole, the stdout line its own record', () => {
    const { records } = readAll(pack, interleaved);
    expect(records.map((r) => [r.logger, r.message.endsWith(ANCHOR)]).sort()).toEqual([
      ['scs.sync.sender', true],
      ['uvicorn.access', false],
    ]);
  });

  it('partials are joined per stream: found once, side from the record', () => {
    expect(summaries(readAll(pack, interleaved).report).map((d) => [d.ruleId, d.count, d.side, d.connections])).toEqual([['shared-secret-invalid-token', 1, 'sending', ['c-7f3a1e']]]);
  });

  it('partials are joined per stream: every line counted once', () => {
    const { report } = readAll(pack, interleaved);
    expect([report.stats.linesRead, unbalanced(report)]).toEqual([5, []]);
  });

  it('a partial line at the end of the file (no F) is still read', () => {
    const cut = criFile([{ stream: 'stderr', text: `${HEADER}${ANCHOR}`, time: T }]);
    expect([cut.toString().split(' ')[2], countsByRule(readAll(pack, cut).report)]).toEqual(['P', { 'shared-secret-invalid-token': 1 }]);
  });

  it('a line past the 1 MiB cap: searched up to the cap, every partial line counted', () => {
    const huge = criFile([{ stream: 'stderr', text: `${HEADER}${ANCHOR} ${'y'.repeat(3 << 20)}\n`, time: T }]);
    const { report } = readAll(pack, huge);
    expect([countsByRule(report), report.stats.truncatedLines, report.stats.linesRead, unbalanced(report)]).toEqual([{ 'shared-secret-invalid-token': 1 }, 1, 193, []]);
  });

  it('CRI-O style times (nine digits and an offset) are recognised', () => {
    const text = `2026-05-12T14:03:22.118234567+00:00 stderr F ${HEADER}${ANCHOR}\n`;
    expect(readAll(pack, text).records.map((r) => r.envelope)).toEqual(['cri']);
  });
});

describe('Docker json-file (Go escaping, entries split at 16 KiB)', () => {
  const split = dockerJsonFile([{ stream: 'stderr', text: lineAcrossCut(10) + '\n', time: T }]);

  it('the fixture splits like Docker: a first entry without \\n, a last one with it', () => {
    const entries = split
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { log: string });
    expect(entries.map((e) => [e.log.length, e.log.endsWith('\n')])).toEqual([
      [16384, false],
      [lineAcrossCut(10).length - 16384 + 1, true],
    ]);
  });

  it('a signature split across entries is found once', () => {
    expect(countsByRule(readAll(pack, split).report)).toEqual({ 'shared-secret-invalid-token': 1 });
  });

  it('a line of exactly 16 KiB ends in an entry holding only \\n, joined into one record', () => {
    const exact = dockerJsonFile([{ stream: 'stderr', text: lineAcrossCut(ANCHOR.length) + '\n', time: T }]);
    expect([exact.toString().split('\n')[1]!.startsWith('{"log":"\\n"'), readAll(pack, exact).records.map((r) => [r.source.line, r.source.endLine])]).toEqual([true, [[1, 2]]]);
  });

  it('Go escapes <, > and &; the message reads them back', () => {
    const file = dockerJsonFile([{ stream: 'stderr', text: `${HEADER}<${ANCHOR}> & more\n`, time: T }]);
    expect([file.includes('\\u003c'), readAll(pack, file).records[0]!.message.endsWith(`<${ANCHOR}> & more`)]).toEqual([true, true]);
  });

  it('a line ending in a backslash is complete (its \\n is not mistaken for an escaped one)', () => {
    const file = dockerJsonFile([
      { stream: 'stderr', text: `${HEADER}${ANCHOR} at C:\\scs\\\n`, time: T },
      { stream: 'stderr', text: `${HEADER}${ANCHOR}\n`, time: T },
    ]);
    expect(readAll(pack, file).records.map((r) => [r.source.line, r.source.endLine])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('stdout and stderr entries of split lines interleave: joined per stream', () => {
    const file = dockerJsonFile(
      [
        { stream: 'stderr', text: lineAcrossCut(10, 2 * 16384) + '\n', time: T },
        { stream: 'stdout', text: ACCESS, time: T },
      ],
      { interleave: 'interleaved' },
    );
    const { report } = readAll(pack, file);
    expect([countsByRule(report), report.stats.linesRead, unbalanced(report)]).toEqual([{ 'shared-secret-invalid-token': 1 }, 4, []]);
  });
});

describe('anchors with <, > and & survive JSON and Go escaping in the prefilter', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-rule-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'size-compare.yaml'),
    [
      'id: size-compare',
      'title: Test rule with markup characters',
      'severity: warning',
      'side: sending',
      'category: test',
      'references: [test]',
      'signature:',
      "  anchors: ['copy <ceiling> & retry']",
      'summary: s',
      'cause: c',
      'impact: i',
      'remediation: [r]',
      'groupBy: []',
    ].join('\n'),
  );
  const custom = await loadRulePack([dir]);
  const line = { time: T, level: 'WARNING' as const, logger: 'scs.sync.sender', message: 'outbox: copy <ceiling> & retry' };
  const CASES: [string, () => string | Buffer][] = [
    ['plain text', () => pythonText([line])],
    ['Docker around text (\\u003c, \\u0026)', () => dockerJsonFile(writesOf([line], pythonText))],
    ['Docker around python-json-logger (escaped twice)', () => dockerJsonFile([{ stream: 'stderr', text: JSON.stringify({ message: line.message, levelname: 'WARNING' }) + '\n', time: T }])],
    ['CRI around JSON', () => criFile([{ stream: 'stderr', text: JSON.stringify({ msg: line.message, level: 40 }) + '\n', time: T }])],
  ];
  it.each(CASES)('%s', (_name, bytes) => {
    expect(countsByRule(readAll(custom, bytes()).report)).toEqual({ 'size-compare': 1 });
  });
});

describe('timestamps become ISO-8601 UTC', () => {
  const TIMES: [string, string, string][] = [
    ['Python asctime', `2026-05-12 14:03:22,118 ERROR [scs.sync.sender] ${ANCHOR}\n`, '2026-05-12T14:03:22.118Z'],
    ['ISO-8601 with an offset (JSON)', `{"timestamp":"2026-05-12T16:03:22.118+02:00","level":"error","event":"${ANCHOR}"}\n`, '2026-05-12T14:03:22.118Z'],
    ['epoch milliseconds (pino)', `{"level":50,"time":1778594602118,"msg":"${ANCHOR}"}\n`, '2026-05-12T14:03:22.118Z'],
    ['epoch seconds (python-json-logger created)', `{"created":1778594602.118,"levelname":"ERROR","message":"${ANCHOR}"}\n`, '2026-05-12T14:03:22.118Z'],
    ['CRI nanoseconds, when the line has no time of its own', `2026-05-12T14:03:22.118234567Z stderr F ${ANCHOR}\n`, '2026-05-12T14:03:22.118Z'],
    ['Docker time, when the line has no time of its own', `{"log":"${ANCHOR}\\n","stream":"stderr","time":"2026-05-12T14:03:22.1182345Z"}\n`, '2026-05-12T14:03:22.118Z'],
    ['kubectl logs --timestamps, when the line has no time of its own', `2026-05-12T14:03:22.118234567Z ${ANCHOR}\n`, '2026-05-12T14:03:22.118Z'],
    ['gunicorn time with a zone after a space', `[2026-05-12 16:03:22 +0200] [1] [ERROR] ${ANCHOR}\n`, '2026-05-12T14:03:22.000Z'],
  ];
  it.each(TIMES)('%s', (_name, text, iso) => {
    const d = readAll(pack, text).report.diagnoses[0]!;
    expect([d.firstSeen, d.lastSeen]).toEqual([iso, iso]);
  });
});

describe('the side of a log diagnosis', () => {
  const SIDES: [string, string, string][] = [
    ['a direction field (JSON)', `{"level":"error","logger":"scs.app","direction":"receiving","msg":"connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label x"}\n`, 'receiving'],
    ['direction=… in a text message', `2026-05-12 14:00:00,001 ERROR [scs.app] direction=sending connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label x\n`, 'sending'],
    ['the logger name', `2026-05-12 14:00:00,001 ERROR [scs.sync.receiver] connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label x\n`, 'receiving'],
    ['neither: unknown stays unknown', `2026-05-12 14:00:00,001 ERROR [scs.app] connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label x\n`, 'unknown'],
  ];
  it.each(SIDES)('%s', (_name, text, side) => {
    expect(readAll(pack, text).report.diagnoses.map((d) => d.side)).toEqual([side]);
  });
});

describe('line endings, blank and binary lines', () => {
  const CASES: [string, string, { read: number; skipped: Record<string, number> }][] = [
    ['CRLF', `${HEADER}${ANCHOR}\r\nnext line\r\n\r\n`, { read: 3, skipped: { blank: 1 } }],
    ['lone CR separates lines', `${HEADER}${ANCHOR}\rnext\r`, { read: 2, skipped: {} }],
    ['a binary line is skipped', `${HEADER}${ANCHOR}\nbin\u0000ary\n`, { read: 2, skipped: { binary: 1 } }],
    ['blank lines between records', `${HEADER}${ANCHOR}\n\n\n${HEADER}${ANCHOR}\n`, { read: 4, skipped: { blank: 2 } }],
    ['a last line without a newline', `${HEADER}${ANCHOR}\n${HEADER}${ANCHOR}`, { read: 2, skipped: {} }],
  ];
  it.each(CASES)('%s', (_name, text, want) => {
    const { report } = readAll(pack, text);
    const input = report.stats.inputs[0]!;
    expect({ read: input.linesRead, skipped: input.skipped, balanced: unbalanced(report) }).toEqual({ ...want, balanced: [] });
  });

  it('a UTF-8 byte-order mark does not hide the first JSON line', () => {
    expect(readAll(pack, `\ufeff{"level":"error","msg":"${ANCHOR}"}\n`).records.map((r) => r.format)).toEqual(['json']);
  });
});

describe('--log-format', () => {
  const json = `{"level":"error","logger":"scs.sync.sender","msg":"${ANCHOR}"}\n`;
  const FORCED: [string, 'python' | 'plain' | 'json', string, string][] = [
    ['json on JSON lines', 'json', json, 'json'],
    ['python on JSON lines reads them as text', 'python', json, 'plain'],
    ['plain skips header parsing', 'plain', `2026-05-12 14:03:22,118 ERROR [scs.sync.sender] ${ANCHOR}\n`, 'plain'],
    ['json on a text line falls back to plain', 'json', `2026-05-12 14:03:22,118 ERROR [scs.sync.sender] ${ANCHOR}\n`, 'plain'],
  ];
  it.each(FORCED)('%s', (_name, logFormat, text, format) => {
    expect(readAll(pack, text, 'x', { logFormat }).records.map((r) => r.format)).toEqual([format]);
  });

  it('cri does not unwrap Docker lines', () => {
    const file = dockerJsonFile([{ stream: 'stderr', text: `${HEADER}${ANCHOR}\n`, time: T }]);
    expect(readAll(pack, file, 'x', { logFormat: 'cri' }).records.map((r) => r.envelope)).toEqual([undefined]);
  });
});

describe('chunk boundaries do not change the result', () => {
  const bytes = criFile(writesOf(SCENARIO, pythonText, streamOf), { interleave: 'interleaved' });
  const whole = readAll(pack, bytes).report;

  it('any cut of the input into chunks gives the report of the whole', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
        const reader = new LogReader(session, 'input.log');
        let from = 0;
        for (const at of [...cuts].sort((a, b) => a - b)) {
          reader.push(bytes.subarray(from, at));
          from = at;
        }
        reader.push(bytes.subarray(from));
        reader.end();
        const r = session.report();
        expect([summaries(r), r.stats.linesRead]).toEqual([summaries(whole), whole.stats.linesRead]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('kubectl logs --prefix (several pods in one stream)', () => {
  const A = '[pod/scs-7d9f4c-abcde/scs]';
  const B = '[pod/scs-7d9f4c-fghij/scs]';
  const text = [
    `${A} 2026-05-12 14:35:01,442 ERROR [scs.sync.receiver] properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.`,
    `${A} Traceback (most recent call last):`,
    `${B} 2026-05-12 14:35:01,500 INFO [uvicorn.access] 10.42.0.17:51344 - "GET /health/liveness HTTP/1.1" 200`,
    `${A}   File "/app/scs/sync/receiver.py", line 212, in read_properties`,
    `${A}     obj = self._s3.get_object(Bucket=self._bucket, Key=key)`,
    `${B} 2026-05-12 14:35:02,000 ERROR [scs.sync.sender] shared secret unavailable: InvalidToken`,
    `${A} botocore.errorfactory.NoSuchKey: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.`,
    '',
  ].join('\n');

  it("keeps each pod's traceback one record: one occurrence per logged failure", () => {
    const { report } = readAll(pack, text, 'kubectl-prefix.log');
    expect(countsByRule(report)).toEqual({ 'manifest-key-missing': 1, 'shared-secret-invalid-token': 1 });
  });

  it('reads time, level and logger behind the prefix', () => {
    const { report } = readAll(pack, text, 'kubectl-prefix.log');
    const d = report.diagnoses.find((x) => x.ruleId === 'shared-secret-invalid-token')!;
    expect([d.firstSeen, d.side]).toEqual(['2026-05-12T14:35:02.000Z', 'sending']);
  });

  it('accounts for every line', () => {
    const { report } = readAll(pack, text, 'kubectl-prefix.log');
    expect(unbalanced(report)).toEqual([]);
  });
});
