/**
 * Where sessions live, resolved once per analysed model and branch-aware: SESSION_ENGINE → SESSION_CACHE_ALIAS
 * → the CACHES entry → its BACKEND / LOCATION / OPTIONS, and DATABASES['default'] for the db engines. Rules,
 * hover, completion, the switch-storage feature, the connection plan and both front ends' effective
 * configuration read it; each value keeps its origin (its span, else the assignment of its setting).
 */
import {
  CACHES,
  DATABASES,
  DEFAULT_ALIAS,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  findSessionEngine,
  type SessionEngine,
} from '../knowledge';
import { CACHE_KEY_BACKEND, CACHE_KEY_LOCATION, CACHE_KEY_OPTIONS } from '../knowledge';
import type { EffectiveSetting, ProjectModel } from '../layers/project';
import type { DictEntry, DictValue, Value } from '../types';
import {
  aliasItems,
  dictsOf,
  entriesIn,
  entryIn,
  modelOf,
  type QuerySource,
  type SettingEntry,
} from './entries';
import { knownString, knownStrings, type Judged } from './judge';

/** SESSION_ENGINE when every possibility is a known string (or a visible default). */
export interface EngineQuery {
  readonly setting: EffectiveSetting;
  readonly judged: Judged<string>[];
}

/** The alias sessions use: SESSION_CACHE_ALIAS when it is one known string, else 'default' when unset. */
export interface AliasQuery {
  readonly alias: string;
  readonly setting: EffectiveSetting | undefined;
}

/** A key of an entry whose every possibility is a known string. */
export interface StringField {
  readonly value: Value;
  readonly judged: Judged<string>[];
}

type Dicts = { setting: EffectiveSetting; dicts: DictValue[] } | undefined;

/** The resolved chain. `cache` and `database` are what the engine would use, whatever the engine is. */
export class SessionStorage {
  /** SESSION_ENGINE as the project leaves it (undefined: nobody sets it and no default is known). */
  readonly engineSetting: EffectiveSetting | undefined;
  readonly engine: EngineQuery | undefined;
  /** Django's session engines in use (knowledge records), when every possibility is one of them (undefined: unknown). */
  readonly knownEngines: readonly SessionEngine[] | undefined;
  readonly alias: AliasQuery | undefined;
  /** The effective CACHES and DATABASES whatever they hold (for saying why an entry is unknown). */
  readonly cachesSetting: EffectiveSetting | undefined;
  readonly databasesSetting: EffectiveSetting | undefined;
  /** Their possibilities when every one is a dict (else undefined: silence). */
  readonly caches: Dicts;
  readonly databases: Dicts;
  /** The CACHES entry sessions use (the alias's), when every possibility of CACHES holds it. */
  readonly cache: SettingEntry | undefined;
  readonly backend: StringField | undefined;
  readonly location: Value | undefined;
  readonly options: Value | undefined;
  /** DATABASES['default'], where the db and cached_db engines keep the django_session table. */
  readonly database: SettingEntry | undefined;
  private readonly cacheMemo = new Map<string, SettingEntry | undefined>();
  private cacheList: SettingEntry[] | undefined;
  private databaseList: SettingEntry[] | undefined;

  constructor(model: ProjectModel) {
    this.engineSetting = model.effective(SESSION_ENGINE);
    const judged = knownStrings(this.engineSetting?.value);
    this.engine = this.engineSetting && judged ? { setting: this.engineSetting, judged } : undefined;
    const known = this.engine?.judged.map((j) => findSessionEngine(j.value.trim()));
    this.knownEngines = known?.every((e) => e !== undefined) ? known : undefined;
    this.alias = aliasOf(model.effective(SESSION_CACHE_ALIAS));
    this.cachesSetting = model.effective(CACHES);
    this.databasesSetting = model.effective(DATABASES);
    this.caches = dictsOf(this.cachesSetting);
    this.databases = dictsOf(this.databasesSetting);
    this.cache = this.alias ? this.cacheEntry(this.alias.alias) : undefined;
    this.backend = this.cache ? backendOf(this.cache) : undefined;
    this.location = this.cache?.field(CACHE_KEY_LOCATION);
    this.options = this.cache?.field(CACHE_KEY_OPTIONS);
    this.database = this.databases ? entryIn(this.databases, DEFAULT_ALIAS) : undefined;
  }

  /** The CACHES entry of an alias when every possibility of CACHES certainly holds it. */
  cacheEntry(alias: string): SettingEntry | undefined {
    if (!this.cacheMemo.has(alias))
      this.cacheMemo.set(alias, this.caches ? entryIn(this.caches, alias) : undefined);
    return this.cacheMemo.get(alias);
  }

  /** Every alias entry that every possibility of CACHES holds, in source order. */
  cacheEntries(): SettingEntry[] {
    this.cacheList ??= this.caches ? entriesIn(this.caches) : [];
    return this.cacheList;
  }

  /** The DATABASES entry of an alias when every possibility of DATABASES certainly holds it. */
  databaseEntry(alias: string): SettingEntry | undefined {
    return alias === DEFAULT_ALIAS ? this.database : this.databaseEntries().find((e) => e.alias === alias);
  }

  /** Every alias that every possibility of DATABASES holds, in source order. */
  databaseEntries(): SettingEntry[] {
    this.databaseList ??= this.databases ? entriesIn(this.databases) : [];
    return this.databaseList;
  }

  /** True / false when every engine in use does / does not keep sessions in a cache; undefined: unknown. */
  usesCache(): boolean | undefined {
    return this.knownEngines?.some((e) => e.shortName === 'cache' || e.shortName === 'cached_db');
  }

  /** Whether sessions may live in a cache: false only when every engine is one of Django's and none is cache-backed. */
  mayUseCache(): boolean {
    return this.usesCache() !== false;
  }

  /** Where an alias is defined in the effective CACHES: its key in the first possibility that holds it (navigation). */
  cacheAliasDefinition(alias: string): { readonly item: DictEntry; readonly dict: DictValue } | undefined {
    return aliasItems(this.cachesSetting, alias)[0];
  }
}

function aliasOf(setting: EffectiveSetting | undefined): AliasQuery | undefined {
  if (!setting) return { alias: DEFAULT_ALIAS, setting };
  const all = knownStrings(setting.value);
  if (!all || all.length !== 1 || !all[0]) return undefined;
  return { alias: all[0].value, setting };
}

const resolved = new WeakMap<ProjectModel, SessionStorage>();

/** The session storage of an analysed model, resolved on first use and kept with the model. */
export function sessionStorage(src: QuerySource): SessionStorage {
  const model = modelOf(src);
  let s = resolved.get(model);
  if (!s) {
    s = new SessionStorage(model);
    resolved.set(model, s);
  }
  return s;
}

// ------------------------------------------------------------------ the reads rules share

/** SESSION_ENGINE: every possibility judged (known strings or defaults), or undefined when any is unknown. */
export function sessionEngine(src: QuerySource): EngineQuery | undefined {
  return sessionStorage(src).engine;
}

/** SESSION_ENGINE when every possibility is one of `engines`. */
export function engineIsOneOf(src: QuerySource, engines: readonly string[]): EngineQuery | undefined {
  const e = sessionEngine(src);
  return e && e.judged.every((j) => engines.includes(j.value)) ? e : undefined;
}

/** The alias sessions use (SESSION_CACHE_ALIAS), when it is a single known string. */
export function sessionCacheAlias(src: QuerySource): AliasQuery | undefined {
  return sessionStorage(src).alias;
}

/** The CACHES entry of an alias when every possibility of CACHES certainly holds it. */
export function cacheEntry(src: QuerySource, alias: string): SettingEntry | undefined {
  return sessionStorage(src).cacheEntry(alias);
}

/** The cache entry sessions use. */
export function sessionCacheEntry(src: QuerySource): SettingEntry | undefined {
  return sessionStorage(src).cache;
}

/** Every alias that every possibility of CACHES certainly holds (as a dict entry), in source order. */
export function cacheEntries(src: QuerySource): SettingEntry[] {
  return sessionStorage(src).cacheEntries();
}

/** The possibilities of the effective CACHES when every one of them is a dict; else undefined (silence). */
export function cachesDicts(src: QuerySource): Dicts {
  return sessionStorage(src).caches;
}

/** Every alias entry of DATABASES or CACHES (branch-aware, see entriesIn). */
export function settingEntries(src: QuerySource, name: typeof CACHES | typeof DATABASES): SettingEntry[] {
  const s = sessionStorage(src);
  return name === CACHES ? s.cacheEntries() : s.databaseEntries();
}

/** The cache sessions live in, for a given SESSION_ENGINE (see `sessionCacheFor`). */
export interface SessionCache {
  readonly engine: EngineQuery;
  /** The CACHES entry sessions use. */
  readonly cache: SettingEntry;
  /** Every possibility of its BACKEND, judged. */
  readonly backends: Judged<string>[];
  /** The first of them (where a finding about the backend goes). */
  readonly first: Judged<string>;
}

/**
 * The cache sessions live in when SESSION_ENGINE is one of `engines` and every possibility of its BACKEND is
 * known (unknown values are never judged): the common start of the rules about that cache.
 */
export function sessionCacheFor(src: QuerySource, engines: readonly string[]): SessionCache | undefined {
  const engine = engineIsOneOf(src, engines);
  const s = sessionStorage(src);
  const first = s.backend?.judged[0];
  return engine && s.cache && s.backend && first
    ? { engine, cache: s.cache, backends: s.backend.judged, first }
    : undefined;
}

/** All known string values of an entry's BACKEND, or undefined. */
export function backendOf(entry: SettingEntry): StringField | undefined {
  const v = entry.field(CACHE_KEY_BACKEND);
  const judged = knownStrings(v);
  return v && judged ? { value: v, judged } : undefined;
}

/** The alias' BACKEND when every possibility is a known string; paths are trimmed as Django's import would need. */
export function backendPaths(
  entry: SettingEntry,
): { value: Value; paths: string[]; judged: Judged<string>[] } | undefined {
  const b = backendOf(entry);
  if (!b) return undefined;
  return { value: b.value, paths: b.judged.map((j) => j.value.trim()), judged: b.judged };
}

/** The alias' BACKEND when every possibility is one of `paths`. */
export function backendIsOneOf(
  entry: SettingEntry,
  paths: readonly string[],
): ReturnType<typeof backendPaths> {
  const b = backendPaths(entry);
  return b && b.paths.every((p) => paths.includes(p)) ? b : undefined;
}

/**
 * The entry of `alias` in a CACHES that is not the effective one (a layer's own, see `layerSetting`), when
 * every possibility certainly holds it as a dict.
 */
export function cacheEntryIn(caches: EffectiveSetting | undefined, alias: string): SettingEntry | undefined {
  const all = dictsOf(caches);
  return all ? entryIn(all, alias) : undefined;
}

/** `CACHES[alias][key]` or `DATABASES[alias][key]` when it is one known string (a visible default counts). */
export function entryString(
  src: QuerySource,
  setting: string,
  alias: string,
  key: string,
): string | undefined {
  const s = sessionStorage(src);
  const entry =
    setting === CACHES ? s.cacheEntry(alias) : setting === DATABASES ? s.databaseEntry(alias) : undefined;
  return knownString(entry?.field(key))?.value;
}

/** The LOCATION value of an alias (undefined when certainly absent; Unknown when it may be set elsewhere). */
export function locationOf(entry: SettingEntry): Value | undefined {
  return entry.field(CACHE_KEY_LOCATION);
}
