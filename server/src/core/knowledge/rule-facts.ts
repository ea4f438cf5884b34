/** Facts and names the rules need beyond the main tables (entry keys, option names, env-variable naming, legacy URI forms); constants and tiny pure helpers only. */
import { type HorizonRelease } from './horizon-releases';
import {
  CACHES,
  DATABASES,
  DATABASE_CACHE,
  DEFAULT_ALIAS,
  DJANGO_REDIS,
  DJANGO_REDIS_DEFAULT_CLIENT,
  DJANGO_REDIS_HERD_CLIENT,
  DJANGO_REDIS_SENTINEL_CLIENT,
  DJANGO_REDIS_SHARD_CLIENT,
  DUMMY,
  FILEBASED,
  HORIZON_SERIALIZER,
  LOCATION_SEPARATORS_RE,
  LOCMEM,
  MEMCACHED_CACHE,
  PYLIBMC,
  PYMEMCACHE,
  SESSIONS_APP,
  SESSION_MIDDLEWARE,
  type SIMULTANEOUS_SESSIONS_VALUES,
} from './names';
import { findSessionSerializer } from './serializers';
import { compareVersions, version } from './versions';

// ---- from session-cache rules
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
/** Loopback address the memcached entries written by fixes point at (one memcached next to the dashboard). */
export const LOOPBACK_HOST = '127.0.0.1';

// ---- from cache-backend-details rules
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

/**
 * SESSION_FILE_PATH values that are explicit yet exactly the temporary directory's problems (DSL115): the
 * system temp directories (world-writable, shared with every local user, emptied by systemd's PrivateTmp on
 * every restart and by tmpfiles cleaning) and RAM-backed /dev/shm. Compared after removing trailing slashes.
 */
export const TEMPORARY_DIRECTORIES: readonly string[] = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm'];

/**
 * Settings whose value must be a number, and the rule that judges them: an environment lookup without a cast
 * (`os.environ.get('X', 3600)`) is a str whenever the variable is set, so the lookup itself is the finding.
 */
export const NUMERIC_SETTINGS: Readonly<Record<string, { readonly rule: string; readonly cast: 'int' }>> = {
  SESSION_TIMEOUT: { rule: 'DSL405', cast: 'int' },
};

// ---- from serializer-db rules
// Keys of one DATABASES entry that rules read by name (§4; the full list is DATABASE_ENTRY_KEYS).
export const DB_KEY_ENGINE = 'ENGINE';
export const DB_KEY_NAME = 'NAME';
export const DB_KEY_USER = 'USER';
export const DB_KEY_PASSWORD = 'PASSWORD';
export const DB_KEY_HOST = 'HOST';
export const DB_KEY_PORT = 'PORT';
export const DB_KEY_OPTIONS = 'OPTIONS';
export const DB_KEY_TEST = 'TEST';
/** DATABASES keys that a documentation placeholder is often left in (DSL123). */
export const DB_PLACEHOLDER_KEYS: readonly string[] = [
  DB_KEY_NAME,
  DB_KEY_USER,
  DB_KEY_PASSWORD,
  DB_KEY_HOST,
];
/** Of those, the ones whose value is a secret and must be masked in messages. */
export const DB_SECRET_KEYS: readonly string[] = [DB_KEY_PASSWORD];

/**
 * OPTIONS keys that carry a password: django-redis `PASSWORD` (DR README), redis-py's and pylibmc's
 * `password` keyword (Django passes OPTIONS through as client kwargs, §3.3), MySQLdb's `password`/`passwd`
 * and psycopg's `password` in a DATABASES entry's OPTIONS (which take precedence over PASSWORD, §4).
 */
export const CACHE_OPTIONS_PASSWORD_KEYS: readonly string[] = ['PASSWORD', 'password'];
export const DB_OPTIONS_PASSWORD_KEYS: readonly string[] = ['password', 'passwd'];

/** MySQL OPTIONS key for the connection character set (passed to MySQLdb.connect, §1.3). */
export const MYSQL_CHARSET_OPTION = 'charset';

/** The AppConfig path of the sessions app: listing it in INSTALLED_APPS counts as listing the app. */
export const SESSIONS_APP_CONFIG = `${SESSIONS_APP}.apps.SessionsConfig`;

/** MySQL's default TCP port, the visible default of the DATABASES snippet (DSL303). */
export const MYSQL_DEFAULT_PORT = '3306';
/** Visible defaults of the DSL303 snippet: the database/user name Horizon's guide creates (`dash`), a neutral one elsewhere, and the local server. */
export const SNIPPET_DB_NAME_HORIZON = 'dash';
export const SNIPPET_DB_NAME_DJANGO = 'django';
export const SNIPPET_DB_HOST = 'localhost';

/** The module the credential fixes read the environment through (`os.environ["…"]`). */
export const OS_MODULE = 'os';

// ---------------------------------------------------------------------------------------------------------
// Environment variables the credential fixes (DSL124) and the DATABASES snippet (DSL303) read. These are
// this linter's suggestions, not names Django or Horizon define; one variable per alias so that several
// databases or caches never share a secret by accident.
// ---------------------------------------------------------------------------------------------------------

const ENV_PREFIX = 'DJANGO_';

/** `default` → ``; `sessions-store` → `SESSIONS_STORE_`. */
function aliasPart(alias: string): string {
  if (alias === DEFAULT_ALIAS) return '';
  const cleaned = alias
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned === '' ? '' : `${cleaned}_`;
}

/** `DJANGO_DB_PASSWORD` for the default database, `DJANGO_DB_REPLICA_PASSWORD` for alias `replica`. */
export function databaseEnvVar(alias: string, what: 'PASSWORD' | 'NAME' | 'USER' | 'HOST' | 'PORT'): string {
  return `${ENV_PREFIX}DB_${aliasPart(alias)}${what}`;
}

/**
 * `DJANGO_CACHE_PASSWORD` / `DJANGO_CACHE_LOCATION` for the default cache, `DJANGO_CACHE_SESSIONS_LOCATION`
 * for alias `sessions`; `index` (1-based) tells the entries of a LOCATION list apart.
 */
export function cacheEnvVar(alias: string, what: 'PASSWORD' | 'LOCATION', index?: number): string {
  return `${ENV_PREFIX}CACHE_${aliasPart(alias)}${what}${index === undefined ? '' : `_${index}`}`;
}

// ---------------------------------------------------------------------------------------------------------
// Cache server addresses (§3.3 LOCATION formats) for DSL124 (password in a URL) and DSL126 (loopback).
// ---------------------------------------------------------------------------------------------------------

/** Host names that always mean "this machine" (RFC 6761 §6.3 for `localhost`). */
export const LOOPBACK_HOST_NAMES: readonly string[] = [
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
];

/** True for `localhost`, any 127.0.0.0/8 address, and `::1` (in any spelling of that IPv6 address). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (LOOPBACK_HOST_NAMES.includes(h) || h.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1';
}

/** One server of a LOCATION: a host (with the password found in a URL's userinfo, if any) or a local socket. */
export type CacheServer =
  | { readonly kind: 'host'; readonly host: string; readonly password?: string | undefined }
  | { readonly kind: 'socket'; readonly password?: string | undefined };

const URL_SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Parses one LOCATION server: `host:port`, `[v6]:port`, `inet6:[v6]:port`, `unix:/path`, `/path`,
 * `redis://[user[:password]@]host:port/db`, `rediss://…`, `unix:///path?db=0`. Undefined when empty.
 */
export function parseCacheServer(entry: string): CacheServer | undefined {
  let rest = entry.trim();
  if (rest === '') return undefined;
  const scheme = URL_SCHEME_RE.exec(rest);
  let password: string | undefined;
  if (scheme) {
    const isUnix = scheme[0].toLowerCase() === 'unix://';
    rest = rest.slice(scheme[0].length);
    // The userinfo ends at the last '@', so a password holding '@', '/' or ':' still counts as one password.
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) password = userinfo.slice(colon + 1);
      rest = rest.slice(at + 1);
    }
    if (isUnix) return { kind: 'socket', password };
    rest = rest.split(/[/?#]/)[0] ?? '';
  } else {
    if (/^unix:/i.test(rest) || rest.startsWith('/')) return { kind: 'socket' };
    rest = rest.replace(/^inet6:/i, '');
  }
  const v6 = /^\[([^\]]*)\]/.exec(rest);
  const host = v6 ? (v6[1] ?? '') : (rest.split(':')[0] ?? '');
  return { kind: 'host', host, password };
}

/** The servers of a string LOCATION; Django splits memcached/redis strings on `;` and `,` (§3.3). */
export function cacheServers(location: string): CacheServer[] {
  return location
    .split(LOCATION_SEPARATORS_RE)
    .map(parseCacheServer)
    .filter((s): s is CacheServer => s !== undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Serializers per Horizon release (§2.1).
// ---------------------------------------------------------------------------------------------------------

/**
 * Whether a Horizon release band ships `openstack_auth.serializers.HorizonSerializer` (25.6.0 and later):
 * true/false for a known band, undefined without one. Bands never straddle 25.6.0, so the band's first
 * version decides; the pre-Stein band has none and is older.
 */
export function horizonHasHorizonSerializer(release: HorizonRelease | undefined): boolean | undefined {
  const since = findSessionSerializer(HORIZON_SERIALIZER)?.horizonSince;
  if (!release || since === undefined) return undefined;
  if (release.firstVersion === undefined) return false;
  return compareVersions(version(release.firstVersion), version(since)) >= 0;
}

/** The first Horizon version with HorizonSerializer, for messages (`25.6.0`). */
export const HORIZON_SERIALIZER_SINCE: string = (() => {
  const since = findSessionSerializer(HORIZON_SERIALIZER)?.horizonSince;
  if (since === undefined) throw new Error('knowledge: HorizonSerializer has no horizonSince');
  return since;
})();

// ---- from horizon-security rules
/** Setting that moves the CSRF token into the session: no CSRF cookie, so security.W016 does not apply. */
export const CSRF_USE_SESSIONS = 'CSRF_USE_SESSIONS';
/** Django's global_settings default of CSRF_USE_SESSIONS (not in DJANGO_DEFAULTS, which other rules own). */
export const CSRF_USE_SESSIONS_DEFAULT = false;
/** The middleware whose presence makes security.W016 look at CSRF_COOKIE_SECURE (DJ52 checks/security/csrf.py). */
export const CSRF_VIEW_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';

/**
 * Middleware Horizon's own settings.py lists on every branch from Stein on, besides the ones recorded in the
 * release table (which lists only what session rules need, so it is a partial list): Horizon's MIDDLEWARE
 * tuple has CsrfViewMiddleware next to SessionMiddleware.
 */
export const HORIZON_DEFAULT_MIDDLEWARE_ALSO: readonly string[] = [SESSION_MIDDLEWARE, CSRF_VIEW_MIDDLEWARE];

/** DSL404 watches every SESSION_* setting (Django's and Horizon's) … */
export const SESSION_SETTING_PREFIX = 'SESSION_';
/** … and these, whose override by a snippet silently changes where sessions live. */
export const SNIPPET_OVERRIDE_WATCHED: readonly string[] = [CACHES, DATABASES];

/** The value of SIMULTANEOUS_SESSIONS that Horizon acts on; every other value behaves as `allow` (§2.3). */
export const SIMULTANEOUS_SESSIONS_ALLOW: (typeof SIMULTANEOUS_SESSIONS_VALUES)[number] = 'allow';
export const SIMULTANEOUS_SESSIONS_DISCONNECT: (typeof SIMULTANEOUS_SESSIONS_VALUES)[number] = 'disconnect';

/** What Django 4.0+ requires inside every CSRF_TRUSTED_ORIGINS entry (4_0.E001 tests `"://" not in origin`). */
export const URL_SCHEME_SEPARATOR = '://';
/**
 * Scheme the DSL506 fix adds: before Django 4.0 a scheme-less entry was only compared with the Referer of
 * HTTPS requests, so `https://` keeps what the entry used to do.
 */
export const CSRF_ORIGIN_DEFAULT_SCHEME = 'https://';
/** Pre-4.0 subdomain form (`.example.com`); Django 4.0+ writes it `https://*.example.com`. */
export const CSRF_ORIGIN_OLD_SUBDOMAIN_PREFIX = '.';
export const CSRF_ORIGIN_WILDCARD = '*';

// ---- fixes that can load where the settings run (DSL104)
/** Memcached backends a fix may write, in order of preference: maintained client first, the legacy one last. */
export const MEMCACHED_FIX_BACKENDS: readonly string[] = [PYMEMCACHE, PYLIBMC, MEMCACHED_CACHE];

/**
 * Debian 12 (bookworm) packages of the cache client libraries, by import name (packages.debian.org:
 * python3-pymemcache 3.5.2, python3-memcache 1.59 = python-memcached, which openstack-dashboard depends on,
 * python3-pylibmc, python3-redis, python3-django-redis).
 */
export const DEBIAN_CLIENT_PACKAGES: Readonly<Record<string, string>> = {
  pymemcache: 'python3-pymemcache',
  memcache: 'python3-memcache',
  pylibmc: 'python3-pylibmc',
  redis: 'python3-redis',
  django_redis: 'python3-django-redis',
};

/**
 * How a packaged override snippet says that commenting it out restores local_settings.py's cache: Debian's
 * `_0006_debian_cache.py` ("If you comment config below, memcached will be used from local_settings.py").
 */
export const OVERRIDE_SNIPPET_MARKER =
  /if you comment (?:the )?config(?:uration)? below,?[\s#]*memcached will be used from[\s#]*local_settings\.py/i;

/** Cache families that share sessions across processes and hosts (a "working shared cache"). */
export const SHARED_CACHE_FAMILIES: readonly string[] = ['memcached', 'redis', 'database'];
