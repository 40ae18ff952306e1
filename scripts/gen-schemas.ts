/**
 * Writes packages/core/schema/report.schema.json from the zod report schema, and records the
 * hash of the schema's shape (descriptions aside) for the current schemaVersion in packages/core/schema/versions.json.
 * Run with `npm run gen:schemas` after changing the report's shape (and bump SCHEMA_VERSION).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonSchema } from '../packages/core/src/schema/report-json-schema.js';
import { SCHEMA_VERSION } from '../packages/core/src/schema/version.js';
import { shapeHash } from './schema-hash.js';

const dir = fileURLToPath(new URL('../packages/core/schema/', import.meta.url));
const schema = reportJsonSchema();
const text = JSON.stringify(schema, null, 2) + '\n';
writeFileSync(dir + 'report.schema.json', text);
const versionsFile = dir + 'versions.json';
let versions: Record<string, string> = {};
try {
  versions = JSON.parse(readFileSync(versionsFile, 'utf8')) as Record<string, string>;
} catch {
  // first run
}
const hash = shapeHash(schema);
const key = String(SCHEMA_VERSION);
if (versions[key] && versions[key] !== hash) {
  console.error(`The report's shape changed but schemaVersion is still ${key}. Raise SCHEMA_VERSION in packages/core/src/schema/version.ts ` + `and add a line to CHANGELOG.md (see "Report versioning" in README.md).`);
  process.exitCode = 1;
} else {
  versions[key] = hash;
  writeFileSync(versionsFile, JSON.stringify(versions, null, 2) + '\n');
  console.log(`packages/core/schema/report.schema.json (schemaVersion ${key}, sha256 ${hash.slice(0, 12)})`);
}
