/**
 * Exception chains parsed from the forms real producers write. The traceback texts are cut from
 * logs CPython wrote (packages/adapters/test/fixtures/producers, made by gen.sh there).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chainHas, compileRules, dictTracebackChain, errorObjectChain, exceptionInText, onFrameLine, pythonChain, type Rule } from '../src/internal.js';

const producers = fileURLToPath(new URL('../../adapters/test/fixtures/producers/', import.meta.url));
const pythonLog = readFileSync(producers + 'python-logging.log', 'utf8');

/** The record of the Python log that starts with the line holding `marker`, with its traceback. */
function record(marker: string): string {
  const lines = pythonLog.split('\n');
  const at = lines.findIndex((l) => l.includes(marker));
  let end = at + 1;
  while (end < lines.length && !/^\d{4}-\d\d-\d\d /.test(lines[end]!)) end++;
  return lines.slice(at, end).join('\n');
}

describe('Python traceback text', () => {
  it('logger.exception with InvalidToken: the chain holds it and its context, outermost first', () => {
    const chain = pythonChain(record('connection_id=4f1c9a2e shared secret unavailable'))!;
    expect(chain.map((l) => [l.type, l.name, l.relation])).toEqual([
      ['cryptography.fernet.InvalidToken', 'InvalidToken', undefined],
      ['cryptography.exceptions.InvalidSignature', 'InvalidSignature', 'context'],
    ]);
    expect(chain[0]!.message).toBe('');
    expect(chain[1]!.message).toBe('Signature did not match digest.');
  });

  it('raise … from e: the cause is the second link', () => {
    const chain = pythonChain(record('sync failed for connection_id=9b07d1c3'))!;
    expect(chain.map((l) => `${l.name}/${l.relation ?? '-'}`)).toEqual(['SharedSecretUnavailable/-', 'InvalidToken/cause', 'InvalidSignature/context']);
    expect(chain[0]!.message).toBe('shared secret unavailable');
  });

  it('botocore NoSuchKey keeps its qualified type and message', () => {
    const chain = pythonChain(record('connection_id=7d2e0b44 properties read failed: An error'))!;
    expect(chain).toHaveLength(1);
    expect(chain[0]).toEqual({
      type: 'botocore.errorfactory.NoSuchKey',
      name: 'NoSuchKey',
      message: 'An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
    });
  });

  it('a message over several lines, and no traceback at all', () => {
    const chain = pythonChain('Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n    f()\nValueError: first line\nsecond line')!;
    expect(chain[0]!.message).toBe('first line\nsecond line');
    expect(pythonChain('sync failed: ValueError: x')).toBeUndefined();
  });

  it('frame and source lines are told apart from the message', () => {
    const text = record('sync failed for connection_id=9b07d1c3');
    expect(onFrameLine(text, text.indexOf('raise SharedSecretUnavailable'))).toBe(true);
    expect(onFrameLine(text, text.indexOf('File "'))).toBe(true);
    expect(onFrameLine(text, text.indexOf('SharedSecretUnavailable: shared'))).toBe(false);
    expect(onFrameLine(text, 0)).toBe(false);
  });
});

describe('structured exceptions', () => {
  it("structlog's dict_tracebacks, as structlog wrote it", () => {
    const line = readFileSync(producers + 'structlog-dict.log', 'utf8').split('\n')[2]!;
    const chain = dictTracebackChain((JSON.parse(line) as { exception: unknown }).exception)!;
    expect(chain.map((l) => `${l.name}/${l.relation ?? '-'}`)).toEqual(['SharedSecretUnavailable/-', 'InvalidToken/cause', 'InvalidSignature/context']);
  });

  it("pino's err: causes written into the stack, and nested (errWithCause)", () => {
    const lines = readFileSync(producers + 'pino.log', 'utf8').split('\n');
    const joined = errorObjectChain((JSON.parse(lines[1]!) as { err: unknown }).err)!;
    expect(joined.map((l) => [l.name, l.message, l.relation])).toEqual([
      ['Error', 'properties read failed', undefined],
      ['NoSuchKey', 'The specified key does not exist.', 'cause'],
    ]);
    const nested = errorObjectChain((JSON.parse(lines[2]!) as { err: unknown }).err)!;
    expect(nested.map((l) => `${l.name}/${l.relation ?? '-'}`)).toEqual(['Error/-', 'NoSuchKey/cause']);
  });

  it('a cyclic cause ends the chain', () => {
    const a: Record<string, unknown> = { type: 'Error', message: 'a' };
    a['cause'] = a;
    expect(errorObjectChain(a)).toHaveLength(1);
  });
});

describe('which links explain the exception logged', () => {
  const chain = [
    { type: 'botocore.exceptions.ClientError', name: 'ClientError', message: 'An error occurred (AccessDenied)' },
    { type: 'botocore.errorfactory.NoSuchKey', name: 'NoSuchKey', message: 'An error occurred (NoSuchKey)', relation: 'context' as const },
  ];
  it('a handled exception behind another failure does not; behind the program’s own report of it, it does', () => {
    expect(chainHas(chain, 'NoSuchKey', ['properties read failed'])).toBe(false);
    expect(chainHas([{ ...chain[0]!, message: 'properties read failed' }, chain[1]!], 'NoSuchKey', ['properties read failed'])).toBe(true);
    expect(chainHas([chain[0]!, { ...chain[1]!, relation: 'cause' }], 'botocore.errorfactory.NoSuchKey')).toBe(true);
    expect(chainHas(chain, 'Key')).toBe(false);
  });

  it('the message names an exception: bare, qualified, repr, botocore code; not inside another word or a traceback', () => {
    expect(exceptionInText('shared secret unavailable: InvalidToken()', 'InvalidToken')).toBeGreaterThan(0);
    expect(exceptionInText("read failed: NoSuchKey('An error occurred (NoSuchKey) …')", 'NoSuchKey')).toBe(13);
    expect(exceptionInText('x: cryptography.fernet.InvalidToken', 'InvalidToken')).toBeGreaterThan(0);
    expect(exceptionInText('x: InvalidTokenizer', 'InvalidToken')).toBe(-1);
    expect(exceptionInText('x\nTraceback (most recent call last):\nInvalidToken', 'InvalidToken')).toBe(-1);
  });
});

describe('signature.exception', () => {
  const rule = (signature: Rule['signature']): Rule => ({
    id: 'r',
    title: 't',
    severity: 'error',
    side: 'sending',
    category: 'c',
    references: ['x'],
    appliesTo: ['log'],
    signature,
    params: {},
    summary: 's',
    cause: 'c',
    impact: 'i',
    remediation: ['r'],
    groupBy: [],
    resolution: 'success',
    peer: [],
    explains: [],
  });
  const facts = (exceptions: unknown[] = []) => ({ kind: 'log', exceptions, params: {} });

  it('needs the exception in the chain or named by the message, beside the anchors; evidence on the message line', () => {
    const pack = compileRules([rule({ anchors: ['shared secret unavailable'], exception: 'InvalidToken' })]);
    const text = record('sync failed for connection_id=9b07d1c3');
    const m = pack.match('log', text, facts(pythonChain(text)));
    expect(m).toHaveLength(1);
    // The anchor also occurs in the source line `raise SharedSecretUnavailable("shared secret unavailable")`.
    expect(text.slice(m[0]!.offset).startsWith('shared secret unavailable')).toBe(true);
    expect(onFrameLine(text, m[0]!.offset)).toBe(false);
    expect(pack.match('log', text, facts())).toHaveLength(0);
    expect(pack.match('log', 'shared secret unavailable: InvalidToken', facts())).toHaveLength(1);
    expect(pack.match('log', 'shared secret unavailable: no secret configured', facts())).toHaveLength(0);
  });

  it('a rule of an exception alone is found by its name', () => {
    const pack = compileRules([rule({ anchors: [], exception: 'cryptography.fernet.InvalidToken' })]);
    expect(pack.rawFilter?.test('x cryptography.fernet.InvalidToken')).toBe(true);
    const text = record('connection_id=4f1c9a2e shared secret unavailable');
    const m = pack.match('log', text, facts(pythonChain(text)));
    expect(m).toHaveLength(1);
    expect(text.slice(m[0]!.offset).startsWith('cryptography.fernet.InvalidToken')).toBe(true);
  });
});
