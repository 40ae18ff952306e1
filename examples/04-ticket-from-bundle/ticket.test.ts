/**
 * The support ticket from a bundle: GNU tar packs bundle/ (the files make-bundle.py wrote) into a
 * .tar.gz, the program runs as a separate process over it, and its Markdown is checked against
 * what the rule pack says the bundle's messages must give: every rule whose anchors occur in them,
 * with that many occurrences, its severity, summary and steps, and no other rule.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RulePack } from '@scs-doctor/core';
import { loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';
import { HISTORY_MEMBER } from './ticket.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const bundleDir = path.join(here, 'bundle');
const program = path.join(here, 'ticket.ts');
const NOW = '2026-05-14T10:10:00Z';

let tmp: string;
let archive: string;
let pack: RulePack;
/** The program's run over the whole bundle, shared by the tests that read its report. */
let whole: { code: number; stdout: string; stderr: string };
/** A separate process each: generous, so that a loaded machine cannot fail them. */
const SPAWN_TIMEOUT = 180_000;

/** Runs the program as a user would (tsx, the packages' sources, from the repository, where tsx is installed); its exit status is data. */
async function ticket(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--conditions=@scs-doctor/source', program, ...args], { cwd: here, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Each message of the bundle as SCS wrote it: plain-text log lines, JSON lines' `event`, history events' `message`. */
async function bundleMessages(): Promise<string[]> {
  const plain = (await readFile(path.join(bundleDir, 'acme/scs.log'), 'utf8')).split('\n').filter((l) => /^\d{4}-\d\d-\d\d /.test(l));
  const json = (await readFile(path.join(bundleDir, 'hooli/scs.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { event: string }).event);
  const history = (JSON.parse(await readFile(path.join(bundleDir, 'sync-history.json'), 'utf8')) as { events: { message?: string }[] }).events.flatMap((e) => (e.message ? [e.message] : []));
  return [...plain, ...json, ...history];
}

/** Markdown's escapes undone, for comparing text with the rule file. */
const plainText = (md: string) =>
  md
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** One diagnosis' section: from its heading to the next `## `. */
function sectionOf(md: string, ruleId: string): string {
  const at = md.indexOf(`Rule \`${ruleId}\``);
  if (at < 0) return '';
  const start = md.lastIndexOf('\n## ', at) + 1;
  const end = md.indexOf('\n## ', at);
  return md.slice(start, end < 0 ? undefined : end);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'scs-ticket-'));
  archive = path.join(tmp, 'bundle.tar.gz');
  await run('tar', ['-czf', archive, '-C', bundleDir, '.']);
  pack = await loadRulePack([rulesDir]);
  whole = await ticket(archive, '--now', NOW);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('04 a ticket from a tar bundle', () => {
  it('prints every diagnosis the rule pack finds in the bundle’s messages, and no other', async () => {
    const { code, stdout, stderr } = whole;
    expect(stderr).toBe('');
    const messages = await bundleMessages();
    const expected = pack.rules
      .map((r) => r.rule)
      .flatMap((rule) => (rule.signature && rule.signature.anchors.length > 0 ? [{ rule, anchors: rule.signature.anchors, pattern: rule.signature.pattern }] : []))
      .map(({ rule, anchors, pattern }) => ({ rule, pattern, hits: messages.filter((m) => anchors.every((a) => m.includes(a))) }))
      .filter((x) => x.hits.length > 0);
    // The bundle was made to hold failures of both sides.
    expect(new Set(expected.map((x) => x.rule.side))).toEqual(new Set(['sending', 'receiving', 'either']));
    for (const { rule, pattern, hits } of expected) {
      const section = sectionOf(stdout, rule.id);
      expect(section, rule.id).not.toBe('');
      // Parameters as the rule's own pattern reads them from the first message.
      const params = (pattern ? new RegExp(pattern).exec(hits[0]!)?.groups : undefined) ?? {};
      const fill = (s: string) => s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => params[k] ?? `{{${k}}}`);
      expect(plainText(section.split('\n')[0]!), rule.id).toBe(`## ${rule.severity.toUpperCase()}: ${fill(rule.summary)}`);
      expect(section, rule.id).toContain(`${hits.length} occurrence${hits.length === 1 ? '' : 's'}`);
      // The rule's steps, in order, unless the other side's data replaced them (then it says so).
      if (!section.includes('**Other side:**')) {
        const steps = [...section.matchAll(/^\d+\. (.*)$/gm)].map((m) => plainText(m[1]!));
        expect(steps, rule.id).toEqual(rule.remediation.map(fill));
      }
    }
    const found = new Set(expected.map((x) => x.rule.id));
    for (const r of pack.rules) if (!found.has(r.rule.id)) expect(stdout, r.rule.id).not.toContain(`Rule \`${r.rule.id}\``);
    // Active diagnoses: exit status 1, as the CLI's.
    expect(code).toBe(1);
  });

  it('lists each connection of the history and of both sides’ logs in the overview', async () => {
    const { stdout } = whole;
    const history = JSON.parse(await readFile(path.join(bundleDir, 'sync-history.json'), 'utf8')) as { events: { connectionId: string }[] };
    const receiving = (await readFile(path.join(bundleDir, 'hooli/scs.jsonl'), 'utf8')).match(/"connection_id": "[^"]+"/g)!.map((m) => m.split('"')[3]!);
    const ids = new Set([...history.events.map((e) => e.connectionId), ...receiving]);
    const table = stdout.slice(stdout.indexOf('## Connections'), stdout.indexOf('\n## ', stdout.indexOf('## Connections') + 1));
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| state') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(ids.size);
    for (const id of ids) expect(table).toContain(id);
  });

  it('reads every line of the bundle: what it says it read is what tar packed', async () => {
    const { stdout } = whole;
    let lines = 0;
    for (const f of ['acme/scs.log', 'hooli/scs.jsonl', 'sync-history.json']) lines += (await readFile(path.join(bundleDir, f), 'utf8')).split('\n').filter((_, i, all) => i < all.length - 1 || all[i] !== '').length;
    expect(stdout).toMatch(new RegExp(`^${lines} lines read: `, 'm'));
  });

  it(
    'a bundle cut short: the report is printed, says what was lost, and the exit status is 2',
    async () => {
      const bytes = await readFile(archive);
      const cut = path.join(tmp, 'cut.tar.gz');
      await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const { code, stdout } = await ticket(cut, '--now', NOW);
      expect(code).toBe(2);
      expect(stdout).toContain('cut.tar.gz');
      expect(stdout).toMatch(/INPUT_CORRUPT|INPUT_UNREADABLE|cut short|truncated/i);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'a missing bundle and a bad --now are one line on stderr and exit 2, no stack',
    async () => {
      const missing = await ticket(path.join(tmp, 'nope.tar.gz'));
      expect(missing.code).toBe(2);
      expect(missing.stdout).toContain('nope.tar.gz');
      const bad = await ticket(archive, '--now', 'yesterday');
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    },
    SPAWN_TIMEOUT,
  );

  it.each([
    ['bundle.tar.gz:sync-history.json', true],
    ['bundle.tar.gz:./exports/sync_events.ndjson', true],
    ['bundle.tar.gz:history/2026-05-14.json', true],
    ['bundle.tar.gz:hooli/scs.jsonl', false],
    ['bundle.tar.gz:acme/scs.log', false],
    ['bundle.tar.gz:acme/sync-history.txt', false],
  ])('member %s is a sync history: %s', (name, history) => {
    expect(HISTORY_MEMBER.test(name)).toBe(history);
  });
});
