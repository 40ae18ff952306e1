/**
 * Parses the header of a text log line: Python logging's common layouts, uvicorn/gunicorn,
 * structlog's console renderer and logfmt. What is not recognised stays plain text.
 */
import type { Level } from '@scs-doctor/core/internal';
import { toLevel } from './levels.js';

export interface TextHeader {
  format: 'python' | 'plain';
  time?: string;
  level?: Level;
  logger?: string;
  message: string;
}

const LEVEL_WORD = 'TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|CRITICAL|FATAL|EXCEPTION|trace|debug|info|warn(?:ing)?|error|critical|fatal|exception';
const LOWER_LEVEL = 'trace|debug|info|notice|warn(?:ing)?|error|critical|fatal|exception';
/**
 * structlog's ConsoleRenderer writes the logger name in brackets after the (padded) event and
 * before the key=value pairs. The message keeps it: only the logger (and so the side) is read.
 */
const TRAILING_LOGGER = /\s\[([\w.-]{1,120})\](?:\s*$|\s+[\w.-]{1,64}=)/;
const UPPER_LEVEL = 'TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|CRITICAL|FATAL';
// A zone may follow the time with a space (gunicorn: `[2026-05-12 14:03:22 +0000]`).
const TS = '(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?: ?(?:Z|[+-]\\d\\d:?\\d\\d))?)';
const NAME = '[\\w.$<>-]{1,120}';

/**
 * Each pattern matches a header only; the message is the rest of the line. Without a `(.*)$` tail no
 * pattern can fail after its blanks, and no two blank runs sit side by side, so a long run of blanks
 * costs one pass (the lint's super-linear backtracking check holds every one of them).
 * Group numbers: `logger2` is a second spelling of the logger (`[name]` or `name:`);
 * `trailingLogger`: the logger follows the message (see TRAILING_LOGGER).
 */
const LAYOUTS: { re: RegExp; time?: number; level: number; logger?: number; logger2?: number; logger3?: number; trailingLogger?: true }[] = [
  // [2026-05-12 14:03:22,118] ERROR in sender: message   (Flask)  /  [time] [pid] [ERROR] message (gunicorn)
  { re: new RegExp(`^\\[${TS}\\]\\s+(?:\\[\\d+\\]\\s+)?\\[?(${LEVEL_WORD})\\]?(?:\\s+in\\s+(${NAME}))?:?\\s+`), time: 1, level: 2, logger: 3 },
  // 2026-05-12 14:03:22 [error    ] message   [scs.sync.sender] key=value   (structlog's ConsoleRenderer)
  { re: new RegExp(`^${TS}\\s+\\[(${LOWER_LEVEL})\\s*\\]\\s+`), time: 1, level: 2, trailingLogger: true },
  // 2026-05-12 14:03:22,118 ERROR [scs.sync.sender] message   |   ... ERROR scs.sync.sender: message
  // also `[threadName]` before the level, and structlog's console `[error    ]`
  // and `%(asctime)s %(levelname)s %(name)s %(message)s`: a dotted lower-case module name, no colon
  {
    re: new RegExp(`^\\[?${TS}\\]?\\s+(?:\\[[\\w.-]{1,60}\\]\\s+)?\\[?(${LEVEL_WORD})(?:\\s*\\])?\\s*(?:(?:\\[([^\\]]{1,120})\\]|(${NAME}):|([a-z_][a-z0-9_]*(?:\\.[a-z0-9_]+)+)\\s)\\s*)?(?:[-:|]\\s+)?`),
    time: 1,
    level: 2,
    logger: 3,
    logger2: 4,
    logger3: 5,
  },
  // 2026-05-12 14:03:22,118 - scs.sync.sender - ERROR - message
  { re: new RegExp(`^\\[?${TS}\\]?\\s*[-|]\\s*(${NAME})\\s*[-|]\\s*(${LEVEL_WORD})\\s*[-|:]\\s?`), time: 1, logger: 2, level: 3 },
  // 2026-05-12 14:03:22.118 | ERROR    | scs.sync.sender:run:42 - message   (loguru)
  // 2026-05-12 14:03:22,118 | ERROR | scs.sync.sender | message   (`%(asctime)s | %(levelname)s | %(name)s | %(message)s`)
  { re: new RegExp(`^${TS}\\s*\\|\\s*(${LEVEL_WORD})\\s*\\|(?:\\s*(${NAME})(?::[\\w.$<>-]*:\\d+)?)?\\s+[-|]\\s`), time: 1, level: 2, logger: 3 },
  // 2026-05-12 14:03:22,118 scs.sync.sender ERROR    message   (`%(asctime)s %(name)-12s %(levelname)-8s %(message)s`,
  // the logging cookbook's layout): the logger before the level, both padded; upper-case levels only,
  // as Python writes them, so that a word and a lower-case "error" in a message are not read as a header
  { re: new RegExp(`^\\[?${TS}\\]?\\s+(${NAME})\\s+(${UPPER_LEVEL})\\s+`), time: 1, logger: 2, level: 3 },
  // [2026-05-12 14:03:22,118: ERROR/ForkPoolWorker-1] message   (Celery worker; the process name after the level)
  { re: new RegExp(`^\\[${TS}:\\s+(${LEVEL_WORD})/[^\\]]{1,120}\\]\\s+`), time: 1, level: 2 },
  // ERROR 2026-05-12 14:03:22,118 [scs.sync.sender] message   (level first)
  { re: new RegExp(`^\\[?(${LEVEL_WORD})\\]?\\s+\\[?${TS}\\]?\\s+(?:(?:\\[([^\\]]{1,120})\\]|(${NAME}):)\\s*)?`), level: 1, time: 2, logger: 3, logger2: 4 },
  // ERROR:scs.sync.sender:message   (logging.basicConfig default)
  { re: new RegExp(`^(${LEVEL_WORD}):([\\w.$<>-]*):`), level: 1, logger: 2 },
  // INFO:     127.0.0.1 - "GET /health/liveness HTTP/1.1" 200   (uvicorn)
  { re: new RegExp(`^(${LEVEL_WORD}):\\s+`), level: 1 },
  // 2026-05-12T14:03:22Z message   (time only)
  { re: new RegExp(`^\\[?${TS}\\]?\\s+`), time: 1, level: -1 },
];

const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)=("?)([A-Za-z]+)\1(?=\s|$)/;
const LOGFMT_TIME = /(?:^|\s)(?:time|ts|timestamp)=("?)([^\s"]+)\1(?=\s|$)/;
const LOGFMT_MSG = /(?:^|\s)(?:msg|message|event)=("(?:[^"\\]|\\.)*"|\S+)/;
const LOGFMT_LOGGER = /(?:^|\s)(?:logger|name)=("?)([^\s"]+)\1(?=\s|$)/;

/** Parses the first line of a text record. */
export function parseTextHeader(line: string, depth = 0): TextHeader {
  for (const l of LAYOUTS) {
    const m = l.re.exec(line);
    if (!m) continue;
    const out: TextHeader = { format: 'python', message: line.slice(m[0].length) };
    if (l.time) out.time = m[l.time];
    if (l.level > 0) {
      const lv = toLevel(m[l.level]);
      if (lv) out.level = lv;
    }
    const logger =
      (l.logger !== undefined ? m[l.logger] : undefined) ||
      (l.logger2 !== undefined ? m[l.logger2] : undefined) ||
      (l.logger3 !== undefined ? m[l.logger3] : undefined) ||
      (l.trailingLogger ? TRAILING_LOGGER.exec(out.message)?.[1] : undefined);
    if (logger) out.logger = logger;
    if (l.level < 0) {
      // A time without a level word: a prefix added by a shipper or `kubectl logs --timestamps`
      // before a Python header, or logfmt after the time.
      if (depth === 0) {
        const inner = parseTextHeader(out.message, 1);
        if (inner.format === 'python') return { ...inner, time: inner.time ?? out.time! };
      }
      const lf = parseLogfmt(out.message);
      if (lf) return { ...lf, time: lf.time ?? out.time! };
      out.format = 'plain';
    }
    return out;
  }
  return parseLogfmt(line) ?? { format: 'plain', message: line };
}

function parseLogfmt(line: string): TextHeader | undefined {
  const lv = LOGFMT_LEVEL.exec(line);
  const msg = LOGFMT_MSG.exec(line);
  if (!lv || !msg) return undefined;
  let message = msg[1]!;
  if (message.startsWith('"')) {
    try {
      message = JSON.parse(message) as string;
    } catch {
      message = message.slice(1, -1);
    }
  }
  // Keep the whole line searchable: other key=value pairs can carry the error text.
  const rest = line.replace(msg[0], ' ').trim();
  const out: TextHeader = { format: 'python', message: rest ? `${message} ${rest}` : message };
  const level = toLevel(lv[2]);
  if (level) out.level = level;
  const t = LOGFMT_TIME.exec(line);
  if (t) out.time = t[2]!;
  const lg = LOGFMT_LOGGER.exec(line);
  if (lg) out.logger = lg[2]!;
  return out;
}
