/**
 * Tar archives (plain and gzipped) as support bundles arrive: each regular file in one is a log
 * input of its own, named `<archive>:<path>`. Archives are made with the system `tar` in each
 * format it writes (GNU long names, pax headers, the ustar prefix, v7), and in code for what
 * `tar` never writes (damaged headers, archives cut short, base-256 sizes, a 200 MB member).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, diagnoseInputsParallel, loadRulePack } from '../src/index.js';
import { countsByRule, unbalanced } from './helpers/compare.js';
import { gzip } from './helpers/producers.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
const MB = 1e6;
/** As in memory.test.ts: the reader's own working set, well under the member held whole. */
const BOUND = 150 * MB;

// Failure lines from the rule fixtures.
const INVALID_TOKEN = '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] sync failed connection_id=c-7f3a1e direction=sending: shared secret unavailable: InvalidToken';
const NO_SUCH_KEY = '2026-05-12 14:05:01,118 ERROR [scs.sync.receiver] connection 7d2e0b44 properties read failed: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.';
const NO_MANIFEST = '2026-05-12 14:00:01,118 ERROR [scs.sync.receiver] connection 7d2e0b44 connection failed (no manifest received)';
const BUCKET = '2026-05-12 09:15:03,442 ERROR [scs.sync.sender] connection 4f1c9a2e connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label outbox-primary';
const CONTROL_TAGS = '2026-05-12 14:00:01,118 ERROR [scs.sync.receiver] connection 7d2e0b44 manifest control tag(s) uncovered by any transformation predicate: CUI, EXPORT_CONTROLLED';
const INFO = '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished';

/** Over 100 bytes: a GNU long name, a pax `path`, or the ustar prefix. */
const LONG = `logs/${'a'.repeat(60)}/${'b'.repeat(60)}/scs.log`;
const UNICODE = 'logs/ünïcødé-pod/scs.log';

/** The bundle's log files, as plain text (a `.gz` one is gzipped when written). */
const FILES: Record<string, string> = {
  'logs/scs-7d9f/scs.log': [INFO, INVALID_TOKEN, INFO, '', INVALID_TOKEN, INFO].join('\n') + '\n',
  'logs/scs-7d9f/scs.log.1': [INFO, NO_SUCH_KEY].join('\n') + '\n',
  'logs/scs-7d9f/scs.log.2.gz': [INVALID_TOKEN, NO_MANIFEST].join('\n') + '\n',
  [LONG]: `${BUCKET}\n`,
  [UNICODE]: `${CONTROL_TAGS}\n${INFO}`,
};
/** A symbolic link to a log (not read again) adds nothing; nor does an empty directory. */
const COUNTS = { 'shared-secret-invalid-token': 3, 'manifest-key-missing': 1, 'no-manifest-received': 1, 'bucket-not-configured': 1, 'control-tags-uncovered': 1 };
const V7_FILES = ['logs/scs-7d9f/scs.log', 'logs/scs-7d9f/scs.log.1', 'logs/scs-7d9f/scs.log.2.gz'];

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

let dir: string;
const run = (inputs: string[], extra: { stdin?: NodeJS.ReadableStream; events?: string[] } = {}) => diagnoseInputs(pack, { inputs, cwd: dir, now: NOW, ...extra });
const tar = (...args: string[]) => execFileSync('tar', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

// --- archives made in code, for what `tar` never writes -------------------------------------

/** A ustar header; `base256` writes the size as GNU does past 8 GiB. */
function header(name: string, size: number, type = '0', base256 = false): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  if (base256) {
    h[124] = 0x80;
    h.writeUIntBE(size, 130, 6);
  } else h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('15030000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\x0000', 257, 'latin1');
  h.write('        ', 148, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}
const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
function member(name: string, data: string | Buffer, type = '0', base256 = false): Buffer {
  const bytes = Buffer.from(data);
  return Buffer.concat([header(name, bytes.length, type, base256), bytes, pad(bytes.length)]);
}
/** A pax record: `<length> <key>=<value>\n`, the length counting itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let n = Buffer.byteLength(body) + 1;
  while (String(n).length + Buffer.byteLength(body) !== n) n++;
  return `${n}${body}`;
}
const END = Buffer.alloc(1024);

const A_LOG = [INVALID_TOKEN, INFO, INVALID_TOKEN].join('\n') + '\n';
const B_LOG = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? NO_MANIFEST : INFO)).join('\n') + '\n';
const GOOD = Buffer.concat([member('logs/a.log', A_LOG), member('logs/b.log', B_LOG), END]);
/** b.log's header starts after a.log's header and its one block of data. */
const B_HEADER = 1024;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-tar-'));
  const w = (name: string, data: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  };
  for (const [name, text] of Object.entries(FILES)) w(`src/${name}`, name.endsWith('.gz') ? gzip(text) : text);
  mkdirSync(path.join(dir, 'src/logs/empty'));
  symlinkSync('scs-7d9f/scs.log', path.join(dir, 'src/logs/current.log'));

  tar('--format=gnu', '-cf', 'gnu.tar', '-C', 'src', 'logs');
  tar('--format=gnu', '-czf', 'bundle.tar.gz', '-C', 'src', '.');
  tar('--format=pax', '--pax-option=comment=support bundle', '-czf', 'pax.tgz', '-C', 'src', 'logs');
  tar('--format=ustar', '-cf', 'ustar.tar', '-C', 'src', 'logs');
  tar('--format=v7', '-cf', 'v7.tar', '-C', 'src', ...V7_FILES);
  // The archives hold what they are meant to test: an `L` record, pax `path` records, a pax global header.
  const gnu = readFileSync(path.join(dir, 'gnu.tar'));
  const pax = gunzipSync(readFileSync(path.join(dir, 'pax.tgz')));
  expect([gnu.includes('././@LongLink'), pax.includes(` path=${UNICODE}\n`), pax.includes(` path=${LONG}\n`), pax[156]]).toEqual([true, true, true, 0x67]);

  // A sparse log (a hole before its last line, as copytruncate leaves one), stored sparse.
  w('sparse/logs/scs.log', `${INFO}\n`);
  execFileSync('truncate', ['-s', '1M', path.join(dir, 'sparse/logs/scs.log')]);
  writeFileSync(path.join(dir, 'sparse/logs/scs.log'), `${INVALID_TOKEN}\n`, { flag: 'a' });
  w('sparse/logs/z.log', `${NO_MANIFEST}\n`);
  tar('--format=gnu', '--sparse', '-cf', 'sparse-gnu.tar', '-C', 'sparse', 'logs/scs.log', 'logs/z.log');
  tar('--format=pax', '--sparse', '--sparse-version=1.0', '-cf', 'sparse-pax.tar', '-C', 'sparse', 'logs/scs.log', 'logs/z.log');

  // An archive with members that cannot be read between two that can.
  w('mixed/logs/a.log', `${INVALID_TOKEN}\n`);
  w('mixed/logs/screenshot.png', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.from([0, 0, 0, 13, 73, 72, 68, 82, 10, 0, 1, 2, 0, 0, 0, 10, 0, 0])]));
  w('mixed/logs/scs.log.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x61, 0x00]));
  w('mixed/logs/cut.log.gz', gzip(Array.from({ length: 3000 }, (_, i) => `${INVALID_TOKEN.replace('c-7f3a1e', `c-${i}`)}\n`).join('')).subarray(0, 3000));
  writeFileSync(path.join(dir, 'mixed/logs/nested.tar.gz'), readFileSync(path.join(dir, 'bundle.tar.gz')));
  w('mixed/logs/z.log', `${INVALID_TOKEN}\n`);
  tar('-cf', 'mixed.tar', '-C', 'mixed', ...['a.log', 'screenshot.png', 'scs.log.zst', 'cut.log.gz', 'nested.tar.gz', 'z.log'].map((f) => `logs/${f}`));

  // Made in code: what pax and GNU write for sizes past 8 GiB (a pax `size`, base-256), a global header.
  const renamed = `${INVALID_TOKEN}\n${INFO}\n`;
  const records = paxRecord('path', 'logs/renamed by pax.log') + paxRecord('size', String(renamed.length));
  w(
    'made.tar',
    Buffer.concat([
      member('pax_global_header', paxRecord('comment', 'bundle'), 'g'),
      member('logs/PaxHeaders/x', records, 'x'),
      header('logs/ignored.log', 0),
      Buffer.from(renamed),
      pad(renamed.length),
      member('logs/base256.log', `${NO_MANIFEST}\n`, '0', true),
      END,
    ]),
  );
  const damaged = Buffer.from(GOOD);
  damaged[B_HEADER + 3] = damaged[B_HEADER + 3]! ^ 0x20; // a flipped bit in b.log's name
  w('damaged.tar', damaged);
  w('damaged.tar.gz', gzip(damaged));
  w('cut.tar', GOOD.subarray(0, B_HEADER + 512 + 700));
  w('unended.tar', GOOD.subarray(0, GOOD.length - END.length));
  w('dirs-only.tar', Buffer.concat([member('logs/', '', '5'), END]));
  w('history.json', JSON.stringify([{ id: 'e1', connectionId: 'c-1', status: 'failure', startedAt: '2026-05-12T09:00:02Z', message: 'x' }]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Inputs as `name lines` with their errors, sorted. */
const inputsOf = (report: Report) => report.stats.inputs.map((i) => `${i.name} ${i.linesRead}${i.error ? ` ${i.error.code}` : ''}`).sort();
const expected = (archive: string, names: string[]) => names.map((n) => `${archive}:${n} ${lineCount(FILES[n]!)}`).sort();

describe('a bundle is read member by member', () => {
  const FORMATS: [string, string, string[], Record<string, number>][] = [
    ['GNU tar, long names (`L`)', 'gnu.tar', Object.keys(FILES), COUNTS],
    ['GNU tar gzipped, names starting `./`', 'bundle.tar.gz', Object.keys(FILES), COUNTS],
    ['pax gzipped: `path` records (a long and a non-ASCII name), a global header', 'pax.tgz', Object.keys(FILES), COUNTS],
    ['ustar, a long name split into prefix and name', 'ustar.tar', Object.keys(FILES), COUNTS],
    ['v7 (no magic; told by its checksum)', 'v7.tar', V7_FILES, { 'shared-secret-invalid-token': 3, 'manifest-key-missing': 1, 'no-manifest-received': 1 }],
  ];
  it.each(FORMATS)('%s: one input per file, every line counted, the diagnoses of the files', async (_name, archive, names, counts) => {
    const { report, lost } = await run([archive]);
    expect({ lost, inputs: inputsOf(report), counts: countsByRule(report), unbalanced: unbalanced(report), problems: report.stats.problems }).toEqual({
      lost: false,
      inputs: expected(archive, names),
      counts,
      unbalanced: [],
      problems: [],
    });
  });

  it('evidence names the archive, the member and the line', async () => {
    const { report } = await run(['bundle.tar.gz']);
    const evidence = report.diagnoses
      .find((d) => d.ruleId === 'shared-secret-invalid-token')!
      .evidence.map((e) => `${e.file}:${e.line}`)
      .sort();
    expect(evidence).toEqual(['bundle.tar.gz:logs/scs-7d9f/scs.log.2.gz:1', 'bundle.tar.gz:logs/scs-7d9f/scs.log:2', 'bundle.tar.gz:logs/scs-7d9f/scs.log:5']);
  });

  it('a blank line in a member is skipped and counted', async () => {
    const { report } = await run(['gnu.tar']);
    expect(report.stats.inputs.find((i) => i.name === 'gnu.tar:logs/scs-7d9f/scs.log')?.skipped).toEqual({ blank: 1 });
  });

  it('standard input may be an archive', async () => {
    const { report, lost } = await run(['-'], { stdin: Readable.from([readFileSync(path.join(dir, 'pax.tgz'))]) });
    expect([lost, inputsOf(report), countsByRule(report)]).toEqual([false, expected('-', Object.keys(FILES)), COUNTS]);
  });

  it('an archive found in a directory is read as one', async () => {
    mkdirSync(path.join(dir, 'tree'), { recursive: true });
    writeFileSync(path.join(dir, 'tree/bundle.tgz'), readFileSync(path.join(dir, 'bundle.tar.gz')));
    const { report } = await run(['tree']);
    expect([inputsOf(report), countsByRule(report)]).toEqual([expected(path.join('tree', 'bundle.tgz'), Object.keys(FILES)), COUNTS]);
  });

  it('pax `size` and GNU base-256 sizes, a global header passed over', async () => {
    const { report, lost } = await run(['made.tar']);
    expect([lost, inputsOf(report), countsByRule(report)]).toEqual([false, ['made.tar:logs/base256.log 1', 'made.tar:logs/renamed by pax.log 2'], { 'shared-secret-invalid-token': 1, 'no-manifest-received': 1 }]);
  });

  it.each([
    ['GNU', 'sparse-gnu.tar'],
    ['pax 1.0', 'sparse-pax.tar'],
  ])('a sparse file (%s): its stored text is read, the archive goes on after it', async (_name, archive) => {
    const { report, lost } = await run([archive]);
    const bytes = readFileSync(path.join(dir, archive));
    expect([bytes.length < 200_000, lost, inputsOf(report), countsByRule(report)]).toEqual([true, false, [`${archive}:logs/scs.log 2`, `${archive}:logs/z.log 1`], { 'shared-secret-invalid-token': 1, 'no-manifest-received': 1 }]);
  });

  it('gives the report of one sequential run with --jobs 2', async () => {
    const options = { inputs: [path.join(dir, 'gnu.tar'), path.join(dir, 'mixed.tar'), path.join(dir, 'src'), path.join(dir, 'cut.tar')], now: NOW };
    const one = await diagnoseInputs(pack, options);
    const two = await diagnoseInputsParallel([rulesDir], { ...options, jobs: 2, pack });
    expect([two.lost, one.lost, one.report.stats.inputs.filter((i) => i.name.startsWith(`${path.join(dir, 'gnu.tar')}:logs/`)).length]).toEqual([true, true, 5]);
    expect(two.report).toEqual(one.report);
  });
});

describe('members that cannot be read are reported; the others are read', () => {
  it('an image, a zstd file, a damaged gzip file and an archive inside the archive', async () => {
    const { report, lost } = await run(['mixed.tar']);
    expect({
      lost,
      problems: report.stats.problems.map((p) => `${p.file} ${p.code}`),
      invalidToken: countsByRule(report)['shared-secret-invalid-token'],
      archiveEntry: report.stats.inputs.some((i) => i.name === 'mixed.tar'),
      unbalanced: unbalanced(report),
    }).toEqual({
      lost: true,
      problems: ['mixed.tar:logs/screenshot.png INPUT_UNREADABLE', 'mixed.tar:logs/scs.log.zst INPUT_UNREADABLE', 'mixed.tar:logs/cut.log.gz INPUT_CORRUPT', 'mixed.tar:logs/nested.tar.gz INPUT_UNREADABLE'],
      // a.log, z.log, and the lines of cut.log.gz before the damage.
      invalidToken: expect.any(Number),
      archiveEntry: false,
      unbalanced: [],
    });
    expect(countsByRule(report)['shared-secret-invalid-token']).toBeGreaterThan(2);
    const messages = report.stats.problems.map((p) => p.message);
    expect(messages).toEqual([
      expect.stringMatching(/^mixed\.tar:logs\/screenshot\.png: not a text log: \d+ of \d+ lines are binary/),
      'mixed.tar:logs/scs.log.zst: compressed with zstd, which scs-doctor does not read; decompress it first',
      expect.stringMatching(/^mixed\.tar:logs\/cut\.log\.gz: gzip data is damaged or cut short/),
      'mixed.tar:logs/nested.tar.gz: a tar archive inside the archive, which scs-doctor does not read; extract it first',
    ]);
  });

  it('an archive is not a sync history: --events refuses it with a reason', async () => {
    const { report, lost } = await run([], { events: ['bundle.tar.gz'] });
    expect([lost, report.stats.problems.map((p) => `${p.code} ${p.message}`)]).toEqual([true, [expect.stringMatching(/^INPUT_UNREADABLE bundle\.tar\.gz: a tar archive; only logs are read from archives/)]]);
  });
});

describe('a damaged or cut archive: what was read is kept, the archive is reported', () => {
  const CASES: [string, string, string, string[]][] = [
    ['a damaged header', 'damaged.tar', `damaged.tar: damaged tar header at byte ${B_HEADER}`, ['damaged.tar:logs/a.log 3']],
    ['a damaged header, gzipped', 'damaged.tar.gz', `damaged.tar.gz: damaged tar header at byte ${B_HEADER}`, ['damaged.tar.gz:logs/a.log 3']],
    // b.log's first 700 bytes: its lines up to the cut, the last one partly.
    ['cut short inside a member', 'cut.tar', `cut.tar: the tar archive is cut short at byte ${B_HEADER + 512 + 700} (in logs/b.log)`, ['cut.tar:logs/a.log 3', `cut.tar:logs/b.log ${lineCount(B_LOG.slice(0, 700))}`]],
    [
      'cut short after a member (no end-of-archive block)',
      'unended.tar',
      `unended.tar: the tar archive is cut short at byte ${GOOD.length - END.length} (no end-of-archive block)`,
      ['unended.tar:logs/a.log 3', `unended.tar:logs/b.log ${lineCount(B_LOG)}`],
    ],
  ];
  it.each(CASES)('%s', async (_name, archive, message, members) => {
    const { report, lost } = await run([archive]);
    expect({
      lost,
      problems: report.stats.problems.map((p) => `${p.code} ${p.message}`),
      inputs: inputsOf(report),
      invalidToken: countsByRule(report)['shared-secret-invalid-token'],
      unbalanced: unbalanced(report),
    }).toEqual({ lost: true, problems: [`INPUT_CORRUPT ${message}`], inputs: [`${archive} 0 INPUT_CORRUPT`, ...members].sort(), invalidToken: 2, unbalanced: [] });
  });

  it('an archive without a file is reported', async () => {
    const { report, lost } = await run(['dirs-only.tar']);
    expect([lost, report.stats.problems.map((p) => `${p.code} ${p.message}`)]).toEqual([true, ['INPUT_NOT_FOUND dirs-only.tar: the tar archive holds no files']]);
  });
});

describe('flat memory', () => {
  it('a member of 200 MB: bounded growth, every line and failure counted', async () => {
    const unit = `${INFO}\n`.repeat(99) + `${INVALID_TOKEN}\n`;
    const chunk = Buffer.from(unit.repeat(Math.floor((1 << 20) / unit.length)));
    const chunks = Math.ceil((200 * MB) / chunk.length);
    const size = chunk.length * chunks;
    const linesPerChunk = lineCount(chunk.toString('latin1'));
    async function* archive(): AsyncGenerator<Buffer> {
      yield header('logs/big.log', size);
      for (let i = 0; i < chunks; i++) yield chunk;
      yield pad(size);
      yield member('logs/after.log', `${NO_MANIFEST}\n`);
      yield END;
    }
    globalThis.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    async function* watched(): AsyncGenerator<Buffer> {
      for await (const c of archive()) {
        peak = Math.max(peak, process.memoryUsage().rss);
        yield c;
      }
    }
    const { report, lost } = await run(['-'], { stdin: Readable.from(watched()) });
    expect({ growthUnderBound: peak - base < BOUND, lost, inputs: inputsOf(report), counts: countsByRule(report), unbalanced: unbalanced(report) }).toEqual({
      growthUnderBound: true,
      lost: false,
      inputs: ['-:logs/after.log 1', `-:logs/big.log ${linesPerChunk * chunks}`],
      counts: { 'shared-secret-invalid-token': (linesPerChunk / 100) * chunks, 'no-manifest-received': 1 },
      unbalanced: [],
    });
  });
});
