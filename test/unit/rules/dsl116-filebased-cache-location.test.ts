/** DSL116: FileBasedCache LOCATION relative (caches.W003) or overlapping STATIC_ROOT/MEDIA_ROOT/STATICFILES_DIRS (caches.W002). */
import assert from 'node:assert/strict';
import { expectFindings, lint } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL116'];
const FB = 'django.core.cache.backends.filebased.FileBasedCache';

function found(files: Record<string, string>, opts = {}) {
  return lint(files, opts).findings.filter((f) => f.code === 'DSL116');
}

describe('DSL116 filebased-cache-location', () => {
  describe('fires', () => {
    it('as an error in production (warning in development) when LOCATION is inside STATIC_ROOT', () => {
      const text = `STATIC_ROOT = '/srv/www/static/'\nCACHES = {\n    'default': {\n        'BACKEND': '${FB}',\n        'LOCATION': '/srv/www/static/./cache',  #! DSL116\n    },\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL116');
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /'\/srv\/www\/static\/\.\/cache' is inside STATIC_ROOT '\/srv\/www\/static\/'.*caches\.W002/,
      );
      assert.equal(found({ 'settings.py': text }, { profile: 'development' })[0]?.severity, 'warning');
    });

    it('when LOCATION matches MEDIA_ROOT after normalisation, judging an environment default', () => {
      const text = `import os\nMEDIA_ROOT = os.environ.get('MEDIA_ROOT', '/srv/media')\nCACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': '/srv//x/../media'}}  #! DSL116\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(
        a.findings.find((x) => x.code === 'DSL116')?.message ?? '',
        /matches MEDIA_ROOT '\/srv\/media' \(if MEDIA_ROOT is unset\)/,
      );
    });

    it('when LOCATION contains a STATICFILES_DIRS entry, including (prefix, path) pairs', () => {
      const text = `STATICFILES_DIRS = ['/opt/app/assets', ('vendor', '/srv/cache/vendor')]\nCACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': '/srv/cache'}}  #! DSL116\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(
        a.findings.find((x) => x.code === 'DSL116')?.message ?? '',
        /contains STATICFILES_DIRS '\/srv\/cache\/vendor'/,
      );
    });

    it('compares two relative paths (same working directory)', () => {
      const text = `STATIC_ROOT = 'static'\nCACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': 'static/cache'}}  #! DSL116\n`;
      assert.equal(
        expectFindings({ 'settings.py': text }, CODE).findings.find((x) => x.code === 'DSL116')?.severity,
        'error',
      );
    });

    it('as a warning in every profile when LOCATION is relative or missing (caches.W003)', () => {
      const text = `CACHES = {\n    'default': {'BACKEND': '${FB}', 'LOCATION': 'django_cache'},  #! DSL116\n    'b': {'BACKEND': '${FB}'},  #! DSL116\n}\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      const all = a.findings.filter((x) => x.code === 'DSL116');
      assert.deepEqual(
        all.map((f) => f.severity),
        ['warning', 'warning'],
      );
      assert.match(all[0]?.message ?? '', /'django_cache' is relative.*caches\.W003/);
      assert.match(all[1]?.message ?? '', /has no LOCATION/);
      assert.deepEqual(
        found({ 'settings.py': text }, { profile: 'development' }).map((f) => f.severity),
        ['warning', 'warning'],
      );
    });

    it('on a LOCATION set by a local_settings.d snippet', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': '/var/tmp/django_cache'}}\n`,
        'local_settings.d/_50_cache.py': `CACHES['default']['LOCATION'] = 'cache'  #! DSL116\n`,
      };
      expectFindings(files, CODE);
    });
  });

  describe('stays silent', () => {
    it('on a private absolute directory, and on a sibling that only shares a name prefix', () => {
      const text = `STATIC_ROOT = '/srv/www/static'\nMEDIA_ROOT = '/srv/www/media'\nCACHES = {\n    'default': {'BACKEND': '${FB}', 'LOCATION': '/var/tmp/django_cache'},\n    'b': {'BACKEND': '${FB}', 'LOCATION': '/srv/www/static-cache'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('when roots are unset, empty, Unknown, or not comparable with the LOCATION', () => {
      const text = `import os\nSTATIC_ROOT = None\nMEDIA_ROOT = ''\nSTATICFILES_DIRS = [os.environ['ASSETS']]\nCACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': '/'}}\n`;
      expectFindings({ 'settings.py': text }, CODE);
      expectFindings(
        {
          'settings.py': `STATIC_ROOT = 'static'\nCACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': '/srv/static'}}\n`,
        },
        CODE,
      );
    });

    it('on Unknown locations and when only one branch is bad', () => {
      const text = `import os\nDEBUG = os.environ.get('DEBUG') == '1'\nCACHES = {\n    'default': {'BACKEND': '${FB}', 'LOCATION': os.environ['CACHE_DIR']},\n    'b': {'BACKEND': '${FB}', 'LOCATION': 'cache' if DEBUG else '/var/tmp/c'},\n}\n`;
      expectFindings({ 'settings.py': text }, CODE);
    });

    it('on other backends', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'LOCATION': 'relative-name'}}\n`,
        },
        CODE,
      );
    });

    it('when a snippet moves the cache to a safe place', () => {
      const files = {
        'local_settings.py': `STATIC_ROOT = '/srv/static'\nCACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': '/srv/static/c'}}\n`,
        'local_settings.d/_50_cache.py': `CACHES['default']['LOCATION'] = '/var/tmp/django_cache'\n`,
      };
      expectFindings(files, CODE);
    });

    it('with a suppression comment', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': '${FB}', 'LOCATION': 'cache'}}  # session-lint: ignore[DSL116]\n`,
        },
        CODE,
      );
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL116');
    });
  });
});
