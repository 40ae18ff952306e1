/**
 * `--jobs`: worker threads give the report of one sequential run, and reports of shards merge
 * into the report of the whole. The workers run the built module (dist/parallel.js), so this
 * test needs `npm run build` first, as the CLI tests do.
 */
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fg from 'fast-glob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeReports, type Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, diagnoseInputsParallel, loadRulePack } from '../src/index.js';
import { pathToFileURL } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const pack = await loadRulePack([rulesDir]);

/**
 * The report without the sample of each unmatched template: a run keeps the first sample it
 * reads, a merge the earliest by time, file and line, and the two differ when a later file holds
 * earlier times (everything else, counts and times of the templates included, is compared).
 */
function comparable(r: Report): Report {
  return { ...r, unmatched: r.unmatched.map(({ sample: _s, ...u }) => u as Report['unmatched'][number]) };
}
const NOW = '2026-05-12T12:00:00Z';
let dir: string;
let history: string;

/** A larger log: ordinary lines with the fixtures' failure lines every so often, times ascending. */
function generated(failures: readonly string[], lines: number, startHour: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = new Date(Date.UTC(2026, 4, 12, startHour, 0, 0) + i * 250).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    if (i % 97 === 13) out.push(`${t} ERROR [scs.sync] ${failures[i % failures.length]}`);
    else if (i % 401 === 7) out.push(`${t} ERROR [scs.registry] registry call failed: 503 Service Unavailable (attempt ${i % 5})`);
    else out.push(`${t} INFO [scs.sync.sender] sync started connection_id=c-${i % 13} direction=sending shared_id=acme-to-globex`);
  }
  return out.join('\n') + '\n';
}

beforeAll(async () => {
  expect(existsSync(path.join(root, 'packages/adapters/dist/parallel.js')), 'run npm run build first').toBe(true);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scs-doctor-jobs-'));
  await fs.mkdir(path.join(dir, 'logs'));
  // Every log fixture of the built-in rules, annotations blanked (line numbers kept).
  const fixtures = (await fg('**/*.test.log', { cwd: rulesDir })).sort();
  const failures: string[] = [];
  for (const f of fixtures) {
    const text = await fs.readFile(path.join(rulesDir, f), 'utf8');
    const blanked = text.split('\n').map((l) => (/^\s*#/.test(l) ? '' : l));
    for (const l of blanked) {
      const m = /^\S+ \S+ (?:ERROR|WARNING) \[[^\]]+\] (.*)$/.exec(l);
      if (m) failures.push(m[1]!);
    }
    await fs.writeFile(path.join(dir, 'logs', f.replace(/[\\/]/g, '__')), blanked.join('\n'));
  }
  for (const f of ['scs-sender.log', 'scs-receiver.jsonl']) await fs.copyFile(path.join(root, 'examples/logs', f), path.join(dir, 'logs', f));
  await fs.writeFile(path.join(dir, 'logs', 'sender-copy.log.gz'), gzipSync(await fs.readFile(path.join(root, 'examples/logs/scs-sender.log'))));
  await fs.writeFile(path.join(dir, 'logs', 'zz-big-1.log'), generated(failures, 30_000, 13));
  await fs.writeFile(path.join(dir, 'logs', 'zz-big-2.log'), generated(failures, 20_000, 16));
  history = path.join(root, 'examples/history/sync-events.json');
});

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('diagnoseInputsParallel', () => {
  it('gives the report of one sequential run with --jobs 2', async () => {
    const options = { inputs: [path.join(dir, 'logs')], events: [history], now: NOW };
    const one = await diagnoseInputs(pack, options);
    const two = await diagnoseInputsParallel([rulesDir], { ...options, jobs: 2, pack });
    expect(one.report.diagnoses.length).toBeGreaterThan(5);
    expect(two.lost).toBe(one.lost);
    expect(comparable(two.report)).toEqual(comparable(one.report));
  });

  it('keeps counts and stats sums with more workers than files, a missing input and no pack given', async () => {
    const options = { inputs: [path.join(dir, 'logs', 'zz-big-1.log'), path.join(dir, 'nope.log'), path.join(dir, 'logs', 'zz-big-2.log')], events: [history], now: NOW };
    const one = await diagnoseInputs(pack, options);
    const many = await diagnoseInputsParallel([rulesDir], { ...options, jobs: 8 });
    expect(many.lost).toBe(true);
    expect(one.lost).toBe(true);
    expect(many.report.diagnoses.map((d) => [d.key, d.count])).toEqual(one.report.diagnoses.map((d) => [d.key, d.count]));
    const { inputs: _a, ...sumsMany } = many.report.stats;
    const { inputs: _b, ...sumsOne } = one.report.stats;
    expect(sumsMany).toEqual(sumsOne);
    expect(comparable(many.report)).toEqual(comparable(one.report));
  });

  it('reads in this thread with jobs 1', async () => {
    const options = { inputs: [path.join(dir, 'logs')], now: NOW };
    expect((await diagnoseInputsParallel([rulesDir], { ...options, jobs: 1, pack })).report).toEqual((await diagnoseInputs(pack, options)).report);
  });
});

describe('host operators and facts with --jobs', () => {
  const hostDir = fileURLToPath(new URL('./fixtures/host/', import.meta.url));
  const hostRules = path.join(hostDir, 'rules');
  const hostModule = pathToFileURL(path.join(hostDir, 'conditions.mjs'));
  let logs: string[];
  // Per file: lines 3, 13, …, 243 say disk full (25); lines 3, 23, …, 243 of them name the outbox volume (13).
  const DISK = 4 * 25;
  const ON_OUTBOX = 4 * 13;
  beforeAll(async () => {
    // Four files; a "disk full" line every 10th line, about every other one on the outbox volume.
    logs = [];
    for (let f = 0; f < 4; f++) {
      const out: string[] = [];
      for (let i = 0; i < 250; i++) {
        const t = new Date(Date.UTC(2026, 4, 12, 9 + f, 0, 0) + i * 1000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
        if (i % 10 === 3) out.push(`${t} ERROR [scs.sync.sender] outbox write failed: disk full on ${i % 20 === 3 ? '/var/lib/scs/outbox' : '/tmp'}`);
        else out.push(`${t} INFO [scs.sync.sender] sync started connection_id=c-${i % 3} direction=sending shared_id=acme-to-globex`);
      }
      const file = path.join(dir, `host-${f}.log`);
      await fs.writeFile(file, out.join('\n') + '\n');
      logs.push(file);
    }
  });

  it('reach the worker threads through hostModule: jobs 2 counts what jobs 1 counts', async () => {
    const options = { inputs: logs, now: NOW };
    const one = await diagnoseInputsParallel([hostRules], { ...options, jobs: 1, compile: { hostModule } });
    const two = await diagnoseInputsParallel([hostRules], { ...options, jobs: 2, compile: { hostModule } });
    // The host operator and fact decide: the "disk full" lines on the outbox volume match.
    expect(one.report.diagnoses.map((d) => [d.ruleId, d.count])).toEqual([['outbox-volume-full', ON_OUTBOX]]);
    expect(comparable(two.report)).toEqual(comparable(one.report));
  });

  it('take the module as a path too, and its functions given in memory as well', async () => {
    const mod = (await import(hostModule.href)) as { operators: Record<string, () => boolean>; facts: Record<string, () => unknown> };
    const two = await diagnoseInputsParallel([hostRules], { inputs: logs, now: NOW, jobs: 2, compile: { hostModule: fileURLToPath(hostModule), operators: mod.operators } });
    expect(two.report.diagnoses.map((d) => d.count)).toEqual([ON_OUTBOX]);
  });

  it('refuses functions given in memory with jobs 2 and no module, naming them, before reading', async () => {
    const compile = { operators: { startsWith: (a: unknown, b: unknown) => typeof a === 'string' && a.startsWith(String(b)) }, facts: { volume: () => '/var/lib/scs' } };
    await expect(diagnoseInputsParallel([hostRules], { inputs: logs, now: NOW, jobs: 2, compile })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
      message: 'jobs > 1: host operator "startsWith" is a function, which cannot reach worker threads; export it from a module and pass hostModule (an absolute path or file: URL), or read with jobs 1',
    });
    // With jobs 1 the same functions apply (every disk line matches: the fact always names the volume).
    const one = await diagnoseInputsParallel([hostRules], { inputs: logs, now: NOW, jobs: 1, compile });
    expect(one.report.diagnoses.map((d) => d.count)).toEqual([DISK]);
  });

  it('refuses a function in memory that the module does not export under its name', async () => {
    const compile = { hostModule, facts: { other: () => 1 } };
    await expect(diagnoseInputsParallel([hostRules], { inputs: logs, now: NOW, jobs: 2, compile })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
      message: expect.stringContaining('host fact "other" is not the export of that name of hostModule file:'),
    });
  });

  it('refuses a relative module specifier and a module that cannot be imported', async () => {
    await expect(loadRulePack([hostRules], { hostModule: './conditions.mjs' })).rejects.toMatchObject({ code: 'OPTION_INVALID', message: expect.stringContaining('give an absolute path or a file: URL') });
    await expect(loadRulePack([hostRules], { hostModule: path.join(hostDir, 'missing.mjs') })).rejects.toMatchObject({ code: 'OPTION_INVALID', message: expect.stringContaining('cannot be imported') });
  });
});

describe('mergeReports over per-file reports', () => {
  it('equals the report of the whole', async () => {
    const files = (await fg('*', { cwd: path.join(dir, 'logs') })).sort().map((f) => path.join(dir, 'logs', f));
    const whole = await diagnoseInputs(pack, { inputs: files, now: NOW });
    const parts: Report[] = [];
    for (const f of files) parts.push((await diagnoseInputs(pack, { inputs: [f], now: NOW })).report);
    // As `scs-doctor merge` reads them: through JSON.
    const merged = mergeReports(parts.map((r) => JSON.parse(JSON.stringify(r)) as Report));
    expect(merged.diagnoses).toEqual(whole.report.diagnoses);
    expect(merged.stats).toEqual(whole.report.stats);
    expect(comparable(merged).unmatched).toEqual(comparable(whole.report).unmatched);
  });
});
