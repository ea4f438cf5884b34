/**
 * Linear-time dict updates behind the immutable DictValue shape (issues #9/#11).
 *
 * `D['k'] = v` repeated n times used to copy the entries array and compare every key on each assignment
 * (quadratic). Here a dict produced by `dictSet` shares one growing array (its store) with the versions before
 * it: the newest version (the store's head) updates the array in place in O(1) (a Map finds the key), and the
 * version it replaced keeps a one-entry undo record, so its `entries` can still be rebuilt exactly when read.
 * `entries` of such a dict is computed on first read and then becomes a plain data property, so rules,
 * features and spreads see an ordinary DictValue. A set on an older version (a branch) or on a plain dict
 * starts a new store from a copy (O(n) once). Semantics are exactly those of the linear scan with `pyEquals`
 * (kept in values.ts for the keys no index can answer: unknown, oneOf, tuple, list, dict and NaN keys).
 *
 * `del D[k]` / `D.pop(k)` of an indexed key is O(1) the same way: the entry becomes a HOLE in the store's array
 * (the version before keeps an undo record), the index forgets the key, and `entries`, when read, leaves the
 * holes out. A key set again after its delete is appended, as in Python.
 */
import type { DictEntry, DictValue, Value } from '../types';

/** The index key of a key whose `pyEquals` with any other key is decidable by identity of this string. */
export function simpleKey(key: Value): string | undefined {
  switch (key.kind) {
    case 'str':
      return 's' + key.value;
    case 'int':
    case 'float':
      // NaN equals nothing (not even itself); 1 == 1.0 == True; 0 == -0 (String(-0) is "0").
      return Number.isNaN(key.value) ? undefined : 'n' + String(key.value);
    case 'bool':
      return key.value ? 'n1' : 'n0';
    case 'none':
      return 'none';
    default:
      return undefined;
  }
}

/** A key whose comparison with a simple key is undecidable (`pyEquals` answers undefined). */
export function undecidableKey(key: Value): boolean {
  return key.kind === 'unknown' || key.kind === 'oneOf';
}

export interface KeyIndex {
  /** Simple key → position of the LAST entry with that key. */
  readonly map: Map<string, number>;
  /** Position of the last entry whose key is unknown/oneOf, or -1. */
  lastUndecidable: number;
  /** Two entries share a simple key (`{1: a, True: b}` in a literal): deletes take the linear path. */
  duplicates: boolean;
}

/** A deleted entry's place in a store's array; never part of a dict's `entries`. */
export const HOLE: DictEntry = Object.freeze({ key: { kind: 'none' }, value: { kind: 'none' } }) as DictEntry;

interface Store {
  readonly arr: DictEntry[];
  readonly index: KeyIndex;
  head: DictValue;
  /** Number of HOLEs ever made in `arr`. */
  holes: number;
}

interface Version {
  readonly store: Store;
  readonly len: number;
  /** The version made from this one, and what it changed in place (none for an append). */
  next?: DictValue;
  undo?: { readonly i: number; readonly e: DictEntry };
  /** This version's array as stored (HOLEs in place), once rebuilt; `entries` leaves the holes out. */
  raw?: readonly DictEntry[];
}

/**
 * A version with every field it may get later in place: one set afterwards (`next`, `undo`, `raw`) then needs no
 * property storage of its own (each version lives as long as the records that replay it).
 */
function version(store: Store, len: number): Version {
  return { store, len, next: undefined, undo: undefined, raw: undefined };
}

const versions = new WeakMap<DictValue, Version>();
const arrayIndexes = new WeakMap<readonly DictEntry[], KeyIndex>();

function buildIndex(entries: readonly DictEntry[]): KeyIndex {
  const index: KeyIndex = { map: new Map(), lastUndecidable: -1, duplicates: false };
  entries.forEach((e, i) => {
    const s = simpleKey(e.key);
    if (s !== undefined) {
      if (index.map.has(s)) index.duplicates = true;
      index.map.set(s, i);
    } else if (undecidableKey(e.key)) index.lastUndecidable = i;
  });
  return index;
}

/**
 * The entries (the first `len`; HOLEs skipped by every scan) and key index of a dict, without copying when it
 * is a store's head.
 */
export function indexed(dict: DictValue): { entries: readonly DictEntry[]; len: number; index: KeyIndex } {
  const v = versions.get(dict);
  if (v && v.store.head === dict) return { entries: v.store.arr, len: v.len, index: v.store.index };
  const entries = dict.entries;
  let index = arrayIndexes.get(entries);
  if (!index) {
    index = buildIndex(entries);
    arrayIndexes.set(entries, index);
  }
  return { entries, len: entries.length, index };
}

/** Whether `dict` is no version of a store: its `entries` is a plain array (reading it makes nothing). */
export function isPlainDict(dict: DictValue): boolean {
  return !versions.has(dict);
}

function materialise(dict: DictValue): readonly DictEntry[] {
  const v = versions.get(dict) as Version;
  const raw = rawEntries(dict, v);
  return v.store.holes > 0 ? raw.filter((e) => e !== HOLE) : raw;
}

/** The version's array as stored, HOLEs included (undo records applied from the head back). */
function rawEntries(dict: DictValue, v: Version): readonly DictEntry[] {
  if (v.raw) return v.raw;
  // Walk to the head (or to a newer version already read), then undo, newest first, what each version on
  // the way changed in place: the oldest undo of an index wins.
  const undos: (Version['undo'] | undefined)[] = [];
  let base: readonly DictEntry[];
  for (let c = v, cd = dict; ;) {
    if (c !== v && c.raw) {
      base = c.raw;
      break;
    }
    if (c.store.head === cd) {
      base = c.store.arr;
      break;
    }
    undos.push(c.undo);
    cd = c.next as DictValue;
    c = versions.get(cd) as Version;
  }
  const out = base.slice(0, v.len);
  for (let j = undos.length - 1; j >= 0; j--) {
    const u = undos[j];
    if (u && u.i < v.len) out[u.i] = u.e;
  }
  v.raw = out;
  return out;
}

/**
 * `entries` of a version, made on first read and then kept as a plain data property. One getter for every
 * version (`this` is the version read): no closures per version.
 */
function lazyEntries(this: DictValue): readonly DictEntry[] {
  const entries = materialise(this);
  Object.defineProperty(this, 'entries', {
    configurable: true,
    enumerable: true,
    writable: true,
    value: entries,
  });
  return entries;
}

const LAZY_ENTRIES: PropertyDescriptor = { configurable: true, enumerable: true, get: lazyEntries };

/** A DictValue with the own properties of `from` (in order) and `entries` computed on first read. */
function versioned(from: DictValue, version: Version, open?: boolean): DictValue {
  const out: Record<string, unknown> = {};
  let defined = false;
  const keys = Object.keys(from);
  // Indexed: a for-of makes an iterator result per key in a fresh process' unoptimised code.
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (k === 'entries') {
      Object.defineProperty(out, 'entries', LAZY_ENTRIES);
      defined = true;
    } else out[k] = (from as unknown as Record<string, unknown>)[k];
  }
  if (!defined) Object.defineProperty(out, 'entries', LAZY_ENTRIES);
  if (open !== undefined) out.open = open;
  versions.set(out as unknown as DictValue, version);
  return out as unknown as DictValue;
}

/** The store `dict` changes in place when it is the head (`prev`: its version), else a new one from a copy. */
function openStore(dict: DictValue): { store: Store; prev: Version | undefined } {
  const v = versions.get(dict);
  if (v && v.store.head === dict) return { store: v.store, prev: v };
  // A plain dict or an older version (a branch): a new store from a copy; `dict` is not part of it.
  const arr = [...dict.entries];
  return { store: { arr, index: buildIndex(arr), head: dict, holes: 0 }, prev: undefined };
}

/** Makes `out` its store's head; the version it replaces keeps `undo`, what changed in place (none for an append). */
function advance(store: Store, prev: Version | undefined, out: DictValue, undo?: Version['undo']): DictValue {
  if (prev) {
    if (undo) prev.undo = undo;
    prev.next = out;
  }
  store.head = out;
  return out;
}

/**
 * `dict` with the entry at `at` replaced by what `make` returns for it (HOLE: removed), keeping the old entry
 * as the undo record: the one in-place change both a set of an existing key and a delete make.
 */
function replaceAt(
  dict: DictValue,
  at: number,
  make: (old: DictEntry, store: Store) => DictEntry,
): DictValue {
  const { store, prev } = openStore(dict);
  const e = store.arr[at] as DictEntry;
  store.arr[at] = make(e, store);
  return advance(store, prev, versioned(dict, version(store, store.arr.length)), { i: at, e });
}

/**
 * `dict` with the entry at `i` (found by the caller, -1 for none) replaced by `value`, or `key` appended;
 * the same result as copying the entries array, in O(1) when `dict` is its store's head.
 */
export function storeSet(
  dict: DictValue,
  at: number,
  key: Value,
  value: Value,
  keySpan: DictEntry['keySpan'],
): DictValue {
  if (at >= 0) return replaceAt(dict, at, (e) => ({ key: e.key, value, keySpan: e.keySpan }));
  const { store, prev } = openStore(dict);
  const { arr, index } = store;
  const s = simpleKey(key);
  if (s !== undefined) index.map.set(s, arr.length);
  else if (undecidableKey(key)) index.lastUndecidable = arr.length;
  arr.push({ key, value, keySpan });
  return advance(
    store,
    prev,
    versioned(dict, version(store, arr.length), dict.open === true || undecidableKey(key)),
  );
}

/**
 * `dict` without its entry at `at` (found by the caller through the key index, which must hold no duplicate
 * keys): the same result as filtering the entries, in O(1) when `dict` is its store's head.
 */
export function storeDelete(dict: DictValue, at: number): DictValue {
  return replaceAt(dict, at, (e, store) => {
    const s = simpleKey(e.key);
    if (s !== undefined) store.index.map.delete(s);
    store.holes++;
    return HOLE;
  });
}
