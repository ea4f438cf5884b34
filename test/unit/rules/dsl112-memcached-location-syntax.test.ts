/** DSL112: memcached LOCATION written for another client binding, or as a URL. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL112'];
const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';
const PYLIBMC = 'django.core.cache.backends.memcached.PyLibMCCache';
const MEMCACHED = 'django.core.cache.backends.memcached.MemcachedCache';

describe('DSL112 memcached-location-syntax', () => {
  describe('fires', () => {
    it('on inet6: with PyMemcacheCache, with a safe fix to [addr]:port', () => {
      const text = `CACHES = {\n    'default': {\n        'BACKEND': '${PYMEMCACHE}',\n        'LOCATION': 'inet6:[fd00::11]:11211',  #! DSL112\n    },\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL112');
      assert.equal(f?.severity, 'error');
      assert.match(f?.message ?? '', /inet6: prefix, which pymemcache mis-parses/);
      assert.equal(f?.fix?.applicability, 'safe');
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        text.replace("'inet6:[fd00::11]:11211'", "'[fd00::11]:11211'"),
      );
    });

    it('on an inet6: item of a PyLibMCCache list, naming pylibmc', () => {
      const text = `CACHES = {'default': {'BACKEND': '${PYLIBMC}', 'LOCATION': [\n    '10.0.0.1:11211',\n    'inet6:[fd00::12]:11211',  #! DSL112\n]}}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(a.findings.find((x) => x.code === 'DSL112')?.message ?? '', /pylibmc/);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        text.replace("'inet6:[fd00::12]:11211'", "'[fd00::12]:11211'"),
      );
    });

    it("fixes every bad entry of a ';'-separated string at once", () => {
      const text = `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'inet6:[fd00::1]:11211;inet6:[fd00::2]:11211'}}  #! DSL112\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '[fd00::1]:11211;[fd00::2]:11211'}}  #! DSL112\n`,
      );
    });

    it('on a bare [v6]:port with MemcachedCache, fixed to inet6: while Django still has the backend', () => {
      const text = `CACHES = {'default': {'BACKEND': '${MEMCACHED}', 'LOCATION': '[::1]:11211'}}  #! DSL112\n`;
      expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '3.2' });
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE, djangoVersion: '3.2' })['settings.py'],
        text.replace("'[::1]:11211'", "'inet6:[::1]:11211'"),
      );
    });

    it('on a Redis URL (no fix) and on a memcached:// URI (fixed to host:port)', () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'redis://:hunter2hunter2@10.0.0.1:6379/0'},  #! DSL112\n    'b': {'BACKEND': '${PYLIBMC}', 'LOCATION': 'memcached://10.0.0.2:11211/'},  #! DSL112\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const [redis, uri] = a.findings.filter((x) => x.code === 'DSL112');
      assert.match(redis?.message ?? '', /Redis URL on a memcached backend/);
      assert.ok(!redis?.message.includes('hunter2hunter2'), redis?.message);
      assert.equal(redis?.fix, undefined);
      assert.equal(uri?.fix?.applicability, 'safe');
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        text.replace("'memcached://10.0.0.2:11211/'", "'10.0.0.2:11211'"),
      );
    });

    it('judges a visible environment default and says so', () => {
      const text = `import os\nCACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': os.getenv('MEMCACHED_LOCATION', 'inet6:[::1]:11211')}}  #! DSL112\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(
        a.findings.find((x) => x.code === 'DSL112')?.message ?? '',
        /\(if MEMCACHED_LOCATION is unset\)/,
      );
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'],
        text.replace("'inet6:[::1]:11211'", "'[::1]:11211'"),
      );
    });

    it('on the LOCATION a local_settings.d snippet sets', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '[fd00::1]:11211'}}\n`,
        'local_settings.d/_50_ipv6.py': `CACHES['default']['LOCATION'] = 'inet6:[fd00::1]:11211'  #! DSL112\n`,
      };
      expectFindings(files, CODE);
    });
  });

  describe('stays silent', () => {
    it('on the right syntax for each binding, sockets included', () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': ['[fd00::11]:11211', 'unix:/run/memcached.sock', '/run/m.sock']},\n    'b': {'BACKEND': '${MEMCACHED}', 'LOCATION': 'inet6:[::1]:11211;unix:/tmp/m.sock'},\n    'c': {'BACKEND': '${PYLIBMC}', 'LOCATION': 'unix:///run/memcached.sock'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '3.2' });
    });

    it('on a bare [v6]:port with MemcachedCache when the target Django no longer has it (DSL108 switches to PyMemcacheCache)', () => {
      expectFindings(
        { 'settings.py': `CACHES = {'default': {'BACKEND': '${MEMCACHED}', 'LOCATION': '[::1]:11211'}}\n` },
        CODE,
        { djangoVersion: '4.2' },
      );
    });

    it('on Unknown locations and when only one branch is bad', () => {
      const text = `import os\nV6 = os.environ.get('V6') == '1'\nCACHES = {\n    'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': os.environ['MEMCACHED_SERVERS']},\n    'b': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'inet6:[::1]:11211' if V6 else '127.0.0.1:11211'},\n    'c': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': f"inet6:[{os.environ['HOST6']}]:11211"},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('on non-memcached backends, and when a snippet fixes the LOCATION', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'inet6:[::1]:11211'}, 'r': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0'}}\n`,
        'local_settings.d/_50_fix.py': `CACHES['default']['LOCATION'] = '[::1]:11211'\n`,
      };
      expectFindings(files, CODE);
    });

    it('with a suppression comment', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'inet6:[::1]:11211'}}  # session-lint: ignore[DSL112]\n`,
        },
        CODE,
      );
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL112');
    });
  });
});
