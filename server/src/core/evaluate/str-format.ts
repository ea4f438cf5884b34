/**
 * `str.format` as CPython computes it: automatic and explicit positional fields, named fields, `[index]`
 * access into known lists, tuples and dicts, `!s`/`!r`/`!a`, format specs (fill, align, sign, `#`, `0`, width,
 * `,`/`_` grouping, precision, types s d x X o b c e E f F g G % and none) with replacement fields nested in
 * them (`'{:{w}.{p}f}'`). `formatField` is the same `format(value, spec)` for f-strings. Attribute access, the
 * locale's `n` and other types are Unknown with a reason — never a wrong value. An environment lookup among
 * the arguments keeps its variable and the formatted default ("if X is unset").
 */
import type { Span, Value } from '../types';
import type { CallArgs } from './calls';
import {
  floatForm,
  FormatError,
  formattedOrUnknown,
  generalForm,
  MAX_FORMAT_WIDTH,
  pad,
  pyFloatRepr,
  pyRepr,
  pyStrText,
  withEnvDefaults,
} from './format-values';
import { MAX_BUILT_LENGTH } from './value-depth';
import { dictLookup, unknown } from './values';

const SPEC = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([sdxXobceEfFgG%])?$/;

/** `fmt.format(*args, **kwargs)`. */
export function strFormat(fmt: string, args: CallArgs, span: Span): Value {
  if (args.open) return unknown('str.format() with unknown arguments', span);
  const names = [...args.keywords.keys()];
  const inputs = [...args.positional, ...args.keywords.values()];
  const compute = (vals: Value[]): Value => {
    const keywords = new Map(names.map((n, i) => [n, vals[args.positional.length + i] as Value]));
    return formatKnown(
      fmt,
      { positional: vals.slice(0, args.positional.length), keywords, open: false },
      span,
    );
  };
  return withEnvDefaults(inputs, compute, span, 'str') ?? compute(inputs);
}

function formatKnown(fmt: string, args: CallArgs, span: Span): Value {
  return formattedOrUnknown('str.format()', span, () => render(fmt, args));
}

/** The numbering state of one format string: automatic (`{}`) or manual (`{0}`), never both. */
interface Numbering {
  auto: number | 'manual' | undefined;
}

function render(
  fmt: string,
  args: CallArgs,
  numbering: Numbering = { auto: undefined },
  nested = false,
): string {
  let out = '';
  let pos = 0;
  while (pos < fmt.length) {
    const c = fmt[pos] as string;
    if (c === '}') {
      if (fmt[pos + 1] !== '}') throw new FormatError('single }');
      out += '}';
      pos += 2;
    } else if (c === '{') {
      if (fmt[pos + 1] === '{') {
        out += '{';
        pos += 2;
        continue;
      }
      const end = fieldEnd(fmt, pos);
      out += replacement(fmt.slice(pos + 1, end), args, numbering, nested);
      if (out.length > MAX_BUILT_LENGTH) throw new FormatError('result too long');
      pos = end + 1;
    } else {
      const next = fmt.slice(pos).search(/[{}]/);
      const stop = next < 0 ? fmt.length : pos + next;
      out += fmt.slice(pos, stop);
      pos = stop;
    }
  }
  return out;
}

/** The index of the `}` closing the field opened at `open` (braces nested in its spec counted). */
function fieldEnd(fmt: string, open: number): number {
  let depth = 1;
  for (let i = open + 1; i < fmt.length; i++) {
    if (fmt[i] === '{') depth++;
    else if (fmt[i] === '}' && --depth === 0) return i;
  }
  throw new FormatError('unclosed field');
}

/** One replacement field's text (between its braces): the argument, converted and formatted by its spec. */
function replacement(text: string, args: CallArgs, numbering: Numbering, nested = false): string {
  const field = parseField(text);
  if (nested && text.includes('{')) throw new FormatError('fields nested more than one level');
  let index: number | string = field.first;
  if (index === '') {
    if (numbering.auto === 'manual') throw new FormatError('mixed automatic and manual numbering');
    index = numbering.auto ?? 0;
    numbering.auto = index + 1;
  } else if (typeof index === 'number') {
    if (typeof numbering.auto === 'number') throw new FormatError('mixed automatic and manual numbering');
    numbering.auto = 'manual';
  }
  let v = typeof index === 'number' ? args.positional[index] : args.keywords.get(index);
  if (!v) throw new FormatError(`no argument for field '${text}'`);
  for (const key of field.keys) v = item(v, key);
  // Fields nested in the spec are filled after the field's own argument is chosen, as CPython does.
  const spec = field.spec.includes('{') ? render(field.spec, args, numbering, true) : field.spec;
  return formatField(v, field.conv, spec);
}

/** `format(conv(v), spec)`: what an f-string field or a str.format field holds; throws FormatError when not modelled. */
export function formatField(v: Value, conv: string | undefined, spec: string): string {
  return formatValue(conversion(v, conv), spec);
}

interface Field {
  readonly first: number | string;
  readonly keys: readonly (number | string)[];
  readonly conv: string | undefined;
  readonly spec: string;
}

function parseField(text: string): Field {
  const m = /^([^.[!:]*)((?:\[[^\]!:]*\])*)(?:!([^:]*))?(?::(.*))?$/s.exec(text);
  if (!m) throw new FormatError('attribute or unusual field name');
  const [, first = '', access = '', conv, spec = ''] = m;
  const keys = [...access.matchAll(/\[([^\]]*)\]/g)].map((k) => {
    const key = k[1] ?? '';
    if (key === '') throw new FormatError('empty index');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
  if (conv !== undefined && !['s', 'r', 'a'].includes(conv)) throw new FormatError(`conversion !${conv}`);
  return { first: /^\d+$/.test(first) ? Number(first) : first, keys, conv, spec };
}

function item(v: Value, key: number | string): Value {
  if ((v.kind === 'list' || v.kind === 'tuple') && !v.open && typeof key === 'number') {
    const r = v.items[key];
    if (r) return r;
  }
  if (v.kind === 'dict') {
    const k: Value = typeof key === 'number' ? { kind: 'int', value: key } : { kind: 'str', value: key };
    const found = dictLookup(v, k);
    if (found.found === true) return found.entry.value;
  }
  throw new FormatError(`[${key}] of a ${v.kind} not known`);
}

function conversion(v: Value, conv: string | undefined): Value {
  if (conv === undefined) return v;
  const s = conv === 's' ? pyStrText(v) : pyRepr(v);
  if (s === undefined) throw new FormatError(`!${conv} of a ${v.kind}`);
  return { kind: 'str', value: s };
}

interface Spec {
  readonly fill: string;
  readonly align: string | undefined;
  readonly sign: string;
  readonly alt: boolean;
  readonly width: number;
  readonly grouping: string | undefined;
  readonly precision: number | undefined;
  readonly type: string | undefined;
  readonly zero: boolean;
}

function parseSpec(text: string, defaultAlign: '<' | '>'): Spec {
  const m = SPEC.exec(text);
  if (!m) throw new FormatError(`format spec '${text}' is not modelled`);
  const [, fill, align, sign = '', z, alt, zero, width, grouping, precision, type] = m;
  if (z) throw new FormatError("'z' option");
  const w = width ? Number(width) : 0;
  const p = precision === undefined ? undefined : Number(precision);
  if (w > MAX_FORMAT_WIDTH || (p ?? 0) > MAX_FORMAT_WIDTH) throw new FormatError('width too large');
  const zeroFill = zero !== undefined && fill === undefined;
  return {
    fill: fill ?? (zero ? '0' : ' '),
    align: align ?? (zeroFill && defaultAlign === '>' ? '=' : undefined),
    sign,
    alt: alt !== undefined,
    width: w,
    grouping,
    precision: p,
    type,
    zero: zero !== undefined,
  };
}

/** `format(v, spec)` for the modelled types. */
function formatValue(v: Value, specText: string): string {
  if (specText === '') {
    const s = pyStrText(v);
    if (s === undefined) throw new FormatError(`format() of a ${v.kind}`);
    return s;
  }
  if (v.kind === 'str') {
    const spec = parseSpec(specText, '<');
    if (spec.sign || spec.alt || spec.grouping || spec.align === '=' || (spec.type && spec.type !== 's'))
      throw new FormatError('spec not allowed for a str');
    if (spec.zero) throw new FormatError("'0' on a str differs across Python versions");
    const s = spec.precision === undefined ? v.value : v.value.slice(0, spec.precision);
    if (/[\uD800-\uDFFF]/.test(s)) throw new FormatError('text outside the basic plane');
    return pad(s, spec.width, (spec.align ?? '<') as '<' | '>' | '^', spec.fill);
  }
  if (v.kind === 'int') return formatInt(v.value, parseSpec(specText, '>'));
  // A bool with a spec formats as the int it is (`format(True, '>3')` is '  1').
  if (v.kind === 'bool') return formatInt(v.value ? 1 : 0, parseSpec(specText, '>'));
  if (v.kind === 'float') return formatFloat(v.value, parseSpec(specText, '>'));
  throw new FormatError(`format spec on a ${v.kind}`);
}

function group(digits: string, sep: string, every: number): string {
  let out = '';
  for (let i = digits.length; i > 0; i -= every)
    out = digits.slice(Math.max(0, i - every), i) + (out ? sep + out : '');
  return out;
}

function place(spec: Spec, sign: string, prefix: string, body: string): string {
  const head = sign + prefix;
  const align = spec.align ?? '>';
  if (align === '=')
    return head + spec.fill.repeat(Math.max(0, spec.width - head.length - body.length)) + body;
  return pad(head + body, spec.width, align as '<' | '>' | '^', spec.fill);
}

function signOf(negative: boolean, sign: string): string {
  return negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
}

function formatInt(n: number, spec: Spec): string {
  const type = spec.type ?? 'd';
  if ('eEfFgG%'.includes(type)) return formatFloat(n, spec);
  if (type === 's' || spec.precision !== undefined) throw new FormatError(`'${type}' or precision on an int`);
  if (type === 'c') {
    if (spec.sign || spec.alt || spec.grouping) throw new FormatError("sign, '#' or grouping with 'c'");
    if (n < 0 || n > 0xffff || (n >= 0xd800 && n <= 0xdfff))
      throw new FormatError("'c' outside the basic plane");
    return place(spec, '', '', String.fromCharCode(n));
  }
  if (spec.grouping && spec.fill === '0' && spec.align === '=')
    throw new FormatError('grouping with 0-padding');
  const base = type === 'x' || type === 'X' ? 16 : type === 'o' ? 8 : type === 'b' ? 2 : 10;
  let digits = Math.abs(n).toString(base);
  if (type === 'X') digits = digits.toUpperCase();
  if (spec.grouping) {
    if (base === 10) digits = group(digits, spec.grouping, 3);
    else if (spec.grouping === '_') digits = group(digits, '_', 4);
    else throw new FormatError("',' with a non-decimal type");
  }
  const prefix = spec.alt && base !== 10 ? `0${type === 'X' ? 'X' : type}` : '';
  return place(spec, signOf(n < 0, spec.sign), prefix, digits);
}

function formatFloat(x: number, spec: Spec): string {
  if (!Number.isFinite(x)) throw new FormatError('inf or nan');
  if (spec.grouping && spec.fill === '0' && spec.align === '=')
    throw new FormatError('grouping with 0-padding');
  const type = spec.type;
  const negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  if (type === undefined) {
    if (spec.alt) throw new FormatError("'#' without a type on a float");
    // No type: repr, or with a precision 'g' that keeps a '.0' (CPython's Py_DTSF_ADD_DOT_0).
    body = spec.precision === undefined ? pyFloatRepr(a) : generalForm(a, spec.precision, false, false, true);
  } else if (type === '%') body = floatForm(a * 100, 'f', spec.precision, spec.alt) + '%';
  else if ('eEfFgG'.includes(type)) body = floatForm(a, type, spec.precision, spec.alt);
  else throw new FormatError(`'${type}' on a float`);
  if (spec.grouping) {
    // The separators go into the digits before the point or the exponent.
    const lead = /^\d+/.exec(body)?.[0] ?? '';
    body = group(lead, spec.grouping, 3) + body.slice(lead.length);
  }
  return place(spec, signOf(negative, spec.sign), '', body);
}

/**
 * An f-string replacement field with a conversion, a format spec or `=`: `prefix` (the `x=` text of a
 * self-documenting field) then `format(conv(v), spec)`, the spec's nested fields (`f'{x:{w}}'`, already
 * formatted) spliced in. Unknown with a reason where CPython would raise or the case is not modelled; an
 * environment lookup keeps its variable and the formatted default.
 */
export function fstringField(
  prefix: string,
  v: Value,
  conv: string | undefined,
  specParts: readonly (string | Value)[],
  span: Span,
): Value {
  const nested = specParts.filter((p): p is Value => typeof p !== 'string');
  const compute = (vals: Value[]): Value =>
    formattedOrUnknown('f-string field', span, () => {
      let i = 1;
      let spec = '';
      for (const p of specParts) {
        if (typeof p === 'string') spec += p;
        else {
          const n = vals[i++];
          if (n?.kind !== 'str') throw new FormatError('a nested field that is not known');
          spec += n.value;
        }
      }
      return prefix + formatField(vals[0] as Value, conv, spec);
    });
  const inputs = [v, ...nested];
  return withEnvDefaults(inputs, compute, span, 'str') ?? compute(inputs);
}
