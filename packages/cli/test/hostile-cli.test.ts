/**
 * The CLI on hostile input (issue #5). An input that cannot be read: stdout still parses as a
 * report (--format json), the exit status is 2, stderr has one line per lost input that names it
 * and says why, and never a stack trace. Bad bytes that can be read: the report comes out and the
 * exit status is that of the diagnoses (1 here: the good file holds a failure).
 *
 * Unreadable file: tests run as root in CI, where mode 000 does not keep anyone out. When a file
 * with mode 000 can be read, a Unix socket stands in for it: open(2) refuses it (ENXIO) to root too.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '@scs-doctor/core/internal';
import { LOG_FORMATS } from '@scs-doctor/adapters';
import { run } from './run.js';

const NOW = ['--now', '2026-05-12T12:00:00Z'];
const LINE = '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] shared secret unavailable: InvalidToken';
const INFO = '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished';
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

let dir: string;
let socket: Server | undefined;
let unreadable = 'locked.log';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-doctor-hostile-cli-'));
  const w = (name: string, data: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  };
  const gz = gzipSync(Buffer.from(`${LINE}\n${INFO}\n`.repeat(2000)));
  w('good.log', `${LINE}\n`);
  w('binary.bin', Buffer.concat([ALL_BYTES, ALL_BYTES, Buffer.from('{"log":"\\u0000'), ALL_BYTES]));
  // A log with binary garbage between its lines (a crash, a bad copy): the text is read.
  w('garbage.log', Buffer.concat([Buffer.from(`${INFO}\n`), ALL_BYTES, Buffer.from(`\n${INFO}\n${INFO}\n${INFO}\n${INFO}\n${INFO}\n`)]));
  w('nul.log', `abc\0def\n${INFO}\n`);
  w('invalid-utf8.log', Buffer.from(`${INFO} \xff\xfe\xc3\n`, 'latin1'));
  w('crlf-cr.log', `${INFO}\r\n${INFO}\r${INFO}\r`);
  w('truncated.jsonl', '{"level":"error","msg":"shared secret unavail');
  w('empty.log', '');
  w('huge.log', `${INFO} ${'x'.repeat(3 << 20)}\n`);
  w('cut.log.gz', gz.subarray(0, gz.length >> 1));
  w('corrupt.log.gz', Buffer.concat([gz.subarray(0, 20), Buffer.alloc(200, 0xff), gz.subarray(220)]));
  w('file.txt', `${INFO}\n`);
  w('locked.log', `${INFO}\n`);
  chmodSync(path.join(dir, 'locked.log'), 0o000);
  try {
    readFileSync(path.join(dir, 'locked.log'));
    unreadable = 'socket.log';
    socket = createServer();
    await new Promise<void>((resolve) => socket!.listen(path.join(dir, unreadable), resolve));
  } catch {
    // mode 000 works: the locked file is the unreadable input
  }
  symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
  symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
  w('logs/ok.log', `${INFO}\n`);
  symlinkSync(path.join(dir, 'nowhere.log'), path.join(dir, 'logs/dangling.log'));
  symlinkSync(path.join(dir, 'logs'), path.join(dir, 'logs/again'));
  w('history-cut.json', '[{"id":"e1","connectionId":"c-1","status":"failure","startedAt":"2026-05-12T09:00:02Z"},\n{"id":"e2","conn');
  w('history-text.json', `${INFO}\n`);
});
afterAll(async () => {
  if (socket) await new Promise<void>((resolve) => socket!.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** What the CLI did, in one value: exit status, whether stdout is a report, stderr's lines. */
async function diagnose(args: string[]) {
  const r = await run(['diagnose', 'good.log', ...args, '--format', 'json', ...NOW], { cwd: dir });
  let report = false;
  try {
    report = ReportSchema.safeParse(JSON.parse(r.stdout)).success;
  } catch {
    report = false;
  }
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  return { code: r.code, report, stderr: lines, stackTrace: /^\s+at /m.test(r.stderr) };
}

describe('an input that cannot be read: exit 2, the report on stdout, one line on stderr', () => {
  const CASES: [string, () => string[], () => RegExp[]][] = [
    ['a path that does not exist', () => ['missing.log'], () => [/^scs-doctor: INPUT_NOT_FOUND missing\.log: no such file or directory$/]],
    ['a path under a file', () => ['file.txt/x.log'], () => [/^scs-doctor: INPUT_UNREADABLE file\.txt\/x\.log: not a directory/]],
    ['a symbolic link loop', () => ['loop-a'], () => [/^scs-doctor: INPUT_UNREADABLE loop-a: too many levels of symbolic links/]],
    ['an unreadable file (mode 000, or a socket as root)', () => [unreadable], () => [new RegExp(`^scs-doctor: INPUT_UNREADABLE ${unreadable.replace('.', '\\.')}: `)]],
    ['a gzip file cut short', () => ['cut.log.gz'], () => [/^scs-doctor: INPUT_CORRUPT cut\.log\.gz: gzip data is damaged or cut short/]],
    ['a gzip file with damaged bytes', () => ['corrupt.log.gz'], () => [/^scs-doctor: INPUT_CORRUPT corrupt\.log\.gz: gzip data is damaged or cut short/]],
    ['a directory with a link to nothing (and a link back to itself)', () => ['logs'], () => [/^scs-doctor: INPUT_UNREADABLE logs\/dangling\.log: a link to a file that does not exist$/]],
    ['a sync history cut short', () => ['--events', 'history-cut.json'], () => [/^scs-doctor: EVENTS_UNREADABLE history-cut\.json: /]],
    ['a sync history that is not one', () => ['--events', 'history-text.json'], () => [/^scs-doctor: EVENTS_UNREADABLE history-text\.json: not a sync history/]],
    ['a file that is not text (most lines binary, nothing found)', () => ['binary.bin'], () => [/^scs-doctor: INPUT_UNREADABLE binary\.bin: not a text log: \d+ of \d+ lines are binary/]],
    ['two lost inputs, two lines', () => ['missing.log', 'loop-a'], () => [/^scs-doctor: INPUT_NOT_FOUND missing\.log: /, /^scs-doctor: INPUT_UNREADABLE loop-a: /]],
  ];
  it.each(CASES)('%s', async (_name, args, reasons) => {
    const r = await diagnose(args());
    const want = reasons();
    expect({ ...r, stderr: r.stderr.map((l, i) => want[i]?.test(l) ?? l) }).toEqual({ code: 2, report: true, stderr: want.map(() => true), stackTrace: false });
  });
});

describe('bad bytes that can be read: the report, the status of the diagnoses, nothing on stderr', () => {
  const CASES: [string, string][] = [
    ['binary bytes between log lines', 'garbage.log'],
    ['a NUL byte', 'nul.log'],
    ['invalid UTF-8', 'invalid-utf8.log'],
    ['CRLF and lone CR', 'crlf-cr.log'],
    ['JSON cut short', 'truncated.jsonl'],
    ['an empty file', 'empty.log'],
    ['a line of 3 MiB', 'huge.log'],
  ];
  it.each(CASES)('%s', async (_name, file) => {
    expect(await diagnose([file])).toEqual({ code: 1, report: true, stderr: [], stackTrace: false });
  });

  it.each(LOG_FORMATS)('binary bytes with --log-format %s', async (format) => {
    expect(await diagnose(['garbage.log', 'nul.log', 'truncated.jsonl', '--log-format', format])).toEqual({ code: 1, report: true, stderr: [], stackTrace: false });
  });
});

describe('the report of a run that lost an input', () => {
  it('names the lost input in stats with its error, beside the inputs that were read', async () => {
    const r = await run(['diagnose', 'good.log', 'missing.log', 'loop-a', '--format', 'json', ...NOW], { cwd: dir });
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.stats.inputs.map((i) => [i.name, i.error?.code ?? null, i.linesRead])).toEqual([
      ['missing.log', 'INPUT_NOT_FOUND', 0],
      ['loop-a', 'INPUT_UNREADABLE', 0],
      ['good.log', null, 1],
    ]);
  });

  it('still holds the diagnoses of the inputs that were read', async () => {
    const r = await run(['diagnose', 'good.log', 'missing.log', '--format', 'json', ...NOW], { cwd: dir });
    expect(ReportSchema.parse(JSON.parse(r.stdout)).diagnoses.map((d) => d.ruleId)).toEqual(['shared-secret-invalid-token']);
  });
});

describe('as a process (an error event nobody listens to would end it)', () => {
  const main = pathToFileURL(path.resolve(import.meta.dirname, '../src/main.ts')).href;
  it('an unreadable input and a missing one: exit 2, a report on stdout, one line each on stderr', async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const script = `import { main } from '${main}'; process.exitCode = await main(process.argv.slice(1));`;
      const inputs = ['good.log', unreadable, 'missing.log'].map((f) => path.join(dir, f));
      const args = ['--conditions=@scs-doctor/source', '--import', 'tsx', '--input-type=module', '-e', script, 'diagnose', ...inputs, '--format', 'json', ...NOW];
      // From the repository, where `tsx` resolves.
      execFile(process.execPath, args, { cwd: path.resolve(import.meta.dirname, '../../..') }, (e, stdout, stderr) => resolve({ code: e ? Number(e.code) : 0, stdout, stderr }));
    });
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect([r.code, ReportSchema.safeParse(JSON.parse(r.stdout)).success, lines.map((l) => l.split(':')[1]!.trim().split(' ')[0])]).toEqual([2, true, ['INPUT_NOT_FOUND', 'INPUT_UNREADABLE']]);
  });
});
