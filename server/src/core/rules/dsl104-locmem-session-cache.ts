/** DSL104: cache sessions stored in LocMemCache, a private store per worker process. */
import {
  CACHES,
  ENGINE_CACHE,
  LOCMEM,
  OVERRIDE_SNIPPET_MARKER,
  PYMEMCACHE,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  SHARED_CACHE_FAMILIES,
  findCacheBackend,
} from '../knowledge';
import type { EffectiveSetting } from '../layers/project';
import type { RelatedLocation, TextEdit, Value } from '../types';
import { defineRule, ifUnsetSuffix, type Judged, type RuleContext } from './framework';
import { memcachedCachesText, memcachedChoice, memcachedEntryText } from './memcached-choice';
import { commentOutLines, indentAt } from '../edits/lines';
import {
  backendOf,
  cacheEntryIn,
  engineIsOneOf,
  sessionCacheAlias,
  sessionCacheEntry,
} from '../queries/session-storage';
import { layerSetting, type SettingEntry } from '../queries/entries';

interface Dsl104Fix {
  readonly title: string;
  readonly edits: TextEdit[];
  /** Appended to the message (the package to install). */
  readonly note?: string | undefined;
}

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
      "Unsafe: moves where sessions live and needs a memcached server. It replaces only the session alias's entry (the whole CACHES literal when that is its only alias), with the memcached backend whose client library is installed where the settings run when that is known (Debian's Horizon ships python-memcached, so MemcachedCache on Django 3.2), else PyMemcacheCache, naming the package to install. For a packaged override snippet that says commenting it out brings back local_settings.py's memcached (Debian's `_0006_debian_cache.py`), the fix comments the override out instead — only when local_settings.py sets a shared cache. Likewise, when a snippet replaces CACHES wholesale after an earlier layer gave the sessions a shared cache (kolla's operator `_9999-custom-settings.py` over the memcached pool of `_9998-kolla-settings.py`), the fix comments the snippet's CACHES out, bringing that cache back, instead of writing a memcached entry on 127.0.0.1 over it. No fix for an environment default (`env.cache(default=...)`).",
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
    if (entry.setting.origin.kind === 'file')
      related.push({ span: entry.setting.origin.span, message: 'CACHES set here' });
    const implicit =
      entry.setting.origin.kind === 'default'
        ? ` (${entry.setting.origin.by === 'django' ? "Django's" : "Horizon's"} default CACHES)`
        : '';
    const fix =
      overrideFix(ctx, entry.setting) ??
      restoreEarlierFix(ctx, entry.setting) ??
      memcachedFix(ctx, entry, backend.value, judged);
    ctx.report({
      at: backend.value.span ? backend.value : entry.setting,
      message: `Sessions are stored in LocMemCache${implicit}${ifUnsetSuffix(judged)}: each worker process keeps its own sessions, so users are logged out at random when requests reach another process or host; use memcached or Redis.${fix?.note ?? ''}`,
      settings: [SESSION_ENGINE, CACHES, SESSION_CACHE_ALIAS],
      related,
      fix: fix ? { title: fix.title, edits: fix.edits, applicability: 'unsafe' } : undefined,
    });
  },
});

/**
 * The memcached entry in place of the literal that holds this BACKEND: only the session alias's entry when
 * CACHES has other aliases, else the whole literal. Not for environment defaults (the variable is the
 * deployment's choice) nor when no memcached backend exists on the target Django.
 */
function memcachedFix(
  ctx: RuleContext,
  entry: SettingEntry,
  backendValue: Value,
  judged: Judged<string> | undefined,
): Dsl104Fix | undefined {
  const caches = entry.setting.value;
  const cachesSpan = caches.span;
  const bSpan = backendValue.span;
  const eSpan = entry.entry.span;
  if (!cachesSpan || !bSpan || caches.kind !== 'dict' || judged?.ifUnset) return undefined;
  const within = (a: { file: string; from: number; to: number }, b: typeof a): boolean =>
    a.file === b.file && a.from >= b.from && a.to <= b.to;
  if (!within(bSpan, cachesSpan)) return undefined;
  const choice = memcachedChoice(ctx);
  if (!choice) return undefined;
  const aliases = caches.entries.filter((e) => e.key.kind === 'str').length;
  let edit: TextEdit | undefined;
  if (aliases <= 1 && !caches.open) edit = { ...cachesSpan, newText: memcachedCachesText(choice) };
  else if (eSpan && within(bSpan, eSpan) && within(eSpan, cachesSpan)) {
    const text = ctx.text(eSpan.file) ?? '';
    edit = { ...eSpan, newText: memcachedEntryText(choice, indentAt(text, eSpan.from)) };
  }
  if (!edit) return undefined;
  const short = choice.backend.slice(choice.backend.lastIndexOf('.') + 1);
  return {
    title: `Store sessions in memcached (${short}${choice.missing ? `; needs ${choice.missing.replace(/ is not installed in .*$/, '')}` : ''})${choice.installedNote}`,
    edits: [edit],
    note: choice.missing
      ? ` The fix writes ${short}, whose client ${choice.missing}: install it.`
      : undefined,
  };
}

/**
 * A packaged override snippet whose own comment says that commenting it out brings back local_settings.py's
 * memcached (Debian's `_0006_debian_cache.py`): comment the override out instead of rewriting the packaged
 * file — only when local_settings.py itself sets a shared cache for the sessions' alias (and, when the
 * installed modules are known, its client library is installed).
 */
function overrideFix(ctx: RuleContext, caches: EffectiveSetting): Dsl104Fix | undefined {
  if (caches.origin.kind !== 'file') return undefined;
  const file = caches.origin.span.file;
  if (ctx.project.roleOf(file) !== 'local_settings.d') return undefined;
  const text = ctx.text(file);
  if (text === undefined || !OVERRIDE_SNIPPET_MARKER.test(text)) return undefined;
  const local = ctx.project.files.find((f) => f.role === 'local_settings');
  if (!local || !sharedCacheFor(ctx, layerSetting(ctx, local.path, CACHES))) return undefined;
  const events = ctx.project.events.filter((e) => e.name === CACHES && e.span.file === file);
  if (events.length === 0) return undefined;
  const edits = events.flatMap((e) => commentOutLines(text, e.span));
  const name = file.slice(file.lastIndexOf('/') + 1);
  const localName = local.path.slice(local.path.lastIndexOf('/') + 1);
  return { title: `Comment out the CACHES override in ${name} (${localName} sets a shared cache)`, edits };
}

/**
 * A snippet that replaces CACHES wholesale after an earlier layer gave the sessions a shared cache (kolla's
 * operator `_9999` writing the install guide's LocMemCache over the memcached pool `_9998` configured):
 * comment the snippet's CACHES out, which brings the earlier cache back, rather than writing a memcached
 * entry on 127.0.0.1 into the later file, which would replace a working value set earlier.
 */
function restoreEarlierFix(ctx: RuleContext, caches: EffectiveSetting): Dsl104Fix | undefined {
  if (caches.origin.kind !== 'file') return undefined;
  const file = caches.origin.span.file;
  if (ctx.project.roleOf(file) !== 'local_settings.d') return undefined;
  const text = ctx.text(file);
  const events = ctx.project.events.filter((e) => e.name === CACHES);
  const own = events.filter((e) => e.span.file === file);
  const firstOwn = events.findIndex((e) => e.span.file === file);
  // Only whole, unconditional assignments: commenting them out leaves nothing of this file's CACHES.
  if (text === undefined || own.length === 0 || !own.every((e) => e.kind === 'assign' && e.path.length === 0))
    return undefined;
  if (own.some((e) => e.conditional)) return undefined;
  let earlier: string | undefined;
  for (const e of events.slice(0, firstOwn)) {
    if (e.kind === 'import') continue;
    const role = ctx.project.roleOf(e.span.file);
    if (role === 'local_settings' || role === 'local_settings.d') earlier = e.span.file;
  }
  if (earlier === undefined || !sharedCacheFor(ctx, layerSetting(ctx, earlier, CACHES))) return undefined;
  const edits = own.flatMap((e) => commentOutLines(text, e.span));
  const name = file.slice(file.lastIndexOf('/') + 1);
  const earlierName = earlier.slice(earlier.lastIndexOf('/') + 1);
  return {
    title: `Comment out the CACHES override in ${name} (${earlierName}, which runs before it, sets a shared cache)`,
    edits,
  };
}

/**
 * Whether `caches` (a layer's own CACHES) certainly gives the sessions' alias a shared backend whose client is
 * installed: every possible BACKEND written out (not an environment default).
 */
function sharedCacheFor(ctx: RuleContext, caches: EffectiveSetting | undefined): boolean {
  const alias = sessionCacheAlias(ctx)?.alias;
  const entry = alias === undefined ? undefined : cacheEntryIn(caches, alias);
  const backends = entry ? backendOf(entry)?.judged : undefined;
  return (
    backends?.every((j) => {
      const backend = j.ifUnset ? undefined : findCacheBackend(j.value.trim());
      if (!backend || !SHARED_CACHE_FAMILIES.includes(backend.family)) return false;
      return !ctx.installed || !backend.module || ctx.installed.modules.includes(backend.module);
    }) ?? false
  );
}
