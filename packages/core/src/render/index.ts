import type { Report } from '../schema/report.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderText, type TextOptions } from './text.js';

export const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** Depth down to which lists and objects are written piece by piece; below it, each value is one piece. */
const STREAM_DEPTH = 4;

/**
 * The JSON report in pieces, the same text as `renderJson`: a report with millions of
 * connections, inputs or members is larger than the longest string a JavaScript engine can
 * hold, so it is written out piece by piece instead of made whole.
 * @example for (const piece of renderJsonPieces(report)) out.write(piece);
 */
export function* renderJsonPieces(report: Report): Generator<string> {
  yield* pieces(report, '', 0);
  yield '\n';
}

function* pieces(value: unknown, indent: string, depth: number): Generator<string> {
  if (value === null || typeof value !== 'object' || depth >= STREAM_DEPTH) {
    // JSON.stringify escapes line breaks inside strings: every newline in its text is layout.
    const text = JSON.stringify(value, null, 2) ?? 'null';
    yield indent ? text.replace(/\n/g, `\n${indent}`) : text;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i ? ',' : ''}\n${inner}`;
      const v: unknown = value[i];
      yield* pieces(v === undefined || typeof v === 'function' ? null : v, inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* pieces(v, inner, depth + 1);
  }
  yield `\n${indent}}`;
}

/**
 * Renders a report in one of the output formats.
 *
 * @example
 * ```ts
 * process.stdout.write(render(report, 'markdown'));
 * ```
 */
export function render(report: Report, format: OutputFormat, options: TextOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    default:
      return renderText(report, options);
  }
}

export { renderHtml, renderMarkdown, renderText, type TextOptions };
