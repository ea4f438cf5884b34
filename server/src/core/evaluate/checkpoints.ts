/**
 * Incremental re-evaluation (issue #11): while typing in a long file, the statements before the edit keep the
 * environment they produced. An evaluation of a long module records checkpoints at top-level statements: the
 * environment (a copy of the name → binding map; values are immutable and dicts persistent, `dict-store.ts`, so
 * the copy shares them), how many events, imports and failing imports there were, and the work spent so far.
 * The next evaluation of the same file resumes from the last checkpoint that lies wholly before the first
 * changed character, instead of from the first statement.
 *
 * A checkpoint is only taken while the module has read nothing outside its own text (no import through the
 * resolver, no exec'd sibling, no environment file, no Horizon layer import), in a module evaluated in a fresh
 * namespace (no initial environment, not shared), with no limit reached: then everything before it depends on
 * the text before it alone. Resuming needs both parses free of syntax errors and template masking before the
 * edit, and the new tree's top-level statements to start and end where the old ones did up to the checkpoint.
 * The result equals a from-scratch evaluation (`test/unit/incremental.test.ts` checks it on random edits).
 */
import type { SyntaxNode } from '@lezer/common';
import type { ParsedFile } from '../python/parse';
import { textChange, type TextChange } from '../python/line-index';
import type { AssignmentEvent, Binding, Env, ImportRecord } from './model';
import { LazyEnv, rawEntries } from './environment';
import type { Lazy, StatementRecord } from './replay';

const mapGet = Map.prototype.get as (this: Map<string, Binding>, name: string) => Binding | undefined;
const mapSet = Map.prototype.set as (this: Map<string, Binding>, name: string, b: Binding) => unknown;

/** Only files at least this long get checkpoints (a short file is evaluated from scratch in well under 1 ms). */
export const CHECKPOINT_MIN_CHARS = 20_000;
/** Statements between two checkpoints, at least. */
const CHECKPOINT_EVERY = 32;
/** A checkpoint over a namespace a branch merge replaced copies it: at most 1/16 of a name per statement. */
const COPY_RATIO = 16;
/** Checkpoints resumed from checkpoints resumed from…: past this many, a resumed namespace is copied afresh. */
const MAX_CHAIN = 8;

/**
 * The namespace at a checkpoint: `base`, then the changes `log[0, to)` (pairs of name and binding, the Lazy
 * that makes it, or undefined for a delete).
 */
export interface Snapshot {
  readonly base: Snapshot | Env;
  readonly log: readonly (string | Binding | Lazy | undefined)[];
  readonly to: number;
  /** How many snapshots lead to a plain namespace. */
  readonly chain: number;
}

/**
 * A namespace that logs every change (pairs of name and binding, undefined for a delete); see Snapshot. While
 * `reads` is set, it collects the names read (`get`, `has`); `iterated` says the whole namespace was read (a
 * copy, a star import). Names replayed from an earlier evaluation (`setLazy`, replay.ts) hold a binding
 * made on first read (LazyEnv), logged as the Lazy: a snapshot restores them unmade (or made, once read).
 */
export class JournalEnv extends LazyEnv {
  readonly log: (string | Binding | Lazy | undefined)[] = [];
  /** While `collecting`, the names read (made at the first: most statements read none). */
  reads: string[] | undefined;
  collecting = false;
  iterated = false;

  /** `base` (a snapshot or a namespace that no one changes any more) is what the log starts from. */
  constructor(
    readonly base: Snapshot | Env,
    readonly chain: number,
    entries: Iterable<readonly [string, Binding | Lazy]> = [],
  ) {
    super(entries);
  }

  // Without replayed names to make (a fresh evaluation), the map itself answers: one call less per name in a
  // fresh process' unoptimised code.
  override get(name: string): Binding | undefined {
    // The first read makes an array of one (what a statement reads is kept in its record).
    if (this.collecting) {
      if (this.reads) this.reads.push(name);
      else this.reads = [name];
    }
    return this.lazy === undefined ? mapGet.call(this, name) : super.get(name);
  }

  override has(name: string): boolean {
    if (this.collecting) {
      if (this.reads) this.reads.push(name);
      else this.reads = [name];
    }
    return super.has(name);
  }

  override set(name: string, binding: Binding): this {
    this.log.push(name, binding);
    if (this.lazy === undefined) {
      mapSet.call(this, name, binding);
      return this;
    }
    return super.set(name, binding);
  }

  override setLazy(name: string, lazy: Lazy): void {
    this.log.push(name, lazy);
    super.setLazy(name, lazy);
  }

  /**
   * `setLazy` left out of the log: for a statement replayed after the edit, where no checkpoint is taken (no
   * snapshot reads that far) and no statement's writes are read from the log.
   */
  replayLazy(name: string, lazy: Lazy): void {
    super.setLazy(name, lazy);
  }

  override delete(name: string): boolean {
    this.log.push(name, undefined);
    return super.delete(name);
  }

  override clear(): void {
    for (const name of super.keys()) this.log.push(name, undefined);
    super.clear();
  }

  override keys(): MapIterator<string> {
    if (this.collecting) this.iterated = true;
    return super.keys();
  }

  override values(): MapIterator<Binding> {
    if (this.collecting) this.iterated = true;
    return super.values();
  }

  override entries(): MapIterator<[string, Binding]> {
    if (this.collecting) this.iterated = true;
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Binding]> {
    if (this.collecting) this.iterated = true;
    return super.entries();
  }

  override forEach(
    fn: (value: Binding, key: string, map: Map<string, Binding>) => void,
    thisArg?: unknown,
  ): void {
    if (this.collecting) this.iterated = true;
    super.forEach(fn, thisArg);
  }

  snapshot(): Snapshot {
    return { base: this.base, log: this.log, to: this.log.length, chain: this.chain };
  }
}

/** The namespace a snapshot stands for, as a new JournalEnv over it (the evaluation goes on in it). */
export function journalAt(s: Snapshot): JournalEnv {
  const steps: Snapshot[] = [];
  let root: Snapshot | Env = s;
  while (!(root instanceof Map)) {
    steps.push(root);
    root = root.base;
  }
  const env = new Map(rawEntries(root));
  for (let k = steps.length - 1; k >= 0; k--) {
    const { log, to } = steps[k] as Snapshot;
    for (let i = 0; i < to; i += 2) {
      const b = log[i + 1] as Binding | Lazy | undefined;
      if (b) env.set(log[i] as string, b);
      else env.delete(log[i] as string);
    }
  }
  if (s.chain >= MAX_CHAIN) return new JournalEnv(new LazyEnv(env), 0, env);
  return new JournalEnv(s, s.chain + 1, env);
}

export interface Checkpoint {
  /** Index of the next top-level statement (in `childrenOf(topNode)`). */
  readonly index: number;
  /** Where the previous top-level statement ended and where the next one starts and ends. */
  readonly prevTo: number;
  readonly nextFrom: number;
  readonly nextTo: number;
  readonly env: Snapshot;
  readonly events: number;
  readonly imports: number;
  readonly unresolved: number;
  readonly failingImports: number;
  /** Work steps the module spent before this point. */
  readonly steps: number;
}

/** The checkpoints of one evaluation, with what they depend on. */
export interface Checkpoints {
  readonly parsed: ParsedFile;
  readonly eventRole: string | undefined;
  readonly list: readonly Checkpoint[];
  readonly events: readonly AssignmentEvent[];
  readonly imports: readonly ImportRecord[];
  readonly unresolved: readonly ImportRecord[];
  /** What each top-level statement read and wrote, in order (replay.ts); empty when not recorded. */
  readonly records: readonly StatementRecord[];
}

/** The state before the first statement, where an evaluation resumes when no checkpoint precedes the change. */
const START: Checkpoint = {
  index: 0,
  prevTo: 0,
  nextFrom: 0,
  nextTo: 0,
  env: { base: new Map(), log: [], to: 0, chain: 0 },
  events: 0,
  imports: 0,
  unresolved: 0,
  failingImports: 0,
  steps: 0,
};

/** Whether a parse may serve for resuming: its own text parsed, untruncated. */
function plain(p: ParsedFile): boolean {
  return !p.template && !p.limit && p.source === p.text;
}

/** Whether a file gets checkpoints at all. */
export function wantsCheckpoints(parsed: ParsedFile): boolean {
  return parsed.text.length >= CHECKPOINT_MIN_CHARS && plain(parsed);
}

/**
 * Whether to take a checkpoint `since` statements after the last one; `journal` says whether the namespace is
 * still the journal (else it must be copied into a new one).
 */
export function checkpointDue(since: number, journal: boolean, envSize: number): boolean {
  return since >= CHECKPOINT_EVERY && (journal || since * COPY_RATIO >= envSize);
}

/**
 * Where `parsed`'s text differs from `old`'s (the first changed character, the shorter one's length when one is
 * a prefix of the other; the changed stretch's end in each): the parse's own change when it was made from that
 * very text by an edit, else found by comparing the texts.
 */
function changeBetween(old: ParsedFile, parsed: ParsedFile): TextChange {
  const e = parsed.edited;
  return e && e.before === old.text ? e.change : textChange(old.text, parsed.text);
}

/**
 * The checkpoint to resume `parsed`'s evaluation from, or undefined (start from the first statement).
 * `top` is the new tree's top-level statements.
 */
export function resumePoint(
  previous: Checkpoints | undefined,
  parsed: ParsedFile,
  top: readonly SyntaxNode[],
  eventRole: string | undefined,
): (Checkpoint & { readonly change: number; readonly diff: TextChange }) | undefined {
  if (!previous || previous.eventRole !== eventRole) return undefined;
  if (previous.list.length === 0 && previous.records.length === 0) return undefined;
  const old = previous.parsed;
  if (old.file !== parsed.file || !plain(old) || !plain(parsed)) return undefined;
  const diff = changeBetween(old, parsed);
  let change = diff.from;
  // Lezer's error recovery may restructure what precedes an error: no statement at or after one is reused.
  for (const e of [old.syntaxError, parsed.syntaxError]) if (e) change = Math.min(change, e.from);
  // The last checkpoint whose next statement lies wholly before the change: the statements before it were
  // parsed from the same text with the same next statement after them (which decides where a block ends).
  let cp: Checkpoint | undefined;
  for (const c of previous.list) {
    if (c.nextTo < change) cp = c;
    else break;
  }
  // None: from the first statement, replaying what the edit cannot change (a fix's trial at the top of a file).
  if (!cp) return previous.records.length > 0 ? { ...START, change, diff } : undefined;
  const prev = top[cp.index - 1];
  const next = top[cp.index];
  if (!prev || !next || prev.to !== cp.prevTo || next.from !== cp.nextFrom || next.to !== cp.nextTo)
    return undefined;
  return { ...cp, change, diff };
}
