/**
 * `rules new`: a rule and its fixture from the messages the tool already shows (a log line, or an
 * entry of a report's unmatched list). The message is read as `diagnose` reads it; its literal
 * text becomes the anchors (longest first) and the pattern, and the parts that vary — ids,
 * numbers, sizes, quoted values, times — become named groups. The texts a person must write
 * (title, summary, cause, impact, remediation, references) hold `<write: …>` placeholders, which
 * load accepts (so `rules test` runs at once) and `rules lint` refuses until they are written.
 */
import { compileRules, createRedactor, rootException, CONTEXT_KEYS, DiagnosisSession, checkPattern, runFixture, RuleSchema, type LogRecord, type Report, type Rule, type RuleInput } from '@scs-doctor/core/internal';
import { fixtureReader } from './fixtures.js';
import { readLogText } from './reader.js';

export interface ScaffoldOptions {
  /** The new rule's id (lower-case words joined by -). */
  id: string;
  /** Log lines (records) the rule must match: the `# ruleid:` cases. */
  samples: readonly string[];
  /** Log lines it must not match, nearest first: the `# ok:` cases (those it would match are dropped). */
  nearMisses?: readonly string[];
  /** Path of the rule JSON Schema relative to where the rule is written, for the editor comment. */
  schemaPath?: string | undefined;
  /** A note on where the samples came from, written atop the fixture. */
  origin?: string | undefined;
}

export interface Scaffold {
  rule: RuleInput;
  /** The rule file's text (YAML). */
  yaml: string;
  /** The fixture's text (`<id>.test.log`). */
  fixture: string;
  /** The message the rules see, of each sample. */
  messages: string[];
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Reads log text into records as `diagnose` would, every record kept. */
function records(text: string): LogRecord[] {
  const pack = compileRules([]);
  const out: LogRecord[] = [];
  const recorder = new DiagnosisSession(pack);
  recorder.log = (r: LogRecord) => (out.push(r), 0);
  readLogText(text, 'sample.log', recorder, { everyRecord: true });
  return out;
}

interface Part {
  literal?: string;
  group?: { kind: 'quoted' | 'uuid' | 'hex' | 'time' | 'number' | 'token'; text: string; quote?: string };
}

// Spans that vary between occurrences of one message, most specific first.
const VARIABLE = new RegExp(
  [
    String.raw`(?<quoted>'[^'\n]{0,200}'|"[^"\n]{0,200}")`,
    String.raw`(?<time>\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)`,
    String.raw`(?<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)`,
    String.raw`(?<hex>\b(?:0x[0-9a-fA-F]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,})\b)`,
    // a word with a digit in it: the part before its first digit holds none, so the two runs never trade characters
    String.raw`(?<token>\b[A-Za-z][A-Za-z_.-]*\d[\w.-]*\b|\b\d+[A-Za-z_][\w.-]*\b)`,
    String.raw`(?<number>-?\b\d+(?:[.,_]\d+)*\b)`,
  ].join('|'),
  'g',
);

function split(message: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of message.matchAll(VARIABLE)) {
    const g = m.groups!;
    const kind = (Object.keys(g) as (keyof typeof g)[]).find((k) => g[k] !== undefined) as NonNullable<Part['group']>['kind'];
    if (m.index > last) parts.push({ literal: message.slice(last, m.index) });
    const text = m[0];
    if (kind === 'quoted') {
      parts.push({ literal: text[0] });
      parts.push({ group: { kind, text: text.slice(1, -1), quote: text[0] } });
      parts.push({ literal: text[0] });
    } else parts.push({ group: { kind, text } });
    last = m.index + text.length;
  }
  if (last < message.length) parts.push({ literal: message.slice(last) });
  return parts;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const RESERVED = new Set<string>([...CONTEXT_KEYS, '__proto__', 'constructor', 'prototype', 'revisionId', 'resourceId', 'sizeBytes', 'fileName']);

/** A group name from the word before the value (`connection 4f1c…` → connection, `size=12` → size). */
function nameFor(before: string, used: Set<string>, kind: string): string {
  const words = before.match(/[A-Z]\w*(?=[\s=:#'"([]*$)/i);
  let base = words ? words[0].replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : kind === 'number' ? 'count' : kind === 'quoted' ? 'value' : 'id';
  base = base.charAt(0).toLowerCase() + base.slice(1);
  if (!/^[A-Z_]\w*$/i.test(base) || base.length > 40) base = 'value';
  let name = RESERVED.has(base) ? `${base}Value` : base;
  for (let k = 2; used.has(name); k++) name = `${base}${k}`;
  used.add(name);
  return name;
}

const GROUP_PATTERN: Record<NonNullable<Part['group']>['kind'], (quote?: string) => string> = {
  quoted: (q) => (q === '"' ? '[^"\\n]*' : "[^'\\n]*"),
  time: () => '\\d{4}-\\d\\d-\\d\\d[T ][\\d:.,]{8,15}(?:Z|[+-]\\d\\d:?\\d\\d)?',
  uuid: () => '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
  hex: () => '(?:0x)?[0-9a-fA-F]+',
  token: () => '[\\w.-]+',
  number: () => '-?\\d[\\d.,_]*',
};

/**
 * Literal runs worth an anchor: one line, at least 3 characters, trimmed. The most selective
 * first: runs that no near miss holds, then the longest; past the first, only runs of 8 or more
 * characters that no near miss holds.
 */
function anchorsOf(parts: readonly Part[], max = 3, near: readonly string[] = []): string[] {
  const lits = parts
    .filter((p) => p.literal !== undefined)
    .map((p) => p.literal!.trim())
    .filter((s) => s.length >= 3 && !/[\r\n]/.test(s));
  const common = (a: string) => near.some((m) => m.includes(a));
  const unique = [...new Set(lits)].sort((a, b) => Number(common(a)) - Number(common(b)) || b.length - a.length || a.localeCompare(b));
  return unique.filter((a, i) => i === 0 || (a.length >= 8 && !common(a))).slice(0, max);
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

function ruleYaml(rule: RuleInput, schemaPath: string | undefined, notes: string[]): string {
  const sig = rule.signature!;
  const lines: string[] = [];
  if (schemaPath) lines.push(`# yaml-language-server: $schema=${schemaPath}`);
  for (const n of notes) lines.push(`# ${n}`);
  lines.push(`id: ${rule.id}`, `title: ${q(rule.title)}`, `severity: ${rule.severity}`, `side: ${rule.side}`, `category: ${rule.category}`, 'references:', ...rule.references.map((r) => `  - ${q(r)}`));
  lines.push('signature:', '  anchors:', ...(sig.anchors ?? []).map((a) => `    - ${q(a)}`));
  if (sig.pattern) lines.push(`  pattern: ${q(sig.pattern)}`);
  if (sig.engine) lines.push(`  engine: ${sig.engine}`);
  const params = Object.entries(rule.params ?? {});
  if (params.length) {
    lines.push('params:');
    for (const [name, spec] of params) lines.push(`  ${name}:`, `    type: ${spec.type ?? 'string'}`, ...(spec.description ? [`    description: ${q(spec.description)}`] : []));
  }
  lines.push(`summary: ${q(rule.summary)}`, `cause: ${q(rule.cause)}`, `impact: ${q(rule.impact)}`, 'remediation:', ...rule.remediation.map((r) => `  - ${q(r)}`));
  return lines.join('\n') + '\n';
}

/**
 * Builds a rule and fixture from sample lines; checks that the fixture passes before returning.
 *
 * @example
 * ```ts
 * const { yaml, fixture } = await scaffoldRule({ id: 'outbox-quota', samples: ['2026-05-12 09:00:02,905 ERROR [scs.sync.sender] outbox quota exceeded for c-9'] });
 * ```
 */
export async function scaffoldRule(options: ScaffoldOptions): Promise<Scaffold> {
  const { id } = options;
  if (!ID.test(id)) throw new Error(`"${id}" is not a rule id: lower-case words joined by -`);
  const sampleRecords = options.samples.map((line, i) => {
    const rs = records(line);
    if (rs.length !== 1) throw new Error(`sample ${i + 1} is ${rs.length === 0 ? 'not a log record' : `${rs.length} records, not one`}`);
    return { line: line.replace(/\r?\n$/, ''), record: rs[0]! };
  });
  if (sampleRecords.length === 0) throw new Error('give at least one sample line');
  const messages = sampleRecords.map((s) => s.record.message);
  const first = messages[0]!.split('\n', 1)[0]!;
  // Tracebacks: the root exception (`Type: message`) is what tells one failure from another, so
  // the pattern reads it and the first line gives an anchor.
  const root = rootException(messages[0]!, sampleRecords[0]!.record.exceptions);
  const rooted = root !== undefined && !first.includes(root);
  const parts = split(rooted ? root : first);
  const used = new Set<string>();
  let pattern = '';
  const params: Record<string, { type: 'string' | 'integer'; description: string }> = {};
  let before = '';
  const groups: { name: string; kind: string }[] = [];
  for (const p of parts) {
    if (p.literal !== undefined) {
      pattern += escape(p.literal);
      before += p.literal;
      continue;
    }
    const g = p.group!;
    const name = nameFor(before, used, g.kind);
    pattern += `(?<${name}>${GROUP_PATTERN[g.kind](g.quote)})`;
    groups.push({ name, kind: g.kind });
    before += g.text;
  }
  // The pattern starts at the first literal worth matching: leading values are not needed.
  const nearMessages = (options.nearMisses ?? []).flatMap((l) => records(l).map((r) => r.message));
  const anchors = anchorsOf(parts, 3, nearMessages);
  if (rooted) for (const a of anchorsOf(split(first), 1, nearMessages)) if (!anchors.includes(a)) anchors.push(a);
  if (anchors.length === 0) throw new Error(`the message "${first}" has no literal text of 3 characters or more to anchor a rule`);

  const samplesMatch = (re: RegExp) => messages.every((m) => re.test(m));
  let finalPattern: string | undefined = groups.length ? pattern : undefined;
  let engine: 'linear' | undefined;
  if (finalPattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(finalPattern);
    } catch {
      re = undefined;
    }
    if (!re || !samplesMatch(re)) finalPattern = undefined;
    else {
      const names = re.exec(messages[0]!)!.groups ?? {};
      for (const g of groups) {
        const values = messages.map((m) => re.exec(m)?.groups?.[g.name] ?? '');
        const integer = g.kind === 'number' && values.every((v) => /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)));
        params[g.name] = { type: integer ? 'integer' : 'string', description: `<write: what ${g.name} is (e.g. ${JSON.stringify(names[g.name] ?? '')})>` };
      }
      if (checkPattern(finalPattern).unsafe) engine = 'linear';
    }
  }
  const side = sampleRecords[0]!.record.side ?? 'either';
  const rule: RuleInput = {
    id,
    title: '<write: a short title>',
    severity: sampleRecords.some((s) => s.record.level === 'fatal') ? 'critical' : 'error',
    side,
    category: 'uncategorized',
    references: ['<write: the section of the debugging guide this rule encodes>'],
    appliesTo: ['log', 'event'],
    signature: { anchors, ...(finalPattern ? { pattern: finalPattern } : {}), ...(engine ? { engine } : {}) },
    params,
    summary: '<write: one sentence on what failed; {{name}} fills in a parameter>',
    cause: '<write: why it happens>',
    impact: '<write: what the user loses while it lasts>',
    remediation: ['<write: the first step to fix it>'],
  };
  const parsed: Rule = RuleSchema.parse(rule);
  const pack = compileRules([parsed]);

  // Near misses: only lines the rule does not match (and that are records) make `# ok:` cases.
  const facts = (r: LogRecord) => ({
    kind: 'log',
    message: r.message,
    level: r.level,
    logger: r.logger,
    side: r.side,
    fields: r.fields,
    format: r.format,
    exceptions: r.exceptions ?? [],
    exceptionTypes: (r.exceptions ?? []).map((e) => e.name),
    params: {},
  });
  const oks: { line: string; note: string }[] = [];
  for (const line of options.nearMisses ?? []) {
    const rs = records(line);
    if (rs.length === 1 && pack.match('log', rs[0]!.message, facts(rs[0]!)).length === 0) oks.push({ line: line.replace(/\r?\n$/, ''), note: 'Near miss: the nearest other message' });
    if (oks.length >= 3) break;
  }
  if (oks.length === 0) {
    // None given: the first sample without its key anchor, which the rule must not match.
    const key = anchors.reduce((a, b) => (b.length > a.length ? b : a));
    const line = sampleRecords[0]!.line.split(key).join('operation completed');
    const rs = records(line);
    if (rs.length === 1 && pack.match('log', rs[0]!.message, facts(rs[0]!)).length === 0) oks.push({ line, note: 'Near miss made by `rules new` (the sample without its key anchor): replace it with a real neighbour' });
  }
  const redact = createRedactor();
  const fixtureLines = [`# Fixture for ${id}${options.origin ? `: ${options.origin}` : ''}.`];
  for (const s of sampleRecords) fixtureLines.push(`# ruleid: ${id}`, redact(s.line));
  for (const o of oks) fixtureLines.push(`# ${o.note}.`, `# ok: ${id}`, redact(o.line));
  const fixture = fixtureLines.join('\n') + '\n';

  // What is written must pass `rules test` as it stands.
  const result = await runFixture(pack, `${id}.test.log`, fixture, fixtureReader(pack));
  const failed = result.failures.map((c) => `line ${c.line}`);
  if (failed.length) throw new Error(`the scaffolded fixture fails at ${failed.join(', ')} (a redacted secret may have changed a sample); write the rule by hand`);
  const notes = [
    `Scaffolded by \`scs-doctor rules new\` from ${messages.length} sample${messages.length === 1 ? '' : 's'}. Write every <write: …> text;`,
    '`scs-doctor rules lint` refuses the rule until then. Check the anchors (all must occur in a matching',
    'message) and the pattern (named groups become parameters).',
    ...(engine ? ['The safety check cannot prove the pattern linear, so it runs on the linear-time engine.'] : []),
  ];
  return { rule, yaml: ruleYaml(rule, options.schemaPath, notes), fixture, messages };
}

/** The first record of a text, as its lines (a traceback is one record of many lines). */
function firstRecord(text: string): string | undefined {
  const r = records(text)[0];
  if (!r) return undefined;
  return text
    .split(/\r?\n/)
    .slice(r.source.line - 1, r.source.endLine)
    .join('\n');
}

/**
 * Samples and near misses for the unmatched entry N (1-based place, or its template text) of a report.
 *
 * @example
 * ```ts
 * const { samples } = unmatchedSamples(report, '1', (file, line) => readFileSync(file, 'utf8').split('\n')[line - 1]);
 * ```
 */
export function unmatchedSamples(report: Pick<Report, 'unmatched' | 'unmatchedWarnings'>, which: string, readFrom: (file: string, line: number) => string | undefined): { samples: string[]; nearMisses: string[]; template: string } {
  const all = [...report.unmatched, ...report.unmatchedWarnings];
  const n = Number(which);
  const entry = Number.isInteger(n) && String(n) === which ? all[n - 1] : all.find((u) => u.template === which);
  if (!entry) throw new Error(`the report has no unmatched entry ${which} (it lists ${all.length})`);
  const line = (u: (typeof all)[number]): string => {
    const s = u.sample;
    const from = s.file && s.line !== undefined ? readFrom(s.file, s.line) : undefined;
    const original = from === undefined ? undefined : firstRecord(from);
    if (original !== undefined && original.includes(s.excerpt.replace(/\u2026$/, '').slice(0, 40))) return original;
    // The source is not at hand: the sample excerpt as a plain log line.
    const time = (s.time ?? '2026-01-01T00:00:00.000Z')
      .replace('T', ' ')
      .replace(/\.(\d{3}).*$/, ',$1')
      .replace(/Z$/, '');
    const level = u.level === 'warn' ? 'WARNING' : (u.level ?? 'error').toUpperCase();
    return `${time} ${level} ${s.excerpt}`;
  };
  const words = (t: string) =>
    new Set(
      t
        .toLowerCase()
        .split(/[^a-z]+/)
        .filter((w) => w.length > 2),
    );
  const mine = words(entry.template);
  const sim = (t: string) => {
    const w = words(t);
    let common = 0;
    for (const x of w) if (mine.has(x)) common++;
    return common / Math.max(1, mine.size + w.size - common);
  };
  const others = all.filter((u) => u !== entry).sort((a, b) => sim(b.template) - sim(a.template));
  return { samples: [line(entry)], nearMisses: others.map(line), template: entry.template };
}
