import { codeSpan, markdownText, visibleDeep } from '../escape.js';
import type { Report } from '../schema/report.js';
import { diagnosisConnections, overview, splitDiagnoses, stateCounts, stepsOf } from './overview.js';

const md = markdownText;
const code = codeSpan;

/** The report as Markdown, ready to paste into a ticket. */
export function renderMarkdown(given: Report): string {
  const report = visibleDeep(given);
  const out: string[] = ['# scs-doctor report', ''];
  const s = report.stats;
  const { active, resolved } = splitDiagnoses(report);
  if (report.connections.length > 0) {
    out.push(`## Connections (${stateCounts(report)})`, '', `Judged at ${report.judged.now}.`, '', '| state | connection | side | Shared ID | since | peer | active diagnoses |', '| --- | --- | --- | --- | --- | --- | --- |');
    const cell = (t: string) => md(t).replace(/\n/g, ' ');
    for (const o of overview(report)) {
      const c = o.connection;
      out.push(`| ${c.state} | ${cell(o.label)} | ${c.side} | ${c.sharedId !== undefined ? code(c.sharedId).replace(/\|/g, '\\|') : ''} | ${cell(o.status)} | ${cell(o.peers.join(', '))} | ${o.active.map((a) => code(a)).join(', ')} |`);
    }
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
    if (d.connections.length) out.push(`**Connections:** ${diagnosisConnections(report, d).map(md).join(', ')}`, '');
    if (d.sharedIds.length) out.push(`**Shared IDs:** ${d.sharedIds.map((x) => code(x)).join(', ')}`, '');
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
