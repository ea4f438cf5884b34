/**
 * The fast paths of the analysis' hot code answer exactly what the plain versions they replaced answer:
 * `describedAlike` (fix verification compares every setting of two analyses) is `describe(a) === describe(b)`,
 * `splitStringToken` matches the regular expression it replaced, `decodeEscapes` of a body without a
 * backslash is the body, and `numberValue` of decimal digits is their int.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numberValue } from '../../server/src/core/evaluate/expressions';
import { describe as describeValue, describedAlike } from '../../server/src/core/evaluate/values';
import { decodeEscapes, splitStringToken } from '../../server/src/core/python/strings';
import type { Value } from '../../server/src/core/types';

const SPAN_A = { file: 'a.py', from: 0, to: 1 };
const SPAN_B = { file: 'b.py', from: 5, to: 9 };

/** Values from a small alphabet, so that two drawn values are often alike and often differ in one place. */
const valueArb: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', "it's", '').map((value): Value => ({ kind: 'str', value, span: SPAN_A })),
    fc.constantFrom(0, -0, 1, 2.5, NaN).map((value): Value => ({ kind: 'float', value, span: SPAN_B })),
    fc.constantFrom(0, 1).map((value): Value => ({ kind: 'int', value })),
    fc.boolean().map((value): Value => ({ kind: 'bool', value })),
    fc.constant<Value>({ kind: 'none' }),
    fc.constantFrom('x', 'y').map((reason): Value => ({ kind: 'unknown', reason, envVar: reason })),
    fc
      .record({ items: fc.array(tie('v'), { maxLength: 3 }), open: fc.boolean(), tuple: fc.boolean() })
      .map(({ items, open, tuple }): Value =>
        tuple ? { kind: 'tuple', items } : { kind: 'list', items, open: open || undefined },
      ),
    fc
      .record({ entries: fc.array(fc.tuple(tie('v'), tie('v')), { maxLength: 3 }), open: fc.boolean() })
      .map(({ entries, open }): Value => ({
        kind: 'dict',
        entries: entries.map(([key, value]) => ({ key, value })),
        open: open || undefined,
      })),
    fc
      .array(tie('v'), { minLength: 2, maxLength: 3 })
      .map((options): Value => ({ kind: 'oneOf', options, condition: 'X' })),
  ),
})).v;

describe('hot-path fast paths', () => {
  it('describedAlike(a, b) is describe(a) === describe(b), for any limit', () => {
    fc.assert(
      fc.property(valueArb, valueArb, fc.constantFrom(5, 20, 80, 100_000), (a, b, max) => {
        const expected = describeValue(a, max) === describeValue(b, max);
        assert.equal(describedAlike(a, b, max), expected);
        assert.equal(describedAlike(a, structuredClone(a), max), true);
      }),
      { numRuns: 2000 },
    );
  });

  it('describedAlike tells apart values that render differently, and bounds its walk on shared values', () => {
    assert.equal(describedAlike({ kind: 'int', value: 1 }, { kind: 'float', value: 1 }), true);
    assert.equal(describedAlike({ kind: 'int', value: 1 }, { kind: 'str', value: '1' }), false);
    assert.equal(describedAlike({ kind: 'list', items: [], open: true }, { kind: 'list', items: [] }), false);
    // L = [L, L] x40: 2^40 leaves, two separately built copies (no part shared between them).
    const build = (): Value => {
      let l: Value = { kind: 'list', items: [] };
      for (let i = 0; i < 40; i++) l = { kind: 'list', items: [l, l] };
      return l;
    };
    assert.equal(describedAlike(build(), build(), 1000), true);
  });

  it('splitStringToken answers what /^([rRbBuUfF]{0,2})(\'\'\'|"""|\'|")/ found', () => {
    const old = (token: string) => {
      const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(token);
      if (!m) return undefined;
      const prefix = m[1] ?? '';
      const quote = m[2] ?? '';
      const bodyStart = m[0].length;
      const bodyEnd =
        token.endsWith(quote) && token.length >= bodyStart + quote.length ? token.length - quote.length : -1;
      if (bodyEnd < bodyStart) return undefined;
      const p = prefix.toLowerCase();
      return {
        prefix,
        quote,
        bodyStart,
        bodyEnd,
        raw: p.includes('r'),
        bytes: p.includes('b'),
        format: p.includes('f'),
      };
    };
    const token = fc.string({
      unit: fc.constantFrom('r', 'B', 'f', 'u', 'x', "'", '"', '\\', 'a'),
      maxLength: 9,
    });
    fc.assert(
      fc.property(token, (t) => assert.deepEqual(splitStringToken(t), old(t))),
      { numRuns: 5000 },
    );
    for (const t of ["'''a'''", '"""', "rb'x'", "fff'x'", 'u""', "br'", ''])
      assert.deepEqual(splitStringToken(t), old(t));
  });

  it('decodeEscapes of a body without a backslash is the body; with one it decodes', () => {
    assert.equal(decodeEscapes("plain 'text' é", false, false), "plain 'text' é");
    assert.equal(decodeEscapes('a\\nb\\x41\\101\\q', false, false), 'a\nbAA\\q');
    assert.equal(decodeEscapes('a\\nb', true, false), 'a\\nb');
  });

  it('numberValue of decimal digits is their int; other forms as before', () => {
    assert.deepEqual(numberValue('0123', SPAN_A), { kind: 'int', value: 123, span: SPAN_A });
    assert.deepEqual(numberValue('1_000', SPAN_A), { kind: 'int', value: 1000, span: SPAN_A });
    assert.deepEqual(numberValue('0x1F', SPAN_A), { kind: 'int', value: 31, span: SPAN_A });
    assert.deepEqual(numberValue('10L', SPAN_A), { kind: 'int', value: 10, span: SPAN_A });
    assert.deepEqual(numberValue('1.5e3', SPAN_A), { kind: 'float', value: 1500, span: SPAN_A });
    assert.equal(numberValue('3j', SPAN_A).kind, 'unknown');
  });
});
