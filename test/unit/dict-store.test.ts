/**
 * dictSet/dictLookup/dictDelete (values.ts over dict-store.ts) give exactly the results of the original
 * copy-and-scan algorithm, kept here as the reference, on random sequences of operations over random
 * versions (so older versions, branches and lazily rebuilt entries are all exercised).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dictDelete, dictLookup, dictSet, pyEquals } from '../../server/src/core/evaluate/values';
import type { DictEntry, DictValue, Span, Value } from '../../server/src/core/types';
import { evaluateText, valueOf } from '../helpers/evaluate-text';

// ---- The reference: the algorithm before the key index (copy the entries, scan with pyEquals).
function refLookup(
  dict: DictValue,
  key: Value,
): { found: true; entry: DictEntry } | { found: false | 'maybe' } {
  let maybe = dict.open === true;
  for (let i = dict.entries.length - 1; i >= 0; i--) {
    const e = dict.entries[i] as DictEntry;
    const eq = pyEquals(e.key, key);
    if (eq === true) return maybe ? { found: 'maybe' } : { found: true, entry: e };
    if (eq === undefined) maybe = true;
  }
  return { found: maybe ? 'maybe' : false };
}
function refSet(dict: DictValue, key: Value, value: Value, keySpan?: Span): DictValue {
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
function refDelete(dict: DictValue, key: Value): DictValue {
  return { ...dict, entries: dict.entries.filter((e) => pyEquals(e.key, key) !== true) };
}

const KEYS: Value[] = [
  { kind: 'str', value: 'a' },
  { kind: 'str', value: 'b' },
  { kind: 'str', value: '1' },
  { kind: 'str', value: '' },
  { kind: 'int', value: 0 },
  { kind: 'int', value: 1 },
  { kind: 'int', value: 2 },
  { kind: 'float', value: 1 },
  { kind: 'float', value: -0 },
  { kind: 'float', value: NaN },
  { kind: 'bool', value: true },
  { kind: 'bool', value: false },
  { kind: 'none' },
  { kind: 'unknown', reason: 'env' },
  {
    kind: 'oneOf',
    options: [
      { kind: 'str', value: 'a' },
      { kind: 'int', value: 1 },
    ],
    condition: 'if',
  },
  {
    kind: 'tuple',
    items: [
      { kind: 'int', value: 1 },
      { kind: 'str', value: 'a' },
    ],
  },
  {
    kind: 'tuple',
    items: [
      { kind: 'int', value: 1 },
      { kind: 'unknown', reason: 'x' },
    ],
  },
  { kind: 'list', items: [], open: true },
  { kind: 'dict', entries: [] },
];
const span = (n: number): Span => ({ start: n, end: n + 1 }) as unknown as Span;

type Op =
  | { op: 'set'; from: number; key: number; value: number }
  | { op: 'delete'; from: number; key: number }
  | { op: 'read'; from: number }
  | { op: 'lookup'; from: number; key: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      from: fc.nat(),
      key: fc.nat(KEYS.length - 1),
      value: fc.nat(50),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('delete' as const),
      from: fc.nat(),
      key: fc.nat(KEYS.length - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('read' as const), from: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('lookup' as const),
      from: fc.nat(),
      key: fc.nat(KEYS.length - 1),
    }),
  },
);

const startArb: fc.Arbitrary<DictValue> = fc
  .record(
    {
      entries: fc.array(
        fc
          .record({ key: fc.nat(KEYS.length - 1), value: fc.nat(9) })
          .map(({ key, value }): DictEntry => ({ key: KEYS[key] as Value, value: { kind: 'int', value } })),
        { maxLength: 6 },
      ),
      open: fc.boolean(),
    },
    { requiredKeys: ['entries'] },
  )
  .map((r) => ({ kind: 'dict', ...r }) as DictValue);

describe('dict values: key index and shared entries', () => {
  it('many sets, deletes and lookups on any version equal the copy-and-scan reference', () => {
    fc.assert(
      fc.property(startArb, fc.array(opArb, { maxLength: 60 }), fc.boolean(), (start, ops, latestOnly) => {
        const mine: DictValue[] = [start];
        const ref: DictValue[] = [start];
        ops.forEach((o, n) => {
          // Mostly the newest version (the fast path), sometimes an older one (a branch).
          const i = latestOnly ? mine.length - 1 : o.from % mine.length;
          const d = mine[i] as DictValue;
          const r = ref[i] as DictValue;
          if (o.op === 'set') {
            const key = KEYS[o.key] as Value;
            const value: Value = { kind: 'int', value: o.value };
            mine.push(dictSet(d, key, value, span(n)));
            ref.push(refSet(r, key, value, span(n)));
          } else if (o.op === 'delete') {
            mine.push(dictDelete(d, KEYS[o.key] as Value));
            ref.push(refDelete(r, KEYS[o.key] as Value));
          } else if (o.op === 'read') {
            assert.deepEqual(d.entries, r.entries);
          } else {
            assert.deepEqual(dictLookup(d, KEYS[o.key] as Value), refLookup(r, KEYS[o.key] as Value));
          }
        });
        // Every version, read last (older ones rebuilt from the newer ones), is unchanged by what came after.
        mine.forEach((d, i) => {
          const r = ref[i] as DictValue;
          assert.deepStrictEqual(Object.keys(d), Object.keys(r));
          assert.deepStrictEqual({ ...d }, { ...r });
          for (const k of KEYS) assert.deepStrictEqual(dictLookup(d, k), refLookup(r, k));
        });
      }),
      { numRuns: 400 },
    );
  });

  it('a dict literal is the reference set of its entries in order (equal keys merged, scanned or indexed)', () => {
    // Python literals and their values: equal keys across kinds (1 == 1.0 == True, 0 == -0.0 == False).
    const pool: [string, Value][] = [
      ["'a'", { kind: 'str', value: 'a' }],
      ["'b'", { kind: 'str', value: 'b' }],
      ["'1'", { kind: 'str', value: '1' }],
      ["''", { kind: 'str', value: '' }],
      ['0', { kind: 'int', value: 0 }],
      ['1', { kind: 'int', value: 1 }],
      ['2', { kind: 'int', value: 2 }],
      ['1.0', { kind: 'float', value: 1 }],
      ['-0.0', { kind: 'float', value: -0 }],
      ['True', { kind: 'bool', value: true }],
      ['False', { kind: 'bool', value: false }],
      ['None', { kind: 'none' }],
      ['3', { kind: 'int', value: 3 }],
      ["'c'", { kind: 'str', value: 'c' }],
      ['4', { kind: 'int', value: 4 }],
      ["'d'", { kind: 'str', value: 'd' }],
      ['5', { kind: 'int', value: 5 }],
    ];
    const plain = (v: Value): unknown => ('value' in v ? [v.kind, v.value] : [v.kind]);
    fc.assert(
      fc.property(fc.array(fc.nat(pool.length - 1), { maxLength: 24 }), (picks) => {
        const text = `D = {${picks.map((p, i) => `${(pool[p] as [string, Value])[0]}: ${i}`).join(', ')}}`;
        const d = valueOf(evaluateText(text), 'D');
        assert.equal(d?.kind, 'dict', text);
        if (d?.kind !== 'dict') return;
        let ref: DictValue = { kind: 'dict', entries: [] };
        picks.forEach((p, i) => {
          ref = refSet(ref, (pool[p] as [string, Value])[1], { kind: 'int', value: i });
        });
        assert.deepStrictEqual(
          d.entries.map((e) => [plain(e.key), plain(e.value)]),
          ref.entries.map((e) => [plain(e.key), plain(e.value)]),
          text,
        );
        assert.equal(d.open, undefined, text);
      }),
      { numRuns: 300 },
    );
  });

  it('an older version read after thousands of later sets still has its own values', () => {
    let d: DictValue = { kind: 'dict', entries: [] };
    const kept: DictValue[] = [];
    for (let i = 0; i < 3000; i++) {
      d = dictSet(d, { kind: 'str', value: `k${i % 1000}` }, { kind: 'int', value: i });
      if (i % 500 === 0) kept.push(d);
    }
    assert.equal(d.entries.length, 1000);
    assert.deepEqual(d.entries[0]?.value, { kind: 'int', value: 2000 });
    assert.deepEqual(
      kept.map((k) => k.entries.length),
      [1, 501, 1000, 1000, 1000, 1000],
    );
    assert.deepEqual(kept[2]?.entries[0]?.value, { kind: 'int', value: 1000 });
    assert.deepEqual(kept[2]?.entries[1]?.value, { kind: 'int', value: 1 });
    assert.deepEqual(dictLookup(kept[5] as DictValue, { kind: 'str', value: 'k499' }), {
      found: true,
      entry: { key: { kind: 'str', value: 'k499' }, value: { kind: 'int', value: 2499 }, keySpan: undefined },
    });
  });

  it('100,000 deletes after 100,000 sets are amortised O(1) each (a copy per delete would not finish)', () => {
    const n = 100_000;
    let d: DictValue = { kind: 'dict', entries: [] };
    for (let i = 0; i < n; i++) d = dictSet(d, { kind: 'str', value: `k${i}` }, { kind: 'int', value: i });
    const full = d;
    for (let i = 0; i < n; i += 2) d = dictDelete(d, { kind: 'str', value: `k${i}` });
    const half = d;
    for (let i = 1; i < n; i += 2) d = dictDelete(d, { kind: 'int', value: i }); // not there: no change
    for (let i = 1; i < n; i += 2) d = dictDelete(d, { kind: 'str', value: `k${i}` });
    d = dictSet(d, { kind: 'str', value: 'k0' }, { kind: 'int', value: -1 }); // re-inserted: at the end
    assert.deepEqual(
      d.entries.map((e) => e.key),
      [{ kind: 'str', value: 'k0' }],
    );
    // Older versions keep their own entries, rebuilt from the newest.
    assert.equal(half.entries.length, n / 2);
    assert.deepEqual(half.entries[0]?.key, { kind: 'str', value: 'k1' });
    assert.equal(full.entries.length, n);
    assert.deepEqual(dictLookup(half, { kind: 'str', value: 'k2' }), { found: false });
    assert.equal(dictLookup(full, { kind: 'str', value: 'k2' }).found, true);
  });
});
