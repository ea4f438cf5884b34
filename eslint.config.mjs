// Lint configuration: typescript-eslint recommended, plus the architecture's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'out/',
      'dist/',
      'node_modules/',
      'scratch/',
      '.vscode-test/',
      'test/fixtures/',
      'examples/',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // One concern per function: the product's code keeps every function readable on one screen.
    files: ['server/src/**/*.ts', 'client/src/**/*.ts', 'common/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The core is pure: no editor, no transport, no I/O.
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'vscode',
            'node:fs',
            'fs',
            'node:child_process',
            'child_process',
            'node:net',
            'net',
            'node:http',
            'node:https',
            'vscode-languageserver',
            'vscode-languageserver/node',
          ],
          patterns: ['**/lsp/**', '**/cli/**', '**/node/**', '**/connection/**', '**/client/**'],
        },
      ],
    },
  },
  {
    // The network layer of the connection check serves the CLI and the language server alike.
    files: ['server/src/connection/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', 'vscode-languageserver', 'vscode-languageserver/node'],
          patterns: ['**/lsp/**', '**/client/**'],
        },
      ],
    },
  },
  {
    // The node-side workspace layer (discovery, configuration, reading, version) serves both front ends.
    files: ['server/src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', 'vscode-languageserver', 'vscode-languageserver/node'],
          patterns: ['**/lsp/**', '**/cli/**', '**/client/**'],
        },
      ],
    },
  },
  {
    // The two front ends stand side by side: what both need lives in core/, node/ or connection/.
    files: ['server/src/lsp/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/cli/**', '**/client/**'] }] },
  },
  {
    files: ['server/src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', 'vscode-languageserver', 'vscode-languageserver/node'],
          patterns: ['**/lsp/**', '**/client/**'],
        },
      ],
    },
  },
  {
    // The client never imports the server; shared ids live in common/.
    files: ['client/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/server/**'] }] },
  },
);
