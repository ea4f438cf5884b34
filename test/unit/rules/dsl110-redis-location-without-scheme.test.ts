/** DSL110: Redis LOCATION entries without a redis://, rediss:// or unix:// scheme. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, fixAllText, lint } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet, SEED_REDIS_BLOCK } from './backend-canonical-snippets';

const CODE = ['DSL110'];
const DR = 'django_redis.cache.RedisCache';
const BUILTIN = 'django.core.cache.backends.redis.RedisCache';

function only(files: Record<string, string>, opts = {}) {
  return lint(files, opts).findings.filter((f) => f.code === 'DSL110');
}

describe('DSL110 redis-location-without-scheme', () => {
  describe('fires', () => {
    it('on the old django-redis host:port:db form, with an exact safe fix', () => {
      const text = `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': '127.0.0.1:6379:1'}}  #! DSL110\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL110');
      assert.match(
        f?.message ?? '',
        /'127\.0\.0\.1:6379:1' has no redis:\/\/, rediss:\/\/, unix:\/\/ scheme/,
      );
      assert.match(f?.message ?? '', /Use 'redis:\/\/127\.0\.0\.1:6379\/1'/);
      assert.equal(f?.severity, 'error');
      assert.equal(f?.fix?.applicability, 'safe');
      assert.deepEqual(fixAllText({ 'settings.py': text }, { select: CODE }), {
        'settings.py': `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': 'redis://127.0.0.1:6379/1'}}  #! DSL110\n`,
      });
    });

    it("on host:port for Django's RedisCache, keeping the quote style", () => {
      const text = `CACHES = {\n    "default": {\n        "BACKEND": "${BUILTIN}",\n        "LOCATION": "redis.internal:6379",  #! DSL110\n    }\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        text.replace('"redis.internal:6379"', '"redis://redis.internal:6379"'),
      );
    });

    it('rewrites unix:/path:db and bare socket paths to unix:// URLs', () => {
      const text = `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': 'unix:/run/redis/redis.sock:2'}}  #! DSL110\nCACHES['s'] = {'BACKEND': '${BUILTIN}', 'LOCATION': '/run/redis.sock'}  #! DSL110\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': 'unix:///run/redis/redis.sock?db=2'}}  #! DSL110\nCACHES['s'] = {'BACKEND': '${BUILTIN}', 'LOCATION': 'unix:///run/redis.sock'}  #! DSL110\n`,
      );
    });

    it("splits a string on ';' and ',' like Django's RedisCache and fixes only the bad entries", () => {
      const text = `CACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://10.0.0.1:6379/0; 10.0.0.2:6379,'}}  #! DSL110\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(a.findings[0]?.message ?? '', /'10\.0\.0\.2:6379' has no .*; LOCATION has an empty entry/);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        `CACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://10.0.0.1:6379/0; redis://10.0.0.2:6379'}}  #! DSL110\n`,
      );
    });

    it('checks every item of a list LOCATION and reports the item', () => {
      const text = `CACHES = {\n    'default': {\n        'BACKEND': '${DR}',\n        'LOCATION': [\n            'redis://10.0.0.1:6379/0',\n            '10.0.0.2:6379:0',  #! DSL110\n        ],\n    },\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        text.replace("'10.0.0.2:6379:0'", "'redis://10.0.0.2:6379/0'"),
      );
    });

    it('judges a visible environment default, says so, and fixes only the default literal', () => {
      const text = `import os\nCACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': os.environ.get('REDIS_LOCATION', '127.0.0.1:6379:1')}}  #! DSL110\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(a.findings[0]?.message ?? '', /\(if REDIS_LOCATION is unset\)/);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        text.replace("'127.0.0.1:6379:1'", "'redis://127.0.0.1:6379/1'"),
      );
    });

    it('fires when every branch of an undecidable condition is bad', () => {
      const text = `import os\nDEBUG = os.environ.get('DEBUG') == '1'\nCACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'localhost:6379' if DEBUG else 'redis-a:6379:0'}}  #! DSL110 DSL110\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('fires on a local_settings.d snippet that breaks the LOCATION, in the snippet', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': 'redis://127.0.0.1:6379/1'}}\n`,
        'local_settings.d/_50_redis.py': `CACHES['default']['LOCATION'] = '10.1.1.1:6379:1'  #! DSL110\n`,
      };
      expectFindings(files, CODE);
    });

    it('reports a missing LOCATION on the BACKEND', () => {
      const text = `CACHES = {'default': {'BACKEND': '${BUILTIN}'}}  #! DSL110\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(a.findings[0]?.message ?? '', /has no LOCATION/);
      assert.equal(a.findings[0]?.fix, undefined);
    });

    it('offers no fix for a memcached port, a bare word or a password, and masks the password', () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${DR}', 'LOCATION': 'mc1:11211'},  #! DSL110\n    'b': {'BACKEND': '${DR}', 'LOCATION': 'redishost'},  #! DSL110\n    'c': {'BACKEND': '${DR}', 'LOCATION': 'user:s3cr3tpassw0rd@redis:6379'},  #! DSL110\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const found = a.findings.filter((f) => f.code === 'DSL110');
      assert.equal(found.length, 3);
      assert.ok(found.every((f) => f.fix === undefined));
      assert.match(found[0]?.message ?? '', /11211 is memcached's/);
      assert.ok(
        found.every((f) => !f.message.includes('s3cr3tpassw0rd')),
        found.map((f) => f.message).join('\n'),
      );
      assert.match(found[2]?.message ?? '', /user:\*\*\*@redis:6379/);
    });

    it('fires on the seed Redis block pasted into a Horizon 2024.2 local_settings.py', () => {
      const text = SEED_REDIS_BLOCK.replace('"127.0.0.1:6379:1",', '"127.0.0.1:6379:1",  #! DSL110');
      expectFindings({ 'local_settings.py': text }, CODE, { horizonRelease: '2024.2', djangoVersion: '4.2' });
    });

    it('after the seed is migrated to django_redis, the fix gives the URL', () => {
      const text = SEED_REDIS_BLOCK.replace('redis_cache.cache.RedisCache', DR).replace(
        'redis_cache.client.DefaultClient',
        'django_redis.client.DefaultClient',
      );
      const fixed = fixAllText(
        { 'local_settings.py': text },
        { horizonRelease: '2024.2', djangoVersion: '4.2', select: CODE },
      );
      assert.equal(
        fixed['local_settings.py'],
        text.replace('"127.0.0.1:6379:1"', '"redis://127.0.0.1:6379/1"'),
      );
    });
  });

  describe('stays silent', () => {
    it('on URLs with any accepted scheme, in any case', () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${DR}', 'LOCATION': 'redis://127.0.0.1:6379/1'},\n    'b': {'BACKEND': '${BUILTIN}', 'LOCATION': ['rediss://:pw@r:6380/0', 'unix:///run/r.sock?db=1']},\n    'c': {'BACKEND': '${DR}', 'LOCATION': 'REDIS://h:6379'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it("on a ';' inside a django-redis URL (django-redis splits on ',' only)", () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': 'redis://a:6379/0;b:6379'}}\n`,
        },
        CODE,
      );
    });

    it('on environment lookups without a default', () => {
      expectFindings(
        {
          'settings.py': `import os\nCACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': os.environ['REDIS_URL']}}\n`,
        },
        CODE,
      );
    });

    it('on an f-string with an unknown host and a known redis:// prefix', () => {
      const text = `import os\nREDIS_HOST = os.environ['REDIS_HOST']\nCACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': f'redis://{REDIS_HOST}:6379/1'}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('on an f-string whose known parts lack a scheme but whose host is unknown (Unknown is never wrong)', () => {
      const text = `import os\nCACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': f"{os.environ['REDIS_HOST']}:6379"}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('when only one branch of an undecidable condition is bad', () => {
      const text = `import os\nDEBUG = os.environ.get('DEBUG') == '1'\nCACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': '127.0.0.1:6379:1' if DEBUG else 'redis://redis:6379/1'}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('when a local_settings.d snippet replaces the bad CACHES', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': '127.0.0.1:6379:1'}}\n`,
        'local_settings.d/_60_cache.py': `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': 'redis://127.0.0.1:6379/1'}}\n`,
      };
      expectFindings(files, CODE);
    });

    it('on other backends: memcached, and sebleier django-redis-cache which accepts host:port', () => {
      const text = `CACHES = {\n    'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:11211'},\n    'r': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': '127.0.0.1:6379'},\n    'legacy': {'BACKEND': 'redis_cache.cache.RedisCache', 'LOCATION': 'localhost:6379'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('when the BACKEND is unknown', () => {
      expectFindings(
        {
          'settings.py': `import os\nCACHES = {'default': {'BACKEND': os.environ['CACHE_BACKEND'], 'LOCATION': '127.0.0.1:6379:1'}}\n`,
        },
        CODE,
      );
    });

    it('with a suppression comment', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': '127.0.0.1:6379:1'}}  # session-lint: ignore[DSL110]\n`,
        },
        CODE,
      );
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL110');
    });
  });

  it('offers no fix when the LOCATION is not a plain literal', () => {
    const text = `HOST = '127.0.0.1'\nCACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': HOST + ':6379:1'}}  #! DSL110\n`;
    const found = only({ 'settings.py': text });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.fix, undefined);
    expectFindings({ 'settings.py': text }, CODE);
  });

  it('the fix is idempotent', () => {
    const text = `CACHES = {'default': {'BACKEND': '${DR}', 'LOCATION': '127.0.0.1:6379:1'}}\n`;
    const once = fixAllText({ 'settings.py': text }, { select: CODE });
    assert.deepEqual(fixAllText(once, { select: CODE }), once);
    const f = lint({ 'settings.py': text }).findings.find((x) => x.code === 'DSL110');
    assert.ok(f);
    checkFix({ 'settings.py': text }, f);
  });
});
