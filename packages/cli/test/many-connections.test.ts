/**
 * The unmatched list on a captured log of 40 connections with new errors, as CPython logging and
 * structlog (JSON) wrote it: packages/adapters/test/fixtures/producers/many_connections.py (see the
 * README there). One error on every connection is one template, ids templated away; an error under
 * `log.exception` over a real exception chain is templated with its root cause; warnings are listed
 * apart; `--max-unmatched` cuts the list and says what it left out; merging two halves' reports
 * lists the error that is the most frequent overall though neither half listed it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportSchema, type Report } from '@scs-doctor/core/internal';
import { run } from './run.js';

const dir = fileURLToPath(new URL('../../adapters/test/fixtures/producers/', import.meta.url));
const NOW = ['--now', '2026-05-12T15:00:00Z'];
const tmp = mkdtempSync(path.join(tmpdir(), 'scs-many-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function report(file: string, ...args: string[]): Promise<Report> {
  const r = await run(['diagnose', file, '--format', 'json', ...NOW, ...args]);
  expect(r.stderr).toBe('');
  return ReportSchema.parse(JSON.parse(r.stdout));
}

const lines = (file: string) => readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
/** Records (one a line: a traceback's lines follow its record's line) whose line holds `text`. */
const count = (file: string, text: string) => lines(file).filter((l) => l.includes(text)).length;

const NEW = { relay: 'refused by relay', spool: 'spool flush of', manifest: 'manifest step aborted' } as const;

describe.each([
  ['CPython logging', 'many-connections.log', ' WARNING '],
  ['structlog JSON', 'many-connections.jsonl', '"level": "warning"'],
])('%s, 40 connections', (_name, name, warning) => {
  const file = dir + name;

  it('one template per new error, ids templated away, every record counted', async () => {
    const r = await report(file);
    expect(r.stats.linesRead).toBe(lines(file).length);
    expect(r.stats.linesMatched + r.stats.linesUnmatched + r.stats.linesSkipped).toBe(r.stats.linesRead);
    expect(r.diagnoses).toEqual([]);
    const of = (text: string) => r.unmatched.filter((u) => u.template.includes(text));
    for (const text of Object.values(NEW)) expect(of(text)).toHaveLength(1);
    expect(r.unmatched).toHaveLength(3);
    expect(of(NEW.relay)[0]!.count).toBe(40);
    expect(of(NEW.relay)[0]!.count).toBe(count(file, NEW.relay));
    expect(of(NEW.spool)[0]!.count).toBe(count(file, NEW.spool));
    expect(of(NEW.manifest)[0]!.count).toBe(count(file, NEW.manifest));
    // The chained error's template names its root cause; no id, uuid, size, duration or path is left.
    expect(of(NEW.manifest)[0]!.template).toContain('← FileNotFoundError');
    for (const u of r.unmatched) expect(u.template).not.toMatch(/r-[0-9a-f]{6}|[0-9a-f]{8}-[0-9a-f]{4}|\d+ (?:MiB|KiB)|\d+ms|\d\.\d+s|\/nonexistent/);
    expect(r.unmatched.map((u) => u.count)).toEqual([40, 25, 25]);
  });

  it('warnings are listed apart from errors', async () => {
    const r = await report(file);
    expect(r.unmatched.every((u) => u.level === 'error')).toBe(true);
    expect(r.unmatchedWarnings).toHaveLength(1);
    expect(r.unmatchedWarnings[0]!.count).toBe(count(file, warning));
  });

  it('--max-unmatched 1: one template listed, the others counted, and the text says how many more', async () => {
    const cut = await report(file, '--max-unmatched', '1');
    expect(cut.unmatched.map((u) => [u.count, u.template.includes(NEW.relay)])).toEqual([[40, true]]);
    expect(cut.unmatchedOmitted.records).toBeGreaterThanOrEqual(50);
    const text = await run(['diagnose', file, ...NOW, '--max-unmatched', '1', '--no-color']);
    expect(text.stdout).toContain(`${cut.unmatchedOmitted.templates} more messages (${cut.unmatchedOmitted.records} records) not listed`);
  });

  it('merging the reports of two halves lists the error frequent overall that neither half listed', async () => {
    const all = lines(file);
    // The first half is the first 20 connections (with the spool error), the second the last 20 (with the chained error).
    const cutAt = all.findIndex((l) => l.includes(NEW.manifest)) - 1;
    expect(all[cutAt]).toContain(NEW.relay);
    const halves = [all.slice(0, cutAt), all.slice(cutAt)];
    const reports: string[] = [];
    for (const [i, half] of halves.entries()) {
      const part = path.join(tmp, `${i}-${name}`);
      writeFileSync(part, half.join('\n') + '\n');
      const r = await report(part, '--max-unmatched', '1');
      // Each half's most frequent error is its own: the error of all 40 connections is past the cap there.
      expect(r.unmatched.map((u) => [u.count, u.template.includes(NEW.relay)])).toEqual([[25, false]]);
      const out = path.join(tmp, `${i}-${name}.json`);
      writeFileSync(out, JSON.stringify(r));
      reports.push(out);
    }
    const merged = await run(['merge', ...reports, '--format', 'json', ...NOW]);
    expect(merged.stderr).toBe('');
    const m = ReportSchema.parse(JSON.parse(merged.stdout));
    expect(m.unmatched[0]!.template).toContain(NEW.relay);
    expect(m.unmatched[0]!.count).toBe(40);
  });
});
