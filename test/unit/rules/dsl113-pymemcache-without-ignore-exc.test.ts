/** DSL113: sessions on PyMemcacheCache without OPTIONS ignore_exc (production profile only). */
import assert from 'node:assert/strict';
import { expectFindings, lint } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL113'];
const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';
const CACHE = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";

describe('DSL113 pymemcache-without-ignore-exc', () => {
  describe('fires (information, production)', () => {
    it('on the BACKEND when OPTIONS is missing', () => {
      const text = `${CACHE}CACHES = {\n    'default': {\n        'BACKEND': '${PYMEMCACHE}',  #! DSL113\n        'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],\n    },\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE, { profile: 'production' });
      const f = a.findings.find((x) => x.code === 'DSL113');
      assert.equal(f?.severity, 'information');
      assert.match(f?.message ?? '', /with no OPTIONS: .*HTTP 500; 'ignore_exc': True/);
      assert.equal(f?.fix, undefined);
    });

    it('when ignore_exc is missing from OPTIONS or false, and for cached_db on Django 4.2', () => {
      const text = `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\nCACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211', 'OPTIONS': {'ignore_exc': False}}}  #! DSL113\n`;
      expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '4.2' });
      const text2 = `${CACHE}CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211', 'OPTIONS': {'no_delay': True}}}  #! DSL113\n`;
      expectFindings({ 'settings.py': text2 }, CODE);
    });

    it("on Horizon's own default CACHES, saying whose default it is", () => {
      const a = expectFindings({ 'local_settings.py': `DEBUG = False  #! DSL113\n` }, CODE, {
        horizonRelease: '2024.2',
      });
      assert.match(
        a.findings.find((x) => x.code === 'DSL113')?.message ?? '',
        /\(Horizon's default CACHES\)/,
      );
    });

    it('judges a visible environment default and says so', () => {
      const text = `import os\n${CACHE}CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211', 'OPTIONS': {'ignore_exc': bool(os.environ.get('MC_IGNORE_EXC', ''))}}}  #! DSL113\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(
        a.findings.find((x) => x.code === 'DSL113')?.message ?? '',
        /\(if MC_IGNORE_EXC is unset\)/,
      );
    });

    it('on the sessions alias only, through SESSION_CACHE_ALIAS', () => {
      const text = `${CACHE}SESSION_CACHE_ALIAS = 'sessions'\nCACHES = {\n    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},\n    'sessions': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211'},  #! DSL113\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });
  });

  describe('stays silent', () => {
    it('in the development profile', () => {
      const text = `${CACHE}CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211'}}\n`;
      expectFindings({ 'settings.py': text }, CODE, { profile: 'development' });
    });

    it('with ignore_exc True, unknown, or OPTIONS that may hold it', () => {
      const text = `import os\n${CACHE}SESSION_CACHE_ALIAS = os.environ.get('ALIAS', 'a')\nCACHES = {\n    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},\n    'a': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211', 'OPTIONS': {'ignore_exc': True}},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
      expectFindings(
        {
          'settings.py': `import os\n${CACHE}CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211', 'OPTIONS': {'ignore_exc': os.environ['IGNORE']}}}\n`,
        },
        CODE,
      );
      expectFindings(
        {
          'settings.py': `from .extra import MC_OPTIONS\n${CACHE}CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211', 'OPTIONS': {**MC_OPTIONS}}}\n`,
        },
        CODE,
      );
    });

    it('when sessions do not use the cache, or use another alias, or the engine is unknown', () => {
      const caches = `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211'}, 'r': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0'}}\n`;
      expectFindings(
        { 'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n${caches}` },
        CODE,
      );
      expectFindings({ 'settings.py': `${CACHE}SESSION_CACHE_ALIAS = 'r'\n${caches}` }, CODE);
      expectFindings(
        { 'settings.py': `import os\nSESSION_ENGINE = os.environ['SESSION_ENGINE']\n${caches}` },
        CODE,
      );
    });

    it('for cached_db when the Django version is unknown or >= 5.0 (cache errors are logged there)', () => {
      const text = `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\nCACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211'}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
      expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '5.2' });
    });

    it('when a local_settings.d snippet adds ignore_exc, and on Horizon releases with MemcachedCache', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211'}}\n`,
        'local_settings.d/_50_mc.py': `CACHES['default']['OPTIONS'] = {'ignore_exc': True}\n`,
      };
      expectFindings(files, CODE, { horizonRelease: '2024.2' });
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE, { horizonRelease: '2023.2' });
    });

    it('with a suppression comment', () => {
      const text = `${CACHE}CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211'}}  # session-lint: ignore[DSL113]\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(lint({ 'settings.py': text }).findings.filter((f) => f.code === 'DSL113').length, 0);
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL113');
    });
  });
});
