/**
 * What every human-readable report opens with (the inputs that could not be read, marked first;
 * diagnoses by severity; inputs; connections), the Markdown summary table, and the HTML timeline
 * with text from the inputs that tries to be markup or to reorder itself.
 */
import { describe, expect, it } from 'vitest';
import { compileRules, diagnose, DiagnosisSession, render, type Report } from '../src/index.js';
import { log, rule } from './helpers.js';

const pack = compileRules([
  rule({ id: 'secret-bad', severity: 'critical', side: 'sending', signature: { anchors: ['InvalidToken'] }, summary: 'Secret unreadable' }),
  rule({ id: 'tags-open', severity: 'warning', signature: { anchors: ['uncovered tags'], pattern: 'uncovered tags: (?<tags>\\S+)' }, groupBy: ['tags'], summary: 'Tags {{tags}} uncovered' }),
]);
const NOW = '2026-05-12T12:00:00Z';

/** A report whose second input was cut short: a gzip member ends early after 2 lines. */
function partial(): Report {
  const session = new DiagnosisSession(pack, { now: NOW });
  session.read('scs.log', 1);
  session.log(log('shared secret unavailable: InvalidToken', { time: '2026-05-12T10:00:00Z', source: { file: 'scs.log', line: 1, endLine: 1 } }));
  session.read('rotated.log.1.gz', 2);
  session.unmatched('rotated.log.1.gz', 2, 2);
  session.problem({ code: 'INPUT_CORRUPT', message: 'rotated.log.1.gz: gzip data is damaged or cut short: member 1 is cut short', file: 'rotated.log.1.gz' }, 'rotated.log.1.gz');
  session.problem({ code: 'EVENT_INVALID', message: 'event 3 has no startedAt', file: 'history.json', line: 3 });
  return session.report();
}

const whole = diagnose(pack, { logs: [log('shared secret unavailable: InvalidToken', { time: '2026-05-12T10:00:00Z' })] }, { now: NOW });

describe('the overview marks an input that could not be read at the very top', () => {
  it('text: the first line says the report is incomplete, the next names the input and its code', () => {
    const lines = render(partial(), 'text').split('\n');
    expect([lines[0], lines[1]?.trim()]).toEqual([
      '!! Incomplete report: 1 input could not be read (wholly or in part); what follows covers only what was read.',
      'rotated.log.1.gz  INPUT_CORRUPT  rotated.log.1.gz: gzip data is damaged or cut short: member 1 is cut short',
    ]);
  });

  it('markdown: a quoted warning right under the title, naming the input', () => {
    const lines = render(partial(), 'markdown').split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '# scs-doctor report',
      '',
      '> **⚠ Incomplete report: 1 input could not be read (wholly or in part); what follows covers only what was read.**',
      '>',
      '> - `rotated.log.1.gz` INPUT_CORRUPT: rotated.log.1.gz: gzip data is damaged or cut short: member 1 is cut short',
    ]);
  });

  it('html: the alert is the first element after the page header', () => {
    const h = render(partial(), 'html');
    const afterHeader = h.slice(h.indexOf('</header>') + '</header>'.length).trimStart();
    expect([afterHeader.startsWith('<div class="incomplete" role="alert" data-incomplete="1">'), afterHeader.indexOf('rotated.log.1.gz') < afterHeader.indexOf('class="tiles"')]).toEqual([true, true]);
  });

  it.each([['text'], ['markdown'], ['html']] as const)('%s: a report that read everything has no such warning', (format) => {
    expect(render(whole, format)).not.toMatch(/Incomplete report/);
  });

  it('a problem about one event does not make the report incomplete; a connection cap does', () => {
    const r = partial();
    const onlyEvent: Report = { ...r, stats: { ...r.stats, inputs: r.stats.inputs.map(({ error: _e, ...i }) => i), problems: r.stats.problems.filter((p) => p.code === 'EVENT_INVALID') } };
    const capped: Report = { ...onlyEvent, stats: { ...onlyEvent.stats, problems: [{ code: 'CONNECTIONS_OVER_LIMIT', message: 'more than 20,000 connections' }] } };
    expect([render(onlyEvent, 'text').startsWith('!!'), render(capped, 'text').split('\n').slice(0, 2)]).toEqual([
      false,
      ['!! Incomplete report: not everything in the inputs could be followed; what follows covers only what was read.', '   CONNECTIONS_OVER_LIMIT  more than 20,000 connections'],
    ]);
  });

  it('counts diagnoses by severity, active and resolved apart, and lists the inputs', () => {
    const t = render(partial(), 'text');
    expect([t.includes('Diagnoses active: 1 critical\n'), /Inputs \(2\):\n {4}scs\.log {2}logs, 1 line \(python\)\n {2}✖ rotated\.log\.1\.gz {2}logs, 2 lines; INPUT_CORRUPT\n/.test(t)]).toEqual([true, true]);
  });
});

describe('markdown summary table', () => {
  const events = [
    {
      id: 'e1',
      connectionId: 'c-1',
      connectionName: 'Acme | Globex',
      direction: 'sending',
      sharedId: 'sh|1',
      status: 'failure',
      startedAt: '2026-05-12T09:00:00Z',
      finishedAt: '2026-05-12T09:00:01Z',
      message: 'shared secret unavailable: InvalidToken',
    },
    { id: 'e2', connectionId: 'c-1', direction: 'sending', status: 'success', startedAt: '2026-05-12T09:10:00Z', finishedAt: '2026-05-12T09:10:01Z' },
    { id: 'e3', connectionId: 'r-2', direction: 'receiving', status: 'failure', startedAt: '2026-05-12T09:20:00Z', finishedAt: '2026-05-12T09:20:01Z', message: 'uncovered tags: ITAR' },
  ];
  const report = diagnose(pack, { events }, { now: NOW });
  const md = render(report, 'markdown');
  const table = md.slice(md.indexOf('## Summary'), md.indexOf('\n\n', md.indexOf('| severity |')));

  it('is preceded by the counts by severity, active and resolved apart', () => {
    expect(md.slice(0, md.indexOf('## Summary'))).toContain('**Diagnoses:** active: 1 warning · resolved: 1 critical\n');
  });

  it('comes before the connections and the first diagnosis', () => {
    expect([md.indexOf('## Summary') < md.indexOf('## Connections'), md.indexOf('## Connections') < md.indexOf('## WARNING')]).toEqual([true, true]);
  });

  it('has one row per diagnosis, active first, with escaped pipes', () => {
    expect(table.split('\n').slice(2)).toEqual([
      '| severity | diagnosis | connection(s) | Shared ID | state | since / resolved | count |',
      '| --- | --- | --- | --- | --- | --- | ---: |',
      '| warning | `tags-open` Rule tags-open | r-2 | — | active | since 2026-05-12 09:20:01Z | 1 |',
      '| critical | `secret-bad` Rule secret-bad | Acme \\| Globex (c-1) | `sh\\|1` | resolved | resolved 2026-05-12 09:10:01Z | 1 |',
    ]);
  });
});

describe('html timeline with hostile text', () => {
  const NAME = 'Evil <script>alert(1)</script> \u202egnp.exe';
  const events = [
    {
      id: 'a1',
      connectionId: 'c-"x"',
      connectionName: NAME,
      direction: 'sending',
      sharedId: '<img src=x onerror=alert(2)>',
      status: 'failure',
      startedAt: '2026-05-12T09:00:00Z',
      finishedAt: '2026-05-12T09:00:01Z',
      message: 'shared secret unavailable: InvalidToken',
    },
    { id: 'a2', connectionId: 'c-"x"', direction: 'sending', status: 'success', startedAt: '2026-05-12T09:10:00Z', finishedAt: '2026-05-12T09:10:01Z' },
    { id: 'a3', connectionId: 'c-"x"', direction: 'sending', status: 'running', startedAt: '2026-05-12T09:20:00Z' },
  ];
  const report = diagnose(pack, { events }, { now: NOW });
  const h = render(report, 'html');
  const timeline = h.slice(h.indexOf('<article class="tl"'), h.lastIndexOf('</article>'));

  it('writes names, ids and Shared IDs as text: no tag, no live bidirectional control', () => {
    expect([
      /<script|<img/i.test(h),
      /[\u202a-\u202e\u2066-\u2069]/.test(h),
      timeline.includes('Evil &lt;script&gt;alert(1)&lt;/script&gt; \\u202egnp.exe (c-&quot;x&quot;)'),
      timeline.includes('Shared ID <code>&lt;img src=x onerror=alert(2)&gt;</code>'),
      timeline.includes('data-connection="c-&quot;x&quot;"'),
    ]).toEqual([false, false, true, true, true]);
  });

  it('draws one mark per attempt with its status, and the diagnosis from onset to recovery', () => {
    const statuses = [...timeline.matchAll(/data-mark="attempt" data-status="([a-z]+)"/g)].map((m) => m[1]);
    const band = /data-mark="diagnosis" data-diagnosis="[^"]*" data-rule="secret-bad" data-state="resolved" data-first="([^"]+)" data-last="([^"]+)" data-recovered="([^"]+)"/.exec(timeline);
    expect([statuses, band?.slice(1)]).toEqual([
      ['failure', 'success', 'started'],
      ['2026-05-12T09:00:01.000Z', '2026-05-12T09:00:01.000Z', '2026-05-12T09:10:01.000Z'],
    ]);
  });

  it('draws the 100 worst connections and counts the rest', () => {
    const many = Array.from({ length: 102 }, (_, i) => ({
      id: `m${i}`,
      connectionId: `c-${String(i).padStart(3, '0')}`,
      direction: 'sending',
      status: i === 101 ? 'failure' : 'success',
      startedAt: '2026-05-12T09:00:00Z',
      finishedAt: '2026-05-12T09:00:01Z',
      message: i === 101 ? 'shared secret unavailable: InvalidToken' : undefined,
    }));
    const page = render(diagnose(pack, { events: many }, { now: NOW }), 'html');
    const drawn = [...page.matchAll(/<article class="tl" data-connection="([^"]*)"/g)].map((m) => m[1]);
    expect([drawn.length, drawn[0], page.includes('2 more connections not drawn; all are in the connections table above.')]).toEqual([100, 'c-101', true]);
  });

  it('has a policy that blocks scripts and every fetch', () => {
    expect(h).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
  });
});
