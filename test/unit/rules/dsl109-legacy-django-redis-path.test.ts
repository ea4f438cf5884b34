/** DSL109 (legacy django-redis `redis_cache` module paths): firing on any alias, silence, messages and whole-text fixes. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const CODE = 'DSL109';
const HZ = { horizonRelease: '2024.2', djangoVersion: '4.2' };

describe('DSL109 legacy-django-redis-path', () => {
  describe('fires', () => {
    it('on the old BACKEND with an old CLIENT_CLASS, fixing both (unsafe)', () => {
      const files = {
        'local_settings.py': `CACHES = {
    'default': {
        'BACKEND': 'redis_cache.cache.RedisCache',  #! DSL109
        'LOCATION': 'redis://127.0.0.1:6379/1',
        'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.DefaultClient'},
    }
}
`,
      };
      const f = expectFindings(files, [CODE], HZ).findings.find((x) => x.code === CODE);
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /^CACHES\['default'\] uses django-redis' pre-3\.8 module name in BACKEND 'redis_cache\.cache\.RedisCache' and CLIENT_CLASS 'redis_cache\.client\.DefaultClient'/,
      );
      assert.match(f?.message ?? '', /No module named 'redis_cache'/);
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(fixAllText(files, { ...HZ, select: [CODE] }), files);
      const fixed = fixAllText(files, { ...HZ, select: [CODE], unsafe: true });
      assert.equal(
        fixed['local_settings.py'],
        `CACHES = {
    'default': {
        'BACKEND': 'django_redis.cache.RedisCache',  #! DSL109
        'LOCATION': 'redis://127.0.0.1:6379/1',
        'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'},
    }
}
`,
      );
      assert.deepEqual(fixAllText(fixed, { ...HZ, select: [CODE], unsafe: true }), fixed);
    });

    it('on an old CLIENT_CLASS alone, keeping the client class name (HerdClient)', () => {
      const files = {
        'settings.py': `CACHES = {'default': {
    'BACKEND': 'django_redis.cache.RedisCache',
    'LOCATION': 'redis://r:6379/0',
    'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.HerdClient'},  #! DSL109
}}
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.equal(f?.fix?.title, "Use 'django_redis.client.HerdClient'");
      assert.equal(
        fixAllText(files, { select: [CODE], unsafe: true })['settings.py'],
        files['settings.py'].replace('redis_cache.client.HerdClient', 'django_redis.client.HerdClient'),
      );
    });

    it('maps an unknown legacy client to DefaultClient', () => {
      const files = {
        'settings.py': `CACHES = {'default': {'BACKEND': 'redis_cache.cache.RedisCache', 'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.SimpleFailoverClient'}}}  #! DSL109\n`,
      };
      expectFindings(files, [CODE]);
      assert.equal(
        fixAllText(files, { select: [CODE], unsafe: true })['settings.py'],
        `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}  #! DSL109\n`,
      );
    });

    it('on the old BACKEND with a current CLIENT_CLASS (only django-redis has that option)', () => {
      const files = {
        'settings.py': `CACHES = {'default': {'BACKEND': 'redis_cache.cache.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/1', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}  #! DSL109\n`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.doesNotMatch(f?.message ?? '', /CLIENT_CLASS '/);
      assert.equal(f?.fix?.title, "Use 'django_redis.cache.RedisCache'");
    });

    it('on any alias, and also when BACKEND is unknown', () => {
      const files = {
        'settings.py': `import os
CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
    'redis': {'BACKEND': os.environ['REDIS_BACKEND'], 'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.DefaultClient'}},  #! DSL109
}
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /^CACHES\['redis'\]/);
    });

    it('judges a visible environment default and says so, without a fix', () => {
      const files = {
        'local_settings.py': `import os
CACHES = {'default': {
    'BACKEND': 'django_redis.cache.RedisCache',
    'OPTIONS': {'CLIENT_CLASS': os.environ.get('REDIS_CLIENT', 'redis_cache.client.DefaultClient')},  #! DSL109
}}
`,
      };
      const f = expectFindings(files, [CODE], HZ).findings.find((x) => x.code === CODE);
      assert.match(
        f?.message ?? '',
        /CLIENT_CLASS 'redis_cache\.client\.DefaultClient' \(if REDIS_CLIENT is unset\)/,
      );
      assert.equal(f?.fix, undefined);
    });
  });

  describe('stays silent', () => {
    it("on current django-redis paths and on sebleier's backend without CLIENT_CLASS (DSL114's)", () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}},
          'a': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': 'r:6379'},
          'b': {'BACKEND': 'redis_cache.cache.RedisCache', 'LOCATION': 'r:6379'}}
`,
        },
        [CODE],
      );
    });

    it('when CLIENT_CLASS is unknown or only one option of a condition is legacy', () => {
      expectFindings(
        {
          'settings.py': `import os\nCACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'OPTIONS': {'CLIENT_CLASS': os.environ['C']}}}\n`,
        },
        [CODE],
      );
      expectFindings(
        {
          'settings.py': `import os
OLD = bool(os.environ.get('OLD'))
CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.DefaultClient' if OLD else 'django_redis.client.DefaultClient'}}}
`,
        },
        [CODE],
      );
    });

    it('when a local_settings.d snippet replaces the entry', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': 'redis_cache.cache.RedisCache', 'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.DefaultClient'}}}\n`,
        'local_settings.d/_10_redis.py': `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0'}}\n`,
      };
      expectFindings(files, [CODE], HZ);
    });

    it('when suppressed on the line', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': 'redis_cache.cache.RedisCache', 'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.DefaultClient'}}}  # session-lint: ignore[DSL109]\n`,
      };
      assert.equal(lint(files, HZ).findings.filter((f) => f.code === CODE).length, 0);
    });
  });
});
