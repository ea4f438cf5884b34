/** Neovim (Debian `neovim`, headless) as a second, independent LSP client: the bundled server's diagnostics and hover as Neovim shows them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../common/server-start';
import { findSessionEngine, ENGINE_CACHE } from '../../server/src/core/knowledge';
import { REPO_ROOT, SERVER_BUNDLE } from '../lsp/lsp-client';

const SCRIPT = path.join(REPO_ROOT, 'test', 'nvim', 'lsp-check.lua');
const LAYERS_SCRIPT = path.join(REPO_ROOT, 'test', 'nvim', 'layers-check.lua');
const DEPLOYMENT_SCRIPT = path.join(REPO_ROOT, 'test', 'nvim', 'deployment-check.lua');
const DEPLOYMENTS = path.join(REPO_ROOT, 'test', 'fixtures', 'deployments');
const REAL_DEBIAN = '/etc/openstack-dashboard';

/**
 * Runs a check script in headless Neovim against the bundled server, with `env` for the script (LSP_FILE, …);
 * HOME and the XDG directories in `tmp`, so Neovim writes its state (shada, logs) there, not in the user's home.
 * Fails unless Neovim exits 0; returns what it printed.
 */
function runNvim(script: string, tmp: string, env: Record<string, string>): string {
  const version = nvimAvailable();
  assert.ok(
    version,
    'Neovim is missing: install it with `apt-get install -y neovim` (scripts/ensure-test-deps.mjs lists it)',
  );
  assert.ok(fs.existsSync(SERVER_BUNDLE), `${SERVER_BUNDLE} is missing: run \`npm run build\``);
  const r = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${script}`], {
    env: {
      ...process.env,
      HOME: tmp,
      XDG_STATE_HOME: path.join(tmp, 'state'),
      XDG_DATA_HOME: path.join(tmp, 'data'),
      XDG_CACHE_HOME: path.join(tmp, 'cache'),
      XDG_CONFIG_HOME: path.join(tmp, 'config'),
      LSP_SERVER_JS: SERVER_BUNDLE,
      LSP_NODE_FLAGS: SERVER_NODE_FLAGS.join(' '),
      ...env,
    },
    encoding: 'utf8',
    timeout: 50000,
    cwd: tmp,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `nvim (${version}) failed:\n${output}`);
  return output;
}

/** Runs deployment-check.lua on a layout; returns its output lines. */
function runDeploymentCheck(
  tmp: string,
  env: { file: string; root: string; lens: string; needle: string; shift: number; defaultsNeedle?: string },
): string[] {
  return runNvim(DEPLOYMENT_SCRIPT, tmp, {
    LSP_FILE: env.file,
    LSP_ROOT: env.root,
    LSP_LENS: env.lens,
    LSP_DEF_NEEDLE: env.needle,
    LSP_DEF_SHIFT: String(env.shift),
    LSP_SETTINGS: JSON.stringify({}),
    ...(env.defaultsNeedle ? { LSP_DEFAULTS_NEEDLE: env.defaultsNeedle } : {}),
  }).split('\n');
}

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
    const output = runNvim(SCRIPT, tmp, {
      LSP_FILE: file,
      LSP_SETTINGS: JSON.stringify({ djangoVersion: '4.2', horizonRelease: '2024.2' }),
    });
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

  it("Debian's layout: the first-line lens names _0006_debian_cache.py for CACHES and opens it; layers in load order; the closed snippet's problem is pulled", () => {
    const dir = path.join(tmp, 'openstack-dashboard');
    fs.cpSync(path.join(DEPLOYMENTS, 'debian-12-package', 'etc', 'openstack-dashboard'), dir, {
      recursive: true,
    });
    const lines = runDeploymentCheck(tmp, {
      file: path.join(dir, 'local_settings.py'),
      root: dir,
      lens: 'CACHES:',
      needle: 'CACHES = {',
      shift: 2,
    });
    const output = lines.join('\n');
    assert.ok(
      lines.some((l) =>
        /^lens 1: CACHES: LocMemCache — local_settings\.d\/_0006_debian_cache\.py:3 \(overrides the Horizon \S+ default\)$/.test(
          l,
        ),
      ),
      output,
    );
    const snippet = path.join(dir, 'local_settings.d', '_0006_debian_cache.py');
    assert.ok(lines.includes(`lens opened: ${snippet}:3 CACHES = {`), output);
    assert.deepEqual(
      lines
        .filter((l) => l.startsWith('layer: '))
        .map((l) => l.replace(/^layer: (Django|Horizon) \S+ /, 'layer: $1 ')),
      [
        'layer: Django defaults',
        'layer: Horizon defaults (built in)',
        'layer: local_settings.py',
        'layer: local_settings.d/_0001_debian_debug.py',
        'layer: local_settings.d/_0002_debian_compress_offline.py',
        'layer: local_settings.d/_0003_debian_static_root.py',
        'layer: local_settings.d/_0004_debian_osprofiler.py',
        'layer: local_settings.d/_0005_debian_webroot.py',
        'layer: local_settings.d/_0006_debian_cache.py',
      ],
      output,
    );
    assert.ok(lines.includes(`workspace diagnostic: ${snippet} DSL104@5`), output);
  });

  it("real Debian (/etc/openstack-dashboard): Go to Definition of SESSION_ENGINE lands on Horizon's settings.py line, as its lens does", () => {
    assert.ok(
      fs.existsSync(path.join(REAL_DEBIAN, 'local_settings.py')),
      "Debian's openstack-dashboard is missing: node scripts/ensure-test-deps.mjs installs it",
    );
    const lines = runDeploymentCheck(tmp, {
      file: path.join(REAL_DEBIAN, 'local_settings.py'),
      root: REAL_DEBIAN,
      lens: 'SESSION_ENGINE:',
      needle: '#SESSION_ENGINE',
      shift: 3,
    });
    const output = lines.join('\n');
    const def = lines.filter((l) => l.startsWith('definition: '));
    assert.equal(def.length, 1, output);
    const m = /^definition: (.*openstack_dashboard\/settings\.py):(\d+) (.*)$/.exec(def[0]!);
    assert.ok(m, output);
    assert.match(m[3]!, /^SESSION_ENGINE = 'django\.contrib\.sessions\.backends\.cache'/);
    assert.ok(
      lines.some((l) => l.startsWith(`lens 1: SESSION_ENGINE: cache — Horizon default (${m[1]}:${m[2]})`)),
      output,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`lens opened: ${m[1]}:${m[2]} SESSION_ENGINE = `)),
      output,
    );
    const layers = lines.filter((l) => l.startsWith('layer: '));
    assert.equal(layers[1], `layer: ${m[1]}`, output);
    assert.equal(layers.at(-1), 'layer: local_settings.d/_0006_debian_cache.py', output);
  });

  it("kolla's config directory: _9998's LOCATION lens opens _9999, which replaces CACHES; definition (of a built-in default too); layers; the closed _9999 pulled", () => {
    const dir = path.join(tmp, 'horizon');
    fs.cpSync(path.join(DEPLOYMENTS, 'kolla-2024.1-custom-locmem', 'etc', 'kolla', 'horizon'), dir, {
      recursive: true,
    });
    // A name no file sets, read by the operator's settings: its definition is Horizon's built-in default.
    fs.appendFileSync(path.join(dir, '_9998-kolla-settings.py'), 'SESSION_COOKIE_AGE = SESSION_TIMEOUT\n');
    const lines = runDeploymentCheck(tmp, {
      file: path.join(dir, '_9998-kolla-settings.py'),
      root: dir,
      lens: 'overridden by',
      needle: 'SESSION_ENGINE',
      shift: 2,
      defaultsNeedle: '= SESSION_TIMEOUT',
    });
    const output = lines.join('\n');
    const custom = path.join(dir, '_9999-custom-settings.py');
    assert.ok(lines.includes('lens 8: overridden by _9999-custom-settings.py:2 → LocMemCache'), output);
    assert.ok(lines.includes(`lens opened: ${custom}:2 CACHES = {`), output);
    assert.ok(
      lines.includes(
        `definition: ${path.join(dir, '_9998-kolla-settings.py')}:7 SESSION_ENGINE = 'django.contrib.sessions.backends.cache'`,
      ),
      output,
    );
    assert.deepEqual(
      lines.filter((l) => l.startsWith('layer: ')).slice(2),
      ['layer: _9998-kolla-settings.py', 'layer: _9999-custom-settings.py'],
      output,
    );
    assert.ok(lines.includes(`workspace diagnostic: ${custom} DSL104@4`), output);
    assert.ok(
      lines.some((l) =>
        /^defaults definition: django-session-lint-defaults:\/\/built-in\/horizon\/[\d.]+\/settings\.py:\d+ SESSION_TIMEOUT = 3600 {2}# openstack_auth\/defaults\.py$/.test(
          l,
        ),
      ),
      output,
    );
  });

  it('runs the layers where you type: CodeLens opens the overriding snippet, definition, references, links, layers, pull and check', () => {
    const dir = path.join(tmp, 'horizon');
    fs.mkdirSync(path.join(dir, 'local_settings.d'), { recursive: true });
    const file = path.join(dir, 'local_settings.py');
    fs.writeFileSync(
      file,
      [
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.1:11211'}}",
        `SNIPPETS = '${path.join(dir, 'local_settings.d')}'`,
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'local_settings.d', '_0006_debian_cache.py'),
      "# Debian\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    );
    const closed = path.join(tmp, 'other', 'local_settings.py');
    fs.mkdirSync(path.dirname(closed), { recursive: true });
    fs.writeFileSync(closed, "SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'\n");
    const output = runNvim(LAYERS_SCRIPT, tmp, {
      LSP_FILE: file,
      LSP_CLOSED: closed,
      LSP_SETTINGS: JSON.stringify({ djangoVersion: '4.2', horizonRelease: '2024.1' }),
    });
    const lines = output.split('\n');
    assert.ok(lines.includes('codeLensProvider: true'), output);
    assert.ok(
      lines.includes('lens 2: overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache'),
      output,
    );
    assert.ok(lines.includes('lens opened: _0006_debian_cache.py:2'), output);
    assert.ok(lines.includes('definition: local_settings.d/_0006_debian_cache.py:2'), output);
    const refs = lines.filter((l) => l.startsWith('reference: '));
    assert.deepEqual(refs, [
      'reference: horizon/local_settings.py:2',
      'reference: local_settings.d/_0006_debian_cache.py:2',
    ]);
    assert.ok(lines.includes('link 3: local_settings.d/_0006_debian_cache.py'), output);
    const layers = lines.filter((l) => l.startsWith('layer: '));
    assert.deepEqual(
      layers.slice(2),
      [
        'layer: local_settings.py | SESSION_ENGINE=cache*, CACHES=PyMemcacheCache',
        'layer: local_settings.d/_0006_debian_cache.py | CACHES=LocMemCache*',
      ],
      output,
    );
    // The open file's problems are pushed, so its pull report is empty; the snippet's DSL104 is pulled.
    assert.ok(lines.includes('workspace diagnostic: horizon/local_settings.py '), output);
    assert.ok(
      lines.some((l) => /^workspace diagnostic: local_settings\.d\/_0006_debian_cache\.py .*DSL104/.test(l)),
      output,
    );
    assert.ok(
      lines.some((l) => /^workspace diagnostic: other\/local_settings\.py .*DSL101/.test(l)),
      output,
    );
    assert.ok(
      lines.some((l) => /^check: projects=2 files=3 problems=\d+$/.test(l)),
      output,
    );
    assert.ok(lines.includes('closed published: DSL101'), output);
  });
});
