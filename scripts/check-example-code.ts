/**
 * Fails when a TSDoc `@example` of a public export of rxindi does not compile.
 * `check-examples.ts` makes sure every export has an example; this one takes
 * each fenced ```ts block of those examples, makes it a module of its own, and
 * type-checks all of them in one program with the repository's strict options.
 *
 * An example is a snippet, not a file: it may use, without importing them,
 *
 * - every export of rxindi (`src/index.ts`) and of `rxjs`, by its bare name;
 * - the five placeholders of {@link placeholders} below, for what a real
 *   program would already have at hand: `socket`, `mount` (a telescope
 *   device definition), `driver` (a driver of it), `client`, `traffic$`.
 *
 * Anything else it must declare itself. Names it declares or imports itself
 * win over these. Each failure is printed as `src/file.ts:line export: error`.
 *
 * Run it with `npx tsx scripts/check-example-code.ts` (part of `npm run docs`).
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { compilerOptions, entry, location, publicExports } from './public-exports.js';

/**
 * The names an example may assume without defining them, and their types.
 * Keep this list short: an example that needs more should define it.
 */
const placeholders: Readonly<Record<string, string>> = {
  /** A TCP connection, as `net.createServer` or `net.connect` gives one. */
  socket: "import('node:net').Socket",
  /** The telescope of the `defineDevice` example: CONNECTION, and EQUATORIAL_EOD_COORD with RA and DEC. */
  mount:
    "DeviceDefinition<'Telescope Simulator', { CONNECTION: SwitchVectorDefinition<'CONNECT' | 'DISCONNECT'>; " +
    "EQUATORIAL_EOD_COORD: NumberVectorDefinition<'RA' | 'DEC'> }>",
  /** A driver of `mount`, as `indiDriver([mount])` returns it (a Channel too). */
  driver: 'IndiDriver<typeof mount>',
  /** A client connected with `connectIndi`. */
  client: 'IndiClient',
  /** Everything a routing graph reacts to: channels opening and closing, the messages they send. */
  traffic$: 'Observable<TrafficEvent>',
};

/** One fenced ```ts block of an `@example`. */
interface ExampleBlock {
  readonly exportName: string;
  readonly file: ts.SourceFile;
  /** 0-based line of the block's first code line in `file`. */
  readonly firstLine: number;
  readonly code: string;
}

/** The fenced ```ts blocks of one `@example` tag, with the line each starts on. */
function blocksOf(exportName: string, file: ts.SourceFile, tag: ts.JSDocTag): ExampleBlock[] {
  const tagLine = file.getLineAndCharacterOfPosition(tag.pos).line;
  const lines = file.text
    .slice(tag.pos, tag.end)
    .split('\n')
    .map((line) => line.replace(/^\s*\*( |$)/, ''));
  const blocks: ExampleBlock[] = [];
  let opened: number | undefined;
  lines.forEach((line, index) => {
    const fence = line.trim();
    if (opened === undefined && /^```(ts|typescript)$/.test(fence)) opened = index + 1;
    else if (opened !== undefined && fence === '```') {
      blocks.push({
        exportName,
        file,
        firstLine: tagLine + opened,
        code: lines.slice(opened, index).join('\n'),
      });
      opened = undefined;
    }
  });
  return blocks;
}

/** Every `@example` tag in the declarations of `target` and their members, each once. */
function exampleTags(target: ts.Symbol): { file: ts.SourceFile; tag: ts.JSDocTag }[] {
  const found = new Map<string, { file: ts.SourceFile; tag: ts.JSDocTag }>();
  const visit = (node: ts.Node): void => {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== 'example') continue;
      const file = node.getSourceFile();
      found.set(`${file.fileName}:${tag.pos}`, { file, tag });
    }
    ts.forEachChild(node, visit);
  };
  for (const declaration of target.declarations ?? []) visit(declaration);
  return [...found.values()];
}

/** The names a block declares or imports at its top level. */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest).statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    } else if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      else for (const element of bindings?.elements ?? []) names.add(element.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** `{ a, type B, … }`: the import list of `names`, type-only ones marked (verbatimModuleSyntax). */
function importList(names: readonly string[], values: ReadonlySet<string>): string {
  return `{ ${names.map((name) => (values.has(name) ? name : `type ${name}`)).join(', ')} }`;
}

/** The exports of a module of `program`, and which of them are values. */
function exportsOf(program: ts.Program, file: ts.SourceFile): { names: string[]; values: Set<string> } {
  const exports = publicExports(program, file);
  const values = exports.filter(({ target }) => target.flags & ts.SymbolFlags.Value);
  return { names: exports.map(({ name }) => name), values: new Set(values.map(({ name }) => name)) };
}

const options: ts.CompilerOptions = { ...compilerOptions('tsconfig.json'), noEmit: true };
const entryPath = resolve(entry);
const host = ts.createCompilerHost(options);
const program = ts.createProgram({ rootNames: [entryPath], options, host });

const rxjsPath = ts.resolveModuleName('rxjs', entryPath, options, host).resolvedModule?.resolvedFileName;
const rxjsFile = rxjsPath === undefined ? undefined : program.getSourceFile(rxjsPath);
const entryFile = program.getSourceFile(entryPath);
if (!rxjsFile || !entryFile) throw new Error(`Cannot load ${entry} and rxjs: run npm install.`);
const rxindi = exportsOf(program, entryFile);
const rxjs = exportsOf(program, rxjsFile);
const rxindiNames = new Set(rxindi.names);
const rxjsNames = rxjs.names.filter((name) => !rxindiNames.has(name));

const blocks = publicExports(program).flatMap(({ name, target }) =>
  exampleTags(target).flatMap(({ file, tag }) => blocksOf(name, file, tag)),
);

/** The module an example becomes: its prelude, then its code; `preludeLines` maps lines back. */
function exampleModule(block: ExampleBlock): { text: string; preludeLines: number } {
  const own = declaredNames(block.code);
  const free = (name: string): boolean => !own.has(name);
  const prelude = [
    `import ${importList(rxindi.names.filter(free), rxindi.values)} from ${JSON.stringify(entryPath.replace(/\.ts$/, '.js'))};`,
    `import ${importList(rxjsNames.filter(free), rxjs.values)} from 'rxjs';`,
    ...Object.entries(placeholders)
      .filter(([name]) => !own.has(name))
      .map(([name, type]) => `declare const ${name}: ${type};`),
    'export {};',
  ];
  return { text: `${prelude.join('\n')}\n${block.code}\n`, preludeLines: prelude.length };
}

const modules = new Map(
  blocks.map((block, index) => [
    resolve(`.example-code/example-${index}.ts`),
    { block, ...exampleModule(block) },
  ]),
);
const exampleHost: ts.CompilerHost = {
  ...host,
  fileExists: (fileName) => modules.has(fileName) || host.fileExists(fileName),
  readFile: (fileName) => modules.get(fileName)?.text ?? host.readFile(fileName),
  getSourceFile: (fileName, languageVersion, ...rest) => {
    const example = modules.get(fileName);
    return example
      ? ts.createSourceFile(fileName, example.text, languageVersion)
      : host.getSourceFile(fileName, languageVersion, ...rest);
  },
};
const examples = ts.createProgram({
  rootNames: [entryPath, ...modules.keys()],
  options,
  host: exampleHost,
  oldProgram: program,
});

const failures: string[] = [];
for (const [fileName, { block, preludeLines }] of modules) {
  const file = examples.getSourceFile(fileName);
  if (!file) throw new Error(`${fileName} was not compiled.`);
  const diagnostics = [...examples.getSyntacticDiagnostics(file), ...examples.getSemanticDiagnostics(file)];
  for (const diagnostic of diagnostics) {
    const line =
      diagnostic.start === undefined ? 0 : file.getLineAndCharacterOfPosition(diagnostic.start).line;
    const position = block.file.getPositionOfLineAndCharacter(
      block.firstLine + Math.max(0, line - preludeLines),
      0,
    );
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
    failures.push(`${location(block.file, position)} ${block.exportName}: ${message}`);
  }
}

if (failures.length > 0) {
  console.error(`${failures.length} errors in the @example code of ${entry}'s exports:`);
  for (const failure of failures) console.error(`  ${failure}`);
  process.exitCode = 1;
} else {
  console.log(`All ${blocks.length} @example blocks of ${entry}'s exports compile.`);
}
