/** DSL106 (cache sessions in DummyCache): firing in every profile, silence, and the memcached entry fix as whole text. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const CODE = 'DSL106';
const HZ = { horizonRelease: '2024.2', djangoVersion: '4.2' };

const DUMMY = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.dummy.DummyCache',  #! DSL106
        'TIMEOUT': 60,
    }
}
`;

describe('DSL106 dummy-session-cache', () => {
  describe('fires', () => {
    it('as an error in production and development', () => {
      for (const profile of ['production', 'development'] as const) {
        const f = expectFindings({ 'local_settings.py': DUMMY }, [CODE], { ...HZ, profile }).findings.find(
          (x) => x.code === CODE,
        );
        assert.equal(f?.severity, 'error', profile);
        assert.match(
          f?.message ?? '',
          /^Sessions are stored in CACHES\['default'\], a DummyCache .*users cannot stay logged in/,
        );
      }
    });

    it('replaces the entry with a memcached one (unsafe), keeping the other aliases', () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.dummy.DummyCache',  #! DSL106
    },
    'other': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
}
`,
      };
      const f = expectFindings(files, [CODE], HZ).findings.find((x) => x.code === CODE);
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(fixAllText(files, { ...HZ, select: [CODE] }), files);
      assert.equal(
        fixAllText(files, { ...HZ, select: [CODE], unsafe: true })['local_settings.py'],
        `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '127.0.0.1:11211',
        'OPTIONS': {'ignore_exc': True},
    },
    'other': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
}
`,
      );
    });

    it("with Horizon's default engine, saying whose default it is", () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'}}  #! DSL106\n`,
      };
      const f = expectFindings(files, [CODE], HZ).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /SESSION_ENGINE is cache \(Horizon's default\)/);
    });

    it('judges a visible environment default and says so', () => {
      const files = {
        'local_settings.py': `import os
CACHES = {'default': {'BACKEND': os.environ.get('CACHE', 'django.core.cache.backends.dummy.DummyCache')}}  #! DSL106
`,
      };
      const f = expectFindings(files, [CODE], HZ).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /a DummyCache \(if CACHE is unset\)/);
    });

    it('writes a backend the target Django has where it has no PyMemcacheCache (3.1): PyLibMCCache', () => {
      const f = expectFindings({ 'local_settings.py': DUMMY }, [CODE], {
        horizonRelease: '2023.1',
        djangoVersion: '3.1',
      }).findings.find((x) => x.code === CODE);
      assert.equal(f?.fix?.title, "Replace CACHES['default'] with a memcached (PyLibMCCache) entry");
      assert.ok(f.fix);
      assert.doesNotMatch(f.fix.edits[0]?.newText ?? '', /PyMemcacheCache|ignore_exc/);
    });

    it('writes the memcached backend whose client is installed, or names the package to install', () => {
      const dist = '/usr/lib/python3/dist-packages';
      const memcache = { horizonRelease: '2023.1', djangoVersion: '3.2' };
      const withPylibmc = expectFindings({ 'local_settings.py': DUMMY }, [CODE], {
        ...memcache,
        installed: { modules: ['pylibmc'], source: dist },
      }).findings.find((x) => x.code === CODE);
      assert.equal(
        withPylibmc?.fix?.title,
        "Replace CACHES['default'] with a memcached (PyLibMCCache) entry (pylibmc is installed)",
      );
      assert.ok(withPylibmc);
      const fixed = checkFix({ 'local_settings.py': DUMMY }, withPylibmc, {
        ...memcache,
        installed: { modules: ['pylibmc'], source: dist },
      })['local_settings.py'];
      assert.match(fixed ?? '', /'BACKEND': 'django\.core\.cache\.backends\.memcached\.PyLibMCCache'/);
      const none = expectFindings({ 'local_settings.py': DUMMY }, [CODE], {
        ...memcache,
        installed: { modules: ['memcache'], source: dist },
      }).findings.find((x) => x.code === CODE);
      assert.equal(
        none?.fix?.title,
        "Replace CACHES['default'] with a memcached (PyMemcacheCache; needs pymemcache (Debian: python3-pymemcache)) entry",
      );
    });
  });

  describe('stays silent', () => {
    it('when sessions do not go through the cache engine (db; cached_db is DSL105)', () => {
      expectFindings(
        { 'local_settings.py': DUMMY.replace("backends.cache'", "backends.db'").replace('  #! DSL106', '') },
        [CODE],
        HZ,
      );
      expectFindings(
        {
          'local_settings.py': DUMMY.replace("backends.cache'", "backends.cached_db'").replace(
            '  #! DSL106',
            '',
          ),
        },
        [CODE],
        HZ,
      );
    });

    it('when DummyCache is another alias than the sessions one', () => {
      const files = {
        'local_settings.py': `SESSION_CACHE_ALIAS = 'sessions'
CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'},
    'sessions': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'},
}
`,
      };
      expectFindings(files, [CODE], HZ);
    });

    it('when only one option of an undecided condition is DummyCache, or a snippet replaces it', () => {
      expectFindings(
        {
          'local_settings.py': `import os
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache' if os.environ.get('T') else 'django.core.cache.backends.memcached.PyMemcacheCache'}}
`,
        },
        [CODE],
        HZ,
      );
      expectFindings(
        {
          'local_settings.py': DUMMY.replace('  #! DSL106', ''),
          'local_settings.d/_10.py': `CACHES['default']['BACKEND'] = 'django.core.cache.backends.memcached.PyMemcacheCache'\n`,
        },
        [CODE],
        HZ,
      );
    });

    it('when suppressed on the line', () => {
      const files = { 'local_settings.py': DUMMY.replace('#! DSL106', '# session-lint: ignore[DSL106]') };
      assert.equal(lint(files, HZ).findings.filter((f) => f.code === CODE).length, 0);
    });
  });
});
