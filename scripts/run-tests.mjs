#!/usr/bin/env node
// `npm test`: every suite, in order: mocha (unit, CLI, protocol, Neovim and real-component tests), then the
// editor tests inside a real VS Code server (two configurations on the current VS Code, the main one on the
// oldest supported). `npm test -- <mocha args>` passes the args to
// mocha. With DSL_TEST_RESULTS_DIR set (.ci/run), each suite writes its counts to <dir>/<suite>.json through
// out/test/real/results-reporter.js and its exit code to <dir>/exit-codes; the summary comes from those files.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const resultsDir = process.env.DSL_TEST_RESULTS_DIR;
const reporter = './out/test/real/results-reporter.js';
const mochaArgs = process.argv.slice(2);

function run(name, command, args, env = {}) {
  process.stderr.write(`\n=== ${name}: ${[command, ...args].join(' ')}\n`);
  const suiteEnv = { ...process.env, ...env };
  if (resultsDir) suiteEnv.DSL_TEST_RESULTS = join(resultsDir, `${name}.json`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: suiteEnv });
  const rc = r.status ?? 1;
  if (resultsDir) appendFileSync(join(resultsDir, 'exit-codes'), `${name}=${rc}\n`);
  return rc;
}

if (resultsDir) mkdirSync(resultsDir, { recursive: true });
const codes = [];
codes.push(
  run('unit', 'npx', [
    'mocha',
    '--forbid-only',
    '--forbid-pending',
    ...(resultsDir ? ['--reporter', reporter] : []),
    ...mochaArgs,
  ]),
);

// The VS Code servers (installed by scripts/ensure-test-deps.mjs; the script only prints a folder when present):
// every editor suite on the current VS Code, the main one again on the oldest that package.json's
// engines.vscode admits (vscode-languageclient's minimum, as far as code-server on npm goes back).
function serverHome(which) {
  const r = spawnSync('bash', ['tools/install-vscode-server.sh', which], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const home = r.stdout.trim().split('\n').pop();
  return r.status === 0 && home ? home : undefined;
}

const editorSuites = [
  { name: 'editor', label: 'editor', server: 'current' },
  { name: 'editor-plain', label: 'plain', server: 'current' },
  { name: 'editor-untrusted', label: 'untrusted', server: 'current' },
  { name: 'editor-oldest', label: 'editor', server: 'oldest' },
];
const homes = {};
for (const suite of editorSuites) {
  homes[suite.server] ??= serverHome(suite.server) ?? null;
  const home = homes[suite.server];
  if (!home) {
    process.stderr.write(
      `cannot install the ${suite.server} VS Code server for the editor tests (tools/install-vscode-server.sh ${suite.server} failed)\n`,
    );
    codes.push(1);
    if (resultsDir) appendFileSync(join(resultsDir, 'exit-codes'), `${suite.name}=1\n`);
    continue;
  }
  codes.push(run(suite.name, 'npx', ['vscode-test', '--label', suite.label], { VSCODE_SERVER_HOME: home }));
}
process.exit(codes.every((c) => c === 0) ? 0 : 1);
