// @ts-check
import tseslint from 'typescript-eslint';
import rxjsX from 'eslint-plugin-rxjs-x';

/** The layers of DESIGN.md, bottom first: each may import only the ones before it. */
const layers = ['protocol', 'channels', 'routing', 'server', 'driver', 'client', 'cli'];
const allowed = {
  protocol: [],
  channels: ['protocol'],
  routing: ['protocol'],
  server: ['protocol', 'channels', 'routing'],
  driver: ['protocol', 'channels', 'routing'],
  client: ['protocol', 'channels'],
  cli: ['protocol', 'channels', 'routing', 'server', 'driver'],
};
const noIo = ['node:*', 'fs', 'net', 'child_process', 'execa', 'os', 'timers'];

const layerRules = layers.map((layer) => {
  const forbiddenLayers = layers.filter((other) => other !== layer && !allowed[layer].includes(other));
  const patterns = [
    {
      group: forbiddenLayers.map((other) => `../${other}/*`),
      message: `src/${layer} may import only from ${allowed[layer].join(', ') || 'nothing but saxes'} (DESIGN.md layers).`,
    },
  ];
  if (layer === 'protocol' || layer === 'routing') {
    patterns.push({ group: noIo, message: `src/${layer} does no I/O: no node modules, sockets, processes or execa.` });
  }
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'docs/**', 'node_modules/**', 'scratch/**', 'eslint.config.js', '**/*.mjs'] },
  ...tseslint.configs.strictTypeChecked,
  rxjsX.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
    },
  },
  ...layerRules,
  {
    files: ['test/**/*.ts', 'marbles/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      'rxjs-x/no-ignored-subscription': 'off',
    },
  },
);
