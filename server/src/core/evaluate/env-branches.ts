/**
 * `if` statements decided by what the defaults reach, with the other arms kept as possibilities:
 * - a condition on an environment lookup with a visible default (`DEBUG = os.environ.get('DJANGO_DEBUG', '')
 *   == 'true'` then `if DEBUG: … else: …`): the branch the default takes is what the settings are "if
 *   DJANGO_DEBUG is unset", like any other default;
 * - a file's existence (`if os.path.exists(…'local.py')`, `try: from .local import * except ImportError`): the
 *   branch an absent file leaves ("if local.py is absent"; a present file simply runs, statically).
 * Pure; used by the evaluator's if and try statements.
 */
import type { Span, Value } from '../types';
import { LazyEnv } from './environment';
import { Lazy } from './replay';
import { asEnvDefault } from './url-helpers';
import { truthy } from './values';

/** What decides a branch when nothing is set: an environment variable, or a file's existence (a phrase). */
export interface Decider {
  readonly envVar?: string | undefined;
  /** For a file's existence: the default world as a phrase ("/etc/x.py is absent"). */
  readonly defaultWhen?: string | undefined;
}

export interface DecidedByDefault extends Decider {
  /** Whether the condition is true in the default world (the variable unset, the file as it is on disk). */
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
 * arm's value in the default world, else one of the other arms'" (if/else and if/elif/…/else chains, try/except).
 */
export function applyDecided<B extends { readonly value: Value }>(
  merged: Map<string, B>,
  taken: ReadonlyMap<string, B>,
  others: readonly ReadonlyMap<string, B>[],
  decider: Decider,
  stmt: Span,
  condition: string,
): void {
  const reason = decider.envVar
    ? `environment variable ${decider.envVar} (decides \`${condition}\`)`
    : `whether ${decider.defaultWhen ?? 'a file exists'} (decides \`${condition}\`)`;
  for (const name of merged.keys()) {
    // An unread replayed name is no arm's merge (its binding is the same in every alternative): left unread.
    if (merged instanceof LazyEnv && merged.raw(name) instanceof Lazy) continue;
    const b = merged.get(name) as B;
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
      value: asEnvDefault(t.value, decider.envVar, reason, {
        alternatives: alternatives.length > 0 ? alternatives : undefined,
        defaultWhen: decider.envVar ? undefined : decider.defaultWhen,
      }),
    });
  }
}
