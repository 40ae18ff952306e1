/**
 * Fuzzing every reader with generated input: log shapes, sync-history documents, tar archives,
 * gzip streams and rule files. CI runs 10,000 inputs per reader (`CI` set; SCS_FUZZ_RUNS
 * overrides), a developer run a few hundred. For each input: nothing throws but a typed error
 * (`ScsDoctorError`), every line is accounted for, no control character reaches text output, and
 * no secret of a planted set appears in any output format.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosisSession, FORMATS, isScsDoctorError, parseRuleText, render, type Report } from '@scs-doctor/core/internal';
import { rulesDir } from '@scs-doctor/rules';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { gunzipStream } from '../src/gunzip.js';
import { loadRulePack, readEventsText, readLogText } from '../src/index.js';
import { tarMembers } from '../src/tar.js';
import { unbalanced } from './helpers/compare.js';

const RUNS = Number(process.env['SCS_FUZZ_RUNS'] ?? (process.env['CI'] ? 10_000 : 300));
const pack = await loadRulePack([rulesDir]);
/** Per test: 10,000 inputs take minutes on a loaded 2-core machine. */
const TIMEOUT = Math.max(30_000, RUNS * 60);
const NOW = '2026-05-12T12:00:00Z';

/** Made-up secrets in the forms the redactor promises to hide. */
const SECRETS = [
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmdXp6In0.c2lnbmF0dXJlLWZ1enotb25l',
  'AKIAFUZZFUZZFUZZFUZZ',
  'gAAAAABlZ3x9kX2mQ5d8pN3sL0wJ7vT4rY6uI1oP9aS2dF5gH8jK0lZ3xC6vB9nM2qW5eR8tY1uI4oP7aS0dF3g==',
  'ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=',
  'fuzzPassw0rdX',
];
/** How each secret is planted in a line: the forms the README names. */
const PLANTS = [
  (s: string) => `Authorization: Bearer ${s}`,
  (s: string) => `DB_PASSWORD=${s}`,
  (s: string) => `api_token: ${s}`,
  (s: string) => `https://user:${s}@registry.example.com/`,
  (s: string) => `--password ${s}`,
  (s: string) => `password '${s}'`,
];
/** Control characters other than TAB and LF (kept: they move no cursor back), C1 codes, bidirectional controls. */
const LIVE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const ANCHORS = [
  'shared secret unavailable: InvalidToken',
  'connection failed (no manifest received)',
  'manifest control tag(s) uncovered by any transformation predicate: CUI',
  'Traceback (most recent call last):',
  '  File "x.py", line 1, in f',
];
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\x1b', '\x9b', '\u202e', '\r', '\0', '\x07', ']', '[', '2J', ';', '`', '<', '"', '{', '}', ':'),
    fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 40,
});
const secret = fc.tuple(fc.constantFrom(...SECRETS), fc.constantFrom(...PLANTS)).map(([s, p]) => p(s));
const text = fc.oneof(
  fc.constantFrom(...ANCHORS),
  hostile,
  secret,
  fc.tuple(fc.constantFrom(...ANCHORS), hostile, secret).map((a) => a.join(' ')),
);
const time = fc.constantFrom('2026-05-12 09:00:02,905', '2026-05-12T09:00:02.905Z', '2026-05-12T09:00:02+15:00', '99999-01-01T00:00:00Z', '');
const level = fc.constantFrom('ERROR', 'INFO', 'WARNING', 'CRITICAL', '');
/** One line in one of the shapes the reader knows, or none. */
const line = fc.oneof(
  fc.tuple(time, level, text).map(([t, l, x]) => `${t} ${l} [scs.sync.sender] connection c-1 ${x}`),
  fc.tuple(time, level, text).map(([t, l, x]) => JSON.stringify({ time: t, level: l, message: x, connection_id: 'c-1' })),
  // A partial piece (P) ends with a blank: pieces are joined as they are, and two planted secrets
  // run together without one (`…tokenapi_token: X`) read as one word to any redactor.
  fc.tuple(text, fc.constantFrom('stdout', 'stderr'), fc.constantFrom('F', 'P')).map(([x, s, tag]) => `2026-05-12T09:00:02.118234567Z ${s} ${tag} ${x}${tag === 'P' ? ' ' : ''}`),
  fc.tuple(text, fc.constantFrom('stdout', 'stderr')).map(([x, s]) => JSON.stringify({ log: `${x}\n`, stream: s, time: '2026-05-12T09:00:02.1Z' })),
  text,
);
const logInput = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, nl]) => ls.join(nl));

/** Checks every output format of a report: no live control character in text ones, no planted secret in any. */
function checkOutputs(report: Report): void {
  for (const format of FORMATS) {
    const out = render(report, format, { color: false });
    for (const s of SECRETS) if (out.includes(s)) throw new Error(`${format} output holds a planted secret: ${s}`);
    if (format !== 'json') {
      const live = LIVE.exec(out.replace(/\n/g, ''));
      if (live) throw new Error(`${format} output holds a live control character U+${live[0].charCodeAt(0).toString(16)}`);
    }
  }
}

async function* chunks(parts: Buffer[]): AsyncGenerator<Buffer> {
  yield* parts;
}

const typed = (e: unknown) => {
  if (!isScsDoctorError(e)) throw e;
};

describe('fuzzing', () => {
  it(
    `log reader: ${RUNS} generated logs`,
    () => {
      fc.assert(
        fc.property(logInput, (input) => {
          const session = new DiagnosisSession(pack, { now: NOW });
          readLogText(input, 'fuzz.log', session);
          const report = session.report();
          expect(unbalanced(report)).toEqual([]);
          checkOutputs(report);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  const event = fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null)),
      connectionId: fc.oneof(fc.constantFrom('c-1', 'c-2'), hostile, fc.constant(null)),
      // Connection names are shown as they are (README: they name the connection to act on): no secret planted there.
      connectionName: hostile,
      direction: fc.constantFrom('sending', 'receiving', 'up', null),
      sharedId: fc.oneof(fc.constant('S-1'), hostile),
      status: fc.constantFrom('success', 'failure', 'warning', 'running', 'bogus'),
      startedAt: fc.oneof(time, fc.integer(), fc.constant(null)),
      finishedAt: fc.oneof(time, fc.constant(undefined)),
      message: fc.oneof(text, fc.constant(null)),
      files: fc.oneof(fc.constant([]), fc.array(fc.record({ name: hostile, status: fc.constantFrom('failed', 'ok'), size: fc.integer() }), { maxLength: 2 }), fc.constant('x')),
    },
    { requiredKeys: [] },
  );
  const history = fc.oneof(
    fc.array(event, { maxLength: 8 }).map((es) => JSON.stringify(es)),
    fc.array(event, { maxLength: 8 }).map((es) => es.map((e) => JSON.stringify(e)).join('\n')),
    fc.array(event, { maxLength: 8 }).map((es) => JSON.stringify({ events: es })),
    fc.array(event, { maxLength: 8 }).map((es) => JSON.stringify(es).slice(0, -3)),
    hostile,
  );

  it(
    `history reader: ${RUNS} generated documents`,
    () => {
      fc.assert(
        fc.property(history, (doc) => {
          const session = new DiagnosisSession(pack, { now: NOW });
          try {
            readEventsText(doc, 'fuzz.json', session);
          } catch (e) {
            typed(e);
          }
          checkOutputs(session.report());
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  // A real archive (GNU tar, two members) damaged at random places, cut, or with garbage after it.
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-fuzz-'));
  writeFileSync(path.join(dir, 'a.log'), 'line one\nline two\n');
  writeFileSync(path.join(dir, 'b.log'), 'x'.repeat(700));
  execFileSync('tar', ['-cf', path.join(dir, 'x.tar'), '-C', dir, 'a.log', 'b.log']);
  const TAR = readFileSync(path.join(dir, 'x.tar'));
  rmSync(dir, { recursive: true, force: true });
  const damage = (base: Buffer) =>
    fc.tuple(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(base.length), fc.uint8Array({ maxLength: 24 })).map(([edits, cut, tail]) => {
      const b = Buffer.from(base);
      for (const [at, v] of edits) b[at] = v;
      return Buffer.concat([b.subarray(0, cut === 0 ? base.length : cut), Buffer.from(tail)]);
    });

  it(
    `tar reader: ${RUNS} damaged archives`,
    async () => {
      await fc.assert(
        fc.asyncProperty(damage(TAR), async (bytes) => {
          try {
            for await (const m of tarMembers(chunks([bytes]), 'x.tar')) for await (const _ of m.data);
          } catch (e) {
            typed(e);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  const PLAIN = Buffer.from(Array.from({ length: 300 }, (_, i) => `2026-05-12 09:00:02,905 INFO line ${i}`).join('\n'));
  const GZ = Buffer.concat([gzipSync(PLAIN.subarray(0, 5000)), gzipSync(PLAIN.subarray(5000))]);

  it(
    `gzip reader: ${RUNS} damaged streams`,
    async () => {
      await fc.assert(
        fc.asyncProperty(damage(GZ), fc.integer({ min: 1, max: 4096 }), async (bytes, piece) => {
          const parts: Buffer[] = [];
          for (let i = 0; i < bytes.length; i += piece) parts.push(bytes.subarray(i, i + piece));
          const out: Buffer[] = [];
          try {
            for await (const b of gunzipStream(chunks(parts), 'x.gz')) out.push(b);
          } catch (e) {
            typed(e);
          }
          // Damage only after the data (garbage, a cut trailer): every byte before it is kept.
          if (bytes.subarray(0, GZ.length - 8).equals(GZ.subarray(0, GZ.length - 8))) expect(Buffer.concat(out).equals(PLAIN)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  // Rule texts are mutations of the built-in rules (cheap string edits: most break the YAML or
  // the schema early, some keep a valid rule), hostile text and JSON values. The rules are
  // mutated in a short form, without comments and with their prose cut: parsing the YAML is most
  // of the cost of an input, and the prose is text the parser only carries.
  const PROSE = new Set(['title', 'summary', 'cause', 'impact', 'remediation', 'references', 'description', 'note']);
  const short = (v: unknown, key = ''): unknown =>
    typeof v === 'string' ? (PROSE.has(key) ? v.slice(0, 16) : v) : Array.isArray(v) ? v.map((x) => short(x, key)) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, short(x, k)])) : v;
  const RULES = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => stringifyYaml(short(parseYaml(readFileSync(path.join(rulesDir, f), 'utf8')))));
  const ruleLines = RULES.map((r) => r.split('\n'));
  const edit = (lines: string[], at: number, what: number, x: string): string => {
    const i = at % lines.length;
    const out = [...lines];
    if (what === 0) out.splice(i, 1);
    else if (what === 1) out.splice(i, 0, lines[i]!);
    else if (what === 2) out[i] = `  ${lines[i]}`;
    else if (what === 3) out[i] = lines[i]!.replace(/^ {1,2}/, '');
    else if (what === 4) out[i] = x;
    else out[i] = lines[i]!.replace(/:.*$/, `: ${x}`);
    return out.join('\n');
  };
  const ruleText = fc.oneof(
    hostile,
    fc.tuple(fc.nat(RULES.length - 1), fc.nat(4000), fc.nat(4000), hostile).map(([r, a, b, x]) => {
      const t = RULES[r]!;
      return t.slice(0, Math.min(a, b) % t.length) + x + t.slice(Math.max(a, b) % t.length);
    }),
    fc.tuple(fc.nat(RULES.length - 1), fc.nat(200), fc.nat(5), hostile).map(([r, at, what, x]) => edit(ruleLines[r]!, at, what, x)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  );

  it(
    `rule files: ${RUNS} generated texts`,
    () => {
      // Most texts are refused by the YAML parser, which makes an Error per problem: capturing their
      // stacks (through the test runner's source maps) was most of this test's time, and nothing
      // here reads them. A throw that escapes still fails the property, with its message.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        fc.assert(
          fc.property(ruleText, (t) => {
            const r = parseRuleText(t, 'fuzz.yaml');
            expect(r.rule !== undefined || r.problems.length > 0).toBe(true);
          }),
          { numRuns: RUNS },
        );
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
    TIMEOUT,
  );

  it('the short forms of the built-in rules are valid rules (so mutations start from one)', () => {
    expect(RULES.map((t) => parseRuleText(t, `${/^id: (.+)$/m.exec(t)![1]}.yaml`).problems)).toEqual(RULES.map(() => []));
  });

  // Hostile shapes that need no generator: each parsed once (they were thousands of repeats of the same text).
  it.each(['a: &x [*x]', '!!js/function "f"', 'id: x\nid: y', '{'.repeat(2000), '- '.repeat(500)])('rule file %#: refused with a problem, no throw', (t) => {
    const r = parseRuleText(t, 'fuzz.yaml');
    expect([r.rule, r.problems.length > 0]).toEqual([undefined, true]);
  });
});
