/**
 * The fast path's lexer (`fast-parse.ts` reads statements from its tokens): names, numbers, string literals
 * with their escapes (as @lezer/python's tokenizer delimits them), operators, line breaks outside brackets,
 * and the comments it skips on the way, recorded as Comment nodes. Runs of characters are read by sticky
 * RegExps, which run as compiled code even in a fresh process. Anything it does not read as lezer would
 * (non-ASCII names, line continuations, f-strings, unterminated strings, `;`, `:=`, …) throws Decline.
 */
import type { FastIds } from './fast-parse-ids';
import type { Records } from './fast-parse-records';
import { isTerminated } from './source-checks';

/** Character codes of one-character operators the recogniser looks for (`Recogniser.op`). */
export const Ch = {
  EQUALS: 61,
  COLON: 58,
  COMMA: 44,
  DOT: 46,
  STAR: 42,
  OPEN_PAREN: 40,
  CLOSE_PAREN: 41,
  OPEN_BRACKET: 91,
  CLOSE_BRACKET: 93,
  CLOSE_BRACE: 125,
};

/** Token kinds. */
export const Tk = { Name: 1, Number: 2, String: 3, Op: 4, Newline: 5, Eof: 6 } as const;
export type Tk = (typeof Tk)[keyof typeof Tk];

/** Why a statement was declined (thrown, caught per statement; never leaves the fast path). */
export class Decline {
  constructor(readonly reason: string) {}
}

/** Keywords that make a name something else than a VariableName/PropertyName (or that lezer reads ambiguously). */
export const KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'case',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'match',
  'nonlocal',
  'not',
  'or',
  'pass',
  'print',
  'raise',
  'return',
  'try',
  'type',
  'while',
  'with',
  'yield',
]);

/** The longest keyword's length: the text of a longer name is never looked at. */
const KEYWORD_MAX = Math.max(...[...KEYWORDS].map((k) => k.length));

/** Operators of three and two characters (`...`, `<>`, `->`, `:=` are declined). */
const OPS3 = new Set(['**=', '//=', '<<=', '>>=', '...']);
const OPS2 = new Set([
  '**',
  '//',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '<>',
  '->',
  ':=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
]);
/** One-character operators by character code. */
const OPS1: (string | undefined)[] = [];
for (const op of '+-*/%@|^&~<>()[]{},:.;=') OPS1[op.charCodeAt(0)] = op;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The tokens of one text, one at a time (`next`); the recogniser records them as nodes. */
export abstract class Lexer {
  protected readonly n: number;
  /** The lexer's position: the end of the current token. */
  protected pos = 0;
  /** Brackets open at the current token. */
  protected depth = 0;
  // The current token.
  protected tk: Tk = Tk.Eof;
  protected tFrom = 0;
  protected tTo = 0;
  /** The current name or operator (a name longer than any keyword: LONG_NAME). */
  protected tText = '';
  /** The current token's character code when it is a one-character operator, else 0. */
  protected op = 0;
  /** Escape ranges of the current string token: esc[e0..e1) as from, to pairs. */
  protected readonly esc: number[] = [];
  protected e0 = 0;

  constructor(
    protected readonly text: string,
    protected readonly ids: FastIds,
    /** Where comments are recorded (the recogniser's node records). */
    protected readonly buf: Records,
  ) {
    this.n = text.length;
  }

  /** Moves to the next token: skips spaces (and, inside brackets, line breaks), recording comments. */
  protected next(): void {
    const { text, n } = this;
    let p = this.pos;
    for (;;) {
      if (p >= n) {
        if (this.depth > 0) throw new Decline('end of text inside brackets');
        this.setToken(Tk.Eof, n, n);
        return;
      }
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9) {
        p++;
        if (text.charCodeAt(p) === 32) {
          SPACES.lastIndex = p;
          SPACES.test(text);
          p = SPACES.lastIndex;
        }
      } else if (c === 10) {
        if (this.depth === 0) {
          this.setToken(Tk.Newline, p, p + 1);
          return;
        }
        p++;
      } else if (c === 35) {
        let e = text.indexOf('\n', p);
        if (e < 0) e = n;
        this.buf.push(this.ids.Comment, p, e, 4);
        p = e;
      } else if (c === 92) throw new Decline('line continuation');
      else break;
    }
    this.lexToken(p);
  }

  protected setToken(tk: Tk, from: number, to: number): void {
    this.tk = tk;
    this.op = 0;
    this.tFrom = from;
    this.tTo = to;
    this.pos = to;
  }

  protected lexToken(p: number): void {
    const { text } = this;
    const c = text.charCodeAt(p);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return this.lexName(p);
    if (c === 39 || c === 34) return this.lexString(p, p, false);
    const c1 = text.charCodeAt(p + 1);
    if (isDigit(c) || (c === 46 && isDigit(c1))) return this.lexNumber(p);
    // One-character operators, unless the next character can make a longer one (`=` `*` `/` `<` `>` `.`).
    let op = OPS1[c];
    if (op === undefined || c1 === 61 || c1 === 42 || c1 === 47 || c1 === 60 || c1 === 62 || c1 === 46) {
      if (c >= 128) throw new Decline('non-ASCII name');
      op = OPS3.has(text.slice(p, p + 3))
        ? text.slice(p, p + 3)
        : OPS2.has(text.slice(p, p + 2))
          ? text.slice(p, p + 2)
          : (op ?? '');
    }
    if (op === '' || op === '...' || op === '<>' || op === '->' || op === ':=' || op === ';')
      throw new Decline(`character or operator ${JSON.stringify(op || text.charAt(p))}`);
    if (c === 40 || c === 91 || c === 123) this.depth++;
    else if (c === 41 || c === 93 || c === 125) this.depth--;
    this.tText = op;
    this.setToken(Tk.Op, p, p + op.length);
    if (op.length === 1) this.op = c;
  }

  private lexName(p: number): void {
    const { text } = this;
    NAME_TAIL.lastIndex = p + 1;
    NAME_TAIL.test(text);
    const e = NAME_TAIL.lastIndex;
    if (text.charCodeAt(e) >= 128) throw new Decline('non-ASCII name');
    const q = text.charCodeAt(e);
    if (q === 39 || q === 34) {
      const prefix = text.slice(p, e).toLowerCase();
      if (prefix === 'u' || prefix === 'b') return this.lexString(p, e, false);
      if (prefix === 'r' || prefix === 'rb' || prefix === 'br') return this.lexString(p, e, true);
      throw new Decline(`string prefix ${prefix}`);
    }
    // Only the text of a name that may be a keyword is ever looked at.
    this.tText = e - p <= KEYWORD_MAX ? text.slice(p, e) : LONG_NAME;
    this.setToken(Tk.Name, p, e);
  }

  private lexNumber(p: number): void {
    const { text } = this;
    const c1 = text.charCodeAt(p + 1) | 32;
    let e = p;
    if (text.charCodeAt(p) === 48 && (c1 === 98 || c1 === 111 || c1 === 120)) {
      const ok = c1 === 98 ? /[_01]/ : c1 === 111 ? /[_0-7]/ : /[_0-9a-fA-F]/;
      e = p + 2;
      while (e < this.n && ok.test(text.charAt(e))) e++;
      if (e === p + 2) throw new Decline('number prefix without digits');
    } else {
      if (text.charCodeAt(e) !== 46) e = digits(text, e);
      if (text.charCodeAt(e) === 46 && isDigit(text.charCodeAt(e + 1))) e = digits(text, e + 1);
      if ((text.charCodeAt(e) | 32) === 101) {
        let k = e + 1;
        if (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45) k++;
        if (isDigit(text.charCodeAt(k))) e = digits(text, k);
      }
      if ((text.charCodeAt(e) | 32) === 106) e++;
    }
    const after = text.charCodeAt(e);
    if (isNameChar(after) || after === 46 || after >= 128)
      throw new Decline('number followed by a name or dot');
    this.setToken(Tk.Number, p, e);
  }

  private mayFollowString(i: number): boolean {
    const after = this.text.charCodeAt(i);
    if (after >= 128) return false;
    if (!isNameChar(after)) return true;
    PREFIXED_STRING.lastIndex = i;
    return PREFIXED_STRING.test(this.text);
  }

  /** A string token from `from` (its prefix) with its quote at `q`; escapes recorded for takeString. */
  private lexString(from: number, q: number, raw: boolean): void {
    const { text, n, esc } = this;
    const quote = text.charCodeAt(q);
    const long = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
    let i = q + (long ? 3 : 1);
    this.e0 = esc.length;
    /** Characters without a meaning here (all but backslashes, the quote and, in a short string, line breaks). */
    const run = quote === 39 ? (long ? LONG_SINGLE : SHORT_SINGLE) : long ? LONG_DOUBLE : SHORT_DOUBLE;
    let backslash = false;
    for (;;) {
      run.lastIndex = i;
      run.test(text);
      i = run.lastIndex;
      if (i >= n) throw new Decline('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 92) {
        backslash = true;
        if (raw) {
          i += i + 1 < n ? 2 : 1;
          continue;
        }
        const s = i;
        i++;
        if (i < n) i = skipEscape(text, i + 1, text.charCodeAt(i));
        esc.push(s, i);
        continue;
      }
      if (c === quote && (!long || (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote))) {
        i += long ? 3 : 1;
        break;
      }
      if (c === 10 && !long) throw new Decline('unterminated string');
      i++;
    }
    if (!this.mayFollowString(i)) throw new Decline('string followed by a name');
    // Without a backslash the literal ends with its closing quote(s), as the check judges (quotes and prefix alike).
    if (backslash && !isTerminated(text, from, i))
      throw new Decline('string the unterminated-string check flags');
    this.setToken(Tk.String, from, i);
  }
}

/** `tText` of a name longer than any keyword: equal to no keyword or operator. */
const LONG_NAME = 'a long name';
/** Spaces and tabs. */
const SPACES = /[ \t]*/y;
/** The rest of a name. */
const NAME_TAIL = /[A-Za-z0-9_]*/y;
const SHORT_SINGLE = /[^'\\\n]*/y;
const SHORT_DOUBLE = /[^"\\\n]*/y;
const LONG_SINGLE = /[^'\\]*/y;
const LONG_DOUBLE = /[^"\\]*/y;

/** Whether what is at `i` may follow a string: not a name, unless a string prefix (`'a'r'b'`). */
const PREFIXED_STRING = /(?:[uUbBfF]|[rR][bBfF]?|[bBfF][rR])['"]/y;

/** `("_" | digit)*` from a digit at `p`: the end. */
function digits(text: string, p: number): number {
  let e = p + 1;
  for (;;) {
    const c = text.charCodeAt(e);
    if (isDigit(c) || c === 95) e++;
    else return e;
  }
}

/** As @lezer/python's string tokenizer: the end of an escape whose character after the backslash is `ch`. */
function skipEscape(text: string, p: number, ch: number): number {
  const n = text.length;
  const take = (max: number, ok: (c: number) => boolean): number => {
    let i = 0;
    while (i < max && p < n && ok(text.charCodeAt(p))) {
      p++;
      i++;
    }
    return p;
  };
  if (ch === 111) return take(2, (c) => c >= 48 && c <= 55);
  if (ch === 120) return take(2, isHex);
  if (ch === 117) return take(4, isHex);
  if (ch === 85) return take(8, isHex);
  if (ch === 78 && text.charCodeAt(p) === 123) {
    p++;
    for (;;) {
      const c = text.charCodeAt(p);
      if (p >= n || c === 125 || c === 39 || c === 34 || c === 10) break;
      p++;
    }
    if (text.charCodeAt(p) === 125) p++;
  }
  return p;
}
