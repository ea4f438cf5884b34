/**
 * What the cursor is in, read from the text around it with a small tolerant scanner (it must work while the
 * user is typing, when the statement does not parse yet): which top-level setting, which dict keys lead to
 * the cursor, and whether the cursor sits in a key or a value string. No I/O; never throws.
 */

export interface CursorContext {
  /** The setting whose assignment contains the cursor (`CACHES`), if any. */
  readonly setting: string | undefined;
  /** Dict keys from the setting's value down to the dict that contains the cursor, e.g. ['default', 'OPTIONS']. */
  readonly path: readonly string[];
  /** 'key' in a dict key position, 'value' after `key:` (or right of `NAME =`), else 'other'. */
  readonly position: 'key' | 'value' | 'other';
  /** For a value position in a dict: its key (`BACKEND`). */
  readonly key: string | undefined;
  /** The string literal around the cursor: its range (quotes included, end may be the line end when open). */
  readonly string:
    | {
        readonly from: number;
        readonly to: number;
        readonly quote: string;
        readonly text: string;
        readonly closed: boolean;
      }
    | undefined;
}

const ASSIGN_START = /^([A-Z][A-Z0-9_]*)\s*(\[[^\]\n]*\]\s*)*(\+|\|)?=(?!=)/;
const MAX_SCAN = 20_000;

/** Finds the start of the top-level assignment that contains `offset` (a line at column 0 `NAME =`). */
function findAssignment(
  text: string,
  offset: number,
): { name: string; valueStart: number; subscripts: string[] } | undefined {
  let lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const floor = Math.max(0, offset - MAX_SCAN);
  for (;;) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const m = ASSIGN_START.exec(line);
    if (m?.[1]) {
      const subs = [...m[0].matchAll(/\[\s*(['"])(.*?)\1\s*\]/g)].map((x) => x[2] ?? '');
      return { name: m[1], valueStart: lineStart + m[0].length, subscripts: subs };
    }
    // Another top-level statement starts here: the cursor is not inside an assignment's value.
    if (/^[A-Za-z_@]/.test(line)) return undefined;
    if (lineStart === 0 || lineStart <= floor) return undefined;
    lineStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  }
}

interface Frame {
  readonly bracket: '{' | '[' | '(';
  readonly key: string | undefined;
  lastKey: string | undefined;
  expectKey: boolean;
}

const NOWHERE: CursorContext = {
  setting: undefined,
  path: [],
  position: 'other',
  key: undefined,
  string: undefined,
};

/** The context of the cursor at `offset`. */
export function cursorContext(text: string, offset: number): CursorContext {
  const assign = findAssignment(text, offset);
  if (!assign || assign.valueStart > offset) return NOWHERE;
  const { stack, cursorString } = scanToCursor(text, assign.valueStart, offset);
  // Each dict frame remembers the key it is the value of; the outermost is the setting's value itself.
  const dicts = stack.filter((f) => f.bracket === '{');
  const path = [...assign.subscripts, ...dicts.slice(1).map((f) => f.key ?? '')];
  return { setting: assign.name, path, ...positionIn(stack), string: cursorString };
}

/**
 * Scans an assignment's value from `from` up to the cursor, skipping comments: the brackets still open at the
 * cursor, and the string literal the cursor is in (the scan stops there).
 */
function scanToCursor(
  text: string,
  from: number,
  offset: number,
): { stack: Frame[]; cursorString: CursorContext['string'] } {
  const stack: Frame[] = [];
  let pendingString: string | undefined;
  let i = from;
  while (i < offset) {
    const c = text[i] as string;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > offset ? offset : nl;
      continue;
    }
    if (c === "'" || c === '"') {
      const s = scanString(text, i);
      const contents = text.slice(i + s.quote.length, Math.min(s.contentEnd, text.length));
      if (offset <= s.end && offset > i) {
        return {
          stack,
          cursorString: { from: i, to: s.end, quote: s.quote, text: contents, closed: s.closed },
        };
      }
      pendingString = contents;
      i = s.end;
      continue;
    }
    pendingString = punctuation(stack, c, pendingString);
    i++;
  }
  return { stack, cursorString: undefined };
}

/** A string literal the scanner met. */
interface StringToken {
  readonly quote: string;
  /** Where its contents stop: the closing quote, or where an unclosed string was cut off. */
  readonly contentEnd: number;
  /** After the closing quote (`contentEnd` when unclosed). */
  readonly end: number;
  readonly closed: boolean;
}

/** The string literal whose opening quote is at `from`; unclosed, a one-line string stops at its line end. */
function scanString(text: string, from: number): StringToken {
  const c = text[from] as string;
  const triple = text.startsWith(c.repeat(3), from);
  const quote = triple ? c.repeat(3) : c;
  let j = from + quote.length;
  let closed = false;
  while (j < text.length) {
    if (text[j] === '\\') {
      j += 2;
      continue;
    }
    if (text.startsWith(quote, j)) {
      closed = true;
      break;
    }
    if (!triple && text[j] === '\n') break;
    j++;
  }
  return { quote, contentEnd: j, end: closed ? j + quote.length : j, closed };
}

/**
 * Applies one character outside strings and comments to the open brackets (a dict's key after `:`, the next
 * key after `,`); returns the string that may still become a dict key.
 */
function punctuation(stack: Frame[], c: string, pending: string | undefined): string | undefined {
  const top = stack[stack.length - 1];
  if (c === '{' || c === '[' || c === '(') {
    stack.push({ bracket: c, key: top?.lastKey, lastKey: undefined, expectKey: c === '{' });
    return undefined;
  }
  if (c === '}' || c === ']' || c === ')') {
    stack.pop();
    return undefined;
  }
  if (c === ':') {
    if (top && top.bracket === '{' && pending !== undefined) {
      top.lastKey = pending;
      top.expectKey = false;
    }
    return undefined;
  }
  if (c === ',') {
    if (top) {
      top.expectKey = top.bracket === '{';
      top.lastKey = top.bracket === '{' ? undefined : top.lastKey;
    }
    return undefined;
  }
  // Spaces and name characters keep a pending string key candidate; any other token ends it.
  return /\s/.test(c) || /[A-Za-z0-9_.]/.test(c) ? pending : undefined;
}

/** Key or value position at the cursor, and the value's key, from the innermost open bracket. */
function positionIn(stack: readonly Frame[]): Pick<CursorContext, 'position' | 'key'> {
  const top = stack[stack.length - 1];
  if (!top) return { position: 'value', key: undefined };
  if (top.bracket === '{')
    return top.expectKey ? { position: 'key', key: undefined } : { position: 'value', key: top.lastKey };
  // A list inside a dict value (LOCATION: [...]): the value's key is the enclosing dict's key.
  const dict = [...stack].reverse().find((f) => f.bracket === '{');
  return { position: 'value', key: dict?.lastKey };
}
