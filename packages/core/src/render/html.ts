import { visibleDeep } from '../escape.js';
import type { Report } from '../schema/report.js';
import { diagnosisConnections, overview, splitDiagnoses, stateCounts, stepsOf } from './overview.js';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A self-contained HTML page (no scripts, no external resources) for admin pages and attachments. */
export function renderHtml(given: Report): string {
  const report = visibleDeep(given);
  const parts: string[] = [];
  parts.push('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>scs-doctor report</title>');
  parts.push('<style>body{font:14px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}section{border:1px solid #d0d7de;border-left-width:6px;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}.critical,.error{border-left-color:#cf222e}.warning{border-left-color:#bf8700}.info{border-left-color:#0969da}code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px;word-break:break-all}.meta{color:#57606a}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left}tr.failing td:first-child{color:#cf222e;font-weight:600}tr.stale td:first-child{color:#bf8700;font-weight:600}tr.healthy td:first-child{color:#1a7f37}section.resolved{border-left-color:#1a7f37;opacity:.8}</style></head><body>');
  parts.push('<h1>scs-doctor report</h1>');
  const { active, resolved } = splitDiagnoses(report);
  if (report.connections.length > 0) {
    parts.push(`<h2>Connections</h2><p class="meta">${esc(stateCounts(report))}; judged at ${esc(report.judged.now)}.</p>`);
    parts.push('<table><tr><th>state</th><th>connection</th><th>side</th><th>Shared ID</th><th>since</th><th>peer</th><th>active diagnoses</th></tr>');
    for (const o of overview(report)) {
      const c = o.connection;
      parts.push(`<tr class="${esc(c.state)}"><td>${esc(c.state)}</td><td>${esc(o.label)}</td><td>${esc(c.side)}</td><td>${c.sharedId !== undefined ? `<code>${esc(c.sharedId)}</code>` : ''}</td><td>${esc(o.status)}</td><td>${esc(o.peers.join(', '))}</td><td>${o.active.map((a) => `<code>${esc(a)}</code>`).join(' ')}</td></tr>`);
    }
    parts.push('</table>');
  }
  if (active.length === 0) parts.push(`<p>${resolved.length ? 'No active failure.' : 'No known failure found.'}</p>`);
  for (const d of active) {
    parts.push(`<section class="${esc(d.severity)}"><h2>${esc(d.summary)}</h2>`);
    parts.push(`<p class="meta">${esc(d.severity)} · <code>${esc(d.ruleId)}</code> · side ${esc(d.side)} · ${d.count} occurrence${d.count === 1 ? '' : 's'}${d.firstSeen ? ` · ${esc(d.firstSeen)} – ${esc(d.lastSeen ?? d.firstSeen)}` : ''}</p>`);
    if (d.peer?.note) parts.push(`<p><strong>Other side:</strong> ${esc(d.peer.note)}</p>`);
    for (const r of d.related ?? []) parts.push(`<p><strong>${r.relation === 'cause' ? 'Caused by' : 'Causes'}:</strong> ${esc(r.summary)} <code>${esc(r.ruleId)}</code></p>`);
    parts.push('<h3>Fix</h3><ol>' + stepsOf(d).map((r) => `<li>${esc(r)}</li>`).join('') + '</ol>');
    parts.push(`<p><strong>Cause:</strong> ${esc(d.cause)}</p><p><strong>Impact:</strong> ${esc(d.impact)}</p>`);
    if (d.connections.length) parts.push(`<p><strong>Connections:</strong> ${diagnosisConnections(report, d).map(esc).join(', ')}</p>`);
    if (d.sharedIds.length) parts.push(`<p><strong>Shared IDs:</strong> ${d.sharedIds.map((x) => `<code>${esc(x)}</code>`).join(', ')}</p>`);
    const params = Object.entries(d.params);
    if (params.length) parts.push('<p><strong>Parameters:</strong> ' + params.map(([k, v]) => `${esc(k)} = <code>${esc(Array.isArray(v) ? v.join(', ') : String(v))}</code>`).join(', ') + '</p>');
    if (d.evidence.length) {
      parts.push('<h3>Evidence</h3><ul>');
      for (const ev of d.evidence) parts.push(`<li>${ev.file ? `<code>${esc(`${ev.file}${ev.line !== undefined ? ':' + ev.line : ''}`)}</code> ` : ''}<code>${esc(ev.excerpt)}</code></li>`);
      parts.push('</ul>');
    }
    parts.push(`<p class="meta">References: ${d.references.map(esc).join('; ')}</p></section>`);
  }
  if (resolved.length) {
    parts.push(`<h2>Resolved (${resolved.length})</h2><p class="meta">The connections synced successfully after these; kept for the record.</p>`);
    for (const d of resolved) {
      const who = d.connections.map((c) => esc(c.name ? `${c.name} (${c.id})` : c.id)).join(', ');
      parts.push(`<section class="resolved"><h3>${esc(d.summary)}</h3><p class="meta">resolved ${esc(d.resolvedAt ?? '')} · <code>${esc(d.ruleId)}</code> · ${d.count} occurrence${d.count === 1 ? '' : 's'} from ${esc(d.firstSeen ?? '?')} to ${esc(d.lastSeen ?? '?')}${who ? ` · ${who}` : ''}</p></section>`);
    }
  }
  if (report.unmatched.length) {
    parts.push('<h2>Errors no rule explains</h2><table><tr><th>count</th><th>message</th></tr>');
    for (const u of report.unmatched) parts.push(`<tr><td>${u.count}</td><td><code>${esc(u.template)}</code></td></tr>`);
    parts.push('</table>');
  }
  if (report.unmatchedWarnings.length) {
    parts.push('<h2>Warnings no rule explains</h2><table><tr><th>count</th><th>message</th></tr>');
    for (const u of report.unmatchedWarnings) parts.push(`<tr><td>${u.count}</td><td><code>${esc(u.template)}</code></td></tr>`);
    parts.push('</table>');
  }
  if (report.unmatchedOmitted.templates > 0) parts.push(`<p class="meta">… ${report.unmatchedOmitted.templates} more messages (${report.unmatchedOmitted.records} records) not listed; <code>--max-unmatched N</code> lists more.</p>`);
  const s = report.stats;
  parts.push(`<p class="meta">${s.linesRead} lines read: ${s.linesMatched} matched, ${s.linesUnmatched} unmatched, ${s.linesSkipped} skipped; ${s.events.read} sync events (${s.events.invalid} invalid).</p>`);
  if (s.problems.length) parts.push('<ul>' + s.problems.map((p) => `<li>${esc(`${p.file ?? ''}${p.line !== undefined ? ':' + p.line : ''} ${p.code} ${p.message}`)}</li>`).join('') + '</ul>');
  parts.push('</body></html>');
  return parts.join('\n') + '\n';
}
