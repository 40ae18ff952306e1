/**
 * Part of `npm run docs:api`: every function and class that a public entry point exports has a
 * doc comment whose first sentence is its summary, and an `@example`. Exits 1 and lists the ones
 * that do not.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = ['packages/core/src/index.ts', 'packages/adapters/src/index.ts', 'packages/rules/src/index.ts', 'packages/cli/src/main.ts'].map((f) => path.join(root, f));
const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.typedoc.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
if (!config) throw new Error('tsconfig.typedoc.json not readable');
const program = ts.createProgram(entries, { ...config.options, noEmit: true });
const checker = program.getTypeChecker();
const missing: string[] = [];
for (const file of entries) {
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${file}: not a module`);
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class))) continue;
    const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const hasExample = symbol.getJsDocTags(checker).some((t) => t.name === 'example');
    const where = `${path.relative(root, file)}: ${exported.name}`;
    if (!summary) missing.push(`${where}: no summary`);
    if (!hasExample) missing.push(`${where}: no @example`);
  }
}
for (const m of missing) console.error(m);
console.log(`${missing.length === 0 ? 'ok' : 'FAIL'}: public functions and classes documented (${missing.length} problems)`);
process.exitCode = missing.length === 0 ? 0 : 1;
