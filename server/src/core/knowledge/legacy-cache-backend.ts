/** The pre-Django-1.3 `CACHE_BACKEND = 'scheme://host/?params'` setting (DSL119 converts it): its backends, parameters and end. */
import { DATABASE_CACHE, DUMMY, FILEBASED, LOCMEM } from './names';

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
