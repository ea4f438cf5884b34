/**
 * Parses long files in top-level segments. @lezer/python ≥ 1.1.6 reports a false syntax error (and mangles a
 * statement or two) once a file holds ~400–600 statements separated by blank or comment lines: its GLR parse
 * keeps parallel stacks alive and lezer prunes the right one (`'\nX = 1\n'.repeat(600)` fails; 1.1.3 did not,
 * but lacks newer syntax). Parsing ranges of at most SEGMENT_LINES lines, cut only where a new top-level
 * statement starts, and joining the trees avoids it; positions stay those of the whole text. Never throws.
 */
import { Tree, type TreeBuffer, type TreeFragment } from '@lezer/common';
import { parser } from '@lezer/python';

export const SEGMENT_LINES = 200;

/** Keywords that continue the previous compound statement: never cut before them. */
const CONTINUATIONS = new Set(['else', 'elif', 'except', 'finally', 'case']);

/**
 * Ranges covering `text`, each starting at a line where a top-level statement begins (column 0, outside
 * brackets, strings and line continuations, not `else`/`except`/… and not right after a decorator).
 */
export function topLevelSegments(text: string, maxLines = SEGMENT_LINES): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  const n = text.length;
  let segStart = 0;
  let lines = 0;
  let depth = 0;
  /** The quote character code of the string being scanned (0 outside strings). */
  let quote = 0;
  let triple = false;
  let continued = false;
  let afterDecorator = false;
  let i = 0;
  while (i < n) {
    const lineStart = i;
    const c0 = text.charCodeAt(i);
    const startsName = (c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95 || c0 === 64;
    if (lines >= maxLines && quote === 0 && depth === 0 && !continued && !afterDecorator && startsName) {
      const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 16))?.[0] ?? '';
      if (!CONTINUATIONS.has(word)) {
        out.push({ from: segStart, to: lineStart });
        segStart = lineStart;
        lines = 0;
      }
    }
    continued = false;
    let firstChar = -1;
    while (i < n) {
      const c = text.charCodeAt(i);
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
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      else if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) continued = true;
      i++;
    }
    // A one-quote string cannot span lines (unterminated): the next line starts fresh.
    if (quote !== 0 && !triple) quote = 0;
    if (firstChar >= 0 && text.charCodeAt(firstChar) !== 35)
      afterDecorator = firstChar === lineStart && text.charCodeAt(firstChar) === 64;
    i++;
    lines++;
  }
  out.push({ from: segStart, to: n });
  return out;
}

function hasError(tree: Tree): boolean {
  let found = false;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.type.isError) found = true;
      return !found;
    },
  });
  return found;
}

/** A parsed segment: its tree (positions relative to the segment) and whether it holds a syntax error. */
export interface SegmentTree {
  readonly tree: Tree;
  readonly error: boolean;
}

/** Segment trees keyed by their text: a segment's tree depends on its text alone, wherever it sits. */
export type SegmentTrees = ReadonlyMap<string, SegmentTree>;

/**
 * One tree for the whole text, parsed segment by segment when the text is long. Segments whose text is in
 * `previous` are not parsed again (an edit re-parses only the segment it touches).
 */
export function parseSegmented(
  text: string,
  fragments?: readonly TreeFragment[],
  maxLines = SEGMENT_LINES,
  previous?: SegmentTrees,
): { tree: Tree; segments: SegmentTrees | undefined; error: boolean | undefined } {
  const ranges = topLevelSegments(text, maxLines);
  if (ranges.length === 1)
    return { tree: parser.parse(text, fragments), segments: undefined, error: undefined };
  const segments = new Map<string, SegmentTree>();
  let error = false;
  const children: (Tree | TreeBuffer)[] = [];
  const positions: number[] = [];
  let top: Tree | undefined;
  for (const seg of ranges) {
    const segText = text.slice(seg.from, seg.to);
    let seg2 = segments.get(segText) ?? previous?.get(segText);
    if (!seg2) {
      const parsed = parser.parse(segText);
      seg2 = { tree: parsed, error: hasError(parsed) };
    }
    segments.set(segText, seg2);
    error ||= seg2.error;
    const t = seg2.tree;
    top ??= t;
    t.children.forEach((child, k) => {
      children.push(child);
      positions.push((t.positions[k] ?? 0) + seg.from);
    });
  }
  const joined = new Tree((top as Tree).type, children, positions, text.length);
  // The cut points are a heuristic: should they ever split a construct, a whole parse is the better answer.
  if (error) {
    const whole = parser.parse(text);
    if (!hasError(whole)) return { tree: whole, segments: undefined, error: false };
  }
  return { tree: joined, segments, error };
}
