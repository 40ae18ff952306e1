/**
 * Inputs: files, directories (recursive), globs expanded here (so a quoted glob works), and `-`
 * for standard input. Gzip is recognised by its magic bytes, whatever the file is called.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import fg from 'fast-glob';
import { ScsDoctorError } from '@scs-doctor/core';

export interface InputRef {
  /** Name used in reports and evidence (the path as given, or `-`). */
  name: string;
  /** Absolute path, or undefined for standard input. */
  path?: string | undefined;
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
    default:
      return (e as Error).message ?? code;
  }
}

/** Expands arguments to a sorted, de-duplicated list of inputs. Never throws for a bad path. */
export async function expandInputs(args: readonly string[], cwd = process.cwd()): Promise<ExpandResult> {
  const inputs: InputRef[] = [];
  const missing: ExpandResult['missing'] = [];
  const seen = new Set<string>();
  const add = (name: string, abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
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
      const found = await fg('**/*', { cwd: abs, onlyFiles: true, dot: false, followSymbolicLinks: true, suppressErrors: true, absolute: true });
      found.sort();
      if (found.length === 0) missing.push({ arg, code: 'INPUT_NOT_FOUND', message: `${arg}: directory holds no files` });
      for (const f of found) add(path.join(arg, path.relative(abs, f)), f);
      continue;
    }
    if (stat) {
      add(arg, abs);
      continue;
    }
    const pattern = arg.split(path.sep).join('/');
    const found = await fg(pattern, { cwd, onlyFiles: true, dot: false, followSymbolicLinks: true, suppressErrors: true, absolute: true });
    found.sort();
    if (found.length === 0) missing.push({ arg, code: 'INPUT_NOT_FOUND', message: `${arg}: the pattern matches no file` });
    // Names as the user wrote the pattern: relative to cwd, or absolute for an absolute pattern.
    for (const f of found) add(path.isAbsolute(arg) ? f : path.relative(cwd, f) || f, f);
  }
  return { inputs, missing };
}

/**
 * Opens an input as a stream of UTF-8 bytes: gunzipped when it starts with the gzip magic (any
 * name), a byte-order mark dropped, UTF-16 (PowerShell's `>` writes it) converted.
 */
export async function openInput(input: InputRef, stdin: NodeJS.ReadableStream = process.stdin): Promise<AsyncIterable<Buffer>> {
  const raw: Readable = input.path === undefined ? Readable.from(stdin as AsyncIterable<Buffer>) : createReadStream(input.path, { highWaterMark: 1 << 20 });
  if (input.path !== undefined) {
    // Fail here, with a reason, rather than inside the stream.
    try {
      const fh = await fs.open(input.path, 'r');
      await fh.close();
    } catch (e) {
      raw.destroy();
      throw new ScsDoctorError(errno(e) === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', `${input.name}: ${describe(e)}`, { file: input.name });
    }
  }
  return textOf(decompress(raw, input.name), input.name);
}

/** Compressions recognised by their magic bytes but not read: the user must decompress first. */
const UNSUPPORTED: { name: string; magic: number[] }[] = [
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68] },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
];

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

async function* decompress(raw: Readable, name: string): AsyncGenerator<Buffer> {
  const { head, rest } = await peek(raw, 6, name, () => raw.destroy());
  for (const u of UNSUPPORTED) {
    if (head.length >= u.magic.length && u.magic.every((b, i) => head[i] === b)) {
      raw.destroy();
      throw new ScsDoctorError('INPUT_UNREADABLE', `${name}: compressed with ${u.name}, which scs-doctor does not read; decompress it first`, { file: name });
    }
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    // Concatenated members (`cat a.gz b.gz`) are read one after another, as gunzip does.
    const gunzip = createGunzip();
    const feed = (async () => {
      try {
        if (!gunzip.write(head)) await new Promise((r) => gunzip.once('drain', r));
        for await (const chunk of rest) if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    try {
      for await (const out of gunzip) yield out as Buffer;
    } catch (e) {
      throw new ScsDoctorError('INPUT_CORRUPT', `${name}: gzip data is damaged or cut short (${(e as Error).message})`, { file: name });
    } finally {
      raw.destroy();
      await feed.catch(() => undefined);
    }
    return;
  }
  if (head.length) yield head;
  try {
    for await (const chunk of rest) yield chunk;
  } catch (e) {
    throw new ScsDoctorError('INPUT_UNREADABLE', `${name}: ${describe(e)}`, { file: name });
  }
}

/** Drops a UTF-8 byte-order mark; converts UTF-16 (told by its byte-order mark) to UTF-8. */
async function* textOf(bytes: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const { head, rest } = await peek(bytes, 3, name);
  const utf16 = head.length >= 2 && head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head.length >= 2 && head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : undefined;
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
