import { describe, expect, it } from 'vitest';
import { main as supportTicket } from './01-support-ticket.js';
import { main as customRule } from './03-custom-rule/run.js';

describe('examples run', () => {
  it('01 writes a ticket with the infosec diagnosis and its fix', async () => {
    const md = await supportTicket();
    expect(md).toMatch(/## ERROR: Incoming manifests declare infosec level 'SECRET'/);
  });

  it('03 lints, tests and applies a custom rule', async () => {
    expect(await customRule()).toBe('lint: 0 problem(s)\nfixtures: 1, failed cases: 0\nin the sample logs: SCS got HTTP 503 from the Registry Service.\n');
  });
});
