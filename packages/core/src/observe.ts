/**
 * What the library tells its host while it works: debug lines through an injected logger, and
 * progress through a callback. Neither ever carries the text of a record.
 */

/** One level method of a pino logger: an object of fields, then the message. */
export type LogMethod = (fields: object, message: string) => void;

/**
 * A pino logger, or anything with its level methods (`debug`, `info`, `warn`, `error`).
 *
 * @example
 * ```ts
 * import { pino } from 'pino';
 * const report = diagnose(pack, { events: rows }, { logger: pino({ level: 'debug' }) });
 * ```
 */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** How far the reading of one input has come. */
export interface Progress {
  /** The input's name as the report names it (a path, `-`, `<archive>:<member>` or `(lines)`). */
  input: string;
  /** `logs` or `events` (a sync history). */
  kind: 'logs' | 'events';
  /** Bytes read so far (after gzip is undone). */
  bytes: number;
  /** Lines read so far. */
  lines: number;
  /** The input's size in bytes, when known beforehand (a plain file); undefined otherwise. */
  totalBytes: number | undefined;
  /** True on the last call for this input. */
  done: boolean;
}

/** Called as inputs are read: at most every 64 KiB of an input, and once when it is done. */
export type ProgressCallback = (progress: Progress) => void;

/** The observing options every library call that reads input takes. */
export interface ObserveOptions {
  /** Debug lines about what the library did (inputs read, pack compiled, timings, problems). */
  logger?: Logger | undefined;
  /** Progress of long reads. */
  onProgress?: ProgressCallback | undefined;
}

/** Reports a finished report at debug level: counts, timing and each problem's code and place (never record text). */
export function logReportBuilt(
  logger: Logger | undefined,
  report: {
    diagnoses: readonly unknown[];
    connections: readonly unknown[];
    stats: { linesRead: number; records: number; events: { read: number }; problemsTotal: number; problems: readonly { code: string; file?: string | undefined; line?: number | undefined }[] };
  },
  startedAt: number,
): void {
  if (!logger) return;
  for (const p of report.stats.problems) logger.debug({ code: p.code, file: p.file, line: p.line }, 'problem');
  logger.debug(
    {
      ms: Date.now() - startedAt,
      diagnoses: report.diagnoses.length,
      connections: report.connections.length,
      lines: report.stats.linesRead,
      records: report.stats.records,
      events: report.stats.events.read,
      problems: report.stats.problemsTotal,
    },
    'report built',
  );
}
