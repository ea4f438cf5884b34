/**
 * A fast path for @lezer/python: builds lezer's own tree for the simple top-level statements settings files are
 * made of, without running its LR automaton. A settings file is mostly `NAME = literal`, `NAME = call(args)`,
 * dict/list/tuple displays over several lines, `NAME['k'] = …`, attribute access, imports, comments and blank
 * lines; a small recursive-descent recogniser reads those and writes the node records lezer would write (same
 * types, positions, nesting, comments where lezer puts them) into a buffer for `Tree.build`. Every top-level
 * statement it does not fully recognise — compound statements, f-strings, lambdas, comprehensions, slices,
 * operators it does not cover, line continuations, tabs in code, non-ASCII names, any syntax error — is parsed
 * by lezer, from its line to the next place a top-level statement starts (the cuts the segmented parse uses,
 * `nextCut`), and spliced in at its offset. Linear; nesting beyond MAX_NEST and any exception mean "decline".
 * The trees equal `parser.parse(text)` node for node (`test/unit/fast-parse.test.ts`).
 */
import { NodeType, Tree, type TreeBuffer } from '@lezer/common';
import { parser } from '@lezer/python';
import { firstUnterminatedString, hasError } from './source-checks';
import { Ch, Decline, KEYWORDS, Lexer, Tk } from './fast-parse-lexer';
import { Records } from './fast-parse-records';
import { BINARY_LEVELS, COMPARE_OPS, fastIds, type FastIds, type OpIds } from './fast-parse-ids';

/**
 * What the fast path needs from the segmenter: the first place after `from` (a statement start, scanner state
 * clean) where a top-level statement may be cut, or the end of the text.
 */
export type NextCut = (text: string, from: number) => number;

/** Recursion levels of the recogniser per statement (two per bracket level); deeper: lezer parses it. */
const MAX_NEST = 100;

/** The whole text goes to lezer: a part it parsed has a syntax error (its recovery may differ), or a line continuation. */
class WholeText {
  constructor(readonly reason: string) {}
}

const UPDATE_OPS = new Set([
  '+=',
  '-=',
  '*=',
  '/=',
  '//=',
  '%=',
  '@=',
  '&=',
  '|=',
  '^=',
  '<<=',
  '>>=',
  '**=',
]);
/** Binding levels of binary operators: `or` 1, `and` 2, comparisons 3, then BINARY_LEVELS from 4. */
const COMPARE_LEVEL = 3;
const PRECEDENCE = new Map<string, number>([
  ...COMPARE_OPS.map((op): [string, number] => [op, COMPARE_LEVEL]),
  ...BINARY_LEVELS.flatMap((ops, k) => ops.map((op): [string, number] => [op, COMPARE_LEVEL + 1 + k])),
]);
const WORD_PRECEDENCE = new Map<string, number>([
  ['or', 1],
  ['and', 2],
  ['in', COMPARE_LEVEL],
  ['not', COMPARE_LEVEL],
  ['is', COMPARE_LEVEL],
]);

/** The outcome of a fast parse: the tree, or why it declined the whole text (then lezer parses it). */
export type FastParse =
  | {
      tree: Tree;
      /**
       * Its first unterminated string literal as `firstUnterminatedString` finds it (null for none): the fast
       * path takes only strings that check calls terminated, so it is looked for in the parts lezer parsed.
       */
      unterminated: { from: number; to: number } | null;
      declined?: undefined;
    }
  | { tree?: undefined; unterminated?: undefined; declined: string };

/**
 * The tree @lezer/python gives `text`, built by the fast path where it can and by lezer elsewhere; `declined`
 * when lezer should parse the whole text (a part it parsed has a syntax error, whose recovery may differ when
 * parsed alone; a carriage return; unknown grammar ids). Never throws.
 */
export function fastParse(text: string, nextCut: NextCut): FastParse {
  const ids = fastIds();
  if (!ids) return { declined: 'node types of this @lezer/python version not recognised' };
  // Lezer reads a carriage return as a line break; the recogniser does not.
  if (text.includes('\r')) return { declined: 'carriage return' };
  try {
    const result = new Recogniser(text, ids, nextCut).run();
    if (result.tree) fastTrees.add(result.tree);
    return result;
  } catch (e) {
    return { declined: declineReason(e) };
  }
}

/** The trees the fast path built (not lezer's: no look-ahead records for lezer's incremental parsing). */
const fastTrees = new WeakSet<Tree>();

/** Whether `tree` was built by the fast path: lezer would reuse little of it as fragments. */
export function isFastTree(tree: Tree): boolean {
  return fastTrees.has(tree);
}

/** Statistics of one run, for tests and the bench: statements recognised and parts handed to lezer. */
export interface FastParseStats {
  recognised: number;
  fallbacks: number;
  /** Why each fallback was taken (the first statement of each lezer part). */
  reasons: string[];
}

/** Test hook: the same as `fastParse`, with what it recognised and why it handed parts to lezer. */
export function fastParseWithStats(text: string, nextCut: NextCut): FastParse & { stats: FastParseStats } {
  const ids = fastIds();
  const stats: FastParseStats = { recognised: 0, fallbacks: 0, reasons: [] };
  if (!ids) return { declined: 'node types of this @lezer/python version not recognised', stats };
  if (text.includes('\r')) return { declined: 'carriage return', stats };
  try {
    return { ...new Recogniser(text, ids, nextCut, stats).run(), stats };
  } catch (e) {
    return { declined: declineReason(e), stats };
  }
}

class Recogniser extends Lexer {
  /** Subtrees parsed by lezer, referenced from `buf` by index. */
  private readonly reused: Tree[] = [];
  private nest = 0;
  /** The first character of the line `nextLine` found. */
  private codeStart = 0;
  /** End of the last token taken. */
  private lastEnd = 0;
  /** The first unterminated string of the parts lezer parsed. */
  private unterminated: { from: number; to: number } | null = null;
  /** A run of statements lezer parses, not yet parsed: from, to. */
  private pendingFrom = -1;
  private pendingTo = -1;

  constructor(
    text: string,
    ids: FastIds,
    private readonly nextCut: NextCut,
    private readonly stats?: FastParseStats,
  ) {
    // Node records for Tree.build, postfix: type, from, to, size (4 × (1 + descendants)).
    super(text, ids, new Records());
  }

  run(): FastParse {
    const { text, n } = this;
    let i = 0;
    while (i < n) {
      const lineStart = i;
      let p = i;
      while (p < n && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
      if (p >= n) break;
      const c = text.charCodeAt(p);
      if (c === 10) {
        i = p + 1;
        continue;
      }
      if (c === 35) {
        i = this.commentLine(p);
        continue;
      }
      const end =
        p === lineStart ? this.statement(lineStart) : this.declined('indented line at the top level');
      if (end >= 0) {
        i = end;
        continue;
      }
      // Lezer parses from here to the next cut (joined with the run before, if any).
      const to = Math.max(this.nextCut(text, lineStart), lineStart + 1);
      if (this.pendingFrom < 0) this.pendingFrom = lineStart;
      this.pendingTo = to;
      i = to;
    }
    if (this.pendingFrom >= 0) this.flushPending(this.buf.length);
    const { nodeSet } = parser;
    const tree =
      this.buf.tree(nodeSet, nodeSet.types[this.ids.Script] as NodeType, n, this.reused) ??
      Tree.build({
        buffer: this.buf.cursor(),
        nodeSet,
        topID: this.ids.Script,
        length: n,
        reused: this.reused,
      });
    this.buf.release();
    return { tree, unterminated: this.unterminated };
  }

  private declined(reason: string): number {
    if (this.stats) {
      this.stats.fallbacks++;
      this.stats.reasons.push(reason);
    }
    return -1;
  }

  /** A comment line at the top level (blank line in lezer's terms): a Comment node of the Script. */
  private commentLine(p: number): number {
    let e = this.text.indexOf('\n', p);
    if (e < 0) e = this.n;
    if (this.pendingFrom >= 0) this.flushPending(this.buf.length);
    this.buf.push(this.ids.Comment, p, e, 4);
    return e + 1;
  }

  /** Parses the run of statements left to lezer and inserts its nodes at record index `at`. */
  private flushPending(at: number): void {
    const from = this.pendingFrom;
    const part = this.text.slice(from, this.pendingTo);
    // A line continuation can join what follows the part (`x\\` and a blank line): lezer parses the whole text.
    if (part.includes('\\\n')) throw new WholeText('line continuation in a part lezer parses');
    const sub = parser.parse(part);
    this.pendingFrom = -1;
    if (hasError(sub)) throw new WholeText('a part parsed by lezer has a syntax error');
    if (!this.unterminated) {
      const u = firstUnterminatedString(sub, part);
      if (u) this.unterminated = { from: u.from + from, to: u.to + from };
    }
    const records: number[] = [];
    for (let k = 0; k < sub.children.length; k++) {
      const child = sub.children[k] as Tree | TreeBuffer;
      const start = from + (sub.positions[k] ?? 0);
      const tree = child instanceof Tree ? child : new Tree(NodeType.none, [child], [0], child.length);
      records.push(this.reused.length, start, start + tree.length, -1);
      this.reused.push(tree);
    }
    this.buf.insert(at, records);
  }

  /** The statement starting at `start` (column 0): the position after it (and its newline), or -1 if declined. */
  private statement(start: number): number {
    const mark = this.buf.length;
    try {
      this.pos = start;
      this.depth = 0;
      this.nest = 0;
      this.esc.length = 0;
      this.next();
      let end: number;
      if (this.isName('if') || this.isName('try')) {
        const next = this.compound([0]);
        end = next < 0 ? this.n : this.codeStart - next;
      } else {
        this.simpleStatement();
        if (this.tk !== Tk.Newline && this.tk !== Tk.Eof) throw new Decline('more after the statement');
        end = this.tk === Tk.Newline ? this.tTo : this.n;
      }
      if (this.pendingFrom >= 0) this.flushPending(mark);
      if (this.stats) this.stats.recognised++;
      return end;
    } catch (e) {
      if (!(e instanceof Decline)) throw e;
      this.buf.length = mark;
      return this.declined(e.reason);
    }
  }

  private simpleStatement(): void {
    const mark = this.buf.length;
    const from = this.tFrom;
    if (this.tk === Tk.Name && (this.tText === 'import' || this.tText === 'from')) {
      if (this.tText === 'import') this.importStatement();
      else this.fromStatement();
      this.finish(this.ids.ImportStatement, mark, from);
      return;
    }
    if (this.isName('pass')) {
      this.take(this.ids.pass);
      this.finish(this.ids.PassStatement, mark, from);
      return;
    }
    if (this.tk === Tk.Name && KEYWORDS.has(this.tText) && !/^(None|True|False)$/.test(this.tText))
      throw new Decline(`statement starting with the keyword ${this.tText}`);
    this.testList();
    if (this.op === Ch.EQUALS) {
      while (this.op === Ch.EQUALS) {
        this.take(this.ids.AssignOp);
        this.testList();
      }
      this.finish(this.ids.AssignStatement, mark, from);
    } else if (this.tk === Tk.Op && UPDATE_OPS.has(this.tText)) {
      this.take(this.ids.UpdateOp);
      this.testList();
      this.finish(this.ids.UpdateStatement, mark, from);
    } else this.finish(this.ids.ExpressionStatement, mark, from);
  }

  // ------------------------------------------------------------------------------------------ blocks

  /**
   * An `if` or `try` statement (its keyword is the current token) with its clauses; `levels`: the indentation of
   * the enclosing blocks, this statement's last. Returns the indentation of the next line with code (its first
   * token current), -1 at the end of the text.
   */
  private compound(levels: number[]): number {
    this.enter();
    const { ids } = this;
    const mark = this.buf.length;
    const from = this.tFrom;
    const indent = levels[levels.length - 1] as number;
    const isIf = this.isName('if');
    this.take(isIf ? ids.if : ids.try);
    if (isIf) this.test();
    let next = this.body(levels);
    const clause = (word: string): boolean => next === indent && this.isName(word);
    if (isIf) {
      while (clause('elif')) {
        this.take(ids.elif);
        this.test();
        next = this.body(levels);
      }
    } else {
      while (clause('except')) {
        this.take(ids.except);
        if (this.op !== Ch.COLON) this.exceptClause();
        next = this.body(levels);
      }
    }
    if (clause('else')) {
      this.take(ids.else);
      next = this.body(levels);
    }
    if (!isIf && clause('finally')) {
      this.take(ids.finally);
      next = this.body(levels);
    }
    // An indented line after a same-line body: lezer's statement then ends at that line (unexpected indent).
    if (next > indent) throw new Decline('indented line after a block');
    // Lezer reads a legacy `print x` before it looks at indentation: such a line joins the block before it.
    if (this.isName('print')) throw new Decline('print after a block');
    this.finish(isIf ? ids.IfStatement : ids.TryStatement, mark, from);
    this.nest--;
    return next;
  }

  private exceptClause(): void {
    this.test();
    if (this.isName('as')) {
      this.take(this.ids.exceptAs);
      this.variableName();
    }
  }

  /**
   * A Body (its `:` is the current token): a simple statement on the same line, or an indented block. It ends
   * with the line break of its last line (lezer's last token of it); the comment lines after it go after it.
   */
  private body(levels: number[]): number {
    const mark = this.buf.length;
    const from = this.tFrom;
    this.expectOp(Ch.COLON, this.ids.bodyColon);
    let next: number;
    if (this.tk !== Tk.Newline) {
      if (this.isName('if') || this.isName('try')) throw new Decline('compound statement after a colon');
      next = this.lineStatement();
    } else {
      const outer = levels[levels.length - 1] as number;
      next = this.afterNewline();
      if (next <= outer) throw new Decline('expected an indented block');
      const inner = next;
      levels.push(inner);
      while (next === inner)
        next = this.isName('if') || this.isName('try') ? this.compound(levels) : this.lineStatement();
      levels.pop();
      if (next >= 0 && !levels.includes(next))
        throw new Decline('indentation that matches no enclosing block');
    }
    this.finish(this.ids.Body, mark, from);
    return next;
  }

  /** A simple statement and its line break: the indentation of the next line with code (-1 at the end). */
  private lineStatement(): number {
    this.simpleStatement();
    if (this.tk === Tk.Eof) return -1;
    if (this.tk !== Tk.Newline) throw new Decline('more after the statement');
    return this.afterNewline();
  }

  /** Takes the current line break (the last token of a block's line) and finds the next line with code. */
  private afterNewline(): number {
    this.lastEnd = this.tTo;
    this.pos = this.tTo;
    const indent = this.nextLine();
    if (indent >= 0) this.next();
    return indent;
  }

  /**
   * From a line start: skips blank and comment lines (recording the comments); the indentation of the next
   * line with code, with `pos` and `codeStart` at its first character; -1 at the end of the text.
   */
  private nextLine(): number {
    const { text, n } = this;
    let p = this.pos;
    for (;;) {
      const lineStart = p;
      let tab = false;
      for (let c = text.charCodeAt(p); c === 32 || c === 9; c = text.charCodeAt(++p)) tab ||= c === 9;
      if (p >= n) {
        // Spaces ending the text after a block: lezer's block then ends at that line (a dedent token's doing).
        if (p > lineStart) throw new Decline('spaces at the end of the text after a block');
        this.pos = n;
        return -1;
      }
      const c = text.charCodeAt(p);
      if (c === 10) p++;
      else if (c === 35) {
        let e = text.indexOf('\n', p);
        if (e < 0) e = n;
        this.buf.push(this.ids.Comment, p, e, 4);
        p = e;
      } else {
        if (tab) throw new Decline('tab in indentation');
        this.pos = p;
        this.codeStart = p;
        return p - lineStart;
      }
    }
  }

  private importStatement(): void {
    this.take(this.ids.import);
    for (;;) {
      this.importedName();
      if (this.op !== Ch.COMMA) return;
      this.take(this.ids[',']);
      if (this.tk === Tk.Newline || this.tk === Tk.Eof) return;
    }
  }

  private fromStatement(): void {
    this.take(this.ids.from);
    let dots = 0;
    while (this.op === Ch.DOT) {
      this.take(this.ids['.']);
      dots++;
    }
    if (dots > 2) throw new Decline('relative import of more than two dots');
    if (dots === 0 || !this.isName('import')) this.dottedName();
    if (!this.isName('import')) throw new Decline('from without import');
    this.take(this.ids.import);
    if (this.op === Ch.STAR) {
      this.take(this.ids['*']);
      return;
    }
    const paren = this.op === Ch.OPEN_PAREN;
    if (paren) this.take(this.ids['(']);
    for (;;) {
      this.importedName();
      if (this.op !== Ch.COMMA) break;
      this.take(this.ids[',']);
      if (paren ? this.op === Ch.CLOSE_PAREN : this.tk === Tk.Newline || this.tk === Tk.Eof) break;
    }
    if (paren) this.expectOp(Ch.CLOSE_PAREN, this.ids[')']);
  }

  private importedName(): void {
    this.dottedName();
    if (this.isName('as')) {
      this.take(this.ids.as);
      this.variableName();
    }
  }

  private dottedName(): void {
    this.variableName();
    while (this.op === Ch.DOT) {
      this.take(this.ids['.']);
      this.variableName();
    }
  }

  private variableName(): void {
    if (this.tk !== Tk.Name || KEYWORDS.has(this.tText)) throw new Decline('expected a name');
    this.take(this.ids.VariableName);
  }

  /** `commaSep<test>` without a node of its own: `a, b, c,`. */
  private testList(): void {
    this.test();
    while (this.op === Ch.COMMA) {
      this.take(this.ids[',']);
      if (!this.startsTest()) return;
      this.test();
    }
  }

  private startsTest(): boolean {
    switch (this.tk) {
      case Tk.Name:
        return !KEYWORDS.has(this.tText) || /^(None|True|False)$/.test(this.tText);
      case Tk.Number:
      case Tk.String:
        return true;
      case Tk.Op:
        return /^[-+~([{]$/.test(this.tText);
      default:
        return false;
    }
  }

  private enter(): void {
    if (++this.nest > MAX_NEST) throw new Decline('nested too deep');
  }

  /** `test` without conditional expressions, lambdas and `not`. */
  private test(): void {
    if (this.loneAtom()) return;
    this.enter();
    this.operators(1);
    if (this.isName('if') || this.isName('for')) throw new Decline(`${this.tText} in an expression`);
    this.nest--;
  }

  /**
   * A name, number or single string followed by what ends an expression (`,` `)` `]` `}` `:`, a lone `=`, a
   * comment or the end of the line outside brackets), taken as `test` takes it without the descent through
   * every operator level: most values and targets of a settings file.
   */
  private loneAtom(): boolean {
    const { tk, text } = this;
    if (tk === Tk.Name) {
      if (KEYWORDS.has(this.tText) && !/^(None|True|False)$/.test(this.tText)) return false;
    } else if (tk !== Tk.Number && tk !== Tk.String) return false;
    if (this.nest + 2 > MAX_NEST) return false;
    let q = this.pos;
    let c = text.charCodeAt(q);
    while (c === 32 || c === 9) c = text.charCodeAt(++q);
    if (c === 61) {
      if (text.charCodeAt(q + 1) === 61) return false;
    } else if (c !== 44 && c !== 41 && c !== 93 && c !== 125 && c !== 58) {
      if (this.depth !== 0 || !(c === 10 || c === 35 || q >= this.n)) return false;
    }
    if (tk === Tk.Name) this.name();
    else if (tk === Tk.Number) this.take(this.ids.Number);
    else this.takeString();
    return true;
  }

  /**
   * Binary operators binding at least as tightly as `min` (PRECEDENCE), left-associative, by precedence
   * climbing: `or`, `and` and comparisons make a BinaryExpression of `test`, the others one of `expression`.
   */
  private operators(min: number): void {
    const mark = this.buf.length;
    const from = this.tFrom;
    this.factor();
    for (;;) {
      const level =
        this.tk === Tk.Op
          ? (PRECEDENCE.get(this.tText) ?? 0)
          : this.tk === Tk.Name
            ? (WORD_PRECEDENCE.get(this.tText) ?? 0)
            : 0;
      if (level < min || level === 0) return;
      this.operator(level);
      this.operators(level + 1);
      this.finish(level <= COMPARE_LEVEL ? this.ids.TestExpression : this.ids.BinaryExpression, mark, from);
    }
  }

  /** Records the operator at the current token (two tokens for `not in`, `is not`). */
  private operator(level: number): void {
    const { ids } = this;
    if (level > COMPARE_LEVEL) this.takeOp(ids.binaryOp.get(this.tText) as OpIds);
    else if (this.tk === Tk.Op) this.take(ids.CompareOp);
    else if (this.tText === 'not') {
      this.take(ids.not);
      if (!this.isName('in')) throw new Decline('not without in');
      this.take(ids.in);
    } else if (this.tText === 'is') {
      this.take(ids.is);
      if (this.isName('not')) this.take(ids.not);
    } else this.take(ids[this.tText as 'or' | 'and' | 'in']);
  }

  /** `factor`: unary operators, then `power` (a primary and perhaps `** factor`), in one call per operand. */
  private factor(): void {
    this.enter();
    const { ids } = this;
    const mark = this.buf.length;
    const from = this.tFrom;
    if (this.tk === Tk.Op) {
      const op = ids.unaryOp.get(this.tText);
      if (op !== undefined) {
        this.takeOp(op);
        this.factor();
        this.finish(ids.UnaryExpression, mark, from);
        this.nest--;
        return;
      }
    } else if (this.tk === Tk.Name && this.tText === 'not') throw new Decline('not');
    this.atom();
    // Trailers: calls, attributes, subscripts.
    for (;;) {
      const t = this.op;
      if (t === Ch.OPEN_PAREN) {
        this.argList();
        this.finish(ids.CallExpression, mark, from);
      } else if (t === Ch.DOT) {
        this.take(ids['.']);
        if ((this.tk as Tk) !== Tk.Name || KEYWORDS.has(this.tText))
          throw new Decline('attribute not a plain name');
        this.take(ids.PropertyName);
        this.finish(ids.MemberExpression, mark, from);
      } else if (t === Ch.OPEN_BRACKET) {
        this.take(ids['[']);
        this.testList();
        this.expectOp(Ch.CLOSE_BRACKET, ids[']']);
        this.finish(ids.MemberExpression, mark, from);
      } else break;
    }
    if (this.tk === Tk.Op && this.tText === '**') {
      this.takeOp(ids.binaryOp.get('**') as OpIds);
      this.factor();
      this.finish(ids.BinaryExpression, mark, from);
    }
    this.nest--;
  }

  private atom(): void {
    switch (this.tk) {
      case Tk.Name:
        return this.name();
      case Tk.Number:
        return this.take(this.ids.Number);
      case Tk.String:
        return this.strings();
      case Tk.Op:
        if (this.tText === '(') return this.parenthesized();
        if (this.tText === '[') return this.array();
        if (this.tText === '{') return this.dictOrSet();
        throw new Decline(`operator ${this.tText} where an expression starts`);
      default:
        throw new Decline('end of line where an expression starts');
    }
  }

  private name(): void {
    const t = this.tText;
    if (t === 'None') this.take(this.ids.None);
    else if (t === 'True' || t === 'False') this.take(this.ids.Boolean);
    else if (KEYWORDS.has(t)) throw new Decline(`keyword ${t} in an expression`);
    else this.take(this.ids.VariableName);
  }

  /** One string, or several in a row (a ContinuedString). */
  private strings(): void {
    const mark = this.buf.length;
    const from = this.tFrom;
    let count = 0;
    while (this.tk === Tk.String) {
      this.takeString();
      count++;
    }
    if (count > 1) this.finish(this.ids.ContinuedString, mark, from);
  }

  private parenthesized(): void {
    const mark = this.buf.length;
    const from = this.tFrom;
    this.take(this.ids['(']);
    if (this.op === Ch.CLOSE_PAREN) {
      this.take(this.ids[')']);
      this.finish(this.ids.TupleExpression, mark, from);
      return;
    }
    this.test();
    let tuple = false;
    while (this.op === Ch.COMMA) {
      tuple = true;
      this.take(this.ids[',']);
      if (this.op === Ch.CLOSE_PAREN) break;
      this.test();
    }
    this.expectOp(Ch.CLOSE_PAREN, this.ids[')']);
    this.finish(tuple ? this.ids.TupleExpression : this.ids.ParenthesizedExpression, mark, from);
  }

  private array(): void {
    const mark = this.buf.length;
    const from = this.tFrom;
    this.take(this.ids['[']);
    if (this.op !== Ch.CLOSE_BRACKET) this.testList();
    this.expectOp(Ch.CLOSE_BRACKET, this.ids[']']);
    this.finish(this.ids.ArrayExpression, mark, from);
  }

  private dictOrSet(): void {
    const mark = this.buf.length;
    const from = this.tFrom;
    this.take(this.ids['{']);
    let dict = true;
    if (this.isOp('**')) this.dictEntry();
    else if (this.op !== Ch.CLOSE_BRACE) {
      this.test();
      dict = this.op === Ch.COLON;
      if (dict) {
        this.take(this.ids[':']);
        this.test();
      }
    }
    while (this.op === Ch.COMMA) {
      this.take(this.ids[',']);
      if (this.op === Ch.CLOSE_BRACE) break;
      if (dict) this.dictEntry();
      else this.test();
    }
    this.expectOp(Ch.CLOSE_BRACE, this.ids['}']);
    this.finish(dict ? this.ids.DictionaryExpression : this.ids.SetExpression, mark, from);
  }

  /** `key: value` or `**mapping`. */
  private dictEntry(): void {
    if (this.isOp('**')) {
      this.take(this.ids['**']);
      this.operators(COMPARE_LEVEL + 1);
      return;
    }
    this.test();
    this.expectOp(Ch.COLON, this.ids[':']);
    this.test();
  }

  private argList(): void {
    const mark = this.buf.length;
    const from = this.tFrom;
    this.take(this.ids['(']);
    while (this.op !== Ch.CLOSE_PAREN) {
      if (this.isOp('**') || this.op === Ch.STAR) {
        this.take(this.tText === '**' ? this.ids['**'] : this.ids['*']);
        this.test();
      } else this.argument();
      if (this.op !== Ch.COMMA) break;
      this.take(this.ids[',']);
    }
    this.expectOp(Ch.CLOSE_PAREN, this.ids[')']);
    this.finish(this.ids.ArgList, mark, from);
  }

  /** `test` or `name = test`: a keyword argument's name is a test that is one VariableName (and comments). */
  private argument(): void {
    const { buf } = this;
    const mark = buf.length;
    this.test();
    if (this.op !== Ch.EQUALS) return;
    if (buf.data[mark] !== this.ids.VariableName) throw new Decline('= after an argument that is not a name');
    for (let k = mark + 4; k < buf.length; k += 4)
      if (buf.data[k] !== this.ids.Comment) throw new Decline('= after an argument that is not a name');
    this.take(this.ids.ArgAssignOp);
    this.test();
  }

  // ------------------------------------------------------------------------------------------ records

  private isOp(op: string): boolean {
    return this.tk === Tk.Op && this.tText === op;
  }

  private isName(name: string): boolean {
    return this.tk === Tk.Name && this.tText === name;
  }

  /** Takes the one-character operator `op` (a character code) as a node of type `id`, or declines. */
  private expectOp(op: number, id: number): void {
    if (this.op !== op) throw new Decline(`expected ${String.fromCharCode(op)}`);
    this.take(id);
  }

  /** Records the current token as a node of type `id` and moves to the next token. */
  private take(id: number): void {
    this.buf.push(id, this.tFrom, this.tTo, 4);
    this.lastEnd = this.tTo;
    this.next();
  }

  /** Records the current token as an operator node (with its token node inside, if it has one). */
  private takeOp([id, token]: OpIds): void {
    if (token >= 0) {
      this.buf.push(token, this.tFrom, this.tTo, 4);
      this.buf.push(id, this.tFrom, this.tTo, 8);
      this.lastEnd = this.tTo;
      this.next();
    } else this.take(id);
  }

  /** Records the current string token with its escapes. */
  private takeString(): void {
    const { esc, buf } = this;
    const count = (esc.length - this.e0) / 2;
    for (let k = this.e0; k < esc.length; k += 2)
      buf.push(this.ids.Escape, esc[k] as number, esc[k + 1] as number, 4);
    buf.push(this.ids.String, this.tFrom, this.tTo, 4 * (count + 1));
    this.lastEnd = this.tTo;
    this.next();
  }

  /**
   * Closes the node of type `id` that starts at `from` and whose children are the records from `mark`: it ends
   * with its last token, and comments read after that token (while looking at the next one) go after it, as
   * lezer moves skipped nodes out of the end of a node it reduces.
   */
  private finish(id: number, mark: number, from: number): void {
    const { buf } = this;
    const end = this.lastEnd;
    const { data } = buf;
    let j = buf.length;
    while (j - 4 >= mark && data[j - 4] === this.ids.Comment && (data[j - 3] as number) >= end) j -= 4;
    if (j === buf.length) buf.push(id, from, end, j - mark + 4);
    else buf.insert(j, [id, from, end, j - mark + 4]);
  }
}

function declineReason(e: unknown): string {
  if (e instanceof WholeText) return e.reason;
  return e instanceof Decline ? e.reason : 'exception';
}
