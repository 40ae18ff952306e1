import { codeSpan, markdownText, visibleDeep } from '../escape.js';
import type { Report } from '../schema/report.js';
import { diagnosisConnections, incompleteHeadline, incompleteness, INPUTS_LISTED, overview, peerLines, severityLine, sinceText, splitDiagnoses, stateCounts, stepsOf, summaryRows, plural, omittedText } from './overview.js';

const md = markdownText;
const code = codeSpan;
/** A code span inside a table cell: GFM splits cells at `|` even inside code, unless escaped. */
const cellCode = (s: string) => code(s).replace(/\|/g, '\\|');

/** The report as Markdown, ready to paste into a ticket. */
export function renderMarkdown(given: Report): string {
  const report = visibleDeep(given);
  const out: string[] = ['# scs-doctor report', ''];
  const s = report.stats;
  const { active, resolved } = splitDiagnoses(report);
  const cell = (t: string) => md(t);
  // The overview: what could not be read first, so that a partial report never reads as whole.
  const headline = incompleteHeadline(report);
  if (headline) {
    out.push(`> **⚠ ${md(headline)}**`, '>');
    const gaps = incompleteness(report);
    for (const g of gaps.inputs) out.push(`> - ${code(g.input)} ${g.code}: ${md(g.message)}`);
    for (const o of gaps.other) out.push(`> - ${o.code}: ${md(o.message)}`);
    out.push('');
  }
  const facts = [`Judged at ${report.judged.now}`, `${plural(s.linesRead, 'line')} in ${plural(s.inputs.length, 'input')}`];
  if (s.events.read) facts.push(plural(s.events.read, 'sync event'));
  out.push(`${facts.join(' · ')}.`, '', `**Diagnoses:** ${severityLine(report)}`, '');
  const rows = summaryRows(report);
  if (rows.length) {
    out.push('## Summary', '', '| severity | diagnosis | connection(s) | Shared ID | state | since / resolved | count |', '| --- | --- | --- | --- | --- | --- | ---: |');
    for (const d of rows) {
      out.push(`| ${d.severity} | ${cellCode(d.ruleId)} ${cell(d.title)} | ${diagnosisConnections(report, d).map(cell).join(', ') || '—'} | ${d.sharedIds.map(cellCode).join(', ') || '—'} | ${d.state} | ${sinceText(d)} | ${d.count} |`);
    }
    out.push('');
  }
  if (report.connections.length > 0) {
    out.push(`## Connections (${stateCounts(report)})`, '', '| state | connection | side | Shared ID | since | peer | active diagnoses |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const o of overview(report)) {
      const c = o.connection;
      out.push(`| ${c.state} | ${cell(o.label)} | ${c.side} | ${c.sharedId !== undefined ? cellCode(c.sharedId) : ''} | ${cell(o.status)} | ${cell(o.peers.join(', '))} | ${o.active.map((a) => cellCode(a)).join(', ')} |`);
    }
    out.push('');
  }
  if (s.inputs.length) {
    out.push(`## Inputs (${s.inputs.length})`, '', '| input | kind | lines | formats | read |', '| --- | --- | ---: | --- | --- |');
    for (const i of s.inputs.slice(0, INPUTS_LISTED)) {
      out.push(`| ${cellCode(i.name)} | ${i.kind} | ${i.linesRead} | ${Object.keys(i.formats).map(cell).join(', ')} | ${i.error ? `**${i.error.code}**` : 'ok'} |`);
    }
    if (s.inputs.length > INPUTS_LISTED) out.push('', `… and ${plural(s.inputs.length - INPUTS_LISTED, 'more input')}.`);
    out.push('');
  }
  if (active.length === 0) out.push(resolved.length ? 'No active failure.' : 'No known failure found.', '');
  for (const d of active) {
    out.push(`## ${d.severity.toUpperCase()}: ${md(d.summary)}`, '');
    out.push(`Rule \`${d.ruleId}\` · side ${d.side} · ${d.count} occurrence${d.count === 1 ? '' : 's'}${d.firstSeen ? ` · ${d.firstSeen} – ${d.lastSeen ?? d.firstSeen}` : ''}`, '');
    if (d.peer?.note) out.push(`**Other side:** ${md(d.peer.note)}`, '');
    for (const r of d.related ?? []) out.push(`**${r.relation === 'cause' ? 'Caused by' : 'Causes'}:** ${md(r.summary)} (rule ${code(r.ruleId)})`, '');
    out.push('**Fix**', '');
    stepsOf(d).forEach((r, i) => out.push(`${i + 1}. ${md(r)}`));
    out.push('', `**Cause:** ${md(d.cause)}`, '', `**Impact:** ${md(d.impact)}`, '');
    if (d.connections.length) out.push(`**Connections:** ${diagnosisConnections(report, d).map(md).join(', ')}${omittedText(d.connectionsOmitted, 'connections')}`, '');
    if (d.sharedIds.length) out.push(`**Shared IDs:** ${d.sharedIds.map((x) => code(x)).join(', ')}${omittedText(d.sharedIdsOmitted, 'sharedIds')}`, '');
    const peers = peerLines(d);
    if (peers.length) {
      out.push('**Same Shared ID, other side:**', '');
      for (const p of peers) out.push(`- ${md(p)}`);
      if (d.peer?.diagnoses.length) out.push(`- active there: ${d.peer.diagnoses.map((x) => code(x)).join(', ')}`);
      out.push('');
    }
    const params = Object.entries(d.params);
    if (params.length) out.push(`**Parameters:** ${params.map(([k, v]) => `${k} = ${code(Array.isArray(v) ? v.join(', ') : String(v))}`).join(', ')}`, '');
    if (d.evidence.length) {
      out.push('**Evidence**', '');
      for (const ev of d.evidence) out.push(`- ${ev.file ? code(`${ev.file}${ev.line !== undefined ? ':' + ev.line : ''}`) + ' ' : ''}${code(ev.excerpt)}`);
      out.push('');
    }
    out.push(`References: ${d.references.map(md).join('; ')}`, '');
  }
  if (resolved.length) {
    out.push(`## Resolved (${resolved.length})`, '', 'The connections synced successfully after these; kept for the record.', '');
    for (const d of resolved) {
      const who = d.connections.map((c) => md(c.name ? `${c.name} (${c.id})` : c.id)).join(', ');
      out.push(`- ~~${md(d.summary)}~~ resolved ${d.resolvedAt ?? ''} (rule \`${d.ruleId}\`, ${d.count}× from ${d.firstSeen ?? '?'} to ${d.lastSeen ?? '?'}${who ? `, ${who}` : ''})`);
    }
    out.push('');
  }
  if (report.unmatched.length) {
    out.push('## Errors no rule explains', '', '| count | message |', '| ---: | --- |');
    for (const u of report.unmatched) out.push(`| ${u.count} | ${code(u.template).replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  if (report.unmatchedWarnings.length) {
    out.push('## Warnings no rule explains', '', '| count | message |', '| ---: | --- |');
    for (const u of report.unmatchedWarnings) out.push(`| ${u.count} | ${code(u.template).replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  if (report.unmatchedOmitted.templates > 0) out.push(`… ${report.unmatchedOmitted.templates} more messages (${report.unmatchedOmitted.records} records) not listed; \`--max-unmatched N\` lists more.`, '');
  out.push('## Input', '', `${s.linesRead} lines read: ${s.linesMatched} matched, ${s.linesUnmatched} unmatched, ${s.linesSkipped} skipped. ${s.events.read} sync events (${s.events.invalid} invalid).`, '');
  for (const p of s.problems) out.push(`- ${md(`${p.file ?? ''}${p.line !== undefined ? ':' + p.line : ''} ${p.code} ${p.message}`)}`);
  return out.join('\n') + '\n';
}
