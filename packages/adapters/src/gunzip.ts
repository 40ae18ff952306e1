/**
 * Gzip, member by member, keeping every byte decoded before damage.
 *
 * Node's `Gunzip` reads concatenated members itself, but when it meets bytes after a member that
 * are not another member (trailing garbage) it fails in the step that also decoded the end of
 * the last member, and that step's output is never emitted: a log loses its newest lines, a tar
 * archive every member. `gunzip` and GNU tar keep them. Here each member's header and trailer
 * are read by this code (RFC 1952) and only the deflate data goes through zlib (`InflateRaw`,
 * which stops at the end of the deflate stream and says how many bytes it used): what follows is
 * looked at here, and damage is reported after everything before it has been handed on.
 *
 * Not `stream.pipeline(source, createGunzip())`: a pipeline ends with the error of the step that
 * hit the damage and drops what that step decoded (the defect this file exists for). The bytes go
 * through async iteration end to end instead, which closes the source on every exit as a
 * pipeline would (see `decompress` in sources.ts).
 */
import type { InflateRaw } from 'node:zlib';

/** node:zlib, loaded with the first compressed input: most runs read none. */
let zlibModule: typeof import('node:zlib') | undefined;
const zlib = () => (zlibModule ??= process.getBuiltinModule('node:zlib'));
import { ScsDoctorError } from '@scs-doctor/core/internal';

/** Most decompressed bytes read from one input by default (1 GiB); see `ReadOptions.maxInflatedBytes`. */
export const DEFAULT_MAX_INFLATED_BYTES = 1 << 30;

/** Compressed bytes handed to zlib per step: bounds what one step can inflate to (about 1,000 times this). */
const STEP = 16 << 10;

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** A byte source that can be read by count and given bytes back. */
class Bytes {
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** Ensures `n` bytes are buffered when the source has them; false at its end. */
  async fill(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    }
    return this.buf.length >= n;
  }

  get buffered(): Buffer {
    return this.buf;
  }

  take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  unshift(b: Buffer): void {
    if (b.length) this.buf = this.buf.length ? Buffer.concat([b, this.buf]) : b;
  }

  /** The next piece of at most `max` bytes, or undefined at the end. */
  async next(max: number): Promise<Buffer | undefined> {
    if (!(await this.fill(1))) return undefined;
    return this.take(Math.min(max, this.buf.length));
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** Reads a member's header; returns its length, or a reason it is not one. */
async function header(src: Bytes): Promise<number | string> {
  if (!(await src.fill(10))) return 'a gzip header cut short';
  const b = src.buffered;
  if (b[0] !== 0x1f || b[1] !== 0x8b) return 'not gzip data';
  if (b[2] !== 8) return `an unknown compression method (${b[2]})`;
  const flags = b[3]!;
  let at = 10;
  if (flags & FEXTRA) {
    if (!(await src.fill(at + 2))) return 'a gzip header cut short';
    at += 2 + src.buffered.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    for (;;) {
      if (!(await src.fill(at + 1))) return 'a gzip header cut short';
      if (src.buffered[at++] === 0) break;
      if (at > 1 << 20) return 'a gzip header with a name or comment over 1 MiB';
    }
  }
  if (flags & FHCRC) at += 2;
  if (!(await src.fill(at))) return 'a gzip header cut short';
  return at;
}

/** Events of one `InflateRaw`, gathered so a step's output is read before its end or error. */
interface Inflater {
  z: InflateRaw;
  out: Buffer[];
  ended: boolean;
  error: Error | undefined;
}

function inflater(): Inflater {
  // A stream cut short ends quietly here (SYNC_FLUSH): what it held is still emitted, and the
  // missing end is found by this code.
  const { createInflateRaw, constants } = zlib();
  const z = createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH });
  const s: Inflater = { z, out: [], ended: false, error: undefined };
  z.on('data', (d: Buffer) => s.out.push(d));
  z.on('end', () => (s.ended = true));
  z.on('error', (e) => (s.error = e));
  return s;
}

/** Writes a piece and waits until zlib has processed it (or ended, or failed). */
function step(s: Inflater, piece: Buffer | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      s.z.off('end', done);
      s.z.off('error', done);
      s.z.off('close', done);
      setImmediate(resolve);
    };
    s.z.once('end', done);
    s.z.once('error', done);
    s.z.once('close', done);
    if (piece === undefined) s.z.end(() => done());
    else s.z.write(piece, () => done());
  });
}

const crcOf = (crc: number, b: Buffer): number => {
  const { crc32 } = zlib();
  return typeof crc32 === 'function' ? crc32(b, crc) : 0;
};

/**
 * Decompresses a gzip stream (concatenated members too). Everything decoded before damage (a
 * member cut short, a bad checksum, bytes after the last member that are not gzip) is yielded
 * first; then `INPUT_CORRUPT` is thrown naming the input. Past `maxBytes` decompressed bytes,
 * what came before is yielded and `INPUT_TOO_LARGE` is thrown.
 */
export async function* gunzipStream(source: AsyncIterable<Buffer>, name: string, maxBytes = DEFAULT_MAX_INFLATED_BYTES): AsyncGenerator<Buffer> {
  const src = new Bytes(source[Symbol.asyncIterator]());
  const corrupt = (why: string) => new ScsDoctorError('INPUT_CORRUPT', `${name}: gzip data is damaged or cut short: ${why}; what came before it was read`, { file: name });
  let total = 0;
  let members = 0;
  try {
    for (;;) {
      if (members > 0) {
        // After a member: the end, zero padding (tape blocks), another member, or garbage.
        if (!(await src.fill(1))) return;
        const rest = src.buffered;
        if (rest[0] === 0 && rest.every((b) => b === 0)) {
          src.take(rest.length);
          continue;
        }
        if (rest[0] !== 0x1f || (rest.length > 1 && rest[1] !== 0x8b)) throw corrupt(`${rest.length >= 8 ? 'bytes' : 'a few bytes'} after the end of the gzip data that are not gzip (trailing garbage)`);
      }
      const h = await header(src);
      if (typeof h === 'string') throw corrupt(members > 0 ? `${h} after member ${members}` : h);
      src.take(h);
      members++;
      const s = inflater();
      let written = 0;
      let crc = 0;
      let size = 0;
      let last: Buffer = Buffer.alloc(0);
      try {
        for (;;) {
          const piece = await src.next(STEP);
          await step(s, piece);
          if (piece) {
            written += piece.length;
            last = piece;
          }
          for (const o of s.out) {
            crc = crcOf(crc, o);
            size = (size + o.length) >>> 0;
            if (total + o.length > maxBytes) {
              const keep = maxBytes - total;
              if (keep > 0) yield o.subarray(0, keep);
              throw new ScsDoctorError('INPUT_TOO_LARGE', `${name}: decompresses to more than ${maxBytes} bytes (the limit, set with --max-inflated-bytes); the first ${maxBytes} bytes were read`, { file: name });
            }
            total += o.length;
            yield o;
          }
          s.out.length = 0;
          if (s.error) throw corrupt(s.error.message);
          if (s.ended) break;
          if (piece === undefined) throw corrupt(`member ${members} is cut short`);
        }
      } finally {
        s.z.destroy();
      }
      // The deflate data ended inside the last piece: what follows it is the trailer.
      const used = s.z.bytesWritten;
      src.unshift(last.subarray(last.length - (written - used)));
      if (!(await src.fill(8))) throw corrupt(`member ${members} is cut short`);
      const trailer = src.take(8);
      if (typeof zlib().crc32 === 'function' && trailer.readUInt32LE(0) !== crc >>> 0) throw corrupt(`member ${members} fails its checksum`);
      if (trailer.readUInt32LE(4) !== size) throw corrupt(`member ${members} has the wrong length`);
    }
  } finally {
    await src.close();
  }
}
