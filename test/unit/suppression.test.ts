/** Suppression comments: line and file level, the file's comments found once per text. */
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/python/line-index';
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
    const commentLines = LineIndex.after(plainLines, withComment);
    assert.equal(suppressed(withComment, commentLines, 'B', 'DSL104'), true);
    assert.equal(suppressed(plain, LineIndex.after(commentLines, plain), 'B', 'DSL104'), false);
    // An index of another text (not the one asked about) is not taken for it.
    assert.equal(suppressed(withComment, plainLines, 'B', 'DSL104'), true);
  });
});
