/**
 * "Sync Succeeds, File Not Received", automated: follows one file (a resource or revision id)
 * through everything given — sync histories and logs of the sending and the receiving side,
 * joined by Shared ID — and answers where it stopped, with the evidence. The guide's checklists
 * (Debugging Secure Connections › Sending Side Checks and Receiving Side Checks) are walked: the
 * checks the inputs answer are judged here; the checks only the host can answer (who the viewer
 * is, what they hold, whether the artifact has a parent) are json-rules-engine rules over facts
 * the host supplies, so a host adds its own facts, checks and operators.
 */
import { Engine, type Almanac } from 'json-rules-engine';
import { ScsDoctorError, formatProblem, type Problem } from '../errors.js';
import { createRedactor, redactDeep, type Redactor } from '../redact.js';
import { compileRules, type RulePack } from '../rules/compile.js';
import type { LogRecord, SyncEventRecord } from '../schema/records.js';
import type { Connection, Diagnosis, ParamValue, Report } from '../schema/report.js';
import { parseTime, toIso } from '../time.js';
import { pushEvents, pushLogs, type DiagnoseInput } from './diagnose.js';
import { DiagnosisSession, type SessionOptions } from './session.js';
import { fillTemplate } from './template.js';
import {
  DATA_CHECKS,
  DATA_CHECK_TEXT,
  EXCLUSION_TEXT,
  INFOSEC_SCHEMAS,
  RECEIVING_VERDICTS,
  SENDING_VERDICTS,
  TRACE_CHECKS,
  TRACE_REFERENCES,
  VERDICT_TEXT,
  type TraceCheckDefinition,
  type TraceSide,
  type TraceVerdict,
} from './trace-checks.js';

export { TRACE_CHECKS, TRACE_FACTS, INFOSEC_SCHEMAS, type TraceCheckDefinition, type TraceVerdict } from './trace-checks.js';

/** A host fact: a value, or a function of json-rules-engine's `(params, almanac)`, sync or async. */
export type HostFact = unknown;
/** A host operator, as json-rules-engine takes it: `(factValue, valueInTheCondition) => boolean`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- json-rules-engine's own operator signature
export type HostOperator = (factValue: any, value: any) => boolean;

export interface TraceOptions extends SessionOptions {
  /** The rules to diagnose the inputs with: diagnoses that name the file give the reason it stopped. */
  pack?: RulePack | undefined;
  /**
   * A report of the same inputs made already (the CLI reads files into one): its connections and
   * diagnoses are used and the inputs are not diagnosed again. `input` then needs only the
   * sync events and the log records that can name the file.
   */
  report?: Report | undefined;
  /** Facts only the host knows (see TRACE_FACTS): plain values, or (async) fact functions. */
  facts?: Readonly<Record<string, HostFact>> | undefined;
  /** More checks, or replacements of built-in ones (same id). */
  checks?: readonly TraceCheckDefinition[] | undefined;
  /** Operators the host's checks use, beside json-rules-engine's and `containsAll`, `atOrBefore`. */
  operators?: Readonly<Record<string, HostOperator>> | undefined;
  /** Evidence items the trace keeps (newest first; default 20). `evidenceLimit` is the diagnoses' own. */
  maxEvidence?: number | undefined;
}

export type TraceSideName = TraceSide | 'unknown';

/** One place the file (or the lack of it) shows in the inputs. */
export interface TraceEvidence {
  source: 'event' | 'log';
  file?: string | undefined;
  line?: number | undefined;
  time?: string | undefined;
  side: TraceSideName;
  connectionId?: string | undefined;
  connectionName?: string | undefined;
  sharedId?: string | undefined;
  eventId?: string | undefined;
  /** The status of the sync event. */
  status?: 'success' | 'warning' | 'failure' | undefined;
  /** What became of the file there; absent for a sync that did not list it, or a log line that only mentions it. */
  outcome?: 'transferred' | 'excluded' | 'failed' | undefined;
  resourceId?: string | undefined;
  revisionId?: string | undefined;
  sizeBytes?: number | undefined;
  /** How the id was found: as the file's resource id, its revision id, or in the text; absent when the file is not there. */
  matchedBy?: 'resource' | 'revision' | 'text' | undefined;
  /** The rule whose diagnosis names the file here. */
  ruleId?: string | undefined;
  excerpt: string;
}

export type TraceCheckResultValue = 'passed' | 'failed' | 'unknown';

/** One step of the guide's checklists, as walked. */
export interface TraceCheck {
  id: string;
  side: TraceSide;
  title: string;
  /** inputs: judged from the sync histories and logs; host: json-rules-engine over the host's facts. */
  by: 'inputs' | 'host';
  result: TraceCheckResultValue;
  /** What decided it: the evidence, or the fact values, or the facts that were missing. */
  detail: string;
  /** The fact values the check read (host checks; secrets masked). */
  facts: Record<string, unknown>;
  /** Facts that were not supplied (result unknown). */
  missing: string[];
  /** What to do (failed or unknown). */
  step?: string | undefined;
}

export interface TraceConnection {
  key: string;
  id?: string | undefined;
  name?: string | undefined;
  side: 'sending' | 'receiving' | 'unknown';
  sharedId?: string | undefined;
  state: Connection['state'];
  lastSuccess?: string | undefined;
  activeDiagnoses: string[];
}

/** The answer of `trace`. */
export interface Trace {
  id: string;
  /** How the id matched files of sync events: as a resource id, a revision id (empty: it did not). */
  matchedBy: ('resource' | 'revision')[];
  resourceId?: string | undefined;
  /** The revision the verdict is about (the newest one seen, when a resource id matched several). */
  revisionId?: string | undefined;
  verdict: TraceVerdict;
  /** The side the verdict was reached on. */
  side?: TraceSideName | undefined;
  summary: string;
  /** Why the file was excluded or failed. */
  reason?: string | undefined;
  /** ok: it got through and every check walked passed; problem: it stopped, or a check failed; undetermined: the rest. */
  conclusion: 'ok' | 'problem' | 'undetermined';
  checks: TraceCheck[];
  steps: string[];
  evidence: TraceEvidence[];
  /** Evidence found in all (the list keeps the newest `evidenceLimit`). */
  evidenceTotal: number;
  /** The other revisions of the resource, each with its own verdict. */
  revisions: { revisionId: string; verdict: TraceVerdict; lastSeen?: string | undefined }[];
  /** The connections that carried the file, or should have, and the ones on the other side of their Shared IDs. */
  connections: TraceConnection[];
  references: string[];
  /** Inputs that could not be read, as `file:line CODE message`. */
  problems: string[];
  judgedAt: string;
}

/** An occurrence with what the verdict needs. */
interface Occ extends TraceEvidence {
  endMs: number;
  finished: boolean;
  /** A diagnosis that names the file here. */
  diagnosis?: Diagnosis | undefined;
  connectionKey: string | undefined;
}

let emptyPack: RulePack | undefined;

const norm = (s: string) => s.trim().toLowerCase();

/** Whether `text` holds `id` (lower case) as a whole token. */
function mentions(text: string, id: string): boolean {
  const t = text.toLowerCase();
  let at = t.indexOf(id);
  while (at >= 0) {
    const before = at === 0 ? '' : t[at - 1]!;
    const after = t[at + id.length] ?? '';
    if (!/[\w-]/.test(before) && !/[\w-]/.test(after)) return true;
    at = t.indexOf(id, at + 1);
  }
  return false;
}

function paramMatch(params: Record<string, ParamValue>, id: string): 'resource' | 'revision' | 'text' | undefined {
  for (const [k, v] of Object.entries(params)) {
    const hit = typeof v === 'string' ? norm(v) === id : Array.isArray(v) && v.some((x) => norm(x) === id);
    if (hit) return /revision/i.test(k) ? 'revision' : /resource/i.test(k) ? 'resource' : 'text';
  }
  return undefined;
}

const isFactRef = (v: unknown): v is { fact: string } => typeof v === 'object' && v !== null && typeof (v as { fact?: unknown }).fact === 'string';

type Kleene = TraceCheckResultValue;

/** One node of a json-rules-engine result tree (`RuleResult.conditions`), as far as the trace reads it. */
interface ResultNode {
  all?: unknown;
  any?: unknown;
  not?: unknown;
  condition?: unknown;
  fact?: unknown;
  path?: string;
  value?: unknown;
  result?: unknown;
  factResult?: unknown;
  valueResult?: unknown;
}

/** The three-valued result of a json-rules-engine result tree: a leaf on a missing fact is unknown, never passed. */
function judgeNode(tree: unknown, missing: Set<string>, read: Record<string, unknown>): Kleene {
  if (tree === null || typeof tree !== 'object') return 'unknown';
  const node = tree as ResultNode;
  if (Array.isArray(node.all)) {
    const r = node.all.map((c: unknown) => judgeNode(c, missing, read));
    return r.includes('failed') ? 'failed' : r.includes('unknown') ? 'unknown' : 'passed';
  }
  if (Array.isArray(node.any)) {
    const r = node.any.map((c: unknown) => judgeNode(c, missing, read));
    return r.includes('passed') ? 'passed' : r.includes('unknown') ? 'unknown' : 'failed';
  }
  if (node.not !== undefined) {
    const r = judgeNode(node.not, missing, read);
    return r === 'passed' ? 'failed' : r === 'failed' ? 'passed' : 'unknown';
  }
  if (typeof node.condition === 'string') return node.result === undefined ? 'unknown' : node.result ? 'passed' : 'failed';
  const fact = node.fact;
  if (typeof fact !== 'string') return 'unknown';
  if (node.result === undefined) {
    // Not evaluated (the engine stopped at a decided `all`/`any`): no facts to show.
    return 'unknown';
  }
  let known = true;
  const name = node.path ? `${fact}${node.path.startsWith('$') ? node.path.slice(1) : `.${node.path}`}` : fact;
  read[name] = node.factResult;
  if (node.factResult === undefined) {
    missing.add(fact);
    known = false;
  }
  if (isFactRef(node.value)) {
    read[node.value.fact] = node.valueResult;
    if (node.valueResult === undefined) {
      missing.add(node.value.fact);
      known = false;
    }
  }
  return known ? (node.result ? 'passed' : 'failed') : 'unknown';
}

/** Normalizes a level name for comparison: `Top Secret` is `TOP_SECRET`. */
const levelKey = (v: unknown) =>
  typeof v === 'string'
    ? v
        .trim()
        .toUpperCase()
        .replace(/[\s-]+/g, '_')
    : undefined;

/**
 * The ranks of the viewer's and the file's infosec levels in one order: the host's `infosecLevels`,
 * else the documented schema that holds both. `null` (no level) ranks -1.
 */
async function infosecRanks(almanac: Almanac, derived: Map<string, { needs: string[]; shown: Record<string, unknown> }>): Promise<{ viewer: number | undefined; file: number | undefined }> {
  const viewerLevel = await almanac.factValue<unknown>('viewerInfosecLevel');
  const fileLevel = await almanac.factValue<unknown>('fileInfosecLevel');
  const given = await almanac.factValue<unknown>('infosecLevels');
  const levels = [viewerLevel, fileLevel]
    .filter((l) => l !== null && l !== undefined && l !== '')
    .map(levelKey)
    .filter((l): l is string => l !== undefined);
  let order: readonly string[] | undefined;
  let schema: string | undefined;
  if (Array.isArray(given)) {
    order = given.map(levelKey).filter((l): l is string => l !== undefined);
    schema = 'infosecLevels';
  } else {
    for (const [name, list] of Object.entries(INFOSEC_SCHEMAS)) {
      if (levels.every((l) => list.includes(l))) {
        order = list;
        schema = name;
        break;
      }
    }
  }
  const rank = (v: unknown): number | undefined => {
    if (v === null || v === '') return -1;
    const k = levelKey(v);
    if (k === undefined || order === undefined) return undefined;
    const i = order.indexOf(k);
    return i < 0 ? undefined : i;
  };
  const shown = { viewerInfosecLevel: viewerLevel, fileInfosecLevel: fileLevel, infosecLevels: schema };
  derived.set('viewerInfosecRank', { needs: viewerLevel === undefined ? ['viewerInfosecLevel'] : rank(viewerLevel) === undefined ? ['infosecLevels'] : [], shown });
  derived.set('fileInfosecRank', { needs: fileLevel === undefined ? ['fileInfosecLevel'] : rank(fileLevel) === undefined ? ['infosecLevels'] : [], shown });
  return { viewer: viewerLevel === undefined ? undefined : rank(viewerLevel), file: fileLevel === undefined ? undefined : rank(fileLevel) };
}

const BUILTIN_OPERATORS: Readonly<Record<string, HostOperator>> = {
  /** Every item of the value is in the fact's list (a user needs every control tag on a resource). */
  containsAll: (factValue, value) => Array.isArray(factValue) && Array.isArray(value) && value.every((v) => factValue.includes(v)),
  /** The fact's time is at or before the value's (ISO-8601 or epoch milliseconds). */
  atOrBefore: (factValue, value) => {
    const a = parseTime(factValue);
    const b = parseTime(value);
    return a !== undefined && b !== undefined && a <= b;
  },
};

function checkProblem(message: string): ScsDoctorError {
  return new ScsDoctorError('OPTION_INVALID', message);
}

/** Refuses a host check that is not one, with the reason. */
function validateCheck(c: unknown, i: number): TraceCheckDefinition {
  const at = `check ${i + 1}`;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw checkProblem(`${at}: expected an object with id, side, title, conditions and step`);
  const o = c as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || o['id'] === '') throw checkProblem(`${at}: id must be a non-empty string`);
  const name = `check "${o['id']}"`;
  if (o['side'] !== 'sending' && o['side'] !== 'receiving') throw checkProblem(`${name}: side must be sending or receiving`);
  if (typeof o['title'] !== 'string' || o['title'] === '') throw checkProblem(`${name}: title must be a non-empty string`);
  if (typeof o['step'] !== 'string' || o['step'] === '') throw checkProblem(`${name}: step (what to do when it fails) must be a non-empty string`);
  const cond = o['conditions'];
  if (cond === null || typeof cond !== 'object' || !('all' in cond || 'any' in cond || 'not' in cond)) throw checkProblem(`${name}: conditions must be an object with all, any or not`);
  // An empty list would pass (or fail) without reading a fact.
  for (const k of ['all', 'any'] as const) {
    const list = (cond as Record<string, unknown>)[k];
    if (k in cond && (!Array.isArray(list) || list.length === 0)) throw checkProblem(`${name}: conditions.${k} must be a non-empty list`);
  }
  if (o['unknownStep'] !== undefined && typeof o['unknownStep'] !== 'string') throw checkProblem(`${name}: unknownStep must be a string`);
  const when = o['when'];
  const verdicts = Object.keys(VERDICT_TEXT);
  if (when !== undefined && (!Array.isArray(when) || when.some((w) => !verdicts.includes(w as string)))) throw checkProblem(`${name}: when must be a list of verdicts (${verdicts.join(', ')})`);
  return o as unknown as TraceCheckDefinition;
}

/** The conditions' fact names (for the order facts are listed in). */
function factsOf(node: unknown, out: string[] = []): string[] {
  if (node === null || typeof node !== 'object') return out;
  const o = node as Record<string, unknown>;
  for (const k of ['all', 'any'] as const) if (Array.isArray(o[k])) for (const c of o[k] as unknown[]) factsOf(c, out);
  if (o['not'] !== undefined) factsOf(o['not'], out);
  if (typeof o['fact'] === 'string' && !out.includes(o['fact'])) out.push(o['fact']);
  if (isFactRef(o['value']) && !out.includes(o['value'].fact)) out.push(o['value'].fact);
  return out;
}

const show = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

/**
 * Evaluates the host checks with json-rules-engine: one engine, one run (so each fact function is
 * called once), the trace's facts first and the host's over them.
 */
async function runHostChecks(defs: readonly TraceCheckDefinition[], traceFacts: Record<string, unknown>, options: TraceOptions, redact: Redactor): Promise<TraceCheck[]> {
  if (defs.length === 0) return [];
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, fn] of Object.entries(BUILTIN_OPERATORS)) engine.addOperator(name, fn);
  for (const [name, fn] of Object.entries(options.operators ?? {})) {
    if (typeof fn !== 'function') throw checkProblem(`operator "${name}" must be a function (factValue, value) => boolean`);
    engine.addOperator(name, fn);
  }
  const derived = new Map<string, { needs: string[]; shown: Record<string, unknown> }>();
  const errors = new Map<string, string>();
  for (const [name, value] of Object.entries(traceFacts)) if (value !== undefined) engine.addFact(name, value);
  engine.addFact('viewerInfosecRank', async (_p: unknown, almanac: Almanac) => (await infosecRanks(almanac, derived)).viewer);
  engine.addFact('fileInfosecRank', async (_p: unknown, almanac: Almanac) => (await infosecRanks(almanac, derived)).file);
  for (const [name, value] of Object.entries(options.facts ?? {})) {
    if (value === undefined) continue;
    if (typeof value === 'function') {
      const fn = value as (params: Record<string, unknown>, almanac: Almanac) => unknown;
      engine.addFact(name, async (params: Record<string, unknown>, almanac: Almanac) => {
        try {
          return await fn(params, almanac);
        } catch (e) {
          errors.set(name, redact(e instanceof Error ? e.message : String(e)));
          return undefined;
        }
      });
    } else {
      engine.addFact(name, value);
    }
  }
  for (const d of defs) {
    try {
      engine.addRule({ name: d.id, conditions: d.conditions, event: { type: d.id } });
    } catch (e) {
      throw checkProblem(`check "${d.id}": ${(e as Error).message}`);
    }
  }
  let run;
  try {
    run = await engine.run();
  } catch (e) {
    throw checkProblem(`the checks could not be evaluated: ${redact((e as Error).message)}`);
  }
  const byName = new Map<string, { conditions: unknown }>();
  for (const r of [...run.results, ...run.failureResults]) byName.set(String(r.name), r);
  return defs.map((d) => {
    const r = byName.get(d.id);
    const missing = new Set<string>();
    const read: Record<string, unknown> = {};
    let result: Kleene = r ? judgeNode(r.conditions, missing, read) : 'unknown';
    // A derived fact (a rank) that is missing is missing for the facts it is made from.
    for (const [name, info] of derived) {
      if (!(name in read)) continue;
      Object.assign(read, info.shown);
      if (missing.delete(name)) for (const n of info.needs) missing.add(n);
    }
    const failedFacts = [...missing].filter((m) => errors.has(m));
    if (result === 'passed' && missing.size > 0) result = 'unknown';
    const order = factsOf(d.conditions);
    const facts: Record<string, unknown> = {};
    for (const k of [...order, ...Object.keys(read)]) if (k in read && !(k in facts) && read[k] !== undefined) facts[k] = read[k];
    const safe = redactDeep(facts, redact);
    const missingList = [...missing].sort();
    const shown = Object.entries(safe)
      .map(([k, v]) => `${k}=${show(v)}`)
      .join(', ');
    const detail =
      result === 'unknown'
        ? [
            missingList.filter((m) => !errors.has(m)).length > 0 ? fillTemplate(DATA_CHECK_TEXT.factMissing, { facts: missingList.filter((m) => !errors.has(m)).join(', ') }) : '',
            failedFacts.length > 0 ? fillTemplate(DATA_CHECK_TEXT.factError, { facts: failedFacts.map((f) => `${f} (${errors.get(f)})`).join(', ') }) : '',
          ]
            .filter(Boolean)
            .join('; ') || 'not evaluated'
        : shown;
    return {
      id: d.id,
      side: d.side,
      title: d.title,
      by: 'host' as const,
      result,
      detail,
      facts: safe,
      missing: missingList,
      step: result === 'failed' ? d.step : result === 'unknown' ? (d.unknownStep ?? d.step) : undefined,
    };
  });
}

function connectionLabel(c: { connectionId?: string | undefined; connectionName?: string | undefined }): string {
  if (c.connectionName && c.connectionId && c.connectionName !== c.connectionId) return `${c.connectionId} "${c.connectionName}"`;
  return c.connectionId ?? c.connectionName ?? 'an unnamed connection';
}

function whereOf(o: { file?: string | undefined; line?: number | undefined }): string {
  return o.file === undefined ? '(no place)' : o.line === undefined ? o.file : `${o.file}:${o.line}`;
}

function describeFile(id: string, matched: readonly string[], resourceId: string | undefined, revisionId: string | undefined): string {
  if (revisionId && resourceId) return matched.includes('revision') ? `Revision ${revisionId} (resource ${resourceId})` : `Resource ${resourceId} (revision ${revisionId})`;
  if (revisionId) return `Revision ${revisionId}`;
  if (resourceId) return `Resource ${resourceId}`;
  return `File ${id}`;
}

/**
 * The verdict of a set of occurrences, or undefined when none bears one (log lines that only
 * mention the file). Received beats everything; then a stop on the receiving side; then a
 * transfer on the sending side, unless a later sync on that side excluded it or failed.
 */
function judgeOccurrences(occs: readonly Occ[]): { verdict: TraceVerdict; side: TraceSideName; main: Occ; sendingTransfer: Occ | undefined } | undefined {
  const newest = (list: readonly Occ[]) => list.reduce<Occ | undefined>((a, b) => (a === undefined || b.endMs >= a.endMs ? b : a), undefined);
  const bearing = occs.filter((o) => o.outcome !== undefined || o.source === 'event');
  if (bearing.length === 0) return undefined;
  // Through: a sync that succeeded (or finished with warnings) carried the file; a file listed
  // without an outcome counts only in a plain success (it is one of the sync's pushed files).
  const through = (o: Occ) => o.source === 'event' && o.status !== 'failure' && (o.status === 'success' || o.finished) && (o.outcome === 'transferred' || (o.outcome === undefined && o.status === 'success'));
  const stop = (o: Occ): TraceVerdict => (o.outcome === 'excluded' ? 'excluded' : 'failed');
  const receiving = (o: Occ) => o.side === 'receiving';
  const received = newest(bearing.filter((o) => receiving(o) && through(o)));
  const sendingTransfer = newest(bearing.filter((o) => !receiving(o) && through(o)));
  if (received) return { verdict: 'received', side: 'receiving', main: received, sendingTransfer };
  const atReceiver = newest(bearing.filter((o) => receiving(o) && !through(o)));
  if (atReceiver && !(sendingTransfer && sendingTransfer.endMs > atReceiver.endMs)) return { verdict: stop(atReceiver), side: 'receiving', main: atReceiver, sendingTransfer };
  const atSender = newest(bearing.filter((o) => !receiving(o) && !through(o)));
  if (sendingTransfer && !(atSender && atSender.endMs > sendingTransfer.endMs)) return { verdict: 'transferred', side: sendingTransfer.side, main: sendingTransfer, sendingTransfer };
  if (atSender) return { verdict: stop(atSender), side: atSender.side, main: atSender, sendingTransfer: undefined };
  return undefined;
}

function reasonOf(o: Occ): string {
  if (o.diagnosis) return o.diagnosis.title.replace(/\.$/, '');
  if (o.outcome === 'excluded') return o.sizeBytes !== undefined && o.sizeBytes >= EXCLUSION_TEXT.ceilingBytes ? fillTemplate(EXCLUSION_TEXT.ceiling, { sizeBytes: o.sizeBytes }) : EXCLUSION_TEXT.unknown;
  if (o.outcome === 'failed') return EXCLUSION_TEXT.failedReason;
  return EXCLUSION_TEXT.failedSyncReason;
}

/**
 * Follows one file through the inputs and answers where it stopped. `id` is a resource or a
 * revision id. Host facts (see TRACE_FACTS) answer the receiving checklist; a check whose facts
 * were not supplied is `unknown`, never passed.
 * @example const t = await trace({ events: rows }, 'R-1', { pack, facts: { viewerId: 'u-7', receivingConnectionOwners: async (_p, a) => owners(await a.factValue('receivingConnectionId')) } });
 */
export async function trace(input: DiagnoseInput, id: string, options: TraceOptions = {}): Promise<Trace> {
  if (typeof id !== 'string' || id.trim() === '') throw new ScsDoctorError('USAGE', 'trace needs a resource or revision id');
  const want = norm(id);
  const shownId = id.trim();
  const r = options.redact;
  const redact: Redactor = typeof r === 'function' ? r : createRedactor(r ?? []);
  const hostChecks = (options.checks ?? []).map(validateCheck);
  const events: SyncEventRecord[] = [];
  const logs: LogRecord[] = [];
  const userTap = options.tap;
  const { pack, report: given, facts: _f, checks: _c, operators: _o, maxEvidence: limit, ...session } = options;
  const usePack = given ? (emptyPack ??= compileRules([])) : (pack ?? (emptyPack ??= compileRules([])));
  const s = new DiagnosisSession(usePack, {
    ...session,
    redact,
    tap: (rec) => {
      userTap?.(rec);
      if (rec.kind === 'event') events.push(rec);
      else logs.push(rec);
    },
  });
  if (input.logs) pushLogs(s, input.logs);
  if (input.events) pushEvents(s, input.events);
  for (const p of input.probes ?? []) s.probe(p);
  const own = s.report();
  const report = given ?? own;
  // With a report given, only the records handed over here can add problems (their validation).
  const ownProblems = given ? own.stats.problems.filter((p) => p.code === 'EVENT_INVALID' || p.code === 'RECORD_INVALID') : [];
  const problems = [...report.stats.problems, ...ownProblems].map((p) => formatProblem({ ...p, code: p.code as Problem['code'] }));

  const conns = new Map<string, Connection>();
  for (const c of report.connections) conns.set(c.key, c);
  const connOf = (key: string | undefined) => (key === undefined ? undefined : (conns.get(key) ?? report.connections.find((c) => c.id === key)));
  const sideOfConn = (key: string | undefined): TraceSideName => {
    const c = connOf(key);
    return c && c.side !== 'unknown' ? c.side : 'unknown';
  };

  // The file in sync events.
  const occs: Occ[] = [];
  const matched = new Set<'resource' | 'revision'>();
  for (const rec of events) {
    const e = rec.event;
    for (const f of e.files) {
      const by = f.revisionId !== undefined && norm(f.revisionId) === want ? 'revision' : f.resourceId !== undefined && norm(f.resourceId) === want ? 'resource' : undefined;
      if (by === undefined) continue;
      matched.add(by);
      const when = e.finishedAt ?? e.startedAt;
      const what = [f.name, f.sizeBytes !== undefined ? `${f.sizeBytes} bytes` : undefined].filter(Boolean).join(', ');
      occs.push({
        source: 'event',
        file: rec.source.file,
        line: rec.source.line,
        time: when,
        side: e.direction ?? sideOfConn(e.connectionId),
        connectionId: e.connectionId,
        connectionName: e.connectionName,
        sharedId: e.sharedId ?? connOf(e.connectionId)?.sharedId,
        eventId: e.id,
        status: e.status,
        outcome: f.outcome,
        resourceId: f.resourceId,
        revisionId: f.revisionId,
        sizeBytes: f.sizeBytes,
        matchedBy: by,
        excerpt: redact(`sync ${e.id ?? ''} ${e.status}: file ${f.outcome ?? 'listed'}${what ? ` (${what})` : ''}${e.message ? `: ${e.message}` : ''}`.replace('  ', ' ')),
        endMs: parseTime(when) ?? 0,
        finished: e.finishedAt !== undefined,
        connectionKey: e.connectionId,
      });
    }
  }

  // Diagnoses that name the file (a log line's revision, a file rule's parameters): the reason.
  for (const d of report.diagnoses) {
    const by = paramMatch(d.params, want);
    if (by === undefined) continue;
    const str = (k: string) => (typeof d.params[k] === 'string' ? d.params[k] : undefined);
    for (const ev of d.evidence) {
      const same = occs.find((o) => o.file === ev.file && o.line === ev.line && o.source === ev.source);
      if (same) {
        same.diagnosis ??= d;
        same.ruleId ??= d.ruleId;
        continue;
      }
      const key = ev.connectionId ?? d.connections[0]?.id;
      const c = connOf(key);
      const size = d.params['sizeBytes'];
      occs.push({
        source: ev.source === 'event' ? 'event' : 'log',
        file: ev.file,
        line: ev.line,
        time: ev.time,
        side: d.side === 'sending' || d.side === 'receiving' ? d.side : sideOfConn(key),
        connectionId: c?.id ?? ev.connectionId,
        connectionName: c?.name ?? d.connections[0]?.name,
        sharedId: c?.sharedId ?? d.sharedIds[0],
        eventId: ev.eventId,
        outcome: d.resolution === 'never' ? 'excluded' : 'failed',
        resourceId: str('resourceId') ?? (by === 'resource' ? shownId : undefined),
        revisionId: str('revisionId') ?? (by === 'revision' ? shownId : undefined),
        sizeBytes: typeof size === 'number' ? size : undefined,
        matchedBy: by === 'text' ? 'text' : by,
        ruleId: d.ruleId,
        excerpt: ev.excerpt,
        endMs: parseTime(ev.time) ?? 0,
        finished: true,
        diagnosis: d,
        connectionKey: c?.key ?? key,
      });
      if (by !== 'text') matched.add(by);
    }
  }

  // Log lines that only mention it: evidence, not a verdict.
  for (const rec of logs) {
    const hit = mentions(rec.message, want) || Object.values(rec.fields).some((v) => typeof v === 'string' && norm(v) === want);
    if (!hit || occs.some((o) => o.file === rec.source.file && o.line !== undefined && o.line >= rec.source.line && o.line <= rec.source.endLine)) continue;
    const c = connOf(rec.connectionId);
    occs.push({
      source: 'log',
      file: rec.source.file,
      line: rec.source.line,
      time: rec.time,
      side: rec.side ?? sideOfConn(rec.connectionId),
      connectionId: rec.connectionId,
      connectionName: c?.name,
      sharedId: rec.sharedId ?? c?.sharedId,
      matchedBy: 'text',
      excerpt: redact(rec.message.split('\n')[0]!.slice(0, 300)),
      endMs: parseTime(rec.time) ?? 0,
      finished: true,
      connectionKey: c?.key ?? rec.connectionId,
    });
  }

  // By revision, when a resource id matched several: the verdict is about the newest.
  const groups = new Map<string, Occ[]>();
  for (const o of occs) if (o.revisionId !== undefined) (groups.get(norm(o.revisionId)) ?? groups.set(norm(o.revisionId), []).get(norm(o.revisionId))!).push(o);
  let primary: Occ[] = occs;
  const others: { revisionId: string; verdict: TraceVerdict; lastSeen?: string | undefined }[] = [];
  if (groups.size > 1 && !matched.has('revision')) {
    const firstSeen = (g: Occ[]) => Math.min(...g.map((o) => o.endMs));
    const sorted = [...groups.values()].sort((a, b) => firstSeen(b) - firstSeen(a));
    primary = [...sorted[0]!, ...occs.filter((o) => o.revisionId === undefined)];
    for (const g of sorted.slice(1)) {
      const v = judgeOccurrences(g);
      const last = Math.max(...g.map((o) => o.endMs));
      if (v) others.push({ revisionId: g[0]!.revisionId!, verdict: v.verdict, lastSeen: toIso(last) });
    }
  }

  const judged = judgeOccurrences(primary);
  const fileOcc = primary.find((o) => o.source === 'event' && (o.resourceId !== undefined || o.revisionId !== undefined)) ?? primary.find((o) => o.resourceId !== undefined || o.revisionId !== undefined);
  const resourceId = judged?.main.resourceId ?? fileOcc?.resourceId ?? (matched.has('resource') ? shownId : undefined);
  const revisionId = judged?.main.revisionId ?? fileOcc?.revisionId ?? (matched.has('revision') ? shownId : undefined);
  const what = describeFile(shownId, [...matched], resourceId, revisionId);

  // The sending side's successful syncs, for "never sent".
  const sendingOk = events.filter((rec) => rec.event.status === 'success' && (rec.event.direction ?? sideOfConn(rec.event.connectionId)) === 'sending');
  const sendingListsFiles = events.some((rec) => rec.event.files.length > 0 && (rec.event.direction ?? sideOfConn(rec.event.connectionId)) === 'sending');

  let verdict: TraceVerdict;
  let side: TraceSideName | undefined;
  let main: Occ | undefined;
  let summary: string;
  let reason: string | undefined;
  const evidence: Occ[] = [];
  const involved = new Set<string>();
  const values: Record<string, ParamValue | undefined> = { id: shownId, what };

  if (judged) {
    ({ verdict, side, main } = judged);
    values['connection'] = connectionLabel(main);
    values['time'] = main.time ?? '(no time)';
    values['side'] = side;
    if (verdict === 'excluded' || verdict === 'failed') values['reason'] = reason = reasonOf(main);
    summary = fillTemplate(VERDICT_TEXT[verdict].summary, values);
    evidence.push(...primary);
  } else if (sendingOk.length > 0 && sendingListsFiles) {
    verdict = 'never-sent';
    side = 'sending';
    const times = sendingOk.map((rec) => rec.event.finishedAt ?? rec.event.startedAt).sort();
    const names = [...new Set(sendingOk.map((rec) => connectionLabel(rec.event)))];
    values['successes'] = sendingOk.length;
    values['connection'] = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    values['from'] = times[0];
    values['to'] = times[times.length - 1];
    summary = fillTemplate(VERDICT_TEXT['never-sent'].summary, values);
    evidence.push(...primary);
    for (const rec of sendingOk) {
      evidence.push(syncedWithoutFile(rec, 'sending'));
      involved.add(rec.event.connectionId);
    }
  } else {
    verdict = 'not-found';
    summary = fillTemplate(VERDICT_TEXT['not-found'].summary, values);
    if (sendingOk.length > 0) summary += ` The sending side's ${sendingOk.length} successful sync${sendingOk.length === 1 ? '' : 's'} in the inputs list no files, so they cannot show whether it was sent.`;
    evidence.push(...primary);
  }
  for (const o of primary) if (o.connectionKey) involved.add(o.connectionKey);

  // The receiving side of the Shared ID that carried the file.
  const sendingKey = judged?.sendingTransfer?.connectionKey ?? (side === 'sending' ? main?.connectionKey : undefined);
  const sendingConn = connOf(sendingKey);
  const sharedId = judged?.sendingTransfer?.sharedId ?? main?.sharedId ?? sendingConn?.sharedId;
  const receivers = report.connections.filter((c) => c.side === 'receiving' && ((sharedId !== undefined && c.sharedId === sharedId) || (sendingConn?.peers.includes(c.key) ?? false)));
  for (const c of receivers) involved.add(c.key);
  if (sendingConn) for (const p of sendingConn.peers) involved.add(p);
  if (side === 'receiving' && main?.connectionKey) for (const p of connOf(main.connectionKey)?.peers ?? []) involved.add(p);

  // The checks the inputs answer.
  const checks: TraceCheck[] = [];
  const dataCheck = (key: keyof typeof DATA_CHECKS, result: Kleene, detail: string, step?: string) =>
    checks.push({ id: key, side: DATA_CHECKS[key].side, title: DATA_CHECKS[key].title, by: 'inputs', result, detail, facts: {}, missing: [], step });
  const t = judged?.sendingTransfer;
  const place = (o: Occ) => ({ connection: connectionLabel(o), time: o.time ?? '(no time)', where: whereOf(o) });
  if (t) dataCheck('with-updates', 'passed', fillTemplate(DATA_CHECK_TEXT.inSync, place(t)));
  else if (verdict === 'received' || side === 'receiving') dataCheck('with-updates', 'passed', DATA_CHECK_TEXT.receivedSoLeft);
  else if (verdict === 'excluded' || verdict === 'failed') dataCheck('with-updates', 'failed', fillTemplate(verdict === 'excluded' ? DATA_CHECK_TEXT.excluded : DATA_CHECK_TEXT.failed, { reason }));
  else if (verdict === 'never-sent') dataCheck('with-updates', 'failed', fillTemplate(DATA_CHECK_TEXT.notInSync, { successes: sendingOk.length }));
  else dataCheck('with-updates', 'unknown', DATA_CHECK_TEXT.noSendingHistory, fillTemplate(VERDICT_TEXT['not-found'].steps[0]!, values));

  const extraSteps: string[] = [];
  if (verdict === 'received' && main) dataCheck('receiving-side', 'passed', fillTemplate(DATA_CHECK_TEXT.received, place(main)));
  else if (side === 'receiving' && main && (verdict === 'excluded' || verdict === 'failed')) dataCheck('receiving-side', 'failed', fillTemplate(verdict === 'excluded' ? DATA_CHECK_TEXT.excluded : DATA_CHECK_TEXT.failed, { reason }));
  else if (verdict === 'transferred' && t) {
    const label = (c: Connection) => connectionLabel({ connectionId: c.id ?? c.key, connectionName: c.name });
    const failing = receivers.filter((c) => c.activeDiagnoses.length > 0 || c.state === 'failing');
    const after = (c: Connection) => events.filter((rec) => (rec.event.connectionId === c.id || rec.event.connectionId === c.key) && rec.event.status === 'success' && (parseTime(rec.event.finishedAt ?? rec.event.startedAt) ?? 0) > t.endMs);
    if (receivers.length === 0) {
      extraSteps.push(DATA_CHECK_TEXT.receivingUnknownStep);
    } else if (failing.length > 0) {
      const c = failing[0]!;
      const v = { connection: label(c), diagnoses: c.activeDiagnoses.length > 0 ? c.activeDiagnoses.join(', ') : `failing since ${c.failingSince ?? '(unknown)'}` };
      dataCheck('receiving-side', 'failed', fillTemplate(DATA_CHECK_TEXT.receiverFailing, v), fillTemplate(DATA_CHECK_TEXT.receiverFailingStep, v));
    } else {
      const synced = receivers.map((c) => ({ c, later: after(c) })).find((x) => x.later.length > 0);
      if (!synced) {
        dataCheck('receiving-side', 'unknown', fillTemplate(DATA_CHECK_TEXT.receiverNotSince, { connection: receivers.map(label).join(', '), time: t.time }), DATA_CHECK_TEXT.receivingUnknownStep);
      } else {
        const listsFiles = events.some((rec) => (rec.event.connectionId === synced.c.id || rec.event.connectionId === synced.c.key) && rec.event.files.length > 0);
        const last = synced.later[synced.later.length - 1]!;
        const v = { connection: label(synced.c), time: last.event.finishedAt ?? last.event.startedAt };
        if (listsFiles) {
          dataCheck('receiving-side', 'failed', fillTemplate(DATA_CHECK_TEXT.receiverSyncedWithout, v), fillTemplate(DATA_CHECK_TEXT.receiverSyncedWithoutStep, v));
          evidence.push(syncedWithoutFile(last, 'receiving'));
        } else {
          dataCheck('receiving-side', 'unknown', fillTemplate(DATA_CHECK_TEXT.receiverNoFiles, v), DATA_CHECK_TEXT.receivingUnknownStep);
        }
      }
    }
  }

  // The checks the host answers.
  const defs = new Map<string, TraceCheckDefinition>();
  for (const d of TRACE_CHECKS) defs.set(d.id, d);
  for (const d of hostChecks) defs.set(d.id, d);
  const applies = (d: TraceCheckDefinition) =>
    (d.when ?? (d.side === 'receiving' ? RECEIVING_VERDICTS : SENDING_VERDICTS)).includes(verdict) && !(d.when === undefined && verdict === 'failed' && side === 'receiving' && d.side === 'sending');
  const receivingConn = side === 'receiving' ? connOf(main?.connectionKey) : receivers[0];
  const traceFacts: Record<string, unknown> = {
    id: shownId,
    resourceId,
    revisionId,
    sizeBytes: main?.sizeBytes ?? fileOcc?.sizeBytes,
    verdict,
    sharedId: sharedId ?? receivingConn?.sharedId,
    sendingConnectionId: sendingConn?.id ?? (sendingOk.length > 0 && new Set(sendingOk.map((x) => x.event.connectionId)).size === 1 ? sendingOk[0]!.event.connectionId : undefined),
    receivingConnectionId: receivingConn?.id ?? receivingConn?.key,
  };
  checks.push(...(await runHostChecks([...defs.values()].filter(applies), traceFacts, options, redact)));

  // Steps: the verdict's own, then what failed, then what could not be judged.
  const steps: string[] = [];
  if (verdict === 'excluded' && main) {
    if (main.diagnosis) steps.push(...main.diagnosis.remediation);
    else if (main.sizeBytes !== undefined && main.sizeBytes >= EXCLUSION_TEXT.ceilingBytes) steps.push(...EXCLUSION_TEXT.ceilingSteps);
    else steps.push(...EXCLUSION_TEXT.unknownSteps.map((x) => fillTemplate(x, values)));
  } else {
    steps.push(...VERDICT_TEXT[verdict].steps.map((x) => fillTemplate(x, values)));
  }
  for (const c of checks) if (c.result === 'failed' && c.step && !steps.includes(c.step)) steps.push(c.step);
  steps.push(...extraSteps);
  for (const c of checks) if (c.result === 'unknown' && c.step && !steps.includes(c.step)) steps.push(c.step);

  const stopped = verdict === 'excluded' || verdict === 'failed' || verdict === 'never-sent';
  const conclusion = stopped || checks.some((c) => c.result === 'failed') ? 'problem' : verdict === 'not-found' || checks.some((c) => c.result === 'unknown') ? 'undetermined' : 'ok';

  const limitN = limit ?? 20;
  const sorted = [...new Map(evidence.map((o) => [`${o.source}|${o.file}|${o.line}|${o.revisionId}|${o.outcome}`, o])).values()].sort((a, b) => b.endMs - a.endMs);
  const connections: TraceConnection[] = [...involved]
    .map((k) => connOf(k))
    .filter((c): c is Connection => c !== undefined)
    .filter((c, i, all) => all.indexOf(c) === i)
    .map((c) => ({ key: c.key, id: c.id, name: c.name, side: c.side, sharedId: c.sharedId, state: c.state, lastSuccess: c.lastSuccess, activeDiagnoses: c.activeDiagnoses }));
  const references = [...new Set([...checks.map((c) => TRACE_REFERENCES[c.side]), ...(main?.diagnosis?.references ?? [])])];

  return {
    id: shownId,
    matchedBy: (['resource', 'revision'] as const).filter((m) => matched.has(m)),
    resourceId,
    revisionId,
    verdict,
    side,
    summary: redact(summary),
    reason: reason === undefined ? undefined : redact(reason),
    conclusion,
    checks,
    steps,
    evidence: sorted.slice(0, limitN).map(({ endMs: _e, finished: _f2, diagnosis: _d, connectionKey: _k, ...rest }) => rest),
    evidenceTotal: sorted.length,
    revisions: others,
    connections,
    references,
    problems,
    judgedAt: report.judged.now,
  };
}

/** A successful sync event of one side as evidence that it synced without the traced file. */
function syncedWithoutFile(rec: SyncEventRecord, side: 'sending' | 'receiving'): Occ {
  const e = rec.event;
  const when = e.finishedAt ?? e.startedAt;
  return {
    source: 'event',
    file: rec.source.file,
    line: rec.source.line,
    time: when,
    side,
    connectionId: e.connectionId,
    connectionName: e.connectionName,
    sharedId: e.sharedId,
    eventId: e.id,
    status: e.status,
    excerpt: `sync ${e.id ?? ''} success without the file (${e.files.length} file${e.files.length === 1 ? '' : 's'} listed)`.replace('  ', ' '),
    endMs: parseTime(when) ?? 0,
    finished: e.finishedAt !== undefined,
    connectionKey: e.connectionId,
  };
}
