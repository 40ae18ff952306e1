/**
 * Reads the lines of evidence again, through the same sources layer the run read them with: a
 * plain file, a gzip file, a member of a tar archive (`<archive>:<path>`, gzipped or not), or a
 * copy of standard input the caller kept (standard input itself cannot be read twice). Only the
 * lines asked for are kept, so a large input costs a stream, not its size in memory.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { openLogInputs, type InputLimits, type InputRef } from './sources.js';

/** Lines `from`..`to` (1-based, inclusive) of one evidence file, as the run named it. */
export interface LineWindow {
  file: string;
  from: number;
  to: number;
}

export interface EvidenceLinesOptions extends InputLimits {
  cwd?: string | undefined;
  /** A kept copy of standard input (a file), for evidence named `-`. */
  stdinCopy?: string | undefined;
}

/** The lines found per file (line number → text, without its line end), or why the file could not be read again. */
export type EvidenceLines = Map<string, { lines: Map<number, string> } | { error: string }>;

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The input a name was read from: the file itself, or the archive before a `:` (its member after it). */
async function inputOf(name: string, options: EvidenceLinesOptions): Promise<InputRef | string> {
  const cwd = options.cwd ?? process.cwd();
  if (name === '-' || name.startsWith('-:')) return options.stdinCopy !== undefined ? { name: '-', path: options.stdinCopy } : 'standard input was not kept';
  if (await isFile(path.resolve(cwd, name))) return { name, path: path.resolve(cwd, name) };
  // `<archive>:<member>`: the archive is the longest prefix before a colon that is a file.
  for (let i = name.lastIndexOf(':'); i > 0; i = name.lastIndexOf(':', i - 1)) {
    const archive = name.slice(0, i);
    if (await isFile(path.resolve(cwd, archive))) return { name: archive, path: path.resolve(cwd, archive) };
  }
  return 'no such file any more';
}

/**
 * Reads the windows again. Every window's file gets an entry: its lines, or the reason it could not be read.
 *
 * @example
 * ```ts
 * const lines = await readEvidenceLines([{ file: 'scs.log', from: 10, to: 12 }]);
 * ```
 */
export async function readEvidenceLines(windows: readonly LineWindow[], options: EvidenceLinesOptions = {}): Promise<EvidenceLines> {
  const out: EvidenceLines = new Map();
  const byInput = new Map<string, { input: InputRef; files: Map<string, LineWindow[]> }>();
  const inputs = new Map<string, InputRef | string>();
  for (const w of windows) {
    if (!inputs.has(w.file)) inputs.set(w.file, await inputOf(w.file, options));
    const input = inputs.get(w.file)!;
    if (typeof input === 'string') {
      out.set(w.file, { error: input });
      continue;
    }
    const key = input.path ?? input.name;
    const entry = byInput.get(key) ?? { input, files: new Map<string, LineWindow[]>() };
    byInput.set(key, entry);
    entry.files.set(w.file, [...(entry.files.get(w.file) ?? []), w]);
  }
  for (const { input, files } of byInput.values()) {
    const found = new Set<string>();
    try {
      for await (const part of openLogInputs(input, undefined, options)) {
        const wanted = files.get(part.name);
        if (!wanted) {
          // Parts are read in order: one not asked for is read past.
          for await (const _ of part.stream);
          continue;
        }
        found.add(part.name);
        // The last part asked for may stop at its last window; any other is read to its end.
        const lastWanted = found.size === files.size;
        out.set(part.name, { lines: await keepLines(part.stream, wanted, lastWanted) });
        if (lastWanted) break;
      }
    } catch (e) {
      for (const f of files.keys()) if (!found.has(f)) out.set(f, { error: (e as Error).message });
    }
    for (const f of files.keys()) if (!out.has(f)) out.set(f, { error: 'no such member in the archive any more' });
  }
  return out;
}

/** The lines of a stream that fall in any window (a trailing `\r` dropped, as the reader does). */
async function keepLines(stream: AsyncIterable<Buffer>, windows: readonly LineWindow[], stopEarly: boolean): Promise<Map<number, string>> {
  const last = Math.max(...windows.map((w) => w.to));
  const want = (n: number) => windows.some((w) => w.from <= n && n <= w.to);
  const lines = new Map<number, string>();
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let n = 0;
  const take = (line: string) => {
    n++;
    if (want(n)) lines.set(n, line.endsWith('\r') ? line.slice(0, -1) : line);
  };
  for await (const chunk of stream) {
    if (n >= last) continue;
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl));
      start = nl + 1;
      if (n >= last) {
        if (stopEarly) return lines;
        break;
      }
    }
    carry = text.slice(start);
    // A line is kept only when asked for: an endless one is not held past the window.
    if (carry.length > 1 << 24 && !want(n + 1)) carry = '';
  }
  const rest = carry + decoder.end();
  if (rest !== '' && n < last) take(rest);
  return lines;
}
