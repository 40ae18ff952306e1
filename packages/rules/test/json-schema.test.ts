import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import fg from 'fast-glob';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ruleJsonSchema } from '@scs-doctor/core/internal';
import { rulesDir } from '../src/index.js';

const shipped = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../core/rule.schema.json');
const schema = JSON.parse(readFileSync(shipped, 'utf8')) as Record<string, unknown>;

describe('the shipped rule JSON Schema', () => {
  it('is the one the zod schema generates (run npm run rule-schema after changing it)', () => {
    expect(schema).toEqual(ruleJsonSchema());
  });

  const files = fg.sync('**/*.yaml', { cwd: rulesDir }).sort();
  // Ajv with default options: draft-07, strict mode on.
  const warnings: unknown[] = [];
  const ajv = new Ajv({ logger: { log: () => undefined, warn: (...a: unknown[]) => warnings.push(a), error: (...a: unknown[]) => warnings.push(a) } });
  const validate = ajv.compile(schema);

  it('compiles in Ajv with default options, without strict-mode warnings', () => {
    expect(warnings).toEqual([]);
  });

  it.each(files)('validates the built-in rule %s', (file) => {
    const data: unknown = parse(readFileSync(path.join(rulesDir, file), 'utf8'));
    const ok = validate(data);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it.each([
    ['an unknown field', (r: Record<string, unknown>) => ({ ...r, bogus: 1 }), 'additionalProperties'],
    ['a bad severity', (r: Record<string, unknown>) => ({ ...r, severity: 'loud' }), 'enum'],
    ['a missing summary', (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'summary')), 'required'],
    ['a bad id', (r: Record<string, unknown>) => ({ ...r, id: 'Not An Id' }), 'pattern'],
  ])('refuses a rule with %s', (_what, change, keyword) => {
    const data = parse(readFileSync(path.join(rulesDir, files[0]!), 'utf8')) as Record<string, unknown>;
    expect(validate(change(data))).toBe(false);
    expect(validate.errors!.map((e) => e.keyword)).toContain(keyword);
  });

  it('knows the fields of connection rules (files, resolution, peer) and signature.engine', () => {
    const props = schema['properties'] as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['files', 'resolution', 'peer']));
    expect(Object.keys(props['signature']!.properties!)).toContain('engine');
  });
});
