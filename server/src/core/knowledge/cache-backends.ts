/** Cache backends (built-in and third-party) and CACHES entry keys as validated data, plus version availability (DSL108's table); no rule logic. */
import { z } from 'zod';

import {
  CACHE_BACKEND_PREFIX,
  DATABASE_CACHE,
  DJANGO_PYLIBMC,
  DJANGO_REDIS,
  DJANGO_REDIS_BUILTIN,
  DJPYMEMCACHE,
  DUMMY,
  FILEBASED,
  LEGACY_REDIS_CACHE,
  LOCMEM,
  MEMCACHED_CACHE,
  PYLIBMC,
  PYMEMCACHE,
  REDIS_CACHE_SEBLEIER,
  REDIS_CACHE_SEBLEIER_SHARDED,
} from './names';
import {
  KeyDocSchema,
  MinorVersionSchema,
  TradeoffCardSchema,
  assertUnique,
  validateData,
  type KeyDoc,
} from './schema';
import { compareMinor, formatMinor, formatRange, version, type Version, type VersionRange } from './versions';

export const CACHE_FAMILIES = ['locmem', 'dummy', 'filebased', 'database', 'memcached', 'redis'] as const;
export type CacheFamily = (typeof CACHE_FAMILIES)[number];

export const DEFAULT_MEMCACHED_PORT = 11211;
export const DEFAULT_REDIS_PORT = 6379;

const LocationFormatSchema = z.strictObject({
  text: z.string().min(3),
  examples: z.array(z.string()),
});

export const CacheBackendSchema = z
  .strictObject({
    /** Exact BACKEND class path. */
    path: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/, 'expected a dotted class path'),
    family: z.enum(CACHE_FAMILIES),
    /** Ships with Django (`django.core.cache.backends.…`). */
    builtin: z.boolean(),
    /**
     * The pip package the backend needs besides Django: the client library for built-ins (`pymemcache`),
     * the package providing the class for third-party backends (`django-redis`). Undefined when none.
     */
    pythonPackage: z.string().optional(),
    /** Import name of `pythonPackage` (what fails with ModuleNotFoundError when it is missing). */
    module: z.string().optional(),
    /** Further pip requirements (e.g. django-redis needs `redis`). */
    alsoRequires: z.array(z.string()),
    djangoAdded: MinorVersionSchema.optional(),
    djangoDeprecated: MinorVersionSchema.optional(),
    djangoRemoved: MinorVersionSchema.optional(),
    /**
     * Last Django minor for which the removal was verified; later minors are not known to lack the class
     * (a fork reinstating MemcachedCache exists, Django 6.0 status unverified).
     */
    removalVerifiedThrough: MinorVersionSchema.optional(),
    /** False for packages without releases for current Django/redis-py (DSL114). */
    maintained: z.boolean(),
    /** What to use instead (a path in this table). */
    replacement: z.string().optional(),
    locationFormats: z.array(LocationFormatSchema).min(1),
    /** Documented OPTIONS keys. */
    optionsKeys: z.array(KeyDocSchema),
    /**
     * OPTIONS are handed to a client library as keyword arguments, so keys beyond `optionsKeys` can be valid
     * (and invalid ones fail only at run time). False: Django reads OPTIONS itself and ignores other keys.
     */
    optionsPassedToClient: z.boolean(),
    /** OPTIONS MAX_ENTRIES / CULL_FREQUENCY apply (locmem, filebased, db). */
    culls: z.boolean(),
    sharedAcrossProcesses: z.boolean(),
    sharedAcrossHosts: z.boolean(),
    persistent: z.union([z.boolean(), z.literal('depends')]),
    card: TradeoffCardSchema,
  })
  .refine((b) => b.builtin === b.path.startsWith(CACHE_BACKEND_PREFIX), {
    message: 'builtin must be true exactly for paths under django.core.cache.backends.',
  })
  .refine((b) => b.maintained || b.replacement !== undefined, {
    message: 'an unmaintained or removed backend needs a replacement',
  })
  .refine((b) => b.djangoRemoved === undefined || b.replacement !== undefined, {
    message: 'a removed backend needs a replacement',
  })
  .refine((b) => b.culls === b.optionsKeys.some((k) => k.name === 'MAX_ENTRIES'), {
    message: 'culling backends document MAX_ENTRIES (and only they do)',
  });
export type CacheBackend = z.infer<typeof CacheBackendSchema>;

const CACHE_DOCS = 'https://docs.djangoproject.com/en/stable/topics/cache/';

const CULLING_OPTIONS: KeyDoc[] = [
  {
    name: 'MAX_ENTRIES',
    description:
      'Maximum number of entries before old ones are culled. Sessions count as entries: above this, users get logged out.',
    type: 'int',
    default: '300',
  },
  {
    name: 'CULL_FREQUENCY',
    description:
      'When MAX_ENTRIES is reached, 1/CULL_FREQUENCY of the entries are culled; 0 flushes the whole cache.',
    type: 'int',
    default: '3',
  },
];

/** OPTIONS keys Django itself reads on locmem, filebased and db caches. */
export const CULLING_OPTION_NAMES: readonly string[] = CULLING_OPTIONS.map((k) => k.name);

const DJANGO_REDIS_OPTIONS: KeyDoc[] = [
  {
    name: 'CLIENT_CLASS',
    description:
      'Client implementation: django_redis.client.DefaultClient (default), HerdClient, ShardClient, or SentinelClient (django-redis ≥ 5.0.0).',
    type: 'class path',
    default: "'django_redis.client.DefaultClient'",
  },
  {
    name: 'PASSWORD',
    description: 'Redis password; ignored when the LOCATION URL contains one.',
    type: 'str',
  },
  { name: 'SOCKET_TIMEOUT', description: 'Seconds for socket reads/writes.', type: 'number' },
  {
    name: 'SOCKET_CONNECT_TIMEOUT',
    description: 'Seconds to establish a connection; must be an int or float (else ImproperlyConfigured).',
    type: 'number',
  },
  {
    name: 'CONNECTION_POOL_CLASS',
    description: 'redis-py ConnectionPool subclass to use.',
    type: 'class path',
  },
  {
    name: 'CONNECTION_POOL_KWARGS',
    description: 'Extra keyword arguments for the connection pool (e.g. max_connections).',
    type: 'dict',
  },
  {
    name: 'CONNECTION_FACTORY',
    description: 'Class that builds connection pools, e.g. django_redis.pool.SentinelConnectionFactory.',
    type: 'class path',
  },
  { name: 'REDIS_CLIENT_CLASS', description: 'redis-py client class to instantiate.', type: 'class path' },
  { name: 'REDIS_CLIENT_KWARGS', description: 'Keyword arguments for REDIS_CLIENT_CLASS.', type: 'dict' },
  {
    name: 'PARSER_CLASS',
    description: 'redis-py response parser class (e.g. the hiredis parser).',
    type: 'class path',
  },
  {
    name: 'SERIALIZER',
    description: 'Value serializer; the default is django_redis.serializers.pickle.PickleSerializer.',
    type: 'class path',
  },
  {
    name: 'COMPRESSOR',
    description: 'Value compressor class (default: no compression).',
    type: 'class path',
  },
  {
    name: 'PICKLE_VERSION',
    description: 'Pickle protocol for the default serializer (-1 = highest).',
    type: 'int',
  },
  {
    name: 'IGNORE_EXCEPTIONS',
    description:
      'Treat connection errors as cache misses instead of raising (default False; global DJANGO_REDIS_IGNORE_EXCEPTIONS).',
    type: 'bool',
    default: 'False',
  },
  {
    name: 'REPLICA_READ_ONLY',
    description: 'Send reads to replicas only (DefaultClient with several LOCATIONs).',
    type: 'bool',
  },
  {
    name: 'SENTINELS',
    description: 'List of (host, port) Sentinel addresses for the Sentinel client.',
    type: 'list',
  },
  { name: 'SENTINEL_KWARGS', description: 'Keyword arguments for the Sentinel connection.', type: 'dict' },
  { name: 'CLOSE_CONNECTION', description: 'Close the connection at the end of each request.', type: 'bool' },
];

/** sebleier's django-redis-cache, which every `redis_cache.*` path is: the package, its client, its LOCATION. */
const DJANGO_REDIS_CACHE_PACKAGE = {
  family: 'redis' as const,
  builtin: false,
  pythonPackage: 'django-redis-cache',
  module: 'redis_cache',
  alsoRequires: ['redis<4.0'],
  maintained: false,
  replacement: DJANGO_REDIS,
  locationFormats: [
    {
      text: 'host:port, a socket path, a redis://, rediss:// or unix:// URL, or a list (sharding).',
      examples: ['127.0.0.1:6379', 'redis://127.0.0.1:6379/1'],
    },
  ],
};

export const CACHE_BACKENDS: readonly CacheBackend[] = validateData(
  z.array(CacheBackendSchema),
  [
    {
      path: LOCMEM,
      family: 'locmem',
      builtin: true,
      alsoRequires: [],
      maintained: true,
      locationFormats: [
        {
          text: 'Optional store name; distinct names give separate stores within a process.',
          examples: ['unique-snowflake'],
        },
      ],
      optionsKeys: CULLING_OPTIONS,
      optionsPassedToClient: false,
      culls: true,
      sharedAcrossProcesses: false,
      sharedAcrossHosts: false,
      persistent: false,
      card: {
        summary: 'Per-process in-memory cache (Django default when CACHES is unset).',
        persistence: 'None: lost when the worker process restarts.',
        sharedAcrossProcesses: 'No: every worker process has its own private store.',
        sharedAcrossHosts: 'No.',
        speed: 'Fast (in-process), thread-safe.',
        dependencies: 'None.',
        security: 'Values are pickled in process memory.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          'LRU culling: at MAX_ENTRIES (300) a set drops a third of the entries, so more than ~300 live sessions per process log users out.',
          "Horizon's Apache vhost runs cpu_count()+1 processes, so sessions split across workers.",
          "Django's docs call it probably not a good choice for production.",
          "Debian's Horizon package and puppet-horizon default to it.",
        ],
        docsUrl: `${CACHE_DOCS}#local-memory-caching`,
      },
    },
    {
      path: DUMMY,
      family: 'dummy',
      builtin: true,
      alsoRequires: [],
      maintained: true,
      locationFormats: [{ text: 'Ignored.', examples: [] }],
      optionsKeys: [],
      optionsPassedToClient: false,
      culls: false,
      sharedAcrossProcesses: false,
      sharedAcrossHosts: false,
      persistent: false,
      card: {
        summary: 'Implements the cache API and stores nothing.',
        persistence: 'Nothing is ever stored.',
        sharedAcrossProcesses: 'Not applicable: there is no data.',
        sharedAcrossHosts: 'Not applicable.',
        speed: 'Instant, because nothing happens.',
        dependencies: 'None.',
        security: 'Nothing stored.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          'Sessions on a dummy cache never survive the request that created them.',
          'Meant for development without caching.',
        ],
        docsUrl: `${CACHE_DOCS}#dummy-caching-for-development`,
      },
    },
    {
      path: FILEBASED,
      family: 'filebased',
      builtin: true,
      alsoRequires: [],
      maintained: true,
      locationFormats: [
        { text: 'Absolute directory path, writable by the web server.', examples: ['/var/tmp/django_cache'] },
      ],
      optionsKeys: CULLING_OPTIONS,
      optionsPassedToClient: false,
      culls: true,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: false,
      persistent: true,
      card: {
        summary: 'One pickled file per cache key in a directory.',
        persistence: 'Survives process restarts (files on disk).',
        sharedAcrossProcesses: 'Yes, on one host.',
        sharedAcrossHosts: 'No, unless the directory is on a shared filesystem.',
        speed: 'Disk I/O per access; slows down with many files.',
        dependencies: 'None besides the directory.',
        security:
          'Values are pickled: a LOCATION inside MEDIA_ROOT/STATIC_ROOT allows content falsification and remote code execution.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          'A relative LOCATION triggers caches.W003; one inside MEDIA_ROOT, STATIC_ROOT or STATICFILES_DIRS triggers caches.W002.',
          'MAX_ENTRIES (300) culling applies.',
          'For sessions, the file session engine is the direct way to do the same.',
        ],
        docsUrl: `${CACHE_DOCS}#filesystem-caching`,
      },
    },
    {
      path: DATABASE_CACHE,
      family: 'database',
      builtin: true,
      alsoRequires: [],
      maintained: true,
      locationFormats: [
        { text: 'Table name, created with `manage.py createcachetable`.', examples: ['django_cache'] },
      ],
      optionsKeys: CULLING_OPTIONS,
      optionsPassedToClient: false,
      culls: true,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: true,
      card: {
        summary: 'Cache table in the default database.',
        persistence: 'Persistent (database rows).',
        sharedAcrossProcesses: 'Yes, through the database.',
        sharedAcrossHosts: 'Yes, with the same database.',
        speed: 'A query per access; expired rows are culled on add/set/touch.',
        dependencies: 'A configured database and `manage.py createcachetable`.',
        security: 'Values are pickled in the database.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          'No database-level expiry: culling happens during writes, MAX_ENTRIES (300) applies.',
          "Django's docs: for sessions it is faster to use the db session engine directly.",
        ],
        docsUrl: `${CACHE_DOCS}#database-caching`,
      },
    },
    {
      path: MEMCACHED_CACHE,
      family: 'memcached',
      builtin: true,
      pythonPackage: 'python-memcached',
      module: 'memcache',
      alsoRequires: [],
      djangoDeprecated: '3.2',
      djangoRemoved: '4.1',
      removalVerifiedThrough: '5.2',
      maintained: true,
      replacement: PYMEMCACHE,
      locationFormats: [
        {
          text: 'host:port, unix:/path, IPv6 as inet6:[addr]:port; a list or a ;/, separated string for several servers.',
          examples: ['127.0.0.1:11211', 'unix:/tmp/memcached.sock', 'inet6:[fd00::11]:11211'],
        },
      ],
      optionsKeys: [
        {
          name: 'server_max_value_length',
          description: 'Largest value python-memcached will send (bytes).',
          type: 'int',
        },
        { name: 'socket_timeout', description: 'Socket timeout in seconds.', type: 'number' },
        { name: 'dead_retry', description: 'Seconds before retrying a server marked dead.', type: 'int' },
      ],
      optionsPassedToClient: true,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: false,
      card: {
        summary: 'Memcached through python-memcached: removed in Django 4.1.',
        persistence: 'None: memcached is memory only; a restart, crash or eviction logs users out.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes, for every host listing the same servers.',
        speed: 'Fast (network round trip to memcached).',
        dependencies: 'python-memcached (`import memcache`) and a memcached server.',
        security: 'Values are pickled; memcached has no authentication by default.',
        djangoVersions: 'Django ≤ 4.0; deprecated in 3.2, removed in 4.1.',
        notes: [
          'Use django.core.cache.backends.memcached.PyMemcacheCache and install pymemcache instead.',
          'When switching, IPv6 LOCATIONs change from inet6:[addr]:port to [addr]:port.',
          'Horizon switched its own default to PyMemcacheCache in 23.4.0 (2024.1).',
          'puppet-horizon refuses this backend.',
        ],
        docsUrl: 'https://docs.djangoproject.com/en/4.0/topics/cache/#memcached',
      },
    },
    {
      path: PYMEMCACHE,
      family: 'memcached',
      builtin: true,
      pythonPackage: 'pymemcache',
      module: 'pymemcache',
      alsoRequires: [],
      djangoAdded: '3.2',
      maintained: true,
      locationFormats: [
        {
          text: 'host:port, [ipv6]:port, unix:/path or /path; a list or a ;/, separated string for several servers (keys are sharded, not replicated).',
          examples: [
            '127.0.0.1:11211',
            '[fd00::11]:11211',
            'unix:/tmp/memcached.sock',
            "['10.0.0.11:11211', '10.0.0.12:11211']",
          ],
        },
      ],
      optionsKeys: [
        {
          name: 'allow_unicode_keys',
          description: 'Allow non-ASCII keys (Django sets True).',
          type: 'bool',
          default: 'True',
        },
        {
          name: 'default_noreply',
          description: 'Do not wait for server replies on writes (Django sets False).',
          type: 'bool',
          default: 'False',
        },
        {
          name: 'serde',
          description: 'Serializer/deserializer (Django sets pymemcache pickle_serde).',
          type: 'any',
        },
        { name: 'no_delay', description: 'Set TCP_NODELAY on the sockets.', type: 'bool' },
        {
          name: 'ignore_exc',
          description:
            'Treat server errors as cache misses: a memcached node down logs users out instead of causing HTTP 500.',
          type: 'bool',
        },
        { name: 'max_pool_size', description: 'Maximum connections per server pool.', type: 'int' },
        { name: 'use_pooling', description: 'Keep a pool of connections per server.', type: 'bool' },
        { name: 'tls_context', description: 'ssl.SSLContext for TLS connections to memcached.', type: 'any' },
      ],
      optionsPassedToClient: true,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: false,
      card: {
        summary: 'Memcached through pymemcache (Horizon default since 23.4.0).',
        persistence: 'None: memcached is memory only; a restart, crash or eviction logs users out.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes, for every host listing the same servers.',
        speed: 'Fast (network round trip to memcached).',
        dependencies: 'pymemcache and a memcached server.',
        security: 'Values are pickled (serde=pickle_serde); memcached has no authentication by default.',
        djangoVersions: 'Django ≥ 3.2.',
        notes: [
          'Errors propagate unless OPTIONS ignore_exc is True: one memcached node down means HTTP 500.',
          'memcached defaults to 64 MB of RAM and 1 MB items; keys must be at most 250 characters without spaces or control characters.',
          'Several servers shard the keys; nothing is replicated.',
          'IPv6 is written [addr]:port; inet6:[addr]:port is mis-parsed.',
        ],
        docsUrl: `${CACHE_DOCS}#memcached`,
      },
    },
    {
      path: PYLIBMC,
      family: 'memcached',
      builtin: true,
      pythonPackage: 'pylibmc',
      module: 'pylibmc',
      alsoRequires: [],
      maintained: true,
      locationFormats: [
        {
          text: 'host:port or a socket path (a unix: prefix is stripped); a list or a ;/, separated string for several servers.',
          examples: ['127.0.0.1:11211', '/var/run/memcached/memcached.sock'],
        },
      ],
      optionsKeys: [
        { name: 'binary', description: 'Use the memcached binary protocol (needed for SASL).', type: 'bool' },
        { name: 'username', description: 'SASL user name.', type: 'str' },
        { name: 'password', description: 'SASL password.', type: 'str' },
        {
          name: 'behaviors',
          description: 'pylibmc behaviors, e.g. {"tcp_nodelay": True, "ketama": True}.',
          type: 'dict',
        },
      ],
      optionsPassedToClient: true,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: false,
      card: {
        summary: 'Memcached through pylibmc (libmemcached).',
        persistence: 'None: memcached is memory only; a restart, crash or eviction logs users out.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes, for every host listing the same servers.',
        speed: 'Fast (C client).',
        dependencies: 'pylibmc (needs libmemcached) and a memcached server.',
        security: 'Values are pickled; SASL authentication available with binary=True.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          'Keys must be at most 250 characters without spaces or control characters.',
          'Several servers shard the keys; nothing is replicated.',
        ],
        docsUrl: `${CACHE_DOCS}#memcached`,
      },
    },
    {
      path: DJANGO_REDIS_BUILTIN,
      family: 'redis',
      builtin: true,
      pythonPackage: 'redis',
      module: 'redis',
      alsoRequires: [],
      djangoAdded: '4.0',
      maintained: true,
      locationFormats: [
        {
          text: 'redis://, rediss:// or unix:// URL; a list or ;/, separated string: the first server takes writes, the others are read replicas.',
          examples: [
            'redis://127.0.0.1:6379/1',
            'rediss://:password@redis.example:6380/0',
            'unix:///run/redis/redis.sock?db=1',
          ],
        },
      ],
      optionsKeys: [
        { name: 'db', description: 'Database number (overrides the URL path).', type: 'int' },
        { name: 'parser_class', description: 'redis-py parser class.', type: 'class path' },
        { name: 'pool_class', description: 'redis-py ConnectionPool class.', type: 'class path' },
        {
          name: 'serializer',
          description: "Value serializer (Django's pickle-based RedisSerializer by default).",
          type: 'class path',
        },
        { name: 'username', description: 'redis-py connection keyword: ACL user name.', type: 'str' },
        {
          name: 'password',
          description: 'redis-py connection keyword: password (or put it in the URL).',
          type: 'str',
        },
        {
          name: 'socket_timeout',
          description: 'redis-py connection keyword: seconds for reads/writes.',
          type: 'number',
        },
        {
          name: 'socket_connect_timeout',
          description: 'redis-py connection keyword: seconds to connect.',
          type: 'number',
        },
        { name: 'max_connections', description: 'redis-py pool keyword: connection limit.', type: 'int' },
        {
          name: 'retry_on_timeout',
          description: 'redis-py connection keyword: retry a command after a timeout.',
          type: 'bool',
        },
        {
          name: 'health_check_interval',
          description: 'redis-py connection keyword: seconds between health checks.',
          type: 'int',
        },
      ],
      optionsPassedToClient: true,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: 'depends',
      card: {
        summary: "Django's own Redis backend (Django ≥ 4.0).",
        persistence: 'Depends on the Redis server (RDB/AOF); Debian ships appendonly no.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes; optional read replicas.',
        speed: 'Fast (network round trip to Redis).',
        dependencies:
          'redis (redis-py ≥ 3.0; ≥ 3.4 from Django 4.2), optionally hiredis, and a Redis server.',
        security: 'Values are pickled; use a password/ACL and rediss:// across untrusted networks.',
        djangoVersions: 'Django ≥ 4.0.',
        notes: [
          'OPTIONS go to redis-py as keyword arguments: django-redis keys such as CLIENT_CLASS raise TypeError.',
          'LOCATION must be a redis://, rediss:// or unix:// URL.',
        ],
        docsUrl: `${CACHE_DOCS}#redis`,
      },
    },
    {
      path: DJANGO_REDIS,
      family: 'redis',
      builtin: false,
      pythonPackage: 'django-redis',
      module: 'django_redis',
      alsoRequires: ['redis'],
      maintained: true,
      locationFormats: [
        {
          text: 'redis-py URL (redis://[[user]:[password]@]host:port/db, rediss://…, unix://path?db=N); a list = primary + replicas, or Sentinel URLs with SentinelClient.',
          examples: [
            'redis://127.0.0.1:6379/1',
            'rediss://:password@redis.example:6380/0',
            'unix:///run/redis/redis.sock?db=0',
          ],
        },
      ],
      optionsKeys: DJANGO_REDIS_OPTIONS,
      optionsPassedToClient: false,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: 'depends',
      card: {
        summary: 'jazzband django-redis backend.',
        persistence: 'Depends on the Redis server (RDB/AOF); Debian ships appendonly no.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes; replicas and Sentinel supported.',
        speed: 'Fast (network round trip to Redis).',
        dependencies: 'django-redis and redis (redis-py), optionally hiredis, and a Redis server.',
        security:
          'Values are pickled by default; use a password/ACL and rediss:// across untrusted networks.',
        djangoVersions: 'django-redis 6.0.0 needs Django ≥ 4.2, Python ≥ 3.9 and redis-py ≥ 4.0.2.',
        notes: [
          'Connection errors raise unless OPTIONS IGNORE_EXCEPTIONS is True.',
          'Since django-redis 4.5, LOCATION must be a URL; host:port:db is rejected.',
          'The module was called redis_cache before django-redis 3.8.',
        ],
        docsUrl: 'https://github.com/jazzband/django-redis#readme',
      },
    },
    {
      path: LEGACY_REDIS_CACHE,
      ...DJANGO_REDIS_CACHE_PACKAGE,
      optionsKeys: [],
      optionsPassedToClient: false,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: 'depends',
      card: {
        summary: 'Old module path: django-redis before 3.8, or a back-compat alias in django-redis-cache.',
        persistence: 'Depends on the Redis server.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes.',
        speed: 'Fast (network round trip to Redis).',
        dependencies: 'django-redis-cache (sebleier), which requires redis < 4.0.',
        security: 'Values are pickled.',
        djangoVersions: 'django-redis-cache confirms Django 3.2 at most.',
        notes: [
          'Current django-redis has no redis_cache package: with it installed this path fails with ModuleNotFoundError.',
          'django-redis-cache has no redis_cache.client module, so a redis_cache.client CLIENT_CLASS never worked with it.',
          'Use django_redis.cache.RedisCache with a redis:// LOCATION.',
        ],
        docsUrl: 'https://github.com/sebleier/django-redis-cache#readme',
      },
    },
    ...[REDIS_CACHE_SEBLEIER, REDIS_CACHE_SEBLEIER_SHARDED].map((path) => ({
      path,
      ...DJANGO_REDIS_CACHE_PACKAGE,
      optionsKeys: [
        { name: 'DB', description: 'Database number.', type: 'int' as const },
        { name: 'PASSWORD', description: 'Redis password.', type: 'str' as const },
        { name: 'PARSER_CLASS', description: 'redis-py parser class.', type: 'class path' as const },
        {
          name: 'CONNECTION_POOL_CLASS',
          description: 'redis-py ConnectionPool class.',
          type: 'class path' as const,
        },
        {
          name: 'CONNECTION_POOL_CLASS_KWARGS',
          description: 'Keyword arguments for the pool class.',
          type: 'dict' as const,
        },
        { name: 'MAX_CONNECTIONS', description: 'Connection limit of the pool.', type: 'int' as const },
        { name: 'PICKLE_VERSION', description: 'Pickle protocol.', type: 'int' as const },
        {
          name: 'MASTER_CACHE',
          description: 'The server that receives writes when several are listed.',
          type: 'str' as const,
        },
      ],
      optionsPassedToClient: false,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: 'depends' as const,
      card: {
        summary: 'sebleier django-redis-cache (unmaintained).',
        persistence: 'Depends on the Redis server.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes (several servers are sharded).',
        speed: 'Fast (network round trip to Redis).',
        dependencies: 'django-redis-cache 3.0.1 with redis < 4.0.',
        security: 'Values are pickled.',
        djangoVersions: 'Last release (3.0.1, 2022) confirms Django 3.2 at most.',
        notes: [
          'No release since 2022 and pinned to redis < 4.0.',
          'It has no CLIENT_CLASS option; that belongs to django-redis.',
          'Switch to django_redis.cache.RedisCache (or Django ≥ 4.0 RedisCache).',
        ],
        docsUrl: 'https://github.com/sebleier/django-redis-cache#readme',
      },
    })),
    {
      path: DJANGO_PYLIBMC,
      family: 'memcached',
      builtin: false,
      pythonPackage: 'django-pylibmc',
      module: 'django_pylibmc',
      alsoRequires: ['pylibmc'],
      maintained: false,
      replacement: PYLIBMC,
      locationFormats: [{ text: 'host:port or a socket path.', examples: ['127.0.0.1:11211'] }],
      optionsKeys: [],
      optionsPassedToClient: true,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: false,
      card: {
        summary: 'django-pylibmc third-party backend (unmaintained).',
        persistence: 'None: memcached is memory only.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes.',
        speed: 'Fast (C client).',
        dependencies: 'django-pylibmc and pylibmc.',
        security: 'Values are pickled.',
        djangoVersions: 'Its README lists Django 1.7–1.9.',
        notes: [
          'Its reasons to exist (binary protocol, SASL) are OPTIONS of the built-in PyLibMCCache now.',
          'Switch to django.core.cache.backends.memcached.PyLibMCCache.',
        ],
        docsUrl: 'https://pypi.org/project/django-pylibmc/',
      },
    },
    {
      path: DJPYMEMCACHE,
      family: 'memcached',
      builtin: false,
      pythonPackage: 'django-pymemcache',
      module: 'djpymemcache',
      alsoRequires: ['pymemcache'],
      // Superseded rather than known to be abandoned: no evidence either way, so DSL114 stays silent.
      maintained: true,
      replacement: PYMEMCACHE,
      locationFormats: [{ text: 'host:port.', examples: ['127.0.0.1:11211'] }],
      optionsKeys: [],
      optionsPassedToClient: true,
      culls: false,
      sharedAcrossProcesses: true,
      sharedAcrossHosts: true,
      persistent: false,
      card: {
        summary: 'django-pymemcache third-party backend, predating the built-in PyMemcacheCache.',
        persistence: 'None: memcached is memory only.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes.',
        speed: 'Fast (network round trip to memcached).',
        dependencies: 'django-pymemcache and pymemcache.',
        security: 'Values are pickled.',
        djangoVersions: 'django-pymemcache 1.0.0; Django ≥ 3.2 has PyMemcacheCache built in.',
        notes: [
          'On Django ≥ 3.2 the built-in django.core.cache.backends.memcached.PyMemcacheCache does the same.',
        ],
        docsUrl: 'https://pypi.org/project/django-pymemcache/',
      },
    },
  ],
  'cache backends',
);
assertUnique(
  CACHE_BACKENDS.map((b) => b.path),
  'cache backends',
);

const BACKEND_BY_PATH = new Map(CACHE_BACKENDS.map((b) => [b.path, b] as const));

/** The record for an exact BACKEND path (surrounding whitespace ignored), or undefined. */
export function findCacheBackend(path: string): CacheBackend | undefined {
  return BACKEND_BY_PATH.get(path.trim());
}

/** Family of a BACKEND path, or undefined for paths the table does not know. */
export function cacheFamily(path: string): CacheFamily | undefined {
  return findCacheBackend(path)?.family;
}

// ---------------------------------------------------------------------------------------------------------
// Availability per Django version (DSL108).
// ---------------------------------------------------------------------------------------------------------

export type CacheBackendStatus =
  'available' | 'deprecated' | 'removed' | 'not-yet-added' | 'unknown-backend' | 'third-party';

export interface CacheBackendAvailability {
  readonly status: CacheBackendStatus;
  /** The table record, when the path is known. */
  readonly backend?: CacheBackend | undefined;
  /** Django minor that added the backend. */
  readonly since?: string | undefined;
  readonly deprecatedIn?: string | undefined;
  readonly removedIn?: string | undefined;
  readonly replacement?: string | undefined;
  /**
   * False when the Django version (unknown, or a range where the answer differs) did not decide the status:
   * `status` is then the least alarming possibility and `note` names the affected versions.
   */
  readonly versionKnown: boolean;
  /** True when the status relies on a fact not verified for that Django version. */
  readonly unverified?: boolean | undefined;
  /** One sentence for messages and hovers. */
  readonly note: string;
}

// Past the newest release any table mentions; stands in for "no upper bound" in a range.
const FAR_FUTURE: Version = { major: 999, minor: 0 };

type VersionedStatus = 'available' | 'deprecated' | 'removed' | 'not-yet-added';
// How alarming each status is, for picking the mildest when a range straddles a change (unknown versions are judged mildly).
const ALARM: Record<VersionedStatus, number> = {
  available: 0,
  deprecated: 1,
  'not-yet-added': 2,
  removed: 2,
};

function statusAt(b: CacheBackend, v: Version): VersionedStatus {
  if (b.djangoAdded !== undefined && compareMinor(v, version(b.djangoAdded)) < 0) return 'not-yet-added';
  if (b.djangoRemoved !== undefined && compareMinor(v, version(b.djangoRemoved)) >= 0) return 'removed';
  if (b.djangoDeprecated !== undefined && compareMinor(v, version(b.djangoDeprecated)) >= 0)
    return 'deprecated';
  return 'available';
}

function lifecycleText(b: CacheBackend): string {
  const parts: string[] = [];
  if (b.djangoAdded !== undefined) parts.push(`added in Django ${b.djangoAdded}`);
  if (b.djangoDeprecated !== undefined) parts.push(`deprecated in ${b.djangoDeprecated}`);
  if (b.djangoRemoved !== undefined) parts.push(`removed in ${b.djangoRemoved}`);
  return parts.join(', ');
}

function isRange(x: Version | VersionRange): x is VersionRange {
  return 'min' in x;
}

/**
 * Whether BACKEND `path` exists in the target Django (DSL108's table): MemcachedCache deprecated 3.2 and
 * removed 4.1; PyMemcacheCache added 3.2; RedisCache added 4.0; other names under
 * `django.core.cache.backends.` are `unknown-backend`; anything outside it is `third-party`.
 *
 * `django` may be one version, a range (e.g. from a Horizon pin such as 3.2–4.2), or undefined; when that
 * does not decide the answer, the least alarming status is returned with `versionKnown: false`.
 */
export function cacheBackendAvailability(
  path: string,
  django: Version | VersionRange | undefined,
): CacheBackendAvailability {
  const p = path.trim();
  const b = findCacheBackend(p);
  if (!b) return unlistedBackend(p, django !== undefined);
  if (!b.builtin) {
    const note = b.maintained
      ? `${p} comes from the third-party package ${b.pythonPackage ?? 'that provides it'}.`
      : `${p} comes from ${b.pythonPackage ?? 'a third-party package'}, which is unmaintained; use ${b.replacement ?? 'a maintained backend'}.`;
    return { status: 'third-party', ...backendFacts(b), versionKnown: django !== undefined, note };
  }
  if (django === undefined) return builtinOnAnyVersion(p, b);
  return builtinOn(p, b, django);
}

/** A path the table does not list: a wrong name under Django's own package, or someone else's backend. */
function unlistedBackend(p: string, versionKnown: boolean): CacheBackendAvailability {
  if (p.startsWith(CACHE_BACKEND_PREFIX)) {
    return {
      status: 'unknown-backend',
      versionKnown,
      note: `Django has no cache backend ${p}; it fails with InvalidCacheBackendError when the cache is first used.`,
    };
  }
  return { status: 'third-party', versionKnown, note: `${p} is not a Django built-in backend.` };
}

/** The table's facts every answer about a listed backend carries. */
function backendFacts(
  b: CacheBackend,
): Pick<CacheBackendAvailability, 'backend' | 'since' | 'deprecatedIn' | 'removedIn' | 'replacement'> {
  return {
    backend: b,
    since: b.djangoAdded,
    deprecatedIn: b.djangoDeprecated,
    removedIn: b.djangoRemoved,
    replacement: b.replacement,
  };
}

/** A built-in backend when the Django version is unknown: deprecated or removed somewhere, else available. */
function builtinOnAnyVersion(p: string, b: CacheBackend): CacheBackendAvailability {
  if (b.djangoRemoved !== undefined || b.djangoDeprecated !== undefined) {
    return {
      status: 'deprecated',
      ...backendFacts(b),
      versionKnown: false,
      note: `${p} is ${lifecycleText(b)}${b.djangoRemoved !== undefined ? `: it fails on Django ≥ ${b.djangoRemoved}` : ''}.`,
    };
  }
  return {
    status: 'available',
    ...backendFacts(b),
    versionKnown: false,
    note:
      b.djangoAdded !== undefined
        ? `${p} requires Django ≥ ${b.djangoAdded}.`
        : `${p} exists in every supported Django.`,
  };
}

/** A built-in backend on one Django version or a range: its status at both ends, the mildest when they differ. */
function builtinOn(p: string, b: CacheBackend, django: Version | VersionRange): CacheBackendAvailability {
  const lifecycle = lifecycleText(b);
  const low = isRange(django) ? django.min : django;
  const high = isRange(django) ? (django.max ?? FAR_FUTURE) : django;
  const atLow = statusAt(b, low);
  const atHigh = statusAt(b, high);
  const label = isRange(django) ? `Django ${formatRange(django)}` : `Django ${formatMinor(django)}`;
  const unverified =
    b.removalVerifiedThrough !== undefined &&
    compareMinor(high, version(b.removalVerifiedThrough)) > 0 &&
    atHigh === 'removed'
      ? true
      : undefined;

  if (atLow === atHigh) {
    const note =
      atLow === 'available'
        ? `${p} is available on ${label}.`
        : atLow === 'not-yet-added'
          ? `${p} does not exist on ${label} (added in ${b.djangoAdded ?? '?'}).`
          : atLow === 'removed'
            ? `${p} does not exist on ${label} (${lifecycle}).`
            : `${p} is deprecated on ${label} (${lifecycle}).`;
    return { status: atLow, ...backendFacts(b), versionKnown: true, unverified, note };
  }
  const mild = ALARM[atLow] <= ALARM[atHigh] ? atLow : atHigh;
  return {
    status: mild,
    ...backendFacts(b),
    versionKnown: false,
    unverified,
    note: `${p} is ${lifecycle}; ${label} spans versions where it ${atLow === 'not-yet-added' ? 'does not exist yet' : 'works'} and versions where it ${atHigh === 'removed' ? 'no longer exists' : atHigh === 'deprecated' ? 'is deprecated' : 'works'}.`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// CACHES entry keys (DJ52 base.py __init__, DJDOC "Cache arguments").
// ---------------------------------------------------------------------------------------------------------

export const CACHE_ENTRY_KEYS: readonly KeyDoc[] = validateData(
  z.array(KeyDocSchema),
  [
    { name: 'BACKEND', description: 'Dotted path of the cache backend class.', type: 'class path' },
    {
      name: 'LOCATION',
      description:
        'Where the cache lives; its format depends on BACKEND (server address(es), URL, directory or table).',
      type: 'str or list',
      default: "''",
    },
    {
      name: 'TIMEOUT',
      description:
        'Default expiry in seconds (None = never, 0 = expire immediately). Session entries use the session age instead.',
      type: 'int',
      default: '300',
    },
    {
      name: 'OPTIONS',
      description: 'Backend-specific options; for memcached/Redis built-ins they go to the client library.',
      type: 'dict',
      default: '{}',
    },
    { name: 'KEY_PREFIX', description: 'String prepended to every cache key.', type: 'str', default: "''" },
    {
      name: 'VERSION',
      description: 'Default version number mixed into cache keys.',
      type: 'int',
      default: '1',
    },
    {
      name: 'KEY_FUNCTION',
      description: 'Dotted path of a function building the full cache key.',
      type: 'class path',
    },
  ],
  'CACHES entry keys',
);
export const CACHE_ENTRY_KEY_NAMES: readonly string[] = CACHE_ENTRY_KEYS.map((k) => k.name);

const KeyCorrectionSchema = z.strictObject({
  key: z.string().min(1),
  /** `rename`: use `to` at the same level; `into-options`: move under OPTIONS as `to`. */
  action: z.enum(['rename', 'into-options']),
  to: z.string().min(1),
});
export type KeyCorrection = z.infer<typeof KeyCorrectionSchema>;

/**
 * Misplaced or misspelled CACHES entry keys with their intended key (DSL118's fix); checked before falling
 * back to edit distance, which would not find `PREFIX` → `KEY_PREFIX`. Backend-specific OPTIONS keys
 * (`CLIENT_CLASS`, `PASSWORD`) are left out on purpose: where they belong depends on BACKEND (DSL111).
 */
export const CACHE_KEY_CORRECTIONS: readonly KeyCorrection[] = validateData(
  z.array(KeyCorrectionSchema),
  [
    { key: 'PREFIX', action: 'rename', to: 'KEY_PREFIX' },
    { key: 'LOCATIONS', action: 'rename', to: 'LOCATION' },
    { key: 'OPTION', action: 'rename', to: 'OPTIONS' },
    { key: 'BACKENDS', action: 'rename', to: 'BACKEND' },
    { key: 'MAX_ENTRIES', action: 'into-options', to: 'MAX_ENTRIES' },
    { key: 'CULL_FREQUENCY', action: 'into-options', to: 'CULL_FREQUENCY' },
  ],
  'CACHES key corrections',
);
