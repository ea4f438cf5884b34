/**
 * What the front ends print about where sessions live: the storage label of the status bar and reports
 * (`memcached (cache)`), and CACHES/DATABASES listed alias by alias with each key's value. Both read the
 * session-storage query, so the status bar says what the diagnostics judged. Unmasked: the front ends mask.
 */
import {
  type CACHES,
  type DATABASES,
  cacheFamily,
  findDatabaseEngine,
  type SessionEngine,
} from '../knowledge';
import { DB_KEY_ENGINE } from '../knowledge';
import type { EffectiveSetting } from '../layers/project';
import type { Value } from '../types';
import { modelOf, type QuerySource } from './entries';
import { knownStrings, type Judged } from './judge';
import { sessionStorage } from './session-storage';

const CACHE_LABEL: Record<string, string> = {
  memcached: 'memcached',
  redis: 'Redis',
  locmem: 'local memory',
  dummy: 'dummy cache',
  filebased: 'file cache',
  database: 'database cache',
};

/**
 * `memcached (cache)`, `MySQL/MariaDB + memcached (cached_db)`, `signed cookies`, or `unknown`; with
 * "if X is unset" when a visible environment default was judged ("if local.py is absent" for a file's
 * existence), and "or" between possibilities.
 */
export function storageLabel(src: QuerySource): string {
  const s = sessionStorage(src);
  if (!s.engine || !s.knownEngines || s.knownEngines.length === 0) return 'unknown';
  const judged: Judged<string>[] = [...s.engine.judged];
  const backends = s.backend?.judged;
  const families = backends?.map((j) => cacheFamily(j.value.trim()));
  const cache = families?.every((f) => f !== undefined)
    ? unique(families.map((f) => CACHE_LABEL[f] ?? f)).join(' or ')
    : 'cache';
  const dbEngines = knownStrings(s.database?.field(DB_KEY_ENGINE));
  const vendors = dbEngines?.map((j) => findDatabaseEngine(j.value.trim())?.vendor);
  const db = vendors?.every((v) => v !== undefined) ? unique(vendors).join(' or ') : 'database';
  const kinds = unique(s.knownEngines.map((e) => e.shortName));
  const usesCache = kinds.some((k) => k === 'cache' || k === 'cached_db');
  const usesDb = kinds.some((k) => k === 'db' || k === 'cached_db');
  if (usesCache && families?.every((f) => f !== undefined)) judged.push(...(backends ?? []));
  if (usesDb && vendors?.every((v) => v !== undefined)) judged.push(...(dbEngines ?? []));
  const label = unique(kinds.map((k) => engineLabel(k, cache, db))).join(' or ');
  const unset = unique(judged.flatMap((j) => (j.ifUnset ? [j.ifUnset] : [])));
  const when = unique(judged.flatMap((j) => (j.when ? [j.when] : [])));
  const conditions = [
    ...(unset.length > 0 ? [`${unset.join(' and ')} ${unset.length === 1 ? 'is' : 'are'} unset`] : []),
    ...when,
  ];
  return conditions.length === 0 ? label : `${label}, if ${conditions.join(' and ')}`;
}

function engineLabel(kind: SessionEngine['shortName'], cache: string, db: string): string {
  switch (kind) {
    case 'cache':
      return `${cache} (cache)`;
    case 'cached_db':
      return `${db} + ${cache} (cached_db)`;
    case 'db':
      return `${db} (db)`;
    case 'file':
      return 'files (file)';
    case 'signed_cookies':
      return 'signed cookies';
  }
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

// ------------------------------------------------------------------ CACHES / DATABASES alias by alias

/** One alias of a listed dict setting: its entry value and, when that is a dict, its string keys. */
export interface ListedAlias {
  readonly alias: string;
  readonly value: Value;
  /** The entry's keys in source order (a repeated key once, with the value Python keeps); undefined: not a dict. */
  readonly fields: readonly { readonly key: string; readonly value: Value }[] | undefined;
  /** The entry may hold keys the analyser cannot see (an unresolved update). */
  readonly open: boolean;
}

export type DictListing =
  /** The setting is not one dict the analyser can list (unknown, depends on a condition, not a dict). */
  | { readonly kind: 'whole'; readonly setting: EffectiveSetting }
  | {
      readonly kind: 'dict';
      readonly setting: EffectiveSetting;
      /** The dict may hold aliases the analyser cannot see. */
      readonly open: boolean;
      readonly aliases: readonly ListedAlias[];
    };

/** CACHES or DATABASES as the project leaves it, alias by alias (string keys only); undefined when unset. */
export function dictListing(
  src: QuerySource,
  name: typeof CACHES | typeof DATABASES,
): DictListing | undefined {
  const setting = modelOf(src).effective(name);
  if (!setting) return undefined;
  const v = setting.value;
  if (v.kind !== 'dict') return { kind: 'whole', setting };
  const aliases = new Map<string, ListedAlias>();
  for (const e of v.entries) {
    if (e.key.kind !== 'str') continue;
    const alias = e.key.value;
    const value = e.value;
    let fields: { key: string; value: Value }[] | undefined;
    if (value.kind === 'dict') {
      const byKey = new Map<string, Value>();
      for (const f of value.entries) if (f.key.kind === 'str') byKey.set(f.key.value, f.value);
      fields = [...byKey].map(([key, fv]) => ({ key, value: fv }));
    }
    const listed = { alias, value, fields, open: value.kind === 'dict' && value.open === true };
    // A repeated alias keeps its first position and the value Python keeps (the last).
    aliases.set(alias, listed);
  }
  return { kind: 'dict', setting, open: v.open === true, aliases: [...aliases.values()] };
}
