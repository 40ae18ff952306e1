import { visibleDeep } from '../escape.js';
import type { Diagnosis, Report } from '../schema/report.js';
import {
  diagnosisConnections,
  incompleteHeadline,
  incompleteness,
  INPUTS_LISTED,
  overview,
  peerLines,
  refLabel,
  severityCounts,
  shortTime,
  sinceText,
  splitDiagnoses,
  stateCounts,
  stepsOf,
  summaryRows,
  plural,
  omittedText,
} from './overview.js';
import { timelines, type Timeline } from './timeline.js';

/** Text and attribute values: every character HTML gives a meaning to is written as an entity. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Timelines drawn, worst connections first: a page for people, not a dump of 20,000 connections. */
const TIMELINES_DRAWN = 100;

/**
 * Nothing is fetched: no script, no external resource, and a Content-Security-Policy that would
 * block one if text from the inputs ever made it into the markup.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--ok:#1a7f37;--warn:#bf8700;--bad:#cf222e;--crit:#82071e;--info:#0969da;--idle:#8c959f}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
main{max-width:72rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}
h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:2rem 0 .6rem}h3{font-size:.95rem;margin:1rem 0 .3rem}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;padding:.1rem .3rem;border-radius:4px;overflow-wrap:anywhere}
.meta{color:var(--muted)}
header.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:.4rem 1rem;border-bottom:1px solid var(--line);padding-bottom:.75rem}
.incomplete{margin:1rem 0;padding:.75rem 1rem;border:1px solid #ff8182;border-left:6px solid var(--bad);border-radius:6px;background:#ffebe9}
.incomplete strong{color:#a40e26}.incomplete ul{margin:.4rem 0 0;padding-left:1.2rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;margin:1rem 0}
.tile{background:var(--card);border:1px solid var(--line);border-top:4px solid var(--idle);border-radius:6px;padding:.5rem .75rem}
.tile .n{font-size:1.6rem;font-weight:600;line-height:1.2;display:block}.tile .k{color:var(--muted);text-transform:capitalize}
.tile .r{display:block;font-size:12px;color:var(--ok)}.tile .k::after{content:" active";text-transform:none}.tile.conn .k::after{content:""}
td.nw,td.nw code{white-space:nowrap}td.diag{min-width:20rem}
.tile.sev-critical{border-top-color:var(--crit)}.tile.sev-error{border-top-color:var(--bad)}.tile.sev-warning{border-top-color:var(--warn)}.tile.sev-info{border-top-color:var(--info)}.tile.conn{border-top-color:#6e7781}
.tile.zero .n{color:var(--idle)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:6px;overflow:hidden}
th,td{padding:.4rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
th{background:#f6f8fa;font-weight:600;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.02em}
tr:last-child td{border-bottom:0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pill{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:12px;font-weight:600;line-height:1.6;white-space:nowrap;background:#eaeef2;color:var(--muted)}
.pill.failing,.pill.error{background:#ffebe9;color:#a40e26}.pill.critical{background:var(--crit);color:#fff}.pill.stale,.pill.warning{background:#fff8c5;color:#7d4e00}
.pill.healthy,.pill.resolved{background:#dafbe1;color:#116329}.pill.info{background:#ddf4ff;color:#0550ae}
tr.failing td:first-child{color:var(--bad);font-weight:600}tr.stale td:first-child{color:var(--warn);font-weight:600}tr.healthy td:first-child{color:var(--ok)}
details{margin:.5rem 0}summary{cursor:pointer;color:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.1rem;color:var(--muted);font-size:12px;margin-bottom:.5rem}
.legend span{display:inline-flex;align-items:center;gap:.35rem}
.tl{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6rem .9rem .4rem;margin:.6rem 0}
.tl-head{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;margin-bottom:.4rem}
.tl-head .status{margin-left:auto;color:var(--muted);font-size:12px}
.lane{display:grid;grid-template-columns:13rem 1fr;align-items:center;min-height:24px}
.lane-label{font-size:12px;color:var(--muted);padding-right:.75rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.lane-label a{color:inherit;text-decoration:none}.lane-label a:hover{text-decoration:underline}
.track{position:relative;height:24px}.track.attempts{height:34px}
.track::before{content:"";position:absolute;left:0;right:0;top:50%;border-top:1px solid #e6eaef}
.grid{position:absolute;top:0;bottom:0;border-left:1px dashed #eef1f4}
.mark{position:absolute;top:50%;width:12px;height:12px;margin:-6px 0 0 -6px;border-radius:50%;border:2px solid #fff;box-shadow:0 0 0 1px rgba(31,35,40,.25)}
.mark.src-log{width:10px;height:10px;margin:-5px 0 0 -5px;background:#fff!important;border-width:3px}
.mark.o-success{background:var(--ok);border-color:var(--ok)}.mark.o-failure{background:var(--bad);border-color:var(--bad)}
.mark.o-warning{background:#d4a72c;border-color:#d4a72c}.mark.o-started{background:var(--idle);border-color:var(--idle)}
.mark.src-event{border-color:#fff}
.band{position:absolute;top:7px;height:10px;border-radius:2px;opacity:.85}
.band.sev-critical{background:var(--crit)}.band.sev-error{background:var(--bad)}.band.sev-warning{background:#d4a72c}.band.sev-info{background:var(--info)}
.band.open{border-radius:2px 0 0 2px;-webkit-mask-image:linear-gradient(90deg,#000 80%,rgba(0,0,0,.25));mask-image:linear-gradient(90deg,#000 80%,rgba(0,0,0,.25))}
.band.recovered{opacity:.45}
.onset{position:absolute;top:3px;height:18px;border-left:3px solid var(--fg);margin-left:-1px}
.last{position:absolute;top:5px;height:14px;border-left:2px dotted var(--fg);margin-left:-1px}
.recovery{position:absolute;top:2px;width:20px;height:20px;margin-left:-10px;border-radius:50%;background:var(--ok);color:#fff;font-size:12px;line-height:20px;text-align:center;font-weight:700}
.now{position:absolute;top:-2px;bottom:-2px;border-left:2px dashed var(--muted)}
.now span{position:absolute;top:-2px;left:4px;font-size:11px;color:var(--muted)}
.axis .track{height:18px}.axis .track::before{display:none}
.tick{position:absolute;top:0;transform:translateX(-50%);font-size:11px;color:var(--muted);white-space:nowrap;font-variant-numeric:tabular-nums}.tick.end{transform:translateX(-100%)}.tick.start{transform:none}
.earlier{display:block;font-size:11px;color:var(--idle)}
section.card{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--idle);border-radius:6px;padding:.8rem 1.1rem;margin:1rem 0}
section.card h3.title{font-size:1.05rem;margin:.1rem 0 .25rem}
section.card.sev-critical{border-left-color:var(--crit)}section.card.sev-error{border-left-color:var(--bad)}section.card.sev-warning{border-left-color:var(--warn)}section.card.sev-info{border-left-color:var(--info)}
section.card.resolved{border-left-color:var(--ok)}
section.card ol{padding-left:1.4rem}section.card li{margin:.2rem 0}
.kv{display:grid;grid-template-columns:8rem 1fr;gap:.2rem .8rem;margin:.6rem 0}.kv dt{color:var(--muted)}.kv dd{margin:0}
ul.evidence{list-style:none;padding:0;margin:.3rem 0}ul.evidence li{margin:.25rem 0}
footer{margin-top:2rem;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:.75rem}
`;

/** A self-contained HTML page (no script, no external resource) for admin pages and attachments. */
export function renderHtml(given: Report): string {
  const report = visibleDeep(given);
  const s = report.stats;
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width,initial-scale=1"><title>scs-doctor report</title>`);
  parts.push(`<style>${CSS}</style></head><body><main>`);
  const facts = [`judged at ${esc(report.judged.now)}`, `${plural(s.linesRead, 'line')} in ${plural(s.inputs.length, 'input')}`];
  if (s.events.read) facts.push(plural(s.events.read, 'sync event'));
  parts.push(`<header class="top"><h1>scs-doctor report</h1><span class="meta">${facts.join(' · ')}</span></header>`);

  // The overview: what could not be read first, so that a partial report never looks whole.
  const headline = incompleteHeadline(report);
  if (headline) {
    const gaps = incompleteness(report);
    const items = [...gaps.inputs.map((g) => `<li><code>${esc(g.input)}</code> <strong>${esc(g.code)}</strong> ${esc(g.message)}</li>`), ...gaps.other.map((o) => `<li><strong>${esc(o.code)}</strong> ${esc(o.message)}</li>`)];
    parts.push(`<div class="incomplete" role="alert" data-incomplete="${gaps.inputs.length}"><strong>⚠ ${esc(headline)}</strong><ul>${items.join('')}</ul></div>`);
  }
  parts.push(tiles(report));

  const { active, resolved } = splitDiagnoses(report);
  const anchor = new Map(report.diagnoses.map((d, i) => [d.key, `d-${i + 1}`]));
  const rows = summaryRows(report);
  if (rows.length) {
    parts.push('<h2>Summary</h2><table class="summary"><tr><th>severity</th><th>diagnosis</th><th>connection(s)</th><th>Shared ID</th><th>state</th><th>since / resolved</th><th>count</th></tr>');
    for (const d of rows) {
      const sev = d.state === 'resolved' ? 'resolved' : d.severity;
      parts.push(
        `<tr data-diagnosis="${esc(d.key)}"><td><span class="pill ${esc(sev)}">${esc(d.severity)}</span></td><td class="diag"><a href="#${anchor.get(d.key)}"><code>${esc(d.ruleId)}</code></a> ${esc(d.title)}</td><td>${diagnosisConnections(report, d).map(esc).join(', ') || '—'}</td><td class="nw">${d.sharedIds.map((x) => `<code>${esc(x)}</code>`).join(' ') || '—'}</td><td>${esc(d.state)}</td><td class="nw">${esc(sinceText(d))}</td><td class="num">${d.count}</td></tr>`,
      );
    }
    parts.push('</table>');
  } else parts.push('<p>No known failure found.</p>');

  if (report.connections.length > 0) {
    parts.push(`<h2>Connections</h2><p class="meta">${esc(stateCounts(report))}.</p>`);
    parts.push('<table><tr><th>state</th><th>connection</th><th>side</th><th>Shared ID</th><th>since</th><th>peer</th><th>active diagnoses</th></tr>');
    for (const o of overview(report)) {
      const c = o.connection;
      parts.push(
        `<tr class="${esc(c.state)}"><td>${esc(c.state)}</td><td>${esc(o.label)}</td><td>${esc(c.side)}</td><td>${c.sharedId !== undefined ? `<code>${esc(c.sharedId)}</code>` : ''}</td><td>${esc(o.status)}</td><td>${esc(o.peers.join(', '))}</td><td>${o.active.map((a) => `<code>${esc(a)}</code>`).join(' ')}</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  parts.push(inputsTable(report, headline !== undefined));

  const lines = timelines(report, TIMELINES_DRAWN);
  const notDrawn = report.connections.length - lines.filter((t) => t.connection).length;
  if (lines.length) {
    parts.push('<h2>Timeline</h2>');
    parts.push(
      '<div class="legend"><span><i class="mark o-success" style="position:static;margin:0"></i>success</span><span><i class="mark o-warning" style="position:static;margin:0"></i>warning</span><span><i class="mark o-failure" style="position:static;margin:0"></i>failure</span><span><i class="mark o-started" style="position:static;margin:0"></i>started, no finish</span><span><i class="mark o-failure src-log" style="position:static;margin:0"></i>seen in a log line (filled: sync history)</span><span>▍onset · ┆ last seen · <b style="color:var(--ok)">✔</b> recovered · fading band: still active</span></div>',
    );
    for (const t of lines) parts.push(timelineHtml(t, anchor));
    if (notDrawn > 0) parts.push(`<p class="meta">${plural(notDrawn, 'more connection')} not drawn; all are in the connections table above.</p>`);
  }

  if (active.length) parts.push(`<h2>Diagnoses (${active.length} active)</h2>`);
  else parts.push(`<p>${resolved.length ? 'No active failure.' : 'No known failure found.'}</p>`);
  for (const d of active) parts.push(card(report, d, anchor.get(d.key)!));
  if (resolved.length) {
    parts.push(`<h2>Resolved (${resolved.length})</h2><p class="meta">The connections synced successfully after these; kept for the record.</p>`);
    for (const d of resolved) {
      const who = d.connections.map((c) => esc(refLabel(c))).join(', ');
      parts.push(
        `<section class="card resolved" id="${anchor.get(d.key)}"><h3 class="title">${esc(d.summary)}</h3><p class="meta"><span class="pill resolved">resolved ${esc(d.resolvedAt ?? '')}</span> · <code>${esc(d.ruleId)}</code> · ${plural(d.count, 'occurrence')} from ${esc(d.firstSeen ?? '?')} to ${esc(d.lastSeen ?? '?')}${who ? ` · ${who}` : ''}${d.sharedIds.length ? ` · Shared ID ${d.sharedIds.map((x) => `<code>${esc(x)}</code>`).join(' ')}` : ''}</p></section>`,
      );
    }
  }
  if (report.unmatched.length) {
    parts.push('<h2>Errors no rule explains</h2><table><tr><th>count</th><th>message</th></tr>');
    for (const u of report.unmatched) parts.push(`<tr><td class="num">${u.count}</td><td><code>${esc(u.template)}</code></td></tr>`);
    parts.push('</table>');
  }
  if (report.unmatchedWarnings.length) {
    parts.push('<h2>Warnings no rule explains</h2><table><tr><th>count</th><th>message</th></tr>');
    for (const u of report.unmatchedWarnings) parts.push(`<tr><td class="num">${u.count}</td><td><code>${esc(u.template)}</code></td></tr>`);
    parts.push('</table>');
  }
  if (report.unmatchedOmitted.templates > 0) parts.push(`<p class="meta">… ${report.unmatchedOmitted.templates} more messages (${report.unmatchedOmitted.records} records) not listed; <code>--max-unmatched N</code> lists more.</p>`);
  parts.push(`<footer>${s.linesRead} lines read: ${s.linesMatched} matched, ${s.linesUnmatched} unmatched, ${s.linesSkipped} skipped; ${s.events.read} sync events (${s.events.invalid} invalid).`);
  if (s.problems.length) parts.push('<ul>' + s.problems.map((p) => `<li>${esc(`${p.file ?? ''}${p.line !== undefined ? ':' + p.line : ''} ${p.code} ${p.message}`)}</li>`).join('') + '</ul>');
  if (s.problemsTotal > s.problems.length) parts.push(`<p>… and ${s.problemsTotal - s.problems.length} more problems.</p>`);
  parts.push('</footer></main></body></html>');
  return parts.join('\n') + '\n';
}

/** Counts by severity (active, with the resolved beside them) and connections by state. */
function tiles(report: Report): string {
  const out = severityCounts(report).map(
    (r) =>
      `<div class="tile sev-${r.severity}${r.active === 0 ? ' zero' : ''}" data-severity="${r.severity}" data-active="${r.active}" data-resolved="${r.resolved}"><span class="n">${r.active}</span><span class="k">${r.severity}</span>${r.resolved ? `<span class="r">${r.resolved} resolved</span>` : ''}</div>`,
  );
  if (report.connections.length) out.push(`<div class="tile conn"><span class="n">${report.connections.length}</span><span class="k">connections</span><span class="r" style="color:var(--muted)">${esc(stateCounts(report))}</span></div>`);
  return `<div class="tiles">${out.join('')}</div>`;
}

function inputsTable(report: Report, open: boolean): string {
  const inputs = report.stats.inputs;
  if (inputs.length === 0) return '';
  const bad = inputs.filter((i) => i.error).length;
  const rows = inputs.slice(0, INPUTS_LISTED).map((i) => {
    const read = i.error ? `<span class="pill failing">${esc(i.error.code)}</span> ${esc(i.error.message)}` : '<span class="pill healthy">read</span>';
    return `<tr><td><code>${esc(i.name)}</code></td><td>${esc(i.kind)}</td><td class="num">${i.linesRead}</td><td>${Object.keys(i.formats).map(esc).join(', ')}</td><td>${read}</td></tr>`;
  });
  const more = inputs.length > INPUTS_LISTED ? `<p class="meta">… and ${plural(inputs.length - INPUTS_LISTED, 'more input')}.</p>` : '';
  return `<details${open ? ' open' : ''}><summary>Inputs (${inputs.length}${bad ? `, ${bad} not read whole` : ', all read'})</summary><table><tr><th>input</th><th>kind</th><th>lines</th><th>formats</th><th>read</th></tr>${rows.join('')}</table>${more}</details>`;
}

const pct = (x: number) => `${x}%`;

function timelineHtml(t: Timeline, anchor: Map<string, string>): string {
  const c = t.connection;
  const out: string[] = [];
  out.push(`<article class="tl" data-connection="${esc(c?.key ?? '')}" data-attempts="${t.marks.length}">`);
  const facts: string[] = [];
  if (c && c.side !== 'unknown') facts.push(esc(c.side));
  if (c?.sharedId !== undefined) facts.push(`Shared ID <code>${esc(c.sharedId)}</code>`);
  if (t.peers.length) facts.push(`peer ${esc(t.peers.join(', '))}`);
  out.push(`<div class="tl-head">${c ? `<span class="pill ${esc(c.state)}">${esc(c.state)}</span>` : ''}<strong>${esc(t.label)}</strong><span class="meta">${facts.join(' · ')}</span><span class="status">${esc(t.status)}</span></div>`);
  const grid = t.ticks.map((k) => `<span class="grid" style="left:${pct(k.x)}"></span>`).join('');
  if (c) {
    // Attempts closer than a mark's width are stacked above and below the line instead of hidden under each other.
    let prev = -Infinity;
    let level = 0;
    const marks = t.marks.map((m) => {
      const a = m.attempt;
      level = m.x - prev < 1.2 ? (level + 1) % 3 : 0;
      prev = m.x;
      const dy = [0, -9, 9][level]!;
      const from = a.source === 'event' ? `sync history${a.eventId !== undefined ? ` event ${a.eventId}` : ''}` : `log${a.file !== undefined ? ` ${a.file}${a.line !== undefined ? `:${a.line}` : ''}` : ' line'}`;
      return `<span class="mark o-${esc(a.outcome)} src-${esc(a.source)}" data-mark="attempt" data-status="${esc(a.outcome)}" data-source="${esc(a.source)}" data-at="${esc(a.at)}" style="left:${pct(m.x)}${dy ? `;transform:translateY(${dy}px)` : ''}" title="${esc(`${a.outcome} · ${shortTime(a.at)} · ${from}`)}"></span>`;
    });
    const now = t.now !== undefined ? `<span class="now" style="left:${pct(t.now)}" title="judged at"><span>now</span></span>` : '';
    const earlier = t.earlier ? `<span class="earlier">+${plural(t.earlier, 'earlier attempt')} not kept</span>` : '';
    out.push(`<div class="lane"><div class="lane-label">Sync attempts (${t.marks.length})${earlier}</div><div class="track attempts">${grid}${marks.join('')}${now}</div></div>`);
  }
  for (const b of t.bands) {
    const d = b.diagnosis;
    const title = `${d.ruleId}: ${d.summary} · onset ${shortTime(b.onset)}${b.lastSeen ? ` · last seen ${shortTime(b.lastSeen)}` : ''}${b.recoveredAt ? ` · recovered ${shortTime(b.recoveredAt)}` : ' · still active'}`;
    const band = `<div class="band sev-${esc(d.severity)}${b.open ? ' open' : ' recovered'}" data-mark="diagnosis" data-diagnosis="${esc(d.key)}" data-rule="${esc(d.ruleId)}" data-state="${esc(d.state)}" data-first="${esc(b.onset)}"${b.lastSeen ? ` data-last="${esc(b.lastSeen)}"` : ''}${b.recoveredAt ? ` data-recovered="${esc(b.recoveredAt)}"` : ''} style="left:${pct(b.x0)};width:${pct(Math.max(0.4, Math.round((b.x1 - b.x0) * 100) / 100))}" title="${esc(title)}"></div>`;
    const onset = `<span class="onset" data-mark="onset" style="left:${pct(b.x0)}" title="${esc(`onset ${shortTime(b.onset)}`)}"></span>`;
    const last = b.xLast !== undefined && b.xLast > b.x0 ? `<span class="last" data-mark="last-seen" style="left:${pct(b.xLast)}" title="${esc(`last seen ${shortTime(b.lastSeen)}`)}"></span>` : '';
    const rec = b.recoveredAt ? `<span class="recovery" data-mark="recovery" style="left:${pct(b.x1)}" title="${esc(`recovered ${shortTime(b.recoveredAt)}`)}">✔</span>` : '';
    out.push(`<div class="lane"><div class="lane-label" title="${esc(title)}"><a href="#${anchor.get(d.key) ?? ''}"><code>${esc(d.ruleId)}</code></a></div><div class="track">${grid}${band}${onset}${last}${rec}</div></div>`);
  }
  out.push(
    `<div class="lane axis"><div class="lane-label">UTC</div><div class="track">${t.ticks.map((k) => `<span class="tick${k.x > 94 ? ' end' : k.x < 6 ? ' start' : ''}" style="left:${pct(k.x)}">${esc(k.label)}</span>`).join('')}</div></div>`,
  );
  out.push('</article>');
  return out.join('');
}

function card(report: Report, d: Diagnosis, id: string): string {
  const out: string[] = [];
  out.push(`<section class="card sev-${esc(d.severity)}" id="${id}" data-diagnosis="${esc(d.key)}"><h3 class="title">${esc(d.summary)}</h3>`);
  out.push(
    `<p class="meta"><span class="pill ${esc(d.severity)}">${esc(d.severity)}</span> <code>${esc(d.ruleId)}</code> · side ${esc(d.side)} · ${plural(d.count, 'occurrence')}${d.firstSeen ? ` · ${esc(d.firstSeen)} – ${esc(d.lastSeen ?? d.firstSeen)}` : ''}</p>`,
  );
  if (d.peer?.note) out.push(`<p><strong>Other side:</strong> ${esc(d.peer.note)}</p>`);
  for (const r of d.related ?? []) out.push(`<p><strong>${r.relation === 'cause' ? 'Caused by' : 'Causes'}:</strong> ${esc(r.summary)} <code>${esc(r.ruleId)}</code></p>`);
  out.push(
    '<h3>Fix</h3><ol>' +
      stepsOf(d)
        .map((r) => `<li>${esc(r)}</li>`)
        .join('') +
      '</ol>',
  );
  const kv: string[] = [];
  kv.push(`<dt>Cause</dt><dd>${esc(d.cause)}</dd>`, `<dt>Impact</dt><dd>${esc(d.impact)}</dd>`);
  if (d.connections.length) kv.push(`<dt>Connections</dt><dd>${diagnosisConnections(report, d).map(esc).join(', ')}${esc(omittedText(d.connectionsOmitted, 'connections'))}</dd>`);
  if (d.sharedIds.length) kv.push(`<dt>Shared IDs</dt><dd>${d.sharedIds.map((x) => `<code>${esc(x)}</code>`).join(', ')}${esc(omittedText(d.sharedIdsOmitted, 'sharedIds'))}</dd>`);
  const peers = peerLines(d);
  if (peers.length) kv.push(`<dt>Other side</dt><dd>${peers.map(esc).join('<br>')}${d.peer?.diagnoses.length ? `<br>active there: ${d.peer.diagnoses.map((x) => `<code>${esc(x)}</code>`).join(' ')}` : ''}</dd>`);
  const params = Object.entries(d.params);
  if (params.length) kv.push(`<dt>Parameters</dt><dd>${params.map(([k, v]) => `${esc(k)} = <code>${esc(Array.isArray(v) ? v.join(', ') : String(v))}</code>`).join(', ')}</dd>`);
  out.push(`<dl class="kv">${kv.join('')}</dl>`);
  if (d.evidence.length) {
    out.push('<h3>Evidence</h3><ul class="evidence">');
    for (const ev of d.evidence) out.push(`<li>${ev.file ? `<code>${esc(`${ev.file}${ev.line !== undefined ? ':' + ev.line : ''}`)}</code> ` : ''}<code>${esc(ev.excerpt)}</code></li>`);
    out.push('</ul>');
    if (d.count > d.evidence.length) out.push(`<p class="meta">… and ${plural(d.count - d.evidence.length, 'more occurrence')}.</p>`);
  }
  out.push(`<p class="meta">References: ${d.references.map(esc).join('; ')}</p></section>`);
  return out.join('');
}
