import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '@scs-doctor/core/internal';
import { run } from './run.js';

const root = path.resolve(import.meta.dirname, '../../..');
const examples = path.join(root, 'examples');
const NOW = ['--now', '2026-05-12T12:00:00Z'];
const tmp = mkdtempSync(path.join(tmpdir(), 'scs-doctor-cli-'));
const write = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const invalidToken = write('sender.log', '2026-05-12 09:00:02,905 ERROR [scs.sync.sender] shared secret unavailable: InvalidToken\n2026-05-12 09:00:03,000 INFO [scs.sync.sender] sync finished\n');
const clean = write('clean.log', '2026-05-12 09:00:02,905 INFO [scs.sync.sender] sync finished connection_id=c1\n');

describe('scs-doctor diagnose', () => {
  it('exits 1 and names the rule when something is diagnosed', async () => {
    const r = await run(['diagnose', invalidToken, ...NOW]);
    expect([r.code, r.stdout.includes('shared-secret-invalid-token')]).toEqual([1, true]);
  });

  it('exits 0 when nothing is diagnosed', async () => {
    const r = await run(['diagnose', clean, ...NOW]);
    expect(r.code).toBe(0);
  });

  it('prints only the report on stdout with --format json', async () => {
    const r = await run(['diagnose', invalidToken, '--format', 'json', ...NOW]);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.diagnoses.map((d) => d.ruleId)).toEqual(['shared-secret-invalid-token']);
  });

  it('reads standard input for -', async () => {
    const r = await run(['diagnose', '-', '--format', 'json', ...NOW], { stdin: '2026-05-12 09:00:00,000 ERROR connection failed (no manifest received)\n' });
    expect(JSON.parse(r.stdout).diagnoses[0].ruleId).toBe('no-manifest-received');
  });

  it('expands a quoted glob itself', async () => {
    const r = await run(['diagnose', path.join(tmp, '*.log'), '--format', 'json', ...NOW]);
    expect(JSON.parse(r.stdout).stats.inputs.length).toBeGreaterThanOrEqual(2);
  });

  it('diagnoses the shipped sample data with every documented signature', async () => {
    const r = await run(['diagnose', path.join(examples, 'logs'), '--events', path.join(examples, 'history/sync-events.json'), '--format', 'json', ...NOW]);
    const ids = new Set(JSON.parse(r.stdout).diagnoses.map((d: { ruleId: string }) => d.ruleId));
    expect([...ids].sort()).toEqual(
      ['bucket-not-configured', 'control-tags-uncovered', 'file-exceeds-copy-ceiling', 'infosec-level-exceeds-max', 'manifest-key-missing', 'no-manifest-received', 'shared-secret-invalid-token', 'sync-stale'].sort(),
    );
  });

  it.each([
    ['markdown', '# scs-doctor report'],
    ['html', '<!doctype html>'],
    ['text', 'Fix:'],
  ])('renders --format %s', async (format, marker) => {
    const r = await run(['diagnose', invalidToken, '--format', format, ...NOW]);
    expect(r.stdout).toContain(marker);
  });

  it('gives the same report with --jobs 2 as with one thread', async () => {
    const args = ['diagnose', path.join(examples, 'logs'), invalidToken, '--events', path.join(examples, 'history/sync-events.json'), '--format', 'json', ...NOW];
    const one = JSON.parse((await run(args)).stdout);
    const two = JSON.parse((await run([...args, '--jobs', '2'])).stdout);
    expect(two.diagnoses.map((d: { key: string; count: number }) => [d.key, d.count])).toEqual(one.diagnoses.map((d: { key: string; count: number }) => [d.key, d.count]));
  });

  it('writes the report to --output and nothing to stdout', async () => {
    const out = path.join(tmp, 'out.json');
    const r = await run(['diagnose', invalidToken, '--format', 'json', '--output', out, ...NOW]);
    expect([r.stdout, existsSync(out)]).toEqual(['', true]);
  });

  it('exits 2 but still reports when one input is missing', async () => {
    const r = await run(['diagnose', invalidToken, path.join(tmp, 'nope.log'), '--format', 'json', ...NOW]);
    const report = JSON.parse(r.stdout);
    expect([r.code, report.diagnoses.length, report.stats.problems[0].code]).toEqual([2, 1, 'INPUT_NOT_FOUND']);
  });

  it.each([
    [['diagnose'], 'USAGE'],
    [['diagnose', 'x.log', '--format', 'yaml'], '--format must be one of'],
    [['diagnose', 'x.log', '--stale-after', 'soon'], '--stale-after must be a duration'],
    [['diagnose', 'x.log', '--now', 'later'], '--now must be an ISO-8601 time'],
    [['diagnose', 'x.log', '--jobs', '0'], '--jobs must be a whole number'],
    [['diagnose', 'x.log', '--bogus'], 'USAGE'],
    [['frobnicate'], 'unknown command'],
    [['diagnose', 'x.log', '--rules', '/nonexistent/rules'], 'RULES_NOT_FOUND'],
  ])('exits 2 with a one-line reason for %j', async (args, reason) => {
    const r = await run(args);
    expect([r.code, r.stderr.includes(reason), r.stderr.includes('    at ')]).toEqual([2, true, false]);
  });
  it.each([[['diagnose', '--help']], [['rules', 'list', '-h']], [['merge', 'a.json', '--help']], [['help']]])('prints the usage for %j (exit 0, on stdout)', async (args) => {
    const r = await run(args);
    expect([r.code, r.stdout.startsWith('Usage:'), r.stdout.includes('tar'), r.stderr]).toEqual([0, true, true, '']);
  });

  it('reads a file named --help after --', async () => {
    const r = await run(['diagnose', '--format', 'json', ...NOW, '--', '--help']);
    expect([r.code, JSON.parse(r.stdout).stats.problems[0].code]).toEqual([2, 'INPUT_NOT_FOUND']);
  });
});

describe('scs-doctor diagnose --config', () => {
  it('compares the Master Keys by fingerprint and never prints them', async () => {
    write('scs.env', 'ISTARI_DIGITAL_SECURE_CONNECTION_SERVICE_MASTER_SECRET=scs-value-7d1f0a9e4c\n');
    write('registry.env', 'FILE_SERVICE_REMOTE_MASTER_SECRET=registry-value-2b8e6c3a51\n');
    const config = write('deployment.json', JSON.stringify({ env: { scs: 'scs.env', registry: 'registry.env' } }));
    const r = await run(['diagnose', '--config', config, '--format', 'json', ...NOW]);
    const ids = JSON.parse(r.stdout).diagnoses.map((d: { ruleId: string }) => d.ruleId);
    expect([r.code, ids, /scs-value|registry-value/.test(r.stdout + r.stderr)]).toEqual([1, ['master-secret-mismatch'], false]);
  });

  it('a missing environment snapshot is a problem of the report, not an abort', async () => {
    write('registry-only.env', 'FILE_SERVICE_REMOTE_MASTER_SECRET=registry-value-2b8e6c3a51\n');
    const config = write('deployment-missing.json', JSON.stringify({ env: { scs: 'nowhere-scs.env', registry: 'registry-only.env' } }));
    const r = await run(['diagnose', '--config', config, '--format', 'json', ...NOW]);
    const report = JSON.parse(r.stdout);
    expect([r.code, report.stats.problems.map((p: { code: string }) => p.code), report.stats.probes]).toEqual([0, ['INPUT_NOT_FOUND'], 0]);
  });

  it('an unset credential variable is a problem of the report, not an abort', async () => {
    const config = write(
      'deployment-unset.json',
      JSON.stringify({ s3: { region: 'us-east-1', accessKeyIdEnv: 'SCS_DOCTOR_TEST_UNSET_KEY_ID', secretAccessKeyEnv: 'SCS_DOCTOR_TEST_UNSET_SECRET', buckets: [{ name: 'acme-inbox', role: 'inbox' }] } }),
    );
    const r = await run(['diagnose', '--config', config, '--format', 'json', ...NOW]);
    const report = JSON.parse(r.stdout);
    expect([r.code, report.stats.problems.map((p: { code: string; message: string }) => [p.code, p.message.includes('SCS_DOCTOR_TEST_UNSET_KEY_ID')])]).toEqual([0, [['OPTION_INVALID', true]]]);
  });

  it.each([[['--jobs', '1']], [['--jobs', '2']]])('with a missing snapshot and an unset credential variable, the logs are still diagnosed (%j)', async (jobs) => {
    const config = write(
      'deployment-both-missing.json',
      JSON.stringify({
        env: { scs: 'nowhere-scs.env', registry: 'nowhere-registry.env' },
        s3: { region: 'us-east-1', accessKeyIdEnv: 'SCS_DOCTOR_TEST_UNSET_KEY_ID', secretAccessKeyEnv: 'SCS_DOCTOR_TEST_UNSET_SECRET', buckets: [{ name: 'acme-inbox', role: 'inbox' }] },
      }),
    );
    const r = await run(['diagnose', '--config', config, invalidToken, clean, ...jobs, '--format', 'json', ...NOW]);
    const report = JSON.parse(r.stdout);
    expect([r.code, r.stderr.includes('    at '), report.diagnoses.map((d: { ruleId: string }) => d.ruleId), report.stats.problems.map((p: { code: string }) => p.code).sort(), report.stats.linesRead]).toEqual([
      1,
      false,
      ['shared-secret-invalid-token'],
      ['INPUT_NOT_FOUND', 'INPUT_NOT_FOUND', 'OPTION_INVALID'],
      3,
    ]);
  });

  it('refuses a config that holds a credential, without echoing it', async () => {
    const config = write('bad-deployment.json', JSON.stringify({ s3: { region: 'us-east-1', buckets: [{ name: 'b', role: 'inbox' }], secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } }));
    const r = await run(['diagnose', '--config', config]);
    expect([r.code, r.stderr.includes('wJalrXUtnFEMI'), r.stderr.length > 0]).toEqual([2, false, true]);
  });
});

describe('scs-doctor rules', () => {
  it('lists the built-in rules', async () => {
    const r = await run(['rules', 'list']);
    expect(r.stdout).toMatch(/file-exceeds-copy-ceiling\s+warning\s+sending/);
  });

  it('passes the built-in fixtures', async () => {
    const r = await run(['rules', 'test']);
    expect([r.code, / 0 failed/.test(r.stdout)]).toEqual([0, true]);
  });

  it('prints the rule file JSON Schema', async () => {
    const r = await run(['rules', 'schema']);
    expect(JSON.parse(r.stdout).properties.signature).toBeDefined();
  });

  it('lints a broken rule with file, line and code, and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-doctor-lint-'));
    writeFileSync(path.join(dir, 'bad-rule.yaml'), 'id: other-name\ntitle: T\nseverity: error\nside: sending\ncategory: c\nreferences: [r]\nsummary: s {{nope}}\ncause: c\nimpact: i\nremediation: [x]\nbogus: 1\n');
    const r = await run(['rules', 'lint', dir]);
    expect([r.code, /bad-rule\.yaml:\d+:\d+ RULE_INVALID unknown field "bogus"/.test(r.stdout)]).toEqual([1, true]);
  });
});

describe('scs-doctor merge', () => {
  it('merges two reports into their sum', async () => {
    const a = path.join(tmp, 'a.json');
    const b = path.join(tmp, 'b.json');
    await run(['diagnose', invalidToken, '--format', 'json', '--output', a, ...NOW]);
    await run(['diagnose', invalidToken, '--format', 'json', '--output', b, ...NOW]);
    const r = await run(['merge', a, b, '--format', 'json']);
    expect(JSON.parse(r.stdout).diagnoses[0].count).toBe(2);
  });

  it('writes text by default, as diagnose does', async () => {
    const a = path.join(tmp, 'c.json');
    await run(['diagnose', invalidToken, '--format', 'json', '--output', a, ...NOW]);
    const [merged, single] = [await run(['merge', a]), await run(['diagnose', invalidToken, ...NOW])];
    expect([merged.stdout.startsWith('{'), merged.stdout.includes('shared-secret-invalid-token'), single.stdout.startsWith('{')]).toEqual([false, true, false]);
  });

  it('says where --output wrote the report, on standard error', async () => {
    const out = path.join(tmp, 'merged.md');
    const a = path.join(tmp, 'd.json');
    await run(['diagnose', invalidToken, '--format', 'json', '--output', a, ...NOW]);
    const r = await run(['merge', a, '--format', 'markdown', '--output', out]);
    expect([r.stdout, r.stderr]).toEqual(['', `scs-doctor: report written to ${out}\n`]);
  });

  it('refuses a file that is not a report', async () => {
    const r = await run(['merge', clean]);
    expect([r.code, r.stderr.includes('REPORT_INVALID')]).toEqual([2, true]);
  });
});

describe('help', () => {
  it.each([['--events'], ['--format'], ['--output'], ['--now'], ['--stale-after'], ['--rules'], ['--no-builtin'], ['--log-format'], ['--redact'], ['--max-evidence'], ['--config'], ['--jobs'], ['--color'], ['--verbose'], ['--quiet']])(
    'describes %s',
    async (option) => {
      const r = await run(['help']);
      expect(r.stdout).toMatch(new RegExp(`^ {2}(?:-\\w, )?${option}\\b.* {2,}\\w`, 'm'));
    },
  );
});

describe('the installed command', () => {
  const bin = path.join(root, 'packages/cli/bin/scs-doctor.js');
  it.runIf(existsSync(path.join(root, 'packages/cli/dist/main.js')))('runs as a process and exits with the diagnosis status', async () => {
    const p = promisify(execFile)(process.execPath, [bin, 'diagnose', invalidToken, '--format', 'json', ...NOW]);
    const err = await p.then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect([err?.code, JSON.parse(err?.stdout ?? '{}').diagnoses?.length]).toEqual([1, 1]);
  });
});
