/** Helpers DSL110–DSL119 share over a CACHES entry (read through queries/): LOCATION split into servers the way the backend splits it and its bad entries reported one finding per string with their rewrite (DSL110, DSL112), edits that only touch plain literals, and path comparisons. Reads the evaluated model only. */
import { CACHES, LOCATION_SEPARATORS_RE } from '../knowledge';
import { CACHE_KEY_BACKEND } from '../knowledge';
import { decodeStringToken } from '../python/strings';
import type { RelatedLocation, Span, TextEdit, Value } from '../types';
import { judgeAll, replaceString, type RuleContext } from './framework';
import { aliasLabel, type SettingEntry } from '../queries/entries';
import { locationOf } from '../queries/session-storage';

// ------------------------------------------------------------------ LOCATION

/** One server entry of a LOCATION, as the backend sees it. */
export interface LocationItem {
  /** The entry text exactly as the backend receives it (not trimmed). */
  readonly text: string;
  /** The string value the entry is part of (a literal when the source is plain). */
  readonly source: Value & { kind: 'str' };
  /** Offsets of the entry within `source.value`. */
  readonly start: number;
  readonly end: number;
  /** Set when the entry comes from an environment lookup's visible default. */
  readonly ifUnset?: string | undefined;
  /** Set when the entry holds only if a file exists or not (judge.ts `when`). */
  readonly when?: string | undefined;
}

/** Splits a string LOCATION at the backend's separators, keeping offsets. */
export function splitLocation(
  source: Value & { kind: 'str' },
  separators: RegExp,
  ifUnset?: string,
): LocationItem[] {
  const re = new RegExp(separators.source, 'g');
  const out: LocationItem[] = [];
  let start = 0;
  for (let m = re.exec(source.value); m !== null; m = re.exec(source.value)) {
    out.push({ text: source.value.slice(start, m.index), source, start, end: m.index, ifUnset });
    start = m.index + m[0].length;
  }
  out.push({ text: source.value.slice(start), source, start, end: source.value.length, ifUnset });
  return out;
}

/**
 * The server entries of every possibility of LOCATION (unknown values are never judged: undefined when any possibility is unknown
 * without a visible default). A string is split like the backend does; a list or tuple contributes its known
 * string items (an unknown item cannot make a known bad item good).
 */
export function locationPossibilities(
  v: Value | undefined,
  separators: RegExp = LOCATION_SEPARATORS_RE,
): LocationItem[][] | undefined {
  const judged = judgeAll(v, (k): LocationItem[] | undefined => {
    if (k.kind === 'str') return splitLocation(k, separators);
    if (k.kind !== 'list' && k.kind !== 'tuple') return undefined;
    const items: LocationItem[] = [];
    for (const item of k.items) {
      if (item.kind === 'str')
        items.push({ text: item.value, source: item, start: 0, end: item.value.length });
      else if (item.kind === 'unknown' && item.default?.kind === 'str') {
        const d = item.default;
        items.push({
          text: d.value,
          source: d,
          start: 0,
          end: d.value.length,
          ifUnset: item.envVar ?? 'the environment variable',
        });
      }
    }
    return items;
  });
  if (!judged) return undefined;
  return judged.map((j) =>
    j.ifUnset
      ? j.value.map((i) => ({ ...i, ifUnset: i.ifUnset ?? j.ifUnset }))
      : j.when
        ? j.value.map((i) => ({ ...i, when: i.when ?? j.when }))
        : j.value,
  );
}

/**
 * Judges server entries: returns the bad ones (with a verdict) only when every possibility of LOCATION has at
 * least one bad entry (unknown values are never judged), else undefined.
 */
function badLocationItems<T>(
  all: LocationItem[][] | undefined,
  verdict: (item: LocationItem) => T | undefined,
): BadItem<T>[] | undefined {
  if (!all || all.length === 0) return undefined;
  const out: BadItem<T>[] = [];
  for (const items of all) {
    const bad = items.flatMap((item) => {
      const v = verdict(item);
      return v === undefined ? [] : [{ item, verdict: v }];
    });
    if (bad.length === 0) return undefined;
    out.push(...bad);
  }
  return out;
}

/** Groups bad entries by the string value holding them (one finding per literal). */
function groupBySource<T extends { item: LocationItem }>(bad: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  const order: string[] = [];
  for (const b of bad) {
    const s = b.item.source;
    const key = s.span ? `${s.span.file}:${s.span.from}:${s.span.to}` : `value:${s.value}`;
    if (!groups.has(key)) {
      groups.set(key, []);
      order.push(key);
    }
    const g = groups.get(key) as T[];
    if (!g.some((x) => x.item.start === b.item.start)) g.push(b);
  }
  return order.map((k) => groups.get(k) as T[]);
}

/**
 * The string with some entries rewritten (`replacement` undefined = drop the entry and its separator).
 * Whitespace around an entry is kept.
 */
function rewriteEntries(
  source: Value & { kind: 'str' },
  items: readonly LocationItem[],
  rewrite: (item: LocationItem) => string | null | undefined,
): string | undefined {
  const all = items.filter((i) => i.source === source).sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  let droppedAll = true;
  const pieces: { text: string; sepBefore: string }[] = [];
  for (const item of all) {
    const sepBefore = source.value.slice(cursor, item.start);
    cursor = item.end;
    const r = rewrite(item);
    if (r === undefined) return undefined;
    if (r === null) continue;
    droppedAll = false;
    const lead = /^\s*/.exec(item.text)?.[0] ?? '';
    const trail = /\s*$/.exec(item.text)?.[0] ?? '';
    const text = r === item.text ? item.text : lead + r + trail;
    pieces.push({ text, sepBefore });
  }
  if (droppedAll) return undefined;
  pieces.forEach((p, i) => {
    // The first kept entry takes no separator even if its original one was kept before a dropped entry.
    out += (i === 0 ? '' : p.sepBefore || ',') + p.text;
  });
  return out + source.value.slice(cursor);
}

/** A bad LOCATION entry and what the rule found wrong with it. */
export interface BadItem<T> {
  readonly item: LocationItem;
  readonly verdict: T;
}

/** How a rule words and fixes the bad LOCATION entries of one string value. */
export interface LocationFinding<T> {
  readonly message: (bad: readonly BadItem<T>[]) => string;
  /** An entry's replacement in the fix: null drops it, undefined offers no fix. */
  readonly rewrite: (bad: BadItem<T>) => string | null | undefined;
  readonly fixTitle: (bad: readonly BadItem<T>[]) => string;
}

/**
 * Reports the bad entries of a CACHES entry's LOCATION, split at `separators` (see badLocationItems): one
 * finding per string value holding them, placed on it (on the setting when it has no span), with the
 * BACKEND related when another file sets it, and a safe fix rewriting them when that string is a plain literal.
 */
export function reportBadLocation<T>(
  ctx: RuleContext,
  cache: { readonly entry: SettingEntry; readonly backend: Value; readonly separators?: RegExp },
  verdict: (item: LocationItem) => T | undefined,
  finding: LocationFinding<T>,
): void {
  const all = locationPossibilities(locationOf(cache.entry), cache.separators);
  const bad = badLocationItems(all, verdict);
  for (const group of bad ? groupBySource(bad) : []) {
    const source = (group[0] as BadItem<T>).item.source;
    const inSource = (all ?? []).flat().filter((i) => i.source === source);
    const fixed = rewriteEntries(source, inSource, (i) => {
      const hit = group.find((g) => g.item.start === i.start);
      return hit ? finding.rewrite(hit) : i.text;
    });
    const edit = fixed !== undefined ? literalEdit(ctx, source, fixed) : undefined;
    ctx.report({
      at: source.span ? source : cache.entry.setting,
      message: finding.message(group),
      settings: [CACHES],
      related: backendRelated(cache.entry, cache.backend, source),
      fix: edit ? { title: finding.fixTitle(group), edits: [edit], applicability: 'safe' } : undefined,
    });
  }
}

// ------------------------------------------------------------------ edits

/**
 * Replaces a string value when its source text is exactly one plain string literal with that value — never an
 * f-string, a concatenation or a call, whose other parts (an environment lookup, a variable) would be lost.
 */
export function literalEdit(ctx: RuleContext, v: Value, newValue: string): TextEdit | undefined {
  if (v.kind !== 'str' || !v.span) return undefined;
  const token = ctx.text(v.span.file)?.slice(v.span.from, v.span.to);
  const decoded = token ? decodeStringToken(token) : undefined;
  if (!decoded || decoded.bytes || decoded.value !== v.value) return undefined;
  return replaceString(ctx, v, newValue);
}

/** `local_settings.d/_50_cache.py:3`: a span's file relative to the project root, and its line. */
export function whereSet(ctx: RuleContext, span: Span): string {
  const root = ctx.project.root.replace(/\/+$/, '') + '/';
  const file = span.file.startsWith(root) ? span.file.slice(root.length) : span.file;
  return `${file}:${ctx.lineOf(span)}`;
}

/** Related location for the BACKEND when it was written in a different file than `at`. */
function backendRelated(
  entry: SettingEntry,
  backend: Value,
  at: Value | Span | undefined,
): RelatedLocation[] {
  const atSpan = at && 'file' in at ? at : (at as Value | undefined)?.span;
  if (!backend.span || !atSpan || backend.span.file === atSpan.file) return [];
  return [{ span: backend.span, message: `${aliasLabel(entry)} ${CACHE_KEY_BACKEND} set here` }];
}

// ------------------------------------------------------------------ paths

/** Absolute the way os.path.isabs sees it on a POSIX server, plus Windows drive and UNC forms (to stay quiet there). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** A POSIX path with `.`, `..` and repeated slashes collapsed (what pathlib's resolve does apart from symlinks). */
export interface NormalPath {
  readonly absolute: boolean;
  readonly parts: readonly string[];
}

export function normalizePath(p: string): NormalPath {
  const absolute = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  return { absolute, parts };
}

/**
 * caches.W002's relation between a cache directory and a root (DJ52 core/checks/caches.py: equal, LOCATION
 * inside the root, or the root inside LOCATION). Undefined when unrelated or not comparable (one relative, one
 * absolute: the working directory is unknown).
 */
export function pathRelation(
  location: NormalPath,
  root: NormalPath,
): 'matches' | 'is inside' | 'contains' | undefined {
  if (location.absolute !== root.absolute) return undefined;
  const n = Math.min(location.parts.length, root.parts.length);
  for (let i = 0; i < n; i++) if (location.parts[i] !== root.parts[i]) return undefined;
  if (location.parts.length === root.parts.length) return 'matches';
  return location.parts.length > root.parts.length ? 'is inside' : 'contains';
}
