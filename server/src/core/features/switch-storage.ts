/** "Switch session storage to …": the edits that set SESSION_ENGINE and the CACHES/DATABASES blocks for a target and the target Django version; pure, returns edits and never writes. */
import type { Analysis } from '../analyze';
import { possibilities } from '../evaluate/values';
import {
  CACHES,
  DATABASES,
  DB_MYSQL,
  DB_ORACLE,
  DB_POSTGRESQL,
  DEFAULT_ALIAS,
  DJANGO_REDIS,
  DJANGO_REDIS_BUILTIN,
  DJANGO_REDIS_DEFAULT_CLIENT,
  ENGINE_CACHE,
  ENGINE_CACHED_DB,
  ENGINE_DB,
  ENGINE_FILE,
  ENGINE_SIGNED_COOKIES,
  HORIZON_SERIALIZER,
  INSTALLED_APPS,
  JSON_SERIALIZER,
  MEMCACHED_CACHE,
  MYSQL_RECOMMENDED_CHARSET,
  PICKLE_SERIALIZER,
  PYMEMCACHE,
  SESSION_ENGINE,
  SESSION_FILE_PATH,
  SESSION_SERIALIZER,
  SESSIONS_APP,
  cacheFamily,
  findHorizonRelease,
  findCacheBackend,
  databaseEnvVar,
  HORIZON_SERIALIZER_SINCE,
  LOOPBACK_HOST,
  LOCAL_DB_PORTS,
  LOCAL_MEMCACHED_LOCATION,
  LOCAL_REDIS_LOCATION,
  SESSION_FILE_DIR_DJANGO,
  SESSION_FILE_DIR_HORIZON,
} from '../knowledge';
import { compareVersions, isAtLeastMinor, parseVersion, version, type Version } from '../knowledge/versions';
import { SESSION_STORAGE_TARGETS } from '../../../../common/protocol';
import { DB_KEY_ENGINE } from '../knowledge';
import { knownStrings } from '../queries/judge';
import { backendOf, sessionStorage } from '../queries/session-storage';
import { SettingsWriter, type Py, type Write } from '../edits/settings-writer';
import { pythonStringLiteral } from '../python/strings';
import type { TextEdit, Value } from '../types';

/** Targets in menu order: the ids the client shows live with the other shared ids in common/protocol.ts. */
export const STORAGE_TARGETS = SESSION_STORAGE_TARGETS;
export type StorageTarget = (typeof STORAGE_TARGETS)[number];

export interface StorageSwitch {
  readonly target: StorageTarget;
  readonly title: string;
  /** Edits in the file asked about and, where a later layer would override the result, in that layer. */
  readonly edits: readonly TextEdit[];
  /** What the user still has to do (packages, servers, migrations), for a message after applying. */
  readonly notes: readonly string[];
}

export function isStorageTarget(s: unknown): s is StorageTarget {
  return typeof s === 'string' && (STORAGE_TARGETS as readonly string[]).includes(s);
}

/** The first Django with each backend the switch may write, from the backend table. */
const BUILTIN_REDIS_SINCE = djangoAddedOf(DJANGO_REDIS_BUILTIN);
const PYMEMCACHE_SINCE = djangoAddedOf(PYMEMCACHE);
const HORIZON_SERIALIZER_FROM = version(HORIZON_SERIALIZER_SINCE);
const DB_PASSWORD_ENV = databaseEnvVar(DEFAULT_ALIAS, 'PASSWORD');

function djangoAddedOf(path: string): string {
  const since = findCacheBackend(path)?.djangoAdded;
  if (since === undefined) throw new Error(`knowledge: ${path} has no djangoAdded`);
  return since;
}

/** The targets that make sense for this project and target Django version. */
export function storageTargets(analysis: Analysis): StorageTarget[] {
  const django = djangoOf(analysis);
  return STORAGE_TARGETS.filter((t) => {
    if (t === 'redis') return django !== undefined && isAtLeastMinor(django, BUILTIN_REDIS_SINCE);
    // Horizon in production: cookie sessions are DSL401 by design, so the switch could never lint clean.
    if (t === 'signed_cookies')
      return !(analysis.summary.kind === 'horizon' && analysis.summary.profile === 'production');
    return true;
  });
}

/** The menu title of a target for this project ("Switch session storage to memcached (PyMemcacheCache)"). */
export function storageTargetTitle(analysis: Analysis, target: StorageTarget): string {
  return planFor(analysis, target).title;
}

/**
 * The edits that switch the session storage of `file`'s project to `target`; undefined when `file` is not a
 * parsed layer of the analysis, does not parse (the result must be valid Python) or is a template.
 */
export function switchSessionStorage(
  analysis: Analysis,
  file: string,
  target: StorageTarget,
): StorageSwitch | undefined {
  const fm = analysis.model.files.find((f) => f.path === file);
  if (!fm || fm.parsed.syntaxError || fm.parsed.template || fm.parsed.limit) return undefined;
  const plan = planFor(analysis, target);
  const writer = new SettingsWriter(analysis.model, fm);
  for (const w of plan.writes) writer.write(w);
  if (plan.addSessionsApp) writer.addSessionsApp();
  return { target, title: plan.title, edits: writer.finish(plan.label), notes: plan.notes };
}

// ------------------------------------------------------------------ what to write

interface Plan {
  readonly title: string;
  readonly label: string;
  readonly writes: readonly Write[];
  readonly addSessionsApp: boolean;
  readonly notes: readonly string[];
}

const s = (v: string): Py => ({ str: v });
const TRUE: Py = { code: 'True' };

function djangoOf(analysis: Analysis): Version | undefined {
  return analysis.summary.djangoVersion ? parseVersion(analysis.summary.djangoVersion) : undefined;
}

function memcachedEntry(django: Version | undefined): { entry: Py; backend: string } {
  if (django && !isAtLeastMinor(django, PYMEMCACHE_SINCE)) {
    return {
      backend: 'MemcachedCache',
      entry: {
        dict: [
          ['BACKEND', s(MEMCACHED_CACHE)],
          ['LOCATION', s(LOCAL_MEMCACHED_LOCATION)],
        ],
      },
    };
  }
  return {
    backend: 'PyMemcacheCache',
    entry: {
      dict: [
        ['BACKEND', s(PYMEMCACHE)],
        ['LOCATION', s(LOCAL_MEMCACHED_LOCATION)],
        ['OPTIONS', { dict: [['ignore_exc', TRUE]] }],
      ],
    },
  };
}

const REDIS_BUILTIN_ENTRY: Py = {
  dict: [
    ['BACKEND', s(DJANGO_REDIS_BUILTIN)],
    ['LOCATION', s(LOCAL_REDIS_LOCATION)],
  ],
};
const DJANGO_REDIS_ENTRY: Py = {
  dict: [
    ['BACKEND', s(DJANGO_REDIS)],
    ['LOCATION', s(LOCAL_REDIS_LOCATION)],
    ['OPTIONS', { dict: [['CLIENT_CLASS', s(DJANGO_REDIS_DEFAULT_CLIENT)]] }],
  ],
};

function databaseEntry(vendor: 'mysql' | 'postgresql', name: string): Py {
  const common: (readonly [string, Py])[] = [
    ['NAME', s(name)],
    ['USER', s(name)],
    // Never a literal password (DSL124): read it from the environment, failing loudly when it is missing.
    ['PASSWORD', { code: `os.environ[${pythonStringLiteral(DB_PASSWORD_ENV)}]` }],
    ['HOST', s(LOOPBACK_HOST)],
  ];
  if (vendor === 'mysql') {
    return {
      dict: [
        ['ENGINE', s(DB_MYSQL)],
        ...common,
        ['PORT', s(LOCAL_DB_PORTS.mysql)],
        ['OPTIONS', { dict: [['charset', s(MYSQL_RECOMMENDED_CHARSET)]] }],
      ],
    };
  }
  return { dict: [['ENGINE', s(DB_POSTGRESQL)], ...common, ['PORT', s(LOCAL_DB_PORTS.postgresql)]] };
}

/** The cache aliases to write: 'default' (Django requires it) and the sessions' alias when it is another. */
function sessionAliases(analysis: Analysis): string[] {
  const alias = sessionStorage(analysis).alias?.alias ?? DEFAULT_ALIAS;
  return alias === DEFAULT_ALIAS ? [DEFAULT_ALIAS] : [DEFAULT_ALIAS, alias];
}

function knownStr(v: Value | undefined): string | undefined {
  const opts = v ? possibilities(v) : [];
  return opts.length === 1 && opts[0]?.kind === 'str' ? opts[0].value.trim() : undefined;
}

/** Whether the sessions' cache is already shared between processes (memcached or Redis) in every branch. */
function sharedSessionCache(analysis: Analysis): boolean {
  const aliases = sessionAliases(analysis);
  const entry = sessionStorage(analysis).cacheEntry(aliases[aliases.length - 1] ?? DEFAULT_ALIAS);
  const backends = entry ? backendOf(entry)?.judged : undefined;
  return (
    backends?.every((j) => {
      const family = cacheFamily(j.value.trim());
      return family === 'memcached' || family === 'redis';
    }) ?? false
  );
}

const SERVER_DATABASES: readonly string[] = [DB_MYSQL, DB_POSTGRESQL, DB_ORACLE];

/** Whether DATABASES['default'] already is a server database worth keeping (in every branch). */
function serverDatabase(analysis: Analysis): boolean {
  const engines = knownStrings(sessionStorage(analysis).database?.field(DB_KEY_ENGINE));
  return engines?.every((j) => SERVER_DATABASES.includes(j.value.trim())) ?? false;
}

/** Whether INSTALLED_APPS is a complete literal without django.contrib.sessions (DSL304 would fire). */
function lacksSessionsApp(analysis: Analysis): boolean {
  const v = analysis.model.effective(INSTALLED_APPS)?.value;
  if (!v || (v.kind !== 'list' && v.kind !== 'tuple') || v.open) return false;
  return !v.items.some((i) => i.kind === 'str' && i.value === SESSIONS_APP);
}

function serializerFor(analysis: Analysis): string {
  if (analysis.summary.kind === 'horizon') {
    const release = analysis.summary.horizonRelease
      ? findHorizonRelease(analysis.summary.horizonRelease)
      : undefined;
    const first = release?.firstVersion ? parseVersion(release.firstVersion) : undefined;
    if (first && compareVersions(first, HORIZON_SERIALIZER_FROM) >= 0) return HORIZON_SERIALIZER;
  }
  return JSON_SERIALIZER;
}

function planFor(analysis: Analysis, target: StorageTarget): Plan {
  switch (target) {
    case 'memcached':
      return memcachedPlan(analysis);
    case 'redis':
    case 'django-redis':
      return redisPlan(analysis, target);
    case 'mysql':
    case 'postgresql':
      return databasePlan(analysis, target);
    case 'cached_db':
      return cachedDbPlan(analysis);
    case 'signed_cookies':
      return signedCookiesPlan(analysis);
    case 'file':
      return filePlan(analysis);
  }
}

// ------------------------------------------------------------------ the writes plans share

function engineWrite(engine: string): Write {
  return { kind: 'scalar', name: SESSION_ENGINE, value: s(engine) };
}

/** `entry` as CACHES['default'] and, when the sessions use another alias, as that one too. */
function cachesWrite(analysis: Analysis, entry: Py): Write {
  return { kind: 'entries', name: CACHES, aliases: sessionAliases(analysis), entry };
}

/** DATABASES['default'] on a local server of `vendor`, named after the project kind. */
function databasesWrite(analysis: Analysis, vendor: 'mysql' | 'postgresql'): Write {
  const dbName = analysis.summary.kind === 'horizon' ? 'horizon' : 'django';
  return {
    kind: 'entries',
    name: DATABASES,
    aliases: [DEFAULT_ALIAS],
    entry: databaseEntry(vendor, dbName),
    needsOs: true,
  };
}

function databaseNotes(vendor: string): string[] {
  return [
    `Install the ${vendor} driver, export ${DB_PASSWORD_ENV}, and run \`manage.py migrate\` to create the django_session table.`,
    'Run `manage.py clearsessions` regularly: expired sessions stay in the table.',
  ];
}

// ------------------------------------------------------------------ one plan per target

function memcachedPlan(analysis: Analysis): Plan {
  const m = memcachedEntry(djangoOf(analysis));
  return {
    title: `Switch session storage to memcached (${m.backend})`,
    label: `memcached (${m.backend})`,
    writes: [engineWrite(ENGINE_CACHE), cachesWrite(analysis, m.entry)],
    addSessionsApp: false,
    notes: [
      `Needs a memcached server and the ${m.backend === 'PyMemcacheCache' ? 'pymemcache' : 'python-memcached'} package; list every memcached server in LOCATION.`,
    ],
  };
}

/** Django's own RedisCache (`redis`) or django-redis: the entry each writes and what it still needs. */
const REDIS_PLANS = {
  redis: {
    label: "Redis (Django's RedisCache)",
    entry: REDIS_BUILTIN_ENTRY,
    note: 'Needs a Redis server and the redis package (hiredis optional).',
  },
  'django-redis': {
    label: 'Redis (django-redis)',
    entry: DJANGO_REDIS_ENTRY,
    note: 'Needs a Redis server and the django-redis package.',
  },
} as const;

function redisPlan(analysis: Analysis, target: keyof typeof REDIS_PLANS): Plan {
  const redis = REDIS_PLANS[target];
  return {
    title: `Switch session storage to ${redis.label}`,
    label: redis.label,
    writes: [engineWrite(ENGINE_CACHE), cachesWrite(analysis, redis.entry)],
    addSessionsApp: false,
    notes: [redis.note],
  };
}

function databasePlan(analysis: Analysis, target: 'mysql' | 'postgresql'): Plan {
  const vendor = target === 'mysql' ? 'MySQL' : 'PostgreSQL';
  return {
    title: `Switch session storage to the database (${vendor})`,
    label: `database (${vendor})`,
    writes: [engineWrite(ENGINE_DB), databasesWrite(analysis, target)],
    addSessionsApp: lacksSessionsApp(analysis),
    notes: databaseNotes(vendor),
  };
}

/** cached_db keeps a cache that is already shared and a server database that is already there. */
function cachedDbPlan(analysis: Analysis): Plan {
  const writes: Write[] = [engineWrite(ENGINE_CACHED_DB)];
  if (!sharedSessionCache(analysis))
    writes.push(cachesWrite(analysis, memcachedEntry(djangoOf(analysis)).entry));
  if (!serverDatabase(analysis)) writes.push(databasesWrite(analysis, 'mysql'));
  return {
    title: 'Switch session storage to cached_db (database with a shared cache)',
    label: 'cached_db (database + shared cache)',
    writes,
    addSessionsApp: lacksSessionsApp(analysis),
    notes: [...databaseNotes('database'), 'The cache must be shared by every worker (memcached or Redis).'],
  };
}

function signedCookiesPlan(analysis: Analysis): Plan {
  const writes: Write[] = [engineWrite(ENGINE_SIGNED_COOKIES)];
  // Pickle in a client-held cookie turns a leaked SECRET_KEY into code execution (DSL121).
  const serializer = knownStr(analysis.model.effective(SESSION_SERIALIZER)?.value);
  if (serializer === PICKLE_SERIALIZER)
    writes.push({ kind: 'scalar', name: SESSION_SERIALIZER, value: s(serializerFor(analysis)) });
  return {
    title: 'Switch session storage to signed cookies',
    label: 'signed cookies',
    writes,
    addSessionsApp: false,
    notes: [
      'Every host must share the same SECRET_KEY; sessions cannot be revoked at logout and are limited to about 4 KB.',
    ],
  };
}

/** Files: SESSION_FILE_PATH is written unless it already is an absolute path. */
function filePlan(analysis: Analysis): Plan {
  const current = knownStr(analysis.model.effective(SESSION_FILE_PATH)?.value);
  const writes: Write[] = [engineWrite(ENGINE_FILE)];
  if (!current || !current.startsWith('/')) {
    writes.push({
      kind: 'scalar',
      name: SESSION_FILE_PATH,
      value: s(analysis.summary.kind === 'horizon' ? SESSION_FILE_DIR_HORIZON : SESSION_FILE_DIR_DJANGO),
    });
  }
  return {
    title: 'Switch session storage to files',
    label: 'files',
    writes,
    addSessionsApp: false,
    notes: [
      'Create SESSION_FILE_PATH, owned by the web server user; sessions are local to each host. Run `manage.py clearsessions` regularly.',
    ],
  };
}
