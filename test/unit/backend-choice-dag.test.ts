/**
 * Load-time BACKEND choices (layers/backend-choice.ts) in values that share parts: `a1 = [a0, a0, a0]`
 * repeated makes a value whose paths grow as 3^depth, and the walks that look for and resolve the choices went
 * down every path (`CACHES = a39` never finished). They now visit each shared value once per depth, and answer
 * what the tree walks they replaced answer (kept here as the oracle).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  chooseBackend,
  hasBackendChoice,
  resolveBackendChoices,
  type PackageFacts,
} from '../../server/src/core/layers/backend-choice';
import type { UnknownValue, Value } from '../../server/src/core/types';

const FACTS: PackageFacts = { django: { min: { major: 4, minor: 2 }, max: { major: 4, minor: 2 } } };

const CHOICE: NonNullable<UnknownValue['backendChoice']> = [
  { backend: 'django.core.cache.backends.redis.RedisCache', djangoAtLeast: '4.0' },
  { backend: 'django_redis.cache.RedisCache' },
];

const choiceValue = (): Value => ({
  kind: 'unknown',
  reason: 'chosen when the settings load',
  backendChoice: CHOICE,
});

/** The tree walks as they were before sharing was taken into account (depth-guarded at 20 like them). */
function treeHas(v: Value, depth = 0): boolean {
  if (depth > 20) return false;
  switch (v.kind) {
    case 'unknown':
      return (
        v.backendChoice !== undefined ||
        (v.default !== undefined && treeHas(v.default, depth + 1)) ||
        (v.alternatives?.some((a) => treeHas(a, depth + 1)) ?? false)
      );
    case 'dict':
      return v.entries.some((e) => treeHas(e.value, depth + 1));
    case 'list':
    case 'tuple':
      return v.items.some((i) => treeHas(i, depth + 1));
    case 'oneOf':
      return v.options.some((o) => treeHas(o, depth + 1));
    default:
      return false;
  }
}

function treeResolve(v: Value, depth = 0): Value {
  if (depth > 20) return v;
  switch (v.kind) {
    case 'unknown': {
      if (v.backendChoice) {
        const chosen = chooseBackend(v.backendChoice, FACTS);
        return chosen === undefined ? v : { kind: 'str', value: chosen, span: v.span };
      }
      const d = v.default ? treeResolve(v.default, depth + 1) : undefined;
      const alts = v.alternatives?.map((a) => treeResolve(a, depth + 1));
      const altsChanged = alts?.some((a, i) => a !== v.alternatives?.[i]) ?? false;
      return d === v.default && !altsChanged ? v : { ...v, default: d, alternatives: alts };
    }
    case 'dict': {
      let changed = false;
      const entries = v.entries.map((e) => {
        const value = treeResolve(e.value, depth + 1);
        if (value === e.value) return e;
        changed = true;
        return { ...e, value };
      });
      return changed ? { kind: 'dict', entries, span: v.span, ...(v.open ? { open: true } : {}) } : v;
    }
    case 'list':
    case 'tuple': {
      const items = v.items.map((i) => treeResolve(i, depth + 1));
      return items.some((i, n) => i !== v.items[n]) ? { ...v, items } : v;
    }
    case 'oneOf': {
      const options = v.options.map((o) => treeResolve(o, depth + 1));
      return options.some((o, n) => o !== v.options[n]) ? { ...v, options } : v;
    }
    default:
      return v;
  }
}

/** `levels` lists of `fan` copies of the level below, over `leaf`. */
function shared(leaf: Value, levels: number, fan: number): Value {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { kind: 'list', items: Array.from({ length: fan }, () => v) };
  return v;
}

/**
 * Values built bottom-up from a pool, each new one made of earlier ones (so parts are shared at different
 * depths), with choices, unknown defaults/alternatives, dicts, tuples and oneOfs; chains up to 30 deep cross
 * the depth guard.
 */
const sharedValues = fc
  .array(fc.tuple(fc.nat(6), fc.array(fc.nat(), { minLength: 1, maxLength: 2 })), {
    minLength: 1,
    maxLength: 26,
  })
  .map((steps): Value => {
    const pool: Value[] = [{ kind: 'str', value: 's' }, choiceValue(), { kind: 'int', value: 1 }];
    for (const [kind, picks] of steps) {
      const parts = picks.map((p) => pool[pool.length - 1 - (p % Math.min(pool.length, 4))] as Value);
      const first = parts[0] as Value;
      const made: Value =
        kind === 0
          ? { kind: 'list', items: parts }
          : kind === 1
            ? { kind: 'tuple', items: parts }
            : kind === 2
              ? {
                  kind: 'dict',
                  entries: parts.map((value, i) => ({ key: { kind: 'str', value: `k${i}` }, value })),
                }
              : kind === 3
                ? { kind: 'oneOf', options: parts, condition: 'c' }
                : kind === 4
                  ? { kind: 'unknown', reason: 'r', default: first, alternatives: parts.slice(1) }
                  : kind === 5
                    ? choiceValue()
                    : { kind: 'list', items: [first] };
      pool.push(made);
    }
    return pool[pool.length - 1] as Value;
  });

describe('backend choices in shared values', () => {
  it('finds no choice in 3^40 paths over one shared value, and finds one at the bottom of 20 levels', () => {
    assert.equal(hasBackendChoice(shared({ kind: 'str', value: 'x' }, 40, 3)), false);
    assert.equal(hasBackendChoice(shared(choiceValue(), 19, 3)), true);
    // Below the depth guard (the leaf at depth 41) it is not looked for, as before.
    assert.equal(hasBackendChoice(shared(choiceValue(), 40, 3)), false);
  });

  it('resolves a choice shared 3^20 times once per depth, keeping the sharing', () => {
    const v = resolveBackendChoices(shared(choiceValue(), 20, 3), FACTS);
    let level = v;
    for (let i = 0; i < 20; i++) {
      assert.equal(level.kind, 'list');
      if (level.kind !== 'list') return;
      // The three copies are one object after resolving too (not 3^20 new ones).
      assert.equal(level.items[0], level.items[2]);
      level = level.items[0] as Value;
    }
    assert.deepEqual(level, {
      kind: 'str',
      value: 'django.core.cache.backends.redis.RedisCache',
      span: undefined,
    });
  });

  it('answers what the tree walks answer (random shared values, across the depth guard)', () => {
    fc.assert(
      fc.property(sharedValues, (v) => {
        assert.equal(hasBackendChoice(v), treeHas(v));
        assert.deepEqual(resolveBackendChoices(v, FACTS), treeResolve(v));
      }),
      { numRuns: 300 },
    );
  });
});
