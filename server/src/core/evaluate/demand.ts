/**
 * Demand-driven evaluation (a check that reads only what the rules read: the CLI's). A module's top-level
 * statements are read as text, without evaluating them, and a plain assignment is left out when nothing the
 * check reads can depend on it: it binds no name that a statement evaluated after it reads (transitively) or
 * that the rules read (`demand`), and it cannot hold a secret the masker must know (core/secrets.ts walks every
 * value of the namespace). Everything else is evaluated as always, so the findings, fixes, effective values and
 * masked output are those of the whole evaluation (`test/unit/demand.test.ts` checks this on generated modules).
 *
 * Conservative by construction:
 * - Only an `AssignStatement` of a plain shape may be left out: names, attributes, subscripts, displays, plain
 *   string and number literals, and calls of the builtins that cannot build a string from parts (`int`,
 *   `float`, `bool`, `str`, `list`, `tuple`, `dict`, `os.environ.get`, `os.getenv`); no operator, keyword (but
 *   True/False/None), backslash, string prefix, adjacent strings, walrus or deep nesting (the evaluator's depth
 *   guards can never trigger in it).
 * - What it writes: every name of its targets and every name passed bare to a call (an unknown function may
 *   mutate it). What it reads: every name in it. What any other statement reads: every name in it.
 * - A secret can only come from a literal with an `@` (URL passwords), a secret word (a secret name, key or
 *   environment variable) or text built from parts (`+`, `%`, `*`, f-strings, adjacent literals, `format`,
 *   `join`, `replace`, any call but the plain builtins above):
 *   a statement holding one is a taint source; a statement reading a tainted name is tainted; its writes (for
 *   any statement but a plain assignment: every name in it) are tainted. A tainted statement is evaluated.
 * - Names are read by patterns over the text with its string literals and comments taken out: a module with a
 *   non-ASCII character elsewhere (a name the patterns cannot read) is evaluated whole (`demandPlan` returns
 *   undefined). A statement that may read a file (an import, an exec'd sibling) is evaluated; when one did, the
 *   evaluator evaluates the module again whole (evaluate.ts).
 * - The evaluator reaches the namespace only through names written in the text (`globals()`, `vars()` are
 *   unknown calls), so what a statement reads and writes is in its text.
 *
 * Only cheap native pattern tests run for every statement (a fresh process reads ~5,000 statements once, in
 * unoptimised code); the names a statement reads are listed only for those evaluated.
 */
import type { SyntaxNode } from '@lezer/common';

/**
 * A taint source anywhere in a statement: a URL password's `@`, an escape, an operator that builds text, a
 * secret word (of names, dict keys, environment variables: core/secrets.ts, knowledge/placeholders.ts).
 */
const SOURCE = /[@\\+%*]|pass|pwd|secret|token|api_?key|credential/i;

/** Python's keywords other than True, False and None. */
const KEYWORDS =
  'and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield';

/** Calls whose result holds only substrings of its arguments' strings (or none). */
const PLAIN_CALLS = String.raw`(?<![\w.])(?:os\.environ\.get|os\.getenv|int|float|bool|str|list|tuple|dict)\s*\(`;

/** A one-line string literal without escapes (any other keeps its quotes, which no pattern takes as plain). */
const LITERAL = String.raw`'[^'\\\n]*'|"[^"\\\n]*"`;
const STRING = new RegExp(LITERAL, 'g');

/**
 * A plain statement: names (no keyword; followed by a call only when it is a plain call; not a literal's
 * prefix), numbers, string literals (not adjacent: concatenated), comments, brackets (a parenthesis after a
 * name, a bracket or a literal is a call), `,`, `.`, `:` and `=` (not `==`, `:=`); nothing else.
 */
const PLAIN = new RegExp(
  String.raw`^(?:\s|#[^\n]*|(?:${LITERAL})(?!(?:\s|#[^\n]*)*['"])|\d[\w.]*(?![\w.])|${PLAIN_CALLS}|(?!(?:${KEYWORDS})(?!\w))[A-Za-z_]\w*(?![\w'"])(?!\s*\()|(?<![\w)\]'"]\s*)\(|[)[\]{},.]|:(?!=)|=(?!=))*$`,
);
const COMMENT = /#[^\n]*/g;
const NAME = /[A-Za-z_]\w*/g;
/** A prefixed literal (f'', b'', r'', u'') or adjacent literals (concatenated), literals replaced by `$`. */
const BUILT_LITERAL = /\w\$|\$\s*\$/;
/** A call, literals replaced by `$` (it may build text). */
const CALL = /[\w)\]$]\s*\(/;
/** The targets of an assignment: `A = `, `A['k'] = B = ` (no call, no display; literals may hold anything). */
const TARGETS = new RegExp(String.raw`^(?:(?:[^=(){}'"]|${LITERAL})*=(?!=))+`);
/** A name passed bare to a call (or a keyword's name); also matches some display items (more writes: safe). */
const BARE_ARGUMENT = /[(,]\s*([A-Za-z_]\w*)\s*(?=[,)=])/g;
const HAS_BARE_ARGUMENT = /[(,]\s*[A-Za-z_]\w*\s*[,)=]/;
/**
 * More than 40 brackets and dots: the statement is evaluated (the evaluator's depth guards, at 100 levels, stay
 * far off: each level takes at least one character, so a statement of at most SHORT characters needs no count).
 */
const DEEP = /^(?:[^([{.]*[([{.]){41}/;
const SHORT = 90;
/** In an `if` or `try` statement that may be left out: nothing that imports, deletes, defines or binds out of sight. */
const NOT_PLAIN_BLOCK =
  /(?<!\w)(?:import|exec|execfile|del|global|nonlocal|lambda|yield|for|while|with|def|class)(?!\w)|:=/;
/** How deep `if`/`try` statements nested in one that may be left out may go. */
const MAX_BLOCK_DEPTH = 8;
const NON_ASCII = /[\u0080-\uffff]/;

/** A statement's text with its string literals replaced by `$` and its comments taken out. */
function bareOf(raw: string): string {
  const literals = raw.replace(STRING, '$');
  return literals.includes('#') ? literals.replace(COMMENT, '') : literals;
}

/** The names of an assignment's targets (its text `raw`), or undefined when it has none the patterns see. */
function targetNames(raw: string): string[] | undefined {
  const targets = TARGETS.exec(raw);
  if (!targets) return undefined;
  const t = targets[0];
  return (t.includes("'") || t.includes('"') ? bareOf(t) : t).match(NAME) ?? [];
}

/**
 * Adds what the statements of an `if` or `try` statement (`node`) may write to `out`: their assignments'
 * targets, nested `if`/`try` statements' writes, `except … as` names. False when it holds any other statement.
 */
function blockWrites(node: SyntaxNode, text: string, depth: number, out: string[]): boolean {
  if (depth > MAX_BLOCK_DEPTH) return false;
  let previous = '';
  for (let c = node.firstChild; c; c = c.nextSibling) {
    const kind = c.type.name;
    if (kind === 'Body') {
      for (let s = c.firstChild; s; s = s.nextSibling) {
        const k = s.type.name;
        if (k === 'AssignStatement') {
          const names = targetNames(text.slice(s.from, s.to));
          if (!names) return false;
          for (const name of names) out.push(name);
        } else if (k === 'IfStatement' || k === 'TryStatement') {
          if (!blockWrites(s, text, depth + 1, out)) return false;
        } else if (k !== ':' && k !== 'Comment' && k !== 'PassStatement') return false;
      }
    } else if (kind === 'VariableName' && previous === 'as') out.push(text.slice(c.from, c.to));
    previous = kind;
  }
  return true;
}

/** The names in a statement's text (literals and comments taken out). */
function namesIn(bare: string): string[] {
  const out = bare.match(NAME) ?? [];
  return out.filter((n) => n !== 'True' && n !== 'False' && n !== 'None');
}

/** A pattern matching any of `names` as a whole name. */
function anyName(names: ReadonlySet<string>): RegExp {
  return new RegExp(String.raw`(?<!\w)(?:${[...names].join('|')})(?!\w)`);
}

/**
 * Up to this many tainted names are looked for with one pattern (`anyName`, made again when the set grows);
 * past it, among a statement's name tokens. The pattern alone made a module of n tainted assignments cost n
 * patterns of up to n names: 20,000 `PASSWORD_i = "…"` lines took 76 s and 2 GB.
 */
const TAINT_PATTERN_MAX = 16;

/** Whether statement `s` reads a tainted name: by `pattern` while there is one, else by its name tokens. */
function readsTainted(s: Scan, tainted: ReadonlySet<string>, pattern: RegExp | undefined): boolean {
  if (tainted.size === 0) return false;
  if (pattern) return pattern.test(s.text);
  // Every whole name the pattern would match is one of these tokens (and more: a name after a digit).
  s.tokens ??= s.text.match(NAME) ?? [];
  for (const name of s.tokens) if (tainted.has(name)) return true;
  return false;
}

/** What one top-level statement's text says (the same text says the same: kept by text, `SCANS`). */
interface Scan {
  /** What it writes when it may be left out (a plain assignment, an `if`/`try` of assignments); else undefined. */
  readonly writes: readonly string[] | undefined;
  /** A taint source by its text alone. */
  readonly source: boolean;
  /** What it writes when tainted. */
  readonly tainting: readonly string[];
  /** Where a tainted name is looked for: the text, or for a statement not left out as is, its bare text. */
  readonly text: string;
  /** The names it reads, when evaluated (made when first asked). */
  reads?: readonly string[];
  /** Every name token of `text`, for the taint check past TAINT_PATTERN_MAX names (made when first asked). */
  tokens?: readonly string[];
  /** False: it holds a name the patterns cannot read (non-ASCII). */
  readonly readable: boolean;
}

/**
 * Scans by statement text: a fix's trial analysis (fixes.ts) reads the same statements but the edited one, and
 * `--fix` rounds the same file again. Forgotten past MAX_SCANS texts.
 */
const SCANS = new Map<string, Scan>();
const MAX_SCANS = 100_000;

function bareArguments(text: string): string[] {
  const out: string[] = [];
  if (text.includes('(') && HAS_BARE_ARGUMENT.test(text))
    for (const m of text.matchAll(BARE_ARGUMENT)) out.push(m[1] as string);
  return out;
}

function scan(node: SyntaxNode, text: string, raw: string, ascii: boolean): Scan {
  const readable = ascii || !NON_ASCII.test(raw) || !NON_ASCII.test(bareOf(raw));
  const kind = node.type.name;
  const targets = kind === 'AssignStatement' ? targetNames(raw) : undefined;
  const shallow = raw.length <= SHORT || !DEEP.test(raw);
  if (targets && shallow && PLAIN.test(raw)) {
    const writes = [...targets, ...bareArguments(raw)];
    return { writes, source: SOURCE.test(raw), tainting: writes, text: raw, readable };
  }
  const bare = bareOf(raw);
  let writes: string[] | undefined;
  if ((kind === 'IfStatement' || kind === 'TryStatement') && shallow && !NOT_PLAIN_BLOCK.test(bare)) {
    const block: string[] = [];
    if (blockWrites(node, text, 0, block)) writes = [...block, ...bareArguments(bare)];
  }
  const source = SOURCE.test(raw) || BUILT_LITERAL.test(bare) || CALL.test(bare);
  // Tainted, what it may write: a statement that may be left out its writes, another assignment its targets
  // and bare arguments, anything else every name in it.
  const tainting =
    writes ?? (targets && !bare.includes(':=') ? [...targets, ...bareArguments(bare)] : namesIn(bare));
  return { writes, source, tainting, text: bare, readable };
}

/**
 * Which top-level statements `top` of a module (its text `text`) a check reading the names `demand` at the
 * module's end must evaluate: 1 evaluate, 0 leave out. Undefined: evaluate every statement.
 */
export function demandPlan(
  text: string,
  top: readonly SyntaxNode[],
  demand: ReadonlySet<string>,
): Uint8Array | undefined {
  const n = top.length;
  const scans: Scan[] = [];
  /** Whether each statement may be left out (by its writes) or is evaluated whatever it writes. */
  const free: boolean[] = [];
  /** Statements tainted so far. */
  let bound = 0;
  const tainted = new Set<string>();
  let taintedName: RegExp | undefined;
  const ascii = !NON_ASCII.test(text);
  if (SCANS.size > MAX_SCANS) SCANS.clear();
  for (let i = 0; i < n; i++) {
    const node = top[i] as SyntaxNode;
    const raw = text.slice(node.from, node.to);
    let s = SCANS.get(raw);
    if (!s) SCANS.set(raw, (s = scan(node, text, raw, ascii)));
    if (!s.readable) return undefined;
    scans.push(s);
    if (s.source || readsTainted(s, tainted, taintedName)) {
      // Tainted: evaluated, and what it may write is tainted.
      let grew = false;
      for (const name of s.tainting)
        if (!tainted.has(name)) {
          tainted.add(name);
          grew = true;
        }
      if (grew) taintedName = tainted.size <= TAINT_PATTERN_MAX ? anyName(tainted) : undefined;
      free.push(false);
      // More than half of the module is evaluated whatever is read: the plan cannot pay for itself.
      if (++bound * 2 > n) return undefined;
    } else free.push(s.writes !== undefined);
  }
  const plan = new Uint8Array(n);
  const needed = new Set(demand);
  for (let i = n - 1; i >= 0; i--) {
    const s = scans[i] as Scan;
    const w = s.writes;
    if (free[i] && w) {
      let read = false;
      for (let k = 0; k < w.length; k++) if (needed.has(w[k] as string)) read = true;
      if (!read) continue;
    }
    plan[i] = 1;
    s.reads ??= namesIn(bareOf(s.text));
    for (const name of s.reads) needed.add(name);
  }
  return plan;
}
