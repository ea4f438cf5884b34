/** DSL114: a cache BACKEND from an unmaintained third-party package (sebleier django-redis-cache, django-pylibmc). */
import {
  CACHES,
  CACHE_KEY_BACKEND,
  CACHE_KEY_OPTIONS,
  DJANGO_PYLIBMC,
  LEGACY_REDIS_CACHE,
  LEGACY_REDIS_CACHE_MODULE_PREFIX,
  OPTION_CLIENT_CLASS,
  PYLIBMC,
  REDIS_CACHE_SEBLEIER,
  REDIS_CACHE_SEBLEIER_SHARDED,
  findCacheBackend,
} from '../knowledge';
import { keyString, possibilities } from '../evaluate/values';
import { defineRule, knownStrings } from './framework';
import { titleNaming } from './memcached-choice';
import { backendIsOneOf, cacheEntries, locationOf } from '../queries/session-storage';
import { type SettingEntry, aliasLabel, entryNamed } from '../queries/entries';
import { literalEdit, locationPossibilities } from './cache-aliases';

const UNMAINTAINED = [REDIS_CACHE_SEBLEIER, REDIS_CACHE_SEBLEIER_SHARDED, DJANGO_PYLIBMC, LEGACY_REDIS_CACHE];
const PYLIBMC_OPTION_NAMES = new Set(findCacheBackend(PYLIBMC)?.optionsKeys.map((k) => k.name) ?? []);

function optionsDict(entry: SettingEntry): {
  dict: Extract<ReturnType<typeof possibilities>[number], { kind: 'dict' }> | undefined;
  absent: boolean;
} {
  const v = entry.field(CACHE_KEY_OPTIONS);
  if (v === undefined) return { dict: undefined, absent: true };
  const opts = possibilities(v);
  const d = opts.length === 1 ? opts[0] : undefined;
  return { dict: d?.kind === 'dict' ? d : undefined, absent: false };
}

/** `redis_cache.cache.RedisCache` with a `redis_cache.` CLIENT_CLASS is old django-redis: DSL109 reports it. */
function isOldDjangoRedis(entry: SettingEntry): boolean {
  const { dict } = optionsDict(entry);
  if (!dict) return false;
  return (
    knownStrings(entryNamed(dict, OPTION_CLIENT_CLASS)?.value)?.some((j) =>
      j.value.startsWith(LEGACY_REDIS_CACHE_MODULE_PREFIX),
    ) ?? false
  );
}

/**
 * Whether swapping BACKEND keeps the configuration meaningful: sebleier shards over several servers while
 * django-redis treats a list as primary + replicas, and its OPTIONS differ; django-pylibmc put pylibmc
 * behaviours straight into OPTIONS, which the built-in backend would pass to pylibmc.Client and fail.
 */
function swapKeepsMeaning(entry: SettingEntry, path: string): boolean {
  const { dict, absent } = optionsDict(entry);
  if (path === DJANGO_PYLIBMC) {
    if (absent) return true;
    return (
      dict !== undefined &&
      !dict.open &&
      dict.entries.every((e) => PYLIBMC_OPTION_NAMES.has(keyString(e) ?? ''))
    );
  }
  if (path === REDIS_CACHE_SEBLEIER_SHARDED) return false;
  const servers = locationPossibilities(locationOf(entry));
  const single = servers !== undefined && servers.every((items) => items.length === 1);
  return single && (absent || (dict !== undefined && !dict.open && dict.entries.length === 0));
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export default defineRule({
  code: 'DSL114',
  name: 'unmaintained-cache-backend',
  title: 'Unmaintained third-party cache backend',
  severity: { production: 'warning', development: 'information' },
  versionDependent: true,
  fix: 'unsafe',
  docs: {
    what: "BACKEND is `redis_cache.RedisCache` or `redis_cache.ShardedRedisCache` (sebleier's django-redis-cache; also its back-compat path `redis_cache.cache.RedisCache` when no `redis_cache.client.` CLIENT_CLASS marks it as old django-redis, which is DSL109), or `django_pylibmc.memcached.PyLibMCCache` (django-pylibmc).",
    why: "django-redis-cache's last release (3.0.1, 2022) pins `redis<4.0` and confirms Django 3.2 at most (DRC setup.py and changelog); django-pylibmc's README lists Django 1.7–1.9, and its reasons to exist (binary protocol, SASL) are OPTIONS of Django's built-in PyLibMCCache now. Keeping them blocks upgrading Django and redis-py, and nobody fixes their bugs.",
    example:
      "CACHES = {'default': {'BACKEND': 'redis_cache.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/1'}}",
    useInstead:
      "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/1'}}",
    fixSafety:
      "Unsafe: the replacement is another package (django-redis, or pylibmc with Django's built-in backend) and keys written by the old backend are not read by the new one. Offered only when the swap keeps the configuration's meaning: one Redis server and no OPTIONS (django-redis-cache shards over a server list and names its options differently), or django-pylibmc OPTIONS limited to binary/username/password/behaviors. A host:port LOCATION is then reported by DSL110, whose fix makes it a URL.",
  },
  check(ctx) {
    for (const entry of cacheEntries(ctx)) {
      const backend = backendIsOneOf(entry, UNMAINTAINED);
      if (!backend) continue;
      const path = backend.paths[0];
      if (path === undefined || backend.paths.some((p) => p !== path)) continue;
      if (path === LEGACY_REDIS_CACHE && isOldDjangoRedis(entry)) continue;
      const record = findCacheBackend(path);
      const replacement = record?.replacement;
      if (!record || !replacement) continue;
      const judged = backend.judged[0];
      const edit =
        judged && !judged.ifUnset && swapKeepsMeaning(entry, path)
          ? literalEdit(ctx, judged.source, replacement)
          : undefined;
      ctx.report({
        at: judged?.source.span ? judged.source : backend.value,
        message: `${aliasLabel(entry)} ${CACHE_KEY_BACKEND} '${path}' comes from ${record.pythonPackage ?? 'a third-party package'}, which is unmaintained (${lowerFirst(record.card.djangoVersions.replace(/\.$/, ''))}${record.alsoRequires.length > 0 ? `; needs ${record.alsoRequires.join(', ')}` : ''}): it blocks Django and client upgrades. Use '${replacement}'.`,
        settings: [CACHES],
        fix: edit
          ? {
              title: titleNaming(ctx, `Switch ${CACHE_KEY_BACKEND} to '${replacement}'`, replacement),
              edits: [edit],
              applicability: 'unsafe',
            }
          : undefined,
      });
    }
  },
});
