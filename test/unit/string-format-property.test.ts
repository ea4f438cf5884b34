/**
 * Property: generated `%` and str.format expressions evaluate to exactly what python3 computes, or stay
 * Unknown (never a different value). The generated program — test data, not user code — runs in python3 here;
 * the analyser itself never runs Python.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { evaluateText, valueOf } from '../helpers/evaluate-text';

/** A Python literal for a generated value. */
type Py =
  | { kind: 'str'; v: string }
  | { kind: 'int'; v: number }
  | { kind: 'float'; v: number }
  | { kind: 'bool'; v: boolean }
  | { kind: 'none' };

function lit(p: Py): string {
  switch (p.kind) {
    case 'str':
      return JSON.stringify(p.v);
    case 'int':
      return String(p.v);
    case 'float':
      return Object.is(p.v, -0) ? '-0.0' : p.v.toExponential();
    case 'bool':
      return p.v ? 'True' : 'False';
    case 'none':
      return 'None';
  }
}

// No braces: `{{`…`}}` in a file reads as a template (DSL002), another feature.
const ALPHABET = 'ab:/.%\'"\\ -x';
const text = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 5 });
const value: fc.Arbitrary<Py> = fc.oneof(
  text.map((v) => ({ kind: 'str' as const, v })),
  fc.integer({ min: -70000, max: 70000 }).map((v) => ({ kind: 'int' as const, v })),
  fc
    .oneof(
      fc.constantFrom(0.5, 2.5, -2.5, 0.125, 1e16, 1e-5, 123456789.125, -0.0, 0.1, 1.005),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    )
    .map((v) => ({ kind: 'float' as const, v })),
  fc.boolean().map((v) => ({ kind: 'bool' as const, v })),
  fc.constant({ kind: 'none' as const }),
);

const num = (max: number): fc.Arbitrary<string> =>
  fc.option(fc.integer({ min: 0, max }).map(String), { nil: '' });

const percentSpec = fc
  .tuple(
    fc.subarray(['-', '+', ' ', '#', '0']),
    num(12),
    fc.option(
      num(8).map((p) => `.${p}`),
      { nil: '' },
    ),
    fc.constantFrom('s', 'r', 'a', 'd', 'i', 'x', 'X', 'o', 'f', 'F', 'e'),
  )
  .map(([flags, w, p, c]) => `%${flags.join('')}${w}${p}${c}`);

/** Each part of a format spec appears now and then, so many generated specs are valid. */
const some = (...xs: string[]): fc.Arbitrary<string> =>
  fc.option(fc.constantFrom(...xs), { nil: '', freq: 3 });
const formatSpec = fc
  .tuple(
    fc.option(fc.tuple(fc.constantFrom('', '*', '0', 'x'), fc.constantFrom('<', '>', '^', '=')), {
      nil: undefined,
      freq: 2,
    }),
    some('+', '-', ' '),
    some('#'),
    some('0'),
    num(12),
    some(',', '_'),
    fc.option(
      fc.integer({ min: 0, max: 8 }).map((p) => `.${p}`),
      { nil: '', freq: 2 },
    ),
    fc.constantFrom('', '', 's', 'd', 'x', 'X', 'o', 'b', 'f', 'F', '%', 'e'),
  )
  .map(([a, ...rest]) => (a ? a[0] + a[1] : '') + rest.join(''));

const percentCase = fc
  .tuple(fc.array(fc.tuple(text, percentSpec, value), { minLength: 1, maxLength: 3 }), text)
  .map(([specs, tail]) => {
    const fmt = specs.map(([t, s]) => t.replace(/%/g, '%%') + s).join('') + tail.replace(/%/g, '%%');
    const args = specs.map(([, , v]) => lit(v));
    return `${JSON.stringify(fmt)} % (${args.join(', ')}${args.length === 1 ? ',' : ''})`;
  });

const formatCase = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.tuple(
        text,
        fc.constantFrom('0', '1', '2', 'k'),
        fc.constantFrom('', '', '', '!r', '!s'),
        fc.option(formatSpec, { nil: '', freq: 2 }),
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    fc.array(value, { minLength: 3, maxLength: 3 }),
    value,
  )
  .map(([auto, fields, args, k]) => {
    const fmt = fields.map(([t, f, c, s]) => `${t}{${auto ? '' : f}${c}${s ? ':' + s : ''}}`).join('');
    return `${JSON.stringify(fmt)}.format(${[...args.map(lit), `k=${lit(k)}`].join(', ')})`;
  });

/** What python3 prints for each expression: the string, or null when it raises. */
function python(exprs: readonly string[]): (string | null)[] {
  const program = [
    'import json',
    'out = []',
    ...exprs.map((e) => `try:\n    out.append(${e})\nexcept Exception:\n    out.append(None)`),
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', program], { encoding: 'utf8' })) as (string | null)[];
}

/** Checks a batch; returns how many the analyser knew. */
function agree(exprs: readonly string[]): number {
  const want = python(exprs);
  const ev = evaluateText(exprs.map((e, i) => `V${i} = ${e}`).join('\n'));
  let known = 0;
  exprs.forEach((e, i) => {
    const got = valueOf(ev, `V${i}`);
    if (got?.kind === 'unknown') return;
    known++;
    assert.equal(got?.kind, 'str', e);
    assert.equal(got?.kind === 'str' ? got.value : undefined, want[i], e);
  });
  return known;
}

describe('string formatting agrees with python3 (property)', () => {
  it('printf-style % expressions', () => {
    let known = 0;
    fc.assert(
      fc.property(fc.array(percentCase, { minLength: 40, maxLength: 40 }), (exprs) => {
        known += agree(exprs);
      }),
      { numRuns: 8, seed: 20261206, endOnFailure: true },
    );
    // The comparison is only meaningful if many generated cases are known.
    assert.ok(known > 60, `only ${known} of 320 known`);
  });

  it('str.format expressions', () => {
    let known = 0;
    fc.assert(
      fc.property(fc.array(formatCase, { minLength: 40, maxLength: 40 }), (exprs) => {
        known += agree(exprs);
      }),
      { numRuns: 8, seed: 20261206, endOnFailure: true },
    );
    assert.ok(known > 60, `only ${known} of 320 known`);
  });
});
