import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger, Progress } from '@scs-doctor/core/internal';
import { diagnoseInputs, diagnoseLines, loadRulePack } from '../src/index.js';
import { rulesDir } from '@scs-doctor/rules';

const pack = await loadRulePack([rulesDir]);
const SECRET_LINE = '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] shared secret unavailable: InvalidToken';

/** A logger that keeps what it is given, as pino would write it. */
function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (fields: object, msg: string) => lines.push(JSON.stringify({ level, ...fields, msg }));
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('diagnoseLines', () => {
  it('diagnoses lines held in memory and accounts for each of them', () => {
    const report = diagnoseLines(pack, [SECRET_LINE, '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished', '']);
    expect([report.diagnoses.map((d) => d.ruleId), report.stats.linesRead, report.stats.inputs.map((i) => i.name)]).toEqual([['shared-secret-invalid-token'], 3, ['(lines)']]);
  });

  it('joins a traceback held as separate lines into one record, as the file reader does', () => {
    const report = diagnoseLines(pack, ['2026-05-12 09:00:02,905 ERROR [scs.sync.sender] sync failed', 'Traceback (most recent call last):', '  File "x.py", line 1, in f', 'botocore.errorfactory.NoSuchKey: An error occurred (NoSuchKey)'], {
      name: 'store',
    });
    expect([report.stats.records, report.stats.inputs[0]?.name]).toEqual([1, 'store']);
  });

  it('logs what it did at debug level without the record text', () => {
    const { logger, lines } = memoryLogger();
    diagnoseLines(pack, [SECRET_LINE], { logger });
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect([msgs, lines.some((l) => l.includes('InvalidToken'))]).toEqual([['input read', 'report built'], false]);
  });
});

describe('diagnoseInputs observed', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-doctor-observe-'));
  const file = path.join(dir, 'big.log');
  const line = '2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished\n';
  const count = 40_000; // about 2.4 MiB: the file is read in chunks of 1 MiB
  writeFileSync(file, line.repeat(count - 1) + SECRET_LINE + '\n');
  const size = line.length * (count - 1) + SECRET_LINE.length + 1;

  it('reports progress per input: growing bytes and lines, the file size as total, one final call', async () => {
    const seen: Progress[] = [];
    await diagnoseInputs(pack, { inputs: [file], onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    const growing = seen.every((p, i) => i === 0 || (p.bytes >= seen[i - 1]!.bytes && p.lines >= seen[i - 1]!.lines));
    expect([seen.length >= 3, growing, seen.filter((p) => p.done).length, last.bytes, last.lines, last.totalBytes, last.kind]).toEqual([true, true, 1, size, count, size, 'logs']);
  });

  it('logs each input read and the compiled pack, never a record', async () => {
    const { logger, lines } = memoryLogger();
    await loadRulePack([rulesDir], { logger });
    await diagnoseInputs(pack, { inputs: [file, path.join(dir, 'missing.log')], logger });
    const entries = lines.map((l) => JSON.parse(l) as { msg: string; input?: string; code?: string; lines?: number });
    expect([
      entries[0]?.msg,
      entries.find((e) => e.msg === 'input read')?.lines,
      entries.some((e) => e.msg === 'problem' && e.code === 'INPUT_NOT_FOUND'),
      entries.at(-1)?.msg,
      lines.some((l) => l.includes('InvalidToken') || l.includes('sync finished')),
    ]).toEqual(['rule pack compiled', count, true, 'report built', false]);
  });
});
