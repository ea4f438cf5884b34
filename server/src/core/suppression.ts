/** Suppression comments: `# session-lint: ignore[DSL104]` on a line, `# session-lint: ignore-file[DSL104]` in a file. */
import type { LineIndex } from './python/line-index';
import type { Span } from './types';

const SUPPRESS_RE = /#\s*session-lint:\s*ignore(-file)?(?:\[([^\]]*)\])?/g;

/** Whether `comment` holds a (line or file level) suppression covering `code`; no list means every code. */
export function commentSuppresses(comment: string, code: string, fileLevel: boolean): boolean {
  return suppressions(comment, fileLevel).some((codes) => covers(codes, code));
}

/** The code lists of the line or file level suppressions in `comment`; an empty list means every code. */
function suppressions(comment: string, fileLevel: boolean): (readonly string[])[] {
  const out: (readonly string[])[] = [];
  for (const m of comment.matchAll(SUPPRESS_RE)) {
    if (Boolean(m[1]) !== fileLevel) continue;
    out.push(
      m[2]
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean) ?? [],
    );
  }
  return out;
}

function covers(codes: readonly string[], code: string): boolean {
  return codes.length === 0 || codes.some((c) => code.startsWith(c));
}

/** Whether `code` is suppressed at `span`: on the span's first or last line, or for the whole file. */
export function isSuppressedAt(text: string, lines: LineIndex, span: Span, code: string): boolean {
  const start = lines.positionAt(span.from).line;
  const end = lines.positionAt(span.to).line;
  for (const line of new Set([start, end]))
    if (commentSuppresses(lines.lineText(line), code, false)) return true;
  return fileSuppressions(text, lines).some((codes) => covers(codes, code));
}

/** The file-level suppressions of each text, found once per text (its line index stands for it), not per finding. */
const fileLevel = new WeakMap<LineIndex, readonly (readonly string[])[]>();

function fileSuppressions(text: string, lines: LineIndex): readonly (readonly string[])[] {
  const own = lines.text === text;
  const known = own ? fileLevel.get(lines) : undefined;
  if (known) return known;
  const found = text.includes('session-lint: ignore-file') ? suppressions(text, true) : [];
  if (own) fileLevel.set(lines, found);
  return found;
}
