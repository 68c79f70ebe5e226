// One lint setup for the whole repository (house style rule 15).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

/** Every top-level folder that is a layer of Kiln. */
const layers = [
  'domain',
  'config',
  'clients',
  'build-log',
  'git',
  'process',
  'detect',
  'dockerfile-generator',
  'builders',
  'db',
  'activities',
  'workflows',
  'api',
  'worker',
  'server',
  'devserver',
  'ui',
];

function layersOtherThan(...allowed) {
  return layers.filter((layer) => !allowed.includes(layer));
}

/**
 * One lint block per layer refusing imports of the layers it must not reach (types too, unless `typesOnly`);
 * `own` lists the layer's own folders whose names match another layer's (the UI's `src/api/` client is not `api/`).
 */
function layering(rules) {
  return Object.entries(rules).map(([layer, { forbidden, typesOnly = [], own = [] }]) => ({
    files: [`${layer}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidden
              .filter((other) => !typesOnly.includes(other))
              .map((other) => ({
                group: [`**/${other}/**`, `../${other}`, `../../${other}`, ...own.map((folder) => `!${folder}`)],
                message: `${layer}/ does not import ${other}/ (see the README's layout table).`,
              })),
            ...typesOnly.map((other) => ({
              group: [`**/${other}/**`, ...own.map((folder) => `!${folder}`)],
              allowTypeImports: true,
              message: `${layer}/ imports ${other}/ as types only.`,
            })),
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['node_modules', 'ui/dist', '.kiln', 'test-artifacts', 'db/migrations'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // House rule 10: files under ~200 lines, functions under ~50 (blank lines and comments not counted). A function
      // that splitting would make harder to read says why in an eslint-disable comment.
      'max-lines': ['error', { max: 200, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 50, skipBlankLines: true, skipComments: true }],
      // Configuration is read once, by each process's env.ts (house style rule 8).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through env.ts.' },
      ],
    },
  },
  {
    // Tests are long lists of cases; each `it` is short, but a `describe` holds them all.
    files: ['tests/**', 'bench/**'],
    rules: { 'max-lines': 'off', 'max-lines-per-function': 'off' },
  },
  {
    // House rule 12: every table in db/schema.ts.
    files: ['db/schema.ts'],
    rules: { 'max-lines': 'off' },
  },
  {
    files: ['**/env.ts', 'tests/**', 'bench/**', 'ui/vite.config.ts', 'drizzle.config.ts', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Workflow code is replayed: only @temporalio/workflow and pure modules, everything else as types.
    files: ['workflows/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .flatMap((name) => [name, `node:${name}`])
            .map((name) => ({ name, message: 'Workflows are deterministic: no Node builtins.' })),
          patterns: [
            {
              group: [
                '**/activities/**',
                '**/clients/**',
                '**/builders/**',
                '**/detect/**',
                '**/dockerfile-generator/**',
                '**/git/**',
                '**/process/**',
                '**/build-log/**',
                '**/db/**',
                '**/api/**',
                '**/worker/**',
                '**/server/**',
                '**/devserver/**',
              ],
              allowTypeImports: true,
              message: 'Workflows import these as types only.',
            },
            {
              group: ['@temporalio/activity', '@temporalio/worker', '@temporalio/client'],
              allowTypeImports: true,
              message: 'Workflows use @temporalio/workflow only.',
            },
          ],
        },
      ],
    },
  },
  {
    // domain/ holds the pure rules every layer shares (statuses, profiles, image names, which credential for a URL,
    // the error vocabulary): no I/O, so no Node builtins and nothing from any other layer, not even types.
    files: ['domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .flatMap((name) => [name, `node:${name}`])
            .map((name) => ({ name, message: 'domain/ is pure: no Node builtins.' })),
          patterns: [{ group: layersOtherThan('domain'), message: 'domain/ is pure: it imports no other layer.' }],
        },
      ],
    },
  },
  // What may import what (the README's layout table): each layer names the layers it must not reach into.
  ...layering({
    ui: { forbidden: layersOtherThan('ui', 'domain', 'api'), typesOnly: ['api'], own: ['./api/**', '../api/**'] },
    clients: { forbidden: ['activities', 'api', 'workflows', 'worker', 'server', 'devserver', 'ui', 'builders'] },
    'build-log': { forbidden: ['activities', 'api', 'workflows', 'worker', 'server', 'devserver', 'ui', 'builders'] },
    git: { forbidden: ['activities', 'api', 'workflows', 'worker', 'server', 'devserver', 'ui', 'builders'] },
    process: { forbidden: layersOtherThan('process', 'domain') },
    detect: { forbidden: ['activities', 'api', 'workflows', 'worker', 'server', 'devserver', 'ui', 'db', 'clients'] },
    'dockerfile-generator': {
      forbidden: ['activities', 'api', 'workflows', 'worker', 'server', 'devserver', 'ui', 'db', 'clients'],
    },
    builders: { forbidden: ['api', 'workflows', 'worker', 'server', 'devserver', 'ui'] },
    db: { forbidden: ['activities', 'api', 'worker', 'server', 'devserver', 'ui', 'clients', 'builders'] },
    activities: { forbidden: ['api', 'worker', 'server', 'devserver', 'ui'] },
    api: { forbidden: ['activities', 'builders', 'worker', 'server', 'devserver', 'ui'], typesOnly: ['activities'] },
    devserver: { forbidden: layersOtherThan('devserver', 'config') },
  }),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
