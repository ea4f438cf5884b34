// @vscode/test-cli configuration: the editor tests run inside a real VS Code server (tools/code-shim.mjs stands in
// for the desktop executable; see tools/install-vscode-server.sh). Each run gets a fresh copy of its fixture
// workspace in the temp directory, so tests may write files and settings without touching the repository.
//   npm run test:e2e                 both configurations
//   npx vscode-test --label editor   one of them (after `npm run build && tsc -b test/e2e`)
import { defineConfig } from '@vscode/test-cli';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const copies = [];
process.on('exit', () => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/** A throw-away copy of a fixture workspace (VS Code and the tests write into it). */
function workspaceCopy(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dsl-e2e-${name}-`));
  copies.push(dir);
  fs.cpSync(path.join(root, 'test', 'e2e', name), dir, { recursive: true });
  return dir;
}

// In CI (.ci/run sets DSL_TEST_RESULTS) mocha inside the extension host writes its counts for the summary line.
const resultsReporter = path.join(root, 'out', 'test', 'real', 'results-reporter.js');
const reporter =
  process.env.DSL_TEST_RESULTS && fs.existsSync(resultsReporter) ? { reporter: resultsReporter } : {};

const common = {
  useInstallation: { fromPath: path.join(root, 'tools', 'code-shim.mjs') },
  mocha: { ui: 'tdd', timeout: 60000, slow: 5000, ...reporter },
};

export default defineConfig([
  {
    ...common,
    label: 'editor',
    files: 'out/test/e2e/suite/**/*.test.js',
    workspaceFolder: workspaceCopy('workspace'),
  },
  {
    // A Python project with no settings files: the extension may activate (onLanguage:python), the server must not start.
    ...common,
    label: 'plain',
    files: 'out/test/e2e/plain/**/*.test.js',
    workspaceFolder: workspaceCopy('workspace-plain'),
  },
  {
    // Workspace trust on and the folder not trusted (a fresh profile trusts nothing): commands that contact
    // servers must refuse. tools/code-shim.mjs reads VSCODE_SHIM_WORKSPACE_TRUST.
    ...common,
    label: 'untrusted',
    files: 'out/test/e2e/untrusted/**/*.test.js',
    workspaceFolder: workspaceCopy('workspace-untrusted'),
    env: { VSCODE_SHIM_WORKSPACE_TRUST: 'untrusted' },
  },
]);
