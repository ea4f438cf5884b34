/** DSL108 (cache backend not available in the target Django): verdicts per Django version, silence, messages and fixes. */
import assert from 'node:assert/strict';
import {
  describeFindings,
  expectFindings,
  fixAllText,
  lint,
  type Files,
  type LintOptions,
} from '../../helpers/rule-harness';

const CODE = 'DSL108';
const HZ42: LintOptions = { horizonRelease: '2024.2', djangoVersion: '4.2' };

function only(files: Files, opts: LintOptions) {
  const a = lint(files, opts);
  return { a, found: a.findings.filter((f) => f.code === CODE) };
}

const MEMCACHED = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',  #! DSL108
        'LOCATION': '10.0.0.11:11211',
    }
}
`;

describe('DSL108 unavailable-cache-backend', () => {
  describe('MemcachedCache by target Django version', () => {
    it('is an error on Django 4.2 (removed in 4.1), saying sessions fail', () => {
      const a = expectFindings({ 'local_settings.py': MEMCACHED }, [CODE], HZ42);
      const f = a.findings.find((x) => x.code === CODE);
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /Django 4\.2 does not have \(deprecated in Django 3\.2, removed in 4\.1\)/,
      );
      assert.match(
        f?.message ?? '',
        /InvalidCacheBackendError, so every request that uses the session fails/,
      );
      assert.match(f?.message ?? '', /PyMemcacheCache \(pip package pymemcache\)/);
      assert.deepEqual(
        f?.related.map((r) => `${a.lineOf(r.span)} ${r.message}`),
        ['1 SESSION_ENGINE set here'],
      );
    });

    it('is a warning on Django 4.0 and 3.2, where it is deprecated but still works', () => {
      for (const djangoVersion of ['4.0', '3.2']) {
        const a = expectFindings({ 'local_settings.py': MEMCACHED }, [CODE], {
          horizonRelease: '2023.1',
          djangoVersion,
        });
        const f = a.findings.find((x) => x.code === CODE);
        assert.equal(f?.severity, 'warning', djangoVersion);
        assert.match(
          f?.message ?? '',
          new RegExp(
            `deprecated on Django ${djangoVersion.replace('.', '\\.')}.*after an upgrade to Django ≥ 4\\.1`,
          ),
        );
      }
    });

    it('stays silent on Django 3.1, before the deprecation', () => {
      const files = { 'local_settings.py': MEMCACHED.replace('  #! DSL108', '') };
      expectFindings(files, [CODE], { horizonRelease: '2023.1', djangoVersion: '3.1' });
    });

    it('warns with an unknown Django version and names the versions that fail', () => {
      const settings = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache', 'LOCATION': '10.0.0.11:11211'}}  #! DSL108
`;
      const a = expectFindings({ 'settings.py': settings }, [CODE]);
      assert.equal(a.summary.djangoVersion, undefined);
      const f = a.findings.find((x) => x.code === CODE);
      assert.equal(f?.severity, 'warning');
      assert.match(f?.message ?? '', /on Django ≥ 4\.1 the first use of the cache fails/);
      assert.match(f?.message ?? '', /the target Django version is unknown/);
    });

    it('uses the Django range a Horizon release allows when no version is given (23.4.0: 3.2–4.2 → warning)', () => {
      const { found } = only({ 'local_settings.py': MEMCACHED }, { horizonRelease: '23.4.0' });
      assert.equal(found.length, 1);
      assert.equal(found[0]?.severity, 'warning');
      assert.match(
        found[0]?.message ?? '',
        /Django 3\.2–4\.2 \(what Horizon 2024\.1 allows\) includes such versions/,
      );
    });

    it('is an error for the newest Horizon (Django ≥ 4.2) even without a Django version', () => {
      const { found } = only({ 'local_settings.py': MEMCACHED }, {});
      assert.equal(found[0]?.severity, 'error');
    });

    it('is only a warning past the last Django where the removal was verified (6.0)', () => {
      const { found } = only({ 'local_settings.py': MEMCACHED }, { djangoVersion: '6.0' });
      assert.equal(found[0]?.severity, 'warning');
      assert.match(found[0]?.message ?? '', /removal verified through Django 5\.2 only/);
    });
  });

  describe('other built-in backends', () => {
    it('PyMemcacheCache is an error before Django 3.2 and fine from 3.2', () => {
      const text = `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}  #! DSL108\n`;
      const a = expectFindings({ 'settings.py': text }, [CODE], { djangoVersion: '3.1' });
      assert.equal(a.findings.find((x) => x.code === CODE)?.severity, 'error');
      assert.match(a.findings.find((x) => x.code === CODE)?.message ?? '', /added in Django 3\.2/);
      expectFindings({ 'settings.py': text.replace('  #! DSL108', '') }, [CODE], { djangoVersion: '3.2' });
    });

    it('RedisCache is an error before Django 4.0, a warning for a range straddling 4.0, fine on 4.2', () => {
      const text = `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/1'}}  #! DSL108\n`;
      const a = expectFindings({ 'local_settings.py': text }, [CODE], {
        horizonRelease: '2023.1',
        djangoVersion: '3.2',
      });
      const f = a.findings.find((x) => x.code === CODE);
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /Upgrade Django to ≥ 4\.0, or use django-redis \('django_redis\.cache\.RedisCache'\)/,
      );
      const ranged = only({ 'local_settings.py': text }, { horizonRelease: '23.4.0' }).found;
      assert.equal(ranged[0]?.severity, 'warning');
      assert.match(ranged[0]?.message ?? '', /on Django < 4\.0 the first use/);
      expectFindings({ 'local_settings.py': text.replace('  #! DSL108', '') }, [CODE], HZ42);
    });

    it('flags a name Django never shipped, with a did-you-mean fix for a near miss', () => {
      const files = {
        'settings.py': `CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcachedCache', 'LOCATION': '10.0.0.11:11211'},  #! DSL108
    'cluster': {'BACKEND': 'django.core.cache.backends.redis.RedisClusterCache'},  #! DSL108
    'local': {'BACKEND': 'django.core.cache.backends.locmem'},  #! DSL108
}
`,
      };
      const a = expectFindings(files, [CODE], { djangoVersion: '4.2' });
      const [typo, cluster, local] = a.findings.filter((x) => x.code === CODE);
      assert.equal(typo?.severity, 'error');
      assert.match(
        typo?.message ?? '',
        /is not a cache backend Django has.*Did you mean 'django\.core\.cache\.backends\.memcached\.PyMemcacheCache'\?/,
      );
      assert.equal(cluster?.fix, undefined, 'no guess for a name that is not close to a built-in');
      assert.match(
        local?.message ?? '',
        /Did you mean 'django\.core\.cache\.backends\.locmem\.LocMemCache'\?/,
      );
      const fixed = fixAllText(files, { djangoVersion: '4.2', select: [CODE], unsafe: true });
      assert.match(
        fixed['settings.py'] ?? '',
        /'BACKEND': 'django\.core\.cache\.backends\.memcached\.PyMemcacheCache', 'LOCATION'/,
      );
      assert.match(
        fixed['settings.py'] ?? '',
        /'local': \{'BACKEND': 'django\.core\.cache\.backends\.locmem\.LocMemCache'\}/,
      );
    });

    it('leaves third-party backends alone', () => {
      const files = {
        'settings.py': `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0'},
          'b': {'BACKEND': 'djpymemcache.backend.PyMemcacheCache'}}
`,
      };
      expectFindings(files, [CODE], { djangoVersion: '3.1' });
    });
  });

  describe('which values it judges', () => {
    it('checks every alias, not only the one sessions use', () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'},
    'legacy': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache', 'LOCATION': '10.0.0.12:11211'},  #! DSL108
}
`,
      };
      const a = expectFindings(files, [CODE], HZ42);
      const msg = a.findings.find((x) => x.code === CODE)?.message ?? '';
      assert.match(msg, /^CACHES\['legacy'\] uses MemcachedCache/);
      assert.doesNotMatch(msg, /session/, 'sessions do not use this alias');
    });

    it('stays silent on an environment lookup without a default', () => {
      const files = {
        'local_settings.py': `import os
CACHES = {'default': {'BACKEND': os.environ['CACHE_BACKEND'], 'LOCATION': '10.0.0.11:11211'}}
`,
      };
      expectFindings(files, [CODE], HZ42);
    });

    it('judges a visible environment default and says so, without a fix', () => {
      const files = {
        'local_settings.py': `import os
CACHES = {'default': {
    'BACKEND': os.environ.get('CACHE_BACKEND', 'django.core.cache.backends.memcached.MemcachedCache'),  #! DSL108
    'LOCATION': '10.0.0.11:11211',
}}
`,
      };
      const a = expectFindings(files, [CODE], HZ42);
      const f = a.findings.find((x) => x.code === CODE);
      assert.match(
        f?.message ?? '',
        /uses MemcachedCache \(if CACHE_BACKEND is unset\), which Django 4\.2 does not have/,
      );
      assert.equal(
        f?.fix,
        undefined,
        'the variable may well be set: rewriting its default is not the repair',
      );
    });

    it('stays silent when only one option of an undecided condition fails', () => {
      const files = {
        'local_settings.py': `import os
DEBUG = os.environ.get('DEBUG') == '1'
if DEBUG:
    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache', 'LOCATION': 'a:11211'}}
else:
    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'a:11211'}}
`,
      };
      expectFindings(files, [CODE], HZ42);
    });

    it('reports when every option of an undecided condition fails', () => {
      const files = {
        'local_settings.py': `import os
DEBUG = os.environ.get('DEBUG') == '1'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache', 'LOCATION': 'a:11211'}}  #! DSL108
if DEBUG:
    CACHES['default']['LOCATION'] = 'b:11211'
`,
      };
      expectFindings(files, [CODE], HZ42);
    });

    it('judges only the branch taken when the condition is known', () => {
      const files = {
        'local_settings.py': `DEBUG = False
if DEBUG:
    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache', 'LOCATION': 'a:11211'}}
else:
    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'a:11211'}}
`,
      };
      expectFindings(files, [CODE], HZ42);
    });

    it('stays silent when a local_settings.d snippet replaces the value later', () => {
      const files = {
        'local_settings.py': MEMCACHED.replace('  #! DSL108', ''),
        'local_settings.d/_50_cache.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}\n`,
      };
      expectFindings(files, [CODE], HZ42);
    });

    it('reports a value a snippet puts there, in the snippet', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}\n`,
        'local_settings.d/_60_old.py': `CACHES['default']['BACKEND'] = 'django.core.cache.backends.memcached.MemcachedCache'  #! DSL108\n`,
      };
      expectFindings(files, [CODE], HZ42);
    });

    it("stays silent on Horizon's own MemcachedCache default on the Django it pins (3.2)", () => {
      expectFindings({ 'local_settings.py': `DEBUG = False\n` }, [CODE], { horizonRelease: '2023.1' });
    });

    it("reports Horizon's own default when the target Django no longer has it, saying whose default", () => {
      const a = expectFindings({ 'local_settings.py': `DEBUG = False  #! DSL108\n` }, [CODE], {
        horizonRelease: '2023.1',
        djangoVersion: '4.2',
      });
      const f = a.findings.find((x) => x.code === CODE);
      assert.match(
        f?.message ?? '',
        /^Horizon's default CACHES\['default'\] uses MemcachedCache/,
        describeFindings(a),
      );
      assert.equal(f?.fix, undefined);
    });

    it('is silenced by an inline suppression comment', () => {
      const files = { 'local_settings.py': MEMCACHED.replace('#! DSL108', '# session-lint: ignore[DSL108]') };
      expectFindings(files, [CODE], HZ42);
    });
  });

  describe('fix', () => {
    it('switches to PyMemcacheCache and rewrites inet6:[addr]:port in LOCATION lists and strings', () => {
      const files = {
        'local_settings.py': `CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',  #! DSL108
        'LOCATION': ['inet6:[fd00::11]:11211', '10.0.0.12:11211'],
    },
    'other': {
        "BACKEND": "django.core.cache.backends.memcached.MemcachedCache",  #! DSL108
        "LOCATION": "inet6:[::1]:11211;inet6:[fd00::12]:11211",
    },
}
`,
      };
      const a = expectFindings(files, [CODE], HZ42);
      const fixes = a.findings.filter((x) => x.code === CODE).map((x) => x.fix);
      assert.deepEqual(
        fixes.map((x) => x?.applicability),
        ['unsafe', 'unsafe'],
      );
      assert.equal(fixes[0]?.title, "Use PyMemcacheCache (needs pymemcache) and drop 'inet6:' from LOCATION");
      assert.deepEqual(
        fixAllText(files, { ...HZ42, select: [CODE] }),
        files,
        'unsafe fixes stay out of plain fix-all',
      );
      const fixed = fixAllText(files, { ...HZ42, select: [CODE], unsafe: true });
      assert.equal(
        fixed['local_settings.py'],
        `CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',  #! DSL108
        'LOCATION': ['[fd00::11]:11211', '10.0.0.12:11211'],
    },
    'other': {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",  #! DSL108
        "LOCATION": "[::1]:11211;[fd00::12]:11211",
    },
}
`,
      );
      assert.deepEqual(
        fixAllText(fixed, { ...HZ42, select: [CODE], unsafe: true }),
        fixed,
        'applying it again changes nothing',
      );
    });

    it('keeps LOCATION untouched when it has no inet6: prefix', () => {
      const fixed = fixAllText({ 'local_settings.py': MEMCACHED }, { ...HZ42, select: [CODE], unsafe: true });
      assert.equal(
        fixed['local_settings.py'],
        MEMCACHED.replace('memcached.MemcachedCache', 'memcached.PyMemcacheCache'),
      );
    });
  });
});
