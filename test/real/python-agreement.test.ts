/** The analyser's effective configuration must agree with Python's own: real Django on Debian's Horizon, and Horizon's layer order on every fixture project. */
import * as assert from 'node:assert/strict';
import { compareEffective, formatComparison, type Comparison, type Expectations } from './helpers/compare';
import { describeRun, parseReport, runCli } from './helpers/cli';
import { debianUpstreamVersion, requireDebianHorizon } from './helpers/debian';
import { fixtureNames, readFixture } from './helpers/fixtures';
import {
  assertLoadedCleanly,
  djangoOracle,
  horizonOracle,
  layersOracle,
  type OracleSettings,
} from './helpers/oracle';
import { DEBIAN } from './helpers/paths';

const ALL_KNOWN: Expectations = {
  expectKnown: ['SESSION_ENGINE', 'SESSION_CACHE_ALIAS', 'SESSION_SERIALIZER', 'CACHES'],
};

/** The compared part of an oracle result, for deepEqual between two oracles. */
function compared(
  o: OracleSettings,
): Pick<
  OracleSettings,
  'SESSION_ENGINE' | 'SESSION_CACHE_ALIAS' | 'SESSION_SERIALIZER' | 'CACHES' | 'DATABASES'
> {
  const { SESSION_ENGINE, SESSION_CACHE_ALIAS, SESSION_SERIALIZER, CACHES, DATABASES } = o;
  return { SESSION_ENGINE, SESSION_CACHE_ALIAS, SESSION_SERIALIZER, CACHES, DATABASES };
}

function assertAgreement(c: Comparison, what: string, context: string): void {
  if (c.problems.length > 0) {
    assert.fail(
      `${what}: the analyser disagrees with Python on ${c.problems.length} key(s):\n- ${c.problems.join('\n- ')}\n\n${formatComparison(c)}\n\n${context}`,
    );
  }
  assert.ok(c.agreed > 0, `${what}: nothing was compared\n${formatComparison(c)}`);
}

/** Runs the CLI on a path and compares projects[0].effective with what Python printed. */
function checkCli(
  args: string[],
  python: OracleSettings,
  exp: Expectations,
  what: string,
  databases = false,
): void {
  const run = runCli(['--format', 'json', ...args]);
  const report = parseReport(run);
  assert.equal(
    report.projects.length,
    1,
    `${what}: expected one project, got [${report.projects.map((p) => p.root).join(', ')}]\n${describeRun(run)}`,
  );
  const c = compareEffective(python, report.projects[0]!.effective, exp, { databases });
  assertAgreement(c, what, describeRun(run));
}

describe('effective configuration agrees with Python', function () {
  this.timeout(120_000);

  let django: OracleSettings | undefined;
  const realDjango = (): OracleSettings => {
    requireDebianHorizon();
    return (django ??= djangoOracle());
  };

  describe('the Python oracle (checked before it judges the analyser)', () => {
    it("sees Debian's documented effective config through real Django: cache engine, LocMemCache, PickleSerializer", () => {
      const o = realDjango();
      assert.deepEqual(compared(o), {
        SESSION_ENGINE: 'django.contrib.sessions.backends.cache',
        SESSION_CACHE_ALIAS: 'default',
        SESSION_SERIALIZER: 'django.contrib.sessions.serializers.PickleSerializer',
        CACHES: { default: { BACKEND: 'django.core.cache.backends.locmem.LocMemCache', LOCATION: null } },
        DATABASES: {},
      });
    });

    it("emulates Horizon's load order like real Django does, on /etc/openstack-dashboard", () => {
      const real = realDjango();
      const emulated = layersOracle(DEBIAN.etc, debianUpstreamVersion('openstack-dashboard'));
      assertLoadedCleanly(emulated, DEBIAN.etc);
      assert.deepEqual(compared(emulated), compared(real));
    });

    for (const name of fixtureNames()) {
      it(`emulates Horizon's load order like Debian's real settings.py does, on fixture ${name}`, () => {
        requireDebianHorizon();
        const fixture = readFixture(name);
        const real = horizonOracle(fixture.localDir);
        assertLoadedCleanly(real, `${name} under Debian's settings.py`);
        const emulated = layersOracle(fixture.localDir, debianUpstreamVersion('openstack-dashboard'));
        assertLoadedCleanly(emulated, `${name} emulated`);
        assert.deepEqual(compared(emulated), compared(real));
      });
    }
  });

  describe("Debian's openstack-dashboard, against real Django", () => {
    it('CLI on the openstack_dashboard package directory (its real settings.py as the base)', () => {
      checkCli([DEBIAN.packageDir], realDjango(), ALL_KNOWN, DEBIAN.packageDir);
    });

    it('CLI on /etc/openstack-dashboard with --horizon-settings pointing at the package settings.py', () => {
      checkCli(['--horizon-settings', DEBIAN.settings, DEBIAN.etc], realDjango(), ALL_KNOWN, DEBIAN.etc);
    });

    it("CLI on /etc/openstack-dashboard with --horizon-release set to the package's upstream version", () => {
      const python = realDjango();
      const release = debianUpstreamVersion('openstack-dashboard');
      checkCli(
        ['--horizon-release', release, DEBIAN.etc],
        python,
        ALL_KNOWN,
        `${DEBIAN.etc} (release ${release})`,
      );
    });
  });

  describe('fixture projects (test/fixtures/projects), against Horizon layers run by Python', () => {
    const names = fixtureNames();
    it('has the fixture projects (8 or more)', () => {
      assert.ok(names.length >= 8, `only ${names.length} fixture projects: ${names.join(', ')}`);
    });

    for (const name of names) {
      it(`${name}`, () => {
        requireDebianHorizon();
        const fixture = readFixture(name);
        const python = layersOracle(fixture.localDir, fixture.horizonRelease);
        assertLoadedCleanly(python, name);
        checkCli(
          ['--horizon-release', fixture.horizonRelease, fixture.dir],
          python,
          fixture,
          `${name} (${fixture.description})`,
          true,
        );
      });
    }
  });
});
