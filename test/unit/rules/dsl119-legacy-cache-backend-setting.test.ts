/** DSL119: the legacy CACHE_BACKEND URI setting and its conversion to CACHES. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL119'];

function findingOf(files: Record<string, string>, opts = {}) {
  return lint(files, opts).findings.find((f) => f.code === 'DSL119');
}

function fixed(
  files: Record<string, string>,
  opts: Record<string, unknown> = {},
  unsafe = false,
): Record<string, string> {
  return fixAllText(files, { select: CODE, unsafe, ...opts });
}

describe('DSL119 legacy-cache-backend-setting', () => {
  describe('fires', () => {
    it("on locmem:// in plain Django, converted safely (it equals Django's default)", () => {
      const files = { 'settings.py': "DEBUG = False\nCACHE_BACKEND = 'locmem://'  #! DSL119\n" };
      const a = expectFindings(files, CODE);
      const f = a.findings.find((x) => x.code === 'DSL119');
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /CACHE_BACKEND 'locmem:\/\/' is ignored since Django 1\.5 .* Django's default CACHES \(LocMemCache\)/,
      );
      assert.equal(f?.fix?.applicability, 'safe');
      assert.equal(
        fixed(files)['settings.py'],
        "DEBUG = False\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}  #! DSL119\n",
      );
    });

    it('converts memcached:// with several servers and a timeout (unsafe: it changes the cache in use)', () => {
      const files = {
        'settings.py': "CACHE_BACKEND = 'memcached://10.0.0.1:11211;10.0.0.2:11211/?timeout=60'  #! DSL119\n",
      };
      expectFindings(files, CODE, { djangoVersion: '4.2' });
      assert.equal(findingOf(files, { djangoVersion: '4.2' })?.fix?.applicability, 'unsafe');
      assert.deepEqual(fixed(files, { djangoVersion: '4.2' }), files);
      assert.equal(
        fixed(files, { djangoVersion: '4.2' }, true)['settings.py'],
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': ['10.0.0.1:11211', '10.0.0.2:11211'], 'TIMEOUT': 60}}  #! DSL119\n",
      );
    });

    it('picks MemcachedCache for a Django older than 3.2', () => {
      const files = { 'settings.py': "CACHE_BACKEND = 'memcached://127.0.0.1:11211/'  #! DSL119\n" };
      expectFindings(files, CODE, { djangoVersion: '3.1' });
      assert.equal(
        fixed(files, { djangoVersion: '3.1' }, true)['settings.py'],
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache', 'LOCATION': '127.0.0.1:11211'}}  #! DSL119\n",
      );
    });

    it("is safe in Horizon when the URI equals Horizon's default memcached", () => {
      const files = { 'local_settings.py': "CACHE_BACKEND = 'memcached://127.0.0.1:11211/'  #! DSL119\n" };
      const opts = { horizonRelease: '2024.2', djangoVersion: '4.2' };
      expectFindings(files, CODE, opts);
      const f = findingOf(files, opts);
      assert.match(f?.message ?? '', /Horizon's default CACHES/);
      assert.equal(f?.fix?.applicability, 'safe');
    });

    it('converts file://, db:// (with culling options) and dummy://', () => {
      const files = {
        'settings.py':
          "CACHE_BACKEND = 'file:///var/tmp/django_cache?max_entries=1000&cull_frequency=4'  #! DSL119\n",
      };
      expectFindings(files, CODE);
      assert.equal(
        fixed(files, {}, true)['settings.py'],
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': '/var/tmp/django_cache', 'OPTIONS': {'MAX_ENTRIES': 1000, 'CULL_FREQUENCY': 4}}}  #! DSL119\n",
      );
      assert.equal(
        fixed({ 'settings.py': "CACHE_BACKEND = 'db://my_cache_table'\n" }, {}, true)['settings.py'],
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'my_cache_table'}}\n",
      );
      assert.equal(
        fixed({ 'settings.py': "CACHE_BACKEND = 'dummy://'\n" }, {}, true)['settings.py'],
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'}}\n",
      );
    });

    it('removes the ignored line (safe) when a file already sets CACHES', () => {
      const files = {
        'settings.py':
          "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\nCACHE_BACKEND = 'memcached://127.0.0.1:11211/'  #! DSL119\nDEBUG = False\n",
      };
      const a = expectFindings(files, CODE);
      assert.match(
        a.findings.find((x) => x.code === 'DSL119')?.message ?? '',
        /uses the CACHES set in settings\.py:1/,
      );
      assert.equal(
        fixed(files)['settings.py'],
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\nDEBUG = False\n",
      );
    });

    it('without a fix for other schemes, unknown parameters, conditional assignments and environment defaults', () => {
      const text = ['import os', "CACHE_BACKEND = 'redis_cache.cache://127.0.0.1:6379'  #! DSL119"].join(
        '\n',
      );
      const a = expectFindings({ 'settings.py': `${text}\n` }, CODE);
      assert.equal(a.findings.find((x) => x.code === 'DSL119')?.fix, undefined);
      for (const src of [
        "CACHE_BACKEND = 'locmem://?foo=1'  #! DSL119\n",
        "import os\nif os.environ.get('X'):\n    CACHE_BACKEND = 'locmem://'\nelse:\n    CACHE_BACKEND = 'dummy://'  #! DSL119\n",
        "import os\nCACHE_BACKEND = os.environ.get('CACHE_BACKEND', 'locmem://')  #! DSL119\n",
      ]) {
        const b = expectFindings({ 'settings.py': src }, CODE);
        assert.equal(b.findings.find((x) => x.code === 'DSL119')?.fix, undefined, src);
      }
      assert.match(
        findingOf({
          'settings.py': "import os\nCACHE_BACKEND = os.environ.get('CACHE_BACKEND', 'locmem://')\n",
        })?.message ?? '',
        /\(if CACHE_BACKEND is unset\)/,
      );
    });

    it('masks a password in the URI', () => {
      const f = findingOf({ 'settings.py': "CACHE_BACKEND = 'memcached://user:pa55w0rdpa55@h:11211/'\n" });
      assert.ok(f && !f.message.includes('pa55w0rdpa55'), f?.message);
    });
  });

  describe('stays silent', () => {
    it('when CACHE_BACKEND is not set, Unknown, or set only in an undecidable branch', () => {
      expectFindings(
        { 'settings.py': "import os\nif os.environ.get('X'):\n    CACHE_BACKEND = 'locmem://'\n" },
        CODE,
      );
      expectFindings(
        {
          'settings.py':
            "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
        },
        CODE,
      );
      expectFindings({ 'settings.py': "import os\nCACHE_BACKEND = os.environ['CACHE_BACKEND']\n" }, CODE);
    });

    it('with a suppression comment', () => {
      expectFindings(
        { 'settings.py': "CACHE_BACKEND = 'locmem://'  # session-lint: ignore[DSL119]\n" },
        CODE,
      );
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL119');
    });
  });
});
