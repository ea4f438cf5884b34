/**
 * The evaluator's state and the bookkeeping every concern shares: the environment, events, imports, the
 * work budget and limits, spans and text of nodes, binding names. The concerns build on it as one class
 * chain (state → expressions → call-expressions → assignments → imports → control-flow → statements), each
 * in its own module; a concern that needs a later one declares it abstract.
 */
import type { SyntaxNode } from '@lezer/common';
import type { ParsedFile } from '../python/parse';
import type { Origin, Span, Value } from '../types';
import { copyEnv, RecordingEnv } from './environment';
import {
  CLOCK_EVERY,
  DEFAULT_TIME_BUDGET_MS,
  DEFAULT_WORK_BUDGET,
  timeLimitReason,
  workBudget,
  workLimitReason,
  type AssignmentEvent,
  type Env,
  type EvaluateOptions,
  type ImportRecord,
  type ModuleEvaluation,
  type WorkBudget,
} from './model';

/** The path of an event that binds a whole name: one empty array for all of them (events are never changed). */
const NO_PATH: readonly string[] = [];

export abstract class EvaluatorState {
  env: Env;
  readonly events: AssignmentEvent[] = [];
  readonly imports: ImportRecord[] = [];
  readonly unresolved: ImportRecord[] = [];
  readonly dependencies = new Set<string>();
  limit: ModuleEvaluation['limit'];
  protected conditionalDepth = 0;
  protected statementDepth = 0;
  /** Imports attempted in the current try body that may fail. */
  protected failingImports = 0;
  protected readonly budget: WorkBudget;
  /** The shared namespace, recording what this module changes in it (shareEnv). */
  readonly shared: RecordingEnv | undefined;
  /**
   * True while the module has read nothing but its own text (no resolver, sibling, environment file or layer
   * import): only then are checkpoints taken (checkpoints.ts).
   */
  protected ownTextOnly = true;
  /** The budget's remaining steps when this module started. */
  protected readonly startSteps: number;

  constructor(
    protected readonly parsed: ParsedFile,
    protected readonly options: EvaluateOptions,
  ) {
    if (options.shareEnv && options.initialEnv) {
      this.shared = new RecordingEnv(options.initialEnv);
      this.env = this.shared;
    } else {
      this.env = options.initialEnv ? copyEnv(options.initialEnv) : new Map();
    }
    this.budget = options.budget ?? workBudget();
    this.startSteps = this.budget.remaining;
  }

  /** The module reads something beyond its own text: what follows depends on more than the text before it. */
  protected readsOutside(): void {
    this.ownTextOnly = false;
  }

  protected span(node: { from: number; to: number }): Span {
    // Made here, not through a helper: one call less for every span in a fresh process' unoptimised code.
    return { file: this.parsed.file, from: node.from, to: node.to };
  }

  protected text(node: { from: number; to: number }): string {
    return this.parsed.source.slice(node.from, node.to);
  }

  /** The shared budget's state (an evaluation done again whole gives back what its first try spent). */
  get budgetState(): { remaining: number; reason: string | undefined } {
    return { remaining: this.budget.remaining, reason: this.budget.reason };
  }
  set budgetState(state: { remaining: number; reason: string | undefined }) {
    this.budget.remaining = state.remaining;
    if (state.reason === undefined) delete this.budget.reason;
    else this.budget.reason = state.reason;
  }

  /** Work proportional to the environment (a copy or merge of every name) counts against the budget too. */
  protected charge(units: number): void {
    this.budget.remaining -= units;
  }

  /**
   * One step of work; false once the analysis is out of steps or past its deadline (the clock is read every
   * CLOCK_EVERY steps), with DSL003's reason naming the limit that ended it.
   */
  protected spend(node: SyntaxNode): boolean {
    const b = this.budget;
    if (b.remaining > 0 && b.remaining % CLOCK_EVERY === 0 && b.now && b.deadline !== undefined) {
      if (b.now() > b.deadline) {
        b.reason ??= timeLimitReason(b.timeMs ?? DEFAULT_TIME_BUDGET_MS);
        b.remaining = 0;
      }
    }
    if (b.remaining <= 0) {
      b.reason ??= workLimitReason(b.steps ?? DEFAULT_WORK_BUDGET);
      this.limit ??= { reason: b.reason, at: this.span(node) };
      return false;
    }
    b.remaining--;
    return true;
  }

  protected origin(node: SyntaxNode): Origin {
    return { kind: 'file', span: this.span(node) };
  }

  protected bind(
    name: string,
    value: Value,
    stmt: SyntaxNode,
    target: SyntaxNode,
    kind: AssignmentEvent['kind'],
  ): void {
    // One span of the statement for the binding's origin and the event (spans are never changed).
    const span = this.span(stmt);
    this.env.set(name, { value, origin: { kind: 'file', span } });
    this.record(name, NO_PATH, kind, stmt, target, span);
  }

  protected rebind(
    name: string,
    value: Value,
    stmt: SyntaxNode,
    target: SyntaxNode,
    kind: AssignmentEvent['kind'],
    keys: { value: Value }[],
  ): void {
    const span = this.span(stmt);
    this.env.set(name, { value, origin: { kind: 'file', span } });
    // The leading string keys, in an array of their number (the event keeps it: a pushed-to empty array holds
    // room for 17).
    let n = 0;
    while (n < keys.length && (keys[n] as { value: Value }).value.kind === 'str') n++;
    const path = new Array<string>(n);
    for (let i = 0; i < n; i++) path[i] = ((keys[i] as { value: Value }).value as { value: string }).value;
    this.record(name, n === 0 ? NO_PATH : path, kind, stmt, target, span);
  }

  protected record(
    name: string,
    path: readonly string[],
    kind: AssignmentEvent['kind'],
    stmt: SyntaxNode,
    target: SyntaxNode,
    span: Span = this.span(stmt),
  ): void {
    this.events.push({
      name,
      path,
      kind,
      span,
      target: this.span(target),
      conditional: this.conditionalDepth > 0,
      role: this.options.eventRole,
    });
  }

  /** Evaluates an expression (expressions.ts). */
  abstract expr(node: SyntaxNode, depth: number): Value;
}
