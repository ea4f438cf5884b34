/** DSL403: SIMULTANEOUS_SESSIONS values Horizon ignores, and 'disconnect' over a per-process or dummy caches['default']. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint, rel } from '../../helpers/rule-harness';

const CODE = ['DSL403'];
const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';

function only(files: Record<string, string>, opts = {}) {
  return lint(files, opts).findings.filter((f) => f.code === 'DSL403');
}

describe('DSL403 simultaneous-sessions-misconfigured', () => {
  describe('fires on a value Horizon treats as allow', () => {
    it("'Disconnect': unsafe fix to 'disconnect'", () => {
      const files = { 'local_settings.py': "SIMULTANEOUS_SESSIONS = 'Disconnect'  #! DSL403\n" };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL403');
      assert.equal(f?.severity, 'warning');
      assert.match(
        f?.message ?? '',
        /'Disconnect', which Horizon treats as 'allow'.*Did you mean 'disconnect'\?/,
      );
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': "SIMULTANEOUS_SESSIONS = 'disconnect'  #! DSL403\n",
      });
    });

    it("'allowed': safe fix to 'allow', keeping the quote style", () => {
      const files = { 'local_settings.py': 'SIMULTANEOUS_SESSIONS = "allowed"  #! DSL403\n' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL403');
      assert.equal(f?.fix?.applicability, 'safe');
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': 'SIMULTANEOUS_SESSIONS = "allow"  #! DSL403\n',
      });
    });

    it("True: safe fix to 'allow' (what Horizon does with it today), no guess in the message", () => {
      const files = { 'local_settings.py': 'SIMULTANEOUS_SESSIONS = True  #! DSL403\n' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL403');
      assert.doesNotMatch(f?.message ?? '', /Did you mean/);
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': "SIMULTANEOUS_SESSIONS = 'allow'  #! DSL403\n",
      });
    });

    it('is information in the development profile', () => {
      assert.equal(
        only({ 'local_settings.py': "SIMULTANEOUS_SESSIONS = 'kick'\n" }, { profile: 'development' })[0]
          ?.severity,
        'information',
      );
    });
  });

  describe("fires on 'disconnect' with caches['default']", () => {
    it("in LocMemCache from Debian's snippet, pointing at it", () => {
      const files = {
        'local_settings.py': "SIMULTANEOUS_SESSIONS = 'disconnect'  #! DSL403\n",
        'local_settings.d/_0006_debian_cache.py': `CACHES = {\n  'default' : {\n    'BACKEND': '${LOCMEM}'\n  }\n}\n`,
      };
      const a = expectFindings(files, CODE);
      const f = a.findings.find((x) => x.code === 'DSL403');
      assert.match(
        f?.message ?? '',
        /caches\['default'\] \(set in local_settings\.d\/_0006_debian_cache\.py:1\), which is LocMemCache, private to each worker process/,
      );
      assert.deepEqual(
        f?.related.map((r) => `${rel(r.span.file)}:${a.lineOf(r.span)}`),
        ['local_settings.d/_0006_debian_cache.py:3'],
      );
      assert.equal(f?.fix, undefined);
    });

    it("even when sessions use another alias (Horizon's middleware hard-codes 'default')", () => {
      const text = `SIMULTANEOUS_SESSIONS = 'disconnect'  #! DSL403\nSESSION_CACHE_ALIAS = 'sessions'\nCACHES = {\n    'default': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'},\n    'sessions': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.1:11211'},\n}\n`;
      const f = expectFindings({ 'local_settings.py': text }, CODE).findings.find((x) => x.code === 'DSL403');
      assert.match(f?.message ?? '', /DummyCache, which stores nothing, so no session is ever disconnected/);
    });
  });

  describe('stays silent', () => {
    it("on 'disconnect' with Horizon's default memcached cache, and on 'allow'", () => {
      expectFindings({ 'local_settings.py': "SIMULTANEOUS_SESSIONS = 'disconnect'\n" }, CODE);
      expectFindings({ 'local_settings.py': "SIMULTANEOUS_SESSIONS = 'allow'\n" }, CODE);
    });

    it("on Horizon's default", () => {
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE);
    });

    it('on an unknown value, and on a visible default that is valid', () => {
      expectFindings(
        { 'local_settings.py': "import os\nSIMULTANEOUS_SESSIONS = os.environ['SIMUL']\n" },
        CODE,
      );
      expectFindings(
        { 'local_settings.py': "import os\nSIMULTANEOUS_SESSIONS = os.environ.get('SIMUL', 'disconnect')\n" },
        CODE,
      );
    });

    it("when caches['default'] is unknown", () => {
      expectFindings(
        {
          'local_settings.py':
            "import os\nSIMULTANEOUS_SESSIONS = 'disconnect'\nCACHES = {'default': {'BACKEND': os.environ['B']}}\n",
        },
        CODE,
      );
    });

    it('on Horizon releases before 21.1.0 (Yoga), which do not read the setting', () => {
      expectFindings({ 'local_settings.py': "SIMULTANEOUS_SESSIONS = 'Disconnect'\n" }, CODE, {
        horizonRelease: '20.0.0',
      });
    });

    it('in a plain Django project', () => {
      assert.equal(only({ 'settings.py': "SIMULTANEOUS_SESSIONS = 'Disconnect'\n" }).length, 0);
    });
  });
});
