/** Installs what the tests need (npm packages via `npm ci`, Debian packages via apt) or says exactly what to install; never skips. */

// Debian packages the real-component tests use. Add yours here (one line each, with the reason).
export const DEBIAN_PACKAGES = [
  'openstack-dashboard', // Debian's real Horizon: test/real/debian-horizon.test.ts, python-agreement.test.ts
  'python3-django', // the Python oracle (test/real/python/effective_settings.py) runs real Django
  'neovim', // a second, independent LSP client for the language server
  'chromium', // headless browser that drives the VS Code server in the editor tests
  'libkrb5-dev', // native addon (kerberos) built when the VS Code server is installed
  'python3-pymemcache', // Debian's layout after the DSL104 comment-out fix starts on PyMemcacheCache: debian-horizon.test.ts
  'python3-django-environ', // django-projects.test.ts: real django-environ reads the fixture's .env
  'python3-decouple', // same test: real python-decouple reads the fixture's settings.ini
  'python3-dj-database-url', // same test: cast=dj_database_url.parse
  'memcached', // check-connection's memcached handshake: test/real/connection-check.test.ts
  'redis-server', // check-connection's Redis AUTH/SELECT/PING, requirepass and unix socket: same test
  'mariadb-server', // check-connection reads MariaDB's initial handshake packet: same test
  'postgresql', // check-connection's PostgreSQL SSLRequest probe (initdb/pg_ctl): same test
  'python3-pymysql', // PyMySQL's MySQL auth responses, the oracle for check-connection --login: test/real/mysql-scramble.test.ts
  'pre-commit', // the real pre-commit installs and runs .pre-commit-hooks.yaml: test/real/pre-commit.test.ts
  'ripgrep', // the oldest supported VS Code server wants rg, which it would download from GitHub (install-vscode-server.sh)
];

// HOOK POINT (editor tests): extra setup steps run after the npm and Debian packages are in place, in order.
// Each entry: { name, command: [...], env: {…} (optional) },
// run from the repository root.
// A step that exits non-zero makes this script (and so `npm test`) fail with its name.
export const SETUP_HOOKS = [
  // The real VS Code server the editor tests run in (~80 s and ~800 MB the first time; reused afterwards).
  { name: 'vscode-server', command: ['bash', 'tools/install-vscode-server.sh'] },
  // The oldest VS Code the extension supports (package.json engines.vscode), for the same tests.
  { name: 'vscode-server-oldest', command: ['bash', 'tools/install-vscode-server.sh', 'oldest'] },
];

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cleanNpmEnv } from './clean-npm-env.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };

function log(message) {
  process.stderr.write(`ensure-test-deps: ${message}\n`);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function sameDeps(a = {}, b = {}) {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

let libcName;
function platformMatches(entry) {
  libcName ??= process.report?.getReport().header?.glibcVersionRuntime ? 'glibc' : 'musl';
  const libc = libcName;
  const ok = (list, value) =>
    !list || list.some((x) => x === value || (x.startsWith('!') ? x.slice(1) !== value : false));
  return ok(entry.os, process.platform) && ok(entry.cpu, process.arch) && ok(entry.libc, libc);
}

/** Why node_modules does not match package-lock.json, or null when it does. */
export function nodeModulesProblem(root = ROOT) {
  const lockPath = join(root, 'package-lock.json');
  if (!existsSync(lockPath)) return 'package-lock.json is missing';
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  const lock = readJson(lockPath);
  const pkg = readJson(join(root, 'package.json'));
  const lockRoot = lock.packages?.[''] ?? {};
  if (
    !sameDeps(pkg.dependencies, lockRoot.dependencies) ||
    !sameDeps(pkg.devDependencies, lockRoot.devDependencies)
  ) {
    return 'package.json and package-lock.json list different dependencies';
  }
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith('node_modules/') || entry.link) continue;
    if (entry.optional && !platformMatches(entry)) continue;
    const manifest = join(root, key, 'package.json');
    if (!existsSync(manifest)) {
      // npm may leave out an optional dependency (its install failed or its parent is optional); only a
      // platform-specific binary package (os/cpu given and matching) must be there.
      if (entry.optional && !entry.os && !entry.cpu) continue;
      return `${key} is not installed`;
    }
    const installed = readJson(manifest).version;
    if (entry.version && installed !== entry.version)
      return `${key} is ${installed}, package-lock.json wants ${entry.version}`;
  }
  return null;
}

function has(command) {
  return spawnSync('/bin/sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Debian packages from the list that are not installed (all of them when dpkg is not there). */
export function missingDebianPackages(packages = DEBIAN_PACKAGES) {
  if (!has('dpkg-query')) return [...packages];
  return packages.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !/\binstall ok installed\b/.test(r.stdout);
  });
}

function aptCommands(packages, prefix) {
  const p = prefix ? `${prefix} ` : '';
  return [
    `${p}apt-get update`,
    `${p}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}`,
  ];
}

function explainAndExit(missing, why) {
  log(`${why}`);
  log(`the tests need these Debian (12, bookworm) packages, which are missing: ${missing.join(' ')}`);
  log('install them, then run the tests again:');
  for (const line of aptCommands(missing, process.getuid?.() === 0 ? '' : 'sudo'))
    process.stderr.write(`    ${line}\n`);
  log(
    'on a machine without apt, run the tests in a Debian 12 container (for example `docker run -it -v "$PWD":/src -w /src node:20-bookworm`) and run `npm test` there.',
  );
  process.exit(1);
}

function run(argv, { env = {}, what } = {}) {
  log(`running: ${argv.join(' ')}`);
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Not the configuration of the npm that may be running this script (scripts/clean-npm-env.mjs).
    env: cleanNpmEnv(process.env, env),
  });
  if (r.error || r.status !== 0) {
    log(`${what ?? argv.join(' ')} failed (${r.error ? r.error.message : `exit ${r.status}`})`);
    process.exit(1);
  }
}

function ensureNodeModules() {
  const problem = nodeModulesProblem();
  if (!problem) return;
  log(`${problem}: running npm ci`);
  run(
    [process.platform === 'win32' ? 'npm.cmd' : 'npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error'],
    { what: 'npm ci' },
  );
}

function ensureDebianPackages() {
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  if (!has('apt-get') || !has('dpkg-query'))
    explainAndExit(missing, 'apt-get is not available on this machine.');
  const isRoot = process.getuid?.() === 0;
  let prefix = [];
  if (!isRoot) {
    if (!has('sudo'))
      explainAndExit(missing, 'not running as root and sudo is not available, so apt-get cannot install.');
    prefix = ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive'];
  }
  log(`missing Debian packages: ${missing.join(' ')}; installing with apt-get`);
  run([...prefix, 'apt-get', 'update', '-qq'], { env: APT_ENV, what: 'apt-get update' });
  run([...prefix, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: APT_ENV,
    what: 'apt-get install',
  });
  const still = missingDebianPackages(missing);
  if (still.length > 0) explainAndExit(still, 'apt-get finished but these packages are still not installed.');
}

function runHooks() {
  for (const hook of SETUP_HOOKS) {
    log(`setup hook ${hook.name}`);
    run(hook.command, { env: hook.env ?? {}, what: `setup hook ${hook.name}` });
  }
}

function main(args) {
  if (args.includes('--check')) {
    // Report only, change nothing: exit 1 when something would be installed.
    const problem = nodeModulesProblem();
    const missing = missingDebianPackages();
    log(`node_modules: ${problem ?? 'up to date'}`);
    log(`Debian packages: ${missing.length ? `missing ${missing.join(' ')}` : 'all installed'}`);
    process.exit(problem || missing.length ? 1 : 0);
  }
  if (!args.includes('--debian-only')) ensureNodeModules(); // --debian-only: for tests of this script
  ensureDebianPackages();
  if (!args.includes('--debian-only')) runHooks();
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  main(process.argv.slice(2));
