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
import type { AssignmentEvent, Env, ImportRecord } from './model';

/** Only files at least this long get checkpoints (a short file is evaluated from scratch in well under 1 ms). */
export const CHECKPOINT_MIN_CHARS = 20_000;
/** Statements between two checkpoints, at least (more while the environment is large: copies stay linear). */
const CHECKPOINT_EVERY = 64;
/** Each checkpoint copies the environment: at most 1/16 of a name per statement evaluated on average. */
const COPY_RATIO = 16;

export interface Checkpoint {
  /** Index of the next top-level statement (in `childrenOf(topNode)`). */
  readonly index: number;
  /** Where the previous top-level statement ended and where the next one starts and ends. */
  readonly prevTo: number;
  readonly nextFrom: number;
  readonly nextTo: number;
  readonly env: Env;
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
}

/** Whether a parse may serve for resuming: its own text parsed, untruncated. */
function plain(p: ParsedFile): boolean {
  return !p.template && !p.limit && p.source === p.text;
}

/** Whether a file gets checkpoints at all. */
export function wantsCheckpoints(parsed: ParsedFile): boolean {
  return parsed.text.length >= CHECKPOINT_MIN_CHARS && plain(parsed);
}

/** Whether to take a checkpoint before statement `index`, `since` statements after the last one. */
export function checkpointDue(since: number, envSize: number): boolean {
  return since >= CHECKPOINT_EVERY && since * COPY_RATIO >= envSize;
}

/** The first offset where two texts differ (the shorter one's length when one is a prefix of the other). */
function firstChange(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
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
): Checkpoint | undefined {
  if (!previous || previous.list.length === 0 || previous.eventRole !== eventRole) return undefined;
  const old = previous.parsed;
  if (old.file !== parsed.file || !plain(old) || !plain(parsed)) return undefined;
  let change = firstChange(old.text, parsed.text);
  // Lezer's error recovery may restructure what precedes an error: no statement at or after one is reused.
  for (const e of [old.syntaxError, parsed.syntaxError]) if (e) change = Math.min(change, e.from);
  // The last checkpoint whose next statement lies wholly before the change: the statements before it were
  // parsed from the same text with the same next statement after them (which decides where a block ends).
  let cp: Checkpoint | undefined;
  for (const c of previous.list) {
    if (c.nextTo < change) cp = c;
    else break;
  }
  if (!cp) return undefined;
  const prev = top[cp.index - 1];
  const next = top[cp.index];
  if (!prev || !next || prev.to !== cp.prevTo || next.from !== cp.nextFrom || next.to !== cp.nextTo)
    return undefined;
  return cp;
}
