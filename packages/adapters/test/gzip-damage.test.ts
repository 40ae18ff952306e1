/**
 * Gzip damage and size: everything decoded before damage is read (trailing garbage after the
 * stream, as `gunzip` and GNU tar recover it), a decompression cap stops a bomb with a problem,
 * and an input that is all NUL or all binary is reported however few lines it has. Archives are
 * made with the system `tar` and `gzip`; the garbage and the bombs in code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, loadRulePack } from '../src/index.js';
import { gunzipStream } from '../src/gunzip.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
const INFO = '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished';
const INVALID_TOKEN = '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] sync failed connection_id=c-7f3a1e direction=sending: shared secret unavailable: InvalidToken';
/** Many lines, then the failure last: the line a lost final chunk takes with it. */
const LOG = Array.from({ length: 200_000 }, () => INFO).join('\n') + '\n' + INVALID_TOKEN + '\n';
let dir: string;

const run = (inputs: string[], extra: { maxInflatedBytes?: number } = {}) => diagnoseInputs(pack, { inputs, cwd: dir, now: NOW, ...extra });
const w = (name: string, data: string | Buffer) => {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), data);
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-gzip-'));
  w('garbage.log.gz', Buffer.concat([gzipSync(LOG), Buffer.from('garbage!')]));
  w('two-members.log.gz', Buffer.concat([gzipSync(LOG), gzipSync(INFO + '\n'), Buffer.alloc(512)]));
  w(
    'bad-crc.log.gz',
    (() => {
      const g = Buffer.from(gzipSync(LOG));
      g.writeUInt32LE((g.readUInt32LE(g.length - 8) ^ 1) >>> 0, g.length - 8);
      return g;
    })(),
  );
  w('bundle/logs/a.log', LOG);
  w('bundle/logs/b.log', INVALID_TOKEN + '\n');
  execFileSync('tar', ['-czf', path.join(dir, 'bundle.tar.gz'), '-C', path.join(dir, 'bundle'), 'logs']);
  w('garbage.tar.gz', Buffer.concat([readFileSync(path.join(dir, 'bundle.tar.gz')), Buffer.from('GARBAGE-AFTER-THE-STREAM')]));
  w('bomb.gz', gzipSync(Buffer.alloc(8 << 20, 'a')));
  w('nul.log', Buffer.alloc(4096));
  w('nul.log.gz', gzipSync(Buffer.alloc(1 << 20)));
  // Python's tarfile writes names as given (GNU tar strips `..`): the crafted archive an attacker sends.
  execFileSync('python3', [
    '-c',
    `
import io, tarfile, sys
with tarfile.open(sys.argv[1], 'w') as t:
    for name, data in [('logs/ok.log', b'${INFO}\\n'), ('../../etc/evil.log', b'${INFO}\\n'), ('/abs/evil.log', b'x\\n')]:
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
`,
    path.join(dir, 'climb.tar'),
  ]);
  w('binary.bin', Buffer.from([0x01, 0x02, 0x03, 0x00, 0x7f, 0x10, 0x11]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trailing garbage after a gzip stream', () => {
  it('a .gz keeps its last line (the failure) and the damage is a problem', async () => {
    const { report, lost } = await run(['garbage.log.gz']);
    expect([lost, report.stats.linesRead, report.diagnoses.map((d) => d.ruleId), report.stats.problems.map((p) => p.code)]).toEqual([true, 200_001, ['shared-secret-invalid-token'], ['INPUT_CORRUPT']]);
  });

  it('the problem says it is trailing garbage', async () => {
    const { report } = await run(['garbage.log.gz']);
    expect(report.stats.problems[0]?.message).toMatch(/trailing garbage/);
  });

  it('a .tar.gz keeps every member, and its damage is reported', async () => {
    const { report } = await run(['garbage.tar.gz']);
    expect([report.stats.inputs.map((i) => [i.name, i.linesRead]).sort(), report.stats.problems.map((p) => [p.code, p.file, /trailing garbage/.test(p.message)])]).toEqual([
      [
        // the archive's own entry carries the damage
        ['garbage.tar.gz', 0],
        ['garbage.tar.gz:logs/a.log', 200_001],
        ['garbage.tar.gz:logs/b.log', 1],
      ],
      [['INPUT_CORRUPT', 'garbage.tar.gz', true]],
    ]);
  });

  it('concatenated members and zero padding read whole, no problem', async () => {
    const { report, lost } = await run(['two-members.log.gz']);
    expect([lost, report.stats.linesRead, report.stats.problems]).toEqual([false, 200_002, []]);
  });

  it('a bad checksum is reported after the data', async () => {
    const { report, lost } = await run(['bad-crc.log.gz']);
    expect([lost, report.stats.linesRead, report.stats.problems.map((p) => p.message)]).toEqual([true, 200_001, [expect.stringMatching(/checksum/)]]);
  });
});

describe('decompression cap', () => {
  it('an input decompressing past maxInflatedBytes stops there with INPUT_TOO_LARGE', async () => {
    const { report, lost } = await run(['bomb.gz'], { maxInflatedBytes: 1 << 20 });
    expect([lost, report.stats.problems.map((p) => p.code), report.stats.inputs[0]?.bytesRead]).toEqual([true, ['INPUT_TOO_LARGE'], 1 << 20]);
  });

  it('under the cap it reads whole', async () => {
    const { report } = await run(['bomb.gz'], { maxInflatedBytes: 16 << 20 });
    expect(report.stats.problems).toEqual([]);
  });

  it('the stream yields exactly the cap and throws', async () => {
    const got: number[] = [];
    async function* src() {
      yield gzipSync(Buffer.alloc(300_000, 'x'));
    }
    await expect(
      (async () => {
        for await (const b of gunzipStream(src(), 'x.gz', 100_000)) got.push(b.length);
      })(),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(got.reduce((a, b) => a + b, 0)).toBe(100_000);
  });
});

describe('inputs that are all NUL or all binary', () => {
  it.each([['nul.log'], ['nul.log.gz'], ['binary.bin']])('%s is reported as not a text log', async (name) => {
    const { report, lost } = await run([name]);
    expect([lost, report.stats.problems.map((p) => p.code)]).toEqual([true, ['INPUT_UNREADABLE']]);
  });
});

describe('a tar member whose path leaves the archive', () => {
  it('is a reported problem, not passed over silently; the other members are read', async () => {
    const { report, lost } = await run(['climb.tar']);
    expect([lost, report.stats.linesRead, report.stats.problems.map((p) => [p.code, p.file])]).toEqual([
      true,
      1,
      [
        ['INPUT_UNREADABLE', 'climb.tar:../../etc/evil.log'],
        ['INPUT_UNREADABLE', 'climb.tar:/abs/evil.log'],
      ],
    ]);
  });
});
