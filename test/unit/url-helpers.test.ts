/**
 * The well-known URL helpers modelled as data: each expectation is the libraries' own documented behaviour
 * (django-environ v0.11.2/v0.13 `cache_url_config`/`db_url_config`, dj-database-url v3.1.2, django-cache-url
 * v3.4.5, python-decouple v3.8), i.e. what the real `parse()` returns for the same URL.
 */
import assert from 'node:assert/strict';
import { parseSettingsUrl } from '../../server/src/core/evaluate/url-parsers';
import { findUrlHelper, URL_HELPERS, URL_SCHEMES } from '../../server/src/core/knowledge/url-helpers';
import type { Value } from '../../server/src/core/types';
import { complete } from '../../server/src/core/features/completion';
import { hover } from '../../server/src/core/features/hover';
import { evaluateText, valueOf } from '../helpers/evaluate-text';
import { findingKeys, lint, onlyFinding } from '../helpers/rule-harness';

const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';

type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain } | `<${string}>`;

/** The value "if every variable is unset": leaf lookups replaced by their defaults, `<?>` where none. */
function ifUnset(v: Value | undefined): Plain {
  if (!v) return '<missing>';
  switch (v.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'list':
    case 'tuple':
      return v.items.map(ifUnset);
    case 'dict':
      return Object.fromEntries(
        v.entries.map((e) => [e.key.kind === 'str' ? e.key.value : '?', ifUnset(e.value)]),
      );
    case 'unknown':
      return v.default ? ifUnset(v.default) : `<${v.reason}>`;
    case 'oneOf':
      return `<oneOf>`;
  }
}

function parsed(dialect: Parameters<typeof parseSettingsUrl>[0], url: string): unknown {
  const p = parseSettingsUrl(dialect, url);
  return p === undefined ? undefined : JSON.parse(JSON.stringify(p, (_k, v: unknown) => v));
}

describe('URL helpers: knowledge tables', () => {
  it('every helper names a dialect with a scheme table, and redis choices stay undecided', () => {
    for (const h of URL_HELPERS) assert.ok(URL_SCHEMES[h.dialect], h.calls.join());
    const redis = URL_SCHEMES['environ-cache']['redis'];
    assert.ok(typeof redis === 'object' && redis.candidates.includes('django_redis.cache.RedisCache'));
  });
});

describe('URL helpers: django-environ cache_url_config', () => {
  const cases: [string, unknown][] = [
    ['locmemcache://', { BACKEND: LOCMEM, LOCATION: '' }],
    ['locmemcache://snowflake', { BACKEND: LOCMEM, LOCATION: 'snowflake' }],
    ['dbcache://my_table', { BACKEND: 'django.core.cache.backends.db.DatabaseCache', LOCATION: 'my_table' }],
    [
      'filecache:///var/tmp/c',
      { BACKEND: 'django.core.cache.backends.filebased.FileBasedCache', LOCATION: '/var/tmp/c' },
    ],
    [
      'memcache://a:11211',
      { BACKEND: 'django.core.cache.backends.memcached.MemcachedCache', LOCATION: 'a:11211' },
    ],
    [
      'memcache://a:11211,b:11211',
      { BACKEND: 'django.core.cache.backends.memcached.MemcachedCache', LOCATION: ['a:11211', 'b:11211'] },
    ],
    [
      'memcache:///tmp/m.sock',
      { BACKEND: 'django.core.cache.backends.memcached.MemcachedCache', LOCATION: 'unix:/tmp/m.sock' },
    ],
    [
      'dummycache://?timeout=60&key_prefix=x&max_entries=10',
      {
        BACKEND: 'django.core.cache.backends.dummy.DummyCache',
        LOCATION: '',
        TIMEOUT: 60,
        KEY_PREFIX: 'x',
        OPTIONS: { MAX_ENTRIES: 10 },
      },
    ],
  ];
  for (const [url, want] of cases) it(url, () => assert.deepEqual(parsed('environ-cache', url), want));

  it('redis: LOCATION rebuilt per host, BACKEND left to what is installed', () => {
    const one = parseSettingsUrl('environ-cache', 'rediscache://:pw@h:6379/1') as Record<string, unknown>;
    assert.equal(one['LOCATION'], 'redis://:pw@h:6379/1');
    const two = parseSettingsUrl('environ-cache', 'rediscache://h1:6379,h2:6379/1') as Record<
      string,
      unknown
    >;
    assert.deepEqual(two['LOCATION'], ['redis://h1:6379/1', 'redis://h2:6379/1']);
    const sock = parseSettingsUrl('environ-cache', 'redis:///var/run/r.sock') as Record<string, unknown>;
    assert.equal(sock['LOCATION'], 'unix:///var/run/r.sock');
  });
  it('an unknown scheme raises (no entry)', () => {
    assert.equal(parseSettingsUrl('environ-cache', 'nosuch://x'), undefined);
  });
});

describe('URL helpers: django-environ db_url_config', () => {
  it('postgres with credentials, port and options', () => {
    assert.deepEqual(
      parsed('environ-db', 'postgres://u:p%40ss@db.example.com:5432/app?sslmode=require&conn_max_age=600'),
      {
        NAME: 'app',
        USER: 'u',
        PASSWORD: 'p@ss',
        HOST: 'db.example.com',
        PORT: 5432,
        CONN_MAX_AGE: 600,
        OPTIONS: { sslmode: 'require' },
        ENGINE: 'django.db.backends.postgresql',
      },
    );
  });
  it('sqlite paths and the socket directory of postgres', () => {
    assert.deepEqual(parsed('environ-db', 'sqlite://:memory:'), {
      ENGINE: 'django.db.backends.sqlite3',
      NAME: ':memory:',
    });
    assert.equal(
      (parsed('environ-db', 'sqlite:////abs/path.db') as Record<string, unknown>)['NAME'],
      '/abs/path.db',
    );
    const pg = parsed('environ-db', 'postgres:////var/run/postgresql/db') as Record<string, unknown>;
    assert.equal(pg['HOST'], '/var/run/postgresql');
    assert.equal(pg['NAME'], 'db');
  });
  it('an unknown scheme becomes the ENGINE itself', () => {
    assert.equal((parsed('environ-db', 'foo://x') as Record<string, unknown>)['ENGINE'], 'foo');
  });
});

describe('URL helpers: dj-database-url parse', () => {
  it('adds CONN_MAX_AGE and friends from the arguments, query keys into OPTIONS', () => {
    assert.deepEqual(parsed('dj-database-url', 'postgres://u:p@h:5432/d?conn_max_age=600'), {
      NAME: 'd',
      USER: 'u',
      PASSWORD: 'p',
      HOST: 'h',
      PORT: 5432,
      CONN_MAX_AGE: 0,
      CONN_HEALTH_CHECKS: false,
      DISABLE_SERVER_SIDE_CURSORS: false,
      ENGINE: 'django.db.backends.postgresql',
      OPTIONS: { conn_max_age: 600 },
    });
  });
  it('unquotes a socket host and refuses psql', () => {
    assert.equal(
      (parsed('dj-database-url', 'postgres://%2Fvar%2Frun%2Fpostgresql/d') as Record<string, unknown>)[
        'HOST'
      ],
      '/var/run/postgresql',
    );
    assert.equal(parseSettingsUrl('dj-database-url', 'psql://h/d'), undefined);
  });
});

describe('URL helpers: django-cache-url parse', () => {
  const cases: [string, unknown][] = [
    ['locmem://', { BACKEND: LOCMEM, LOCATION: '' }],
    [
      'memcached://a:11211,b:11211',
      { BACKEND: 'django.core.cache.backends.memcached.PyLibMCCache', LOCATION: 'a:11211;b:11211' },
    ],
    [
      'pymemcache://127.0.0.1:11211?timeout=30&max_entries=5',
      {
        BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache',
        LOCATION: '127.0.0.1:11211',
        OPTIONS: { MAX_ENTRIES: 5 },
        TIMEOUT: '30',
      },
    ],
    [
      'file:///var/tmp/c',
      { BACKEND: 'django.core.cache.backends.filebased.FileBasedCache', LOCATION: '/var/tmp/c' },
    ],
  ];
  for (const [url, want] of cases) it(url, () => assert.deepEqual(parsed('django-cache-url', url), want));
  it('redis: LOCATION rebuilt with port and db, socket db from the path', () => {
    const r = parseSettingsUrl('django-cache-url', 'redis://h/2') as Record<string, unknown>;
    assert.equal(r['LOCATION'], 'redis://h:6379/2');
    const s = parseSettingsUrl('django-cache-url', 'redis:///var/run/redis2.sock') as Record<string, unknown>;
    assert.equal(s['LOCATION'], 'unix:///var/run?db=2');
  });
});

describe('URL helpers in settings files', () => {
  it("env.cache('CACHE_URL', default='locmemcache://') is LocMemCache if CACHE_URL is unset", () => {
    const ev = evaluateText(
      "import environ\nenv = environ.Env(DEBUG=(bool, False))\nCACHES = {'default': env.cache('CACHE_URL', default='locmemcache://')}",
    );
    const caches = valueOf(ev, 'CACHES');
    assert.deepEqual(ifUnset(caches), { default: { BACKEND: LOCMEM, LOCATION: '' } });
    const entry = caches?.kind === 'dict' ? caches.entries[0]?.value : undefined;
    const backend = entry?.kind === 'dict' ? entry.entries[0]?.value : undefined;
    assert.equal(backend?.kind, 'unknown');
    assert.equal(backend?.kind === 'unknown' ? backend.envVar : '', 'CACHE_URL');
  });
  it('env.db() without a default is required: unknown, no default', () => {
    const ev = evaluateText("from environ import Env\nmyenv = Env()\nDATABASES = {'default': myenv.db()}");
    const db = valueOf(ev, 'DATABASES');
    const entry = db?.kind === 'dict' ? db.entries[0]?.value : undefined;
    assert.equal(entry?.kind, 'unknown');
    assert.equal(entry?.kind === 'unknown' ? entry.default : 'x', undefined);
    assert.equal(entry?.kind === 'unknown' ? entry.envVar : '', 'DATABASE_URL');
  });
  it('django_cache_url.config() falls back to locmem://; dj_database_url.config() to {}', () => {
    const ev = evaluateText(
      "import django_cache_url, dj_database_url\nCACHES = {'default': django_cache_url.config()}\nDATABASES = {'default': dj_database_url.config(conn_max_age=600)}",
    );
    assert.deepEqual(ifUnset(valueOf(ev, 'CACHES')), { default: { BACKEND: LOCMEM, LOCATION: '' } });
    assert.deepEqual(ifUnset(valueOf(ev, 'DATABASES')), { default: {} });
  });
  it('dj_database_url.config(default=…) and parse of a literal', () => {
    const ev = evaluateText(
      "import dj_database_url\nA = dj_database_url.config(default='sqlite:////srv/db.sqlite3', conn_max_age=600)\nB = dj_database_url.parse('mysql://u@h/d')",
    );
    const a = ifUnset(valueOf(ev, 'A')) as Record<string, unknown>;
    assert.equal(a['NAME'], '/srv/db.sqlite3');
    assert.equal(a['CONN_MAX_AGE'], 600);
    const b = valueOf(ev, 'B');
    assert.equal(b?.kind, 'dict');
    assert.equal((ifUnset(b) as Record<string, unknown>)['ENGINE'], 'django.db.backends.mysql');
  });
  it('decouple: a str whenever set unless cast; casts apply to the default; cast=dj_database_url.parse', () => {
    const ev = evaluateText(
      "from decouple import config, Csv\nimport dj_database_url\nA = config('A', default=3600)\nB = config('B', default='5', cast=int)\nC = config('C', default='off', cast=bool)\nDATABASES = {'default': config('DATABASE_URL', default='postgres://h/d', cast=dj_database_url.parse)}",
    );
    const a = valueOf(ev, 'A');
    assert.equal(a?.kind === 'unknown' ? a.whenSet : '', 'str');
    const b = valueOf(ev, 'B');
    assert.equal(b?.kind === 'unknown' ? b.whenSet : '', 'int');
    assert.equal(ifUnset(b), 5);
    assert.equal(ifUnset(valueOf(ev, 'C')), false);
    const db = ifUnset(valueOf(ev, 'DATABASES')) as Record<string, Record<string, unknown>>;
    assert.equal(db['default']?.['HOST'], 'h');
  });
  it('os.environ.get is a str when set; int(...) and env.int are not', () => {
    const ev = evaluateText(
      "import os, environ\nenv = environ.Env()\nA = os.environ.get('X', 3600)\nB = int(os.environ.get('X', 3600))\nC = env.int('X', default=3)",
    );
    const w = (n: string): unknown => {
      const v = valueOf(ev, n);
      return v?.kind === 'unknown' ? v.whenSet : undefined;
    };
    assert.deepEqual([w('A'), w('B'), w('C')], ['str', 'int', 'int']);
  });
});

describe('URL helpers: rules, hover and completion', () => {
  const settings = [
    'import environ',
    'env = environ.Env()',
    "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    "CACHES = {'default': env.cache('CACHE_URL', default='locmemcache://')}",
    "DATABASES = {'default': env.db()}",
  ].join('\n');

  it('DSL104 fires on env.cache with a locmem default, saying "if CACHE_URL is unset"', () => {
    const f = onlyFinding('DSL104', { 'settings.py': settings });
    assert.match(f.message, /if CACHE_URL is unset/);
  });
  it('no finding when the default is a shared cache, or when there is no default', () => {
    for (const call of ["env.cache(default='pymemcache://127.0.0.1:11211')", 'env.cache()']) {
      const a = lint({
        'settings.py': settings.replace("env.cache('CACHE_URL', default='locmemcache://')", call),
      });
      assert.deepEqual(findingKeys(a, ['DSL104']), [], call);
    }
  });
  it('django_cache_url.config() with no arguments: LocMemCache if CACHE_URL is unset', () => {
    const f = onlyFinding('DSL104', {
      'settings.py':
        "import django_cache_url\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': django_cache_url.config()}",
    });
    assert.match(f.message, /if CACHE_URL is unset/);
  });
  it('hover on env.cache(...) shows the library, the variable and the entry if unset', () => {
    const a = lint({ 'settings.py': settings });
    const offset = settings.indexOf('env.cache') + 5;
    const h = hover(a, '/project/settings.py', offset);
    assert.ok(h, 'a hover');
    assert.match(h.markdown, /django-environ/);
    assert.match(h.markdown, /If `CACHE_URL` is unset:.*LocMemCache/);
    const hdb = hover(a, '/project/settings.py', settings.indexOf('env.db') + 5);
    assert.match(hdb?.markdown ?? '', /ImproperlyConfigured/);
  });
  it('completion inside the URL of env.cache offers its schemes with their BACKEND', () => {
    const text = "CACHES = {'default': env.cache('CACHE_URL', default='')}";
    const at = text.indexOf("default='") + "default='".length;
    const items = complete(text, at);
    const mem = items.find((i) => i.label === 'pymemcache://');
    assert.ok(mem, items.map((i) => i.label).join());
    assert.match(mem.detail ?? '', /PyMemcacheCache/);
    const dbText = "DATABASES = {'default': dj_database_url.config(default='')}";
    const db = complete(dbText, dbText.indexOf("default='") + "default='".length);
    assert.ok(db.some((i) => i.label === 'postgres://'));
  });
});

describe('conditions on the environment are decided by the default', () => {
  const src = (dflt: string): string =>
    [
      'import os',
      `DEBUG = os.environ.get('DJANGO_DEBUG', '${dflt}') == 'true'`,
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
      'if DEBUG:',
      `    CACHES = {'default': ${"{'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}"}}`,
      'else:',
      "    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc:11211'}}",
    ].join('\n');

  it('takes the else branch if DJANGO_DEBUG is unset, keeping the if branch as the alternative', () => {
    const caches = valueOf(evaluateText(src('')), 'CACHES');
    assert.deepEqual(ifUnset(caches), {
      default: { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: 'mc:11211' },
    });
    const entry = caches?.kind === 'dict' ? caches.entries[0]?.value : undefined;
    const backend = entry?.kind === 'dict' ? entry.entries[0]?.value : undefined;
    assert.equal(backend?.kind === 'unknown' ? backend.envVar : '', 'DJANGO_DEBUG');
    const alt = backend?.kind === 'unknown' ? backend.alternatives?.[0] : undefined;
    assert.equal(alt?.kind === 'str' ? alt.value : '', 'django.core.cache.backends.locmem.LocMemCache');
    assert.deepEqual(findingKeys(lint({ 'settings.py': src('') }), ['DSL104']), []);
  });
  it('with a default that takes the if branch, DSL104 reports LocMemCache "if DJANGO_DEBUG is unset"', () => {
    const f = onlyFinding('DSL104', { 'settings.py': src('true') });
    assert.match(f.message, /LocMemCache \(if DJANGO_DEBUG is unset\)/);
    assert.equal(f.fix, undefined);
  });
  it('a condition without a visible default stays undecided', () => {
    const ev = evaluateText(src('').replace(", '')", ')'));
    assert.equal(valueOf(ev, 'CACHES')?.kind, 'oneOf');
  });

  const chain = (dflt: string): string =>
    [
      'import os',
      `APP_ENV = os.environ.get('APP_ENV', '${dflt}')`,
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
      "if APP_ENV == 'production':",
      "    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc:11211', 'OPTIONS': {'ignore_exc': True}}}",
      "elif APP_ENV == 'staging':",
      "    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://r:6379/1'}}",
      'else:',
      "    CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
    ].join('\n');
  it('an if/elif/else chain takes the arm the default reaches, keeping every other arm as an alternative', () => {
    for (const [dflt, want] of [
      ['production', 'django.core.cache.backends.memcached.PyMemcacheCache'],
      ['staging', 'django.core.cache.backends.redis.RedisCache'],
      ['development', 'django.core.cache.backends.locmem.LocMemCache'],
    ] as const) {
      const caches = valueOf(evaluateText(chain(dflt)), 'CACHES');
      assert.equal((ifUnset(caches) as { default: { BACKEND: string } }).default.BACKEND, want, dflt);
      const entry = caches?.kind === 'dict' ? caches.entries[0]?.value : undefined;
      const backend = entry?.kind === 'dict' ? entry.entries[0]?.value : undefined;
      assert.equal(backend?.kind === 'unknown' ? backend.envVar : '', 'APP_ENV');
      assert.equal(backend?.kind === 'unknown' ? backend.alternatives?.length : 0, 2, dflt);
    }
    const f = onlyFinding('DSL104', { 'settings.py': chain('development') });
    assert.match(f.message, /LocMemCache \(if APP_ENV is unset\)/);
    assert.deepEqual(findingKeys(lint({ 'settings.py': chain('production') }), ['DSL104']), []);
  });
  it('an elif after an undecidable condition leaves the chain undecided', () => {
    const text = chain('development').replace(
      "if APP_ENV == 'production':",
      "if os.environ.get('X') == '1':",
    );
    assert.equal(valueOf(evaluateText(text), 'CACHES')?.kind, 'oneOf');
  });
});

describe('URL helpers: a BACKEND chosen when the settings load, decided from Django and what is installed', () => {
  const BUILTIN = 'django.core.cache.backends.redis.RedisCache';
  const DJANGO_REDIS = 'django_redis.cache.RedisCache';
  const DIST = '/srv/venv/lib/python3.11/site-packages';
  /** What is installed, with django-environ 0.11.2 among it (its version decides redis:// and pymemcache://). */
  const with011 = (modules: string[], environVersion = '0.11.2') => ({
    modules,
    source: DIST,
    distributions: { django_environ: environVersion },
  });
  const environ = (url: string) =>
    [
      'import environ',
      'env = environ.Env()',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
      `CACHES = {'default': env.cache('CACHE_URL', default='${url}')}`,
    ].join('\n');
  const cacheUrl = (url: string) =>
    [
      'import django_cache_url',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
      `CACHES = {'default': django_cache_url.config(default='${url}')}`,
    ].join('\n');
  /** BACKEND of CACHES['default'] if every variable is unset, `<…>` when unknown. */
  const backend = (text: string, opts: Parameters<typeof lint>[1]): Plain => {
    const caches = lint({ 'settings.py': text }, opts).model.effective('CACHES')?.value;
    const all = ifUnset(caches) as { default?: { BACKEND?: Plain } };
    return typeof all === 'object' && all !== null ? (all.default?.BACKEND ?? '<none>') : all;
  };

  it("django-environ redis://: django_redis when importable, else Django ≥ 4.0's RedisCache, else redis_cache", () => {
    const url = 'redis://10.0.0.5:6379/1';
    assert.equal(
      backend(environ(url), { djangoVersion: '4.2', installed: with011(['redis', 'django_redis']) }),
      DJANGO_REDIS,
    );
    assert.equal(backend(environ(url), { djangoVersion: '4.2', installed: with011(['redis']) }), BUILTIN);
    assert.equal(
      backend(environ(url), { djangoVersion: '3.2', installed: with011(['redis']) }),
      'redis_cache.RedisCache',
    );
  });
  it('django-environ redis:// stays unknown while what is installed is not known (django_redis decides first)', () => {
    assert.match(
      String(backend(environ('redis://r:6379/0'), { djangoVersion: '4.2' })),
      /^<.*one of django_redis/,
    );
  });
  it("django-environ's own version picks the scheme table: 0.10 and ≤ 0.9 choose redis:// differently, < 0.8 pymemcache:// too", () => {
    const redis = environ('redis://10.0.0.5:6379/1');
    // 0.10: Django ≥ 4.0's built-in RedisCache first, even with django_redis installed.
    assert.equal(
      backend(redis, { djangoVersion: '4.2', installed: with011(['django_redis'], '0.10.0') }),
      BUILTIN,
    );
    // ≤ 0.9: redis_cache when importable, else django_redis (Django's version does not matter).
    const old = (modules: string[]) => ({ djangoVersion: '4.2', installed: with011(modules, '0.9.0') });
    assert.equal(backend(redis, old(['redis_cache', 'django_redis'])), 'redis_cache.RedisCache');
    assert.equal(backend(redis, old(['django_redis'])), DJANGO_REDIS);
    // Before 0.8 pymemcache:// always meant PyLibMCCache.
    const pymemcache = environ('pymemcache://10.0.0.7:11211');
    assert.equal(
      backend(pymemcache, { djangoVersion: '4.2', installed: with011(['pymemcache'], '0.7.0') }),
      'django.core.cache.backends.memcached.PyLibMCCache',
    );
  });
  it('django-environ of an unknown version: what differs between versions stays unknown, what does not is known', () => {
    const unknownVersion = (modules: string[], djangoVersion: string) => ({
      djangoVersion,
      installed: { modules, source: DIST },
    });
    // django_redis installed on Django 4.2: ≥ 0.11 picks it, 0.10 the built-in RedisCache — no guess.
    assert.match(
      String(backend(environ('redis://r:6379/0'), unknownVersion(['redis', 'django_redis'], '4.2'))),
      /^<.*one of django_redis/,
    );
    assert.match(
      String(backend(environ('pymemcache://m:11211'), unknownVersion(['pymemcache'], '4.2'))),
      /^<.*one of/,
    );
    // Django 3.2 with only django_redis: every version picks django_redis.
    assert.equal(
      backend(environ('redis://r:6379/0'), unknownVersion(['redis', 'django_redis'], '3.2')),
      DJANGO_REDIS,
    );
  });
  it('django-environ pymemcache://: PyMemcacheCache on Django ≥ 3.2 with pymemcache, else PyLibMCCache', () => {
    const url = 'pymemcache://127.0.0.1:11211';
    assert.equal(
      backend(environ(url), { djangoVersion: '4.2', installed: with011(['pymemcache']) }),
      'django.core.cache.backends.memcached.PyMemcacheCache',
    );
    assert.equal(
      backend(environ(url), { djangoVersion: '4.2', installed: with011(['pylibmc']) }),
      'django.core.cache.backends.memcached.PyLibMCCache',
    );
    assert.equal(
      backend(environ(url), { djangoVersion: '3.1', installed: with011(['pymemcache']) }),
      'django.core.cache.backends.memcached.PyLibMCCache',
    );
  });
  it('django-cache-url redis://: by the Django version alone (4.0 and later: the built-in RedisCache)', () => {
    assert.equal(backend(cacheUrl('redis://r:6379/1'), { djangoVersion: '4.2' }), BUILTIN);
    assert.equal(backend(cacheUrl('redis://r:6379/1'), { djangoVersion: '3.2' }), DJANGO_REDIS);
    // A Horizon release whose Django range is all ≥ 4.0 decides it too (2024.2: Django 4.2).
    assert.equal(backend(cacheUrl('redis://r:6379/1'), { horizonRelease: '2024.2' }), BUILTIN);
    assert.match(String(backend(cacheUrl('redis://r:6379/1'), {})), /^<.*one of/);
  });
  it('rules judge the resolved backend: DSL113 on a pymemcache:// default without ignore_exc', () => {
    const opts = { djangoVersion: '4.2', installed: with011(['pymemcache']) };
    const f = onlyFinding('DSL113', { 'settings.py': environ('pymemcache://10.0.0.7:11211') }, opts);
    assert.match(f.message, /if CACHE_URL is unset/);
    // Unknown installed modules: nothing to judge, nothing reported.
    assert.deepEqual(
      findingKeys(lint({ 'settings.py': environ('pymemcache://10.0.0.7:11211') }, { djangoVersion: '4.2' }), [
        'DSL113',
      ]),
      [],
    );
  });
});

describe('environment files and Env schemes give lookups their visible defaults', () => {
  const value = (files: Record<string, string>, name: string): Plain =>
    ifUnset(lint(files, { djangoVersion: '4.2' }).model.effective(name)?.value);
  const environSettings = [
    'import environ',
    "env = environ.Env(DEBUG=(bool, False), CACHE_URL=(str, 'locmemcache://'))",
    'environ.Env.read_env()',
    "DEBUG = env('DEBUG')",
    "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    "CACHES = {'default': env.cache()}",
    "SESSION_COOKIE_AGE = env.int('SESSION_COOKIE_AGE', default=1209600)",
    "TIME_ZONE = os_env = env.str('TZ', 'UTC')",
  ].join('\n');

  it("django-environ: Env.read_env() loads .env (cast as the method casts it); the Env's scheme gives the rest", () => {
    const files = {
      'settings.py': environSettings,
      '.env': '# local\nDEBUG=on\nCACHE_URL="pymemcache://10.0.0.5:11211"\nexport SESSION_COOKIE_AGE=3600\n',
    };
    assert.equal(value(files, 'DEBUG'), true);
    assert.equal(value(files, 'SESSION_COOKIE_AGE'), 3600);
    assert.equal(value(files, 'TIME_ZONE'), 'UTC');
    assert.deepEqual(value(files, 'CACHES'), {
      default: {
        BACKEND:
          '<django-environ BACKEND: one of django.core.cache.backends.memcached.PyMemcacheCache, django.core.cache.backends.memcached.PyLibMCCache (django-environ ≥ 0.8 uses PyMemcacheCache on Django ≥ 3.2 when pymemcache is importable, else PyLibMCCache.)>',
        LOCATION: '10.0.0.5:11211',
      },
    });
    // Without a .env, the scheme's defaults: LocMemCache under cache sessions, DEBUG False.
    const bare = { 'settings.py': environSettings };
    assert.equal(value(bare, 'DEBUG'), false);
    assert.match(onlyFinding('DSL104', bare, { djangoVersion: '4.2' }).message, /if CACHE_URL is unset/);
    // The .env's shared cache: no DSL104.
    assert.deepEqual(findingKeys(lint(files, { djangoVersion: '4.2' }), ['DSL104']), []);
  });
  it('no URL helper is named like an environment lookup (callQualified answers those before asking)', () => {
    for (const call of ['os.environ.get', 'os.getenv', 'os.environ.setdefault'])
      assert.equal(findUrlHelper(call), undefined, call);
  });
  it('a .env is read only when the settings call read_env()', () => {
    const files = {
      'settings.py':
        "import os\nSESSION_ENGINE = os.environ.get('SESSION_ENGINE', 'django.contrib.sessions.backends.db')\n",
      '.env': 'SESSION_ENGINE=django.contrib.sessions.backends.cache\n',
    };
    assert.equal(value(files, 'SESSION_ENGINE'), 'django.contrib.sessions.backends.db');
    const withRead = {
      ...files,
      'settings.py': `import environ\nenviron.Env.read_env()\n${files['settings.py']}`,
    };
    assert.equal(value(withRead, 'SESSION_ENGINE'), 'django.contrib.sessions.backends.cache');
  });
  it('python-decouple: settings.ini [settings] (beats .env), casts applied, cast=dj_database_url.parse', () => {
    const settings = [
      'from decouple import config',
      'import dj_database_url',
      'DEBUG = config("DEBUG", default=False, cast=bool)',
      "SESSION_ENGINE = config('SESSION_ENGINE', default='django.contrib.sessions.backends.db')",
      'SESSION_COOKIE_AGE = config("SESSION_COOKIE_AGE", default=1209600, cast=int)',
      "DATABASES = {'default': config('DATABASE_URL', default='sqlite:///db.sqlite3', cast=dj_database_url.parse)}",
    ].join('\n');
    const files = {
      'settings.py': settings,
      'settings.ini':
        '[settings]\nDEBUG = True\nSESSION_ENGINE = django.contrib.sessions.backends.cache\nsession_cookie_age: 3600\nDATABASE_URL=postgres://app:n0t-in-the-code@db:5432/app\n',
      '.env': 'SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies\n',
    };
    assert.equal(value(files, 'DEBUG'), true);
    assert.equal(value(files, 'SESSION_ENGINE'), 'django.contrib.sessions.backends.cache');
    assert.equal(value(files, 'SESSION_COOKIE_AGE'), 3600);
    assert.equal((value(files, 'DATABASES') as { default: { HOST: string } }).default.HOST, 'db');
    const a = lint(files, { djangoVersion: '4.2' });
    // Cache sessions on Django's default LocMemCache; the password lives in settings.ini, not the settings.
    assert.deepEqual(findingKeys(a, ['DSL104', 'DSL124']).length, 1);
    assert.match(onlyFinding('DSL104', files, { djangoVersion: '4.2' }).message, /LocMemCache/);
    // Only a .env: it is the repository.
    const envOnly = { 'settings.py': settings, '.env': files['.env'] };
    assert.equal(value(envOnly, 'SESSION_ENGINE'), 'django.contrib.sessions.backends.signed_cookies');
    // A password written as the default in the code is still reported.
    const inCode = {
      'settings.py': settings.replace('sqlite:///db.sqlite3', 'postgres://app:written-here@db/app'),
    };
    assert.equal(findingKeys(lint(inCode, { djangoVersion: '4.2' }), ['DSL124']).length, 1);
  });
});
