/** The edit-writer (core/edits/) reads strings, brackets, commas and assignment values from the syntax tree: comments and look-alike text do not mislead it. */
import * as assert from 'node:assert/strict';
import { appendItem, removeItem } from '../../server/src/core/edits/literal';
import { indentAt, lineEndOf, lineStartOf } from '../../server/src/core/edits/lines';
import {
  assignedValue,
  bracketLiteral,
  firstQuoteIn,
  prevailingQuote,
  quoteOf,
  syntaxOf,
  type EditSource,
} from '../../server/src/core/edits/syntax';
import { applyEdits } from '../../server/src/core/fixes';
import type { DictValue, SeqValue, Span, TextEdit } from '../../server/src/core/types';
import { lint, rel } from '../helpers/rule-harness';

const FILE = '/project/settings.py';

function sourceOf(text: string): { source: EditSource; value(name: string): DictValue | SeqValue } {
  const a = lint({ 'settings.py': text }, { kind: 'django' });
  const source: EditSource = { project: a.model, text: (f) => (rel(f) === 'settings.py' ? text : undefined) };
  const value = (name: string): DictValue | SeqValue => {
    const v = a.model.effective(name)?.value;
    assert.ok(v && (v.kind === 'dict' || v.kind === 'list' || v.kind === 'tuple'), `${name} is a literal`);
    return v;
  };
  return { source, value };
}

function at(text: string, needle: string, to?: string): Span {
  const from = text.indexOf(needle);
  assert.ok(from >= 0, needle);
  return {
    file: FILE,
    from,
    to: to === undefined ? from + needle.length : text.indexOf(to, from) + to.length,
  };
}

function applied(text: string, edits: readonly TextEdit[] | TextEdit | undefined): string {
  assert.ok(edits, 'an edit');
  return applyEdits(text, Array.isArray(edits) ? edits : [edits as TextEdit]);
}

describe('edit-writer (core/edits)', () => {
  it('takes the quote of the string token a span starts with, prefixes included', () => {
    const text = `A = "x"\nB = rb"y"\nC = 'z'\nD = 1\n`;
    const { source } = sourceOf(text);
    assert.equal(quoteOf(source, at(text, '"x"')), '"');
    assert.equal(quoteOf(source, at(text, 'rb"y"')), '"');
    assert.equal(quoteOf(source, at(text, "'z'")), "'");
    assert.equal(quoteOf(source, at(text, '1\n', '1')), "'");
    assert.equal(quoteOf(source, undefined), "'");
  });

  it('finds the first string of a range in the tree, not a quote inside a comment', () => {
    const text = `CACHES = {  # don't guess from this comment\n    "default": {"BACKEND": "x"},\n}\n`;
    const { source } = sourceOf(text);
    const syntax = syntaxOf(source, FILE);
    assert.ok(syntax);
    const span = at(text, '{', '\n}');
    assert.equal(firstQuoteIn(text, syntax.tree, span.from, span.to, "'"), '"');
    assert.equal(firstQuoteIn(text, syntax.tree, 0, 6, '"'), '"', 'no string: the fallback');
    assert.equal(prevailingQuote(`A = "x"\nB = "y"\nC = 'z'\n`), '"');
    assert.equal(prevailingQuote(`A = "x"\nB = 'z'\n`), "'", "a tie is '");
  });

  it("reads a display's brackets and commas from the tree; a call is not a display", () => {
    const text = `D = {'a': 1, 'b': [1, 2]}  # {,}\nE = dict(a=1)\n`;
    const { source } = sourceOf(text);
    const lit = bracketLiteral(source, at(text, '{', ']}'));
    assert.ok(lit);
    assert.equal(text[lit.open], '{');
    assert.equal(text[lit.close], '}');
    assert.deepEqual(lit.commas, [text.indexOf(", 'b'")], "only the dict's own comma, not the list's");
    assert.equal(bracketLiteral(source, at(text, 'dict(a=1)')), undefined);
  });

  it('gives the value of a plain assignment only', () => {
    const text = `X = 1, 2\nA = B = 3\nC: int = 4\nD = 5  # five\nD += 1\n`;
    const { source } = sourceOf(text);
    const value = (stmt: string, target: string): string | undefined => {
      const s = at(text, stmt);
      const t = { file: FILE, from: s.from, to: s.from + target.length };
      const v = assignedValue(source, s, t);
      return v && text.slice(v.from, v.to);
    };
    assert.equal(value('X = 1, 2', 'X'), '1, 2');
    assert.equal(value('A = B = 3', 'A'), undefined);
    assert.equal(value('C: int = 4', 'C'), undefined);
    assert.equal(value('D = 5', 'D'), '5');
    assert.equal(value('D += 1', 'D'), undefined);
  });

  it('appends and removes items with commas and comments where the tree has them', () => {
    const text = `L = [\n    'a',  # not ], nor ,\n]\nD = {\n    'k': 1,  # one, two\n    'm': 2  # last\n}\n`;
    const { source, value } = sourceOf(text);
    assert.equal(
      applied(text, appendItem(source, value('L'), "'b'")),
      `L = [\n    'a',  # not ], nor ,\n    'b',\n]\nD = {\n    'k': 1,  # one, two\n    'm': 2  # last\n}\n`,
    );
    const d = value('D') as DictValue;
    const [k, m] = d.entries;
    assert.ok(k && m);
    assert.equal(
      applied(text, removeItem(source, d, k)),
      `L = [\n    'a',  # not ], nor ,\n]\nD = {\n    'm': 2  # last\n}\n`,
    );
    // The last item of a one-line display takes the comma before it.
    const one = `D = {'k': 1, 'm': 2}\n`;
    const s1 = sourceOf(one);
    const d1 = s1.value('D') as DictValue;
    const last = d1.entries[1];
    assert.ok(last);
    assert.equal(applied(one, removeItem(s1.source, d1, last)), `D = {'k': 1}\n`);
  });

  it('measures lines and indentation', () => {
    const text = `A = 1\n    B = 2\n`;
    const b = text.indexOf('B');
    assert.equal(lineStartOf(text, b), 6);
    assert.equal(lineEndOf(text, b), text.length - 1);
    assert.equal(indentAt(text, b), '    ');
    assert.equal(indentAt(text, 0), '');
  });
});
