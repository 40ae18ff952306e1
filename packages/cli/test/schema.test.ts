import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

const root = path.resolve(import.meta.dirname, '../../..');
const examples = path.join(root, 'examples');
const shipped = readFileSync(path.join(root, 'packages/core/schema/report.schema.json'), 'utf8');

describe('scs-doctor schema', () => {
  it('`schema report` prints the JSON Schema shipped in @scs-doctor/core', async () => {
    const r = await run(['schema', 'report']);
    expect([r.code, r.stdout]).toEqual([0, shipped]);
  });

  it("`schema rule` prints the rule files' schema, as `rules schema` does", async () => {
    const [a, b] = [await run(['schema', 'rule']), await run(['rules', 'schema'])];
    expect([a.code, a.stdout === b.stdout, (JSON.parse(a.stdout) as { title: string }).title]).toEqual([0, true, 'scs-doctor rule']);
  });

  it('an unknown schema name is a usage error', async () => {
    const r = await run(['schema', 'reports']);
    expect([r.code, r.stderr]).toEqual([2, 'scs-doctor: USAGE unknown schema "reports" (report, rule)\nRun "scs-doctor help" for usage.\n']);
  });

  // Every example's inputs as the CLI reports them in JSON: 01's and 02's sample logs and history,
  // 02's database rows as a history, 03's custom rule over the sample logs, 04's tar bundle.
  const tmp = mkdtempSync(path.join(tmpdir(), 'scs-schema-'));
  const bundle = path.join(tmp, 'bundle.tar.gz');
  execFileSync('tar', ['-czf', bundle, '-C', path.join(examples, '04-ticket-from-bundle/bundle'), '.']);
  const rows = path.join(tmp, 'rows.json');
  it.each([
    ['03 custom rule', [path.join(examples, 'logs'), '--rules', path.join(examples, '03-custom-rule/rules')]],
    ['04 tar bundle', [bundle]],
    ['02 database rows', ['--events', rows]],
  ])('the printed schema validates the JSON report of example %s', async (_name, args) => {
    const { SAMPLE_ROWS, eventOf } = await import('../../../examples/02-admin-backend/rows.js');
    writeFileSync(rows, JSON.stringify(SAMPLE_ROWS.map((r) => eventOf(r, []))));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(shipped) as object);
    const r = await run(['diagnose', ...args, '--format', 'json', '--now', '2026-05-12T12:00:00Z']);
    const report = JSON.parse(r.stdout) as { diagnoses: unknown[]; schemaVersion: number };
    expect([report.diagnoses.length > 0, validate(report), validate.errors ?? []]).toEqual([true, true, []]);
  });

  it('the printed schema validates the JSON report of the example inputs', async () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(shipped) as object);
    const r = await run(['diagnose', path.join(examples, 'logs'), '--events', path.join(examples, 'history/sync-events.json'), '--format', 'json', '--now', '2026-05-12T12:00:00Z']);
    const report = JSON.parse(r.stdout) as { diagnoses: unknown[]; connections: unknown[] };
    expect([report.diagnoses.length > 0, report.connections.length > 0, validate(report), validate.errors ?? []]).toEqual([true, true, true, []]);
  });
});
