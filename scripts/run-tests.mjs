#!/usr/bin/env node
// `npm test`: every suite, in order: mocha (unit, CLI, protocol, Neovim and real-component tests), then the
// editor tests inside a real VS Code server (two configurations). `npm test -- <mocha args>` passes the args to
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

// The VS Code server (installed by scripts/ensure-test-deps.mjs; the script only prints its folder when present).
const server = spawnSync('bash', ['tools/install-vscode-server.sh'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const home = server.stdout.trim().split('\n').pop();
if (server.status !== 0 || !home) {
  process.stderr.write(
    'cannot install the VS Code server for the editor tests (tools/install-vscode-server.sh failed)\n',
  );
  codes.push(1);
  if (resultsDir) appendFileSync(join(resultsDir, 'exit-codes'), 'editor=1\n');
} else {
  for (const label of ['editor', 'plain']) {
    codes.push(
      run(label === 'plain' ? 'editor-plain' : 'editor', 'npx', ['vscode-test', '--label', label], {
        VSCODE_SERVER_HOME: home,
      }),
    );
  }
}
process.exit(codes.every((c) => c === 0) ? 0 : 1);
