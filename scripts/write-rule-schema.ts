/** Writes packages/core/rule.schema.json from the zod rule schema (run after changing packages/core/src/schema/rule.ts). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ruleJsonSchema, RULE_SCHEMA_FILE } from '../packages/core/src/rules/json-schema.js';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'core', RULE_SCHEMA_FILE);
writeFileSync(out, JSON.stringify(ruleJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out}`);
