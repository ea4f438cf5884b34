/**
 * Checks CPython makes before or while tokenizing that @lezer/python does not: bracket nesting (CPython's
 * tokenizer refuses more than 200 open brackets, and lezer's tree building recurses once per level), bytes
 * that are not UTF-8, unterminated string literals; and form feeds, which CPython treats as whitespace that
 * resets the indentation column. All linear in the text, none throws.
 */
import type { Tree } from '@lezer/common';

/** CPython's tokenizer limit (MAXLEVEL in Parser/tokenizer.h: "too many nested parentheses"). */
export const MAX_BRACKET_DEPTH = 200;

/**
 * Where a bracket opens deeper than MAX_BRACKET_DEPTH: the offset of that bracket and the start of the
 * top-level line holding it (the analysis stops there). Strings and comments are skipped roughly (quotes of
 * nested f-strings may be misread, which can only move the cut, never make it unbounded).
 */
export function tooDeepBrackets(text: string): { at: number; statementStart: number } | undefined {
  const n = text.length;
  let depth = 0;
  let quote = 0;
  let triple = false;
  let statementStart = 0;
  let lineStart = true;
  // Runs of characters that change nothing are skipped by sticky RegExps (compiled code, even in a fresh process).
  let i = 0;
  while (i < n) {
    if (quote !== 0) {
      IN_STRING.lastIndex = i;
      IN_STRING.test(text);
      i = IN_STRING.lastIndex;
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === quote && (!triple || (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c))) {
        i += triple ? 3 : 1;
        quote = 0;
      } else {
        if (c === 10 && !triple) quote = 0;
        i++;
      }
      continue;
    }
    if (lineStart) {
      lineStart = false;
      if (depth === 0 && (i === 0 || text.charCodeAt(i - 2) !== 92)) statementStart = i;
    }
    NO_BRACKET.lastIndex = i;
    NO_BRACKET.test(text);
    i = NO_BRACKET.lastIndex;
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      i++;
    } else if (c === 35) {
      i = text.indexOf('\n', i);
      if (i < 0) i = n;
    } else if (c === 39 || c === 34) {
      quote = c;
      triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      i += triple ? 3 : 1;
    } else if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_BRACKET_DEPTH) return { at: i, statementStart };
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      depth = Math.max(0, depth - 1);
      i++;
    } else i++;
  }
  return undefined;
}

/** Inside a string: what is neither a backslash, a quote nor a line break. */
const IN_STRING = /[^\\'"\n]*/y;
/** Outside strings: what is no line break, comment, quote or bracket. */
const NO_BRACKET = /[^\n#'"()[\]{}]*/y;

/**
 * The first byte that was not UTF-8 in a text decoded with `decodeSource` (a lone low surrogate
 * U+DC80–U+DCFF, Python's surrogateescape convention), or undefined.
 */
export function firstUndecodableByte(text: string): { at: number; byte: number } | undefined {
  const re = /[\uDC80-\uDCFF]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const prev = text.charCodeAt(m.index - 1);
    if (prev >= 0xd800 && prev <= 0xdbff) continue; // the low half of a valid surrogate pair
    return { at: m.index, byte: text.charCodeAt(m.index) - 0xdc00 };
  }
  return undefined;
}

/**
 * Text the parser can read where CPython treats a form feed as whitespace: on a line holding only
 * whitespace (and perhaps a comment) each form feed becomes a space; in the indentation of a code line, the
 * form feeds and what precedes the last one (CPython resets the column there) move behind the rest of the
 * indentation, so lezer counts the same indentation CPython does. Same length, only whitespace moves.
 * `inString(offset)` says whether an offset lies inside a string literal (left untouched).
 */
export function normaliseFormFeeds(text: string, inString: (offset: number) => boolean): string {
  if (!text.includes('\f')) return text;
  return text.replace(/^[ \t\f]*\f[ \t\f]*/gm, (ws, offset: number) => {
    if (inString(offset)) return ws;
    const rest = text.charCodeAt(offset + ws.length);
    const blank = Number.isNaN(rest) || rest === 10 || rest === 13 || rest === 35;
    if (blank) return ws.replace(/\f/g, ' ');
    const last = ws.lastIndexOf('\f');
    return ws.slice(last + 1) + '\f'.repeat(last + 1);
  });
}

/** The first string literal of `tree` that is not terminated on its line (or, triple-quoted, in the file). */
export function firstUnterminatedString(
  tree: Tree,
  source: string,
): { from: number; to: number } | undefined {
  let found: { from: number; to: number } | undefined;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.name !== 'String' && node.name !== 'FormatString') return undefined;
      if (!isTerminated(source, node.from, node.to)) found = { from: node.from, to: node.to };
      return false;
    },
  });
  return found;
}

/** Whether the string literal at [from, to) of `source` ends with its closing quote (as `firstUnterminatedString` judges). */
export function isTerminated(source: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && /[rRbBuUfFtT]/.test(source[i] ?? '')) i++;
  const q = source.charCodeAt(i);
  if (q !== 39 && q !== 34) return true; // not a literal this check understands
  const triple = source.charCodeAt(i + 1) === q && source.charCodeAt(i + 2) === q && to - i >= 6;
  const quoteLength = triple ? 3 : 1;
  if (to - i < 2 * quoteLength) return false;
  for (let k = 1; k <= quoteLength; k++) if (source.charCodeAt(to - k) !== q) return false;
  // An odd run of backslashes before the closing quote escapes it (in raw strings too).
  let backslashes = 0;
  for (let k = to - quoteLength - 1; k >= i + quoteLength && source.charCodeAt(k) === 92; k--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * Decodes the bytes of a Python source file as CPython reads it: UTF-8 (a leading BOM kept, as `readFileSync(…, 'utf8')` does), or the
 * encoding a PEP 263 coding comment on line 1 or 2 names when it is not UTF-8. Bytes that are not valid
 * UTF-8 become U+DC80–U+DCFF (Python's surrogateescape), which `parsePython` reports as DSL001. Pure.
 */
export function decodeSource(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 400)).split('\n').slice(0, 2);
  for (const line of head) {
    const m = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(line);
    if (!m) {
      if (/^[ \t\f]*(#|$)/.test(line)) continue;
      break;
    }
    const label = (m[1] ?? '').toLowerCase().replace(/_/g, '-');
    // Python's latin-1 is ISO-8859-1 proper (TextDecoder's 'latin1' is windows-1252): one byte, one code point.
    if (/^(latin-?1|iso-?8859-1|l1)$/.test(label)) return latin1(bytes);
    if (!/^utf-?8/.test(label)) {
      try {
        return new TextDecoder(label).decode(bytes);
      } catch {
        break; // an encoding we do not know: read as UTF-8 and let the check speak
      }
    }
    break;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return decodeUtf8Escaping(bytes);
  }
}

/** UTF-8 with every byte that is not part of a valid sequence mapped to U+DC00 + byte. */
function decodeUtf8Escaping(bytes: Uint8Array): string {
  const parts: string[] = [];
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let runStart = 0;
  let i = 0;
  const n = bytes.length;
  const cont = (k: number): boolean => k < n && ((bytes[k] ?? 0) & 0xc0) === 0x80;
  while (i < n) {
    const b = bytes[i] ?? 0;
    let len = 0;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = cont(i + 1) ? 2 : 0;
    else if (b >= 0xe0 && b <= 0xef) {
      const b1 = bytes[i + 1] ?? 0;
      const okSecond =
        b === 0xe0 ? b1 >= 0xa0 && b1 <= 0xbf : b === 0xed ? b1 >= 0x80 && b1 <= 0x9f : cont(i + 1);
      len = okSecond && cont(i + 1) && cont(i + 2) ? 3 : 0;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const b1 = bytes[i + 1] ?? 0;
      const okSecond =
        b === 0xf0 ? b1 >= 0x90 && b1 <= 0xbf : b === 0xf4 ? b1 >= 0x80 && b1 <= 0x8f : cont(i + 1);
      len = okSecond && cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (len > 0) {
      i += len;
      continue;
    }
    if (runStart < i) parts.push(decoder.decode(bytes.subarray(runStart, i)));
    parts.push(String.fromCharCode(0xdc00 + b));
    i++;
    runStart = i;
  }
  if (runStart < n) parts.push(decoder.decode(bytes.subarray(runStart, n)));
  return parts.join('');
}

function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192)
    parts.push(String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192))));
  return parts.join('');
}

/** Whether lezer's tree holds an error node (its recovery from a syntax error). */
export function hasError(tree: Tree): boolean {
  let found = false;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.type.isError) found = true;
      return !found;
    },
  });
  return found;
}
