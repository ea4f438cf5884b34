/**
 * Well-known URL settings helpers as validated data: which calls read which environment variable, what they
 * return when it is unset, and how each library maps a URL scheme to a cache BACKEND or database ENGINE.
 * The URL → dict parsing that reads these tables lives in evaluate/url-helpers.ts; no rule logic here.
 *
 * Sources (read, and run where noted in the tests' comments):
 * - django-environ: joke2k/django-environ `environ/environ.py` (v0.11.2 tag df301b6, v0.13.0 feature set at
 *   002fb5a), `Env.CACHE_SCHEMES`, `Env.DB_SCHEMES`, `cache_url_config`, `db_url_config`, `compat.py`.
 * - dj-database-url: jazzband/dj-database-url v3.1.2 `dj_database_url/__init__.py` (`SCHEMES`, `config`, `parse`).
 * - django-cache-url: epicserve/django-cache-url v3.4.5 `django_cache_url/__init__.py` (`BACKENDS`, `config`, `parse`).
 * - python-decouple: HBNetwork/python-decouple v3.8 `decouple.py` (`config`, `Config.get`, `strtobool`).
 */
import { z } from 'zod';

import { DUMMY, FILEBASED, LOCMEM, MEMCACHED_CACHE, PYLIBMC, PYMEMCACHE } from './names';
import { assertUnique, validateData } from './schema';

export const URL_DIALECTS = ['environ-cache', 'environ-db', 'dj-database-url', 'django-cache-url'] as const;
export type UrlDialect = (typeof URL_DIALECTS)[number];

const ArgSchema = z.strictObject({
  /** Positional index of the argument (-1: keyword only). */
  index: z.number().int().min(-1),
  keyword: z.string().min(1),
});

export const UrlHelperSchema = z
  .strictObject({
    /** Qualified call names as the evaluator spells them (`environ.Env().cache`, `dj_database_url.config`). */
    calls: z.array(z.string().min(3)).min(1),
    library: z.enum(['django-environ', 'dj-database-url', 'django-cache-url']),
    dialect: z.enum(URL_DIALECTS),
    /** The environment variable read when the call names none; undefined for `parse(url)`. */
    envVar: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .optional(),
    /** Where the call takes another variable name. */
    envVarArg: ArgSchema.optional(),
    /** Where `parse(url)` takes the URL. */
    urlArg: ArgSchema.optional(),
    /** Where the default URL is passed. */
    defaultArg: ArgSchema.optional(),
    /**
     * The variable unset and no default passed: `raises` (django-environ: ImproperlyConfigured at import),
     * `empty` (dj-database-url: `{}` and a warning), `url` (django-cache-url: `implicitDefault` is parsed).
     */
    whenUnset: z.enum(['raises', 'empty', 'url']).optional(),
    implicitDefault: z.string().optional(),
    /** Hover text: one sentence. */
    summary: z.string().min(10).regex(/\.$/),
  })
  .refine((h) => (h.whenUnset === 'url') === (h.implicitDefault !== undefined), {
    message: 'implicitDefault is given exactly when whenUnset is "url"',
  })
  .refine((h) => (h.envVar === undefined) === (h.urlArg !== undefined), {
    message: 'a helper reads either an environment variable or a URL argument',
  });
export type UrlHelper = z.infer<typeof UrlHelperSchema>;

const POS0 = { index: 0, keyword: 'var' };

export const URL_HELPERS: readonly UrlHelper[] = validateData(
  z.array(UrlHelperSchema),
  [
    {
      calls: ['environ.Env().cache', 'environ.Env().cache_url'],
      library: 'django-environ',
      dialect: 'environ-cache',
      envVar: 'CACHE_URL',
      envVarArg: POS0,
      defaultArg: { index: 1, keyword: 'default' },
      whenUnset: 'raises',
      summary:
        'django-environ reads a cache URL from CACHE_URL (or the variable named) and parses it into a CACHES entry; with no default, an unset variable raises ImproperlyConfigured.',
    },
    {
      calls: ['environ.Env().db', 'environ.Env().db_url'],
      library: 'django-environ',
      dialect: 'environ-db',
      envVar: 'DATABASE_URL',
      envVarArg: POS0,
      defaultArg: { index: 1, keyword: 'default' },
      whenUnset: 'raises',
      summary:
        'django-environ reads a database URL from DATABASE_URL (or the variable named) and parses it into a DATABASES entry; with no default, an unset variable raises ImproperlyConfigured.',
    },
    {
      calls: ['environ.Env.cache_url_config', 'environ.Env().cache_url_config'],
      library: 'django-environ',
      dialect: 'environ-cache',
      urlArg: { index: 0, keyword: 'url' },
      summary: 'django-environ parses a cache URL into a CACHES entry.',
    },
    {
      calls: ['environ.Env.db_url_config', 'environ.Env().db_url_config'],
      library: 'django-environ',
      dialect: 'environ-db',
      urlArg: { index: 0, keyword: 'url' },
      summary: 'django-environ parses a database URL into a DATABASES entry.',
    },
    {
      calls: ['dj_database_url.config'],
      library: 'dj-database-url',
      dialect: 'dj-database-url',
      envVar: 'DATABASE_URL',
      envVarArg: { index: -1, keyword: 'env' },
      defaultArg: { index: -1, keyword: 'default' },
      whenUnset: 'empty',
      summary:
        'dj-database-url reads DATABASE_URL (or `env=`) and parses it into a DATABASES entry; unset and without a default it returns {} (no database).',
    },
    {
      calls: ['dj_database_url.parse'],
      library: 'dj-database-url',
      dialect: 'dj-database-url',
      urlArg: { index: 0, keyword: 'url' },
      summary: 'dj-database-url parses a database URL into a DATABASES entry.',
    },
    {
      calls: ['django_cache_url.config'],
      library: 'django-cache-url',
      dialect: 'django-cache-url',
      envVar: 'CACHE_URL',
      envVarArg: { index: -1, keyword: 'env' },
      defaultArg: { index: -1, keyword: 'default' },
      whenUnset: 'url',
      implicitDefault: 'locmem://',
      summary:
        "django-cache-url reads CACHE_URL (or `env=`) and parses it into a CACHES entry; unset, it falls back to 'locmem://' (LocMemCache).",
    },
    {
      calls: ['django_cache_url.parse'],
      library: 'django-cache-url',
      dialect: 'django-cache-url',
      urlArg: { index: 0, keyword: 'url' },
      summary: 'django-cache-url parses a cache URL into a CACHES entry.',
    },
  ],
  'url-helpers',
);
assertUnique(
  URL_HELPERS.flatMap((h) => h.calls),
  'url-helpers',
);

/**
 * A scheme's result: one class path, or several when the library chooses at import time from what is
 * installed or from the Django version (then `choice` says how, and the analyser does not guess).
 */
export const BackendRuleSchema = z.strictObject({
  backend: z.string().min(1),
  /** Taken only on this Django minor or later (`'4.0'`). */
  djangoAtLeast: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
  /** Taken only when this top-level module is importable where the settings run. */
  installed: z.string().min(1).optional(),
  /** Taken only when the installed library (normalised distribution name) is in this version range. */
  library: z
    .strictObject({
      name: z.string().regex(/^[a-z0-9_]+$/),
      atLeast: z
        .string()
        .regex(/^\d+\.\d+$/)
        .optional(),
      below: z
        .string()
        .regex(/^\d+\.\d+$/)
        .optional(),
    })
    .optional(),
});

export const SchemeTargetSchema = z.union([
  z.string().min(1),
  z
    .strictObject({
      candidates: z.array(z.string().min(1)).min(2),
      choice: z.string().min(10),
      /** The library's own choice, in its order: the first rule whose conditions hold wins; the last has none. */
      rules: z.array(BackendRuleSchema).min(2),
    })
    .refine(
      (t) =>
        new Set(t.rules.map((r) => r.backend)).size === t.candidates.length &&
        t.candidates.every((c) => t.rules.some((r) => r.backend === c)) &&
        t.rules
          .slice(0, -1)
          .every(
            (r) => r.djangoAtLeast !== undefined || r.installed !== undefined || r.library !== undefined,
          ) &&
        t.rules.at(-1)?.djangoAtLeast === undefined &&
        t.rules.at(-1)?.installed === undefined &&
        t.rules.at(-1)?.library === undefined,
      { message: 'rules name every candidate, each rule but the last with a condition' },
    ),
]);
export type SchemeTarget = z.infer<typeof SchemeTargetSchema>;

const SchemeTableSchema = z.record(z.string().regex(/^[a-z][a-z0-9+.-]*$/), SchemeTargetSchema);

const REDIS_BUILTIN = 'django.core.cache.backends.redis.RedisCache';
const DJANGO_REDIS = 'django_redis.cache.RedisCache';
const REDIS_CACHE = 'redis_cache.RedisCache';
/** django-environ's version-dependent choices are keyed by its installed version (dist-info / egg-info). */
const ENVIRON = 'django_environ';
const ENVIRON_REDIS: SchemeTarget = {
  candidates: [DJANGO_REDIS, REDIS_BUILTIN, REDIS_CACHE],
  choice:
    "django-environ ≥ 0.11 picks django_redis when it is importable, else Django ≥ 4.0's built-in RedisCache, else redis_cache; 0.10 the built-in RedisCache on Django ≥ 4.0, else redis_cache when importable, else django_redis; ≤ 0.9 redis_cache when importable, else django_redis.",
  rules: [
    { backend: DJANGO_REDIS, installed: 'django_redis', library: { name: ENVIRON, atLeast: '0.11' } },
    { backend: REDIS_BUILTIN, djangoAtLeast: '4.0', library: { name: ENVIRON, atLeast: '0.11' } },
    { backend: REDIS_CACHE, library: { name: ENVIRON, atLeast: '0.11' } },
    { backend: REDIS_BUILTIN, djangoAtLeast: '4.0', library: { name: ENVIRON, atLeast: '0.10' } },
    { backend: REDIS_CACHE, installed: 'redis_cache' },
    { backend: DJANGO_REDIS },
  ],
};
const CACHE_URL_REDIS: SchemeTarget = {
  candidates: [REDIS_BUILTIN, DJANGO_REDIS],
  choice: 'django-cache-url ≥ 3.4 uses django_redis on Django < 4 and the built-in RedisCache on Django ≥ 4.',
  rules: [{ backend: REDIS_BUILTIN, djangoAtLeast: '4.0' }, { backend: DJANGO_REDIS }],
};

/** Scheme → cache BACKEND / database ENGINE, per dialect. An absent scheme raises (except environ-db). */
export const URL_SCHEMES: Readonly<Record<UrlDialect, Readonly<Record<string, SchemeTarget>>>> = validateData(
  z.strictObject({
    'environ-cache': SchemeTableSchema,
    'environ-db': SchemeTableSchema,
    'dj-database-url': SchemeTableSchema,
    'django-cache-url': SchemeTableSchema,
  }),
  {
    'environ-cache': {
      dbcache: 'django.core.cache.backends.db.DatabaseCache',
      dummycache: DUMMY,
      filecache: FILEBASED,
      locmemcache: LOCMEM,
      memcache: MEMCACHED_CACHE,
      pymemcache: {
        candidates: [PYMEMCACHE, PYLIBMC],
        choice:
          'django-environ ≥ 0.8 uses PyMemcacheCache on Django ≥ 3.2 when pymemcache is importable, else PyLibMCCache.',
        rules: [
          {
            backend: PYMEMCACHE,
            djangoAtLeast: '3.2',
            installed: 'pymemcache',
            library: { name: ENVIRON, atLeast: '0.8' },
          },
          { backend: PYLIBMC },
        ],
      },
      pylibmc: PYLIBMC,
      rediscache: ENVIRON_REDIS,
      redis: ENVIRON_REDIS,
      rediss: ENVIRON_REDIS,
      valkey: ENVIRON_REDIS,
      valkeys: ENVIRON_REDIS,
    },
    'environ-db': {
      postgres: 'django.db.backends.postgresql',
      postgresql: 'django.db.backends.postgresql',
      psql: 'django.db.backends.postgresql',
      pgsql: 'django.db.backends.postgresql',
      postgis: 'django.contrib.gis.db.backends.postgis',
      cockroachdb: 'django_cockroachdb',
      mysql: 'django.db.backends.mysql',
      mysql2: 'django.db.backends.mysql',
      'mysql-connector': 'mysql.connector.django',
      mysqlgis: 'django.contrib.gis.db.backends.mysql',
      mssql: 'mssql',
      pyodbc: 'sql_server.pyodbc',
      redshift: 'django_redshift_backend',
      oracle: 'django.db.backends.oracle',
      ldap: 'ldapdb.backends.ldap',
      sqlite: 'django.db.backends.sqlite3',
      spatialite: 'django.contrib.gis.db.backends.spatialite',
    },
    'dj-database-url': {
      postgres: 'django.db.backends.postgresql',
      postgresql: 'django.db.backends.postgresql',
      pgsql: 'django.db.backends.postgresql',
      postgis: 'django.contrib.gis.db.backends.postgis',
      redshift: 'django_redshift_backend',
      timescale: 'timescale.db.backends.postgresql',
      timescalegis: 'timescale.db.backends.postgis',
      mysql: 'django.db.backends.mysql',
      mysql2: 'django.db.backends.mysql',
      'mysql-connector': 'mysql.connector.django',
      mysqlgis: 'django.contrib.gis.db.backends.mysql',
      sqlite: 'django.db.backends.sqlite3',
      spatialite: 'django.contrib.gis.db.backends.spatialite',
      oracle: 'django.db.backends.oracle',
      oraclegis: 'django.contrib.gis.db.backends.oracle',
      mssql: 'sql_server.pyodbc',
      mssqlms: 'mssql',
      cockroach: 'django_cockroachdb',
    },
    'django-cache-url': {
      locmem: LOCMEM,
      dummy: DUMMY,
      db: 'django.core.cache.backends.db.DatabaseCache',
      file: FILEBASED,
      memcached: PYLIBMC,
      pymemcached: MEMCACHED_CACHE,
      pymemcache: PYMEMCACHE,
      djangopylibmc: 'django_pylibmc.memcached.PyLibMCCache',
      elasticache: 'django_elasticache.memcached.ElastiCache',
      uwsgicache: 'uwsgicache.UWSGICache',
      redis: CACHE_URL_REDIS,
      rediss: CACHE_URL_REDIS,
      hiredis: CACHE_URL_REDIS,
    },
  },
  'url-schemes',
);

/** Other facts the parsers need, per library (names as the libraries spell them). */
export const URL_HELPER_FACTS = {
  /** django-environ: query keys that go to the top level of a CACHES entry (others go to OPTIONS). */
  environCacheBaseOptions: ['TIMEOUT', 'KEY_PREFIX', 'VERSION', 'KEY_FUNCTION', 'BINARY'],
  /** django-environ: query keys that go to the top level of a DATABASES entry. */
  environDbBaseOptions: [
    'CONN_MAX_AGE',
    'ATOMIC_REQUESTS',
    'AUTOCOMMIT',
    'DISABLE_SERVER_SIDE_CURSORS',
    'CONN_HEALTH_CHECKS',
  ],
  environPostgresSchemes: ['postgres', 'postgresql', 'psql', 'pgsql', 'postgis'],
  /** django-cache-url: query keys moved into OPTIONS as ints; every other key goes to the top level as a string. */
  cacheUrlIntOptions: ['MAX_ENTRIES', 'CULL_FREQUENCY'],
  cacheUrlMemcachedSchemes: ['memcached', 'pymemcached', 'pymemcache', 'djangopylibmc'],
  /** dj-database-url: entries taken from the function's arguments (their defaults), never from the URL. */
  djDatabaseUrlArgumentKeys: [
    { key: 'CONN_MAX_AGE', keyword: 'conn_max_age', default: 0 },
    { key: 'CONN_HEALTH_CHECKS', keyword: 'conn_health_checks', default: false },
    { key: 'DISABLE_SERVER_SIDE_CURSORS', keyword: 'disable_server_side_cursors', default: false },
  ],
  /** dj-database-url: engines whose PORT is stringified. */
  djDatabaseUrlStringPort: ['oracle', 'mssql', 'mssqlms'],
  /** python-decouple's `strtobool` (cast=bool). */
  decoupleTrue: ['y', 'yes', 't', 'true', 'on', '1'],
  decoupleFalse: ['n', 'no', 'f', 'false', 'off', '0', ''],
} as const;

/** Each call name of a helper, with the first helper it names. */
let helperByCall: Map<string, UrlHelper> | undefined;

/** The helper a qualified call name refers to (asked on every qualified call: one Map lookup). */
export function findUrlHelper(call: string): UrlHelper | undefined {
  if (!helperByCall) {
    helperByCall = new Map();
    for (const h of URL_HELPERS) for (const c of h.calls) if (!helperByCall.has(c)) helperByCall.set(c, h);
  }
  return helperByCall.get(call);
}
