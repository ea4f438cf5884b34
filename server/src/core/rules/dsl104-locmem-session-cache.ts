/** DSL104: cache sessions stored in LocMemCache, a private store per worker process. */
import { CACHES, ENGINE_CACHE, LOCMEM, PYMEMCACHE, SESSION_CACHE_ALIAS, SESSION_ENGINE } from '../knowledge';
import { isAtLeastMinor } from '../knowledge/versions';
import type { RelatedLocation, TextEdit } from '../types';
import { defineRule, ifUnsetSuffix } from './framework';
import { backendOf, engineIsOneOf, sessionCacheEntry } from './session-storage';

/** The memcached entry written by the fix (same as the memcached snippet, one local server). */
export const MEMCACHED_CACHES_TEXT = `{
    'default': {
        'BACKEND': '${PYMEMCACHE}',
        'LOCATION': '127.0.0.1:11211',
        'OPTIONS': {'ignore_exc': True},
    },
}`;

export default defineRule({
  code: 'DSL104',
  name: 'locmem-session-cache',
  title: 'Sessions stored in per-process LocMemCache',
  severity: { production: 'warning', development: 'information' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "SESSION_ENGINE is `django.contrib.sessions.backends.cache` and the cache alias it uses (SESSION_CACHE_ALIAS, `'default'` unless set) is `LocMemCache` — written explicitly, inherited from Django's default when CACHES is never set in a plain Django project, or put there by a `local_settings.d` snippet such as Debian's `_0006_debian_cache.py`.",
    why: 'LocMemCache is private to one process. Horizon\'s Apache vhost runs `cpu_count() + 1` WSGI processes, so a login stored by one process is unknown to the next request\'s process: users are logged out at random, and more so behind a load balancer. It also culls at 300 entries and is emptied on every restart. Django: "the local-memory cache backend is NOT multi-process safe" (docs: topics/http/sessions, Using cached sessions).',
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
    useInstead: `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = ${MEMCACHED_CACHES_TEXT}`,
    fixSafety:
      'Unsafe: replaces the CACHES literal with a memcached configuration, which needs a memcached server and the pymemcache package, and moves where sessions live.',
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_CACHE]);
    if (!engine) return;
    const entry = sessionCacheEntry(ctx);
    if (!entry) return;
    const backend = backendOf(entry);
    if (!backend || !backend.judged.every((j) => j.value.trim() === LOCMEM)) return;
    const judged = backend.judged[0];
    const related: RelatedLocation[] = [];
    if (engine.setting.origin.kind === 'file')
      related.push({ span: engine.setting.origin.span, message: 'SESSION_ENGINE set here' });
    if (entry.caches.origin.kind === 'file')
      related.push({ span: entry.caches.origin.span, message: 'CACHES set here' });
    const implicit =
      entry.caches.origin.kind === 'default'
        ? ` (${entry.caches.origin.by === 'django' ? "Django's" : "Horizon's"} default CACHES)`
        : '';
    // Offer the memcached configuration only where it replaces the literal that holds this BACKEND.
    let edits: TextEdit[] | undefined;
    const cachesSpan = entry.caches.value.span;
    const bSpan = backend.value.span;
    if (
      cachesSpan &&
      bSpan &&
      !judged?.ifUnset && // an environment default (env.cache(default=…)): the variable is the user's choice
      entry.caches.value.kind === 'dict' &&
      bSpan.file === cachesSpan.file &&
      bSpan.from >= cachesSpan.from &&
      bSpan.to <= cachesSpan.to &&
      (!ctx.django || isAtLeastMinor(ctx.django, '3.2'))
    ) {
      edits = [{ ...cachesSpan, newText: MEMCACHED_CACHES_TEXT }];
    }
    ctx.report({
      at: backend.value.span ? backend.value : entry.caches,
      message: `Sessions are stored in LocMemCache${implicit}${ifUnsetSuffix(judged)}: each worker process keeps its own sessions, so users are logged out at random when requests reach another process or host; use memcached or Redis.`,
      settings: [SESSION_ENGINE, CACHES, SESSION_CACHE_ALIAS],
      related,
      fix: edits
        ? { title: 'Store sessions in memcached (PyMemcacheCache)', edits, applicability: 'unsafe' }
        : undefined,
    });
  },
});
