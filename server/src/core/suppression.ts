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

const FILE_MARK = 'session-lint: ignore-file';

/** What each text holds of file-level suppressions, found once per text (its line index stands for it). */
interface FileLevel {
  /** Whether the text holds FILE_MARK at all (none: no file-level suppression). */
  readonly marked: boolean;
  readonly codes: readonly (readonly string[])[];
}

const fileLevel = new WeakMap<LineIndex, FileLevel>();

/**
 * The file-level suppressions of `text`, not per finding. A text edited from one without FILE_MARK (`lines.edit`)
 * holds it only if the changed stretch brought it, so only that stretch is searched.
 */
function fileSuppressions(text: string, lines: LineIndex): readonly (readonly string[])[] {
  const own = lines.text === text;
  const known = own ? fileLevel.get(lines) : undefined;
  if (known) return known.codes;
  const marked = own && unmarkedBefore(lines) ? false : text.includes(FILE_MARK);
  const found = { marked, codes: marked ? suppressions(text, true) : [] };
  if (own) fileLevel.set(lines, found);
  return found.codes;
}

/** Whether `lines`'s text was edited from one without FILE_MARK and the edit did not bring one. */
function unmarkedBefore(lines: LineIndex): boolean {
  const edit = lines.edit;
  if (!edit || fileLevel.get(edit.previous)?.marked !== false) return false;
  const { from, toNew } = edit.change;
  const around = lines.text.slice(Math.max(0, from - FILE_MARK.length + 1), toNew + FILE_MARK.length - 1);
  return !around.includes(FILE_MARK);
}
