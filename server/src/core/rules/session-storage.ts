/** Shared queries for session/cache rules: the effective engine, the sessions' cache alias and its entry. */
import type { EffectiveSetting } from '../layers/project';
import { CACHES, CACHE_KEY_BACKEND, DEFAULT_ALIAS, SESSION_CACHE_ALIAS, SESSION_ENGINE } from '../knowledge';
import { dictLookup, oneOf, possibilities, str, unknown } from '../evaluate/values';
import type { DictValue, RelatedLocation, Span, Value } from '../types';
import { knownStrings, type Judged, type RuleContext } from './framework';

/** What these queries read: only effective settings (a RuleContext is one; so is any analysed model). */
export type SettingsView = Pick<RuleContext, 'effective'>;

/** Every possible SESSION_ENGINE (known strings or defaults), or undefined when any is unknown. */
export function sessionEngines(
  ctx: SettingsView,
): { setting: EffectiveSetting; engines: Judged<string>[] } | undefined {
  const setting = ctx.effective(SESSION_ENGINE);
  const engines = knownStrings(setting?.value);
  return setting && engines ? { setting, engines } : undefined;
}

/** True when every possibility of SESSION_ENGINE is one of `engines`. */
export function engineIsOneOf(
  ctx: SettingsView,
  engines: readonly string[],
): { setting: EffectiveSetting; judged: Judged<string>[] } | undefined {
  const e = sessionEngines(ctx);
  if (!e || !e.engines.every((j) => engines.includes(j.value))) return undefined;
  return { setting: e.setting, judged: e.engines };
}

/** The alias sessions use (SESSION_CACHE_ALIAS), when it is a single known string. */
export function sessionCacheAlias(
  ctx: SettingsView,
): { alias: string; setting: EffectiveSetting | undefined } | undefined {
  const setting = ctx.effective(SESSION_CACHE_ALIAS);
  if (!setting) return { alias: DEFAULT_ALIAS, setting };
  const all = knownStrings(setting.value);
  if (!all || all.length !== 1 || !all[0]) return undefined;
  return { alias: all[0].value, setting };
}

export interface CacheEntry {
  readonly alias: string;
  readonly caches: EffectiveSetting;
  readonly entry: DictValue;
  /** The entry's key span (the alias string in CACHES). */
  field(name: string): Value | undefined;
}

/**
 * The CACHES entry of an alias when every possibility of CACHES certainly holds it. `entry` is the entry of
 * the first possibility; `field()` looks a key up across all of them (see lookupEverywhere), so a CACHES that
 * differs between branches is judged only where the branches agree.
 */
export function cacheEntry(ctx: SettingsView, alias: string): CacheEntry | undefined {
  const all = cachesDicts(ctx);
  if (!all) return undefined;
  let entry: DictValue | undefined;
  for (const dict of all.dicts) {
    const found = dictLookup(dict, { kind: 'str', value: alias });
    if (found.found !== true || found.entry.value.kind !== 'dict') return undefined;
    entry ??= found.entry.value;
  }
  if (!entry) return undefined;
  const combined = lookupEverywhere(all.caches.value, alias);
  return {
    alias,
    caches: all.caches,
    entry,
    field: (name: string): Value | undefined => lookupEverywhere(combined, name),
  };
}

/** The cache entry sessions use, with the alias. */
export function sessionCacheEntry(ctx: SettingsView): CacheEntry | undefined {
  const alias = sessionCacheAlias(ctx);
  return alias ? cacheEntry(ctx, alias.alias) : undefined;
}

/**
 * The sessions' cache and its BACKEND when SESSION_ENGINE is one of `engines` and every possibility of the
 * BACKEND is known (principle 1): the common start of the rules about the cache sessions live in.
 */
export function sessionBackend(
  ctx: RuleContext,
  engines: readonly string[],
):
  | {
      engine: { setting: EffectiveSetting; judged: Judged<string>[] };
      alias: CacheEntry;
      backend: Judged<string>[];
      first: Judged<string>;
    }
  | undefined {
  const engine = engineIsOneOf(ctx, engines);
  const alias = engine ? sessionCacheEntry(ctx) : undefined;
  const backend = alias ? knownStrings(alias.field(CACHE_KEY_BACKEND)) : undefined;
  const first = backend?.[0];
  return engine && alias && backend && first ? { engine, alias, backend, first } : undefined;
}

/** All known string values of a cache entry's BACKEND, or undefined. */
export function backendOf(entry: CacheEntry): { value: Value; judged: Judged<string>[] } | undefined {
  const v = entry.field('BACKEND');
  const judged = knownStrings(v);
  return v && judged ? { value: v, judged } : undefined;
}

// ------------------------------------------------------------------ branch-aware CACHES queries

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

/** One CACHES alias present in every possibility of the effective CACHES (see cacheEntry). */
export type CacheAlias = CacheEntry;

/** The possibilities of the effective CACHES when every one of them is a dict; else undefined (silence). */
export function cachesDicts(ctx: SettingsView): { caches: EffectiveSetting; dicts: DictValue[] } | undefined {
  const caches = ctx.effective(CACHES);
  if (!caches) return undefined;
  const dicts: DictValue[] = [];
  for (const p of possibilities(caches.value)) {
    if (p.kind !== 'dict') return undefined;
    dicts.push(p);
  }
  return dicts.length > 0 ? { caches, dicts } : undefined;
}

/** Every alias that every possibility of CACHES certainly holds (as a dict entry), in source order. */
export function cacheAliases(ctx: RuleContext): CacheAlias[] {
  const first = cachesDicts(ctx)?.dicts[0];
  if (!first) return [];
  const names = new Set<string>();
  for (const e of first.entries) if (e.key.kind === 'str') names.add(e.key.value);
  return [...names].flatMap((alias) => cacheEntry(ctx, alias) ?? []);
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

export const INDENT = '    ';

/** True when every entry of the dict was written inside its own literal (not added later by `CACHES[k] = …`). */
export function isOneLiteral(dict: DictValue, span: Span): boolean {
  return dict.entries.every((e) => {
    const s = e.keySpan ?? e.key.span;
    return s !== undefined && s.file === span.file && s.from >= span.from && s.to <= span.to;
  });
}
