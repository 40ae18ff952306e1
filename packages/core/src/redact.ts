/**
 * Redaction of secrets before anything leaves the engine. Every excerpt, parameter, summary,
 * unmatched sample and error message passes through a Redactor.
 *
 * Every default pattern runs in linear time on a line of any length: each one starts only at a
 * boundary, and a scan that can run far either ends the match or fails once (no scan is repeated
 * from every position). `test/redact.test.ts` holds them to that with 1 MB adversarial lines and
 * to `unsafeRegexReason`; user patterns are checked by the same function when a redactor is made.
 */
import { ScsDoctorError } from './errors.js';
import { unsafeRegexReason } from './rules/safety.js';

export interface RedactionPattern {
  name: string;
  /** Global regex. The whole match is replaced, or only the `secret` named group when present. */
  regex: RegExp;
}

const MASK = '[REDACTED]';

/*
 * Names whose value is a secret: `*_SECRET`, `*_PASSWORD`, `*_TOKEN`, `*_KEY`, their lower and
 * camelCase forms, and qualified keys (`api_key`, `privateKey`, `SecretAccessKey`, `X-Auth-Token`).
 * Case matters, so that the exception names in SCS errors stay readable:
 * `cryptography.fernet.InvalidToken` and `botocore.errorfactory.NoSuchKey: An error occurred …`
 * name no secret, and neither does a plain `key` (an S3 object key such as `<SHARED_ID>/shard0/manifest`).
 */
const KEY_QUALIFIER = String.raw`(?:[Aa]pi|API|[Pp]rivate|[Aa]ccess|[Ss]ecret|[Mm]aster|[Ss]igning|[Ee]ncryption|[Cc]lient|[Ss]hared|[Aa]uth|[Ss]ession|[Ss]sh|SSH|[Hh]mac|HMAC)`;
// `Id` only where a word starts: InvalidToken is an error name, IdToken a secret.
const TOKEN_QUALIFIER = String.raw`(?:[Ss]ession|[Ss]ecurity|[Aa]ccess|[Rr]efresh|(?<![a-z])[Ii]d|ID|[Aa]uth|[Aa]pi|API|[Bb]earer|[Cc]lient|[Cc]srf|CSRF|[Xx]srf|XSRF)`;
const SECRET_SUFFIX = [
  String.raw`(?<![\w.-])[a-z][A-Za-z0-9]*Token`, // camelCase: accessToken, githubToken (not InvalidToken)
  'SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|_KEY|-KEY|APIKEY|_PASS|-PASS|_PWD|-PWD',
  // `pass=`, `db_pass=`, `pwd=`, `Pwd=` (ODBC): a word of its own, not the end of `bypass`; bare `PWD` is the working directory.
  String.raw`(?<![A-Za-z])(?:[Pp]ass|PASS|[Pp]wd)`,
  '[Ss]ecret|[Pp]assword|[Pp]asswd|[Pp]assphrase|token|apikey',
  String.raw`${KEY_QUALIFIER}(?:[_.-]?key|-?Key)`,
  String.raw`${TOKEN_QUALIFIER}-?Token|-Token`,
].join('|');

/**
 * A name (a run of `[\w.-]`) that ends with a secret suffix and is followed by `=`, `:` or `=>`,
 * perhaps after its closing quote. The run is taken whole before the suffix is checked, so a long
 * word costs one pass.
 */
const SECRET_NAME = String.raw`(?<![\w.-])[\w.-]+(?=\\?["']?[ \t]*(?:=>|[:=]))(?<=${SECRET_SUFFIX})\\?["']?[ \t]*(?:=>|[:=])[ \t]*`;

/**
 * A quoted value: `"…"`, `'…'`, Python bytes `b'…'`, or `\"…\"` inside a JSON string. The value
 * runs to the same quote (backslash escapes included) or to the end of the line.
 */
const QUOTE_OPEN = String.raw`b?(?<esc>\\?)(?<q>["'])`;
const QUOTED_BODY = String.raw`(?:(?!\k<esc>\k<q>|\k<q>)(?:\\[^\n]|[^\\\n]))*`;
/** An unquoted value: up to white space, a quote, `,`, `;`, `&` or `}`; `null`, `None`, `true`, `false` are left alone. */
const BARE_VALUE = String.raw`(?!(?:null|None|nil|true|True|false|False)(?![\w.-]))(?<secret>[^\s"'\\[{,;&}](?:[^\s"'\\,;&}]|\\(?![nrt"']))*)`;

const AUTH_HEADER = String.raw`(?<![\w-])(?:proxy-authorization|authorization|set-cookie|cookie)`;
// One blank after the scheme: the value that follows can take blanks too, and two repetitions over
// the same blanks in a row is what unsafeRegexReason refuses.
const AUTH_SCHEME = String.raw`(?:(?:Bearer|Basic|Digest|Token|Negotiate|NTLM|AWS4-HMAC-SHA256|AWS)[ \t])?`;

export const DEFAULT_PATTERNS: readonly RedactionPattern[] = [
  // First: a token pattern before it could take the word `password` into its match (a JWT, a
  // header value run into it when pieces of a line are joined), and its value would stay.
  // Prose: `password 'hunter2'`, `secret is "x"`; `password` inside a word too (`dbpassword 'x'`, a line joined from pieces).
  {
    name: 'secret-quoted-prose',
    regex: /(?:password|passwd|passphrase|(?<![\w-])(?:secret|token))(?:[ \t]+(?:is|was|of|for))?[ \t]+b?(?<q>["'])(?<secret>(?:(?!\k<q>)[^\n])+)\k<q>/gi,
  },
  {
    // Multi-line, or one line with `\n` escapes inside a JSON string; to the end when the END line is cut off.
    name: 'pem-private-key',
    regex: /-----BEGIN [A-Z0-9 ]{0,16}PRIVATE KEY[A-Z ]{0,16}-----(?<secret>[\s\S]*?)(?:-----END [A-Z0-9 ]{0,16}PRIVATE KEY[A-Z ]{0,16}-----|$)/g,
  },
  { name: 'jwt', regex: /(?<![\w-])eyJ[\w-]+\.eyJ[\w-]+(?:\.[\w-]+)?/g },
  {
    // "authorization": "Bearer …", 'Authorization': b'AWS4-HMAC-SHA256 Credential=…, Signature=…'
    name: 'authorization-quoted',
    regex: new RegExp(String.raw`${AUTH_HEADER}\\?["']?[ \t]*[:=][ \t]*${QUOTE_OPEN}${AUTH_SCHEME}(?<secret>${QUOTED_BODY})`, 'gi'),
  },
  {
    // Authorization: Bearer …  (the header's value, to the end of the line)
    name: 'authorization-header',
    regex: new RegExp(String.raw`${AUTH_HEADER}[ \t]*[:=][ \t]*(?!b?\\?["'])${AUTH_SCHEME}(?<secret>[^\s"'\\](?:[^\r\n"'\\]|\\(?![nr"']))*)`, 'gi'),
  },
  { name: 'bearer-token', regex: /(?<![\w-])[Bb]earer[ \t]+(?<secret>[\w.~+/-]+=*)/g },
  { name: 'aws-access-key-id', regex: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/g },
  {
    // Query parameters of presigned URLs (SigV4 and the legacy SigV2), also URL-encoded or HTML-escaped.
    name: 's3-presigned',
    regex: /(?:[?&]|&amp;|%26|%3F)(?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|AWSAccessKeyId)(?:=|%3D)(?<secret>[^&\s"'<>#]+)/gi,
  },
  // botocore's debug log prints `Signature:` and the hex signature on the next line.
  { name: 'aws-signature', regex: /(?<![\w-])Signature[ \t]*[:=]\s*(?<secret>[0-9a-f]{32,})/gi },
  // Fernet, SCS's own secret format: a token (version byte 0x80 and a time: `gAAAAA…`) and a key
  // (32 bytes, url-safe base64: 43 characters and `=`; random, so it mixes digits and both cases).
  { name: 'fernet-token', regex: /(?<![\w-])gAAAAA[\w-]{20,}={0,2}/g },
  { name: 'fernet-key', regex: /(?<![\w+/=-])(?=[\w-]{0,42}\d)(?=[\w-]{0,42}[A-Z])(?=[\w-]{0,42}[a-z])[\w-]{43}=(?![\w+/=-])/g },
  // A token as the whole userinfo: `https://ghp_…@github.com/…`.
  { name: 'url-token', regex: /(?<![\w+.-])[A-Z][\w+.-]*:\/\/(?<secret>[^\s/?#@:"'<>]+)@/gi },
  // Command lines: `--password X`, `--db-pass=X`, `-p` is too short to tell.
  {
    name: 'secret-option',
    regex: /(?<![\w-])--[\w-]*(?:password|passwd|passphrase|secret|token|pass|pwd|api-key|access-key|secret-key)(?:[\t ]|[\t ]*=)[\t ]*(?<secret>"[^"\n]*"|'[^'\n]*'|[^\s"']+)/gi,
  },
  { name: 'url-credentials', regex: /(?<![\w+.-])[A-Z][\w+.-]*:\/\/[^\s/?#@:"'<>]*:(?<secret>[^\s/?#@"'<>]+)@/gi },
  // eslint-disable-next-line regexp/no-dupe-disjunctions -- the suffixes are tested in a lookbehind at the end of a whole name: `[Ss]ecret` there needs a name ending in `ecret`, `[Ss]ecret` + `key` one ending in `key`; neither covers the other.
  { name: 'secret-assignment-quoted', regex: new RegExp(String.raw`${SECRET_NAME}${QUOTE_OPEN}(?<secret>${QUOTED_BODY})`, 'g') },
  // eslint-disable-next-line regexp/no-dupe-disjunctions -- the suffixes are tested in a lookbehind at the end of a whole name: `[Ss]ecret` there needs a name ending in `ecret`, `[Ss]ecret` + `key` one ending in `key`; neither covers the other.
  { name: 'secret-assignment', regex: new RegExp(String.raw`${SECRET_NAME}(?!b["'])${BARE_VALUE}`, 'g') },
];

/** A cheap test that text must pass for a pattern to match in it. */
export interface Gate {
  test(text: string): boolean;
}

const isKeyChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/**
 * The fernet key's gate: 43 characters of `[\w-]` right before an `=`, found by walking back from
 * each `=` (an `=` after a short word, `page=25`, is turned away after a few characters).
 */
const FERNET_KEY_GATE: Gate = {
  test(text: string): boolean {
    for (let eq = text.indexOf('=', 43); eq >= 0; eq = text.indexOf('=', eq + 1)) {
      let k = eq - 1;
      while (k >= eq - 43 && isKeyChar(text.charCodeAt(k))) k--;
      if (k < eq - 43) return true;
    }
    return false;
  },
};

// Gates that two patterns share are one object: the redactor asks it once when the first pattern left the text as it was.
const SECRET_WORD = /token|secret|pass|key|pwd/i;
const AUTH_WORD = /authorization|cookie/i;
const AT = /@/;

/**
 * For the default patterns: a literal test that every match needs (a string each match contains,
 * case-insensitively where the pattern is), so that text without it skips the pattern at the cost
 * of one quick scan. Every alternative of SECRET_SUFFIX contains token, secret, pass or key.
 */
export const GATES: ReadonlyMap<RedactionPattern, Gate> = new Map(
  (
    [
      ['secret-quoted-prose', /pass|secret|token/i],
      ['pem-private-key', /-----BEGIN /],
      ['jwt', /eyJ/],
      ['authorization-quoted', AUTH_WORD],
      ['authorization-header', AUTH_WORD],
      ['bearer-token', /[Bb]earer/],
      ['s3-presigned', /signature|credential|security-token|awsaccesskeyid/i],
      ['aws-signature', /signature/i],
      ['fernet-token', /gAAAAA/],
      ['fernet-key', FERNET_KEY_GATE],
      ['url-token', AT],
      ['secret-option', /--/],
      ['url-credentials', AT],
      ['secret-assignment-quoted', SECRET_WORD],
      ['secret-assignment', SECRET_WORD],
    ] as const
  ).map(([name, gate]) => [DEFAULT_PATTERNS.find((p) => p.name === name)!, gate]),
);

export interface Redactor {
  (text: string): string;
  readonly patterns: readonly RedactionPattern[];
}

function refuse(what: string, why: string): ScsDoctorError {
  return new ScsDoctorError('OPTION_INVALID', `redaction pattern ${what} ${why}`);
}

/** A user pattern as a checked RedactionPattern; a bad or catastrophic regex is an OPTION_INVALID error. */
function userPattern(p: RedactionPattern | string | RegExp, index: number): RedactionPattern {
  const name = typeof p === 'object' && !(p instanceof RegExp) ? p.name : `user-${index + 1}`;
  let regex: RegExp;
  if (typeof p === 'string') {
    try {
      regex = new RegExp(p, 'g');
    } catch (e) {
      throw refuse(JSON.stringify(p), `does not compile: ${(e as Error).message}`);
    }
  } else regex = p instanceof RegExp ? p : p.regex;
  const why = unsafeRegexReason(regex.source, regex.flags);
  if (why) throw refuse(`/${regex.source}/`, `can backtrack catastrophically: ${why}`);
  return { name, regex };
}

/** The working copy of a pattern: global, with match indices for the `secret` group. */
function working(p: RedactionPattern): RegExp {
  const flags = p.regex.flags.replace(/[gyd]/g, '');
  return new RegExp(p.regex.source, `${flags}gd`);
}

function apply(text: string, re: RegExp): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      // An empty match masks nothing; step over it (a whole code point under the u and v flags).
      const cp = text.codePointAt(m.index) ?? 0;
      re.lastIndex = m.index + (cp > 0xffff && (re.unicode || re.flags.includes('v')) ? 2 : 1);
      continue;
    }
    const groups = m.indices?.groups;
    let span: [number, number] = [m.index, m.index + m[0].length];
    if (groups && 'secret' in groups) {
      const s = groups['secret'];
      if (!s || s[0] === s[1]) continue;
      span = s;
    }
    out += text.slice(last, span[0]) + MASK;
    last = span[1];
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Builds a redactor from the defaults plus the user's patterns (strings are regex sources).
 * A user pattern that does not compile or can backtrack catastrophically throws OPTION_INVALID.
 * @example createRedactor(['customer-[0-9]+'])('customer-42 failed') // '[REDACTED] failed'
 */
export function createRedactor(extra: readonly (RedactionPattern | string | RegExp)[] = []): Redactor {
  const patterns: readonly RedactionPattern[] = Object.freeze([...DEFAULT_PATTERNS, ...extra.map(userPattern)]);
  const compiled = patterns.map(working);
  const gates = patterns.map((p) => GATES.get(p));
  const fn = ((text: string) => {
    let out = text;
    // The last gate asked, the text it was asked of, and its answer.
    let asked: Gate | undefined;
    let askedOf = '';
    let answer = false;
    for (let i = 0; i < compiled.length; i++) {
      const gate = gates[i];
      if (gate !== undefined) {
        if (gate !== asked || out !== askedOf) {
          asked = gate;
          askedOf = out;
          answer = gate.test(out);
        }
        if (!answer) continue;
      }
      out = apply(out, compiled[i]!);
    }
    return out;
  }) as Redactor;
  Object.defineProperty(fn, 'patterns', { value: patterns });
  return fn;
}

const NAME = /^[\w.-]+$/;
// eslint-disable-next-line regexp/no-dupe-disjunctions -- as in the assignment patterns above: each suffix is tested at the end of the name.
const NAME_WITH_SECRET_SUFFIX = new RegExp(String.raw`(?<=${SECRET_SUFFIX})$`);
const HEADER_NAME = /^(?:proxy-authorization|authorization|set-cookie|cookie)$/i;

const isSecretKey = (key: string) => NAME.test(key) && (NAME_WITH_SECRET_SUFFIX.test(key) || HEADER_NAME.test(key));

/**
 * Redacts every string inside a JSON-like value, and masks the value of every secret-named key
 * and everything under it (`{ password: 'x' }` gives `{ password: '[REDACTED]' }`). Keys are kept.
 */
export function redactDeep<T>(value: T, redact: (s: string) => string): T {
  const seen = new WeakMap<object, unknown>();
  const walk = (v: unknown, secretKey: boolean): unknown => {
    if (typeof v === 'string') return secretKey && v !== '' ? MASK : redact(v);
    if (secretKey && (typeof v === 'number' || typeof v === 'bigint')) return MASK;
    if (v === null || typeof v !== 'object') return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const arr: unknown[] = [];
      seen.set(v, arr);
      for (const item of v) arr.push(walk(item, secretKey));
      return arr;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v)) {
      // defineProperty: a `__proto__` key stays a plain key instead of replacing the prototype
      Object.defineProperty(out, k, { value: walk(item, secretKey || isSecretKey(k)), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(value, false) as T;
}
