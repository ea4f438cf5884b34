/** DSL107: cache sessions through FileBasedCache/DatabaseCache, a detour around the file/db session engines. */
import {
  CACHES,
  CACHE_KEY_OPTIONS,
  DATABASE_CACHE,
  DEFAULT_MAX_ENTRIES,
  ENGINE_CACHE,
  ENGINE_DB,
  ENGINE_FILE,
  FILEBASED,
  OPTION_MAX_ENTRIES,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
} from '../knowledge';
import { pythonStringLiteral } from '../python/strings';
import type { TextEdit } from '../types';
import { indentAt } from '../edits/lines';
import { quoteOf } from '../edits/syntax';
import {
  defineRule,
  ifUnsetSuffix,
  replaceEveryString,
  type RuleContext,
  lastSegment,
  relatedSettings,
  whoseDefault,
} from './framework';
import { sessionCacheFor, sessionStorage } from '../queries/session-storage';
import { aliasLabel, lookupEverywhere } from '../queries/entries';

/** The culling limit sessions are subject to: the literal OPTIONS value, Django's default, or undefined when unknown. */
function maxEntries(options: Parameters<typeof lookupEverywhere>[0]): number | undefined {
  const v = lookupEverywhere(options, OPTION_MAX_ENTRIES);
  if (v === undefined) return DEFAULT_MAX_ENTRIES;
  return v.kind === 'int' ? v.value : undefined;
}

/**
 * Edits that make SESSION_ENGINE `engine`: rewrite the literal(s) that set it, or — when the engine is a
 * framework default — add an assignment right after the top-level CACHES assignment that chose the backend.
 */
function engineEdits(
  ctx: RuleContext,
  judged: NonNullable<ReturnType<typeof sessionCacheFor>>['engine'],
  engine: string,
): TextEdit[] | undefined {
  if (judged.setting.origin.kind === 'file') return replaceEveryString(ctx, judged.judged, () => engine);
  const caches = sessionStorage(ctx).cachesSetting;
  if (caches?.origin.kind !== 'file') return undefined;
  const at = caches.origin.span;
  const text = ctx.text(at.file);
  if (text === undefined || indentAt(text, at.from) !== '') return undefined;
  const q = quoteOf(ctx, caches.value.span);
  // After the whole line, so a trailing comment stays with the CACHES assignment.
  const nl = text.indexOf('\n', at.to);
  const eol = nl < 0 ? text.length : nl;
  return [
    { file: at.file, from: eol, to: eol, newText: `\n${SESSION_ENGINE} = ${pythonStringLiteral(engine, q)}` },
  ];
}

export default defineRule({
  code: 'DSL107',
  name: 'slow-session-cache',
  title: 'Cache sessions via file/db cache are slower than the direct engine',
  severity: { production: 'information', development: 'off' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: 'SESSION_ENGINE is `django.contrib.sessions.backends.cache` and the alias it uses is `FileBasedCache` or `DatabaseCache`: sessions go to disk or to the database through the cache layer instead of through the `file` or `db` session engine.',
    why: "Django's sessions documentation: with the database cache it is faster to use the db session engine directly, and the file cache gains nothing over the file engine. Unlike the session engines, these caches also cull: once MAX_ENTRIES (default 300, Django base.py) entries exist, a third of them are dropped on the next write, so with more than ~300 live sessions users are logged out at random.",
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'django_cache'}}",
    useInstead: "SESSION_ENGINE = 'django.contrib.sessions.backends.db'",
    fixSafety:
      'Unsafe: switching to the file/db session engine moves where sessions are stored (SESSION_FILE_PATH / the django_session table, which needs `migrate`), so current sessions are lost once.',
  },
  check(ctx) {
    const found = sessionCacheFor(ctx, [ENGINE_CACHE]);
    if (!found) return;
    const { engine, cache, backends, first } = found;
    const isFile = backends.every((j) => j.value.trim() === FILEBASED);
    const isDb = backends.every((j) => j.value.trim() === DATABASE_CACHE);
    if (!isFile && !backends.every((j) => j.value.trim() === FILEBASED || j.value.trim() === DATABASE_CACHE))
      return;
    const direct = isFile ? ENGINE_FILE : isDb ? ENGINE_DB : undefined;
    const kind = isFile
      ? lastSegment(FILEBASED)
      : isDb
        ? lastSegment(DATABASE_CACHE)
        : `${lastSegment(FILEBASED)} or ${lastSegment(DATABASE_CACHE)}`;
    const limit = maxEntries(cache.field(CACHE_KEY_OPTIONS));
    const culling = `${OPTION_MAX_ENTRIES}${limit === undefined ? '' : `=${limit}`}`;
    const edits = direct ? engineEdits(ctx, engine, direct) : undefined;
    ctx.report({
      at: first.source.span ? first.source : cache.setting,
      message: `Sessions go through ${aliasLabel(cache)}, a ${kind}${ifUnsetSuffix(first)} (SESSION_ENGINE is ${lastSegment(ENGINE_CACHE)}${ifUnsetSuffix(engine.judged[0])}${whoseDefault(engine.setting)}): slower than the ${direct ? `'${lastSegment(direct)}'` : `${lastSegment(ENGINE_FILE)}/${lastSegment(ENGINE_DB)}`} session engine, and the cache culls entries at ${culling}, logging users out when more sessions are live.`,
      settings: [SESSION_ENGINE, CACHES, SESSION_CACHE_ALIAS],
      related: relatedSettings(ctx, [SESSION_ENGINE, SESSION_CACHE_ALIAS, CACHES], first.source.span),
      fix:
        edits && direct
          ? { title: `Use the session engine '${direct}'`, edits, applicability: 'unsafe' }
          : undefined,
    });
  },
});
