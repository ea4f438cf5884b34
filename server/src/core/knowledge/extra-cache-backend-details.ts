/** Names and facts DSL110–DSL119 need that the shared knowledge tables do not carry (entry keys, legacy entry params, memcached key rules, Redis URL forms, legacy CACHE_BACKEND URIs, Django check ids); constants only, no rule logic. */
import { DATABASE_CACHE, DJANGO_REDIS, DUMMY, FILEBASED, LOCMEM } from './names';

// Keys of one CACHES entry besides BACKEND/LOCATION/OPTIONS (those live in extra-session-cache.ts), as read by
// DJ52 core/cache/backends/base.py BaseCache.__init__.
export const CACHE_KEY_TIMEOUT = 'TIMEOUT';
export const CACHE_KEY_KEY_PREFIX = 'KEY_PREFIX';
export const CACHE_KEY_VERSION = 'VERSION';
export const CACHE_KEY_KEY_FUNCTION = 'KEY_FUNCTION';
/** BaseCache's default VERSION (DJ52 base.py `params.get("VERSION", 1)`). */
export const DEFAULT_CACHE_VERSION = 1;

/**
 * Lower-case entry keys BaseCache.__init__ still reads next to the documented ones (DJ52 base.py:
 * `params.get("timeout", …)`, `params.get("max_entries", …)`, `params.get("cull_frequency", …)`), left over
 * from the CACHE_BACKEND URI era. They work, so they are not unknown keys.
 */
export const CACHE_ENTRY_LEGACY_PARAMS: readonly string[] = ['timeout', 'max_entries', 'cull_frequency'];

/** Entry keys a backend reads itself besides BaseCache's (django-redis DefaultClient: `params.get("REVERSE_KEY_FUNCTION")`). */
export const BACKEND_EXTRA_ENTRY_KEYS: Readonly<Record<string, readonly string[]>> = {
  [DJANGO_REDIS]: ['REVERSE_KEY_FUNCTION'],
};

/** pymemcache HashClient option that turns server errors into cache misses (KA bug #2106557). */
export const OPTION_IGNORE_EXC = 'ignore_exc';
/**
 * The earliest Django whose cached_db engine logs cache errors instead of raising them (PR #17220, #34806).
 * The exact release is unverified (domain §9); the PR postdates 4.2, so 5.0 is the earliest it can be, and
 * rules treat targets from here on as tolerant (the less alarming reading).
 */
export const CACHED_DB_TOLERATES_CACHE_ERRORS_FROM = '5.0';
/** Culling option of locmem/filebased/db caches (DJ52 base.py `options.get("CULL_FREQUENCY", 3)`). */
export const OPTION_CULL_FREQUENCY = 'CULL_FREQUENCY';

/** django-redis splits a string LOCATION on ',' only (DR client/default.py `self._server.split(",")`), unlike Django's `[;,]`. */
export const DJANGO_REDIS_LOCATION_SEPARATORS_RE = /,/;

/** The URL forms DSL110's fix writes (redis-py `from_url`). */
export const REDIS_URL_SCHEME = 'redis://';
export const REDIS_UNIX_URL_SCHEME = 'unix://';
/** Query parameter selecting the database in a `unix://` URL (redis-py parse_url). */
export const REDIS_URL_DB_PARAM = 'db';
/** Prefix of the old django-redis socket form `unix:/path/to/socket:db` (DR tag 3.7.2 docs). */
export const LEGACY_REDIS_UNIX_PREFIX = 'unix:';
/** The exception redis-py raises for a LOCATION without a scheme (§1.1, verified run). */
export const REDIS_SCHEME_ERROR = 'Redis URL must specify one of the following schemes';

/** URL scheme some users carry over from CACHE_BACKEND URIs into a memcached LOCATION (`memcached://h:p/`). */
export const LEGACY_MEMCACHED_URI_SCHEME = 'memcached://';

/** Characters Django's memcached backends reject in a key (DJ52 base.py `memcached_error_chars_re`). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: memcached rejects them
export const MEMCACHE_INVALID_KEY_CHARS_RE = /[\x00-\x20\x7f]/;
/** What Django's memcached backends raise for an invalid key (DJ52 memcached.py validate_key). */
export const INVALID_CACHE_KEY_ERROR = 'InvalidCacheKey';

/** Django's system checks that DSL116 mirrors (DJ52 core/checks/caches.py). */
export const CHECK_CACHES_W002 = 'caches.W002';
export const CHECK_CACHES_W003 = 'caches.W003';

/**
 * Backends of the pre-Django-1.3 `CACHE_BACKEND = 'scheme://host/?params'` setting (Django 1.2
 * `core/cache/__init__.py` BACKENDS and `parse_backend_uri`). `memcached` has no single class today: the
 * converter picks the binding that exists in the target Django.
 */
export const LEGACY_CACHE_URI_BACKENDS: Readonly<Record<string, string>> = {
  locmem: LOCMEM,
  file: FILEBASED,
  db: DATABASE_CACHE,
  dummy: DUMMY,
  memcached: 'memcached',
};
export const LEGACY_CACHE_URI_MEMCACHED = 'memcached';
/** Query parameters a CACHE_BACKEND URI could carry (Django 1.2 BaseCache: timeout, max_entries, cull_frequency). */
export const LEGACY_CACHE_URI_TIMEOUT = 'timeout';
export const LEGACY_CACHE_URI_MAX_ENTRIES = 'max_entries';
export const LEGACY_CACHE_URI_CULL_FREQUENCY = 'cull_frequency';
/** Memcached servers in a CACHE_BACKEND URI host part were separated by ';' (Django 1.2 memcached backend). */
export const LEGACY_CACHE_URI_SERVER_SEPARATOR = ';';
/** The Django release that stopped reading CACHE_BACKEND (deprecated 1.3 when CACHES arrived). */
export const CACHE_BACKEND_REMOVED_IN = '1.5';

/** Where Django's file session engine falls back to when SESSION_FILE_PATH is unset (DJ52 file.py). */
export const SESSION_FILE_PATH_FALLBACK = 'tempfile.gettempdir()';
