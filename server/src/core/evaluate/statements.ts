/**
 * Statements: the module's statement list, blocks (depth-guarded by MAX_STATEMENT_DEPTH), the dispatch to
 * each statement's concern, definitions and expression statements (exec of a sibling, mutating calls).
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf } from '../python/parse';
import type { SegmentRange } from '../python/segmented-parse';
import { MUTATING_METHODS } from './call-expressions';
import {
  checkpointDue,
  journalAt,
  JournalEnv,
  resumePoint,
  wantsCheckpoints,
  type Checkpoint,
  type Checkpoints,
} from './checkpoints';
import { ControlFlowEvaluator } from './control-flow';
import { demandPlan } from './demand';
import { rawBinding, rawEntries } from './environment';
import {
  Lazy,
  recordAt,
  ReplayedRecord,
  writtenNames,
  replayPlan,
  sameShifted,
  sameShiftedValue,
  type EntryWrite,
  type IfCondition,
  type ReplayPlan,
  type Shifter,
  type StatementRecord,
} from './replay';
import { EXEC_FUNCTIONS } from './imports';
import { MAX_STATEMENT_DEPTH, type AssignmentEvent, type Binding, type ImportRecord } from './model';
import { templateIfs } from './template-branches';
import { dictSet, unknown } from './values';
import type { Value } from '../types';
import type { Steps } from '../steps';

/** Top-level statements between two questions whether to pause (asking reads a clock). */
const PAUSE_EVERY = 8;
/** Statements replayed in a row between two such questions (replaying one costs far less than evaluating it). */
const REPLAY_RUN = 64;

/** What a statement that read no name read (one array for all of them). */
const NO_READS: readonly string[] = [];

/** Replaying statements after the edited text (replay.ts). */
interface Replaying {
  readonly plan: ReplayPlan;
  readonly previous: Checkpoints;
  /** Index in the earlier records minus index in the new tree (after the changed text). */
  offset: number;
  /** Names whose binding may differ from the earlier one (shifted). */
  readonly dirty: Set<string>;
  /**
   * Names whose value is the earlier one (shifted) but not their origin (the edited statement that bound them
   * grew or shrank): only a statement writing such a name can carry its origin over (a mutation keeps the
   * binding's origin), so only those are evaluated for it (`editedAsBefore`).
   */
  readonly originOnly: Set<string>;
  /** Still before the edit, every statement replayed so far. */
  prefix: boolean;
  /** The first statement not replayed before the edit. */
  unchangedUpTo?: number;
  /** Past the changed text, statements matched to the earlier records. */
  aligned: boolean;
  /** Set once replaying is not sound any more (unknown writes): every statement after is evaluated. */
  off: boolean;
  /**
   * Names a statement evaluated again wrote differently from before (`wroteAsBefore`): the next statements
   * writing them are not compared again (a dict extended statement after statement stays different, and
   * comparing it each time cost more than evaluating).
   */
  readonly differ: Set<string>;
}

/** Replaying after the edit, before the first statement. */
function replaying(plan: ReplayPlan, previous: Checkpoints): Replaying {
  return {
    plan,
    previous,
    offset: 0,
    dirty: new Set(),
    originOnly: new Set(),
    prefix: true,
    aligned: false,
    off: false,
    differ: new Set(),
  };
}

/** The last binding (undefined: deleted) each name got in a statement's writes. */
function lastWrites(
  writes: readonly (string | Binding | Lazy | undefined)[],
): Map<string, Binding | Lazy | undefined> {
  const out = new Map<string, Binding | Lazy | undefined>();
  for (let k = 0; k < writes.length; k += 2)
    out.set(writes[k] as string, writes[k + 1] as Binding | Lazy | undefined);
  return out;
}

/** Whether a statement's writes bind or delete one of `names`. */
function writesAny(
  writes: readonly (string | Binding | Lazy | undefined)[],
  names: ReadonlySet<string>,
): boolean {
  for (let k = 0; k < writes.length; k += 2) if (names.has(writes[k] as string)) return true;
  return false;
}

/** The same binding, made or not. */
function sameRaw(a: Binding | Lazy | undefined, b: Binding | Lazy): boolean {
  if (a === b) return true;
  const x = a instanceof Lazy ? a.made : a;
  const y = b instanceof Lazy ? b.made : b;
  return x !== undefined && x === y;
}

export abstract class StatementEvaluator extends ControlFlowEvaluator {
  /** Checkpoints of this evaluation (long modules evaluated in a fresh namespace only; checkpoints.ts). */
  checkpoints: Checkpoints | undefined;

  /**
   * The module's top-level statements, pausing between two of them when `options.pause` says so (it is asked
   * every PAUSE_EVERY statements; expressions and nested blocks never pause).
   */
  *run(): Steps<void> {
    const top = childrenOf(this.parsed.tree.topNode);
    if (this.parsed.template) {
      this.templateStatements(top);
      return;
    }
    const pause = this.options.pause;
    const o = this.options;
    const own = this.freshNamespace();
    const demanded = own ? this.demandPlan(top) : undefined;
    if (demanded) {
      this.demanded = true;
      yield* this.unrecorded(top, demanded);
      return;
    }
    if (!own || !wantsCheckpoints(this.parsed)) {
      yield* this.unrecorded(top);
      return;
    }
    const list: Checkpoint[] = [];
    const records: StatementRecord[] = [];
    let i = 0;
    this.env = new JournalEnv(new Map(), 0);
    const previous = o.previous;
    const from = resumePoint(previous, this.parsed, top, o.eventRole);
    let plan: ReplayPlan | undefined;
    if (from && previous && this.budget.remaining > from.steps) {
      i = this.restore(from, previous);
      for (const c of previous.list) if (c.index <= from.index) list.push(c);
      for (let k = 0; k < from.index; k++) records.push(previous.records[k] as StatementRecord);
      plan = previous.records.length > 0 ? replayPlan(this.parsed, from.diff, previous.records) : undefined;
    }
    this.checkpoints = {
      parsed: this.parsed,
      eventRole: o.eventRole,
      list,
      events: this.events,
      imports: this.imports,
      unresolved: this.unresolved,
      records,
    };
    const replay = plan && previous ? replaying(plan, previous) : undefined;
    const keep = o.keepCheckpoints !== false;
    let since = 0;
    for (let k = 1; i < top.length; i++, k++) {
      if (pause && k % PAUSE_EVERY === 0 && pause()) yield;
      if (replay?.aligned && !replay.off) {
        // The statements replayed in a row after the edit go in one loop (replayAligned); with pauses, at most
        // REPLAY_RUN of them, then the question whether to pause is asked.
        const end = pause ? Math.min(top.length, i + REPLAY_RUN) : top.length;
        const next = this.replayAligned(i, end, top, replay, keep ? records : undefined);
        if (next === top.length) break;
        if (next === end) {
          i = next - 1;
          k = PAUSE_EVERY - 1;
          continue;
        }
        k += next - i;
        i = next;
      }
      const n = top[i] as SyntaxNode;
      // Checkpoints before the statements replayed before the edit too (the edit before any checkpoint of the
      // last evaluation resumed from the first statement); none past the edit, while replaying after it.
      if (
        keep &&
        !replay?.aligned &&
        ++since > 1 &&
        this.ownTextOnly &&
        !this.limit &&
        checkpointDue(since, this.env instanceof JournalEnv, this.env.size)
      ) {
        list.push(this.checkpoint(i, top));
        since = 1;
      }
      if (replay && !replay.off && this.replayed(n, i, top[i + 1], replay, records)) continue;
      if (!this.spend(n)) return;
      this.tracked(n, i, records, replay, top[i + 1]);
    }
  }

  /** Evaluated in a namespace of its own, from its text alone (no environment file read yet). */
  private freshNamespace(): boolean {
    const o = this.options;
    const files = o.envFiles;
    return (
      !o.initialEnv &&
      !o.shareEnv &&
      !o.importDepth &&
      (!files || (files.osEnviron.size === 0 && files.decouple === undefined && files.files.size === 0))
    );
  }

  /**
   * Which top-level statements a check reading `options.demand` evaluates (demand.ts); undefined: all of them
   * as usual (no demand, a syntax error, a file cut at a limit).
   */
  private demandPlan(top: readonly SyntaxNode[]): Uint8Array | undefined {
    const demand = this.options.demand;
    return demand && this.parsed.syntaxError === undefined && !this.parsed.limit
      ? demandPlan(this.parsed.text, top, demand)
      : undefined;
  }

  /** The segment of the parse `holdsError` looked in last (statements are asked in text order). */
  private segment = 0;

  /**
   * Whether top-level statement `n` holds an error node (lezer's recovery). A statement inside a segment of a
   * long file's parse that has no error holds none: only the segments with an error are walked (with a syntax
   * error at the top of the 10,000-line file, walking each of the ~5,000 statements replayed after it cost ~5 ms).
   */
  private holdsError(n: SyntaxNode): boolean {
    const { ranges, segmentTexts: texts, segments } = this.parsed;
    if (ranges && texts && segments && ranges.length === texts.length) {
      let k =
        this.segment < ranges.length && (ranges[this.segment] as SegmentRange).from <= n.from
          ? this.segment
          : 0;
      while (k < ranges.length && (ranges[k] as SegmentRange).to < n.to) k++;
      const r = ranges[k];
      this.segment = k;
      if (r && r.from <= n.from && segments.get(texts[k] as string)?.error === false) return false;
    }
    return containsError(n);
  }

  /** Subscript assignments made by the statement being evaluated, and the dict entry of the last one. */
  private entryWrites = 0;
  private entryWrite: EntryWrite | undefined;

  /** `NAME[key] = value`, noting the entry it set when NAME held a dict (`StatementRecord.entry`). */
  protected override setPath(
    path: { name: string; keys: { value: Value; node: SyntaxNode }[] },
    value: Value,
    stmt: SyntaxNode,
    target: SyntaxNode,
  ): void {
    super.setPath(path, value, stmt, target);
    this.entryWrites++;
    const key = path.keys[0];
    const now = rawBinding(this.env, path.name);
    // Set into a dict (the result of dictSet is one: a list, an unknown or a oneOf container gives none).
    this.entryWrite =
      path.keys.length === 1 && key && now && !(now instanceof Lazy) && now.value.kind === 'dict'
        ? { key: key.value, value, keySpan: this.keySpan(key.value, key.node) }
        : undefined;
  }

  /** Whether `run` left out statements no demanded name depends on (`EvaluateOptions.demand`). */
  demanded = false;

  /**
   * The top-level statements of a module that records nothing (no checkpoints, nothing to replay); with a
   * demand `plan`, only those it marks.
   */
  private *unrecorded(top: readonly SyntaxNode[], plan?: Uint8Array): Steps<void> {
    const pause = this.options.pause;
    for (let i = 0; i < top.length; i++) {
      if (pause && i % PAUSE_EVERY === 0 && i > 0 && pause()) yield;
      if (plan && plan[i] === 0) continue;
      const n = top[i] as SyntaxNode;
      if (!this.spend(n)) return;
      this.statement(n);
    }
  }

  /**
   * Evaluates one top-level statement, recording what it read and wrote (replay.ts); a statement that replaced
   * the namespace (a branch merge) has its writes found by comparison, and the namespace becomes a journal again.
   */
  private tracked(
    n: SyntaxNode,
    i: number,
    records: StatementRecord[],
    replay: Replaying | undefined,
    next?: SyntaxNode,
  ): void {
    const before = this.env;
    const j = before instanceof JournalEnv ? before : undefined;
    const logFrom = j?.log.length ?? 0;
    const eventsFrom = this.events.length;
    const counts = this.outsideCounts();
    const steps = this.budget.remaining + 1;
    if (j) {
      j.collecting = true;
      j.reads = undefined;
      j.iterated = false;
    }
    this.entryWrites = 0;
    this.entryWrite = undefined;
    this.statement(n);
    const reads = j?.reads;
    if (j) {
      j.collecting = false;
      j.reads = undefined;
    }
    let writes: (string | Binding | Lazy | undefined)[] | undefined;
    if (j && this.env === j) writes = j.log.slice(logFrom);
    else if (j && this.ownTextOnly && !this.limit) {
      const after = this.env;
      writes = [];
      // Compared unmade: an unread replayed name the merge kept is the same Lazy (or, read since, its binding).
      for (const [name, b] of rawEntries(after)) if (!sameRaw(rawBinding(j, name), b)) writes.push(name, b);
      for (const name of Map.prototype.keys.call(j)) if (!after.has(name)) writes.push(name, undefined);
      this.env = new JournalEnv(after, 0, rawEntries(after));
    }
    const replayable =
      j !== undefined &&
      this.env === j &&
      !j.iterated &&
      counts === this.outsideCounts() &&
      !this.limit &&
      !(this.parsed.syntaxError && this.holdsError(n));
    records.push({
      from: n.from,
      to: n.to,
      node: n.name,
      reads: replayable ? this.keptReads(reads) : undefined,
      writes,
      eventsFrom,
      eventsTo: this.events.length,
      steps: steps - this.budget.remaining,
      entry: this.entryWrites === 1 && n.name === 'AssignStatement' ? this.entryWrite : undefined,
      cond: this.ifCondition(n, replayable ? reads : undefined),
    });
    if (replay) {
      // Before the edit, a statement that could not be replayed (an import, a branch) but read nothing beyond
      // the text before it (unchanged) wrote what it wrote in the earlier evaluation: nothing becomes dirty.
      if (replay.prefix && writes && this.ownTextOnly && !this.limit) return;
      if (replay.prefix) replay.unchangedUpTo ??= i;
      // The statement just before the edit, evaluated again only because the next one may end its block: when it
      // wrote what it wrote before, nothing becomes dirty and the changed stretch starts after it.
      if (
        replay.unchangedUpTo === i &&
        !replay.aligned &&
        writes &&
        this.wroteAsBefore(n, i, writes, replay)
      ) {
        replay.unchangedUpTo = i + 1;
        return;
      }
      if (
        replay.unchangedUpTo === i &&
        !replay.aligned &&
        writes &&
        this.editedAsBefore(n, i, writes, replay, next)
      )
        return;
      for (let k = 0; k < (writes?.length ?? 0); k += 2) replay.originOnly.delete(writes?.[k] as string);
      if (!writes) replay.off = true;
      else if (replay.aligned && this.wroteAsBefore(n, i, writes, replay))
        // Evaluated again (it read a dirty name) but wrote what replaying it gives: nothing it wrote is dirty.
        for (let k = 0; k < writes.length; k += 2) replay.dirty.delete(writes[k] as string);
      else for (let k = 0; k < writes.length; k += 2) replay.dirty.add(writes[k] as string);
    }
  }

  /**
   * The record of what decided top-level `if` `n` (`ifDecision`, taken and cleared) when it is replayable
   * (`reads`, every name it read in order, defined): the names its conditions read that nothing else in it did.
   */
  private ifCondition(n: SyntaxNode, reads: readonly string[] | undefined): IfCondition | undefined {
    const decision = this.ifDecision;
    this.ifDecision = undefined;
    if (!decision || !reads || n.name !== 'IfStatement') return undefined;
    const left = new Map<string, number>();
    for (const name of reads) left.set(name, (left.get(name) ?? 0) + 1);
    for (const name of decision.condReads) left.set(name, (left.get(name) ?? 0) - 1);
    const only = [...new Set(decision.condReads)].filter((name) => left.get(name) === 0);
    return { outcome: decision.outcome, only };
  }

  /** Statements' reads of one name, one array per name (most statements that read read one name). */
  private readonly singleReads = new Map<string, readonly string[]>();

  /**
   * What a statement read, as its record keeps it: one shared array per name read alone (a `D['k'] = v` after
   * another reads `D`), a copy of several (an array pushed to holds room for 17).
   */
  private keptReads(reads: string[] | undefined): readonly string[] {
    if (reads === undefined) return NO_READS;
    if (reads.length > 1) return reads.slice();
    const name = reads[0] as string;
    const shared = this.singleReads.get(name);
    if (shared) return shared;
    this.singleReads.set(name, reads);
    return reads;
  }

  /**
   * Whether statement `i`, past the edit, wrote what the earlier evaluation's same statement wrote, shifted
   * (`sameShifted`): `import os` → `import os, sys` rebinds `os` (its origin spans the statement), so every
   * `os.environ.get(…)` after it is evaluated again — but gives what it gave, and the statements reading those
   * names need not be.
   */
  private wroteAsBefore(
    n: SyntaxNode,
    i: number,
    writes: readonly (string | Binding | Lazy | undefined)[],
    replay: Replaying,
  ): boolean {
    if (!this.ownTextOnly || this.limit) return false;
    // Past the edit, statements moved by the length difference; before it, they are where they were.
    const r = replay.previous.records[i + (replay.aligned ? replay.offset : 0)];
    const shifter = replay.plan.shifter;
    const d = replay.aligned ? shifter.delta : 0;
    if (!r?.writes || r.node !== n.name || r.from + d !== n.from || r.to + d !== n.to) return false;
    if (d === 0 && n.to >= replay.plan.firstChange) return false;
    if (r.writes.length !== writes.length) return false;
    for (let k = 0; k < writes.length; k += 2) {
      const name = writes[k] as string;
      if (r.writes[k] !== name || replay.differ.has(name)) return false;
      const now = writes[k + 1] as Binding | Lazy | undefined;
      const before = r.writes[k + 1] as Binding | Lazy | undefined;
      if (!sameShifted(now, before, shifter)) {
        replay.differ.add(name);
        return false;
      }
    }
    return true;
  }

  /**
   * Statement `i` holds the whole edit (the changed text lies between its start and the next statement's, in
   * both texts, and the earlier evaluation's statement `i` started where it starts): only the names whose last
   * binding in it differs from the earlier one's (shifted, `sameShifted`) become dirty — or only `originOnly`,
   * when their values are the same — and the changed stretch ends after it. Typing `import os` → `import os,
   * sys` rebinds `os` to the value it had: the ~1,250 statements of the 10,000-line file reading `os` are
   * replayed instead of evaluated and compared.
   */
  private editedAsBefore(
    n: SyntaxNode,
    i: number,
    writes: readonly (string | Binding | Lazy | undefined)[],
    replay: Replaying,
    next: SyntaxNode | undefined,
  ): boolean {
    if (!this.ownTextOnly || this.limit) return false;
    const { plan, previous } = replay;
    const r = previous.records[i];
    const oldNext = previous.records[i + 1];
    const toOld = plan.newEnd - plan.shifter.delta;
    if (!r?.writes || r.node !== n.name || r.from !== n.from || n.from > plan.firstChange) return false;
    if ((next && next.from < plan.newEnd) || (oldNext && oldNext.from < toOld)) return false;
    if (!next !== !oldNext) return false;
    const now = lastWrites(writes);
    const before = lastWrites(r.writes);
    for (const [name, b] of now) {
      const was = before.get(name);
      if (sameShifted(b, was, plan.shifter)) continue;
      if (b && was && sameShiftedValue(b, was, plan.shifter)) replay.originOnly.add(name);
      else replay.dirty.add(name);
    }
    for (const name of before.keys()) if (!now.has(name)) replay.dirty.add(name);
    replay.unchangedUpTo = i + 1;
    return true;
  }

  /** What a statement must not change to be replayable: imports, reads outside the text, failing imports. */
  private outsideCounts(): number {
    // Each only grows (ownTextOnly only turns false): their sum changes whenever one does.
    return (
      this.imports.length +
      this.unresolved.length +
      this.dependencies.size +
      this.failingImports +
      (this.ownTextOnly ? 0 : 1)
    );
  }

  /**
   * Replays statement `i` from the earlier evaluation's record when that is sound (replay.ts); false to evaluate
   * it. Before the edit (the next statement ends before the first change, as for checkpoints) a statement's
   * writes and events are the earlier ones as they are; after the changed text, shifted.
   */
  private replayed(
    n: SyntaxNode,
    i: number,
    next: SyntaxNode | undefined,
    replay: Replaying,
    records: StatementRecord[],
  ): boolean {
    const { plan, previous } = replay;
    if (replay.prefix) {
      const r = previous.records[i];
      if (next && next.to < plan.firstChange && r && r.from === n.from && r.to === n.to) {
        // Not replayable: evaluated (`tracked` decides whether what it writes may differ).
        return this.replay(n, r, undefined, replay, records);
      }
      replay.prefix = false;
      replay.unchangedUpTo ??= i;
    }
    if (!replay.aligned) {
      if (n.from < plan.newEnd) return false;
      // The first statement after the changed text: what the edit may have changed is what the statements
      // evaluated since the last replayed one wrote, and what the earlier evaluation's statements there wrote.
      const old = recordAt(previous.records, n.from - plan.shifter.delta);
      const first = replay.unchangedUpTo ?? i;
      if (old < first || !(this.env instanceof JournalEnv) || !this.ownTextOnly || this.limit) {
        replay.off = true;
        return false;
      }
      for (const r of previous.records.slice(first, old)) {
        const written = writtenNames(r);
        if (!written) {
          replay.off = true;
          return false;
        }
        for (let k = 0; k < written.length; k += 2) replay.dirty.add(written[k] as string);
      }
      replay.offset = old - i;
      replay.aligned = true;
    }
    const r = previous.records[i + replay.offset];
    const d = plan.shifter.delta;
    if (!r || r.from + d !== n.from || r.to + d !== n.to) return false;
    return this.replay(n, r, plan.shifter, replay, records);
  }

  /**
   * `replayed` for the statements from `from` up to `end`, after the changed text, in one loop: each statement
   * that may be replayed (as `replayed` and `replay` decide, in the same order) is; returns the index of the
   * first that may not (it goes the usual way) or `end`. Its record is kept in `records` unless no later evaluation
   * resumes from this one (undefined).
   */
  private replayAligned(
    from: number,
    end: number,
    top: readonly SyntaxNode[],
    replay: Replaying,
    records: StatementRecord[] | undefined,
  ): number {
    const env = this.env;
    if (!(env instanceof JournalEnv)) return from;
    const { previous, plan, dirty, originOnly, offset } = replay;
    const shifter = plan.shifter;
    const d = shifter.delta;
    const errors = this.parsed.syntaxError !== undefined;
    const budget = this.budget;
    let i = from;
    for (; i < end; i++) {
      const n = top[i] as SyntaxNode;
      const r = previous.records[i + offset];
      if (!r || r.from + d !== n.from || r.to + d !== n.to || r.node !== n.name) break;
      const reads = r.reads;
      const rw = writtenNames(r);
      if (!reads || !rw || (errors && this.holdsError(n))) break;
      const moved = !(originOnly.size > 0 && writesAny(rw, originOnly));
      const clean = moved && !readsAny(reads, dirty);
      const entry = clean ? undefined : entryReplayable(r, dirty, env);
      if (!clean && entry === undefined && !(moved && this.decidesAsBefore(n, r, dirty))) break;
      if (budget.remaining <= r.steps + 1 || !this.spend(n)) break;
      budget.remaining -= r.steps - 1;
      if (entry !== undefined) this.replayEntry(n, r, entry, shifter, replay, env, records);
      else this.replayMoved(n, r, shifter, replay, env, records);
    }
    return i;
  }

  /**
   * Whether top-level `if` `n`, whose earlier record is `r`, may be replayed although it read a changed name:
   * every changed name it read was read by its conditions only (`IfCondition.only`), and its conditions decide
   * as they did (`ifOutcome`, evaluated here in the namespace as it is now) — then its arms run as before over
   * the same bindings, and what it writes is the earlier writes shifted. Typing `DEBUG = False` → `Fals` → …
   * changes DEBUG on each keystroke while every `if DEBUG:` after it stays undecidable (or decided alike).
   * Evaluating the conditions costs no work budget (replaying charges the statement's steps) and changes
   * nothing: a limit it would reach is left for evaluating the statement.
   */
  private decidesAsBefore(n: SyntaxNode, r: StatementRecord, dirty: ReadonlySet<string>): boolean {
    const cond = (r instanceof ReplayedRecord ? r.src : r).cond;
    const reads = r.reads;
    if (!cond || !reads || n.name !== 'IfStatement') return false;
    for (let k = 0; k < reads.length; k++) {
      const name = reads[k] as string;
      if (dirty.has(name) && !cond.only.includes(name)) return false;
    }
    const budget = this.budget;
    const remaining = budget.remaining;
    const reason = budget.reason;
    const limit = this.limit;
    const outcome = this.ifOutcome(n);
    budget.remaining = remaining;
    budget.reason = reason;
    if (this.limit !== limit) {
      this.limit = limit;
      return false;
    }
    return outcome === cond.outcome;
  }

  private replay(
    n: SyntaxNode,
    r: StatementRecord,
    shifter: Shifter | undefined,
    replay: Replaying,
    records: StatementRecord[],
  ): boolean {
    const env = this.env;
    const written = writtenNames(r);
    if (!r.reads || !written || r.node !== n.name || !(env instanceof JournalEnv)) return false;
    if (this.parsed.syntaxError && this.holdsError(n)) return false;
    const moved = !(replay.originOnly.size > 0 && writesAny(written, replay.originOnly));
    const clean = moved && !readsAny(r.reads, replay.dirty);
    // Past the edit, a `NAME[key] = value` whose only changed read is NAME sets its entry again.
    const entry = clean || !shifter ? undefined : entryReplayable(r, replay.dirty, env);
    if (!clean && entry === undefined && !(shifter && moved && this.decidesAsBefore(n, r, replay.dirty)))
      return false;
    if (this.budget.remaining <= r.steps + 1 || !this.spend(n)) return false;
    this.budget.remaining -= r.steps - 1;
    if (entry !== undefined && shifter) {
      this.replayEntry(n, r, entry, shifter, replay, env, records);
      return true;
    }
    if (!shifter) {
      // Before the edit: the very same writes and events.
      const writes = r.writes as readonly (string | Binding | Lazy | undefined)[];
      for (let k = 0; k < writes.length; k += 2) {
        const name = writes[k] as string;
        const b = writes[k + 1] as Binding | Lazy | undefined;
        if (b === undefined) env.delete(name);
        else if (b instanceof Lazy) env.setLazy(name, b);
        else env.set(name, b);
      }
      for (let k = r.eventsFrom; k < r.eventsTo; k++)
        this.events.push(replay.previous.events[k] as AssignmentEvent);
      records.push(r);
      return true;
    }
    this.replayMoved(n, r, shifter, replay, env, records);
    return true;
  }

  /**
   * Replays `NAME[key] = value` (`r.entry`) after the edit when NAME is the only changed name it read: the
   * earlier key and value shifted (they read only unchanged names) set in the dict NAME holds now, as evaluating
   * the statement does (`setPath`: `dictSet` with the key's span, the binding's origin the statement, one event).
   * After a pasted section moves an existing SERVICES key, each later `SERVICES['…'] = {…}` is evaluated
   * again on every keystroke; this sets the entry instead. NAME stays dirty.
   */
  private replayEntry(
    n: SyntaxNode,
    r: StatementRecord,
    name: string,
    shifter: Shifter,
    replay: Replaying,
    env: JournalEnv,
    records: StatementRecord[] | undefined,
  ): void {
    const e = r.entry as EntryWrite;
    const key = shifter.value(e.key, 0);
    const value = shifter.value(e.value, 0);
    const keySpan = e.keySpan === e.key.span && key.span ? key.span : shifter.span(e.keySpan);
    const dict = (env.get(name) as Binding).value as Extract<Value, { kind: 'dict' }>;
    const binding: Binding = {
      value: dictSet(dict, key, value, keySpan),
      origin: { kind: 'file', span: this.span(n) },
    };
    env.set(name, binding);
    replay.dirty.add(name);
    replay.originOnly.delete(name);
    const eventsFrom = this.events.length;
    const events = replay.previous.events;
    for (let k = r.eventsFrom; k < r.eventsTo; k++)
      this.events.push(shifter.event(events[k] as AssignmentEvent));
    records?.push({
      from: n.from,
      to: n.to,
      node: r.node,
      reads: r.reads,
      writes: [name, binding],
      eventsFrom,
      eventsTo: this.events.length,
      steps: r.steps,
      entry: { key, value, keySpan },
    });
  }

  /**
   * Replays statement `n` after the edit from its earlier record `r`, moved by `shifter`: its writes are the
   * earlier bindings, made when first read (`Lazy`), and its events shifted; its record (`ReplayedRecord`) is
   * kept in `records` (unless undefined).
   */
  private replayMoved(
    n: SyntaxNode,
    r: StatementRecord,
    shifter: Shifter,
    replay: Replaying,
    env: JournalEnv,
    records: StatementRecord[] | undefined,
  ): void {
    const dirty = replay.dirty;
    const replayed = r instanceof ReplayedRecord ? r : undefined;
    const src = replayed ? replayed.src : r;
    const names = src.writes as readonly (string | Binding | Lazy | undefined)[];
    let bound: ReplayedRecord['bound'];
    if (names.length === 2) {
      // One name written (the usual statement): no writes array.
      const name = names[0] as string;
      const b = replayed ? (replayed.bound as Lazy | undefined) : (names[1] as Binding | Lazy | undefined);
      dirty.delete(name);
      if (b === undefined) env.delete(name);
      else env.replayLazy(name, (bound = new Lazy(b, shifter)));
    } else {
      const rw = r.writes as readonly (string | Binding | Lazy | undefined)[];
      const writes = rw.slice();
      for (let k = 0; k < rw.length; k += 2) {
        const name = rw[k] as string;
        const b = rw[k + 1] as Binding | Lazy | undefined;
        dirty.delete(name);
        if (b === undefined) env.delete(name);
        else {
          const lazy = new Lazy(b, shifter);
          env.replayLazy(name, lazy);
          writes[k + 1] = lazy;
        }
      }
      bound = writes;
    }
    const eventsFrom = this.events.length;
    const events = replay.previous.events;
    for (let k = r.eventsFrom; k < r.eventsTo; k++)
      this.events.push(shifter.event(events[k] as AssignmentEvent));
    records?.push(new ReplayedRecord(src, n.from, eventsFrom, bound));
  }

  /**
   * A template's module body: the statements inside an outermost `{% if %}`/`<% if %>` block run as
   * alternatives, one branch per arm (plus the path on which no arm runs when there is no `else`), merged
   * like an undecidable `if`; a block that does not hold whole statements (a tag inside an expression) runs
   * in sequence as before.
   */
  private templateStatements(nodes: readonly SyntaxNode[]): void {
    let i = 0;
    for (const block of templateIfs(this.parsed.text)) {
      let j = i;
      while (j < nodes.length && (nodes[j] as SyntaxNode).to <= block.from) j++;
      this.statements(nodes.slice(i, j));
      i = j;
      while (j < nodes.length && (nodes[j] as SyntaxNode).from < block.to) j++;
      const members = nodes.slice(i, j);
      i = j;
      const armOf = (n: SyntaxNode): number => block.arms.findIndex((a) => n.from >= a.from && n.to <= a.to);
      if (members.length === 0 || members.some((n) => armOf(n) < 0)) {
        this.statements(members);
        continue;
      }
      const alternatives = block.arms.map((_, k) =>
        this.branch(() => this.statements(members.filter((n) => armOf(n) === k)), true),
      );
      if (block.arms.every((a) => a.condition !== undefined)) alternatives.push(this.env);
      const conditions = block.arms.flatMap((a) => (a.condition === undefined ? [] : [a.condition]));
      this.env = this.merge(alternatives, `template if ${conditions.join(' / ')}`, members[0] as SyntaxNode);
    }
    this.statements(nodes.slice(i));
  }

  private checkpoint(index: number, top: readonly SyntaxNode[]): Checkpoint {
    const next = top[index] as SyntaxNode;
    // A branch merge replaced the journal by a plain namespace: it becomes the base of a new journal.
    const env =
      this.env instanceof JournalEnv
        ? this.env
        : (this.env = new JournalEnv(this.env, 0, rawEntries(this.env)));
    return {
      index,
      prevTo: (top[index - 1] as SyntaxNode).to,
      nextFrom: next.from,
      nextTo: next.to,
      env: env.snapshot(),
      events: this.events.length,
      imports: this.imports.length,
      unresolved: this.unresolved.length,
      failingImports: this.failingImports,
      steps: this.startSteps - this.budget.remaining,
    };
  }

  /** The state at a checkpoint of an earlier evaluation; returns the index of the statement to go on with. */
  private restore(cp: Checkpoint, previous: Checkpoints): number {
    this.env = journalAt(cp.env);
    for (let k = 0; k < cp.events; k++) this.events.push(previous.events[k] as AssignmentEvent);
    for (let k = 0; k < cp.imports; k++) this.imports.push(previous.imports[k] as ImportRecord);
    for (let k = 0; k < cp.unresolved; k++) this.unresolved.push(previous.unresolved[k] as ImportRecord);
    this.failingImports = cp.failingImports;
    this.budget.remaining -= cp.steps;
    return cp.index;
  }

  protected statements(nodes: readonly SyntaxNode[]): void {
    for (const n of nodes) {
      if (!this.spend(n)) return;
      this.statement(n);
    }
  }

  protected body(node: SyntaxNode | undefined): void {
    if (!node) return;
    if (this.statementDepth >= MAX_STATEMENT_DEPTH) {
      this.limit ??= { reason: `statements nested deeper than ${MAX_STATEMENT_DEPTH}`, at: this.span(node) };
      return;
    }
    this.statementDepth++;
    this.statements(childrenOf(node).filter((c) => c.name !== ':'));
    this.statementDepth--;
  }

  protected statement(node: SyntaxNode): void {
    switch (node.type.name) {
      case 'AssignStatement':
        return this.assignStatement(node);
      case 'UpdateStatement':
        return this.updateStatement(node);
      case 'DeleteStatement':
        return this.deleteStatement(node);
      case 'ExpressionStatement':
        return this.expressionStatement(node);
      case 'ImportStatement':
        return this.importStatement(node);
      case 'IfStatement':
        return this.ifStatement(node);
      case 'TryStatement':
        return this.tryStatement(node);
      case 'WithStatement':
        return this.withStatement(node);
      case 'ForStatement':
      case 'WhileStatement':
        return this.loopStatement(node);
      case 'FunctionDefinition':
      case 'ClassDefinition':
        return this.definition(node);
      case 'DecoratedStatement':
        for (const c of childrenOf(node))
          if (c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') this.definition(c);
        return;
      case 'Body':
        return this.body(node);
      case 'StatementGroup': // `X = 1; Y = 2`: simple statements on one line, in order
        return this.statements(childrenOf(node).filter((c) => c.name !== ';'));
      default:
        return; // pass, return, raise, assert, global, print, errors: no effect on settings
    }
  }

  protected definition(node: SyntaxNode): void {
    const name = childrenOf(node).find((c) => c.name === 'VariableName');
    if (!name) return;
    const kind = node.name === 'ClassDefinition' ? 'class' : 'function';
    this.bind(this.text(name), unknown(`${kind} ${this.text(name)}`, this.span(name)), node, name, 'assign');
  }

  protected expressionStatement(node: SyntaxNode): void {
    const expr = childrenOf(node)[0];
    if (!expr) return;
    if (expr.name === 'CallExpression') {
      const [callee, argList] = childrenOf(expr);
      if (callee?.name === 'VariableName' && EXEC_FUNCTIONS.has(this.text(callee)) && this.execSibling(expr))
        return;
      if (callee?.name === 'MemberExpression' && argList) {
        const kids = childrenOf(callee);
        const method = kids[kids.length - 1];
        const receiver = kids[0];
        if (method?.name === 'PropertyName' && receiver && MUTATING_METHODS.has(this.text(method))) {
          const path =
            receiver.name === 'VariableName'
              ? { name: this.text(receiver), nameNode: receiver, keys: [] }
              : this.lvaluePath(receiver);
          if (path && this.env.has(path.name)) {
            this.mutatingCall(path, this.text(method), this.args(argList, 0), node, receiver);
            return;
          }
        }
      }
    }
    this.expr(expr, 0);
  }
}

/** Whether a statement's tree holds an error node (lezer's recovery), which the same text may not get elsewhere. */
/** Whether any of `names` is in `set`. */
function readsAny(names: readonly string[], set: ReadonlySet<string>): boolean {
  for (let k = 0; k < names.length; k++) if (set.has(names[k] as string)) return true;
  return false;
}

function containsError(node: SyntaxNode): boolean {
  if (node.type.isError) return true;
  let found = false;
  node.cursor().iterate((n) => {
    if (n.type.isError) found = true;
    return !found;
  });
  return found;
}

/**
 * The name a `NAME[key] = value` statement (`r.entry`, of the evaluation before) may set its entry in again
 * (`replayEntry`): it wrote that name only, with one event, read it once (so its key and value did not) and no
 * other changed name, and the name holds a dict now. Undefined when the statement must be evaluated.
 */
function entryReplayable(
  r: StatementRecord,
  dirty: ReadonlySet<string>,
  env: JournalEnv,
): string | undefined {
  const w = r.writes;
  if (!r.entry || r instanceof ReplayedRecord || !r.reads || !w || w.length !== 2) return undefined;
  if (r.eventsTo - r.eventsFrom !== 1) return undefined;
  const name = w[0] as string;
  let n = 0;
  for (const read of r.reads) {
    if (read === name) n++;
    else if (dirty.has(read)) return undefined;
  }
  if (n !== 1) return undefined;
  const now = rawBinding(env, name);
  const b = now instanceof Lazy ? now.placeholder : now;
  return b?.value.kind === 'dict' ? name : undefined;
}
