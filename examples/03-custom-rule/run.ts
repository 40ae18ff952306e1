/**
 * A rule author's loop: lint and test a rule directory, then use it beside the built-in pack.
 * Run: npx tsx examples/03-custom-rule/run.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseInputs, loadRuleFiles, loadRulePack, testRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const here = path.dirname(fileURLToPath(import.meta.url));
const mine = path.join(here, 'rules');

export async function main(): Promise<string> {
  const lines: string[] = [];
  const { problems } = await loadRuleFiles([mine]);
  lines.push(`lint: ${problems.length} problem(s)`);
  const pack = await loadRulePack([rulesDir, mine]);
  const tested = await testRulePack(pack, [mine]);
  const failed = tested.results.reduce((n, r) => n + r.failures.length, 0);
  lines.push(`fixtures: ${tested.results.length}, failed cases: ${failed}`);
  const { report } = await diagnoseInputs(pack, { inputs: [path.join(here, '../logs')], now: '2026-05-12T12:00:00Z' });
  const d = report.diagnoses.find((x) => x.ruleId === 'registry-unavailable');
  lines.push(`in the sample logs: ${d ? d.summary : 'not found'}`);
  return lines.join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(await main());
}
