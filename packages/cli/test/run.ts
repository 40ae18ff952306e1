import { PassThrough, Readable } from 'node:stream';
import { main, type Io } from '../src/main.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in process with captured streams. */
export async function run(args: string[], options: { stdin?: string; cwd?: string; stderrIsTTY?: boolean } = {}): Promise<Run> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  const io: Io = {
    stdout: out,
    stderr: err,
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    stderrIsTTY: options.stderrIsTTY ?? false,
  };
  const code = await main(args, io);
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errChunks).toString('utf8') };
}
