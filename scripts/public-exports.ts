/**
 * The public exports of rxindi, as the TypeScript compiler sees them: the
 * names `src/index.ts` exports, each followed through its re-exports to the
 * symbol that declares it. Shared by the scripts that check the TSDoc of
 * every export (`check-examples.ts`, `check-example-code.ts`).
 */
import ts from 'typescript';

/** The package entry, relative to the repository root. */
export const entry = 'src/index.ts';

/** One export of {@link entry}: the name it is exported as, and its declaring symbol. */
export interface PublicExport {
  readonly name: string;
  readonly target: ts.Symbol;
}

/** The compiler options of a tsconfig file of the repository (run from its root). */
export function compilerOptions(configName: string): ts.CompilerOptions {
  const configPath = ts.findConfigFile('.', (path) => ts.sys.fileExists(path), configName);
  if (!configPath) throw new Error(`${configName} not found: run this script from the repository root.`);
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
  return config.options;
}

/** The program of `tsconfig.build.json`, which compiles `src/` alone. */
export function buildProgram(): ts.Program {
  return ts.createProgram({ rootNames: [entry], options: compilerOptions('tsconfig.build.json') });
}

/** Every export of a module of `program` ({@link entry} by default), aliases resolved to their declarations. */
export function publicExports(program: ts.Program, module: ts.SourceFile | string = entry): PublicExport[] {
  const checker = program.getTypeChecker();
  const source = typeof module === 'string' ? program.getSourceFile(module) : module;
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol)
    throw new Error(`${typeof module === 'string' ? module : module.fileName} is not a module.`);
  return checker.getExportsOfModule(moduleSymbol).map((exported) => ({
    name: exported.name,
    target: exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported,
  }));
}

/** `src/file.ts:line` of a position in a source file, 1-based. */
export function location(file: ts.SourceFile, position: number): string {
  const { line } = file.getLineAndCharacterOfPosition(position);
  return `${file.fileName.replace(`${process.cwd()}/`, '')}:${line + 1}`;
}
