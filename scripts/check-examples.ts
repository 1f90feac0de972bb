/**
 * Fails when a public export of rxindi has no `@example` in its TSDoc
 * (STYLE.md rule 10). TypeDoc checks that every export is documented but
 * cannot require a tag, so this walks the exports of `src/index.ts`,
 * following re-exports to the declaration, with the TypeScript compiler API.
 *
 * Run it with `npx tsx scripts/check-examples.ts` (part of `npm run docs`).
 */
import ts from 'typescript';
import { buildProgram, entry, location, publicExports } from './public-exports.js';

/** Whether any declaration of the symbol carries an `@example` tag. */
function hasExample(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) =>
    ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'),
  );
}

/** `name (src/file.ts:line)` for the symbol's first declaration. */
function describe(name: string, symbol: ts.Symbol): string {
  const declaration = symbol.declarations?.[0];
  return declaration ? `${name} (${location(declaration.getSourceFile(), declaration.getStart())})` : name;
}

const missing = publicExports(buildProgram())
  .filter(({ target }) => !hasExample(target))
  .map(({ name, target }) => describe(name, target))
  .sort();

if (missing.length > 0) {
  console.error(`${missing.length} public exports of ${entry} have no @example in their TSDoc:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exitCode = 1;
} else {
  console.log(`Every public export of ${entry} has an @example.`);
}
