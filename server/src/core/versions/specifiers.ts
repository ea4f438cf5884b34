/** Reduces PEP 440 specifier sets and Poetry constraints to one lower bound (+ whether it is an exact pin); never throws, knows no file formats. */

/** A numeric release segment, e.g. `4.2.11` → `[4, 2, 11]` (pre/post/dev/local parts dropped). */
export type Release = readonly number[];

/**
 * What a constraint says about the version that will be installed: the lowest release it allows, and
 * whether it pins exactly one version (`==4.2.11`, `===4.2.11`, a bare Poetry `4.2.11`).
 */
export interface Bound {
  readonly lower: Release;
  readonly exact: boolean;
}

// More digits than this is not a version anyone ships; refusing it keeps formatted versions plain
// integers (no `1e+21`) and stops random text from looking like a pin.
const MAX_COMPONENT_DIGITS = 9;
const MAX_COMPONENTS = 8;
// Real versions and specifier sets are short; capping them bounds the regex work on hostile lines.
const MAX_VERSION_CHARS = 64;
const MAX_SPECIFIER_CHARS = 512;

// Release segment first, then anything PEP 440 (or pip's leniency) may append: pre/post/dev markers
// and a local label. The tail is checked with a flat character class on purpose: a structured
// alternation nested under `*` backtracks exponentially on hostile input.
const VERSION = /^v?(?:\d{1,9}!)?(\d+(?:\.\d+)*)([A-Za-z0-9._+-]*)$/i;
const WILDCARD = /^v?(?:\d{1,9}!)?(\d+(?:\.\d+)*)\.\*$/i;

/** Parses a PEP 440 version's release segment; undefined when it is not a version. */
export function parseRelease(text: string): Release | undefined {
  if (text.length > MAX_VERSION_CHARS) return undefined;
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const tail = m[2] ?? '';
  // `4.2.x` or `4.2foo7` are not versions; a tail must start like a pre/post/dev/local marker.
  if (tail !== '' && !/^(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview|post|rev|r|dev)|\+)/i.test(tail))
    return undefined;
  return releaseParts(m[1] ?? '');
}

function parseWildcard(text: string): Release | undefined {
  if (text.length > MAX_VERSION_CHARS) return undefined;
  const m = WILDCARD.exec(text.trim());
  return m ? releaseParts(m[1] ?? '') : undefined;
}

function releaseParts(segment: string): Release | undefined {
  const parts = segment.split('.');
  if (parts.length > MAX_COMPONENTS || parts.some((p) => p.length === 0 || p.length > MAX_COMPONENT_DIGITS))
    return undefined;
  return parts.map((p) => Number.parseInt(p, 10));
}

/** Orders releases numerically, missing components counting as 0 (`4.2` == `4.2.0`). */
export function compareRelease(a: Release, b: Release): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `[4]` with width 2 → `4.0`; `[23, 4, 0, 1]` with width 3 → `23.4.0`. */
export function formatRelease(release: Release, width: number): string {
  const out: number[] = [];
  for (let i = 0; i < width; i++) out.push(release[i] ?? 0);
  return out.join('.');
}

// `>=0` (or no lower bound at all) says nothing about which version is meant.
function isZero(release: Release): boolean {
  return release.every((p) => p === 0);
}

type Clause =
  | { readonly kind: 'exact'; readonly release: Release }
  | { readonly kind: 'lower'; readonly release: Release }
  | { readonly kind: 'none' };

/** What each operator of a constraint language means for the lower bound; any other operator says nothing. */
interface Operators {
  /** Pins exactly the version written. */
  readonly exact: readonly string[];
  /** Allows nothing below the version written. */
  readonly lower: readonly string[];
  /** Take a wildcard version (`4.2.*`): `!=` excludes it (no bound), the others start at it. */
  readonly wildcard: readonly string[];
}

const PEP440_OPERATORS: Operators = {
  exact: ['==', '==='],
  // `>4.2` admits 4.2.1, so its lower bound still lies in 4.2.
  lower: ['~=', '>=', '>'],
  wildcard: ['==', '!='],
};

const POETRY_OPERATORS: Operators = {
  exact: ['', '=', '==', '==='],
  // Poetry: `^4.2` is >=4.2,<5.0 and `~4.2` is >=4.2,<4.3; both start at the version written.
  lower: ['^', '~', '~=', '>=', '>'],
  wildcard: ['', '=', '==', '!='],
};

/** The clause `op version` means in a language; undefined when the version is not valid. */
function clauseOf(op: string, version: string, operators: Operators): Clause | undefined {
  if (operators.wildcard.includes(op)) {
    const wildcard = parseWildcard(version);
    if (wildcard) return op === '!=' ? { kind: 'none' } : { kind: 'lower', release: wildcard };
  }
  const release = parseRelease(version);
  if (!release) return undefined;
  if (operators.exact.includes(op)) return { kind: 'exact', release };
  if (operators.lower.includes(op)) return { kind: 'lower', release };
  return { kind: 'none' };
}

/** One PEP 440 clause (`>=4.2`, `==4.2.*`, `!=4.0.1`); undefined when it is not valid. */
function pep440Clause(text: string): Clause | undefined {
  const m = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\S+)\s*$/.exec(text);
  return m ? clauseOf(m[1] ?? '', m[2] ?? '', PEP440_OPERATORS) : undefined;
}

/** Intersection of clauses: an exact pin wins, else the highest lower bound. */
function intersect(clauses: readonly Clause[]): Bound | undefined {
  let lower: Release | undefined;
  for (const c of clauses) {
    if (c.kind === 'exact') return isZero(c.release) ? undefined : { lower: c.release, exact: true };
    if (c.kind === 'lower' && (!lower || compareRelease(c.release, lower) > 0)) lower = c.release;
  }
  return lower && !isZero(lower) ? { lower, exact: false } : undefined;
}

/**
 * A PEP 440 specifier set (`>=4.2,<4.3`, `~=4.2.0`, `==4.2.*`, `(>=1.11)` in old setup.cfg style).
 * Undefined when empty, invalid, or without a lower bound (`<5`, `!=4.0`): pip would install "the newest",
 * which a pure analyser cannot know.
 */
export function pep440Bound(specifier: string): Bound | undefined {
  if (specifier.length > MAX_SPECIFIER_CHARS) return undefined;
  let text = specifier.trim();
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim();
  if (text === '') return undefined;
  const clauses: Clause[] = [];
  for (const part of text.split(',')) {
    const clause = pep440Clause(part);
    if (!clause) return undefined;
    clauses.push(clause);
  }
  return intersect(clauses);
}

/** One Poetry term (`^4.2`, `~4.2`, `4.2.*`, `>=4.2`, a bare `4.2.11`); undefined when invalid. */
function poetryTerm(term: string): Clause | undefined {
  if (term === '*') return { kind: 'none' };
  const m = /^(\^|~=|~|===|==|!=|<=|>=|<|>|=)?(.+)$/.exec(term);
  return m ? clauseOf(m[1] ?? '', m[2] ?? '', POETRY_OPERATORS) : undefined;
}

/**
 * A Poetry constraint: terms joined by `,` or spaces (AND) and alternatives by `||` (OR).
 * The lower bound of a union is the lowest of its alternatives'; a union is exact only when it has one
 * alternative. Undefined when invalid or when some alternative has no lower bound.
 */
export function poetryBound(constraint: string): Bound | undefined {
  if (constraint.length > MAX_SPECIFIER_CHARS) return undefined;
  const text = constraint.trim();
  if (text === '') return undefined;
  const alternatives = text.split(/\|\|?/);
  let union: Bound | undefined;
  for (const alternative of alternatives) {
    // `>= 4.2, < 5` → `>=4.2`, `<5`: glue operators to their versions, then split on commas/spaces.
    const terms = alternative
      .trim()
      .replace(/(\^|~=|~|===|==|!=|<=|>=|<|>|=)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter((t) => t !== '');
    if (terms.length === 0) return undefined;
    const clauses: Clause[] = [];
    for (const term of terms) {
      const clause = poetryTerm(term);
      if (!clause) return undefined;
      clauses.push(clause);
    }
    const bound = intersect(clauses);
    if (!bound) return undefined;
    union = union
      ? { lower: compareRelease(bound.lower, union.lower) < 0 ? bound.lower : union.lower, exact: false }
      : bound;
  }
  return union;
}
