/**
 * The admin backend: sync events come from its own database (snake_case rows, `Date` objects),
 * already in memory. The rule pack is compiled once at start-up; the page of one connection asks
 * "what is wrong with this connection now, since when, is it fixed, what do I do".
 * Run: npx tsx examples/02-admin-backend.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectionStatus } from '@scs-doctor/core';
import { loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const pack = await loadRulePack([rulesDir]);

/** A row of the backend's sync history table, as its database driver returns it. */
export interface SyncRow {
  id: number;
  connection_id: string;
  connection_name?: string;
  direction: 'sending' | 'receiving';
  shared_id?: string;
  status: string;
  started_at: Date;
  finished_at?: Date | null;
  message?: string | null;
  files: { resource_id?: string; revision_id?: string; size_bytes?: number; outcome?: string }[];
}

/** What the connection's panel shows: its state, since when, and the fix of each active diagnosis. */
export function panelFor(rows: SyncRow[], connectionId: string, now: Date) {
  const status = connectionStatus(pack, { events: rows }, connectionId, { now });
  const c = status.connection;
  return {
    state: c?.state ?? 'unknown',
    since: c?.since,
    lastSuccess: c?.lastSuccess,
    active: status.active.map((d) => ({ severity: d.severity, summary: d.summary, steps: d.peer?.remediation ?? d.remediation, peerNote: d.peer?.note })),
    resolved: status.resolved.map((d) => ({ summary: d.summary, resolvedAt: d.resolvedAt })),
    problems: status.problems,
  };
}

export async function main(): Promise<string> {
  const row = (id: number, status: string, minute: number, message?: string): SyncRow => ({
    id,
    connection_id: 'c-1',
    connection_name: 'Acme → Globex',
    direction: 'sending',
    shared_id: 'acme-to-globex',
    status,
    started_at: new Date(Date.UTC(2026, 4, 12, 9, minute, 2)),
    finished_at: new Date(Date.UTC(2026, 4, 12, 9, minute, 3)),
    message: message ?? null,
    files: [],
  });
  const failing = [row(1, 'failure', 0, 'shared secret unavailable: InvalidToken'), row(2, 'failure', 5, 'shared secret unavailable: InvalidToken')];
  const now = new Date('2026-05-12T09:30:00Z');
  const before = panelFor(failing, 'c-1', now);
  // The administrator reset the shared secret; the next sync succeeded.
  const after = panelFor([...failing, row(3, 'success', 20)], 'c-1', now);
  return [
    `before the fix: ${before.state} since ${before.since}`,
    ...before.active.map((d) => `  [${d.severity}] ${d.summary}\n  → ${d.steps[0]}`),
    `after the fix: ${after.state}, last success ${after.lastSuccess}`,
    ...after.resolved.map((d) => `  resolved ${d.resolvedAt}: ${d.summary}`),
  ].join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(await main());
}
