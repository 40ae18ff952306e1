import { describe, expect, it } from 'vitest';
import { main as supportTicket } from './01-support-ticket.js';
import { main as adminBackend, panelFor } from './02-admin-backend.js';
import { main as customRule } from './03-custom-rule/run.js';

describe('examples run', () => {
  it('01 writes a ticket with the infosec diagnosis and its fix', async () => {
    const md = await supportTicket();
    expect(md).toMatch(/## ERROR: Incoming manifests declare infosec level 'SECRET'/);
  });

  it('02 shows a failing connection with its fix, then the same connection recovered', async () => {
    const out = await adminBackend();
    expect(out).toMatch(/^before the fix: failing since 2026-05-12T09:00:03.000Z\n {2}\[error\] [^\n]*InvalidToken[^\n]*\n {2}→ [^\n]*reset its shared secret/);
    expect(out).toMatch(/after the fix: healthy, last success 2026-05-12T09:20:03.000Z\n {2}resolved 2026-05-12T09:20:03.000Z: /);
  });

  it('02 shows a healthy connection with nothing active, and a bad row as a problem', () => {
    const at = new Date('2026-05-12T09:00:00Z');
    const p = panelFor(
      [
        { id: 1, connection_id: 'c', direction: 'sending', status: 'success', started_at: at, files: [] },
        { id: 2, connection_id: 'c', direction: 'sending', status: 'success', started_at: new Date(Number.NaN), files: [] },
      ],
      'c',
      new Date('2026-05-12T09:10:00Z'),
    );
    expect([p.state, p.active, p.problems.length]).toEqual(['healthy', [], 1]);
  });

  it('03 lints, tests and applies a custom rule', async () => {
    expect(await customRule()).toBe('lint: 0 problem(s)\nfixtures: 1, failed cases: 0\nin the sample logs: SCS got HTTP 503 from the Registry Service.\n');
  });
});
