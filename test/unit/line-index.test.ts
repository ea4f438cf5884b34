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
