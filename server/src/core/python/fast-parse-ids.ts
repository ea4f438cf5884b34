/**
 * The node type ids of @lezer/python that the fast path (`fast-parse.ts`) emits, read once from lezer's own tree
 * of a sample text: several types share a name (the `=` of a statement and of a keyword argument are different
 * `AssignOp`s, a binary `*` is an `ArithOp` but a star argument's is `*`), so each id is taken from the place
 * it occurs rather than by name. Undefined when the sample does not parse as expected (another version of the
 * grammar): the fast path then declines everything.
 */
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';

/** Binary operators of `expression` (BinaryExpression with ArithOp/BitOp), by precedence level (low → high). */
export const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '@', '/', '%', '//'],
];

/** Comparison operators (a CompareOp token; `in`, `is`, `not in`, `is not` are keywords). */
export const COMPARE_OPS: readonly string[] = ['<', '>', '<=', '>=', '==', '!='];

/**
 * An operator's node and the token node inside it, or -1: `*`, `**` and `@` are tokens of their own
 * elsewhere in the grammar, so their ArithOp holds a `*`/`**`/`@` node; `+` is an ArithOp alone.
 */
export type OpIds = readonly [node: number, token: number];

export interface FastIds {
  readonly Script: number;
  readonly AssignStatement: number;
  readonly UpdateStatement: number;
  readonly UpdateOp: number;
  readonly ExpressionStatement: number;
  readonly ImportStatement: number;
  readonly import: number;
  readonly from: number;
  readonly as: number;
  readonly VariableName: number;
  readonly PropertyName: number;
  /** The `=` of an assignment statement. */
  readonly AssignOp: number;
  /** The `=` of a keyword argument. */
  readonly ArgAssignOp: number;
  readonly Number: number;
  readonly String: number;
  readonly Escape: number;
  readonly ContinuedString: number;
  readonly None: number;
  readonly Boolean: number;
  readonly Comment: number;
  readonly '(': number;
  readonly ')': number;
  readonly '[': number;
  readonly ']': number;
  readonly '{': number;
  readonly '}': number;
  readonly ',': number;
  readonly ':': number;
  readonly '.': number;
  /** `*` of a star argument or `from m import *`. */
  readonly '*': number;
  /** `**` of a dict entry or a keyword-arguments argument. */
  readonly '**': number;
  readonly TupleExpression: number;
  readonly ParenthesizedExpression: number;
  readonly ArrayExpression: number;
  readonly DictionaryExpression: number;
  readonly SetExpression: number;
  readonly CallExpression: number;
  readonly ArgList: number;
  readonly MemberExpression: number;
  /** UnaryExpression of `+`, `-`, `~`. */
  readonly UnaryExpression: number;
  /** The operator node of a unary `+`, `-`, `~`. */
  readonly unaryOp: ReadonlyMap<string, OpIds>;
  /** BinaryExpression of ArithOp/BitOp (`expression` level). */
  readonly BinaryExpression: number;
  /** The operator node of each binary operator, `**` included. */
  readonly binaryOp: ReadonlyMap<string, OpIds>;
  /** BinaryExpression of `or`, `and` and comparisons (`test` level). */
  readonly TestExpression: number;
  readonly CompareOp: number;
  readonly or: number;
  readonly and: number;
  readonly in: number;
  readonly not: number;
  readonly is: number;
  readonly IfStatement: number;
  readonly TryStatement: number;
  readonly Body: number;
  /** The `:` that starts a Body. */
  readonly bodyColon: number;
  readonly if: number;
  readonly elif: number;
  readonly else: number;
  readonly try: number;
  readonly except: number;
  readonly finally: number;
  /** The `as` of an except clause. */
  readonly exceptAs: number;
  readonly PassStatement: number;
  readonly pass: number;
}

/** The ids, read once on first need; null when the sample did not parse as expected. */
let ids: FastIds | null | undefined;

/**
 * Whether the ids are known already: either read (a lezer parse of a sample, ~10–15 ms in a fresh process) or
 * taken from PINNED because the installed grammar is the one they were read from.
 */
export function fastIdsRead(): boolean {
  if (ids === undefined && grammarFingerprint() === PINNED_FINGERPRINT) ids = pinnedIds();
  return ids !== undefined;
}

export function fastIds(): FastIds | null {
  if (ids === undefined) {
    try {
      ids = grammarFingerprint() === PINNED_FINGERPRINT ? pinnedIds() : calibrate();
    } catch {
      ids = null;
    }
  }
  return ids;
}

/**
 * What `calibrate` reads from @lezer/python 1.1.19's tree of the sample (`test/unit/fast-parse-ids.test.ts`
 * checks they are equal): taken without parsing when the installed grammar has PINNED_FINGERPRINT. Maps as
 * entry lists.
 */
const PINNED = {
  Script: 5,
  AssignStatement: 6,
  UpdateStatement: 85,
  UpdateOp: 86,
  ExpressionStatement: 87,
  ImportStatement: 102,
  import: 103,
  from: 48,
  as: 104,
  VariableName: 40,
  PropertyName: 69,
  AssignOp: 84,
  ArgAssignOp: 66,
  Number: 70,
  String: 71,
  Escape: 2,
  ContinuedString: 79,
  None: 81,
  Boolean: 82,
  Comment: 4,
  '(': 24,
  ')': 23,
  '[': 55,
  ']': 54,
  '{': 59,
  '}': 58,
  ',': 42,
  ':': 43,
  '.': 68,
  '*': 7,
  '**': 17,
  TupleExpression: 49,
  ParenthesizedExpression: 25,
  ArrayExpression: 56,
  DictionaryExpression: 60,
  SetExpression: 62,
  CallExpression: 64,
  ArgList: 65,
  MemberExpression: 67,
  UnaryExpression: 18,
  unaryOp: [
    ['-', [19, -1]],
    ['+', [19, -1]],
    ['~', [20, -1]],
  ],
  BinaryExpression: 8,
  binaryOp: [
    ['|', [9, -1]],
    ['^', [10, -1]],
    ['&', [11, -1]],
    ['<<', [12, -1]],
    ['>>', [12, -1]],
    ['+', [13, -1]],
    ['-', [13, -1]],
    ['*', [14, 7]],
    ['@', [14, 15]],
    ['/', [14, -1]],
    ['%', [14, -1]],
    ['//', [14, -1]],
    ['**', [16, 17]],
  ],
  TestExpression: 26,
  CompareOp: 29,
  or: 27,
  and: 28,
  in: 30,
  not: 31,
  is: 32,
  IfStatement: 116,
  TryStatement: 122,
  Body: 117,
  bodyColon: 43,
  if: 35,
  elif: 118,
  else: 36,
  try: 123,
  except: 124,
  finally: 125,
  exceptAs: 104,
  PassStatement: 90,
  pass: 91,
} as const satisfies Record<keyof FastIds, number | readonly (readonly [string, OpIds])[]>;

/** `grammarFingerprint()` of @lezer/python 1.1.19, the grammar PINNED was read from. */
export const PINNED_FINGERPRINT = '193:90603031:4350:7686:3430';

export function pinnedIds(): FastIds {
  return {
    ...PINNED,
    unaryOp: new Map<string, OpIds>(PINNED.unaryOp),
    binaryOp: new Map<string, OpIds>(PINNED.binaryOp),
  };
}

/**
 * Identifies the installed grammar without parsing: the number of node types, a hash (FNV-1a) of their names in
 * id order, and the sizes of the parse tables (internal fields of lezer's parser: missing ones make the
 * fingerprint differ, and the ids are then read from a parse).
 */
export function grammarFingerprint(): string {
  const tables = parser as unknown as {
    states?: ArrayLike<number>;
    data?: ArrayLike<number>;
    goto?: ArrayLike<number>;
  };
  const { types } = parser.nodeSet;
  let hash = 0x811c9dc5;
  for (const type of types) {
    const name = type.name;
    for (let k = 0; k < name.length; k++) hash = Math.imul(hash ^ name.charCodeAt(k), 0x01000193);
    hash = Math.imul(hash ^ 32, 0x01000193);
  }
  const hex = (hash >>> 0).toString(16).padStart(8, '0');
  return `${types.length}:${hex}:${tables.states?.length}:${tables.data?.length}:${tables.goto?.length}`;
}

const SAMPLE_HEAD = [
  'import a.b as c',
  'from . import (d, e)',
  'from f import *',
  'g[0] = h(i, j=1, *k, **l).m',
  'n += -1',
  "o = {p: [q], **r}, {s}, (), (t), (u,), None, True, 'v' \"w\", '\\n'",
  'x = +y, ~z',
  'a1 = b1 or c1 and d1 in e1 not in f1 is g1 is not h1 == i1',
  'if a2:\n    pass\nelif b2:\n    pass\nelse:\n    pass',
  'try:\n    pass\nexcept c2 as d2:\n    pass\nfinally:\n    pass',
];

/** Finders of node ids in lezer's tree of `text`. */
function prober(text: string): {
  tree: Tree;
  at: (needle: string, name: string, shift?: number) => number;
  op: (needle: string, name: string, shift?: number) => OpIds;
} {
  const tree = parser.parse(text);
  /** The child of the node `at` found last, -1 for none. */
  let inner = -1;
  /** The id of the node named `name` that starts where `needle` starts, plus `shift`. */
  const at = (needle: string, name: string, shift = 0): number => {
    const off = text.indexOf(needle) + shift;
    let found = -1;
    tree.iterate({
      enter(n) {
        if (found >= 0) return false;
        if (n.from === off && n.name === name) {
          found = n.type.id;
          const child = n.node.firstChild;
          inner =
            child && child.from === n.from && child.to === n.to && !child.nextSibling ? child.type.id : -1;
          return false;
        }
        return n.from <= off && n.to >= off;
      },
    });
    if (found < 0 || off < shift) throw new Error(`calibration: ${name} at ${needle}`);
    return found;
  };
  const op = (needle: string, name: string, shift = 0): OpIds => [at(needle, name, shift), inner];
  return { tree, at, op };
}

/** Reads the ids from lezer's tree of a sample (throws when it does not parse as expected). */
export function calibrate(): FastIds {
  const ops = [...BINARY_LEVELS.flat(), '**'];
  const lines = [...SAMPLE_HEAD, ...ops.map((op) => `_ = aa ${op} bb`)];
  const { tree, at, op } = prober(lines.join('\n') + '\n');
  const binaryOp = new Map<string, OpIds>();
  for (const o of ops)
    binaryOp.set(o, op(`aa ${o} bb`, ['|', '^', '&', '<<', '>>'].includes(o) ? 'BitOp' : 'ArithOp', 3));
  return {
    Script: tree.type.id,
    AssignStatement: at('g[0]', 'AssignStatement'),
    UpdateStatement: at('n +=', 'UpdateStatement'),
    UpdateOp: at('+=', 'UpdateOp'),
    ExpressionStatement: expressionStatementId(),
    ImportStatement: at('import a', 'ImportStatement'),
    import: at('import a', 'import'),
    from: at('from .', 'from'),
    as: at('as c', 'as'),
    VariableName: at('a.b', 'VariableName'),
    PropertyName: at('m\n', 'PropertyName'),
    AssignOp: at('= h', 'AssignOp'),
    ArgAssignOp: at('=1', 'AssignOp'),
    Number: at('0]', 'Number'),
    String: at("'v'", 'String'),
    Escape: at('\\n', 'Escape'),
    ContinuedString: at("'v'", 'ContinuedString'),
    None: at('None', 'None'),
    Boolean: at('True', 'Boolean'),
    Comment: commentId(),
    '(': at('(d', '('),
    ')': at(')\n', ')'),
    '[': at('[0', '['),
    ']': at('] =', ']'),
    '{': at('{p', '{'),
    '}': at('}, {s', '}'),
    ',': at(', e', ','),
    ':': at(': [', ':'),
    '.': at('.b', '.'),
    '*': at('*k', '*'),
    '**': at('**l', '**'),
    TupleExpression: at('()', 'TupleExpression'),
    ParenthesizedExpression: at('(t)', 'ParenthesizedExpression'),
    ArrayExpression: at('[q]', 'ArrayExpression'),
    DictionaryExpression: at('{p', 'DictionaryExpression'),
    SetExpression: at('{s}', 'SetExpression'),
    CallExpression: at('h(', 'CallExpression'),
    ArgList: at('(i', 'ArgList'),
    MemberExpression: at('g[', 'MemberExpression'),
    UnaryExpression: at('-1', 'UnaryExpression'),
    unaryOp: new Map([
      ['-', op('-1', 'ArithOp')],
      ['+', op('+y', 'ArithOp')],
      ['~', op('~z', 'BitOp')],
    ]),
    BinaryExpression: at('aa + bb', 'BinaryExpression'),
    binaryOp,
    TestExpression: at('b1', 'BinaryExpression'),
    CompareOp: at('== i1', 'CompareOp'),
    or: at('or c1', 'or'),
    and: at('and d1', 'and'),
    in: at('in e1', 'in'),
    not: at('not in', 'not'),
    is: at('is g1', 'is'),
    IfStatement: at('if a2', 'IfStatement'),
    TryStatement: at('try:', 'TryStatement'),
    Body: at(':\n    pass\nelif', 'Body'),
    bodyColon: at(':\n    pass\nelif', ':'),
    if: at('if a2', 'if'),
    elif: at('elif', 'elif'),
    else: at('else:', 'else'),
    try: at('try:', 'try'),
    except: at('except', 'except'),
    finally: at('finally', 'finally'),
    exceptAs: at('as d2', 'as'),
    PassStatement: at('pass', 'PassStatement'),
    pass: at('pass', 'pass'),
  };
}

function expressionStatementId(): number {
  const t = parser.parse('x\n');
  const first = t.topNode.firstChild;
  if (first?.name !== 'ExpressionStatement') throw new Error('calibration: ExpressionStatement');
  return first.type.id;
}

function commentId(): number {
  const t = parser.parse('# c\n');
  const first = t.topNode.firstChild;
  if (first?.name !== 'Comment') throw new Error('calibration: Comment');
  return first.type.id;
}
