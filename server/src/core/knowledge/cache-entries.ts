/** Keys and OPTIONS of one CACHES entry, and the errors and checks Django and the cache clients raise about them (facts, no rule logic). */
import {
  DJANGO_REDIS,
  DJANGO_REDIS_DEFAULT_CLIENT,
  DJANGO_REDIS_HERD_CLIENT,
  DJANGO_REDIS_SENTINEL_CLIENT,
  DJANGO_REDIS_SHARD_CLIENT,
} from './names';

// Keys of one CACHES entry (DJ52 core/cache/backends/base.py::__init__, CacheHandler.create_connection).
export const CACHE_KEY_BACKEND = 'BACKEND';
export const CACHE_KEY_LOCATION = 'LOCATION';
export const CACHE_KEY_OPTIONS = 'OPTIONS';

/** django-redis OPTIONS key naming the client implementation (DR README). */
export const OPTION_CLIENT_CLASS = 'CLIENT_CLASS';
/** Culling threshold of locmem/filebased/db caches and its default (DJ52 base.py: `_max_entries = 300`). */
export const OPTION_MAX_ENTRIES = 'MAX_ENTRIES';
export const DEFAULT_MAX_ENTRIES = 300;

/**
 * Current django-redis client classes by class name. django-redis < 3.8 shipped the same classes under
 * `redis_cache.client.` (DR tag 3.7.2), so a legacy CLIENT_CLASS maps to the class of the same name.
 */
export const DJANGO_REDIS_CLIENTS_BY_NAME: Readonly<Record<string, string>> = {
  DefaultClient: DJANGO_REDIS_DEFAULT_CLIENT,
  HerdClient: DJANGO_REDIS_HERD_CLIENT,
  ShardClient: DJANGO_REDIS_SHARD_CLIENT,
  SentinelClient: DJANGO_REDIS_SENTINEL_CLIENT,
};

/** Exception Django raises when a BACKEND cannot be imported or an alias is missing (DJ52 core/cache/__init__.py). */
export const INVALID_CACHE_BACKEND_ERROR = 'InvalidCacheBackendError';
/** Django's system check for a missing 'default' cache (DJ52 core/checks/caches.py). */
export const CHECK_CACHES_E001 = 'caches.E001';

/** pymemcache option that turns server errors into cache misses (KA bug #2106557; DSL113 asks for it). */
export const OPTION_IGNORE_EXC = 'ignore_exc';
// Keys of one CACHES entry besides BACKEND/LOCATION/OPTIONS, as read by
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
/** The exception redis-py raises for a LOCATION without a scheme (verified run). */
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
 * OPTIONS keys that carry a password: django-redis `PASSWORD` (DR README), redis-py's and pylibmc's
 * `password` keyword (Django passes OPTIONS through as client kwargs), MySQLdb's `password`/`passwd`
 * and psycopg's `password` in a DATABASES entry's OPTIONS (which take precedence over PASSWORD).
 */
export const CACHE_OPTIONS_PASSWORD_KEYS: readonly string[] = ['PASSWORD', 'password'];
