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
      // Configuration is read once, by each process's env.ts (house style rule 8).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through env.ts.' },
      ],
    },
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
              group: ['**/activities/**', '**/db/**', '**/api/**', '**/worker/**', '**/server/**', '**/devserver/**'],
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
    // domain/ holds the pure rules every layer shares (which credential for a URL, what a kubeconfig may hold):
    // no I/O, so no Node builtins and nothing from the layers that do I/O.
    files: ['domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .flatMap((name) => [name, `node:${name}`])
            .map((name) => ({ name, message: 'domain/ is pure: no Node builtins.' })),
          patterns: [
            {
              group: [
                '**/activities/**',
                '**/db/**',
                '**/api/**',
                '**/worker/**',
                '**/server/**',
                '**/devserver/**',
                '**/ui/**',
              ],
              allowTypeImports: true,
              message: 'domain/ is pure: it imports these as types only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
