/**
 * Support tooling: diagnose a customer's log bundle and sync history, and produce the Markdown
 * that goes into the ticket. Run: npx tsx examples/01-support-ticket.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '@scs-doctor/core';
import { diagnoseInputs, loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function main(): Promise<string> {
  const pack = await loadRulePack([rulesDir]);
  const { report, lost } = await diagnoseInputs(pack, {
    inputs: [path.join(here, 'logs')],
    events: [path.join(here, 'history/sync-events.json')],
    now: '2026-05-12T12:00:00Z',
  });
  if (lost) console.error('some inputs could not be read; see the Input section');
  return render(report, 'markdown');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(await main());
}
