/**
 * The reader's fast path (src/fastscan.ts) changes no report: every log fixture, example and
 * generated benchmark corpus in the repository is diagnosed with it and without it (the full
 * per-line path), whole and in small chunks, and the reports must be equal.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosisSession } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, loadRulePack, readLogStream, setFastScan } from '../src/index.js';
// @ts-expect-error: a plain ES module of the benchmark, without types
import { logCorpus, otherCorpus } from '../../../bench/corpus.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const NOW = '2026-05-12T12:00:00Z';
const pack = await loadRulePack([rulesDir]);

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const packagesDir = path.join(ROOT, 'packages');
const FIXTURES = [
  ...readdirSync(packagesDir).flatMap((p) => {
    const d = path.join(packagesDir, p, 'test/fixtures');
    try {
      return statSync(d).isDirectory() ? filesUnder(d) : [];
    } catch {
      return [];
    }
  }),
  ...filesUnder(path.join(ROOT, 'examples')),
]
  // Rule files and code are not inputs; everything else is read as a log.
  .filter((f) => !/\.(?:ya?ml|ts|js|mjs|md)$/.test(f))
  .sort();

/** Generated corpora of every layout the benchmark uses, small enough for a test (about 2 MB each). */
const CORPORA: string[] = [logCorpus('text', 2_000_000, 11).file, logCorpus('text', 2_000_000, 12, 'dense').file, logCorpus('jsonl', 1_000_000, 13).file, logCorpus('docker', 1_000_000, 14).file, otherCorpus(2_000_000, 15).file];

async function both(run: () => Promise<unknown>): Promise<[unknown, unknown]> {
  setFastScan(true);
  const fast = await run();
  setFastScan(false);
  try {
    return [fast, await run()];
  } finally {
    setFastScan(true);
  }
}

async function whole(file: string): Promise<unknown> {
  try {
    const { report } = await diagnoseInputs(pack, { inputs: [file], now: NOW, evidenceLimit: 1000 });
    return report;
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The file in chunks of `size` bytes, so that lines and runs of fast lines are cut at every kind of place. */
async function chunked(file: string, size: number): Promise<unknown> {
  const bytes = readFileSync(file);
  const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  await readLogStream(chunks(), path.basename(file), session);
  return session.report();
}

afterAll(() => setFastScan(true));

describe('fast path against the full path', () => {
  it('finds the inputs', () => {
    expect(FIXTURES.length).toBeGreaterThan(20);
  });

  it.each(FIXTURES.map((f) => [path.relative(ROOT, f), f]))('%s: the same report', async (_name, file) => {
    const [fast, full] = await both(() => whole(file));
    expect(fast).toEqual(full);
    const [fastC, fullC] = await both(() => chunked(file, 61));
    expect(fastC).toEqual(fullC);
  });

  it.each(CORPORA.map((f) => [path.basename(f), f]))(
    'corpus %s: the same report, whole and in chunks',
    async (_name, file) => {
      const [fast, full] = await both(() => whole(file));
      expect(fast).toEqual(full);
      expect((fast as { stats: { lines: number } }).stats).toBeDefined();
      const [fastC, fullC] = await both(() => chunked(file, 65_537));
      expect(fastC).toEqual(fullC);
    },
    120_000,
  );
});
