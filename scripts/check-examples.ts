/**
 * Fails when a public export of rxindi has no `@example` in its TSDoc
 * (STYLE.md rule 10). TypeDoc checks that every export is documented but
 * cannot require a tag, so this walks the exports of `src/index.ts`,
 * following re-exports to the declaration, with the TypeScript compiler API.
 *
 * Run it with `npx tsx scripts/check-examples.ts` (part of `npm run docs`).
 */
import ts from 'typescript';

const entry = 'src/index.ts';

/** The program of `tsconfig.build.json`, which compiles `src/` alone. */
function buildProgram(): ts.Program {
  const configPath = ts.findConfigFile('.', (path) => ts.sys.fileExists(path), 'tsconfig.build.json');
  if (!configPath)
    throw new Error('tsconfig.build.json not found: run this script from the repository root.');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`Cannot read ${configPath}.`);
  return ts.createProgram({ rootNames: [entry], options: config.options });
}

/** Whether any declaration of the symbol carries an `@example` tag. */
function hasExample(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) =>
    ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'),
  );
}

/** `name (src/file.ts:line)` for the symbol's first declaration. */
function describe(name: string, symbol: ts.Symbol): string {
  const declaration = symbol.declarations?.[0];
  if (!declaration) return name;
  const file = declaration.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(declaration.getStart());
  return `${name} (${file.fileName.replace(`${process.cwd()}/`, '')}:${line + 1})`;
}

const program = buildProgram();
const checker = program.getTypeChecker();
const source = program.getSourceFile(entry);
const moduleSymbol = source && checker.getSymbolAtLocation(source);
if (!moduleSymbol) throw new Error(`${entry} is not a module.`);

const missing = checker
  .getExportsOfModule(moduleSymbol)
  .map((exported) => {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return { name: exported.name, target };
  })
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
