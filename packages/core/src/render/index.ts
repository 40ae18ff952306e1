import type { Report } from '../schema/report.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderText, type TextOptions } from './text.js';

export const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** Renders a report in one of the output formats. */
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
