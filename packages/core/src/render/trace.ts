/** A trace (engine/trace.ts) as text, Markdown or JSON. */
import type { Trace, TraceCheck, TraceEvidence } from '../engine/trace.js';

export const TRACE_FORMATS = ['text', 'json', 'markdown'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

const RESULT_ICON: Record<TraceCheck['result'], string> = { passed: '✔', failed: '✖', unknown: '?' };
const VERDICT_ICON: Record<Trace['conclusion'], string> = { ok: '✔', problem: '✖', undetermined: '?' };

function md(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function place(e: TraceEvidence): string {
  return e.file === undefined ? e.source : e.line === undefined ? e.file : `${e.file}:${e.line}`;
}

function evidenceLine(e: TraceEvidence): string {
  const conn = e.connectionId ? `${e.connectionId}${e.connectionName && e.connectionName !== e.connectionId ? ` "${e.connectionName}"` : ''}` : '(no connection)';
  return `${place(e)}  ${e.time ?? '(no time)'}  ${conn} [${e.side}]${e.sharedId ? ` Shared ID ${e.sharedId}` : ''}  ${e.excerpt}`;
}

function fileLine(t: Trace): string {
  const parts = [t.resourceId && `resource ${t.resourceId}`, t.revisionId && `revision ${t.revisionId}`].filter(Boolean);
  const by = t.matchedBy.length > 0 ? `matched as ${t.matchedBy.join(' and ')} id` : 'not matched in any sync event';
  return `${parts.length ? parts.join(', ') + '; ' : ''}${by}`;
}

function checkGroups(t: Trace): [string, TraceCheck[]][] {
  return (['sending', 'receiving'] as const).map((s) => [s, t.checks.filter((c) => c.side === s)] as [string, TraceCheck[]]).filter(([, l]) => l.length > 0);
}

/** The trace as a person reads it in a terminal. */
export function renderTraceText(t: Trace): string {
  const out: string[] = [];
  out.push(`Trace ${t.id} (${fileLine(t)}), judged at ${t.judgedAt}`);
  out.push(`${VERDICT_ICON[t.conclusion]} ${t.verdict}${t.side ? ` [${t.side}]` : ''}: ${t.summary}`);
  if (t.revisions.length > 0) {
    out.push('', 'Other revisions of the resource:');
    for (const r of t.revisions) out.push(`  ${r.revisionId}: ${r.verdict}${r.lastSeen ? ` (last seen ${r.lastSeen})` : ''}`);
  }
  if (t.checks.length > 0) {
    out.push('', 'Checks:');
    for (const [side, list] of checkGroups(t)) {
      out.push(`  ${side === 'sending' ? 'Sending side' : 'Receiving side'}`);
      for (const c of list) out.push(`    ${RESULT_ICON[c.result]} ${c.result.padEnd(7)} ${c.title}${c.detail ? ` — ${c.detail}` : ''}`);
    }
  }
  if (t.steps.length > 0) {
    out.push('', 'What to do:');
    t.steps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  }
  if (t.evidence.length > 0) {
    out.push('', `Evidence (${t.evidence.length === t.evidenceTotal ? t.evidenceTotal : `newest ${t.evidence.length} of ${t.evidenceTotal}`}):`);
    for (const e of t.evidence) out.push(`  ${evidenceLine(e)}`);
  }
  if (t.connections.length > 0) {
    out.push('', 'Connections:');
    for (const c of t.connections) {
      const label = c.id && c.name && c.name !== c.id ? `${c.id} "${c.name}"` : (c.id ?? c.name ?? c.key);
      out.push(`  ${label} [${c.side}]${c.sharedId ? ` Shared ID ${c.sharedId}` : ''}: ${c.state}${c.lastSuccess ? `, last success ${c.lastSuccess}` : ''}${c.activeDiagnoses.length ? `; active: ${c.activeDiagnoses.join(', ')}` : ''}`);
    }
  }
  if (t.problems.length > 0) {
    out.push('', `Input problems (${t.problems.length}):`);
    for (const p of t.problems) out.push(`  ${p}`);
  }
  if (t.references.length > 0) out.push('', `See: ${t.references.join('; ')}`);
  return out.join('\n') + '\n';
}

/** The trace as Markdown, for a ticket. */
export function renderTraceMarkdown(t: Trace): string {
  const out: string[] = [`# scs-doctor trace ${md(t.id)}`, '', `${fileLine(t)}; judged at ${t.judgedAt}.`, ''];
  out.push(`**${VERDICT_ICON[t.conclusion]} ${t.verdict}**${t.side ? ` (${t.side} side)` : ''}: ${md(t.summary)}`);
  if (t.revisions.length > 0) {
    out.push('', '## Other revisions', '');
    for (const r of t.revisions) out.push(`- \`${r.revisionId}\`: ${r.verdict}${r.lastSeen ? ` (last seen ${r.lastSeen})` : ''}`);
  }
  if (t.checks.length > 0) {
    out.push('', '## Checks', '', '| Side | Check | Result | Detail |', '| --- | --- | --- | --- |');
    for (const c of t.checks) out.push(`| ${c.side} | ${md(c.title)} | ${RESULT_ICON[c.result]} ${c.result} | ${md(c.detail)} |`);
  }
  if (t.steps.length > 0) {
    out.push('', '## What to do', '');
    t.steps.forEach((s, i) => out.push(`${i + 1}. ${md(s)}`));
  }
  if (t.evidence.length > 0) {
    out.push('', `## Evidence (${t.evidence.length === t.evidenceTotal ? t.evidenceTotal : `newest ${t.evidence.length} of ${t.evidenceTotal}`})`, '');
    for (const e of t.evidence) out.push(`- ${md(evidenceLine(e))}`);
  }
  if (t.connections.length > 0) {
    out.push('', '## Connections', '');
    for (const c of t.connections)
      out.push(
        `- ${md(c.id ?? c.key)}${c.name && c.name !== c.id ? ` "${md(c.name)}"` : ''} (${c.side}${c.sharedId ? `, Shared ID ${md(c.sharedId)}` : ''}): ${c.state}${c.activeDiagnoses.length ? `; active: ${c.activeDiagnoses.join(', ')}` : ''}`,
      );
  }
  if (t.problems.length > 0) {
    out.push('', '## Input problems', '');
    for (const p of t.problems) out.push(`- ${md(p)}`);
  }
  if (t.references.length > 0) out.push('', `See: ${t.references.map(md).join('; ')}`);
  return out.join('\n') + '\n';
}

/**
 * The trace in one of TRACE_FORMATS.
 *
 * @example
 * ```ts
 * console.log(renderTrace(trace(pack, { events }, 'rev-42'), 'text'));
 * ```
 */
export function renderTrace(t: Trace, format: TraceFormat): string {
  return format === 'json' ? JSON.stringify(t, null, 2) + '\n' : format === 'markdown' ? renderTraceMarkdown(t) : renderTraceText(t);
}
