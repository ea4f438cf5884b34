#!/usr/bin/env node
// A stand-in for the desktop `code` executable, for @vscode/test-cli / @vscode/test-electron on a machine
// without a desktop VS Code (and without internet to download one).
//
// It takes the desktop CLI arguments runTests() passes (--extensionDevelopmentPath=, --extensionTestsPath=,
// --user-data-dir=, --extensions-dir=, a folder), starts the real VS Code server (the REH + web build inside
// the code-server npm package, see tools/install-vscode-server.sh) on a free loopback port, opens its
// workbench in headless Debian chromium with the extension-development payload, and exits with the exit code
// of the tests that ran inside the server's node extension host.
//
// Also a small library for tools/run-vscode-ui.mjs (startServer, launchBrowser, workbenchUrl).
// Environment: VSCODE_SERVER_HOME (else tools/install-vscode-server.sh is run to get it), CHROMIUM
// (default /usr/bin/chromium), VSCODE_SHIM_TIMEOUT_MS (default 300000), VERBOSE=1 for all workbench logs,
// VSCODE_SHIM_WORKSPACE_TRUST=untrusted to open the folder with workspace trust on and the folder not trusted
// (the server without --disable-workspace-trust, security.workspace.trust.enabled true, no startup prompt;
// a fresh profile trusts no folder).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import util from 'node:util';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const log = (...a) => console.log('[shim]', ...a);

/** The installed server's folder: VSCODE_SERVER_HOME, else what the install script prints (installing once). */
export function resolveServerHome() {
  if (process.env.VSCODE_SERVER_HOME) return process.env.VSCODE_SERVER_HOME;
  log('VSCODE_SERVER_HOME is not set; running tools/install-vscode-server.sh');
  const out = execFileSync('bash', [path.join(HERE, 'install-vscode-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop();
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Quiet, offline user settings for a fresh profile. */
function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  if (fs.existsSync(file)) return;
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'security.workspace.trust.enabled': false,
        ...extra,
      },
      null,
      1,
    ),
  );
}

/**
 * Starts the VS Code server in its own process group. The extension host it forks inherits `env`, so
 * variables such as DSL_TEST_RESULTS reach the tests. Servers write under $HOME: it gets a private one.
 */
export async function startServer({
  serverHome,
  userDataDir,
  extensionsDir,
  userSettings,
  env = process.env,
  workspaceTrust = false,
}) {
  const node = path.join(serverHome, 'node/node_modules/node/bin/node');
  const main = path.join(serverHome, 'cs/node_modules/code-server/lib/vscode/out/server-main.js');
  for (const f of [node, main])
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run tools/install-vscode-server.sh`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, userSettings);
  const home = path.join(userDataDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const port = await freePort();
  const logFile = path.join(userDataDir, 'server.log');
  const out = fs.openSync(logFile, 'w');
  // Older releases' server-main.js only exports a loader for code-server (no CODE_SERVER_PARENT_PID check, no
  // start of its own): serve it through a small launcher instead.
  const selfStarting = fs.readFileSync(main, 'utf8').includes('CODE_SERVER_PARENT_PID');
  const entry = selfStarting ? [main] : [path.join(HERE, 'vscode-server-legacy.js'), main];
  const child = spawn(
    node,
    [
      ...entry,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--telemetry-level',
      'off',
      '--server-data-dir',
      userDataDir,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      // The extension host runs only while a browser is connected; without this it lingers after the tests.
      '--reconnection-grace-time',
      '5',
    ],
    {
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...env,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        XDG_CACHE_HOME: path.join(home, '.cache'),
        XDG_DATA_HOME: path.join(home, '.local/share'),
      },
    },
  );
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/version`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (exited || i > 600) {
      stop();
      throw new Error(`the VS Code server did not start; see ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, authority: `127.0.0.1:${port}`, logFile, stop };
}

export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The workbench URL that opens `folder` with extensions under development / tests / a file to open. */
export function workbenchUrl({ base, authority, folder, devPaths = [], testsPath, openFile }) {
  const remote = (p) => `vscode-remote://${authority}${path.resolve(p)}`;
  const payload = devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (openFile) payload.push(['openFile', remote(openFile)]);
  const where = folder ? `folder=${encodeURIComponent(path.resolve(folder))}` : 'ew=true';
  return `${base}/?${where}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Workbench log lines that are noise offline (marketplace, chat, DNS). */
export const NOISE =
  /AgentHost|ChatModelSelection|open-vsx|marketplace|ERR_NAME_NOT_RESOLVED|ENOTFOUND|ERR_INTERNET_DISCONNECTED/;

async function main(argv) {
  const get = (n) => argv.filter((a) => a.startsWith(`--${n}=`)).map((a) => a.slice(n.length + 3));
  if (argv.includes('--version')) {
    console.log('1.139.1\nshim\nx64');
    return 0;
  }
  const devPaths = get('extensionDevelopmentPath');
  const testsPath = get('extensionTestsPath')[0];
  const untrusted = process.env.VSCODE_SHIM_WORKSPACE_TRUST === 'untrusted';
  // Untrusted runs get a profile of their own: a profile that earlier runs used (with trust off) may hold
  // trust state for the folder, and only a fresh profile trusts no folder.
  const userDataDir = path.resolve(
    (!untrusted && get('user-data-dir')[0]) ||
      fs.mkdtempSync(path.join(os.tmpdir(), untrusted ? 'vscode-shim-untrusted-' : 'vscode-shim-ud-')),
  );
  const extensionsDir = path.resolve(
    (!untrusted && get('extensions-dir')[0]) || path.join(userDataDir, 'extensions'),
  );
  const folder = argv.find((a) => !a.startsWith('-'));
  const ignored = argv.filter(
    (a) =>
      a.startsWith('--') &&
      !/^--(extensionDevelopmentPath|extensionTestsPath|user-data-dir|extensions-dir)=/.test(a),
  );
  if (ignored.length) log(`ignoring desktop-only flags: ${ignored.join(' ')}`);
  const timeoutMs = Number(process.env.VSCODE_SHIM_TIMEOUT_MS || 300000);

  const server = await startServer({
    serverHome: resolveServerHome(),
    userDataDir,
    extensionsDir,
    workspaceTrust: untrusted,
    userSettings: untrusted
      ? {
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'never',
          'security.workspace.trust.emptyWindow': false,
        }
      : undefined,
  });
  const cleanups = [server.stop];
  const cleanup = () => {
    while (cleanups.length)
      try {
        cleanups.pop()();
      } catch {
        /* best effort */
      }
  };
  process.on('exit', cleanup);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(s, () => {
      cleanup();
      process.exit(130);
    });

  const browser = await launchBrowser();
  cleanups.push(() => void browser.close().catch(() => undefined));
  const page = await browser.newPage();
  let done;
  const finished = new Promise((r) => (done = r));
  await page.exposeFunction('codeAutomationLog', (type, a) => {
    const m = util.format(...(Array.isArray(a) ? a : [a]));
    if (process.env.VERBOSE || !NOISE.test(m)) (type === 'error' ? console.error : console.log)(m);
  });
  await page.exposeFunction('codeAutomationExit', (code) => done(code));
  page.on('pageerror', (e) => console.error('[shim] page error:', e.message));
  await page.goto(workbenchUrl({ ...server, folder, devPaths, testsPath }));
  const timer = setTimeout(() => {
    console.error(`[shim] no result after ${timeoutMs} ms`);
    done('timeout');
  }, timeoutMs);
  const code = await finished;
  clearTimeout(timer);
  if (code !== 0)
    console.error(
      `[shim] tests exited with ${code}; last lines of ${server.logFile}:\n${tail(server.logFile, 20)}`,
    );
  await browser.close().catch(() => undefined);
  cleanup();
  return typeof code === 'number' ? code : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error('[shim]', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
