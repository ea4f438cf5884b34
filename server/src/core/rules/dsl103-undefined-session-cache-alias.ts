/** DSL103: cache-backed sessions name a SESSION_CACHE_ALIAS that CACHES does not define. */
import { dictLookup, str } from '../evaluate/values';
import {
  CACHES,
  DEFAULT_ALIAS,
  ENGINE_CACHE,
  ENGINE_CACHED_DB,
  INVALID_CACHE_BACKEND_ERROR,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  closestMatch,
} from '../knowledge';
import {
  defineRule,
  ifUnsetSuffix,
  knownString,
  replaceString,
  lastSegment,
  relatedSettings,
  whoseDefault,
} from './framework';
import { cacheEntries, cachesDicts, engineIsOneOf } from '../queries/session-storage';

export default defineRule({
  code: 'DSL103',
  name: 'undefined-session-cache-alias',
  title: 'SESSION_CACHE_ALIAS not defined in CACHES',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "With SESSION_ENGINE `cache` or `cached_db`, sessions live in `caches[SESSION_CACHE_ALIAS]`. This rule flags a SESSION_CACHE_ALIAS that is not a key of CACHES. (A missing `'default'` alias is DSL102's finding.)",
    why: "Django has no system check for it: the first request that touches the session fails with `InvalidCacheBackendError: The connection 'sessions' doesn't exist.` (verified by running Django 3.2 and 5.2), so nobody can log in.",
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nSESSION_CACHE_ALIAS = 'sessions'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nSESSION_CACHE_ALIAS = 'sessions'\nCACHES = {\n    'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'},\n    'sessions': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.12:11211'},\n}",
    fixSafety:
      "Unsafe: pointing SESSION_CACHE_ALIAS at an existing alias (the closest spelling, else 'default') decides which cache holds the sessions.",
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_CACHE, ENGINE_CACHED_DB]);
    if (!engine) return;
    const setting = ctx.effective(SESSION_CACHE_ALIAS);
    const judged = knownString(setting?.value);
    if (!setting || !judged) return;
    const alias = judged.value;
    // A missing 'default' is DSL102's (and Django's caches.E001) finding; saying it twice helps nobody.
    if (alias === DEFAULT_ALIAS) return;
    const all = cachesDicts(ctx);
    if (!all || !all.dicts.every((d) => dictLookup(d, str(alias)).found === false)) return;
    const defined = cacheEntries(ctx).map((a) => a.alias);
    const target =
      closestMatch(alias, defined) ?? (defined.includes(DEFAULT_ALIAS) ? DEFAULT_ALIAS : undefined);
    const edit = target && !judged.ifUnset ? replaceString(ctx, judged.source, target) : undefined;
    const engineName = engine.judged
      .map((j) => lastSegment(j.value))
      .filter((v, i, a) => a.indexOf(v) === i)
      .join('/');
    const listed =
      defined.length > 0
        ? `CACHES defines only ${defined.map((d) => `'${d}'`).join(', ')}`
        : 'CACHES defines no aliases';
    ctx.report({
      at: judged.source.span ? judged.source : setting,
      message: `SESSION_CACHE_ALIAS '${alias}'${ifUnsetSuffix(judged)} is not defined in CACHES (${listed}): with the ${engineName} session engine${ifUnsetSuffix(engine.judged[0])}${whoseDefault(engine.setting)} every request that uses the session fails with ${INVALID_CACHE_BACKEND_ERROR} ("The connection '${alias}' doesn't exist").`,
      settings: [SESSION_CACHE_ALIAS, CACHES, SESSION_ENGINE],
      related: relatedSettings(ctx, [CACHES, SESSION_ENGINE], judged.source.span),
      fix:
        edit && target
          ? { title: `Use cache alias '${target}'`, edits: [edit], applicability: 'unsafe' }
          : undefined,
    });
  },
});
