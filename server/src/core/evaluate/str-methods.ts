/**
 * The str methods settings files use, on known strings, as CPython computes them: lower, upper, strip (with or
 * without characters), replace, split/rsplit (sep, maxsplit), join, startswith/endswith, removeprefix/
 * removesuffix and format (str-format.ts). Whitespace and case rules are CPython's for ASCII text; other text,
 * and any argument shape not modelled, is Unknown — never a wrong value. Environment lookups among the receiver
 * and arguments are handled by the caller (calls.ts), which calls here with their defaults.
 */
import type { Span, Value } from '../types';
import type { CallArgs } from './calls';
import { strFormat } from './str-format';
import { MAX_BUILT_LENGTH } from './value-depth';
import { unknown } from './values';

export const STR_METHODS = new Set([
  'lower',
  'upper',
  'strip',
  'lstrip',
  'rstrip',
  'replace',
  'split',
  'rsplit',
  'join',
  'startswith',
  'endswith',
  'removeprefix',
  'removesuffix',
  'format',
]);

/** CPython's str.isspace() for ASCII characters. */
const WHITESPACE = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f';
const ASCII = { test: (s: string): boolean => ![...s].some((c) => c.charCodeAt(0) > 0x7f) };

/** CPython's `s.split()` (no separator) for ASCII text: runs of whitespace separate, none at the ends. */
function splitWhitespace(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of s) {
    if (WHITESPACE.includes(c)) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

function strip(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a] as string)) a++;
  while (right && b > a && chars.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

function strList(items: readonly string[], span: Span): Value {
  return { kind: 'list', items: items.map((p) => ({ kind: 'str', value: p, span })), span };
}

/** `s.split(sep, maxsplit)` / `s.rsplit(…)`; undefined when the case is not modelled. */
function split(s: string, args: CallArgs, fromRight: boolean): string[] | undefined {
  const sepV = args.positional[0] ?? args.keywords.get('sep');
  const maxV = args.positional[1] ?? args.keywords.get('maxsplit');
  if (args.positional.length > 2 || [...args.keywords.keys()].some((k) => k !== 'sep' && k !== 'maxsplit'))
    return undefined;
  const max = maxV === undefined ? -1 : maxV.kind === 'int' ? maxV.value : undefined;
  if (max === undefined) return undefined;
  if (sepV === undefined || sepV.kind === 'none') {
    if (max >= 0 || !ASCII.test(s)) return undefined;
    return splitWhitespace(s);
  }
  if (sepV.kind !== 'str' || sepV.value === '') return undefined;
  const all = s.split(sepV.value);
  if (max < 0 || all.length - 1 <= max) return all;
  const sep = sepV.value;
  if (fromRight) return [all.slice(0, all.length - max).join(sep), ...all.slice(all.length - max)];
  return [...all.slice(0, max), all.slice(max).join(sep)];
}

function affix(s: string, method: string, arg: Value | undefined, span: Span): Value {
  const test = (p: string): boolean => (method === 'startswith' ? s.startsWith(p) : s.endsWith(p));
  if (arg?.kind === 'str') return { kind: 'bool', value: test(arg.value), span };
  if (arg?.kind === 'tuple' && !arg.open && arg.items.every((i) => i.kind === 'str'))
    return { kind: 'bool', value: arg.items.some((i) => i.kind === 'str' && test(i.value)), span };
  return unknown(`str.${method}()`, span);
}

function join(sep: string, seq: Value | undefined, span: Span): Value {
  let parts: string[] | undefined;
  if (seq?.kind === 'str') parts = [...seq.value];
  else if (
    (seq?.kind === 'list' || seq?.kind === 'tuple') &&
    !seq.open &&
    seq.items.every((i) => i.kind === 'str')
  )
    parts = seq.items.map((i) => (i.kind === 'str' ? i.value : ''));
  if (!parts) return unknown('str.join() of items not all known strings', span);
  let length = sep.length * Math.max(0, parts.length - 1);
  for (const p of parts) length += p.length;
  return length > MAX_BUILT_LENGTH
    ? unknown('string too long', span)
    : { kind: 'str', value: parts.join(sep), span };
}

/** `s.method(*args)` for a known string `s`. */
export function strMethod(s: string, method: string, args: CallArgs, span: Span): Value {
  const [a, b, c] = args.positional;
  const str = (value: string): Value => ({ kind: 'str', value, span });
  if (method === 'format') return strFormat(s, args, span);
  if (method === 'split' || method === 'rsplit') {
    const parts = split(s, args, method === 'rsplit');
    return parts ? strList(parts, span) : unknown(`str.${method}()`, span);
  }
  if (args.open || args.keywords.size > 0) return unknown(`str.${method}() with these arguments`, span);
  switch (method) {
    case 'lower':
    case 'upper':
      if (a || !ASCII.test(s)) return unknown(`str.${method}() of non-ASCII text`, span);
      return str(method === 'lower' ? s.toLowerCase() : s.toUpperCase());
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      const chars =
        a === undefined || a.kind === 'none' ? WHITESPACE : a.kind === 'str' ? a.value : undefined;
      if (chars === undefined || b || (chars === WHITESPACE && !ASCII.test(s)))
        return unknown(`str.${method}()`, span);
      return str(strip(s, chars, method !== 'rstrip', method !== 'lstrip'));
    }
    case 'replace': {
      const count = c === undefined ? -1 : c.kind === 'int' ? c.value : undefined;
      if (a?.kind !== 'str' || b?.kind !== 'str' || a.value === '' || count === undefined)
        return unknown('str.replace()', span);
      const pieces = s.split(a.value);
      const replaced = count < 0 ? pieces.length - 1 : Math.min(count, pieces.length - 1);
      if (s.length + replaced * (b.value.length - a.value.length) > MAX_BUILT_LENGTH)
        return unknown('string too long', span);
      if (count < 0 || count >= pieces.length - 1) return str(pieces.join(b.value));
      return str(pieces.slice(0, count + 1).join(b.value) + a.value + pieces.slice(count + 1).join(a.value));
    }
    case 'join':
      return b ? unknown('str.join()', span) : join(s, a, span);
    case 'startswith':
    case 'endswith':
      return b ? unknown(`str.${method}() with a range`, span) : affix(s, method, a, span);
    case 'removeprefix':
    case 'removesuffix': {
      if (a?.kind !== 'str' || b) return unknown(`str.${method}()`, span);
      const p = a.value;
      if (method === 'removeprefix') return str(p !== '' && s.startsWith(p) ? s.slice(p.length) : s);
      return str(p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
    }
    default:
      return unknown(`str.${method}()`, span);
  }
}
