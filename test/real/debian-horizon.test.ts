/** CI test on Debian's real openstack-dashboard package: the CLI finds the per-process LocMemCache that _0006_debian_cache.py puts under cache sessions. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeRun,
  isEffectiveValue,
  parseReport,
  runCli,
  type CliReport,
  type CliRun,
} from './helpers/cli';
import { debianUpstreamVersion, requireDebianHorizon } from './helpers/debian';
import { horizonSession } from './helpers/oracle';
import { startMemcached, type StartedServer } from './helpers/store-servers';
import { DEBIAN, slashes } from './helpers/paths';

const SNIPPET_SUFFIX = 'local_settings.d/_0006_debian_cache.py';
const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';
const CACHE_ENGINE = 'django.contrib.sessions.backends.cache';

/** Lines of the real snippet where a CACHES location may point: the `CACHES =` statement or its 'BACKEND' key. */
function snippetLines(): number[] {
  const lines = fs.readFileSync(DEBIAN.cacheSnippet, 'utf8').split('\n');
  const found = lines.flatMap((text, i) => (/^CACHES\s*=|'BACKEND'\s*:/.test(text) ? [i + 1] : []));
  assert.ok(found.length > 0, `${DEBIAN.cacheSnippet} no longer assigns CACHES: Debian changed the package`);
  return found;
}

const TARGETS = [
  { label: '/etc/openstack-dashboard', path: DEBIAN.etc },
  { label: "the package's openstack_dashboard directory", path: DEBIAN.packageDir },
];

describe('Debian openstack-dashboard through the CLI (real package)', function () {
  this.timeout(60_000);

  for (const target of TARGETS) {
    describe(`pointed at ${target.label}`, () => {
      const runs = new Map<string, CliRun>();
      const cli = (...extra: string[]): CliRun => {
        requireDebianHorizon();
        const args = ['--format', 'json', ...extra, target.path];
        const key = args.join('\0');
        let run = runs.get(key);
        if (!run) runs.set(key, (run = runCli(args)));
        return run;
      };
      const report = (): { run: CliRun; report: CliReport } => {
        const run = cli();
        return { run, report: parseReport(run) };
      };

      it('analyses one Horizon project in the production profile (DEBUG = False)', () => {
        const { run, report: r } = report();
        assert.equal(
          r.projects.length,
          1,
          `expected one project, got ${r.projects.map((p) => p.root).join(', ')}\n${describeRun(run)}`,
        );
        const project = r.projects[0]!;
        assert.equal(project.kind, 'horizon');
        assert.equal(project.profile, 'production');
      });

      it('reports DSL104 as a warning on local_settings.d/_0006_debian_cache.py', () => {
        const { run, report: r } = report();
        const dsl104 = r.diagnostics.filter((d) => d.code === 'DSL104');
        const onSnippet = dsl104.filter((d) => slashes(d.path).endsWith(SNIPPET_SUFFIX));
        assert.ok(
          onSnippet.length > 0,
          `no DSL104 on ${SNIPPET_SUFFIX}; DSL104 diagnostics: ${JSON.stringify(dsl104, null, 1)}\n${describeRun(run)}`,
        );
        for (const d of onSnippet) {
          assert.equal(d.severity, 'warning', `DSL104 is a warning in production: ${JSON.stringify(d)}`);
          assert.ok(
            snippetLines().includes(d.line),
            `DSL104 at line ${d.line}, expected one of ${snippetLines().join(', ')}`,
          );
        }
      });

      it("offers a DSL104 fix that loads with Debian's packages: an installed memcached client, or the package to install", () => {
        const { run, report: r } = report();
        const d = r.diagnostics.find((x) => x.code === 'DSL104' && slashes(x.path).endsWith(SNIPPET_SUFFIX));
        assert.ok(d?.fix, `no DSL104 fix\n${describeRun(run)}`);
        // Debian's Horizon depends on python3-memcache (python-memcached), whose MemcachedCache is deprecated on
        // Django 3.2: the fix writes PyMemcacheCache and names python3-pymemcache unless that is installed too.
        const site = path.dirname(DEBIAN.packageDir);
        assert.ok(
          fs.existsSync(path.join(site, 'memcache.py')),
          'python3-memcache (a dependency of openstack-dashboard) is installed',
        );
        const pymemcache = fs.existsSync(path.join(site, 'pymemcache'));
        assert.equal(
          d.fix.title,
          pymemcache
            ? 'Store sessions in memcached (PyMemcacheCache) (pymemcache is installed)'
            : 'Store sessions in memcached (PyMemcacheCache; needs pymemcache (Debian: python3-pymemcache))',
        );
        if (!pymemcache)
          assert.match(
            d.message,
            /python3-pymemcache\) is not installed in \/usr\/lib\/python3\/dist-packages: install it\./,
          );
        // local_settings.py sets no CACHES (its memcached example is commented out): commenting the override out
        // would fall back to Horizon's default, so that is not what is offered.
        assert.doesNotMatch(d.fix.title, /Comment out/);
      });

      it('has the effective SESSION_ENGINE django.contrib.sessions.backends.cache', () => {
        const { run, report: r } = report();
        const engine = r.projects[0]?.effective['SESSION_ENGINE'];
        assert.ok(
          isEffectiveValue(engine),
          `effective.SESSION_ENGINE is ${JSON.stringify(engine)}\n${describeRun(run)}`,
        );
        assert.deepEqual({ known: engine.known, value: engine.value }, { known: true, value: CACHE_ENGINE });
      });

      it('has CACHES.default.BACKEND LocMemCache, set by _0006_debian_cache.py', () => {
        const { run, report: r } = report();
        const caches = r.projects[0]?.effective['CACHES'] as
          Record<string, Record<string, unknown>> | undefined;
        const backend = caches?.['default']?.['BACKEND'];
        assert.ok(
          isEffectiveValue(backend),
          `effective.CACHES is ${JSON.stringify(caches)}\n${describeRun(run)}`,
        );
        assert.deepEqual({ known: backend.known, value: backend.value }, { known: true, value: LOCMEM });
        const setBy = backend.setBy ?? {};
        assert.ok(
          typeof setBy.path === 'string' && slashes(setBy.path).endsWith(SNIPPET_SUFFIX),
          `BACKEND setBy ${JSON.stringify(setBy)}, expected a path ending in ${SNIPPET_SUFFIX}`,
        );
        assert.ok(
          snippetLines().includes(setBy.line ?? -1),
          `setBy.line ${setBy.line}, expected one of ${snippetLines().join(', ')}`,
        );
      });

      it('exits 1 under the default --fail-on error only when an error is reported (DSL104 is a warning)', () => {
        const { run, report: r } = report();
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        assert.equal(
          run.status,
          errors.length > 0 ? 1 : 0,
          `errors: ${JSON.stringify(errors, null, 1)}\n${describeRun(run)}`,
        );
      });

      it('exits 1 with --fail-on warning, because of DSL104', () => {
        const run = cli('--fail-on', 'warning');
        assert.equal(run.status, 1, describeRun(run));
        assert.ok(
          parseReport(run).diagnostics.some((d) => d.code === 'DSL104'),
          describeRun(run),
        );
      });

      it('exits 0 with --fail-on never', () => {
        const run = cli('--fail-on', 'never');
        assert.equal(run.status, 0, describeRun(run));
      });
    });
  }
});

/**
 * The DSL104 fix for Debian's override snippet, applied to a scratch copy of the real /etc/openstack-dashboard
 * whose local_settings.py sets the shared memcached cache the snippet's own comment promises ("If you comment
 * config below, memcached will be used from local_settings.py"): the CLI comments the override out, and real
 * Django then starts on Debian's settings.py with that layout, with local_settings.py's PyMemcacheCache in
 * effect, and a session saved by one process is read by another (a LocMemCache never shares it).
 */
describe("Debian's layout after the DSL104 comment-out fix, loaded by real Django (real package)", function () {
  this.timeout(120_000);
  let memcached: StartedServer | undefined;
  let scratch = '';
  const location = (): string => `127.0.0.1:${memcached!.port}`;

  before(async () => {
    requireDebianHorizon();
    const site = path.dirname(DEBIAN.packageDir);
    assert.ok(
      fs.existsSync(path.join(site, 'pymemcache')),
      `pymemcache is not installed in ${site}: run \`node scripts/ensure-test-deps.mjs\` (it apt-installs python3-pymemcache)`,
    );
    memcached = await startMemcached();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-debian-fix-'));
    const local = fs.readFileSync(path.join(DEBIAN.etc, 'local_settings.py'), 'utf8');
    fs.writeFileSync(
      path.join(scratch, 'local_settings.py'),
      `${local}\nCACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n        'LOCATION': '${location()}',\n        'OPTIONS': {'ignore_exc': True},\n    },\n}\n`,
    );
    fs.mkdirSync(path.join(scratch, 'local_settings.d'));
    for (const name of fs.readdirSync(path.join(DEBIAN.etc, 'local_settings.d')))
      if (name.endsWith('.py'))
        fs.copyFileSync(
          path.join(DEBIAN.etc, 'local_settings.d', name),
          path.join(scratch, 'local_settings.d', name),
        );
  });
  after(async () => {
    await memcached?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  // The installed package's version (23.0.0 on Debian 12), as the CLI cannot see it from a scratch copy.
  const release = (): string => debianUpstreamVersion('python3-django-horizon');
  const snippet = (): string => path.join(scratch, 'local_settings.d', '_0006_debian_cache.py');

  it('before the fix: DSL104 offers to comment out the override, and a session does not survive across processes', () => {
    const run = runCli(['--format', 'json', '--horizon-release', release(), scratch]);
    const d = parseReport(run).diagnostics.find((x) => x.code === 'DSL104');
    assert.equal(
      d?.fix?.title,
      'Comment out the CACHES override in _0006_debian_cache.py (local_settings.py sets a shared cache)',
      describeRun(run),
    );
    const saved = horizonSession(scratch, 'save');
    assert.equal(
      saved.CACHES && typeof saved.CACHES === 'object' ? saved.CACHES['default']?.['BACKEND'] : undefined,
      LOCMEM,
    );
    assert.ok(saved.sessionKey);
    assert.deepEqual(horizonSession(scratch, 'load', saved.sessionKey).sessionData, {});
  });

  it('after --fix: the override is commented out, nothing is left to report on CACHES, and Django starts on the shared memcached', () => {
    const before = fs.readFileSync(snippet(), 'utf8');
    const fix = runCli([
      '--fix',
      '--unsafe-fixes',
      '--select',
      'DSL104',
      '--horizon-release',
      release(),
      scratch,
    ]);
    const after = fs.readFileSync(snippet(), 'utf8');
    assert.notEqual(after, before, describeRun(fix));
    // Only the CACHES statement's lines gain '# '; the comments above it stay as they were.
    assert.equal(
      after,
      before.replace(/^(CACHES = \{| {2}'default' : \{| {4}'BACKEND': [^\n]*| {2}\}|\})$/gm, '# $1'),
    );

    const rerun = parseReport(runCli(['--format', 'json', '--horizon-release', release(), scratch]));
    assert.deepEqual(
      rerun.diagnostics.filter((x) => ['DSL104', 'DSL404', 'DSL108'].includes(x.code)).map((x) => x.code),
      [],
    );
    const caches = rerun.projects[0]?.effective['CACHES'] as
      Record<string, Record<string, unknown>> | undefined;
    const backend = caches?.['default']?.['BACKEND'];
    assert.ok(isEffectiveValue(backend));
    assert.equal(backend.value, 'django.core.cache.backends.memcached.PyMemcacheCache');

    // Real Django on Debian's settings.py: it starts, the effective cache is local_settings.py's memcached,
    // and a session saved in one process is read back in another.
    const saved = horizonSession(scratch, 'save');
    assert.deepEqual(saved.snippetErrors, []);
    assert.equal(saved.localSettingsError, null);
    assert.deepEqual(saved.CACHES, {
      default: { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: location() },
    });
    assert.equal(saved.SESSION_ENGINE, CACHE_ENGINE);
    assert.ok(saved.sessionKey);
    assert.deepEqual(horizonSession(scratch, 'load', saved.sessionKey).sessionData, {
      checked_by: 'django-session-lint',
    });
  });
});
