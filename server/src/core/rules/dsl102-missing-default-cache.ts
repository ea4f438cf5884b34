/** DSL102: CACHES has no 'default' alias (often a flat single-entry dict); also the CACHES queries DSL103–DSL109 share. */
import { dictLookup, oneOf, possibilities, str, unknown } from '../evaluate/values';
import type { EffectiveSetting } from '../layers/project';
import { CACHE_ENTRY_KEY_NAMES, CACHES, DEFAULT_ALIAS } from '../knowledge';
import { CHECK_CACHES_E001, INVALID_CACHE_BACKEND_ERROR } from '../knowledge/extra-session-cache';
import type { DictValue, RelatedLocation, Span, TextEdit, Value } from '../types';
import { defineRule, type RuleContext } from './framework';
import { sessionCacheAlias } from './session-storage';

// ------------------------------------------------------------------ shared CACHES queries (DSL102–DSL109)

/**
 * `key` looked up in every possibility of `v`: undefined when no possibility has it; an Unknown (which no
 * rule judges) when only some have it or a dict may hide it. A oneOf CACHES thereby counts only when every
 * branch agrees (principle 1).
 */
export function lookupEverywhere(v: Value | undefined, key: string): Value | undefined {
  if (!v) return undefined;
  const opts = possibilities(v);
  const found: Value[] = [];
  let absent = 0;
  for (const p of opts) {
    if (p.kind !== 'dict') {
      found.push(unknown(`${key} of a value the analyser cannot see into`));
      continue;
    }
    const r = dictLookup(p, str(key));
    if (r.found === true) found.push(r.entry.value);
    else if (r.found === 'maybe') found.push(unknown(`${key} may be set elsewhere`));
    else absent++;
  }
  if (absent === opts.length) return undefined;
  if (absent > 0) found.push(unknown(`${key} is not set in every branch`));
  return oneOf(found, v.kind === 'oneOf' ? v.condition : 'a condition');
}

/** One CACHES alias present in every possibility of the effective CACHES. */
export interface CacheAlias {
  readonly alias: string;
  readonly caches: EffectiveSetting;
  /** The alias' entry across all possibilities (a oneOf when branches differ). */
  readonly entry: Value;
  /** A key of the entry (BACKEND, LOCATION, OPTIONS …) across all possibilities; see lookupEverywhere. */
  field(name: string): Value | undefined;
}

/** The possibilities of the effective CACHES when every one of them is a dict; else undefined (silence). */
export function cachesDicts(ctx: RuleContext): { caches: EffectiveSetting; dicts: DictValue[] } | undefined {
  const caches = ctx.effective(CACHES);
  if (!caches) return undefined;
  const dicts: DictValue[] = [];
  for (const p of possibilities(caches.value)) {
    if (p.kind !== 'dict') return undefined;
    dicts.push(p);
  }
  return dicts.length > 0 ? { caches, dicts } : undefined;
}

/** Every alias that every possibility of CACHES certainly holds, in source order. */
export function cacheAliases(ctx: RuleContext): CacheAlias[] {
  const all = cachesDicts(ctx);
  const first = all?.dicts[0];
  if (!all || !first) return [];
  const names: string[] = [];
  for (const e of first.entries)
    if (e.key.kind === 'str' && !names.includes(e.key.value)) names.push(e.key.value);
  const out: CacheAlias[] = [];
  for (const alias of names) {
    const entry = lookupEverywhere(all.caches.value, alias);
    if (!entry || entry.kind === 'unknown') continue;
    out.push({ alias, caches: all.caches, entry, field: (name) => lookupEverywhere(entry, name) });
  }
  return out;
}

/** The alias sessions use (SESSION_CACHE_ALIAS), when it is known and present in CACHES. */
export function sessionAlias(ctx: RuleContext): CacheAlias | undefined {
  const a = sessionCacheAlias(ctx);
  return a ? cacheAliases(ctx).find((x) => x.alias === a.alias) : undefined;
}

/** The last dotted segment, for messages: `LocMemCache` for a BACKEND class, `cached_db` for an engine module. */
export function lastSegment(path: string): string {
  const t = path.trim();
  return t.slice(t.lastIndexOf('.') + 1);
}

/** `CACHES['default']`, prefixed with whose default it is when no file set CACHES (principle 2). */
export function aliasLabel(a: { alias: string; caches: EffectiveSetting }): string {
  const o = a.caches.origin;
  const whose = o.kind === 'default' ? (o.by === 'horizon' ? "Horizon's default " : "Django's default ") : '';
  return `${whose}CACHES['${a.alias}']`;
}

/** " (Horizon's default)" / " (Django's default)" for a setting no file assigned, else "" (principle 2). */
export function whoseDefault(setting: EffectiveSetting | undefined): string {
  const o = setting?.origin;
  if (o?.kind !== 'default') return '';
  return o.by === 'horizon' ? " (Horizon's default)" : " (Django's default)";
}

/**
 * "SESSION_ENGINE set here" etc. for the settings a finding relates to that were set in a file, leaving out
 * an assignment that already contains the finding (`at`), where the pointer would only repeat it.
 */
export function relatedSettings(ctx: RuleContext, names: readonly string[], at?: Span): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const name of names) {
    const eff = ctx.effective(name);
    if (eff?.origin.kind !== 'file') continue;
    const s = eff.origin.span;
    if (at && s.file === at.file && s.from <= at.from && at.to <= s.to) continue;
    out.push({ span: s, message: `${name} set here` });
  }
  return out;
}

/** Leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** The quote character a value's literal uses (for edits that write new literals next to it). */
export function quoteOf(ctx: RuleContext, span: Span | undefined): "'" | '"' {
  if (!span) return "'";
  const t = ctx.text(span.file)?.slice(span.from, span.from + 4) ?? '';
  return /^[rRbBuUfF]{0,2}"/.test(t) ? '"' : "'";
}

// ------------------------------------------------------------------ the rule

export const INDENT = '    ';

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

/** True when every entry of the dict was written inside its own literal (not added later by `CACHES[k] = …`). */
export function isOneLiteral(dict: DictValue, span: Span): boolean {
  return dict.entries.every((e) => {
    const s = e.keySpan ?? e.key.span;
    return s !== undefined && s.file === span.file && s.from >= span.from && s.to <= span.to;
  });
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
    why: "Django's system check caches.E001 (\"You must define a 'default' cache in your CACHES setting\") stops `manage.py` commands, and under a WSGI server, where checks do not run, everything that uses `caches['default']` — the cache session engine by default, Horizon's SimultaneousSessionsMiddleware always — fails with InvalidCacheBackendError (domain §3.4, §5; DJ52 core/checks/caches.py).",
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
    // Every possibility must certainly lack 'default'; an open dict may hold it (principle 1).
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
      at: dict.span ? dict : all.caches,
      message,
      settings: [CACHES],
      fix,
    });
  },
});
