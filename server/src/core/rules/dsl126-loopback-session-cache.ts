/** DSL126: sessions in a memcached/Redis server reachable only from this host (loopback or local socket). */
import {
  CACHES,
  CACHE_KEY_LOCATION,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  cacheFamily,
  cacheServers,
  findSessionEngine,
  isLoopbackHost,
  maskUrlPassword,
} from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { RelatedLocation, Value } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings, type Judged } from './framework';
import { backendOf, sessionCacheEntry, sessionEngine } from '../queries/session-storage';

/** Every server named by every possibility of every LOCATION item is local; the judged strings, else undefined. */
function localOnly(location: Value | undefined): Judged<string>[] | undefined {
  if (!location) return undefined;
  const opts = possibilities(location);
  const only = opts.length === 1 ? opts[0] : undefined;
  const items = (only?.kind === 'list' || only?.kind === 'tuple') && !only.open ? only.items : [location];
  const out: Judged<string>[] = [];
  for (const item of items) {
    const judged = knownStrings(item);
    if (!judged) return undefined;
    for (const j of judged) {
      const servers = cacheServers(j.value);
      if (servers.length === 0 || !servers.every((s) => s.kind === 'socket' || isLoopbackHost(s.host)))
        return undefined;
      out.push(j);
    }
  }
  return out.length > 0 ? out : undefined;
}

export default defineRule({
  code: 'DSL126',
  name: 'loopback-session-cache',
  title: 'Cache sessions on a loopback server',
  severity: { production: 'hint', development: 'off' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: "Sessions use the `cache` or `cached_db` engine, the sessions' cache alias is memcached or Redis, and every server in its LOCATION is this machine: `127.0.0.1`, `localhost`, `::1`, or a local socket (`unix:/…`, `unix://…`, a path). Only CACHES written in the workspace is judged; Horizon's built-in `127.0.0.1:11211` default is DSL406's subject.",
    why: 'That is right for a single dashboard host. With several hosts behind a load balancer, each host talks to its own cache: a login stored on one host is unknown to the others, so users are logged out whenever a request lands elsewhere (with `cached_db`, hosts read stale session data from their own cache). kolla-ansible only balances Horizon round-robin when memcached or the database backend is shared, and uses source-IP stickiness otherwise.',
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n                      'LOCATION': '127.0.0.1:11211'}}",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n                      'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211']}}",
    fixSafety:
      'No fix: whether the dashboard runs on one host or several is not in the settings. The hover explains the trade-off.',
  },
  check(ctx) {
    const engines = sessionEngine(ctx);
    if (!engines || !engines.judged.every((j) => findSessionEngine(j.value)?.needsCache === true)) return;
    const entry = sessionCacheEntry(ctx);
    // Built-in or Horizon-settings.py CACHES is Horizon's own 127.0.0.1 default (DSL406), not the user's choice.
    if (
      !entry ||
      entry.setting.origin.kind !== 'file' ||
      (ctx.isHorizon && entry.setting.layer === 'settings')
    )
      return;
    const backend = backendOf(entry);
    const families = backend?.judged.map((j) => cacheFamily(j.value));
    const family = families?.[0];
    if (!families || (family !== 'memcached' && family !== 'redis') || !families.every((f) => f === family))
      return;
    const location = entry.field(CACHE_KEY_LOCATION);
    const judged = localOnly(location);
    const first = judged?.[0];
    if (!judged || !first || !location) return;
    const related: RelatedLocation[] =
      engines.setting.origin.kind === 'file'
        ? [{ span: engines.setting.origin.span, message: 'SESSION_ENGINE set here' }]
        : [];
    const shown = judged.map((j) => maskUrlPassword(j.value)).join(', ');
    const name = family === 'redis' ? 'Redis' : 'memcached';
    ctx.report({
      at: location.span ? location : entry.setting,
      message: `Sessions live in the ${name} server on this host only (LOCATION ${shown})${ifUnsetSuffix(first)}: fine for a single dashboard host, but with several hosts behind a load balancer each keeps its own sessions and users are logged out when a request reaches another host.`,
      settings: [CACHES, SESSION_ENGINE, SESSION_CACHE_ALIAS],
      related,
    });
  },
});
