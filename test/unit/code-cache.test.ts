/**
 * The V8 code cache the CLI and the language server load their bundles through (server/src/node/code-cache.ts),
 * in node processes of their own: the server's data is made right after compiling (before the code runs and sets
 * V8 flags, lsp/heap.ts), so the next start uses it instead of parsing the bundle again.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CODE_CACHE = path.join(__dirname, '..', '..', 'server', 'src', 'node', 'code-cache.js');

/** Loads `bundle` through the code cache in a fresh node (no compile cache of Node's own); what it printed. */
function load(bundle: string, cacheHome: string, when: 'exit' | 'compiled', nodeArgs: string[] = []): string {
  const script = `
    // Node >= 22.1 would use its own compile cache: this tests the one for older Node (and Electron).
    require('node:module').enableCompileCache = undefined;
    const { requireWithCodeCache } = require(${JSON.stringify(CODE_CACHE)});
    const env = { XDG_CACHE_HOME: ${JSON.stringify(cacheHome)} };
    const exports = requireWithCodeCache(${JSON.stringify(bundle)}, env, ${JSON.stringify(when)});
    console.log(JSON.stringify({ answer: exports.answer, flags: exports.flags }));
  `;
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function cacheFiles(cacheHome: string): string[] {
  const root = path.join(cacheHome, 'django-session-lint');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => path.join(root, d, f)));
}

describe('code cache', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-code-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes the data right after compiling, before the bundle runs, and uses it on the next load', () => {
    const cacheHome = path.join(dir, 'cache');
    const bundle = path.join(dir, 'bundle.js');
    // The bundle reports whether the data was already written when it ran, then changes a V8 flag as the
    // server's heap tuning does (which must not make the data stale).
    fs.writeFileSync(
      bundle,
      `const fs = require('node:fs');
       const path = require('node:path');
       const root = path.join(${JSON.stringify(cacheHome)}, 'django-session-lint');
       const written = fs.existsSync(root) && fs.readdirSync(root).some((d) => fs.readdirSync(path.join(root, d)).length > 0);
       require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
       exports.answer = 42;
       exports.flags = written;`,
    );
    assert.deepEqual(JSON.parse(load(bundle, cacheHome, 'compiled')), { answer: 42, flags: true });
    const [file] = cacheFiles(cacheHome);
    assert.ok(file, 'no cached data written');
    const first = fs.statSync(file);
    assert.ok(first.size > 0);
    // Accepted the second time: not rewritten (a rejected one is written again).
    assert.deepEqual(JSON.parse(load(bundle, cacheHome, 'compiled')), { answer: 42, flags: true });
    assert.deepEqual(cacheFiles(cacheHome), [file]);
    assert.equal(fs.statSync(file).mtimeMs, first.mtimeMs);
  });

  it('keeps one entry per set of node flags, so two ways of starting the bundle do not reject each other', () => {
    const cacheHome = path.join(dir, 'cache');
    const bundle = path.join(dir, 'bundle.js');
    fs.writeFileSync(bundle, 'exports.answer = 1; exports.flags = true;');
    load(bundle, cacheHome, 'compiled');
    const [plain] = cacheFiles(cacheHome);
    assert.ok(plain, 'no cached data written');
    const made = fs.statSync(plain).mtimeMs;
    // Started with another V8 flag (as the bench's heap probe starts the server): data of its own.
    load(bundle, cacheHome, 'compiled', ['--expose-gc']);
    assert.equal(cacheFiles(cacheHome).length, 2);
    // The plain start's data is still accepted: not rewritten.
    load(bundle, cacheHome, 'compiled');
    assert.equal(fs.statSync(plain).mtimeMs, made);
    assert.equal(cacheFiles(cacheHome).length, 2);
  });

  it('makes the data at exit for the CLI (it then holds what the run compiled)', () => {
    const cacheHome = path.join(dir, 'cache');
    const bundle = path.join(dir, 'bundle.js');
    fs.writeFileSync(
      bundle,
      `const fs = require('node:fs');
       exports.answer = 7;
       exports.flags = fs.existsSync(${JSON.stringify(path.join(cacheHome, 'django-session-lint'))});`,
    );
    assert.deepEqual(JSON.parse(load(bundle, cacheHome, 'exit')), { answer: 7, flags: false });
    assert.equal(cacheFiles(cacheHome).length, 1);
  });
});
