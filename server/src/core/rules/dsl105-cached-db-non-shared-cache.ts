/** DSL105: cached_db sessions read through a per-process (LocMemCache) or no-op (DummyCache) cache. */
import {
  CACHES,
  DUMMY,
  ENGINE_CACHED_DB,
  ENGINE_DB,
  LOCMEM,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
} from '../knowledge';
import { defineRule, ifUnsetSuffix, replaceEveryString, lastSegment, relatedSettings } from './framework';
import { sessionCacheFor } from '../queries/session-storage';
import { aliasLabel } from '../queries/entries';

export default defineRule({
  code: 'DSL105',
  name: 'cached-db-non-shared-cache',
  title: 'cached_db over a non-shared cache → stale sessions',
  severity: { production: 'warning', development: 'information' },
  versionDependent: false,
  fix: 'safe',
  docs: {
    what: "SESSION_ENGINE is `django.contrib.sessions.backends.cached_db` and the cache alias it reads through (SESSION_CACHE_ALIAS, `'default'` unless set) is `LocMemCache` — or `DummyCache`, which caches nothing.",
    why: 'cached_db writes the database and then the cache, but reads the cache first. With LocMemCache every worker process has its own copy, so after one process changes a session (e.g. Horizon switching project) another process keeps serving the old data: verified by running Django 5.2 — worker 2 writes project=B, worker 1 still reads project=A (DJ52 cached_db.py::load). The seed guide\'s "configure both your database and cache, as discussed previously" leads exactly there when "previously" is its local-memory example. With DummyCache every read goes to the database anyway, so the cache layer is pure overhead.',
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n# or keep cached_db and point the alias at memcached/Redis:\n# CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}",
    fixSafety:
      "Safe: switching SESSION_ENGINE from cached_db to db keeps every session where it already is (the database is cached_db's store of record); only the per-process cache in front of it goes away. Pointing the alias at memcached/Redis is the other remedy, but it needs a server, so it is not offered as a fix.",
  },
  check(ctx) {
    const found = sessionCacheFor(ctx, [ENGINE_CACHED_DB]);
    if (!found) return;
    const { engine, cache, backends, first } = found;
    if (!backends.every((j) => j.value.trim() === LOCMEM || j.value.trim() === DUMMY)) return;
    const dummy = backends.every((j) => j.value.trim() === DUMMY);
    const locmem = backends.every((j) => j.value.trim() === LOCMEM);
    const what = locmem
      ? lastSegment(LOCMEM)
      : dummy
        ? lastSegment(DUMMY)
        : `${lastSegment(LOCMEM)} or ${lastSegment(DUMMY)}`;
    const consequence = dummy
      ? 'nothing is ever cached, so every request still reads the database and the cache layer is pure overhead'
      : 'each worker process keeps its own copy, so after one process changes a session others keep serving stale data (e.g. the previous project)';
    const edits = replaceEveryString(ctx, engine.judged, () => ENGINE_DB) ?? [];
    ctx.report({
      at: first.source.span ? first.source : cache.setting,
      message: `SESSION_ENGINE is ${lastSegment(ENGINE_CACHED_DB)}${ifUnsetSuffix(engine.judged[0])} and ${aliasLabel(cache)} is ${what}${ifUnsetSuffix(first)}: ${consequence}; use the ${lastSegment(ENGINE_DB)} engine or a shared cache (memcached/Redis).`,
      settings: [SESSION_ENGINE, CACHES, SESSION_CACHE_ALIAS],
      related: relatedSettings(ctx, [SESSION_ENGINE, SESSION_CACHE_ALIAS, CACHES], first.source.span),
      fix:
        edits.length > 0
          ? { title: `Use '${ENGINE_DB}' (no cache in front of the database)`, edits, applicability: 'safe' }
          : undefined,
    });
  },
});
