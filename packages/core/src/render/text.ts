import type { Diagnosis, Report } from '../schema/report.js';

export interface TextOptions {
  color?: boolean;
}

const ICON: Record<Diagnosis['severity'], string> = { critical: '✖', error: '✖', warning: '▲', info: '●' };

function paint(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap('31'), yellow: wrap('33'), blue: wrap('34'), dim: wrap('2'), bold: wrap('1') };
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function place(ev: Diagnosis['evidence'][number]): string {
  if (ev.file) return `${ev.file}${ev.line !== undefined ? ':' + ev.line : ''}`;
  return ev.source;
}

/** The report as a person reads it in a terminal or a ticket: one block per diagnosis, fix first. */
export function renderText(report: Report, options: TextOptions = {}): string {
  const c = paint(options.color ?? false);
  const out: string[] = [];
  for (const d of report.diagnoses) {
    const sev = d.severity === 'warning' ? c.yellow : d.severity === 'info' ? c.blue : c.red;
    const side = d.side === 'unknown' ? '' : ` [${d.side}]`;
    out.push(`${sev(`${ICON[d.severity]} ${d.severity}`)} ${c.bold(d.summary)}${side}  ${c.dim(d.ruleId)}`);
    out.push(`  ${c.bold('Fix:')}`);
    d.remediation.forEach((step, i) => out.push(`    ${i + 1}. ${step}`));
    out.push(`  ${c.bold('Cause:')} ${d.cause}`);
    out.push(`  ${c.bold('Impact:')} ${d.impact}`);
    const when = d.firstSeen ? (d.firstSeen === d.lastSeen ? ` at ${d.firstSeen}` : ` from ${d.firstSeen} to ${d.lastSeen}`) : '';
    out.push(`  ${c.bold('Seen:')} ${plural(d.count, 'time')}${when}`);
    if (d.connections.length) out.push(`  ${c.bold('Connections:')} ${d.connections.map((x) => (x.name ? `${x.name} (${x.id})` : x.id)).join(', ')}`);
    if (d.sharedIds.length) out.push(`  ${c.bold('Shared IDs:')} ${d.sharedIds.join(', ')}`);
    const params = Object.entries(d.params);
    if (params.length) out.push(`  ${c.bold('Parameters:')} ${params.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join('  ')}`);
    for (const ev of d.evidence) out.push(`  ${c.dim(place(ev))}  ${ev.excerpt}`);
    if (d.count > d.evidence.length) out.push(`  ${c.dim(`… and ${plural(d.count - d.evidence.length, 'more occurrence')}`)}`);
    out.push(`  ${c.dim('See: ' + d.references.join('; '))}`);
    out.push('');
  }
  if (report.unmatched.length) {
    out.push(c.bold('Errors no rule explains (newest SCS messages show up here first):'));
    for (const u of report.unmatched) out.push(`  ${String(u.count).padStart(6)}×  ${u.template}  ${c.dim(place(u.sample))}`);
    out.push('');
  }
  const s = report.stats;
  const bySev = new Map<string, number>();
  for (const d of report.diagnoses) bySev.set(d.severity, (bySev.get(d.severity) ?? 0) + 1);
  const sevText = [...bySev].map(([k, v]) => `${v} ${k}`).join(', ');
  const head = report.diagnoses.length ? `${plural(report.diagnoses.length, 'diagnosis', 'diagnoses')} (${sevText})` : 'No known failure found';
  const parts = [`${plural(s.linesRead, 'line')} in ${plural(s.inputs.length, 'input')}`];
  if (s.events.read) parts.push(`${plural(s.events.read, 'sync event')}${s.events.invalid ? ` (${s.events.invalid} invalid)` : ''}`);
  if (s.linesSkipped) parts.push(`${plural(s.linesSkipped, 'line')} skipped (${Object.entries(s.skipped).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  out.push(`${c.bold(head)} from ${parts.join(', ')}.`);
  for (const p of s.problems) out.push(c.yellow(`  ! ${p.file ?? ''}${p.line !== undefined ? ':' + p.line : ''} ${p.code} ${p.message}`.replace('  ! ', '  ! ').replace('!  ', '! ')));
  if (s.problemsTotal > s.problems.length) out.push(c.yellow(`  ! … and ${s.problemsTotal - s.problems.length} more problems`));
  return out.join('\n') + '\n';
}
