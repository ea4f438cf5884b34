/** Shared inputs for the DSL110–DSL119 tests: the canonical cache snippets of Django's and django-redis' documentation and the seed page's Redis block, as users paste them. */
import assert from 'node:assert/strict';
import { describeFindings, lint, type LintOptions } from '../../helpers/rule-harness';

/** The canonical cache snippets, one per entry (each is a complete settings fragment). */
export const CANONICAL_SNIPPETS: Readonly<Record<string, string>> = {
  memcached: `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
    'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],   # IPv6: '[fd00::11]:11211'
    'OPTIONS': {'ignore_exc': True},                      # optional, see DSL113
}}
`,
  'redis-builtin': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',
                      'LOCATION': 'redis://127.0.0.1:6379/1'}}
`,
  'django-redis': `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache',
                      'LOCATION': 'redis://127.0.0.1:6379/1',
                      'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}
`,
  database: `SESSION_ENGINE = 'django.contrib.sessions.backends.db'   # or cached_db + a shared cache
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'USER': 'dash',
                         'PASSWORD': '…', 'HOST': 'db.example', 'PORT': '3306',
                         'OPTIONS': {'charset': 'utf8mb4'}}}
`,
  cookies: `SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'
`,
};

/** The seed page's Redis block, verbatim. */
export const SEED_REDIS_BLOCK = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    "default": {
        "BACKEND": "redis_cache.cache.RedisCache",
        "LOCATION": "127.0.0.1:6379:1",
        "OPTIONS": {
            "CLIENT_CLASS": "redis_cache.client.DefaultClient",
        }
    }
}
`;

/** Asserts that no canonical snippet, in a Horizon local_settings.py or a plain settings.py, gives `code` as a warning or error. */
export function expectCanonicalSnippetsQuiet(code: string, opts: LintOptions = {}): void {
  for (const [name, text] of Object.entries(CANONICAL_SNIPPETS)) {
    for (const file of ['local_settings.py', 'settings.py']) {
      const a = lint(
        { [file]: text },
        { horizonRelease: file === 'local_settings.py' ? '2024.2' : '', djangoVersion: '4.2', ...opts },
      );
      const loud = a.findings.filter(
        (f) => f.code === code && (f.severity === 'error' || f.severity === 'warning'),
      );
      assert.deepEqual(
        loud,
        [],
        `${code} on the canonical ${name} snippet in ${file}:\n${describeFindings(a)}`,
      );
    }
  }
}
