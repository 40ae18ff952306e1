/**
 * One vocabulary of the field names structured logs use, for every reader: a JSON log line, an
 * entry of a log store's export, a journald record. A new spelling is added here once.
 */

/** The record's own text: structured loggers (msg, message, event), shippers and stores (log, line: Loki; textPayload: Cloud Logging; @message: CloudWatch; MESSAGE: journald). */
export const MESSAGE_KEYS = ['msg', 'message', 'event', 'error', 'err', 'log', 'line', 'text', 'textPayload', '@message', 'MESSAGE'] as const;
/** Severity: journald's PRIORITY is the syslog severity (0 emerg … 7 debug); Python's levelno has ERROR=40. */
export const LEVEL_KEYS = ['level', 'levelname', 'severity', 'lvl', 'loglevel', 'log.level', '@level', 'levelno', 'PRIORITY'] as const;
/** When it happened: loggers (time, timestamp, ts, asctime, created), stores (@timestamp, eventTime, receiveTimestamp), journald (epoch µs). */
export const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'eventTime', 'asctime', 'ts', 'datetime', 'date', 't', 'created', 'receiveTimestamp', '__REALTIME_TIMESTAMP'] as const;
/** The logger's name (journald: LOGGER from Python's JournalHandler). */
export const LOGGER_KEYS = ['logger', 'name', 'logger_name', 'loggerName', 'log.logger', 'module', 'LOGGER'] as const;
/** An exception's traceback or stack, as text or structured (structlog's dict_tracebacks). */
export const EXCEPTION_KEYS = ['exc_info', 'exception', 'exc_text', 'stack', 'stack_trace', 'traceback', 'error.stack_trace'] as const;
/** An error object beside the message: pino's `err`, ECS's `error`. */
export const ERROR_OBJECT_KEYS = ['err', 'error'] as const;
/** The connection a record is about. */
export const CONNECTION_ID_KEYS = ['connection_id', 'connectionId', 'conn_id', 'connId', 'connection'] as const;
export const SHARED_ID_KEYS = ['shared_id', 'sharedId', 'sharedID'] as const;
export const SIDE_KEYS = ['direction', 'side', 'connection_direction', 'connectionDirection', 'connection_type', 'connectionType', 'role'] as const;
/** Keys under which a response or an export holds its list of entries (`hits` twice in a search response). */
export const LIST_KEYS = ['events', 'entries', 'logEvents', 'items', 'data', 'results', 'records', 'hits'] as const;

/**
 * Fields that describe where and when a record was written, not what happened: they are not part of
 * the text rules read. Python's LogRecord attributes, pino's and ECS's bookkeeping, hosts and ids.
 */
export const METADATA_KEYS: ReadonlySet<string> = new Set<string>([
  ...TIME_KEYS,
  ...LEVEL_KEYS,
  ...LOGGER_KEYS,
  ...CONNECTION_ID_KEYS,
  ...SHARED_ID_KEYS,
  ...SIDE_KEYS,
  'connection_name',
  'connectionName',
  'host',
  'hostname',
  'pid',
  'process',
  'processName',
  'thread',
  'threadName',
  'taskName',
  'tid',
  'filename',
  'pathname',
  'funcName',
  'lineno',
  'func_name',
  'relativeCreated',
  'msecs',
  'stack_info',
  'v',
  'version',
  '@version',
  'service',
  'service.name',
  'env',
  'environment',
  'app',
  'application',
  'component',
  'request_id',
  'requestId',
  'trace_id',
  'traceId',
  'span_id',
  'spanId',
  'correlation_id',
  'correlationId',
  'user_id',
  'userId',
  'status',
  'duration',
  'duration_ms',
  'elapsed',
  'logName',
  'insertId',
  'resource',
  'labels',
  'stream',
  'tag',
  'container',
  'kubernetes',
  'ecs',
  'agent',
]);

/** journald's own fields (`_PID`, `__CURSOR`, `SYSLOG_IDENTIFIER`, `CODE_FILE`, …): upper-case names. */
export const JOURNAL_FIELD = /^_{0,2}[A-Z][A-Z0-9_]*$/;
