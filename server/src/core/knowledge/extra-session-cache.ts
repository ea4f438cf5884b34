/** Names DSL102–DSL109 need that the shared knowledge tables do not carry yet (CACHES entry keys, option names, django-redis client classes); constants only, no rule logic. */
import {
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
/** Loopback address the memcached entries written by fixes point at (one memcached next to the dashboard). */
export const LOOPBACK_HOST = '127.0.0.1';
