/**
 * Reports stay bounded on inputs with very many parts: a tar of 100,000 members (each an input of
 * its own) and logs with hundreds of thousands of distinct connection ids. The lists are cut with
 * counts of what was left out, and the totals still account for every line.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render, renderJson, type Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, diagnoseInputsParallel, loadRulePack } from '../src/index.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-13T00:00:00Z';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-bounded-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A gzip log of `n` lines, each a failure of its own connection (distinct ids). */
async function distinctIds(name: string, n: number): Promise<string> {
  const file = path.join(dir, name);
  async function* lines() {
    const batch: string[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(`2026-05-12 14:03:22,118 ERROR [scs.sync.sender] connection_id=${i.toString(16).padStart(8, '0')} shared secret unavailable: InvalidToken\n`);
      if (batch.length === 10_000) yield batch.splice(0).join('');
    }
    if (batch.length) yield batch.join('');
  }
  await pipeline(lines(), createGzip(), createWriteStream(file));
  return file;
}

const jsonLength = (r: Report) => renderJson(r).length;

describe('a tar of 100,000 members', () => {
  const MEMBERS = 100_000;
  let report: Report;

  beforeAll(async () => {
    // Made by Python's tarfile (a real producer): two lines a member, one of them a known failure in every 1,000th.
    const archive = path.join(dir, 'bundle.tar.gz');
    execFileSync('/usr/bin/python3', [
      '-c',
      `import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w:gz') as t:
    for i in range(int(sys.argv[2])):
        text = '2026-05-12 09:00:00,001 INFO [scs.config] pod %d started\\n' % i
        text += ('2026-05-12 14:03:22,118 ERROR [scs.sync.sender] connection_id=%08x shared secret unavailable: InvalidToken\\n' % i) if i % 1000 == 0 else '2026-05-12 09:00:01,001 INFO [scs.sync] idle\\n'
        data = text.encode()
        info = tarfile.TarInfo('pods/pod-%06d.log' % i)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))`,
      archive,
      String(MEMBERS),
    ]);
    report = (await diagnoseInputs(pack, { inputs: [archive], now: NOW })).report;
  }, 300_000);

  it('lists the first 1,000 members and counts the rest', () => {
    expect([report.stats.inputs.length, report.stats.inputsOmitted, report.stats.inputs[0]!.name.endsWith('pods/pod-000000.log')]).toEqual([1000, MEMBERS - 1000, true]);
  });

  it('the totals still count every line of every member', () => {
    const s = report.stats;
    expect([s.linesRead, s.linesMatched + s.linesUnmatched + s.linesSkipped, s.records, report.diagnoses.find((d) => d.ruleId === 'shared-secret-invalid-token')?.count]).toEqual([2 * MEMBERS, 2 * MEMBERS, 2 * MEMBERS, MEMBERS / 1000]);
  });

  it('the JSON report stays small (no entry per member past the limit)', () => {
    expect(jsonLength(report)).toBeLessThan(1_000_000);
  });

  it('the text report counts every input', () => {
    expect(render(report, 'text')).toContain('in 100,000 inputs (99,000 not listed');
  });
});

describe('logs with many distinct connection ids', () => {
  let small: Report;
  let large: Report;

  beforeAll(async () => {
    small = (await diagnoseInputs(pack, { inputs: [await distinctIds('50k.log.gz', 50_000)], now: NOW })).report;
    large = (await diagnoseInputs(pack, { inputs: [await distinctIds('250k.log.gz', 250_000)], now: NOW })).report;
  }, 300_000);

  it('names 200 connections per diagnosis and counts the occurrences on the others', () => {
    const d = large.diagnoses.find((x) => x.ruleId === 'shared-secret-invalid-token')!;
    expect([d.count, d.connections.length, d.connectionsOmitted, d.count - d.connections.length]).toEqual([250_000, 200, 250_000 - 200, d.connectionsOmitted]);
  });

  it('the JSON report does not grow with the number of distinct ids', () => {
    // Past the limits (200 a diagnosis, 20,000 connections) only counts grow: five times the ids, a few more digits.
    expect([large.stats.linesRead, large.connections.length, jsonLength(large) < jsonLength(small) * 1.01]).toEqual([250_000, 20_000, true]);
  });

  it('text, Markdown and HTML say how many more there are', () => {
    const more = '… and 249,800 more occurrences on other connections';
    expect([render(large, 'text').includes(more), render(large, 'markdown').includes(more), render(large, 'html').includes(more)]).toEqual([true, true, true]);
  });

  it('a run in two workers counts the same inputs and occurrences', async () => {
    const a = await distinctIds('a.log.gz', 1000);
    const b = await distinctIds('b.log.gz', 1000);
    const { report } = await diagnoseInputsParallel([rulesDir], { jobs: 2, pack, inputs: [a, b], now: NOW });
    const d = report.diagnoses.find((x) => x.ruleId === 'shared-secret-invalid-token')!;
    // The same 1,000 ids in both files: 200 listed, the other occurrences counted.
    expect([d.count, d.connections.length, d.connectionsOmitted >= 2000 - 2 * 200]).toEqual([2000, 200, true]);
  }, 120_000);
});
