/** DSL117: KEY_PREFIX that breaks memcached keys (whitespace/control characters, or session keys over 250 characters). */
import assert from 'node:assert/strict';
import { expectFindings } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL117'];
const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';
const CACHE = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";

function entry(prefix: string, extra = ''): string {
  return `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'mc:11211', 'KEY_PREFIX': ${prefix}${extra}}}`;
}

describe('DSL117 memcached-key-prefix', () => {
  describe('fires', () => {
    it('on a space or a control character in KEY_PREFIX', () => {
      const a = expectFindings({ 'settings.py': `${CACHE}${entry("'horizon prod'")}  #! DSL117\n` }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL117');
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /"horizon prod" contains a space: .*InvalidCacheKey and every session read and write fails/,
      );
      const b = expectFindings({ 'settings.py': `${entry("'app\\t1'")}  #! DSL117\n` }, CODE);
      assert.match(
        b.findings.find((x) => x.code === 'DSL117')?.message ?? '',
        /control character "\\t".*every use of this cache fails/,
      );
    });

    it('when a session key (KEY_PREFIX:1:django.contrib.sessions.cache + 32) exceeds 250 characters', () => {
      // 187 + ':1:' (3) + 29 + 32 = 251.
      const a = expectFindings({ 'settings.py': `${CACHE}${entry("'p' * 187")}  #! DSL117\n` }, CODE);
      assert.match(
        a.findings.find((x) => x.code === 'DSL117')?.message ?? '',
        /187 characters: session keys .* are 251 characters, over memcached's 250/,
      );
    });

    it('counts VERSION and the longer cached_db prefix', () => {
      // 185 + ':10:' (4) + 29 + 32 = 250 is fine for cache sessions; cached_db adds 4 characters.
      expectFindings({ 'settings.py': `${CACHE}${entry("'p' * 185", ", 'VERSION': 10")}\n` }, CODE);
      expectFindings(
        {
          'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\n${entry("'p' * 185", ", 'VERSION': 10")}  #! DSL117\n`,
        },
        CODE,
      );
    });

    it('judges a visible environment default and says so', () => {
      const a = expectFindings(
        { 'settings.py': `import os\n${entry("os.environ.get('CACHE_PREFIX', 'my site')")}  #! DSL117\n` },
        CODE,
      );
      assert.match(
        a.findings.find((x) => x.code === 'DSL117')?.message ?? '',
        /\(if CACHE_PREFIX is unset\)/,
      );
    });
  });

  describe('stays silent', () => {
    it('at exactly 250 characters, and on ordinary prefixes', () => {
      expectFindings({ 'settings.py': `${CACHE}${entry("'p' * 186")}\n` }, CODE);
      expectFindings({ 'settings.py': `${CACHE}${entry("'horizon-prod:v2'")}\n` }, CODE);
    });

    it('with a KEY_FUNCTION, which builds keys its own way', () => {
      expectFindings(
        { 'settings.py': `${entry("'horizon prod'", ", 'KEY_FUNCTION': 'myapp.cache.make_key'")}\n` },
        CODE,
      );
    });

    it('on non-memcached backends (they only warn)', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0', 'KEY_PREFIX': 'a b'}}\n`,
        },
        CODE,
      );
    });

    it('on Unknown prefixes and when only one branch is bad', () => {
      expectFindings({ 'settings.py': `import os\n${entry("os.environ['CACHE_PREFIX']")}\n` }, CODE);
      expectFindings(
        {
          'settings.py': `import os\nDEBUG = os.environ.get('DEBUG') == '1'\n${entry("'a b' if DEBUG else 'ab'")}\n`,
        },
        CODE,
      );
    });

    it('when a local_settings.d snippet fixes the prefix', () => {
      expectFindings(
        {
          'local_settings.py': `${entry("'a b'")}\n`,
          'local_settings.d/_50_prefix.py': "CACHES['default']['KEY_PREFIX'] = 'a-b'\n",
        },
        CODE,
      );
    });

    it('with a suppression comment', () => {
      expectFindings({ 'settings.py': `${entry("'a b'")}  # session-lint: ignore[DSL117]\n` }, CODE);
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL117');
    });
  });
});
