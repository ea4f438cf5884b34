/** Acceptance cases for DSL102–DSL109: the seed guide's blocks pasted into a Horizon local_settings.py (2024.2, Django 4.2), and correct snippets that must stay quiet. */
import assert from 'node:assert/strict';
import { describeFindings, expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const MINE = ['DSL102', 'DSL103', 'DSL105', 'DSL106', 'DSL107', 'DSL108', 'DSL109'];
const SEED = { horizonRelease: '2024.2', djangoVersion: '4.2', profile: 'production' } as const;

describe('DSL102–DSL109 on the seed guide (Horizon 2024.2, Django 4.2)', () => {
  it('Memcached block → DSL108 as an error (MemcachedCache removed in Django 4.1)', () => {
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
  'default': {
    'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',  #! DSL108
    'LOCATION': 'my_memcached_host:11211',
  }
}
`,
    };
    const a = expectFindings(files, MINE, SEED);
    assert.equal(a.findings.find((f) => f.code === 'DSL108')?.severity, 'error', describeFindings(a));
    assert.equal(
      fixAllText(files, { ...SEED, select: ['DSL108'], unsafe: true })['local_settings.py'],
      files['local_settings.py'].replace('MemcachedCache', 'PyMemcacheCache'),
    );
  });

  it('Redis block → DSL109 (DSL110 for its LOCATION belongs to the backend rules)', () => {
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    "default": {
        "BACKEND": "redis_cache.cache.RedisCache",  #! DSL109
        "LOCATION": "127.0.0.1:6379:1",
        "OPTIONS": {
            "CLIENT_CLASS": "redis_cache.client.DefaultClient",
        }
    }
}
`,
    };
    expectFindings(files, MINE, SEED);
    assert.ok(
      lint(files, SEED).findings.some((f) => f.code === 'DSL110'),
      'the LOCATION is reported too',
    );
    assert.equal(
      fixAllText(files, { ...SEED, select: ['DSL109'], unsafe: true })['local_settings.py'],
      files['local_settings.py']
        .replace('"redis_cache.cache.RedisCache"', '"django_redis.cache.RedisCache"')
        .replace('"redis_cache.client.DefaultClient"', '"django_redis.client.DefaultClient"'),
    );
  });

  it('Cached database section on top of the local-memory block → DSL105', () => {
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
  'default' : {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'  #! DSL105
  }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
`,
    };
    const a = expectFindings(files, MINE, SEED);
    assert.equal(a.findings.find((f) => f.code === 'DSL105')?.severity, 'warning');
  });

  it('correct cache snippets raise none of these rules', () => {
    const snippets = [
      `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
    'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],
    'OPTIONS': {'ignore_exc': True},
}}
`,
      `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',
                      'LOCATION': 'redis://127.0.0.1:6379/1'}}
`,
      `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache',
                      'LOCATION': 'redis://127.0.0.1:6379/1',
                      'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}
`,
      `SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\n`,
      `DEBUG = False\n`,
    ];
    for (const text of snippets) expectFindings({ 'local_settings.py': text }, MINE, SEED);
  });
});
