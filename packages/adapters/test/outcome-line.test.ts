/**
 * The direct reading of plain one-line outcome records (src/outcome-line.ts) changes no report:
 * which lines it takes, and, for each case, the report with it and without it (the reader's
 * attempt path: parseTextHeader, keyValues, contextOf) on a small log around the line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosisSession, parseTime, vocabulary } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { loadRulePack, readLogStream, readLogText, setFastScan } from '../src/index.js';
import { newOutcomeLine, readOutcomeLine } from '../src/outcome-line.js';

const pack = await loadRulePack([rulesDir]);
const NOW = '2026-05-12T12:00:00Z';
const T = '2026-05-12 10:00:00,238';

afterAll(() => setFastScan(true));

function reportOf(text: string, fast: boolean): unknown {
  setFastScan(fast);
  try {
    const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
    readLogText(text, 'case.log', session);
    return session.report();
  } finally {
    setFastScan(true);
  }
}

/** The same in chunks of 61 bytes: a line read in place next to lines whose records close later. */
async function chunkedReportOf(text: string, fast: boolean): Promise<unknown> {
  setFastScan(fast);
  try {
    const session = new DiagnosisSession(pack, { now: NOW, evidenceLimit: 1000 });
    const bytes = Buffer.from(text, 'utf8');
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 61) yield bytes.subarray(i, i + 61);
    }
    await readLogStream(chunks(), 'case.log', session);
    return session.report();
  } finally {
    setFastScan(true);
  }
}

/**
 * A log around the line: the line opens its connection (so its side and Shared ID are the
 * connection's), and a failure of connection c-1 follows it.
 */
function around(line: string): string {
  return `2026-05-12 09:00:00,000 INFO [uvicorn.access] 10.0.0.1 - "GET /health HTTP/1.1" 200\n${line}\n2026-05-12 10:00:01,000 ERROR [scs.sync.sender] sync failed connection_id=c-1 direction=sending: shared secret unavailable: InvalidToken\n`;
}

describe('readOutcomeLine: the lines it takes', () => {
  it.each([
    ['the common line', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1 files_transferred=37 files_excluded=0 duration_ms=8696`],
    ['DEBUG', `${T} DEBUG [scs.sync.sender] sync finished connection_id=c-1`],
    ['a dot before the milliseconds', '2026-05-12 10:00:00.238 INFO [scs.sync.sender] sync finished connection_id=c-1'],
    ['connection, Shared ID and direction', `${T} INFO [scs.sync] sync completed connection_id=c-1 shared_id=s-1 direction=receiving`],
    ['punctuation after the value', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1: 3 files`],
    ['a Shared ID with a full stop after it', `${T} INFO [scs.sync.sender] sync finished shared_id=s-1. direction=receiving`],
    ['pairs joined by a comma', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1,shared_id=s-1`],
    ['an upper-case key', `${T} INFO [scs.sync.sender] sync finished CONNECTION_ID=c-1`],
    ['a direction word against the logger', `${T} INFO [scs.sync.receiver] sync finished connection_id=c-1 direction=sending`],
    ['a direction word that is none', `${T} INFO [scs.sync.receiver] sync finished connection_id=c-1 direction=sideways`],
    ['two keys of one kind, different ranks', `${T} INFO [scs.sync.sender] sync finished connId=c-9 connection_id=c-1`],
    ['a value of punctuation only', `${T} INFO [scs.sync.sender] sync finished connection_id=: shared_id=s-1`],
    ['a key that is not one (a digit first, a plus)', `${T} INFO [scs.sync.sender] sync finished 9connection_id=x a+connection_id=y connection_id=c-1`],
    ['an empty value', `${T} INFO [scs.sync.sender] sync finished connection_id= shared_id=s-1`],
    ['no pairs: the id in words', `${T} INFO [scs.sync.sender] sync finished for connection c-9`],
    ['a doubt', `${T} INFO [scs.sync.sender] sync finished partially connection_id=c-1`],
    ['a failure at INFO', `${T} INFO [scs.sync.sender] Sync failed connection_id=c-3`],
    ['a value with = in it', `${T} INFO [scs.sync.sender] sync finished connection_id=c=1 shared_id=s-1`],
  ])('%s', (_name, line) => {
    expect(readOutcomeLine(line, newOutcomeLine())).toBe(true);
    expect(reportOf(around(line), true)).toEqual(reportOf(around(line), false));
  });
});

describe('readOutcomeLine: the lines it leaves to the attempt path', () => {
  it.each([
    ['a quoted value (it may hold spaces and pairs)', `${T} INFO [scs.sync.sender] sync finished note="a connection_id=c-9" connection_id=c-1`],
    ['a single-quoted value', `${T} INFO [scs.sync.sender] sync finished note='x' connection_id=c-1`],
    ['a key written twice', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1 connection_id=c-2`],
    ['a key in both case forms', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1 CONNECTION_ID=c-2`],
    ['a tab', `${T} INFO [scs.sync.sender] sync finished\tconnection_id=c-1`],
    ['UTF-8 in the message', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1 name=M\u00c3\u00bcnchen`],
    ['a colour code', `${T} INFO [scs.sync.sender] \u001b[32msync finished\u001b[0m connection_id=c-1`],
    ['WARNING', `${T} WARNING [scs.sync.sender] sync finished connection_id=c-1`],
    ['ERROR', `${T} ERROR [scs.sync.sender] sync finished connection_id=c-1`],
    ['a lower-case level', `${T} info [scs.sync.sender] sync finished connection_id=c-1`],
    ['two spaces after the level', `${T} INFO  [scs.sync.sender] sync finished connection_id=c-1`],
    ['a space in the logger', `${T} INFO [scs sync] sync finished connection_id=c-1`],
    ['a logger without brackets', `${T} INFO scs.sync.sender: sync finished connection_id=c-1`],
    ['a dash before the message', `${T} INFO [scs.sync.sender] - sync finished connection_id=c-1`],
    ['a T in the time', `2026-05-12T10:00:00,238 INFO [scs.sync.sender] sync finished connection_id=c-1`],
    ['no milliseconds', `2026-05-12 10:00:00 INFO [scs.sync.sender] sync finished connection_id=c-1`],
    ['a zone after the time', `${T}Z INFO [scs.sync.sender] sync finished connection_id=c-1`],
    ['a JSON line', `{"time":"${T}","level":"INFO","message":"sync finished connection_id=c-1"}`],
    ['a logger of 121 characters', `${T} INFO [${'a'.repeat(121)}] sync finished connection_id=c-1`],
  ])('%s', (_name, line) => {
    expect(readOutcomeLine(line, newOutcomeLine())).toBe(false);
    expect(reportOf(around(line), true)).toEqual(reportOf(around(line), false));
  });
});

describe('records around an outcome line: the same report with the direct reading and without', () => {
  it.each([
    ['a traceback after it', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1\nTraceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: boom`],
    ['an indented line after it', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1\n    more of the message`],
    ['an anchor of a rule on the same line', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1 shared secret unavailable: InvalidToken`],
    ['a warning line with the outcome word', `${T} WARNING [scs.sync.sender] sync finished connection_id=c-1 with errors`],
    ['CRLF line ends', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1\r\n${T} INFO [scs.sync.sender] sync finished connection_id=c-2\r`],
    ['a JSON line', `{"time":"${T}","level":"INFO","message":"sync finished","connection_id":"c-1"}`],
    ['a CRI line', `2026-05-12T10:00:00.238000000Z stdout F ${T} INFO [scs.sync.sender] sync finished connection_id=c-1`],
    [
      'outcome lines in a row, each of another connection',
      `${T} INFO [scs.sync.sender] sync finished connection_id=c-1\n${T} INFO [scs.sync.sender] sync finished connection_id=c-2 shared_id=s-2\n${T} INFO [scs.sync.receiver] sync finished connection_id=c-3\n${T} INFO [scs.sync.sender] sync finished connection_id=c-4`,
    ],
    ['a blank line between outcome lines (the one before closes as the one after is read)', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1\n\n2026-05-12 10:00:00,500 INFO [scs.sync.sender] sync finished connection_id=c-2`],
    // The in-place reading skips ID_HINT when a key gave an id; these keep the three ways a line names one (or none).
    ['an id by a key in upper case', `${T} INFO [scs.sync.sender] sync finished CONN_ID=c-1`],
    ['only a Shared ID, by its camelCase key', `${T} INFO [scs.sync.sender] sync finished sharedID=s-1`],
    ['an id in the sentence, not a key', `${T} INFO [scs.sync.sender] sync finished for shared id: s-1`],
    ['no id at all', `${T} INFO [scs.sync.sender] sync finished files_transferred=3`],
    ['the same line twice, loggers alternating', `${T} INFO [scs.sync.sender] sync finished connection_id=c-1\n${T} INFO [scs.sync.receiver] sync finished connection_id=c-1\n${T} INFO [scs.sync.sender] sync finished connection_id=c-1`],
  ])('%s', async (_name, text) => {
    expect(reportOf(around(text), true)).toEqual(reportOf(around(text), false));
    expect(await chunkedReportOf(around(text), true)).toEqual(await chunkedReportOf(around(text), false));
  });
});

describe('the id hint the in-place reading may skip', () => {
  // reader.ts asks ID_HINT (/conn|shared/i) only when plainContext found no id: every key it reads ids from must hold one.
  it.each([...vocabulary.CONNECTION_ID_KEYS, ...vocabulary.SHARED_ID_KEYS])('%s', (key) => {
    expect(/conn|shared/i.test(key)).toBe(true);
  });
});

describe('the time of a line read in place', () => {
  // outcome-line.ts parses a minute once and adds seconds and milliseconds within it: each time,
  // read after the one before it (a hit or a miss of the minute kept), is parseTime's.
  const times = [
    '2026-05-12 10:00:00,238',
    '2026-05-12 10:00:59,999',
    '2026-05-12 10:01:00,000',
    '2026-05-12 10:01:00.500',
    '2026-05-12 10:01:60,000',
    '2026-05-12 10:01:07,001',
    '2024-02-29 23:59:59,999',
    '2025-02-29 00:00:01,000',
    '2025-02-29 00:00:02,000',
    '2026-12-31 23:59:59,999',
    '0999-01-01 00:00:00,000',
    '0050-06-01 12:00:30,000',
    '0050-06-01 12:00:31,000',
    '2026-05-12 10:00:00,238',
    '2026-13-01 00:00:00,000',
  ];
  it('is parseTime of its text, for every time in turn', () => {
    const q = newOutcomeLine();
    for (const t of times) {
      expect(readOutcomeLine(`${t} INFO [scs.sync.sender] sync finished connection_id=c-1`, q)).toBe(true);
      expect([t, q.timeMs]).toEqual([t, parseTime(t)]);
    }
    // Some of them are no time at all, and some are: the table covers both.
    expect(times.filter((t) => parseTime(t) === undefined).length).toBeGreaterThan(1);
  });
});
