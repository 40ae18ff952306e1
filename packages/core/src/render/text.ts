import { visibleDeep, visibleLine } from '../escape.js';
import type { Diagnosis, Report } from '../schema/report.js';
import { diagnosisConnections, incompleteHeadline, incompleteness, inputText, INPUTS_LISTED, overview, severityLine, splitDiagnoses, stateCounts, stepsOf, plural, omittedText } from './overview.js';

export interface TextOptions {
  color?: boolean;
}

const ICON: Record<Diagnosis['severity'], string> = { critical: '✖', error: '✖', warning: '▲', info: '●' };
const STATE_ICON = { failing: '✖', stale: '▲', unknown: '?', healthy: '✔' } as const;

function paint(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap('31'), yellow: wrap('33'), blue: wrap('34'), dim: wrap('2'), bold: wrap('1') };
}

function place(ev: Diagnosis['evidence'][number]): string {
  if (ev.file) return `${ev.file}${ev.line !== undefined ? ':' + ev.line : ''}`;
  return ev.source;
}

/** The report as a person reads it in a terminal or a ticket: one block per diagnosis, fix first. */
export function renderText(given: Report, options: TextOptions = {}): string {
  const report = visibleDeep(given);
  const c = paint(options.color ?? false);
  const out: string[] = [];
  const { active, resolved } = splitDiagnoses(report);
  // The overview: what could not be read first, then the counts, the inputs and the connections.
  const headline = incompleteHeadline(report);
  if (headline) {
    out.push(c.red(c.bold(`!! ${headline}`)));
    const gaps = incompleteness(report);
    for (const g of gaps.inputs) out.push(c.red(`   ${visibleLine(g.input)}  ${g.code}  ${visibleLine(g.message)}`));
    for (const o of gaps.other) out.push(c.red(`   ${o.code}  ${visibleLine(o.message)}`));
    out.push('');
  }
  out.push(`${c.bold('Diagnoses')} ${severityLine(report)}`);
  const inputs = report.stats.inputs;
  out.push(`${c.bold(`Inputs (${inputs.length})`)}${inputs.length ? ':' : ''}`);
  for (const i of inputs.slice(0, INPUTS_LISTED)) out.push(`  ${i.error ? c.red('✖') : ' '} ${visibleLine(i.name)}  ${c.dim(`${i.kind}, ${inputText(i)}`)}`);
  if (inputs.length > INPUTS_LISTED) out.push(c.dim(`    … and ${plural(inputs.length - INPUTS_LISTED, 'more input')}`));
  out.push('');
  if (report.connections.length > 0) {
    out.push(c.bold(`Connections (${report.connections.length}: ${stateCounts(report)}), judged at ${report.judged.now}:`));
    for (const o of overview(report)) {
      const st = o.connection.state;
      const paintState = st === 'failing' ? c.red : st === 'stale' ? c.yellow : st === 'healthy' ? (x: string) => x : c.dim;
      const side = o.connection.side === 'unknown' ? '' : ` [${o.connection.side}]`;
      const shared = o.connection.sharedId !== undefined && o.connection.id !== undefined ? c.dim(` Shared ID ${o.connection.sharedId}`) : '';
      out.push(`  ${paintState(`${STATE_ICON[st]} ${o.label}`)}${side}${shared}: ${o.status}`);
      if (o.peers.length) out.push(`      ${c.dim('peer:')} ${o.peers.join(', ')}`);
      if (o.active.length) out.push(`      ${c.dim('active:')} ${o.active.join(', ')}`);
    }
    out.push('');
  }
  for (const d of active) {
    const sev = d.severity === 'warning' ? c.yellow : d.severity === 'info' ? c.blue : c.red;
    const side = d.side === 'unknown' ? '' : ` [${d.side}]`;
    out.push(`${sev(`${ICON[d.severity]} ${d.severity}`)} ${c.bold(d.summary)}${side}  ${c.dim(d.ruleId)}`);
    if (d.peer?.note) out.push(`  ${c.bold('Other side:')} ${d.peer.note}`);
    for (const r of d.related ?? []) out.push(`  ${c.bold(r.relation === 'cause' ? 'Caused by:' : 'Causes:')} ${r.summary}  ${c.dim(r.ruleId)}`);
    out.push(`  ${c.bold('Fix:')}`);
    stepsOf(d).forEach((step, i) => out.push(`    ${i + 1}. ${step}`));
    out.push(`  ${c.bold('Cause:')} ${d.cause}`);
    out.push(`  ${c.bold('Impact:')} ${d.impact}`);
    const when = d.firstSeen ? (d.firstSeen === d.lastSeen ? ` at ${d.firstSeen}` : ` from ${d.firstSeen} to ${d.lastSeen}`) : '';
    out.push(`  ${c.bold('Seen:')} ${plural(d.count, 'time')}${when}`);
    if (d.connections.length) out.push(`  ${c.bold('Connections:')} ${diagnosisConnections(report, d).join(', ')}${d.connectionsOmitted ? c.dim(omittedText(d.connectionsOmitted, 'connections')) : ''}`);
    if (d.sharedIds.length) out.push(`  ${c.bold('Shared IDs:')} ${d.sharedIds.join(', ')}${d.sharedIdsOmitted ? c.dim(omittedText(d.sharedIdsOmitted, 'sharedIds')) : ''}`);
    const params = Object.entries(d.params);
    if (params.length) out.push(`  ${c.bold('Parameters:')} ${params.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join('  ')}`);
    for (const ev of d.evidence) out.push(`  ${c.dim(place(ev))}  ${ev.excerpt}`);
    if (d.count > d.evidence.length) out.push(`  ${c.dim(`… and ${plural(d.count - d.evidence.length, 'more occurrence')}`)}`);
    out.push(`  ${c.dim('See: ' + d.references.join('; '))}`);
    out.push('');
  }
  if (resolved.length) {
    out.push(c.bold(`Resolved (${resolved.length}): the connections synced successfully after these`));
    for (const d of resolved) {
      const who = d.connections.map((x) => (x.name ? `${x.name} (${x.id})` : x.id)).join(', ');
      out.push(`  ${c.dim('✔ resolved')} ${d.summary}  ${c.dim(d.ruleId)}`);
      out.push(`      ${plural(d.count, 'time')} from ${d.firstSeen ?? '?'} to ${d.lastSeen ?? '?'}; resolved ${d.resolvedAt ?? '?'}${who ? ` on ${who}` : ''}`);
    }
    out.push('');
  }
  const omitted = report.unmatchedOmitted;
  if (report.unmatched.length) {
    out.push(c.bold('Errors no rule explains (newest SCS messages show up here first):'));
    for (const u of report.unmatched) out.push(`  ${String(u.count).padStart(6)}×  ${u.template}  ${c.dim(place(u.sample))}`);
    out.push('');
  }
  if (report.unmatchedWarnings.length) {
    out.push(c.bold('Warnings no rule explains:'));
    for (const u of report.unmatchedWarnings) out.push(`  ${String(u.count).padStart(6)}×  ${u.template}  ${c.dim(place(u.sample))}`);
    out.push('');
  }
  if (omitted.templates > 0) {
    out.push(c.dim(`  … ${plural(omitted.templates, 'more message')} (${plural(omitted.records, 'record')}) not listed; --max-unmatched N lists more`));
    out.push('');
  }
  const s = report.stats;
  const bySev = new Map<string, number>();
  for (const d of active) bySev.set(d.severity, (bySev.get(d.severity) ?? 0) + 1);
  const sevText = [...bySev].map(([k, v]) => `${v} ${k}`).join(', ');
  const resolvedText = resolved.length ? `, ${resolved.length} resolved` : '';
  const head = active.length
    ? `${plural(active.length, 'active diagnosis', 'active diagnoses')} (${sevText})${resolvedText}`
    : resolved.length
      ? `No active failure (${plural(resolved.length, 'diagnosis', 'diagnoses')} resolved)`
      : 'No known failure found';
  const parts = [`${plural(s.linesRead, 'line')} in ${plural(s.inputs.length + s.inputsOmitted, 'input')}${s.inputsOmitted ? ` (${s.inputsOmitted.toLocaleString('en-US')} not listed in the report's stats)` : ''}`];
  if (s.events.read) parts.push(`${plural(s.events.read, 'sync event')}${s.events.invalid ? ` (${s.events.invalid} invalid)` : ''}`);
  if (s.linesSkipped)
    parts.push(
      `${plural(s.linesSkipped, 'line')} skipped (${Object.entries(s.skipped)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
  out.push(`${c.bold(head)} from ${parts.join(', ')}.`);
  for (const p of s.problems) out.push(c.yellow(`  ! ${p.file ?? ''}${p.line !== undefined ? ':' + p.line : ''} ${p.code} ${p.message}`.replace('  ! ', '  ! ').replace('!  ', '! ')));
  if (s.problemsTotal > s.problems.length) out.push(c.yellow(`  ! … and ${s.problemsTotal - s.problems.length} more problems`));
  return out.join('\n') + '\n';
}
