#!/usr/bin/env node
// Opens the extension in a real VS Code server (headless chromium) the way a user sees it and takes a
// screenshot: a settings file with squiggles, the Problems panel, and the hover card on a cache backend.
// For README pictures and visual checks; the behaviour itself is tested by `npm run test:e2e`.
//
// usage: node tools/run-vscode-ui.mjs [--screenshot docs/images/screenshot.png] [--workspace test/e2e/workspace]
//          [--open horizon/local_settings.py] [--hover PyMemcacheCache] [--no-problems] [--timeout 120000]
//          [--layers] [--defaults SESSION_SERIALIZER] [--size 1400x1000]
// --layers: waits for the CodeLens and opens the "Session storage" view (no hover, no Problems panel).
// --defaults NAME: clicks the first-line CodeLens of NAME, a setting only Horizon's defaults set, which opens
//   the read-only defaults document at its line (as Go to Definition on the name does); no hover, no Problems.
// Needs `npm run build` first (dist/client.js, dist/server.js) and VSCODE_SERVER_HOME (else the install script
// runs). The workspace is copied to a temporary folder first; nothing in the repository is written but the PNG.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { NOISE, launchBrowser, resolveServerHome, startServer, tail, workbenchUrl } from './code-shim.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const screenshot = path.resolve(opt('--screenshot', 'docs/images/screenshot.png'));
const workspaceSource = path.resolve(root, opt('--workspace', 'test/e2e/workspace'));
const openRelative = opt('--open', 'horizon/local_settings.py');
const hoverOption = opt('--hover', 'PyMemcacheCache');
const timeoutMs = Number(opt('--timeout', '120000'));
const layers = flag('--layers');
const defaultsOf = opt('--defaults', '');
const showProblems = !flag('--no-problems') && !layers && !defaultsOf;
const [width, height] = opt('--size', '1400x1000').split('x').map(Number);
if (args.length) {
  console.error(`unknown arguments: ${args.join(' ')}`);
  process.exit(2);
}
for (const f of ['dist/client.js', 'dist/server.js', 'dist/server-start.js'])
  if (!fs.existsSync(path.join(root, f))) {
    console.error(`${f} is missing: run npm run build first`);
    process.exit(2);
  }

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-ui-'));
const workspace = path.join(scratch, 'workspace');
fs.cpSync(workspaceSource, workspace, { recursive: true });
const server = await startServer({
  serverHome: resolveServerHome(),
  userDataDir: path.join(scratch, 'user-data'),
  extensionsDir: path.join(scratch, 'extensions'),
  userSettings: {
    'editor.minimap.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'window.commandCenter': false,
    'editor.hover.delay': 100,
  },
});
const cleanup = () => {
  server.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

const browser = await launchBrowser();
const hoverText = layers || defaultsOf ? '' : hoverOption;
const page = await browser.newPage({ viewport: { width, height } });
page.setDefaultTimeout(timeoutMs);
try {
  await page.exposeFunction('codeAutomationLog', (type, a) => {
    const m = util.format(...(Array.isArray(a) ? a : [a]));
    if (process.env.VERBOSE || (!NOISE.test(m) && type === 'error')) console.log(`[vscode ${type}] ${m}`);
  });
  await page.exposeFunction('codeAutomationExit', () => undefined);
  const t0 = Date.now();
  await page.goto(
    workbenchUrl({
      ...server,
      folder: workspace,
      devPaths: [root],
      openFile: path.join(workspace, openRelative),
    }),
  );
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  await page.waitForSelector('.monaco-editor .view-line', { timeout: timeoutMs });
  await page.waitForSelector('.squiggly-warning, .squiggly-error, .squiggly-info', { timeout: timeoutMs });
  // Toasts (offline marketplace, sign-in) would cover the picture.
  for (const close of await page
    .locator('.notification-toast .codicon-notifications-clear, .notifications-toasts .codicon-close')
    .all())
    await close.click().catch(() => undefined);
  if (layers) {
    // The CodeLens above CACHES, then the Session storage view (its pane header in the Explorer).
    await page.waitForSelector('.codelens-decoration a', { timeout: 30000 });
    // Fold the file tree so the view has room, then open the view.
    await page.locator('.pane-header', { hasText: 'workspace' }).first().click();
    await page.locator('.pane-header', { hasText: 'Session Storage' }).first().click();
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.monaco-list-row')].some((e) =>
          e.textContent.includes('_0006_debian_cache.py'),
        ),
      undefined,
      { timeout: 30000 },
    );
    // No tooltip over the picture.
    await page.mouse.move(width - 10, height - 40);
    await page.waitForTimeout(800);
  }
  if (defaultsOf) {
    // The first-line lens "NAME: value — Horizon <release> default" opens the defaults document at NAME's line.
    const lens = page.locator('.codelens-decoration a', { hasText: `${defaultsOf}:` }).first();
    await lens.waitFor({ timeout: 30000 });
    await lens.click();
    await page.waitForFunction(
      (name) =>
        [...document.querySelectorAll('.tab')].some(
          (t) => t.textContent.includes('settings.py') && !t.textContent.includes('local_'),
        ) &&
        [...document.querySelectorAll('.monaco-editor .view-line')].some((e) =>
          e.textContent.replace(/\u00a0/g, ' ').startsWith(`${name} = `),
        ),
      defaultsOf,
      { timeout: 30000 },
    );
    await page.mouse.move(width - 10, height - 40);
    await page.waitForTimeout(800);
  }
  if (showProblems) {
    await page
      .locator('.monaco-editor .view-lines')
      .first()
      .click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 30000 });
  }
  if (hoverText) {
    // Bring the line into view (lines outside the viewport are not in the DOM): Go to Line.
    const line = fs
      .readFileSync(path.join(workspace, openRelative), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(hoverText));
    if (line >= 0) {
      await page
        .locator('.monaco-editor .view-lines')
        .first()
        .click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(line + 1));
      await page.keyboard.press('Enter');
    }
    // Monaco splits long tokens into several spans: find the text's middle character and point at it.
    await page.waitForFunction(
      (t) =>
        [...document.querySelectorAll('.monaco-editor .view-line')].some((e) => e.textContent.includes(t)),
      hoverText,
    );
    const point = await page.evaluate((t) => {
      const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((e) =>
        e.textContent.includes(t),
      );
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let target = line.textContent.indexOf(t) + Math.floor(t.length / 2);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (target < n.length) {
          const r = document.createRange();
          r.setStart(n, target);
          r.setEnd(n, target + 1);
          const box = r.getBoundingClientRect();
          return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        }
        target -= n.length;
      }
      return undefined;
    }, hoverText);
    if (!point) throw new Error(`"${hoverText}" is not on screen`);
    await page.mouse.move(point.x, point.y);
    await page.waitForSelector('.monaco-hover-content', { state: 'visible', timeout: 30000 });
    // The card is rendered in pieces (Markdown, then the diagnostic part): wait until it stops growing.
    let last = -1;
    for (let i = 0; i < 20; i++) {
      const size = (await page.locator('.monaco-hover-content').first().innerText()).length;
      if (size === last) break;
      last = size;
      await page.waitForTimeout(250);
    }
  }
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  console.log(
    `wrote ${path.relative(process.cwd(), screenshot)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
} catch (err) {
  await page.screenshot({ path: `${screenshot}.failed.png` }).catch(() => undefined);
  console.error(
    `UI run failed (picture of the moment: ${screenshot}.failed.png): ${err instanceof Error ? err.message : err}\nlast lines of ${server.logFile}:\n${tail(server.logFile, 20)}`,
  );
  process.exitCode = 1;
} finally {
  await browser.close().catch(() => undefined);
}
// The VS Code server child would keep the process alive: exit (the exit handler stops it and removes the copy).
process.exit();
