/**
 * Cache BACKENDs a URL helper chooses when the settings load (django-environ's `redis://` and `pymemcache://`,
 * django-cache-url's `redis://`; knowledge/url-helpers.ts): decided from the target Django and, when known,
 * the modules installed where the settings run, following the library's own rules in order. A rule whose
 * condition cannot be decided leaves the value unknown (the analyser does not guess between backends).
 */
import { compareMinor, parseVersion, type Version, type VersionRange } from '../knowledge/versions';
import type { UnknownValue, Value } from '../types';

export interface PackageFacts {
  /** The Django versions the project may run (one version when known). */
  readonly django?: VersionRange | undefined;
  /** Top-level modules importable where the settings run; undefined when not known. */
  readonly modules?: readonly string[] | undefined;
  /** Installed distributions' versions by normalised name (`django_environ`); undefined when not known. */
  readonly distributions?: Readonly<Record<string, string>> | undefined;
}

type Tri = boolean | undefined;

function atLeast(range: VersionRange | undefined, minor: string): Tri {
  const v: Version | undefined = parseVersion(minor);
  if (!range || !v) return undefined;
  if (compareMinor(range.min, v) >= 0) return true;
  if (range.max && compareMinor(range.max, v) < 0) return false;
  return undefined;
}

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

/** `version` compared with `bound` component by component (`'0.11.2'` ≥ `'0.11'`); undefined if unreadable. */
function compareRelease(version: string, bound: string): number | undefined {
  const a = /^\d+(?:\.\d+)*/.exec(version)?.[0].split('.').map(Number);
  const b = bound.split('.').map(Number);
  if (!a) return undefined;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether the installed library's version is in the rule's range; undefined when the version is not known. */
function libraryHolds(
  library: NonNullable<NonNullable<UnknownValue['backendChoice']>[number]['library']>,
  facts: PackageFacts,
): Tri {
  const version = facts.distributions?.[library.name];
  if (version === undefined) return undefined;
  const low = library.atLeast === undefined ? 0 : compareRelease(version, library.atLeast);
  const high = library.below === undefined ? -1 : compareRelease(version, library.below);
  if (low === undefined || high === undefined) return undefined;
  return low >= 0 && high < 0;
}

/** The backend the rules choose with every fact given: the first rule whose conditions hold; undefined when one cannot be decided. */
function firstHolding(
  rules: NonNullable<UnknownValue['backendChoice']>,
  facts: PackageFacts,
): string | undefined {
  for (const r of rules) {
    let holds: Tri = true;
    if (r.djangoAtLeast !== undefined) holds = and(holds, atLeast(facts.django, r.djangoAtLeast));
    if (r.installed !== undefined)
      holds = and(holds, facts.modules ? facts.modules.includes(r.installed) : undefined);
    if (r.library !== undefined) holds = and(holds, libraryHolds(r.library, facts));
    if (holds === undefined) return undefined;
    if (holds) return r.backend;
  }
  return undefined;
}

/**
 * The backend the rules choose: the first rule whose conditions hold, or undefined when a condition cannot be
 * decided. When the library's installed version is not known, every version band its rules name is tried (one
 * version at each bound and one below them all): the choice is known only when they all agree — what differs
 * between versions stays unknown, with no guess.
 */
export function chooseBackend(
  rules: NonNullable<UnknownValue['backendChoice']>,
  facts: PackageFacts,
): string | undefined {
  const library = rules.find((r) => r.library)?.library?.name;
  if (library === undefined || facts.distributions?.[library] !== undefined)
    return firstHolding(rules, facts);
  const bounds = new Set(['0']);
  for (const r of rules)
    if (r.library?.name === library) {
      if (r.library.atLeast !== undefined) bounds.add(r.library.atLeast);
      if (r.library.below !== undefined) bounds.add(r.library.below);
    }
  let chosen: string | undefined;
  for (const version of bounds) {
    const c = firstHolding(rules, {
      ...facts,
      distributions: { ...facts.distributions, [library]: version },
    });
    if (c === undefined || (chosen !== undefined && c !== chosen)) return undefined;
    chosen = c;
  }
  return chosen;
}

/** How deep the walks below go into nested values. */
const MAX_DEPTH = 20;

/**
 * `v` with every load-time BACKEND choice that the facts decide replaced by the chosen class path. A value
 * shared by several containers (`b = [a, a]`, repeated) is resolved once per depth it is reached at, so the
 * work is linear in the distinct values, not in the paths to them.
 */
export function resolveBackendChoices(v: Value, facts: PackageFacts): Value {
  const memo: Map<Value, Value>[] = [];
  const resolve = (v: Value, depth: number): Value => {
    if (depth > MAX_DEPTH) return v;
    const seen = (memo[depth] ??= new Map());
    let r = seen.get(v);
    if (r === undefined) seen.set(v, (r = resolveOne(v, depth)));
    return r;
  };
  const resolveOne = (v: Value, depth: number): Value => {
    switch (v.kind) {
      case 'unknown': {
        if (v.backendChoice) {
          const chosen = chooseBackend(v.backendChoice, facts);
          return chosen === undefined ? v : { kind: 'str', value: chosen, span: v.span };
        }
        const d = v.default ? resolve(v.default, depth + 1) : undefined;
        const alts = v.alternatives?.map((a) => resolve(a, depth + 1));
        const altsChanged = alts?.some((a, i) => a !== v.alternatives?.[i]) ?? false;
        return d === v.default && !altsChanged ? v : { ...v, default: d, alternatives: alts };
      }
      case 'dict': {
        let changed = false;
        const entries = v.entries.map((e) => {
          const value = resolve(e.value, depth + 1);
          if (value === e.value) return e;
          changed = true;
          return { ...e, value };
        });
        // A fresh dict (not a spread): a dict from evaluate/dict-store.ts carries its store privately.
        return changed ? { kind: 'dict', entries, span: v.span, ...(v.open ? { open: true } : {}) } : v;
      }
      case 'list':
      case 'tuple': {
        const items = v.items.map((i) => resolve(i, depth + 1));
        return items.some((i, n) => i !== v.items[n]) ? { ...v, items } : v;
      }
      case 'oneOf': {
        const options = v.options.map((o) => resolve(o, depth + 1));
        return options.some((o, n) => o !== v.options[n]) ? { ...v, options } : v;
      }
      default:
        return v;
    }
  };
  return resolve(v, 0);
}

/**
 * Whether `v` holds a load-time BACKEND choice anywhere within MAX_DEPTH (cheap pre-check before resolving).
 * A shared value is walked again only when reached at a lesser depth (it may then see deeper), so the work is
 * bounded by the distinct values times MAX_DEPTH.
 */
export function hasBackendChoice(v: Value): boolean {
  // The least depth each value was walked at without finding a choice (a choice found ends the walk).
  const walkedAt = new Map<Value, number>();
  const has = (v: Value, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    const at = walkedAt.get(v);
    if (at !== undefined && at <= depth) return false;
    walkedAt.set(v, depth);
    switch (v.kind) {
      case 'unknown':
        return (
          v.backendChoice !== undefined ||
          (v.default !== undefined && has(v.default, depth + 1)) ||
          (v.alternatives?.some((a) => has(a, depth + 1)) ?? false)
        );
      case 'dict':
        return v.entries.some((e) => has(e.value, depth + 1));
      case 'list':
      case 'tuple':
        return v.items.some((i) => has(i, depth + 1));
      case 'oneOf':
        return v.options.some((o) => has(o, depth + 1));
      default:
        return false;
    }
  };
  return has(v, 0);
}
