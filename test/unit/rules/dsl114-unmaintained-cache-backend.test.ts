/** DSL114: cache backends from unmaintained third-party packages. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet, SEED_REDIS_BLOCK } from './backend-canonical-snippets';

const CODE = ['DSL114'];
const DR = 'django_redis.cache.RedisCache';

describe('DSL114 unmaintained-cache-backend', () => {
  describe('fires', () => {
    it('on sebleier redis_cache.RedisCache with one server, with an unsafe switch to django-redis', () => {
      const text = `CACHES = {\n    'default': {\n        'BACKEND': 'redis_cache.RedisCache',  #! DSL114\n        'LOCATION': 'redis://127.0.0.1:6379/1',\n    },\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL114');
      assert.equal(f?.severity, 'warning');
      assert.match(
        f?.message ?? '',
        /django-redis-cache, which is unmaintained .*redis<4\.0.*Use 'django_redis\.cache\.RedisCache'/,
      );
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.equal(fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'], text);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE, unsafe: true })['settings.py'],
        text.replace("'redis_cache.RedisCache'", `'${DR}'`),
      );
    });

    it('as information in the development profile', () => {
      const text = `CACHES = {'default': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': 'redis://r:6379/1'}}  #! DSL114\n`;
      const a = expectFindings({ 'settings.py': text }, CODE, { profile: 'development' });
      assert.equal(a.findings.find((x) => x.code === 'DSL114')?.severity, 'information');
    });

    it('without a fix when the switch would change meaning: sharding, a server list, OPTIONS', () => {
      const text = `CACHES = {\n    'default': {'BACKEND': 'redis_cache.ShardedRedisCache', 'LOCATION': ['r1:6379', 'r2:6379']},  #! DSL114\n    'b': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': ['r1:6379', 'r2:6379']},  #! DSL114\n    'c': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': 'r1:6379', 'OPTIONS': {'DB': 1}},  #! DSL114\n    'd': {'BACKEND': 'django_pylibmc.memcached.PyLibMCCache', 'LOCATION': 'mc:11211', 'OPTIONS': {'tcp_nodelay': True}},  #! DSL114\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.ok(a.findings.filter((x) => x.code === 'DSL114').every((f) => f.fix === undefined));
    });

    it('on django-pylibmc, switched to the built-in PyLibMCCache when its OPTIONS carry over', () => {
      const text = `CACHES = {'default': {'BACKEND': 'django_pylibmc.memcached.PyLibMCCache', 'LOCATION': 'mc:11211', 'OPTIONS': {'binary': True}}}  #! DSL114\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE, unsafe: true })['settings.py'],
        text.replace(
          "'django_pylibmc.memcached.PyLibMCCache'",
          "'django.core.cache.backends.memcached.PyLibMCCache'",
        ),
      );
    });

    it('on the back-compat path redis_cache.cache.RedisCache without a django-redis CLIENT_CLASS', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': 'redis_cache.cache.RedisCache', 'LOCATION': 'r:6379'}}  #! DSL114\n`,
        },
        CODE,
      );
    });

    it('on a visible environment default', () => {
      const text = `import os\nCACHES = {'default': {'BACKEND': os.environ.get('CACHE_BACKEND', 'redis_cache.RedisCache'), 'LOCATION': 'redis://r:6379/1'}}  #! DSL114\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.equal(a.findings.find((x) => x.code === 'DSL114')?.fix, undefined);
    });
  });

  describe('stays silent', () => {
    it('on the seed block, whose redis_cache.client CLIENT_CLASS makes it old django-redis (DSL109)', () => {
      expectFindings({ 'local_settings.py': SEED_REDIS_BLOCK }, CODE, {
        horizonRelease: '2024.2',
        djangoVersion: '4.2',
      });
    });

    it('on maintained backends and unknown BACKENDs', () => {
      const text = `import os\nCACHES = {\n    'default': {'BACKEND': '${DR}', 'LOCATION': 'redis://r:6379/1'},\n    'b': {'BACKEND': 'djpymemcache.backend.PyMemcacheCache', 'LOCATION': 'mc:11211'},\n    'c': {'BACKEND': os.environ['BACKEND'], 'LOCATION': 'x'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('when a local_settings.d snippet replaces the backend', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': 'redis://r:6379/1'}}\n`,
        'local_settings.d/_50_cache.py': `CACHES['default']['BACKEND'] = '${DR}'\n`,
      };
      expectFindings(files, CODE);
    });

    it('with a suppression comment', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': 'redis://r:6379/1'}}  # session-lint: ignore[DSL114]\n`,
        },
        CODE,
      );
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL114');
    });
  });
});
