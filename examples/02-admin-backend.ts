/**
 * The admin backend: sync events come from its own database, already in memory. The rule pack is
 * compiled once at start-up; each page view diagnoses one connection's recent history.
 * Run: npx tsx examples/02-admin-backend.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnose, type Diagnosis, type SyncEvent } from '@scs-doctor/core';
import { loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const pack = await loadRulePack([rulesDir]);

/** What the page shows beside a connection: severity, the summary and the first step of the fix. */
export function diagnosesFor(events: SyncEvent[], now: Date): Pick<Diagnosis, 'ruleId' | 'severity' | 'summary' | 'remediation' | 'count'>[] {
  const report = diagnose(pack, { events }, { now });
  return report.diagnoses.map(({ ruleId, severity, summary, remediation, count }) => ({ ruleId, severity, summary, remediation, count }));
}

export async function main(): Promise<string> {
  const history: SyncEvent[] = [
    { id: 'ev-1', connectionId: 'c-1', connectionName: 'Acme → Globex', direction: 'sending', status: 'failure', startedAt: '2026-05-12T09:00:02.000Z', message: 'shared secret unavailable: InvalidToken', files: [] },
    { id: 'ev-2', connectionId: 'c-1', connectionName: 'Acme → Globex', direction: 'sending', status: 'failure', startedAt: '2026-05-12T09:05:02.000Z', message: 'shared secret unavailable: InvalidToken', files: [] },
  ];
  const shown = diagnosesFor(history, new Date('2026-05-12T09:10:00Z'));
  return shown.map((d) => `[${d.severity}] ${d.summary} (×${d.count})\n  → ${d.remediation[0]}`).join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(await main());
}
