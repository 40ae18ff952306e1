import type { ParamValue } from '../schema/report.js';

const PLACEHOLDER = /\{\{\s*([A-Z_$][\w$]*)\s*\}\}/gi;

/** Fills `{{name}}` placeholders. Only substitution: nothing in a template is evaluated. */
export function fillTemplate(template: string, values: Readonly<Record<string, ParamValue | undefined>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
    const v = values[name];
    if (v === undefined) return '(unknown)';
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}
