/** DSL113: sessions on PyMemcacheCache without OPTIONS ignore_exc, so one memcached node down turns into HTTP 500s. */
import {
  CACHED_DB_TOLERATES_CACHE_ERRORS_FROM,
  CACHES,
  CACHE_KEY_OPTIONS,
  ENGINE_CACHE,
  ENGINE_CACHED_DB,
  OPTION_IGNORE_EXC,
  PYMEMCACHE,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
} from '../knowledge';
import { compareMinor, version } from '../knowledge/versions';
import { possibilities, truthy } from '../evaluate/values';
import type { RelatedLocation, Value } from '../types';
import { defineRule, ifUnsetSuffix, judgeAll } from './framework';
import { backendOf, engineIsOneOf, sessionCacheEntry } from '../queries/session-storage';
import { entryNamed } from '../queries/entries';

const CACHED_DB_RESILIENT_FROM = version(CACHED_DB_TOLERATES_CACHE_ERRORS_FROM);

/** Whether OPTIONS certainly leaves ignore_exc falsy: `'absent'`, a judged falsy value, or undefined (unknown / truthy). */
function ignoreExcFalsy(
  options: Value | undefined,
): { ifUnset?: string | undefined; when?: string | undefined; how: string } | undefined {
  if (options === undefined) return { how: `no ${CACHE_KEY_OPTIONS}` };
  const opts = possibilities(options);
  if (!opts.every((o) => o.kind === 'dict')) return undefined;
  const results: { ifUnset?: string | undefined; when?: string | undefined; how: string }[] = [];
  for (const o of opts) {
    if (o.kind !== 'dict') return undefined;
    const e = entryNamed(o, OPTION_IGNORE_EXC);
    if (!e) {
      if (o.open) return undefined;
      results.push({ how: `${CACHE_KEY_OPTIONS} without '${OPTION_IGNORE_EXC}'` });
      continue;
    }
    const judged = judgeAll(e.value, (k) => (truthy(k) === false ? true : undefined));
    if (!judged) return undefined;
    results.push({
      ifUnset: judged.find((j) => j.ifUnset)?.ifUnset,
      when: judged.find((j) => j.when)?.when,
      how: `'${OPTION_IGNORE_EXC}' set to a false value`,
    });
  }
  return results[0];
}

export default defineRule({
  code: 'DSL113',
  name: 'pymemcache-without-ignore-exc',
  title: 'PyMemcacheCache without `ignore_exc`',
  severity: { production: 'information', development: 'off' },
  versionDependent: true,
  fix: 'none',
  docs: {
    what: "Sessions are stored through `django.core.cache.backends.memcached.PyMemcacheCache` (engine `cache`, or `cached_db` on Django < 5.0) and the alias' OPTIONS do not set `'ignore_exc': True`. Includes Horizon's own default CACHES (PyMemcacheCache on 127.0.0.1:11211 since 23.4.0). Production profile only.",
    why: "pymemcache raises when a memcached server is unreachable and Django's PyMemcacheCache lets the error propagate (verified run on Django 3.2 and 5.2: `ConnectionRefusedError` from `cache.set`), so with one memcached node down the requests whose sessions live on it fail with HTTP 500. With `ignore_exc` errors count as cache misses and those users are logged out instead. kolla-ansible added the option after bug #2106557 (`49e64cd32`), openstack-ansible sets it by default, and Django's docs show it in their pymemcache example.",
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],\n}}",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],\n    'OPTIONS': {'ignore_exc': True},\n}}",
    fixSafety:
      'No automatic fix: it is a trade-off, not an error. With `ignore_exc` a memcached outage logs users out (and hides the outage from error pages) instead of failing their requests; choose it knowingly, and monitor memcached.',
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_CACHE, ENGINE_CACHED_DB]);
    if (!engine) return;
    const cachedDb = engine.judged.some((j) => j.value === ENGINE_CACHED_DB);
    // cached_db only fails with the error when the target Django predates the resilience change; unknown = mildest.
    if (cachedDb && (ctx.django === undefined || compareMinor(ctx.django, CACHED_DB_RESILIENT_FROM) >= 0))
      return;
    const entry = sessionCacheEntry(ctx);
    if (!entry) return;
    const backend = backendOf(entry);
    if (!backend || !backend.judged.every((j) => j.value.trim() === PYMEMCACHE)) return;
    const falsy = ignoreExcFalsy(entry.field(CACHE_KEY_OPTIONS));
    if (!falsy) return;
    const related: RelatedLocation[] = [];
    if (engine.setting.origin.kind === 'file')
      related.push({ span: engine.setting.origin.span, message: `${SESSION_ENGINE} set here` });
    const whose =
      entry.setting.origin.kind === 'default'
        ? ` (${entry.setting.origin.by === 'horizon' ? "Horizon's" : "Django's"} default CACHES)`
        : '';
    ctx.report({
      at: backend.value.span ? backend.value : entry.setting,
      // The backend may itself be an environment default (a URL helper's `default=`): say so once.
      message: `Sessions use PyMemcacheCache${whose} with ${falsy.how}${ifUnsetSuffix(falsy.ifUnset || falsy.when ? falsy : backend.judged.find((j) => j.ifUnset || j.when))}: when a memcached server is unreachable its errors propagate and session requests fail with HTTP 500; '${OPTION_IGNORE_EXC}': True turns them into cache misses (users are logged out instead).`,
      settings: [CACHES, SESSION_ENGINE, SESSION_CACHE_ALIAS],
      related,
    });
  },
});
