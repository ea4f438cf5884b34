/** Tests of the test harness itself: the oracle comparison can fail, the CI results reporter and summary count right, the deps script says what to install. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareEffective, type Expectations } from './helpers/compare';
import type { OracleSettings } from './helpers/oracle';
import { ENSURE_DEPS_SCRIPT, REPO_ROOT, RESULTS_REPORTER } from './helpers/paths';

const PY: OracleSettings = {
  mode: 'layers',
  SESSION_ENGINE: 'django.contrib.sessions.backends.cache',
  SESSION_CACHE_ALIAS: 'default',
  SESSION_SERIALIZER: 'django.contrib.sessions.serializers.PickleSerializer',
  CACHES: {
    default: { BACKEND: 'django_redis.cache.RedisCache', LOCATION: 'redis://127.0.0.1:6379/1' },
    local: { BACKEND: 'django.core.cache.backends.locmem.LocMemCache', LOCATION: null },
  },
  DATABASES: {},
};

const known = (value: unknown) => ({ known: true, value, setBy: { path: 'local_settings.py', line: 1 } });

function agreeingEffective(): Record<string, unknown> {
  return {
    SESSION_ENGINE: known(PY.SESSION_ENGINE),
    SESSION_CACHE_ALIAS: { known: true, value: 'default', setBy: { default: 'django' } },
    SESSION_SERIALIZER: known(PY.SESSION_SERIALIZER),
    CACHES: {
      default: {
        BACKEND: known('django_redis.cache.RedisCache'),
        LOCATION: known('redis://127.0.0.1:6379/1'),
      },
      local: {
        BACKEND: known('django.core.cache.backends.locmem.LocMemCache'),
        LOCATION: { known: false, reason: 'not set' },
      },
    },
    DATABASES: {},
  };
}

const ALL: Expectations = {
  expectKnown: ['SESSION_ENGINE', 'SESSION_CACHE_ALIAS', 'SESSION_SERIALIZER', 'CACHES'],
};

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-harness-'));
  tmpDirs.push(d);
  return d;
}
after(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('harness: compareEffective (the oracle comparison)', () => {
  it('passes when every value agrees, counting "not set" against a missing LOCATION', () => {
    const c = compareEffective(PY, agreeingEffective(), ALL);
    assert.deepEqual(c.problems, []);
    assert.equal(c.agreed, 7);
  });

  it('fails on a known value that differs from Python', () => {
    const eff = agreeingEffective();
    (eff['CACHES'] as Record<string, Record<string, unknown>>)['default']!['LOCATION'] =
      known('127.0.0.1:6379:1');
    const c = compareEffective(PY, eff, ALL);
    assert.equal(c.problems.length, 1);
    assert.match(c.problems[0]!, /^CACHES\.default\.LOCATION: the analyser disagrees/);
  });

  it('fails when an expected-known value is unknown, and accepts it when not expected', () => {
    const eff = agreeingEffective();
    eff['SESSION_ENGINE'] = { known: false, reason: 'depends on an import' };
    assert.equal(compareEffective(PY, eff, ALL).problems.length, 1);
    assert.deepEqual(compareEffective(PY, eff, { expectKnown: ['CACHES'] }).problems, []);
  });

  it("compares an unknown's default with Python's clean-environment value", () => {
    const eff = agreeingEffective();
    eff['SESSION_ENGINE'] = { known: false, reason: 'environment', default: PY.SESSION_ENGINE };
    const exp = { expectKnown: ['CACHES'], expectDefault: ['SESSION_ENGINE'] };
    assert.deepEqual(compareEffective(PY, eff, exp).problems, []);
    eff['SESSION_ENGINE'] = {
      known: false,
      reason: 'environment',
      default: 'django.contrib.sessions.backends.db',
    };
    assert.equal(compareEffective(PY, eff, exp).problems.length, 1);
    eff['SESSION_ENGINE'] = { known: false, reason: 'environment' };
    assert.match(compareEffective(PY, eff, exp).problems[0] ?? '', /expected known or a default/);
  });

  it('fails on a missing setting, a missing expected alias and an alias Python does not have', () => {
    const eff = agreeingEffective();
    delete eff['SESSION_SERIALIZER'];
    const caches = eff['CACHES'] as Record<string, unknown>;
    delete caches['local'];
    caches['sessions'] = { BACKEND: known('django.core.cache.backends.redis.RedisCache') };
    const keys = compareEffective(PY, eff, ALL).problems.map((p) => p.split(':')[0]);
    assert.deepEqual(keys.sort(), ['CACHES.local.BACKEND', 'CACHES.sessions', 'SESSION_SERIALIZER']);
  });

  it('compares DATABASES engines when asked', () => {
    const py = { ...PY, DATABASES: { default: { ENGINE: 'django.db.backends.mysql' } } };
    const eff = {
      ...agreeingEffective(),
      DATABASES: { default: { ENGINE: known('django.db.backends.sqlite3') } },
    };
    assert.deepEqual(compareEffective(py, eff, ALL).problems, []);
    assert.equal(compareEffective(py, eff, ALL, { databases: true }).problems.length, 1);
  });
});

describe('harness: CI results reporter and summary', function () {
  this.timeout(30_000);

  it('writes passed / failed / pending counts for .ci/run', () => {
    assert.ok(fs.existsSync(RESULTS_REPORTER), `${RESULTS_REPORTER} is not built (tsc -b test)`);
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'sample.test.js'),
      [
        "const assert = require('node:assert/strict');",
        "describe('sample', () => {",
        "  it('passes', () => {});",
        "  it('passes too', () => {});",
        "  it('fails', () => assert.equal(1, 2));",
        // Built from parts so that searches for skipped tests in this repository do not match the sample.
        '  it' + ".skip('is skipped', () => {});",
        '});',
      ].join('\n'),
    );
    const output = path.join(dir, 'results.json');
    const mocha = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const r = spawnSync(
      process.execPath,
      [mocha, '--reporter', RESULTS_REPORTER, '--reporter-option', `output=${output}`, 'sample.test.js'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, DSL_TEST_RESULTS: '' },
      },
    );
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /2 passing/, 'still prints like the spec reporter');
    const counts = JSON.parse(fs.readFileSync(output, 'utf8'));
    assert.deepEqual(
      { passed: counts.passed, failed: counts.failed, pending: counts.pending },
      { passed: 2, failed: 1, pending: 1 },
    );
  });

  it('sums suites, counts pending and result-less failed suites as failures, and exits 1 unless all passed', () => {
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'unit.json'),
      JSON.stringify({ passed: 5, failed: 0, pending: 0, tests: 5 }),
    );
    fs.writeFileSync(
      path.join(dir, 'editor.json'),
      JSON.stringify({ passed: 2, failed: 1, pending: 1, tests: 4 }),
    );
    const summary = path.join(REPO_ROOT, 'test', 'real', 'ci-summary.mjs');
    const run = (...suites: string[]) =>
      spawnSync(process.execPath, [summary, dir, ...suites], { encoding: 'utf8' });

    const good = run('unit=0');
    assert.deepEqual([good.stdout, good.status], ['5 passed, 0 failed\n', 0]);
    const mixed = run('unit=0', 'editor=1');
    assert.deepEqual([mixed.stdout, mixed.status], ['7 passed, 2 failed\n', 1]);
    const crashed = run('unit=0', 'build=2');
    assert.deepEqual([crashed.stdout, crashed.status], ['5 passed, 1 failed\n', 1]);
    const exitedBadly = run('unit=1');
    assert.deepEqual([exitedBadly.stdout, exitedBadly.status], ['5 passed, 1 failed\n', 1]);
    fs.writeFileSync(
      path.join(dir, 'empty.json'),
      JSON.stringify({ passed: 0, failed: 0, pending: 0, tests: 0 }),
    );
    const none = run('empty=0');
    assert.deepEqual([none.stdout, none.status], ['0 passed, 0 failed\n', 1]);
  });
});

describe('harness: scripts/ensure-test-deps.mjs', function () {
  this.timeout(30_000);

  interface EnsureDeps {
    DEBIAN_PACKAGES: string[];
    SETUP_HOOKS: unknown[];
    nodeModulesProblem(root: string): string | null;
  }
  const load = async (): Promise<EnsureDeps> =>
    (await import(pathToFileURL(ENSURE_DEPS_SCRIPT).href)) as EnsureDeps;

  it('lists the Debian packages the tests need, in one exported constant, with a setup hook point', async () => {
    const m = await load();
    for (const pkg of [
      'openstack-dashboard',
      'python3-django',
      'neovim',
      'chromium',
      'libkrb5-dev',
      'pre-commit',
      'ripgrep',
    ]) {
      assert.ok(m.DEBIAN_PACKAGES.includes(pkg), pkg);
    }
    assert.ok(Array.isArray(m.SETUP_HOOKS));
  });

  it('finds node_modules missing or stale against package-lock.json', async () => {
    const { nodeModulesProblem } = await load();
    const root = tmpDir();
    const write = (rel: string, data: unknown) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), JSON.stringify(data));
    };
    write('package.json', { name: 'x', dependencies: { a: '^1.0.0' } });
    write('package-lock.json', {
      lockfileVersion: 3,
      packages: {
        '': { name: 'x', dependencies: { a: '^1.0.0' } },
        'node_modules/a': { version: '1.2.0' },
        'node_modules/opt': { version: '1.0.0', optional: true },
      },
    });
    assert.match(nodeModulesProblem(root) ?? '', /node_modules is missing/);
    write('node_modules/a/package.json', { name: 'a', version: '1.1.0' });
    assert.match(
      nodeModulesProblem(root) ?? '',
      /node_modules\/a is 1\.1\.0, package-lock\.json wants 1\.2\.0/,
    );
    write('node_modules/a/package.json', { name: 'a', version: '1.2.0' });
    assert.equal(nodeModulesProblem(root), null, 'an absent optional dependency is fine');
    write('package.json', { name: 'x', dependencies: { a: '^1.0.0', b: '^2.0.0' } });
    assert.match(nodeModulesProblem(root) ?? '', /list different dependencies/);
  });

  it('on a machine without apt, names every package and the exact commands, and exits 1', () => {
    const emptyPath = tmpDir(); // no apt-get, no dpkg-query on PATH
    const r = spawnSync(process.execPath, [ENSURE_DEPS_SCRIPT, '--debian-only'], {
      encoding: 'utf8',
      env: { PATH: emptyPath, HOME: emptyPath },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /apt-get is not available/);
    assert.match(
      r.stderr,
      /apt-get install -y --no-install-recommends openstack-dashboard python3-django neovim chromium libkrb5-dev/,
    );
  });
});
