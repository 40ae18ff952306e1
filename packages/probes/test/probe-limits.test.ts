/** Probe bounds: a request timeout past two minutes is refused, in the config file and in the library. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Probe, loadDeploymentConfig } from '../src/index.js';

let dir: string;
const config = (timeoutMs: number) => ({ s3: { region: 'us-east-1', timeoutMs, buckets: [{ name: 'acme-inbox', role: 'inbox' }] } });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-probe-limits-'));
  writeFileSync(path.join(dir, 'slow.json'), JSON.stringify(config(3_600_000)));
  writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(config(120_000)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('timeoutMs', () => {
  it('an hour in the config file is OPTION_INVALID naming the field', async () => {
    await expect(loadDeploymentConfig(path.join(dir, 'slow.json'))).rejects.toMatchObject({ code: 'OPTION_INVALID', message: expect.stringMatching(/timeoutMs.*at most 120000 ms/) });
  });

  it('two minutes is accepted', async () => {
    await expect(loadDeploymentConfig(path.join(dir, 'ok.json'))).resolves.toBeDefined();
  });

  it.each([[0], [3_600_000], [1.5], [Number.NaN]])('createS3Probe refuses %d', (timeoutMs) => {
    expect(() => createS3Probe({ region: 'us-east-1', buckets: [], sharedIds: [], timeoutMs })).toThrow(/timeoutMs must be a whole number/);
  });
});
