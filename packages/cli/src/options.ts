/** Option readers the commands share: each refuses a bad value with a USAGE error that names it. */
import { promises as fs } from 'node:fs';
import { parseDuration, parseTime, ScsDoctorError } from '@scs-doctor/core/internal';
import { LOG_FORMATS, type LogFormatOption } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

/** A file named on the command line, as text; a read failure is INPUT_UNREADABLE with its errno code. `what` names it in the message. */
export async function readText(file: string, what?: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ScsDoctorError('INPUT_UNREADABLE', `cannot read ${what === undefined ? '' : `${what} `}${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

export function usage(message: string): never {
  throw new ScsDoctorError('USAGE', message);
}

/** `--now` and `--stale-after`. */
export function clockOptions(values: { now?: string | undefined; 'stale-after'?: string | undefined }): { now: number | undefined; staleAfterMs: number | undefined } {
  let now: number | undefined;
  if (values.now !== undefined) {
    now = parseTime(values.now);
    if (now === undefined) usage(`--now must be an ISO-8601 time (got "${values.now}")`);
  }
  let staleAfterMs: number | undefined;
  const stale = values['stale-after'];
  if (stale !== undefined) {
    staleAfterMs = parseDuration(stale);
    if (staleAfterMs === undefined) usage(`--stale-after must be a duration such as 90m, 6h or 2d (got "${stale}")`);
  }
  return { now, staleAfterMs };
}

/** `--log-format`. */
export function logFormatOption(v: string | undefined): LogFormatOption {
  const f = v ?? 'auto';
  if (!(LOG_FORMATS as readonly string[]).includes(f)) usage(`--log-format must be one of ${LOG_FORMATS.join(', ')} (got "${f}")`);
  return f as LogFormatOption;
}

/** `--redact REGEX`, each compiled. */
export function redactOptions(list: readonly string[] | undefined): RegExp[] {
  return (list ?? []).map((r) => {
    try {
      return new RegExp(r, 'g');
    } catch (e) {
      return usage(`--redact "${r}" is not a regular expression: ${(e as Error).message}`);
    }
  });
}

/** The rule directories: the built-in pack unless `--no-builtin`, then every `--rules DIR`. */
export function ruleDirs(values: { rules?: string[] | undefined; 'no-builtin'?: boolean | undefined }): string[] {
  return [...(values['no-builtin'] ? [] : [rulesDir]), ...(values.rules ?? [])];
}
