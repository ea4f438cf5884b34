/** Every Django/Horizon string the linter knows by name (settings, module paths, classes, prefixes); constants only, no logic. */

// ---------------------------------------------------------------------------------------------------------
// Setting names. Rules refer to settings through these so a typo is a compile error, not a silent miss.
// ---------------------------------------------------------------------------------------------------------

export const SESSION_ENGINE = 'SESSION_ENGINE';
export const SESSION_CACHE_ALIAS = 'SESSION_CACHE_ALIAS';
export const SESSION_SERIALIZER = 'SESSION_SERIALIZER';
export const SESSION_FILE_PATH = 'SESSION_FILE_PATH';
export const SESSION_COOKIE_NAME = 'SESSION_COOKIE_NAME';
export const SESSION_COOKIE_AGE = 'SESSION_COOKIE_AGE';
export const SESSION_COOKIE_DOMAIN = 'SESSION_COOKIE_DOMAIN';
export const SESSION_COOKIE_PATH = 'SESSION_COOKIE_PATH';
export const SESSION_COOKIE_SECURE = 'SESSION_COOKIE_SECURE';
export const SESSION_COOKIE_HTTPONLY = 'SESSION_COOKIE_HTTPONLY';
export const SESSION_COOKIE_SAMESITE = 'SESSION_COOKIE_SAMESITE';
export const SESSION_SAVE_EVERY_REQUEST = 'SESSION_SAVE_EVERY_REQUEST';
export const SESSION_EXPIRE_AT_BROWSER_CLOSE = 'SESSION_EXPIRE_AT_BROWSER_CLOSE';
export const CACHES = 'CACHES';
export const DATABASES = 'DATABASES';
export const CSRF_COOKIE_SECURE = 'CSRF_COOKIE_SECURE';
export const CSRF_TRUSTED_ORIGINS = 'CSRF_TRUSTED_ORIGINS';
export const SECRET_KEY = 'SECRET_KEY';
export const SECRET_KEY_FALLBACKS = 'SECRET_KEY_FALLBACKS';
export const INSTALLED_APPS = 'INSTALLED_APPS';
export const MIDDLEWARE = 'MIDDLEWARE';
export const STATIC_ROOT = 'STATIC_ROOT';
export const MEDIA_ROOT = 'MEDIA_ROOT';
export const STATICFILES_DIRS = 'STATICFILES_DIRS';
export const DEBUG = 'DEBUG';
export const ALLOWED_HOSTS = 'ALLOWED_HOSTS';
/** Pre-Django-1.3 URI cache setting; ignored by every supported Django (DSL119). */
export const CACHE_BACKEND = 'CACHE_BACKEND';
/** Belongs inside a DATABASES entry; at module level Django ignores it (DSL125). */
export const CONN_MAX_AGE = 'CONN_MAX_AGE';

// Horizon-only settings.
export const SESSION_TIMEOUT = 'SESSION_TIMEOUT';
export const SESSION_REFRESH = 'SESSION_REFRESH';
export const SESSION_COOKIE_MAX_SIZE = 'SESSION_COOKIE_MAX_SIZE';
export const SIMULTANEOUS_SESSIONS = 'SIMULTANEOUS_SESSIONS';
export const OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = 'OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT';
export const TOKEN_TIMEOUT_MARGIN = 'TOKEN_TIMEOUT_MARGIN';

// django-redis global settings (DR README).
export const DJANGO_REDIS_IGNORE_EXCEPTIONS = 'DJANGO_REDIS_IGNORE_EXCEPTIONS';
export const DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = 'DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS';
export const DJANGO_REDIS_LOGGER = 'DJANGO_REDIS_LOGGER';
export const DJANGO_REDIS_CONNECTION_FACTORY = 'DJANGO_REDIS_CONNECTION_FACTORY';

/** The alias Django requires in CACHES and DATABASES, and the default of SESSION_CACHE_ALIAS. */
export const DEFAULT_ALIAS = 'default';

// ---------------------------------------------------------------------------------------------------------
// Session engines: SESSION_ENGINE takes a *module* path, not a class.
// ---------------------------------------------------------------------------------------------------------

export const SESSION_ENGINE_PREFIX = 'django.contrib.sessions.backends.';
export const ENGINE_DB = 'django.contrib.sessions.backends.db';
export const ENGINE_CACHED_DB = 'django.contrib.sessions.backends.cached_db';
export const ENGINE_CACHE = 'django.contrib.sessions.backends.cache';
export const ENGINE_FILE = 'django.contrib.sessions.backends.file';
export const ENGINE_SIGNED_COOKIES = 'django.contrib.sessions.backends.signed_cookies';

/** The app that owns the `django_session` table (needed by db/cached_db). */
export const SESSIONS_APP = 'django.contrib.sessions';
export const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';
export const HORIZON_SIMULTANEOUS_SESSIONS_MIDDLEWARE = 'horizon.middleware.SimultaneousSessionsMiddleware';

/** Key prefixes the session engines use inside the cache (DJ52 `cache.py`, `cached_db.py` KEY_PREFIX). */
export const SESSION_CACHE_KEY_PREFIX = 'django.contrib.sessions.cache';
export const SESSION_CACHED_DB_KEY_PREFIX = 'django.contrib.sessions.cached_db';
/** Length of a generated session key (`get_random_string(32, …)`). */
export const SESSION_KEY_LENGTH = 32;

// ---------------------------------------------------------------------------------------------------------
// Session serializers.
// ---------------------------------------------------------------------------------------------------------

export const PICKLE_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer';
export const JSON_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer';
export const HORIZON_SERIALIZER = 'openstack_auth.serializers.HorizonSerializer';

// ---------------------------------------------------------------------------------------------------------
// Cache backends: BACKEND takes a *class* path.
// ---------------------------------------------------------------------------------------------------------

export const CACHE_BACKEND_PREFIX = 'django.core.cache.backends.';
export const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';
export const DUMMY = 'django.core.cache.backends.dummy.DummyCache';
export const FILEBASED = 'django.core.cache.backends.filebased.FileBasedCache';
export const DATABASE_CACHE = 'django.core.cache.backends.db.DatabaseCache';
/** python-memcached binding: deprecated in Django 3.2, removed in 4.1. */
export const MEMCACHED_CACHE = 'django.core.cache.backends.memcached.MemcachedCache';
export const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';
export const PYLIBMC = 'django.core.cache.backends.memcached.PyLibMCCache';
export const DJANGO_REDIS_BUILTIN = 'django.core.cache.backends.redis.RedisCache';
/** jazzband django-redis (module `django_redis` since 3.8.0). */
export const DJANGO_REDIS = 'django_redis.cache.RedisCache';
/**
 * `redis_cache.cache.RedisCache`: the django-redis < 3.8 path used by the seed page, and also a back-compat
 * re-export in sebleier's django-redis-cache. Either way it is not what current django-redis provides.
 */
export const LEGACY_REDIS_CACHE = 'redis_cache.cache.RedisCache';
/** sebleier django-redis-cache (unmaintained, redis < 4). */
export const REDIS_CACHE_SEBLEIER = 'redis_cache.RedisCache';
export const REDIS_CACHE_SEBLEIER_SHARDED = 'redis_cache.ShardedRedisCache';
/** django-pylibmc (README: Django 1.7–1.9). */
export const DJANGO_PYLIBMC = 'django_pylibmc.memcached.PyLibMCCache';
/** django-pymemcache 1.0.0, predates Django's own PyMemcacheCache. */
export const DJPYMEMCACHE = 'djpymemcache.backend.PyMemcacheCache';

/** Prefix of the old django-redis package (removed in django-redis 4.0); CLIENT_CLASS under it fails (DSL109). */
export const LEGACY_REDIS_CACHE_MODULE_PREFIX = 'redis_cache.';
export const DJANGO_REDIS_DEFAULT_CLIENT = 'django_redis.client.DefaultClient';
export const DJANGO_REDIS_HERD_CLIENT = 'django_redis.client.HerdClient';
export const DJANGO_REDIS_SHARD_CLIENT = 'django_redis.client.ShardClient';
export const DJANGO_REDIS_SENTINEL_CLIENT = 'django_redis.client.SentinelClient';

/** URL schemes redis-py's `from_url` accepts; anything else in a Redis LOCATION fails. */
export const REDIS_URL_SCHEMES = ['redis://', 'rediss://', 'unix://'] as const;
/** python-memcached's IPv6 marker, which pymemcache/pylibmc mis-parse. */
export const MEMCACHED_INET6_PREFIX = 'inet6:';
/** Django splits memcached/redis string LOCATIONs on these (DJ32 + DJ52 `re.split("[;,]", server)`). */
export const LOCATION_SEPARATORS_RE = /[;,]/;

// ---------------------------------------------------------------------------------------------------------
// Databases.
// ---------------------------------------------------------------------------------------------------------

export const DB_ENGINE_PREFIX = 'django.db.backends.';
export const DB_POSTGRESQL = 'django.db.backends.postgresql';
export const DB_MYSQL = 'django.db.backends.mysql';
export const DB_SQLITE3 = 'django.db.backends.sqlite3';
export const DB_ORACLE = 'django.db.backends.oracle';
/** What Django uses when DATABASES is `{}`: every query raises ImproperlyConfigured. */
export const DB_DUMMY = 'django.db.backends.dummy';
/** Removed alias of `postgresql` (absent in DJ32 and DJ52). */
export const DB_POSTGRESQL_PSYCOPG2 = 'django.db.backends.postgresql_psycopg2';

// ---------------------------------------------------------------------------------------------------------
// Cookies and secrets.
// ---------------------------------------------------------------------------------------------------------

/** Valid SESSION_COOKIE_SAMESITE strings (compared case-insensitively by Django, DJ52 http/response.py). */
export const SAMESITE_VALUES = ['Lax', 'Strict', 'None'] as const;
/** Prefix of keys made by `startproject`; security.W009 treats them as weak. */
export const DJANGO_INSECURE_KEY_PREFIX = 'django-insecure-';
export const SECRET_KEY_MIN_LENGTH = 50;
export const SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5;

// ---------------------------------------------------------------------------------------------------------
// Horizon values and files.
// ---------------------------------------------------------------------------------------------------------

/** Values SIMULTANEOUS_SESSIONS recognises; anything else behaves like 'allow'. */
export const SIMULTANEOUS_SESSIONS_VALUES = ['allow', 'disconnect'] as const;
export const LOCAL_SETTINGS_DIR = 'local_settings.d';
/** Debian's snippet that forces LocMemCache over whatever local_settings.py says. */
export const DEBIAN_CACHE_SNIPPET = '_0006_debian_cache.py';
/**
 * kolla-ansible (≥ 18.0.0, 2024.1): the snippet it renders from its role template into /etc/kolla/horizon
 * (session engine, CACHES/DATABASES, TLS cookie flags, SECRET_KEY…) and the operator's override that runs
 * after it, kept in node_custom_config (/etc/kolla/config/horizon[/<host>]/). Both are copied into the
 * container's local_settings.d (kolla-ansible ansible/roles/horizon/templates/horizon.json.j2).
 */
export const KOLLA_SETTINGS_SNIPPET = '_9998-kolla-settings.py';
export const KOLLA_CUSTOM_SNIPPET = '_9999-custom-settings.py';
/**
 * Every name kolla-ansible's `_9998-kolla-settings.py.j2` may assign, in any release that renders it
 * (18.0.0 … master 1a681814eb19); the others keep Horizon's and Django's defaults under `_9999`.
 */
export const KOLLA_RENDERED_SETTINGS: readonly string[] = [
  'DEBUG',
  'TEMPLATE_DEBUG',
  'COMPRESS_OFFLINE',
  'WEBROOT',
  'ALLOWED_HOSTS',
  'SESSION_ENGINE',
  'DATABASES',
  'CACHES',
  'SECURE_PROXY_SSL_HEADER',
  'CSRF_COOKIE_SECURE',
  'SESSION_COOKIE_SECURE',
  'OPENSTACK_API_VERSIONS',
  'OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT',
  'OPENSTACK_KEYSTONE_DOMAIN_DROPDOWN',
  'OPENSTACK_KEYSTONE_DOMAIN_CHOICES',
  'LOCAL_PATH',
  'SECRET_KEY',
  'EMAIL_BACKEND',
  'AVAILABLE_REGIONS',
  'OPENSTACK_HOST',
  'OPENSTACK_KEYSTONE_URL',
  'OPENSTACK_KEYSTONE_DEFAULT_ROLE',
  'WEBSSO_ENABLED',
  'WEBSSO_KEYSTONE_URL',
  'WEBSSO_CHOICES',
  'WEBSSO_IDP_MAPPING',
  'OPENSTACK_SSL_CACERT',
  'OPENSTACK_KEYSTONE_BACKEND',
  'OPENSTACK_HYPERVISOR_FEATURES',
  'OPENSTACK_CINDER_FEATURES',
  'OPENSTACK_NEUTRON_NETWORK',
  'OPENSTACK_HEAT_STACK',
  'IMAGE_CUSTOM_PROPERTY_TITLES',
  'IMAGE_RESERVED_CUSTOM_PROPERTIES',
  'HORIZON_IMAGES_UPLOAD_MODE',
  'OPENSTACK_ENDPOINT_TYPE',
  'API_RESULT_LIMIT',
  'API_RESULT_PAGE_SIZE',
  'DROPDOWN_MAX_ITEMS',
  'TIME_ZONE',
  'POLICY_FILES_PATH',
  'AVAILABLE_THEMES',
  'LOGGING',
  'SECURITY_GROUP_RULES',
  'REST_API_REQUIRED_SETTINGS',
];

// ---------------------------------------------------------------------------------------------------------
// Limits Django enforces.
// ---------------------------------------------------------------------------------------------------------

/** Memcached backends raise InvalidCacheKey above this (DJ52 base.py MEMCACHE_MAX_KEY_LENGTH). */
export const MEMCACHE_MAX_KEY_LENGTH = 250;
