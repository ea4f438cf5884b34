/** Decodes Python string literal tokens (prefixes, quotes, escapes) into their values. Never throws. */

export interface StringToken {
  readonly prefix: string;
  readonly quote: string;
  /** Offset of the body (after prefix and opening quote) within the token text. */
  readonly bodyStart: number;
  /** Offset just past the body (before the closing quote) within the token text. */
  readonly bodyEnd: number;
  readonly raw: boolean;
  readonly bytes: boolean;
  readonly format: boolean;
}

/** Splits a string token into prefix, quotes and body; undefined when it is not a complete literal. */
export function splitStringToken(token: string): StringToken | undefined {
  // What /^([rRbBuUfF]{0,2})('''|"""|'|")/ matches, without a regular expression (it runs for every literal).
  let p0 = 0;
  while (p0 < 2 && p0 < token.length && PREFIX_LETTERS.includes(token.charAt(p0))) p0++;
  const q = token.charCodeAt(p0);
  if (q !== 39 && q !== 34) return undefined;
  const prefix = token.slice(0, p0);
  const triple = token.charCodeAt(p0 + 1) === q && token.charCodeAt(p0 + 2) === q;
  const quote = token.slice(p0, p0 + (triple ? 3 : 1));
  const bodyStart = p0 + quote.length;
  const bodyEnd =
    token.endsWith(quote) && token.length >= bodyStart + quote.length ? token.length - quote.length : -1;
  if (bodyEnd < bodyStart) return undefined;
  const p = prefix.toLowerCase();
  return {
    prefix,
    quote,
    bodyStart,
    bodyEnd,
    raw: p.includes('r'),
    bytes: p.includes('b'),
    format: p.includes('f'),
  };
}

const PREFIX_LETTERS = 'rRbBuUfF';

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Decodes escapes of a (non-raw) string body. Unknown escapes are kept verbatim, as Python does. */
export function decodeEscapes(body: string, raw: boolean, bytes: boolean): string {
  if (raw || !body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1] ?? '';
    if (n === '\n') {
      i++;
      continue;
    }
    if (n === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1)) ?? ['0'];
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
      continue;
    }
    const hexLen = n === 'x' ? 2 : !bytes && n === 'u' ? 4 : !bytes && n === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      if (hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
        const cp = parseInt(hex, 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
        i += 1 + hexLen;
        continue;
      }
    }
    // Unknown escape (including \N{...}): Python keeps the backslash.
    out += c;
  }
  return out;
}

/** The value of a complete non-f string literal token, or undefined. */
export function decodeStringToken(token: string): { value: string; bytes: boolean } | undefined {
  const t = splitStringToken(token);
  if (!t || t.format) return undefined;
  return { value: decodeEscapes(token.slice(t.bodyStart, t.bodyEnd), t.raw, t.bytes), bytes: t.bytes };
}

/** Renders a JS string as a Python string literal, preferring the given quote character. */
export function pythonStringLiteral(value: string, quote: "'" | '"' = "'"): string {
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
    else out += ch;
  }
  return quote + out + quote;
}
