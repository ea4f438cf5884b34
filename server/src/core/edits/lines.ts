/** Line arithmetic for edits: where a line starts and ends, the indentation of a line, whether a statement has its lines to itself. Pure. */
import type { Span, TextEdit } from '../types';

/** One indentation level of inserted code. */
export const INDENT = '    ';

/** Nothing but blanks and a comment up to the end of the line. */
export const REST_OF_LINE_RE = /^[ \t]*(#.*)?$/;

/** Offset of the first character of the line holding `pos`. */
export function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Offset of the line's '\n' (or the text's end). */
export function lineEndOf(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i;
}

/** Leading blanks of the line holding `offset` (the indentation a node starting there sits at). */
export function indentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, offset)))?.[0] ?? '';
}

/** The statement starts at column 0 (so it is at module level) and nothing but a comment follows it. */
export function isWholeLineStatement(text: string, span: Span): boolean {
  if (lineStartOf(text, span.from) !== span.from) return false;
  return REST_OF_LINE_RE.test(text.slice(span.to, lineEndOf(text, span.to)));
}

/** Edits that put `# ` at the start of every line `span` touches (a statement commented out in place). */
export function commentOutLines(text: string, span: Span): TextEdit[] {
  const edits: TextEdit[] = [];
  let lineStart = lineStartOf(text, span.from);
  while (lineStart < span.to) {
    edits.push({ file: span.file, from: lineStart, to: lineStart, newText: '# ' });
    const next = text.indexOf('\n', lineStart);
    if (next < 0) break;
    lineStart = next + 1;
  }
  return edits;
}
