/**
 * Hover for settings files: on SESSION_ENGINE values, cache BACKEND values, database ENGINE values, serializer
 * values and setting names — the tradeoff card from the knowledge data, the effective value with the file and
 * line that set it, and documentation links. Reuses an existing analysis; pure. Markdown only, no commands.
 */
import type { Analysis } from '../analyze';
import { rawBinding } from '../evaluate/environment';
import { Lazy, targetHolds, type StatementRecord } from '../evaluate/replay';
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
import { finish, type Steps } from '../steps';
import type { Origin, Span, Value } from '../types';
import type { AssignmentEvent, Binding, Env } from '../evaluate/model';
import type { Checkpoints } from '../evaluate/checkpoints';
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
  // Masked before it is cut to length: a rendering cut inside a secret's string (`'PASSWORD': 'sekr…`) or a
  // URL's password would show the part before the cut. What the longer rendering cuts is masked as a whole.
  const shown = maskDeep(maskOpenTail(describeValue(v, DISPLAY_MAX * 4)));
  return code(shown.length > DISPLAY_MAX ? `${shown.slice(0, DISPLAY_MAX - 1)}…` : shown);
}

const DISPLAY_MAX = 200;

/**
 * A rendering cut inside a string (it ends with `…` there) with that string's text replaced by `***`: a cut
 * may leave a secret or a URL password without the quote or `@` the masks look for.
 */
function maskOpenTail(text: string): string {
  if (!text.endsWith('…')) return text;
  let open = -1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (open >= 0) {
      if (c === '\\') i++;
      else if (c === quote) open = -1;
    } else if (c === "'" || c === '"') {
      open = i;
      quote = c;
    }
  }
  return open < 0 ? text : `${text.slice(0, open + 1)}***…`;
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
  /** Where it is in the text of the binding it was found in (see `BindingCandidates`). */
  readonly from: number;
  readonly to: number;
  readonly path: PathNode;
  readonly value: Value;
  readonly onKey: boolean;
}

/** The candidates under one binding (its name is the root of their paths), in walk order, and their extent. */
interface BindingCandidates {
  readonly name: string;
  readonly binding: Binding;
  readonly file: string;
  readonly list: readonly Candidate[];
  /** The least `from` and the greatest `to` of the list (a hover elsewhere skips the binding). */
  readonly min: number;
  readonly max: number;
}

/**
 * Memoised per binding object, positions as in that binding: the next analysis keeps the bindings of the
 * statements before an edit (it shares their namespace, evaluate/checkpoints.ts), and a name replayed after an
 * edit and not read yet (evaluate/environment.ts LazyEnv) stands for the binding it was replayed from (its
 * placeholder, the same from one keystroke to the next) with its positions shifted, so the walk over every
 * value of a 10,000-line file is done once (in the background after the file's first analysis:
 * `hoverIndexInSteps`), and a hover after typing walks only the bindings the edits made.
 */
const BY_BINDING = new WeakMap<Binding, BindingCandidates>();

function bindingCandidates(name: string, binding: Binding, file: string): BindingCandidates {
  const known = BY_BINDING.get(binding);
  if (known && known.name === name && known.file === file) return known;
  const list: Candidate[] = [];
  let min = Infinity;
  let max = -Infinity;
  const mine = (sp: Span | undefined): sp is Span => !!sp && sp.file === file;
  const add = (sp: Span, path: PathNode, value: Value, onKey: boolean): void => {
    list.push({ from: sp.from, to: sp.to, path, value, onKey });
    min = Math.min(min, sp.from);
    max = Math.max(max, sp.to);
  };
  // A value shared by several containers (`b = {'x': a, 'y': a}`, repeated) is walked again only when reached
  // at a lesser depth (the walk stops at 8, so it may then see deeper): its candidates from a later path at the
  // same depth or deeper would never be chosen (`locate` keeps the first visited among equal spans), and walking
  // them made 3^8 candidates per binding of a module that nests one value three times a line.
  const walkedAt = new Map<Value, number>();
  const walk = (v: Value, path: PathNode, depth: number): void => {
    if (depth > 8) return;
    const at = walkedAt.get(v);
    if (at !== undefined && at <= depth) return;
    walkedAt.set(v, depth);
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
  walk(binding.value, { key: name, parent: undefined }, 0);
  const made = { name, binding, file, list, min, max };
  BY_BINDING.set(binding, made);
  return made;
}

/**
 * A file's namespace as hover reads it, in namespace order: each name's binding or the Lazy that makes it, and the
 * candidates of that binding (of a Lazy not made yet: of its placeholder, positions shifted when read). Two arrays,
 * not an object per name: the first hover after typing makes them for the ~4,700 names of the 10,000-line file,
 * and an object each (~260 KB) often set off a young-generation collection during that hover.
 */
interface FileEntries {
  readonly raws: (Binding | Lazy)[];
  readonly candidates: BindingCandidates[];
}

/** The entries of each file of an analysis (resolved once per analysis). */
const ENTRIES = new WeakMap<Analysis, Map<string, FileEntries>>();

function candidatesOf(name: string, raw: Binding | Lazy, file: string): BindingCandidates {
  // A name made since it was replayed has the made binding as placeholder, and no shift any more.
  return bindingCandidates(name, raw instanceof Lazy ? raw.placeholder : raw, file);
}

/** The namespace entries of a file of an analysis, resolved once (see `hoverIndexInSteps`). */
function* entriesInSteps(
  analysis: Analysis,
  file: string,
  pause?: () => boolean,
): Steps<FileEntries | undefined> {
  let byFile = ENTRIES.get(analysis);
  const known = byFile?.get(file);
  if (known) return known;
  const fm = analysis.model.files.find((f) => f.path === file);
  if (!fm) return undefined;
  // Taken up where one left part-way stopped (a hover whose time ran out, lsp/hover.ts): the namespace's order is
  // that of its names, which an analysis no longer changes.
  let partial = PARTIAL.get(analysis);
  if (!partial) PARTIAL.set(analysis, (partial = new Map()));
  const out = partial.get(file) ?? { raws: [], candidates: [] };
  partial.set(file, out);
  const walk: EntriesWalk = { env: fm.evaluation.env, names: fm.evaluation.env.keys(), at: 0, file, out };
  while (!addEntries(walk, pause)) yield;
  partial.delete(file);
  if (!byFile) ENTRIES.set(analysis, (byFile = new Map()));
  byFile.set(file, out);
  return out;
}

/** Where a walk over a namespace's names making entries is. */
interface EntriesWalk {
  readonly env: Env;
  readonly names: Iterator<string>;
  /** How many names it went past. */
  at: number;
  readonly file: string;
  readonly out: FileEntries;
}

/**
 * Adds the entries of the names not made yet, asking `pause` after each; whether all are made. A plain function
 * called from the generator, not the generator's own loop: V8 optimises a loop running in a function, not in a
 * generator, and the first hover after typing runs it over every name (~5 ms unoptimised, 10k-line file).
 */
function addEntries(walk: EntriesWalk, pause: (() => boolean) | undefined): boolean {
  const { env, names, file, out } = walk;
  for (;;) {
    const next = names.next();
    if (next.done) return true;
    // Made already, by this walk or another that took turns with it (the background's, a hover's).
    if (walk.at++ < out.raws.length) continue;
    const raw = rawBinding(env, next.value) as Binding | Lazy;
    out.raws.push(raw);
    out.candidates.push(candidatesOf(next.value, raw, file));
    if (pause?.()) return false;
  }
}

/** The entries made so far of an index left part-way, per analysis and file (`entriesInSteps`). */
const PARTIAL = new WeakMap<Analysis, Map<string, FileEntries>>();

/**
 * Makes what hover reads of a file of an analysis: its namespace entries, walking the values of those hover
 * has not seen yet (memoised per binding, see BY_BINDING), pausing between two entries when `pause` says so.
 * The server does it in the background after a file's first analysis, so that no hover walks the whole file;
 * hover finds the same with or without it.
 */
export function* hoverIndexInSteps(analysis: Analysis, file: string, pause?: () => boolean): Steps<void> {
  yield* entriesInSteps(analysis, file, pause);
}

/** Finds the string value or dict key under `offset` in the file's own evaluated values (exported for tests). */
export function locate(analysis: Analysis, file: string, offset: number): Located | undefined {
  const entries = finish(entriesInSteps(analysis, file));
  if (!entries) return undefined;
  // The innermost: the shortest span holding the offset, the first visited among equals.
  let best: Candidate | undefined;
  let bestFrom = 0;
  let bestTo = 0;
  const { raws, candidates } = entries;
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i] as Binding | Lazy;
    let c = candidates[i] as BindingCandidates;
    const lazy = raw instanceof Lazy ? raw : undefined;
    if (lazy && lazy.placeholder !== c.binding) candidates[i] = c = candidatesOf(c.name, lazy, file);
    if (c.list.length === 0) continue;
    // Positions of a replayed name are shifted (the same on every span: no edit is inside a replayed statement).
    if (lazy) {
      if (offset < lazy.shiftPos(c.min) || offset > lazy.shiftPos(c.max)) continue;
    } else if (offset < c.min || offset > c.max) continue;
    for (const cand of c.list) {
      const from = lazy ? lazy.shiftPos(cand.from) : cand.from;
      const to = lazy ? lazy.shiftPos(cand.to) : cand.to;
      if (from <= offset && offset <= to && (!best || to - from < bestTo - bestFrom)) {
        best = cand;
        bestFrom = from;
        bestTo = to;
      }
    }
  }
  if (!best) return undefined;
  const path: string[] = [];
  for (let n: PathNode | undefined = best.path; n; n = n.parent) path.push(n.key);
  return {
    path: path.reverse(),
    value: best.value,
    onKey: best.onKey,
    span: { file, from: bestFrom, to: bestTo },
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

/** An event hover names the setting of: the whole name (re)bound, not imported, its target holding `offset`. */
function namesSetting(e: AssignmentEvent, file: string, offset: number): boolean {
  return e.path.length === 0 && e.kind !== 'import' && targetHolds(e, file, offset);
}

/**
 * The first event of the model whose target in `file` holds `offset` and names a setting (`namesSetting`), as a
 * scan of every event finds it (exported for tests). A long file's evaluation records which events each of its
 * top-level statements made (`Checkpoints.records`, in text order, evaluate/replay.ts): when that evaluation is
 * the only one that read the file (no layer imported or exec'd it), an event whose target holds `offset` was made
 * by the statement that holds `offset`, found by bisection. The scan of the ~10,000 events of the 10,000-line
 * file took 3-9 ms on the first hover after typing (code not optimised yet), and ~0.5 ms on every hover after.
 */
export function settingEventAt(
  analysis: Analysis,
  file: string,
  offset: number,
): AssignmentEvent | undefined {
  const own = ownRecords(analysis, file);
  if (!own) return analysis.model.events.find((e) => namesSetting(e, file, offset));
  const { records, events } = own;
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as StatementRecord).from <= offset) lo = mid + 1;
    else hi = mid;
  }
  // The statement starting at or before `offset` (one that ends where the next starts ends with a newline or a
  // semicolon, never with a target).
  const r = records[lo - 1];
  if (!r || r.to < offset) return undefined;
  for (let i = r.eventsFrom; i < r.eventsTo; i++) {
    const e = events[i] as AssignmentEvent;
    if (namesSetting(e, file, offset)) return e;
  }
  return undefined;
}

/**
 * The per-statement records of `file`'s evaluation and the events they index, when every event of the model
 * with a target in `file` is one of them: the file is one layer, evaluated with checkpoints (complete records:
 * no limit was reached, evaluate/evaluate.ts), and no evaluation imported or exec'd it (those make events with
 * targets in its text too).
 */
function ownRecords(
  analysis: Analysis,
  file: string,
): { records: readonly StatementRecord[]; events: readonly AssignmentEvent[] } | undefined {
  const model = analysis.model;
  if (model.modules.has(file)) return undefined;
  let own: Checkpoints | undefined;
  for (const f of model.files) {
    if (f.path === file) {
      if (own) return undefined;
      own = f.evaluation.checkpoints;
      if (!own || own.records.length === 0) return undefined;
    }
    if (f.evaluation.dependencies.includes(file)) return undefined;
  }
  return own && { records: own.records, events: own.events };
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
  // Cheap fields first; a replayed statement's event is tested without shifting its spans (evaluate/replay.ts).
  const ev = settingEventAt(analysis, file, offset);
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
