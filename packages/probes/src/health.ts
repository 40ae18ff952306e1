/**
 * The SCS health probe: `GET /health/readiness` and `GET /health/liveness` on the service's port
 * (8000 by default; domain facts: "Secure Connection Service"). Each endpoint gives one record whose
 * outcome tells the failures apart: `refused` (nothing listens), `timeout` (no answer in time),
 * `http-error` (a non-2xx answer), `slow` (2xx, but later than the slow threshold), `unreachable`
 * (the name does not resolve, the network is down) and `ok`. Only GET is sent, once, with a
 * bounded timeout; the answer's body is not read beyond its status.
 */
import http from 'node:http';
import https from 'node:https';
import type { ProbeRecord } from '@scs-doctor/core/internal';
import type { Probe } from './index.js';

export const SCS_HEALTH_PROBE = 'scs-health';
export const SCS_HEALTH_PATHS = ['/health/readiness', '/health/liveness'] as const;

export interface HealthProbeOptions {
  /** The SCS base URL, e.g. `http://secure-connection-service:8000`. */
  url: string;
  /** Time allowed for one request, connection included (default 5 s). */
  timeoutMs?: number | undefined;
  /** A 2xx answer later than this is `slow` (default 2 s). */
  slowMs?: number | undefined;
}

type Outcome = 'ok' | 'slow' | 'http-error' | 'timeout' | 'refused' | 'unreachable';

interface Answer {
  outcome: Outcome;
  status?: number;
  reason: string;
  elapsedMs: number;
}

function get(url: URL, timeoutMs: number): Promise<{ status: number; elapsedMs: number } | { error: string; elapsedMs: number }> {
  const t0 = performance.now();
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: { status: number } | { error: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...v, elapsedMs: Math.round(performance.now() - t0) });
    };
    // One bound for the whole exchange: connect, headers and all.
    const timer = setTimeout(() => {
      finish({ error: 'TimeoutError' });
      req.destroy();
    }, timeoutMs);
    const req = lib.get(url, { agent: false, headers: { accept: 'application/json' } }, (res) => {
      finish({ status: res.statusCode ?? 0 });
      res.resume();
      res.on('error', () => undefined);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? (e as { errors?: NodeJS.ErrnoException[] }).errors?.[0]?.code ?? e.name;
      finish({ error: code });
    });
  });
}

function classify(r: Awaited<ReturnType<typeof get>>, slowMs: number): Answer {
  if ('error' in r) {
    const outcome: Outcome = r.error === 'TimeoutError' ? 'timeout' : r.error === 'ECONNREFUSED' ? 'refused' : 'unreachable';
    return { outcome, reason: r.error, elapsedMs: r.elapsedMs };
  }
  if (r.status < 200 || r.status > 299) return { outcome: 'http-error', status: r.status, reason: `HTTP${r.status}`, elapsedMs: r.elapsedMs };
  if (r.elapsedMs > slowMs) return { outcome: 'slow', status: r.status, reason: 'Slow', elapsedMs: r.elapsedMs };
  return { outcome: 'ok', status: r.status, reason: 'OK', elapsedMs: r.elapsedMs };
}

function words(a: Answer, timeoutMs: number, slowMs: number): string {
  switch (a.outcome) {
    case 'refused':
      return 'connection refused (ECONNREFUSED)';
    case 'timeout':
      return `no answer within ${timeoutMs} ms (TimeoutError)`;
    case 'unreachable':
      return `cannot be reached (${a.reason})`;
    case 'http-error':
      return `answered HTTP ${a.status}`;
    case 'slow':
      return `answered HTTP ${a.status} after ${a.elapsedMs} ms, over ${slowMs} ms`;
    case 'ok':
      return `answered HTTP ${a.status} in ${a.elapsedMs} ms`;
  }
}

/** The URL as shown: without user info, query or fragment. */
function shown(u: URL): string {
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/**
 * Creates the SCS health probe (two records: readiness, then liveness).
 * @example const records = await createHealthProbe({ url: 'http://secure-connection-service:8000' }).run();
 */
export function createHealthProbe(options: HealthProbeOptions): Probe {
  const timeoutMs = options.timeoutMs ?? 5000;
  const slowMs = options.slowMs ?? 2000;
  return {
    name: 'health',
    async run(): Promise<ProbeRecord[]> {
      const base = new URL(options.url);
      base.username = '';
      base.password = '';
      const records: ProbeRecord[] = [];
      for (const p of SCS_HEALTH_PATHS) {
        const url = new URL(p, base);
        const endpoint = p.slice('/health/'.length);
        const a = classify(await get(url, timeoutMs), slowMs);
        const target = shown(url);
        records.push({
          kind: 'probe',
          probe: SCS_HEALTH_PROBE,
          target,
          outcome: a.outcome,
          message:
            a.outcome === 'ok'
              ? `SCS ${endpoint} endpoint ${target} ${words(a, timeoutMs, slowMs)}`
              : a.outcome === 'slow'
                ? `SCS ${endpoint} endpoint ${target} is slow: ${words(a, timeoutMs, slowMs)}`
                : `SCS ${endpoint} endpoint ${target} failed: ${a.reason}: ${words(a, timeoutMs, slowMs)}`,
          fields: {
            url: target,
            endpoint,
            reason: a.reason,
            elapsedMs: a.elapsedMs,
            timeoutMs,
            slowMs,
            ...(a.status !== undefined ? { httpStatus: a.status } : {}),
          },
          time: new Date().toISOString(),
        });
      }
      return records;
    },
  };
}
