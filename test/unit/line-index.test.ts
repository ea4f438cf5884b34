/** LineIndex: an index derived from an earlier text's (typing in a long file) equals one made afresh. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex, textChange } from '../../server/src/core/python/line-index';

/** Texts of line breaks of every kind and a little else, so that edits split and join `\r\n` pairs. */
const textArb = fc
  .array(fc.constantFrom('\n', '\r', '\r\n', 'a', 'bc', ' '), { maxLength: 40 })
  .map((parts) => parts.join(''));

function lineStartsOf(index: LineIndex): number[] {
  const starts: number[] = [];
  for (let line = 0; line < index.lineCount; line++) starts.push(index.lineStart(line));
  return starts;
}

/** Texts whose lines end with `\n` only (the scan as far as needed applies to those). */
const lfTextArb = fc
  .array(fc.constantFrom('\n', '\n', 'a', 'bc', ' '), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('LineIndex asked about its first lines only (line starts scanned as far as needed)', () => {
  /** What one question asks (each method, with a line or offset that may lie past the text). */
  const askArb = fc.tuple(
    fc.constantFrom('positionAt', 'offsetAt', 'lineStart', 'lineEnd', 'lineText', 'lineCount'),
    fc.integer({ min: -2, max: 60 }),
    fc.nat({ max: 5 }),
  );
  const ask = (index: LineIndex, [what, n, character]: [string, number, number]): unknown => {
    switch (what) {
      case 'positionAt':
        return index.positionAt(n);
      case 'offsetAt':
        return index.offsetAt({ line: n, character });
      case 'lineStart':
        return index.lineStart(n);
      case 'lineEnd':
        return n < 0 ? undefined : index.lineEnd(n);
      case 'lineText':
        return n < 0 ? undefined : index.lineText(n);
      default:
        return index.lineCount;
    }
  };

  it('answers every question in any order as an index that scanned the whole text, and edits from it too', () => {
    fc.assert(
      fc.property(
        fc.oneof(textArb, lfTextArb),
        fc.array(askArb, { maxLength: 12 }),
        textArb,
        (text, asks, insert) => {
          const index = new LineIndex(text);
          const full = new LineIndex(text);
          assert.ok(full.lineCount >= 1);
          for (const a of asks) assert.deepEqual(ask(index, a), ask(full, a), JSON.stringify(a));
          // An index edited from one that scanned part of its text only.
          const at = Math.floor(text.length / 2);
          const edited = text.slice(0, at) + insert + text.slice(at);
          const after = LineIndex.after(index, edited, textChange(text, edited));
          const fresh = new LineIndex(edited);
          for (let o = 0; o <= edited.length; o++) assert.deepEqual(after.positionAt(o), fresh.positionAt(o));
          assert.deepEqual(lineStartsOf(after), lineStartsOf(fresh));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('LineIndex.after (line starts derived from the previous text)', () => {
  it('equals a fresh index after any sequence of edits', () => {
    const editArb = fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: textArb });
    fc.assert(
      fc.property(textArb, fc.array(editArb, { maxLength: 6 }), (start, edits) => {
        let text = start;
        let index = new LineIndex(text);
        assert.ok(index.lineCount >= 1); // its starts known: the next is derived from them
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          const before = text;
          text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
          index = LineIndex.after(index, text, textChange(before, text));
          const fresh = new LineIndex(text);
          assert.deepEqual(lineStartsOf(index), lineStartsOf(fresh));
          for (let o = 0; o <= text.length; o++) assert.deepEqual(index.positionAt(o), fresh.positionAt(o));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('joins a "\\r" and a "\\n" an edit brings together into one line break', () => {
    const before = new LineIndex('a\rX\nb');
    assert.equal(before.lineCount, 3);
    const after = LineIndex.after(before, 'a\r\nb', textChange(before.text, 'a\r\nb'));
    assert.deepEqual(lineStartsOf(after), [0, 3]);
  });

  it('scans afresh when the previous index never computed its starts', () => {
    const after = LineIndex.after(new LineIndex('a\nb'), 'a\nb\nc', textChange('a\nb', 'a\nb\nc'));
    assert.deepEqual(lineStartsOf(after), [0, 2, 4]);
  });
});
