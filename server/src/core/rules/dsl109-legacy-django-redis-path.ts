/** DSL109: CACHES entries using django-redis' pre-3.8 module name `redis_cache` (removed in django-redis 4.0). */
import {
  CACHES,
  CACHE_KEY_BACKEND,
  CACHE_KEY_OPTIONS,
  DJANGO_REDIS,
  DJANGO_REDIS_CLIENTS_BY_NAME,
  DJANGO_REDIS_DEFAULT_CLIENT,
  INVALID_CACHE_BACKEND_ERROR,
  LEGACY_REDIS_CACHE,
  LEGACY_REDIS_CACHE_MODULE_PREFIX,
  OPTION_CLIENT_CLASS,
} from '../knowledge';
import type { TextEdit } from '../types';
import {
  defineRule,
  ifUnsetSuffix,
  knownStrings,
  replaceEveryString,
  type Judged,
  type RuleContext,
  lastSegment,
} from './framework';
import { titleNaming } from './memcached-choice';
import { cacheEntries } from '../queries/session-storage';
import { aliasLabel, lookupEverywhere } from '../queries/entries';

const isLegacy = (s: string): boolean => s.trim().startsWith(LEGACY_REDIS_CACHE_MODULE_PREFIX);

/** The django-redis client class of the same name (`redis_cache.client.HerdClient` → `django_redis.client.HerdClient`), else DefaultClient. */
function currentClient(legacy: string): string {
  return DJANGO_REDIS_CLIENTS_BY_NAME[lastSegment(legacy)] ?? DJANGO_REDIS_DEFAULT_CLIENT;
}

/** `redis_cache`, the package name itself. */
const LEGACY_PACKAGE = LEGACY_REDIS_CACHE_MODULE_PREFIX.replace(/\.$/, '');

/** Rewrites every legacy literal; undefined when one of them cannot be edited (the finding would survive). */
function rewrite(
  ctx: RuleContext,
  judged: readonly Judged<string>[],
  to: (s: string) => string,
): TextEdit[] | undefined {
  return replaceEveryString(
    ctx,
    judged.filter((j) => isLegacy(j.value)),
    to,
  );
}

export default defineRule({
  code: 'DSL109',
  name: 'legacy-django-redis-path',
  title: 'Legacy django-redis module path',
  severity: { production: 'error', development: 'error' },
  versionDependent: true,
  fix: 'unsafe',
  docs: {
    what: "A CACHES entry (any alias) uses django-redis' old module name: an OPTIONS `CLIENT_CLASS` under `redis_cache.` (e.g. `redis_cache.client.DefaultClient`), or BACKEND `redis_cache.cache.RedisCache` together with a `CLIENT_CLASS` (only django-redis has that option). This is the Redis example of the session-storage guide, which copies the django-redis 3.7 documentation.",
    why: "django-redis renamed its package from `redis_cache` to `django_redis` in 3.8.0 (2014) and dropped the old name in 4.0.0 (2015). With any current django-redis the first cache use fails with `InvalidCacheBackendError: Could not find backend 'redis_cache.cache.RedisCache': No module named 'redis_cache'` (verified by running Django 3.2 and 5.2 with django-redis 5.2.0). The other package that has `redis_cache.cache.RedisCache`, sebleier's django-redis-cache, has no `redis_cache.client` module and requires redis < 4.0.",
    example:
      "CACHES = {\n    'default': {\n        'BACKEND': 'redis_cache.cache.RedisCache',\n        'LOCATION': 'redis://127.0.0.1:6379/1',\n        'OPTIONS': {'CLIENT_CLASS': 'redis_cache.client.DefaultClient'},\n    }\n}",
    useInstead:
      "CACHES = {\n    'default': {\n        'BACKEND': 'django_redis.cache.RedisCache',\n        'LOCATION': 'redis://127.0.0.1:6379/1',\n        'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'},\n    }\n}",
    fixSafety:
      "Unsafe: the new paths need django-redis ≥ 4.0 (and redis-py) installed. A legacy client class keeps its name (HerdClient, ShardClient, …); any other becomes DefaultClient. The old `host:port:db` LOCATION is DSL110's finding and fix.",
  },
  check(ctx) {
    for (const alias of cacheEntries(ctx)) {
      // CLIENT_CLASS is a django-redis option; without a known one there is no evidence of django-redis.
      const client = knownStrings(lookupEverywhere(alias.field(CACHE_KEY_OPTIONS), OPTION_CLIENT_CLASS));
      if (!client) continue;
      // An unknown BACKEND does not excuse a legacy CLIENT_CLASS, which fails with any django-redis.
      const backend = knownStrings(alias.field(CACHE_KEY_BACKEND)) ?? [];
      const legacyClient = client.every((j) => isLegacy(j.value));
      const legacyBackend = backend.length > 0 && backend.every((j) => j.value.trim() === LEGACY_REDIS_CACHE);
      if (!legacyClient && !legacyBackend) continue;
      const clientEdits = rewrite(ctx, client, currentClient);
      const backendEdits = rewrite(ctx, backend, () => DJANGO_REDIS);
      const edits = clientEdits && backendEdits ? [...backendEdits, ...clientEdits] : undefined;
      const oldBackend = backend.find((j) => isLegacy(j.value));
      const oldClient = client.find((j) => isLegacy(j.value));
      const at = oldBackend?.source.span ? oldBackend.source : (oldClient ?? client[0])?.source;
      const parts: string[] = [];
      if (oldBackend) parts.push(`BACKEND '${oldBackend.value.trim()}'${ifUnsetSuffix(oldBackend)}`);
      if (oldClient) parts.push(`CLIENT_CLASS '${oldClient.value.trim()}'${ifUnsetSuffix(oldClient)}`);
      const uses = [
        oldBackend ? `'${DJANGO_REDIS}'` : undefined,
        oldClient ? `'${currentClient(oldClient.value)}'` : undefined,
      ]
        .filter(Boolean)
        .join(' with ');
      ctx.report({
        at: at?.span ? at : alias.setting,
        message: `${aliasLabel(alias)} uses django-redis' pre-3.8 module name in ${parts.join(' and ')}: django-redis ≥ 4.0 has no '${LEGACY_PACKAGE}' package, so the first cache use fails with ${INVALID_CACHE_BACKEND_ERROR} (No module named '${LEGACY_PACKAGE}'); use ${uses}.`,
        settings: [CACHES],
        fix:
          edits && edits.length > 0
            ? { title: titleNaming(ctx, `Use ${uses}`, DJANGO_REDIS), edits, applicability: 'unsafe' }
            : undefined,
      });
    }
  },
});
