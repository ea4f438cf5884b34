/**
 * Branch-aware entries of the dict settings (CACHES, DATABASES): an alias counts only when every possibility of
 * the effective setting holds it, and a key looked up in it is judged only where the branches agree. The one
 * place rules, features and front ends read an alias entry from; reads the evaluated model only.
 */
import { dictLookup, keyString, oneOf, possibilities, str, unknown } from '../evaluate/values';
import type { EffectiveSetting, ProjectModel } from '../layers/project';
import type { DictEntry, DictValue, Origin, Value } from '../types';

/** Where the queries read from: a rule's context (`project`) or an analysis (`model`). */
export type QuerySource = { readonly project: ProjectModel } | { readonly model: ProjectModel };

export function modelOf(src: QuerySource): ProjectModel {
  return 'project' in src ? src.project : src.model;
}

/** One alias of CACHES or DATABASES that every possibility of the setting holds as a dict. */
export interface SettingEntry {
  readonly alias: string;
  /** The effective CACHES/DATABASES setting the entry belongs to. */
  readonly setting: EffectiveSetting;
  /** The entry in the first possibility of the setting (the only one when `branches` is 1). */
  readonly entry: DictValue;
  /** The alias's item in that possibility's outer dict (key, key span, value). */
  readonly item: DictEntry;
  /** How many possibilities the setting has (1: one dict, whose literal edits may touch). */
  readonly branches: number;
  /** A key's value across every possibility (see lookupEverywhere); undefined when certainly absent. */
  field(name: string): Value | undefined;
  /** The key's item in `entry` when it is certainly present and `branches` is 1 (for edits that need its key span). */
  itemOf(name: string): DictEntry | undefined;
}

/**
 * `key` looked up in every possibility of `v`: undefined when no possibility has it; an Unknown (which no
 * rule judges) when only some have it or a dict may hide it. A oneOf CACHES thereby counts only when every
 * branch agrees (unknown values are never judged).
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
  // One possibility: its value as written (its own span and condition).
  if (opts.length === 1 && found.length === 1) return found[0];
  return oneOf(found, v.kind === 'oneOf' ? v.condition : 'a condition');
}

/** The last entry of `dict` whose key is the string `name` (what Python keeps for duplicate keys). */
export function entryNamed(dict: DictValue, name: string): DictEntry | undefined {
  const f = dictLookup(dict, str(name));
  return f.found === true ? f.entry : undefined;
}

/** The possibilities of an effective dict setting when every one of them is a dict; else undefined (silence). */
export function settingDicts(
  src: QuerySource,
  name: string,
): { setting: EffectiveSetting; dicts: DictValue[] } | undefined {
  return dictsOf(modelOf(src).effective(name));
}

/**
 * A setting as one layer file leaves it in its own namespace, before later layers run (what commenting out a
 * later override would bring back); undefined when the file is not a layer or does not set it.
 */
export function layerSetting(src: QuerySource, file: string, name: string): EffectiveSetting | undefined {
  const fm = modelOf(src).files.find((f) => f.path === file);
  const bound = fm?.evaluation.env.get(name);
  return fm && bound ? { name, value: bound.value, origin: bound.origin, layer: fm.role } : undefined;
}

/** The possibilities of a dict setting (effective or a layer's) when every one of them is a dict. */
export function dictsOf(
  setting: EffectiveSetting | undefined,
): { setting: EffectiveSetting; dicts: DictValue[] } | undefined {
  if (!setting) return undefined;
  const dicts: DictValue[] = [];
  for (const p of possibilities(setting.value)) {
    if (p.kind !== 'dict') return undefined;
    dicts.push(p);
  }
  return dicts.length > 0 ? { setting, dicts } : undefined;
}

/** The effective value of a dict setting when it is one known dict (no alternatives). */
export function settingDict(
  src: QuerySource,
  name: string,
): { setting: EffectiveSetting; dict: DictValue } | undefined {
  const all = settingDicts(src, name);
  const only = all?.dicts.length === 1 ? all.dicts[0] : undefined;
  return all && only ? { setting: all.setting, dict: only } : undefined;
}

/** The entry of `alias` when every possibility of the setting certainly holds it as a dict. */
export function entryIn(
  all: { setting: EffectiveSetting; dicts: readonly DictValue[] },
  alias: string,
): SettingEntry | undefined {
  let first: DictEntry | undefined;
  for (const dict of all.dicts) {
    const found = entryNamed(dict, alias);
    if (!found || found.value.kind !== 'dict') return undefined;
    first ??= found;
  }
  if (!first || first.value.kind !== 'dict') return undefined;
  const entry = first.value;
  const branches = all.dicts.length;
  const combined = branches === 1 ? entry : lookupEverywhere(all.setting.value, alias);
  return {
    alias,
    setting: all.setting,
    entry,
    item: first,
    branches,
    field: (name) => lookupEverywhere(combined, name),
    itemOf: (name) => (branches === 1 ? entryNamed(entry, name) : undefined),
  };
}

/**
 * The items of `alias` in the possibilities of a dict setting that certainly hold it, whatever they hold
 * (lenient, for navigation: the first is where the alias is defined).
 */
export function aliasItems(
  setting: EffectiveSetting | undefined,
  alias: string,
): { readonly item: DictEntry; readonly dict: DictValue }[] {
  const out: { item: DictEntry; dict: DictValue }[] = [];
  for (const dict of setting ? possibilities(setting.value) : []) {
    if (dict.kind !== 'dict') continue;
    const f = dictLookup(dict, str(alias));
    if (f.found === true) out.push({ item: f.entry, dict });
  }
  return out;
}

/** Every alias (a string key) that every possibility of the setting holds as a dict, in source order. */
export function entriesIn(all: { setting: EffectiveSetting; dicts: readonly DictValue[] }): SettingEntry[] {
  const first = all.dicts[0];
  if (!first) return [];
  const out: SettingEntry[] = [];
  for (const item of first.entries) {
    const alias = keyString(item);
    // A later item with an equal key wins in Python: list the alias once, where Django sees it.
    if (alias === undefined || entryNamed(first, alias) !== item) continue;
    const e = entryIn(all, alias);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The origin of a value inside a setting (a CACHES key, a DATABASES entry): the literal that produced it,
 * maybe in a later snippet that changed the dict, else `origin`, the assignment (or default) of the setting.
 */
export function valueOrigin(origin: Origin, value?: Value): Origin {
  return value?.span ? { kind: 'file', span: value.span } : origin;
}

/** `CACHES['default']`, prefixed with whose default it is when no file set CACHES (effective values, not lines). */
export function aliasLabel(e: { alias: string; setting: EffectiveSetting }): string {
  const o = e.setting.origin;
  const whose = o.kind === 'default' ? (o.by === 'horizon' ? "Horizon's default " : "Django's default ") : '';
  return `${whose}${e.setting.name}['${e.alias}']`;
}

/** `DATABASES['default']['PASSWORD']`, for messages. */
export function entryPath(setting: string, alias: string, ...keys: string[]): string {
  return `${setting}[${pyRepr(alias)}]${keys.map((k) => `[${pyRepr(k)}]`).join('')}`;
}

function pyRepr(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
