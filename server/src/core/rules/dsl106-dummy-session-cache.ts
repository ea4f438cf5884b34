/** DSL106: cache sessions stored in DummyCache, which stores nothing, so no login survives its request. */
import {
  CACHES,
  CACHE_KEY_BACKEND,
  CACHE_KEY_LOCATION,
  CACHE_KEY_OPTIONS,
  DEFAULT_MEMCACHED_PORT,
  DUMMY,
  ENGINE_CACHE,
  LOOPBACK_HOST,
  OPTION_IGNORE_EXC,
  PYMEMCACHE,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  cacheBackendAvailability,
} from '../knowledge';
import type { TextEdit } from '../types';
import { INDENT, indentAt } from '../edits/lines';
import { quoteOf } from '../edits/syntax';
import {
  defineRule,
  ifUnsetSuffix,
  type RuleContext,
  isOneLiteral,
  lastSegment,
  relatedSettings,
  whoseDefault,
} from './framework';
import { choiceLabel, memcachedChoice, type MemcachedChoice } from './memcached-choice';
import { cachesDicts, sessionCacheFor } from '../queries/session-storage';
import { aliasLabel, type SettingEntry } from '../queries/entries';

/**
 * A one-server memcached entry (PyMemcacheCache unless another backend is given), indented for a dict literal
 * whose `{` sits on a line indented by `base`.
 */
export function memcachedEntryText(
  base: string,
  q: "'" | '"',
  backend: string = PYMEMCACHE,
  ignoreExc = backend === PYMEMCACHE,
): string {
  const s = (v: string): string => `${q}${v}${q}`;
  const inner = base + INDENT;
  return [
    '{',
    `${inner}${s(CACHE_KEY_BACKEND)}: ${s(backend)},`,
    `${inner}${s(CACHE_KEY_LOCATION)}: ${s(`${LOOPBACK_HOST}:${DEFAULT_MEMCACHED_PORT}`)},`,
    ...(ignoreExc ? [`${inner}${s(CACHE_KEY_OPTIONS)}: {${s(OPTION_IGNORE_EXC)}: True},`] : []),
    `${base}}`,
  ].join('\n');
}

/** Replaces the alias' entry literal with a memcached entry, when the entry is one literal in one CACHES. */
function memcachedEntryEdit(
  ctx: RuleContext,
  cache: SettingEntry,
): { edit: TextEdit; choice: MemcachedChoice } | undefined {
  const entry = cache.entry;
  const span = entry.span;
  if (entry.kind !== 'dict' || !span || !isOneLiteral(entry, span) || cachesDicts(ctx)?.dicts.length !== 1)
    return undefined;
  // The backend whose client library is installed where the settings run, as DSL104's fix chooses it; only a
  // backend current on the target Django (a deprecated MemcachedCache would trade this error for DSL108).
  const choice = memcachedChoice(ctx);
  if (!choice || cacheBackendAvailability(choice.backend, ctx.django).status !== 'available')
    return undefined;
  const text = ctx.text(span.file);
  if (!text?.slice(span.from, span.to).startsWith('{')) return undefined;
  const q = quoteOf(ctx, entry.entries[0]?.keySpan ?? entry.entries[0]?.key.span);
  return {
    edit: {
      file: span.file,
      from: span.from,
      to: span.to,
      newText: memcachedEntryText(indentAt(text, span.from), q, choice.backend, choice.options !== undefined),
    },
    choice,
  };
}

export default defineRule({
  code: 'DSL106',
  name: 'dummy-session-cache',
  title: 'Sessions in DummyCache are never stored',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "SESSION_ENGINE is `django.contrib.sessions.backends.cache` and the alias it uses (SESSION_CACHE_ALIAS, `'default'` unless set) is `DummyCache`.",
    why: "DummyCache implements the cache API and stores nothing, so a session saved by one request is gone by the next: users cannot stay logged in (verified by running Django). Django's check framework does not notice.",
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'}}",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '127.0.0.1:11211',\n    'OPTIONS': {'ignore_exc': True},\n}}",
    fixSafety:
      "Unsafe: replaces the DummyCache entry with a memcached entry, which needs a memcached server and turns caching on for everything else that uses the alias. The backend is the one whose client library is installed where the settings run when that is known (as DSL104's fix), else PyMemcacheCache, naming the package to install in the title.",
  },
  check(ctx) {
    const found = sessionCacheFor(ctx, [ENGINE_CACHE]);
    if (!found) return;
    const { engine, cache, backends, first } = found;
    if (!backends.every((j) => j.value.trim() === DUMMY)) return;
    const fix = memcachedEntryEdit(ctx, cache);
    ctx.report({
      at: first.source.span ? first.source : cache.setting,
      message: `Sessions are stored in ${aliasLabel(cache)}, a ${lastSegment(DUMMY)}${ifUnsetSuffix(first)} (SESSION_ENGINE is ${lastSegment(ENGINE_CACHE)}${ifUnsetSuffix(engine.judged[0])}${whoseDefault(engine.setting)}): it stores nothing, so every session is lost after the request that created it and users cannot stay logged in.`,
      settings: [SESSION_ENGINE, CACHES, SESSION_CACHE_ALIAS],
      related: relatedSettings(ctx, [SESSION_ENGINE, SESSION_CACHE_ALIAS, CACHES], first.source.span),
      fix: fix
        ? {
            title: `Replace ${aliasLabel(cache)} with a memcached (${choiceLabel(fix.choice)}) entry${fix.choice.installedNote}`,
            edits: [fix.edit],
            applicability: 'unsafe',
          }
        : undefined,
    });
  },
});
