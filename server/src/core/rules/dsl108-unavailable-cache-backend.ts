/** DSL108: a CACHES BACKEND under django.core.cache.backends. that the target Django does not have (removed, not yet added, or never existed). */
import {
  CACHES,
  CACHE_BACKENDS,
  CACHE_BACKEND_PREFIX,
  CACHE_KEY_BACKEND,
  CACHE_KEY_LOCATION,
  type CacheBackendAvailability,
  DJANGO_REDIS,
  ENGINE_CACHE,
  ENGINE_CACHED_DB,
  INVALID_CACHE_BACKEND_ERROR,
  MEMCACHED_CACHE,
  MEMCACHED_INET6_PREFIX,
  PYMEMCACHE,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  cacheBackendAvailability,
  closestMatch,
  findCacheBackend,
} from '../knowledge';
import {
  compareMinor,
  formatMinor,
  formatRange,
  version,
  type Version,
  type VersionRange,
} from '../knowledge/versions';
import type { Severity, StrValue, TextEdit, Value } from '../types';
import { possibilities } from '../evaluate/values';
import { MAX_WALK_DEPTH } from '../evaluate/value-depth';
import {
  defineRule,
  ifUnsetSuffix,
  knownStrings,
  replaceString,
  type Judged,
  type RuleContext,
  lastSegment,
  relatedSettings,
} from './framework';
import { missingClient } from './memcached-choice';
import { cacheEntries, sessionCacheEntry, engineIsOneOf } from '../queries/session-storage';
import { aliasLabel, type SettingEntry } from '../queries/entries';

/** The Django the project targets: one version, else the range its Horizon release allows (unknown versions are judged mildly), else unknown. */
interface Target {
  readonly target: Version | VersionRange | undefined;
  /** "Django 4.2", "Django 3.2–4.2 (what Horizon 2024.1 allows)". */
  readonly label: string;
  /** Lowest version of the target, when known. */
  readonly low?: Version | undefined;
}

function djangoTarget(ctx: RuleContext): Target {
  if (ctx.django) return { target: ctx.django, label: `Django ${formatMinor(ctx.django)}`, low: ctx.django };
  const range = ctx.djangoRange;
  if (range && ctx.horizon) {
    return {
      target: range,
      label: `Django ${formatRange(range)} (what Horizon ${ctx.horizon.series} allows)`,
      low: range.min,
    };
  }
  return { target: undefined, label: 'the target Django version (unknown)' };
}

function shortName(path: string): string {
  return path.startsWith(CACHE_BACKEND_PREFIX) ? lastSegment(path) : `'${path}'`;
}

function lifecycle(av: CacheBackendAvailability): string {
  const parts: string[] = [];
  if (av.since) parts.push(`added in Django ${av.since}`);
  if (av.deprecatedIn) parts.push(`deprecated in ${av.since ? '' : 'Django '}${av.deprecatedIn}`);
  if (av.removedIn) parts.push(`removed in ${av.removedIn}`);
  return parts.join(', ');
}

/** The Django versions where the backend does not exist: "Django ≥ 4.1", "Django < 4.0". */
function failingVersions(av: CacheBackendAvailability): string {
  const parts: string[] = [];
  if (av.since) parts.push(`Django < ${av.since}`);
  if (av.removedIn) parts.push(`Django ≥ ${av.removedIn}`);
  return parts.join(' and ');
}

function replacementHint(av: CacheBackendAvailability): string {
  if (av.replacement) {
    const pkg = findCacheBackend(av.replacement)?.pythonPackage;
    return ` Use ${shortName(av.replacement)}${pkg ? ` (pip package ${pkg})` : ''} instead.`;
  }
  if (av.status === 'not-yet-added' && av.since) {
    return av.backend?.family === 'redis'
      ? ` Upgrade Django to ≥ ${av.since}, or use django-redis ('${DJANGO_REDIS}').`
      : ` Upgrade Django to ≥ ${av.since}.`;
  }
  return '';
}

/** A built-in backend the user probably meant by an unknown name under django.core.cache.backends. */
function nearestBuiltin(path: string, target: Target): string | undefined {
  const usable = CACHE_BACKENDS.filter(
    (b) => b.builtin && cacheBackendAvailability(b.path, target.target).status === 'available',
  ).map((b) => b.path);
  // A module path without its class (`…backends.locmem`) names its class when the module has only one.
  const inModule = usable.filter((p) => p.startsWith(path + '.'));
  if (inModule.length === 1) return inModule[0];
  const suffix = path.slice(CACHE_BACKEND_PREFIX.length);
  const hit = closestMatch(
    suffix,
    usable.map((p) => p.slice(CACHE_BACKEND_PREFIX.length)),
    Math.max(2, Math.floor(suffix.length / 6)),
  );
  return hit === undefined ? undefined : CACHE_BACKEND_PREFIX + hit;
}

/** String literals (with spans) a LOCATION value is made of: plain, listed, or an environment default. */
function locationLiterals(v: Value | undefined, out: StrValue[] = [], depth = 0): StrValue[] {
  if (!v || depth > MAX_WALK_DEPTH) return out;
  for (const p of possibilities(v)) {
    if (p.kind === 'str' && p.span) out.push(p);
    else if (p.kind === 'list' || p.kind === 'tuple')
      p.items.forEach((i) => locationLiterals(i, out, depth + 1));
    else if (p.kind === 'unknown' && p.default) locationLiterals(p.default, out, depth + 1);
  }
  return out;
}

const INET6_RE = new RegExp(
  `(^|[;,]\\s*)${MEMCACHED_INET6_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\[)`,
  'g',
);

/** MemcachedCache → PyMemcacheCache, and python-memcached's `inet6:[a]:p` → pymemcache's `[a]:p` in LOCATION. */
function memcachedFix(
  ctx: RuleContext,
  alias: SettingEntry,
  j: Judged<string>,
  target: Target,
): { title: string; edits: TextEdit[] } | undefined {
  if (j.ifUnset || cacheBackendAvailability(PYMEMCACHE, target.target).status !== 'available')
    return undefined;
  const backend = replaceString(ctx, j.source, PYMEMCACHE);
  if (!backend) return undefined;
  const edits: TextEdit[] = [backend];
  for (const lit of locationLiterals(alias.field(CACHE_KEY_LOCATION))) {
    const fixed = lit.value.replace(INET6_RE, '$1');
    if (fixed === lit.value) continue;
    const e = replaceString(ctx, lit, fixed);
    if (e && !edits.some((x) => x.file === e.file && x.from === e.from)) edits.push(e);
  }
  // With the installed modules known: the package with its Debian name when missing, "installed" when present.
  const pkg = ctx.installed
    ? (missingClient(ctx, PYMEMCACHE) ?? '')
    : (findCacheBackend(PYMEMCACHE)?.pythonPackage ?? '');
  return {
    title: `Use ${lastSegment(PYMEMCACHE)} (${pkg ? `needs ${pkg}` : `${findCacheBackend(PYMEMCACHE)?.pythonPackage ?? 'its client'} is installed`})${edits.length > 1 ? ` and drop '${MEMCACHED_INET6_PREFIX}' from LOCATION` : ''}`,
    edits,
  };
}

interface Verdict {
  readonly severity: Severity;
  readonly message: string;
}

function verdict(
  path: string,
  av: CacheBackendAvailability,
  target: Target,
  where: string,
  sessions: string,
  suffix: string,
): Verdict | undefined {
  const fails = `the first use of the cache fails with ${INVALID_CACHE_BACKEND_ERROR}${sessions}`;
  const name = shortName(path);
  switch (av.status) {
    case 'third-party':
      return undefined;
    case 'unknown-backend':
      return {
        severity: 'error',
        message: `${where} BACKEND '${path}'${suffix} is not a cache backend Django has: ${fails}.`,
      };
    case 'available':
      // Only a target range that straddles the change gets here with something to say.
      if (target.target === undefined || av.versionKnown) return undefined;
      return {
        severity: 'warning',
        message: `${where} uses ${name}${suffix} (${lifecycle(av)}): on ${failingVersions(av)} ${fails}, and the target ${target.label} includes such versions.${replacementHint(av)}`,
      };
    case 'deprecated':
      if (!av.versionKnown) {
        const scope =
          target.target === undefined
            ? 'the target Django version is unknown'
            : `the target ${target.label} includes such versions`;
        return {
          severity: 'warning',
          message: `${where} uses ${name}${suffix} (${lifecycle(av)}): on ${failingVersions(av)} ${fails}; ${scope}.${replacementHint(av)}`,
        };
      }
      return {
        severity: 'warning',
        message: `${where} uses ${name}${suffix}, deprecated on ${target.label} (${lifecycle(av)}): after an upgrade to ${failingVersions(av)} ${fails}.${replacementHint(av)}`,
      };
    case 'removed':
    case 'not-yet-added': {
      const verified = av.backend?.removalVerifiedThrough;
      // Past the last Django checked (a fork reinstating MemcachedCache exists), the mildest severity (unknown versions are judged mildly).
      const unverified =
        av.status === 'removed' &&
        av.unverified === true &&
        verified !== undefined &&
        target.low !== undefined &&
        compareMinor(target.low, version(verified)) > 0;
      const note = unverified ? ` (removal verified through Django ${verified} only)` : '';
      return {
        severity: unverified || !av.versionKnown ? 'warning' : 'error',
        message: `${where} uses ${name}${suffix}, which ${target.label} does not have (${lifecycle(av)})${note}: ${fails}.${replacementHint(av)}`,
      };
    }
  }
}

export default defineRule({
  code: 'DSL108',
  name: 'unavailable-cache-backend',
  title: 'Cache backend not available in target Django',
  severity: { production: 'error', development: 'error' },
  versionDependent: true,
  fix: 'unsafe',
  docs: {
    what: 'A CACHES entry (any alias) names a Django cache backend the target Django does not have: `memcached.MemcachedCache` (error on Django ≥ 4.1, warning on 3.2–4.0 where it is deprecated), `memcached.PyMemcacheCache` before Django 3.2, `redis.RedisCache` before Django 4.0, or any other name under `django.core.cache.backends.` that Django never shipped. With no known target version the rule warns and names the versions that fail; with only a Horizon release, it uses the Django range that release allows.',
    why: 'Django imports BACKEND when the alias is first used and raises InvalidCacheBackendError; `manage.py check` does not notice. MemcachedCache was deprecated in Django 3.2 and removed in 4.1 (Django 4.1 release notes; verified on Django 5.2: `InvalidCacheBackendError … does not define a "MemcachedCache" attribute/class`). Horizon switched its own default to PyMemcacheCache in 23.4.0 (2024.1) and requires Django 4.2 from 24.0.0, so the memcached example of the session-storage guide cannot work there.',
    example:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',\n    'LOCATION': 'inet6:[fd00::11]:11211',\n}}",
    useInstead:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '[fd00::11]:11211',\n}}",
    fixSafety:
      "Unsafe: MemcachedCache → PyMemcacheCache needs the pymemcache package instead of python-memcached; the fix also rewrites IPv6 servers from python-memcached's `inet6:[addr]:port` to pymemcache's `[addr]:port` (Horizon release note for bug #2039225). For other unknown names a close built-in name is offered as 'did you mean'.",
  },
  check(ctx) {
    const target = djangoTarget(ctx);
    const sessionsUse = sessionCacheEntry(ctx)?.alias;
    const sessionEngine =
      sessionsUse !== undefined ? engineIsOneOf(ctx, [ENGINE_CACHE, ENGINE_CACHED_DB]) : undefined;
    for (const alias of cacheEntries(ctx)) {
      const judged = knownStrings(alias.field(CACHE_KEY_BACKEND));
      if (!judged) continue;
      const sessions =
        sessionEngine && alias.alias === sessionsUse ? ', so every request that uses the session fails' : '';
      const findings: { j: Judged<string>; path: string; av: CacheBackendAvailability; v: Verdict }[] = [];
      for (const j of judged) {
        const path = j.value.trim();
        const av = cacheBackendAvailability(path, target.target);
        // Horizon's own default follows the Django it pins; only an outright failure is worth a word there.
        if (!j.source.span && av.status === 'deprecated') break;
        const v = verdict(path, av, target, aliasLabel(alias), sessions, ifUnsetSuffix(j));
        if (!v) break;
        findings.push({ j, path, av, v });
      }
      // Unknown values are never judged: a BACKEND that depends on an undecided condition counts only when every option fails.
      if (findings.length !== judged.length) continue;
      const seen = new Set<string>();
      for (const { j, path, v } of findings) {
        const key = j.source.span ? `${j.source.span.file}:${j.source.span.from}` : path;
        if (seen.has(key)) continue;
        seen.add(key);
        let fix: { title: string; edits: TextEdit[] } | undefined;
        let didYouMean = '';
        if (path === MEMCACHED_CACHE) fix = memcachedFix(ctx, alias, j, target);
        else if (!findCacheBackend(path) && path.startsWith(CACHE_BACKEND_PREFIX)) {
          const near = nearestBuiltin(path, target);
          const edit = near && !j.ifUnset ? replaceString(ctx, j.source, near) : undefined;
          if (near) didYouMean = ` Did you mean '${near}'?`;
          if (near && edit) fix = { title: `Use '${near}'`, edits: [edit] };
        }
        ctx.report({
          at: j.source.span ? j.source : alias.setting,
          message: v.message + didYouMean,
          severity: v.severity,
          settings: [CACHES],
          related: sessions
            ? relatedSettings(ctx, [SESSION_ENGINE, SESSION_CACHE_ALIAS], j.source.span)
            : undefined,
          fix: fix ? { ...fix, applicability: 'unsafe' } : undefined,
        });
      }
    }
  },
});
