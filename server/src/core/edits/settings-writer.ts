/** Writes whole settings for a project-wide change (switching the session storage): a value in place, the entries of a dict literal, a block appended to a file, a later layer's statements commented out. Values come from the syntax tree; pure, returns edits. */
import { dictLookup } from '../evaluate/values';
import type { AssignmentEvent } from '../evaluate/evaluate';
import { INSTALLED_APPS, SESSIONS_APP } from '../knowledge';
import type { FileModel, ProjectModel } from '../layers/project';
import { pythonStringLiteral } from '../python/strings';
import type { TextEdit } from '../types';
import { INDENT, REST_OF_LINE_RE, indentAt, lineEndOf, lineStartOf } from './lines';
import { assignedValue, firstQuoteIn, prevailingQuote, type EditSource, type Quote } from './syntax';

/** A Python value to render: a string, raw code (written with `'`, re-quoted to the file's style), or a dict (ordered). */
export type Py =
  | { readonly str: string }
  | { readonly code: string }
  | { readonly dict: readonly (readonly [string, Py])[] };

/** A setting to write: a whole value, or the entries `aliases` of a dict setting (CACHES, DATABASES). */
export type Write =
  | { readonly kind: 'scalar'; readonly name: string; readonly value: Py }
  | {
      readonly kind: 'entries';
      readonly name: string;
      readonly aliases: readonly string[];
      readonly entry: Py;
      readonly needsOs?: boolean;
    };

/** Python source of a value at `indent`; small all-scalar dicts (OPTIONS) stay on one line, as Django's docs write them. */
function render(py: Py, indent: string, quote: Quote): string {
  if ('str' in py) return pythonStringLiteral(py.str, quote);
  if ('code' in py) return py.code.replace(/'/g, quote);
  if (py.dict.length === 0) return '{}';
  if (py.dict.length <= 2 && py.dict.every(([, v]) => !('dict' in v))) {
    return `{${py.dict.map(([k, v]) => `${pythonStringLiteral(k, quote)}: ${render(v, indent, quote)}`).join(', ')}}`;
  }
  const inner = indent + INDENT;
  return `{\n${py.dict.map(([k, v]) => `${inner}${pythonStringLiteral(k, quote)}: ${render(v, inner, quote)},\n`).join('')}${indent}}`;
}

const IMPORTS_OS = /^[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*os(?:[ \t]*(?:,|#|$))/m;

type Range = { from: number; to: number };

/** Collects edits per file: in-place replacements, commented-out overrides and one appended block per file. */
export class SettingsWriter {
  private readonly edits: TextEdit[] = [];
  private readonly appended = new Map<string, string[]>();
  private readonly osAdded = new Set<string>();
  private readonly source: EditSource;
  /** The quote new text is written with where no neighbouring literal says otherwise. */
  private readonly quote: Quote;

  /** Writes into `fm`, and into the local layers after it that would override what it writes. */
  constructor(
    private readonly model: ProjectModel,
    private readonly fm: FileModel,
  ) {
    this.source = { project: model, text: (file) => this.textOf(file) };
    this.quote = prevailingQuote(fm.parsed.text);
  }

  write(w: Write): void {
    this.writeIn(this.fm, w);
    // A later layer that sets the name again would undo the switch (Debian's _0006_debian_cache.py does).
    for (const later of this.laterLayers()) {
      const events = this.eventsOf(later.path, w.name);
      if (events.length === 0) continue;
      if (!this.commentOut(later, events)) this.writeIn(later, w);
    }
  }

  /** Adds django.contrib.sessions to the INSTALLED_APPS literal that lacks it, when that literal is in this file. */
  addSessionsApp(): void {
    const v = this.model.effective(INSTALLED_APPS)?.value;
    if (!v?.span || v.span.file !== this.fm.path || (v.kind !== 'list' && v.kind !== 'tuple')) return;
    // Only a display (`[…]`, `(…)`) can take the item right after its bracket; `list(…)` and sums cannot.
    const open = this.fm.parsed.text[v.span.from];
    if (open !== '[' && open !== '(') return;
    const at = v.span.from + 1;
    this.edits.push({
      file: this.fm.path,
      from: at,
      to: at,
      newText: `${pythonStringLiteral(SESSIONS_APP, this.quote)}, `,
    });
  }

  /** The edits, with each file's appended block (headed by `label`) last, sorted by file and offset. */
  finish(label: string): TextEdit[] {
    for (const [file, statements] of this.appended) {
      const text = this.textOf(file);
      const lead = text.length === 0 ? '' : text.endsWith('\n') ? '\n' : '\n\n';
      const block = `${lead}# Session storage: ${label} (set by django-session-lint)\n${statements.join('\n')}\n`;
      this.edits.push({ file, from: text.length, to: text.length, newText: block });
    }
    return this.edits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.from - b.from));
  }

  private textOf(file: string): string {
    return this.model.files.find((f) => f.path === file)?.parsed.text ?? '';
  }

  private eventsOf(file: string, name: string): AssignmentEvent[] {
    return this.model.events.filter((e) => e.span.file === file && e.name === name);
  }

  /** Local layers (local_settings, local_settings.d) that load after this file. */
  private laterLayers(): FileModel[] {
    const order = this.model.layers.map((l) => l.path);
    const mine = order.indexOf(this.fm.path);
    if (mine < 0) return [];
    return this.model.files.filter(
      (f) => f.role !== 'settings' && f.path !== this.fm.path && order.indexOf(f.path) > mine,
    );
  }

  private writeIn(fm: FileModel, w: Write): void {
    const text = fm.parsed.text;
    const events = this.eventsOf(fm.path, w.name);
    const last = events[events.length - 1];
    const valueSpan = last ? this.plainValueSpan(fm, last) : undefined;
    const addOs = w.kind === 'entries' && w.needsOs && !IMPORTS_OS.test(text) && !this.osAdded.has(fm.path);
    if (addOs) this.osAdded.add(fm.path);
    if (!last || !valueSpan) {
      const statements = this.appended.get(fm.path) ?? [];
      if (addOs) statements.push('import os');
      statements.push(`${w.name} = ${render(this.fullValue(w), '', this.quote)}`);
      this.appended.set(fm.path, statements);
      return;
    }
    if (addOs) {
      const lineStart = lineStartOf(text, last.span.from);
      const newText = `${indentAt(text, last.span.from)}import os\n`;
      this.edits.push({ file: fm.path, from: lineStart, to: lineStart, newText });
    }
    // Replaced text keeps the quotes it was written with; new text follows the file's habit.
    const replace = (r: Range, py: Py): void => {
      const quote = firstQuoteIn(text, fm.parsed.tree, r.from, r.to, this.quote);
      this.edits.push({ file: fm.path, ...r, newText: render(py, indentAt(text, r.from), quote) });
    };
    const entrySpans =
      w.kind === 'entries' ? this.entrySpans(fm, w.name, last, valueSpan, w.aliases) : undefined;
    if (w.kind === 'entries' && entrySpans) for (const sp of entrySpans) replace(sp, w.entry);
    else replace(valueSpan, this.fullValue(w));
  }

  private fullValue(w: Write): Py {
    return w.kind === 'scalar' ? w.value : { dict: w.aliases.map((a) => [a, w.entry] as const) };
  }

  /**
   * The value expression of `NAME = <value>` when `event` is such a plain, unconditional statement and nothing
   * else in it binds a name (chained or annotated assignments are left alone: the block is appended instead).
   */
  private plainValueSpan(fm: FileModel, event: AssignmentEvent): Range | undefined {
    if (event.kind !== 'assign' || event.path.length > 0 || event.conditional) return undefined;
    if (fm.parsed.text.slice(event.target.from, event.target.to) !== event.name) return undefined;
    const shared = this.model.events.some(
      (e) =>
        e.span.file === fm.path && e.span.from === event.span.from && e.target.from !== event.target.from,
    );
    if (shared) return undefined;
    const value = assignedValue(this.source, event.span, event.target);
    return value && value.to > value.from ? { from: value.from, to: value.to } : undefined;
  }

  /** The value spans of the aliases' entries inside the dict literal, when every alias has one there. */
  private entrySpans(
    fm: FileModel,
    name: string,
    event: AssignmentEvent,
    valueSpan: Range,
    aliases: readonly string[],
  ): Range[] | undefined {
    const binding = fm.evaluation.env.get(name);
    if (!binding || binding.origin.kind !== 'file' || binding.origin.span.from !== event.span.from)
      return undefined;
    const dict = binding.value;
    if (dict.kind !== 'dict' || !dict.span || dict.span.from !== valueSpan.from) return undefined;
    const out: Range[] = [];
    for (const alias of aliases) {
      const found = dictLookup(dict, { kind: 'str', value: alias });
      const sp = found.found === true ? found.entry.value.span : undefined;
      if (!sp || sp.file !== fm.path || sp.from < valueSpan.from || sp.to > valueSpan.to) return undefined;
      out.push({ from: sp.from, to: sp.to });
    }
    return out;
  }

  /** The whole lines of `e` when it is a top-level statement that shares them with no other setting. */
  private ownLines(fm: FileModel, e: AssignmentEvent): Range | undefined {
    const text = fm.parsed.text;
    if (e.kind === 'import' || e.conditional) return undefined;
    const start = lineStartOf(text, e.span.from);
    if (start !== e.span.from) return undefined;
    const end = lineEndOf(text, e.span.to);
    if (!REST_OF_LINE_RE.test(text.slice(e.span.to, end))) return undefined;
    // Another statement sharing these lines (`A = 1; CACHES = …`) would be commented out too.
    const sharing = this.model.events.some(
      (o) => o.span.file === fm.path && o.name !== e.name && o.span.from < end && o.span.to > start,
    );
    return sharing ? undefined : { from: start, to: end };
  }

  /**
   * Comments out a later layer's statements for a name (as Debian's snippet itself suggests), when each is a
   * whole top-level statement; returns false when one is not, and the value is then written there instead.
   */
  private commentOut(fm: FileModel, events: readonly AssignmentEvent[]): boolean {
    const ranges: Range[] = [];
    for (const e of events) {
      const r = this.ownLines(fm, e);
      if (!r || ranges.some((o) => o.from < r.to && r.from < o.to)) return false;
      ranges.push(r);
    }
    const where = this.fm.path.split(/[\\/]/).pop() ?? this.fm.path;
    for (const r of ranges) {
      const commented = fm.parsed.text
        .slice(r.from, r.to)
        .split('\n')
        .map((l) => (l.length > 0 ? `# ${l}` : '#'))
        .join('\n');
      this.edits.push({
        file: fm.path,
        ...r,
        newText: `# Disabled by django-session-lint: session storage is set in ${where}.\n${commented}`,
      });
    }
    return true;
  }
}
