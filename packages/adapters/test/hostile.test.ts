/**
 * Hostile input (issue #5): binary bytes, NUL bytes, invalid UTF-8, CRLF and lone CR, truncated
 * JSON, empty files, lines of many megabytes, damaged gzip, a directory with files that cannot be
 * read, a path that does not exist, symbolic link loops. Each is read beside a good file: what
 * cannot be read is reported (which, and why) and the run says an input was lost; the good file is
 * still diagnosed; every line of every input is counted (read = matched + unmatched + skipped).
 *
 * Unreadable files: tests run as root in CI, where a file with mode 000 is still readable. The
 * suite tries to read one; when that works it uses a Unix socket instead, which open(2) refuses
 * with ENXIO for root too. Inside a directory, broken and looping symbolic links are the entries
 * that cannot be read by anyone.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisSession, type Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, loadRulePack, readLogStream, readLogText } from '../src/index.js';
import { unbalanced } from './helpers/compare.js';
import { gzip } from './helpers/producers.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
const MiB = 1 << 20;
const ANCHOR = 'shared secret unavailable: InvalidToken';
const LINE = `2026-05-12 09:00:02,905 ERROR [scs.sync.sender] ${ANCHOR}`;
const INFO = '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished';

/** Lines as the reader counts them: LF separates, so does a lone CR, and a last line without an ending counts. */
function countLines(bytes: Buffer): number {
  const segments = bytes.toString('latin1').split('\n');
  if (segments[segments.length - 1] === '') segments.pop();
  return segments.reduce((n, s) => n + (s.endsWith('\r') ? s.slice(0, -1) : s).split('\r').length, 0);
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const BINARY = Buffer.concat([ALL_BYTES, ALL_BYTES, Buffer.from(`\n${LINE}\n`), ALL_BYTES]);
const INVALID_UTF8 = Buffer.concat([Buffer.from('2026-05-12 09:00:02,905 ERROR [scs.sync.sender] \xff\xfe\xc3 \xed\xa0\x80 ', 'latin1'), Buffer.from(`${ANCHOR}\n`)]);
const HUGE_HIT = `${LINE} ${'x'.repeat(5 * MiB)}\n${INFO}\n`;
const HUGE_MISS = `2026-05-12 09:00:02,905 ERROR [scs.sync.sender] ${'x'.repeat(2 * MiB)} ${ANCHOR}\n${INFO}\n`;
const GZ = gzip(`${LINE}\n${INFO}\n`.repeat(2000));
const CORRUPT_GZ = Buffer.from(GZ);
for (let i = 40; i < 80; i++) CORRUPT_GZ[i] = 0xff - CORRUPT_GZ[i]!;

let dir: string;
let socket: Server | undefined;
/** Whether mode 000 keeps this user out (not for root). */
let chmodWorks = false;
/** An input nobody can read: a file with mode 000, or a Unix socket when the tests run as root. */
let unreadable = 'locked.log';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-hostile-'));
  const w = (name: string, data: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  };
  const link = (target: string, name: string) => symlinkSync(path.join(dir, target), path.join(dir, name));
  w('good.log', `${LINE}\n${INFO}\n`);
  w('binary.bin', BINARY);
  w('nul.log', `${LINE}\nabc\0def\n${LINE}\n`);
  w('invalid-utf8.log', INVALID_UTF8);
  w('crlf.log', `${LINE}\r\n${INFO}\r\n\r\n`);
  w('cr.log', `${LINE}\r${INFO}\r${LINE}`);
  w('truncated.jsonl', `{"level":"error","msg":"${ANCHOR}"}\n{"level":"error","msg":"shared secret unavail`);
  w('empty.log', '');
  w('huge-hit.log', HUGE_HIT);
  w('huge-miss.log', HUGE_MISS);
  w('cut.log.gz', GZ.subarray(0, Math.floor(GZ.length / 2)));
  w('corrupt.log.gz', CORRUPT_GZ);
  w('file.txt', `${INFO}\n`);
  w('locked.log', `${INFO}\n`);
  chmodSync(path.join(dir, 'locked.log'), 0o000);
  try {
    readFileSync(path.join(dir, 'locked.log'));
  } catch {
    chmodWorks = true;
  }
  if (!chmodWorks) {
    unreadable = 'socket.log';
    socket = createServer();
    await new Promise<void>((resolve) => socket!.listen(path.join(dir, unreadable), resolve));
  }
  // A directory holding a good file, a link to nothing, a link loop and (not as root) a locked file.
  w('logs/ok.log', `${LINE}\n`);
  w('logs/locked.log', `${INFO}\n`);
  chmodSync(path.join(dir, 'logs/locked.log'), 0o000);
  link('nowhere.log', 'logs/dangling.log');
  link('logs/loop-b.log', 'logs/loop-a.log');
  link('logs/loop-a.log', 'logs/loop-b.log');
  link('loop-b', 'loop-a');
  link('loop-a', 'loop-b');
  // A directory whose link points back at itself.
  w('tree/x.log', `${LINE}\n`);
  w('tree/sub/y.log', `${LINE}\n`);
  link('tree', 'tree/sub/up');
  w('history-cut.json', `[{"id":"e1","connectionId":"c-1","status":"failure","startedAt":"2026-05-12T09:00:02Z","message":"${ANCHOR}"},\n{"id":"e2","connectionId":"c-1","status":"fail`);
  w('history-binary.json', BINARY);
  // An image: NULs on every line, no text at all.
  w('screenshot.log', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.from([0, 0, 0, 13, 73, 72, 68, 82, 10, 0, 1, 2, 0, 0, 0, 10, 0, 0])]));
});
afterAll(async () => {
  if (socket) await new Promise<void>((resolve) => socket!.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  lost: boolean;
  /** Problems (not invalid events) as `file CODE`. */
  problems: string[];
  /** Occurrences of the good files' failure. */
  invalidToken: number;
  unbalanced: ReturnType<typeof unbalanced>;
}

async function diagnose(inputs: string[], events: string[] = []): Promise<{ outcome: Outcome; report: Report }> {
  const { report, lost } = await diagnoseInputs(pack, { inputs, events, cwd: dir, now: NOW });
  const outcome = {
    lost,
    problems: report.stats.problems.filter((p) => p.code !== 'EVENT_INVALID').map((p) => `${p.file} ${p.code}`),
    invalidToken: report.diagnoses.find((d) => d.ruleId === 'shared-secret-invalid-token')?.count ?? 0,
    unbalanced: unbalanced(report),
  };
  return { outcome, report };
}

describe('bad bytes are read, counted, and diagnosed where they hold a failure', () => {
  const CASES: [string, string, { invalidToken: number; skipped: Record<string, number> }][] = [
    // Bytes 0-255: LF and CR cut them into lines; those with a NUL are binary, `\v\f` (between LF and CR) blank.
    ['binary bytes around a log line', 'binary.bin', { invalidToken: 2, skipped: { binary: 3, blank: 3 } }],
    ['a NUL byte in a line', 'nul.log', { invalidToken: 3, skipped: { binary: 1 } }],
    ['invalid UTF-8 before the signature', 'invalid-utf8.log', { invalidToken: 2, skipped: {} }],
    ['CRLF line endings', 'crlf.log', { invalidToken: 2, skipped: { blank: 1 } }],
    ['lone CR line endings, no newline at the end', 'cr.log', { invalidToken: 3, skipped: {} }],
    ['JSON lines, the last cut short', 'truncated.jsonl', { invalidToken: 2, skipped: {} }],
    ['an empty file', 'empty.log', { invalidToken: 1, skipped: {} }],
  ];
  it.each(CASES)('%s', async (_name, file, want) => {
    const { outcome, report } = await diagnose(['good.log', file]);
    const input = report.stats.inputs.find((i) => i.name === file);
    expect({ ...outcome, lines: input?.linesRead, skipped: input?.skipped }).toEqual({
      lost: false,
      problems: [],
      invalidToken: want.invalidToken,
      unbalanced: [],
      lines: countLines(readFileSync(path.join(dir, file))),
      skipped: want.skipped,
    });
  });
});

describe('lines longer than the cap (1 MiB)', () => {
  const CASES: [string, string, string, { invalidToken: number; lines: number; truncated: number }][] = [
    ['a signature within the first MiB of a 5 MiB line is found', 'huge-hit.log', HUGE_HIT, { invalidToken: 1, lines: 2, truncated: 1 }],
    ['a signature past the first MiB of a line is not searched', 'huge-miss.log', HUGE_MISS, { invalidToken: 0, lines: 2, truncated: 1 }],
  ];
  it.each(CASES)('from a file: %s', async (_name, file, _text, want) => {
    const { report } = await diagnoseInputs(pack, { inputs: [file], cwd: dir, now: NOW });
    expect([report.diagnoses.length, report.stats.linesRead, report.stats.truncatedLines, unbalanced(report)]).toEqual([want.invalidToken, want.lines, want.truncated, []]);
  });

  it.each(CASES)('from memory (one chunk): %s', (_name, _file, text, want) => {
    const session = new DiagnosisSession(pack, { now: NOW });
    readLogText(text, 'x.log', session);
    const report = session.report();
    expect([report.diagnoses.length, report.stats.linesRead, report.stats.truncatedLines, unbalanced(report)]).toEqual([want.invalidToken, want.lines, want.truncated, []]);
  });

  it('a line of 256 MiB without a newline: memory stays flat, one line, truncated', async () => {
    const chunk = Buffer.alloc(MiB, 'y');
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${LINE} `);
      for (let i = 0; i < 256; i++) yield chunk;
    }
    globalThis.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    async function* watched(): AsyncGenerator<Buffer> {
      for await (const c of source()) {
        peak = Math.max(peak, process.memoryUsage().rss);
        yield c;
      }
    }
    const session = new DiagnosisSession(pack, { now: NOW });
    await readLogStream(Readable.from(watched()), 'endless.log', session);
    const report = session.report();
    expect([peak - base < 96 * MiB, report.diagnoses.length, report.stats.linesRead, report.stats.truncatedLines]).toEqual([true, 1, 1, 1]);
  });

  it('lone CRs in a file without a newline past the cap: every line is read', () => {
    const text = `${INFO}\r`.repeat(Math.ceil((2 * MiB) / (INFO.length + 1))) + `${LINE}\r`;
    const session = new DiagnosisSession(pack, { now: NOW });
    readLogText(text, 'progress.log', session);
    const report = session.report();
    expect([report.diagnoses.length, report.stats.linesRead, report.stats.truncatedLines]).toEqual([1, countLines(Buffer.from(text)), 0]);
  });
});

describe('what cannot be read is reported; the good file is still diagnosed', () => {
  const CASES: [string, () => string[], () => string[]][] = [
    ['a path that does not exist', () => ['missing.log'], () => ['missing.log INPUT_NOT_FOUND']],
    ['a path under a file (ENOTDIR)', () => ['file.txt/x.log'], () => ['file.txt/x.log INPUT_UNREADABLE']],
    ['a symbolic link loop (a -> b, b -> a)', () => ['loop-a'], () => ['loop-a INPUT_UNREADABLE']],
    ['an unreadable file (mode 000, or a socket as root)', () => [unreadable], () => [`${unreadable} INPUT_UNREADABLE`]],
    ['a gzip file cut short', () => ['cut.log.gz'], () => ['cut.log.gz INPUT_CORRUPT']],
    ['a gzip file with damaged bytes', () => ['corrupt.log.gz'], () => ['corrupt.log.gz INPUT_CORRUPT']],
    ['a file in which most lines are binary', () => ['screenshot.log'], () => ['screenshot.log INPUT_UNREADABLE']],
    [
      'a directory with a link to nothing, a link loop and (not as root) a locked file',
      () => ['logs'],
      () => [path.join('logs', 'dangling.log'), path.join('logs', 'loop-a.log'), path.join('logs', 'loop-b.log'), ...(chmodWorks ? [path.join('logs', 'locked.log')] : [])].map((f) => `${f} INPUT_UNREADABLE`),
    ],
  ];
  it.each(CASES)('%s', async (_name, inputs, problems) => {
    const { outcome } = await diagnose(['good.log', ...inputs()]);
    // The good file's failure, and in the directory `logs/ok.log`'s, and the gzip's lines before the damage.
    expect({ ...outcome, invalidToken: outcome.invalidToken >= 1 }).toEqual({ lost: true, problems: problems(), invalidToken: true, unbalanced: [] });
  });

  const REASONS: [string, string, RegExp][] = [
    ['a missing path', 'missing.log', /^missing\.log: no such file or directory$/],
    ['a path under a file', 'file.txt/x.log', /^file\.txt\/x\.log: not a directory/],
    ['a link loop', 'loop-a', /^loop-a: too many levels of symbolic links/],
    ['a broken link in a directory', 'logs', /^logs\/dangling\.log: a link to a file that does not exist$/],
    ['a gzip file cut short', 'cut.log.gz', /^cut\.log\.gz: gzip data is damaged or cut short/],
    ['a file with no text', 'screenshot.log', /^screenshot\.log: not a text log: \d+ of \d+ lines are binary/],
  ];
  it.each(REASONS)('the reason for %s names the file and says why', async (_name, input, reason) => {
    const { report } = await diagnose([input]);
    expect(report.stats.problems.some((p) => reason.test(p.message))).toBe(true);
  });

  it('the lines of a gzip file before the damage are read and counted', async () => {
    const { report } = await diagnose(['cut.log.gz']);
    const input = report.stats.inputs[0]!;
    expect([input.error?.code, input.linesRead > 0, unbalanced(report)]).toEqual(['INPUT_CORRUPT', true, []]);
  });

  it('each unreadable input has its own entry in stats, with the error', async () => {
    const { report } = await diagnose(['good.log', 'missing.log', 'loop-a']);
    expect(report.stats.inputs.map((i) => [i.name, i.error?.code])).toEqual([
      ['missing.log', 'INPUT_NOT_FOUND'],
      ['loop-a', 'INPUT_UNREADABLE'],
      ['good.log', undefined],
    ]);
  });
});

describe('a directory that links back to itself', () => {
  const CASES: [string, string[]][] = [
    ['the directory', ['tree']],
    ['a recursive glob', ['tree/**/*.log']],
    ['the directory and a file in it', ['tree', 'tree/x.log']],
  ];
  it.each(CASES)('%s: each file is read once, under its shortest name', async (_name, inputs) => {
    const { outcome, report } = await diagnose(inputs);
    expect([outcome.lost, report.stats.inputs.map((i) => i.name), outcome.invalidToken]).toEqual([false, [path.join('tree', 'sub', 'y.log'), path.join('tree', 'x.log')], 2]);
  });
});

describe('sync histories that are not', () => {
  const CASES: [string, string, string][] = [
    ['a JSON array cut short', 'history-cut.json', 'EVENTS_UNREADABLE'],
    // Bytes of every value, over a kilobyte: judged by their statistics before they are read.
    ['binary bytes', 'history-binary.json', 'INPUT_ENCRYPTED'],
  ];
  it.each(CASES)('%s: reported, lines counted, logs still diagnosed', async (_name, file, code) => {
    const { outcome } = await diagnose(['good.log'], [file]);
    expect(outcome).toEqual({ lost: true, problems: [`${file} ${code}`], invalidToken: expect.any(Number), unbalanced: [] });
  });
});
