/** DSL126: cache sessions whose memcached/Redis servers are all on this host. */
import assert from 'node:assert/strict';
import { expectFindings, lint, type LintOptions } from '../../helpers/rule-harness';

const CODE = ['DSL126'];
const H = { horizonRelease: '2024.2', djangoVersion: '4.2' } satisfies LintOptions;
const CACHE_ENGINE = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";
const caches = (backend: string, location: string): string =>
  `CACHES = {'default': {'BACKEND': '${backend}', 'LOCATION': ${location}}}`;
const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';
const REDIS = 'django.core.cache.backends.redis.RedisCache';

describe('DSL126 loopback-session-cache', () => {
  it('hints at the seed Redis block (127.0.0.1) in production', () => {
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    "default": {
        "BACKEND": "redis_cache.cache.RedisCache",
        "LOCATION": "127.0.0.1:6379:1",  #! DSL126
        "OPTIONS": {
            "CLIENT_CLASS": "redis_cache.client.DefaultClient",
        }
    }
}
`,
    };
    const a = expectFindings(files, CODE, H);
    const f = a.findings.find((x) => x.code === 'DSL126');
    assert.equal(f?.severity, 'hint');
    assert.match(f?.message ?? '', /Redis server on this host only/);
    assert.equal(f?.fix, undefined);
  });

  it('fires for memcached on localhost, ::1 and a unix socket, and for cached_db', () => {
    expectFindings(
      { 'settings.py': `${CACHE_ENGINE}${caches(PYMEMCACHE, "'localhost:11211'")}  #! DSL126\n` },
      CODE,
    );
    expectFindings(
      {
        'settings.py': `${CACHE_ENGINE}${caches(PYMEMCACHE, "['[::1]:11211', 'unix:/run/memcached.sock']")}  #! DSL126\n`,
      },
      CODE,
    );
    expectFindings(
      {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\n${caches(REDIS, "'redis://127.0.0.1:6379/1'")}  #! DSL126\n`,
      },
      CODE,
    );
  });

  it('never shows a password from the URL', () => {
    const files = {
      'settings.py': `${CACHE_ENGINE}${caches(REDIS, "'redis://:hunter22@127.0.0.1:6379/1'")}  #! DSL126\n`,
    };
    expectFindings(files, CODE);
    for (const f of lint(files).findings) assert.ok(!f.message.includes('hunter22'), f.message);
  });

  it('is off in the development profile', () => {
    expectFindings({ 'settings.py': `${CACHE_ENGINE}${caches(PYMEMCACHE, "'127.0.0.1:11211'")}\n` }, CODE, {
      profile: 'development',
    });
  });

  it('judges a visible default and says so', () => {
    const files = {
      'settings.py': `import os\n${CACHE_ENGINE}${caches(PYMEMCACHE, "os.environ.get('MC', '127.0.0.1:11211')")}  #! DSL126\n`,
    };
    expectFindings(files, CODE);
    assert.match(lint(files).findings.find((f) => f.code === 'DSL126')?.message ?? '', /\(if MC is unset\)/);
  });

  describe('must stay silent', () => {
    it("on Horizon's built-in 127.0.0.1:11211 default (DSL406's subject)", () => {
      expectFindings({ 'local_settings.py': CACHE_ENGINE }, CODE, H);
    });
    it('when any server is remote, or the location is unknown', () => {
      expectFindings(
        { 'settings.py': `${CACHE_ENGINE}${caches(PYMEMCACHE, "['127.0.0.1:11211', '10.0.0.12:11211']")}\n` },
        CODE,
      );
      expectFindings(
        { 'settings.py': `import os\n${CACHE_ENGINE}${caches(PYMEMCACHE, "os.environ['MC']")}\n` },
        CODE,
      );
    });
    it('for per-process or non-cache storage', () => {
      expectFindings(
        {
          'settings.py': `${CACHE_ENGINE}CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n`,
        },
        CODE,
      );
      expectFindings(
        {
          'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n${caches(PYMEMCACHE, "'127.0.0.1:11211'")}\n`,
        },
        CODE,
      );
    });
    it('when CACHES is loopback in one branch only', () => {
      const text = `import os\n${CACHE_ENGINE}if os.environ.get('X'):\n    CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '127.0.0.1:11211'}}\nelse:\n    CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '10.0.0.1:11211'}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });
    it('when a later snippet points the sessions at a shared server', () => {
      expectFindings(
        {
          'local_settings.py': `${CACHE_ENGINE}${caches(PYMEMCACHE, "'127.0.0.1:11211'")}\n`,
          'local_settings.d/_60_cache.py': `${caches(PYMEMCACHE, "['10.0.0.11:11211', '10.0.0.12:11211']")}\n`,
        },
        CODE,
        H,
      );
    });
  });
});
