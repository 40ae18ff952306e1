/** Whether a line starts the way a log line does: the reader's record boundaries and stern's test use it. */

const SYSLOG_HEAD = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;
const LEVEL_HEAD = /^\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL)\]?(?::|\s)/;
export const DATE_HEAD = /^\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d/;
const LOGFMT_HEAD = /^(?:time|ts|timestamp|level|lvl)=/;
/**
 * `[%(name)s] %(message)s`: a dotted logger name in brackets opens the line (JournalHandler's
 * records under `journalctl -o cat`, which prints no date). A traceback's frames never start so.
 */
const LOGGER_HEAD = /^\[[a-z_][\w-]{0,60}(?:\.[\w-]{1,60}){1,10}\] /i;
const LEADING_ANSI = /^(?:\x1b\[[0-9;]*m)+/;

/** Whether a line starts the way a log line does (a date, a level word, a bracketed logger, logfmt, JSON). */
export function looksLikeHeader(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c === 27) {
    // Colored console output. A lone ESC that starts no color code is not a header (and must not
    // recurse forever on the same text).
    const t = s.replace(LEADING_ANSI, '');
    return t !== s && looksLikeHeader(t);
  }
  if (c >= 48 && c <= 57) return DATE_HEAD.test(s); // digit
  if (c === 91) return DATE_HEAD.test(s) || LEVEL_HEAD.test(s) || LOGGER_HEAD.test(s); // [
  if (c === 123) return true; // {
  if (c >= 65 && c <= 90) return LEVEL_HEAD.test(s) || SYSLOG_HEAD.test(s); // A-Z
  if (c === 108 || c === 116) return LOGFMT_HEAD.test(s); // l, t
  return false;
}
