/** Text edits for fixes on settings literals (add/remove/replace items, delete a module-level statement, add `import os`), from value spans and file text only; returns undefined whenever the result might not be valid Python. */
import { OS_MODULE } from '../knowledge';
import { splitStringToken } from '../python/strings';
import type { DictEntry, DictValue, SeqValue, Span, TextEdit, Value } from '../types';
import type { RuleContext } from './framework';

export function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Offset of the line's '\n' (or the text's end). */
export function lineEndOf(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i;
}

const REST_OF_LINE_RE = /^[ \t]*(#.*)?$/;

/** The statement starts at column 0 (so it is at module level) and nothing but a comment follows it. */
export function isWholeLineStatement(text: string, span: Span): boolean {
  if (lineStartOf(text, span.from) !== span.from) return false;
  return REST_OF_LINE_RE.test(text.slice(span.to, lineEndOf(text, span.to)));
}

/** The module-level, unconditional assignment statement of `name` that produced `value`, if there is one. */
export function assignmentOf(ctx: RuleContext, name: string, value: Value): Span | undefined {
  const vs = value.span;
  if (!vs) return undefined;
  const ev = ctx.project.events.find(
    (e) =>
      e.name === name &&
      e.kind === 'assign' &&
      e.path.length === 0 &&
      e.span.file === vs.file &&
      e.span.from <= vs.from &&
      vs.to <= e.span.to,
  );
  if (!ev || ev.conditional) return undefined;
  const text = ctx.text(vs.file);
  return text !== undefined && isWholeLineStatement(text, ev.span) ? ev.span : undefined;
}

/** Deletes the whole lines of a module-level statement (from `assignmentOf`). */
export function deleteStatement(ctx: RuleContext, statement: Span): TextEdit | undefined {
  const text = ctx.text(statement.file);
  if (text === undefined || !isWholeLineStatement(text, statement)) return undefined;
  const end = lineEndOf(text, statement.to);
  return { file: statement.file, from: statement.from, to: end < text.length ? end + 1 : end, newText: '' };
}

/** The quote character a string token uses (`'` when it cannot tell), to keep the file's style. */
export function quoteOf(ctx: RuleContext, v: Value | undefined): "'" | '"' {
  const span = v?.span;
  const token = span ? (ctx.text(span.file)?.slice(span.from, span.to) ?? '') : '';
  return splitStringToken(token)?.quote.startsWith('"') ? '"' : "'";
}

const CLOSERS: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

interface Literal {
  readonly file: string;
  readonly text: string;
  readonly open: number;
  readonly close: number;
  /** [start, end) of each item, in source order. */
  readonly items: { start: number; end: number }[];
}

/** A dict/list/tuple written as a bracketed literal whose every item has a span inside it. */
function literalOf(ctx: RuleContext, v: DictValue | SeqValue): Literal | undefined {
  const span = v.span;
  if (!span || v.open) return undefined;
  const text = ctx.text(span.file);
  if (text === undefined) return undefined;
  const opener = text[span.from] ?? '';
  if (CLOSERS[opener] === undefined || text[span.to - 1] !== CLOSERS[opener]) return undefined;
  const items: { start: number; end: number }[] = [];
  const inside = (s: Span | undefined): s is Span =>
    s !== undefined && s.file === span.file && s.from > span.from && s.to < span.to;
  if (v.kind === 'dict') {
    for (const e of v.entries) {
      const k = e.keySpan ?? e.key.span;
      if (!inside(k) || !inside(e.value.span)) return undefined;
      items.push({ start: k.from, end: e.value.span.to });
    }
  } else {
    for (const i of v.items) {
      if (!inside(i.span)) return undefined;
      items.push({ start: i.span.from, end: i.span.to });
    }
  }
  items.sort((a, b) => a.start - b.start);
  return { file: span.file, text, open: span.from, close: span.to - 1, items };
}

/** Edits that add `itemText` (`'KEY': value` or a list item) as the last item of a literal. */
export function appendItem(
  ctx: RuleContext,
  v: DictValue | SeqValue,
  itemText: string,
): TextEdit[] | undefined {
  const lit = literalOf(ctx, v);
  if (!lit) return undefined;
  const { text, file } = lit;
  const last = lit.items[lit.items.length - 1];
  if (!last) {
    if (text.slice(lit.open + 1, lit.close).trim() !== '') return undefined;
    const suffix = v.kind === 'tuple' ? ',' : '';
    return [{ file, from: lit.open + 1, to: lit.close, newText: itemText + suffix }];
  }
  let j = last.end;
  while (text[j] === ' ' || text[j] === '\t') j++;
  const hasComma = text[j] === ',';
  const afterComma = hasComma ? j + 1 : last.end;
  if (!text.slice(last.end, lit.close).includes('\n')) {
    // One-line literal (or the closer right after the last item): keep it on that line.
    if (text.slice(afterComma, lit.close).trim() !== '') return undefined;
    return [{ file, from: afterComma, to: afterComma, newText: `${hasComma ? '' : ','} ${itemText}` }];
  }
  const eol = lineEndOf(text, afterComma);
  if (eol >= lit.close || !REST_OF_LINE_RE.test(text.slice(afterComma, eol))) return undefined;
  const itemLineStart = lineStartOf(text, last.start);
  const lead = text.slice(itemLineStart, last.start);
  const closeLead = /^[ \t]*/.exec(text.slice(lineStartOf(text, lit.close)))?.[0] ?? '';
  const indent = /^[ \t]*$/.test(lead) ? lead : `${closeLead}    `;
  const added = `\n${indent}${itemText},`;
  if (hasComma) return [{ file, from: eol, to: eol, newText: added }];
  if (eol === last.end) return [{ file, from: eol, to: eol, newText: `,${added}` }];
  return [
    { file, from: last.end, to: last.end, newText: ',' },
    { file, from: eol, to: eol, newText: added },
  ];
}

/** An edit that removes one item of a dict literal, with its comma (and its line when it has one to itself). */
export function removeItem(ctx: RuleContext, dict: DictValue, item: DictEntry): TextEdit | undefined {
  const lit = literalOf(ctx, dict);
  const k = item.keySpan ?? item.key.span;
  if (!lit || !k || !item.value.span) return undefined;
  const { text, file } = lit;
  const start = k.from;
  const end = item.value.span.to;
  let j = end;
  while (text[j] === ' ' || text[j] === '\t') j++;
  const hasComma = text[j] === ',';
  const afterComma = hasComma ? j + 1 : end;
  const ls = lineStartOf(text, start);
  const ownLine =
    ls > lit.open &&
    /^[ \t]*$/.test(text.slice(ls, start)) &&
    REST_OF_LINE_RE.test(text.slice(afterComma, lineEndOf(text, afterComma))) &&
    lineEndOf(text, afterComma) < lit.close;
  if (ownLine) return { file, from: ls, to: lineEndOf(text, afterComma) + 1, newText: '' };
  if (hasComma) {
    let k2 = afterComma;
    while (text[k2] === ' ' || text[k2] === '\t') k2++;
    return { file, from: start, to: k2, newText: '' };
  }
  let p = start - 1;
  while (p > lit.open && /\s/.test(text[p] ?? '')) p--;
  if (p === lit.open) return { file, from: start, to: end, newText: '' };
  if (text[p] === ',') return { file, from: p, to: end, newText: '' };
  return undefined;
}

/** An edit that replaces one whole `key: value` item of a dict literal. */
export function replaceItem(item: DictEntry, newText: string): TextEdit | undefined {
  const k = item.keySpan ?? item.key.span;
  const vs = item.value.span;
  if (!k || !vs || k.file !== vs.file || vs.to < k.from) return undefined;
  return { file: k.file, from: k.from, to: vs.to, newText };
}

/**
 * What it takes for `os` to be bound in `file` before offset `before`: `{}` when a module-level `import os`
 * already precedes it, `{ edit }` adding one before the first module-level statement (after `from __future__`
 * imports), undefined when no safe place exists. The edit rewrites that statement's first character rather
 * than inserting at a point, so two fixes adding the import overlap and fix-all applies only one per round.
 */
export function osImport(ctx: RuleContext, file: string, before: number): { edit?: TextEdit } | undefined {
  const text = ctx.text(file);
  if (text === undefined) return undefined;
  const events = ctx.project.events.filter(
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
export function environLookup(name: string, quote: "'" | '"'): string {
  return `${OS_MODULE}.environ[${quote}${name}${quote}]`;
}
