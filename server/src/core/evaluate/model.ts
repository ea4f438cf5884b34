/** The evaluator's public shapes: environments, assignment events, import records, options and limits. */
import type { Checkpoints } from './checkpoints';
import type { EnvFiles } from './env-files';
import type { ParsedFile } from '../python/parse';
import type { Origin, Span, Value } from '../types';

export interface Binding {
  readonly value: Value;
  /** The statement that last bound or changed the name (or a framework default). */
  readonly origin: Origin;
}

export type Env = Map<string, Binding>;

export interface AssignmentEvent {
  readonly name: string;
  /** Known subscript keys for `NAME['a']['b'] = …`; empty when the whole name is (re)bound. */
  readonly path: readonly string[];
  readonly kind: 'assign' | 'mutate' | 'delete' | 'import';
  /** The whole statement. */
  readonly span: Span;
  /** The target expression (the name, or the subscript chain). */
  readonly target: Span;
  /** True inside a branch or loop whose execution the analyser cannot decide. */
  readonly conditional: boolean;
  /** The layer of the file, when the caller evaluates a project layer (see EvaluateOptions.eventRole). */
  readonly role?: string | undefined;
}

export interface ImportRecord {
  readonly module: string;
  readonly level: number;
  readonly star: boolean;
  readonly span: Span;
  /** The file it resolved to, 'layer' for Horizon's `from local.local_settings import *`, or undefined. */
  readonly resolved: string | 'layer' | undefined;
  /**
   * For an unresolved import inside `try: … except ImportError:` decided by the module's absence: the phrase
   * under which the names it could set keep their defaults ("local.py is absent"). Set by the try statement.
   */
  guardedBy?: string | undefined;
}

export interface ModuleEvaluation {
  readonly file: string;
  /** The module's names at its end; with `shareEnv`, only the names this module bound, changed or deleted. */
  readonly env: Env;
  /** With `shareEnv`: the whole namespace after the module (the initial environment, updated in place). */
  readonly namespace?: Env | undefined;
  readonly events: readonly AssignmentEvent[];
  readonly imports: readonly ImportRecord[];
  /** Star imports that could not be followed: any name may be set by them. */
  readonly unresolvedStarImports: readonly ImportRecord[];
  /** Set when a depth or work limit stopped part of the evaluation (DSL003). */
  readonly limit?: { readonly reason: string; readonly at: Span } | undefined;
  /** Files read through imports (for dependency tracking). */
  readonly dependencies: readonly string[];
  /** Where the next evaluation of this file may resume (long files only; `checkpoints.ts`). */
  readonly checkpoints?: Checkpoints | undefined;
  /** True when statements no demanded name depends on were left out (`EvaluateOptions.demand`). */
  readonly demanded?: boolean;
}

export type ImportResolver = (
  module: string,
  level: number,
  fromFile: string,
) => ParsedFile | 'layer' | undefined;

export interface EvaluateOptions {
  readonly initialEnv?: Env;
  /**
   * Evaluate in `initialEnv` itself instead of a copy (exec of a snippet in a shared namespace): one
   * namespace for ten thousand snippets instead of a copy each. `initialEnv` is updated in place.
   */
  readonly shareEnv?: boolean;
  readonly resolveImport?: ImportResolver;
  /** Called at Horizon's `from local.local_settings import *`; returns the environment after the layers. */
  readonly onLayerImport?: (env: Env, span: Span) => Env;
  /** Shared across one analysis so each imported module is evaluated once. */
  readonly moduleCache?: Map<string, ModuleEvaluation | 'in-progress'>;
  /** Shared work counter and deadline across one analysis (`workBudget`). */
  readonly budget?: WorkBudget;
  /** Stamped on every assignment event of this module (the project layer it belongs to). */
  readonly eventRole?: string | undefined;
  /** Files being exec'd into this namespace, outermost first: stops `exec(open(…).read())` cycles. */
  readonly execChain?: readonly string[];
  /**
   * Reads a file by name next to `fromFile` or in its parent directories (`.env`, `settings.ini`); returns
   * its path and text, undefined when none. Injected: the evaluator does no I/O.
   */
  readonly readSibling?: (name: string, fromFile: string) => { path: string; text: string } | undefined;
  /** Environment files loaded so far in this analysis (env-files.ts), shared with the modules it imports. */
  readonly envFiles?: EnvFiles;
  /** How many imports and execs led to this module (MAX_IMPORT_DEPTH); 0 for a layer. */
  readonly importDepth?: number;
  /**
   * The checkpoints of an earlier evaluation of this file (another text): statements before the first change
   * are not evaluated again when it allows (`checkpoints.ts`).
   */
  readonly previous?: Checkpoints | undefined;
  /**
   * False when no later evaluation resumes from this one (a fix's trial analysis, fixes.ts): it takes no
   * checkpoints, records no statement it replays and returns no checkpoints.
   */
  readonly keepCheckpoints?: boolean;
  /**
   * Asked between top-level statements by `evaluateModuleInSteps`: true pauses the evaluation there (a front end
   * answers requests, then resumes it). The result does not depend on it.
   */
  readonly pause?: (() => boolean) | undefined;
  /**
   * The names a check reads at the module's end (the CLI's: the rules' settings): top-level statements nothing
   * read can depend on are left out (`demand.ts`). Only for a module evaluated in a fresh namespace that reads
   * nothing but its own text (one that reads a file is evaluated again whole); no checkpoints are taken.
   */
  readonly demand?: ReadonlySet<string> | undefined;
}

export const MAX_EXPRESSION_DEPTH = 100;
export const MAX_STATEMENT_DEPTH = 50;
/** Modules importing or exec'ing one another in a chain (each a nested evaluation). */
export const MAX_IMPORT_DEPTH = 50;
export const DEFAULT_WORK_BUDGET = 5_000_000;
/** Wall-clock time one analysis may spend evaluating (after its layers are parsed), whatever the input. */
export const DEFAULT_TIME_BUDGET_MS = 5_000;

/** The limits of one analysis; the same in the CLI and the language server (both use the defaults). */
export interface AnalysisLimits {
  /** Evaluation steps (statements, expressions, environment copies); DEFAULT_WORK_BUDGET. */
  readonly steps?: number;
  /** Milliseconds of evaluation (from the end of the layers' parse); DEFAULT_TIME_BUDGET_MS. */
  readonly timeMs?: number;
  /** The clock (ms), injectable so tests are deterministic; performance.now. */
  readonly now?: () => number;
  /** An absolute deadline on `now`'s scale, shared by the trial analyses that verify fixes. */
  readonly deadline?: number;
}

/**
 * A shared work counter and (optional) deadline; `reason` says which limit ended it (DSL003 names it). A bare
 * `{ remaining }` is a work budget without a clock.
 */
export interface WorkBudget {
  remaining: number;
  /** The steps it started with (named in DSL003); DEFAULT_WORK_BUDGET when absent. */
  readonly steps?: number;
  readonly deadline?: number;
  readonly timeMs?: number;
  readonly now?: () => number;
  reason?: string;
}

/** Steps between two reads of the clock (reading it costs more than a step). */
export const CLOCK_EVERY = 1024;

export function workBudget(limits: AnalysisLimits = {}): WorkBudget {
  const now = limits.now ?? (() => performance.now());
  const steps = limits.steps ?? DEFAULT_WORK_BUDGET;
  const timeMs = limits.timeMs ?? DEFAULT_TIME_BUDGET_MS;
  return { remaining: steps, steps, deadline: limits.deadline ?? now() + timeMs, timeMs, now };
}

/** DSL003's wording when the work budget is spent: it names the limit. */
export function workLimitReason(steps: number): string {
  return `work limit reached: ${steps.toLocaleString('en-US')} evaluation steps per analysis`;
}

/** DSL003's wording when the time budget is spent. */
export function timeLimitReason(timeMs: number): string {
  return `time limit reached: ${timeMs.toLocaleString('en-US')} ms of evaluation per analysis`;
}
