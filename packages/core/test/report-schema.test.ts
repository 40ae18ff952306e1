import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { shapeHash } from '../../../scripts/schema-hash.js';
import { compileRules, diagnose, reportJsonSchema, SCHEMA_VERSION } from '../src/internal.js';
import { log, rule } from './helpers.js';

const shipped = JSON.parse(readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const versions = JSON.parse(readFileSync(new URL('../schema/versions.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('report JSON Schema', () => {
  it('the shipped file is what the zod schema generates (run `npm run gen:schemas` after a change)', () => {
    expect(shipped).toEqual(reportJsonSchema());
  });

  it('a change of shape comes with a new schemaVersion: versions.json holds the shape hash of this version', () => {
    expect({ version: SCHEMA_VERSION, hash: versions[String(SCHEMA_VERSION)] }).toEqual({ version: SCHEMA_VERSION, hash: shapeHash(reportJsonSchema()) });
  });

  it('a new version never rewrites the hash of an older one: each version has its own shape', () => {
    const hashes = Object.values(versions);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('validates a report with a diagnosis, a connection and a problem', () => {
    const pack = compileRules([rule({ id: 'boom', signature: { anchors: ['boom'], pattern: 'boom (?<what>\\w+)' } })]);
    const report = diagnose(pack, {
      logs: [log('boom engine', { time: '2026-05-12T10:00:00Z', level: 'error' })],
      events: [
        { id: 'e1', connectionId: 'c1', direction: 'sending', status: 'failure', startedAt: '2026-05-12T09:00:00Z', finishedAt: '2026-05-12T09:00:01Z', message: 'boom engine', files: [] },
        { id: 'e2', connectionId: 'c1' },
      ],
    });
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(shipped);
    expect([report.diagnoses.length > 0, report.connections.length, report.stats.problems.length > 0, validate(JSON.parse(JSON.stringify(report))), validate.errors ?? []]).toEqual([true, 1, true, true, []]);
  });

  it('rejects a report of another version and a diagnosis without a key', () => {
    const validate = new Ajv2020({ strict: false }).compile(shipped);
    const report = JSON.parse(JSON.stringify(diagnose(compileRules([]), { logs: [] }))) as Record<string, unknown>;
    expect([validate(report), validate({ ...report, schemaVersion: 1 }), validate({ ...report, diagnoses: [{ ruleId: 'x' }] })]).toEqual([true, false, false]);
  });
});
