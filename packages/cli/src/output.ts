/** Writing what a command answers: the report (JSON piece by piece), its exit status and notices. */
import { promises as fs } from 'node:fs';
import { FORMATS, render, renderJsonPieces, visibleLine, type OutputFormat, type Report } from '@scs-doctor/core/internal';
import type { Io } from './main.js';
import { usage } from './options.js';

export async function write(io: Io, text: string, output: string | undefined): Promise<void> {
  if (output) {
    await fs.writeFile(output, text);
    io.stderr.write(`scs-doctor: report written to ${visibleLine(output)}\n`);
  } else
    await new Promise<void>((resolve) => {
      // A reader that went away (`| head`) never drains: stop waiting when the pipe closes or fails.
      const done = () => {
        io.stdout.off('drain', done);
        io.stdout.off('error', done);
        io.stdout.off('close', done);
        resolve();
      };
      if (io.stdout.write(text)) return resolve();
      io.stdout.once('drain', done);
      io.stdout.once('error', done);
      io.stdout.once('close', done);
    });
}

/** Writes a report; JSON piece by piece (a report can be larger than the longest string). */
export async function writeReport(io: Io, report: Report, format: OutputFormat, color: boolean, output: string | undefined): Promise<void> {
  if (format !== 'json') return write(io, render(report, format, { color }), output);
  const fh = output ? await fs.open(output, 'w') : undefined;
  try {
    let buffer = '';
    for (const piece of renderJsonPieces(report)) {
      buffer += piece;
      if (buffer.length < 1 << 20) continue;
      if (fh) await fh.write(buffer);
      else await write(io, buffer, undefined);
      buffer = '';
    }
    if (fh) await fh.write(buffer);
    else await write(io, buffer, undefined);
  } finally {
    await fh?.close();
  }
  if (output) io.stderr.write(`scs-doctor: report written to ${visibleLine(output)}\n`);
}

export function formatOption(v: string | undefined): OutputFormat {
  const f = v ?? 'text';
  if (!(FORMATS as readonly string[]).includes(f)) usage(`--format must be one of ${FORMATS.join(', ')} (got "${f}")`);
  return f as OutputFormat;
}

/** 1 when a diagnosis is active; resolved diagnoses are history and do not fail a run. */
export function exitFor(report: Report): number {
  return report.diagnoses.some((d) => d.state === 'active') ? 1 : 0;
}

/** `--now` before every sync event judges nothing: say so where the user looks, not only in the report. */
export function nowNotice(report: Report, io: Io): void {
  for (const p of report.stats.problems) if (p.code === 'NOW_BEFORE_EVENTS') io.stderr.write(`scs-doctor: notice: ${p.message}\n`);
}
