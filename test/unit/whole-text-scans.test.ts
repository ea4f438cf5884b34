/**
 * The scans over a whole text (core/python/segmented-parse.ts segments, core/python/source-checks.ts
 * `tooDeepBrackets`) skip runs of plain characters with sticky RegExps, and the segments' scan measures the
 * bracket depth for the check: both must answer exactly what a character-by-character scan answers (the
 * references below), on texts made of the characters that change their state.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_BRACKET_DEPTH, tooDeepBrackets } from '../../server/src/core/python/source-checks';
import {
  boundaryLine,
  LambdaFinder,
  nextCut,
  segmentsAndDepth,
  topLevelSegments,
  unclosedCut,
  type SegmentRange,
} from '../../server/src/core/python/segmented-parse';

const CONTINUATIONS = new Set(['else', 'elif', 'except', 'finally', 'case']);

function referenceScan(
  text: string,
  start: number,
  maxLines: number,
  stop?: (cut: number) => boolean,
): { ranges: SegmentRange[]; stopped?: number; maxDepth: number } {
  const out: SegmentRange[] = [];
  const range = (from: number, to: number): SegmentRange =>
    segBroken
      ? { from, to, broken: true }
      : segUnclosed >= 0
        ? { from, to, unclosedAt: segUnclosed }
        : { from, to };
  const n = text.length;
  let segStart = start;
  let segUnclosed = -1;
  let segBroken = false;
  /** The last line that started at depth 0 outside strings, continuations and decorators. */
  let stmtStart = -1;
  let lines = 0;
  let depth = 0;
  let maxDepth = 0;
  const open: number[] = [];
  let prevAt = -1;
  const lambdas = new LambdaFinder(text, start);
  /** The quote character code of the string being scanned (0 outside strings). */
  let quote = 0;
  let triple = false;
  let continued = false;
  let afterDecorator = false;
  let paragraph = false;
  let i = start;
  while (i < n) {
    const lineStart = i;
    const c0 = text.charCodeAt(i);
    const startsName = (c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95 || c0 === 64;
    // Past the first eighth of a segment's lines at a boundary line after a line without code, or once it is full.
    const due = lines >= maxLines || (paragraph && lines >= Math.ceil(maxLines / 8) && boundaryLine(text, i));
    if (due && quote === 0 && depth === 0 && !continued && !afterDecorator && startsName) {
      // Every continuation keyword starts with c, e or f: other lines need no look at their first word.
      const word =
        c0 === 99 || c0 === 101 || c0 === 102 ? (/^[A-Za-z_]\w*/.exec(text.slice(i, i + 16))?.[0] ?? '') : '';
      if (!CONTINUATIONS.has(word)) {
        out.push(range(segStart, lineStart));
        if (stop?.(lineStart)) return { ranges: out, stopped: lineStart, maxDepth };
        segStart = lineStart;
        segUnclosed = -1;
        segBroken = false;
        lines = 0;
      }
    } else if (
      depth > 0 &&
      quote === 0 &&
      !continued &&
      !afterDecorator &&
      c0 !== 64 &&
      startsName &&
      unclosedCut(text, lineStart, open[depth - 1] as number, prevAt, lambdas)
    ) {
      // The broken statement alone, when it starts a top-level statement after the segment's start.
      const s0 = text.charCodeAt(stmtStart);
      const word = /^[A-Za-z_]\w*/.exec(text.slice(stmtStart, stmtStart + 16))?.[0] ?? '';
      const startsStatement =
        ((s0 >= 65 && s0 <= 90) || (s0 >= 97 && s0 <= 122) || s0 === 95 || s0 === 64) &&
        !CONTINUATIONS.has(word);
      if (stmtStart > segStart && stmtStart <= (open[depth - 1] as number) && startsStatement) {
        out.push(range(segStart, stmtStart));
        if (stop?.(stmtStart)) return { ranges: out, stopped: stmtStart, maxDepth };
        segStart = stmtStart;
        segUnclosed = -1;
        segBroken = true;
      }
      out.push(range(segStart, lineStart));
      if (stop?.(lineStart)) return { ranges: out, stopped: lineStart, maxDepth };
      segStart = lineStart;
      segUnclosed = open[depth - 1] as number;
      segBroken = false;
      depth = 0;
    }
    if (quote === 0 && !continued && !afterDecorator && depth === 0) stmtStart = lineStart;
    continued = false;
    let firstChar = -1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if ((c === 10 && (quote === 0 || !triple)) || (c === 35 && quote === 0)) {
        // The line's last code character (none when it ends inside a triple-quoted string).
        for (let j = i - 1; j >= lineStart; j--)
          if (![32, 9, 13, 12].includes(text.charCodeAt(j))) {
            prevAt = j;
            break;
          }
      }
      if (c === 10) break;
      if (quote !== 0) {
        if (c === 92) {
          i += 2;
          continue;
        }
        if (c === quote && (!triple || (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c))) {
          i += triple ? 3 : 1;
          quote = 0;
          continue;
        }
        i++;
        continue;
      }
      if (firstChar < 0 && c !== 32 && c !== 9 && c !== 13) firstChar = i;
      if (c === 35) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        break;
      }
      if (c === 39 || c === 34) {
        quote = c;
        triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
        i += triple ? 3 : 1;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) {
        open[depth] = i;
        maxDepth = Math.max(maxDepth, ++depth);
      } else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      else if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) continued = true;
      i++;
    }
    if (i >= n && (quote === 0 || !triple))
      for (let j = n - 1; j >= lineStart; j--)
        if (![32, 9, 13, 12].includes(text.charCodeAt(j))) {
          prevAt = j;
          break;
        }
    // A one-quote string cannot span lines (unterminated): the next line starts fresh.
    if (quote !== 0 && !triple) quote = 0;
    paragraph = firstChar < 0 || text.charCodeAt(firstChar) === 35;
    if (firstChar >= 0 && text.charCodeAt(firstChar) !== 35)
      afterDecorator = firstChar === lineStart && text.charCodeAt(firstChar) === 64;
    i++;
    lines++;
  }
  out.push(range(segStart, n));
  return { ranges: out, maxDepth };
}

function referenceTooDeep(text: string): { at: number; statementStart: number } | undefined {
  const n = text.length;
  let depth = 0;
  let quote = 0;
  let triple = false;
  let statementStart = 0;
  let lineStart = true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92) i++;
      else if (c === quote && (!triple || (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c))) {
        if (triple) i += 2;
        quote = 0;
      } else if (c === 10 && !triple) quote = 0;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      if (depth === 0 && (i === 0 || text.charCodeAt(i - 2) !== 92)) statementStart = i;
    }
    if (c === 10) lineStart = true;
    else if (c === 35) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== 10) i++;
    } else if (c === 39 || c === 34) {
      quote = c;
      triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      if (triple) i += 2;
    } else if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_BRACKET_DEPTH) return { at: i, statementStart };
    } else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

const pieces = fc.constantFrom(
  ...'x1 =([{}]),.:\'"#\n\\\r\t@ecf'.split(''),
  'else',
  'except',
  '"""',
  "'''",
  '\\\n',
  '\\\r\n',
  '(((((((((((((((((((((((((',
  ']]]]]]]]]]]]]]]]]]]]]]]]]',
  '    ',
  // What a cut after an unclosed bracket looks at (segmented-parse.ts unclosedCut).
  'X = ',
  'a.b = ',
  "d['k'] = ",
  'import ',
  'from m import ',
  'lambda',
  'f(',
  'x,',
);
const texts = fc.array(pieces, { maxLength: 300 }).map((parts) => parts.join(''));

describe('whole-text scans', () => {
  it('find the segments, cuts and bracket depth a character-by-character scan finds', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 1, max: 6 }), (text, maxLines) => {
        const ref = referenceScan(text, 0, maxLines);
        assert.deepEqual(topLevelSegments(text, maxLines), ref.ranges);
        assert.equal(segmentsAndDepth(text, maxLines).maxDepth, ref.maxDepth);
        assert.equal(nextCut(text, 0), referenceScan(text, 0, 1, () => true).stopped ?? text.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('find brackets nested too deep where a character-by-character scan does, and only then', () => {
    const deep = fc
      .tuple(texts, fc.integer({ min: 150, max: 260 }), texts)
      .map(([a, k, b]) => `${a}\nX = ${'(['.repeat(k >> 1)}${b}`);
    let found = 0;
    fc.assert(
      fc.property(fc.oneof(texts, deep), (text) => {
        const expected = referenceTooDeep(text);
        assert.deepEqual(tooDeepBrackets(text), expected);
        // The segments' depth decides whether the check runs (core/python/parse.ts withinLimits): it is counted
        // from each cut, so after an unclosed bracket (a syntax error: lezer parses each segment on its own) a
        // text may nest deeper in all than the check's scan counts without running it.
        const scanned = segmentsAndDepth(text);
        if (scanned.maxDepth > MAX_BRACKET_DEPTH) assert.ok(expected);
        else if (!scanned.ranges.some((r) => r.unclosedAt !== undefined)) assert.equal(expected, undefined);
        if (expected) found++;
      }),
      { numRuns: 2000 },
    );
    assert.ok(found > 100, `${found} texts too deep`);
  });
});
