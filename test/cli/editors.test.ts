/** Editors and scripts: `-` with --stdin-filename (the name decides the project and the paths; nothing written), --add-noqa (suppression comments, idempotent), FORCE_COLOR beside NO_COLOR. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useColor } from '../../server/src/cli/run';
import {
  assertBundle,
  CLI_BUNDLE,
  LOCMEM_SETTINGS,
  makeProject,
  pythonParses,
  removeProject,
  runCli,
  suiteProjects,
} from './cli-harness';

function withStdin(
  args: readonly string[],
  cwd: string,
  input: string,
): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NO_COLOR'];
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ESC = '\u001b';
const SNIPPET_LOCMEM = `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n`;

describe('cli: stdin (-) with --stdin-filename', () => {
  before(assertBundle);
  const project = suiteProjects();

  it("lints the text under the given name, as part of that file's project, and writes nothing", () => {
    const dir = project({
      'etc/local_settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:11211'}}\n",
      'etc/local_settings.d/_10_cache.py': '# on disk: nothing\n',
    });
    const snippet = path.join(dir, 'etc/local_settings.d/_10_cache.py');
    // The unsaved buffer of the snippet overrides local_settings.py's cache: a Horizon finding across layers.
    const r = withStdin(
      ['-', '--stdin-filename', 'etc/local_settings.d/_10_cache.py', '--select', 'DSL104,DSL404'],
      dir,
      SNIPPET_LOCMEM,
    );
    assert.match(r.stdout, /^etc\/local_settings\.d\/_10_cache\.py:1:\d+: DSL104 /m, r.stdout + r.stderr);
    assert.match(r.stdout, /DSL404/);
    assert.equal(fs.readFileSync(snippet, 'utf8'), '# on disk: nothing\n');

    const diff = withStdin(
      ['-', '--stdin-filename', 'etc/local_settings.d/_10_cache.py', '--diff', '--unsafe-fixes'],
      dir,
      SNIPPET_LOCMEM,
    );
    assert.match(diff.stdout, /^--- etc\/local_settings\.d\/_10_cache\.py$/m);
    assert.equal(fs.readFileSync(snippet, 'utf8'), '# on disk: nothing\n', '--diff writes nothing');
  });

  it('a name that does not exist is a project of its own; JSON paths use the name', () => {
    const dir = project({});
    const r = withStdin(
      ['-', '--stdin-filename', 'new/settings.py', '--format', 'json'],
      dir,
      LOCMEM_SETTINGS,
    );
    const out = JSON.parse(r.stdout) as { diagnostics: { path: string; code: string }[] };
    assert.deepEqual(
      out.diagnostics.map((d) => [d.path, d.code]),
      [['new/settings.py', 'DSL104']],
    );
    assert.equal(fs.existsSync(path.join(dir, 'new')), false);
  });

  it('refuses what it cannot do with stdin', () => {
    const dir = project({});
    assert.match(withStdin(['-'], dir, '').stderr, /the path - \(stdin\) needs --stdin-filename NAME/);
    assert.match(
      withStdin(['-', '--stdin-filename', 'a.py', '--fix'], dir, '').stderr,
      /--fix cannot write to stdin; use --diff/,
    );
    assert.match(
      withStdin(['x', '--stdin-filename', 'a.py'], dir, '').stderr,
      /--stdin-filename is only for the path -/,
    );
  });
});

describe('cli: --add-noqa', () => {
  it('adds a suppression comment for every finding, keeps valid Python, and is idempotent', () => {
    assertBundle();
    const text = `${LOCMEM_SETTINGS}INSTALLED_APPS = ['django.contrib.sessions']
SESSION_COOKIE_SECURE = False  # already commented
SESSION_COOKIE_HTTPONLY = False  # session-lint: ignore[DSL999]
`;
    const dir = makeProject({ 'app/settings.py': text });
    try {
      const file = path.join(dir, 'app/settings.py');
      const mode = 0o640;
      fs.chmodSync(file, mode);
      const before = runCli(['app', '--profile', 'production', '-q'], dir);
      const found = [...before.stdout.matchAll(/: (DSL\d{3}) /g)].length;
      assert.ok(found >= 3, before.stdout);

      const r = runCli(['app', '--profile', 'production', '--add-noqa'], dir);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`^Added ${found} suppression comments to 1 file\\.$`, 'm'));
      const after = fs.readFileSync(file, 'utf8');
      assert.match(
        after,
        /^SESSION_COOKIE_SECURE = False {2}# already commented {2}# session-lint: ignore\[DSL501\]$/m,
      );
      assert.match(after, /^SESSION_COOKIE_HTTPONLY = False {2}# session-lint: ignore\[DSL999, DSL502\]$/m);
      assert.equal(fs.statSync(file).mode & 0o777, mode, 'the safe-write path keeps the mode');
      assert.ok(pythonParses(file).ok);
      assert.deepEqual(
        [...runCli(['app', '--profile', 'production', '-q'], dir).stdout.matchAll(/: (DSL\d{3}) /g)],
        [],
      );

      const again = runCli(['app', '--profile', 'production', '--add-noqa'], dir);
      assert.match(again.stdout, /^Added 0 suppression comments to 0 files\.$/m);
      assert.equal(fs.readFileSync(file, 'utf8'), after, 'idempotent');
    } finally {
      removeProject(dir);
    }
  });
});

describe('cli: colour (NO_COLOR, FORCE_COLOR)', () => {
  const tty = { isTTY: true, env: {} };
  it('follows node: a set FORCE_COLOR decides (1, true, 2, 3, empty: on; 0, false, other: off) over NO_COLOR and the terminal', () => {
    assert.equal(useColor({ noColor: false }, tty), true);
    assert.equal(useColor({ noColor: false }, { isTTY: false, env: {} }), false);
    assert.equal(useColor({ noColor: false }, { isTTY: true, env: { NO_COLOR: '1' } }), false);
    for (const v of ['1', 'true', '2', '3', ''])
      assert.equal(
        useColor({ noColor: false }, { isTTY: false, env: { FORCE_COLOR: v, NO_COLOR: '1' } }),
        true,
        v,
      );
    for (const v of ['0', 'false', 'yes'])
      assert.equal(useColor({ noColor: false }, { isTTY: true, env: { FORCE_COLOR: v } }), false, v);
    assert.equal(
      useColor({ noColor: true }, { isTTY: true, env: { FORCE_COLOR: '1' } }),
      false,
      '--no-color wins',
    );
  });

  it('FORCE_COLOR colours piped output; NO_COLOR alone leaves it plain', () => {
    assertBundle();
    const dir = makeProject({ 'app/settings.py': LOCMEM_SETTINGS });
    try {
      const forced = runCli(['app'], dir, { FORCE_COLOR: '1' });
      assert.ok(forced.stdout.includes(`${ESC}[1m`), forced.stdout);
      const both = runCli(['app'], dir, { FORCE_COLOR: '1', NO_COLOR: '1' });
      assert.ok(both.stdout.includes(`${ESC}[`), 'FORCE_COLOR wins over NO_COLOR, as in node');
      const plain = runCli(['app'], dir, { NO_COLOR: '1' });
      assert.ok(!plain.stdout.includes(ESC));
      assert.ok(!runCli(['app'], dir, { FORCE_COLOR: '0' }).stdout.includes(ESC));
    } finally {
      removeProject(dir);
    }
  });
});
