/** DSL112: a memcached LOCATION entry written for another client library (inet6: on pymemcache/pylibmc, bare [v6]:port on python-memcached) or as a URL. */
import {
  CACHE_KEY_LOCATION,
  DJANGO_PYLIBMC,
  DJPYMEMCACHE,
  LEGACY_MEMCACHED_URI_SCHEME,
  MEMCACHED_CACHE,
  MEMCACHED_INET6_PREFIX,
  PYLIBMC,
  PYMEMCACHE,
  REDIS_UNIX_URL_SCHEME,
  REDIS_URL_SCHEMES,
  findCacheBackend,
  maskUrlPassword,
} from '../knowledge';
import { isAtLeastMinor } from '../knowledge/versions';
import { defineRule, ifUnsetSuffix } from './framework';
import { backendIsOneOf, backendPaths, cacheEntries } from '../queries/session-storage';
import { aliasLabel, type SettingEntry } from '../queries/entries';
import { reportBadLocation, type BadItem, type LocationItem } from './cache-aliases';

/** Backends that parse servers with pymemcache or pylibmc: `[v6]:port`, no `inet6:` prefix. */
const BRACKET_IPV6_BINDINGS = [PYMEMCACHE, PYLIBMC, DJPYMEMCACHE, DJANGO_PYLIBMC];
const MEMCACHED_CACHE_REMOVED = findCacheBackend(MEMCACHED_CACHE)?.djangoRemoved;
const REDIS_SCHEMES = REDIS_URL_SCHEMES.filter((s) => s !== REDIS_UNIX_URL_SCHEME);

const INET6_RE = new RegExp(`^${MEMCACHED_INET6_PREFIX}(\\[[^\\]]+\\](?::\\d+)?)$`, 'i');
const BARE_IPV6_RE = /^\[[0-9A-Fa-f:.]+\](?::\d+)?$/;
const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const MEMCACHED_URI_RE = new RegExp(`^${LEGACY_MEMCACHED_URI_SCHEME}([\\w.-]+:\\d{1,5})/?$`, 'i');

type Problem = 'inet6' | 'bare-ipv6' | 'redis-url' | 'url';

function problemOf(text: string, bracketBinding: boolean, pythonMemcached: boolean): Problem | undefined {
  const t = text.trim();
  const scheme = URL_RE.exec(t);
  if (scheme) {
    // unix:///path still works: every binding strips `unix:` and `//path` is a valid socket path.
    if (`${scheme[1]?.toLowerCase()}://` === REDIS_UNIX_URL_SCHEME) return undefined;
    return REDIS_SCHEMES.some((s) => t.toLowerCase().startsWith(s)) ? 'redis-url' : 'url';
  }
  if (bracketBinding && INET6_RE.test(t)) return 'inet6';
  if (pythonMemcached && BARE_IPV6_RE.test(t)) return 'bare-ipv6';
  return undefined;
}

/** The entry rewritten for the binding, or undefined when the intent is not certain. */
function rewrite(text: string, problem: Problem): string | undefined {
  const t = text.trim();
  switch (problem) {
    case 'inet6':
      return INET6_RE.exec(t)?.[1];
    case 'bare-ipv6':
      return `${MEMCACHED_INET6_PREFIX}${t}`;
    case 'url':
      return MEMCACHED_URI_RE.exec(t)?.[1];
    case 'redis-url':
      return undefined;
  }
}

function describeProblem(p: Problem, item: LocationItem, backendName: string): string {
  const entry = `'${maskUrlPassword(item.text.trim())}'`;
  switch (p) {
    case 'inet6':
      return `${entry} uses python-memcached's inet6: prefix, which ${backendName} mis-parses as a host name (the connection fails); write '[addr]:port'`;
    case 'bare-ipv6':
      return `${entry} is a bare [IPv6]:port, which python-memcached (MemcachedCache) cannot parse; it needs 'inet6:[addr]:port'`;
    case 'redis-url':
      return `${entry} is a Redis URL on a memcached backend: the memcached client cannot connect to it (use a Redis BACKEND, or host:port of a memcached server)`;
    case 'url':
      return `${entry} is a URL, but memcached clients take host:port (the connection fails)`;
  }
}

/** The finding's message for one string's bad entries. */
function locationMessage(entry: SettingEntry, bad: readonly BadItem<Problem>[], backendName: string): string {
  const problems = bad.map((g) => describeProblem(g.verdict, g.item, backendName)).join('; ');
  return `${aliasLabel(entry)} ${CACHE_KEY_LOCATION} ${problems}${ifUnsetSuffix((bad[0] as BadItem<Problem>).item)}.`;
}

export default defineRule({
  code: 'DSL112',
  name: 'memcached-location-syntax',
  title: 'Memcached LOCATION syntax does not match binding',
  severity: { production: 'error', development: 'error' },
  versionDependent: true,
  fix: 'safe',
  docs: {
    what: "A memcached BACKEND whose LOCATION entry is written for a different client library: python-memcached's IPv6 form `inet6:[addr]:port` on `PyMemcacheCache`/`PyLibMCCache` (which want `[addr]:port`), a bare `[addr]:port` on `MemcachedCache` (python-memcached wants `inet6:[addr]:port`; not reported when the target Django is ≥ 4.1, where MemcachedCache itself is gone — DSL108 — and its replacement wants the bare form), or a URL such as `redis://…` or `memcached://…` on any memcached backend. A Redis BACKEND with a memcached-style `host:port` is DSL110.",
    why: "Each binding parses servers itself and fails to connect on the first cache use: pymemcache reads `inet6:[::1]:11211` as host `inet6:[::1]` (gaierror, verified run on pymemcache 3.5.2), pylibmc splits it at the first ':', and python-memcached rejects `[::1]:11211` outright. Horizon's switch to PyMemcacheCache (23.4.0, bug #2039225) says in its release note that IPv6 LOCATIONs must drop the `inet6` prefix; kolla-ansible had to change its template for the same reason (`4108aea87`).",
    example:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': 'inet6:[fd00::11]:11211',\n}}",
    useInstead:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '[fd00::11]:11211',\n}}",
    fixSafety:
      'Safe: `inet6:[a]:p` → `[a]:p` for pymemcache/pylibmc and `[a]:p` → `inet6:[a]:p` for MemcachedCache address the same server; `memcached://h:p/` → `h:p` drops a scheme no client reads. A Redis URL has no fix: the BACKEND or the address is wrong, and only the user knows which.',
  },
  check(ctx) {
    for (const entry of cacheEntries(ctx)) {
      const backend = backendPaths(entry);
      if (!backend || !backend.paths.every((p) => findCacheBackend(p)?.family === 'memcached')) continue;
      const bracketBinding = backendIsOneOf(entry, BRACKET_IPV6_BINDINGS) !== undefined;
      // On Django >= 4.1 MemcachedCache is gone (DSL108): its replacement wants exactly the bare [v6]:port form,
      // so asking for python-memcached's inet6: there would point the wrong way.
      const memcachedCacheGone =
        ctx.django !== undefined &&
        MEMCACHED_CACHE_REMOVED !== undefined &&
        isAtLeastMinor(ctx.django, MEMCACHED_CACHE_REMOVED);
      const pythonMemcached = !memcachedCacheGone && backendIsOneOf(entry, [MEMCACHED_CACHE]) !== undefined;
      const backendName =
        bracketBinding && backend.paths.every((p) => p === PYLIBMC || p === DJANGO_PYLIBMC)
          ? 'pylibmc'
          : 'pymemcache';
      reportBadLocation(
        ctx,
        { entry, backend: backend.value },
        (item) => problemOf(item.text, bracketBinding, pythonMemcached),
        {
          message: (bad) => locationMessage(entry, bad, backendName),
          rewrite: (bad) => rewrite(bad.item.text, bad.verdict),
          fixTitle: () => `Rewrite ${CACHE_KEY_LOCATION} for this memcached binding`,
        },
      );
    }
  },
});
