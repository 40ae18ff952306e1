/**
 * Inputs that are not text, judged by their first bytes (src/byte-verdict.ts). The encrypted and
 * compressed inputs were written by the real tools (fixtures/encrypted/gen.sh); the logs that must
 * stay text are the repository's own real-producer captures, rule fixtures and examples.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulesDir } from '@scs-doctor/rules';
import { judgeBytes, SAMPLE_BYTES } from '../src/byte-verdict.js';
import { diagnoseInputs, loadRulePack } from '../src/index.js';
import { countsByRule, unbalanced } from './helpers/compare.js';

const pack = await loadRulePack([rulesDir]);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENCRYPTED = path.join(HERE, 'fixtures', 'encrypted');
const ROOT = path.resolve(HERE, '..', '..', '..');
const PYTHON_LOG = path.join(HERE, 'fixtures', 'producers', 'python-logging.log');

function judgeFile(file: string) {
  const bytes = readFileSync(file);
  return judgeBytes(bytes.subarray(0, SAMPLE_BYTES), bytes.length <= SAMPLE_BYTES);
}

describe('encrypted and compressed inputs written by the real tools', () => {
  const CASES: [string, string, string, boolean][] = [
    ['scs.log.enc', 'INPUT_ENCRYPTED', 'encrypted with openssl enc', true],
    ['scs.log.enc.b64', 'INPUT_ENCRYPTED', 'encrypted with openssl enc (base64)', true],
    ['scs.log.gpg', 'INPUT_ENCRYPTED', 'an OpenPGP message (gpg)', true],
    ['scs.log.asc', 'INPUT_ENCRYPTED', 'an OpenPGP message (gpg --armor)', true],
    ['scs.log.fernet', 'INPUT_ENCRYPTED', 'Fernet tokens (encrypted with a Fernet key)', true],
    // No header: only the statistics of the bytes tell.
    ['scs.log.aesgcm', 'INPUT_ENCRYPTED', 'looks encrypted, compressed or random (entropy 7.99 bits/byte', false],
    ['scs.deflate.log', 'INPUT_ENCRYPTED', 'looks encrypted, compressed or random (entropy 7.9', false],
    ['random.bin', 'INPUT_ENCRYPTED', 'looks encrypted, compressed or random (entropy 7.99 bits/byte', false],
    ['scs.zst.log', 'INPUT_UNREADABLE', 'compressed with zstd', true],
    ['scs.xz.log', 'INPUT_UNREADABLE', 'compressed with xz', true],
    ['scs.bz2.log', 'INPUT_UNREADABLE', 'compressed with bzip2', true],
    ['scs.lz4.log', 'INPUT_UNREADABLE', 'compressed with lz4', true],
  ];
  it.each(CASES)('%s: %s, %s', (file, code, reason, known) => {
    const v = judgeFile(path.join(ENCRYPTED, file));
    expect({ code: v.code, reason: v.reason?.slice(0, reason.length), known: v.known }).toEqual({ code, reason, known });
  });
});

describe('text is text', () => {
  /** Files under `dir` (recursively) that are judged not to be text. */
  function flagged(dir: string, ext: RegExp): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (ext.test(f) && judgeFile(p).code !== undefined) out.push(path.relative(ROOT, p));
      }
    };
    walk(dir);
    return out;
  }

  it.each([
    ['the real-producer captures (CPython, structlog, pino, every journalctl mode, the binary export format too)', 'packages/adapters/test/fixtures/producers', /\.log$/],
    ['the rule fixtures', 'packages/rules/rules', /\.log$/],
    ['the examples (logs and histories)', 'examples', /\.(log|json|ndjson|jsonl)$/],
    ['the API responses', 'packages/adapters/test/fixtures/api-responses', /\.(json|ndjson)$/],
  ])('none of %s is flagged', (_name, dir, ext) => {
    expect(flagged(path.join(ROOT, dir), ext)).toEqual([]);
  });

  it.each([
    // A service that logs the tokens it could not decrypt: base64url in every line, among words.
    ['a log full of Fernet tokens', () => readFileSync(path.join(ENCRYPTED, 'fernet-tokens.log'))],
    [
      'base64 without an encryption header (a log of blobs)',
      () =>
        Buffer.from(
          randomBytes(30_000)
            .toString('base64')
            .replace(/(.{76})/g, '$1\n'),
        ),
    ],
    [
      'hex dumps',
      () =>
        Buffer.from(
          randomBytes(20_000)
            .toString('hex')
            .replace(/(.{64})/g, 'payload=$1\n'),
        ),
    ],
    ['UTF-8 text in other scripts', () => Buffer.from('2026-05-12 09:00:00,118 ERROR ошибка синхронизации: 共有シークレットが利用できません — σφάλμα ✓ 🔐\n'.repeat(400))],
    ['a random kilobyte is too little to judge by statistics', () => randomBytes(400)],
    ['NUL padding a crash left before the log goes on', () => Buffer.concat([Buffer.alloc(40_000), readFileSync(PYTHON_LOG)])],
  ])('%s', (_name, bytes) => {
    const b = bytes();
    expect(judgeBytes(b.subarray(0, SAMPLE_BYTES), b.length <= SAMPLE_BYTES).code).toBeUndefined();
  });
});

describe('beside a healthy log: reported with its code, its lines counted, the other input read', () => {
  // Known by their first bytes: not read as text (skipped whole). Judged by statistics alone: read
  // as text all the same (a log may hold a block of binary data), unreadable as nothing was found.
  const CASES: [string, string, string, 'skipped' | 'read'][] = [
    ['scs.log.enc', 'INPUT_ENCRYPTED', 'scs.log.enc: not a text log: encrypted with openssl enc; decrypt it first', 'skipped'],
    ['scs.log.gpg', 'INPUT_ENCRYPTED', 'scs.log.gpg: not a text log: an OpenPGP message (gpg); decrypt it first', 'skipped'],
    ['scs.log.fernet', 'INPUT_ENCRYPTED', 'scs.log.fernet: not a text log: Fernet tokens (encrypted with a Fernet key); decrypt it first', 'skipped'],
    ['scs.log.aesgcm', 'INPUT_ENCRYPTED', 'scs.log.aesgcm: not a text log: its bytes look encrypted, compressed or random (entropy 7.99 bits/byte', 'read'],
    ['random.bin', 'INPUT_ENCRYPTED', 'random.bin: not a text log: its bytes look encrypted, compressed or random (entropy 7.99 bits/byte', 'read'],
    ['scs.xz.log', 'INPUT_UNREADABLE', 'scs.xz.log: compressed with xz, which scs-doctor does not read; decompress it first', 'skipped'],
  ];
  it.each(CASES)('%s', async (file, code, message, lines) => {
    const r = await diagnoseInputs(pack, { inputs: [file, PYTHON_LOG], cwd: ENCRYPTED });
    const input = r.report.stats.inputs.find((i) => i.name === file)!;
    expect({
      lost: r.lost,
      problems: r.report.stats.problems.map((p) => [p.code, p.file, p.message.slice(0, message.length)]),
      read: input.linesRead > 0,
      lines: input.linesSkipped === input.linesRead ? 'skipped' : 'read',
      unbalanced: unbalanced(r.report),
      diagnosed: countsByRule(r.report)['shared-secret-invalid-token']! > 0,
    }).toEqual({ lost: true, problems: [[code, file, message]], read: true, lines, unbalanced: [], diagnosed: true });
  });

  it('the lines of a file not read are counted as it holds them (newlines, and a last line without one)', async () => {
    const bytes = readFileSync(path.join(ENCRYPTED, 'scs.log.enc'));
    let newlines = 0;
    for (const b of bytes) if (b === 10) newlines++;
    const r = await diagnoseInputs(pack, { inputs: ['scs.log.enc'], cwd: ENCRYPTED });
    const want = newlines + (bytes[bytes.length - 1] === 10 ? 0 : 1);
    expect([r.report.stats.inputs[0]!.linesRead, r.report.stats.inputs[0]!.skipped, r.report.stats.inputs[0]!.bytesRead]).toEqual([want, { encrypted: want }, bytes.length]);
  });

  it('gzip under any name is read, not judged by its compressed bytes', async () => {
    const r = await diagnoseInputs(pack, { inputs: ['scs.gz.log'], cwd: ENCRYPTED });
    expect([r.lost, r.report.stats.problems, r.report.stats.inputs[0]!.linesRead > 100]).toEqual([false, [], true]);
  });

  it('a log whose first block is random bytes: its text is still read, and nothing is reported when a failure is found', async () => {
    // Statistics alone never stop a file from being read: only a file in which nothing was found is unreadable.
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-verdict-'));
    try {
      writeFileSync(path.join(dir, 'mixed.log'), Buffer.concat([randomBytes(8192), Buffer.from('\n'), readFileSync(PYTHON_LOG)]));
      const r = await diagnoseInputs(pack, { inputs: ['mixed.log'], cwd: dir });
      expect([r.lost, r.report.stats.problems, countsByRule(r.report)['shared-secret-invalid-token']! > 0, unbalanced(r.report)]).toEqual([false, [], true, []]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a support bundle (tar) with an encrypted member: the member reported by its name, the others read', async () => {
    const { mkdtempSync, copyFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-verdict-'));
    try {
      copyFileSync(path.join(ENCRYPTED, 'scs.log.enc'), path.join(dir, 'scs.log.enc'));
      copyFileSync(PYTHON_LOG, path.join(dir, 'scs.log'));
      execFileSync('tar', ['-czf', 'bundle.tar.gz', 'scs.log.enc', 'scs.log'], { cwd: dir });
      const r = await diagnoseInputs(pack, { inputs: ['bundle.tar.gz'], cwd: dir });
      expect([r.lost, r.report.stats.problems.map((p) => `${p.file} ${p.code}`), countsByRule(r.report)['shared-secret-invalid-token']! > 0, unbalanced(r.report)]).toEqual([true, ['bundle.tar.gz:scs.log.enc INPUT_ENCRYPTED'], true, []]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['scs.log.enc', 'INPUT_ENCRYPTED'],
    ['scs.log.aesgcm', 'INPUT_ENCRYPTED'],
    ['scs.zst.log', 'INPUT_UNREADABLE'],
  ])('--events %s: %s, its lines counted', async (file, code) => {
    const r = await diagnoseInputs(pack, { events: [file], cwd: ENCRYPTED });
    expect([r.lost, r.report.stats.problems.map((p) => [p.code, p.message.split(':')[1]?.trim()]), unbalanced(r.report), r.report.stats.inputs[0]!.linesRead > 0]).toEqual([
      true,
      [[code, code === 'INPUT_ENCRYPTED' ? 'not a sync history' : 'compressed with zstd, which scs-doctor does not read; decompress it first']],
      [],
      true,
    ]);
  });
});

describe('properties', () => {
  it('valid UTF-8 text is never judged by its statistics, whatever its scripts', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), { minLength: 20, maxLength: 400 }), (lines) => {
        const bytes = Buffer.from(lines.join('\n'));
        const v = judgeBytes(bytes.subarray(0, SAMPLE_BYTES), bytes.length <= SAMPLE_BYTES);
        // A known header is a verdict of its own; otherwise text stays text.
        return v.known || v.code === undefined;
      }),
      { numRuns: 100 },
    );
  });

  it('uniformly random bytes, a few kilobytes or more, are never taken for text', () => {
    fc.assert(
      fc.property(fc.noBias(fc.uint8Array({ minLength: 2048, maxLength: 70_000 })), (bytes) => judgeBytes(bytes.subarray(0, SAMPLE_BYTES), bytes.length <= SAMPLE_BYTES).code !== undefined),
      { numRuns: 50 },
    );
  });
});
