/**
 * journald as support engineers paste it: the output of every `journalctl -o MODE`, captured from the
 * real systemd-journald (fixtures/producers/gen-journal.sh), reads the same report as `-o json`. The
 * journal holds a service's stdout (CPython logging under `systemd-cat`: one entry per line, a
 * traceback over many entries) and JournalHandler records (one entry each, MESSAGE holding a
 * chained traceback with blank lines).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, loadRulePack, readLogText } from '../src/index.js';
import { DiagnosisSession } from '@scs-doctor/core/internal';
import { unbalanced } from './helpers/compare.js';

const dir = fileURLToPath(new URL('./fixtures/producers/journald/', import.meta.url));
const pack = await loadRulePack([rulesDir]);

async function read(mode: string): Promise<Report> {
  const { report } = await diagnoseInputs(pack, { inputs: [dir + mode + '.log'], now: '2026-12-06T00:00:00Z', evidenceLimit: 100 });
  return report;
}

/** What every mode must agree on: rules, sides, counts, connections, the unmatched list. */
function essence(r: Report) {
  return {
    diagnoses: r.diagnoses.map((d) => ({ ruleId: d.ruleId, side: d.side, count: d.count, connections: d.connections.map((c) => c.id) })).sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1)),
    unmatched: r.unmatched.map((u) => `${u.count} ${u.template}`).sort(),
  };
}

const MODES = ['verbose', 'export', 'cat', 'short', 'short-full', 'with-unit', 'short-iso', 'short-iso-precise', 'short-precise', 'short-unix', 'short-monotonic', 'short-delta', 'json-seq', 'json-sse'];

describe('journalctl output modes', async () => {
  const json = await read('json');

  it('-o json: every InvalidToken and NoSuchKey record of both producers, each once', () => {
    const text = readFileSync(dir + 'json.log', 'utf8');
    const stdoutTracebacks = (text.match(/"MESSAGE":"Traceback \(most recent call last\):"/g) ?? []).length;
    expect(stdoutTracebacks).toBeGreaterThan(3);
    const counts = Object.fromEntries(json.diagnoses.map((d) => [d.ruleId, d.count]));
    // python_logging.py: 4 InvalidToken, 3 NoSuchKey; journal_handler.py: 2 InvalidToken.
    expect(counts).toEqual({ 'shared-secret-invalid-token': 6, 'manifest-key-missing': 3 });
    expect(unbalanced(json)).toEqual([]);
  });

  it.each(MODES)('-o %s reads the same report as -o json', async (mode) => {
    const r = await read(mode);
    expect(essence(r)).toEqual(essence(json));
    expect(unbalanced(r)).toEqual([]);
    expect(r.stats.linesRead).toBe(
      readFileSync(dir + mode + '.log', 'utf8')
        .replace(/\n$/, '')
        .split('\n').length,
    );
  });

  it('modes that print a date and a zone keep the times', async () => {
    const times = (r: Report) => r.diagnoses.flatMap((d) => d.evidence.map((e) => e.time?.slice(0, 19))).sort();
    const expected = times(json);
    expect(expected.every((t) => t !== undefined)).toBe(true);
    for (const mode of ['short-unix', 'short-iso-precise', 'json-seq', 'json-sse', 'verbose', 'export']) expect(times(await read(mode))).toEqual(expected);
  });

  it('-o export: JournalHandler entries, their MESSAGE a binary field holding a chained traceback, read as -o json reads them', () => {
    // Only the JournalHandler entries (python-systemd, one entry a record) of each capture. An entry
    // starts with __CURSOR; the blank lines of a chained traceback inside a binary MESSAGE end none.
    const exported = readFileSync(dir + 'export.log')
      .toString('latin1')
      .replace(/\n+$/, '')
      .split(/\n\n(?=__CURSOR=)/)
      .filter((e) => e.includes('\nSYSLOG_IDENTIFIER=scs-sync-jh\n'));
    const binary = exported.filter((e) => /\nMESSAGE\n[\s\S]{8}\[scs\.sync\.sender\][^\n]*\nTraceback/.test(e));
    expect(binary.length).toBe(2);
    const json = readFileSync(dir + 'json.log', 'utf8')
      .split('\n')
      .filter((l) => l.includes('"SYSLOG_IDENTIFIER":"scs-sync-jh"'));
    const diagnose = (text: Buffer) => {
      const session = new DiagnosisSession(pack, { now: '2026-12-06T00:00:00Z' });
      readLogText(text, 'x.log', session);
      const r = session.report();
      return { diagnoses: r.diagnoses.map((d) => [d.ruleId, d.count, d.connections.map((c) => c.id)]), unbalanced: unbalanced(r) };
    };
    const fromExport = diagnose(Buffer.from(exported.join('\n\n') + '\n\n', 'latin1'));
    expect(fromExport).toEqual(diagnose(Buffer.from(json.join('\n') + '\n')));
    expect(fromExport.diagnoses.map((d) => [d[0], d[1]])).toEqual([['shared-secret-invalid-token', 2]]);
  });
});
