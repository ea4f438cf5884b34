/** The five Django session engines as validated data, plus the invalid spellings seen in the wild and their nearest engine; no rule logic. */
import { z } from 'zod';

import {
  CACHE_BACKEND_PREFIX,
  ENGINE_CACHE,
  ENGINE_CACHED_DB,
  ENGINE_DB,
  ENGINE_FILE,
  ENGINE_SIGNED_COOKIES,
  SESSION_ENGINE_PREFIX,
} from './names';
import { TradeoffCardSchema, assertUnique, validateData } from './schema';
import { closestMatch } from './string-distance';

export const SessionEngineSchema = z.strictObject({
  /** Module path, the value SESSION_ENGINE takes. */
  id: z.string().startsWith(SESSION_ENGINE_PREFIX),
  shortName: z.enum(['db', 'cached_db', 'cache', 'file', 'signed_cookies']),
  /** Where the data lives (display text). */
  stores: z.string().min(3),
  /** What must be configured for it to work (display text, one item per requirement). */
  needs: z.array(z.string().min(3)).min(1),
  /**
   * True when SESSION_SERIALIZER produces the stored bytes. The `cache` engine stores the dict through the
   * cache backend's own pickling instead, though it still imports the serializer.
   */
  usesSerializerForStorage: z.boolean(),
  /** Reads/writes `caches[SESSION_CACHE_ALIAS]`. */
  needsCache: z.boolean(),
  /** Needs DATABASES['default'], `django.contrib.sessions` in INSTALLED_APPS and `migrate`. */
  needsDatabase: z.boolean(),
  /** Session data is signed with SECRET_KEY (db/cached_db/file data and the whole signed cookie). */
  signedWithSecretKey: z.boolean(),
  /** Expired sessions pile up unless `clearsessions` runs (DJDOC "Clearing the session store"). */
  needsClearSessions: z.boolean(),
  /** `true`/`false`, or `'depends'` when persistence is the cache's (cache engine). */
  persistent: z.union([z.boolean(), z.literal('depends')]),
  card: TradeoffCardSchema,
});
export type SessionEngine = z.infer<typeof SessionEngineSchema>;

const SESSIONS_DOCS = 'https://docs.djangoproject.com/en/stable/topics/http/sessions/';

export const SESSION_ENGINES: readonly SessionEngine[] = validateData(
  z.array(SessionEngineSchema).length(5),
  [
    {
      id: ENGINE_DB,
      shortName: 'db',
      stores: 'rows of the django_session table in DATABASES["default"]',
      needs: [
        "a DATABASES['default'] entry",
        "'django.contrib.sessions' in INSTALLED_APPS",
        '`manage.py migrate` to create django_session',
        'a periodic `manage.py clearsessions`',
      ],
      usesSerializerForStorage: true,
      needsCache: false,
      needsDatabase: true,
      signedWithSecretKey: true,
      needsClearSessions: true,
      persistent: true,
      card: {
        summary: 'Sessions in the database (Django default engine).',
        persistence: 'Persistent: survives restarts of web workers and caches.',
        sharedAcrossProcesses: 'Yes, through the database.',
        sharedAcrossHosts: 'Yes, every host using the same database.',
        speed: 'A query per request that reads the session, and a write whenever it changes.',
        dependencies: 'A database driver and the migrated django_session table.',
        security: 'Session data is signed with SECRET_KEY and never leaves the server.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          'Expired rows accumulate: run `manage.py clearsessions` regularly (e.g. from cron).',
          "Horizon's SESSION_REFRESH (default True) makes every authenticated request an UPDATE.",
          'The Horizon docs call database sessions one of the slower session storages under heavy usage.',
          'Without the app, a DATABASES entry or the migration, the first request fails.',
        ],
        docsUrl: `${SESSIONS_DOCS}#using-database-backed-sessions`,
      },
    },
    {
      id: ENGINE_CACHED_DB,
      shortName: 'cached_db',
      stores: 'the django_session table, with a write-through copy in caches[SESSION_CACHE_ALIAS]',
      needs: [
        "everything the db engine needs (DATABASES['default'], 'django.contrib.sessions', migrate)",
        'a cache alias named by SESSION_CACHE_ALIAS that every worker shares (memcached or Redis)',
      ],
      usesSerializerForStorage: true,
      needsCache: true,
      needsDatabase: true,
      signedWithSecretKey: true,
      needsClearSessions: true,
      persistent: true,
      card: {
        summary: 'Write-through cache in front of database sessions.',
        persistence: 'Persistent: the database holds every session; a cache restart only costs speed.',
        sharedAcrossProcesses:
          'Yes, if the cache is shared (memcached/Redis); a per-process cache serves stale data.',
        sharedAcrossHosts: 'Yes, with a shared cache and the same database.',
        speed: 'Reads hit the cache first and fall back to the database; every save writes both.',
        dependencies: 'A database driver and the migrated table, plus a shared cache server.',
        security: 'Session data is signed with SECRET_KEY and stays on the server.',
        djangoVersions:
          'All supported Django versions; newer releases log cache write errors instead of raising.',
        notes: [
          'Over LocMemCache, one worker keeps serving its cached copy after another worker changed the session.',
          'Needs `manage.py clearsessions` like the db engine.',
          'Survives cache restarts, unlike the cache engine.',
        ],
        docsUrl: `${SESSIONS_DOCS}#using-cached-sessions`,
      },
    },
    {
      id: ENGINE_CACHE,
      shortName: 'cache',
      stores: 'only caches[SESSION_CACHE_ALIAS]',
      needs: ['a cache alias named by SESSION_CACHE_ALIAS, backed by memcached or Redis'],
      usesSerializerForStorage: false,
      needsCache: true,
      needsDatabase: false,
      signedWithSecretKey: false,
      needsClearSessions: false,
      persistent: 'depends',
      card: {
        summary: 'Sessions only in the cache (Horizon default since Stein).',
        persistence: 'Not persistent: eviction, a cache restart or crash logs users out.',
        sharedAcrossProcesses: 'Only if the cache is (memcached/Redis yes; LocMemCache no).',
        sharedAcrossHosts: 'Only if every host points at the same cache servers.',
        speed: 'Fastest: no database work at all.',
        dependencies: 'A cache server and its Python client (pymemcache, pylibmc, redis).',
        security:
          'Values are pickled by the cache backend and not signed; whoever can write to the cache can plant data.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          "Django's docs: use cache sessions only with the Memcached or Redis backends.",
          'No cleanup job is needed: entries expire with the session.',
          'SESSION_SERIALIZER is imported but not used for the stored value.',
          "Horizon's default since 15.0.0 (Stein), over memcached at 127.0.0.1:11211.",
        ],
        docsUrl: `${SESSIONS_DOCS}#using-cached-sessions`,
      },
    },
    {
      id: ENGINE_FILE,
      shortName: 'file',
      stores: 'one file per session in SESSION_FILE_PATH (default: the temp directory)',
      needs: [
        'an existing directory writable by the web server (SESSION_FILE_PATH)',
        'a periodic `manage.py clearsessions`',
      ],
      usesSerializerForStorage: true,
      needsCache: false,
      needsDatabase: false,
      signedWithSecretKey: true,
      needsClearSessions: true,
      persistent: true,
      card: {
        summary: 'Sessions as files on the local filesystem.',
        persistence: 'Persistent on that host (unless the directory is a tmpfs cleaned at boot).',
        sharedAcrossProcesses: 'Yes, on one host.',
        sharedAcrossHosts: 'No, unless the directory is on a shared filesystem.',
        speed: 'A file read per request and a file write per change.',
        dependencies: 'None besides a writable directory.',
        security: 'Session data is signed with SECRET_KEY; protect the directory from other users.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          'SESSION_FILE_PATH defaults to None, meaning tempfile.gettempdir().',
          'A directory that does not exist raises ImproperlyConfigured.',
          'Needs `manage.py clearsessions`.',
        ],
        docsUrl: `${SESSIONS_DOCS}#using-file-based-sessions`,
      },
    },
    {
      id: ENGINE_SIGNED_COOKIES,
      shortName: 'signed_cookies',
      stores: 'the session cookie itself, in the browser',
      needs: ['the same SECRET_KEY on every host (SECRET_KEY_FALLBACKS for rotation, Django ≥ 4.1)'],
      usesSerializerForStorage: true,
      needsCache: false,
      needsDatabase: false,
      signedWithSecretKey: true,
      needsClearSessions: false,
      persistent: true,
      card: {
        summary: 'Sessions stored client-side in a signed (not encrypted) cookie.',
        persistence: 'Lives in the browser until SESSION_COOKIE_AGE; nothing is stored on the server.',
        sharedAcrossProcesses: 'Yes (nothing to share).',
        sharedAcrossHosts: 'Yes, if every host has the same SECRET_KEY.',
        speed: 'No server storage; the whole session travels with every request.',
        dependencies: 'None.',
        security:
          'Readable by the client; not revoked at logout (valid until SESSION_COOKIE_AGE); with PickleSerializer a leaked SECRET_KEY means remote code execution.',
        djangoVersions: 'All supported Django versions (since 1.4).',
        notes: [
          'Browsers cap a cookie at about 4096 bytes; Horizon logs an error at 4093 bytes of cookies.',
          'Keystone v3 tokens often do not fit, which is why Horizon left this engine in Stein.',
          'With OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT, Horizon drops the domain token and disables identity operations.',
          'Horizon suggests it only for `tox -e runserver` development.',
        ],
        docsUrl: `${SESSIONS_DOCS}#using-cookie-based-sessions`,
      },
    },
  ],
  'session engines',
);
assertUnique(
  SESSION_ENGINES.map((e) => e.id),
  'session engines',
);

const BY_ID = new Map(SESSION_ENGINES.map((e) => [e.id, e] as const));
const BY_SHORT = new Map(SESSION_ENGINES.map((e) => [e.shortName, e] as const));

/** The engine record for a module path, or undefined (third-party or invalid engine). */
export function findSessionEngine(id: string): SessionEngine | undefined {
  return BY_ID.get(id.trim());
}

/** True for the five built-in engine module paths, exactly as Python would import them. */
export function isSessionEngine(value: string): boolean {
  return BY_ID.has(value);
}

const InvalidEngineSchema = z.strictObject({
  value: z.string().min(1),
  nearest: z.enum([ENGINE_DB, ENGINE_CACHED_DB, ENGINE_CACHE, ENGINE_FILE, ENGINE_SIGNED_COOKIES]),
  why: z.string().min(3),
});

/**
 * SESSION_ENGINE values that have appeared in documentation or bug reports and fail at import, with the
 * engine they were meant to be. Checked first by `nearestSessionEngine`.
 */
export const INVALID_SESSION_ENGINES: readonly z.infer<typeof InvalidEngineSchema>[] = validateData(
  z.array(InvalidEngineSchema),
  [
    {
      value: 'django.core.cache.backends.db.DatabaseCache',
      nearest: ENGINE_DB,
      why: "a cache BACKEND class, not a session engine (Horizon's from-source.rst since 2012)",
    },
    {
      value: 'django.contrib.sessions.backends.redis',
      nearest: ENGINE_CACHE,
      why: 'Django has no Redis session engine: use the cache engine over a Redis cache',
    },
    {
      value: 'django.contrib.sessions.backends.memcached',
      nearest: ENGINE_CACHE,
      why: 'memcached sessions are the cache engine over a memcached cache',
    },
    {
      value: 'django.contrib.sessions.backends.locmem',
      nearest: ENGINE_CACHE,
      why: 'local-memory sessions are the cache engine over LocMemCache',
    },
    {
      value: 'django.contrib.sessions.backends.database',
      nearest: ENGINE_DB,
      why: 'the module is called db',
    },
    {
      value: 'django.contrib.sessions.backends.cookies',
      nearest: ENGINE_SIGNED_COOKIES,
      why: 'the module is called signed_cookies',
    },
    {
      value: 'django.contrib.sessions.backends.cookie',
      nearest: ENGINE_SIGNED_COOKIES,
      why: 'the module is called signed_cookies',
    },
    {
      value: 'django.contrib.sessions.backends.files',
      nearest: ENGINE_FILE,
      why: 'the module is called file',
    },
    {
      value: 'django.contrib.sessions.backends.filebased',
      nearest: ENGINE_FILE,
      why: 'the module is called file',
    },
  ],
  'invalid session engines',
);
assertUnique(
  INVALID_SESSION_ENGINES.map((e) => e.value),
  'invalid session engines',
);
const INVALID_BY_VALUE = new Map(
  INVALID_SESSION_ENGINES.map((e) => [e.value.toLowerCase(), e.nearest] as const),
);

/**
 * The nearest valid engine module for a SESSION_ENGINE value (DSL101's fix).
 *
 * Returns the value itself when it already is a built-in engine, the intended engine for known mistakes
 * (a cache class such as `…db.DatabaseCache` → `…backends.db`; a class path such as
 * `…backends.cache.SessionStore` → its module; `…backends.redis` → `…backends.cache`), the closest engine
 * name for a misspelling under `django.contrib.sessions.backends.`, and `undefined` when nothing is close
 * (e.g. a third-party engine such as `redis_sessions.session`, which is not ours to judge).
 */
export function nearestSessionEngine(value: string): string | undefined {
  const v = value.trim();
  if (BY_ID.has(v)) return v;
  const lower = v.toLowerCase();
  const known = INVALID_BY_VALUE.get(lower);
  if (known) return known;

  if (lower.startsWith(SESSION_ENGINE_PREFIX)) {
    const tail = lower.slice(SESSION_ENGINE_PREFIX.length);
    const head = tail.split('.')[0] ?? '';
    // A class inside a real engine module (`…cache.SessionStore`): the module is what SESSION_ENGINE wants.
    const exact = BY_SHORT.get(head as SessionEngine['shortName']);
    if (exact) return exact.id;
    const aliased = INVALID_BY_VALUE.get(SESSION_ENGINE_PREFIX + head);
    if (aliased) return aliased;
    return engineForWord(head);
  }

  // A cache BACKEND (or cache module) pasted into SESSION_ENGINE: database/file caches map to the direct
  // engine (faster than caching through them, DSL107), every other cache to the cache engine.
  if (lower.startsWith(CACHE_BACKEND_PREFIX) || lower === 'django.core.cache') {
    const family = lower.slice(CACHE_BACKEND_PREFIX.length).split('.')[0] ?? '';
    if (family === 'db') return ENGINE_DB;
    if (family === 'filebased') return ENGINE_FILE;
    return ENGINE_CACHE;
  }
  if (/^(django_redis|redis_cache|django_pylibmc|djpymemcache)\./.test(lower)) return ENGINE_CACHE;

  // A bare engine name (`'cache'`, `'signed_cookies'`) without the module prefix.
  const bare = BY_SHORT.get(lower as SessionEngine['shortName']);
  return bare?.id;
}

function engineForWord(word: string): string | undefined {
  const normalized = word.replace(/[^a-z]/g, '');
  if (normalized === '') return undefined;
  const hit = SESSION_ENGINES.find((e) => e.shortName.replace(/_/g, '') === normalized);
  if (hit) return hit.id;
  const short = closestMatch(
    word,
    SESSION_ENGINES.map((e) => e.shortName),
    3,
  );
  return short === undefined ? undefined : BY_SHORT.get(short as SessionEngine['shortName'])?.id;
}
