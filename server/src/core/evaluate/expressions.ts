/**
 * Expressions: literals, names (environment lookups), strings and f-strings, lists, tuples, dicts,
 * subscripts, attributes, operators and conditional expressions. Depth-guarded (MAX_EXPRESSION_DEPTH) and
 * charged to the work budget per node; calls are in call-expressions.ts.
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf, TEMPLATE_MASK } from '../python/parse';
import { decodeEscapes, decodeStringToken, splitStringToken } from '../python/strings';
import type { DictEntry, Span, Value } from '../types';
import { MAX_EXPRESSION_DEPTH } from './model';
import { fstringField } from './str-format';
import { binaryOp, concatParts, pyStr } from './operators';
import { EvaluatorState } from './state';
import { dictLookup, oneOf, truthy, unknown, withSpan } from './values';

export abstract class ExpressionEvaluator extends EvaluatorState {
  expr(node: SyntaxNode, depth: number): Value {
    if (depth > MAX_EXPRESSION_DEPTH) {
      const span = this.span(node);
      this.limit ??= { reason: `expression nested deeper than ${MAX_EXPRESSION_DEPTH}`, at: span };
      return unknown('expression too deeply nested', span);
    }
    if (!this.spend(node)) return unknown('work limit reached', this.span(node));
    const d = depth + 1;
    // The span is made where a case uses it: the containers and calls make their own. A node's type name is read
    // as `type.name` (a field) rather than `name` (a getter: a call per read in a fresh process' unoptimised code).
    switch (node.type.name) {
      case 'String':
        return this.stringValue(node, d, 'String');
      case 'FormatString':
        return this.stringValue(node, d, 'FormatString');
      case 'ContinuedString':
        return this.stringValue(node, d, 'ContinuedString');
      case 'Number': {
        // A leaf's positions are read once (each read is a getter call).
        const from = node.from;
        const to = node.to;
        return numberValue(this.parsed.source.slice(from, to), { file: this.parsed.file, from, to });
      }
      case 'Boolean': {
        const from = node.from;
        const to = node.to;
        const span = { file: this.parsed.file, from, to };
        return { kind: 'bool', value: this.parsed.source.slice(from, to) === 'True', span };
      }
      case 'None':
        return { kind: 'none', span: this.span(node) };
      case 'VariableName': {
        const from = node.from;
        const to = node.to;
        const name = this.parsed.source.slice(from, to);
        // A bound name's value is returned as it is: no span needed (lookup's first two checks, inlined).
        const bound = name.includes(TEMPLATE_MASK) ? undefined : this.env.get(name);
        return bound ? bound.value : this.lookup(name, { file: this.parsed.file, from, to });
      }
      case 'ParenthesizedExpression': {
        const span = this.span(node);
        const inner = childrenOf(node).filter((c) => c.name !== '(' && c.name !== ')');
        return inner.length === 1
          ? withSpan(this.expr(inner[0] as SyntaxNode, d), span)
          : unknown('expression', span);
      }
      case 'ArrayExpression':
        return this.sequence(node, 'list', d);
      case 'TupleExpression':
        return this.sequence(node, 'tuple', d);
      case 'DictionaryExpression':
        return this.dict(node, d);
      case 'MemberExpression':
        return this.member(node, d);
      case 'CallExpression':
        return this.call(node, d);
      case 'BinaryExpression':
        return this.binary(node, d);
      case 'UnaryExpression':
        return this.unary(node, d);
      case 'ConditionalExpression': {
        const span = this.span(node);
        const [a, , c, , b] = childrenOf(node);
        if (!a || !c || !b) return unknown('expression', span);
        const t = truthy(this.expr(c, d));
        if (t === true) return this.expr(a, d);
        if (t === false) return this.expr(b, d);
        return oneOf([this.expr(a, d), this.expr(b, d)], this.text(c), span);
      }
      default:
        return unknown(describeNode(node.type.name), this.span(node));
    }
  }

  protected lookup(name: string, span: Span): Value {
    if (name.includes(TEMPLATE_MASK)) return unknown('template expression', span);
    const b = this.env.get(name);
    if (b) return b.value;
    if (name === '__file__' || name === '__name__') return unknown(name, span);
    // Builtin types passed as values (`config('X', cast=int)`): named so calls receiving them can tell.
    if (CAST_BUILTINS.has(name)) return unknown(`builtin ${name}`, span, { module: `builtins.${name}` });
    const from = this.unresolved[this.unresolved.length - 1];
    return unknown(from ? `'${name}' may come from ${from.module}` : `'${name}' is not defined here`, span);
  }

  /** A string literal; `name` is the node's (known to the caller: reading it again costs a fresh process). */
  protected stringValue(node: SyntaxNode, depth: number, name: string = node.type.name): Value {
    // Its positions read once (each read is a getter call).
    const from = node.from;
    const to = node.to;
    const span = { file: this.parsed.file, from, to };
    if (name === 'ContinuedString') {
      const parts = childrenOf(node).map((c) => this.stringValue(c, depth));
      return withSpan(concatParts(parts, span), span);
    }
    const src = this.parsed.source;
    if (name === 'String') {
      // The usual literal, 'text' or "text" with no prefix, escape or template mask, is its body: read without
      // splitting and decoding the token.
      const q = src.charCodeAt(from);
      const len = to - from;
      if (
        (q === 39 || q === 34) &&
        len >= 2 &&
        src.charCodeAt(to - 1) === q &&
        !(len > 2 && src.charCodeAt(from + 1) === q)
      ) {
        const body = src.slice(from + 1, to - 1);
        if (!body.includes('\\') && !body.includes(TEMPLATE_MASK)) return { kind: 'str', value: body, span };
      }
    }
    const token = src.slice(from, to);
    if (name === 'String') {
      const decoded = decodeStringToken(token);
      if (!decoded) return unknown('unterminated string', span);
      if (decoded.value.includes(TEMPLATE_MASK)) return templatedString(decoded.value, span);
      return { kind: 'str', value: decoded.value, span };
    }
    // f-string: literal segments between replacement fields, `{{`/`}}` unescaped.
    const t = splitStringToken(token);
    if (!t) return unknown('unterminated f-string', span);
    const parts: Value[] = [];
    let pos = node.from + t.bodyStart;
    const end = node.from + t.bodyEnd;
    const literal = (from: number, to: number): void => {
      if (to > from) {
        const raw = this.parsed.source.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        parts.push({ kind: 'str', value: decodeEscapes(raw, t.raw, false) });
      }
    };
    for (const rep of childrenOf(node)) {
      if (rep.name !== 'FormatReplacement') continue;
      literal(pos, rep.from);
      parts.push(this.replacementField(rep, depth, t.raw));
      pos = rep.to;
    }
    literal(pos, end);
    return withSpan(concatParts(parts, span), span);
  }

  protected replacementField(rep: SyntaxNode, depth: number, raw: boolean): Value {
    const kids = childrenOf(rep).filter((k) => k.name !== '{' && k.name !== '}');
    const expr = kids[0];
    const extra = kids
      .slice(1)
      .filter((k) => !['FormatSelfDoc', 'FormatConversion', 'FormatSpec'].includes(k.name));
    if (!expr || extra.length > 0) return unknown('formatted field', this.span(rep));
    const v = this.expr(expr, depth);
    const selfDoc = kids.find((k) => k.name === 'FormatSelfDoc');
    const convNode = kids.find((k) => k.name === 'FormatConversion');
    const specNode = kids.find((k) => k.name === 'FormatSpec');
    if (selfDoc || convNode || specNode) {
      // `{x=}`: the text up to the conversion, spec or closing brace, then repr unless a spec is given.
      const rest = convNode ?? specNode;
      const prefix = selfDoc ? this.parsed.source.slice(rep.from + 1, rest ? rest.from : rep.to - 1) : '';
      const conv = convNode ? this.text(convNode).slice(1) : selfDoc && !specNode ? 'r' : undefined;
      const specParts: (string | Value)[] = [];
      if (specNode) {
        let pos = specNode.from + 1; // after ':'
        const literal = (to: number): void => {
          if (to > pos) specParts.push(decodeEscapes(this.parsed.source.slice(pos, to), raw, false));
        };
        for (const nested of childrenOf(specNode)) {
          if (nested.name !== 'FormatReplacement') continue;
          literal(nested.from);
          specParts.push(this.replacementField(nested, depth + 1, raw));
          pos = nested.to;
        }
        literal(specNode.to);
      }
      if (specParts.some((p) => typeof p === 'string' && /[{}]/.test(p)))
        return unknown('formatted field', this.span(rep));
      return fstringField(prefix, v, conv, specParts, this.span(rep));
    }
    return (
      pyStr(v) ??
      unknown(
        v.kind === 'unknown' ? v.reason : 'formatted field',
        this.span(rep),
        v.kind === 'unknown'
          ? { envVar: v.envVar, default: v.default ? (pyStr(v.default) ?? undefined) : undefined }
          : {},
      )
    );
  }

  protected sequence(node: SyntaxNode, kind: 'list' | 'tuple', depth: number): Value {
    const items: Value[] = [];
    let open = false;
    let prevName: string | undefined;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      const name = c.type.name;
      const prev = prevName;
      prevName = name;
      if (name === 'Comment' || SEQUENCE_PUNCTUATION.has(name)) continue;
      const v = this.expr(c, depth);
      if (prev === '*') {
        if ((v.kind === 'list' || v.kind === 'tuple') && !v.open) items.push(...v.items);
        else open = true;
        continue;
      }
      items.push(v);
    }
    return { kind, items, open: open || undefined, span: this.span(node) };
  }

  protected dict(node: SyntaxNode, depth: number): Value {
    // Built in one array with an index of the keys dict-store indexes: a literal with k entries costs O(k), not O(k²).
    const entries: DictEntry[] = [];
    // Keys are scanned while the literal is small (most are); past SCAN_ENTRIES, a Map finds them.
    let index: Map<LiteralKey, number> | undefined;
    let open = false;
    // The entries' nodes without braces, commas and comments, read in one walk (no child list to filter).
    const kids: SyntaxNode[] = [];
    // Their type names, read once each.
    const names: string[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) {
      const name = c.type.name;
      if (name !== '{' && name !== '}' && name !== ',' && name !== 'Comment') {
        kids.push(c);
        names.push(name);
      }
    }
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i] as SyntaxNode;
      if (names[i] === '**') {
        const spread = kids[i + 1];
        i++;
        if (!spread) continue;
        const v = this.expr(spread, depth);
        if (v.kind === 'dict') {
          for (const e of v.entries) {
            if (!index && entries.length >= SCAN_ENTRIES) index = indexEntries(entries);
            if (putEntry(entries, index, e.key, e.value, e.keySpan)) open = true;
          }
          if (v.open) open = true;
        } else open = true;
        continue;
      }
      if (names[i + 1] === ':' && kids[i + 2]) {
        const key = this.expr(k, depth);
        const value = this.expr(kids[i + 2] as SyntaxNode, depth);
        if (!index && entries.length >= SCAN_ENTRIES) index = indexEntries(entries);
        if (putEntry(entries, index, key, value, this.keySpan(key, k))) open = true;
        i += 2;
      }
    }
    return { kind: 'dict', entries, open: open || undefined, span: this.span(node) };
  }

  /**
   * The span of a key's node: the key's own span when it is that node's (a literal key), so each entry of a
   * settings dict keeps one span object, not two alike (every span lives as long as the analysis).
   */
  protected keySpan(key: Value, node: SyntaxNode): Span {
    const s = key.span;
    return s !== undefined && s.from === node.from && s.to === node.to && s.file === this.parsed.file
      ? s
      : this.span(node);
  }

  protected member(node: SyntaxNode, depth: number): Value {
    const span = this.span(node);
    const { obj, keyNode, prop, bracket, colon } = memberParts(node);
    if (!obj) return unknown('expression', span);
    if (bracket) {
      const container = this.expr(obj, depth);
      const isSlice = colon || keyNode?.type.name === 'SliceExpression';
      const key = keyNode && !isSlice ? this.expr(keyNode, depth) : unknown('slice');
      return subscript(container, key, span);
    }
    const base = this.expr(obj, depth);
    if (base.kind === 'unknown' && base.module && prop) {
      const module = `${base.module}.${this.text(prop)}`;
      return unknown(module, span, { module });
    }
    return unknown(`attribute ${prop ? this.text(prop) : ''}`, span);
  }

  protected binary(node: SyntaxNode, depth: number): Value {
    const kids = childrenOf(node);
    const left = kids[0];
    const right = kids[kids.length - 1];
    if (!left || !right || kids.length < 3) return unknown('expression', this.span(node));
    const op = kids
      .slice(1, -1)
      .map((k) => this.text(k))
      .join(' ');
    const l = this.expr(left, depth);
    if (op === 'and' || op === 'or') {
      const t = truthy(l);
      if (t === undefined) {
        const r = this.expr(right, depth);
        return oneOf([l, r], this.text(left), this.span(node));
      }
      if ((op === 'and' && !t) || (op === 'or' && t)) return l;
      return this.expr(right, depth);
    }
    return withSpan(binaryOp(op, l, this.expr(right, depth)), this.span(node));
  }

  protected unary(node: SyntaxNode, depth: number): Value {
    const kids = childrenOf(node);
    const op = kids[0] ? this.text(kids[0]) : '';
    const operand = kids[1] ? this.expr(kids[1], depth) : unknown('expression');
    const span = this.span(node);
    if (op === 'not') {
      const t = truthy(operand);
      return t === undefined ? unknown('not of an unknown value', span) : { kind: 'bool', value: !t, span };
    }
    if ((op === '-' || op === '+') && (operand.kind === 'int' || operand.kind === 'float')) {
      return { kind: operand.kind, value: op === '-' ? -operand.value : operand.value, span };
    }
    return unknown(`${op} expression`, span);
  }

  /** A call expression (call-expressions.ts). */
  protected abstract call(node: SyntaxNode, depth: number): Value;
}

/** A dict literal's key as the index holds it: one JS value per Python-equal simple key. */
type LiteralKey = string | number | null;

/**
 * dict-store's `simpleKey` without making a string: a str key is its value, a number (int, float, bool: 1 ==
 * 1.0 == True, 0 == -0, which a Map takes as equal) is the number, None is null; the kinds never collide in a
 * Map. Undefined for keys simpleKey gives none (NaN, containers, unknowns).
 */
function literalKey(key: Value): LiteralKey | undefined {
  switch (key.kind) {
    case 'str':
      return key.value;
    case 'int':
    case 'float':
      return Number.isNaN(key.value) ? undefined : key.value;
    case 'bool':
      return key.value ? 1 : 0;
    case 'none':
      return null;
    default:
      return undefined;
  }
}

/**
 * Entries of a dict literal whose keys are scanned (`===` on literalKey is the Map's SameValueZero, NaN aside,
 * which literalKey leaves out); a larger one gets a Map (a Map per literal cost more than the scan).
 */
const SCAN_ENTRIES = 8;

/** The Map of a dict literal's entries so far: literalKey → position (each key once: putEntry merges equal keys). */
function indexEntries(entries: readonly DictEntry[]): Map<LiteralKey, number> {
  const index = new Map<LiteralKey, number>();
  for (let i = 0; i < entries.length; i++) {
    const s = literalKey((entries[i] as DictEntry).key);
    if (s !== undefined) index.set(s, i);
  }
  return index;
}

/**
 * Puts an entry of a dict literal: keys equal in Python share an entry (`{1: a, True: b}` is `{1: b}`; the index
 * is dict-store's). True when the key makes the dict open (an unknown key).
 */
function putEntry(
  entries: DictEntry[],
  index: Map<LiteralKey, number> | undefined,
  key: Value,
  value: Value,
  keySpan: Span | undefined,
): boolean {
  const s = literalKey(key);
  if (s !== undefined) {
    let at: number | undefined;
    if (index) at = index.get(s);
    else
      for (let i = 0; i < entries.length; i++)
        if (literalKey((entries[i] as DictEntry).key) === s) {
          at = i;
          break;
        }
    if (at !== undefined) {
      const old = entries[at] as DictEntry;
      entries[at] = { key: old.key, value, keySpan: old.keySpan };
      return false;
    }
    index?.set(s, entries.length);
  }
  entries.push({ key, value, keySpan });
  return s === undefined && (key.kind === 'unknown' || key.kind === 'oneOf');
}

const SEQUENCE_PUNCTUATION = new Set(['[', ']', '(', ')', ',', '*']);

const DECIMAL_DIGITS = /^[0-9]+$/;

const CAST_BUILTINS = new Set(['int', 'float', 'bool', 'str', 'list', 'tuple', 'dict']);

function describeNode(name: string): string {
  switch (name) {
    case 'ArrayComprehensionExpression':
    case 'DictionaryComprehensionExpression':
    case 'SetComprehensionExpression':
    case 'ComprehensionExpression':
      return 'comprehension';
    case 'LambdaExpression':
      return 'lambda';
    case 'SetExpression':
      return 'set';
    default:
      return name.replace(/Expression$/, ' expression').toLowerCase();
  }
}

function templatedString(value: string, span: Span): Value {
  const parts: (string | null)[] = [];
  for (const piece of value.split(new RegExp(`${TEMPLATE_MASK}+`))) {
    if (parts.length > 0) parts.push(null);
    if (piece) parts.push(piece);
  }
  return unknown('template expression', span, { parts });
}

export function numberValue(text: string, span: Span): Value {
  if (DECIMAL_DIGITS.test(text)) return { kind: 'int', value: parseInt(text, 10), span };
  const t = text.replace(/_/g, '').toLowerCase();
  if (/j$/.test(t)) return unknown('complex number', span);
  if (/^0x[0-9a-f]+$/.test(t)) return { kind: 'int', value: parseInt(t.slice(2), 16), span };
  if (/^0o[0-7]+$/.test(t)) return { kind: 'int', value: parseInt(t.slice(2), 8), span };
  if (/^0b[01]+$/.test(t)) return { kind: 'int', value: parseInt(t.slice(2), 2), span };
  if (/^\d+l?$/.test(t)) return { kind: 'int', value: parseInt(t, 10), span };
  const f = Number(t);
  return Number.isFinite(f) ? { kind: 'float', value: f, span } : unknown('number', span);
}

export function subscript(container: Value, key: Value, span: Span): Value {
  if (container.kind === 'unknown') {
    if (container.module === 'os.environ' && key.kind === 'str') {
      return unknown(`environment variable ${key.value}`, span, { envVar: key.value, whenSet: 'str' });
    }
    return unknown(container.reason, span);
  }
  if (container.kind === 'dict') {
    const found = dictLookup(container, key);
    if (found.found === true) return found.entry.value;
    return unknown(found.found === 'maybe' ? 'key may be set elsewhere' : 'missing key', span);
  }
  if (
    (container.kind === 'list' || container.kind === 'tuple' || container.kind === 'str') &&
    key.kind === 'int'
  ) {
    const len = container.kind === 'str' ? container.value.length : container.items.length;
    const idx = key.value < 0 ? len + key.value : key.value;
    if (container.kind === 'str')
      return idx >= 0 && idx < len
        ? { kind: 'str', value: container.value[idx] as string, span }
        : unknown('index out of range', span);
    if (!container.open && idx >= 0 && idx < len) return container.items[idx] as Value;
  }
  if (container.kind === 'oneOf')
    return oneOf(
      container.options.map((o) => subscript(o, key, span)),
      container.condition,
      span,
    );
  return unknown('subscript', span);
}

/** The parts of a MemberExpression (`obj[key]`, `obj[a:b]`, `obj.attr`). */
export interface MemberParts {
  /** The object: the first child. */
  readonly obj: SyntaxNode | undefined;
  /** A subscript's key: the first child after the object that is not a bracket. */
  readonly keyNode: SyntaxNode | undefined;
  /** An attribute's name: the last child. */
  readonly prop: SyntaxNode | undefined;
  /** A subscript (`[`), and a slice's `:` in it. */
  readonly bracket: boolean;
  readonly colon: boolean;
}

/** A MemberExpression's parts in one walk over its children, comments skipped (no child list made). */
export function memberParts(node: SyntaxNode): MemberParts {
  let obj: SyntaxNode | undefined;
  let keyNode: SyntaxNode | undefined;
  let prop: SyntaxNode | undefined;
  let bracket = false;
  let colon = false;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    const name = c.type.name;
    if (name === 'Comment') continue;
    if (!obj) obj = c;
    else if (name !== '[' && name !== ']') keyNode ??= c;
    if (name === '[') bracket = true;
    else if (name === ':') colon = true;
    prop = c;
  }
  return { obj, keyNode, prop, bracket, colon };
}
