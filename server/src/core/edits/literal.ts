/** Edits inside dict/list/tuple displays (add, remove, replace an item): brackets and commas from the syntax tree, item bounds from the model; undefined whenever the result might not be valid Python. Pure. */
import type { DictEntry, DictValue, SeqValue, Span, TextEdit } from '../types';
import { REST_OF_LINE_RE, lineEndOf, lineStartOf } from './lines';
import { bracketLiteral, type BracketLiteral, type EditSource } from './syntax';

interface Literal extends BracketLiteral {
  /** [start, end) of each item, in source order. */
  readonly items: readonly { readonly start: number; readonly end: number }[];
}

/** A dict/list/tuple written as one bracketed display whose every item has a span inside it. */
function literalOf(source: EditSource, v: DictValue | SeqValue): Literal | undefined {
  const span = v.span;
  if (!span || v.open) return undefined;
  const lit = bracketLiteral(source, span);
  if (!lit) return undefined;
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
  return { ...lit, items };
}

/** Offset of the literal's comma that directly follows the item ending at `end`, if it has one. */
function commaAfter(lit: Literal, end: number): number | undefined {
  const next = lit.children.find((c) => c.from >= end);
  return next?.name === ',' ? next.from : undefined;
}

/** The literal's token directly before `start` (a comma, or an item's last node), if any. */
function tokenBefore(lit: Literal, start: number): { from: number; name: string } | undefined {
  let found: { from: number; name: string } | undefined;
  for (const c of lit.children) if (c.to <= start) found = c;
  return found;
}

/** Edits that add `itemText` (`'KEY': value` or a list item) as the last item of a literal. */
export function appendItem(
  source: EditSource,
  v: DictValue | SeqValue,
  itemText: string,
): TextEdit[] | undefined {
  const lit = literalOf(source, v);
  if (!lit) return undefined;
  const { text, file } = lit;
  const last = lit.items[lit.items.length - 1];
  if (!last) {
    if (text.slice(lit.open + 1, lit.close).trim() !== '') return undefined;
    const suffix = v.kind === 'tuple' ? ',' : '';
    return [{ file, from: lit.open + 1, to: lit.close, newText: itemText + suffix }];
  }
  const comma = commaAfter(lit, last.end);
  const afterComma = comma !== undefined ? comma + 1 : last.end;
  if (!text.slice(last.end, lit.close).includes('\n')) {
    // One-line literal (or the closer right after the last item): keep it on that line.
    if (text.slice(afterComma, lit.close).trim() !== '') return undefined;
    return [
      { file, from: afterComma, to: afterComma, newText: `${comma !== undefined ? '' : ','} ${itemText}` },
    ];
  }
  const eol = lineEndOf(text, afterComma);
  if (eol >= lit.close || !REST_OF_LINE_RE.test(text.slice(afterComma, eol))) return undefined;
  const lead = text.slice(lineStartOf(text, last.start), last.start);
  const closeLead = /^[ \t]*/.exec(text.slice(lineStartOf(text, lit.close)))?.[0] ?? '';
  const indent = /^[ \t]*$/.test(lead) ? lead : `${closeLead}    `;
  const added = `\n${indent}${itemText},`;
  if (comma !== undefined) return [{ file, from: eol, to: eol, newText: added }];
  if (eol === last.end) return [{ file, from: eol, to: eol, newText: `,${added}` }];
  return [
    { file, from: last.end, to: last.end, newText: ',' },
    { file, from: eol, to: eol, newText: added },
  ];
}

/** An edit that removes one item of a dict literal, with its comma (and its line when it has one to itself). */
export function removeItem(source: EditSource, dict: DictValue, item: DictEntry): TextEdit | undefined {
  const lit = literalOf(source, dict);
  const k = item.keySpan ?? item.key.span;
  if (!lit || !k || !item.value.span) return undefined;
  const { text, file } = lit;
  const start = k.from;
  const end = item.value.span.to;
  const comma = commaAfter(lit, end);
  const afterComma = comma !== undefined ? comma + 1 : end;
  const ls = lineStartOf(text, start);
  const eol = lineEndOf(text, afterComma);
  const ownLine =
    ls > lit.open &&
    /^[ \t]*$/.test(text.slice(ls, start)) &&
    REST_OF_LINE_RE.test(text.slice(afterComma, eol)) &&
    eol < lit.close;
  if (ownLine) return { file, from: ls, to: eol + 1, newText: '' };
  if (comma !== undefined) {
    const blanks = /^[ \t]*/.exec(text.slice(afterComma))?.[0].length ?? 0;
    return { file, from: start, to: afterComma + blanks, newText: '' };
  }
  // The last item: its comma is the one before it, unless it is the only item.
  const before = tokenBefore(lit, start);
  if (before === undefined) return { file, from: start, to: end, newText: '' };
  if (before.name === ',') return { file, from: before.from, to: end, newText: '' };
  return undefined;
}

/** An edit that replaces one whole `key: value` item of a dict literal. */
export function replaceItem(item: DictEntry, newText: string): TextEdit | undefined {
  const k = item.keySpan ?? item.key.span;
  const vs = item.value.span;
  if (!k || !vs || k.file !== vs.file || vs.to < k.from) return undefined;
  return { file: k.file, from: k.from, to: vs.to, newText };
}
