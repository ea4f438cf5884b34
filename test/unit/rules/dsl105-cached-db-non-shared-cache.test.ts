/** DSL105 (cached_db over LocMemCache/DummyCache): firing per profile, silence, messages and the safe switch to the db engine. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint, rel } from '../../helpers/rule-harness';

const CODE = 'DSL105';
const HZ = { horizonRelease: '2024.2', djangoVersion: '4.2' };

const LOCMEM = `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',  #! DSL105
    }
}
`;

describe('DSL105 cached-db-non-shared-cache', () => {
  describe('fires', () => {
    it('on cached_db over LocMemCache: a warning in production, information in development', () => {
      const prod = expectFindings({ 'local_settings.py': LOCMEM }, [CODE], HZ).findings.find(
        (f) => f.code === CODE,
      );
      assert.equal(prod?.severity, 'warning');
      assert.match(
        prod?.message ?? '',
        /^SESSION_ENGINE is cached_db and CACHES\['default'\] is LocMemCache: .*stale data/,
      );
      const dev = expectFindings({ 'local_settings.py': LOCMEM }, [CODE], {
        ...HZ,
        profile: 'development',
      }).findings.find((f) => f.code === CODE);
      assert.equal(dev?.severity, 'information');
    });

    it('switches to the db engine as a safe fix (fix-all applies it), once', () => {
      const fixed = fixAllText({ 'local_settings.py': LOCMEM }, { ...HZ, select: [CODE] });
      assert.equal(fixed['local_settings.py'], LOCMEM.replace('backends.cached_db', 'backends.db'));
      assert.deepEqual(fixAllText(fixed, { ...HZ, select: [CODE] }), fixed);
    });

    it('on DummyCache, saying the cache is pure overhead', () => {
      const files = {
        'settings.py': `SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  #! DSL105
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /is DummyCache: nothing is ever cached.*pure overhead/);
    });

    it("on Django's implicit LocMemCache when CACHES is never set, saying whose default", () => {
      const files = {
        'settings.py': `DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'  #! DSL105\n`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /Django's default CACHES\['default'\] is LocMemCache/);
    });

    it("in Debian's _0006_debian_cache.py snippet that overrides a memcached CACHES, related to SESSION_ENGINE", () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}
`,
        'local_settings.d/_0006_debian_cache.py': `CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',  #! DSL105
    }
}
`,
      };
      const a = expectFindings(files, [CODE], HZ);
      const f = a.findings.find((x) => x.code === CODE);
      assert.deepEqual(
        f?.related.map((r) => `${rel(r.span.file)}:${a.lineOf(r.span)} ${r.message}`),
        ['local_settings.py:1 SESSION_ENGINE set here'],
      );
    });

    it('on the alias SESSION_CACHE_ALIAS names, not the default one', () => {
      const files = {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'
SESSION_CACHE_ALIAS = 'sessions'
CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'},
    'sessions': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},  #! DSL105
}
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /CACHES\['sessions'\] is LocMemCache/);
    });

    it('judges a visible environment default of SESSION_ENGINE, says so and offers no fix', () => {
      const files = {
        'local_settings.py': `import os
SESSION_ENGINE = os.environ.get('SESSION_ENGINE', 'django.contrib.sessions.backends.cached_db')
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}  #! DSL105
`,
      };
      const f = expectFindings(files, [CODE], HZ).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /^SESSION_ENGINE is cached_db \(if SESSION_ENGINE is unset\) and/);
      assert.equal(f?.fix, undefined);
    });
  });

  describe('stays silent', () => {
    it('with a shared cache, or with the cache engine (DSL104 covers that)', () => {
      expectFindings(
        {
          'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}
`,
        },
        [CODE],
        HZ,
      );
      expectFindings(
        { 'local_settings.py': LOCMEM.replace('cached_db', 'cache').replace('  #! DSL105', '') },
        [CODE],
        HZ,
      );
    });

    it('when the engine or the backend is unknown', () => {
      expectFindings(
        {
          'local_settings.py': `import os\nSESSION_ENGINE = os.environ['ENGINE']\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n`,
        },
        [CODE],
        HZ,
      );
      expectFindings(
        {
          'local_settings.py': `import os\nSESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\nCACHES = {'default': {'BACKEND': os.getenv('BACKEND')}}\n`,
        },
        [CODE],
        HZ,
      );
    });

    it('when only one option of an undecided condition uses LocMemCache', () => {
      const files = {
        'local_settings.py': `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'
if os.environ.get('DEV'):
    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
else:
    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'}}
`,
      };
      expectFindings(files, [CODE], HZ);
    });

    it('when a local_settings.d snippet replaces LocMemCache with memcached', () => {
      const files = {
        'local_settings.py': LOCMEM.replace('  #! DSL105', ''),
        'local_settings.d/_90_memcached.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'}}\n`,
      };
      expectFindings(files, [CODE], HZ);
    });

    it('when suppressed on the line', () => {
      const files = { 'local_settings.py': LOCMEM.replace('#! DSL105', '# session-lint: ignore[DSL105]') };
      expectFindings(files, [CODE], HZ);
      assert.equal(lint(files, HZ).findings.filter((f) => f.code === CODE).length, 0);
    });
  });
});
