/**
 * The command line's bounds: a closed pipe ends quietly, --jobs past the cores is capped with a
 * notice, standard input named twice is a usage error, the decompression cap is an option.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

const BIN = fileURLToPath(new URL('../bin/scs-doctor.js', import.meta.url));
const NOW = ['--now', '2026-05-12T12:00:00Z'];
const LINE = (i: number) => `2026-05-12 09:00:02,905 ERROR [scs.sync.sender] sync failed connection_id=c-${i} direction=sending: shared secret unavailable: InvalidToken`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-limits-'));
  writeFileSync(path.join(dir, 'many.log'), Array.from({ length: 20_000 }, (_, i) => LINE(i % 150)).join('\n') + '\n');
  writeFileSync(path.join(dir, 'a.log'), LINE(1) + '\n');
  writeFileSync(path.join(dir, 'b.log'), LINE(2) + '\n');
  writeFileSync(path.join(dir, 'big.log.gz'), gzipSync(Buffer.from((LINE(3) + '\n').repeat(20_000))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a closed pipe', () => {
  it('ends without a stack trace', async () => {
    const stderr = await new Promise<string>((resolve) => {
      execFile('sh', ['-c', `node "${BIN}" diagnose many.log --format json --now 2026-05-12T12:00:00Z | head -c 100 >/dev/null`], { cwd: dir }, (_e, _out, err) => resolve(err));
    });
    expect(stderr).toBe('');
  });
});

describe('--jobs', () => {
  it('past the cores it is capped, with a notice, and the run is complete', async () => {
    const r = await run(['diagnose', 'a.log', 'b.log', '--jobs', '256', '--format', 'json', ...NOW], { cwd: dir });
    expect([r.code, r.stderr.includes(`using ${availableParallelism()}`), JSON.parse(r.stdout).stats.linesRead]).toEqual([1, availableParallelism() < 256, 2]);
  });
});

describe('standard input', () => {
  it.each([
    ['twice as a log', ['diagnose', '-', '-']],
    ['as a log and as a history', ['diagnose', '-', '--events', '-']],
  ])('%s is a usage error', async (_name, args) => {
    const r = await run([...args, ...NOW], { cwd: dir });
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'scs-doctor: USAGE - (standard input) is given more than once; it can be read only once']);
  });
});

describe('--max-inflated-bytes', () => {
  it('cuts a gzip input with INPUT_TOO_LARGE (exit 2)', async () => {
    const r = await run(['diagnose', 'big.log.gz', '--max-inflated-bytes', '64K', '--format', 'json', ...NOW], { cwd: dir });
    expect([r.code, JSON.parse(r.stdout).stats.problems.map((p: { code: string }) => p.code)]).toEqual([2, ['INPUT_TOO_LARGE']]);
  });

  it.each([['0'], ['lots'], ['-5']])('refuses %s', async (v) => {
    const r = await run(['diagnose', 'a.log', `--max-inflated-bytes=${v}`, ...NOW], { cwd: dir });
    expect([r.code, r.stderr.includes('--max-inflated-bytes must be a size')]).toEqual([2, true]);
  });
});
