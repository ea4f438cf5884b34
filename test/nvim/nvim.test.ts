/** Neovim (Debian `neovim`, headless) as a second, independent LSP client: the bundled server's diagnostics and hover as Neovim shows them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSessionEngine, ENGINE_CACHE } from '../../server/src/core/knowledge';
import { REPO_ROOT, SERVER_BUNDLE } from '../lsp/lsp-client';

const SCRIPT = path.join(REPO_ROOT, 'test', 'nvim', 'lsp-check.lua');

function nvimAvailable(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return r.error ? undefined : r.stdout.split('\n')[0];
}

describe('Neovim as an LSP client', function () {
  this.timeout(60000);
  let tmp = '';

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-nvim-')));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('shows the diagnostics of a Horizon local_settings.py and hovers SESSION_ENGINE', () => {
    const version = nvimAvailable();
    assert.ok(
      version,
      'Neovim is missing: install it with `apt-get install -y neovim` (scripts/ensure-test-deps.mjs lists it)',
    );
    assert.ok(fs.existsSync(SERVER_BUNDLE), `${SERVER_BUNDLE} is missing: run \`npm run build\``);
    const dir = path.join(tmp, 'horizon');
    fs.mkdirSync(path.join(dir, 'local_settings.d'), { recursive: true });
    const file = path.join(dir, 'local_settings.py');
    fs.writeFileSync(
      file,
      [
        'DEBUG = False',
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
        "SESSION_COOKIE_SAMESITE = 'Loose'",
        '',
      ].join('\n'),
    );
    // HOME and XDG dirs in the temp directory: Neovim writes state (shada, logs) there, not in the user's home.
    const env = {
      ...process.env,
      HOME: tmp,
      XDG_STATE_HOME: path.join(tmp, 'state'),
      XDG_DATA_HOME: path.join(tmp, 'data'),
      XDG_CACHE_HOME: path.join(tmp, 'cache'),
      XDG_CONFIG_HOME: path.join(tmp, 'config'),
      LSP_SERVER_JS: SERVER_BUNDLE,
      LSP_FILE: file,
      LSP_SETTINGS: JSON.stringify({ djangoVersion: '4.2', horizonRelease: '2024.2' }),
    };
    const r = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${SCRIPT}`], {
      env,
      encoding: 'utf8',
      timeout: 50000,
      cwd: tmp,
    });
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, `nvim (${version}) failed:\n${output}`);
    assert.match(output, /server hoverProvider: true/);
    const diagnostics = [
      ...output.matchAll(/^diagnostic (\d+):(\d+) severity=(\d) (DSL\d{3}) \(django-session-lint\)$/gm),
    ].map((m) => `${m[1]} ${m[4]}`);
    // Line 3: the LocMemCache backend (DSL104); line 4: the invalid SameSite value (DSL503).
    assert.ok(diagnostics.includes('3 DSL104'), output);
    assert.ok(diagnostics.includes('4 DSL503'), output);
    const count = /vim\.diagnostic\.get count: (\d+)/.exec(output);
    assert.equal(Number(count?.[1]), diagnostics.length, 'Neovim shows every published diagnostic');
    const hover = /^hover: (.*)$/m.exec(output)?.[1] ?? '';
    assert.match(hover, /Session engine/);
    assert.ok(hover.includes(findSessionEngine(ENGINE_CACHE)!.card.summary), hover);
  });
});
