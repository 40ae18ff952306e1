/**
 * Log shapes real producers write beyond the application's own file: collectors and log stores
 * that keep each output line on its own (syslog, journald, CloudWatch, Loki, Grafana, Compose,
 * Fluent Bit, Filebeat, Cloud Logging), more Python layouts, colour codes, the NULs a crash
 * leaves, UTF-16 without a byte-order mark and zip archives, and the JSON documents log stores
 * export (CloudWatch, Cloud Logging, Elasticsearch). Each shape is written byte for byte
 * from the same morning of failures (SCENARIO) and held to the report of the plain Python log:
 * the same diagnoses, counts, times, sides and connections, and every line accounted for.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Level } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { diagnoseInputs, loadRulePack } from '../src/index.js';
import { countsByRule, summaries, unbalanced } from './helpers/compare.js';
import {
  awsLogsTail,
  celeryText,
  cloudwatchExport,
  cloudwatchFilterLogEvents,
  cloudwatchGetLogEvents,
  composeLogs,
  cookbookText,
  crlf,
  elasticsearchCompact,
  elasticsearchResponse,
  filterLogEventsResponse,
  fluentdOutFile,
  gcloudLoggingReadCompact,
  getLogEventsResponse,
  jqCompact,
  sternLogs,
  structlogJson,
  filebeatJson,
  fluentBitJson,
  gcloudLoggingRead,
  gcpJsonEntries,
  gcpJsonPayload,
  gcpTextEntries,
  gcpTextPayload,
  grafanaTxt,
  journalJson,
  journalNative,
  journalShortIso,
  logcliJsonl,
  logcliText,
  outputLines,
  pipeText,
  pythonText,
  rsyslogFile,
  structlogConsole,
  syslog5424,
  syslogBsd,
  utf16le,
  zipOf,
  type LogEvent,
  type PyLevel,
  asctime,
} from './helpers/producers.js';
import { NOW, readAll } from './helpers/read.js';
import { SCENARIO, streamOf } from './helpers/scenario.js';

const pack = await loadRulePack([rulesDir]);
const PLAIN = pythonText(SCENARIO);
const expected = summaries(readAll(pack, PLAIN).report);
const LINES = outputLines(SCENARIO, pythonText, streamOf);
const LEVEL: Record<PyLevel, Level> = { DEBUG: 'debug', INFO: 'info', WARNING: 'warn', ERROR: 'error', CRITICAL: 'fatal' };

describe('collectors and log stores that keep each output line on its own', () => {
  // Before the reader took their prefixes and wrappers off, every line of a traceback was a
  // record of its own: a failure counted once per line that repeats it, the level and logger
  // of the line's own header were lost.
  const SHAPES: [string, string][] = [
    ['syslog RFC 3164 (/var/log/syslog, journalctl)', syslogBsd(LINES)],
    ['syslog RFC 3164 with its <PRI>', syslogBsd(LINES, true)],
    ['rsyslog with RFC 3339 times', rsyslogFile(LINES)],
    ['syslog RFC 5424', syslog5424(LINES)],
    ['journalctl -o short-iso', journalShortIso(LINES)],
    ['journalctl -o json of a service writing to stdout', journalJson(LINES)],
    ['aws logs tail', awsLogsTail(LINES)],
    ['a CloudWatch export to S3 (a bare time before each line)', cloudwatchExport(LINES)],
    ['logcli query --forward', logcliText(LINES)],
    ['logcli query --forward --output=jsonl', logcliJsonl(LINES)],
    ['Grafana "Download logs" (.txt, oldest first)', grafanaTxt(LINES)],
    ['docker compose logs', composeLogs(LINES)],
    ['docker compose logs, coloured', composeLogs(LINES, true)],
    ['Fluent Bit json_lines', fluentBitJson(LINES)],
    ['Filebeat (ECS, the line under message)', filebeatJson(LINES)],
    ['Cloud Logging textPayload (stderr as ERROR)', gcpTextPayload(LINES)],
  ];
  it.each(SHAPES)('%s: the diagnoses of the application log, every line counted', (_name, text) => {
    const { report } = readAll(pack, text);
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
  });

  it('the level and logger come from the line a collector wrapped, not from the collector', () => {
    // Cloud Logging marks every stderr line ERROR; the application's header says otherwise.
    const { records } = readAll(pack, gcpTextPayload(LINES));
    expect(records.map((r) => [r.level, r.logger])).toEqual(SCENARIO.map((e) => [LEVEL[e.level], e.logger]));
  });

  it('lines of two processes that a syslog file interleaves stay apart', () => {
    const a = syslogBsd(outputLines(SCENARIO, pythonText, streamOf)).split('\n');
    const b = syslogBsd(outputLines([{ time: '2026-05-12T09:00:02.900Z', level: 'INFO', logger: 'cron', message: 'job started' }], pythonText)).replace('scs[7]', 'cron[412]');
    // The other process's line between the header of the first failure and its traceback.
    const at = a.findIndex((l) => l.includes('Traceback'));
    const mixed = [...a.slice(0, at), b.trimEnd(), ...a.slice(at)].join('\n');
    const { report } = readAll(pack, mixed);
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
  });
});

describe('JSON shapes of journald and Cloud Logging', () => {
  it('journalctl -o json of JournalHandler records: MESSAGE, PRIORITY, __REALTIME_TIMESTAMP, LOGGER', () => {
    const { report, records } = readAll(pack, journalNative(SCENARIO));
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
    expect(records.map((r) => [r.level, r.logger])).toEqual(SCENARIO.map((e) => [LEVEL[e.level], e.logger]));
  });

  it('Cloud Logging jsonPayload: the payload is the event, the entry gives severity and time', () => {
    const { report, records } = readAll(pack, gcpJsonPayload(SCENARIO));
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
    expect(records.map((r) => r.level)).toEqual(SCENARIO.map((e) => LEVEL[e.level]));
  });
});

describe('Python layouts', () => {
  it("Celery's worker format: time and level in `[time: LEVEL/process]`", () => {
    const { report, records } = readAll(pack, celeryText(SCENARIO));
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
    expect(records.map((r) => r.level)).toEqual(SCENARIO.map((e) => LEVEL[e.level]));
  });

  it.each([
    ['the logging cookbook: logger before level, both padded', cookbookText],
    ['pipes: time | level | logger | message', pipeText],
  ])('%s', (_name, render) => {
    const { report, records } = readAll(pack, render(SCENARIO));
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
    expect(records.map((r) => [r.level, r.logger])).toEqual(SCENARIO.map((e) => [LEVEL[e.level], e.logger]));
  });

  const UNKNOWN: LogEvent = { time: '2026-05-12T10:00:00.000Z', level: 'ERROR', logger: 'scs.sync.receiver', fields: { connection_id: 'r-22c0f9' }, message: 'sync failed: upstream returned HTTP 503' };
  const EVENTS = [...SCENARIO, UNKNOWN];

  it("structlog's ConsoleRenderer: the logger after the event is read", () => {
    const { records } = readAll(pack, structlogConsole(EVENTS, false));
    // The renderer puts the logger after the event's last line: a multi-line event has none on its first.
    const first = (e: LogEvent) => (e.message.includes('\n') ? undefined : e.logger);
    expect(records.map((r) => [r.level, r.logger])).toEqual(EVENTS.map((e) => [LEVEL[e.level], first(e)]));
  });

  it("structlog's ConsoleRenderer in colour: an error no rule knows is listed as without colour", () => {
    // The level sits between colour codes (`[` ESC[31m ESC[1m `error`), where the scanner's
    // `[error` marker is not found in the raw bytes.
    const plain = readAll(pack, structlogConsole(EVENTS, false)).report;
    const colour = readAll(pack, structlogConsole(EVENTS, true)).report;
    expect(colour.unmatched.map((u) => [u.template, u.count])).toEqual(plain.unmatched.map((u) => [u.template, u.count]));
    expect(colour.unmatched.some((u) => u.template.includes('upstream returned HTTP'))).toBe(true);
    expect([summaries(colour), unbalanced(colour)]).toEqual([summaries(plain), []]);
  });
});

describe('the NULs a crash leaves', () => {
  // The service died with data not yet on disk: the file kept its length, the unwritten tail reads
  // as zeros, and the restarted service writes on right after them, on the same "line".
  const cut = SCENARIO.findIndex((e) => e.expect === 'shared-secret-invalid-token');
  const before = pythonText(SCENARIO.slice(0, cut));
  const after = pythonText(SCENARIO.slice(cut));

  it('the line after the zeros is read, not skipped as binary; zeros inside a line still are', () => {
    const { report } = readAll(pack, Buffer.concat([Buffer.from(before), Buffer.alloc(4096), Buffer.from(after)]));
    expect([summaries(report), report.stats.inputs[0]!.skipped, unbalanced(report)]).toEqual([expected, {}, []]);
    const inside = readAll(pack, `${before}abc\0def\n${after}`).report;
    expect([inside.stats.inputs[0]!.skipped, unbalanced(inside)]).toEqual([{ binary: 1 }, []]);
  });
});

describe('containers', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'scs-producers-'));
    writeFileSync(path.join(dir, 'scs.log'), PLAIN);
    // A cut of a file PowerShell wrote (`Get-Content -Tail`, a split): UTF-16LE, CRLF, no byte-order mark.
    writeFileSync(path.join(dir, 'utf16-cut.log'), utf16le(crlf(PLAIN), false));
    writeFileSync(path.join(dir, 'logs.zip'), zipOf('scs.log', PLAIN));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (inputs: string[]) => diagnoseInputs(pack, { inputs, cwd: dir, now: NOW, evidenceLimit: 1000 });

  it('UTF-16LE without a byte-order mark is told by its zero bytes', async () => {
    const { report, lost } = await run(['utf16-cut.log']);
    expect([lost, summaries(report), unbalanced(report)]).toEqual([false, expected, []]);
  });

  it('a zip archive is refused with its reason, and the other inputs are diagnosed', async () => {
    const { report, lost } = await run(['logs.zip', 'scs.log']);
    expect([lost, report.stats.problems.map((p) => [p.code, p.message]), summaries(report)]).toEqual([true, [['INPUT_UNREADABLE', 'logs.zip: a zip archive, which scs-doctor does not read; extract it and pass the folder']], expected]);
  });
});

describe('log stores exported as one JSON document', () => {
  // Before the reader read such a document entry by entry, each of its pretty-printed lines was a
  // fragment: the indented lines ran together into records of thousands of lines, a failure
  // counted once however often it occurred, and times were lost.
  const FILTER = cloudwatchFilterLogEvents(SCENARIO);
  const GCLOUD_TEXT = gcloudLoggingRead(gcpTextEntries(LINES));
  const DOCS: [string, string][] = [
    ['aws logs filter-log-events (a record an event, tracebacks inside messages)', FILTER],
    ['aws logs get-log-events (the awslogs driver: an event a line)', cloudwatchGetLogEvents(LINES)],
    ['gcloud logging read --format=json, textPayload lines, newest first', GCLOUD_TEXT],
    ['gcloud logging read --format=json, jsonPayload, newest first', gcloudLoggingRead(gcpJsonEntries(SCENARIO))],
    ['an Elasticsearch search response, ecs-logging _source, newest first', elasticsearchResponse(SCENARIO)],
  ];
  it.each(DOCS)('%s: the diagnoses of the application log, every line counted', (_name, text) => {
    const { report } = readAll(pack, text, 'export.json');
    expect([summaries(report), unbalanced(report), report.stats.problems]).toEqual([expected, [], []]);
  });

  it('a document in which no list of entries is found (jq -s of two exports: a list of lists) is read as text lines', () => {
    const inner = JSON.parse(gcloudLoggingRead(gcpTextEntries(LINES))) as unknown[];
    const slurped = JSON.stringify([inner.slice(0, 3), inner.slice(3)], null, 2) + '\n';
    const { report } = readAll(pack, slurped, 'export.json');
    // Each entry is one pretty-printed object over several lines, read as text: the failures are
    // found (before, every line was counted as structure and nothing was diagnosed).
    expect(Object.keys(countsByRule(report)).sort()).toEqual(Object.keys(countsByRule(readAll(pack, PLAIN).report)).sort());
    expect(unbalanced(report)).toEqual([]);
  });

  /** Lines (1-based) of a document that are exactly `opening`: where its entries start. */
  const linesOf = (text: string, opening: string) => text.split('\n').flatMap((l, i) => (l === opening ? [i + 1] : []));

  it('filter-log-events: a message with a traceback is one record; each entry counts on its first line, the rest is structure', () => {
    const { report, records } = readAll(pack, FILTER, 'export.json');
    const starts = linesOf(FILTER, '        {');
    expect(starts).toHaveLength(SCENARIO.length);
    expect(records.map((r) => [r.source.line, r.source.endLine, r.time, r.level, r.logger])).toEqual(SCENARIO.map((e, k) => [starts[k], starts[k], e.time, LEVEL[e.level], e.logger]));
    expect(records[3]!.message.split('\n')).toEqual(['connection_id=c-7f3a1e shared_id=acme-to-globex direction=sending sync failed: shared secret unavailable: InvalidToken', ...SCENARIO[3]!.exc!.split('\n')]);
    const lines = FILTER.split('\n').length - 1;
    const i = report.stats.inputs[0]!;
    expect([i.linesRead, i.linesMatched + i.linesUnmatched, i.skipped]).toEqual([lines, SCENARIO.length, { structure: lines - SCENARIO.length }]);
  });

  it('evidence points at the line where its entry starts, with the time of the event', () => {
    const starts = linesOf(FILTER, '        {');
    const timeAt = new Map(starts.map((line, k) => [line, SCENARIO[k]!.time]));
    const { report } = readAll(pack, FILTER, 'export.json');
    const evidence = report.diagnoses.flatMap((d) => d.evidence.map((e) => [d.ruleId, e.line, e.time]));
    const want = SCENARIO.flatMap((e, k) => (e.expect ? [[e.expect, starts[k], e.time]] : []));
    const order = (a: unknown[], b: unknown[]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
    expect(evidence.sort(order)).toEqual(want.sort(order));
    expect(evidence.every(([, line, time]) => timeAt.get(line as number) === time)).toBe(true);
  });

  it('gcloud, newest first: records in time order, each on the line of its first entry in the file', () => {
    const { records } = readAll(pack, GCLOUD_TEXT, 'export.json');
    const starts = linesOf(GCLOUD_TEXT, '  {');
    // The file lists the newest line first: the record of the first event starts at the entry of its header line.
    const lineOfEntry = new Map(starts.map((line, k) => [starts.length - 1 - k, line]));
    let n = 0;
    const firstLine = SCENARIO.map((e) => {
      const at = n;
      n += outputLines([e], pythonText).length;
      return lineOfEntry.get(at);
    });
    expect(records.map((r) => [r.time, r.source.line])).toEqual(SCENARIO.map((e, k) => [e.time, firstLine[k]]));
  });

  it('a document cut short: a problem with its file and line, the entries before the cut diagnosed', () => {
    // Cut inside the message of the event with the no-manifest traceback, before its signature.
    const k = SCENARIO.findIndex((e) => e.expect === 'no-manifest-received');
    const at = FILTER.indexOf(`"message": "${asctime(SCENARIO[k]!.time)}`) + 40;
    const cut = FILTER.slice(0, at);
    const entryLine = linesOf(FILTER, '        {')[k]!;
    const lastLine = cut.split('\n').length;
    const { report } = readAll(pack, cut, 'cut.json');
    expect(report.stats.problems).toEqual([
      { code: 'INPUT_CORRUPT', file: 'cut.json', line: entryLine, message: `cut.json: the file ends at line ${lastLine}, inside the document (cut short?); ${k} entries read; from line ${entryLine} on, read as lines` },
    ]);
    expect([summaries(report), unbalanced(report)]).toEqual([summaries(readAll(pack, pythonText(SCENARIO.slice(0, k))).report), []]);
  });

  it('a failure in the entry the cut ends in is still found, read as lines', () => {
    const k = SCENARIO.findIndex((e) => e.expect === 'no-manifest-received');
    const cut = FILTER.slice(0, FILTER.indexOf('scs.sync.errors.SyncError: connection failed (no manifest received)') + 70);
    const { report } = readAll(pack, cut, 'cut.json');
    const before = countsByRule(readAll(pack, pythonText(SCENARIO.slice(0, k))).report);
    expect([countsByRule(report), unbalanced(report), report.stats.problems.map((p) => p.code)]).toEqual([{ ...before, 'no-manifest-received': 1 }, [], ['INPUT_CORRUPT']]);
  });

  it('an entry whose text is not valid JSON (a control byte) is read as text, with a problem; the entries after it as entries', () => {
    const k = SCENARIO.findIndex((e) => e.expect === 'shared-secret-invalid-token');
    const damaged = FILTER.replace('sync failed: shared secret', 'sync failed:\x01 shared secret');
    const { report } = readAll(pack, damaged, 'export.json');
    const line = linesOf(FILTER, '        {')[k]!;
    expect(report.stats.problems).toEqual([{ code: 'INPUT_CORRUPT', file: 'export.json', line, message: `export.json: the entry at line ${line} is not valid JSON (Bad control character in string literal); read as text` }]);
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
  });

  it('a document cut short is an input problem of the run (exit 2), the report is still written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-export-'));
    try {
      writeFileSync(path.join(dir, 'cut.json'), FILTER.slice(0, Math.floor(FILTER.length / 2)));
      writeFileSync(path.join(dir, 'whole.json'), FILTER);
      const cut = await diagnoseInputs(pack, { inputs: ['cut.json'], cwd: dir, now: NOW });
      const whole = await diagnoseInputs(pack, { inputs: ['whole.json'], cwd: dir, now: NOW, evidenceLimit: 1000 });
      expect([cut.lost, cut.report.stats.problems.map((p) => [p.code, p.file]), cut.report.diagnoses.length > 0]).toEqual([true, [['INPUT_CORRUPT', 'cut.json']], true]);
      expect([whole.lost, summaries(whole.report)]).toEqual([false, expected]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a document past the cap is read line by line, with a problem that says so', () => {
    const { report } = readAll(pack, FILTER, 'big.json', { maxDocumentBytes: 4096 });
    expect([report.stats.problems.map((p) => [p.code, p.line, p.message.startsWith('big.json: a JSON document larger than')]), unbalanced(report)]).toEqual([[['INPUT_UNREADABLE', 1, true]], []]);
  });

  it('text after the document is read as text; a log whose lines open with a bracket is no document', () => {
    // `aws logs … > out.json` then the service's own file appended to it.
    const k = SCENARIO.findIndex((e) => e.expect === 'manifest-key-missing');
    const joined = readAll(pack, cloudwatchFilterLogEvents(SCENARIO.slice(0, k)) + pythonText(SCENARIO.slice(k)), 'export.json').report;
    expect([summaries(joined), unbalanced(joined), joined.stats.problems]).toEqual([expected, [], []]);
    const celery = readAll(pack, celeryText(SCENARIO)).report;
    expect([celery.stats.inputs[0]!.skipped['structure'], summaries(celery)]).toEqual([undefined, expected]);
  });
});

describe('stern: several pods tailed at once, `<pod> <container>` before each line', () => {
  // Before the reader took stern's prefix off, every line of a traceback was a record of its own
  // (no header, not indented): a failure counted once per line that repeats it.
  const plain = readAll(pack, PLAIN);
  const shape = (text: string) => {
    const { report, records } = readAll(pack, text);
    return { summaries: summaries(report), unbalanced: unbalanced(report), records: records.map((r) => [r.source.line, r.source.endLine, r.level, r.logger, r.message]) };
  };
  const want = { summaries: expected, unbalanced: [], records: plain.records.map((r) => [r.source.line, r.source.endLine, r.level, r.logger, r.message]) };

  it.each([
    ['piped (no colour)', sternLogs(LINES)],
    ['on a terminal (--color always): the names coloured', sternLogs(LINES, undefined, true)],
  ])('%s: the records, lines and diagnoses of the application log', (_name, text) => {
    expect(shape(text)).toEqual(want);
  });

  it('evidence points at the lines of the application log', () => {
    const evidence = (text: string) => readAll(pack, text).report.diagnoses.flatMap((d) => d.evidence.map((e) => [d.ruleId, e.line, e.endLine, e.time]));
    expect(evidence(sternLogs(LINES, undefined, true))).toEqual(evidence(PLAIN));
  });

  it('two pods whose lines interleave: each pod its own lane, each failure counted once', () => {
    const a = sternLogs(
      outputLines(
        SCENARIO.filter((_, k) => k % 2 === 0),
        pythonText,
        streamOf,
      ),
      'scs-7d9f8c6b5-x2kqp',
    )
      .split('\n')
      .slice(0, -1);
    const b = sternLogs(
      outputLines(
        SCENARIO.filter((_, k) => k % 2 === 1),
        pythonText,
        streamOf,
      ),
      'scs-7d9f8c6b5-m8wz4',
    )
      .split('\n')
      .slice(0, -1);
    const mixed: string[] = [];
    for (let k = 0; k < Math.max(a.length, b.length); k++) mixed.push(...(k < a.length ? [a[k]!] : []), ...(k < b.length ? [b[k]!] : []));
    const { report, records } = readAll(pack, mixed.join('\n') + '\n');
    expect([summaries(report), unbalanced(report), records.length]).toEqual([expected, [], SCENARIO.length]);
  });

  it('plain logs whose first words look like names are read as they were', () => {
    // `%(message)s` lines that open with lowercase words, one followed by a header; a pod-shaped
    // pair that never stood before a header; none of them is a prefix.
    const text = [
      'sync failed 2026-05-12 09:00:02,905 ERROR [scs.sync.sender] not a prefix: "sync" is no pod name',
      'connection failed (no manifest received)',
      '2026-05-12 09:00:03,000 ERROR [scs.sync.sender] pods in error:',
      'scs-7d9f8c6b5-x2kqp scs restarted twice',
      'Traceback (most recent call last):',
      '  File "/app/scs/sync/worker.py", line 42, in sync',
      'scs.sync.errors.SyncError: connection failed (no manifest received)',
      '',
    ].join('\n');
    const { records, report } = readAll(pack, text);
    expect(records.map((r) => [r.source.line, r.source.endLine, r.message.split('\n')[0]])).toEqual([
      [1, 1, 'sync failed 2026-05-12 09:00:02,905 ERROR [scs.sync.sender] not a prefix: "sync" is no pod name'],
      [2, 2, 'connection failed (no manifest received)'],
      [3, 7, 'pods in error:'],
    ]);
    expect(records[2]!.message.split('\n')[1]).toBe('scs-7d9f8c6b5-x2kqp scs restarted twice');
    // Two failures: the plain line, and the exception of the record at line 3.
    expect([countsByRule(report), unbalanced(report)]).toEqual([{ 'no-manifest-received': 2 }, []]);
  });
});

describe("Fluentd's out_file: `<time>\\t<tag>\\t<record as JSON>`", () => {
  // Before the reader read the record after the tag, each line was text that starts with a tag:
  // a traceback written one record a line was as many records, none with a header.
  it('a Docker log tailed into records: the diagnoses, records and lines of the application log', () => {
    const plain = readAll(pack, PLAIN);
    const { report, records } = readAll(pack, fluentdOutFile(LINES));
    expect([summaries(report), unbalanced(report)]).toEqual([expected, []]);
    // stdout and stderr are lanes of their own: records are compared in the order of their lines.
    const shape = (rs: typeof records) => rs.map((r) => [r.source.line, r.source.endLine, r.level, r.logger, r.time, r.message]).sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(shape(records)).toEqual(shape(plain.records));
    const evidence = (rep: typeof report) => rep.diagnoses.flatMap((d) => d.evidence.map((e) => [d.ruleId, e.line, e.endLine]));
    expect(evidence(report)).toEqual(evidence(plain.report));
  });

  it('two tags whose lines interleave stay apart', () => {
    const a = fluentdOutFile(
      outputLines(
        SCENARIO.filter((_, k) => k % 2 === 0),
        pythonText,
        streamOf,
      ),
      'scs.a',
    )
      .split('\n')
      .slice(0, -1);
    const b = fluentdOutFile(
      outputLines(
        SCENARIO.filter((_, k) => k % 2 === 1),
        pythonText,
        streamOf,
      ),
      'scs.b',
    )
      .split('\n')
      .slice(0, -1);
    const mixed: string[] = [];
    for (let k = 0; k < Math.max(a.length, b.length); k++) mixed.push(...(k < a.length ? [a[k]!] : []), ...(k < b.length ? [b[k]!] : []));
    const { report, records } = readAll(pack, mixed.join('\n') + '\n');
    expect([summaries(report), unbalanced(report), records.length]).toEqual([expected, [], SCENARIO.length]);
  });

  it('a structured record (the JSON a parser made of a line) is read as a JSON event', () => {
    const lines = structlogJson(SCENARIO).split('\n').slice(0, -1);
    const text = lines.map((l, k) => `${SCENARIO[k]!.time.slice(0, 19)}+00:00\tscs.app\t${JSON.stringify(JSON.parse(l))}\n`).join('');
    const { report, records } = readAll(pack, text);
    expect([summaries(report), unbalanced(report)]).toEqual([summaries(readAll(pack, structlogJson(SCENARIO)).report), []]);
    expect(records.map((r) => [r.format, r.source.line, r.level, r.logger])).toEqual(SCENARIO.map((e, k) => ['json', k + 1, LEVEL[e.level], e.logger]));
  });
});

describe('log stores exported as one JSON document on one line', () => {
  // Before, the line was a whole JSON value, read as one JSON log event: every entry but a few
  // was lost in it and a failure counted once however often it occurred.
  const FILTER = jqCompact(filterLogEventsResponse(SCENARIO));
  const DOCS: [string, string][] = [
    ['aws logs filter-log-events --output json | jq -c .', FILTER],
    ['aws logs get-log-events | jq -c . (an event a line: tracebacks across entries)', jqCompact(getLogEventsResponse(LINES))],
    ['gcloud logging read --format=json | jq -c . (an array, newest first)', gcloudLoggingReadCompact(gcpTextEntries(LINES))],
    ['an Elasticsearch search without ?pretty (no newline at the end)', elasticsearchCompact(SCENARIO)],
  ];
  it.each(DOCS)('%s: the diagnoses of the application log, its one line counted once', (_name, text) => {
    const { report } = readAll(pack, text, 'export.json');
    const i = report.stats.inputs[0]!;
    expect([summaries(report), unbalanced(report), report.stats.problems, i.linesRead, i.linesMatched + i.linesUnmatched]).toEqual([expected, [], [], 1, 1]);
  });

  it('entries in time order, evidence on the line with the time of its event', () => {
    const { report, records } = readAll(pack, FILTER, 'export.json');
    expect(records.map((r) => [r.source.line, r.source.endLine, r.time, r.level, r.logger])).toEqual(SCENARIO.map((e) => [1, 1, e.time, LEVEL[e.level], e.logger]));
    const evidence = report.diagnoses.flatMap((d) => d.evidence.map((e) => [d.ruleId, e.line, e.time]));
    const want = SCENARIO.flatMap((e) => (e.expect ? [[e.expect, 1, e.time]] : []));
    const order = (a: unknown[], b: unknown[]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
    expect(evidence.sort(order)).toEqual(want.sort(order));
    expect(report.stats.inputs[0]!.skipped).toEqual({});
  });

  it('pages saved one after another, a line each: every entry read, each line counted once', () => {
    const half = Math.floor(SCENARIO.length / 2);
    const text = jqCompact(filterLogEventsResponse(SCENARIO.slice(0, half))) + jqCompact(filterLogEventsResponse(SCENARIO.slice(half)));
    const { report, records } = readAll(pack, text, 'export.json');
    const i = report.stats.inputs[0]!;
    expect([summaries(report), unbalanced(report), i.linesRead, i.linesMatched + i.linesUnmatched]).toEqual([expected, [], 2, 2]);
    expect(records.map((r) => r.source.line)).toEqual(SCENARIO.map((_, k) => (k < half ? 1 : 2)));
  });

  it('NDJSON whose first event holds a list under a known key is still read line by line', () => {
    // structlog with a bound list: `records`, `items` and `data` are keys a document may hold its
    // entries under, but an object with its own `event` is an event, not a page of them.
    const ndjson = structlogJson(SCENARIO).replace(/^\{/gm, '{"records": [{"id": 1}, {"id": 2}], "items": ["a", "b"], "data": [{"k": "v"}], ');
    const { report, records } = readAll(pack, ndjson, 'app.jsonl');
    expect([summaries(report), unbalanced(report), report.stats.inputs[0]!.skipped]).toEqual([summaries(readAll(pack, structlogJson(SCENARIO)).report), [], {}]);
    expect(records.map((r) => [r.format, r.source.line])).toEqual(SCENARIO.map((_, k) => ['json', k + 1]));
  });
});

describe('a syslog of a whole host: a process id per short-lived job', () => {
  it('thousands of processes: memory is bounded by ending the idlest lanes, and a busy process keeps its traceback whole', () => {
    const lines: string[] = [];
    const main = (text: string) => `May 12 14:03:22 scs-node-1 scs[7]: ${text}`;
    const tb = [
      '2026-05-12 14:03:22,118 ERROR [scs.sync.sender] sync failed connection_id=c-1 direction=sending: shared secret unavailable: InvalidToken',
      'Traceback (most recent call last):',
      '  File "/app/sync.py", line 42, in run',
      '    secret = fernet.decrypt(token)',
      'cryptography.fernet.InvalidToken',
    ];
    let next = 0;
    for (let i = 0; i < 5000; i++) {
      // A cron job per line, each its own process; the service writes its traceback in between.
      lines.push(`May 12 14:03:22 scs-node-1 CRON[${10_000 + i}]: (root) CMD (run-parts /etc/cron.hourly)`);
      if (i % 997 === 0 && next < tb.length) lines.push(main(tb[next++]!));
    }
    while (next < tb.length) lines.push(main(tb[next++]!));
    const { report, records } = readAll(pack, lines.join('\n') + '\n', 'syslog');
    expect(countsByRule(report)).toEqual({ 'shared-secret-invalid-token': 1 });
    const failure = records.find((r) => r.message.includes('InvalidToken'))!;
    expect(failure.message.split('\n')).toHaveLength(tb.length);
    expect(unbalanced(report)).toEqual([]);
  });
});
