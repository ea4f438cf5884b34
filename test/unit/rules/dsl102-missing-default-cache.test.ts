/** DSL102 (CACHES without a 'default' alias / flat CACHES): when it fires, when it must not, and its fixes as whole texts. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const CODE = 'DSL102';

describe('DSL102 missing-default-cache', () => {
  describe('fires', () => {
    it('on a flat CACHES (the Grizzly guide mistake) and wraps it into a default alias, safely', () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {  #! DSL102
    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
    'LOCATION': '10.0.0.11:11211',  # primary
}
`,
      };
      const a = expectFindings(files, [CODE], { horizonRelease: '2024.2', djangoVersion: '4.2' });
      const f = a.findings.find((x) => x.code === CODE);
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /single cache entry \(BACKEND, LOCATION at the top level\).*caches\.E001/,
      );
      assert.equal(f?.fix?.applicability, 'safe');
      const fixed = fixAllText(files, { horizonRelease: '2024.2', djangoVersion: '4.2', select: [CODE] });
      assert.equal(
        fixed['local_settings.py'],
        `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {  #! DSL102
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '10.0.0.11:11211',  # primary
    },
}
`,
      );
      assert.deepEqual(fixAllText(fixed, { select: [CODE] }), fixed, 'a second run changes nothing');
    });

    it('wraps a one-line flat dict in place, keeping its quote style', () => {
      const files = {
        'settings.py': `CACHES = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  #! DSL102\n`,
      };
      expectFindings(files, [CODE]);
      assert.equal(
        fixAllText(files, { select: [CODE] })['settings.py'],
        `CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  #! DSL102\n`,
      );
    });

    it('on aliases without default, offering an unsafe rename of the only alias', () => {
      const files = {
        'settings.py': `CACHES = {  #! DSL102
    'main': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'},
}
`,
      };
      const a = expectFindings(files, [CODE]);
      const f = a.findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /CACHES has no 'default' alias \(only 'main'\)/);
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(fixAllText(files, { select: [CODE] }), files);
      assert.equal(
        fixAllText(files, { select: [CODE], unsafe: true })['settings.py'],
        files['settings.py'].replace("'main'", "'default'"),
      );
    });

    it('without a rename when SESSION_CACHE_ALIAS uses that alias (renaming would break sessions)', () => {
      const files = {
        'settings.py': `SESSION_CACHE_ALIAS = 'main'
CACHES = {'main': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'}}  #! DSL102
`,
      };
      const a = expectFindings(files, [CODE]);
      assert.equal(a.findings.find((x) => x.code === CODE)?.fix, undefined);
    });

    it('on an empty CACHES, without a fix (that would choose a backend)', () => {
      const files = { 'local_settings.py': `CACHES = {}  #! DSL102\n` };
      const a = expectFindings(files, [CODE]);
      const f = a.findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /^CACHES is empty/);
      assert.equal(f?.fix, undefined);
    });

    it('when aliases are added one by one and none is default, pointing at the dict', () => {
      const files = {
        'settings.py': `CACHES = {}  #! DSL102
CACHES['sessions'] = {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'}
`,
      };
      const a = expectFindings(files, [CODE]);
      assert.equal(
        a.findings.find((x) => x.code === CODE)?.fix,
        undefined,
        'the alias is not inside the literal',
      );
    });
  });

  describe('stays silent', () => {
    it("with a 'default' alias, and on the framework defaults", () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n`,
        },
        [CODE],
      );
      expectFindings({ 'settings.py': `DEBUG = False\n` }, [CODE]);
      expectFindings({ 'local_settings.py': `DEBUG = False\n` }, [CODE]);
    });

    it('on values it cannot see: environment, spreads, unknown keys', () => {
      const files = {
        'settings.py': `import os
from somewhere import BASE
CACHES = {**BASE, 'x': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
`,
      };
      expectFindings(files, [CODE]);
      expectFindings({ 'settings.py': `import os\nCACHES = {os.environ['ALIAS']: {'BACKEND': 'a.B'}}\n` }, [
        CODE,
      ]);
    });

    it('when only one option of an undecided condition lacks default', () => {
      const files = {
        'settings.py': `import os
if os.environ.get('FLAT'):
    CACHES = {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}
else:
    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
`,
      };
      expectFindings(files, [CODE]);
    });

    it('when a local_settings.d snippet replaces the flat CACHES', () => {
      const files = {
        'local_settings.py': `CACHES = {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}\n`,
        'local_settings.d/_10_cache.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'}}\n`,
      };
      expectFindings(files, [CODE]);
    });

    it('when suppressed on the line', () => {
      const files = {
        'settings.py': `CACHES = {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}  # session-lint: ignore[DSL102]\n`,
      };
      expectFindings(files, [CODE]);
      assert.equal(lint(files).findings.filter((f) => f.code === CODE).length, 0);
    });
  });
});
