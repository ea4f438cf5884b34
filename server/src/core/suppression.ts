/** Suppression comments: `# session-lint: ignore[DSL104]` on a line, `# session-lint: ignore-file[DSL104]` in a file. */
import type { LineIndex } from './python/line-index';
import type { Span } from './types';

const SUPPRESS_RE = /#\s*session-lint:\s*ignore(-file)?(?:\[([^\]]*)\])?/g;

/** Whether `comment` holds a (line or file level) suppression covering `code`; no list means every code. */
export function commentSuppresses(comment: string, code: string, fileLevel: boolean): boolean {
  for (const m of comment.matchAll(SUPPRESS_RE)) {
    if (Boolean(m[1]) !== fileLevel) continue;
    const codes = m[2]
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (!codes || codes.length === 0 || codes.some((c) => code.startsWith(c))) return true;
  }
  return false;
}

/** Whether `code` is suppressed at `span`: on the span's first or last line, or for the whole file. */
export function isSuppressedAt(text: string, lines: LineIndex, span: Span, code: string): boolean {
  const start = lines.positionAt(span.from).line;
  const end = lines.positionAt(span.to).line;
  for (const line of new Set([start, end]))
    if (commentSuppresses(lines.lineText(line), code, false)) return true;
  return text.includes('session-lint: ignore-file') && commentSuppresses(text, code, true);
}
