/**
 * A value merged over branches (`oneOf`) lists each possibility once and at most a bounded number of them:
 * branches that keep what was there before share the same possibility objects, and listing them once per arm
 * doubled the list at each merge (a module of a few hundred such lines never finished evaluating).
 */
import assert from 'node:assert/strict';
import { oneOf, possibilities } from '../../server/src/core/evaluate/values';
import type { Value } from '../../server/src/core/types';
import { evaluateText, valueOf } from '../helpers/evaluate-text';

const str = (value: string): Value => ({ kind: 'str', value });

describe('oneOf: each possibility once, a bounded number of them', () => {
  it('lists a possibility shared by two arms once, in first-seen order', () => {
    const a = str('a');
    const b = str('b');
    const merged = oneOf([a, oneOf([a, b], 'c1'), b], 'c2');
    assert.equal(merged.kind, 'oneOf');
    assert.deepEqual(possibilities(merged), [a, b]);
  });

  it('keeps equal values that are different objects (they may come from different places)', () => {
    const merged = oneOf([str('a'), str('a'), str('b')], 'c');
    assert.equal(possibilities(merged).length, 3);
  });

  it('makes an unknown value past 64 possibilities, and keeps 64', () => {
    const many = (n: number): Value[] => Array.from({ length: n }, (_, i) => str(`v${i}`));
    assert.equal(possibilities(oneOf(many(64), 'c')).length, 64);
    const over = oneOf(many(65), 'c');
    assert.equal(over.kind, 'unknown');
    assert.match(over.kind === 'unknown' ? over.reason : '', /more than 64 possibilities/);
  });

  it('a name merged with itself at every line stays at its two possibilities', () => {
    // Before: 2^41 possibilities (never finishes).
    const text = 'A = 1 if probe() else 2\n' + 'A = A if probe() else A\n'.repeat(40);
    const a = valueOf(evaluateText(text), 'A');
    assert.ok(a);
    assert.deepEqual(
      possibilities(a).map((p) => (p.kind === 'int' ? p.value : p.kind)),
      [1, 2],
    );
  });
});
