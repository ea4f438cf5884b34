/** Constructors and queries for statically evaluated values (Value). Pure; never throws. */
import type { PyData } from '../knowledge/py-data';
import type { DictEntry, DictValue, Span, UnknownValue, Value } from '../types';
import { HOLE, indexed, isPlainDict, simpleKey, storeDelete, storeSet } from './dict-store';
import { MAX_WALK_DEPTH } from './value-depth';

export function unknown(reason: string, span?: Span, extra?: Partial<UnknownValue>): UnknownValue {
  return { kind: 'unknown', reason, span, ...extra };
}

export function str(value: string, span?: Span): Value {
  return { kind: 'str', value, span };
}

export function withSpan<V extends Value>(v: V, span: Span | undefined): V {
  return { ...v, span };
}

/** Python truthiness: true/false when known, undefined when it cannot be decided. */
export function truthy(v: Value): boolean | undefined {
  return truthyAt(v, 0);
}

function truthyAt(v: Value, depth: number): boolean | undefined {
  switch (v.kind) {
    case 'str':
      return v.value.length > 0;
    case 'int':
    case 'float':
      return v.value !== 0;
    case 'bool':
      return v.value;
    case 'none':
      return false;
    case 'list':
    case 'tuple':
      return v.items.length > 0 ? true : v.open ? undefined : false;
    case 'dict':
      return v.entries.length > 0 ? true : v.open ? undefined : false;
    case 'oneOf': {
      if (depth > MAX_WALK_DEPTH) return undefined;
      const all = v.options.map((o) => truthyAt(o, depth + 1));
      if (all.every((x) => x === true)) return true;
      if (all.every((x) => x === false)) return false;
      return undefined;
    }
    case 'unknown':
      return undefined;
  }
}

/** Python `==` on known values; undefined when it cannot be decided (or nested past MAX_WALK_DEPTH). */
export function pyEquals(a: Value, b: Value): boolean | undefined {
  // The usual question (a dict's str keys): answered without a memo, which only sequences need.
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  return equalsAt(a, b, 0, undefined);
}

/** Pairs already compared: values shared by reference (`L = [L, L]` x40) are compared once per pair, not 2^40 times. */
type EqualsMemo = Map<Value, Map<Value, boolean | undefined>>;

/** A number's, bool's (1, 0) value; undefined for other kinds. */
function numeric(v: Value): number | undefined {
  return v.kind === 'int' || v.kind === 'float' ? v.value : v.kind === 'bool' ? (v.value ? 1 : 0) : undefined;
}

/** `memo` is made by the first sequence compared (scalars need none). */
function equalsAt(a: Value, b: Value, depth: number, memo: EqualsMemo | undefined): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'oneOf' || b.kind === 'oneOf')
    return undefined;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if ((a.kind === 'list' || a.kind === 'tuple') && a.kind === b.kind) {
    if (a.open || b.open || depth > MAX_WALK_DEPTH) return undefined;
    if (a.items.length !== b.items.length) return false;
    memo ??= new Map();
    const seen = memo.get(a)?.get(b);
    if (seen !== undefined || memo.get(a)?.has(b)) return seen;
    let all: boolean | undefined = true;
    for (let i = 0; i < a.items.length && all !== false; i++) {
      const r = equalsAt(a.items[i] as Value, b.items[i] as Value, depth + 1, memo);
      if (r === false) all = false;
      else if (r === undefined) all = undefined;
    }
    const row = memo.get(a) ?? new Map<Value, boolean | undefined>();
    row.set(b, all);
    memo.set(a, row);
    return all;
  }
  if (a.kind === 'dict' || b.kind === 'dict') return a.kind === b.kind ? undefined : false;
  return a.kind === b.kind ? undefined : false;
}

/** The string key of a dict entry, when statically known. */
export function keyString(entry: DictEntry): string | undefined {
  return entry.key.kind === 'str' ? entry.key.value : undefined;
}

/** Looks a key up in a dict value. `found: 'maybe'` when an unknown key or spread could hold it. */
export function dictLookup(
  dict: DictValue,
  key: Value,
): { found: true; entry: DictEntry } | { found: false | 'maybe' } {
  if (isSmallPlain(dict)) {
    // Scanned as dict-store's reference algorithm does (test/unit/dict-store.test.ts): no index to build.
    let maybe = dict.open === true;
    for (let i = dict.entries.length - 1; i >= 0; i--) {
      const e = dict.entries[i] as DictEntry;
      const eq = pyEquals(e.key, key);
      if (eq === true) return maybe ? { found: 'maybe' } : { found: true, entry: e };
      if (eq === undefined) maybe = true;
    }
    return { found: maybe ? 'maybe' : false };
  }
  const { entries, len, index } = indexed(dict);
  const s = simpleKey(key);
  if (s !== undefined) {
    // Only an unknown/oneOf key after the match (or anywhere, without one) makes the answer undecidable.
    const i = index.map.get(s);
    const maybe = dict.open === true || index.lastUndecidable > (i ?? -1);
    if (i === undefined) return { found: maybe ? 'maybe' : false };
    return maybe ? { found: 'maybe' } : { found: true, entry: entries[i] as DictEntry };
  }
  let maybe = dict.open === true;
  for (let i = len - 1; i >= 0; i--) {
    const e = entries[i] as DictEntry;
    if (e === HOLE) continue;
    const eq = pyEquals(e.key, key);
    if (eq === true) return maybe ? { found: 'maybe' } : { found: true, entry: e };
    if (eq === undefined) maybe = true;
  }
  return { found: maybe ? 'maybe' : false };
}

/** Dicts with at most this many entries that no dict-store version stands for are copied and scanned. */
const SMALL_DICT = 8;

/** A dict literal's (or a small copy's) plain entries array, short enough to scan. */
function isSmallPlain(dict: DictValue): boolean {
  return isPlainDict(dict) && dict.entries.length <= SMALL_DICT;
}

/**
 * Returns a dict with `key` set to `value` (replacing the last equal key in place, keeping its position).
 * Amortised O(1) for a chain of sets (see dict-store.ts); `dict` itself is never changed.
 */
export function dictSet(dict: DictValue, key: Value, value: Value, keySpan?: Span): DictValue {
  if (isSmallPlain(dict)) {
    // Copied and scanned (the reference algorithm): cheaper than a store and an index for a few entries.
    const entries = [...dict.entries];
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i] as DictEntry;
      if (pyEquals(e.key, key) === true) {
        entries[i] = { key: e.key, value, keySpan: e.keySpan };
        return { ...dict, entries };
      }
    }
    entries.push({ key, value, keySpan });
    return { ...dict, entries, open: dict.open === true || key.kind === 'unknown' || key.kind === 'oneOf' };
  }
  const { entries, len, index } = indexed(dict);
  const s = simpleKey(key);
  let at = -1;
  if (s !== undefined) at = index.map.get(s) ?? -1;
  else
    for (let i = len - 1; i >= 0; i--)
      if (entries[i] !== HOLE && pyEquals((entries[i] as DictEntry).key, key) === true) {
        at = i;
        break;
      }
  return storeSet(dict, at, key, value, keySpan);
}

/**
 * Returns a dict without the entries whose key equals `key`. Amortised O(1) for a key the index answers (see
 * dict-store.ts); other keys (tuples, unknowns, NaN) and dicts with duplicate keys take a linear filter.
 */
export function dictDelete(dict: DictValue, key: Value): DictValue {
  const s = simpleKey(key);
  if (s !== undefined) {
    const { index } = indexed(dict);
    if (!index.duplicates) {
      const at = index.map.get(s);
      return at === undefined ? dict : storeDelete(dict, at);
    }
  }
  const entries = dict.entries.filter((e) => pyEquals(e.key, key) !== true);
  return { ...dict, entries };
}

/** The distinct concrete possibilities of a value: a oneOf is flattened; anything else is itself. */
export function possibilities(v: Value): Value[] {
  return possibilitiesAt(v, 0);
}

function possibilitiesAt(v: Value, depth: number): Value[] {
  if (v.kind !== 'oneOf') return [v];
  if (depth > MAX_WALK_DEPTH) return [unknown(`conditions nested deeper than ${MAX_WALK_DEPTH}`, v.span)];
  return v.options.flatMap((o) => possibilitiesAt(o, depth + 1));
}

/**
 * Possibilities a oneOf keeps. Each branch merge lists the possibilities of its arms, so without a bound a value
 * merged over nested branches that share what they hold grew without limit: a generated 656-line module took
 * 0.8 s and twice that text did not finish in two minutes (the same possibility object listed over and over).
 */
const MAX_ONE_OF_OPTIONS = 64;

/**
 * Builds a oneOf, collapsing it when all options are the same known scalar. A possibility listed twice (the same
 * value object, as when two arms keep what was there before) is kept once; more than MAX_ONE_OF_OPTIONS make an
 * unknown value.
 */
export function oneOf(options: Value[], condition: string, span?: Span): Value {
  const flat: Value[] = [];
  const seen = new Set<Value>();
  for (const option of options)
    for (const p of possibilities(option))
      if (!seen.has(p)) {
        seen.add(p);
        flat.push(p);
      }
  if (flat.length > MAX_ONE_OF_OPTIONS)
    return unknown(`more than ${MAX_ONE_OF_OPTIONS} possibilities (${condition})`, span);
  const first = flat[0];
  if (!first) return unknown('no value', span);
  if (flat.every((o) => sameValue(o, first))) return first;
  return { kind: 'oneOf', options: flat, condition, span };
}

/** Structural equality including spans (used to detect values unchanged by a branch). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  const sa = a.span;
  const sb = b.span;
  if ((sa?.file ?? '') !== (sb?.file ?? '') || (sa?.from ?? -1) !== (sb?.from ?? -1)) return false;
  return pyEquals(a, b) === true;
}

/** Deeper containers are shown as `…` (values nested by re-assignment can be thousands deep). */
const MAX_DESCRIBE_DEPTH = 30;

/**
 * A short human description of a value for messages (never the full value of secrets: callers mask). Bounded
 * work whatever the value: rendering stops at `max` characters and MAX_DESCRIBE_DEPTH levels.
 */
export function describe(v: Value, max = 80): string {
  const state = { left: max + 1 };
  const s = render(v, 0, state);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * Whether `describe(a, max) === describe(b, max)`, without rendering when the two have the same shape (what
 * comparing the values of two analyses mostly meets): a walk of both, bounded in depth and in work (values
 * built by re-assignment may share parts exponentially), falling back to the renderings when it cannot tell.
 */
export function describedAlike(a: Value, b: Value, max = 80): boolean {
  if (sameRendering(a, b, 0, { left: ALIKE_WORK })) return true;
  return describe(a, max) === describe(b, max);
}

const ALIKE_WORK = 200_000;

/** True only when `a` and `b` render alike (every field renderOne reads is equal); false when unsure. */
function sameRendering(a: Value, b: Value, depth: number, work: { left: number }): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || depth > MAX_WALK_DEPTH || --work.left < 0) return false;
  switch (a.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'none':
      return true;
    case 'unknown':
      return a.reason === (b as typeof a).reason;
    case 'list':
    case 'tuple': {
      const x = a.items;
      const y = (b as typeof a).items;
      if (x.length !== y.length || !a.open !== !(b as typeof a).open) return false;
      for (let i = 0; i < x.length; i++)
        if (!sameRendering(x[i] as Value, y[i] as Value, depth + 1, work)) return false;
      return true;
    }
    case 'dict': {
      const x = a.entries;
      const y = (b as typeof a).entries;
      if (x.length !== y.length || !a.open !== !(b as typeof a).open) return false;
      for (let i = 0; i < x.length; i++) {
        const e = x[i] as DictEntry;
        const f = y[i] as DictEntry;
        if (
          !sameRendering(e.key, f.key, depth + 1, work) ||
          !sameRendering(e.value, f.value, depth + 1, work)
        )
          return false;
      }
      return true;
    }
    case 'oneOf': {
      const x = a.options;
      const y = (b as typeof a).options;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++)
        if (!sameRendering(x[i] as Value, y[i] as Value, depth + 1, work)) return false;
      return true;
    }
  }
}

function render(v: Value, depth: number, state: { left: number }): string {
  if (state.left <= 0) return '';
  if (depth > MAX_DESCRIBE_DEPTH) return '…';
  const out = renderOne(v, depth, state);
  state.left -= out.length;
  return out;
}

function items(values: readonly Value[], depth: number, state: { left: number }, sep = ', '): string {
  const parts: string[] = [];
  let used = 0;
  for (const item of values) {
    if (state.left - used <= 0) {
      parts.push('…');
      break;
    }
    const inner = { left: state.left - used };
    const r = render(item, depth + 1, inner);
    used += r.length + sep.length;
    parts.push(r);
  }
  return parts.join(sep);
}

function renderOne(v: Value, depth: number, state: { left: number }): string {
  switch (v.kind) {
    case 'str': {
      const shown = v.value.length > state.left + 2 ? v.value.slice(0, state.left + 2) : v.value;
      return JSON.stringify(shown).replace(/^"|"$/g, "'");
    }
    case 'int':
    case 'float':
      return String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return '[' + items(v.items, depth, state) + (v.open ? ', …' : '') + ']';
    case 'tuple':
      return '(' + items(v.items, depth, state) + (v.items.length === 1 ? ',' : '') + ')';
    case 'dict': {
      const parts: string[] = [];
      let used = 0;
      for (const e of v.entries) {
        if (state.left - used <= 0) {
          parts.push('…');
          break;
        }
        const k = render(e.key, depth + 1, { left: state.left - used });
        const val = render(e.value, depth + 1, { left: state.left - used - k.length });
        used += k.length + val.length + 4;
        parts.push(`${k}: ${val}`);
      }
      return '{' + parts.join(', ') + (v.open ? ', …' : '') + '}';
    }
    case 'oneOf':
      return items(v.options, depth, state, ' | ');
    case 'unknown':
      return `<${v.reason}>`;
  }
}

export type { PyData } from '../knowledge/py-data';

/**
 * Converts a fully known value to JSON-like data; undefined when any part is unknown, nested past MAX_WALK_DEPTH,
 * or larger than MAX_PY_DATA_NODES nodes.
 */
export function toPyData(v: Value): PyData | undefined {
  return pyDataAt(v, 0, { nodes: MAX_PY_DATA_NODES });
}

/**
 * Nodes one conversion may build. The data is a tree, a value may share parts by reference: `L = [L, L]` x40 is
 * 41 values but 2^40 leaves, so the data (and every walk of it: DSL119's comparison and source) is bounded here.
 * The CLI's JSON output prints at most as many nodes of a value.
 */
export const MAX_PY_DATA_NODES = 20_000;

function pyDataAt(v: Value, depth: number, budget: { nodes: number }): PyData | undefined {
  if (depth > MAX_WALK_DEPTH || --budget.nodes < 0) return undefined;
  switch (v.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'list':
    case 'tuple': {
      if (v.open) return undefined;
      const out: PyData[] = [];
      for (const i of v.items) {
        const d = pyDataAt(i, depth + 1, budget);
        if (d === undefined) return undefined;
        out.push(d);
      }
      return out;
    }
    case 'dict': {
      if (v.open) return undefined;
      const out: Record<string, PyData> = {};
      for (const e of v.entries) {
        const d = pyDataAt(e.value, depth + 1, budget);
        if (e.key.kind !== 'str' || d === undefined) return undefined;
        out[e.key.value] = d;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * True when the value or any part of it is unknown, or when a part lies deeper than MAX_WALK_DEPTH on some path
 * from the value. Linear in the number of distinct values: each part's height (the longest path below it) is
 * computed once and reused wherever the part is shared, at whatever depth it is met again (a part known at
 * depth 1 may be past the limit where it is shared at depth 200).
 */
export function hasUnknown(v: Value): boolean {
  return heightAt(v, 0, new Map()) === UNKNOWN_HEIGHT;
}

/** A part's height when it holds something unknown, is cut by the depth limit, or is still being walked. */
const UNKNOWN_HEIGHT = -1;

/**
 * The height of `v` met at `depth`, or UNKNOWN_HEIGHT. `heights` holds the exact height of every part walked to
 * its end; a part met while it is still being walked (only a cycle could do that) counts as unknown, as the walk
 * would never end. Any UNKNOWN_HEIGHT ends the whole walk, so no height is ever stored from a walk cut short.
 */
function heightAt(v: Value, depth: number, heights: Map<Value, number>): number {
  if (depth > MAX_WALK_DEPTH) return UNKNOWN_HEIGHT;
  const memo = heights.get(v);
  if (memo !== undefined)
    return memo === UNKNOWN_HEIGHT || depth + memo > MAX_WALK_DEPTH ? UNKNOWN_HEIGHT : memo;
  let parts: readonly Value[];
  switch (v.kind) {
    case 'unknown':
      return UNKNOWN_HEIGHT;
    case 'oneOf':
      parts = v.options;
      break;
    case 'list':
    case 'tuple':
      if (v.open === true) return UNKNOWN_HEIGHT;
      parts = v.items;
      break;
    case 'dict':
      if (v.open === true) return UNKNOWN_HEIGHT;
      parts = v.entries.flatMap((e) => [e.key, e.value]);
      break;
    default:
      return 0;
  }
  heights.set(v, UNKNOWN_HEIGHT);
  let height = 0;
  for (const part of parts) {
    const h = heightAt(part, depth + 1, heights);
    if (h === UNKNOWN_HEIGHT) return UNKNOWN_HEIGHT;
    height = Math.max(height, h + 1);
  }
  heights.set(v, height);
  return height;
}
