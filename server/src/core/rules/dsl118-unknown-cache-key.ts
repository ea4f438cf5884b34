/** DSL118: a top-level key of a CACHES entry that Django (and the backend) never reads, e.g. PREFIX, LOCATIONS, OPTION. */
import {
  BACKEND_EXTRA_ENTRY_KEYS,
  CACHES,
  CACHE_ENTRY_KEY_NAMES,
  CACHE_ENTRY_LEGACY_PARAMS,
  CACHE_KEY_BACKEND,
  CACHE_KEY_CORRECTIONS,
  CACHE_KEY_OPTIONS,
  DJANGO_REDIS,
  type KeyCorrection,
  editDistance,
  findCacheBackend,
} from '../knowledge';
import { dictLookup, keyString, possibilities } from '../evaluate/values';
import { pythonStringLiteral } from '../python/strings';
import type { DictEntry, DictValue, TextEdit } from '../types';
import { defineRule, type RuleContext } from './framework';
import { backendPaths, cacheEntries } from '../queries/session-storage';
import { aliasLabel, type SettingEntry } from '../queries/entries';
import { literalEdit } from './cache-aliases';
import { lineStartOf } from '../edits/lines';
import { quoteOf } from '../edits/syntax';

interface Suggestion {
  readonly to: string;
  readonly action: KeyCorrection['action'] | 'backend-option';
}

/**
 * The keys this entry's backend reads at the top level, or undefined when that is not known: third-party
 * backends other than django-redis may read any key from their params, so their entries are not judged.
 */
function readableKeys(entry: SettingEntry): { keys: Set<string>; backend: string | undefined } | undefined {
  const base = new Set([...CACHE_ENTRY_KEY_NAMES, ...CACHE_ENTRY_LEGACY_PARAMS]);
  if (entry.field(CACHE_KEY_BACKEND) === undefined) return { keys: base, backend: undefined };
  const b = backendPaths(entry);
  if (!b || !b.paths.every((p) => findCacheBackend(p)?.builtin === true || p === DJANGO_REDIS))
    return undefined;
  for (const p of b.paths) for (const k of BACKEND_EXTRA_ENTRY_KEYS[p] ?? []) base.add(k);
  const single = b.paths.every((p) => p === b.paths[0]) ? b.paths[0] : undefined;
  return { keys: base, backend: single };
}

/** The one documented key closest to `key`, or undefined when none is close or two are equally close. */
function uniqueClosest(key: string, candidates: readonly string[]): string | undefined {
  const max = Math.max(1, Math.floor(key.length / 3));
  const scored = candidates
    .map((c) => ({ c, d: editDistance(key.toLowerCase(), c.toLowerCase()) }))
    .filter((s) => s.d <= max);
  const best = Math.min(...scored.map((s) => s.d));
  const top = scored.filter((s) => s.d === best);
  return top.length === 1 ? top[0]?.c : undefined;
}

function suggest(
  key: string,
  backend: string | undefined,
  documented: readonly string[],
): Suggestion | undefined {
  const correction =
    CACHE_KEY_CORRECTIONS.find((c) => c.key === key) ??
    CACHE_KEY_CORRECTIONS.find((c) => c.key.toLowerCase() === key.toLowerCase());
  if (correction) return { to: correction.to, action: correction.action };
  // A backend's own OPTIONS key written one level too high (CLIENT_CLASS beside BACKEND).
  if (backend && findCacheBackend(backend)?.optionsKeys.some((k) => k.name === key))
    return { to: key, action: 'backend-option' };
  const closest = uniqueClosest(key, documented);
  return closest ? { to: closest, action: 'rename' } : undefined;
}

/** The range that removes `key: value,` from a dict literal, taking the whole line when the pair is alone on it. */
function pairRemoval(text: string, from: number, to: number): { from: number; to: number } {
  let end = to;
  const comma = /^\s*,[ \t]*/.exec(text.slice(to));
  if (comma) end += comma[0].length;
  const lineStart = lineStartOf(text, from);
  const rest = /^[ \t]*(#[^\n]*)?(\n|$)/.exec(text.slice(end));
  if (/^[ \t]*$/.test(text.slice(lineStart, from)) && rest)
    return { from: lineStart, to: end + rest[0].length };
  return { from, to: end };
}

/** Edits moving `e` (a `key: value` pair of a dict literal) into the entry's OPTIONS as `to`, or undefined. */
function moveIntoOptions(
  ctx: RuleContext,
  entry: SettingEntry,
  e: DictEntry,
  to: string,
): TextEdit[] | undefined {
  const keySpan = e.keySpan;
  const valueSpan = e.value.span;
  if (!keySpan || !valueSpan || keySpan.file !== valueSpan.file) return undefined;
  const text = ctx.text(keySpan.file);
  if (text === undefined || !/^\s*:\s*$/.test(text.slice(keySpan.to, valueSpan.from))) return undefined;
  const valueText = text.slice(valueSpan.from, valueSpan.to);
  const q = quoteOf(ctx, keySpan);
  const moved = `${pythonStringLiteral(to, q)}: ${valueText}`;
  const options = dictLookup(entry.entry, { kind: 'str', value: CACHE_KEY_OPTIONS });
  if (options.found !== true) {
    if (options.found === 'maybe') return undefined;
    return [
      {
        file: keySpan.file,
        from: keySpan.from,
        to: valueSpan.to,
        newText: `${pythonStringLiteral(CACHE_KEY_OPTIONS, q)}: {${moved}}`,
      },
    ];
  }
  const opts = possibilities(options.entry.value);
  const dict = opts.length === 1 ? opts[0] : undefined;
  if (dict?.kind !== 'dict' || dict.open || !dict.span || dict.span.file !== keySpan.file) return undefined;
  if (dictLookup(dict, { kind: 'str', value: to }).found !== false) return undefined;
  const dictText = text.slice(dict.span.from, dict.span.to);
  if (!dictText.startsWith('{')) return undefined;
  const removal = pairRemoval(text, keySpan.from, valueSpan.to);
  const insert = dict.entries.length === 0 ? moved : `${moved}, `;
  return [
    { file: keySpan.file, from: dict.span.from + 1, to: dict.span.from + 1, newText: insert },
    { file: keySpan.file, ...removal, newText: '' },
  ];
}

function isPresent(dict: DictValue, key: string): boolean | undefined {
  const f = dictLookup(dict, { kind: 'str', value: key });
  return f.found === 'maybe' ? undefined : f.found;
}

export default defineRule({
  code: 'DSL118',
  name: 'unknown-cache-key',
  title: 'Unknown key in a CACHES entry',
  severity: { production: 'warning', development: 'warning' },
  versionDependent: false,
  fix: 'safe',
  docs: {
    what: "A top-level key of a CACHES alias that is not one of BACKEND, LOCATION, TIMEOUT, OPTIONS, KEY_PREFIX, VERSION, KEY_FUNCTION (plus the lower-case `timeout`, `max_entries` and `cull_frequency` Django still reads, and django-redis' REVERSE_KEY_FUNCTION) — typically `PREFIX`, `LOCATIONS`, `OPTION`, or an OPTIONS key such as `MAX_ENTRIES` or `CLIENT_CLASS` written one level too high. Entries of third-party backends other than django-redis are not judged: they may read their own keys.",
    why: "Django copies the entry into the backend's params and reads only the keys it knows (DJ52 `core/cache/backends/base.py` BaseCache.__init__); anything else is silently ignored and `manage.py check` says nothing, so the cache runs without the intended prefix, server list or options.",
    example:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '127.0.0.1:11211',\n    'PREFIX': 'horizon',\n}}",
    useInstead:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    'LOCATION': '127.0.0.1:11211',\n    'KEY_PREFIX': 'horizon',\n}}",
    fixSafety:
      "Safe when the intended key is unambiguous (a known correction such as PREFIX → KEY_PREFIX, or the single closest valid key) and not already present: the rename makes the setting take effect as written. MAX_ENTRIES/CULL_FREQUENCY move into OPTIONS (safe, only for backends that cull). A backend's own option written beside BACKEND (e.g. CLIENT_CLASS) moves into OPTIONS as an unsafe fix, since the option then changes how the client behaves. No fix when two keys are equally close, the target key already exists, or the key is not a plain literal.",
  },
  check(ctx) {
    for (const entry of cacheEntries(ctx)) {
      const readable = readableKeys(entry);
      if (!readable) continue;
      const documented = [
        ...CACHE_ENTRY_KEY_NAMES,
        ...(readable.backend ? (BACKEND_EXTRA_ENTRY_KEYS[readable.backend] ?? []) : []),
      ];
      for (const e of entry.entry.entries) {
        const key = keyString(e);
        if (key === undefined || readable.keys.has(key) || !e.keySpan) continue;
        const s = suggest(key, readable.backend, documented);
        const keyValue = { kind: 'str' as const, value: key, span: e.keySpan };
        let edits: TextEdit[] | undefined;
        let applicability: 'safe' | 'unsafe' = 'safe';
        let hint = '';
        if (s?.action === 'rename') {
          const present = isPresent(entry.entry, s.to);
          hint = present ? ` '${s.to}' is already set, so this key is dead.` : ` Did you mean '${s.to}'?`;
          const edit = present === false ? literalEdit(ctx, keyValue, s.to) : undefined;
          edits = edit ? [edit] : undefined;
        } else if (s) {
          const backend = readable.backend ? findCacheBackend(readable.backend) : undefined;
          // MAX_ENTRIES/CULL_FREQUENCY only mean something to culling backends; elsewhere OPTIONS go to a client library.
          const movable = s.action === 'backend-option' || backend?.culls === true;
          hint = ` It belongs in ${CACHE_KEY_OPTIONS}${movable ? '' : ` (and only for the locmem, filebased and db backends)`}.`;
          edits = movable ? moveIntoOptions(ctx, entry, e, s.to) : undefined;
          applicability = s.action === 'backend-option' ? 'unsafe' : 'safe';
        }
        const title =
          s?.action === 'rename' ? `Rename '${key}' to '${s.to}'` : `Move '${key}' into ${CACHE_KEY_OPTIONS}`;
        ctx.report({
          at: e.keySpan,
          message: `${aliasLabel(entry)} has the key '${key}', which Django never reads (valid keys: ${CACHE_ENTRY_KEY_NAMES.join(', ')}), so it is silently ignored.${hint}`,
          settings: [CACHES],
          fix: edits && edits.length > 0 ? { title, edits, applicability } : undefined,
        });
      }
    }
  },
});
