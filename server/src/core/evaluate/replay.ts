/**
 * Statement-level reuse after an edit (issue #11). Checkpoints (checkpoints.ts) spare the statements before the
 * first changed character; this spares those after the last one. An evaluation that takes checkpoints also
 * records, for each top-level statement, the names it read from the namespace, what it wrote there and which
 * assignment events it made. The next evaluation of the file, once past the edited text, replays a statement
 * instead of evaluating it when the statement is unchanged text (same node, shifted by the edit's length
 * difference), it read nothing but the namespace's names (no import, exec, environment file or star import)
 * and none of the names it read is _dirty_: written, before it, by an edited or re-evaluated statement. Its
 * writes and events are then the earlier ones with every span after the edit shifted (`Shifter`); a binding is
 * shifted when first read (`Lazy`, `JournalEnv.setLazy`), so a name rewritten many times costs one shift. A
 * statement that reads a dirty name is evaluated, and what it writes becomes dirty in turn.
 *
 * Why this equals evaluating from scratch: a statement's effect depends only on its text, its position and the
 * bindings it reads; the text is the same, the position shifted by `delta`, and every binding it reads is the
 * earlier one shifted (a clean name), so its effect is the earlier one shifted. `test/unit/incremental.test.ts`
 * checks it on random edits, and that a forgotten read breaks it.
 */
import type { TextChange } from '../python/line-index';
import type { ParsedFile } from '../python/parse';
import type { Span, Value } from '../types';
import type { AssignmentEvent, Binding } from './model';
import { MAX_WALK_DEPTH } from './value-depth';

/** What one top-level statement did, for replaying it in a later evaluation. */
export interface StatementRecord {
  readonly from: number;
  readonly to: number;
  readonly node: string;
  /** The names it read; undefined when it cannot be replayed (it read more than the namespace's names). */
  readonly reads: readonly string[] | undefined;
  /** Pairs of name and binding (undefined: deleted) in order; undefined when not known (not replayable). */
  readonly writes: readonly (string | Binding | Lazy | undefined)[] | undefined;
  /** Its events: `[eventsFrom, eventsTo)` of the evaluation's events. */
  readonly eventsFrom: number;
  readonly eventsTo: number;
  /** Work steps it spent (charged again when replayed). */
  readonly steps: number;
  /**
   * For `NAME[key] = value` into a dict: the entry it set (`dictSet`'s key, value and key span), so that when only
   * NAME changed before it, the entry is set again in the new dict without evaluating the statement.
   */
  readonly entry?: EntryWrite | undefined;
  /**
   * For a top-level `if`: what decided it (`ifOutcome`'s key) and the names only its conditions read, so that
   * when only those changed before it and its conditions decide as before, it is replayed (statements.ts).
   */
  readonly cond?: IfCondition | undefined;
}

/** What decided a top-level `if` (StatementRecord.cond). */
export interface IfCondition {
  readonly outcome: string;
  /** The names its conditions read and its bodies (and their merge) did not. */
  readonly only: readonly string[];
}

/** The entry a `NAME[key] = value` statement set in the dict NAME held. */
export interface EntryWrite {
  readonly key: Value;
  readonly value: Value;
  readonly keySpan: Span;
}

/**
 * The record of a statement replayed after an edit: the plain record of the evaluation that last evaluated it
 * (`src`, for what replaying does not change: its node, length, reads, steps and events' count), where it starts
 * now, where its events start, and what it bound — the one `Lazy` (or undefined: a delete) of a statement that
 * wrote one name, else the whole writes array. Four fields instead of a record and a writes array: every
 * statement after an edit near the top of a long file is replayed on every keystroke, and what a keystroke's
 * records hold survives until the next one (young-generation collections copy it).
 */
export class ReplayedRecord implements StatementRecord {
  constructor(
    readonly src: StatementRecord,
    readonly from: number,
    readonly eventsFrom: number,
    /** The binding of its one write (`src.writes` has two entries), else its writes. */
    readonly bound: Lazy | readonly (string | Binding | Lazy | undefined)[] | undefined,
  ) {}

  get to(): number {
    return this.from + (this.src.to - this.src.from);
  }

  get node(): string {
    return this.src.node;
  }

  get reads(): readonly string[] | undefined {
    return this.src.reads;
  }

  get eventsTo(): number {
    return this.eventsFrom + (this.src.eventsTo - this.src.eventsFrom);
  }

  get steps(): number {
    return this.src.steps;
  }

  get writes(): readonly (string | Binding | Lazy | undefined)[] {
    const bound = this.bound;
    if (Array.isArray(bound)) return bound;
    const names = this.src.writes as readonly (string | Binding | Lazy | undefined)[];
    return names.length === 0 ? names : [names[0], bound as Lazy | undefined];
  }
}

/**
 * A record's writes for their names (and which are deletes) only: a replayed record's without making its
 * bindings (the names are those of the record it replays).
 */
export function writtenNames(r: StatementRecord): StatementRecord['writes'] {
  return r instanceof ReplayedRecord ? r.src.writes : r.writes;
}

/** Steps of a position map: a position at or after `at` (and before the next step) moves by `delta`. */
interface Step {
  readonly at: number;
  readonly delta: number;
}

/** A composed map past this many steps is not made: the binding is shifted then instead (Lazy). */
const MAX_STEPS = 16;

/**
 * Moves spans of `file` from an earlier text to the new one: positions before the edit stay, positions after
 * the changed text move by the length difference. Composed over several edits (`after`), a map of steps.
 */
export class Shifter {
  private readonly memo = new Map<Value, Value>();
  private readonly composed = new WeakMap<Shifter, Shifter | undefined>();

  constructor(
    readonly file: string,
    /** In ascending `at`; `delta` is what a position at or after `at` moves in all (cumulative). */
    private readonly steps: readonly Step[],
  ) {}

  static edit(file: string, at: number, delta: number): Shifter {
    return new Shifter(file, [{ at, delta }]);
  }

  /** The length difference of the last edit (statements after it moved by this much). */
  get delta(): number {
    return (this.steps[this.steps.length - 1] as Step).delta;
  }

  /** Where position `p` of the earlier text is in the new one. */
  pos(p: number): number {
    const steps = this.steps;
    let d = 0;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i] as Step;
      if (p < s.at) break;
      d = s.delta;
    }
    return p + d;
  }

  /** Whether `now` is the very value `value(before)` made (spans shifted, parts shared). */
  madeFrom(now: Value, before: Value): boolean {
    return this.memo.get(before) === now;
  }

  /** `first`, then this: one map from the first one's earlier text (undefined past MAX_STEPS). */
  after(first: Shifter): Shifter | undefined {
    if (this.composed.has(first)) return this.composed.get(first);
    // Breakpoints: first's own, and where first's image reaches each of this one's — on every piece of first:
    // its image is increasing on each piece, not across them (positions in text an edit deleted map back), so
    // the image may pass a step of this one on several pieces.
    const ats = new Set(first.steps.map((s) => s.at));
    for (const s of this.steps) {
      // On each piece [prevAt, f.at) of first, the least position p with first.pos(p) >= s.at, if any.
      let prevAt = -Infinity;
      let d = 0;
      for (const f of [...first.steps, { at: Infinity, delta: 0 }]) {
        const p = Math.max(prevAt, s.at - d);
        if (p < f.at) ats.add(p);
        prevAt = f.at;
        d = f.delta;
      }
    }
    const sorted = [...ats].filter((a) => Number.isFinite(a)).sort((a, b) => a - b);
    // A step that moves positions as the one before it does is left out (an edit undone leaves none but one).
    const steps: Step[] = [];
    for (const at of sorted) {
      const delta = this.pos(first.pos(at)) - at;
      if (steps.length === 0 || (steps[steps.length - 1] as Step).delta !== delta) steps.push({ at, delta });
    }
    const out =
      steps.length > MAX_STEPS || first.file !== this.file ? undefined : new Shifter(this.file, steps);
    this.composed.set(first, out);
    return out;
  }

  span(s: Span): Span;
  span(s: Span | undefined): Span | undefined;
  span(s: Span | undefined): Span | undefined {
    if (!s || s.file !== this.file || s.to < (this.steps[0] as Step).at) return s;
    const from = this.pos(s.from);
    const to = this.pos(s.to);
    return from === s.from && to === s.to ? s : { file: s.file, from, to };
  }

  /** Whether `s` shifted (as `span` would) holds `offset`, without making the shifted span. */
  holds(s: Span, offset: number): boolean {
    if (s.file !== this.file || s.to < (this.steps[0] as Step).at) return s.from <= offset && offset <= s.to;
    return this.pos(s.from) <= offset && offset <= this.pos(s.to);
  }

  binding(b: Binding): Binding {
    const value = this.value(b.value, 0);
    const origin = b.origin.kind === 'file' ? this.origin(b.origin.span) : b.origin;
    return value === b.value && origin === b.origin ? b : { value, origin };
  }

  private origin(span: Span): Binding['origin'] {
    return { kind: 'file', span: this.span(span) };
  }

  /** An event of a replayed statement, its spans shifted when first read. */
  event(e: AssignmentEvent): AssignmentEvent {
    return new ShiftedEvent(e, this);
  }

  private list(vs: readonly Value[], depth: number): readonly Value[] {
    let out: Value[] | undefined;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i] as Value;
      const w = this.value(v, depth);
      if (w !== v) (out ??= vs.slice())[i] = w;
    }
    return out ?? vs;
  }

  value(v: Value, depth: number): Value {
    switch (v.kind) {
      case 'str':
      case 'int':
      case 'float':
      case 'bool':
      case 'none': {
        // Leaves: no parts to share, nothing for the masker to remember (a copy per reference is as good).
        const span = this.span(v.span);
        if (span === v.span) return v;
        const leaf = copyOf(v);
        leaf.span = span;
        return leaf;
      }
    }
    const known = this.memo.get(v);
    if (known) return known;
    if (depth > MAX_WALK_DEPTH) return this.deep(v);
    const span = this.span(v.span);
    let out: Value = v;
    switch (v.kind) {
      case 'list':
      case 'tuple': {
        const items = this.list(v.items, depth + 1);
        if (items !== v.items || span !== v.span) {
          const c = copyOf(v);
          c.span = span;
          c.items = items;
          out = c;
        }
        break;
      }
      case 'dict':
        out = this.dict(v, span, depth);
        break;
      case 'oneOf': {
        const options = this.list(v.options, depth + 1);
        if (options !== v.options || span !== v.span) {
          const c = copyOf(v);
          c.span = span;
          c.options = options;
          out = c;
        }
        break;
      }
      case 'unknown':
        out = this.unknownValue(v, span, depth);
        break;
    }
    if (out !== v) (out as Shifted)[ORIGINAL] = shiftedFrom(v) ?? v;
    this.memo.set(v, out);
    return out;
  }

  private dict(v: Extract<Value, { kind: 'dict' }>, span: Span | undefined, depth: number): Value {
    let entries: { key: Value; value: Value; keySpan?: Span | undefined }[] | undefined;
    const old = v.entries;
    for (let i = 0; i < old.length; i++) {
      const e = old[i] as (typeof old)[number];
      const key = this.value(e.key, depth + 1);
      const value = this.value(e.value, depth + 1);
      const keySpan = this.span(e.keySpan);
      if (key !== e.key || value !== e.value || keySpan !== e.keySpan) {
        const c = copyOf(e);
        c.key = key;
        c.value = value;
        c.keySpan = keySpan;
        (entries ??= old.slice())[i] = c;
      }
    }
    if (!entries && span === v.span) return v;
    const c = copyOf(v);
    c.span = span;
    c.entries = entries ?? old;
    return c;
  }

  private unknownValue(v: Extract<Value, { kind: 'unknown' }>, span: Span | undefined, depth: number): Value {
    const dflt = v.default && this.value(v.default, depth + 1);
    const alternatives = v.alternatives && this.list(v.alternatives, depth + 1);
    let schema = v.envSchema;
    if (schema) {
      let changed = false;
      const next: Record<string, { cast?: string | undefined; default?: Value | undefined }> = {};
      for (const [k, s] of Object.entries(schema)) {
        const d = s.default && this.value(s.default, depth + 1);
        if (d !== s.default) changed = true;
        next[k] = d === s.default ? s : { ...s, default: d };
      }
      if (changed) schema = next;
    }
    if (dflt === v.default && alternatives === v.alternatives && schema === v.envSchema && span === v.span)
      return v;
    const c = copyOf(v);
    c.span = span;
    if (v.default) c.default = dflt;
    if (v.alternatives) c.alternatives = alternatives;
    if (v.envSchema) c.envSchema = schema;
    return c;
  }

  /**
   * `value` of a value deeper than MAX_WALK_DEPTH (`A = [A]` ×n): its parts are shifted bottom-up from an
   * explicit stack, so each is in the memo when the one holding it is shifted (no recursion past one level).
   * The result is the whole value shifted, as for any other value: what evaluating the statements again gives.
   */
  private deep(root: Value): Value {
    const stack: (readonly [Value, boolean])[] = [[root, false]];
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [v, partsDone] = top;
      if (this.memo.has(v)) continue;
      if (partsDone) {
        this.value(v, 0);
        continue;
      }
      stack.push([v, true]);
      for (const p of partsOf(v)) if (!LEAVES.has(p.kind) && !this.memo.has(p)) stack.push([p, false]);
    }
    return this.memo.get(root) as Value;
  }
}

/**
 * A copy of `v` with its own enumerable fields in their order, as `{ ...v }` makes it (the symbol of `shiftedFrom`
 * aside, which the caller sets). Not a spread: the shifted values' shapes vary, and a spread of them took V8's
 * slow path — shifting a value shifted before (a name read on every keystroke) cost ~5x more.
 */
function copyOf<T extends object>(v: T): { -readonly [K in keyof T]: T[K] } {
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = v[k];
  return out as { -readonly [K in keyof T]: T[K] };
}

const LEAVES = new Set<Value['kind']>(['str', 'int', 'float', 'bool', 'none']);

/** The values `Shifter.value` shifts inside `v`. */
function partsOf(v: Value): readonly Value[] {
  switch (v.kind) {
    case 'list':
    case 'tuple':
      return v.items;
    case 'dict':
      return v.entries.flatMap((e) => [e.key, e.value]);
    case 'oneOf':
      return v.options;
    case 'unknown': {
      const out: Value[] = [];
      if (v.default) out.push(v.default);
      if (v.alternatives) out.push(...v.alternatives);
      for (const s of Object.values(v.envSchema ?? {})) if (s.default) out.push(s.default);
      return out;
    }
    default:
      return [];
  }
}

/**
 * An event of a replayed statement: the earlier one, its spans shifted when first read (most readers look at
 * the name only: rules pick the events of their settings). It serialises as a plain event, with its keys in the
 * order `record` in state.ts writes them. One replayed again before its spans were read shifts from the first
 * spans (composed), not through a chain of events.
 */
class ShiftedEvent implements AssignmentEvent {
  /** The plain event it shifts; once shifted, the plain event with its spans moved (`shifter` undefined). */
  private e: AssignmentEvent;
  private shifter: Shifter | undefined;

  constructor(e: AssignmentEvent, shifter: Shifter) {
    // Two fields, the rest read through: every statement replayed after an edit makes one per event, and they
    // live until the next keystroke (what survives a young-generation collection is what it costs).
    const composed = e instanceof ShiftedEvent && e.shifter ? shifter.after(e.shifter) : undefined;
    if (e instanceof ShiftedEvent && composed) {
      this.e = e.e;
      this.shifter = composed;
    } else {
      this.e = e instanceof ShiftedEvent ? e.plain() : e;
      this.shifter = shifter;
    }
  }

  get name(): string {
    return this.e.name;
  }

  get path(): readonly string[] {
    return this.e.path;
  }

  get kind(): AssignmentEvent['kind'] {
    return this.e.kind;
  }

  get conditional(): boolean {
    return this.e.conditional;
  }

  get role(): string | undefined {
    return this.e.role;
  }

  get span(): Span {
    return this.plain().span;
  }

  get target(): Span {
    return this.plain().target;
  }

  /** The event with its spans shifted, as a plain one (made once, with its keys in `record`'s order, state.ts). */
  private plain(): AssignmentEvent {
    const s = this.shifter;
    if (!s) return this.e;
    const e = this.e;
    this.shifter = undefined;
    this.e = {
      name: e.name,
      path: e.path,
      kind: e.kind,
      span: s.span(e.span),
      target: s.span(e.target),
      conditional: e.conditional,
      role: e.role,
    };
    return this.e;
  }

  /** Whether the target, once shifted, is in `file` and holds `offset` (it stays unshifted). */
  targetHolds(file: string, offset: number): boolean {
    const tg = this.e.target;
    if (tg.file !== file) return false;
    const s = this.shifter;
    return s ? s.holds(tg, offset) : tg.from <= offset && offset <= tg.to;
  }

  toJSON(): AssignmentEvent {
    return this.plain();
  }
}

/**
 * Whether an event's target is in `file` and holds `offset`: for one of a replayed statement, without shifting
 * its spans (a reader scanning every event for the one at a position reads the spans of that one only).
 */
export function targetHolds(e: AssignmentEvent, file: string, offset: number): boolean {
  if (e instanceof ShiftedEvent) return e.targetHolds(file, offset);
  return e.target.file === file && e.target.from <= offset && offset <= e.target.to;
}

const ORIGINAL = Symbol('shifted from');
type Shifted = Value & { [ORIGINAL]?: Value };

/**
 * The value a shifted value was made from (it holds the same strings, hence the same secrets: the masker
 * reuses what it found under the original, `secrets.ts`). A symbol-keyed property: JSON and `Object.keys`
 * leave it out, a WeakMap cost more than the shifting itself.
 */
export function shiftedFrom(v: Value): Value | undefined {
  return (v as Shifted)[ORIGINAL];
}

/** A binding of an earlier evaluation, shifted when first read. */
export class Lazy {
  private done: Binding | undefined;
  /** What it is made from, dropped once made (the earlier values are not kept alive by it). */
  private from: Binding | undefined;
  private shifter: Shifter | undefined;

  constructor(from: Binding | Lazy, shifter: Shifter) {
    // A binding replayed again before anyone read it: one map from its first text (composed), not a chain.
    const composed = from instanceof Lazy && from.shifter ? shifter.after(from.shifter) : undefined;
    if (from instanceof Lazy && composed) {
      this.from = from.from;
      this.shifter = composed;
    } else {
      this.from = from instanceof Lazy ? from.binding() : from;
      this.shifter = shifter;
    }
  }

  /**
   * Stands in the namespace until read (its size and `has` are right); it is the binding before the shift,
   * which holds the same strings (the masker reads it, secrets.ts), not the one to show.
   */
  get placeholder(): Binding {
    return (this.done ?? this.from) as Binding;
  }

  /** Where a position of the placeholder's spans is in the made binding (for a reader that wants spans only). */
  shiftPos(p: number): number {
    return this.shifter ? this.shifter.pos(p) : p;
  }

  /** The binding once made (undefined before). */
  get made(): Binding | undefined {
    return this.done;
  }

  binding(): Binding {
    if (!this.done) {
      this.done = (this.shifter as Shifter).binding(this.from as Binding);
      this.from = undefined;
      this.shifter = undefined;
    }
    return this.done;
  }
}

/** How the new text relates to the one the records were made from: one changed range, the rest shifted. */
export interface ReplayPlan {
  readonly shifter: Shifter;
  /** Where the changed text ends in the new text: statements starting at or after it may be replayed. */
  readonly newEnd: number;
  /** The first changed character (both texts): statements whose next one ends before it are unchanged. */
  readonly firstChange: number;
}

/**
 * The replay plan to `parsed` (`change` between its text and the one the records were made from). A syntax
 * error anywhere, in either text, leaves it as it is: a statement holding an error node is never replayed, nor
 * recorded as replayable (statements.ts), so only error-free statements of identical text, at top level with the
 * same extent, are — which parse alike whatever precedes them (lezer's recovery may restructure the text
 * around an error, but a statement it restructured has another extent or holds the error). The statements
 * between an error before the change and the change are replayed as they were (the resume point is before the
 * error, `resumePoint`): typing inside a bracket left open (`EXTRA_HOSTS = ['a` …) no longer evaluates every
 * statement after it again (issue #11).
 */
export function replayPlan(
  parsed: ParsedFile,
  change: TextChange,
  records: readonly StatementRecord[] = [],
): ReplayPlan | undefined {
  return {
    shifter: Shifter.edit(parsed.file, shiftFrom(change, records), change.toNew - change.toOld),
    newEnd: change.toNew,
    firstChange: change.from,
  };
}

/**
 * The first earlier position that moves. A position at the edit's end is where the text after it starts, so
 * it moves — except after text typed at the very end of a statement (`import os` → `import os,`), where it is
 * the end of what the statement held (the name `os`) and no later statement starts there: it stays, so the
 * statement's names bind what they bound before (`editedAsBefore` in statements.ts) and their readers replay.
 */
function shiftFrom(change: TextChange, records: readonly StatementRecord[]): number {
  const at = change.toOld;
  if (change.from !== at) return at;
  const k = recordEndingAt(records, at);
  const next = records[k + 1];
  return k >= 0 && (!next || next.from > at) ? at + 1 : at;
}

/** The index of the record ending at `to` (records are in text order and do not overlap), or -1. */
function recordEndingAt(records: readonly StatementRecord[], to: number): number {
  return searchRecords(records, 'to', to);
}

/** The index of the record starting at `from` (records are in text order), or -1. */
export function recordAt(records: readonly StatementRecord[], from: number): number {
  return searchRecords(records, 'from', from);
}

/** Binary search of records in text order by one of their ends. */
function searchRecords(records: readonly StatementRecord[], end: 'from' | 'to', pos: number): number {
  let lo = 0;
  let hi = records.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = (records[mid] as StatementRecord)[end];
    if (p === pos) return mid;
    if (p < pos) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The fields a value of each kind may have (a value with any other is never taken for equal). */
const FIELDS: Record<Value['kind'], ReadonlySet<string>> = {
  str: new Set(['kind', 'span', 'value']),
  int: new Set(['kind', 'span', 'value']),
  float: new Set(['kind', 'span', 'value']),
  bool: new Set(['kind', 'span', 'value']),
  none: new Set(['kind', 'span']),
  list: new Set(['kind', 'span', 'items', 'open']),
  tuple: new Set(['kind', 'span', 'items', 'open']),
  dict: new Set(['kind', 'span', 'entries', 'open']),
  oneOf: new Set(['kind', 'span', 'options', 'condition']),
  unknown: new Set([
    'kind',
    'span',
    'reason',
    'envVar',
    'default',
    'parts',
    'module',
    'whenSet',
    'defaultWhen',
    'alternatives',
    'envSchema',
    'backendChoice',
  ]),
};

/** Values compared at most, per binding: past this, a binding is taken for changed. */
const SAME_BUDGET = 4000;

/**
 * Whether `now` (a binding of the new evaluation) is what `before` (the earlier evaluation's, at the same
 * statement) becomes shifted by `shifter` — equal in every field, spans after the edit moved — so that the
 * name it is bound to need not be dirty: the statements reading it would read what replaying gives.
 */
export function sameShifted(
  now: Binding | Lazy | undefined,
  before: Binding | Lazy | undefined,
  shifter: Shifter,
): boolean {
  if (now === undefined || before === undefined) return now === before;
  const a = now instanceof Lazy ? now.binding() : now;
  const b = before instanceof Lazy ? before.binding() : before;
  if (fieldCount(a) !== 2 || fieldCount(b) !== 2) return false; // value and origin only
  if (a.origin.kind !== b.origin.kind) return false;
  if (a.origin.kind === 'file' && b.origin.kind === 'file') {
    if (!sameSpan(a.origin.span, b.origin.span, shifter)) return false;
  } else if (a.origin.kind === 'default' && b.origin.kind === 'default' && a.origin.by !== b.origin.by)
    return false;
  return sameValue(a.value, b.value, shifter, { left: SAME_BUDGET }, 0);
}

/** `sameShifted` for the values alone (the origins may differ). */
export function sameShiftedValue(now: Binding | Lazy, before: Binding | Lazy, shifter: Shifter): boolean {
  const a = now instanceof Lazy ? now.binding() : now;
  const b = before instanceof Lazy ? before.binding() : before;
  return sameValue(a.value, b.value, shifter, { left: SAME_BUDGET }, 0);
}

/** How many fields an object has (as `Object.keys(o).length`, without the array). */
function fieldCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function sameSpan(a: Span | undefined, b: Span | undefined, shifter: Shifter): boolean {
  if (a === undefined || b === undefined) return a === b;
  const s = shifter.span(b);
  return a.file === s.file && a.from === s.from && a.to === s.to;
}

function sameList(
  a: readonly Value[] | undefined,
  b: readonly Value[] | undefined,
  shifter: Shifter,
  budget: { left: number },
  depth: number,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (!sameValue(a[i] as Value, b[i] as Value, shifter, budget, depth + 1)) return false;
  return true;
}

function sameFields(a: Value, b: Value): boolean {
  const allowed = FIELDS[a.kind];
  // for-in, not Object.keys: no array per value compared (values are plain objects: their own fields only).
  for (const k in a) if (!allowed.has(k)) return false;
  for (const k in b) if (!allowed.has(k)) return false;
  return true;
}

function sameValue(a: Value, b: Value, shifter: Shifter, budget: { left: number }, depth: number): boolean {
  if (--budget.left < 0 || depth > MAX_WALK_DEPTH) return false;
  // A part read from a replayed binding (the dict a `D[k] = v` evaluated again extends): the shift of the same.
  if (shifter.madeFrom(a, b)) return true;
  if (a.kind !== b.kind || !sameSpan(a.span, b.span, shifter) || !sameFields(a, b)) return false;
  switch (a.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return Object.is(a.value, (b as typeof a).value);
    case 'none':
      return true;
    case 'list':
    case 'tuple': {
      const c = b as typeof a;
      return !!a.open === !!c.open && sameList(a.items, c.items, shifter, budget, depth);
    }
    case 'dict': {
      const c = b as typeof a;
      if (!!a.open !== !!c.open) return false;
      const x = a.entries;
      const y = c.entries;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        const e = x[i] as (typeof x)[number];
        const f = y[i] as (typeof y)[number];
        if (
          !sameSpan(e.keySpan, f.keySpan, shifter) ||
          !sameValue(e.key, f.key, shifter, budget, depth + 1) ||
          !sameValue(e.value, f.value, shifter, budget, depth + 1)
        )
          return false;
      }
      return true;
    }
    case 'oneOf': {
      const c = b as typeof a;
      return a.condition === c.condition && sameList(a.options, c.options, shifter, budget, depth);
    }
    case 'unknown': {
      const c = b as typeof a;
      if (
        a.reason !== c.reason ||
        a.envVar !== c.envVar ||
        a.module !== c.module ||
        a.whenSet !== c.whenSet ||
        a.defaultWhen !== c.defaultWhen ||
        JSON.stringify(a.parts) !== JSON.stringify(c.parts) ||
        JSON.stringify(a.backendChoice) !== JSON.stringify(c.backendChoice)
      )
        return false;
      if (a.default === undefined || c.default === undefined) {
        if (a.default !== c.default) return false;
      } else if (!sameValue(a.default, c.default, shifter, budget, depth + 1)) return false;
      if (!sameList(a.alternatives, c.alternatives, shifter, budget, depth)) return false;
      const x = a.envSchema;
      const y = c.envSchema;
      if (x === undefined || y === undefined) return x === y;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      for (const k of keys) {
        const s = x[k];
        const t = y[k];
        if (!s || !t || s.cast !== t.cast) return false;
        if (s.default === undefined || t.default === undefined) {
          if (s.default !== t.default) return false;
        } else if (!sameValue(s.default, t.default, shifter, budget, depth + 1)) return false;
      }
      return true;
    }
  }
}
