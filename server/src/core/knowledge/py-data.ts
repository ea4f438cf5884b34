/** Python literal data used for defaults (PyData): its zod schema, conversion to evaluator Values, and Python rendering; no settings data here. */
import { z } from 'zod';

import type { Value } from '../types';

/**
 * A Python literal as JSON-like data. `null` is `None`; numbers are `int` when they are JS integers and
 * `float` otherwise (no default the linter needs is a float or a tuple, so no tagged forms exist);
 * arrays are lists; objects are dicts with string keys.
 */
export type PyData = null | boolean | number | string | PyData[] | { readonly [key: string]: PyData };

export const PyDataSchema: z.ZodType<PyData> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number().refine(Number.isFinite, 'NaN/Infinity is not a Python literal'),
    z.string(),
    z.array(PyDataSchema),
    z.record(z.string(), PyDataSchema),
  ]),
);

export interface PyDataToValueOptions {
  /**
   * Mark the outermost list/dict as `open` (the analyser cannot see every item). Used for partial defaults
   * such as Horizon's INSTALLED_APPS, of which only the items the linter needs are recorded.
   */
  readonly open?: boolean;
}

/** Converts a default to the evaluator's Value form (no spans: defaults have no source location). */
export function pyDataToValue(data: PyData, options: PyDataToValueOptions = {}): Value {
  const open = options.open === true ? { open: true } : {};
  if (data === null) return { kind: 'none' };
  if (typeof data === 'boolean') return { kind: 'bool', value: data };
  if (typeof data === 'number') return { kind: Number.isInteger(data) ? 'int' : 'float', value: data };
  if (typeof data === 'string') return { kind: 'str', value: data };
  if (Array.isArray(data)) return { kind: 'list', items: data.map((d) => pyDataToValue(d)), ...open };
  return {
    kind: 'dict',
    entries: Object.entries(data).map(([k, v]) => ({
      key: { kind: 'str', value: k },
      value: pyDataToValue(v),
    })),
    ...open,
  };
}

/** Python source for a string literal, single-quoted like Django's own docs. */
export function pyStr(s: string): string {
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `'${body}'`;
}

/**
 * Python source for `data`: compact (`{'default': {'BACKEND': '…'}}`), or one entry per line with
 * `indent` > 0 so fixes can insert readable snippets.
 */
export function formatPyData(data: PyData, indent = 0, level = 0): string {
  if (data === null) return 'None';
  if (typeof data === 'boolean') return data ? 'True' : 'False';
  if (typeof data === 'number') return Number.isInteger(data) ? String(data) : formatFloat(data);
  if (typeof data === 'string') return pyStr(data);
  const isList = Array.isArray(data);
  const items = isList
    ? data.map((d) => formatPyData(d, indent, level + 1))
    : Object.entries(data).map(([k, v]) => `${pyStr(k)}: ${formatPyData(v, indent, level + 1)}`);
  const [open, close] = isList ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return open + close;
  if (indent <= 0) return open + items.join(', ') + close;
  const pad = ' '.repeat(indent * (level + 1));
  const end = ' '.repeat(indent * level);
  return `${open}\n${items.map((i) => `${pad}${i},`).join('\n')}\n${end}${close}`;
}

function formatFloat(n: number): string {
  const s = String(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
