/**
 * Exceptions as data: the chain of exceptions a record carries, parsed from the forms real
 * producers write — Python's traceback text (with its chained blocks), structlog's `exception`
 * string and `dict_tracebacks`, pino's `err` (with `cause`) and ECS's `error`. The chain runs
 * outermost first (the exception that was logged), root cause last.
 */
import type { ExceptionLink } from './schema/records.js';

export const TRACEBACK_HEADER = 'Traceback (most recent call last):';
const CAUSE_MARK = 'The above exception was the direct cause of the following exception:';
const CONTEXT_MARK = 'During handling of the above exception, another exception occurred:';
/** A chain is cut here: a cycle or a pathological log cannot make it grow without bound. */
const MAX_LINKS = 16;
const MAX_MESSAGE = 2000;

/** An exception line: `cryptography.fernet.InvalidToken`, `botocore.errorfactory.NoSuchKey: An error …`. */
const EXCEPTION_LINE = /^([A-Z_]\w*(?:\.[A-Z_]\w*)*)(?::[ \t]?(.*))?$/i;
/** A frame's header and what Python prints under it (source line, `^^^^` markers). */
const FRAME_LINE = /^\s+File "[^"]*", line \d+/;

function link(type: string, message: string, relation?: ExceptionLink['relation']): ExceptionLink {
  const dot = type.lastIndexOf('.');
  const out: ExceptionLink = { type, name: dot < 0 ? type : type.slice(dot + 1), message: message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message };
  if (relation) out.relation = relation;
  return out;
}

/**
 * The exception a traceback block ends with: the first line after the frames that is not indented
 * (the exception's message may go on over further lines).
 */
function blockException(lines: readonly string[]): { type: string; message: string } | undefined {
  let i = 0;
  while (i < lines.length && (lines[i]!.startsWith(' ') || lines[i]!.startsWith('\t') || lines[i] === '')) i++;
  // Frames are indented; the exception line is the first line at column 0.
  for (; i < lines.length; i++) {
    const m = EXCEPTION_LINE.exec(lines[i]!.trimEnd());
    if (!m) continue;
    const rest = lines
      .slice(i + 1)
      .join('\n')
      .trimEnd();
    const first = m[2] ?? '';
    return { type: m[1]!, message: rest ? `${first}\n${rest}` : first };
  }
  return undefined;
}

/**
 * The chain of Python traceback text (a logged record's continuation lines, structlog's
 * `exception` string, journald's MESSAGE). Undefined when the text holds no traceback.
 */
export function pythonChain(text: string): ExceptionLink[] | undefined {
  const start = text.indexOf(TRACEBACK_HEADER);
  if (start < 0) return undefined;
  const lines = text.slice(start).replace(/\r\n/g, '\n').split('\n');
  // Blocks in printed order: the root cause first, each followed by how the next one relates to it.
  const blocks: { lines: string[]; next?: ExceptionLink['relation'] }[] = [];
  let cur: string[] | undefined;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === TRACEBACK_HEADER.slice(0, -1) + ':' || line === TRACEBACK_HEADER) {
      cur = [];
      blocks.push({ lines: cur });
      continue;
    }
    if (line === CAUSE_MARK || line === CONTEXT_MARK) {
      const last = blocks[blocks.length - 1];
      if (last) {
        // The exception's message ends at the blank line Python prints before the mark.
        while (last.lines.length && last.lines[last.lines.length - 1] === '') last.lines.pop();
        last.next = line === CAUSE_MARK ? 'cause' : 'context';
      }
      cur = undefined;
      continue;
    }
    cur?.push(line);
  }
  const printed: { type: string; message: string; next?: ExceptionLink['relation'] }[] = [];
  for (const b of blocks) {
    const e = blockException(b.lines);
    if (e) printed.push({ ...e, ...(b.next ? { next: b.next } : {}) });
  }
  if (printed.length === 0) return undefined;
  // Outermost first: the last block printed is the exception that was logged.
  const out: ExceptionLink[] = [];
  for (let i = printed.length - 1; i >= 0 && out.length < MAX_LINKS; i--) {
    const p = printed[i]!;
    out.push(link(p.type, p.message.replace(/\n+$/, ''), i < printed.length - 1 ? p.next : undefined));
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * structlog's `dict_tracebacks`: `[{exc_type, exc_value, is_cause, frames}]`, outermost first;
 * `is_cause` tells whether an entry is the `__cause__` (raise … from) of the one before it.
 */
export function dictTracebackChain(v: unknown): ExceptionLink[] | undefined {
  if (!Array.isArray(v) || v.length === 0 || !v.every((e) => isObject(e) && typeof e['exc_type'] === 'string')) return undefined;
  const out: ExceptionLink[] = [];
  for (const [i, e] of (v as Record<string, unknown>[]).entries()) {
    if (out.length >= MAX_LINKS) break;
    const value = e['exc_value'];
    out.push(link(e['exc_type'] as string, typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value), i === 0 ? undefined : e['is_cause'] === true ? 'cause' : 'context'));
  }
  return out;
}

/** The class in a JavaScript stack's first line: `TypeError: message` → TypeError. */
const JS_HEAD = /^([A-Z_$][\w$.]*)(?:: ([^\n]*))?/i;

/**
 * pino's `err` and ECS's `error`: `{type, message, stack, cause?}`, the cause nested (pino's
 * `errWithCause`) or written into the stack as `caused by: …` lines (pino's default `err`).
 */
export function errorObjectChain(v: unknown): ExceptionLink[] | undefined {
  if (!isObject(v)) return undefined;
  const out: ExceptionLink[] = [];
  let cur: unknown = v;
  let relation: ExceptionLink['relation'] | undefined;
  const seen = new Set<unknown>();
  while (isObject(cur) && !seen.has(cur) && out.length < MAX_LINKS) {
    seen.add(cur);
    const stack = typeof cur['stack'] === 'string' ? cur['stack'] : typeof cur['stack_trace'] === 'string' ? cur['stack_trace'] : '';
    const head = JS_HEAD.exec(stack);
    const type = typeof cur['type'] === 'string' ? cur['type'] : typeof cur['name'] === 'string' ? cur['name'] : head?.[1];
    if (type === undefined) break;
    let message = typeof cur['message'] === 'string' ? cur['message'] : (head?.[2] ?? '');
    // pino's default serializer joins the causes' messages into the outer one (`outer: inner`).
    const nested = cur['cause'];
    if (!isObject(nested)) {
      const causes = stack.split(/\ncaused by: /);
      if (causes.length > 1) {
        const own = head?.[2];
        if (own !== undefined) message = own;
        out.push(link(type, message, relation));
        for (const c of causes.slice(1)) {
          if (out.length >= MAX_LINKS) break;
          const h = JS_HEAD.exec(c);
          if (h) out.push(link(h[1]!, h[2] ?? '', 'cause'));
        }
        return out;
      }
    }
    out.push(link(type, message, relation));
    cur = nested;
    relation = 'cause';
  }
  return out.length ? out : undefined;
}

/** The chain of an error-shaped value of any of the forms above (a string is read as traceback text). */
export function chainOf(v: unknown): ExceptionLink[] | undefined {
  if (typeof v === 'string') return pythonChain(v);
  return dictTracebackChain(v) ?? errorObjectChain(v);
}

/** Whether the line that holds `offset` is a traceback frame or the source code printed under it. */
export function onFrameLine(text: string, offset: number): boolean {
  if (text.indexOf('\n') < 0) return false;
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  if (FRAME_LINE.test(line)) return true;
  if (!/^\s/.test(line)) return false;
  // An indented line under a frame header: its source line, `^^^^` markers, or locals.
  for (let e = start - 1; e > 0;) {
    const s = text.lastIndexOf('\n', e - 1) + 1;
    const prev = text.slice(s, e);
    if (FRAME_LINE.test(prev)) return true;
    if (!/^\s/.test(prev) || prev.trim() === '') return false;
    e = s - 1;
  }
  return false;
}

/**
 * Whether an exception of `name` (bare `InvalidToken` or qualified `cryptography.fernet.InvalidToken`)
 * is in the chain and explains the exception logged.
 */
export function chainHas(chain: readonly ExceptionLink[] | undefined, name: string, anchors: readonly string[] = []): boolean {
  if (!chain) return false;
  const bare = !name.includes('.');
  for (let i = 0; i < chain.length; i++) {
    const l = chain[i]!;
    if (bare ? l.name === name : l.type === name || l.type.endsWith('.' + name)) return true;
    // A cause (`raise … from e`) explains the exception before it. An exception that was being
    // handled when another one occurred (`During handling …`) does only when the one raised is
    // the program's own report of it — its message is what the anchors describe — and not
    // another failure (a fallback that failed differently).
    const next = chain[i + 1];
    if (!next || (next.relation === 'context' && !anchors.every((a) => l.message.includes(a)))) return false;
  }
  return false;
}

/**
 * Where the text names the exception outside traceback frames: a word of its own, as in `…:
 * InvalidToken`, `InvalidToken()`, `NoSuchKey('An error occurred (NoSuchKey) …')` or botocore's
 * `(NoSuchKey)`. -1 when it does not.
 */
export function exceptionInText(text: string, name: string): number {
  const bare = name.slice(name.lastIndexOf('.') + 1);
  // A traceback is read as a chain: the text before it is what the program said.
  const tb = text.indexOf(TRACEBACK_HEADER);
  const end = tb < 0 ? text.length : tb;
  for (let at = text.indexOf(bare); at >= 0 && at < end; at = text.indexOf(bare, at + 1)) {
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    const after = at + bare.length < text.length ? text.charCodeAt(at + bare.length) : 32;
    if (isWordChar(before) || isWordChar(after)) continue;
    if (!onFrameLine(text, at)) return at;
  }
  return -1;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The offset of the line that ends a traceback with the exception (the evidence for a rule that
 * needs it), or -1.
 */
export function exceptionLineOffset(text: string, name: string): number {
  const bare = name.slice(name.lastIndexOf('.') + 1);
  const re = /^[A-Z_][\w.]*/gim;
  let best = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const t = m[0];
    if (t === bare || t.endsWith('.' + bare)) {
      if (text.charCodeAt(m.index + t.length) === 58 /* : */ || m.index + t.length === text.length || text[m.index + t.length] === '\n' || text[m.index + t.length] === '\r') best = m.index;
    }
    if (re.lastIndex === m.index) re.lastIndex++;
  }
  return best;
}
