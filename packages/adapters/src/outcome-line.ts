/**
 * The direct reading of a plain one-line sync outcome record, the commonest candidate of plain
 * log text (`2026-05-12 00:00:00,238 INFO [scs.sync.sender] sync finished connection_id=c-6a99b4
 * files_transferred=37`). The reader's attempt path (reader.ts, close) reads such a line with
 * parseTextHeader, keyValues and contextOf; for a line of exactly the shape below, this reads the
 * same values (time, message, side, connection id, Shared ID) with index arithmetic, and the
 * reader hands them to the session as the attempt path would. Any other line is declined and
 * goes the attempt path: the caller has already made sure the record is one line, hit only by an
 * outcome word, not JSON.
 *
 * The shape: `YYYY-MM-DD HH:MM:SS,mmm` (or `.mmm`), one space, `INFO` or `DEBUG`, one space,
 * `[logger]` (1–120 of `[A-Za-z0-9_.-]`), one space, a message that opens with a letter; every
 * character printable ASCII (no UTF-8 to decode, no colour codes, no tab). parseTextHeader reads
 * that with its third layout as exactly these parts, and the level is not one the unmatched
 * lists want. The message's pairs are read by plainContext (formats/fields.ts), which declines
 * what keyValues could read otherwise. test/outcome-line.test.ts holds it to the attempt path.
 */
import { plainHeaderAt } from './fastscan.js';
import { parseTime, type Side } from '@scs-doctor/core/internal';
import { plainContext, sideFromLogger, type PlainContext } from './formats/fields.js';

/** What a direct reading found; one object per reader, filled again per line. */
export interface OutcomeLine extends PlainContext {
  time: string;
  /** `parseTime(time)`, or undefined when it is none (the session then asks parseTime, which refuses it too). */
  timeMs: number | undefined;
  message: string;
}

export function newOutcomeLine(): OutcomeLine {
  return { side: undefined, connectionId: undefined, sharedId: undefined, connectionName: undefined, time: '', timeMs: undefined, message: '' };
}

/** The first 16 characters (date, hours, minutes) of the last time parsed, and that minute's epoch milliseconds. */
let minuteKey = '';
let minuteMs = 0;

/**
 * parseTime of `s`'s first 23 characters, `YYYY-MM-DD HH:MM:SS,mmm` with every digit checked by
 * the caller. Lines of a log come in time order, most within the minute of the line before:
 * within one minute a time is that minute's milliseconds plus its seconds and milliseconds
 * (parseTime is that sum for every date it reads), so only a new minute is parsed.
 */
function timeOf(s: string): number | undefined {
  const second = (s.charCodeAt(17) - 48) * 10 + (s.charCodeAt(18) - 48);
  // No such time: parseTime refuses it (and the session asks it again).
  if (second > 59) return undefined;
  const within = second * 1000 + (s.charCodeAt(20) - 48) * 100 + (s.charCodeAt(21) - 48) * 10 + (s.charCodeAt(22) - 48);
  let same = minuteKey.length === 16;
  for (let k = 15; same && k >= 0; k--) same = s.charCodeAt(k) === minuteKey.charCodeAt(k);
  if (!same) {
    const ms = parseTime(s.slice(0, 23));
    if (ms === undefined) return undefined;
    // Kept past this line: a copy, not a cut of the chunk the line may be part of.
    minuteKey = Buffer.from(s.slice(0, 16), 'latin1').toString('latin1');
    minuteMs = ms - within;
  }
  return minuteMs + within;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The logger of the last line read (valid, 1–120 characters), or empty, and the side its name gives. */
let lastLogger = '';
let lastSide: Side | undefined;

/** Whether `s` holds `word` at `at`, then `]` (a loop: startsWith with a position is a call into the runtime). */
function sameAt(s: string, at: number, word: string): boolean {
  const n = word.length;
  if (n === 0 || s.charCodeAt(at + n) !== 93) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(at + k) !== word.charCodeAt(k)) return false;
  return true;
}

/** Reads `s` into `out` when it has the shape above; false (and `out` not to be used) when not. */
export function readOutcomeLine(s: string, out: OutcomeLine): boolean {
  const n = s.length;
  if (n < 32 || !plainHeaderAt(s, 0)) return false;
  const sep = s.charCodeAt(19);
  if (s.charCodeAt(16) !== 58 || !isDigit(s.charCodeAt(14)) || !isDigit(s.charCodeAt(15)) || !isDigit(s.charCodeAt(17)) || !isDigit(s.charCodeAt(18))) return false;
  if ((sep !== 44 && sep !== 46) || !isDigit(s.charCodeAt(20)) || !isDigit(s.charCodeAt(21)) || !isDigit(s.charCodeAt(22)) || s.charCodeAt(23) !== 32) return false;
  // INFO or DEBUG, then ` [`.
  let at: number;
  if (s.charCodeAt(24) === 73 && s.charCodeAt(25) === 78 && s.charCodeAt(26) === 70 && s.charCodeAt(27) === 79) at = 28;
  else if (s.charCodeAt(24) === 68 && s.charCodeAt(25) === 69 && s.charCodeAt(26) === 66 && s.charCodeAt(27) === 85 && s.charCodeAt(28) === 71) at = 29;
  else return false;
  if (s.charCodeAt(at) !== 32 || s.charCodeAt(at + 1) !== 91) return false;
  const from = at + 2;
  let i = from;
  // A log has few loggers: the last one read is compared first.
  if (sameAt(s, from, lastLogger)) i = from + lastLogger.length;
  else {
    const last = Math.min(n, from + 121);
    for (; i < last; i++) {
      const c = s.charCodeAt(i);
      if (c === 93) break;
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || c === 46 || c === 45)) return false;
    }
    if (i === from || i >= last) return false;
    // Kept past this line: a copy, not a cut of the chunk the line may be part of.
    lastLogger = Buffer.from(s.slice(from, i), 'latin1').toString('latin1');
    lastSide = sideFromLogger(lastLogger);
  }
  if (s.charCodeAt(i + 1) !== 32) return false;
  const m = s.charCodeAt(i + 2);
  if (!((m >= 65 && m <= 90) || (m >= 97 && m <= 122))) return false;
  if (!plainContext(s, i + 2, lastSide, out)) return false;
  out.time = s.slice(0, 23);
  out.timeMs = timeOf(s);
  out.message = s.slice(i + 2);
  return true;
}
