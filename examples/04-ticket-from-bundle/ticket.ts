/**
 * Support tooling: a customer attached one archive to the ticket (`.tar.gz` or `.tar`) holding the
 * SCS logs of both installations and the sync history exported from the admin backend.
 * `diagnoseInputs` reads it member by member, without unpacking it to disk (each log as a log, each
 * member named like a sync-history export as events), and this prints the Markdown report for the ticket.
 *
 * Run: tar -czf /tmp/bundle.tar.gz -C examples/04-ticket-from-bundle/bundle .
 *      npx tsx examples/04-ticket-from-bundle/ticket.ts /tmp/bundle.tar.gz [--now ISO-8601]
 *
 * Exit status as the CLI's: 0 nothing active, 1 an active diagnosis, 2 something could not be read
 * (the report is printed all the same and says what).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isScsDoctorError, render } from '@scs-doctor/core';
import { diagnoseInputs, loadRulePack } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

/**
 * A member holding sync history rather than log lines, by its name: `sync-history.json`,
 * `sync_events.ndjson`, `history/….json` and the like. `diagnoseInputs` reads such members as events.
 */
export { HISTORY_MEMBER } from '@scs-doctor/adapters';

export interface Ticket {
  markdown: string;
  /** Some input or member could not be read (its problem is in the report). */
  lost: boolean;
  /** How many diagnoses are active. */
  active: number;
  /** The members read, each as `log` or `history`. */
  members: { name: string; as: 'log' | 'history' }[];
}

/** Reads the bundle (its logs as logs, its sync-history members as events) and renders the report as Markdown. */
export async function ticketFromBundle(bundle: string, options: { now?: string; cwd?: string } = {}): Promise<Ticket> {
  const pack = await loadRulePack([rulesDir]);
  const { report, lost } = await diagnoseInputs(pack, { inputs: [bundle], now: options.now, cwd: options.cwd });
  const members = report.stats.inputs.map((i) => ({ name: i.name, as: i.kind === 'events' ? ('history' as const) : ('log' as const) }));
  return { markdown: render(report, 'markdown'), lost, active: report.diagnoses.filter((d) => d.state === 'active').length, members };
}

/** `ticket.ts BUNDLE [--now ISO-8601]`: prints the Markdown; the exit status says what it found. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  let now: string | undefined;
  const at = args.indexOf('--now');
  if (at >= 0) {
    now = args[at + 1];
    if (now === undefined) {
      process.stderr.write('ticket: --now needs a time (ISO-8601)\n');
      return 2;
    }
    args.splice(at, 2);
  }
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    process.stderr.write('usage: ticket.ts BUNDLE.tar.gz [--now ISO-8601]\n');
    return 2;
  }
  let t: Ticket;
  try {
    t = await ticketFromBundle(args[0]!, { now });
  } catch (e) {
    // A --now that is not a time is the library's OPTION_INVALID, naming `now`.
    if (!isScsDoctorError(e)) throw e;
    process.stderr.write(`ticket: ${e.message}\n`);
    return 2;
  }
  process.stdout.write(t.markdown);
  return t.lost ? 2 : t.active > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
