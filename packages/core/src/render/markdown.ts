import type { Report } from '../schema/report.js';

function md(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}
function code(s: string): string {
  const ticks = s.includes('``') ? '```' : s.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${s.replace(/\n/g, ' ')}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

/** The report as Markdown, ready to paste into a ticket. */
export function renderMarkdown(report: Report): string {
  const out: string[] = ['# scs-doctor report', ''];
  const s = report.stats;
  if (report.diagnoses.length === 0) out.push('No known failure found.', '');
  for (const d of report.diagnoses) {
    out.push(`## ${d.severity.toUpperCase()}: ${md(d.summary)}`, '');
    out.push(`Rule \`${d.ruleId}\` · side ${d.side} · ${d.count} occurrence${d.count === 1 ? '' : 's'}${d.firstSeen ? ` · ${d.firstSeen} – ${d.lastSeen ?? d.firstSeen}` : ''}`, '');
    out.push('**Fix**', '');
    d.remediation.forEach((r, i) => out.push(`${i + 1}. ${md(r)}`));
    out.push('', `**Cause:** ${md(d.cause)}`, '', `**Impact:** ${md(d.impact)}`, '');
    if (d.connections.length) out.push(`**Connections:** ${d.connections.map((c) => md(c.name ? `${c.name} (${c.id})` : c.id)).join(', ')}`, '');
    const params = Object.entries(d.params);
    if (params.length) out.push(`**Parameters:** ${params.map(([k, v]) => `${k} = ${code(Array.isArray(v) ? v.join(', ') : String(v))}`).join(', ')}`, '');
    if (d.evidence.length) {
      out.push('**Evidence**', '');
      for (const ev of d.evidence) out.push(`- ${ev.file ? code(`${ev.file}${ev.line !== undefined ? ':' + ev.line : ''}`) + ' ' : ''}${code(ev.excerpt)}`);
      out.push('');
    }
    out.push(`References: ${d.references.map(md).join('; ')}`, '');
  }
  if (report.unmatched.length) {
    out.push('## Errors no rule explains', '', '| count | message |', '| ---: | --- |');
    for (const u of report.unmatched) out.push(`| ${u.count} | ${code(u.template).replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  out.push('## Input', '', `${s.linesRead} lines read: ${s.linesMatched} matched, ${s.linesUnmatched} unmatched, ${s.linesSkipped} skipped. ${s.events.read} sync events (${s.events.invalid} invalid).`, '');
  for (const p of s.problems) out.push(`- ${md(`${p.file ?? ''}${p.line !== undefined ? ':' + p.line : ''} ${p.code} ${p.message}`)}`);
  return out.join('\n') + '\n';
}
