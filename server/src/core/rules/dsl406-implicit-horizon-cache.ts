/** DSL406: Horizon cache sessions rely on Horizon's built-in CACHES (memcached on 127.0.0.1:11211) because no local file sets CACHES. */
import {
  CACHES,
  DEFAULT_ALIAS,
  ENGINE_CACHE,
  findCacheBackend,
  formatPyData,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  type PyData,
} from '../knowledge';
import { describe, toPyData } from '../evaluate/values';
import { defineRule, type RuleContext } from './framework';
import { primaryAnchor } from '../layers/locations';
import { appendToPrimary, where } from './setting-helpers';
import { choiceLabel, memcachedChoice, missingClient } from './memcached-choice';
import { backendOf, engineIsOneOf, sessionCacheAlias, sessionCacheEntry } from '../queries/session-storage';

export default defineRule({
  code: 'DSL406',
  name: 'implicit-horizon-cache',
  title: 'Implicit Horizon cache default',
  severity: { production: 'information', development: 'information' },
  versionDependent: true,
  horizonOnly: true,
  fix: 'unsafe',
  docs: {
    what: "A Horizon project uses cache sessions (Horizon's default engine since Stein) but neither local_settings.py nor any local_settings.d snippet sets CACHES, so sessions go to the cache Horizon's settings.py defines: memcached at 127.0.0.1:11211 — `PyMemcacheCache` from 23.4.0 (2024.1), `MemcachedCache` before.",
    why: 'Nothing in the deployment\'s own files says where sessions live. Every dashboard host then needs a memcached server on localhost and the matching Python package (pymemcache from 23.4.0, python-memcached before); without it logins fail with "Unable to create a new session key". Each host also keeps its own sessions, so a load balancer must be sticky. Upgrading Horizon can change the backend underneath (23.4.0 switched bindings).',
    example:
      "# local_settings.py: no CACHES anywhere\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    useInstead:
      "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n        'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],\n    },\n}",
    fixSafety:
      "Unsafe: appends an explicit CACHES equal to the inherited one for the assumed Horizon release — except that, when the installed modules where the settings run are known and lack the inherited backend's client library, the memcached backend whose client is installed is written instead (as DSL104's fix), or the title names the package to install. The behaviour stays the same only if that release is the one installed (otherwise the backend, and the package it needs, changes), and the copy no longer follows Horizon's default on upgrades.",
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_CACHE]);
    if (!engine) return;
    // Any statement on CACHES in a local file (even a mutation of Horizon's dict) is a deliberate choice.
    if (ctx.project.events.some((e) => e.name === CACHES && e.role !== 'settings')) return;
    const entry = sessionCacheEntry(ctx);
    if (!entry) return;
    const caches = entry.setting;
    const fromHorizon =
      caches.origin.kind === 'default' ? caches.origin.by === 'horizon' : caches.layer === 'settings';
    if (!fromHorizon) return;
    const backend = backendOf(entry);
    const only = backend && backend.judged.length === 1 ? backend.judged[0] : undefined;
    if (!only) return;
    const info = findCacheBackend(only.value.trim());
    const location = entry.field('LOCATION');
    const at = location ? ` at ${describe(location)}` : '';
    const pkg = info?.pythonPackage ? ` and the ${info.pythonPackage} package` : '';
    const className = only.value.trim().split('.').pop() ?? only.value;
    const server =
      info?.family === 'memcached' || info?.family === 'redis' ? `a ${info.family} server` : 'a cache server';
    const whose =
      caches.origin.kind === 'default'
        ? "Horizon's default cache"
        : `the cache Horizon's settings.py sets (${where(ctx, caches.origin.span)})`;
    const data = toPyData(caches.value);
    // The inherited backend when its client library is installed where the settings run (or that is unknown);
    // else the memcached backend whose client is installed (as DSL104's fix), else the title names the package.
    const inherited = only.value.trim();
    const missing = missingClient(ctx, inherited);
    const choice = missing && info?.family === 'memcached' ? memcachedChoice(ctx) : undefined;
    const swap = choice && !choice.missing ? choice : undefined;
    const written =
      swap && data !== undefined ? withBackend(data as PyData, ctx, swap.backend, swap.optionsData) : data;
    // Same data shape; the evaluator's PyData only marks its arrays readonly.
    const append =
      written !== undefined
        ? appendToPrimary(ctx, `CACHES = ${formatPyData(written as PyData, 4)}`)
        : undefined;
    const title = swap
      ? `Write CACHES explicitly with ${choiceLabel(swap)}${swap.installedNote}`
      : `Write the inherited CACHES explicitly${missing ? ` (needs ${missing})` : ''}`;
    ctx.report({
      at: primaryAnchor(ctx.project, [SESSION_ENGINE, SESSION_CACHE_ALIAS], 'target') ?? caches,
      message: `Sessions use ${whose}, ${className}${at}, because no local settings file sets CACHES: every dashboard host needs ${server} there${pkg}, and each host keeps its own sessions; set CACHES explicitly.`,
      settings: [CACHES, SESSION_ENGINE],
      fix: append ? { title, edits: [append], applicability: 'unsafe' } : undefined,
    });
  },
});

/** The inherited CACHES with the sessions' alias on another backend (and its OPTIONS), all else kept. */
function withBackend(
  data: PyData,
  ctx: RuleContext,
  backend: string,
  options: Readonly<Record<string, boolean>> | undefined,
): PyData {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const alias = sessionCacheAlias(ctx)?.alias ?? DEFAULT_ALIAS;
  const caches = data as { readonly [k: string]: PyData };
  const entry = caches[alias];
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return data;
  const next: Record<string, PyData> = { ...(entry as { readonly [k: string]: PyData }), BACKEND: backend };
  if (options) next['OPTIONS'] = options;
  else delete next['OPTIONS'];
  return { ...caches, [alias]: next };
}
