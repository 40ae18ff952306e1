/**
 * A large log generated on the fly: CRI lines of Python logging, mostly INFO noise, a failure with
 * a traceback every few thousand lines, and a line over 16 KiB cut into partials now and then.
 * Nothing is written to disk; chunks are produced as the reader asks for them.
 */
import { criFile, pythonText, writesOf, type LogEvent } from './producers.js';

const BLOCK_EVENTS = (i: number): LogEvent[] => {
  const t = new Date(Date.UTC(2026, 4, 12, 0, 0, 0) + i * 1000).toISOString();
  const noise: LogEvent[] = Array.from({ length: 400 }, (_, k) => ({
    time: t,
    level: 'INFO',
    logger: k % 3 === 0 ? 'uvicorn.access' : 'scs.sync.sender',
    message: k % 3 === 0 ? `10.42.0.${k % 250}:5${k} - "GET /health/liveness HTTP/1.1" 200` : `copy_object ok bucket=scs-outbox key=acme-to-initech/shard0/objects/${i}-${k} size=${k * 1024}`,
    fields: { connection_id: 'c-19bd04' },
  }));
  noise.push({
    time: t,
    level: 'ERROR',
    logger: 'scs.sync.sender',
    fields: { connection_id: 'c-7f3a1e', direction: 'sending' },
    message: 'sync failed: shared secret unavailable: InvalidToken',
    exc: 'Traceback (most recent call last):\n  File "/app/scs/crypto.py", line 61, in decrypt\n    return self._fernet.decrypt(token)\ncryptography.fernet.InvalidToken',
  });
  noise.push({ time: t, level: 'DEBUG', logger: 'scs.sync.receiver', message: `manifest listing ${'objects/0000-5d1e2c7a9b3f,'.repeat(900)}` });
  return noise;
};

/** One block of bytes (~50 KB) and the number of failures it holds. */
export function block(i: number): Buffer {
  return criFile(writesOf(BLOCK_EVENTS(i), pythonText));
}

/** Yields `totalBytes` (rounded up to a block) of generated CRI log, in chunks of about 1 MiB. */
export async function* bigLog(totalBytes: number, counter?: { blocks: number }): AsyncGenerator<Buffer> {
  // A handful of distinct blocks, reused: generation must not cost more than reading.
  const pool = Array.from({ length: 8 }, (_, i) => block(i));
  let sent = 0;
  let i = 0;
  const parts: Buffer[] = [];
  let size = 0;
  while (sent < totalBytes) {
    const b = pool[i % pool.length]!;
    i++;
    parts.push(b);
    size += b.length;
    if (size >= 1 << 20) {
      const chunk = Buffer.concat(parts);
      parts.length = 0;
      sent += size;
      size = 0;
      yield chunk;
    }
  }
  if (parts.length) yield Buffer.concat(parts);
  if (counter) counter.blocks = i;
}
