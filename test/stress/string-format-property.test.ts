/**
 * Property: generated `%`, str.format and f-string expressions (conversions, format specs, nested fields)
 * evaluate to exactly what python3 computes, or stay Unknown (never a different value). The generated program — test data, not user code — runs in python3 here;
 * the analyser itself never runs Python.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateText, valueOf } from '../helpers/evaluate-text';
import { cpythonRun } from '../helpers/python';

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
  fc.integer({ min: 32, max: 126 }).map((v) => ({ kind: 'int' as const, v })),
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
    fc.constantFrom('s', 'r', 'a', 'd', 'i', 'x', 'X', 'o', 'f', 'F', 'e', 'E', 'g', 'G', 'c'),
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
    fc.constantFrom('', '', 's', 'd', 'x', 'X', 'o', 'b', 'c', 'f', 'F', '%', 'e', 'E', 'g', 'G', 'n'),
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

/** A spec whose width and precision come from nested fields: `{w}`/`{p}` (f-string) or `{}`/`{w}` (str.format). */
const nestedSpec = (w: string, p: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('', '<', '>', '^', '*^', '0='),
      some('+', ' '),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom('', 's', 'd', 'f', 'e', 'g', '%'),
    )
    .map(
      ([align, sign, width, prec, type]) => `${align}${sign}${width ? w : ''}${prec ? `.${p}` : ''}${type}`,
    );

/** str.format with replacement fields nested in the spec, automatic and named. */
const nestedFormatCase = fc
  .tuple(fc.boolean(), value, nestedSpec('{}', '{}'), nestedSpec('{w}', '{p}'), fc.nat(12), fc.nat(6))
  .map(([auto, v, s1, s2, w, p]) => {
    const spec = auto ? s1 : s2;
    const nested = auto ? (spec.match(/\{\}/g) ?? []).length : 0;
    const extra = auto ? [w, p].slice(0, nested).map(String) : [];
    return {
      prelude: [],
      expr: `${JSON.stringify(`<{:${spec}}>`)}.format(${[lit(v), ...extra, `w=${w}`, `p=${p}`].join(', ')})`,
    };
  });

// f-string literal text: no quotes, backslashes or braces (they need escapes the generator does not write).
const plain = fc.string({ unit: fc.constantFrom(...'ab:/.% -x'), maxLength: 4 });

/** f-strings over variables: conversions, specs, nested `{w}`/`{p}` fields and `=` fields. */
const fstringCase = fc
  .tuple(
    fc.array(
      fc.tuple(
        plain,
        fc.constantFrom('', '', '', '!r', '!s', '!a', '=', ' = '),
        fc.oneof(fc.option(formatSpec, { nil: '', freq: 2 }), nestedSpec('{w}', '{p}')),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(value, { minLength: 3, maxLength: 3 }),
    fc.nat(12),
    fc.nat(6),
    plain,
  )
  .map(([fields, vals, w, p, tail]) => ({
    prelude: [...vals.map((v, i) => `@a${i} = ${lit(v)}`), `@w = ${w}`, `@p = ${p}`],
    expr: `f'${fields.map(([t, c, spec], i) => `${t}{@a${i}${c}${spec ? ':' + spec.replace(/\{([wp])\}/g, '{@$1}') : ''}}`).join('')}${tail}'`,
  }));

interface Case {
  /** Assignments the expression reads; `@` in names becomes the case's own prefix (one namespace per batch). */
  readonly prelude: readonly string[];
  readonly expr: string;
}

const asCase = (expr: string): Case => ({ prelude: [], expr });

/** The case's text with its own names: `@a0` becomes `c7_a0` in the batch's 7th case. */
function own(c: Case, i: number): { prelude: string[]; expr: string } {
  const name = (t: string): string => t.replace(/@/g, `c${i}_`);
  return { prelude: c.prelude.map(name), expr: name(c.expr) };
}

/** What python3 prints for each case: the string, or null when it raises. */
function python(cases: readonly Case[]): (string | null)[] {
  const program = [
    'import json',
    'out = []',
    ...cases.map((c, i) => {
      const o = own(c, i);
      const lines = [...o.prelude, `out.append(${o.expr})`].map((l) => `    ${l}`).join('\n');
      return `try:\n${lines}\nexcept Exception:\n    out.append(None)`;
    }),
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(cpythonRun(program)) as (string | null)[];
}

/** Checks a batch (one analyser evaluation of all its cases); returns the cases the analyser knew. */
function agree(cases: readonly Case[]): Case[] {
  const want = python(cases);
  const ev = evaluateText(
    cases
      .flatMap((c, i) => {
        const o = own(c, i);
        return [...o.prelude, `V${i} = ${o.expr}`];
      })
      .join('\n'),
  );
  const known: Case[] = [];
  cases.forEach((c, i) => {
    const got = valueOf(ev, `V${i}`);
    if (got?.kind === 'unknown') return;
    known.push(c);
    const o = own(c, i);
    assert.equal(got?.kind, 'str', o.expr);
    assert.equal(got?.kind === 'str' ? got.value : undefined, want[i], `${o.prelude.join('; ')}; ${o.expr}`);
  });
  return known;
}

/** Runs `runs` batches of 40 generated cases; returns the known ones. */
function check(cases: fc.Arbitrary<Case>, runs = 8): Case[] {
  const known: Case[] = [];
  fc.assert(
    fc.property(fc.array(cases, { minLength: 40, maxLength: 40 }), (batch) => {
      known.push(...agree(batch));
    }),
    { numRuns: runs, seed: 20261206, endOnFailure: true },
  );
  return known;
}

/** How many known cases match `re` (each modelled conversion must be exercised, not only left Unknown). */
const count = (known: readonly Case[], re: RegExp): number => known.filter((c) => re.test(c.expr)).length;

describe('string formatting agrees with python3 (property)', () => {
  it('printf-style % expressions', () => {
    const known = check(percentCase.map(asCase));
    // The comparison is only meaningful if many generated cases are known, each new conversion among them.
    assert.ok(known.length > 60, `only ${known.length} of 320 known`);
    for (const conv of ['e', 'E', 'g', 'G', 'c'])
      assert.ok(count(known, new RegExp(`%[-+ #0]*\\d*(\\.\\d*)?${conv}`)) > 3, `%${conv} rarely known`);
  });

  it('str.format expressions', () => {
    const known = check(formatCase.map(asCase));
    assert.ok(known.length > 60, `only ${known.length} of 320 known`);
    for (const type of ['e', 'E', 'g', 'G'])
      assert.ok(count(known, new RegExp(`:[^}]*${type}\\}`)) > 1, `'${type}' rarely known`);
  });

  it('str.format with replacement fields nested in the spec', () => {
    const known = check(nestedFormatCase, 4);
    assert.ok(known.length > 40, `only ${known.length} of 160 known`);
  });

  it('f-strings with conversions, format specs, nested fields and =', () => {
    const known = check(fstringCase, 4);
    assert.ok(known.length > 40, `only ${known.length} of 160 known`);
    assert.ok(count(known, /\{@[wp]\}/) > 5, 'nested fields rarely known');
    assert.ok(count(known, /=/) > 5, '= fields rarely known');
  });
});
