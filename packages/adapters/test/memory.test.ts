/**
 * Streaming: memory stays flat however large the input. Inputs are generated on the fly and fed
 * through the reader as a stream; the resident set may not grow by more than a bound that is a
 * small fraction of the input.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DiagnosisSession, type Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { loadRulePack, readEventsStream, readLogStream } from '../src/index.js';
import { unbalanced } from './helpers/compare.js';
import { bigLog } from './helpers/big.js';

const pack = await loadRulePack([rulesDir]);
const MB = 1e6;
const BOUND = 150 * MB;

/** Feeds the stream to `read`, sampling the resident set at every chunk; returns the peak growth. */
async function peakGrowth(source: AsyncIterable<Buffer>, read: (s: AsyncIterable<Buffer>) => Promise<void>): Promise<number> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  async function* watched() {
    for await (const chunk of source) {
      const rss = process.memoryUsage().rss;
      if (rss > peak) peak = rss;
      yield chunk;
    }
  }
  await read(watched());
  return peak - base;
}

async function readLogs(source: AsyncIterable<Buffer>): Promise<{ growth: number; report: Report }> {
  const session = new DiagnosisSession(pack, { now: '2026-05-12T12:00:00Z' });
  const growth = await peakGrowth(source, (s) => readLogStream(s, 'big.log', session));
  return { growth, report: session.report() };
}

/** `total` bytes made of one unit repeated, after a first line. */
async function* repeated(first: string, unit: string, total: number): AsyncGenerator<Buffer> {
  yield Buffer.from(first);
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length))));
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
}

const ERROR_LINE = '2026-05-12 14:00:00,001 ERROR [scs.sync.sender] sync failed: shared secret unavailable: InvalidToken\n';

describe('flat memory', () => {
  it('300 MB of CRI log with tracebacks and 16 KiB partials: bounded growth, every failure counted', async () => {
    const counter = { blocks: 0 };
    const { growth, report } = await readLogs(bigLog(300 * MB, counter));
    expect({ growthUnderBound: growth < BOUND, failures: report.diagnoses.map((d) => [d.ruleId, d.count]), unbalanced: unbalanced(report) }).toEqual({
      growthUnderBound: true,
      failures: [['shared-secret-invalid-token', counter.blocks]],
      unbalanced: [],
    });
  });

  it('a partial line that never ends (CRI P lines, 100 MB): bounded growth', async () => {
    const p = `2026-05-12T14:00:00.000000001Z stderr P ${'z'.repeat(16384)}\n`;
    const { growth, report } = await readLogs(repeated(ERROR_LINE, p, 100 * MB));
    expect([growth < BOUND, report.stats.records, unbalanced(report)]).toEqual([true, 2, []]);
  });

  it('one record that never ends (indented lines, 100 MB): bounded growth, cut into records of 5,000 lines', async () => {
    const { growth, report } = await readLogs(repeated(ERROR_LINE, `    continuation ${'q'.repeat(100)}\n`, 100 * MB));
    expect([growth < BOUND, report.stats.records === Math.ceil(report.stats.linesRead / 5000), unbalanced(report)]).toEqual([true, true, []]);
  });

  it('a line that never ends (100 MB without a newline): bounded growth, searched up to the cap', async () => {
    const { growth, report } = await readLogs(repeated(ERROR_LINE, 'x'.repeat(4096), 100 * MB));
    expect([growth < BOUND, report.stats.linesRead, report.diagnoses.length]).toEqual([true, 2, 1]);
  });

  it('a sync history of 100 MB (NDJSON): bounded growth, every event read', async () => {
    const event = JSON.stringify({ id: 'e', connectionId: 'c-1', direction: 'sending', status: 'failure', startedAt: '2026-05-12T09:00:02Z', message: 'shared secret unavailable: InvalidToken' }) + '\n';
    const source = repeated('', event, 100 * MB);
    const session = new DiagnosisSession(pack, { now: '2026-05-12T12:00:00Z' });
    let events = 0;
    const growth = await peakGrowth(source, async (s) => {
      events = (await readEventsStream(s, 'history.ndjson', session)).events;
    });
    const report = session.report();
    expect([growth < BOUND, report.diagnoses.find((d) => d.ruleId === 'shared-secret-invalid-token')?.count, unbalanced(report)]).toEqual([true, events, []]);
  });

  it('a sync history of 100 MB (one JSON array): bounded growth, every event read', async () => {
    const event = JSON.stringify({ id: 'e', connectionId: 'c-1', direction: 'sending', status: 'failure', startedAt: '2026-05-12T09:00:02Z', message: 'shared secret unavailable: InvalidToken' });
    async function* array(): AsyncGenerator<Buffer> {
      yield Buffer.from('[');
      yield* repeated(event, `,\n${event}`, 100 * MB);
      yield Buffer.from(']\n');
    }
    const session = new DiagnosisSession(pack, { now: '2026-05-12T12:00:00Z' });
    let events = 0;
    const growth = await peakGrowth(Readable.from(array()), async (s) => {
      events = (await readEventsStream(s, 'history.json', session)).events;
    });
    const report = session.report();
    expect([growth < BOUND, events > 500_000, report.diagnoses.find((d) => d.ruleId === 'shared-secret-invalid-token')?.count, unbalanced(report)]).toEqual([true, true, events, []]);
  });
});
