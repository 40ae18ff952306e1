/**
 * A sync history inside a tar archive given as a log input: members named like a sync-history
 * export are read as events, the others as logs. Archives made by GNU tar from example 04's bundle.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, isHistoryMember, loadRulePack } from '../src/index.js';

const BUNDLE = fileURLToPath(new URL('../../../examples/04-ticket-from-bundle/bundle', import.meta.url));
const NOW = '2026-05-14T10:10:00Z';
const pack = await loadRulePack([rulesDir]);
let dir = '';
const events = (JSON.parse(readFileSync(path.join(BUNDLE, 'sync-history.json'), 'utf8')) as { events: { connectionId: string }[] }).events;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scs-tar-history-'));
  cpSync(BUNDLE, path.join(dir, 'src'), { recursive: true });
  // The same history as NDJSON, under a history/ folder, in a second archive.
  mkdirSync(path.join(dir, 'nd/history'), { recursive: true });
  cpSync(path.join(BUNDLE, 'acme'), path.join(dir, 'nd/acme'), { recursive: true });
  writeFileSync(path.join(dir, 'nd/history/acme.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  execFileSync('tar', ['--format=gnu', '-czf', 'bundle.tar.gz', '-C', 'src', '.'], { cwd: dir });
  execFileSync('tar', ['--format=gnu', '-cf', 'nd.tar', '-C', 'nd', '.'], { cwd: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a sync history inside a tar archive', () => {
  it.each([
    ['a JSON export named sync-history.json (gzipped archive)', 'bundle.tar.gz', 'bundle.tar.gz:sync-history.json'],
    ['NDJSON under history/', 'nd.tar', 'nd.tar:history/acme.ndjson'],
  ])('%s is read as events', async (_name, archive, member) => {
    const { report, lost } = await diagnoseInputs(pack, { inputs: [archive], cwd: dir, now: NOW });
    const input = report.stats.inputs.find((i) => i.name === member);
    const c = report.connections.find((x) => x.key === 'c-0007');
    expect([lost, report.stats.problems, input?.kind, report.stats.events.valid, c?.lastHistoryAt !== undefined, c?.state]).toEqual([false, [], 'events', events.length, true, 'healthy']);
    // The logs beside it are still logs.
    expect(report.stats.inputs.find((i) => i.name.endsWith('acme/scs.log'))?.kind).toBe('logs');
  });

  it.each([
    ['sync-history.json', true],
    ['exports/sync_events.ndjson.gz', true],
    ['history/2026-05.json', true],
    ['acme/scs.log', false],
    ['hooli/scs.jsonl', false],
    ['history.log', false],
  ])('%s is a history member: %s', (name, yes) => {
    expect(isHistoryMember(`b.tar:./${name}`)).toBe(yes);
  });
});
