/**
 * Whether an input is text, judged by its first bytes before any line of it is read. An encrypted,
 * compressed or random file has few lines that look binary (about a third, not the half the
 * line test in run.ts needs), so it was read as a log with no failure in it. Its bytes tell: near-uniform
 * (entropy close to 8 bits a byte, where text in any language stays under 6.5 and base64 at 6),
 * and many of them invalid as UTF-8. Known formats are named by their magic numbers: compressions
 * and archives scs-doctor does not read, and what openssl, GnuPG, age and Fernet write.
 */

/** Bytes of an input's start that are judged: enough for a stable entropy, cheap on any file. */
export const SAMPLE_BYTES = 1 << 16;

/** Fewer bytes than this are not judged by their statistics (256 byte values need a few hundred bytes to spread). */
const MIN_SAMPLE = 512;
/** Entropy (bits a byte) above which bytes are taken as encrypted, compressed or random. */
const HIGH_ENTROPY = 7.0;
/** ... when at least this share of them is not valid UTF-8 (UTF-8 text has none). */
const MIN_INVALID_UTF8 = 0.1;

/**
 * Compressions and archives recognised by their magic bytes but not read: the user must
 * decompress or extract first. A zip read as text would be a few lines of binary and no
 * diagnosis, which reads like a clean log. (gzip is read, by sources.ts.)
 */
const UNREAD_FORMATS: readonly { magic: readonly number[]; why: string }[] = [
  { magic: [0x28, 0xb5, 0x2f, 0xfd], why: 'compressed with zstd, which scs-doctor does not read; decompress it first' },
  { magic: [0x42, 0x5a, 0x68], why: 'compressed with bzip2, which scs-doctor does not read; decompress it first' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], why: 'compressed with xz, which scs-doctor does not read; decompress it first' },
  { magic: [0x04, 0x22, 0x4d, 0x18], why: 'compressed with lz4, which scs-doctor does not read; decompress it first' },
  // Local file header, empty archive, spanned archive.
  ...[
    [0x03, 0x04],
    [0x05, 0x06],
    [0x07, 0x08],
  ].map((tail) => ({ magic: [0x50, 0x4b, ...tail], why: 'a zip archive, which scs-doctor does not read; extract it and pass the folder' })),
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], why: 'a 7-Zip archive, which scs-doctor does not read; extract it and pass the folder' },
];

/** The format of a compressed file or archive that is not read, from its first bytes; undefined for anything else. */
function unreadFormat(head: Uint8Array): string | undefined {
  for (const u of UNREAD_FORMATS) if (head.length >= u.magic.length && u.magic.every((b, i) => head[i] === b)) return u.why;
  return undefined;
}

/** The reason an input's lines are counted as skipped under, for a verdict that is not text. */
export function skipReason(verdict: ByteVerdict): string {
  return verdict.code === 'INPUT_ENCRYPTED' ? 'encrypted' : verdict.reason?.includes('archive') ? 'archive' : 'compressed';
}

const BASE64_SALTED = 'U2FsdGVkX1'; // base64 of "Salted__"
/** The first line of `openssl enc -a` output: base64 (up to 64 characters a line). */
const BASE64_LINE = /^[A-Z0-9+/]+={0,2}(?:\r?\n|$)/i;
/** What encryption tools write at the start of a file (the data after it is the ciphertext). */
const ENCRYPTED_TEXT_HEADS: readonly [string, string][] = [
  ['Salted__', 'encrypted with openssl enc'],
  [BASE64_SALTED, 'encrypted with openssl enc (base64)'],
  ['-----BEGIN PGP MESSAGE-----', 'an OpenPGP message (gpg --armor)'],
  ['age-encryption.org/v1\n', 'encrypted with age'],
  ['-----BEGIN AGE ENCRYPTED FILE-----', 'encrypted with age (armored)'],
];

/**
 * An OpenPGP message in binary: its first packet is a session key, public-key (tag 1) or
 * symmetric (tag 3), in the old or the new packet format, with a version GnuPG writes.
 */
function openPgp(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const b = head[0]!;
  // Old format: 10TTTTLL, tag in bits 5-2, length type in 1-0 (0: one length byte, 1: two).
  if ((b & 0xc0) === 0x80) {
    const tag = (b >> 2) & 0x0f;
    const lenType = b & 3;
    if (lenType > 1) return false;
    const version = head[1 + lenType + 1];
    return (tag === 1 && version === 3) || (tag === 3 && (version === 4 || version === 5));
  }
  // New format: 11TTTTTT, then a one-byte length below 192.
  if ((b & 0xc0) === 0xc0) {
    const tag = b & 0x3f;
    const version = head[2];
    return head[1]! < 192 && ((tag === 1 && (version === 3 || version === 6)) || (tag === 3 && (version === 4 || version === 5 || version === 6)));
  }
  return false;
}

const BASE64URL = /^[\w-]+={0,2}$/;

/**
 * A file of Fernet tokens and nothing else (a file encrypted whole with Fernet is one token):
 * every line a token (`gAAAAA` is the version byte 0x80 and a timestamp's zero high bytes).
 * A log whose lines carry tokens among other words is text.
 */
function fernetTokens(text: string, cut: boolean): boolean {
  const lines = text.split('\n');
  if (cut && lines.length > 1) lines.pop(); // the last line may be cut short by the sample
  let tokens = 0;
  for (const raw of lines) {
    const l = raw.trim();
    if (l === '') continue;
    if (!l.startsWith('gAAAAA') || l.length < 100 || !BASE64URL.test(l)) return false;
    tokens++;
  }
  return tokens > 0;
}

export interface ByteVerdict {
  /** Bytes looked at. */
  bytes: number;
  /** Shannon entropy of the byte values, bits a byte (0–8). */
  entropy: number;
  /** Share of bytes that are not part of a valid UTF-8 sequence. */
  invalidUtf8: number;
  /**
   * Not a text log: `INPUT_ENCRYPTED` (encrypted, or bytes that look encrypted, compressed or
   * random) or `INPUT_UNREADABLE` (a compression or archive that is not read); undefined for text.
   */
  code: 'INPUT_ENCRYPTED' | 'INPUT_UNREADABLE' | undefined;
  /** Why, in words: `looks encrypted, compressed or random (entropy 7.99 bits/byte, …)`. */
  reason: string | undefined;
  /** The format was known by its first bytes (a magic number, an armour line), not guessed from statistics. */
  known: boolean;
  /** The first byte that is not ASCII whitespace (-1: none). */
  firstByte: number;
}

/** Entropy and the share of invalid UTF-8 of `sample`. */
function statistics(sample: Uint8Array): { entropy: number; invalidUtf8: number } {
  const n = sample.length;
  const counts = new Uint32Array(256);
  let invalid = 0;
  /** Continuation bytes the current UTF-8 sequence still needs, and its length. */
  let need = 0;
  let seqLen = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    counts[b]!++;
    if (need > 0) {
      if ((b & 0xc0) === 0x80) {
        need--;
        continue;
      }
      // A sequence cut short: the bytes it had are invalid.
      invalid += seqLen - need;
      need = 0;
    }
    if (b < 0x80) continue;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      seqLen = 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      seqLen = 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      seqLen = 4;
    } else invalid++;
  }
  let entropy = 0;
  if (n > 0) for (const c of counts) if (c > 0) entropy -= (c / n) * Math.log2(c / n);
  return { entropy, invalidUtf8: n > 0 ? invalid / n : 0 };
}

/**
 * Judges the first bytes of an input (up to SAMPLE_BYTES; `complete` when they are the whole input).
 * @example judgeBytes(readFileSync('scs.log.enc').subarray(0, SAMPLE_BYTES), true).reason // 'encrypted with openssl enc'
 */
export function judgeBytes(sample: Uint8Array, complete = sample.length < SAMPLE_BYTES): ByteVerdict {
  const { entropy, invalidUtf8 } = statistics(sample);
  let at = 0;
  while (at < sample.length && (sample[at] === 32 || (sample[at]! >= 9 && sample[at]! <= 13))) at++;
  const firstByte = at < sample.length ? sample[at]! : -1;
  const verdict = (code: ByteVerdict['code'], reason: string | undefined, known = true): ByteVerdict => ({ bytes: sample.length, entropy, invalidUtf8, code, reason, known, firstByte });
  const unread = unreadFormat(sample);
  if (unread) return verdict('INPUT_UNREADABLE', unread);
  const start = Buffer.from(sample.buffer, sample.byteOffset, Math.min(sample.length, 64)).toString('latin1');
  for (const [head, what] of ENCRYPTED_TEXT_HEADS) if (start.startsWith(head) && (head !== BASE64_SALTED || BASE64_LINE.test(start))) return verdict('INPUT_ENCRYPTED', what);
  if (openPgp(sample)) return verdict('INPUT_ENCRYPTED', 'an OpenPGP message (gpg)');
  if (sample.length >= 100 && sample[0] === 0x67 /* g */ && fernetTokens(Buffer.from(sample.buffer, sample.byteOffset, sample.length).toString('latin1'), !complete)) {
    return verdict('INPUT_ENCRYPTED', 'Fernet tokens (encrypted with a Fernet key)');
  }
  if (sample.length >= MIN_SAMPLE && entropy >= HIGH_ENTROPY && invalidUtf8 >= MIN_INVALID_UTF8) {
    return verdict('INPUT_ENCRYPTED', `looks encrypted, compressed or random (entropy ${entropy.toFixed(2)} bits/byte, ${Math.round(invalidUtf8 * 100)}% invalid UTF-8)`, false);
  }
  return verdict(undefined, undefined, false);
}

/**
 * Reads up to SAMPLE_BYTES of a stream and judges them; `stream` gives every byte again, from the
 * first. An error met while sampling waits until the bytes before it have been given.
 *
 * @example
 * ```ts
 * const { verdict, stream } = await judgeStream(await openInput(input));
 * if (verdict.code) console.error(verdict.reason);
 * ```
 */
export async function judgeStream(source: AsyncIterable<Buffer>): Promise<{ verdict: ByteVerdict; stream: AsyncGenerator<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let got = 0;
  let ended = false;
  let failed = false;
  let error: unknown;
  try {
    while (got < SAMPLE_BYTES) {
      const r = await it.next();
      if (r.done) {
        ended = true;
        break;
      }
      parts.push(r.value);
      got += r.value.length;
    }
  } catch (e) {
    failed = true;
    error = e;
  }
  const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
  const verdict = judgeBytes(head.subarray(0, SAMPLE_BYTES), ended);
  async function* stream(): AsyncGenerator<Buffer> {
    try {
      for (const p of parts) yield p;
      if (failed) throw error;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      if (!failed && !ended) await it.return?.();
    }
  }
  return { verdict, stream: stream() };
}

/**
 * Lines and bytes of a stream that is not read as text: its newlines, and a last line without one.
 * `into` holds the counts so far when the stream fails part way.
 */
export async function countLines(stream: AsyncIterable<Buffer>, into: { lines: number; bytes: number } = { lines: 0, bytes: 0 }): Promise<{ lines: number; bytes: number }> {
  let newlines = 0;
  for await (const chunk of stream) {
    if (chunk.length === 0) continue;
    into.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) newlines++;
    const last = chunk[chunk.length - 1]!;
    into.lines = newlines + (last === 10 ? 0 : 1);
  }
  return into;
}
