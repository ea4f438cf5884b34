/** The JSON `effective` section of a project (session engine, alias, serializer, CACHES and DATABASES entries, each with who set it); secrets masked, no I/O. */
import type { Analysis } from '../core/analyze';
import { describe } from '../core/evaluate/values';
import {
  CACHES,
  DATABASES,
  SESSION_CACHE_ALIAS,
  SESSION_ENGINE,
  SESSION_SERIALIZER,
} from '../core/knowledge';
import { dictListing, type ListedAlias } from '../core/queries/effective-listing';
import { valueOrigin } from '../core/queries/entries';
import type { Origin, Value } from '../core/types';
import { isSecretName, maskSecretValue, type Redactor } from '../core/secrets';

export type JsonData = null | boolean | number | string | JsonData[] | { [key: string]: JsonData };

export type SetBy =
  { readonly path: string; readonly line: number } | { readonly default: 'django' | 'horizon' };

export type EffectiveEntry =
  | { readonly known: true; readonly value: JsonData; readonly setBy: SetBy }
  | { readonly known: false; readonly reason: string; readonly default?: JsonData; readonly setBy?: SetBy };

export interface EffectiveJson {
  SESSION_ENGINE: EffectiveEntry;
  SESSION_CACHE_ALIAS: EffectiveEntry;
  SESSION_SERIALIZER: EffectiveEntry;
  /**
   * Alias → key → value; or, when the value as a whole is not a dict the analyser can list (an unknown
   * value, one that depends on a condition), that value itself as `{ "known": false, "reason": … }`.
   */
  CACHES: AliasEntries | EffectiveEntry;
  DATABASES: AliasEntries | EffectiveEntry;
  /**
   * Extension: present only when CACHES or DATABASES as a whole cannot be listed (an unknown value, a value
   * that depends on a condition, or a dict that may hold aliases the analyser cannot see): why, and who set it.
   */
  unresolved?: { CACHES?: EffectiveEntry; DATABASES?: EffectiveEntry };
}

export type AliasEntries = Record<string, Record<string, EffectiveEntry>>;

/** Keys always listed for each alias, set or not; others follow in source order. */
const CACHE_KEYS = ['BACKEND', 'LOCATION'];
const DATABASE_KEYS = ['ENGINE', 'NAME', 'HOST'];
const MAX_DEPTH = 40;
/** JSON nodes one printed value may have: a value shared by reference (`L = [L, L]` x40) prints as 2^40 nodes; past this it is "not known". */
const MAX_NODES = 20_000;

export function effectiveJson(analysis: Analysis, redactor: Redactor): EffectiveJson {
  const w = new EffectiveWriter(analysis, redactor);
  const out: EffectiveJson = {
    SESSION_ENGINE: w.top(SESSION_ENGINE),
    SESSION_CACHE_ALIAS: w.top(SESSION_CACHE_ALIAS),
    SESSION_SERIALIZER: w.top(SESSION_SERIALIZER),
    CACHES: {},
    DATABASES: {},
  };
  for (const [name, always] of [
    [CACHES, CACHE_KEYS],
    [DATABASES, DATABASE_KEYS],
  ] as const) {
    const listed = w.aliases(name, always);
    if (!listed) continue;
    out[name] = listed.value;
    if (listed.unresolved) out.unresolved = { ...out.unresolved, [name]: listed.unresolved };
  }
  return out;
}

/** Renders the session-storage listing (core/queries/effective-listing.ts) as JSON entries, masked. */
class EffectiveWriter {
  constructor(
    private readonly analysis: Analysis,
    private readonly redactor: Redactor,
  ) {}

  setBy(origin: Origin, value?: Value): SetBy {
    const at = valueOrigin(origin, value);
    return at.kind === 'file'
      ? { path: at.span.file, line: this.analysis.lineOf(at.span) }
      : { default: at.by };
  }

  top(name: string): EffectiveEntry {
    const eff = this.analysis.model.effective(name);
    return eff
      ? this.entry(eff.value, eff.origin, isSecretName(name), false)
      : { known: false, reason: 'not set' };
  }

  entry(value: Value | undefined, origin: Origin, secret: boolean, nested: boolean): EffectiveEntry {
    const redactor = this.redactor;
    if (!value) return { known: false, reason: 'not set' };
    const setBy = this.setBy(origin, nested ? value : undefined);
    if (value.kind === 'unknown') {
      const d = value.default ? toJson(value.default, secret, redactor) : undefined;
      return d === undefined
        ? { known: false, reason: redactor.text(value.reason), setBy }
        : { known: false, reason: redactor.text(value.reason), default: d, setBy };
    }
    if (value.kind === 'oneOf') {
      return {
        known: false,
        reason: redactor.text(
          `depends on ${value.condition}: ${secret ? 'one of several values' : describe(value, 200)}`,
        ),
        setBy,
      };
    }
    const budget = { nodes: MAX_NODES };
    const data = toJson(value, secret, redactor, 0, budget);
    if (data === undefined) {
      const reason =
        budget.nodes < 0
          ? `too large to print (over ${MAX_NODES.toLocaleString('en-US')} values)`
          : 'contains values the analyser cannot resolve';
      return { known: false, reason, setBy };
    }
    return { known: true, value: data, setBy };
  }

  /**
   * CACHES or DATABASES alias by alias; or, when it is not one dict the analyser can list, that value as a
   * whole (`unresolved` too). `unresolved` is also set for a dict that may hold aliases the analyser cannot see.
   */
  aliases(
    name: typeof CACHES | typeof DATABASES,
    always: readonly string[],
  ): { value: AliasEntries | EffectiveEntry; unresolved?: EffectiveEntry } | undefined {
    const listing = dictListing(this.analysis, name);
    if (!listing) return undefined;
    const eff = listing.setting;
    if (listing.kind === 'whole') {
      const v = eff.value;
      const whole: EffectiveEntry =
        v.kind === 'unknown' || v.kind === 'oneOf'
          ? this.entry(v, eff.origin, false, false)
          : { known: false, reason: `${name} is not a dict`, setBy: this.setBy(eff.origin) };
      // Unknown as a whole: say so, rather than print an empty dict that reads as "no aliases".
      return { value: whole, unresolved: whole };
    }
    const listed: AliasEntries = {};
    for (const a of listing.aliases) listed[a.alias] = this.keysOf(a, eff.origin, always);
    if (!listing.open) return { value: listed };
    const reason = `${name} may hold aliases the analyser cannot see`;
    return { value: listed, unresolved: { known: false, reason, setBy: this.setBy(eff.origin) } };
  }

  private keysOf(a: ListedAlias, origin: Origin, always: readonly string[]): Record<string, EffectiveEntry> {
    const keys: Record<string, EffectiveEntry> = {};
    if (!a.fields) {
      const reason = a.value.kind === 'unknown' ? a.value.reason : `the '${a.alias}' entry is not a dict`;
      for (const k of always)
        keys[k] = { known: false, reason: this.redactor.text(reason), setBy: this.setBy(origin, a.value) };
      return keys;
    }
    const fields = new Map(a.fields.map((f) => [f.key, f.value]));
    for (const k of [...always, ...fields.keys()]) {
      if (k in keys) continue;
      const fv = fields.get(k);
      keys[k] = fv
        ? this.entry(fv, origin, isSecretName(k), true)
        : { known: false, reason: a.open ? 'not set, unless an unresolved update sets it' : 'not set' };
    }
    return keys;
  }
}

/**
 * A fully known value as JSON, masked: strings under a secret name (`PASSWORD`, `password`, `passwd`,
 * `SECRET_KEY`) with maskSecret, passwords inside URLs anywhere. Undefined when any part is unknown.
 */
function toJson(
  value: Value,
  secret: boolean,
  redactor: Redactor,
  depth = 0,
  budget = { nodes: MAX_NODES },
): JsonData | undefined {
  if (depth > MAX_DEPTH || --budget.nodes < 0) return undefined;
  if (value.kind === 'str') return secret ? maskSecretValue(value.value) : redactor.text(value.value);
  if (value.kind === 'dict') {
    if (value.open) return undefined;
    const obj: { [key: string]: JsonData } = {};
    for (const e of value.entries) {
      if (e.key.kind !== 'str') return undefined;
      const d = toJson(e.value, secret || isSecretName(e.key.value), redactor, depth + 1, budget);
      if (d === undefined) return undefined;
      obj[e.key.value] = d;
    }
    return obj;
  }
  if (value.kind === 'list' || value.kind === 'tuple') {
    if (value.open) return undefined;
    const arr: JsonData[] = [];
    for (const item of value.items) {
      const d = toJson(item, secret, redactor, depth + 1, budget);
      if (d === undefined) return undefined;
      arr.push(d);
    }
    return arr;
  }
  if (value.kind === 'int' || value.kind === 'float' || value.kind === 'bool') return value.value;
  if (value.kind === 'none') return null;
  return undefined;
}
