/** What edits read from the syntax tree: the tree of a file, the string token a span starts with, a bracketed literal's brackets, items and commas, the value of a plain assignment. Pure. */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { ProjectModel } from '../layers/project';
import { parsePython, type ParsedFile } from '../python/parse';
import type { Span } from '../types';

/** What an edit reads: the project's layers (with their trees) and the text of any file it may touch. */
export interface EditSource {
  readonly project: ProjectModel;
  text(file: string): string | undefined;
}

export type Quote = "'" | '"';

const STRING_NODES = new Set(['String', 'FormatString']);
const LITERAL_NODES = new Set(['DictionaryExpression', 'ArrayExpression', 'TupleExpression']);
const CLOSERS: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')' };

/** Trees of files that are not layers (star-imported modules), parsed once per project model. */
const extraTrees = new WeakMap<ProjectModel, Map<string, ParsedFile>>();

/** A file's text and tree: a layer's own parse, else the file parsed once for this project. */
export function syntaxOf(source: EditSource, file: string): { text: string; tree: Tree } | undefined {
  const text = source.text(file);
  if (text === undefined) return undefined;
  const layer = source.project.files.find((f) => f.path === file)?.parsed;
  if (layer !== undefined && layer.text === text) return { text, tree: layer.tree };
  let cache = extraTrees.get(source.project);
  if (cache === undefined) extraTrees.set(source.project, (cache = new Map()));
  let parsed = cache.get(file);
  if (parsed === undefined || parsed.text !== text) cache.set(file, (parsed = parsePython(file, text)));
  return { text, tree: parsed.tree };
}

/** The outermost node of one of `names` that covers exactly [from, to). */
function nodeSpanning(
  tree: Tree,
  from: number,
  to: number,
  names: ReadonlySet<string>,
): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = tree.resolveInner(from, 1); n; n = n.parent) {
    if (n.from !== from) break;
    if (n.to === to && names.has(n.name)) return n;
    if (n.to > to) break;
  }
  return undefined;
}

/** The quote character of a string token starting at `node.from`. */
function quoteOfToken(text: string, node: SyntaxNode): Quote {
  const m = /^[rRbBuUfF]{0,2}(['"])/.exec(text.slice(node.from, Math.min(node.to, node.from + 4)));
  return m?.[1] === '"' ? '"' : "'";
}

/** The string token the tree has starting at `from`, if any. */
function stringAt(tree: Tree, from: number): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = tree.resolveInner(from, 1); n && n.from === from; n = n.parent)
    if (STRING_NODES.has(n.name)) return n;
  return undefined;
}

/**
 * The quote character of the string literal a span starts with (`'` when it starts with none), so that
 * text written next to it keeps the file's style.
 */
export function quoteOf(source: EditSource, span: Span | undefined): Quote {
  if (!span) return "'";
  const syntax = syntaxOf(source, span.file);
  const node = syntax && stringAt(syntax.tree, span.from);
  return syntax && node ? quoteOfToken(syntax.text, node) : "'";
}

/** The quote character of the first string literal inside [from, to), or `fallback` when there is none. */
export function firstQuoteIn(text: string, tree: Tree, from: number, to: number, fallback: Quote): Quote {
  let found: Quote | undefined;
  tree.iterate({
    from,
    to,
    enter: (n) => {
      if (found !== undefined || n.to <= from || n.from >= to) return false;
      if (!STRING_NODES.has(n.name) || n.from < from) return undefined;
      found = quoteOfToken(text, n.node);
      return false;
    },
  });
  return found ?? fallback;
}

/**
 * The quote the file habitually writes values with, commented-out settings included (they show the
 * habit too): quotes that follow `=`, `:`, `(`, `,` or `[` in the text, counted; `'` on a tie.
 */
export function prevailingQuote(text: string): Quote {
  const single = (text.match(/[=:(,[]\s*'/g) ?? []).length;
  const double = (text.match(/[=:(,[]\s*"/g) ?? []).length;
  return double > single ? '"' : "'";
}

/** A dict, list or tuple display as the tree has it: its brackets and the commas between its items. */
export interface BracketLiteral {
  readonly file: string;
  readonly text: string;
  /** Offsets of the opening and closing bracket. */
  readonly open: number;
  readonly close: number;
  /** Offsets of the literal's own commas, in order. */
  readonly commas: readonly number[];
  /** The tokens directly inside the brackets (items' first and last nodes, colons, commas), comments left out. */
  readonly children: readonly { readonly from: number; readonly to: number; readonly name: string }[];
}

/** The bracketed display written at exactly `span`, or undefined (a call, a comprehension, a name). */
export function bracketLiteral(source: EditSource, span: Span): BracketLiteral | undefined {
  const syntax = syntaxOf(source, span.file);
  const node = syntax && nodeSpanning(syntax.tree, span.from, span.to, LITERAL_NODES);
  const first = node?.firstChild;
  const last = node?.lastChild;
  if (!syntax || !node || !first || !last || first === last) return undefined;
  const opener = syntax.text.slice(first.from, first.to);
  if (CLOSERS[opener] === undefined || syntax.text.slice(last.from, last.to) !== CLOSERS[opener])
    return undefined;
  if (first.from !== span.from || last.to !== span.to) return undefined;
  const children: { from: number; to: number; name: string }[] = [];
  for (let c = first.nextSibling; c && c.from < last.from; c = c.nextSibling)
    if (c.name !== 'Comment') children.push({ from: c.from, to: c.to, name: c.name });
  const commas = children.filter((c) => c.name === ',').map((c) => c.from);
  return { file: span.file, text: syntax.text, open: first.from, close: last.from, commas, children };
}

/**
 * The value expression of the assignment statement at `statement` whose only target is the one at `target`
 * and whose operator is a plain `=` (an unparenthesised tuple included); undefined for chained, annotated
 * or augmented assignments.
 */
export function assignedValue(source: EditSource, statement: Span, target: Span): Span | undefined {
  const syntax = syntaxOf(source, statement.file);
  if (!syntax) return undefined;
  let stmt: SyntaxNode | null = syntax.tree.resolveInner(target.from, 1);
  while (stmt && stmt.name !== 'AssignStatement') stmt = stmt.parent;
  if (!stmt || stmt.from !== statement.from) return undefined;
  const parts: SyntaxNode[] = [];
  for (let c = stmt.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') parts.push(c);
  const [t, op, ...value] = parts;
  const first = value[0];
  const last = value[value.length - 1];
  if (!t || !op || !first || !last || t.from !== target.from || t.to !== target.to) return undefined;
  if (op.name !== 'AssignOp' || syntax.text.slice(op.from, op.to) !== '=') return undefined;
  // `A = B = 1` has a second target; `X = 1, 2` is one (unparenthesised) tuple.
  if (value.some((n) => n.name === 'AssignOp')) return undefined;
  return { file: statement.file, from: first.from, to: last.to };
}
