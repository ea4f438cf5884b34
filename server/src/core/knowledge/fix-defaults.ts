/**
 * What fixes and the "switch session storage" command write: local servers, suggested directories, the
 * environment variables credentials move to, the backend a memcached fix prefers and the Debian packages
 * that provide each client. These are this linter's choices, not Django's or Horizon's defaults.
 */
import { DEFAULT_MEMCACHED_PORT, DEFAULT_REDIS_PORT } from './cache-backends';
import { DEFAULT_MYSQL_PORT, DEFAULT_POSTGRESQL_PORT } from './database-entries';
import { DEFAULT_ALIAS, MEMCACHED_CACHE, PYLIBMC, PYMEMCACHE } from './names';

/** Loopback address the memcached entries written by fixes point at (one memcached next to the dashboard). */
export const LOOPBACK_HOST = '127.0.0.1';
/** The memcached server fixes and the storage switch write (`127.0.0.1:11211`). */
export const LOCAL_MEMCACHED_LOCATION = `${LOOPBACK_HOST}:${DEFAULT_MEMCACHED_PORT}`;
/** The Redis server and database the storage switch writes and DSL110's messages suggest (`redis://127.0.0.1:6379/1`). */
export const LOCAL_REDIS_LOCATION = `redis://${LOOPBACK_HOST}:${DEFAULT_REDIS_PORT}/1`;
/** The DATABASES PORTs the storage switch writes (strings, as Django's own examples write them). */
export const LOCAL_DB_PORTS = {
  mysql: String(DEFAULT_MYSQL_PORT),
  postgresql: String(DEFAULT_POSTGRESQL_PORT),
} as const;
/** A private, absolute FileBasedCache directory DSL116 suggests (outside every served tree). */
export const SUGGESTED_FILEBASED_CACHE_DIR = '/var/tmp/django_cache';
/** SESSION_FILE_PATH the storage switch writes: Horizon's packaged state directory, or a neutral one. */
export const SESSION_FILE_DIR_HORIZON = '/var/lib/openstack-dashboard/sessions';
export const SESSION_FILE_DIR_DJANGO = '/var/lib/django/sessions';

/** MySQL's default TCP port, the visible default of the DATABASES snippet (DSL303). */
export const MYSQL_DEFAULT_PORT = LOCAL_DB_PORTS.mysql;
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
