/**
 * The layers where you type: every write of a session-relevant setting in Django's and Horizon's load order
 * (imported modules expanded where they are imported), what a later layer overrides or changes, what comes from
 * a default, where a setting is defined and referenced, the layers view and a finding's effective chain. Pure:
 * reads an existing analysis only (never parses), memoised per analysis so editor requests stay cheap.
 * Display texts are NOT masked here: front ends pass them through the one secret masker.
 */
import type { Analysis } from '../analyze';
import type { AssignmentEvent, ModuleEvaluation } from '../evaluate/evaluate';
import { MAX_WALK_DEPTH } from '../evaluate/value-depth';
import { describe, dictLookup, possibilities } from '../evaluate/values';
import {
  CACHES,
  CSRF_COOKIE_SECURE,
  DATABASES,
  DEFAULT_ALIAS,
  SECRET_KEY,
  SECRET_KEY_FALLBACKS,
  SESSION_CACHE_ALIAS,
  SESSION_COOKIE_HTTPONLY,
  SESSION_COOKIE_SECURE,
  SESSION_ENGINE,
  SESSION_SERIALIZER,
  DJANGO_DEFAULTS,
  findHorizonRelease,
  pyDataToValue,
} from '../knowledge';
import { projectPath } from '../layers/locations';
import type { LayerRole, ProjectModel } from '../layers/project';
import { layerSetting } from '../queries/entries';
import { sessionStorage } from '../queries/session-storage';
import type { Finding, Span, Value } from '../types';
import { diagnosticsForFile } from './diagnostics';

/** SESSION_*, CACHES, DATABASES, CSRF_* and SECRET_KEY(_FALLBACKS): the settings the session rules read. */
export function isSessionSetting(name: string): boolean {
  return (
    name.startsWith('SESSION_') ||
    name.startsWith('CSRF_') ||
    name === CACHES ||
    name === DATABASES ||
    name === SECRET_KEY ||
    name === SECRET_KEY_FALLBACKS
  );
}

/** One write of a setting, in load order. */
export interface SettingWrite {
  readonly name: string;
  /** Subscript keys (`CACHES['default']['LOCATION'] = …` → ['default', 'LOCATION']); empty for the name. */
  readonly path: readonly string[];
  readonly kind: 'assign' | 'mutate' | 'delete';
  /** The statement. */
  readonly span: Span;
  /** The target expression. */
  readonly target: Span;
  readonly conditional: boolean;
  /** The project layer the file belongs to (an imported module belongs to the layer that imported it). */
  readonly layer: LayerRole;
  /** Position in load order (0-based). */
  readonly order: number;
}

const MAX_IMPORT_DEPTH = 10;

interface Index {
  readonly writes: readonly SettingWrite[];
  readonly byName: ReadonlyMap<string, readonly SettingWrite[]>;
  readonly byFile: ReadonlyMap<string, readonly SettingWrite[]>;
}

const indexes = new WeakMap<Analysis, Index>();

/**
 * The writes of the session settings, in load order, memoised per analysis (what lenses, hints and the view
 * read); other settings are indexed on demand, one name at a time (navigation on `DEBUG`).
 */
function indexOf(analysis: Analysis): Index {
  const hit = indexes.get(analysis);
  if (hit) return hit;
  const writes = orderedWrites(analysis.model, isSessionSetting);
  const byName = new Map<string, SettingWrite[]>();
  const byFile = new Map<string, SettingWrite[]>();
  for (const w of writes) {
    const n = byName.get(w.name) ?? [];
    n.push(w);
    byName.set(w.name, n);
    const f = byFile.get(w.span.file) ?? [];
    f.push(w);
    byFile.set(w.span.file, f);
  }
  const index = { writes, byName, byFile };
  indexes.set(analysis, index);
  return index;
}

/** Writes of one setting in load order (every layer, imported modules at their import). */
export function writesOf(analysis: Analysis, name: string): readonly SettingWrite[] {
  if (isSessionSetting(name)) return indexOf(analysis).byName.get(name) ?? [];
  const memo = memoOf(analysis);
  const key = `writes:${name}`;
  let hit = memo.get(key) as readonly SettingWrite[] | undefined;
  if (!hit) {
    hit = orderedWrites(analysis.model, (n) => n === name);
    memo.set(key, hit);
  }
  return hit;
}

/**
 * Load order: layer files in order, except that Horizon's real settings.py runs the local layers at its
 * `from local.local_settings import *` (its statements after that line come after the layers); a star import
 * stands for the imported module's writes of the names it binds.
 */
function orderedWrites(model: ProjectModel, keep: (name: string) => boolean): SettingWrite[] {
  const out: SettingWrite[] = [];
  const seen = new Set<string>();
  const eventsOf = new Map<string, AssignmentEvent[]>();
  for (const e of model.events) {
    if (!keep(e.name)) continue;
    const list = eventsOf.get(e.span.file) ?? [];
    list.push(e);
    eventsOf.set(e.span.file, list);
  }
  const moduleEvents = new Map<string, Map<string, AssignmentEvent[]>>();
  const moduleByName = (m: ModuleEvaluation): Map<string, AssignmentEvent[]> => {
    let byName = moduleEvents.get(m.file);
    if (!byName) {
      byName = new Map();
      for (const e of m.events) {
        const l = byName.get(e.name) ?? [];
        l.push(e);
        byName.set(e.name, l);
      }
      moduleEvents.set(m.file, byName);
    }
    return byName;
  };
  const layerOfFile = (file: string): LayerRole => model.roleOf(file) ?? 'settings';
  const emit = (
    e: AssignmentEvent,
    imports: ModuleEvaluation['imports'],
    layer: LayerRole,
    depth: number,
  ): void => {
    if (e.kind !== 'import') {
      // A module both loaded as a layer and star-imported by another writes the same lines once.
      const key = `${e.span.file}:${e.span.from}:${e.name}`;
      if (depth > 0 && seen.has(key)) return;
      seen.add(key);
      out.push({
        name: e.name,
        path: e.path,
        kind: e.kind,
        span: e.span,
        target: e.target,
        conditional: e.conditional,
        layer,
        order: out.length,
      });
      return;
    }
    if (depth >= MAX_IMPORT_DEPTH) return;
    const record = imports.find((i) => i.span.from === e.span.from && i.span.to === e.span.to);
    const module =
      record?.resolved && record.resolved !== 'layer' ? model.modules.get(record.resolved) : undefined;
    if (!module) return;
    for (const inner of moduleByName(module).get(e.name) ?? []) emit(inner, module.imports, layer, depth + 1);
  };
  const emitFile = (file: string, imports: ModuleEvaluation['imports'], from: number, to: number): void => {
    const layer = layerOfFile(file);
    for (const e of eventsOf.get(file) ?? [])
      if (e.span.from >= from && e.span.from < to) emit(e, imports, layer, 0);
  };
  const settings = model.kind === 'horizon' ? model.files.find((f) => f.role === 'settings') : undefined;
  const split = settings?.evaluation.imports.find((i) => i.resolved === 'layer');
  if (settings) emitFile(settings.path, settings.evaluation.imports, 0, split ? split.span.from : Infinity);
  for (const f of model.files) if (f !== settings) emitFile(f.path, f.evaluation.imports, 0, Infinity);
  if (settings && split) emitFile(settings.path, settings.evaluation.imports, split.span.from, Infinity);
  return out;
}

// ------------------------------------------------------------------ display helpers

/** `file:line` of a span, relative to the project root. */
export function where(analysis: Analysis, span: Span): string {
  return `${projectPath(analysis.model.root, span.file)}:${analysis.lineOf(span)}`;
}

const DOTTED = /^[A-Za-z_][\w]*(\.[A-Za-z_]\w*){2,}$/;

function brief(v: Value, depth = 0): string {
  if (depth > MAX_WALK_DEPTH) return '…';
  if (v.kind === 'str' && DOTTED.test(v.value)) return v.value.slice(v.value.lastIndexOf('.') + 1);
  if (v.kind === 'unknown' && v.default)
    return v.defaultWhen !== undefined && v.envVar === undefined
      ? `${brief(v.default, depth + 1)} (if ${v.defaultWhen})`
      : `${brief(v.default, depth + 1)} (if ${v.envVar ?? 'unset'} is unset)`;
  if (v.kind === 'oneOf')
    return possibilities(v)
      .map((p) => brief(p, depth + 1))
      .join(' | ');
  return describe(v, 60);
}

/** The value under a string key of a dict value, when the key is certainly there. */
function valueUnderKey(v: Value, key: string): Value | undefined {
  if (v.kind !== 'dict') return undefined;
  const f = dictLookup(v, { kind: 'str', value: key });
  return f.found === true ? f.entry.value : undefined;
}

/** The value at a subscript path inside a value, when every step is a known key. */
export function valueAt(v: Value | undefined, keys: readonly string[]): Value | undefined {
  let cur = v;
  for (const k of keys) {
    if (!cur) return undefined;
    cur = valueUnderKey(cur, k);
  }
  return cur;
}

/**
 * A short text for a setting's value: the class or module name of dotted paths (`LocMemCache`, `cache`), the
 * backends of CACHES / engines of DATABASES by alias. Not masked.
 */
export function shortValue(name: string, keys: readonly string[], v: Value): string {
  const keyed = name === CACHES ? 'BACKEND' : name === DATABASES ? 'ENGINE' : undefined;
  if (keyed && v.kind === 'dict') {
    if (keys.length === 0) {
      const parts = v.entries.map((e) => {
        const alias = e.key.kind === 'str' ? e.key.value : '?';
        const inner = valueUnderKey(e.value, keyed);
        return { alias, text: inner ? brief(inner) : describe(e.value, 40) };
      });
      const only = parts[0];
      if (parts.length === 1 && only?.alias === DEFAULT_ALIAS) return only.text;
      return parts.map((p) => `${p.alias}: ${p.text}`).join(', ') || '{}';
    }
    if (keys.length === 1) {
      const inner = valueUnderKey(v, keyed);
      if (inner) return brief(inner);
    }
  }
  return brief(v);
}

// ------------------------------------------------------------------ overrides (CodeLens / inlay hints)

export interface Override {
  /** The write in this file that a later layer overrides or changes. */
  readonly at: SettingWrite;
  /** `overridden`: a later layer replaces it; `changed`: a later layer mutates part of it; `deleted`. */
  readonly mode: 'overridden' | 'changed' | 'deleted';
  /** The last later write that does so (the one that wins). */
  readonly by: SettingWrite;
  /** How many later writes in other files touch it. */
  readonly count: number;
  /** The effective value at this write's path, short (not masked); undefined when it is gone. */
  readonly value: string | undefined;
  /** One line for a lens: `overridden by local_settings.d/_0006_debian_cache.py:3 → LocMemCache`. */
  readonly label: string;
}

const isPrefix = (a: readonly string[], b: readonly string[]): boolean =>
  a.length <= b.length && a.every((k, i) => b[i] === k);

/** The writes of session settings in `file` that a later layer (another file) overrides, changes or deletes. */
export function overridesIn(analysis: Analysis, file: string): readonly Override[] {
  const idx = indexOf(analysis);
  const cacheKey = `overrides:${file}`;
  const memo = memoOf(analysis);
  const hit = memo.get(cacheKey) as readonly Override[] | undefined;
  if (hit) return hit;
  const out: Override[] = [];
  for (const w of idx.byFile.get(file) ?? []) {
    if (w.kind === 'delete' || !isSessionSetting(w.name)) continue;
    const later = (idx.byName.get(w.name) ?? []).filter(
      (l) =>
        l.order > w.order && l.span.file !== file && (isPrefix(l.path, w.path) || isPrefix(w.path, l.path)),
    );
    if (later.length === 0) continue;
    const replacing = later.filter((l) => isPrefix(l.path, w.path) && l.kind !== 'mutate');
    const last = replacing[replacing.length - 1];
    const by = last ?? (later[later.length - 1] as SettingWrite);
    const mode: Override['mode'] = last ? (last.kind === 'delete' ? 'deleted' : 'overridden') : 'changed';
    const eff = analysis.model.effective(w.name);
    // The value now at this write's path; when the overriding write dropped that path (a whole new CACHES
    // without the LOCATION a snippet set), the value the overriding write set.
    const here = eff ? valueAt(eff.value, w.path) : undefined;
    const keys = here ? w.path : by.path;
    const v = here ?? (eff && mode === 'overridden' ? valueAt(eff.value, by.path) : undefined);
    const value = v ? shortValue(w.name, keys, v) : undefined;
    const more = later.length > 1 && mode === 'changed' ? ` (+${later.length - 1} more)` : '';
    const label =
      mode === 'deleted'
        ? `deleted by ${where(analysis, by.span)}`
        : `${mode} by ${where(analysis, by.span)}${more}${value !== undefined ? ` → ${value}` : ''}`;
    out.push({ at: w, mode, by, count: later.length, value, label });
  }
  memo.set(cacheKey, out);
  return out;
}

const memos = new WeakMap<Analysis, Map<string, unknown>>();
function memoOf(analysis: Analysis): Map<string, unknown> {
  let m = memos.get(analysis);
  if (!m) {
    m = new Map();
    memos.set(analysis, m);
  }
  return m;
}

// ------------------------------------------------------------------ values this file does not set

/** The settings a file is told about (first line) when it does not set them. */
const DEFAULT_NOTES = [
  SESSION_ENGINE,
  SESSION_CACHE_ALIAS,
  CACHES,
  SESSION_SERIALIZER,
  SESSION_COOKIE_SECURE,
  SESSION_COOKIE_HTTPONLY,
  CSRF_COOKIE_SECURE,
];

export interface DefaultNote {
  readonly name: string;
  /** Short value (not masked). */
  readonly value: string;
  /**
   * `Horizon 2024.1 default`, `Django default`, `Horizon default (openstack_dashboard/settings.py:172)`, or the
   * layer that sets it: `local_settings.d/_0006_debian_cache.py:3 (overrides the Horizon 2023.1 default)`.
   */
  readonly source: string;
  /** Where the value is set, when it is a file (another layer, Horizon's real settings.py). */
  readonly span?: Span | undefined;
  /** `SESSION_ENGINE: cache — Horizon 2024.1 default`. */
  readonly label: string;
}

/** `Horizon 2024.1 default` / `Django default`: the last built-in default of a setting, if any. */
function builtInDefault(analysis: Analysis, name: string): string | undefined {
  const release = analysis.summary.horizonRelease;
  const horizon = release ? findHorizonRelease(release) : undefined;
  if (horizon && Object.prototype.hasOwnProperty.call(horizon.defaults, name))
    return `Horizon ${horizon.series} default`;
  return Object.prototype.hasOwnProperty.call(DJANGO_DEFAULTS, name) ? 'Django default' : undefined;
}

/**
 * For a file of the project (a layer or a module a layer imports): the session settings it does not set, with
 * their effective value and where it comes from — Django's or Horizon's defaults, Horizon's settings.py, or
 * another layer (which then opens). Cache settings only when sessions use the cache.
 */
export function defaultsFor(analysis: Analysis, file: string): readonly DefaultNote[] {
  const model = analysis.model;
  const memo = memoOf(analysis);
  const hit = memo.get(`defaults:${file}`) as readonly DefaultNote[] | undefined;
  if (hit) return hit;
  const out: DefaultNote[] = [];
  memo.set(`defaults:${file}`, out);
  if (!model.files.some((f) => f.path === file) && !model.modules.has(file)) return out;
  const usesCache = sessionStorage(analysis).mayUseCache();
  const setHere = new Set((indexOf(analysis).byFile.get(file) ?? []).map((w) => w.name));
  const release = analysis.summary.horizonRelease;
  for (const name of DEFAULT_NOTES) {
    if (setHere.has(name)) continue;
    if ((name === CACHES || name === SESSION_CACHE_ALIAS) && !usesCache) continue;
    const eff = model.effective(name);
    if (!eff) continue;
    let source: string;
    let span: Span | undefined;
    if (eff.layer === 'django-defaults') source = 'Django default';
    else if (eff.layer === 'horizon-defaults')
      source = release ? `Horizon ${release} default` : 'Horizon default';
    else if (eff.origin.kind === 'file' && eff.value.kind !== 'unknown') {
      const winner = winningWrite(analysis, name);
      span = winner?.target ?? eff.origin.span;
      if (span.file === file) continue;
      const isHorizonSettings = model.kind === 'horizon' && model.roleOf(span.file) === 'settings';
      if (isHorizonSettings) source = `Horizon default (${where(analysis, span)})`;
      else {
        // What the winner replaces: an earlier layer's assignment (Horizon's settings.py), else a built-in default.
        const writes = writesOf(analysis, name);
        const before = winner ? writes.slice(0, writes.indexOf(winner)) : [];
        const replaced = before.reverse().find((w) => w.path.length === 0 && w.kind === 'assign');
        const builtIn = builtInDefault(analysis, name);
        const overrides = replaced ? where(analysis, replaced.span) : builtIn ? `the ${builtIn}` : undefined;
        source = `${where(analysis, span)}${overrides ? ` (overrides ${overrides})` : ''}`;
      }
    } else continue;
    const value = shortValue(name, [], eff.value);
    out.push({ name, value, source, span, label: `${name}: ${value} — ${source}` });
  }
  return out;
}

// ------------------------------------------------------------------ navigation

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The identifier at `offset` in `text` and its span. */
function wordAt(text: string, offset: number): { word: string; from: number; to: number } | undefined {
  let from = offset;
  while (from > 0 && /\w/.test(text[from - 1] ?? '')) from--;
  WORD.lastIndex = from;
  const m = WORD.exec(text);
  if (!m || from + m[0].length < offset) return undefined;
  return { word: m[0], from, to: from + m[0].length };
}

/** The setting (UPPER_CASE name some layer writes) under `offset` in `file`. */
export function settingAt(analysis: Analysis, file: string, offset: number): string | undefined {
  const text = textOf(analysis, file);
  if (text === undefined) return undefined;
  const w = wordAt(text, offset);
  if (!w || !/^[A-Z][A-Z0-9_]*$/.test(w.word)) return undefined;
  if (writesOf(analysis, w.word).length > 0 || analysis.model.effective(w.word)) return w.word;
  return undefined;
}

function textOf(analysis: Analysis, file: string): string | undefined {
  const fm = analysis.model.files.find((f) => f.path === file);
  if (fm) return fm.parsed.text;
  const lines = analysis.lines(file);
  return lines ? lines.text : undefined;
}

/** The CACHES alias named at `offset`: SESSION_CACHE_ALIAS's string value, or a key of a CACHES dict. */
function aliasAt(analysis: Analysis, file: string, offset: number): string | undefined {
  const inside = (s: Span | undefined): boolean =>
    !!s && s.file === file && s.from <= offset && offset <= s.to;
  for (const w of writesOf(analysis, SESSION_CACHE_ALIAS)) {
    if (w.span.file !== file || !inside(w.span)) continue;
    const text = textOf(analysis, file);
    const m = text?.slice(w.span.from, w.span.to).match(/=\s*(['"])(.*?)\1/);
    if (m && m.index !== undefined) {
      const from = w.span.from + m.index + m[0].indexOf(m[1] as string);
      if (offset >= from && offset <= from + (m[2] as string).length + 2) return m[2];
    }
  }
  for (const w of writesOf(analysis, CACHES)) {
    if (w.span.file !== file || !inside(w.span)) continue;
    const text = textOf(analysis, file);
    if (text === undefined) continue;
    // A subscript key `CACHES['x']` or a top-level key `'x': {` of the dict being assigned.
    if (w.path.length > 0 && inside(w.target)) {
      const first = text.slice(w.target.from, w.target.to).match(/\[\s*(['"])(.*?)\1\s*\]/);
      if (first) return first[2];
    }
    const v = layerSetting(analysis, file, CACHES)?.value;
    for (const p of v ? possibilities(v) : []) {
      if (p.kind !== 'dict') continue;
      for (const e of p.entries) if (inside(e.keySpan) && e.key.kind === 'str') return e.key.value;
    }
  }
  return undefined;
}

/**
 * Go to Definition: on a setting name, the write that wins (the last assignment of the whole setting, or the
 * write the effective value comes from); on SESSION_CACHE_ALIAS's value or a CACHES alias key, the key of that
 * alias in the effective CACHES.
 */
export function definitionAt(analysis: Analysis, file: string, offset: number): readonly Span[] {
  const alias = aliasAt(analysis, file, offset);
  if (alias !== undefined) {
    const d = sessionStorage(analysis).cacheAliasDefinition(alias);
    return d ? [d.item.keySpan ?? d.item.value.span ?? d.dict.span].filter(isSpan) : [];
  }
  const name = settingAt(analysis, file, offset);
  if (!name) return [];
  const winner = winningWrite(analysis, name);
  if (winner) return [winner.target];
  const eff = analysis.model.effective(name);
  return eff?.origin.kind === 'file' ? [eff.origin.span] : [];
}

function isSpan(s: Span | undefined): s is Span {
  return s !== undefined;
}

/** The last unconditional write replacing the whole setting, else the write the effective value comes from. */
export function winningWrite(analysis: Analysis, name: string): SettingWrite | undefined {
  const writes = writesOf(analysis, name).filter((w) => w.kind !== 'delete');
  const whole = writes.filter((w) => w.path.length === 0 && w.kind === 'assign');
  const last = whole[whole.length - 1];
  if (last) return last;
  const eff = analysis.model.effective(name);
  if (eff?.origin.kind !== 'file') return writes[writes.length - 1];
  const o = eff.origin.span;
  return writes.find((w) => w.span.file === o.file && w.span.from === o.from) ?? writes[writes.length - 1];
}

/** Find All References: every layer's write of the setting under `offset`, in load order. */
export function referencesAt(analysis: Analysis, file: string, offset: number): readonly SettingWrite[] {
  const name = settingAt(analysis, file, offset);
  return name ? writesOf(analysis, name) : [];
}

// ------------------------------------------------------------------ document links

export interface LinkCandidate {
  readonly span: Span;
  /** A file the analysis resolved (star and settings imports). */
  readonly file?: string | undefined;
  /** A path written in a string literal, for the front end to resolve against the file system. */
  readonly path?: string | undefined;
  /** A star import's module (`.base` → level 1, `base`), for the front end to resolve next to the file. */
  readonly module?: { readonly name: string; readonly level: number } | undefined;
}

const PATH_LITERAL =
  /(['"])((?:(?:\/|\.{1,2}\/|[\w.-]+\/)[^'"\s]*(?:local_settings(?:\.d|\.py)?|\.py|\.conf|\.d)|local_settings(?:\.d|\.py)?)\/?)\1/g;
/** A file name read by `exec(open('x.py').read())` or `execfile('x.conf')`, even without a directory. */
const INCLUDE_LITERAL = /\b(?:execfile|open)\(\s*(['"])([^'"\s/]+\.(?:py|conf))\1/g;
/** `from .base import *`, `from local.local_settings import *` at the start of a line. */
const STAR_IMPORT = /^[ \t]*from[ \t]+(\.*)([A-Za-z_][\w.]*)?[ \t]+import[ \t]*\*/gm;

/**
 * Clickable things in a settings file's text alone (no analysis needed, so any open file has them): star
 * imports (the module, resolved by the front end next to the file), string literals holding a settings path
 * (`/etc/openstack-dashboard/local_settings.d`, `…/horizon.conf`, `../settings.py`) and the file names of
 * `exec(open(…).read())` / `execfile(…)` includes. Linear in the text.
 */
export function linkCandidatesInText(text: string, file: string): readonly LinkCandidate[] {
  const out: LinkCandidate[] = [];
  for (const m of text.matchAll(STAR_IMPORT)) {
    const dots = m[1] ?? '';
    const name = m[2] ?? '';
    if (!dots && !name) continue;
    const from = (m.index ?? 0) + m[0].indexOf(dots + name, m[0].indexOf('from') + 4);
    out.push({
      span: { file, from, to: from + dots.length + name.length },
      module: { name, level: dots.length },
    });
  }
  const seen = new Set<number>();
  for (const re of [PATH_LITERAL, INCLUDE_LITERAL]) {
    for (const m of text.matchAll(re)) {
      const p = m[2] as string;
      const from = (m.index ?? 0) + m[0].indexOf(m[1] as string) + 1;
      if (seen.has(from)) continue;
      seen.add(from);
      out.push({ span: { file, from, to: from + p.length }, path: p });
    }
  }
  return out.sort((a, b) => a.span.from - b.span.from);
}

/**
 * Clickable things in a file of an analysis: imports the analysis resolved to a file (`from .base import *`),
 * and string literals holding a settings path (`/etc/openstack-dashboard/local_settings.d`, `…/horizon.conf`).
 */
export function linkCandidates(analysis: Analysis, file: string): readonly LinkCandidate[] {
  const out: LinkCandidate[] = [];
  const fm = analysis.model.files.find((f) => f.path === file);
  const evaluation = fm?.evaluation ?? analysis.model.modules.get(file);
  const text = textOf(analysis, file);
  for (const i of evaluation?.imports ?? []) {
    if (!i.resolved || i.resolved === 'layer') continue;
    const stmt = text?.slice(i.span.from, i.span.to) ?? '';
    const m = /from\s+([.\w]+)/.exec(stmt);
    const from = m ? i.span.from + m.index + m[0].length - (m[1] as string).length : i.span.from;
    const to = m ? from + (m[1] as string).length : i.span.to;
    out.push({ span: { file, from, to }, file: i.resolved });
  }
  if (text !== undefined) for (const c of linkCandidatesInText(text, file)) if (c.path) out.push(c);
  return out;
}

// ------------------------------------------------------------------ layers view

export interface LayerSettingRow {
  readonly name: string;
  /** `CACHES['default']['LOCATION']` for a mutation, else the name. */
  readonly label: string;
  /** Short value as set by this layer (not masked); for mutations the value at the mutated path. */
  readonly value: string;
  /** True when this write is the one whose value is effective (nothing later replaces or changes it). */
  readonly effective: boolean;
  readonly kind: SettingWrite['kind'];
  readonly span?: Span | undefined;
  /** `overridden by …` when a later layer replaces or changes it. */
  readonly note?: string | undefined;
}

export interface LayerNode {
  readonly role: LayerRole;
  /** The file, or undefined for built-in defaults. */
  readonly path?: string | undefined;
  /** `Django defaults`, `Horizon 2024.1 defaults (built in)`, `local_settings.d/_0006_debian_cache.py`. */
  readonly label: string;
  readonly settings: readonly LayerSettingRow[];
}

/**
 * The rows of a built-in default layer: every session setting the table sets, with its value; effective when no
 * later layer sets or changes it, else a note naming what wins (opened on click).
 */
function defaultRows(analysis: Analysis, role: 'django-defaults' | 'horizon-defaults'): LayerSettingRow[] {
  const release = analysis.summary.horizonRelease;
  const horizon = release ? findHorizonRelease(release) : undefined;
  const table = role === 'django-defaults' ? DJANGO_DEFAULTS : horizon?.defaults;
  if (!table) return [];
  const model = analysis.model;
  const horizonApplied = model.layers.some((l) => l.role === 'horizon-defaults');
  const rows: LayerSettingRow[] = [];
  for (const [name, data] of Object.entries(table)) {
    if (!isSessionSetting(name)) continue;
    const value = shortValue(name, [], pyDataToValue(data));
    const writes = writesOf(analysis, name).filter((w) => w.kind !== 'delete' || w.path.length === 0);
    const replacing = writes.filter((w) => w.path.length === 0 && w.kind !== 'mutate');
    const by = replacing[replacing.length - 1] ?? writes[writes.length - 1];
    const eff = model.effective(name);
    const shown = eff ? shortValue(name, [], eff.value) : undefined;
    let note: string | undefined;
    if (by) {
      const mode = by.kind === 'delete' ? 'deleted' : by.path.length === 0 ? 'overridden' : 'changed';
      note = `${mode} by ${where(analysis, by.span)}${mode !== 'deleted' && shown ? ` → ${shown}` : ''}`;
    } else if (
      role === 'django-defaults' &&
      horizonApplied &&
      horizon &&
      Object.prototype.hasOwnProperty.call(horizon.defaults, name)
    )
      note = `overridden by the Horizon ${horizon.series} defaults${shown ? ` → ${shown}` : ''}`;
    rows.push({
      name,
      label: name,
      value,
      effective: note === undefined && eff?.layer === role,
      kind: 'assign',
      span: by?.target,
      note,
    });
  }
  return rows;
}

/**
 * The project's layers in load order (Django defaults → Horizon defaults or Horizon's settings.py →
 * local_settings.py → each snippet), each with the session settings it sets and the effective one marked; the
 * built-in default layers list every session setting they set, each marked overridden when a later layer
 * sets it.
 */
export function layersView(analysis: Analysis): readonly LayerNode[] {
  const memo = memoOf(analysis);
  const hit = memo.get('layers') as readonly LayerNode[] | undefined;
  if (hit) return hit;
  const model = analysis.model;
  const idx = indexOf(analysis);
  const isEffective = (w: SettingWrite): boolean => {
    // The write is effective when no later write of the same setting covers or changes its path.
    const later = (idx.byName.get(w.name) ?? []).filter(
      (l) => l.order > w.order && (isPrefix(l.path, w.path) || isPrefix(w.path, l.path)),
    );
    return later.length === 0;
  };
  const nodes: LayerNode[] = [];
  for (const layer of model.layers) {
    if (!layer.path) {
      const role = layer.role === 'django-defaults' ? 'django-defaults' : 'horizon-defaults';
      const release = analysis.summary.horizonRelease;
      const label =
        layer.role === 'django-defaults'
          ? `Django ${analysis.summary.djangoVersion ?? ''} defaults`.replace('  ', ' ')
          : `Horizon ${release ?? ''} defaults (built in)`.replace('  ', ' ');
      nodes.push({ role: layer.role, label, settings: defaultRows(analysis, role) });
      continue;
    }
    const file = layer.path;
    const writes = idx.writes.filter(
      (w) => isSessionSetting(w.name) && w.layer === layer.role && belongs(model, w, file),
    );
    const rows = writes.map((w): LayerSettingRow => {
      const fm = model.files.find((f) => f.path === w.span.file);
      const own = fm?.evaluation.env.get(w.name)?.value;
      const eff = isEffective(w);
      const v = eff ? valueAt(model.effective(w.name)?.value, w.path) : valueAt(own, w.path);
      const ov = overridesIn(analysis, w.span.file).find((o) => o.at === w);
      return {
        name: w.name,
        label: w.name + w.path.map((k) => `['${k}']`).join(''),
        value: w.kind === 'delete' ? '(deleted)' : v ? shortValue(w.name, w.path, v) : '…',
        effective: eff && w.kind !== 'delete',
        kind: w.kind,
        span: w.target,
        note: ov?.label,
      };
    });
    nodes.push({ role: layer.role, path: file, label: projectPath(model.root, file), settings: rows });
  }
  memo.set('layers', nodes);
  return nodes;
}

/** A write belongs to a layer file when it is in the file or in a module that file imports (not another layer). */
function belongs(model: ProjectModel, w: SettingWrite, layerFile: string): boolean {
  if (w.span.file === layerFile) return true;
  return (
    !model.files.some((f) => f.path === w.span.file) && model.roleOf(w.span.file) === model.roleOf(layerFile)
  );
}

// ------------------------------------------------------------------ a finding's effective chain

function originText(analysis: Analysis, name: string): string {
  const eff = analysis.model.effective(name);
  if (!eff) return 'not set';
  if (eff.origin.kind === 'file') return where(analysis, eff.origin.span);
  const release = analysis.summary.horizonRelease;
  return eff.origin.by === 'horizon'
    ? `Horizon ${release ?? ''} default`.replace('  ', ' ')
    : 'Django default';
}

/**
 * One line that explains where the values a finding is about come from, e.g.
 * `SESSION_ENGINE cache (local_settings.py:172) → alias 'default' → LocMemCache (_0006_debian_cache.py:20)`.
 * Not masked.
 */
export function effectiveChain(analysis: Analysis, finding: Pick<Finding, 'settings'>): string | undefined {
  const storage = sessionStorage(analysis);
  const names = finding.settings;
  const parts: string[] = [];
  const sessionNames = [SESSION_ENGINE, SESSION_CACHE_ALIAS, CACHES];
  if (names.some((n) => sessionNames.includes(n))) {
    const eng = storage.engineSetting;
    if (eng)
      parts.push(
        `${SESSION_ENGINE} ${shortValue(SESSION_ENGINE, [], eng.value)} (${originText(analysis, SESSION_ENGINE)})`,
      );
    if (storage.mayUseCache() || names.includes(CACHES)) {
      const alias = storage.alias;
      if (alias) {
        const setAlias =
          alias.setting && alias.setting.origin.kind === 'file'
            ? ` (${originText(analysis, SESSION_CACHE_ALIAS)})`
            : '';
        parts.push(`alias '${alias.alias}'${setAlias}`);
        const backend = storage.cache?.field('BACKEND');
        if (backend) {
          const at = backend.span
            ? ` (${where(analysis, backend.span)})`
            : ` (${originText(analysis, CACHES)})`;
          parts.push(`${brief(backend)}${at}`);
        } else parts.push(`no CACHES['${alias.alias}'] (${originText(analysis, CACHES)})`);
      }
    }
  }
  for (const n of names) {
    if (sessionNames.includes(n)) continue;
    const eff = analysis.model.effective(n);
    if (!eff) {
      parts.push(`${n} not set`);
      continue;
    }
    parts.push(`${n} ${shortValue(n, [], eff.value)} (${originText(analysis, n)})`);
  }
  return parts.length > 0 ? parts.join(' → ') : undefined;
}

/**
 * The chains of the diagnostics `file` shows under `offset` (its own findings and the ones mirrored onto it),
 * one per code, for the hover over a diagnostic. Not masked.
 */
export function chainsAt(
  analysis: Analysis,
  file: string,
  offset: number,
): readonly { readonly code: string; readonly chain: string }[] {
  const out: { code: string; chain: string }[] = [];
  const seen = new Set<string>();
  const memo = memoOf(analysis);
  let diagnostics = memo.get(`diagnostics:${file}`) as ReturnType<typeof diagnosticsForFile> | undefined;
  if (!diagnostics) {
    diagnostics = diagnosticsForFile(analysis, file);
    memo.set(`diagnostics:${file}`, diagnostics);
  }
  for (const d of diagnostics) {
    if (d.span.file !== file || offset < d.span.from || offset > Math.max(d.span.to, d.span.from + 1))
      continue;
    const finding = analysis.findings.find(
      (f) =>
        f.code === d.code &&
        f.span.file === (d.mirroredFrom ?? d.span).file &&
        f.span.from === (d.mirroredFrom ?? d.span).from,
    );
    const chain = finding ? effectiveChain(analysis, finding) : undefined;
    if (!chain || seen.has(`${d.code}|${chain}`)) continue;
    seen.add(`${d.code}|${chain}`);
    out.push({ code: d.code, chain });
  }
  return out;
}
