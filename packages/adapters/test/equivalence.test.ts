/**
 * The same failures, written by every producer and runtime SCS logs pass through, give the same
 * diagnoses as the clean Python log: same rules, sides, counts, parameters, first/last seen,
 * connections, and each occurrence at the same time for the same connection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, loadRulePack } from '../src/index.js';
import { countsByRule, summaries, unbalanced } from './helpers/compare.js';
import { crlf, criFile, dockerJsonFile, gzip, pinoJson, plainText, pythonDashText, pythonJsonLogger, pythonText, structlogJson, writesOf } from './helpers/producers.js';
import { SCENARIO, streamOf } from './helpers/scenario.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
let dir: string;

async function diagnoseBytes(name: string, bytes: Buffer, logFormat?: 'auto' | 'cri' | 'docker' | 'json' | 'python'): Promise<Report> {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const { report, lost } = await diagnoseInputs(pack, { inputs: [file], now: NOW, evidenceLimit: 1000, logFormat });
  expect(lost).toBe(false);
  return report;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Every shape under test: a name, and the bytes the producer (and runtime) would have written. */
const VARIANTS: [string, () => Buffer][] = [
  ['python logging, dash layout', () => utf8(pythonDashText(SCENARIO))],
  ['python logging, CRLF line endings', () => utf8(crlf(pythonText(SCENARIO)))],
  ['python-json-logger', () => utf8(pythonJsonLogger(SCENARIO))],
  ['python-json-logger, CRLF line endings', () => utf8(crlf(pythonJsonLogger(SCENARIO)))],
  ['structlog JSONRenderer', () => utf8(structlogJson(SCENARIO))],
  ['pino', () => utf8(pinoJson(SCENARIO))],
  ['CRI file of python logging', () => criFile(writesOf(SCENARIO, pythonText, streamOf))],
  ['CRI file of python logging, stdout lines inside stderr records', () => criFile(writesOf(SCENARIO, pythonText, streamOf), { interleave: 'interleaved' })],
  ['CRI file of python-json-logger', () => criFile(writesOf(SCENARIO, pythonJsonLogger, streamOf))],
  ['CRI file of python-json-logger, interleaved streams', () => criFile(writesOf(SCENARIO, pythonJsonLogger, streamOf), { interleave: 'interleaved' })],
  ['CRI file of structlog, interleaved streams', () => criFile(writesOf(SCENARIO, structlogJson, streamOf), { interleave: 'interleaved' })],
  ['CRI file of pino', () => criFile(writesOf(SCENARIO, pinoJson, streamOf))],
  ['Docker json-file of python logging', () => dockerJsonFile(writesOf(SCENARIO, pythonText, streamOf))],
  ['Docker json-file of python logging, interleaved streams', () => dockerJsonFile(writesOf(SCENARIO, pythonText, streamOf), { interleave: 'interleaved' })],
  ['Docker json-file of python-json-logger', () => dockerJsonFile(writesOf(SCENARIO, pythonJsonLogger, streamOf))],
  ['Docker json-file of structlog, interleaved streams', () => dockerJsonFile(writesOf(SCENARIO, structlogJson, streamOf), { interleave: 'interleaved' })],
  ['Docker json-file of pino, interleaved streams', () => dockerJsonFile(writesOf(SCENARIO, pinoJson, streamOf), { interleave: 'interleaved' })],
  ['gzip of python logging', () => gzip(pythonText(SCENARIO))],
  ['gzip of a CRI file of python logging, interleaved streams', () => gzip(criFile(writesOf(SCENARIO, pythonText, streamOf), { interleave: 'interleaved' }))],
  ['gzip of a Docker json-file of python-json-logger', () => gzip(dockerJsonFile(writesOf(SCENARIO, pythonJsonLogger, streamOf)))],
];

let clean: Report;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-equiv-'));
  clean = await diagnoseBytes('clean.log', utf8(pythonText(SCENARIO)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the clean Python log', () => {
  it('counts each logged failure once, as the scenario declares', () => {
    const declared: Record<string, number> = {};
    for (const e of SCENARIO) if (e.expect) declared[e.expect] = (declared[e.expect] ?? 0) + 1;
    expect(countsByRule(clean)).toEqual(declared);
  });

  it('accounts for every line', () => {
    expect(unbalanced(clean)).toEqual([]);
  });
});

describe('the same failures in every format', () => {
  it.each(VARIANTS)('%s: same diagnoses as the clean log', async (name, bytes) => {
    const report = await diagnoseBytes(name.replace(/\W+/g, '-'), bytes());
    expect(summaries(report)).toEqual(summaries(clean));
  });

  it.each(VARIANTS)('%s: every line accounted for', async (name, bytes) => {
    const report = await diagnoseBytes(name.replace(/\W+/g, '-'), bytes());
    expect(unbalanced(report)).toEqual([]);
  });
});

describe('plain text (no time, level or logger on the lines)', () => {
  it('finds the same failures, with the same counts, sides and connections', async () => {
    const report = await diagnoseBytes('plain.log', utf8(plainText(SCENARIO)));
    const strip = (r: Report) => summaries(r).map((d) => [d.ruleId, d.count, d.side, d.connections, d.params]);
    expect(strip(report)).toEqual(strip(clean));
  });

  it('records carry no time: first and last seen stay unknown', async () => {
    const report = await diagnoseBytes('plain.log', utf8(plainText(SCENARIO)));
    expect(report.diagnoses.filter((d) => d.firstSeen !== undefined || d.lastSeen !== undefined)).toEqual([]);
  });
});

describe('--log-format forces the format the input is in', () => {
  const FORCED: [string, 'cri' | 'docker' | 'json' | 'python', () => Buffer][] = [
    ['python', 'python', () => utf8(pythonText(SCENARIO))],
    ['json', 'json', () => utf8(pythonJsonLogger(SCENARIO))],
    ['cri', 'cri', () => criFile(writesOf(SCENARIO, pythonText, streamOf), { interleave: 'interleaved' })],
    ['docker', 'docker', () => dockerJsonFile(writesOf(SCENARIO, structlogJson, streamOf))],
  ];
  it.each(FORCED)('--log-format %s gives the clean diagnoses', async (name, format, bytes) => {
    const report = await diagnoseBytes(`forced-${name}`, bytes(), format);
    expect(summaries(report)).toEqual(summaries(clean));
  });
});
