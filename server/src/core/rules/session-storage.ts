/** Shared queries for session/cache rules: the effective engine, the sessions' cache alias and its entry. */
import type { EffectiveSetting } from '../layers/project';
import { CACHES, DEFAULT_ALIAS, SESSION_CACHE_ALIAS, SESSION_ENGINE } from '../knowledge';
import { dictLookup, possibilities } from '../evaluate/values';
import type { DictValue, Value } from '../types';
import { knownStrings, type Judged, type RuleContext } from './framework';

/** Every possible SESSION_ENGINE (known strings or defaults), or undefined when any is unknown. */
export function sessionEngines(ctx: RuleContext): { setting: EffectiveSetting; engines: Judged<string>[] } | undefined {
  const setting = ctx.effective(SESSION_ENGINE);
  const engines = knownStrings(setting?.value);
  return setting && engines ? { setting, engines } : undefined;
}

/** True when every possibility of SESSION_ENGINE is one of `engines`. */
export function engineIsOneOf(ctx: RuleContext, engines: readonly string[]): { setting: EffectiveSetting; judged: Judged<string>[] } | undefined {
  const e = sessionEngines(ctx);
  if (!e || !e.engines.every((j) => engines.includes(j.value))) return undefined;
  return { setting: e.setting, judged: e.engines };
}

/** The alias sessions use (SESSION_CACHE_ALIAS), when it is a single known string. */
export function sessionCacheAlias(ctx: RuleContext): { alias: string; setting: EffectiveSetting | undefined } | undefined {
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

/** The CACHES entry of an alias when CACHES is a known dict that certainly holds it. */
export function cacheEntry(ctx: RuleContext, alias: string): CacheEntry | undefined {
  const caches = ctx.effective(CACHES);
  if (!caches) return undefined;
  const opts = possibilities(caches.value);
  if (opts.length !== 1) return undefined;
  const dict = opts[0];
  if (dict?.kind !== 'dict') return undefined;
  const found = dictLookup(dict, { kind: 'str', value: alias });
  if (found.found !== true || found.entry.value.kind !== 'dict') return undefined;
  const entry = found.entry.value;
  return {
    alias,
    caches,
    entry,
    field(name: string): Value | undefined {
      const f = dictLookup(entry, { kind: 'str', value: name });
      if (f.found === true) return f.entry.value;
      if (f.found === 'maybe') return { kind: 'unknown', reason: `${name} may be set elsewhere` };
      return undefined;
    },
  };
}

/** The cache entry sessions use, with the alias. */
export function sessionCacheEntry(ctx: RuleContext): CacheEntry | undefined {
  const alias = sessionCacheAlias(ctx);
  return alias ? cacheEntry(ctx, alias.alias) : undefined;
}

/** All known string values of a cache entry's BACKEND, or undefined. */
export function backendOf(entry: CacheEntry): { value: Value; judged: Judged<string>[] } | undefined {
  const v = entry.field('BACKEND');
  const judged = knownStrings(v);
  return v && judged ? { value: v, judged } : undefined;
}
