/** DSL406: Horizon cache sessions that silently rely on Horizon's built-in memcached CACHES. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint } from '../../helpers/rule-harness';

const CODE = ['DSL406'];

describe('DSL406 implicit-horizon-cache', () => {
  describe('fires', () => {
    it('on the SESSION_ENGINE line, naming the inherited backend, address and package; the unsafe fix writes it out', () => {
      const files = {
        'local_settings.py':
          "DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'  #! DSL406\n",
      };
      const f = expectFindings(files, CODE, { horizonRelease: '2024.2' }).findings.find(
        (x) => x.code === 'DSL406',
      );
      assert.equal(f?.severity, 'information');
      assert.equal(
        f?.message,
        "Sessions use Horizon's default cache, PyMemcacheCache at '127.0.0.1:11211', because no local settings file sets CACHES: every dashboard host needs a memcached server there and the pymemcache package, and each host keeps its own sessions; set CACHES explicitly.",
      );
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(checkFix(files, f!, { horizonRelease: '2024.2' }), {
        'local_settings.py':
          "DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'  #! DSL406\nCACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n        'LOCATION': '127.0.0.1:11211',\n    },\n}\n",
      });
    });

    it('at the top of local_settings.py when nothing there names the engine; older releases inherit MemcachedCache', () => {
      const files = { 'local_settings.py': 'DEBUG = False  #! DSL406\nTIME_ZONE = "UTC"' };
      const a = expectFindings(files, CODE, { horizonRelease: '2023.1' });
      const f = a.findings.find((x) => x.code === 'DSL406');
      assert.match(f?.message ?? '', /MemcachedCache at '127\.0\.0\.1:11211'.*the python-memcached package/);
      // Writing MemcachedCache explicitly would add DSL108 (deprecated on Django 3.2, gone in 4.1): the
      // verified fix is not offered.
      assert.equal(f?.fix, undefined);
    });

    it("when Horizon's real settings.py sets CACHES, anchored in local_settings.py", () => {
      const files = {
        'openstack_dashboard/settings.py':
          "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:11211'}}\nfrom local.local_settings import *\n",
        'local_settings.py': 'DEBUG = False  #! DSL406\n',
      };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL406');
      assert.match(
        f?.message ?? '',
        /the cache Horizon's settings\.py sets \(openstack_dashboard\/settings\.py:2\)/,
      );
    });
  });

  describe('stays silent', () => {
    it('when local_settings.py sets CACHES', () => {
      expectFindings(
        {
          'local_settings.py':
            "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.1:11211'}}\n",
        },
        CODE,
      );
    });

    it("when a snippet adjusts Horizon's CACHES in place", () => {
      expectFindings(
        {
          'local_settings.py': 'DEBUG = False\n',
          'local_settings.d/_20_servers.py': "CACHES['default']['LOCATION'] = ['10.0.0.1:11211']\n",
        },
        CODE,
      );
    });

    it('with other engines, or an unknown engine', () => {
      expectFindings(
        { 'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n" },
        CODE,
      );
      expectFindings({ 'local_settings.py': "import os\nSESSION_ENGINE = os.environ['ENGINE']\n" }, CODE);
    });

    it("in a plain Django project (Django's default is LocMemCache, DSL104's business)", () => {
      assert.equal(
        lint({
          'settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
        }).findings.filter((f) => f.code === 'DSL406').length,
        0,
      );
    });
  });
});
