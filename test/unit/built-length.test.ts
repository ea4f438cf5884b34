/**
 * Strings built by methods and formatting stay within the length operators may build (100,000 characters):
 * beyond it the value is Unknown, decided before the string is made. Before, `str.join`, `str.replace`,
 * `str.format`, `%` formatting and f-strings built what they were asked to: a 3-line module made a 270 MB
 * string (325 MB resident for a settings file of 100 bytes).
 */
import assert from 'node:assert/strict';
import { evaluateText, valueOf } from '../helpers/evaluate-text';

const A = "A = 'a' * 90000\n";

const OVER: Record<string, string> = {
  'str.join': "Y = A.join(['b'] * 3)",
  'str.join of a string': "Y = A.join('bcd')",
  'str.replace': "Y = A.replace('a', 'bb')",
  'str.format': "Y = ('{0}' * 3).format(A)",
  'str.format by name': "Y = ('{k}' * 3).format(k=A)",
  '% formatting': "Y = ('%(x)s' * 3) % {'x': A}",
  '% formatting of a tuple': "Y = '%s%s' % (A, A)",
  'an f-string': "Y = f'{A}{A}'",
};

const UNDER: Record<string, string> = {
  'str.join': "Y = 'x'.join([A, 'b'])",
  'str.replace': "Y = A.replace('a', 'b')",
  'str.format': "Y = ('{0}' * 1).format(A)",
  '% formatting': "Y = '%s' % (A,)",
  'an f-string': "Y = f'{A}b'",
};

describe('strings built by methods and formatting: at most 100,000 characters', () => {
  for (const [what, line] of Object.entries(OVER))
    it(`${what} over the limit is Unknown`, () => {
      const y = valueOf(evaluateText(A + line + '\n'), 'Y');
      assert.equal(y?.kind, 'unknown', `${what}: ${y?.kind}`);
      assert.match(y?.kind === 'unknown' ? y.reason : '', /too long/);
    });

  for (const [what, line] of Object.entries(UNDER))
    it(`${what} within the limit is the string CPython makes`, () => {
      const y = valueOf(evaluateText(A + line + '\n'), 'Y');
      assert.equal(y?.kind, 'str', what);
      assert.ok(y?.kind === 'str' && y.value.length >= 90_000 - 3 && y.value.length <= 100_000);
    });
});
