/** DSL102: CACHES has no 'default' alias (often a flat single-entry dict); also the CACHES queries DSL103–DSL109 share. */
import { dictLookup, str } from '../evaluate/values';
import {
  CACHES,
  CACHE_ENTRY_KEY_NAMES,
  CHECK_CACHES_E001,
  DEFAULT_ALIAS,
  INVALID_CACHE_BACKEND_ERROR,
} from '../knowledge';
import type { DictValue, Span, TextEdit } from '../types';
import { defineRule, type RuleContext, isOneLiteral } from './framework';
import { INDENT, indentAt } from '../edits/lines';
import { quoteOf } from '../edits/syntax';
import { cachesDicts, sessionCacheAlias } from '../queries/session-storage';

// ------------------------------------------------------------------ the rule

/** `{'default': <flat dict>}`, re-indented when the literal spans lines (unless a triple-quoted string would change). */
function wrapFlat(ctx: RuleContext, dict: DictValue, span: Span): TextEdit | undefined {
  const text = ctx.text(span.file);
  if (text === undefined) return undefined;
  const original = text.slice(span.from, span.to);
  if (!original.startsWith('{') || !original.endsWith('}')) return undefined;
  const q = quoteOf(ctx, dict.entries[0]?.keySpan ?? dict.entries[0]?.key.span);
  const key = `${q}${DEFAULT_ALIAS}${q}`;
  if (!original.includes('\n') || original.includes("'''") || original.includes('"""')) {
    return { file: span.file, from: span.from, to: span.to, newText: `{${key}: ${original}}` };
  }
  const base = indentAt(text, span.from);
  const inner = original
    .split('\n')
    .map((line, i) => (i === 0 || line.trim() === '' ? line : INDENT + line))
    .join('\n');
  return {
    file: span.file,
    from: span.from,
    to: span.to,
    newText: `{\n${base}${INDENT}${key}: ${inner},\n${base}}`,
  };
}

export default defineRule({
  code: 'DSL102',
  name: 'missing-default-cache',
  title: "CACHES has no 'default' alias / flat CACHES",
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'safe',
  docs: {
    what: "CACHES maps cache *aliases* to entries and must contain the alias `'default'`. This rule flags a CACHES dict without it, including the common mistake of writing a single entry directly (`CACHES = {'BACKEND': …, 'LOCATION': …}`), as the 2013 Grizzly install guide's local-memory example did.",
    why: "Django's system check caches.E001 (\"You must define a 'default' cache in your CACHES setting\") stops `manage.py` commands, and under a WSGI server, where checks do not run, everything that uses `caches['default']` — the cache session engine by default, Horizon's SimultaneousSessionsMiddleware always — fails with InvalidCacheBackendError (DJ52 core/checks/caches.py).",
    example:
      "CACHES = {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '127.0.0.1:11211',\n}",
    useInstead:
      "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n        'LOCATION': '127.0.0.1:11211',\n    },\n}",
    fixSafety:
      "Safe for a flat CACHES literal: wrapping it into `{'default': {...}}` makes Django use exactly the entry that was written. Renaming the only alias to 'default' is unsafe (code may refer to the old alias) and is offered only when SESSION_CACHE_ALIAS does not use it. No fix for an empty CACHES: that would have to choose a backend.",
    djangoCheck: CHECK_CACHES_E001,
  },
  check(ctx) {
    const all = cachesDicts(ctx);
    if (!all) return;
    // Every possibility must certainly lack 'default'; an open dict may hold it (unknown values are never judged).
    if (!all.dicts.every((d) => dictLookup(d, str(DEFAULT_ALIAS)).found === false)) return;
    const dict = all.dicts[0];
    if (!dict) return;
    const keys = dict.entries.map((e) => (e.key.kind === 'str' ? e.key.value : undefined));
    const known = keys.filter((k): k is string => k !== undefined);
    const flat = known.some((k) => CACHE_ENTRY_KEY_NAMES.includes(k));
    const single =
      all.dicts.length === 1 && dict.span !== undefined && isOneLiteral(dict, dict.span)
        ? dict.span
        : undefined;
    let fix: { title: string; edits: TextEdit[]; applicability: 'safe' | 'unsafe' } | undefined;
    let message: string;
    const breaks = `Django's check ${CHECK_CACHES_E001} stops manage.py and, under a WSGI server, every use of caches['${DEFAULT_ALIAS}'] fails with ${INVALID_CACHE_BACKEND_ERROR}`;
    if (flat) {
      message = `CACHES is a single cache entry (${known.filter((k) => CACHE_ENTRY_KEY_NAMES.includes(k)).join(', ')} at the top level), not a dict of aliases: there is no '${DEFAULT_ALIAS}' cache, so ${breaks}.`;
      if (single && known.length === keys.length && known.every((k) => CACHE_ENTRY_KEY_NAMES.includes(k))) {
        const edit = wrapFlat(ctx, dict, single);
        if (edit)
          fix = {
            title: `Wrap the entry into {'${DEFAULT_ALIAS}': {...}}`,
            edits: [edit],
            applicability: 'safe',
          };
      }
    } else if (known.length === 0) {
      message = `CACHES is empty: there is no '${DEFAULT_ALIAS}' cache, so ${breaks}.`;
    } else {
      message = `CACHES has no '${DEFAULT_ALIAS}' alias (only ${known.map((k) => `'${k}'`).join(', ')}): ${breaks}.`;
      const only = dict.entries[0];
      const sessions = sessionCacheAlias(ctx)?.alias;
      const keySpan = only?.keySpan ?? only?.key.span;
      if (
        single &&
        dict.entries.length === 1 &&
        only &&
        only.key.kind === 'str' &&
        keySpan &&
        sessions !== undefined &&
        sessions !== only.key.value
      ) {
        const q = quoteOf(ctx, keySpan);
        fix = {
          title: `Rename alias '${only.key.value}' to '${DEFAULT_ALIAS}'`,
          edits: [{ ...keySpan, newText: `${q}${DEFAULT_ALIAS}${q}` }],
          applicability: 'unsafe',
        };
      }
    }
    ctx.report({
      at: dict.span ? dict : all.setting,
      message,
      settings: [CACHES],
      fix,
    });
  },
});
