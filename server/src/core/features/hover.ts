/**
 * Hover for settings files: on SESSION_ENGINE values, cache BACKEND values, database ENGINE values, serializer
 * values and setting names — the tradeoff card from the knowledge data, the effective value with the file and
 * line that set it, and documentation links. Reuses an existing analysis; pure. Markdown only, no commands.
 */
import type { Analysis } from '../analyze';
import { rawEntries } from '../evaluate/environment';
import { Lazy } from '../evaluate/replay';
import { ifUnsetView, urlHelperOf } from '../evaluate/url-helpers';
import { describe as describeValue } from '../evaluate/values';
import {
  CACHES,
  DATABASES,
  SESSION_ENGINE,
  SESSION_SERIALIZER,
  cacheBackendAvailability,
  findCacheBackend,
  findDatabaseEngine,
  findSessionEngine,
  findSessionSerializer,
  findSettingDoc,
  isSecretName,
  maskSecret,
  maskUrlPassword,
} from '../knowledge';
import { parseVersion } from '../knowledge/versions';
import type { EffectiveSetting } from '../layers/project';
import type { Origin, Span, Value } from '../types';
import type { Binding } from '../evaluate/model';
import { cardMarkdown, code, escapeText } from './markdown';

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

export interface Located {
  readonly path: readonly string[];
  /** The value, for its content: one replayed after an edit and not read yet keeps its earlier spans. */
  readonly value: Value;
  /** True when the cursor is on a dict key rather than a value. */
  readonly onKey: boolean;
  readonly span: Span;
}

/** Renders a value for display with secrets masked. */
export function displayValue(path: readonly string[], v: Value): string {
  const last = path[path.length - 1] ?? '';
  if (v.kind === 'str') {
    if (isSecretName(last)) return code(`'${maskSecret(v.value)}'`);
    return code(describeValue({ ...v, value: maskUrlPassword(v.value) }, 200));
  }
  if (isSecretName(last)) return code('***');
  return code(maskDeep(describeValue(v, 200)));
}

function maskDeep(text: string): string {
  return text
    .replace(/('([\w-]+)':\s*)'[^']*'/g, (all, lead: string, key: string) =>
      isSecretName(key) ? `${lead}'***'` : all,
    )
    .replace(/(\w+:\/\/[^'\s]*?:)[^@'\s]+@/g, '$1***@')
    .replace(/(['"][^\s:@/'"]*:)[^\s@'"]+@/g, '$1***@'); // `user:pw@host` without a scheme
}

type PathNode = { readonly key: string; readonly parent: PathNode | undefined };

/** A string value, dict or unknown, or a dict key, of a file's evaluated values: what hover can be over. */
interface Candidate {
  /** Where it is in the current text (the Span is made for the one found). */
  readonly from: number;
  readonly to: number;
  readonly path: PathNode;
  readonly value: Value;
  readonly onKey: boolean;
}

/** Candidates of each file of an analysis, in walk order (made once per analysis and file, then only read). */
const CANDIDATES = new WeakMap<Analysis, Map<string, readonly Candidate[]>>();

/**
 * Every value of the file's own evaluation hover can be over, in the order the values are visited. Hover runs
 * on every mouse move, so the walk over every value of a 10,000-line file is done by the first hover after an
 * analysis and each later one only scans the flat list. (Not made eagerly after each analysis: that would add
 * the walk to every keystroke, which has the tighter budget.)
 */
function candidatesOf(analysis: Analysis, file: string): readonly Candidate[] | undefined {
  let byFile = CANDIDATES.get(analysis);
  const known = byFile?.get(file);
  if (known) return known;
  const fm = analysis.model.files.find((f) => f.path === file);
  if (!fm) return undefined;
  const out: Candidate[] = [];
  const mine = (sp: Span | undefined): sp is Span => !!sp && sp.file === file;
  // A name replayed after an edit and not read yet (evaluate/environment.ts LazyEnv) is walked unshifted, its
  // positions shifted here: the same strings, found without shifting every value of the file.
  let lazy: Lazy | undefined;
  const add = (sp: Span, path: PathNode, value: Value, onKey: boolean): void => {
    const from = lazy ? lazy.shiftPos(sp.from) : sp.from;
    const to = lazy ? lazy.shiftPos(sp.to) : sp.to;
    out.push({ from, to, path, value, onKey });
  };
  const walk = (v: Value, path: PathNode, depth: number): void => {
    if (depth > 8) return;
    if (mine(v.span) && (v.kind === 'str' || v.kind === 'unknown' || v.kind === 'dict'))
      add(v.span, path, v, false);
    if (v.kind === 'dict') {
      for (const e of v.entries) {
        const child = { key: e.key.kind === 'str' ? e.key.value : '?', parent: path };
        if (mine(e.keySpan)) add(e.keySpan, child, e.value, true);
        walk(e.value, child, depth + 1);
      }
    } else if (v.kind === 'list' || v.kind === 'tuple') {
      for (const i of v.items) walk(i, path, depth + 1);
    } else if (v.kind === 'oneOf') {
      for (const o of v.options) walk(o, path, depth + 1);
    }
  };
  for (const [name, b] of rawEntries(fm.evaluation.env)) {
    lazy = b instanceof Lazy ? b : undefined;
    walk((lazy ? lazy.placeholder : (b as Binding)).value, { key: name, parent: undefined }, 0);
  }
  if (!byFile) CANDIDATES.set(analysis, (byFile = new Map()));
  byFile.set(file, out);
  return out;
}

/** Finds the string value or dict key under `offset` in the file's own evaluated values (exported for tests). */
export function locate(analysis: Analysis, file: string, offset: number): Located | undefined {
  const candidates = candidatesOf(analysis, file);
  if (!candidates) return undefined;
  // The innermost: the shortest span holding the offset, the first visited among equals.
  let best: Candidate | undefined;
  for (const c of candidates) {
    const { from, to } = c;
    if (from <= offset && offset <= to && (!best || to - from < best.to - best.from)) best = c;
  }
  if (!best) return undefined;
  const path: string[] = [];
  for (let n: PathNode | undefined = best.path; n; n = n.parent) path.push(n.key);
  return {
    path: path.reverse(),
    value: best.value,
    onKey: best.onKey,
    span: { file, from: best.from, to: best.to },
  };
}

function originText(analysis: Analysis, origin: Origin): string {
  if (origin.kind === 'default') return origin.by === 'horizon' ? "Horizon's default" : "Django's default";
  return `${escapeText(origin.span.file)}:${analysis.lineOf(origin.span)}`;
}

function effectiveLine(
  analysis: Analysis,
  eff: EffectiveSetting | undefined,
  name: string,
  here: Span | undefined,
): string {
  if (!eff) return `**Effective:** not set`;
  const shown = displayValue([name], eff.value);
  const overridden =
    here && eff.origin.kind === 'file' && eff.origin.span.file !== here.file ? ' — overrides this file' : '';
  return `**Effective:** ${shown} (${originText(analysis, eff.origin)})${overridden}`;
}

function settingHover(analysis: Analysis, name: string, span: Span): HoverResult | undefined {
  const doc = findSettingDoc(name);
  const eff = analysis.model.effective(name);
  if (!doc && !eff) return undefined;
  const parts = [`### ${code(name)}`];
  if (doc) parts.push(doc.summary);
  parts.push(effectiveLine(analysis, eff, name, span));
  if (doc) parts.push(`[${doc.owner === 'horizon' ? 'Horizon' : 'Django'} documentation](${doc.docsUrl})`);
  return { markdown: parts.join('\n\n'), span };
}

/** On a call to a URL helper (`env.cache(...)`): the library, the variable it reads and what it gives if unset. */
function urlHelperHover(analysis: Analysis, loc: Located): HoverResult | undefined {
  const found = urlHelperOf(loc.value);
  if (!found) return undefined;
  const { helper, envVar } = found;
  const parts = [
    `### ${code(`${found.call}()`)} (${escapeText(helper.library)})`,
    escapeText(helper.summary),
  ];
  const unset = ifUnsetView(loc.value);
  const name = envVar ?? 'the variable';
  if (unset) parts.push(`**If ${code(name)} is unset:** ${displayValue(loc.path, unset)}`);
  else if (helper.whenUnset === 'raises' && loc.value.kind === 'unknown' && !loc.value.default)
    parts.push(`**If ${code(name)} is unset:** ImproperlyConfigured is raised when the settings load.`);
  parts.push(`Otherwise the entry is parsed from ${code(name)} when the settings load.`);
  const [setting] = loc.path;
  if (setting) parts.push(effectiveLine(analysis, analysis.model.effective(setting), setting, loc.span));
  return { markdown: parts.join('\n\n'), span: loc.span };
}

/** Hover at `offset` in `file`, from the last analysis of its project. */
export function hover(analysis: Analysis, file: string, offset: number): HoverResult | undefined {
  try {
    return hoverUnsafe(analysis, file, offset);
  } catch {
    return undefined;
  }
}

function hoverUnsafe(analysis: Analysis, file: string, offset: number): HoverResult | undefined {
  // Setting names: the target of an assignment in this file.
  const ev = analysis.model.events.find(
    (e) =>
      e.target.file === file &&
      e.path.length === 0 &&
      e.target.from <= offset &&
      offset <= e.target.to &&
      e.kind !== 'import',
  );
  if (ev) return settingHover(analysis, ev.name, ev.target);
  const loc = locate(analysis, file, offset);
  if (!loc) return undefined;
  const [setting] = loc.path;
  const last = loc.path[loc.path.length - 1];
  if (!loc.onKey && (loc.value.kind === 'dict' || loc.value.kind === 'unknown'))
    return urlHelperHover(analysis, loc);
  if (loc.onKey || loc.value.kind !== 'str') {
    return undefined;
  }
  const value = loc.value.value;
  const sections: string[] = [];
  if (setting === SESSION_ENGINE && loc.path.length === 1) {
    const engine = findSessionEngine(value);
    if (!engine) return undefined;
    sections.push(
      `### Session engine ${code(engine.shortName)}`,
      `Stores: ${escapeText(engine.stores)}`,
      cardMarkdown(engine.card),
    );
  } else if (setting === SESSION_SERIALIZER && loc.path.length === 1) {
    const ser = findSessionSerializer(value);
    if (!ser) return undefined;
    sections.push(
      `### Session serializer ${code(ser.path.split('.').pop() ?? ser.path)}`,
      escapeText(ser.description),
      `[Documentation](${ser.docsUrl})`,
    );
  } else if (setting === CACHES && last === 'BACKEND' && loc.path.length === 3) {
    const backend = findCacheBackend(value);
    if (!backend) return undefined;
    const avail = cacheBackendAvailability(
      value,
      analysis.summary.djangoVersion ? parseVersion(analysis.summary.djangoVersion) : undefined,
    );
    sections.push(
      `### Cache backend ${code(backend.path.split('.').pop() ?? backend.path)}`,
      cardMarkdown(backend.card),
    );
    sections.push(
      `**Target Django ${analysis.summary.djangoVersion ?? '(unknown)'}:** ${escapeText(avail.note)}`,
    );
    if (backend.pythonPackage) sections.push(`Python package: ${code(backend.pythonPackage)}`);
  } else if (setting === DATABASES && last === 'ENGINE' && loc.path.length === 3) {
    const engine = findDatabaseEngine(value);
    if (!engine) return undefined;
    sections.push(
      `### Database engine ${code(engine.shortName)}`,
      escapeText(engine.driverText),
      cardMarkdown(engine.card),
    );
  } else {
    return undefined;
  }
  if (setting) sections.push(effectiveLine(analysis, analysis.model.effective(setting), setting, loc.span));
  return { markdown: sections.join('\n\n'), span: loc.span };
}
