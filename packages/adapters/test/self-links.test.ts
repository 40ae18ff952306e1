/**
 * Directories with links back to themselves (`a -> .`, `b -> .`): a glob input and a rule
 * directory are listed once each, as the plain directory walk already was; a rule file over the
 * size limit is refused with its size.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesDir } from '@scs-doctor/rules';
import { expandInputs, loadRuleFiles } from '../src/index.js';
import { MAX_RULE_FILE_BYTES } from '../src/rules-loader.js';

let dir: string;
const RULE = readFileSync(path.join(rulesDir, 'either', 'bucket-not-configured.yaml'), 'utf8');

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-links-'));
  mkdirSync(path.join(dir, 'logs', 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'logs', 'scs.log'), 'x\n');
  writeFileSync(path.join(dir, 'logs', 'sub', 'other.log'), 'y\n');
  symlinkSync('.', path.join(dir, 'logs', 'a'));
  symlinkSync('.', path.join(dir, 'logs', 'b'));
  symlinkSync('..', path.join(dir, 'logs', 'sub', 'up'));
  mkdirSync(path.join(dir, 'rules'));
  writeFileSync(path.join(dir, 'rules', 'bucket-not-configured.yaml'), RULE);
  symlinkSync('.', path.join(dir, 'rules', 'a'));
  symlinkSync('.', path.join(dir, 'rules', 'b'));
  mkdirSync(path.join(dir, 'big'));
  writeFileSync(path.join(dir, 'big', 'huge.yaml'), `id: huge\n# ${'x'.repeat(MAX_RULE_FILE_BYTES)}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('self-links', () => {
  it('a glob lists each file once, by its shortest name', async () => {
    const { inputs } = await expandInputs(['logs/**/*.log'], dir);
    expect(inputs.map((i) => i.name)).toEqual([path.join('logs', 'scs.log'), path.join('logs', 'sub', 'other.log')]);
  }, 20_000);

  it('a rule directory lists its file once', async () => {
    const { files, problems } = await loadRuleFiles([path.join(dir, 'rules')]);
    expect([files.map((f) => path.relative(dir, f)), problems.filter((p) => p.severity !== 'warning')]).toEqual([[path.join('rules', 'bucket-not-configured.yaml')], []]);
  }, 20_000);
});

describe('rule file size', () => {
  it('a file over the limit is refused with its size', async () => {
    const { problems } = await loadRuleFiles([path.join(dir, 'big')]);
    expect(problems.map((p) => [p.code, p.message])).toEqual([['RULE_INVALID', `the file is ${MAX_RULE_FILE_BYTES + 12} bytes; rule files are read up to ${MAX_RULE_FILE_BYTES} bytes`]]);
  });
});
