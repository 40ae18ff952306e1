/**
 * Parses the header of a text log line: Python logging's common layouts, uvicorn/gunicorn,
 * structlog's console renderer and logfmt. What is not recognised stays plain text.
 */
import type { Level } from '@scs-doctor/core';
import { toLevel } from './levels.js';

export interface TextHeader {
  format: 'python' | 'plain';
  time?: string;
  level?: Level;
  logger?: string;
  message: string;
}

const LEVEL_WORD = '(?:TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|CRITICAL|FATAL|EXCEPTION|trace|debug|info|warn(?:ing)?|error|critical|fatal|exception)';
const TS = '(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?)';

const LAYOUTS: { re: RegExp; time?: number; level: number; logger?: number; msg: number }[] = [
  // 2026-05-12 14:03:22,118 ERROR [scs.sync.sender] message   |   ... ERROR scs.sync.sender: message
  { re: new RegExp(`^\\[?${TS}\\]?\\s+\\[?(${LEVEL_WORD})\\]?\\s*(?:\\[([^\\]]{1,120})\\]|([\\w.$<>-]{1,120}):)?\\s*(?:[-:|]\\s+)?(.*)$`), time: 1, level: 2, logger: 3, msg: 5 },
  // 2026-05-12 14:03:22,118 - scs.sync.sender - ERROR - message
  { re: new RegExp(`^\\[?${TS}\\]?\\s*[-|]\\s*([\\w.$<>-]{1,120})\\s*[-|]\\s*(${LEVEL_WORD})\\s*[-|:]\\s?(.*)$`), time: 1, logger: 2, level: 3, msg: 4 },
  // [2026-05-12 14:03:22,118] ERROR in sender: message   (Flask)  /  [time] [pid] [ERROR] message (gunicorn)
  { re: new RegExp(`^\\[${TS}\\]\\s+(?:\\[\\d+\\]\\s+)?\\[?(${LEVEL_WORD})\\]?(?:\\s+in\\s+([\\w.$<>-]+))?:?\\s+(.*)$`), time: 1, level: 2, logger: 3, msg: 4 },
  // ERROR:scs.sync.sender:message   (logging.basicConfig default)
  { re: new RegExp(`^(${LEVEL_WORD}):([\\w.$<>-]*):(.*)$`), level: 1, logger: 2, msg: 3 },
  // INFO:     127.0.0.1 - "GET /health/liveness HTTP/1.1" 200   (uvicorn)
  { re: new RegExp(`^(${LEVEL_WORD}):\\s+(.*)$`), level: 1, msg: 2 },
  // 2026-05-12 14:03:22 [error    ] message key=value   (structlog console)
  { re: new RegExp(`^${TS}\\s+\\[(${LEVEL_WORD})\\s*\\]\\s+(.*)$`), time: 1, level: 2, msg: 3 },
  // 2026-05-12T14:03:22Z message   (time only)
  { re: new RegExp(`^\\[?${TS}\\]?\\s+(.*)$`), time: 1, level: -1, msg: 2 },
];

const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)=("?)([A-Za-z]+)\1(?=\s|$)/;
const LOGFMT_TIME = /(?:^|\s)(?:time|ts|timestamp)=("?)([^\s"]+)\1(?=\s|$)/;
const LOGFMT_MSG = /(?:^|\s)(?:msg|message|event)=("(?:[^"\\]|\\.)*"|\S+)/;
const LOGFMT_LOGGER = /(?:^|\s)(?:logger|name)=("?)([^\s"]+)\1(?=\s|$)/;

/** Parses the first line of a text record. */
export function parseTextHeader(line: string): TextHeader {
  for (const l of LAYOUTS) {
    const m = l.re.exec(line);
    if (!m) continue;
    const out: TextHeader = { format: 'python', message: m[l.msg] ?? '' };
    if (l.time) out.time = m[l.time];
    if (l.level > 0) {
      const lv = toLevel(m[l.level]);
      if (lv) out.level = lv;
    }
    const logger = l.logger !== undefined ? (m[l.logger] ?? m[l.logger + 1]) : undefined;
    if (logger && l.logger !== undefined) out.logger = logger;
    if (l.level < 0) {
      // A time without a level word: perhaps logfmt after the time.
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
