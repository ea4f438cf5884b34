/**
 * The fast path (core/python/fast-parse.ts) builds @lezer/python's own tree: for every text it either declines
 * or gives exactly the tree `parser.parse(text)` gives (every named node: type, from, to, in order). Generated
 * statements of the subset it takes and near misses it must hand to lezer, every fixture and example, the
 * bench's generated file, one test per reason to fall back, and hostile input.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parser } from '@lezer/python';
import { fastParse, fastParseWithStats } from '../../server/src/core/python/fast-parse';
import { firstUnterminatedString } from '../../server/src/core/python/source-checks';
import { nextCut, parseSegmented, topLevelSegments } from '../../server/src/core/python/segmented-parse';
import { generateSettings } from '../bench/generate';
import { assertSameTree, treeNodes } from '../helpers/tree-shape';
import { REPO_ROOT } from '../helpers/repo';

/** Asserts the fast path declines `text` or gives lezer's tree; returns what it did. */
function check(text: string): ReturnType<typeof fastParseWithStats> {
  const fast = fastParseWithStats(text, nextCut);
  if (fast.tree) {
    const lezer = parser.parse(text);
    assertSameTree(fast.tree, lezer, text);
    assert.deepEqual(
      fast.unterminated,
      firstUnterminatedString(lezer, text) ?? null,
      'first unterminated string',
    );
  }
  return fast;
}

// ------------------------------------------------------------------------------------------ generators

/** Separator placeholder: spaces on a line, or (inside brackets) also line breaks and comments. */
const SEP = '\u0000';
const LINE_SPACE = ['', ' ', '  '];
const BRACKET_SPACE = ['', ' ', '\n', '\n    ', '  # c\n  ', '\n# c\n', '\n\n  ', ' #\n'];

const NAMES = ['A', 'B_1', 'os', 'environ', 'get', 'x', '_', 'a1', 'Nonex', 'iff', 'True_'];
const NUMBERS = [
  '0',
  '1',
  '42',
  '1_000',
  '1.5',
  '.5',
  '1e5',
  '1.5E-3',
  '2j',
  '0x1F',
  '0o17',
  '0b101',
  '00',
  '1__0',
  '1_',
  '7J',
];
const STRINGS = [
  "'a'",
  '"b"',
  "''",
  "'''x\ny'''",
  '"""d\n"""',
  "r'\\d'",
  "R'\\''",
  "b'x'",
  "U'x'",
  "rb'x'",
  "Br'x'",
  "'\\n'",
  "'\\x4g'",
  "'\\N{DASH}'",
  "'\\N{x'",
  "'\\u12345'",
  "'\\U0001F600'",
  "'\\o12'",
  "'it\\'s'",
  "'a\\\nb'",
  "r'a\\\nb'",
  "'#not a comment'",
  "'é'",
  "'''a\\'''b'''",
];
const BINARY = ['+', '-', '*', '/', '%', '//', '**', '@', '|', '^', '&', '<<', '>>'];
const TESTS = ['<', '>', '<=', '>=', '==', '!=', 'in', 'not in', 'is', 'is not', 'and', 'or'];

/** Expressions of the accepted subset, with SEP where whitespace may go. */
function expressions(near: fc.Arbitrary<string>[]): fc.Arbitrary<string> {
  const s = SEP;
  return fc.letrec<{ e: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      fc.constantFrom(...NAMES, ...NUMBERS, 'None', 'True', 'False'),
      fc.constantFrom(...STRINGS),
      ...near,
    ),
    e: fc.oneof(
      { depthSize: 'small' },
      tie('atom'),
      fc
        .tuple(
          tie('e'),
          fc.array(
            fc.oneof(
              tie('e'),
              fc.tuple(fc.constantFrom(...NAMES), tie('e')).map(([n, v]) => `${n}${s}=${s}${v}`),
            ),
            { maxLength: 3 },
          ),
          fc.boolean(),
          fc.constantFrom('', '*', '**'),
        )
        .map(
          ([f, args, trailing, star]) =>
            `${f}(${s}${args.join(`${s},${s}`)}${trailing && args.length ? `${s},` : ''}${star && args.length === 0 ? `${star}${s}x` : ''}${s})`,
        ),
      fc
        .tuple(tie('e'), fc.constantFrom(...NAMES))
        .map(([e, n]) => `${/(^|\W)[\d.][\w.]*$/.test(e) ? `(${e})` : e}${s}.${s}${n}`),
      fc
        .tuple(tie('e'), fc.array(tie('e'), { minLength: 1, maxLength: 2 }))
        .map(([e, k]) => `${e}[${s}${k.join(`${s},${s}`)}${s}]`),
      fc
        .tuple(tie('e'), fc.constantFrom(...BINARY, ...TESTS), tie('e'))
        .map(([a, op, b]) => (/^[a-z]/.test(op) ? `${a} ${op} ${b}` : `${a}${s}${op}${s}${b}`)),
      fc.tuple(fc.constantFrom('-', '+', '~'), tie('e')).map(([op, e]) => `${op}${s}${e}`),
      fc.array(tie('e'), { maxLength: 3 }).map((a) => `[${s}${a.join(`${s},${s}`)}${s}]`),
      fc
        .array(tie('e'), { maxLength: 3 })
        .map((a) => `(${s}${a.join(`${s},${s}`)}${a.length === 1 ? ',' : ''}${s})`),
      tie('e').map((e) => `(${s}${e}${s})`),
      fc
        .array(
          fc.oneof(
            fc.tuple(tie('e'), tie('e')).map(([k, v]) => `${k}${s}:${s}${v}`),
            tie('e').map((e) => `**${s}(${e})`),
          ),
          { maxLength: 3 },
        )
        .map((a) => `{${s}${a.join(`${s},${s}`)}${s}}`),
      fc.array(tie('e'), { minLength: 1, maxLength: 3 }).map((a) => `{${s}${a.join(`${s},${s}`)}${s},${s}}`),
      fc.array(fc.constantFrom(...STRINGS), { minLength: 2, maxLength: 3 }).map((a) => a.join(` ${s}`)),
    ),
  })).e;
}

const NEAR_ATOMS = [
  'lambda: 1',
  'x if y else z',
  '[i for i in y]',
  '{k: v for k in y}',
  'not x',
  'f"{x}"',
  "F'a'",
  "rf'a'",
  "ur'x'",
  '*x',
  'x[1:2]',
  '(y := 1)',
  '...',
  'print',
  'type',
  'match',
  'ñ',
  'xñ',
  '1.',
  '1e',
  '0b',
  '0b2',
  '1if',
  '1.real',
  "'unterminated",
  "'''unterminated",
  '$',
  'a <> b',
  'yield x',
  'await x',
  'x.if',
  'x.None',
  "u'x'b'y'",
  'None.x',
  '\\\n x',
  'x\t+ y',
  'x\f',
  'a -> b',
  '`x`',
  '!x',
  '"a"x',
  'x;y',
  '[',
  ')',
];

const TARGETS = ['X', 'A_B', 'x.y', "D['k']", "D['k']['l']", 'a, b', 'o.p[0]'];

function simpleStatements(e: fc.Arbitrary<string>): fc.Arbitrary<string>[] {
  const s = SEP;
  return [
    fc.tuple(fc.constantFrom(...TARGETS), e).map(([t, v]) => `${t}${s}=${s}${v}`),
    fc
      .tuple(fc.constantFrom(...TARGETS), fc.constantFrom(...TARGETS), e)
      .map(([t, u, v]) => `${t}${s}=${s}${u}${s}=${s}${v}`),
    fc.tuple(e, e).map(([a, b]) => `X, Y${s}=${s}${a},${s}${b}${s},`),
    fc
      .tuple(
        fc.constantFrom(...TARGETS),
        fc.constantFrom('+=', '-=', '*=', '//=', '**=', '|=', '<<=', '@='),
        e,
      )
      .map(([t, op, v]) => `${t}${s}${op}${s}${v}`),
    e,
    fc.constantFrom(
      'import os',
      'import os.path as p, sys',
      'import a,',
      'from . import x',
      'from .. import x as y',
      'from .a.b import (c,\n  d as e,\n)',
      'from a import *',
      'from a import b, c',
      'from a import (b)',
      'from __future__ import annotations',
      'from a import b.c',
      '"""Docstring."""',
      'pass',
    ),
  ];
}

/** An `if` or `try` statement at `indent` with blocks nested up to `depth` deep; ends with a line break. */
function compoundStatement(e: fc.Arbitrary<string>, indent: string, depth: number): fc.Arbitrary<string> {
  const body = bodyOf(e, indent, depth);
  const ifs = fc
    .tuple(e, body, fc.array(fc.tuple(e, body), { maxLength: 2 }), fc.option(body, { nil: undefined }))
    .map(
      ([c, b, elifs, orElse]) =>
        `if ${c}${b}` +
        elifs.map(([c2, b2]) => `${indent}elif ${c2}${b2}`).join('') +
        (orElse ? `${indent}else${orElse}` : ''),
    );
  const handler = fc.constantFrom('', ' E', ' (E, F)', ' E as e', ' os.error as err', ' E.F');
  const tries = fc
    .tuple(
      body,
      fc.array(fc.tuple(handler, body), { maxLength: 2 }),
      fc.option(body, { nil: undefined }),
      fc.option(body, { nil: undefined }),
    )
    .map(
      ([b, handlers, orElse, final]) =>
        `try${b}` +
        handlers.map(([h, hb]) => `${indent}except${h}${hb}`).join('') +
        (orElse ? `${indent}else${orElse}` : '') +
        (final ? `${indent}finally${final}` : ''),
    );
  return fc.oneof(ifs, tries);
}

/** A Body: `:` and a simple statement on the same line, or an indented block; ends with a line break. */
function bodyOf(e: fc.Arbitrary<string>, indent: string, depth: number): fc.Arbitrary<string> {
  const simpleLine = fc
    .tuple(fc.oneof(...simpleStatements(e)), fc.constantFrom('\n', '  # t\n'))
    .map(([st, end]) => st + end);
  return fc.constantFrom('  ', '    ').chain((step) => {
    const inner = indent + step;
    const line =
      depth > 0
        ? fc.oneof(
            { weight: 3, arbitrary: simpleLine },
            { weight: 1, arbitrary: compoundStatement(e, inner, depth - 1) },
          )
        : simpleLine;
    const gap = fc.constantFrom('', '', '\n', `${inner}# inner\n`, '# col0\n', `\n${inner}# c\n\n`, '   \n');
    const block = fc
      .array(fc.tuple(gap, line), { minLength: 1, maxLength: 3 })
      .map((lines) => lines.map(([g, l]) => g + inner + l).join(''));
    return fc.oneof(
      fc.tuple(fc.constantFrom('', '  # h'), block).map(([h, b]) => `:${h}\n${b}`),
      simpleLine.map((l) => `: ${l}`),
    );
  });
}

function statements(e: fc.Arbitrary<string>, near: boolean): fc.Arbitrary<string> {
  const simple = [...simpleStatements(e), compoundStatement(e, '', 2)];
  const nearMisses = fc.constantFrom(
    'if x:\n    A = 1\n  B = 2',
    'if x:\nA = 1',
    'if x:\n\tA = 1',
    'if x:\n    A = 1\n\tB = 2',
    'if x: if y: pass',
    'if x:\n    A = 1\n        B = 2',
    'try:\n    pass\nexcept* E:\n    pass',
    'try:\n    pass\nexcept E, e:\n    pass',
    'if x:\n    def f(): pass',
    'if x:\n    for a in b: pass',
    'if x:',
    'if x:\n',
    'if (a := 1):\n    pass',
    'while x:\n    pass',
    'if x:\n    pass\n  else:\n    pass',
    'if x:\n    pass\nelse:\npass',
    'try:\n    import a\nexcept ImportError:\n    del a',
    'if x:\n    y = 1',
    'if DEBUG:\n    A = 1\n\n    # c\nelse:\n    A = 2',
    'try:\n    import a\nexcept ImportError:\n    pass',
    'def f():\n    return 1',
    '@d\ndef f(): pass',
    'class K:\n    A = 1',
    'for i in x:\n    pass',
    'with a as b:\n    pass',
    'X: int = 1',
    'X = 1; Y = 2',
    'del X',
    '  X = 1',
    '\tX = 1',
    'else:\n    pass',
    'X = 1 \\\n  + 2',
    'print "x"',
    'print("x")',
    'type X = int',
    'match = 1',
    'X = (\n1',
    'X = """\nunterminated',
    'global X',
    'from ... import x',
    'from . import',
    'import (a)',
    'X =',
    '= 1',
    'X = 1 = ',
    'X\r',
    'X = 1\f',
  );
  return fc.oneof(...simple, ...(near ? [nearMisses] : []));
}

/** A file: statements, each ending in a line break or a comment, with blank and comment lines between. */
function files(near: boolean): fc.Arbitrary<string> {
  const e = expressions(near ? [fc.constantFrom(...NEAR_ATOMS)] : []);
  const line = fc.tuple(
    statements(e, near),
    fc.constantFrom(
      '\n',
      '  # trailing\n',
      '\n\n',
      '\n# comment\n',
      '\n    # indented comment\n',
      '\n  \n',
      '\n\t\n',
    ),
  );
  return fc
    .tuple(
      fc.array(line, { minLength: 1, maxLength: 6 }),
      fc.boolean(),
      fc.array(fc.nat(BRACKET_SPACE.length * LINE_SPACE.length), { minLength: 64, maxLength: 64 }),
    )
    .map(([lines, lastNewline, picks]) => {
      let text = lines.map(([st, end]) => st + end).join('');
      if (!lastNewline) text = text.replace(/\n$/, '');
      // Spaces ending the text after a block are a fallback reason of their own (tested below).
      if (!near) text = text.replace(/[ \t]+$/, '');
      return fillSeparators(text, picks);
    });
}

/** Replaces each SEP: by a line space outside brackets, by a bracket space inside (brackets in strings skipped). */
function fillSeparators(text: string, picks: readonly number[]): string {
  let depth = 0;
  let k = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === SEP) {
      const pick = picks[k++ % picks.length] as number;
      out += depth > 0 ? BRACKET_SPACE[pick % BRACKET_SPACE.length] : LINE_SPACE[pick % LINE_SPACE.length];
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    out += ch;
  }
  return out;
}

/** The end of the string literal whose quote is at `i` (roughly: escapes skipped, a line ends a short one). */
function stringEnd(text: string, i: number): number {
  const q = text.charAt(i);
  const long = text.startsWith(q.repeat(3), i);
  let j = i + (long ? 3 : 1);
  while (j < text.length) {
    if (text.charAt(j) === '\\') j += 2;
    else if (long ? text.startsWith(q.repeat(3), j) : text.charAt(j) === q) return j + (long ? 3 : 1);
    else if (!long && text.charAt(j) === '\n') return j;
    else j++;
  }
  return text.length;
}

// ------------------------------------------------------------------------------------------ tests

describe('fast path for simple statements (lezer tree without the LR parser)', () => {
  it('gives lezer’s tree for every generated text of the subset it takes, and takes all of it', () => {
    fc.assert(
      fc.property(files(false), (text) => {
        const fast = check(text);
        assert.ok(fast.tree, `declined ${fast.declined}: ${JSON.stringify(text)}`);
        assert.deepEqual(fast.stats.reasons, [], JSON.stringify(text));
      }),
      { numRuns: 600 },
    );
  });

  it('declines or gives lezer’s tree for texts with near misses, handing those statements to lezer', () => {
    let trees = 0;
    let fellBack = 0;
    fc.assert(
      fc.property(files(true), (text) => {
        const fast = check(text);
        if (fast.tree) trees++;
        if (fast.tree && fast.stats.fallbacks > 0) fellBack++;
      }),
      { numRuns: 800 },
    );
    // Not vacuous (about 200 and 100 of the 800 texts, varying by seed): texts get a tree, many of them with
    // parts lezer parsed and spliced in.
    assert.ok(trees > 120, `${trees} trees`);
    assert.ok(fellBack > 40, `${fellBack} trees with lezer parts`);
  });

  it('never throws or loops on arbitrary text, and never gives another tree than lezer', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'x1 =([{}]),.:\'"#\n\\*+-%rbfu_\t'.split('')), maxLength: 80 }),
        (text) => {
          check(text);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives lezer’s tree for every Python file of the fixtures and examples, segment by segment', () => {
    const root = REPO_ROOT;
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.py(\.j2)?$/.test(entry.name)) found.push(p);
      }
    };
    walk(path.join(root, 'test/fixtures'));
    walk(path.join(root, 'examples'));
    assert.ok(found.length > 100, `${found.length} files`);
    let recognised = 0;
    for (const file of found) {
      const text = fs.readFileSync(file, 'utf8');
      for (const r of topLevelSegments(text)) recognised += check(text.slice(r.from, r.to)).stats.recognised;
    }
    assert.ok(recognised > 800, `${recognised} statements recognised`);
  });

  it('gives lezer’s tree for the bench’s 10,000-line file, handing lezer none of it', () => {
    const text = generateSettings(10_000);
    const reasons = new Set<string>();
    for (const r of topLevelSegments(text)) {
      const fast = check(text.slice(r.from, r.to));
      assert.ok(fast.tree);
      for (const reason of fast.stats.reasons) reasons.add(reason);
    }
    assert.deepEqual([...reasons], []);
    // The joined tree of the segmented parse holds the segments' lezer trees, each at its offset.
    const expected: number[] = [];
    for (const r of topLevelSegments(text)) {
      const nodes = treeNodes(parser.parse(text.slice(r.from, r.to)));
      for (let i = 3; i < nodes.length; i += 3)
        expected.push(
          nodes[i] as number,
          (nodes[i + 1] as number) + r.from,
          (nodes[i + 2] as number) + r.from,
        );
    }
    assert.deepEqual(treeNodes(parseSegmented(text).tree).slice(3), expected);
  });

  describe('falls back to lezer for what it does not take', () => {
    const cases: [reason: string, text: string][] = [
      ['statement starting with the keyword while', 'A = 1\nwhile A:\n    B = 2\nC = 3\n'],
      [
        'statement starting with the keyword raise',
        'try:\n    import x\nexcept ImportError:\n    raise\nC = 3\n',
      ],
      ['expected an indented block', 'if A:\nB = 2\n'],
      ['indentation that matches no enclosing block', 'if A:\n    B = 2\n  C = 3\n'],
      ['tab in indentation', 'if A:\n\tB = 2\n'],
      ['spaces at the end of the text after a block', 'if A:\n    B = 2\n  '],
      ['indented line after a block', 'if A: B = 2\n  C = 3\n'],
      ['print after a block', 'if A:\n    B = 2\nprint "x"\n'],
      ['compound statement after a colon', 'if A: if B: pass\n'],
      ['operator * where an expression starts', 'try:\n    pass\nexcept* E:\n    pass\n'],
      ['statement starting with the keyword def', 'def f():\n    return 1\n'],
      ['statement starting with the keyword class', 'class K:\n    A = 1\n'],
      ['statement starting with the keyword for', 'for i in x:\n    pass\n'],
      ['statement starting with the keyword with', 'with a as b:\n    pass\n'],
      ['statement starting with the keyword del', 'D = {}\ndel D\n'],
      ['statement starting with the keyword print', 'print("x")\n'],
      ['statement starting with the keyword type', 'type = 1\n'],
      ['operator @ where an expression starts', '@d\ndef f():\n    pass\n'],
      ['string prefix f', "A = f'{B}'\n"],
      ['string prefix rf', "A = rf'{B}'\n"],
      ['keyword lambda in an expression', 'F = lambda: 1\n'],
      ['for in an expression', 'L = [i for i in range(3)]\n'],
      ['if in an expression', 'A = 1 if B else 2\n'],
      ['not', 'A = not B\n'],
      ['expected ]', 'A = B[1:2]\n'],
      ['character or operator ":="', 'A = (B := 1)\n'],
      ['character or operator "..."', 'A = ...\n'],
      ['character or operator ";"', 'A = 1; B = 2\n'],
      ['character or operator "->"', 'A -> B\n'],
      ['character or operator "$"', 'A = $\n'],
      ['more after the statement', 'A: int = 1\n'],
      ['line continuation', 'A = 1 + \\\n    2\n'],
      ['non-ASCII name', 'Å = 1\n'],
      ['unterminated string', "A = 'abc\n"],
      ['number followed by a name or dot', 'A = 1.real\n'],
      ['number prefix without digits', 'A = 0x\n'],
      ['string followed by a name', "A = 'a'b\n"],
      ['keyword await in an expression', 'A = await b\n'],
      ['operator * where an expression starts', 'A = [*B]\n'],
      ['attribute not a plain name', 'A = B.None\n'],
      ['expected a name', 'import (a)\n'],
      ['from without import', 'from a\n'],
      ['relative import of more than two dots', 'from .. . import a\n'],
      ['not without in', 'A = B not C\n'],
      ['end of line where an expression starts', 'A =\n'],
      ['nested too deep', `A = ${'('.repeat(60)}1${')'.repeat(60)}\n`],
    ];
    for (const [reason, text] of cases)
      it(reason, () => {
        const fast = check(text);
        assert.ok(
          fast.stats.reasons.includes(reason),
          `${JSON.stringify(fast.stats.reasons)} ${fast.declined}`,
        );
      });
    it('indented code at the top level', () => {
      assert.ok(check('A = 1\n  B = 2\n').stats.reasons.includes('indented line at the top level'));
    });
    it('a line continuation in a part lezer parses (it can join the next part): the whole text goes to lezer', () => {
      // Lezer's statement `x` then ends after the blank line; parsed alone, after `x`.
      assert.equal(check('x\\\n\nx').declined, 'line continuation in a part lezer parses');
    });
    it('a carriage return (lezer reads it as a line break): the whole text goes to lezer', () => {
      assert.equal(fastParse('A = 1\r\nB = 2\r\n', nextCut).declined, 'carriage return');
    });
    it('tab indentation and form feeds in code', () => {
      assert.ok(check('\tA = 1\n').stats.reasons.includes('indented line at the top level'));
      assert.ok(check('A = 1\fB\n').stats.reasons.includes('character or operator "\\f"'));
    });
    it('brackets nested beyond what it follows, and a syntax error lezer recovers from', () => {
      const deep = `A = ${'['.repeat(300)}${']'.repeat(300)}\nB = 1\n`;
      assert.ok(check(deep).stats.reasons.includes('nested too deep'));
      assert.equal(check('A = (1\nB = 2\n').declined, 'a part parsed by lezer has a syntax error');
    });
  });
});
