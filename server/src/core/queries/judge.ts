/**
 * Judging a value the way every rule and query must (ARCHITECTURE.md, "Unknown values never produce
 * diagnostics"): every possibility known, an environment lookup judged by its visible
 * default and marked "if X is unset".
 */
import { possibilities } from '../evaluate/values';
import type { UnknownValue, Value } from '../types';

/** One concrete possibility of a value, and whether it comes from an environment default. */
export interface Judged<T> {
  readonly value: T;
  /** The environment variable whose default was judged, when the value is a lookup with a visible default. */
  readonly ifUnset?: string | undefined;
  /**
   * When the judged value holds, for a value decided by a file's existence ("local.py is absent"): such a
   * value is what the project's files say, so fixes may still edit it (unlike an environment default).
   */
  readonly when?: string | undefined;
  /** The node carrying the judged value (the literal or the default's literal). */
  readonly source: Value;
}

/**
 * Applies `test` to every possibility of `v` (unknown values are never judged): returns the results only when every possibility
 * is known (an Unknown with a visible default counts as its default) and every test returns a result;
 * otherwise undefined (silence).
 */
export function judgeAll<T>(
  v: Value | undefined,
  test: (known: Value) => T | undefined,
): Judged<T>[] | undefined {
  if (!v) return undefined;
  const out: Judged<T>[] = [];
  for (const p of possibilities(v)) {
    let subject: Value = p;
    let ifUnset: string | undefined;
    let when: string | undefined;
    if (p.kind === 'unknown') {
      if (!p.default || p.default.kind === 'unknown') return undefined;
      subject = p.default;
      if (p.defaultWhen !== undefined && p.envVar === undefined) when = p.defaultWhen;
      else ifUnset = p.envVar ?? 'the environment variable';
    }
    const r = test(subject);
    if (r === undefined) return undefined;
    out.push(
      when === undefined ? { value: r, ifUnset, source: subject } : { value: r, when, source: subject },
    );
  }
  return out.length > 0 ? out : undefined;
}

/** The string possibilities of a value when all are known strings (or defaults that are strings). */
export function knownStrings(v: Value | undefined): Judged<string>[] | undefined {
  return judgeAll(v, (k) => (k.kind === 'str' ? k.value : undefined));
}

/** A single known string (no alternatives), or undefined. */
export function knownString(v: Value | undefined): Judged<string> | undefined {
  const all = knownStrings(v);
  return all && all.length === 1 ? all[0] : undefined;
}

/**
 * The environment lookups among the possibilities of `v` that are a str whenever their variable is set (a raw
 * `os.environ.get`, `os.getenv`, decouple `config()` without `cast`): what a setting that needs a number or a
 * bool must not be, whatever its default.
 */
export function rawEnvironmentStrings(v: Value | undefined): UnknownValue[] {
  if (!v) return [];
  return possibilities(v).filter(
    (p): p is UnknownValue => p.kind === 'unknown' && p.whenSet === 'str' && p.envVar !== undefined,
  );
}

/** " (if REDIS_HOST is unset)" when a default was judged; " (if local.py is absent)" for a file's existence. */
export function ifUnsetSuffix(
  j: { ifUnset?: string | undefined; when?: string | undefined } | undefined,
): string {
  return j?.ifUnset ? ` (if ${j.ifUnset} is unset)` : j?.when ? ` (if ${j.when})` : '';
}
