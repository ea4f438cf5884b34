/**
 * printf-style `fmt % args` as CPython computes it: %s %r %a %d %i %u %x %X %o %e %E %f %F %g %G %c %% with a
 * tuple, a single value or a dict (`%(name)s`), flags `-+ #0`, width and precision (also `*`). Anything else
 * (str() of containers, inf/nan, TypeErrors) is Unknown with a reason — never a wrong value. An environment lookup among the
 * arguments keeps its variable and the formatted default ("if X is unset").
 */
import type { Span, Value } from '../types';
import {
  floatForm,
  FormatError,
  formattedOrUnknown,
  MAX_FORMAT_WIDTH,
  pad,
  pyRepr,
  pyStrText,
  withEnvDefaults,
} from './format-values';
import { MAX_BUILT_LENGTH } from './value-depth';
import { dictLookup } from './values';

const SPEC = /%(?:\(([^()]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)/gy;

interface Spec {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | undefined;
  readonly conv: string;
}

/** `fmt % args`; Unknown (reason "% formatting: …") when CPython would raise or the case is not modelled. */
export function percentFormat(fmt: string, args: Value, span: Span | undefined): Value {
  const lifted = withEnvDefaults([args], ([a]) => percentKnown(fmt, a as Value, span), span, 'str');
  return lifted ?? percentKnown(fmt, args, span);
}

function percentKnown(fmt: string, args: Value, span: Span | undefined): Value {
  return formattedOrUnknown('% formatting', span, () => render(fmt, args));
}

function render(fmt: string, args: Value): string {
  if (args.kind === 'oneOf') throw new FormatError('the arguments depend on a condition');
  const tuple = args.kind === 'tuple';
  if ((args.kind === 'tuple' || args.kind === 'list' || args.kind === 'dict') && args.open)
    throw new FormatError('arguments not all known');
  const positional: readonly Value[] = args.kind === 'tuple' ? args.items : [args];
  let next = 0;
  const take = (): Value => {
    const v = positional[next++];
    if (!v) throw new FormatError('not enough arguments');
    return v;
  };
  let out = '';
  let pos = 0;
  while (pos < fmt.length) {
    const at = fmt.indexOf('%', pos);
    if (at < 0) {
      out += fmt.slice(pos);
      break;
    }
    out += fmt.slice(pos, at);
    SPEC.lastIndex = at;
    const m = SPEC.exec(fmt);
    if (!m || m[5] === '') throw new FormatError('incomplete format');
    pos = SPEC.lastIndex;
    const [whole, key, flags = '', widthText, precText, conv = ''] = m;
    if (conv === '%') {
      if (whole !== '%%') throw new FormatError("'%' with flags");
      out += '%';
      continue;
    }
    const star = (t: string | undefined): number | undefined => {
      if (t !== '*') return t === undefined ? undefined : t === '' ? 0 : Number(t);
      const v = take();
      if (v.kind !== 'int') throw new FormatError('* wants an int');
      return v.value;
    };
    let width = star(widthText) ?? 0;
    let fl = flags;
    if (width < 0) {
      fl += '-';
      width = -width;
    }
    const precision = star(precText);
    if (width > MAX_FORMAT_WIDTH || (precision ?? 0) > MAX_FORMAT_WIDTH)
      throw new FormatError('width too large');
    let value: Value;
    if (key !== undefined) {
      if (args.kind !== 'dict') throw new FormatError('format requires a mapping');
      const found = dictLookup(args, { kind: 'str', value: key });
      if (found.found !== true) throw new FormatError(`key '${key}' not known`);
      value = found.entry.value;
    } else value = take();
    out += convert({ flags: fl, width, precision, conv }, value);
    if (out.length > MAX_BUILT_LENGTH) throw new FormatError('result too long');
  }
  if (args.kind !== 'dict' && next < (tuple ? positional.length : 1))
    throw new FormatError('not all arguments converted');
  return out;
}

/** One conversion of one value. */
function convert(spec: Spec, v: Value): string {
  const left = spec.flags.includes('-');
  switch (spec.conv) {
    case 's':
    case 'r':
    case 'a': {
      let s = spec.conv === 's' ? pyStrText(v) : pyRepr(v);
      if (s === undefined) throw new FormatError(`%${spec.conv} of a ${v.kind}`);
      if (/[\uD800-\uDFFF]/.test(s)) throw new FormatError('text outside the basic plane');
      if (spec.precision !== undefined) s = s.slice(0, spec.precision);
      return pad(s, spec.width, left ? '<' : '>');
    }
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o':
      return integer(spec, v);
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      return floating(spec, v);
    case 'c':
      return pad(character(v), spec.width, left ? '<' : '>');
    default:
      throw new FormatError(`%${spec.conv} is not modelled`);
  }
}

function signOf(negative: boolean, flags: string): string {
  return negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

/** Sign, prefix and digits padded to the width: zeros after the sign with `0`, spaces otherwise. */
function numeric(spec: Spec, sign: string, prefix: string, digits: string): string {
  const head = sign + prefix;
  if (spec.flags.includes('-')) return pad(head + digits, spec.width, '<');
  if (spec.flags.includes('0')) return head + digits.padStart(spec.width - head.length, '0');
  return pad(head + digits, spec.width, '>');
}

function integer(spec: Spec, v: Value): string {
  let n: number;
  if (v.kind === 'int') n = v.value;
  else if (v.kind === 'bool') n = v.value ? 1 : 0;
  else if (v.kind === 'float' && 'diu'.includes(spec.conv) && Number.isFinite(v.value)) {
    n = Math.trunc(v.value);
    if (!Number.isSafeInteger(n)) throw new FormatError('integer beyond exact range');
  } else throw new FormatError(`%${spec.conv} of a ${v.kind}`);
  const base = spec.conv === 'o' ? 8 : 'xX'.includes(spec.conv) ? 16 : 10;
  let digits = Math.abs(n).toString(base);
  if (spec.conv === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
  const prefix = spec.flags.includes('#') && base !== 10 ? `0${spec.conv === 'o' ? 'o' : spec.conv}` : '';
  return numeric(spec, signOf(n < 0, spec.flags), prefix, digits);
}

function floating(spec: Spec, v: Value): string {
  const x =
    v.kind === 'int' || v.kind === 'float' ? v.value : v.kind === 'bool' ? Number(v.value) : undefined;
  if (x === undefined || !Number.isFinite(x)) throw new FormatError(`%${spec.conv} of a ${v.kind}`);
  const negative = x < 0 || Object.is(x, -0);
  const body = floatForm(Math.abs(x), spec.conv, spec.precision, spec.flags.includes('#'));
  return numeric(spec, signOf(negative, spec.flags), '', body);
}

/** `%c`: an int code point or a one-character str (characters outside the basic plane stay Unknown: widths count them differently). */
function character(v: Value): string {
  if (v.kind === 'str' && v.value.length === 1 && !/[\uD800-\uDFFF]/.test(v.value)) return v.value;
  if (v.kind === 'int' && v.value >= 0 && v.value <= 0xffff && (v.value < 0xd800 || v.value > 0xdfff))
    return String.fromCharCode(v.value);
  throw new FormatError(`%c of this ${v.kind}`);
}
