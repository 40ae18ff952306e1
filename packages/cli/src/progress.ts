/**
 * The progress line on standard error while inputs are read: drawn only when standard error is a
 * terminal (never into a file or pipe, never with --quiet), redrawn at most ten times a second,
 * and erased before the report is written.
 */
import type { Progress } from '@scs-doctor/core/internal';

export interface ProgressLine {
  onProgress: (p: Progress) => void;
  /** Erases the line (call before anything else is written). */
  end: () => void;
}

const MB = 1024 * 1024;

function size(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / (1024 * MB)).toFixed(2)} GiB` : `${(bytes / MB).toFixed(1)} MiB`;
}

/** The text of the line for one progress report (no control characters). */
export function progressText(p: Progress, columns = 80): string {
  const of = p.totalBytes ? ` of ${size(p.totalBytes)} (${Math.min(100, Math.floor((p.bytes / p.totalBytes) * 100))}%)` : '';
  const tail = `  ${size(p.bytes)}${of}, ${p.lines.toLocaleString('en-US')} lines`;
  const room = Math.max(8, columns - tail.length - 10);
  const name = p.input.length > room ? '…' + p.input.slice(p.input.length - room + 1) : p.input;
  return `reading ${name}${tail}`;
}

export function progressLine(stream: NodeJS.WritableStream & { columns?: number }, clock: () => number = Date.now): ProgressLine {
  let last = 0;
  let drawn = false;
  return {
    onProgress(p) {
      const t = clock();
      if (!p.done && t - last < 100) return;
      last = t;
      drawn = true;
      stream.write(`\r\x1b[2K${progressText(p, stream.columns ?? 80)}`);
    },
    end() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
