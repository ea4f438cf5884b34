/** DSL107 (cache sessions via FileBasedCache/DatabaseCache): information in production, off in development, culling note and engine fixes. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const CODE = 'DSL107';
const HZ = { horizonRelease: '2024.2', djangoVersion: '4.2' };

describe('DSL107 slow-session-cache', () => {
  describe('fires', () => {
    it('on FileBasedCache as information in production, off in development', () => {
      const files = {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': '/var/tmp/django_cache'}}  #! DSL107
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.equal(f?.severity, 'information');
      assert.match(
        f?.message ?? '',
        /a FileBasedCache .*slower than the 'file' session engine.*culls entries at MAX_ENTRIES=300/,
      );
      assert.equal(lint(files, { profile: 'development' }).findings.filter((x) => x.code === CODE).length, 0);
    });

    it('on DatabaseCache, naming a custom MAX_ENTRIES, with an unsafe switch to the db engine', () => {
      const files = {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.db.DatabaseCache',  #! DSL107
        'LOCATION': 'django_cache',
        'OPTIONS': {'MAX_ENTRIES': 5000},
    }
}
DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'app'}}
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /a DatabaseCache .*the 'db' session engine.*MAX_ENTRIES=5000/);
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(fixAllText(files, { select: [CODE] }), files);
      assert.equal(
        fixAllText(files, { select: [CODE], unsafe: true })['settings.py'],
        files['settings.py'].replace("backends.cache'", "backends.db'"),
      );
    });

    it('offers no switch to the db engine when the project has no database (the fix is verified)', () => {
      const files = {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 't'}}  #! DSL107
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.equal(f?.fix, undefined, 'switching would add DSL303 (sessions in a database that is not set)');
    });

    it("with Horizon's default engine: the fix adds SESSION_ENGINE after the CACHES line", () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': '/var/tmp/c'}}  # on disk  #! DSL107
DEBUG = False
`,
      };
      const f = expectFindings(files, [CODE], HZ).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /SESSION_ENGINE is cache \(Horizon's default\)/);
      const fixed = fixAllText(files, { ...HZ, select: [CODE], unsafe: true });
      assert.equal(
        fixed['local_settings.py'],
        `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': '/var/tmp/c'}}  # on disk  #! DSL107
SESSION_ENGINE = 'django.contrib.sessions.backends.file'
DEBUG = False
`,
      );
      assert.deepEqual(fixAllText(fixed, { ...HZ, select: [CODE], unsafe: true }), fixed);
    });

    it('says MAX_ENTRIES without a number when the OPTIONS value is unknown', () => {
      const files = {
        'settings.py': `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'OPTIONS': {'MAX_ENTRIES': int(os.environ['N'])}}}  #! DSL107
`,
      };
      const f = expectFindings(files, [CODE]).findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /culls entries at MAX_ENTRIES,/);
    });
  });

  describe('stays silent', () => {
    it('with the file/db engines themselves, or memcached', () => {
      expectFindings(
        {
          'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'c'}}
`,
        },
        [CODE],
      );
      expectFindings(
        {
          'local_settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'}}\n`,
        },
        [CODE],
        HZ,
      );
    });

    it('on unknown backends and when a snippet switches to memcached', () => {
      expectFindings(
        { 'local_settings.py': `import os\nCACHES = {'default': {'BACKEND': os.environ['B']}}\n` },
        [CODE],
        HZ,
      );
      expectFindings(
        {
          'local_settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': '/var/tmp/c'}}\n`,
          'local_settings.d/_10.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'm:11211'}}\n`,
        },
        [CODE],
        HZ,
      );
    });

    it('when suppressed on the line', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': '/var/tmp/c'}}  # session-lint: ignore[DSL107]\n`,
      };
      expectFindings(files, [CODE], HZ);
    });
  });
});
