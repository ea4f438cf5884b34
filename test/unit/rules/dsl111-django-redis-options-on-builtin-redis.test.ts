/** DSL111: django-redis OPTIONS on Django's built-in RedisCache. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL111'];
const BUILTIN = 'django.core.cache.backends.redis.RedisCache';
const DR = 'django_redis.cache.RedisCache';

describe('DSL111 django-redis-options-on-builtin-redis', () => {
  describe('fires', () => {
    it('on CLIENT_CLASS, at the key, with an unsafe switch to django-redis', () => {
      const text = `CACHES = {\n    'default': {\n        'BACKEND': '${BUILTIN}',\n        'LOCATION': 'redis://127.0.0.1:6379/1',\n        'OPTIONS': {\n            'CLIENT_CLASS': 'django_redis.client.DefaultClient',  #! DSL111\n            'IGNORE_EXCEPTIONS': True,\n        },\n    },\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL111');
      assert.equal(f?.severity, 'error');
      assert.match(f?.message ?? '', /'CLIENT_CLASS', 'IGNORE_EXCEPTIONS' are django-redis options/);
      assert.match(f?.message ?? '', /TypeError/);
      assert.equal(f?.fix?.applicability, 'unsafe');
      // Not in a safe fix-all; applied with --unsafe-fixes.
      assert.equal(fixAllText({ 'settings.py': text }, { select: CODE })['settings.py'], text);
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE, unsafe: true })['settings.py'],
        text.replace(`'${BUILTIN}'`, `'${DR}'`),
      );
    });

    it('without a fix when a lower-case redis-py option would be dropped by the switch', () => {
      const text = `CACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'PASSWORD': 'x', 'db': 2}}}  #! DSL111\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.equal(a.findings.find((x) => x.code === 'DSL111')?.fix, undefined);
    });

    it("without a fix when LOCATION has ';' (django-redis splits on ',' only) or a key django-redis does not know", () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://a:6379/0;redis://b:6379/0', 'OPTIONS': {'SOCKET_TIMEOUT': 5}},  #! DSL111\n    'b': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://a:6379/0', 'OPTIONS': {'MAX_ENTRIES': 5}},  #! DSL111\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.ok(a.findings.filter((x) => x.code === 'DSL111').every((f) => f.fix === undefined));
    });

    it('on OPTIONS added by a local_settings.d snippet', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://127.0.0.1:6379/1'}}\n`,
        'local_settings.d/_50_redis.py': `CACHES['default']['OPTIONS'] = {'PASSWORD': 'secret'}  #! DSL111\n`,
      };
      const a = expectFindings(files, CODE);
      assert.ok(!a.findings.some((f) => f.message.includes("'secret'")));
    });
  });

  describe('stays silent', () => {
    it("on lower-case redis-py options and on django-redis' own backend", () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'db': 1, 'socket_timeout': 5}},\n    'dr': {'BACKEND': '${DR}', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('on OPTIONS the analyser cannot see', () => {
      const text = `from .secrets import REDIS_OPTIONS\nCACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': REDIS_OPTIONS}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('when BACKEND is one of several and only one is the built-in', () => {
      const text = `import os\nUSE_DR = os.environ.get('USE_DR') == '1'\nCACHES = {'default': {'BACKEND': '${DR}' if USE_DR else '${BUILTIN}', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('when a local_settings.d snippet switches to django-redis', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}\n`,
        'local_settings.d/_90_cache.py': `CACHES['default']['BACKEND'] = '${DR}'\n`,
      };
      expectFindings(files, CODE);
    });

    it('with a suppression comment', () => {
      const text = `CACHES = {'default': {'BACKEND': '${BUILTIN}', 'LOCATION': 'redis://r:6379/0', 'OPTIONS': {'CLIENT_CLASS': 'x'}}}  # session-lint: ignore[DSL111]\n`;
      expectFindings({ 'settings.py': text }, CODE);
      assert.equal(lint({ 'settings.py': text }).findings.filter((f) => f.code === 'DSL111').length, 0);
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL111');
    });
  });
});
