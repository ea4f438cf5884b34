/**
 * `str.format` as CPython computes it: automatic and explicit positional fields, named fields, `[index]`
 * access into known lists, tuples and dicts, `!s`/`!r`/`!a`, and the format specs settings use (fill, align,
 * sign, `#`, `0`, width, `,`/`_` grouping of ints, precision, types s d x X o b f F %). Attribute access,
 * nested fields and other types are Unknown with a reason — never a wrong value. An environment lookup among
 * the arguments keeps its variable and the formatted default ("if X is unset").
 */
import type { Span, Value } from '../types';
import type { CallArgs } from './calls';
import { fixedDigits, MAX_FORMAT_WIDTH, pad, pyFloatRepr, pyRepr, withEnvDefaults } from './format-values';
import { dictLookup, unknown } from './values';

class FormatError extends Error {}

const SPEC = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([sdxXobfF%])?$/;

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
  try {
    return { kind: 'str', value: render(fmt, args), span };
  } catch (e) {
    return unknown(`str.format(): ${e instanceof FormatError ? e.message : 'unsupported'}`, span);
  }
}

function render(fmt: string, args: CallArgs): string {
  let out = '';
  let auto: number | 'manual' | undefined;
  const re = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;
  let pos = 0;
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    out += fmt.slice(pos, m.index);
    pos = re.lastIndex;
    if (m[0] === '{{' || m[0] === '}}') out += m[0][0];
    else if (m[1] === undefined) throw new FormatError('single brace or nested field');
    else {
      const field = parseField(m[1]);
      let index: number | string = field.first;
      if (index === '') {
        if (auto === 'manual') throw new FormatError('mixed automatic and manual numbering');
        index = auto ?? 0;
        auto = index + 1;
      } else if (typeof index === 'number') {
        if (typeof auto === 'number') throw new FormatError('mixed automatic and manual numbering');
        auto = 'manual';
      }
      let v = typeof index === 'number' ? args.positional[index] : args.keywords.get(index);
      if (!v) throw new FormatError(`no argument for field '${m[1]}'`);
      for (const key of field.keys) v = item(v, key);
      out += formatValue(conversion(v, field.conv), field.spec);
    }
  }
  return out + fmt.slice(pos);
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
  const s =
    conv === 's'
      ? v.kind === 'str'
        ? v.value
        : v.kind === 'float'
          ? pyFloatRepr(v.value)
          : pyRepr(v)
      : pyRepr(v);
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
    const s = v.kind === 'str' ? v.value : v.kind === 'float' ? pyFloatRepr(v.value) : pyRepr(v);
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
  if ('fF%'.includes(type)) return formatFloat(n, spec);
  if (type === 's' || spec.precision !== undefined) throw new FormatError(`'${type}' or precision on an int`);
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
  if (spec.grouping) throw new FormatError('grouping of a float');
  const type = spec.type;
  let body: string;
  if (type === undefined) {
    if (spec.precision !== undefined || spec.alt)
      throw new FormatError("precision or '#' without a type on a float");
    body = pyFloatRepr(x);
  } else if (type === 'f' || type === 'F' || type === '%') {
    body = fixedDigits(type === '%' ? x * 100 : x, spec.precision ?? 6);
    if (spec.alt && !body.includes('.')) body += '.';
    if (type === '%') body += '%';
  } else throw new FormatError(`'${type}' on a float`);
  const negative = body.startsWith('-');
  return place(spec, signOf(negative, spec.sign), '', body.replace(/^-/, ''));
}
