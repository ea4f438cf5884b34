/**
 * The one check for a setting that must be a number of seconds (DSL405 SESSION_TIMEOUT, DSL507
 * SESSION_COOKIE_AGE); each rule calls it with its own wording. An environment lookup without a cast is the
 * finding whatever its default (a str whenever the variable is set: the fix wraps it in the cast
 * `NUMERIC_SETTINGS` names); otherwise the value is judged only when every possibility is known and breaks
 * the arithmetic, and a string holding a whole number gets that number as its fix.
 */
import { NUMERIC_SETTINGS } from '../knowledge';
import { describe } from '../evaluate/values';
import type { Value } from '../types';
import { ifUnsetSuffix, judgeAll, rawEnvironmentStrings, type RuleContext } from './framework';
import { reportAt, setSettingEdit } from './setting-helpers';

/** What a rule says about its setting; the shared sentence frame is in `checkNumericSetting`. */
export interface NumericSettingWording {
  /** What the value should be, after "…, not ": `an integer`, `a number of seconds`. */
  readonly expected: string;
  /** What a str breaks, after "whenever X is set it is a str, and " (no final period). */
  readonly lookupBreaks: string;
  /** What a wrong value breaks, after "not <expected>: " (no final period). */
  readonly valueBreaks: string;
}

/** Integer text Python's int() would also read from the string (`'3600'`, `' 3600 '`, `'3600.0'`, `'3.6e3'`), or undefined. */
export function integerText(s: string): string | undefined {
  const t = s.trim().replace(/_/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= 0 ? String(n) : undefined;
}

/**
 * Values Python 3 can neither compare with an int (`min(SESSION_TIMEOUT, …)`) nor add to a float
 * (`time.time() + SESSION_COOKIE_AGE`): both raise TypeError. Numbers and bools do both fine.
 */
function breaksArithmetic(v: Value): boolean {
  return (
    v.kind === 'str' || v.kind === 'none' || v.kind === 'list' || v.kind === 'tuple' || v.kind === 'dict'
  );
}

export function checkNumericSetting(ctx: RuleContext, name: string, wording: NumericSettingWording): void {
  const setting = ctx.effective(name);
  // A lookup without a cast is a str whenever its variable is set, whatever its default.
  const raw = rawEnvironmentStrings(setting?.value);
  if (setting && raw.length > 0) {
    const cast = NUMERIC_SETTINGS[name]?.cast ?? 'int';
    for (const r of raw) {
      const text = r.span ? ctx.text(r.span.file)?.slice(r.span.from, r.span.to) : undefined;
      const edit = r.span && text ? { ...r.span, newText: `${cast}(${text})` } : undefined;
      ctx.report({
        at: reportAt(ctx, setting, r, [name]),
        message: `${name} is read from the environment variable ${r.envVar} without a cast: whenever ${r.envVar} is set it is a str, and ${wording.lookupBreaks}. Wrap the lookup in ${cast}(...).`,
        settings: [name],
        fix: edit ? { title: `Wrap in ${cast}(...)`, edits: [edit], applicability: 'safe' } : undefined,
      });
    }
    return;
  }
  const judged = judgeAll(setting?.value, (k) =>
    k.kind === 'unknown' || k.kind === 'oneOf' ? undefined : k,
  );
  // Unknown values never produce findings: only when every possibility breaks the arithmetic.
  if (!setting || !judged || !judged.every((j) => breaksArithmetic(j.value))) return;
  for (const j of judged) {
    const digits = j.value.kind === 'str' ? integerText(j.value.value) : undefined;
    const edit =
      digits !== undefined && judged.length === 1
        ? setSettingEdit(ctx, setting, [j], { python: digits })
        : undefined;
    ctx.report({
      at: reportAt(ctx, setting, j.source, [name]),
      message: `${name} is ${j.value.kind === 'str' ? 'the string ' : ''}${describe(j.value)}${ifUnsetSuffix(j)}, not ${wording.expected}: ${wording.valueBreaks}.${digits !== undefined ? ` Write ${digits}.` : ''}`,
      settings: [name],
      fix: edit ? { title: `Use ${digits}`, edits: [edit], applicability: 'safe' } : undefined,
    });
  }
}
