/** DSL117: a memcached alias whose KEY_PREFIX makes every key invalid (whitespace/control characters) or session keys longer than memcached's 250 characters. */
import {
  CACHES,
  CACHE_KEY_KEY_FUNCTION,
  CACHE_KEY_KEY_PREFIX,
  CACHE_KEY_VERSION,
  DEFAULT_CACHE_VERSION,
  ENGINE_CACHE,
  ENGINE_CACHED_DB,
  INVALID_CACHE_KEY_ERROR,
  MEMCACHE_INVALID_KEY_CHARS_RE,
  MEMCACHE_MAX_KEY_LENGTH,
  SESSION_CACHED_DB_KEY_PREFIX,
  SESSION_CACHE_KEY_PREFIX,
  SESSION_KEY_LENGTH,
  findCacheBackend,
} from '../knowledge';
import { defineRule, ifUnsetSuffix, judgeAll, knownStrings } from './framework';
import type { RuleContext } from './framework';
import { backendPaths, cacheEntries, sessionCacheAlias, sessionEngine } from '../queries/session-storage';
import { aliasLabel, type SettingEntry } from '../queries/entries';

/** Python's str(VERSION) length, or the shortest it can be (1) when VERSION is not known. */
function versionLength(entry: SettingEntry): number {
  const v = entry.field(CACHE_KEY_VERSION);
  if (v === undefined) return String(DEFAULT_CACHE_VERSION).length;
  const judged = judgeAll(v, (k) =>
    k.kind === 'int' || k.kind === 'str' ? String(k.value).length : undefined,
  );
  return judged ? Math.min(...judged.map((j) => j.value)) : 1;
}

/** The cache-key prefix the session engine adds when this alias stores sessions (`cache` or `cached_db`), else the shorter `cache` one. */
function sessionKeyPrefix(
  ctx: RuleContext,
  entry: SettingEntry,
): { prefix: string; usedBySessions: boolean } {
  const alias = sessionCacheAlias(ctx);
  const engines = sessionEngine(ctx)?.judged.map((j) => j.value);
  const used =
    alias?.alias === entry.alias &&
    engines !== undefined &&
    engines.length > 0 &&
    engines.every((e) => e === ENGINE_CACHE || e === ENGINE_CACHED_DB);
  const cachedDb = used && engines.every((e) => e === ENGINE_CACHED_DB);
  return { prefix: cachedDb ? SESSION_CACHED_DB_KEY_PREFIX : SESSION_CACHE_KEY_PREFIX, usedBySessions: used };
}

function codePoints(s: string): number {
  return Array.from(s).length;
}

export default defineRule({
  code: 'DSL117',
  name: 'memcached-key-prefix',
  title: 'KEY_PREFIX breaks memcached keys',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: "A memcached CACHES alias whose KEY_PREFIX contains whitespace or control characters, or is so long that a session key no longer fits memcached's 250 characters. Keys are built as `KEY_PREFIX:VERSION:key`, and a session key is `django.contrib.sessions.cache` (or `…cached_db`) followed by 32 characters, so the limit is reached when the prefix is about 185 characters. Aliases with a KEY_FUNCTION are skipped: they build keys their own way.",
    why: "Django's memcached backends validate every key and raise `InvalidCacheKey` for keys longer than 250 characters or containing characters `\\x00`–`\\x20` or `\\x7f` (DJ52 `core/cache/backends/base.py` `memcache_key_warnings`, `memcached.py` `validate_key`; other backends only warn). With such a prefix every session read and write fails.",
    example:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '127.0.0.1:11211',\n    'KEY_PREFIX': 'horizon prod',\n}}",
    useInstead:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '127.0.0.1:11211',\n    'KEY_PREFIX': 'horizon-prod',\n}}",
    fixSafety:
      'No automatic fix: a different prefix addresses different keys, and only the user knows which separator or shorter name other services sharing the memcached servers expect.',
  },
  check(ctx) {
    for (const entry of cacheEntries(ctx)) {
      const backend = backendPaths(entry);
      if (!backend || !backend.paths.every((p) => findCacheBackend(p)?.family === 'memcached')) continue;
      // A custom key function (even one that may be set) decides the key format itself.
      if (entry.field(CACHE_KEY_KEY_FUNCTION) !== undefined) continue;
      const prefixValue = entry.field(CACHE_KEY_KEY_PREFIX);
      const judged = knownStrings(prefixValue);
      if (!judged) continue;
      const { prefix: enginePrefix, usedBySessions } = sessionKeyPrefix(ctx, entry);
      const fixedPart = 1 + versionLength(entry) + 1 + enginePrefix.length + SESSION_KEY_LENGTH;
      const verdicts = judged.map((j) => {
        const badChar = MEMCACHE_INVALID_KEY_CHARS_RE.exec(j.value);
        const length = codePoints(j.value) + fixedPart;
        return { j, badChar, length, bad: badChar !== null || length > MEMCACHE_MAX_KEY_LENGTH };
      });
      if (!verdicts.every((v) => v.bad)) continue;
      const affected = usedBySessions
        ? 'every session read and write fails'
        : 'every use of this cache fails';
      for (const v of verdicts) {
        const at = v.j.source.span ? v.j.source : (prefixValue ?? entry.setting);
        if (v.badChar) {
          const ch =
            v.badChar[0] === ' ' ? 'a space' : `the control character ${JSON.stringify(v.badChar[0])}`;
          ctx.report({
            at,
            message: `${aliasLabel(entry)} ${CACHE_KEY_KEY_PREFIX} ${JSON.stringify(v.j.value)}${ifUnsetSuffix(v.j)} contains ${ch}: memcached keys cannot contain whitespace or control characters, so Django raises ${INVALID_CACHE_KEY_ERROR} and ${affected}.`,
            settings: [CACHES],
          });
        } else {
          ctx.report({
            at,
            message: `${aliasLabel(entry)} ${CACHE_KEY_KEY_PREFIX} is ${codePoints(v.j.value)} characters${ifUnsetSuffix(v.j)}: ${usedBySessions ? 'session keys' : 'keys as long as a session key'} (${CACHE_KEY_KEY_PREFIX}:${CACHE_KEY_VERSION}:${enginePrefix} + ${SESSION_KEY_LENGTH} characters) are ${v.length} characters, over memcached's ${MEMCACHE_MAX_KEY_LENGTH}, so Django raises ${INVALID_CACHE_KEY_ERROR}${usedBySessions ? ` and ${affected}` : ' for them'}.`,
            settings: [CACHES],
          });
        }
      }
    }
  },
});
