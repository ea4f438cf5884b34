/** Helpers for rules about single settings (DSL401–DSL406, DSL501–DSL506 and others): where a finding goes and who set the value, list membership as Django tests it, the one check of a flag that must be True, the edits that set a setting or append to the primary file. */
import * as path from 'node:path';
import {
  HORIZON_DEFAULT_MIDDLEWARE_ALSO,
  INSTALLED_APPS,
  MIDDLEWARE,
  pyStr,
  SESSION_MIDDLEWARE,
  SESSIONS_APP,
} from '../knowledge';
import { primaryAnchor, projectPath } from '../layers/locations';
import type { EffectiveSetting } from '../layers/project';
import { describe, possibilities } from '../evaluate/values';
import type { Origin, Span, TextEdit, Value } from '../types';
import {
  ifUnsetSuffix,
  judgeAll,
  replaceString,
  replaceValue,
  type Judged,
  type RuleContext,
} from './framework';

/** A file as users see it in messages: relative to the project root, with forward slashes. */
export function messagePath(ctx: RuleContext, file: string): string {
  return projectPath(ctx.project.root, file).split(path.sep).join('/');
}

/** `local_settings.d/_0006_debian_cache.py:9`. */
export function where(ctx: RuleContext, span: Span): string {
  return `${messagePath(ctx, span.file)}:${ctx.lineOf(span)}`;
}

/** "Horizon's default" / "Django's default" / "set in local_settings.py:12" for messages. */
export function whoSet(ctx: RuleContext, origin: Origin): string {
  if (origin.kind === 'default') return origin.by === 'horizon' ? "Horizon's default" : "Django's default";
  if (ctx.isHorizon && ctx.project.roleOf(origin.span.file) === 'settings')
    return `set by Horizon's settings.py (${where(ctx, origin.span)})`;
  return `set in ${where(ctx, origin.span)}`;
}

/** True when the setting was written by the user (a local layer, or any settings file of a plain Django project). */
export function userWritten(ctx: RuleContext, setting: EffectiveSetting): boolean {
  if (setting.origin.kind === 'default') return false;
  return !(ctx.isHorizon && setting.layer === 'settings');
}

/** Where a value is reported: its own span when the user wrote it, else an anchor in the primary file. */
export function reportAt(
  ctx: RuleContext,
  setting: EffectiveSetting,
  source: Value | undefined,
  names: readonly string[],
): Value | Span | EffectiveSetting | undefined {
  if (userWritten(ctx, setting)) return source?.span ? source : setting;
  return primaryAnchor(ctx.project, names, 'target') ?? setting;
}

function valueContains(v: Value, item: string): boolean {
  const all = possibilities(v);
  return (
    all.length > 0 &&
    all.every(
      (p) =>
        (p.kind === 'list' || p.kind === 'tuple') &&
        p.items.some((i) => i.kind === 'str' && i.value === item),
    )
  );
}

/**
 * Whether `item in settings.<name>` is certainly True (Django's own test for W010–W016). False means "not
 * certain": Horizon's recorded INSTALLED_APPS/MIDDLEWARE are partial, and a list grown from them by a snippet
 * still holds Horizon's unrecorded items (its items without a source span come from the built-in defaults).
 */
export function listSettingContains(ctx: RuleContext, name: string, item: string): boolean {
  const s = ctx.effective(name);
  if (!s) return false;
  if (valueContains(s.value, item)) return true;
  if (!ctx.isHorizon || name !== MIDDLEWARE || !HORIZON_DEFAULT_MIDDLEWARE_ALSO.includes(item)) return false;
  if (s.origin.kind === 'default') return s.origin.by === 'horizon';
  const all = possibilities(s.value);
  return (
    all.length > 0 &&
    all.every(
      (p) => (p.kind === 'list' || p.kind === 'tuple') && p.items.some((i) => i.kind === 'str' && !i.span),
    )
  );
}

/**
 * The possibilities of a value that fail Django's `value is True` test, when every possibility is known and
 * fails (unknown values are never judged); undefined when any is True or unknown.
 */
function judgeNotTrue(v: Value | undefined): Judged<Value>[] | undefined {
  const all = judgeAll(v, (k) => (k.kind === 'unknown' || k.kind === 'oneOf' ? undefined : k));
  if (!all || all.some((j) => j.value.kind === 'bool' && j.value.value)) return undefined;
  return all;
}

/**
 * The one check of a cookie flag that must be True (DSL501, DSL502, DSL504): when every possibility of
 * `name` is known and not True (judgeNotTrue), one finding where it was set, `breaks` saying what that costs,
 * with the fix `name = True` of the rule's applicability.
 */
export function reportUnlessTrue(
  ctx: RuleContext,
  name: string,
  wording: { readonly breaks: string; readonly fix: 'safe' | 'unsafe' },
): void {
  const setting = ctx.effective(name);
  const judged = judgeNotTrue(setting?.value);
  if (!setting || !judged) return;
  const first = judged[0];
  const shown = judged.map((j) => describe(j.value)).join(' or ');
  const edit = setSettingEdit(ctx, setting, judged, { python: 'True' });
  ctx.report({
    at: reportAt(ctx, setting, first?.source, [name]),
    message: `${name} is ${shown} (${whoSet(ctx, setting.origin)})${ifUnsetSuffix(first)}: ${wording.breaks}`,
    settings: [name],
    fix: edit ? { title: `Set ${name} = True`, edits: [edit], applicability: wording.fix } : undefined,
  });
}

/** Whether Django's sessions are certainly in use (the sessions app or its middleware), as its session cookie checks test. */
export function sessionsInUse(ctx: RuleContext): boolean {
  return (
    listSettingContains(ctx, INSTALLED_APPS, SESSIONS_APP) ||
    listSettingContains(ctx, MIDDLEWARE, SESSION_MIDDLEWARE)
  );
}

/** An edit appending `line` at the end of the primary file (adding the missing final newline first). */
export function appendToPrimary(ctx: RuleContext, line: string): TextEdit | undefined {
  const file = ctx.project.primaryFile;
  if (!file) return undefined;
  const text = ctx.text(file);
  if (text === undefined) return undefined;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  return {
    file,
    from: text.length,
    to: text.length,
    newText: `${sep}${line.endsWith('\n') ? line : line + '\n'}`,
  };
}

/** What a fix writes: Python source, or a string value (written keeping the replaced literal's quote style). */
export type Replacement = { readonly python: string } | { readonly string: string };

/**
 * Whether an assignment appended to the primary file takes effect: only defaults and Horizon's own
 * settings.py load before it (a snippet or a module a snippet imports would still win).
 */
export function appendTakesEffect(ctx: RuleContext, setting: EffectiveSetting): boolean {
  if (userWritten(ctx, setting)) return false;
  return (
    setting.layer === 'django-defaults' ||
    setting.layer === 'horizon-defaults' ||
    setting.layer === 'settings'
  );
}

/**
 * The edit that gives a setting a new value: replace the literal the user wrote, or — when the value is a
 * default or comes from Horizon's own settings.py — append an assignment to the primary file, which loads
 * later. Undefined when the value is an environment default or an expression (no edit is certain to work).
 */
export function setSettingEdit(
  ctx: RuleContext,
  setting: EffectiveSetting,
  judged: readonly Judged<unknown>[],
  replacement: Replacement,
): TextEdit | undefined {
  const python = 'python' in replacement ? replacement.python : pyStr(replacement.string);
  if (!userWritten(ctx, setting))
    return appendTakesEffect(ctx, setting) ? appendToPrimary(ctx, `${setting.name} = ${python}`) : undefined;
  const only = judged.length === 1 ? judged[0] : undefined;
  if (!only || only.ifUnset || !only.source.span) return undefined;
  // The literal must be the whole assigned value, not part of an expression (`not X`, `X or Y`), and written in
  // the assignment itself rather than in a variable other settings may share.
  const s = only.source.span;
  if (
    possibilities(setting.value).length !== 1 ||
    setting.value.span?.from !== s.from ||
    setting.value.span?.to !== s.to
  )
    return undefined;
  if (
    setting.origin.kind !== 'file' ||
    setting.origin.span.file !== s.file ||
    s.from < setting.origin.span.from ||
    s.to > setting.origin.span.to
  )
    return undefined;
  return 'python' in replacement
    ? replaceValue(only.source, python)
    : replaceString(ctx, only.source, replacement.string);
}
