/**
 * The bundle `npm run build` writes (scripts/bundle.mjs): what a start parses, and the safety
 * verdicts it carries. Reads the built files (dist/), as the bin loads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checkPattern } from '@scs-doctor/core/internal';
import { loadRuleFiles } from '@scs-doctor/adapters';
import { rulesDir } from '@scs-doctor/rules';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const entry = path.join(dist, 'scs-doctor.mjs');

/** The entry and every chunk it imports statically (`from"./chunks/…"`, `import"./chunks/…"`), transitively: what a start parses. */
function startFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const text = readFileSync(file, 'utf8');
    files.set(file, text);
    for (const m of text.matchAll(/\b(?:from|import) ?"(\.{1,2}\/[^"]+)"/g)) visit(path.resolve(path.dirname(file), m[1]!));
  };
  visit(entry);
  return files;
}

describe.skipIf(!existsSync(entry))('the bundle (npm run build)', () => {
  it('a start parses neither zod, YAML nor fast-glob: they are loaded when needed', () => {
    const text = [...startFiles().values()].join('\n');
    expect([text.includes('ZodError'), text.includes('YAMLParseError'), text.includes('picomatch')]).toEqual([false, false, false]);
  });

  it('a start parses neither re2js nor regexpp: they are loaded for the rule packs that need them', () => {
    const text = [...startFiles().values()].join('\n');
    expect([text.includes('class RE2JS'), text.includes('RegExpValidator')]).toEqual([false, false]);
  });

  it('a start imports neither node:zlib nor node:worker_threads: they are loaded for gzip input and --jobs', () => {
    const text = [...startFiles().values()].join('\n');
    expect([...text.matchAll(/\b(?:from|import) ?"node:(zlib|worker_threads)"/g)].map((m) => m[1])).toEqual([]);
  });

  it("carries the safety check's verdicts on exactly the built-in patterns, as the check gives them", async () => {
    // The table is a JSON text in a string literal (whichever quotes esbuild chose): the literal is evaluated, the text parsed.
    const m = /BUILT_IN_VERDICTS=JSON\.parse\(((["'`])(?:\\.|(?!\2)[^\\])*\2)\)/.exec(readFileSync(entry, 'utf8'));
    const table = JSON.parse(runInNewContext(m![1]!) as string) as [string, string, unknown][];
    const { rules } = await loadRuleFiles([rulesDir]);
    const expected = rules.flatMap(({ rule }) =>
      rule.signature?.pattern === undefined ? [] : [[rule.signature.pattern, rule.signature.flags ?? '', JSON.parse(JSON.stringify(checkPattern(rule.signature.pattern, rule.signature.flags ?? ''))) as unknown]],
    );
    expect(table).toEqual(expected);
  });
});
