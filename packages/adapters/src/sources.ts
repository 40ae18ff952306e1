/**
 * Inputs: files, directories (recursive), globs expanded here (so a quoted glob works), and `-`
 * for standard input. Gzip is recognised by its magic bytes, whatever the file is called; a tar
 * archive (plain or gzipped) by its header, and each regular file in it is a log of its own.
 */
import nodeFs, { createReadStream, promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ScsDoctorError } from '@scs-doctor/core/internal';
import { DEFAULT_MAX_INFLATED_BYTES, gunzipStream } from './gunzip.js';
import { isTarHeader, TAR_BLOCK, tarMembers } from './tar.js';

export interface InputRef {
  /** Name used in reports and evidence (the path as given, or `-`). */
  name: string;
  /** Absolute path, or undefined for standard input. */
  path?: string | undefined;
}

export interface InputLimits {
  /** Most bytes a gzip input (or member) decompresses to before it is cut with `INPUT_TOO_LARGE` (default 1 GiB). */
  maxInflatedBytes?: number | undefined;
}

export interface ExpandResult {
  inputs: InputRef[];
  /** Arguments that named nothing readable, with the reason. */
  missing: { arg: string; code: 'INPUT_NOT_FOUND' | 'INPUT_UNREADABLE'; message: string }[];
}

const GLOB_CHARS = /[*?[\]{}]/;

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'EIO';
}

function describe(e: unknown): string {
  const code = errno(e);
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links (a link loop)';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory (a part of the path is a file)';
    case 'ENXIO':
      return 'not a regular file (a socket or a device without a reader)';
    default:
      return (e as Error).message ?? code;
  }
}

/**
 * The files under a directory, links followed, sorted. A directory reached twice (a link back up
 * the tree: `dir/link -> dir`) is walked once; a broken or looping link and a directory that
 * cannot be listed are returned with their error instead of being passed over. Dot files,
 * sockets, FIFOs and devices are not inputs.
 */
async function walk(root: string): Promise<{ files: string[]; bad: { path: string; why: string }[] }> {
  const files: string[] = [];
  const bad: { path: string; why: string }[] = [];
  const walked = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      const real = await fs.realpath(dir);
      if (walked.has(real)) return;
      walked.add(real);
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      bad.push({ path: dir, why: describe(e) });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = await fs.stat(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (e) {
          bad.push({ path: p, why: errno(e) === 'ENOENT' ? 'a link to a file that does not exist' : describe(e) });
          continue;
        }
      }
      if (isDir) await visit(p);
      else if (isFile) files.push(p);
    }
  };
  await visit(root);
  return { files: files.sort(), bad: bad.sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

/**
 * fast-glob with links followed, each directory listed once however many names reach it: two
 * links back up the tree (`a -> .`, `b -> .`) would otherwise make a number of paths that grows
 * with every level (`a/b/a/b/…`) and never ends. A directory reached again lists as empty.
 */
export async function globFiles(pattern: string, options: { cwd: string; absolute?: boolean; ignore?: string[] }): Promise<string[]> {
  const listed = new Set<string>();
  /** True the first time a directory's real path is asked for; a path that cannot be resolved is listed (its error tells). */
  const first = (dir: string | Buffer | URL): boolean => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return true;
    }
    if (listed.has(real)) return false;
    listed.add(real);
    return true;
  };
  const readdir = ((dir: string, opts: unknown, cb: (e: NodeJS.ErrnoException | null, entries: unknown[]) => void) => {
    if (!first(dir)) return process.nextTick(cb, null, []);
    return (nodeFs.readdir as unknown as (d: string, o: unknown, c: typeof cb) => void)(dir, opts, cb);
  }) as unknown as typeof nodeFs.readdir;
  const readdirSync = ((dir: string, opts: unknown) => (first(dir) ? (nodeFs.readdirSync as unknown as (d: string, o: unknown) => unknown)(dir, opts) : [])) as unknown as typeof nodeFs.readdirSync;
  // fast-glob (and its matchers) is loaded with the first pattern: plain files and directories do not need it.
  const { default: fg } = await import('fast-glob');
  return fg(pattern, {
    cwd: options.cwd,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: true,
    suppressErrors: true,
    absolute: options.absolute ?? false,
    ignore: options.ignore ?? [],
    fs: { readdir, readdirSync },
  });
}

/** The file a path names after links are followed, to read each file once however it is named. */
async function identity(abs: string): Promise<string> {
  try {
    return await fs.realpath(abs);
  } catch {
    return abs;
  }
}

/**
 * Expands arguments to a sorted, de-duplicated list of inputs. Never throws for a bad path.
 *
 * @example
 * ```ts
 * const { inputs, missing } = await expandInputs(['logs/', '*.log.gz']);
 * ```
 */
export async function expandInputs(args: readonly string[], cwd = process.cwd()): Promise<ExpandResult> {
  const inputs: InputRef[] = [];
  const missing: ExpandResult['missing'] = [];
  const seen = new Set<string>();
  const add = async (name: string, abs: string) => {
    const id = await identity(abs);
    if (seen.has(id)) return;
    seen.add(id);
    inputs.push({ name, path: abs });
  };
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ name: '-' });
      continue;
    }
    const abs = path.resolve(cwd, arg);
    let stat: import('node:fs').Stats | undefined;
    try {
      stat = await fs.stat(abs);
    } catch (e) {
      if (!GLOB_CHARS.test(arg) || errno(e) !== 'ENOENT') {
        missing.push({ arg, code: errno(e) === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', message: `${arg}: ${describe(e)}` });
        continue;
      }
    }
    if (stat?.isDirectory()) {
      const { files, bad } = await walk(abs);
      if (files.length === 0 && bad.length === 0) missing.push({ arg, code: 'INPUT_NOT_FOUND', message: `${arg}: directory holds no files` });
      for (const b of bad) {
        const name = path.join(arg, path.relative(abs, b.path));
        missing.push({ arg: name, code: 'INPUT_UNREADABLE', message: `${name}: ${b.why}` });
      }
      for (const f of files) await add(path.join(arg, path.relative(abs, f)), f);
      continue;
    }
    if (stat) {
      await add(arg, abs);
      continue;
    }
    const pattern = arg.split(path.sep).join('/');
    const found = await globFiles(pattern, { cwd, absolute: true });
    found.sort();
    if (found.length === 0) missing.push({ arg, code: 'INPUT_NOT_FOUND', message: `${arg}: the pattern matches no file` });
    // A link loop under `**` names one file many times (`d/x`, `d/link/x`, …): keep its shortest name.
    const shortest = new Map<string, string>();
    for (const f of [...found].sort((a, b) => a.length - b.length)) {
      const id = await identity(f);
      if (!shortest.has(id)) shortest.set(id, f);
    }
    const kept = new Set(shortest.values());
    // Names as the user wrote the pattern: relative to cwd, or absolute for an absolute pattern.
    for (const f of found) if (kept.has(f)) await add(path.isAbsolute(arg) ? f : path.relative(cwd, f) || f, f);
  }
  return { inputs, missing };
}

/** The input's bytes as stored. Fails here, with a reason, rather than inside the stream. */
async function rawOf(input: InputRef, stdin: NodeJS.ReadableStream): Promise<Readable> {
  if (input.path !== undefined) {
    // The stream is made after this check: one made before it opens the file too, and its
    // 'error' has no listener (a crash).
    try {
      const fh = await fs.open(input.path, 'r');
      await fh.close();
    } catch (e) {
      throw new ScsDoctorError(errno(e) === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', `${input.name}: ${describe(e)}`, { file: input.name });
    }
  }
  return input.path === undefined ? Readable.from(stdin as AsyncIterable<Buffer>) : createReadStream(input.path, { highWaterMark: 1 << 20 });
}

/**
 * Opens an input as a stream of UTF-8 bytes: gunzipped when it starts with the gzip magic (any
 * name), a byte-order mark dropped, UTF-16 (PowerShell's `>` writes it) converted. One stream
 * is one file: a tar archive is refused (sync histories are read with this; logs are read with
 * `openLogInputs`, which opens archives).
 *
 * @example
 * ```ts
 * for await (const chunk of await openInput({ name: 'history.json.gz', path: 'history.json.gz' })) total += chunk.length;
 * ```
 */
export async function openInput(input: InputRef, stdin: NodeJS.ReadableStream = process.stdin, limits: InputLimits = {}): Promise<AsyncIterable<Buffer>> {
  const raw = await rawOf(input, stdin);
  return textOf(
    notTar(
      decompress(raw, input.name, () => raw.destroy(), limits.maxInflatedBytes),
      input.name,
    ),
    input.name,
  );
}

async function* notTar(bytes: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const ahead = await lookAhead(bytes, TAR_BLOCK);
  if (isTarHeader(ahead.head)) {
    await ahead.close();
    throw new ScsDoctorError('INPUT_UNREADABLE', `${name}: a tar archive; only logs are read from archives: extract the sync history and pass that file`, { file: name });
  }
  yield* ahead.rest;
}

/** One log to read: a file, standard input, or a regular file in a tar archive (`<archive>:<path>`). */
export interface LogPart {
  name: string;
  /** UTF-8 bytes, as `openInput` gives them. Read it to the end before asking for the next part. */
  stream: AsyncIterable<Buffer>;
}

/**
 * Opens a log input as the logs it holds: itself, or when it is a tar archive (plain or
 * gzipped, told by its header) each regular file in it, named `<archive>:<path>`. Members are
 * streamed, never held whole; each is decompressed and decoded as a file would be, and one in a
 * format that is not read fails alone (from its stream, naming it). An error of the archive
 * itself (a damaged header, cut short) is thrown naming the archive, after the members before it.
 *
 * @example
 * ```ts
 * const { inputs } = await expandInputs(['bundle.tar.gz', 'logs/*.log']);
 * for (const input of inputs) for await (const part of openLogInputs(input)) await readLogStream(part.stream, part.name, session);
 * ```
 */
export async function* openLogInputs(input: InputRef, stdin: NodeJS.ReadableStream = process.stdin, limits: InputLimits = {}): AsyncGenerator<LogPart> {
  const raw = await rawOf(input, stdin);
  try {
    const ahead = await lookAhead(
      decompress(raw, input.name, () => raw.destroy(), limits.maxInflatedBytes),
      TAR_BLOCK,
    );
    if (!isTarHeader(ahead.head)) {
      yield { name: input.name, stream: textOf(ahead.rest, input.name) };
      return;
    }
    for await (const m of tarMembers(ahead.rest, input.name)) {
      const name = `${input.name}:${m.path}`;
      yield { name, stream: memberText(m.data, name, limits.maxInflatedBytes) };
    }
  } finally {
    raw.destroy();
  }
}

/** A member as a file: decompressed, refused in a format not read (an archive in the archive too), decoded. */
async function* memberText(data: AsyncIterable<Buffer>, name: string, maxInflated: number | undefined): AsyncGenerator<Buffer> {
  // The archive reads on past the member itself: nothing to close.
  const ahead = await lookAhead(
    decompress(data, name, () => undefined, maxInflated),
    TAR_BLOCK,
  );
  if (isTarHeader(ahead.head)) {
    await ahead.close();
    throw new ScsDoctorError('INPUT_UNREADABLE', `${name}: a tar archive inside the archive, which scs-doctor does not read; extract it first`, { file: name });
  }
  yield* textOf(ahead.rest, name);
}

/**
 * Reads up to `n` bytes ahead. An error met there waits until the bytes before it have been
 * read, so a gzip file cut short early still has its first lines read. `rest` is the whole
 * stream again, from its first byte; `close` ends the stream when `rest` is not read.
 */
async function lookAhead(stream: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; rest: AsyncGenerator<Buffer>; close: () => Promise<void> }> {
  const it = stream[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let got = 0;
  let failed = false;
  let error: unknown;
  let ended = false;
  try {
    while (got < n) {
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
  const close = async () => {
    if (!failed && !ended) await it.return?.();
  };
  async function* rest(): AsyncGenerator<Buffer> {
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
      await close();
    }
  }
  return { head, rest: rest(), close };
}

/** Reads the first `n` bytes (fewer at the end of the stream); returns them and the rest of the stream. */
async function peek(stream: AsyncIterable<Buffer>, n: number, name: string, onClose?: () => void): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < n) {
    let r: IteratorResult<Buffer>;
    try {
      r = await it.next();
    } catch (e) {
      if (e instanceof ScsDoctorError) throw e;
      throw new ScsDoctorError('INPUT_UNREADABLE', `${name}: ${describe(e)}`, { file: name });
    }
    if (r.done) break;
    head = head.length ? Buffer.concat([head, r.value]) : Buffer.from(r.value);
  }
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: () => it.next(),
      return: async () => {
        onClose?.();
        await it.return?.();
        return { done: true, value: undefined };
      },
    }),
  };
  return { head, rest };
}

/**
 * Gunzips a stream that starts with the gzip magic; passes anything else on. `close` ends the
 * source when reading stops early. An error that already names an input (an archive around this
 * member) is passed on as it is.
 */
async function* decompress(raw: AsyncIterable<Buffer>, name: string, close: () => void, maxInflated = DEFAULT_MAX_INFLATED_BYTES): AsyncGenerator<Buffer> {
  // Compressions and archives that are not read are told by the byte verdict (byte-verdict.ts),
  // which counts their lines as it refuses them.
  const { head, rest } = await peek(raw, 2, name, close);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    // Concatenated members (`cat a.gz b.gz`) are read one after another, as gunzip does.
    async function* whole(): AsyncGenerator<Buffer> {
      yield head;
      yield* rest;
    }
    try {
      yield* gunzipStream(whole(), name, maxInflated);
    } catch (e) {
      if (e instanceof ScsDoctorError) throw e;
      throw new ScsDoctorError('INPUT_CORRUPT', `${name}: gzip data is damaged or cut short (${(e as Error).message})`, { file: name });
    } finally {
      close();
    }
    return;
  }
  if (head.length) yield head;
  try {
    for await (const chunk of rest) yield chunk;
  } catch (e) {
    if (e instanceof ScsDoctorError) throw e;
    throw new ScsDoctorError('INPUT_UNREADABLE', `${name}: ${describe(e)}`, { file: name });
  }
}

/** Bytes looked at to tell UTF-16 without a byte-order mark. */
const UTF16_SNIFF = 64;

/**
 * UTF-16 without a byte-order mark (a file cut out of a longer one, or written by a tool that
 * leaves the mark out): text that is mostly ASCII has a zero in every other byte. Read as UTF-8,
 * every line would hold NULs and be skipped as binary.
 */
function utf16WithoutBom(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(Math.min(head.length, UTF16_SNIFF) / 2);
  if (pairs < 4) return undefined;
  let le = 0;
  let be = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] !== 0 && head[i + 1] === 0) le++;
    else if (head[i] === 0 && head[i + 1] !== 0) be++;
  }
  return le >= pairs * 0.9 ? 'utf-16le' : be >= pairs * 0.9 ? 'utf-16be' : undefined;
}

/** Drops a UTF-8 byte-order mark; converts UTF-16 (told by its byte-order mark, or by its zero bytes) to UTF-8. */
async function* textOf(bytes: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const { head, rest } = await peek(bytes, UTF16_SNIFF, name);
  const utf16 = head.length >= 2 && head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head.length >= 2 && head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : utf16WithoutBom(head);
  if (utf16) {
    const decoder = new TextDecoder(utf16); // drops the BOM
    yield Buffer.from(decoder.decode(head, { stream: true }), 'utf8');
    for await (const chunk of rest) yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
    const tail = decoder.decode();
    if (tail) yield Buffer.from(tail, 'utf8');
    return;
  }
  const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const first = bom ? head.subarray(3) : head;
  if (first.length) yield first;
  yield* rest;
}
