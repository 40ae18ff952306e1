#!/usr/bin/env node
/**
 * A real S3-compatible server on loopback for the adapters' tests: OpenStack Swift with its s3api
 * layer, configured into a temporary folder (nothing under /etc is edited; Swift reads the
 * packaged /etc/swift/swift.conf as it is): one ring per server with one device, a proxy whose
 * pipeline holds s3api and tempauth. Install it with scripts/install-s3-server.sh.
 *
 *   node scripts/s3-server.mjs [--port 9000] [--dir DIR] [--keep]
 *
 * Prints the endpoint (e.g. `http://127.0.0.1:9000`) alone on the first line of standard output
 * once `GET /healthcheck` answers 200 and the storage servers accept connections; logs go to
 * standard error. Stops the four Swift processes on SIGTERM / SIGINT, and when standard input
 * closes if started with `--stop-on-stdin-close` (so a parent that dies cannot leak them).
 * S3 credentials: access key `test:tester`, secret `testing`, region `us-east-1`; `test:reader` /
 * `reading` signs correctly but is refused every bucket (AccessDenied).
 *
 * The proxy port is `--port`, else $SCS_DOCTOR_S3_PORT (a free one is picked when that port is
 * taken), else a free port the kernel hands out; the storage servers always get free ports. Swift
 * binds with SO_REUSEPORT, so a second Swift on the same port would share its traffic: the server
 * counts as ready only once every socket listening on its four ports belongs to its own processes
 * (read from /proc on Linux), so two test runs can never talk to each other's servers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync, existsSync, accessSync, constants } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const S3_ACCESS_KEY_ID = 'test:tester';
export const S3_SECRET_ACCESS_KEY = 'testing';
export const S3_REGION = 'us-east-1';
/** A user that is refused every bucket of `test:tester` (AccessDenied). */
export const S3_READER_ACCESS_KEY_ID = 'test:reader';
export const S3_READER_SECRET = 'reading';

const BINARIES = ['swift-proxy-server', 'swift-account-server', 'swift-container-server', 'swift-object-server'];

/** Full path of an executable on PATH, or undefined. */
function which(bin) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Swift's binaries, or an Error that says how to install them. */
export function findSwift() {
  const found = {};
  const missing = [];
  for (const b of BINARIES) {
    const p = which(b);
    if (p) found[b] = p;
    else missing.push(b);
  }
  if (missing.length) {
    return new Error(
      `OpenStack Swift is not installed (missing ${missing.join(', ')}). ` +
        `The S3 probe tests run against a real S3-compatible server: run \`bash scripts/install-s3-server.sh\` as root ` +
        `(apt-get install swift-proxy swift-object swift-container swift-account), or point SCS_DOCTOR_S3_ENDPOINT at a running one.`,
    );
  }
  return found;
}

/** The interpreter in a script's `#!` line (Debian's python3, which sees python3-swift). */
function interpreterOf(script) {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (!m) return '/usr/bin/python3';
  // `#!/usr/bin/env python3` → resolve python3 on PATH
  if (m[1].endsWith('/env') && m[2]) return which(m[2]) ?? m[2];
  return m[1];
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `preferred` when it is free, else any free port not already in `taken`. */
async function choosePort(preferred, taken) {
  if (preferred && !taken.has(preferred) && (await portFree(preferred))) return preferred;
  for (;;) {
    const p = await freePort();
    if (!taken.has(p)) return p;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function httpStatus(url, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function tcpOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Socket inodes of the processes' open descriptors (Linux /proc). */
function socketInodes(pids) {
  const out = new Set();
  for (const pid of pids) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) out.add(m[1]);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return out;
}

/**
 * Whether every socket listening on 127.0.0.1:`port` (or any address) belongs to `pids`: true,
 * false (someone else listens there too), or undefined where /proc cannot tell (not Linux).
 */
function ownsPort(port, pids) {
  let table;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined;
  }
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const listeners = [];
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '0A') continue; // 0A: LISTEN
    const [addr, p] = f[1].split(':');
    if (p === hex && (addr === '0100007F' || addr === '00000000')) listeners.push(f[9]);
  }
  if (listeners.length === 0) return undefined;
  const ours = socketInodes(pids);
  return listeners.every((inode) => ours.has(inode));
}

function storageConf(kind, dir, port, user) {
  return `[DEFAULT]
devices = ${dir}/node
mount_check = false
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
user = ${user}
swift_dir = ${dir}
log_level = WARNING
log_name = ${kind}-server

[pipeline:main]
pipeline = ${kind}-server

[app:${kind}-server]
use = egg:swift#${kind}
`;
}

function proxyConf(dir, port, backends, user) {
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
user = ${user}
swift_dir = ${dir}
log_level = WARNING
log_name = proxy-server

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

# Required in the pipeline even without memcached (s3api and tempauth look for it).
[filter:cache]
use = egg:swift#memcache

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:s3api]
use = egg:swift#s3api
location = ${S3_REGION}

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = ${S3_SECRET_ACCESS_KEY} .admin
# A second user of the same account without .admin: it may sign requests but not read the
# containers, as a service whose credentials lack the bucket policy (S3 answers AccessDenied).
user_test_reader = ${S3_READER_SECRET}

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo
# storage servers: account ${backends.account}, container ${backends.container}, object ${backends.object}
`;
}

// One ring per server kind, one device each: faster than three swift-ring-builder runs.
const RING_PY = `
import sys
from swift.common.ring import RingBuilder
swift_dir, account, container, obj = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for name, port in (('account', account), ('container', container), ('object', obj)):
    b = RingBuilder(6, 1, 1)
    b.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port, 'device': 'd1', 'weight': 100})
    b.rebalance()
    b.get_ring().save('%s/%s.ring.gz' % (swift_dir, name))
`;

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${err.trim()}`))));
  });
}

/**
 * Starts Swift with s3api on 127.0.0.1. Resolves to `{ endpoint, port, dir, pids, startMs, stop }`
 * once it answers; `stop()` sends SIGTERM to the four processes, waits for them, and removes the folder.
 * @param {{ port?: number, dir?: string, keep?: boolean, timeoutMs?: number, log?: (line: string) => void }} [options]
 */
export async function startS3Server(options = {}) {
  const t0 = Date.now();
  const log = options.log ?? ((line) => process.stderr.write(`s3-server: ${line}\n`));
  const bins = findSwift();
  if (bins instanceof Error) throw bins;
  const python = interpreterOf(bins['swift-proxy-server']);
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'scs-doctor-swift-'));
  mkdirSync(path.join(dir, 'node', 'd1'), { recursive: true });
  const user = os.userInfo().username;

  const taken = new Set();
  const want = options.port ?? (Number(process.env.SCS_DOCTOR_S3_PORT) || undefined);
  const port = await choosePort(want, taken);
  taken.add(port);
  if (want !== undefined && port !== want) log(`port ${want} is taken, using ${port}`);
  const backends = {};
  for (const kind of ['object', 'container', 'account']) {
    backends[kind] = await choosePort(undefined, taken);
    taken.add(backends[kind]);
  }

  await run(python, ['-c', RING_PY, dir, String(backends.account), String(backends.container), String(backends.object)]);
  for (const kind of ['account', 'container', 'object']) writeFileSync(path.join(dir, `${kind}-server.conf`), storageConf(kind, dir, backends[kind], user));
  writeFileSync(path.join(dir, 'proxy-server.conf'), proxyConf(dir, port, backends, user));

  // Started directly (no shell in between), so these PIDs are the servers'.
  const procs = [];
  const output = [];
  let stopping = false;
  for (const kind of ['account', 'container', 'object', 'proxy']) {
    const p = spawn(bins[`swift-${kind}-server`], [path.join(dir, `${kind}-server.conf`)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d) => {
      output.push(`[${kind}] ${d}`);
      if (output.length > 200) output.shift();
    };
    p.stdout.on('data', keep);
    p.stderr.on('data', keep);
    p.on('exit', (code, signal) => {
      if (!stopping) log(`swift-${kind}-server exited early (${signal ?? code})`);
    });
    procs.push({ kind, proc: p });
  }

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const exits = procs.map(({ proc }) => (proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', r))));
    for (const { proc } of procs) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const { proc } of procs) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }, 5000);
    await Promise.all(exits);
    clearTimeout(timer);
    if (!options.keep && !options.dir) rmSync(dir, { recursive: true, force: true });
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const dead = procs.find(({ proc }) => proc.exitCode !== null || proc.signalCode !== null);
    if (dead) {
      await stop();
      throw new Error(`swift-${dead.kind}-server exited during start-up:\n${output.join('').slice(-4000)}`);
    }
    if ((await httpStatus(`${endpoint}/healthcheck`)) === 200) {
      const up = await Promise.all(Object.values(backends).map(tcpOpen));
      if (up.every(Boolean)) {
        const foreign = [port, ...Object.values(backends)].filter(
          (p) =>
            ownsPort(
              p,
              procs.map(({ proc }) => proc.pid),
            ) === false,
        );
        if (foreign.length === 0) break;
        await stop();
        throw new Error(`another process also listens on port ${foreign.join(', ')} (SO_REUSEPORT): refusing to share it`);
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Swift did not answer ${endpoint}/healthcheck within ${options.timeoutMs ?? 60_000} ms:\n${output.join('').slice(-4000)}`);
    }
    await sleep(100);
  }
  const startMs = Date.now() - t0;
  log(`ready at ${endpoint} in ${startMs} ms (dir ${dir})`);
  return { endpoint, port, dir, pids: procs.map(({ proc }) => proc.pid), startMs, stop };
}

function parseArgs(argv) {
  const out = { keep: false, stopOnStdinClose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') out.port = Number(argv[++i]);
    else if (a === '--dir') out.dir = argv[++i];
    else if (a === '--keep') out.keep = true;
    else if (a === '--stop-on-stdin-close') out.stopOnStdinClose = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (out.port !== undefined && !(Number.isInteger(out.port) && out.port > 0 && out.port < 65536)) throw new Error('--port needs a port number');
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`s3-server: ${e.message}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write('usage: node scripts/s3-server.mjs [--port N] [--dir DIR] [--keep] [--stop-on-stdin-close]\n');
    process.exit(0);
  }
  if (args.dir && existsSync(args.dir) === false) mkdirSync(args.dir, { recursive: true });
  let server;
  let exiting = false;
  const shutdown = async (why) => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(`s3-server: stopping (${why})\n`);
    // While starting, the start-up below sees `exiting` and stops what it started.
    if (!server) return;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (args.stopOnStdinClose) {
    process.stdin.on('end', () => void shutdown('stdin closed'));
    process.stdin.on('error', () => void shutdown('stdin error'));
    process.stdin.resume();
  }
  try {
    server = await startS3Server(args);
  } catch (e) {
    process.stderr.write(`s3-server: ${e.message}\n`);
    process.exit(1);
  }
  if (exiting) {
    await server.stop();
    process.exit(0);
  } else {
    process.stdout.write(`${server.endpoint}\n`);
    process.stderr.write(`s3-server: access key ${S3_ACCESS_KEY_ID}, secret ${S3_SECRET_ACCESS_KEY}, region ${S3_REGION}; ` + `for a fast test loop: export SCS_DOCTOR_S3_ENDPOINT=${server.endpoint}\n`);
  }
}
