/** Compares the Python oracle's settings with the analyser's `effective` JSON, honouring what a fixture expects to be statically known. */
import { isDeepStrictEqual } from 'node:util';
import { isEffectiveValue, type EffectiveValue } from './cli';
import type { OracleSettings } from './oracle';

/** Dotted keys (`SESSION_ENGINE`, `CACHES`, `CACHES.default.BACKEND`); an entry covers the keys under it. */
export interface Expectations {
  /** The analyser must report these as `known: true` (or "not set" where Python has nothing). */
  expectKnown: readonly string[];
  /** The analyser must report these as known, or unknown with a `default`. */
  expectDefault?: readonly string[];
}

export interface ComparisonRow {
  key: string;
  python: unknown;
  analyser: string;
  problem?: string;
}

export interface Comparison {
  rows: ComparisonRow[];
  problems: string[];
  /** How many keys the analyser knew (or knew the default of) and got right. */
  agreed: number;
}

const SCALARS = ['SESSION_ENGINE', 'SESSION_CACHE_ALIAS', 'SESSION_SERIALIZER'] as const;
const CONTAINERS = { CACHES: ['BACKEND', 'LOCATION'], DATABASES: ['ENGINE'] } as const;

function covers(list: readonly string[] | undefined, key: string): boolean {
  return (list ?? []).some((e) => key === e || key.startsWith(`${e}.`));
}

function mentions(list: readonly string[] | undefined, prefix: string): boolean {
  return (list ?? []).some((e) => e === prefix || e.startsWith(`${prefix}.`) || prefix.startsWith(`${e}.`));
}

function show(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

function showValue(ev: unknown): string {
  if (ev === undefined) return '(absent)';
  if (!isEffectiveValue(ev)) return `(not a {known} value: ${JSON.stringify(ev)})`;
  if (ev.known) return `known ${show(ev.value ?? null)}`;
  return `unknown (${ev.reason ?? 'no reason'})${'default' in ev ? ` default ${show(ev.default)}` : ''}`;
}

class Comparer {
  readonly rows: ComparisonRow[] = [];
  agreed = 0;
  constructor(private readonly exp: Expectations) {}

  private add(key: string, python: unknown, ev: unknown, problem?: string): void {
    this.rows.push({ key, python, analyser: showValue(ev), ...(problem ? { problem } : {}) });
  }

  /** One setting. `required`: the key must appear in the JSON even when Python has no value. */
  value(key: string, python: unknown, ev: unknown, required: boolean): void {
    const mustKnow = covers(this.exp.expectKnown, key);
    const mustDefault = mustKnow || covers(this.exp.expectDefault, key);
    if (ev === undefined) {
      if (python === null && !required) return this.add(key, python, ev);
      if (required || mustDefault)
        return this.add(key, python, ev, 'missing from the effective configuration');
      return this.add(key, python, ev);
    }
    if (!isEffectiveValue(ev)) return this.add(key, python, ev, 'not a {known: …} value');
    if (ev.known) {
      const value = ev.value === undefined ? null : ev.value;
      if (!isDeepStrictEqual(value, python))
        return this.add(key, python, ev, 'the analyser disagrees with Python');
      this.agreed++;
      return this.add(key, python, ev);
    }
    if ('default' in ev) {
      if (!isDeepStrictEqual(ev.default, python)) {
        return this.add(
          key,
          python,
          ev,
          "the analyser's default disagrees with Python in a clean environment",
        );
      }
      if (mustKnow) return this.add(key, python, ev, 'expected known, got an unknown with a default');
      this.agreed++;
      return this.add(key, python, ev);
    }
    if (python === null && /not set/i.test(ev.reason ?? '')) {
      this.agreed++;
      return this.add(key, python, ev);
    }
    if (mustDefault)
      return this.add(key, python, ev, mustKnow ? 'expected known' : 'expected known or a default');
    return this.add(key, python, ev);
  }

  /** CACHES / DATABASES: alias → fields. */
  container(name: keyof typeof CONTAINERS, python: OracleSettings['CACHES'], analyser: unknown): void {
    const fields = CONTAINERS[name];
    if (typeof python !== 'object' || python === null) {
      this.rows.push({
        key: name,
        python,
        analyser: showValue(analyser),
        problem: `Python's ${name} is not a dict`,
      });
      return;
    }
    let aliases: Record<string, unknown>;
    if (analyser === undefined) {
      if (Object.keys(python).length === 0) return;
      if (mentions(this.exp.expectKnown, name)) {
        this.rows.push({
          key: name,
          python,
          analyser: '(absent)',
          problem: 'missing from the effective configuration',
        });
        return;
      }
      aliases = {};
    } else if (isEffectiveValue(analyser)) {
      // The whole dict as one value: spread it over its aliases.
      const whole = analyser;
      aliases = {};
      if (whole.known && typeof whole.value === 'object' && whole.value !== null) {
        for (const [alias, entry] of Object.entries(whole.value as Record<string, unknown>)) {
          const e = (entry ?? {}) as Record<string, unknown>;
          aliases[alias] = Object.fromEntries(fields.map((f) => [f, { known: true, value: e[f] ?? null }]));
        }
      } else {
        for (const alias of Object.keys(python)) {
          aliases[alias] = {
            known: false,
            reason: whole.reason ?? `${name} unknown`,
          } satisfies EffectiveValue;
        }
      }
    } else if (typeof analyser === 'object' && analyser !== null) {
      aliases = analyser as Record<string, unknown>;
    } else {
      this.rows.push({
        key: name,
        python,
        analyser: show(analyser),
        problem: 'neither a dict of aliases nor a {known} value',
      });
      return;
    }
    for (const [alias, pyEntry] of Object.entries(python)) {
      const entry = aliases[alias];
      for (const field of fields) {
        const key = `${name}.${alias}.${field}`;
        const py = typeof pyEntry === 'object' && pyEntry !== null ? (pyEntry[field] ?? null) : pyEntry;
        let ev: unknown;
        if (entry === undefined) ev = undefined;
        else if (isEffectiveValue(entry))
          ev = entry.known
            ? { known: true, value: (entry.value as Record<string, unknown> | null)?.[field] ?? null }
            : entry;
        else ev = (entry as Record<string, unknown>)[field];
        this.value(key, py, ev, false);
      }
    }
    for (const [alias, entry] of Object.entries(aliases)) {
      if (alias in python) continue;
      const values = isEffectiveValue(entry)
        ? [entry]
        : Object.values((entry ?? {}) as Record<string, unknown>);
      const claims = values.some((v) => isEffectiveValue(v) && v.known);
      this.rows.push({
        key: `${name}.${alias}`,
        python: '(no such alias)',
        analyser: JSON.stringify(entry),
        ...(claims ? { problem: 'the analyser reports an alias Python does not have' } : {}),
      });
    }
  }
}

/**
 * Compares SESSION_ENGINE, SESSION_CACHE_ALIAS, SESSION_SERIALIZER and each CACHES alias's BACKEND and
 * LOCATION (and, with `databases`, each DATABASES alias's ENGINE).
 */
export function compareEffective(
  python: OracleSettings,
  effective: Record<string, unknown> | undefined,
  exp: Expectations,
  options: { databases?: boolean } = {},
): Comparison {
  const c = new Comparer(exp);
  const eff = effective ?? {};
  for (const name of SCALARS) c.value(name, python[name] ?? null, eff[name], true);
  c.container('CACHES', python.CACHES, eff['CACHES']);
  if (options.databases) c.container('DATABASES', python.DATABASES, eff['DATABASES']);
  const problems = c.rows
    .filter((r) => r.problem)
    .map((r) => `${r.key}: ${r.problem} (Python ${show(r.python)}, analyser ${r.analyser})`);
  return { rows: c.rows, problems, agreed: c.agreed };
}

/** The comparison as a table for failure messages. */
export function formatComparison(c: Comparison): string {
  return c.rows
    .map((r) => `${r.problem ? '✗' : '✓'} ${r.key}: Python ${show(r.python)} | analyser ${r.analyser}`)
    .join('\n');
}
