/** Suppression comments: line and file level, the file's comments found once per text. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex, textChange } from '../../server/src/core/python/line-index';
import { isSuppressedAt } from '../../server/src/core/suppression';

function suppressed(text: string, lines: LineIndex, at: string, code: string): boolean {
  const from = text.indexOf(at);
  return isSuppressedAt(text, lines, { file: 'f.py', from, to: from + at.length }, code);
}

describe('isSuppressedAt', () => {
  it('reads a file-level comment anywhere, each with its codes', () => {
    const text =
      'A = 1\nB = 2  # session-lint: ignore-file[DSL104, DSL2]\nC = 3\n#session-lint:ignore-file[DSL9]\n';
    const lines = new LineIndex(text);
    assert.equal(suppressed(text, lines, 'A', 'DSL104'), true);
    assert.equal(suppressed(text, lines, 'A', 'DSL201'), true); // a prefix
    assert.equal(suppressed(text, lines, 'C', 'DSL901'), true); // the other comment, without spaces
    assert.equal(suppressed(text, lines, 'C', 'DSL105'), false);
  });

  it('a line comment covers its own line only', () => {
    const text = 'A = 1  # session-lint: ignore[DSL104]\nB = 2\n';
    const lines = new LineIndex(text);
    assert.equal(suppressed(text, lines, 'A', 'DSL104'), true);
    assert.equal(suppressed(text, lines, 'B', 'DSL104'), false);
    assert.equal(suppressed(text, lines, 'A', 'DSL105'), false);
  });

  it('sees the file-level comments of each new text (typing one in, then taking it out)', () => {
    const plain = 'A = 1\nB = 2\n';
    const plainLines = new LineIndex(plain);
    assert.equal(suppressed(plain, plainLines, 'B', 'DSL104'), false);
    const withComment = `# session-lint: ignore-file\n${plain}`;
    const commentLines = LineIndex.after(plainLines, withComment, textChange(plain, withComment));
    assert.equal(suppressed(withComment, commentLines, 'B', 'DSL104'), true);
    assert.equal(
      suppressed(plain, LineIndex.after(commentLines, plain, textChange(withComment, plain)), 'B', 'DSL104'),
      false,
    );
    // An index of another text (not the one asked about) is not taken for it.
    assert.equal(suppressed(withComment, plainLines, 'B', 'DSL104'), true);
  });

  it('after random edits, answers as for the text read afresh (file-level comments typed in and out)', () => {
    const piece = fc.constantFrom(
      'A = 1\n',
      '# ',
      'session-lint:',
      ' ignore',
      '-file',
      '[DSL1]',
      'e',
      '\n',
      ' ',
    );
    const textArb = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 8 }), insert: textArb });
    fc.assert(
      fc.property(textArb, fc.array(edit, { maxLength: 8 }), (start, edits) => {
        let text = `${start}\nX = 2\n`;
        let lines = new LineIndex(text);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          const before = text;
          text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
          lines = LineIndex.after(lines, text, textChange(before, text));
          const span = { file: 'f.py', from: 0, to: 0 };
          assert.equal(
            isSuppressedAt(text, lines, span, 'DSL104'),
            isSuppressedAt(text, new LineIndex(text), span, 'DSL104'),
            JSON.stringify(text),
          );
        }
      }),
      { numRuns: 400 },
    );
  });
});
