/** Python operators on statically known values (`+`, `%`, comparisons …); anything undecidable is Unknown. */
import type { Span, UnknownValue, Value } from '../types';
import { pyStrText } from './format-values';
import { percentFormat } from './percent-format';
import { MAX_BUILT_LENGTH } from './value-depth';
import { possibilities, pyEquals, unknown } from './values';

/** Python `str(v)` for known scalars, as a str value. */
export function pyStr(v: Value): Value | undefined {
  if (v.kind === 'str') return v;
  const text = pyStrText(v);
  return text === undefined ? undefined : { kind: 'str', value: text, span: v.span };
}

/**
 * Concatenates string parts. Known when every part is a known string; otherwise Unknown carrying the known
 * literal parts and, when every unknown part has a visible default, the default of the whole string.
 */
export function concatParts(parts: readonly Value[], span: Span): Value {
  if (parts.every((p) => p.kind === 'str')) {
    let length = 0;
    for (const p of parts) length += p.kind === 'str' ? p.value.length : 0;
    if (length > MAX_BUILT_LENGTH) return unknown('string too long', span);
    return { kind: 'str', value: parts.map((p) => (p.kind === 'str' ? p.value : '')).join(''), span };
  }
  const out: (string | null)[] = [];
  const push = (p: string | null): void => {
    const last = out[out.length - 1];
    if (p !== null && typeof last === 'string') out[out.length - 1] = last + p;
    else if (!(p === null && last === null)) out.push(p);
  };
  let defaultText: string | undefined = '';
  let firstUnknown: UnknownValue | undefined;
  for (const p of parts) {
    if (p.kind === 'str') {
      push(p.value);
      if (defaultText !== undefined) defaultText += p.value;
      continue;
    }
    if (p.kind === 'unknown') {
      firstUnknown ??= p;
      if (p.parts) p.parts.forEach(push);
      else push(null);
      const d = p.default ? pyStr(p.default) : undefined;
      if (defaultText !== undefined && d?.kind === 'str') defaultText += d.value;
      else defaultText = undefined;
      continue;
    }
    push(null);
    defaultText = undefined;
  }
  const envVars = [...new Set(parts.flatMap((p) => (p.kind === 'unknown' && p.envVar ? [p.envVar] : [])))];
  return unknown(firstUnknown?.reason ?? 'string built from unknown parts', span, {
    parts: out,
    envVar: envVars.length > 0 ? envVars.join(', ') : undefined,
    default:
      defaultText !== undefined && firstUnknown?.envVar
        ? { kind: 'str', value: defaultText, span }
        : undefined,
  });
}

function num(v: Value): number | undefined {
  if (v.kind === 'int' || v.kind === 'float') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  return undefined;
}

function numResult(n: number, isFloat: boolean, span: Span | undefined): Value {
  if (!Number.isFinite(n)) return unknown('arithmetic overflow', span);
  if (isFloat || !Number.isInteger(n)) return { kind: 'float', value: n, span };
  // Python ints are exact and have no -0: past 2**53 a double would be a different number.
  if (!Number.isSafeInteger(n)) return unknown('integer beyond exact range', span);
  return { kind: 'int', value: n === 0 ? 0 : n, span };
}

/** Applies a binary operator (`+`, `%`, `==`, `in`, …). Comparisons give bool; anything else undecidable is Unknown. */
export function binaryOp(op: string, l: Value, r: Value): Value {
  const span =
    l.span && r.span && l.span.file === r.span.file
      ? { file: l.span.file, from: l.span.from, to: r.span.to }
      : l.span;
  // printf-style formatting keeps the environment condition of its arguments (percent-format.ts).
  if (op === '%' && l.kind === 'str') return percentFormat(l.value, r, span);
  // With a visible default on one side, compute the default of the result too.
  if (
    (l.kind === 'unknown' || r.kind === 'unknown') &&
    !(
      op === '+' &&
      (l.kind === 'str' ||
        r.kind === 'str' ||
        (l.kind === 'unknown' && l.parts) ||
        (r.kind === 'unknown' && r.parts))
    )
  ) {
    const ld = l.kind === 'unknown' ? l.default : l;
    const rd = r.kind === 'unknown' ? r.default : r;
    const envVar = l.kind === 'unknown' ? l.envVar : r.kind === 'unknown' ? r.envVar : undefined;
    const reason = l.kind === 'unknown' ? l.reason : r.kind === 'unknown' ? r.reason : 'expression';
    const d = ld && rd && ld.kind !== 'unknown' && rd.kind !== 'unknown' ? binaryOp(op, ld, rd) : undefined;
    return unknown(reason, span, { envVar, default: d && d.kind !== 'unknown' ? d : undefined });
  }
  if (l.kind === 'oneOf' || r.kind === 'oneOf') {
    const results = possibilities(l).flatMap((a) => possibilities(r).map((b) => binaryOp(op, a, b)));
    const first = results[0];
    if (first && first.kind === 'bool' && results.every((x) => x.kind === 'bool' && x.value === first.value))
      return first;
    return unknown('depends on a condition', span);
  }
  switch (op) {
    case '+':
      return add(l, r, span);
    case '%':
      if (l.kind === 'str') return percentFormat(l.value, r, span);
      return arith(op, l, r, span);
    case '*':
      return multiply(l, r, span);
    case '-':
    case '/':
    case '//':
    case '**':
      return arith(op, l, r, span);
    default:
      return compare(op, l, r, span);
  }
}

/** `l + r`: string concatenation (parts kept for unknowns), sequence concatenation, numbers. */
function add(l: Value, r: Value, span: Span | undefined): Value {
  if (l.kind === 'str' || r.kind === 'str' || l.kind === 'unknown' || r.kind === 'unknown') {
    if ((l.kind === 'str' || l.kind === 'unknown') && (r.kind === 'str' || r.kind === 'unknown'))
      return concatParts([l, r], span ?? { file: '', from: 0, to: 0 });
    return unknown('TypeError in +', span);
  }
  if ((l.kind === 'list' && r.kind === 'list') || (l.kind === 'tuple' && r.kind === 'tuple')) {
    if (l.items.length + r.items.length > MAX_BUILT_LENGTH) return unknown('sequence too long', span);
    return { kind: l.kind, items: [...l.items, ...r.items], open: l.open || r.open || undefined, span };
  }
  const a = num(l);
  const b = num(r);
  if (a !== undefined && b !== undefined)
    return numResult(a + b, l.kind === 'float' || r.kind === 'float', span);
  return unknown('expression', span);
}

/** `l * r`: repetition of a string or sequence by an int (bounded), else arithmetic. */
function multiply(l: Value, r: Value, span: Span | undefined): Value {
  const seq =
    l.kind === 'str' || l.kind === 'list' || l.kind === 'tuple'
      ? l
      : r.kind === 'str' || r.kind === 'list' || r.kind === 'tuple'
        ? r
        : undefined;
  const times = seq === l ? r : l;
  if (seq && times.kind === 'int') {
    const n = Math.max(0, times.value);
    if (seq.kind === 'str')
      return seq.value.length * n > MAX_BUILT_LENGTH
        ? unknown('string too long', span)
        : { kind: 'str', value: seq.value.repeat(n), span };
    if (seq.kind === 'list' || seq.kind === 'tuple') {
      if (seq.open || seq.items.length * n > MAX_BUILT_LENGTH) return unknown('sequence too long', span);
      return { kind: seq.kind, items: Array.from({ length: n }, () => seq.items).flat(), span };
    }
  }
  return arith('*', l, r, span);
}

/** Comparisons, identity and membership tests. */
function compare(op: string, l: Value, r: Value, span: Span | undefined): Value {
  switch (op) {
    case '==':
    case '!=': {
      const eq = pyEquals(l, r);
      return eq === undefined
        ? unknown('comparison', span)
        : { kind: 'bool', value: op === '==' ? eq : !eq, span };
    }
    case 'is':
    case 'is not': {
      if (l.kind === 'none' || r.kind === 'none') {
        const same = l.kind === r.kind;
        return { kind: 'bool', value: op === 'is' ? same : !same, span };
      }
      if (l.kind === 'bool' && r.kind === 'bool')
        return { kind: 'bool', value: (l.value === r.value) === (op === 'is'), span };
      return unknown('identity comparison', span);
    }
    case 'in':
    case 'not in': {
      const found = contains(r, l);
      return found === undefined
        ? unknown('membership test', span)
        : { kind: 'bool', value: op === 'in' ? found : !found, span };
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const a = l.kind === 'str' && r.kind === 'str' ? l.value : num(l);
      const b = l.kind === 'str' && r.kind === 'str' ? r.value : num(r);
      if (a === undefined || b === undefined) return unknown('comparison', span);
      const res = op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      return { kind: 'bool', value: res, span };
    }
    default:
      return unknown(`operator ${op}`, span);
  }
}

function contains(container: Value, item: Value): boolean | undefined {
  if (container.kind === 'str' && item.kind === 'str') return container.value.includes(item.value);
  if (container.kind === 'list' || container.kind === 'tuple') {
    let maybe = container.open === true;
    for (const i of container.items) {
      const eq = pyEquals(i, item);
      if (eq === true) return true;
      if (eq === undefined) maybe = true;
    }
    return maybe ? undefined : false;
  }
  if (container.kind === 'dict') {
    let maybe = container.open === true;
    for (const e of container.entries) {
      const eq = pyEquals(e.key, item);
      if (eq === true) return true;
      if (eq === undefined) maybe = true;
    }
    return maybe ? undefined : false;
  }
  return undefined;
}

function arith(op: string, l: Value, r: Value, span: Span | undefined): Value {
  const a = num(l);
  const b = num(r);
  if (a === undefined || b === undefined) return unknown(`operator ${op}`, span);
  const isFloat = l.kind === 'float' || r.kind === 'float';
  switch (op) {
    case '-':
      return numResult(a - b, isFloat, span);
    case '*':
      return numResult(a * b, isFloat, span);
    case '/':
      return b === 0 ? unknown('division by zero', span) : numResult(a / b, true, span);
    case '//':
      return b === 0 ? unknown('division by zero', span) : numResult(Math.floor(a / b), isFloat, span);
    case '%':
      return b === 0
        ? unknown('division by zero', span)
        : numResult(a - b * Math.floor(a / b), isFloat, span);
    case '**':
      return Math.abs(b) > 1024
        ? unknown('power too large', span)
        : numResult(a ** b, isFloat || b < 0, span);
    default:
      return unknown(`operator ${op}`, span);
  }
}
