/**
 * Rule authoring end to end: rules new (from a line and from a report's unmatched list of a
 * captured log), rules test and rules lint on what it writes, lint's checks, explain and
 * diagnose --explain. fixtures/authoring/unknown.log was written by make-unknown-log.py beside it
 * (Python's logging, SCS's format, a real traceback).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesDir } from '@scs-doctor/rules';
import { run } from './run.js';

const fixtures = path.join(import.meta.dirname, 'fixtures/authoring');
const tmp = mkdtempSync(path.join(tmpdir(), 'scs-doctor-authoring-'));
const NOW = ['--now', '2026-12-06T00:00:00Z'];

/** What an author does after `rules new`: writes every placeholder. */
function writeTexts(file: string): void {
  const text = readFileSync(file, 'utf8')
    .replace("'<write: a short title>'", 'Outbox quota exceeded')
    .replace("'<write: the section of the debugging guide this rule encodes>'", 'Debugging Secure Connections › Sending Side Checks › Sync Failures')
    .replace(/'<write: one sentence[^']*'/, "'The outbox write failed: the bucket is over its quota.'")
    .replace("'<write: why it happens>'", 'The bucket quota is reached.')
    .replace("'<write: what the user loses while it lasts>'", 'Nothing is sent until space is freed.')
    .replace("'<write: the first step to fix it>'", 'Free space in the bucket or raise its quota.')
    .replace(/'<write: what (\w+) is[^']*'/g, "'The $1 of the message.'");
  writeFileSync(file, text);
}

describe('rules new --from-line', () => {
  const dir = path.join(tmp, 'from-line');
  const line = "2026-05-12 09:15:03,442 ERROR [scs.sync.sender] connection 4f1c9a2e outbox write failed: quota exceeded for bucket 'acme-out' (used 5368709120 of 5368709120 bytes)";

  it('writes a rule and fixture that rules test passes as written, and lint refuses until the texts are written', async () => {
    const made = await run(['rules', 'new', 'outbox-quota', '--from-line', line, '--dir', dir]);
    expect(made.code).toBe(0);
    const yaml = readFileSync(path.join(dir, 'outbox-quota.yaml'), 'utf8');
    expect(yaml).toMatch(/^# yaml-language-server: \$schema=.*rule\.schema\.json$/m);
    expect(yaml).toContain("- 'outbox write failed: quota exceeded for bucket'");
    expect(yaml).not.toMatch(/TODO/);
    // the named groups cover the id, the quoted value and the numbers
    expect(yaml).toMatch(/\(\?<connection>.*\(\?<bucket>.*\(\?<used>/);

    const tested = await run(['rules', 'test', dir]);
    expect([tested.code, tested.stdout]).toEqual([0, '1 fixtures, 2 cases passed, 0 failed\n']);

    const linted = await run(['rules', 'lint', dir, '--no-recheck']);
    expect(linted.code).toBe(1);
    expect(linted.stdout).toMatch(/outbox-quota\.yaml:\d+:\d+ RULE_UNWRITTEN summary is still the scaffold's placeholder/);
    expect(linted.stdout).toMatch(/outbox-quota\.yaml:\d+:\d+ RULE_UNWRITTEN params\.bucket\.description/);

    writeTexts(path.join(dir, 'outbox-quota.yaml'));
    // recheck runs too; where its automaton gives up, fuzzing may add a warning, never an error
    const done = await run(['rules', 'lint', dir]);
    expect([done.code, /^1 rule files, 0 errors, \d+ warnings?$/m.test(done.stdout)]).toEqual([0, true]);
  });

  it('refuses to overwrite a rule, and refuses a bad id', async () => {
    const again = await run(['rules', 'new', 'outbox-quota', '--from-line', line, '--dir', dir]);
    expect([again.code, /OPTION_INVALID .*outbox-quota\.yaml exists/.test(again.stderr)]).toEqual([2, true]);
    const bad = await run(['rules', 'new', 'Bad Id', '--from-line', line, '--dir', dir]);
    expect([bad.code, bad.stderr.includes('not a rule id')]).toEqual([2, true]);
  });
});

describe('rules new --from-unmatched, on a captured log', () => {
  const dir = path.join(tmp, 'from-unmatched');
  const report = path.join(tmp, 'report.json');

  it('scaffolds a rule per unknown message; each passes rules test, then lint once written, then diagnose finds it', async () => {
    const diagnosed = await run(['diagnose', 'unknown.log', '--format', 'json', '--output', report, ...NOW], { cwd: fixtures });
    expect(diagnosed.code).toBe(0);
    const unmatched = JSON.parse(readFileSync(report, 'utf8')).unmatched as { template: string }[];
    expect(unmatched.length).toBe(3);
    const traceback = unmatched.findIndex((u) => u.template.includes('ManifestShardError'));

    // by place in the list, and by template text
    expect((await run(['rules', 'new', 'outbox-quota', '--from-unmatched', '1', report, '--dir', dir], { cwd: fixtures })).code).toBe(0);
    expect((await run(['rules', 'new', 'manifest-shard-digest', '--from-unmatched', unmatched[traceback]!.template, report, '--dir', dir], { cwd: fixtures })).code).toBe(0);

    const shard = readFileSync(path.join(dir, 'manifest-shard-digest.yaml'), 'utf8');
    // a traceback: the root exception is the pattern, the first line an anchor
    expect(shard).toContain("pattern: 'ManifestShardError: manifest shard (?<shard>");
    expect(shard).toContain("- 'sync failed'");
    const fixture = readFileSync(path.join(dir, 'manifest-shard-digest.test.log'), 'utf8');
    expect(fixture).toContain('Traceback (most recent call last):');
    // near misses come from the other unmatched templates
    expect(fixture).toMatch(/# ok: manifest-shard-digest\n.*outbox write failed/);

    const tested = await run(['rules', 'test', dir]);
    expect([tested.code, tested.stdout.trim().split('\n').pop()]).toEqual([0, '2 fixtures, 6 cases passed, 0 failed']);
    expect((await run(['rules', 'lint', dir, '--no-recheck'])).code).toBe(1);

    for (const f of ['outbox-quota.yaml', 'manifest-shard-digest.yaml']) writeTexts(path.join(dir, f));
    const linted = await run(['rules', 'lint', dir]);
    expect([linted.code, /^2 rule files, 0 errors, \d+ warnings?$/m.test(linted.stdout)]).toEqual([0, true]);

    const again = await run(['diagnose', 'unknown.log', '--rules', dir, '--format', 'json', ...NOW], { cwd: fixtures });
    const found = JSON.parse(again.stdout) as { diagnoses: { ruleId: string; count: number; params: Record<string, unknown> }[]; unmatched: unknown[] };
    expect(found.diagnoses.map((d) => [d.ruleId, d.count]).sort()).toEqual([
      ['manifest-shard-digest', 1],
      ['outbox-quota', 2],
    ]);
    expect(found.diagnoses.find((d) => d.ruleId === 'manifest-shard-digest')!.params['shard']).toBe(3);
    expect(found.unmatched.length).toBe(1);
  });

  it('says which entries exist when N is out of range', async () => {
    const r = await run(['rules', 'new', 'x-y', '--from-unmatched', '9', report, '--dir', dir], { cwd: fixtures });
    expect([r.code, r.stderr.includes('no unmatched entry 9 (it lists 3)')]).toEqual([2, true]);
  });
});

describe('rules lint catches what load refuses', () => {
  it('reports an id that clashes with a built-in rule at its place; diagnose refuses the same pack', async () => {
    const dir = mkdtempSync(path.join(tmp, 'clash-'));
    cpSync(path.join(rulesDir, 'either/bucket-not-configured.yaml'), path.join(dir, 'bucket-not-configured.yaml'));
    cpSync(path.join(rulesDir, 'either/bucket-not-configured.test.log'), path.join(dir, 'bucket-not-configured.test.log'));
    const r = await run(['rules', 'lint', dir, '--no-recheck']);
    expect([r.code, r.stdout.match(/bucket-not-configured\.yaml:(\d+):(\d+) RULE_ID_CLASH/)?.slice(1)]).toEqual([1, ['3', '5']]);
    const d = await run(['diagnose', path.join(fixtures, 'unknown.log'), '--rules', dir]);
    expect(d.code).toBe(2);
    // without the built-in pack there is nothing to clash with
    expect((await run(['rules', 'lint', dir, '--no-builtin', '--no-recheck'])).code).toBe(0);
  });

  it('reports fixture cases that no longer match, at the annotation', async () => {
    const dir = mkdtempSync(path.join(tmp, 'fixture-'));
    cpSync(path.join(rulesDir, 'either/bucket-not-configured.yaml'), path.join(dir, 'bucket-not-configured.yaml'));
    const fixture = readFileSync(path.join(rulesDir, 'either/bucket-not-configured.test.log'), 'utf8').replace('label outbox-primary\n', 'lable outbox-primary\n');
    writeFileSync(path.join(dir, 'bucket-not-configured.test.log'), fixture);
    const r = await run(['rules', 'lint', dir, '--no-builtin', '--no-recheck']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bucket-not-configured\.test\.log:3:1 RULE_FIXTURE_FAILS ruleid: bucket-not-configured: the record at line 4 no longer matches/);
  });

  it('refuses the Node 24 modifier-group pattern and a wide counted repeat run, at the pattern', async () => {
    const dir = mkdtempSync(path.join(tmp, 'regex-'));
    const rule = (id: string, pattern: string) =>
      `id: ${id}\ntitle: T\nseverity: error\nside: sending\ncategory: c\nreferences: [r]\nsignature:\n  anchors: ['sync failed']\n  pattern: '${pattern}'\nsummary: s\ncause: c\nimpact: i\nremediation: [x]\n`;
    writeFileSync(path.join(dir, 'modifier.yaml'), rule('modifier', 'sync failed: (?i:(a+)+)$'));
    writeFileSync(path.join(dir, 'counted.yaml'), rule('counted', 'sync failed: [ -~]{0,80}=[ -~]{0,80}=[ -~]{0,80}=x'));
    const r = await run(['rules', 'lint', dir, '--no-builtin', '--no-recheck']);
    expect(r.code).toBe(1);
    // Node 20 cannot compile a modifier group (RULE_REGEX); newer Node can, and the check refuses it
    expect(r.stdout).toMatch(/modifier\.yaml:9:12 RULE_REGEX(_UNSAFE)? /);
    expect(r.stdout).toMatch(/counted\.yaml:9:12 RULE_REGEX_UNSAFE .*3 repetitions in a row/);
  });

  it('asks recheck for a second opinion', async () => {
    const dir = mkdtempSync(path.join(tmp, 'recheck-'));
    // The check accepts two linked repetitions; recheck measures the polynomial cost they have.
    writeFileSync(
      path.join(dir, 'poly.yaml'),
      "id: poly\ntitle: T\nseverity: error\nside: sending\ncategory: c\nreferences: [r]\nsignature:\n  anchors: ['sync failed']\n  pattern: 'sync failed.*a.*b'\nsummary: s\ncause: c\nimpact: i\nremediation: [x]\n",
    );
    const r = await run(['rules', 'lint', dir, '--no-builtin']);
    expect(r.stdout).toMatch(/poly\.yaml:9:12 warning RULE_REGEX_UNSAFE recheck: pattern can take .*polynomial time on a crafted line/);
  });
});

describe('explain', () => {
  const match = '2026-05-12 09:15:03,442 ERROR [scs.sync.sender] connection 4f1c9a2e connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label outbox-primary';

  it('walks a matching line through every stage', async () => {
    const r = await run(['explain', match]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prefilter: selected');
    expect(r.stdout).toContain('read as: python format, level error, logger scs.sync.sender');
    expect(r.stdout).toContain('message: "connection 4f1c9a2e connection failed (no manifest produced): bucket not configured:');
    expect(r.stdout).toContain('rule bucket-not-configured: MATCH');
    expect(r.stdout).toContain('anchor "No RSS object-store configuration for label" (key): present');
    expect(r.stdout).toContain('group label = "outbox-primary"');
    expect(r.stdout).toContain('diagnosis bucket-not-configured: key bucket-not-configured|sending|["outbox-primary"]');
    expect(r.stdout).toContain('param label = "outbox-primary"');
  });

  it('shows a line the prefilter skips', async () => {
    const r = await run(['explain', '2026-05-12 09:15:03,442 INFO [scs.sync.sender] manifest produced']);
    expect([r.code, r.stdout.includes('prefilter: skipped'), r.stdout.includes('rules that came close: none')]).toEqual([1, true, true]);
  });

  it('shows a near miss at the anchors', async () => {
    const r = await run(['explain', '{"level":"error","msg":"bucket not configured: label x"}']);
    expect(r.stdout).toContain('read as: json format, level error');
    expect(r.stdout).toContain('rule bucket-not-configured: no match (stopped at anchors)');
    expect(r.stdout).toContain('anchor "No RSS object-store configuration for label" (key): absent');
  });

  it('shows a near miss at the pattern', async () => {
    // both anchors occur, in the wrong order for the pattern
    const r = await run(['explain', '2026-05-12 09:15:03,442 ERROR No RSS object-store configuration for label x; bucket not configured: y']);
    expect(r.stdout).toContain('rule bucket-not-configured: no match (stopped at pattern)');
    expect(r.stdout).toContain('pattern (backtracking engine): no match');
  });

  it('shows a near miss at the conditions, with each leaf and its value', async () => {
    const dir = mkdtempSync(path.join(tmp, 'cond-'));
    writeFileSync(
      path.join(dir, 'big-write.yaml'),
      `id: big-write\ntitle: T\nseverity: error\nside: sending\ncategory: c\nreferences: [r]\nsignature:\n  anchors: ['outbox write failed']\n  pattern: 'used (?<used>\\d+) bytes'\nparams:\n  used: { type: integer }\nconditions:\n  all:\n    - { fact: params, path: $.used, operator: greaterThan, value: 1000 }\n    - { fact: level, operator: equal, value: error }\nsummary: s\ncause: c\nimpact: i\nremediation: [x]\n`,
    );
    const r = await run(['explain', '2026-05-12 09:15:03,442 ERROR [scs.sync.sender] outbox write failed: used 12 bytes', '--rules', dir, '--no-builtin']);
    expect(r.stdout).toContain('rule big-write: no match (stopped at conditions)');
    expect(r.stdout).toContain('conditions: fail');
    expect(r.stdout).toContain('params $.used greaterThan 1000: fact is 12 → fails');
    expect(r.stdout).toContain('level equal "error": fact is "error" → holds');
    const ok = await run(['explain', '2026-05-12 09:15:03,442 ERROR [scs.sync.sender] outbox write failed: used 5000 bytes', '--rules', dir, '--no-builtin']);
    expect([ok.code, ok.stdout.includes('rule big-write: MATCH'), ok.stdout.includes('param used = 5000')]).toEqual([0, true, true]);
  });

  it('explains a traceback record: the exception chain and the root cause', async () => {
    const text = readFileSync(path.join(fixtures, 'unknown.log'), 'utf8').split('\n').slice(5).join('\n');
    const r = await run(['explain', text]);
    expect(r.stdout).toMatch(/record 1 \(lines 1-\d+\)/);
    expect(r.stdout).toContain('root exception: ManifestShardError: manifest shard 3 digest mismatch');
    expect(r.stdout).toContain('result: no rule matched');
  });

  it('gives JSON with --json, and reads standard input for -', async () => {
    const r = await run(['explain', '-', '--json'], { stdin: match + '\n' });
    const e = JSON.parse(r.stdout) as { records: { matches: { ruleId: string }[] }[] };
    expect(e.records[0]!.matches.map((m) => m.ruleId)).toEqual(['bucket-not-configured']);
  });
});

describe('diagnose --explain', () => {
  it('prints the report, then explains each diagnosis from its evidence record', async () => {
    const log = path.join(tmp, 'explain.log');
    writeFileSync(log, '2026-05-12 09:00:00,000 INFO [scs.sync.sender] starting\n2026-05-12 09:15:03,442 ERROR [scs.sync.sender] bucket not configured: No RSS object-store configuration for label outbox-primary\n');
    const r = await run(['diagnose', log, '--explain', ...NOW]);
    expect(r.code).toBe(1);
    const at = r.stdout.indexOf('explain bucket-not-configured (bucket-not-configured|sending|["outbox-primary"])');
    expect(at).toBeGreaterThan(0);
    expect(r.stdout.slice(at)).toContain(`${log}:2`);
    expect(r.stdout.slice(at)).toContain('rule bucket-not-configured: MATCH');
    // JSON stays clean on standard output; the explanation goes to standard error
    const j = await run(['diagnose', log, '--explain', '--format', 'json', ...NOW]);
    expect([JSON.parse(j.stdout).diagnoses.length, j.stderr.includes('rule bucket-not-configured: MATCH')]).toEqual([1, true]);
  });
});

describe('diagnose --explain re-reads evidence through the sources layer', () => {
  // A capture with tracebacks (multi-line records) and several diagnoses; compressed and archived
  // by the real gzip and GNU tar.
  const sender = path.resolve(import.meta.dirname, '../../../examples/logs/scs-sender.log');
  const dir = path.join(tmp, 'explain-sources');
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const gz = path.join(dir, 'scs-sender.log.gz');
  writeFileSync(gz, execFileSync('gzip', ['-c', sender]));
  writeFileSync(path.join(dir, 'logs', 'a-other.log'), '2026-05-12 08:00:00,000 INFO [scs.app] starting\n'.repeat(50));
  cpSync(sender, path.join(dir, 'logs', 'scs-sender.log'));
  const tgz = path.join(dir, 'bundle.tar.gz');
  execFileSync('tar', ['-czf', tgz, '-C', dir, 'logs/a-other.log', 'logs/scs-sender.log']);

  /** The explanations after the report, with the evidence file's name made neutral. */
  const explanations = (stdout: string, name: string) => stdout.slice(stdout.indexOf('\nexplain ')).split(`${name}:`).join('FILE:');
  let plain: string;

  it('explains every diagnosis of the plain file', async () => {
    const r = await run(['diagnose', sender, '--explain', ...NOW]);
    expect(r.code).toBe(1);
    plain = explanations(r.stdout, sender);
    expect(plain).not.toContain('cannot be read again');
    expect((plain.match(/^explain /gm) ?? []).length).toBeGreaterThanOrEqual(2);
    expect((plain.match(/: MATCH/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('from standard input, kept while diagnose reads it', async () => {
    const r = await run(['diagnose', '-', '--explain', ...NOW], { stdin: readFileSync(sender, 'utf8') });
    expect(explanations(r.stdout, '-')).toBe(plain);
  });

  it('from a gzip file', async () => {
    const r = await run(['diagnose', gz, '--explain', ...NOW]);
    expect(explanations(r.stdout, gz)).toBe(plain);
  });

  it('from a member of a gzipped tar archive, after another member', async () => {
    const r = await run(['diagnose', tgz, '--explain', ...NOW]);
    expect(r.stdout).toContain(`${tgz}:logs/scs-sender.log:`);
    expect(explanations(r.stdout, `${tgz}:logs/scs-sender.log`)).toBe(plain);
  });

  it('says why evidence cannot be read again: a file gone, a member gone, standard input not kept', async () => {
    const readBack = await import('@scs-doctor/adapters').then((m) =>
      m.readEvidenceLines(
        [
          { file: 'missing.log', from: 1, to: 1 },
          { file: `${tgz}:logs/nope.log`, from: 1, to: 2 },
          { file: '-', from: 1, to: 1 },
        ],
        { cwd: dir },
      ),
    );
    expect(Object.fromEntries(readBack)).toEqual({
      'missing.log': { error: 'no such file any more' },
      [`${tgz}:logs/nope.log`]: { error: 'no such member in the archive any more' },
      '-': { error: 'standard input was not kept' },
    });
  });
});

describe('a rule on the general path', () => {
  const dir = path.join(tmp, 'general-path');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'outbox-disk-full.yaml'),
    `id: outbox-disk-full
title: The outbox volume is full
severity: error
side: sending
category: storage
references:
  - "Debugging Secure Connections › Sending Side Checks › Sync Failures"
signature:
  anchors:
    - "outbox write failed: disk full"
conditions:
  any:
    - fact: level
      operator: equal
      value: error
      priority: 2
    - fact: fields
      path: "$.mounts[*].volume"
      operator: someFact:equal
      value: /var/lib/scs
summary: The outbox volume is full.
cause: The volume under the SCS outbox has no space left.
impact: Nothing is sent until space is freed.
remediation:
  - Free space on the volume that holds /var/lib/scs.
`,
  );
  writeFileSync(
    path.join(dir, 'outbox-disk-full.test.log'),
    [
      '# ruleid: outbox-disk-full',
      '{"time":"2026-05-12T09:00:00Z","level":"error","message":"outbox write failed: disk full"}',
      '# ruleid: outbox-disk-full',
      '{"time":"2026-05-12T09:00:01Z","level":"warning","message":"outbox write failed: disk full","mounts":[{"volume":"/tmp"},{"volume":"/var/lib/scs"}]}',
      '# ok: outbox-disk-full',
      '{"time":"2026-05-12T09:00:02Z","level":"warning","message":"outbox write failed: disk full","mounts":[{"volume":"/tmp"}]}',
      '',
    ].join('\n'),
  );

  it('passes its fixture, and lint notes the general path as a warning, not an error', async () => {
    const tested = await run(['rules', 'test', dir]);
    expect([tested.code, tested.stdout]).toEqual([0, '1 fixtures, 3 cases passed, 0 failed\n']);
    const linted = await run(['rules', 'lint', dir, '--no-recheck']);
    expect(linted.code).toBe(0);
    expect(linted.stdout).toMatch(
      /outbox-disk-full\.yaml:12:3 warning RULE_CONDITION conditions run on json-rules-engine's general path, slower than the compiled one, for: conditions\.any\[0\]: priority; conditions\.any\[1\]: operator "someFact:equal" \(decorated\); conditions\.any\[1\]: path "\$\.mounts\[\*\]\.volume"/,
    );
  });

  it('explain shows the set a higher priority decided as not evaluated', async () => {
    const r = await run(['explain', '{"time":"2026-05-12T09:00:00Z","level":"error","message":"outbox write failed: disk full"}', '--rules', dir, '--no-builtin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rule outbox-disk-full: MATCH');
    expect(r.stdout).toMatch(/level equal "error": fact is "error" → holds\n\s+\{"operator":"someFact:equal".*\}: not evaluated \(a set of higher priority decided\)/);
  });
});
