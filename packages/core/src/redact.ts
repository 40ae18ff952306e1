/**
 * Redaction of secrets before anything leaves the engine. Every excerpt, parameter, summary,
 * unmatched sample and error message passes through a Redactor.
 */

export interface RedactionPattern {
  name: string;
  /** Global regex. The whole match is replaced, or only the `secret` named group when present. */
  regex: RegExp;
}

const MASK = '[REDACTED]';

export const DEFAULT_PATTERNS: readonly RedactionPattern[] = [
  { name: 'pem-private-key', regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
  { name: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { name: 'authorization-header', regex: /(?<=\bauthorization["']?\s*[:=]\s*["']?)(?<secret>(?:(?:Bearer|Basic|Token|Digest|AWS4-HMAC-SHA256)\s+)?[^\s"',;]+(?:[^"'\n]*)?)/gi },
  { name: 'bearer-token', regex: /(?<=\bBearer\s+)(?<secret>[A-Za-z0-9._~+/=-]{8,})/g },
  { name: 'aws-access-key-id', regex: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g },
  {
    name: 'aws-secret-access-key',
    regex: /(?<=\b(?:aws_?secret_?access_?key|secret_?access_?key|SecretAccessKey)["']?\s*[:=]\s*["']?)(?<secret>[A-Za-z0-9/+=]{16,})/gi,
  },
  {
    name: 's3-presigned',
    regex: /(?<=[?&](?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|AWSAccessKeyId|x-amz-security-token)=)(?<secret>[^&\s"'<>]+)/gi,
  },
  { name: 'url-credentials', regex: /(?<=[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:)(?<secret>[^\s@/"']+)(?=@)/gi },
  {
    name: 'secret-assignment',
    regex: /(?<=\b[A-Za-z0-9_.-]*(?:SECRET|PASSWORD|PASSWD|TOKEN|_KEY|APIKEY|API_KEY|PRIVATE_KEY|CREDENTIALS?)["']?\s*[:=]\s*["']?)(?<secret>[^\s"',;}&]+)/gi,
  },
];

export interface Redactor {
  (text: string): string;
  readonly patterns: readonly RedactionPattern[];
}

/** Builds a redactor from the defaults plus the user's patterns (strings are regex sources). */
export function createRedactor(extra: readonly (RedactionPattern | string | RegExp)[] = []): Redactor {
  const patterns: RedactionPattern[] = [...DEFAULT_PATTERNS];
  extra.forEach((p, i) => {
    if (typeof p === 'string') patterns.push({ name: `user-${i + 1}`, regex: new RegExp(p, 'g') });
    else if (p instanceof RegExp) patterns.push({ name: `user-${i + 1}`, regex: new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g') });
    else patterns.push(p);
  });
  const fn = ((text: string) => {
    let out = text;
    for (const p of patterns) {
      p.regex.lastIndex = 0;
      out = out.replace(p.regex, (...args: unknown[]) => {
        const groups = args[args.length - 1];
        if (groups && typeof groups === 'object' && 'secret' in groups) return MASK;
        return MASK;
      });
    }
    return out;
  }) as Redactor;
  Object.defineProperty(fn, 'patterns', { value: patterns });
  return fn;
}

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}
