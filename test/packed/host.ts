// A host program as a new user writes it, built against the packed tarballs with strict TypeScript.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { diagnose, render, reportJsonSchema, SCHEMA_VERSION, type Logger, type Report } from '@scs-doctor/core';
import { diagnoseLines, loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const debug: string[] = [];
const logger: Logger = { debug: (_f, m) => debug.push(m), info: () => {}, warn: () => {}, error: () => {} };
const pack = await loadRulePack([rulesDir], { logger });
const fromLines: Report = diagnoseLines(pack, ['2026-05-12 09:00:02,905 ERROR [scs.sync.sender] shared secret unavailable: InvalidToken'], { logger });
const rows = [
  { id: 1, connection_id: 'c-1', direction: 'sending', status: 'failure', started_at: new Date('2026-05-12T09:00:00Z'), finished_at: new Date('2026-05-12T09:00:03Z'), message: 'shared secret unavailable: InvalidToken', files: [] },
];
const fromRows = diagnose(pack, { events: rows }, { now: new Date('2026-05-12T10:00:00Z') });
const shipped = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@scs-doctor/core/report.schema.json'), 'utf8')) as { $id: string };
console.log(
  JSON.stringify({
    lines: fromLines.diagnoses.map((d) => d.ruleId),
    rows: fromRows.connections.map((c) => `${c.key}:${c.state}`),
    markdown: render(fromRows, 'markdown').includes('InvalidToken'),
    schema: shipped.$id === reportJsonSchema()['$id'] && SCHEMA_VERSION === fromRows.schemaVersion,
    debug,
  }),
);
