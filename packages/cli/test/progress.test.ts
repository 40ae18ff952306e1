import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressLine, progressText } from '../src/progress.js';
import { run } from './run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'scs-doctor-progress-'));
const file = path.join(dir, 'big.log');
writeFileSync(file, '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished\n'.repeat(3000));
const NOW = ['--now', '2026-05-12T12:00:00Z'];

describe('progress line', () => {
  it('is drawn on standard error when it is a terminal, and erased before the run ends', async () => {
    const r = await run(['diagnose', file, ...NOW], { stderrIsTTY: true });
    expect([r.code, r.stderr.includes('\r\x1b[2Kreading ') && r.stderr.includes('big.log  '), r.stderr.endsWith('\r\x1b[2K'), r.stdout.includes('\x1b[2K')]).toEqual([0, true, true, false]);
  });

  it('is silent when standard error is not a terminal', async () => {
    const r = await run(['diagnose', file, ...NOW], { stderrIsTTY: false });
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('is silent with --quiet', async () => {
    const r = await run(['diagnose', file, '--quiet', ...NOW], { stderrIsTTY: true });
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('shows bytes of the total, percent and lines', () => {
    expect(progressText({ input: 'a.log', kind: 'logs', bytes: 3 * 1024 * 1024, lines: 12345, totalBytes: 12 * 1024 * 1024, done: false })).toBe('reading a.log  3.0 MiB of 12.0 MiB (25%), 12,345 lines');
  });

  it('redraws at most ten times a second, but always the last call', () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    let t = 1000;
    const line = progressLine(out, () => t);
    const p = { input: 'x', kind: 'logs' as const, bytes: 1, lines: 1, totalBytes: undefined, done: false };
    line.onProgress(p);
    t += 50;
    line.onProgress(p);
    line.onProgress({ ...p, done: true });
    expect(chunks.length).toBe(2);
  });
});

describe('--verbose', () => {
  it('writes the library debug lines as pino JSON on standard error, never the record text', async () => {
    const r = await run(['diagnose', file, '--verbose', ...NOW]);
    const entries = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect([entries.map((e) => e.msg), entries.every((e) => e.level === 20), r.stderr.includes('sync finished')]).toEqual([['rule pack compiled', 'input read', 'report built'], true, false]);
  });
});
