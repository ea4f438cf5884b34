/**
 * Shared pieces of Python's string formatting (`%` and `str.format`): repr and str of scalars, exact float
 * rounding, padding, the error a format raises and the Unknown it becomes, and carrying an environment lookup's
 * visible default through a computation. Pure; never throws (`formattedOrUnknown` catches what renderers throw).
 */
import type { Span, UnknownValue, Value } from '../types';
import { unknown } from './values';

/** Widths and precisions beyond this are Unknown (bounded work and output). */
export const MAX_FORMAT_WIDTH = 1000;
/** How deep containers are searched for environment lookups inside format arguments. */
const MAX_LIFT_DEPTH = 20;

/** Python's `repr(float)` (shortest round-trip digits; exponent form below 1e-4 and from 1e16). */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mant, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace(/^-/, '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

/** Python's `repr(str)` for printable ASCII text; undefined for anything else (left Unknown). */
function pyStrRepr(s: string): string | undefined {
  if (!/^[\x20-\x7e\t\n\r]*$/.test(s)) return undefined;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  if (quote === "'") out = out.replace(/'/g, "\\'");
  return quote + out + quote;
}

/** Python's `repr()` of a known scalar; undefined for containers and unknowns. */
export function pyRepr(v: Value): string | undefined {
  switch (v.kind) {
    case 'str':
      return pyStrRepr(v.value);
    case 'int':
      return String(v.value);
    case 'float':
      return pyFloatRepr(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return undefined;
  }
}

/** Python's `str()` of a known scalar (a str is itself, anything else its repr); undefined for containers and unknowns. */
export function pyStrText(v: Value): string | undefined {
  return v.kind === 'str' ? v.value : pyRepr(v);
}

/** A format CPython would reject, or a case not modelled: thrown while rendering, its message becomes the reason. */
export class FormatError extends Error {}

/** The str `render` returns; Unknown "`what`: reason" when it throws (a FormatError's message, else 'unsupported'). */
export function formattedOrUnknown(what: string, span: Span | undefined, render: () => string): Value {
  try {
    return { kind: 'str', value: render(), span };
  } catch (e) {
    return unknown(`${what}: ${e instanceof FormatError ? e.message : 'unsupported'}`, span);
  }
}

/** The exact binary value of a finite double as mantissa × 2^exponent (BigInt mantissa, may be negative). */
function exactParts(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const mant = biased === 0 ? frac : frac | (1n << 52n);
  const exp = (biased === 0 ? 1 : biased) - 1075;
  return { mant: hi >>> 31 ? -mant : mant, exp };
}

/**
 * `x` with `precision` digits after the point, rounded half-to-even on its exact binary value — what CPython's
 * `'%.Nf'` and `'{:.Nf}'` print (JavaScript's toFixed rounds ties away from zero). Finite x only.
 */
export function fixedDigits(x: number, precision: number): string {
  const { mant, exp } = exactParts(x);
  const neg = mant < 0n || Object.is(x, -0);
  const m = mant < 0n ? -mant : mant;
  const scale = 10n ** BigInt(precision);
  let q: bigint;
  if (exp >= 0) q = (m << BigInt(exp)) * scale;
  else {
    const den = 1n << BigInt(-exp);
    const num = m * scale;
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(precision + 1, '0');
  const body = precision > 0 ? `${digits.slice(0, -precision)}.${digits.slice(-precision)}` : digits;
  return (neg ? '-' : '') + body;
}

/** `num / den` rounded half-to-even (non-negative operands). */
function roundHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  return q;
}

/**
 * |x| rounded half-to-even to `n` significant digits on its exact binary value: the digits (n characters) and
 * the decimal exponent of the first one, as CPython's `'%.{n-1}e'` sees them (`{digits: '100', exp: 1}` for
 * 9.9999 at n = 3). Zero gives zeros and exponent 0. Finite x, n ≥ 1.
 */
export function significantDigits(x: number, n: number): { digits: string; exp: number } {
  const { mant, exp } = exactParts(x);
  const m = mant < 0n ? -mant : mant;
  if (m === 0n) return { digits: '0'.repeat(n), exp: 0 };
  let e10 = Math.floor(Math.log10(Math.abs(x)));
  const limit = 10n ** BigInt(n);
  // log10 may be off by one near powers of ten: at most two corrections.
  for (let attempt = 0; attempt < 4; attempt++) {
    const k = n - 1 - e10;
    let num = m;
    let den = 1n;
    if (exp >= 0) num <<= BigInt(exp);
    else den <<= BigInt(-exp);
    if (k >= 0) num *= 10n ** BigInt(k);
    else den *= 10n ** BigInt(-k);
    const q = roundHalfEven(num, den);
    if (q === limit) return { digits: '1' + '0'.repeat(n - 1), exp: e10 + 1 }; // rounded up to 10^n
    const digits = q.toString();
    if (digits.length === n) return { digits, exp: e10 };
    e10 += digits.length > n ? 1 : -1;
  }
  return { digits: '0'.repeat(n), exp: 0 }; // not reached for finite doubles
}

/** The exponent part as CPython writes it: `e+05`, `e-10`, `e+100` (at least two digits). */
function exponentText(exp: number, upper: boolean): string {
  return `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * `'%.{precision}e' % x` without the sign (the caller adds it): CPython's exponent notation, rounded half-to-even
 * on the exact value; `alt` (`#`) keeps the point when precision is 0. Finite x.
 */
export function exponentForm(x: number, precision: number, upper: boolean, alt: boolean): string {
  const { digits, exp } = significantDigits(x, precision + 1);
  const point = precision > 0 || alt ? '.' : '';
  return `${digits[0] ?? '0'}${point}${digits.slice(1)}${exponentText(exp, upper)}`;
}

/**
 * `'%.{precision}g' % x` without the sign: `precision` significant digits (0 counts as 1), exponent notation
 * when the exponent is below -4 or not below the precision, trailing zeros (and a bare point) removed unless
 * `alt`. With `addDot0` (str.format without a type but with a precision, CPython's Py_DTSF_ADD_DOT_0): the
 * switch to exponent notation comes one digit earlier and an integral result gets `.0`. Finite x.
 */
export function generalForm(
  x: number,
  precision: number,
  upper: boolean,
  alt: boolean,
  addDot0 = false,
): string {
  const p = precision === 0 ? 1 : precision;
  const { digits, exp } = significantDigits(x, p);
  const useExp = exp < -4 || exp >= (addDot0 ? p - 1 : p);
  let intPart: string;
  let frac: string;
  if (useExp) {
    intPart = digits[0] ?? '0';
    frac = digits.slice(1);
  } else if (exp >= 0) {
    intPart = digits.slice(0, exp + 1);
    frac = digits.slice(exp + 1);
  } else {
    intPart = '0';
    frac = '0'.repeat(-exp - 1) + digits;
  }
  if (!alt) frac = frac.replace(/0+$/, '');
  let body = frac !== '' || alt ? `${intPart}.${frac}` : intPart;
  if (addDot0 && !useExp && frac === '') body = `${intPart}.0`;
  return useExp ? body + exponentText(exp, upper) : body;
}

/**
 * Finite `x` ≥ 0 as the float types `e E f F g G` of both `%` and `str.format` write it, without the sign:
 * `precision` 6 when not given; `alt` (`#`) keeps the point.
 */
export function floatForm(x: number, type: string, precision: number | undefined, alt: boolean): string {
  const p = precision ?? 6;
  const upper = type === type.toUpperCase();
  const lower = type.toLowerCase();
  if (lower === 'e') return exponentForm(x, p, upper, alt);
  if (lower === 'g') return generalForm(x, p, upper, alt);
  const body = fixedDigits(x, p);
  return alt && !body.includes('.') ? body + '.' : body;
}

/** Pads `s` to `width` with `fill`: '<' left, '>' right, '^' centre (extra on the right, like CPython). */
export function pad(s: string, width: number, align: '<' | '>' | '^', fill = ' '): string {
  const n = width - s.length;
  if (n <= 0) return s;
  if (align === '<') return s + fill.repeat(n);
  if (align === '>') return fill.repeat(n) + s;
  const left = Math.floor(n / 2);
  return fill.repeat(left) + s + fill.repeat(n - left);
}

/** Every environment lookup (or other Unknown) inside a value, searched through containers. */
function unknownsIn(v: Value, out: UnknownValue[], depth: number): boolean {
  if (depth > MAX_LIFT_DEPTH) return false;
  if (v.kind === 'unknown') out.push(v);
  else if (v.kind === 'list' || v.kind === 'tuple')
    return v.items.every((i) => unknownsIn(i, out, depth + 1));
  else if (v.kind === 'dict')
    return v.entries.every((e) => unknownsIn(e.key, out, depth + 1) && unknownsIn(e.value, out, depth + 1));
  return true;
}

/** The value with each Unknown replaced by its visible default (undefined when one has none). */
function substituteDefaults(v: Value, depth: number): Value | undefined {
  if (v.kind === 'unknown')
    return v.default && v.default.kind !== 'unknown' && v.default.kind !== 'oneOf' ? v.default : undefined;
  if (depth > MAX_LIFT_DEPTH) return undefined;
  if (v.kind === 'list' || v.kind === 'tuple') {
    const items: Value[] = [];
    for (const i of v.items) {
      const d = substituteDefaults(i, depth + 1);
      if (!d) return undefined;
      items.push(d);
    }
    return { ...v, items };
  }
  if (v.kind === 'dict') {
    const entries = [];
    for (const e of v.entries) {
      const key = substituteDefaults(e.key, depth + 1);
      const value = substituteDefaults(e.value, depth + 1);
      if (!key || !value) return undefined;
      entries.push({ ...e, key, value });
    }
    return { ...v, entries };
  }
  return v;
}

/**
 * A computation over values some of which are environment lookups: undefined when none is, so the caller
 * computes as usual. Otherwise Unknown naming the variables, with the computation over their visible defaults
 * as its default ("if X is unset", like f-strings) when every lookup has one and the computation succeeds.
 */
export function withEnvDefaults(
  inputs: readonly Value[],
  compute: (values: Value[]) => Value,
  span: Span | undefined,
  whenSet: UnknownValue['whenSet'],
): Value | undefined {
  const found: UnknownValue[] = [];
  const searched = inputs.every((v) => unknownsIn(v, found, 0));
  const first = found[0];
  if (!first) return searched ? undefined : unknown('value nested too deep', span);
  const names = [...new Set(found.flatMap((u) => (u.envVar ? [u.envVar] : [])))];
  const envVar = names.length > 0 ? names.join(', ') : undefined;
  const anyWithout = found.some((u) => !u.envVar);
  const substituted = inputs.map((v) => substituteDefaults(v, 0));
  let dflt: Value | undefined;
  if (!anyWithout && searched && substituted.every((v): v is Value => v !== undefined)) {
    const r = compute(substituted);
    if (r.kind !== 'unknown' && r.kind !== 'oneOf') dflt = { ...r, span };
  }
  const reason = found.find((u) => !u.envVar)?.reason ?? first.reason;
  if (anyWithout) return unknown(reason, span);
  return unknown(reason, span, { envVar, default: dflt, whenSet: envVar ? whenSet : undefined });
}
