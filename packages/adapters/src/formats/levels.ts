import type { Level } from '@scs-doctor/core/internal';

const NAMES: Record<string, Level> = {
  trace: 'trace',
  debug: 'debug',
  dbg: 'debug',
  verbose: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  exception: 'error',
  critical: 'fatal',
  fatal: 'fatal',
  crit: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  panic: 'fatal',
};

/** Normalizes a level name (any case) or a number (pino 10–60, or Python 10–50). */
export function toLevel(v: unknown): Level | undefined {
  if (typeof v === 'number') {
    if (v >= 60) return 'fatal';
    if (v >= 50) return v === 50 ? 'error' : 'fatal';
    if (v >= 40) return 'warn';
    if (v >= 30) return 'info';
    if (v >= 20) return 'debug';
    if (v >= 10) return 'trace';
    return undefined;
  }
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (/^\d+$/.test(s)) return toLevel(Number(s));
    return NAMES[s];
  }
  return undefined;
}
