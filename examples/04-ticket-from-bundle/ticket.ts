/**
 * Support tooling: a customer attached one archive to the ticket (`.tar.gz` or `.tar`) holding the
 * SCS logs of both installations and the sync history exported from the admin backend. This reads
 * it member by member, without unpacking it to disk (each log as a log, each sync-history export as
 * events), and prints the Markdown report for the ticket.
 *
 * Run: tar -czf /tmp/bundle.tar.gz -C examples/04-ticket-from-bundle/bundle .
 *      npx tsx examples/04-ticket-from-bundle/ticket.ts /tmp/bundle.tar.gz [--now ISO-8601]
 *
 * Exit status as the CLI's: 0 nothing active, 1 an active diagnosis, 2 something could not be read
 * (the report is printed all the same and says what).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosisSession, isScsDoctorError, render } from '@scs-doctor/core';
import { expandInputs, loadRulePack, openLogInputs, readEventsStream, readLogStream } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

/**
 * A member holding sync history rather than log lines, by its name: `sync-history.json`,
 * `sync_events.ndjson`, `history/….json` and the like.
 */
export const HISTORY_MEMBER = /(?:^|[/:])(?:[^/]*sync[-_]?(?:history|events)[^/]*|history\/[^/]+)\.(?:json|ndjson|jsonl)(?:\.gz)?$/i;

export interface Ticket {
  markdown: string;
  /** Some input or member could not be read (its problem is in the report). */
  lost: boolean;
  /** How many diagnoses are active. */
  active: number;
  /** The members read, each as `log` or `history`. */
  members: { name: string; as: 'log' | 'history' }[];
}

/** Reads the bundle into one session and renders the report as Markdown. */
export async function ticketFromBundle(bundle: string, options: { now?: string; cwd?: string } = {}): Promise<Ticket> {
  const pack = await loadRulePack([rulesDir]);
  const session = new DiagnosisSession(pack, { now: options.now });
  const members: Ticket['members'] = [];
  let lost = false;
  const { inputs, missing } = await expandInputs([bundle], options.cwd ?? process.cwd());
  for (const m of missing) {
    session.problem({ code: m.code, message: m.message, file: m.arg }, m.arg);
    lost = true;
  }
  for (const input of inputs) {
    try {
      // A member's stream is read to its end (or fails alone) before the next member is asked for.
      for await (const part of openLogInputs(input)) {
        const as = HISTORY_MEMBER.test(part.name) ? 'history' : 'log';
        members.push({ name: part.name, as });
        try {
          if (as === 'history') {
            if ((await readEventsStream(part.stream, part.name, session)).unreadable) lost = true;
          } else {
            await readLogStream(part.stream, part.name, session);
            if (session.input(part.name).error) lost = true;
          }
        } catch (e) {
          // The archive around the member failed: nothing after it can be read.
          if (isScsDoctorError(e) && e.place.file !== undefined && e.place.file !== part.name) throw e;
          session.problem({ code: isScsDoctorError(e) ? e.code : 'INPUT_UNREADABLE', message: (e as Error).message, file: part.name }, part.name);
          lost = true;
        }
      }
    } catch (e) {
      const file = isScsDoctorError(e) && e.place.file !== undefined ? e.place.file : input.name;
      session.problem({ code: isScsDoctorError(e) ? e.code : 'INPUT_UNREADABLE', message: (e as Error).message, file }, file);
      lost = true;
    }
  }
  const report = session.report();
  return { markdown: render(report, 'markdown'), lost, active: report.diagnoses.filter((d) => d.state === 'active').length, members };
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:\d\d)$/i;

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
    // Checked here: the session judges at the current time when `now` is not a time it can read.
    if (!ISO_TIME.test(now) || Number.isNaN(Date.parse(now))) {
      process.stderr.write(`ticket: --now ${JSON.stringify(now)} is not an ISO-8601 time with a zone (2026-05-14T10:10:00Z)\n`);
      return 2;
    }
    args.splice(at, 2);
  }
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    process.stderr.write('usage: ticket.ts BUNDLE.tar.gz [--now ISO-8601]\n');
    return 2;
  }
  const t = await ticketFromBundle(args[0]!, { now });
  process.stdout.write(t.markdown);
  return t.lost ? 2 : t.active > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
