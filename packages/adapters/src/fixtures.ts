/** Runs rule fixtures (`<id>.test.log`, `<id>.test.ndjson`) through the real readers and engine. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { DiagnosisSession, ProbeRecordSchema, runFixture, type FixtureReader, type FixtureResult, type LogRecord, type ProbeRecord, type RulePack, type SyncEventRecord } from '@scs-doctor/core/internal';
import { readEventsText } from './events.js';
import { readLogText } from './reader.js';

/** Reads fixture text as the CLI would read a file: logs, or sync history for `.ndjson`/`.json`. */
export const fixtureReader =
  (pack: RulePack): FixtureReader =>
  (text, file) => {
    const logs: LogRecord[] = [];
    const events: SyncEventRecord[] = [];
    // A recording session: the reader hands over candidates, the harness matches them itself.
    const recorder = new DiagnosisSession(pack);
    recorder.log = (r: LogRecord) => (logs.push(r), 0);
    recorder.event = (e: SyncEventRecord) => (events.push(e), 0);
    const probes: ProbeRecord[] = [];
    if (/\.(?:nd)?json$/.test(file)) {
      // NDJSON fixtures may hold probe outcomes (`"kind": "probe"`) beside sync events.
      const lines = text.split('\n').map((l, i) => {
        if (!/^\s*\{.*"kind"\s*:\s*"probe"/.test(l)) return l;
        const p = ProbeRecordSchema.safeParse(JSON.parse(l));
        if (p.success) probes.push({ ...p.data, source: { file, line: i + 1, endLine: i + 1 } });
        return '';
      });
      readEventsText(lines.join('\n'), file, recorder);
      return { logs, events, probes };
    }
    readLogText(text, file, recorder, { everyRecord: true });
    return { logs, events };
  };

export interface PackTestResult {
  results: FixtureResult[];
  /** Rules with no fixture, or without at least one `ruleid` and one `ok` case. */
  uncovered: { ruleId: string; file: string | undefined; missing: string }[];
  /** Fixtures whose rule id names no rule in the pack. */
  orphans: string[];
}

/**
 * Runs every fixture beside the rules of a pack.
 *
 * @example
 * ```ts
 * const result = await testRulePack(await loadRulePack(['my-rules/']), ['my-rules/']);
 * ```
 */
export async function testRulePack(pack: RulePack, dirs: readonly string[]): Promise<PackTestResult> {
  const fixtures: string[] = [];
  for (const dir of dirs) {
    const found = await fg('**/*.test.{log,ndjson,json}', { cwd: dir, onlyFiles: true, suppressErrors: true });
    for (const f of found.sort()) fixtures.push(path.join(dir, f));
  }
  const reader = fixtureReader(pack);
  const results: FixtureResult[] = [];
  for (const f of fixtures) results.push(await runFixture(pack, f, await fs.readFile(f, 'utf8'), reader));
  const ids = new Set(pack.rules.map((r) => r.rule.id));
  const match = new Set<string>();
  const noMatch = new Set<string>();
  for (const r of results) {
    r.covered.match.forEach((id) => match.add(id));
    r.covered.noMatch.forEach((id) => noMatch.add(id));
  }
  const uncovered: PackTestResult['uncovered'] = [];
  for (const r of pack.rules) {
    const id = r.rule.id;
    const missing = [!match.has(id) ? '`# ruleid:` case' : '', !noMatch.has(id) ? '`# ok:` case' : ''].filter(Boolean).join(' and ');
    if (missing) uncovered.push({ ruleId: id, file: r.file, missing });
  }
  const orphans = fixtures.filter((f) => !ids.has(path.basename(f).replace(/\.test\.(?:log|ndjson|json)$/, '')));
  return { results, uncovered, orphans };
}
