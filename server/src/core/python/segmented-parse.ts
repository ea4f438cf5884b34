/**
 * Parses long files in top-level segments. @lezer/python ≥ 1.1.6 reports a false syntax error (and mangles a
 * statement or two) once a file holds ~400–600 statements separated by blank or comment lines: its GLR parse
 * keeps parallel stacks alive and lezer prunes the right one (`'\nX = 1\n'.repeat(600)` fails; 1.1.3 did not,
 * but lacks newer syntax). Parsing ranges of at most SEGMENT_LINES lines, cut only where a new top-level
 * statement starts (`boundaryLine`), and joining the trees avoids it; positions stay those of the whole text.
 * Never throws.
 */
import { Tree, type SyntaxNode, type TreeBuffer, type TreeFragment } from '@lezer/common';
import { parser } from '@lezer/python';
import { fastParse } from './fast-parse';
import { fastIdsRead } from './fast-parse-ids';
import { firstUnterminatedString, hasError } from './source-checks';
import { finish, type Steps } from '../steps';

export const SEGMENT_LINES = 200;

/**
 * A one-segment text shorter than this is parsed by lezer until the fast path's node ids were read for a longer
 * one: reading them costs a fresh process ~15 ms, more than lezer takes for a few short lines (the CLI on a
 * one-line file: 2.02x `node -e 0` with, 1.88x without).
 */
const FAST_SHORT_MIN_CHARS = 2000;

/** Keywords that continue the previous compound statement: never cut before them. */
const CONTINUATIONS = new Set(['else', 'elif', 'except', 'finally', 'case']);

/**
 * Ranges covering `text`, each starting at a line where a top-level statement begins (column 0, outside
 * brackets, strings and line continuations, not `else`/`except`/… and not right after a decorator): the first
 * such line that is a boundary line once the segment holds maxLines / 8 lines, or the first once it holds
 * maxLines (`boundaryLine`).
 */
export function topLevelSegments(text: string, maxLines = SEGMENT_LINES): SegmentRange[] {
  return scanSegments(text, 0, maxLines).ranges;
}

/**
 * A segment's range. `unclosedAt`: it starts where the segment before it left the bracket at that offset open —
 * at a line that begins at column 0 with what no bracket can hold (`unclosedCut`), so the text is a syntax error
 * there either way. `broken`: it is that segment, cut at the start of the statement whose bracket is left open
 * (when that is a top-level statement start), so that typing in the broken statement re-parses it alone. These
 * cuts do not restart the count of lines (the other cuts stay where they were before the bracket was typed),
 * so an incremental scan (`resegment`) never starts or stops at one (`softCut`).
 */
export interface SegmentRange {
  readonly from: number;
  readonly to: number;
  readonly unclosedAt?: number;
  readonly broken?: true;
}

/** Whether `r` starts at a cut that kept the count of lines (SegmentRange). */
function softCut(r: SegmentRange | undefined): boolean {
  return r?.unclosedAt !== undefined || r?.broken === true;
}

/**
 * `topLevelSegments` and the deepest bracket nesting the scan met: it skips strings and comments as
 * `tooDeepBrackets` does (the same depth at every bracket), so a text whose depth stays within
 * MAX_BRACKET_DEPTH needs no scan of its own for that check.
 */
export function segmentsAndDepth(
  text: string,
  maxLines = SEGMENT_LINES,
): { ranges: SegmentRange[]; maxDepth: number } {
  const { ranges, maxDepth } = scanSegments(text, 0, maxLines);
  return { ranges, maxDepth };
}

/** How many characters a scan goes through before it asks `pause` again (~1-2 ms; `segmentsAndDepthInSteps`). */
const SCAN_CHUNK_CHARS = 1 << 16;

/**
 * `segmentsAndDepth`, pausing when `pause` says so at a cut at least SCAN_CHUNK_CHARS after the last pause: a
 * cut that is not after an unclosed bracket leaves the scanner's state clean (depth 0, outside strings, the
 * count of lines restarted), so the scan from there goes on as one scan of the whole text would.
 */
export function* segmentsAndDepthInSteps(
  text: string,
  maxLines: number,
  pause: (() => boolean) | undefined,
  chunk = SCAN_CHUNK_CHARS,
): Steps<{ ranges: SegmentRange[]; maxDepth: number }> {
  if (!pause) return segmentsAndDepth(text, maxLines);
  const ranges: SegmentRange[] = [];
  let maxDepth = 0;
  for (let from = 0; ;) {
    const start = from;
    const scanned = scanSegments(
      text,
      start,
      maxLines,
      (cut, soft) => !soft && cut - start >= chunk && pause(),
    );
    for (const r of scanned.ranges) ranges.push(r);
    maxDepth = Math.max(maxDepth, scanned.maxDepth);
    if (scanned.stopped === undefined) return { ranges, maxDepth };
    from = scanned.stopped;
    yield;
  }
}

/**
 * The first place after `from` (a statement start where the scanner's state is clean) where `topLevelSegments`
 * could cut: the end of the statement there and of the comment and blank lines after it. The fast path hands
 * lezer what it does not recognise in such pieces.
 */
export function nextCut(text: string, from: number): number {
  return scanSegments(text, from, 1, () => true).stopped ?? text.length;
}

/**
 * The segments of `text` from `start` (a segment start, where the scanner's state is clean), until `stop` says
 * so at a cut (`stopped` is then that cut; the last range ends there) or to the end of the text.
 */
function scanSegments(
  text: string,
  start: number,
  maxLines: number,
  stop?: (cut: number, soft: boolean) => boolean,
): { ranges: SegmentRange[]; stopped?: number; maxDepth: number } {
  const cuts = new Cuts(text, start);
  const n = text.length;
  let depth = 0;
  let maxDepth = 0;
  /** Where the brackets open at `depth` opened (the first `depth` entries). */
  const open: number[] = [];
  /** The last character of code before the line being scanned (-1: none since `start`). */
  let prevAt = -1;
  /** The quote character code of the string being scanned (0 outside strings). */
  let quote = 0;
  let triple = false;
  let continued = false;
  let afterDecorator = false;
  let i = start;
  while (i < n) {
    const lineStart = i;
    // Most lines are neither past a segment's first eighth nor inside brackets at column 0: no call for them.
    const quiet = quote !== 0 || continued || afterDecorator;
    const skip = quiet || (depth > 0 ? text.charCodeAt(i) <= 64 : cuts.noCut(maxLines));
    const cut = skip ? NO_CUT : cutBefore(text, i, depth, open, prevAt, cuts.lambdas, cuts.lines >= maxLines);
    if (cut !== NO_CUT) {
      const unclosedAt = cut === UNCLOSED_CUT ? (open[depth - 1] as number) : -1;
      const stopped = cuts.cutBefore(text, lineStart, unclosedAt, stop);
      if (stopped >= 0) return { ranges: cuts.ranges, stopped, maxDepth };
      if (unclosedAt >= 0) depth = 0; // the broken statement ends here
    }
    // A top-level statement's first line (an indented line belongs to the compound statement it is in).
    if (!quiet && depth === 0 && startsName(text.charCodeAt(lineStart))) cuts.stmtStart = lineStart;
    continued = false;
    let firstChar = -1;
    /** Where this line's code ends (before a comment or the line break); -1 when it ends inside a long string. */
    let codeEnd = -1;
    // Runs of characters that change nothing are skipped by sticky RegExps (compiled code, even in a fresh process).
    while (i < n) {
      if (quote !== 0) {
        const end = stringEnd(text, i, quote, triple);
        if (end < 0) {
          i = -1 - end;
          if (!triple) codeEnd = i;
          break;
        }
        i = end;
        quote = 0;
        continue;
      }
      if (firstChar < 0) {
        i = skipRun(BLANK_RUN, text, i);
        if (i < n && text.charCodeAt(i) !== 10) firstChar = i;
      }
      i = skipRun(PLAIN_RUN, text, i);
      codeEnd = i;
      const c = text.charCodeAt(i); // NaN at the end of the text
      if (c === 10 || i >= n) break;
      if (c === 35) {
        i = text.indexOf('\n', i);
        if (i < 0) i = n;
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
        if (++depth > maxDepth) maxDepth = depth;
      } else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      else if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) continued = true;
      i++;
    }
    // Only a line inside brackets can be followed by one that `unclosedCut` looks at.
    if (depth > 0 && codeEnd >= 0) prevAt = lastCodeBefore(text, codeEnd, lineStart, prevAt);
    // A one-quote string cannot span lines (unterminated): the next line starts fresh.
    if (quote !== 0 && !triple) quote = 0;
    cuts.paragraph = firstChar < 0 || text.charCodeAt(firstChar) === 35; // no code on this line
    if (!cuts.paragraph) afterDecorator = firstChar === lineStart && text.charCodeAt(firstChar) === 64;
    i++;
    cuts.lines++;
  }
  cuts.cut(n, -1);
  return { ranges: cuts.ranges, maxDepth };
}

/** The ranges a scan has cut so far. */
class Cuts {
  readonly ranges: SegmentRange[] = [];
  /** Lines since the last cut that was not after an unclosed bracket (see SegmentRange). */
  lines = 0;

  /**
   * Whether the next line at depth 0 cannot be a cut: the segment holds fewer than maxLines lines, and the line
   * is no paragraph start or the segment holds fewer than an eighth of them (`boundaryLine`).
   */
  noCut(maxLines: number): boolean {
    return this.lines < maxLines && (!this.paragraph || this.lines * 8 < maxLines);
  }

  /** The line before the one being scanned had no code (blank, a comment, inside a long string). */
  paragraph = false;
  /** The bracket left open before the current segment (-1: none). */
  private unclosedAt = -1;
  readonly lambdas: LambdaFinder;

  constructor(
    text: string,
    private from: number,
  ) {
    this.lambdas = new LambdaFinder(text, from);
  }

  private broken = false;
  /**
   * The last line that started at depth 0 at column 0 with a name or `@`, outside strings, continuations and
   * decorators (-1: none): the top-level statement holding a bracket opened after it, also in its indented block.
   */
  stmtStart = -1;

  /** Ends the current segment at `at`; the next one starts there, after the bracket `unclosedAt` left open (-1: none). */
  cut(at: number, unclosedAt: number, broken = false): void {
    this.ranges.push(range(this.from, at, this.unclosedAt, this.broken));
    this.from = at;
    this.unclosedAt = unclosedAt;
    this.broken = broken;
    if (unclosedAt < 0 && !broken) this.lines = 0;
  }

  /**
   * Cuts before the line at `at` (after the bracket `unclosedAt` left open, -1: none), and before that also at
   * `stmtStart`, the start of the statement whose bracket is left open, when it is a top-level statement start
   * within the segment. Where `stop` said to stop, or -1.
   */
  cutBefore(
    text: string,
    at: number,
    unclosedAt: number,
    stop: ((cut: number, soft: boolean) => boolean) | undefined,
  ): number {
    const stmtStart = this.stmtStart;
    if (
      unclosedAt >= 0 &&
      stmtStart > this.from &&
      stmtStart <= unclosedAt &&
      startsStatement(text, stmtStart)
    ) {
      this.cut(stmtStart, -1, true);
      if (stop?.(stmtStart, true)) return stmtStart;
    }
    this.cut(at, unclosedAt);
    return stop?.(at, unclosedAt >= 0) ? at : -1;
  }
}

const NO_CUT = 0;
const CUT = 1;
const UNCLOSED_CUT = 2;

/**
 * Whether to cut before the line at `i` (outside strings, continuations and decorators): where a top-level
 * statement starts (not `else`/`except`/…) on a boundary line or in a full segment (the segment is past its
 * first eighth), or after a bracket left open (`unclosedCut`) whatever the segment's length.
 */
function cutBefore(
  text: string,
  i: number,
  depth: number,
  open: readonly number[],
  prevAt: number,
  lambdas: LambdaFinder,
  /** The segment holds maxLines lines: any statement start ends it, not only a boundary line. */
  full: boolean,
): number {
  const c0 = text.charCodeAt(i);
  const startsName = (c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95;
  if (depth > 0)
    return startsName && unclosedCut(text, i, open[depth - 1] as number, prevAt, lambdas)
      ? UNCLOSED_CUT
      : NO_CUT;
  if (!full && !boundaryLine(text, i)) return NO_CUT;
  return startsStatement(text, i) ? CUT : NO_CUT;
}

/**
 * One paragraph start in BOUNDARY_EVERY ends a segment once it holds an eighth of its lines (`boundaryLine`), any
 * statement start once it holds maxLines. Cuts that depend on the text around them, not only on the count of
 * lines since the last one, are found again after an edit that adds or removes lines: a block of 20 lines pasted
 * in the middle moved every later cut by 20 lines, so every segment after it was new text to parse (the half of
 * the 10,000-line file after the paste, on the paste and on its undo), while now the scan meets an old cut again
 * within a segment or two (`resegment`).
 */
const BOUNDARY_EVERY = 4;
/** The characters of a line that decide whether it is a boundary line (and, within them, a statement start). */
const BOUNDARY_CHARS = 16;

/**
 * Whether a statement start at `i` after a line without code (a paragraph start: a few lines in a dozen of a
 * settings file, so few lines are hashed, which a fresh process does in unoptimised code) is a boundary line:
 * FNV-1a of its first BOUNDARY_CHARS characters is one in BOUNDARY_EVERY. A file without blank or comment lines
 * is cut every maxLines lines.
 */
export function boundaryLine(text: string, i: number): boolean {
  let h = 0x811c9dc5;
  const end = Math.min(text.length, i + BOUNDARY_CHARS);
  for (let j = i; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 10) break;
    h = Math.imul(h ^ c, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  h ^= h >>> 16;
  return (h >>> 0) % BOUNDARY_EVERY === 0;
}

/** Whether a character code can begin a line of a statement at column 0: a name's first character or `@`. */
function startsName(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64;
}

/** Whether a line at `i` (at depth 0, outside strings, continuations and decorators) starts a top-level statement. */
function startsStatement(text: string, i: number): boolean {
  const c0 = text.charCodeAt(i);
  const startsName = (c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95;
  if (!(startsName || c0 === 64)) return false;
  // Every continuation keyword starts with c, e or f: other lines need no look at their first word.
  const word =
    c0 === 99 || c0 === 101 || c0 === 102 ? (/^[A-Za-z_]\w*/.exec(text.slice(i, i + 16))?.[0] ?? '') : '';
  return !CONTINUATIONS.has(word);
}

function range(from: number, to: number, unclosedAt: number, broken = false): SegmentRange {
  if (broken) return { from, to, broken };
  return unclosedAt >= 0 ? { from, to, unclosedAt } : { from, to };
}

/** The last character before `end` on the line starting at `lineStart` that is no space, else `prev`. */
function lastCodeBefore(text: string, end: number, lineStart: number, prev: number): number {
  let j = end - 1;
  while (j >= lineStart) {
    const c = text.charCodeAt(j);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12) return j;
    j--;
  }
  return prev;
}

/**
 * Finds `lambda` in the text (anywhere, strings and comments too: that only makes `unclosedCut` cut less), for
 * positions asked in increasing order: one pass over the text in all.
 */
export class LambdaFinder {
  private last = -1;
  private next: number | undefined;

  constructor(
    private readonly text: string,
    private readonly from: number,
  ) {}

  /** Whether `lambda` occurs in [from, to); `to` never decreases from one call to the next. */
  within(from: number, to: number): boolean {
    let next = this.next ?? this.text.indexOf('lambda', this.from);
    while (next >= 0 && next < to) {
      this.last = next;
      next = this.text.indexOf('lambda', next + 1);
    }
    this.next = next;
    return this.last >= from;
  }
}

/** Statements no bracket can hold: no expression holds these keywords (`from … import` is no `yield from`). */
const STATEMENT_ONLY =
  /(?:(?:import|def|class|with|while|return|pass|raise|del|global|nonlocal|assert|break|continue)(?=[ \t\r\n;#(]|$)|try[ \t]*:|from[ \t]+[\w.]+[ \t]+import(?=[ \t\r\n(]|$))/y;
/** An assignment to a dotted name or a subscript (its strings without quotes or line breaks inside). */
const TARGET_ASSIGN =
  /[A-Za-z_]\w*(?:(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)+|[ \t]*\[(?:[^\n[\]'"\\]|'[^\n'\\]*'|"[^\n"\\]*")*\])[ \t]*=(?!=)/y;
/** An assignment to a name (`X = …`, not `X == …`). */
const NAME_ASSIGN = /([A-Za-z_]\w*)[ \t]*=(?!=)/y;
/** Python's keywords but the three constants: a word that cannot end an operand. */
const KEYWORDS = new Set(
  'and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/**
 * Whether a line starting at `at` (column 0, outside strings and continuations) with the bracket at `openAt`
 * still open, the last code before it at `prevAt`, can only begin a new statement, so that no text after it
 * makes the file valid: a statement keyword (`import`, `def`, `class`, `try:`, `from … import`, …), or an
 * assignment (`X = `, `X.y = `, `X['k'] = `) where no bracket holds one: in a list, dict, set, subscript or
 * parenthesised expression with no `lambda` since the bracket opened (whose parameters may have defaults), or in
 * a call's or definition's parentheses after a complete operand (after `(` or `,` it is a keyword argument, after
 * `:` or an operator part of an annotation). Decided from the text before the line and the line itself; lezer
 * reports an error for every such line (`test/unit/segmented-parse.test.ts`).
 */
export function unclosedCut(
  text: string,
  at: number,
  openAt: number,
  prevAt: number,
  lambdas: LambdaFinder,
): boolean {
  if (matchesAt(STATEMENT_ONLY, text, at)) return true;
  const target = matchesAt(TARGET_ASSIGN, text, at);
  if (!target) {
    NAME_ASSIGN.lastIndex = at;
    const m = NAME_ASSIGN.exec(text);
    if (!m || KEYWORDS.has(m[1] as string)) return false;
  }
  if (callParen(text, openAt)) {
    const prev = prevAt < 0 ? 0 : text.charCodeAt(prevAt);
    const afterItem = prev === 40 || prev === 44;
    if (!(endsOperand(text, prevAt) || (target && afterItem))) return false;
  }
  return !lambdas.within(openAt, at);
}

function matchesAt(re: RegExp, text: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(text);
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Whether the bracket at `openAt` is a `(` that may hold keyword arguments or parameters: after a name, a
 * closing bracket or a string on its line, or first on its line (not known: taken as one).
 */
function callParen(text: string, openAt: number): boolean {
  if (text.charCodeAt(openAt) !== 40) return false;
  let j = openAt - 1;
  while (j >= 0 && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j--;
  const c = j < 0 ? 10 : text.charCodeAt(j);
  return c === 10 || c === 13 || isNameChar(c) || c === 41 || c === 93 || c === 39 || c === 34 || c > 127;
}

/** Whether the code character at `at` ends an operand: a closing bracket, a string's quote, a number or a name that is no keyword. */
function endsOperand(text: string, at: number): boolean {
  if (at < 0) return false;
  const c = text.charCodeAt(at);
  if (c === 41 || c === 93 || c === 125 || c === 39 || c === 34) return true;
  if (!isNameChar(c)) return false;
  let j = at;
  while (j > 0 && isNameChar(text.charCodeAt(j - 1))) j--;
  if (j > 0 && text.charCodeAt(j - 1) > 127) return false;
  return !KEYWORDS.has(text.slice(j, at + 1));
}

/**
 * From `i` inside a string opened by `quote` (three of them if `triple`): the end of its closing quote, or
 * -1 - the position of the line break (or the end of the text) where the line ends inside it.
 */
function stringEnd(text: string, i: number, quote: number, triple: boolean): number {
  const n = text.length;
  while (i < n) {
    i = skipRun(STRING_RUN, text, i);
    const c = text.charCodeAt(i);
    if (i >= n || c === 10) break;
    if (c === 92) i += 2;
    else if (c === quote && (!triple || (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c)))
      return i + (triple ? 3 : 1);
    else i++;
  }
  return -1 - i;
}

/** The end of the run `run` (a sticky RegExp that matches at any position ≤ the text's length) from `i`. */
function skipRun(run: RegExp, text: string, i: number): number {
  run.lastIndex = i;
  run.test(text);
  return run.lastIndex;
}

/** Inside a string: what is neither a backslash, a quote nor a line break. */
const STRING_RUN = /[^\\'"\n]*/y;
/** Spaces before a line's first character. */
const BLANK_RUN = /[ \t\r]*/y;
/**
 * Code that is no line break, comment, bracket or backslash, with the one-quote strings that end on their line
 * (not the start of a triple-quoted one; backslash escapes inside, not before a line break): most lines in one
 * match. Only escapes and strings add backtracking points, never each character.
 */
const PLAIN_RUN =
  /[^\n#'"()[\]{}\\]*(?:(?:'(?!'')[^'\\\n]*(?:\\[^\n][^'\\\n]*)*'|"(?!"")[^"\\\n]*(?:\\[^\n][^"\\\n]*)*")[^\n#'"()[\]{}\\]*)*/y;

/** Characters compared at once (as strings, natively) before the first difference is looked for one by one. */
const CHUNK = 1024;

/** How many leading characters `a` and `b` share. */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How many trailing characters `a` and `b` share, at most `max`. */
export function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (
    i + CHUNK <= max &&
    a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)
  )
    i += CHUNK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/**
 * The segments of `text` from those of `before`, an earlier text of the same file: the scan starts at the
 * segment start before the first change (one back while the change is within the first BOUNDARY_CHARS
 * characters after a cut, which decide that cut; the line before a cut is before the change) and stops at the first cut after the change that is also a cut of the
 * old text (shifted by the change in length): from there the scanner's state is clean in both and the text
 * the same, so the old cuts follow. Equal to `topLevelSegments(text, maxLines)`.
 */
export function resegment(
  before: string,
  old: readonly SegmentRange[],
  text: string,
  maxLines = SEGMENT_LINES,
  /** The changed stretch, when the caller knows it (`textChange`). */
  change?: { readonly from: number; readonly toNew: number },
): SegmentRange[] {
  const start = change?.from ?? commonPrefix(before, text);
  const changedTo =
    change?.toNew ?? text.length - commonSuffix(before, text, Math.min(before.length, text.length) - start); // end of the changed text in `text`
  const delta = text.length - before.length;
  // The last old segment starting at or before the change, stepped back while the change is near its start.
  let k = 0;
  while (k + 1 < old.length && (old[k + 1] as { from: number }).from <= start) k++;
  while (k > 0 && start - (old[k] as { from: number }).from < BOUNDARY_CHARS) k--;
  // A cut after an unclosed bracket depends on the text back to the cut before it, and keeps that cut's count of lines.
  while (k > 0 && softCut(old[k])) k--;
  const oldCuts = new Set<number>();
  for (let j = k + 1; j < old.length; j++)
    if (!softCut(old[j])) oldCuts.add((old[j] as { from: number }).from);
  const scanned = scanSegments(
    text,
    (old[k] as { from: number }).from,
    maxLines,
    (cut, soft) => !soft && cut > changedTo && oldCuts.has(cut - delta),
  );
  if (scanned.stopped === undefined) return [...old.slice(0, k), ...scanned.ranges];
  const resume = scanned.stopped - delta;
  const rest = old
    .filter((r) => r.from >= resume)
    .map((r) =>
      range(r.from + delta, r.to + delta, r.unclosedAt === undefined ? -1 : r.unclosedAt + delta, r.broken),
    );
  return [...old.slice(0, k), ...scanned.ranges, ...rest];
}

/** A parsed segment: its tree (positions relative to the segment) and whether it holds a syntax error. */
export interface SegmentTree {
  readonly tree: Tree;
  readonly error: boolean;
  /**
   * Built by the fast path (`fast-parse.ts`): lezer's tree, but without the look-ahead records lezer keeps for
   * incremental parsing, so lezer would reuse little of it as fragments.
   */
  readonly fast?: boolean;
  /** Its first unterminated string literal (relative), null for none; found on first need. */
  unterminated?: { readonly from: number; readonly to: number } | null;
  /** With `error`: whether it ends without an error (`cleanEnd`); found on first need. */
  cleanEnd?: boolean;
  /** With `error`: its first error node (relative), null for none; found on first need. */
  firstError?: { readonly from: number; readonly to: number } | null;
}

/**
 * The first unterminated string literal of a joined segmented tree, from its segments (each looked for once
 * per segment text): the same as `firstUnterminatedString` over the joined tree, whose strings are the
 * segments' own. Null when a range is not among `segments`.
 */
export function segmentsUnterminated(
  text: string,
  ranges: readonly SegmentRange[],
  segments: SegmentTrees,
  texts?: readonly string[],
): { from: number; to: number } | undefined | null {
  for (const [k, r] of ranges.entries()) {
    const segText = texts?.[k] ?? text.slice(r.from, r.to);
    const seg = segments.get(segText);
    if (!seg) return null; // not a segment of these trees: the caller walks the whole tree
    if (seg.unterminated === undefined) seg.unterminated = firstUnterminatedString(seg.tree, segText) ?? null;
    if (seg.unterminated) return { from: seg.unterminated.from + r.from, to: seg.unterminated.to + r.from };
  }
  return undefined;
}

/** Segment trees keyed by their text: a segment's tree depends on its text alone, wherever it sits. */
export type SegmentTrees = ReadonlyMap<string, SegmentTree>;

/**
 * One tree for the whole text, parsed segment by segment when the text is long. Segments whose text is in
 * `previous` are not parsed again (an edit re-parses only the segment it touches). `known`: the ranges, when
 * the caller has them (`resegment`); `wholeOnError` false: no whole parse is tried when a segment has an error.
 */
export function parseSegmented(
  text: string,
  fragments?: readonly TreeFragment[],
  maxLines = SEGMENT_LINES,
  previous?: SegmentTrees,
  known?: readonly SegmentRange[],
  wholeOnError = true,
  knownTexts?: readonly string[],
): SegmentedParse {
  return finish(
    parseSegmentedInSteps(text, fragments, maxLines, previous, known, wholeOnError, knownTexts, undefined),
  );
}

/** What `parseSegmented` gives. */
export interface SegmentedParse {
  tree: Tree;
  segments: SegmentTrees | undefined;
  error: boolean | undefined;
  /** The segments' ranges, when the joined tree is the result. */
  ranges?: readonly SegmentRange[];
  /**
   * The segments' texts (with `ranges`): the same string objects serve every later lookup by text, so each is
   * hashed once, not once per lookup (a pass over the whole text each time).
   */
  texts?: readonly string[];
  /** With `error`: the first syntax error of the joined tree (`firstSegmentError`). */
  firstError?: { from: number; to: number } | undefined;
  /**
   * With `error`: whether a whole parse could be clean (neither `cutsHold` nor `joinedCutsHold`); it was tried when `wholeOnError`.
   */
  wholeMayHelp?: boolean;
}

/**
 * `parseSegmented`, pausing when `pause` says so (issue #11: an error-dense file takes lezer seconds): between
 * segments and inside lezer's parse of one (`lezerParse`). The result is the same however often it pauses.
 * `scratch`: segment trees kept across parses that were dropped part-way (the language server drops a first
 * parse of a text an edit has changed since): looked up like `previous`, and every segment parsed is added.
 */
export function* parseSegmentedInSteps(
  text: string,
  fragments: readonly TreeFragment[] | undefined,
  maxLines: number,
  previous: SegmentTrees | undefined,
  known: readonly SegmentRange[] | undefined,
  wholeOnError: boolean,
  knownTexts: readonly string[] | undefined,
  pause: (() => boolean) | undefined,
  scratch?: Map<string, SegmentTree>,
): Steps<SegmentedParse> {
  const ranges = known ?? topLevelSegments(text, maxLines);
  if (ranges.length === 1) {
    // Lezer's fragments are reused by lezer; without them the fast path builds the same tree quicker, once its
    // node ids are read (a lezer parse of a sample): a short text alone does not pay for reading them.
    const fast =
      fragments || (text.length < FAST_SHORT_MIN_CHARS && !fastIdsRead())
        ? undefined
        : fastParse(text, nextCut).tree;
    if (fast) return { tree: fast, segments: undefined, error: false };
    return { tree: yield* lezerParse(text, fragments, pause), segments: undefined, error: undefined };
  }
  const segments = new Map<string, SegmentTree>();
  let error = false;
  const children: (Tree | TreeBuffer)[] = [];
  const positions: number[] = [];
  let top: Tree | undefined;
  const texts: string[] = [];
  const trees: SegmentTree[] = [];
  for (const [k, seg] of ranges.entries()) {
    if (pause?.()) yield;
    const segText = knownTexts?.[k] ?? text.slice(seg.from, seg.to);
    texts.push(segText);
    let seg2 = segments.get(segText) ?? previous?.get(segText) ?? scratch?.get(segText);
    if (!seg2) {
      const fast = fastParse(segText, nextCut);
      if (fast.tree) seg2 = { tree: fast.tree, error: false, fast: true, unterminated: fast.unterminated };
      else {
        const parsed = yield* lezerParse(segText, undefined, pause);
        seg2 = { tree: parsed, error: hasError(parsed) };
      }
      scratch?.set(segText, seg2);
    }
    segments.set(segText, seg2);
    trees.push(seg2);
    error ||= seg2.error;
    const t = seg2.tree;
    top ??= t;
    t.children.forEach((child, k) => {
      children.push(child);
      positions.push((t.positions[k] ?? 0) + seg.from);
    });
  }
  const joined = new Tree((top as Tree).type, children, positions, text.length);
  if (!error) return { tree: joined, segments, error, ranges, texts };
  // The cut points are a heuristic: should they ever split a construct, a whole parse is the better answer.
  // Only a cut next to a segment with an error can have split one (`cutsHold`); typing `DEBUG = ` in a
  // 10,000-line file no longer parses the whole text again (~130 ms) to find the error is there either way.
  // A cut after an unclosed bracket is made only where the text is an error whatever follows (`unclosedCut`).
  // A segment that ends unfinished is joined with the next ones before the whole text is (`joinedCutsHold`).
  const wholeMayHelp =
    !ranges.some((r) => r.unclosedAt !== undefined) &&
    !cutsHold(ranges, texts, segments) &&
    !(yield* joinedCutsHold(text, ranges, texts, segments, pause));
  if (wholeMayHelp && wholeOnError) {
    if (pause?.()) yield;
    const whole = yield* lezerParse(text, undefined, pause);
    if (!hasError(whole)) return { tree: whole, segments: undefined, error: false };
  }
  const firstError = firstSegmentError(ranges, trees);
  return { tree: joined, segments, error, ranges, texts, firstError, wholeMayHelp };
}

/** How many of lezer's parse steps (`PartialParse.advance`: a token or a recovery step each) run between two asks of `pause`. */
const ADVANCES_PER_ASK = 64;

/**
 * Lezer's parse of `text`, pausing between its steps when `pause` says so: the tree `parser.parse` gives (it
 * runs the same steps at once). Only the last step, building the tree, cannot be split.
 */
export function* lezerParse(
  text: string,
  fragments?: readonly TreeFragment[],
  pause?: () => boolean,
): Steps<Tree> {
  if (!pause) return parser.parse(text, fragments);
  const parse = parser.startParse(text, fragments);
  for (let n = 1; ; n++) {
    const tree = parse.advance();
    if (tree) return tree;
    if (n % ADVANCES_PER_ASK === 0 && pause()) yield;
  }
}

/**
 * The first syntax error of the joined tree of `trees` at `ranges` (the same node a walk of the joined tree meets
 * first: its children are the segments' in order), looked for once per segment tree. A first error at or after a
 * bracket that the segment left open (a cut after an unclosed bracket follows it) is reported at that bracket, as
 * CPython does ("'[' was never closed"): lezer meets it only at the next line (`unclosedBracket`).
 */
function firstSegmentError(
  ranges: readonly SegmentRange[],
  trees: readonly SegmentTree[],
): { from: number; to: number } | undefined {
  for (const [k, seg] of trees.entries()) {
    if (!seg.error) continue;
    if (seg.firstError === undefined) seg.firstError = firstErrorOf(seg.tree) ?? null;
    if (!seg.firstError) continue;
    const at = (ranges[k] as SegmentRange).from;
    return { from: seg.firstError.from + at, to: seg.firstError.to + at };
  }
  return undefined;
}

function firstErrorOf(tree: Tree): { from: number; to: number } | undefined {
  let found: { from: number; to: number } | undefined;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.type.isError) {
        found = { from: node.from, to: node.to };
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The bracket left open that a syntax error at `errorFrom` stems from: when the segment holding the error ends
 * at a cut after an unclosed bracket at or before the error. Its offset, or undefined.
 */
export function unclosedBracket(ranges: readonly SegmentRange[], errorFrom: number): number | undefined {
  for (const r of ranges) {
    if (r.unclosedAt !== undefined && r.unclosedAt <= errorFrom && errorFrom <= r.from) return r.unclosedAt;
    if (r.from > errorFrom) break;
  }
  return undefined;
}

/**
 * Whether a whole parse of the text would have an error too, so that it need not be tried: true when no cut
 * may have split a construct. A cut that split a construct of a valid text leaves the segment before it
 * unfinished: it ends inside a bracket, a string or after a decorator, which lezer reports as an error at the end of its
 * last statement, or after a line continuation, which lezer accepts at the end of a text (the scanner never
 * cuts before `else:` and the other clauses of a statement). When no segment but the last ends so, each cut
 * is where a statement of the whole text begins, so a segment with an error is Python with an error in the
 * whole text as well. An error in a segment's first statement (`A = [1,)` cut before it in a file of such
 * lines) no longer sends a 60,000-line text through a second, whole parse (issue #11).
 */
function cutsHold(
  ranges: readonly SegmentRange[],
  texts: readonly string[],
  segments: ReadonlyMap<string, SegmentTree>,
): boolean {
  const last = ranges.length - 1;
  for (const [k, segText] of texts.entries()) {
    if (k === last) break;
    if (CONTINUED_END.test(segText.slice(-3))) return false;
    const seg = segments.get(segText);
    if (!seg?.error) continue;
    seg.cleanEnd ??= cleanEnd(seg.tree);
    if (!seg.cleanEnd) return false;
  }
  return true;
}

/** How many segments `joinedCutsHold` joins at most into one before it leaves the answer to a whole parse. */
const MAX_JOINED = 4;

/**
 * Whether a whole parse of the text would have an error too, when `cutsHold` could not tell: a segment that ends
 * unfinished (its last statement in lezer's recovery at its end, or continued by a backslash) is joined with the
 * segments after it and parsed again, as one piece, until the piece ends cleanly (at most MAX_JOINED segments;
 * the last segment ends the text and need not). The pieces are the segments of a coarser cut of the same text,
 * each starting where a segment starts, so `cutsHold`'s argument holds for them: when no piece but the last ends
 * unfinished, each cut between them is where a statement of the whole text begins, and a piece with an error is
 * Python with an error in the whole text as well. A pasted block that cuts a `try:` from its `except` (the
 * segment ends after `try:`, the next starts at column 0) no longer sends a 10,000-line text through a whole
 * parse (~130-480 ms): the two segments around the cut are parsed again instead (issue #11).
 */
function* joinedCutsHold(
  text: string,
  ranges: readonly SegmentRange[],
  texts: readonly string[],
  segments: ReadonlyMap<string, SegmentTree>,
  pause: (() => boolean) | undefined,
): Steps<boolean> {
  const last = ranges.length - 1;
  let error = false;
  for (let k = 0; k <= last; k++) {
    const seg = segments.get(texts[k] as string);
    if (k === last || endsClean(texts[k] as string, seg)) {
      error ||= seg?.error === true;
      continue;
    }
    // Join k with the segments after it until the piece ends cleanly.
    for (let j = k + 1; ; j++) {
      if (j - k >= MAX_JOINED) return false;
      if (pause?.()) yield;
      const piece = text.slice((ranges[k] as SegmentRange).from, (ranges[j] as SegmentRange).to);
      const tree = yield* lezerParse(piece, undefined, pause);
      const pieceError = hasError(tree);
      if (j === last || endsClean(piece, { tree, error: pieceError })) {
        error ||= pieceError;
        k = j;
        break;
      }
    }
  }
  return error;
}

/** Whether a segment (its text and tree) ends cleanly: not continued by a backslash, and no error reaches its end. */
function endsClean(segText: string, seg: SegmentTree | undefined): boolean {
  if (CONTINUED_END.test(segText.slice(-3))) return false;
  if (!seg?.error) return seg !== undefined;
  seg.cleanEnd ??= cleanEnd(seg.tree);
  return seg.cleanEnd;
}

/** The end of a text whose last line is continued by a backslash. */
const CONTINUED_END = /\\\r?\n$/;

/**
 * Whether a tree ends cleanly: no error node reaches the end of its last statement (comments aside). A text cut
 * inside a bracket, a string or after a decorator ends in lezer's recovery at the end of the text, where the
 * construct is still open; an error inside the last statement that lezer recovered from before its end
 * (`A = [1,)` followed by `B = 2`, which lezer reads as one statement) is not that. Only the nodes that reach
 * into the last statement are visited, not the whole tree of an error-dense segment.
 */
function cleanEnd(tree: Tree): boolean {
  let last: SyntaxNode | null = tree.topNode.lastChild;
  while (last && last.name === 'Comment') last = last.prevSibling;
  if (!last) return false;
  const end = last.to;
  let clean = true;
  tree.iterate({
    from: Math.max(0, last.from - 1),
    to: tree.length,
    enter(node) {
      if (!clean) return false;
      if (!node.type.isError) return undefined;
      if (node.to >= end) clean = false;
      return false;
    },
  });
  return clean;
}
