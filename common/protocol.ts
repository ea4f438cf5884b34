/** Command ids and custom LSP messages shared by the VS Code client and the language server. No imports. */

export const EXTENSION_ID = 'djangoSessionLint';
