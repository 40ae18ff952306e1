/**
 * Inputs: files, directories (recursive), globs expanded by scs-doctor, standard input, gzip by
 * its magic bytes, rotated files, encodings, and the reasons given for what cannot be read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, expandInputs, loadRulePack } from '../src/index.js';
import { countsByRule, summaries, unbalanced } from './helpers/compare.js';
import { criFile, gzip, pythonText, writesOf } from './helpers/producers.js';
import { SCENARIO, streamOf } from './helpers/scenario.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
let dir: string;
let whole: Report;

// The scenario cut in three by time, as logrotate leaves it: oldest in .2.gz, the live file last.
const OLDEST = SCENARIO.filter((e) => e.time < '2026-05-12T09:10:00Z');
const MIDDLE = SCENARIO.filter((e) => e.time >= '2026-05-12T09:10:00Z' && e.time < '2026-05-12T09:30:00Z');
const NEWEST = SCENARIO.filter((e) => e.time >= '2026-05-12T09:30:00Z');

const run = (inputs: string[], extra: { stdin?: NodeJS.ReadableStream } = {}) => diagnoseInputs(pack, { inputs, cwd: dir, now: NOW, evidenceLimit: 1000, ...extra });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-sources-'));
  const w = (name: string, data: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  };
  w('whole.log', pythonText(SCENARIO));
  w('rotated/scs.log.2.gz', gzip(pythonText(OLDEST)));
  w('rotated/scs.log.1.gz', gzip(pythonText(MIDDLE)));
  w('rotated/scs.log', pythonText(NEWEST));
  w('tree/a/scs.log', pythonText(OLDEST));
  w('tree/b/c/scs.log.gz', gzip(pythonText(MIDDLE)));
  w('tree/scs.log', pythonText(NEWEST));
  w('pods/scs-0/0.log', criFile(writesOf(OLDEST, pythonText, streamOf)));
  w('pods/scs-0/1.log.20260512-093000.gz', gzip(criFile(writesOf(MIDDLE, pythonText, streamOf))));
  w('gzip-without-suffix.log', gzip(pythonText(SCENARIO)));
  w('not-gzip.gz', pythonText(SCENARIO));
  w('powershell.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pythonText(SCENARIO).replace(/\n/g, '\r\n'), 'utf16le')]));
  w('damaged.log.gz', gzip(pythonText(SCENARIO) + 'x'.repeat(200_000)).subarray(0, 3000));
  w('scs.log.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x61, 0x00]));
  mkdirSync(path.join(dir, 'empty'));
  whole = (await run(['whole.log'])).report;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rotated files and a live file', () => {
  it('one quoted glob gives the diagnoses of the whole log', async () => {
    const { report, lost } = await run(['rotated/scs.log*']);
    expect([lost, summaries(report)]).toEqual([false, summaries(whole)]);
  });

  it('the glob reads each file once and counts the sum of their lines', async () => {
    const parts = await Promise.all(['rotated/scs.log.2.gz', 'rotated/scs.log.1.gz', 'rotated/scs.log'].map((f) => run([f])));
    const { report } = await run(['rotated/scs.log*']);
    expect([report.stats.inputs.map((i) => i.name), report.stats.linesRead]).toEqual([['rotated/scs.log', 'rotated/scs.log.1.gz', 'rotated/scs.log.2.gz'], parts.reduce((n, p) => n + p.report.stats.linesRead, 0)]);
  });

  it('counts per rule are the sum of the files', async () => {
    const parts = await Promise.all(['rotated/scs.log.2.gz', 'rotated/scs.log.1.gz', 'rotated/scs.log'].map((f) => run([f])));
    const sum: Record<string, number> = {};
    for (const p of parts) for (const [k, v] of Object.entries(countsByRule(p.report))) sum[k] = (sum[k] ?? 0) + v;
    expect(countsByRule((await run(['rotated/scs.log*'])).report)).toEqual(sum);
  });
});

describe('kinds of input', () => {
  const KINDS: [string, string[]][] = [
    ['a directory, read recursively (gzip inside too)', ['tree']],
    ['a recursive glob', ['tree/**/scs.log*']],
    ['a mix of a file, a glob and a gzip file', ['tree/scs.log', 'tree/a/*.log', 'tree/b/c/scs.log.gz']],
    ['the same file named twice, by a directory and a glob, is read once', ['tree', 'tree/**/*']],
    ['gzip recognised by its magic bytes, whatever the name', ['gzip-without-suffix.log']],
    ['a .gz name on a plain file is read as text', ['not-gzip.gz']],
    ['UTF-16 with a byte-order mark (PowerShell redirection) and CRLF', ['powershell.log']],
  ];
  it.each(KINDS)('%s', async (_name, inputs) => {
    const { report, lost } = await run(inputs);
    expect([lost, summaries(report), unbalanced(report)]).toEqual([false, summaries(whole), []]);
  });

  it('standard input, `-`', async () => {
    const { report } = await run(['-'], { stdin: Readable.from([Buffer.from(pythonText(SCENARIO))]) });
    expect([report.stats.inputs.map((i) => i.name), summaries(report)]).toEqual([['-'], summaries(whole)]);
  });

  it('standard input gzipped, mixed with a file', async () => {
    const { report } = await run(['-', 'tree/scs.log'], { stdin: Readable.from([gzip(pythonText([...OLDEST, ...MIDDLE]))]) });
    expect(summaries(report)).toEqual(summaries(whole));
  });

  it('Kubernetes pod log folder: the live CRI file and a rotated gzipped one', async () => {
    const { report } = await run(['pods/**/*.log*']);
    const cut = (await run(['tree/a/scs.log', 'tree/b/c/scs.log.gz'])).report;
    expect(summaries(report)).toEqual(summaries(cut));
  });
});

describe('what cannot be read is reported, the rest goes on', () => {
  const LOST: [string, string[], string[]][] = [
    ['a missing file', ['nope.log', 'whole.log'], ['INPUT_NOT_FOUND']],
    ['a glob matching nothing', ['rotated/*.txt', 'whole.log'], ['INPUT_NOT_FOUND']],
    ['an empty directory', ['empty', 'whole.log'], ['INPUT_NOT_FOUND']],
    ['a zstd file', ['scs.log.zst', 'whole.log'], ['INPUT_UNREADABLE']],
  ];
  it.each(LOST)('%s', async (_name, inputs, codes) => {
    const { report, lost } = await run(inputs);
    expect([lost, report.stats.problems.map((p) => p.code), summaries(report)]).toEqual([true, codes, summaries(whole)]);
  });

  it('a gzip file cut short: what was read before the damage is diagnosed, and it is reported', async () => {
    const { report, lost } = await run(['damaged.log.gz']);
    expect([lost, report.stats.problems.map((p) => p.code), report.stats.linesRead > 0, unbalanced(report)]).toEqual([true, ['INPUT_CORRUPT'], true, []]);
  });
});

describe('expandInputs', () => {
  it('lists a directory recursively, sorted, with names relative to the argument', async () => {
    const { inputs } = await expandInputs(['tree'], dir);
    expect(inputs.map((i) => i.name)).toEqual([path.join('tree', 'a', 'scs.log'), path.join('tree', 'b', 'c', 'scs.log.gz'), path.join('tree', 'scs.log')]);
  });
});
