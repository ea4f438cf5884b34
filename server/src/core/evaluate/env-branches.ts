/**
 * `if` statements whose condition is an environment lookup with a visible default
 * (`DEBUG = os.environ.get('DJANGO_DEBUG', '') == 'true'` then `if DEBUG: … else: …`): the branch the default
 * takes is what the settings are "if DJANGO_DEBUG is unset", like any other default; the other branch is kept
 * as the lookup's alternative. Pure; used by the evaluator's if statement.
 */
import type { Span, Value } from '../types';
import { asEnvDefault } from './url-helpers';
import { truthy } from './values';

export interface DecidedByDefault {
  readonly envVar: string;
  /** Whether the condition is true when the variable is unset. */
  readonly whenUnset: boolean;
}

/** The variable and the truth of a condition when that variable is unset, when the condition is such a lookup. */
export function decidedByDefault(cond: Value): DecidedByDefault | undefined {
  if (cond.kind !== 'unknown' || !cond.envVar || !cond.default || cond.default.kind === 'unknown')
    return undefined;
  const t = truthy(cond.default);
  return t === undefined ? undefined : { envVar: cond.envVar, whenUnset: t };
}

/**
 * Rewrites the values a branch merge made undecidable (`oneOf` spanning the statement) into "the taken
 * arm's value if the variable is unset, else one of the other arms'" (if/else and if/elif/…/else chains).
 */
export function applyDecided<B extends { readonly value: Value }>(
  merged: Map<string, B>,
  taken: ReadonlyMap<string, B>,
  others: readonly ReadonlyMap<string, B>[],
  envVar: string,
  stmt: Span,
  condition: string,
): void {
  const reason = `environment variable ${envVar} (decides \`if ${condition}\`)`;
  for (const [name, b] of merged) {
    const v = b.value;
    if (v.kind !== 'oneOf' || v.span?.from !== stmt.from || v.span.file !== stmt.file) continue;
    const t = taken.get(name);
    if (!t) continue;
    const alternatives = others.flatMap((o) => {
      const x = o.get(name);
      return x ? [x.value] : [];
    });
    merged.set(name, {
      ...b,
      value: asEnvDefault(t.value, envVar, reason, {
        alternatives: alternatives.length > 0 ? alternatives : undefined,
      }),
    });
  }
}
