/**
 * Fixes verified on the whole project (core/fixes.ts verifyFixes): a fix is offered only when re-analysing
 * the project with it applied removes its finding, adds no error or warning about what it changed, and
 * replaces no value set in another file; DSL104's fix keeps the other CACHES aliases and writes a backend
 * whose client library is installed where the settings run.
 */
import assert from 'node:assert/strict';
import { fixRejection } from '../../server/src/core/fixes';
import type { Finding } from '../../server/src/core/types';
import { checkFix, describeFindings, expectFindings, lint, onlyFinding } from '../helpers/rule-harness';

const CACHE_ENGINE = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'";
const LOCMEM = "{'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}";
const H = { horizonRelease: '2024.2', djangoVersion: '4.2' };
const DEBIAN = { horizonRelease: '2023.1', djangoVersion: '3.2' };
const DIST = '/usr/lib/python3/dist-packages';
const SECURE = 'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n';

describe('fix verification: DSL104 writes only the session alias', () => {
  it("replaces the 'default' entry and keeps the 'thumbnails' alias", () => {
    const files = {
      'local_settings.py': `${CACHE_ENGINE}
CACHES = {
    'default': ${LOCMEM},  #! DSL104
    'thumbnails': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://r:6379/2'},
}
`,
    };
    const f = onlyFinding('DSL104', files, H);
    const fixed = checkFix(files, f, H)['local_settings.py'] ?? '';
    assert.match(fixed, /'thumbnails': \{'BACKEND': 'django\.core\.cache\.backends\.redis\.RedisCache'/);
    assert.match(
      fixed,
      /'default': \{\n {8}'BACKEND': 'django\.core\.cache\.backends\.memcached\.PyMemcacheCache',\n {8}'LOCATION': '127\.0\.0\.1:11211',\n {8}'OPTIONS': \{'ignore_exc': True\},\n {4}\}, {2}#! DSL104/,
    );
  });
});

describe('fix verification: a backend that loads where the settings run', () => {
  const files = {
    'local_settings.py': `${CACHE_ENGINE}\nCACHES = {'default': ${LOCMEM}}  #! DSL104\n`,
  };
  it('an installed client library is chosen: pylibmc when only pylibmc is installed', () => {
    const opts = { ...DEBIAN, installed: { modules: ['pylibmc', 'django'], source: DIST } };
    const f = onlyFinding(
      'DSL104',
      { ...files, 'local_settings.py': files['local_settings.py'] + SECURE },
      opts,
    );
    assert.equal(f.fix?.title, 'Store sessions in memcached (PyLibMCCache) (pylibmc is installed)');
    assert.match(
      checkFix({ ...files, 'local_settings.py': files['local_settings.py'] + SECURE }, f, opts)[
        'local_settings.py'
      ] ?? '',
      /memcached\.PyLibMCCache/,
    );
  });
  it("Debian's python-memcached on Django 3.2 (MemcachedCache is deprecated): PyMemcacheCache, naming python3-pymemcache", () => {
    const opts = { ...DEBIAN, installed: { modules: ['memcache', 'django'], source: DIST } };
    const f = onlyFinding(
      'DSL104',
      { ...files, 'local_settings.py': files['local_settings.py'] + SECURE },
      opts,
    );
    assert.equal(
      f.fix?.title,
      'Store sessions in memcached (PyMemcacheCache; needs pymemcache (Debian: python3-pymemcache))',
    );
  });
  it('no client installed: the preferred backend, naming the package to install in the title and message', () => {
    const opts = { ...DEBIAN, installed: { modules: ['django'], source: DIST } };
    const f = onlyFinding('DSL104', files, opts);
    assert.equal(
      f.fix?.title,
      'Store sessions in memcached (PyMemcacheCache; needs pymemcache (Debian: python3-pymemcache))',
    );
    assert.match(
      f.message,
      /pymemcache \(Debian: python3-pymemcache\) is not installed in \/usr\/lib\/python3\/dist-packages: install it\./,
    );
  });
  it('installed modules unknown: PyMemcacheCache as before', () => {
    const f = onlyFinding('DSL104', files, H);
    assert.equal(f.fix?.title, 'Store sessions in memcached (PyMemcacheCache)');
  });
});

describe("fix verification: Debian's override snippet is commented out, not rewritten", () => {
  const snippet = `# If you comment config below, memcached will be used from
# local_settings.py

CACHES = {
  'default' : {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'  #! DSL104
  }
}
`;
  const local = `${CACHE_ENGINE}
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:11211', 'OPTIONS': {'ignore_exc': True}}}
${SECURE}`;
  const opts = { ...DEBIAN, installed: { modules: ['memcache', 'pymemcache'], source: DIST } };

  it('when local_settings.py sets a shared cache whose client is installed', () => {
    const files = { 'local_settings.py': local, 'local_settings.d/_0006_debian_cache.py': snippet };
    const f = onlyFinding('DSL104', files, opts);
    assert.equal(
      f.fix?.title,
      'Comment out the CACHES override in _0006_debian_cache.py (local_settings.py sets a shared cache)',
    );
    const fixed = checkFix(files, f, opts)['local_settings.d/_0006_debian_cache.py'];
    assert.equal(fixed, snippet.replace(/^(CACHES| {2}'default'| {4}'BACKEND'| {2}\}|\})/gm, '# $1'));
  });
  it('not when local_settings.py sets no CACHES (Horizon would fall back to its default): rewrite instead', () => {
    const files = {
      'local_settings.py': `${CACHE_ENGINE}\n${SECURE}`,
      'local_settings.d/_0006_debian_cache.py': snippet,
    };
    const f = onlyFinding('DSL104', files, opts);
    assert.match(
      f.fix?.title ?? '',
      /^Store sessions in memcached \(PyMemcacheCache\) \(pymemcache is installed\)/,
    );
  });
  it("not when local_settings.py's memcached client is not installed", () => {
    const files = { 'local_settings.py': local, 'local_settings.d/_0006_debian_cache.py': snippet };
    const f = onlyFinding('DSL104', files, { ...opts, installed: { modules: ['memcache'], source: DIST } });
    assert.doesNotMatch(f.fix?.title ?? '', /Comment out/);
  });
});

describe('fix verification: fixRejection on the whole project', () => {
  const files = {
    'local_settings.py': "DEBUG = False\nSECRET_KEY = 'x'\n",
    'local_settings.d/_9998-kolla-settings.py': `${CACHE_ENGINE}
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': ['10.0.0.1:11211', '10.0.0.2:11211'], 'OPTIONS': {'ignore_exc': True}}}
`,
    'local_settings.d/_9999-custom-settings.py': "SESSION_TIMEOUT = '3600'\n",
  };
  const later = '/project/local_settings.d/_9999-custom-settings.py';
  const finding = (settings: string[]): Finding => ({
    code: 'DSL405',
    name: 'session-timeout-not-int',
    message: 'm',
    severity: 'error',
    span: { file: later, from: 0, to: 10 },
    settings,
    related: [],
  });

  it("refuses a fix that appends CACHES to _9999 over _9998's memcached pool", () => {
    const before = lint(files, H);
    const text = files['local_settings.d/_9999-custom-settings.py'];
    const appended = `${text}CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:11211', 'OPTIONS': {'ignore_exc': True}}}\nSESSION_TIMEOUT = 3600\n`;
    const after = lint(files, H, new Map([[later, appended]]));
    assert.match(
      fixRejection(before, finding(['SESSION_TIMEOUT']), after, new Set([later])) ?? '',
      /changes CACHES, set in \/project\/local_settings\.d\/_9998-kolla-settings\.py/,
    );
    // Even a finding about CACHES is fixed where CACHES is set, never overridden from a later snippet.
    assert.match(
      fixRejection(before, finding(['SESSION_TIMEOUT', 'CACHES']), after, new Set([later])) ?? '',
      /overrides CACHES from a later file/,
    );
  });
  it('accepts the fix that edits only the offending value, and refuses one that leaves the finding', () => {
    const before = lint(files, H);
    const fixedText = 'SESSION_TIMEOUT = 3600\n';
    const after = lint(files, H, new Map([[later, fixedText]]));
    assert.equal(fixRejection(before, finding(['SESSION_TIMEOUT']), after, new Set([later])), undefined);
    assert.match(
      fixRejection(before, finding(['SESSION_TIMEOUT']), before, new Set([later])) ?? '',
      /still reported/,
    );
  });
  it('the offered fixes of an analysis all pass (DSL405 here)', () => {
    const a = expectFindings(
      { ...files, 'local_settings.d/_9999-custom-settings.py': "SESSION_TIMEOUT = '3600'  #! DSL405\n" },
      ['DSL405'],
      H,
    );
    assert.ok(a.findings.find((f) => f.code === 'DSL405')?.fix);
  });
});

describe('fix verification: every fix that writes a cache backend uses the installed client', () => {
  const cookies = "DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\n";
  it("DSL401: Debian's python-memcached only on Django 3.2: PyMemcacheCache, naming python3-pymemcache", () => {
    const opts = { ...DEBIAN, installed: { modules: ['memcache', 'django'], source: DIST } };
    const f = onlyFinding('DSL401', { 'local_settings.py': cookies + SECURE }, opts);
    assert.equal(
      f.fix?.title,
      'Store sessions in memcached (cache engine, PyMemcacheCache; needs pymemcache (Debian: python3-pymemcache))',
    );
  });
  it('DSL401: pylibmc installed: the CACHES it appends uses PyLibMCCache, without pymemcache options', () => {
    const opts = { ...DEBIAN, installed: { modules: ['pylibmc', 'django'], source: DIST } };
    const files = { 'local_settings.py': cookies + SECURE };
    const f = onlyFinding('DSL401', files, opts);
    assert.equal(
      f.fix?.title,
      'Store sessions in memcached (cache engine, PyLibMCCache) (pylibmc is installed)',
    );
    const fixed = checkFix(files, f, opts)['local_settings.py'] ?? '';
    assert.match(fixed, /'BACKEND': 'django\.core\.cache\.backends\.memcached\.PyLibMCCache'/);
    assert.doesNotMatch(fixed, /ignore_exc|PyMemcacheCache/);
  });
  it("DSL406: Horizon's PyMemcacheCache default without pymemcache but with pylibmc: writes PyLibMCCache", () => {
    const opts = { ...H, installed: { modules: ['pylibmc', 'django'], source: DIST } };
    const files = { 'local_settings.py': `${CACHE_ENGINE}\n${SECURE}` };
    const f = onlyFinding('DSL406', files, opts);
    assert.equal(f.fix?.title, 'Write CACHES explicitly with PyLibMCCache (pylibmc is installed)');
    const fixed = checkFix(files, f, opts)['local_settings.py'] ?? '';
    assert.match(
      fixed,
      /'BACKEND': 'django\.core\.cache\.backends\.memcached\.PyLibMCCache',\n {8}'LOCATION': '127\.0\.0\.1:11211'/,
    );
  });
  it('DSL406: no memcached client installed: the inherited backend, naming the package', () => {
    const opts = { ...H, installed: { modules: ['django'], source: DIST } };
    const f = onlyFinding('DSL406', { 'local_settings.py': `${CACHE_ENGINE}\n${SECURE}` }, opts);
    assert.equal(
      f.fix?.title,
      'Write the inherited CACHES explicitly (needs pymemcache (Debian: python3-pymemcache))',
    );
  });
  it('DSL406: the inherited client installed: the inherited CACHES as before', () => {
    const opts = { ...H, installed: { modules: ['pymemcache', 'django'], source: DIST } };
    const f = onlyFinding('DSL406', { 'local_settings.py': `${CACHE_ENGINE}\n${SECURE}` }, opts);
    assert.equal(f.fix?.title, 'Write the inherited CACHES explicitly');
  });
  it('DSL109 and DSL114 name the package of the backend they switch to when it is not installed', () => {
    const opts = { ...H, installed: { modules: ['redis', 'django'], source: DIST } };
    const legacy = `CACHES = {'default': {'BACKEND': 'redis_cache.cache.RedisCache', 'LOCATION': 'redis://r:6379/1', 'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.DefaultClient'}}}\n`;
    const f = onlyFinding('DSL109', { 'local_settings.py': legacy + SECURE }, opts);
    assert.match(f.fix?.title ?? '', /\(needs django-redis \(Debian: python3-django-redis\)\)$/);
  });
});

describe('fix verification: a value from a file the fix did not edit', () => {
  const fixedCaches =
    "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:11211', 'OPTIONS': {'ignore_exc': True}}}\n";
  const judge = (files: Record<string, string>, fixed: string): string | undefined => {
    const before = lint(files, { djangoVersion: '4.2' });
    const finding = before.findings.find((f) => f.code === 'DSL104') as Finding;
    assert.ok(finding, describeFindings(before));
    const settings = '/project/settings.py';
    const after = lint(files, { djangoVersion: '4.2' }, new Map([[settings, fixed]]));
    return fixRejection(before, finding, after, new Set([settings]));
  };
  const head = `${CACHE_ENGINE}\nCACHES = {'default': ${LOCMEM}}\n`;
  it('a setting a star-imported module set is still compared (the fix edited one of the files)', () => {
    const files = { 'settings.py': `from .base import *\n${head}`, 'base.py': "TIME_ZONE = 'UTC'\n" };
    const fixed = `from .base import *\n${CACHE_ENGINE}\n${fixedCaches}TIME_ZONE = 'Europe/Paris'\n`;
    assert.equal(judge(files, fixed), 'the fix changes TIME_ZONE, set in /project/base.py');
  });
  it('in a one-file project every setting comes from the edited file: none is compared', () => {
    const files = { 'settings.py': `${head}TIME_ZONE = 'UTC'\n` };
    const fixed = `${CACHE_ENGINE}\n${fixedCaches}TIME_ZONE = 'Europe/Paris'\n`;
    assert.equal(judge(files, fixed), undefined);
  });
});
