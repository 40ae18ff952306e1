/**
 * Tar archives (POSIX ustar and pax, GNU, old v7), read as a stream. Support bundles arrive as a
 * `.tar.gz` of pod logs; each regular file in one is a log input of its own. Headers are parsed
 * as they come and a member's bytes are handed on in the pieces they arrive in, so neither a
 * member nor the archive is ever held whole (bundles can be gigabytes).
 *
 * Not `tar-stream`: it collects a pax extended header or a GNU long name of whatever size the
 * header declares before it goes on (here such metadata is capped at MAX_META and the member is
 * reported), and its errors carry no byte offset, which a damaged bundle's problem must name.
 * The tests of this reader (tar.test.ts, the tar fuzzer) are its conformance suite.
 */
import { ScsDoctorError } from '@scs-doctor/core/internal';

/** Tar's unit: headers are one block, data is padded to whole blocks. */
export const TAR_BLOCK = 512;
/** Largest GNU long name or pax header kept in memory; real ones are a few hundred bytes. */
const MAX_META = 1 << 20;
/** Largest piece of a member handed on at once. */
const PIECE = 1 << 20;
const EMPTY = Buffer.alloc(0);

/**
 * The ustar magic at offset 257: POSIX `ustar\0` (then version `00`), GNU `ustar  \0`. Both end
 * in a NUL, which a text log does not hold there, so a log is never taken for an archive.
 */
function magicOf(h: Buffer): 'posix' | 'gnu' | undefined {
  if (h.length < 265) return undefined;
  if (h.toString('latin1', 257, 263) === 'ustar\0') return 'posix';
  if (h.toString('latin1', 257, 265) === 'ustar  \0') return 'gnu';
  return undefined;
}

/** An octal field: leading spaces, digits, then a NUL or space (or the field's end); undefined when it is not one. */
function octal(h: Buffer, start: number, length: number): number | undefined {
  const end = start + length;
  let i = start;
  while (i < end && h[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = h[i]!;
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return undefined;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return digits ? value : undefined;
}

/** The header checksum: the sum of its bytes with the checksum field read as spaces (old writers summed signed bytes). */
function checksumOk(h: Buffer): boolean {
  const want = octal(h, 148, 8);
  if (want === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += b;
    signed += b >= 0x80 ? b - 0x100 : b;
  }
  return want === unsigned || want === signed;
}

/**
 * Whether a stream that starts with `head` (after decompression) is a tar archive: the ustar
 * magic, or an old v7 header (no magic) whose checksum is right, whose name is set and whose type
 * is one v7 knows. A text log cannot pass the checksum by chance: it needs octal digits at 148
 * that equal the sum of the block.
 */
export function isTarHeader(head: Buffer): boolean {
  if (head.length < TAR_BLOCK) return false;
  if (magicOf(head)) return true;
  const type = head[156]!;
  return head[0] !== 0 && (type === 0 || (type >= 0x30 && type <= 0x37)) && checksumOk(head);
}

/** The size field: octal, or GNU base-256 (high bit set) for sizes past 8 GiB; undefined when damaged. */
function sizeOf(h: Buffer): number | undefined {
  const first = h[124]!;
  if (first & 0x80) {
    if (first & 0x40) return undefined; // negative
    let v = first & 0x3f;
    for (let i = 125; i < 136; i++) {
      v = v * 256 + h[i]!;
      if (v > Number.MAX_SAFE_INTEGER) return undefined;
    }
    return v;
  }
  // An empty size field is zero, as tar reads it.
  if (h.subarray(124, 136).every((b) => b === 0 || b === 0x20)) return 0;
  return octal(h, 124, 12);
}

/** A NUL-terminated text field, read as UTF-8 (what tar writes on Linux). */
function text(h: Buffer, start: number, length: number): string {
  const end = h.indexOf(0, start);
  return h.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}

/** pax extended header records (`<length> <key>=<value>\n`); undefined when malformed. */
function paxRecords(b: Buffer): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  while (i < b.length) {
    if (b[i] === 0) break; // NUL padding left inside the size by some writers
    const space = b.indexOf(0x20, i);
    if (space < 0) return undefined;
    const digits = b.toString('latin1', i, space);
    const length = Number(digits);
    if (!/^\d+$/.test(digits) || length <= space - i + 1 || i + length > b.length || b[i + length - 1] !== 0x0a) return undefined;
    const record = b.toString('utf8', space + 1, i + length - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) return undefined;
    // An empty value unsets the key.
    if (eq === record.length - 1) out.delete(record.slice(0, eq));
    else out.set(record.slice(0, eq), record.slice(eq + 1));
    i += length;
  }
  return out;
}

/** Bytes read in pieces of at most a given size, with the offset reached (for the messages). */
class Bytes {
  offset = 0;
  private pending: Buffer = EMPTY;
  private readonly it: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** The next piece, at most `max` bytes; empty at the end. */
  async piece(max: number): Promise<Buffer> {
    while (this.pending.length === 0) {
      const r = await this.it.next();
      if (r.done) return EMPTY;
      this.pending = r.value;
    }
    const out = this.pending.length <= max ? this.pending : this.pending.subarray(0, max);
    this.pending = this.pending.subarray(out.length);
    this.offset += out.length;
    return out;
  }

  /** `n` bytes, fewer at the end. */
  async take(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const p = await this.piece(n - got);
      if (!p.length) break;
      parts.push(p);
      got += p.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
  }

  /** Passes over `n` bytes; returns how many there were. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const p = await this.piece(Math.min(left, PIECE));
      if (!p.length) break;
      left -= p.length;
    }
    return n - left;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

export interface TarMember {
  /** Path inside the archive, a leading `./` taken off. */
  path: string;
  /**
   * The member's bytes. Read them to the end or not at all, before asking for the next member:
   * the archive goes on after it either way. An error of the archive (cut short) is thrown from
   * here as the archive's error.
   */
  data: AsyncIterable<Buffer>;
}

const padding = (size: number) => (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;

/** Dot files are not inputs in a directory; nor in an archive (macOS tar adds a `._name` beside each file). */
/** A path with a `..` part, or absolute: it names a place outside the archive. */
const climbs = (p: string) => p.startsWith('/') || p.split('/').some((c) => c === '..');
const hidden = (p: string) => p.split('/').some((c) => c.startsWith('.'));

/**
 * Reads the map that starts a GNU sparse file's data (format 1.0): decimal numbers one per line,
 * a count then an offset and a size per piece, padded to whole blocks. Returns the bytes it took,
 * `cut` at the end of the archive, undefined when it is not a map.
 */
async function sparseMapSize(bytes: Bytes, size: number): Promise<number | 'cut' | undefined> {
  let taken = 0;
  let numbers = 0;
  let want = Infinity;
  let digits = '';
  while (numbers < want) {
    if (taken + TAR_BLOCK > Math.min(size, MAX_META)) return undefined;
    const b = await bytes.take(TAR_BLOCK);
    if (b.length < TAR_BLOCK) return 'cut';
    taken += TAR_BLOCK;
    for (let i = 0; i < b.length && numbers < want; i++) {
      const c = b[i]!;
      if (c === 0x0a) {
        if (!digits) return undefined;
        if (numbers === 0) want = 1 + 2 * Number(digits);
        numbers++;
        digits = '';
      } else if (c >= 0x30 && c <= 0x39 && digits.length < 20) digits += String.fromCharCode(c);
      else return undefined;
    }
  }
  return taken;
}

/**
 * The regular files of a tar archive, in order. Directories, links, devices and FIFOs are passed
 * over; a GNU long name (`L`) or a pax header (`x`: `path`, `size`) applies to the member after
 * it; a pax global header (`g`) holds nothing that names or sizes a member and is passed over.
 * A sparse file (GNU `S`, pax `GNU.sparse.*`) is read as its stored text. Dot files are passed
 * over, as in a directory. A damaged header or an archive cut short throws `INPUT_CORRUPT` naming the archive, after the
 * members before it; an archive without a file throws `INPUT_NOT_FOUND`.
 */
export async function* tarMembers(source: AsyncIterable<Buffer>, archive: string): AsyncGenerator<TarMember> {
  const bytes = new Bytes(source);
  const corrupt = (why: string) => new ScsDoctorError('INPUT_CORRUPT', `${archive}: ${why}`, { file: archive });
  const cut = (where: string) => corrupt(`the tar archive is cut short at byte ${bytes.offset} (${where})`);
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  let files = 0;
  try {
    for (;;) {
      const at = bytes.offset;
      const h = await bytes.take(TAR_BLOCK);
      if (h.length === 0) throw cut('no end-of-archive block');
      if (h.length < TAR_BLOCK) throw cut(`in the header at byte ${at}`);
      if (h.every((b) => b === 0)) break;
      if (!checksumOk(h)) throw corrupt(`damaged tar header at byte ${at}`);
      const type = String.fromCharCode(h[156]!);
      const stored = sizeOf(h);
      if (stored === undefined) throw corrupt(`damaged tar header at byte ${at} (its size is not a number)`);
      const readMeta = async (): Promise<Buffer> => {
        if (stored > MAX_META) throw corrupt(`damaged tar header at byte ${at} (an extended header of ${stored} bytes)`);
        const b = await bytes.take(stored);
        if (b.length < stored || (await bytes.skip(padding(stored))) < padding(stored)) throw cut(`in the extended header at byte ${at}`);
        return b;
      };
      if (type === 'L') {
        longName = text(await readMeta(), 0, stored);
        continue;
      }
      if (type === 'x') {
        const records = paxRecords(await readMeta());
        if (!records) throw corrupt(`damaged pax header at byte ${at}`);
        pax = records;
        continue;
      }
      // A link's long target name, a global pax header: nothing here names or sizes the next file.
      if (type === 'K' || type === 'g') {
        const rest = stored + padding(stored);
        if ((await bytes.skip(rest)) < rest) throw cut(`in the extended header at byte ${at}`);
        continue;
      }
      const magic = magicOf(h);
      let name = text(h, 0, 100);
      if (magic === 'posix' && h[345] !== 0) name = `${text(h, 345, 155)}/${name}`;
      name = pax?.get('GNU.sparse.name') ?? pax?.get('path') ?? longName ?? name;
      const paxSize = pax?.get('size');
      if (paxSize !== undefined && !/^\d+$/.test(paxSize)) throw corrupt(`damaged pax header before byte ${at} (size=${paxSize})`);
      // GNU sparse files, format 1.0 (pax): the data starts with the map of its holes.
      const sparseMap = pax?.get('GNU.sparse.major') === '1';
      longName = undefined;
      pax = undefined;
      // Header-only types carry no data, whatever their size field says (as other tar readers do).
      const headerOnly = type >= '1' && type <= '6';
      const size = headerOnly ? 0 : paxSize !== undefined ? Number(paxSize) : stored;
      // An old GNU sparse header may be followed by more blocks of its map.
      if (type === 'S' && h[482] !== 0) {
        for (;;) {
          const ext = await bytes.take(TAR_BLOCK);
          if (ext.length < TAR_BLOCK) throw cut(`in the sparse map after byte ${at}`);
          if (ext[504] === 0) break;
        }
      }
      const path = name.replace(/^(?:\.\/+)+/, '');
      const regular = (type === '0' || type === '\0' || type === '7' || type === 'S') && !name.endsWith('/');
      let left = size;
      if (regular && sparseMap) {
        const map = await sparseMapSize(bytes, size);
        if (map === 'cut') throw cut(`in the sparse map of ${path}`);
        if (map === undefined) throw corrupt(`damaged sparse map after the tar header at byte ${at}`);
        left -= map;
      }
      if (regular && path && climbs(path)) {
        // Nothing is written from an archive, but a member named to land outside it is a sign of
        // a crafted archive the user should know of: a problem of its own, never read.
        files++;
        const member = `${archive}:${path}`;
        // Its data fails when read, as a member that cannot be read does.
        const refused: AsyncIterable<Buffer> = {
          [Symbol.asyncIterator]: () => ({
            next: () => Promise.reject(new ScsDoctorError('INPUT_UNREADABLE', `${member}: a member whose path leaves the archive (a \`..\` part or an absolute path) is not read`, { file: member })),
          }),
        };
        yield { path, data: refused };
      } else if (regular && path && !hidden(path)) {
        files++;
        // A sparse file's data is its stored pieces without the holes: holes are NULs, which a log
        // reader drops anyway, so the text reads as the file's.
        const data = async function* (): AsyncGenerator<Buffer> {
          while (left > 0) {
            const p = await bytes.piece(Math.min(left, PIECE));
            if (!p.length) throw cut(`in ${path}`);
            left -= p.length;
            yield p;
          }
        };
        yield { path, data: data() };
      }
      const rest = left + padding(size);
      if ((await bytes.skip(rest)) < rest) throw cut(`in ${path || `the member at byte ${at}`}`);
    }
    // What follows the end-of-archive blocks (a record's zero padding) is read to the end, so that
    // damage there is still found: garbage after a .tar.gz's gzip stream is reported, not passed over.
    while ((await bytes.skip(PIECE)) > 0);
    if (files === 0) throw new ScsDoctorError('INPUT_NOT_FOUND', `${archive}: the tar archive holds no files`, { file: archive });
  } finally {
    await bytes.close();
  }
}
