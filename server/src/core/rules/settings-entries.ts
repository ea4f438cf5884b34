/** Shared queries for the DATABASES/CACHES rules: every alias entry of an effective dict setting and its fields, from the evaluated model only (never parser nodes). */
import type { EffectiveSetting } from '../layers/project';
import { dictLookup, keyString, possibilities } from '../evaluate/values';
import type { DictEntry, DictValue, Value } from '../types';
import type { RuleContext } from './framework';

/** One alias of DATABASES or CACHES whose entry is a known dict. */
export interface AliasEntry {
  readonly alias: string;
  /** The alias's item in the outer dict (key, key span, value). */
  readonly item: DictEntry;
  readonly entry: DictValue;
  /** The effective DATABASES/CACHES setting the entry belongs to. */
  readonly setting: EffectiveSetting;
  /** A field's value; an Unknown when a spread or unknown key may hold it; undefined when certainly absent. */
  field(name: string): Value | undefined;
  /** The field's item when it is certainly present (for edits that need its key span). */
  itemOf(name: string): DictEntry | undefined;
}

/** The effective value of a dict setting when it is one known dict (no alternatives). */
export function settingDict(
  ctx: RuleContext,
  name: string,
): { setting: EffectiveSetting; dict: DictValue } | undefined {
  const setting = ctx.effective(name);
  if (!setting) return undefined;
  const opts = possibilities(setting.value);
  const only = opts.length === 1 ? opts[0] : undefined;
  return only?.kind === 'dict' ? { setting, dict: only } : undefined;
}

/** Looks a string key up in a dict: the value, an Unknown when it may be hidden, undefined when absent. */
export function field(dict: DictValue, name: string): Value | undefined {
  const f = dictLookup(dict, { kind: 'str', value: name });
  if (f.found === true) return f.entry.value;
  if (f.found === 'maybe') return { kind: 'unknown', reason: `${name} may be set elsewhere` };
  return undefined;
}

/** The item for a string key when it is certainly present. */
export function fieldItem(dict: DictValue, name: string): DictEntry | undefined {
  const f = dictLookup(dict, { kind: 'str', value: name });
  return f.found === true ? f.entry : undefined;
}

/** Every alias of the setting (DATABASES or CACHES) whose key is a known string and whose entry is a dict. */
export function aliasEntries(ctx: RuleContext, name: string): AliasEntry[] {
  const found = settingDict(ctx, name);
  if (!found) return [];
  const out: AliasEntry[] = [];
  for (const item of found.dict.entries) {
    const alias = keyString(item);
    if (alias === undefined || item.value.kind !== 'dict') continue;
    // A later item with an equal key wins in Python; judge only the one Django will see.
    if (fieldItem(found.dict, alias) !== item) continue;
    const entry = item.value;
    out.push({
      alias,
      item,
      entry,
      setting: found.setting,
      field: (n) => field(entry, n),
      itemOf: (n) => fieldItem(entry, n),
    });
  }
  return out;
}

/** The strings of a LOCATION value: one string, or every item of a list/tuple; undefined when any is unknown. */
export function locationStrings(v: Value | undefined): { value: string; source: Value }[] | undefined {
  if (!v) return undefined;
  if (v.kind === 'str') return [{ value: v.value, source: v }];
  if ((v.kind === 'list' || v.kind === 'tuple') && !v.open) {
    const out: { value: string; source: Value }[] = [];
    for (const item of v.items) {
      if (item.kind !== 'str') return undefined;
      out.push({ value: item.value, source: item });
    }
    return out;
  }
  return undefined;
}

/** `DATABASES['default']['PASSWORD']`, for messages. */
export function entryPath(setting: string, alias: string, ...keys: string[]): string {
  return `${setting}[${pyRepr(alias)}]${keys.map((k) => `[${pyRepr(k)}]`).join('')}`;
}

function pyRepr(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
