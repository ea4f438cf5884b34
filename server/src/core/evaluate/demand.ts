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
/** More than 40 brackets and dots: the statement is evaluated (the evaluator's depth guards stay far off). */
const DEEP = /^(?:[^([{.]*[([{.]){41}/;
const NON_ASCII = /[\u0080-\uffff]/;

/** A statement's text with its string literals replaced by `$` and its comments taken out. */
function bareOf(raw: string): string {
  const literals = raw.replace(STRING, '$');
  return literals.includes('#') ? literals.replace(COMMENT, '') : literals;
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
 * Which top-level statements `top` of a module (its text `text`) a check reading the names `demand` at the
 * module's end must evaluate: 1 evaluate, 0 leave out. Undefined: evaluate every statement.
 */
export function demandPlan(
  text: string,
  top: readonly SyntaxNode[],
  demand: ReadonlySet<string>,
): Uint8Array | undefined {
  const n = top.length;
  /** Each statement's text: as written for a plain assignment, else bare (`bareOf`). */
  const texts: string[] = [];
  /** A plain assignment's writes; undefined for a statement that is evaluated whatever it writes. */
  const writes: (string[] | undefined)[] = [];
  const tainted = new Set<string>();
  let taintedName: RegExp | undefined;
  for (let i = 0; i < n; i++) {
    const node = top[i] as SyntaxNode;
    const raw = text.slice(node.from, node.to);
    if (NON_ASCII.test(raw) && NON_ASCII.test(bareOf(raw))) return undefined;
    const assignment = node.type.name === 'AssignStatement';
    const targets = assignment ? TARGETS.exec(raw) : null;
    let w: string[] | undefined;
    let source: boolean;
    let bare: string | undefined;
    if (targets && PLAIN.test(raw) && !DEEP.test(raw)) {
      w = bareOf(targets[0]).match(NAME) ?? [];
      if (raw.includes('(')) for (const m of raw.matchAll(BARE_ARGUMENT)) w.push(m[1] as string);
      source = SOURCE.test(raw) || (taintedName !== undefined && taintedName.test(raw));
    } else {
      bare = bareOf(raw);
      source =
        SOURCE.test(raw) ||
        BUILT_LITERAL.test(bare) ||
        CALL.test(bare) ||
        (taintedName !== undefined && taintedName.test(bare));
    }
    if (source) {
      // Tainted: evaluated, and what it may write is tainted (an assignment its targets and bare arguments,
      // anything else every name in it).
      bare ??= bareOf(raw);
      let wrote = w;
      if (!wrote && targets && !bare.includes(':=')) {
        wrote = bareOf(targets[0]).match(NAME) ?? [];
        for (const m of bare.matchAll(BARE_ARGUMENT)) wrote.push(m[1] as string);
      }
      let grew = false;
      for (const name of wrote ?? namesIn(bare))
        if (!tainted.has(name)) {
          tainted.add(name);
          grew = true;
        }
      if (grew) taintedName = anyName(tainted);
      w = undefined;
    }
    texts.push(bare ?? raw);
    writes.push(w);
  }
  const plan = new Uint8Array(n);
  const needed = new Set(demand);
  for (let i = n - 1; i >= 0; i--) {
    const w = writes[i];
    if (w) {
      let reads = false;
      for (let k = 0; k < w.length; k++) if (needed.has(w[k] as string)) reads = true;
      if (!reads) continue;
    }
    plan[i] = 1;
    const t = texts[i] as string;
    for (const name of namesIn(w ? bareOf(t) : t)) needed.add(name);
  }
  return plan;
}
