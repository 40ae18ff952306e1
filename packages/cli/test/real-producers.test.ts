/**
 * Logs written by real producers (CPython logging with real cryptography and botocore exceptions,
 * structlog's console and JSON renderers, pino), read end to end through the CLI. The logs and
 * the scripts that wrote them are in packages/adapters/test/fixtures/producers (see gen.sh there).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ReportSchema, type Report } from '@scs-doctor/core/internal';
import { run } from './run.js';

const dir = fileURLToPath(new URL('../../adapters/test/fixtures/producers/', import.meta.url));
const NOW = ['--now', '2026-05-12T15:00:00Z'];

async function report(file: string, ...args: string[]): Promise<Report> {
  const r = await run(['diagnose', dir + file, '--format', 'json', ...NOW, ...args]);
  expect(r.stderr).toBe('');
  return ReportSchema.parse(JSON.parse(r.stdout));
}

function lines(file: string): string[] {
  return readFileSync(dir + file, 'utf8')
    .replace(/\n$/, '')
    .split('\n');
}

/** 1-based numbers of the lines of a file that contain `text`. */
function linesWith(file: string, text: string): number[] {
  return lines(file).flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
}

function counts(r: Report): Record<string, number> {
  return Object.fromEntries(r.diagnoses.map((d) => [d.ruleId, d.count]));
}

function accounted(r: Report, file: string): void {
  const s = r.stats;
  expect(s.linesRead).toBe(lines(file).length);
  expect(s.linesMatched + s.linesUnmatched + s.linesSkipped).toBe(s.linesRead);
}

describe('CPython logging with real exceptions', () => {
  const file = 'python-logging.log';

  it('InvalidToken with an empty str(), raised from, raised while handling, and as repr: each diagnosed once', async () => {
    const r = await report(file);
    accounted(r, file);
    const d = r.diagnoses.find((x) => x.ruleId === 'shared-secret-invalid-token')!;
    // logger.exception("… shared secret unavailable: %s", e) writes nothing after the colon.
    const empty = linesWith(file, 'shared secret unavailable: ').filter((n) => lines(file)[n - 1]!.endsWith('unavailable: '));
    const own = linesWith(file, 'SharedSecretUnavailable: shared secret unavailable');
    const repr = linesWith(file, 'shared secret unavailable: InvalidToken()');
    expect(empty).toHaveLength(1);
    expect(own).toHaveLength(2);
    expect(d.count).toBe(empty.length + own.length + repr.length);
    expect(d.evidence.map((e) => e.line ?? 0).sort((a, b) => a - b)).toEqual([...empty, ...own, ...repr].sort((a, b) => a - b));
  });

  it('NoSuchKey in the message, as the cause, and as repr; not when it was only handled before AccessDenied', async () => {
    const r = await report(file);
    const d = r.diagnoses.find((x) => x.ruleId === 'manifest-key-missing')!;
    const expected = [...linesWith(file, 'connection_id=7d2e0b44 properties read failed'), ...linesWith(file, 'PropertiesReadFailed: properties read failed')];
    expect(d.evidence.map((e) => e.line ?? 0).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(d.count).toBe(3);
    const denied = r.unmatched.find((u) => u.template.includes('AccessDenied'));
    expect(denied?.sample.line).toBe(linesWith(file, 'connection_id=0a0b0c0d')[0]);
    expect(r.diagnoses.some((x) => x.connections.some((c) => c.id === '0a0b0c0d'))).toBe(false);
  });

  it('evidence never points at a traceback frame or its source line', async () => {
    const r = await report(file);
    const text = lines(file);
    for (const d of r.diagnoses) for (const e of d.evidence) expect(text[(e.line ?? 0) - 1]).toMatch(/^\S/);
  });
});

describe('structlog: the console renderer and both JSON forms read alike', () => {
  it.each(['structlog-console.log', 'structlog-json.log', 'structlog-dict.log'])('%s', async (file) => {
    const r = await report(file);
    accounted(r, file);
    expect(counts(r)).toEqual({ 'shared-secret-invalid-token': 3, 'manifest-key-missing': 2 });
    const ids = (rule: string) =>
      r.diagnoses
        .find((d) => d.ruleId === rule)!
        .connections.map((c) => c.id)
        .sort();
    expect(ids('shared-secret-invalid-token')).toEqual(['4f1c9a2e', '9b07d1c3', 'aa11bb22']);
    expect(ids('manifest-key-missing')).toEqual(['5e6f7a8b', '7d2e0b44']);
    for (const d of r.diagnoses) for (const e of d.evidence) expect(e.time).toMatch(/^2026-05-12T14:00:0\dZ$|^2026-05-12T14:00:0\d\.000Z$/);
  });
});

describe('pino', () => {
  it("err with cause, in pino's default form and errWithCause's", async () => {
    const r = await report('pino.log');
    accounted(r, 'pino.log');
    const d = r.diagnoses.find((x) => x.ruleId === 'manifest-key-missing')!;
    expect(d.connections.map((c) => c.id).sort()).toEqual(['0a0b0c0d', '5e6f7a8b', '7d2e0b44']);
    expect(d.sharedIds).toEqual([]);
  });
});

describe('the unmatched list shows what is new', () => {
  const file = 'python-unmatched.log';

  it('one error over 40 connections is one template; four root causes under one message are four', async () => {
    const r = await report(file);
    accounted(r, file);
    const gateway = r.unmatched.filter((u) => u.template.includes('rejected by gateway'));
    expect(gateway).toHaveLength(1);
    expect(gateway[0]!.count).toBe(linesWith(file, 'rejected by gateway').length);
    expect(gateway[0]!.template).not.toMatch(/\b(?=[a-f]*\d)[0-9a-f]{6,}\b|@example|MiB|\/srv/);
    const roots = r.unmatched.filter((u) => u.template.startsWith('sync failed for connection_id=<id> ←'));
    expect(roots.map((u) => u.template.split(' ← ')[1]!.split(':')[0]).sort()).toEqual(['ConnectionRefusedError', 'KeyError', 'TimeoutError', 'json.decoder.JSONDecodeError']);
    expect(roots.reduce((n, u) => n + u.count, 0)).toBe(linesWith(file, 'sync failed for').length);
  });

  it('warnings are listed apart from errors', async () => {
    const r = await report(file);
    expect(r.unmatched.some((u) => u.level === 'warn')).toBe(false);
    expect(r.unmatchedWarnings.reduce((n, u) => n + u.count, 0)).toBe(linesWith(file, ' WARNING ').length);
  });

  it('--max-unmatched cuts the list and the report says what it left out; the text says how many more', async () => {
    const all = await report(file);
    const cut = await report(file, '--max-unmatched', '2');
    expect(cut.unmatched).toHaveLength(2);
    expect(cut.unmatched[0]!.template).toBe(all.unmatched[0]!.template);
    const left = all.unmatched.slice(2);
    expect(cut.unmatchedOmitted.templates).toBe(left.length);
    expect(cut.unmatchedOmitted.records).toBe(left.reduce((n, u) => n + u.count, 0));
    const text = await run(['diagnose', dir + file, ...NOW, '--max-unmatched', '2', '--no-color']);
    expect(text.stdout).toContain(`${left.length} more messages (${cut.unmatchedOmitted.records} records) not listed`);
    expect(text.stdout).toContain('Warnings no rule explains:');
    const bad = await run(['diagnose', dir + file, '--max-unmatched', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-unmatched must be a whole number');
  });
});
