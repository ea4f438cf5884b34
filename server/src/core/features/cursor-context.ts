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

/** The context of the cursor at `offset`. */
export function cursorContext(text: string, offset: number): CursorContext {
  const none: CursorContext = {
    setting: undefined,
    path: [],
    position: 'other',
    key: undefined,
    string: undefined,
  };
  const assign = findAssignment(text, offset);
  if (!assign || assign.valueStart > offset) return none;
  const stack: Frame[] = [];
  let pendingString: string | undefined;
  let i = assign.valueStart;
  let cursorString: CursorContext['string'];
  while (i < offset) {
    const c = text[i] as string;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > offset ? offset : nl;
      continue;
    }
    if (c === "'" || c === '"') {
      const prefixStart = i;
      const triple = text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      let j = i + q.length;
      let closed = false;
      while (j < text.length) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text.startsWith(q, j)) {
          closed = true;
          break;
        }
        if (!triple && text[j] === '\n') break;
        j++;
      }
      const end = closed ? j + q.length : j;
      if (offset <= end && offset > i) {
        cursorString = {
          from: prefixStart,
          to: end,
          quote: q,
          text: text.slice(i + q.length, Math.min(j, text.length)),
          closed,
        };
        break;
      }
      pendingString = text.slice(i + q.length, j);
      i = end;
      continue;
    }
    if (c === '{' || c === '[' || c === '(') {
      const top = stack[stack.length - 1];
      stack.push({ bracket: c, key: top?.lastKey, lastKey: undefined, expectKey: c === '{' });
      pendingString = undefined;
    } else if (c === '}' || c === ']' || c === ')') {
      stack.pop();
      pendingString = undefined;
    } else if (c === ':') {
      const top = stack[stack.length - 1];
      if (top && top.bracket === '{' && pendingString !== undefined) {
        top.lastKey = pendingString;
        top.expectKey = false;
      }
      pendingString = undefined;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top) {
        top.expectKey = top.bracket === '{';
        top.lastKey = top.bracket === '{' ? undefined : top.lastKey;
      }
      pendingString = undefined;
    } else if (!/\s/.test(c)) {
      // any other token ends a pending string key candidate
      if (!/[A-Za-z0-9_.]/.test(c)) pendingString = undefined;
    }
    i++;
  }
  const top = stack[stack.length - 1];
  let position: CursorContext['position'] = 'other';
  let key: string | undefined;
  if (!top) position = 'value';
  else if (top.bracket === '{') {
    if (top.expectKey) position = 'key';
    else {
      position = 'value';
      key = top.lastKey;
    }
  } else if (top.bracket === '[' || top.bracket === '(') {
    // A list inside a dict value (LOCATION: [...]): the value's key is the enclosing dict's key.
    const dict = [...stack].reverse().find((f) => f.bracket === '{');
    position = 'value';
    key = dict?.lastKey;
  }
  // Each dict frame remembers the key it is the value of; the outermost is the setting's value itself.
  const dicts = stack.filter((f) => f.bracket === '{');
  const path = [...assign.subscripts, ...dicts.slice(1).map((f) => f.key ?? '')];
  return { setting: assign.name, path, position, key, string: cursorString };
}
