/** DSL110: a Redis cache LOCATION entry without a redis://, rediss:// or unix:// scheme, which redis-py rejects on first use. */
import {
  CACHES,
  CACHE_KEY_LOCATION,
  CACHE_KEY_OPTIONS,
  DEFAULT_MEMCACHED_PORT,
  DJANGO_REDIS,
  DJANGO_REDIS_BUILTIN,
  DJANGO_REDIS_LOCATION_SEPARATORS_RE,
  LEGACY_REDIS_CACHE,
  LEGACY_REDIS_CACHE_MODULE_PREFIX,
  LEGACY_REDIS_UNIX_PREFIX,
  LOCATION_SEPARATORS_RE,
  OPTION_CLIENT_CLASS,
  REDIS_SCHEME_ERROR,
  REDIS_UNIX_URL_SCHEME,
  REDIS_URL_DB_PARAM,
  REDIS_URL_SCHEME,
  REDIS_URL_SCHEMES,
  maskUrlPassword,
  LOCAL_REDIS_LOCATION,
} from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { Value } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings, type RuleContext } from './framework';
import { backendIsOneOf, cacheEntries, locationOf } from '../queries/session-storage';
import { aliasLabel, entryNamed, type SettingEntry } from '../queries/entries';
import { reportBadLocation, type LocationItem } from './cache-aliases';

const SCHEME_NAMES = REDIS_URL_SCHEMES.map((s) => s.slice(0, s.indexOf(':')));
const SCHEME_LIST = REDIS_URL_SCHEMES.join(', ');

/** The scheme Python's urlsplit finds (lower-cased, after stripping leading spaces/control characters), if any. */
export function urlScheme(entry: string): string | undefined {
  // urlsplit strips leading C0 control characters and spaces (WHATWG), so they do not hide a scheme.
  // eslint-disable-next-line no-control-regex -- those control characters are exactly what is stripped
  const t = entry.replace(/^[\x00-\x20]+/, '');
  const i = t.indexOf(':');
  if (i <= 0) return undefined;
  const s = t.slice(0, i);
  return /^[A-Za-z][A-Za-z0-9+.-]*$/.test(s) ? s.toLowerCase() : undefined;
}

/** True when redis-py's `from_url` accepts the scheme of this entry. */
export function hasRedisScheme(entry: string): boolean {
  const s = urlScheme(entry);
  return s !== undefined && SCHEME_NAMES.includes(s);
}

const HOST = String.raw`(?:[\w.-]+|\[[0-9A-Fa-f:.]+\])`;
// Old django-redis (< 4.5) strings: host:port:db and unix:/path:db (DR 3.7.2 docs); host:port is what
// people write for Django's RedisCache by analogy with memcached.
const HOST_PORT_DB_RE = new RegExp(`^(${HOST}):(\\d{1,5})(?::(\\d+))?$`);
const UNIX_DB_RE = new RegExp(`^${LEGACY_REDIS_UNIX_PREFIX}(/(?!/)[^:?#\\s]*)(?::(\\d+))?$`);
const SOCKET_PATH_RE = /^(\/[^:?#\s]*)$/;

/** True for the connection-string forms django-redis < 4.5 accepted and later versions reject. */
export function isLegacyDjangoRedisString(entry: string): boolean {
  const t = entry.trim();
  const hp = HOST_PORT_DB_RE.exec(t);
  const ux = UNIX_DB_RE.exec(t);
  return (hp !== null && hp[3] !== undefined) || (ux !== null && ux[2] !== undefined);
}

/**
 * The equivalent redis-py URL of a scheme-less entry: `h:p:db` → `redis://h:p/db`, `h:p` → `redis://h:p`,
 * `unix:/path:db` → `unix:///path?db=db`, `/path` → `unix:///path`. Undefined when the meaning is not certain
 * (a bare word, a memcached port, anything else).
 */
export function redisUrlFor(entry: string): string | undefined {
  const t = entry.trim();
  const hp = HOST_PORT_DB_RE.exec(t);
  if (hp) {
    const [, host, port, db] = hp;
    if (Number(port) === DEFAULT_MEMCACHED_PORT) return undefined;
    return `${REDIS_URL_SCHEME}${host}:${port}${db !== undefined ? `/${db}` : ''}`;
  }
  const ux = UNIX_DB_RE.exec(t) ?? SOCKET_PATH_RE.exec(t);
  if (ux) {
    const [, path, db] = ux;
    return `${REDIS_UNIX_URL_SCHEME}${path}${db !== undefined ? `?${REDIS_URL_DB_PARAM}=${db}` : ''}`;
  }
  return undefined;
}

/** The Redis backend of a CACHES entry: Django's own, django-redis, or the old module path redis_cache. */
interface RedisBackend {
  /** BACKEND's value. */
  readonly value: Value;
  readonly builtin: boolean;
  /** `redis_cache.cache.RedisCache`, which django-redis ≥ 4.5 replaces. */
  readonly legacy: boolean;
  /** Under the old module path, a `redis_cache.client.` CLIENT_CLASS: clearly old django-redis. */
  readonly oldClientClass: boolean;
}

function redisBackendOf(entry: SettingEntry): RedisBackend | undefined {
  const builtin = backendIsOneOf(entry, [DJANGO_REDIS_BUILTIN]);
  const modern = builtin ?? backendIsOneOf(entry, [DJANGO_REDIS, DJANGO_REDIS_BUILTIN]);
  const legacy = modern ? undefined : backendIsOneOf(entry, [LEGACY_REDIS_CACHE]);
  const backend = modern ?? legacy;
  if (!backend) return undefined;
  return {
    value: backend.value,
    builtin: builtin !== undefined,
    legacy: legacy !== undefined,
    oldClientClass: legacy !== undefined && legacyClientClass(entry),
  };
}

function legacyClientClass(entry: SettingEntry): boolean {
  const options = entry.field(CACHE_KEY_OPTIONS);
  const dict = options ? possibilities(options) : [];
  return dict.length === 1 && dict[0]?.kind === 'dict'
    ? (knownStrings(entryNamed(dict[0], OPTION_CLIENT_CLASS)?.value)?.every((j) =>
        j.value.startsWith(LEGACY_REDIS_CACHE_MODULE_PREFIX),
      ) ?? false)
    : false;
}

/** A Redis BACKEND without LOCATION (the old module path is left alone: it may not be django-redis). */
function reportMissingLocation(ctx: RuleContext, entry: SettingEntry, backend: RedisBackend): void {
  if (backend.legacy) return;
  ctx.report({
    at: backend.value,
    message: `${aliasLabel(entry)} uses Redis but has no ${CACHE_KEY_LOCATION}: ${backend.builtin ? "Django's RedisCache raises ValueError" : 'django-redis raises ImproperlyConfigured ("Missing connections string")'} on the first cache use; set e.g. '${LOCAL_REDIS_LOCATION}'.`,
    settings: [CACHES],
  });
}

/** Each LOCATION entry the backend rejects, one finding per string holding them, with the rewrite to URLs. */
function reportSchemeless(ctx: RuleContext, entry: SettingEntry, backend: RedisBackend): void {
  // django-redis splits only on ',', so a ';' stays inside one URL there.
  const separators = backend.builtin ? LOCATION_SEPARATORS_RE : DJANGO_REDIS_LOCATION_SEPARATORS_RE;
  reportBadLocation(
    ctx,
    { entry, backend: backend.value, separators },
    (item) => (rejected(item, backend) ? true : undefined),
    {
      message: (bad) =>
        locationMessage(
          entry,
          backend,
          bad.map((b) => b.item),
        ),
      rewrite: ({ item }) => (item.text.trim() === '' ? null : redisUrlFor(item.text)),
      fixTitle: (bad) =>
        `Rewrite ${CACHE_KEY_LOCATION} as ${REDIS_URL_SCHEME} URL${bad.length > 1 ? 's' : ''}`,
    },
  );
}

/** Whether the backend rejects the entry; under the old module path only what is clearly old django-redis. */
function rejected(item: LocationItem, backend: RedisBackend): boolean {
  const legacyForm = isLegacyDjangoRedisString(item.text);
  if (hasRedisScheme(item.text) && !legacyForm) return false;
  return !(backend.legacy && !backend.oldClientClass && !legacyForm);
}

/** The finding's message for one string's rejected entries: no scheme, the old unix:/path:db form, empty. */
function locationMessage(entry: SettingEntry, backend: RedisBackend, items: readonly LocationItem[]): string {
  const first = items[0] as LocationItem;
  const noScheme = items.filter((i) => i.text.trim() !== '' && !hasRedisScheme(i.text));
  const unixDb = items.filter((i) => hasRedisScheme(i.text));
  const problems: string[] = [];
  if (noScheme.length > 0) problems.push(noSchemeProblem(noScheme, backend, first));
  if (unixDb.length > 0) {
    problems.push(
      `${CACHE_KEY_LOCATION} ${plural(unixDb.length, 'entry', 'entries')} ${unixDb.map(quoted).join(', ')} ${unixDb.length === 1 ? 'is' : 'are'} the old django-redis unix:/path:db form${noScheme.length > 0 ? '' : ifUnsetSuffix(first)}: redis-py reads ':db' as part of the socket path, so connecting fails`,
    );
  }
  if (items.some((i) => i.text.trim() === '')) {
    problems.push(
      `${CACHE_KEY_LOCATION} has an empty entry (a stray ',' or ';')${problems.length > 0 ? '' : ifUnsetSuffix(first)}: connecting to it fails`,
    );
  }
  const named = [...noScheme, ...unixDb];
  const suggestion = named.length === 1 ? redisUrlFor((named[0] as LocationItem).text) : undefined;
  return `${aliasLabel(entry)} ${problems.join('; ')}.${suggestion ? ` Use '${maskUrlPassword(suggestion)}'.` : ''}`;
}

function noSchemeProblem(
  noScheme: readonly LocationItem[],
  backend: RedisBackend,
  first: LocationItem,
): string {
  const who = backend.builtin
    ? "Django's RedisCache (redis-py)"
    : backend.legacy
      ? 'django-redis ≥ 4.5, which replaces the redis_cache module,'
      : 'django-redis ≥ 4.5 (redis-py)';
  const memcachedPort = noScheme.some(
    (i) => HOST_PORT_DB_RE.exec(i.text.trim())?.[2] === String(DEFAULT_MEMCACHED_PORT),
  );
  return `${CACHE_KEY_LOCATION} ${plural(noScheme.length, 'entry', 'entries')} ${noScheme.map(quoted).join(', ')} ${noScheme.length === 1 ? 'has' : 'have'} no ${SCHEME_LIST} scheme${ifUnsetSuffix(first)}: ${who} raises "ValueError: ${REDIS_SCHEME_ERROR}" on the first cache use${memcachedPort ? "; port 11211 is memcached's — is this a memcached server?" : ''}`;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function quoted(item: LocationItem): string {
  return `'${maskUrlPassword(item.text.trim())}'`;
}

export default defineRule({
  code: 'DSL110',
  name: 'redis-location-without-scheme',
  title: 'Redis LOCATION without URL scheme',
  severity: { production: 'error', development: 'error' },
  versionDependent: true,
  fix: 'safe',
  docs: {
    what: "A CACHES entry whose BACKEND is `django_redis.cache.RedisCache` or Django's `django.core.cache.backends.redis.RedisCache` has a LOCATION entry that does not start with `redis://`, `rediss://` or `unix://` — for example the old django-redis form `127.0.0.1:6379:1` or a memcached-style `host:6379` — or uses the old socket form `unix:/path:db`, whose `:db` redis-py reads as part of the socket path. A string LOCATION is split into servers like the backend splits it (Django: `;` and `,`; django-redis: `,`), and each list item is checked. The old module path `redis_cache.cache.RedisCache` is checked too when it is clearly old django-redis (a `redis_cache.client.` CLIENT_CLASS, or the `host:port:db` form), because its replacement rejects the string.",
    why: "Both backends hand LOCATION to redis-py's `ConnectionPool.from_url`, which raises `ValueError: Redis URL must specify one of the following schemes (redis://, rediss://, unix://)` on the first cache use — with cache sessions, on every login. django-redis dropped the `host:port:db` format in 4.5.0 (2016, DR `4.5.0:CHANGES.txt`, commit `7cf3939`); every django-redis that runs on a supported Django is newer. Verified by running Django 3.2 and 5.2 with django-redis 5.2.0. The seed page's Redis example uses the old form.",
    example:
      "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': '127.0.0.1:6379:1'}}",
    useInstead:
      "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/1'}}",
    fixSafety:
      'Safe: rewrites `h:p:db` → `redis://h:p/db`, `h:p` → `redis://h:p`, `unix:/path:db` → `unix:///path?db=db` and a bare socket path → `unix:///path`, which address the same server and database. Stray empty entries (a trailing `,`) are dropped. No fix when the meaning is uncertain (a bare word, port 11211 — a memcached address — or a password without a scheme), or when the text is not a plain string literal.',
  },
  check(ctx) {
    for (const entry of cacheEntries(ctx)) {
      const backend = redisBackendOf(entry);
      if (!backend) continue;
      if (locationOf(entry) === undefined) reportMissingLocation(ctx, entry, backend);
      else reportSchemeless(ctx, entry, backend);
    }
  },
});
