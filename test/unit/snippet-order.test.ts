/** Tests Horizon's snippet order (os.walk top-down, sorted file names, code-point order); no file system. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareCodePoints, isSnippetPath, orderSnippets } from '../../server/src/core/layers/snippet-order';

describe('orderSnippets', () => {
  it('sorts by plain string order, so 9999_x.py runs before _0000_y.py', () => {
    // Verified on Debian 23.0.0: '9' (U+0039) < '_' (U+005F) < 'a'.
    assert.deepEqual(orderSnippets(['_0000_y.py', 'a.py', '9999_x.py', 'Z.py']), [
      '9999_x.py',
      'Z.py',
      '_0000_y.py',
      'a.py',
    ]);
  });

  it("runs a directory's own files before any sub-directory's, whatever the names", () => {
    assert.deepEqual(orderSnippets(['sub/aa.py', 'zz.py', 'a/b/c.py', 'a/z.py', '_0001.py', 'a/a.py']), [
      '_0001.py',
      'zz.py',
      'a/a.py',
      'a/z.py',
      'a/b/c.py',
      'sub/aa.py',
    ]);
  });

  it('keeps only names ending in .py', () => {
    assert.deepEqual(
      orderSnippets([
        'README',
        'x.pyc',
        'x.py.orig',
        'x.py~',
        'y.PY',
        'notes.txt',
        'sub/README',
        'ok.py',
        '.py',
      ]),
      ['.py', 'ok.py'],
    );
  });

  it('normalises ./ and empty segments and reports each path once', () => {
    assert.deepEqual(orderSnippets(['./b.py', 'b.py', 'sub//a.py', 'sub/a.py', '', '.']), [
      'b.py',
      'sub/a.py',
    ]);
  });

  it('orders by code point like Python, not by UTF-16 code unit', () => {
    // U+FB01 is one code unit above the surrogates; U+1D49C is a surrogate pair. Python's sorted() puts
    // U+FB01 first; a plain JavaScript sort would not.
    const ligature = '\uFB01.py';
    const astral = '\u{1D49C}.py';
    assert.deepEqual(orderSnippets([astral, ligature, 'z.py', '\u00E9.py']), [
      'z.py',
      '\u00E9.py',
      ligature,
      astral,
    ]);
    assert.ok([astral, ligature].sort()[0] === astral, 'premise: UTF-16 order differs');
  });

  it('returns an empty list for no snippets', () => {
    assert.deepEqual(orderSnippets([]), []);
    assert.deepEqual(orderSnippets(['README', 'sub/x.conf']), []);
  });

  it('holds the os.walk properties for any tree', () => {
    const segment = fc.constantFrom(
      'a',
      'b',
      'Z',
      '_0',
      '9',
      'sub',
      'x.py',
      '_1.py',
      '9.py',
      'a.py',
      'r.txt',
    );
    const paths = fc.array(
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
      {
        maxLength: 30,
      },
    );
    fc.assert(
      fc.property(paths, (input) => {
        const out = orderSnippets(input);
        const expected = new Set(input.filter(isSnippetPath));
        assert.equal(out.length, expected.size, 'each .py path exactly once');
        assert.deepEqual(new Set(out), expected);
        const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
        for (let i = 0; i < out.length; i++) {
          for (let j = i + 1; j < out.length; j++) {
            const [a, b] = [out[i] ?? '', out[j] ?? ''];
            if (dirOf(a) === dirOf(b)) assert.ok(compareCodePoints(a, b) < 0, `${a} before ${b} (same dir)`);
            // A later path is never in an ancestor directory of an earlier one (parent files come first).
            assert.ok(!(dirOf(a).startsWith(dirOf(b)) && dirOf(a) !== dirOf(b)), `${b} after ${a}`);
          }
        }
      }),
    );
  });
});

describe('isSnippetPath', () => {
  it('accepts what Horizon execs and nothing else', () => {
    assert.equal(isSnippetPath('_0006_debian_cache.py'), true);
    assert.equal(isSnippetPath('sub/9999_noprefix.py'), true);
    assert.equal(isSnippetPath('x.pyc'), false);
    assert.equal(isSnippetPath('x.py.orig'), false);
    assert.equal(isSnippetPath('_10_set_custom_theme.py.example'), false);
    assert.equal(isSnippetPath('README'), false);
    assert.equal(isSnippetPath('sub.py/README'), false);
    assert.equal(isSnippetPath(''), false);
  });
});

describe('compareCodePoints', () => {
  it('agrees with code-point order, also around surrogates', () => {
    // Surrogate halves, a code unit above them and astral characters: where UTF-16 and code-point order part.
    const tricky = fc.oneof(
      fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uE000', '\uFFFF', 'a'),
      fc.integer({ min: 0x10000, max: 0x10010 }).map((c) => String.fromCodePoint(c)),
    );
    const strings = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: tricky }));
    fc.assert(
      fc.property(strings, strings, (a, b) => {
        const ab = compareCodePoints(a, b);
        assert.equal(Math.sign(ab) + Math.sign(compareCodePoints(b, a)), 0, 'antisymmetric');
        assert.equal(ab === 0, a === b);
        const byCodePoint = [...a].map((c) => c.codePointAt(0) ?? 0);
        const other = [...b].map((c) => c.codePointAt(0) ?? 0);
        const n = Math.min(byCodePoint.length, other.length);
        let expected = Math.sign(byCodePoint.length - other.length);
        for (let i = 0; i < n; i++) {
          const d = (byCodePoint[i] ?? 0) - (other[i] ?? 0);
          if (d !== 0) {
            expected = Math.sign(d);
            break;
          }
        }
        assert.equal(Math.sign(ab), expected);
      }),
    );
  });
});
