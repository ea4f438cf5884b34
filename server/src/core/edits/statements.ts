/** Edits on whole module-level statements: find the assignment that produced a value, delete it, make sure `os` is imported, write an environment lookup. Pure. */
import { OS_MODULE } from '../knowledge';
import type { Span, TextEdit, Value } from '../types';
import { isWholeLineStatement, lineEndOf, lineStartOf } from './lines';
import type { EditSource, Quote } from './syntax';

/** The module-level, unconditional assignment statement of `name` that produced `value`, if there is one. */
export function assignmentOf(source: EditSource, name: string, value: Value): Span | undefined {
  const vs = value.span;
  if (!vs) return undefined;
  const ev = source.project.events.find(
    (e) =>
      e.name === name &&
      e.kind === 'assign' &&
      e.path.length === 0 &&
      e.span.file === vs.file &&
      e.span.from <= vs.from &&
      vs.to <= e.span.to,
  );
  if (!ev || ev.conditional) return undefined;
  const text = source.text(vs.file);
  return text !== undefined && isWholeLineStatement(text, ev.span) ? ev.span : undefined;
}

/** Deletes the whole lines of a module-level statement (from `assignmentOf`). */
export function deleteStatement(source: EditSource, statement: Span): TextEdit | undefined {
  const text = source.text(statement.file);
  if (text === undefined || !isWholeLineStatement(text, statement)) return undefined;
  const end = lineEndOf(text, statement.to);
  return { file: statement.file, from: statement.from, to: end < text.length ? end + 1 : end, newText: '' };
}

/**
 * What it takes for `os` to be bound in `file` before offset `before`: `{}` when a module-level `import os`
 * already precedes it, `{ edit }` adding one before the first module-level statement (after `from __future__`
 * imports), undefined when no safe place exists. The edit rewrites that statement's first character rather
 * than inserting at a point, so two fixes adding the import overlap and fix-all applies only one per round.
 */
export function osImport(source: EditSource, file: string, before: number): { edit?: TextEdit } | undefined {
  const text = source.text(file);
  if (text === undefined) return undefined;
  const events = source.project.events.filter(
    (e) => e.span.file === file && !e.conditional && lineStartOf(text, e.span.from) === e.span.from,
  );
  // `import os`, `import os.path`, `import sys, os` bind `os`; `import os as o` does not.
  const isImportOs = (s: Span): boolean =>
    /^import\s+([\w.]+(\s+as\s+\w+)?\s*,\s*)*os(\.\w+)*\s*(,|#|$)/.test(
      text.slice(s.from, lineEndOf(text, s.from)).trim(),
    );
  if (
    events.some(
      (e) => e.name === OS_MODULE && e.kind === 'import' && e.span.to <= before && isImportOs(e.span),
    )
  )
    return {};
  const isFuture = (s: Span): boolean => /^from\s+__future__\s+import\b/.test(text.slice(s.from, s.to));
  const futureEnd = Math.max(0, ...events.filter((e) => isFuture(e.span)).map((e) => e.span.to));
  const first = events
    .filter((e) => e.span.from >= futureEnd && e.span.from <= before && !isFuture(e.span))
    .sort((a, b) => a.span.from - b.span.from)[0];
  if (!first) return undefined;
  const p = first.span.from;
  return { edit: { file, from: p, to: p + 1, newText: `import ${OS_MODULE}\n${text[p] ?? ''}` } };
}

/** `os.environ["NAME"]` in the quote style of the literal it replaces. */
export function environLookup(name: string, quote: Quote): string {
  return `${OS_MODULE}.environ[${quote}${name}${quote}]`;
}
