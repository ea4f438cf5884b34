/** DSL118: unknown top-level keys in a CACHES entry. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL118'];
const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';
const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';
const FB = 'django.core.cache.backends.filebased.FileBasedCache';

function fixed(text: string, unsafe = false): string | undefined {
  return fixAllText({ 'settings.py': text }, { select: CODE, unsafe })['settings.py'];
}

describe('DSL118 unknown-cache-key', () => {
  describe('fires', () => {
    it('on PREFIX, at the key, with a safe rename to KEY_PREFIX', () => {
      const text = `CACHES = {\n    'default': {\n        'BACKEND': '${PYMEMCACHE}',\n        'LOCATION': '127.0.0.1:11211',\n        'PREFIX': 'horizon',  #! DSL118\n    },\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL118');
      assert.equal(f?.severity, 'warning');
      assert.match(
        f?.message ?? '',
        /has the key 'PREFIX', which Django never reads .* Did you mean 'KEY_PREFIX'\?/,
      );
      assert.equal(f?.fix?.applicability, 'safe');
      assert.equal(fixed(text), text.replace("'PREFIX'", "'KEY_PREFIX'"));
    });

    it('renames LOCATIONS, OPTION and a lower-case location; keeps double quotes and subscript keys', () => {
      const text = `CACHES = {"default": {"BACKEND": "${PYMEMCACHE}", "LOCATIONS": ["a:11211"]}}  #! DSL118\nCACHES["default"]["OPTION"] = {}  #! DSL118\nCACHES['b'] = {'BACKEND': '${LOCMEM}', 'location': 'x'}  #! DSL118\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixed(text),
        `CACHES = {"default": {"BACKEND": "${PYMEMCACHE}", "LOCATION": ["a:11211"]}}  #! DSL118\nCACHES["default"]["OPTIONS"] = {}  #! DSL118\nCACHES['b'] = {'BACKEND': '${LOCMEM}', 'LOCATION': 'x'}  #! DSL118\n`,
      );
    });

    it('without a fix when the target key is already present, or two keys are equally close', () => {
      const text = `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'a:11211', 'LOCATIONS': ['b:11211']}}  #! DSL118\nCACHES['b'] = {'BACKEND': '${LOCMEM}', 'LOCTIONS': 'x'}  #! DSL118\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const [present, ambiguous] = a.findings.filter((x) => x.code === 'DSL118');
      assert.match(present?.message ?? '', /'LOCATION' is already set, so this key is dead/);
      assert.equal(present?.fix, undefined);
      assert.doesNotMatch(ambiguous?.message ?? '', /Did you mean/);
      assert.equal(ambiguous?.fix, undefined);
    });

    it('moves MAX_ENTRIES into a new OPTIONS for a culling backend (safe)', () => {
      const text = `CACHES = {'default': {'BACKEND': '${LOCMEM}', 'MAX_ENTRIES': 5000}}  #! DSL118\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixed(text),
        `CACHES = {'default': {'BACKEND': '${LOCMEM}', 'OPTIONS': {'MAX_ENTRIES': 5000}}}  #! DSL118\n`,
      );
    });

    it('moves CULL_FREQUENCY into an existing OPTIONS literal and removes its line', () => {
      const text = `CACHES = {\n    'default': {\n        'BACKEND': '${FB}',\n        'LOCATION': '/var/tmp/django_cache',\n        'CULL_FREQUENCY': 4,  #! DSL118\n        'OPTIONS': {'MAX_ENTRIES': 1000},\n    },\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(
        fixed(text),
        `CACHES = {\n    'default': {\n        'BACKEND': '${FB}',\n        'LOCATION': '/var/tmp/django_cache',\n        'OPTIONS': {'CULL_FREQUENCY': 4, 'MAX_ENTRIES': 1000},\n    },\n}\n`,
      );
    });

    it('says MAX_ENTRIES means nothing to memcached and offers no move', () => {
      const text = `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'a:11211', 'MAX_ENTRIES': 5}}  #! DSL118\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL118');
      assert.match(
        f?.message ?? '',
        /belongs in OPTIONS \(and only for the locmem, filebased and db backends\)/,
      );
      assert.equal(f?.fix, undefined);
    });

    it('moves a django-redis option written beside BACKEND into OPTIONS as an unsafe fix', () => {
      const text = `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0', 'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}  #! DSL118\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.equal(a.findings.find((x) => x.code === 'DSL118')?.fix?.applicability, 'unsafe');
      assert.equal(fixed(text), text);
      assert.equal(
        fixed(text, true),
        `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}  #! DSL118\n`,
      );
    });

    it('when the entry has no BACKEND (BACKENDS typo)', () => {
      const text = `CACHES = {'default': {'BACKENDS': '${LOCMEM}'}}  #! DSL118\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(fixed(text), text.replace("'BACKENDS'", "'BACKEND'"));
    });

    it('in a local_settings.d snippet', () => {
      expectFindings(
        {
          'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': 'a:11211'}}\n`,
          'local_settings.d/_50.py': "CACHES['default']['PREFIX'] = 'h'  #! DSL118\n",
        },
        CODE,
      );
    });
  });

  describe('stays silent', () => {
    it("on Django's documented keys, the lower-case keys it still reads, and django-redis' REVERSE_KEY_FUNCTION", () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${LOCMEM}', 'LOCATION': 'a', 'TIMEOUT': 60, 'OPTIONS': {}, 'KEY_PREFIX': 'p', 'VERSION': 2, 'KEY_FUNCTION': 'm.f'},\n    'legacy': {'BACKEND': '${LOCMEM}', 'timeout': 60, 'max_entries': 10, 'cull_frequency': 2},\n    'dr': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r:6379/0', 'REVERSE_KEY_FUNCTION': 'm.g'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('on an entry that may hold more keys (a spread may override BACKEND)', () => {
      expectFindings(
        {
          'settings.py': `from .extra import MORE\nCACHES = {'default': {'BACKEND': '${LOCMEM}', **MORE, 'PREFIX': 'x'}}\n`,
        },
        CODE,
      );
    });

    it('on third-party or unknown backends, which may read their own keys', () => {
      const text = `import os\nCACHES = {\n    'default': {'BACKEND': 'mycompany.cache.Backend', 'SHARDS': 4},\n    'b': {'BACKEND': os.environ['B'], 'PREFIX': 'x'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it("on Horizon's built-in defaults, and when a snippet replaces the bad entry", () => {
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE, { horizonRelease: '2024.2' });
      expectFindings(
        {
          'local_settings.py': `CACHES = {'default': {'BACKEND': '${LOCMEM}', 'PREFIX': 'x'}}\n`,
          'local_settings.d/_50.py': `CACHES = {'default': {'BACKEND': '${LOCMEM}'}}\n`,
        },
        CODE,
      );
    });

    it('with a suppression comment', () => {
      const text = `CACHES = {'default': {'BACKEND': '${LOCMEM}', 'PREFIX': 'x'}}  # session-lint: ignore[DSL118]\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(lint({ 'settings.py': text }).findings.filter((f) => f.code === 'DSL118').length, 0);
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL118');
    });
  });
});
