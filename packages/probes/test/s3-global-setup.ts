/**
 * vitest globalSetup: a real S3-compatible server (OpenStack Swift with s3api) for the S3 probe
 * tests, started once per run with scripts/s3-server.mjs and stopped by the teardown this function
 * returns (vitest ignores a separately exported `teardown`).
 *
 * Fast loop: start one server yourself (`node scripts/s3-server.mjs`) and export
 * SCS_DOCTOR_S3_ENDPOINT=<the URL it prints>; the tests then reuse it.
 * Missing Swift fails the run with the install command: adapter tests use real parts, never a skip.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The S3 endpoint (`http://127.0.0.1:<port>`); access key test:tester, secret testing, region us-east-1. */
    s3Endpoint: string;
  }
}

const SCRIPT = fileURLToPath(new URL('../../../scripts/s3-server.mjs', import.meta.url));
const START_TIMEOUT_MS = 90_000;

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint.replace(/\/+$/, '')}/healthcheck`, { signal: AbortSignal.timeout(3000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const reuse = process.env['SCS_DOCTOR_S3_ENDPOINT'];
  if (reuse) {
    if (!(await healthy(reuse))) throw new Error(`SCS_DOCTOR_S3_ENDPOINT=${reuse} does not answer GET /healthcheck with 200: start it with \`node scripts/s3-server.mjs\` or unset the variable`);
    project.provide('s3Endpoint', reuse.replace(/\/+$/, ''));
    return undefined;
  }

  // A child process that stops Swift when its standard input closes, so even a killed test run
  // cannot leave the servers behind.
  const child = spawn(process.execPath, [SCRIPT, '--stop-on-stdin-close'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr += d;
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the S3 server did not start within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the S3 server (scripts/s3-server.mjs) exited with ${code} before it was ready:\n${stderr.trim()}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  }).catch(async (e: unknown) => {
    child.kill('SIGTERM');
    await exited;
    throw e;
  });

  project.provide('s3Endpoint', endpoint);
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
}
