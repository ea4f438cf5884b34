/**
 * Statements: the module's statement list, blocks (depth-guarded by MAX_STATEMENT_DEPTH), the dispatch to
 * each statement's concern, definitions and expression statements (exec of a sibling, mutating calls).
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf } from '../python/parse';
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
import { EXEC_FUNCTIONS } from './imports';
import { MAX_STATEMENT_DEPTH, type AssignmentEvent, type ImportRecord } from './model';
import { templateIfs } from './template-branches';
import { unknown } from './values';
import type { Steps } from '../steps';

/** Top-level statements between two questions whether to pause (asking reads a clock). */
const PAUSE_EVERY = 8;

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
    const files = o.envFiles;
    const record =
      wantsCheckpoints(this.parsed) &&
      !o.initialEnv &&
      !o.shareEnv &&
      !o.importDepth &&
      (!files || (files.osEnviron.size === 0 && files.decouple === undefined && files.files.size === 0));
    if (!record) {
      for (let i = 0; i < top.length; i++) {
        if (pause && i % PAUSE_EVERY === 0 && i > 0 && pause()) yield;
        const n = top[i] as SyntaxNode;
        if (!this.spend(n)) return;
        this.statement(n);
      }
      return;
    }
    const list: Checkpoint[] = [];
    let i = 0;
    this.env = new JournalEnv(new Map(), 0);
    const from = resumePoint(o.previous, this.parsed, top, o.eventRole);
    if (from && o.previous && this.budget.remaining > from.steps) {
      i = this.restore(from, o.previous);
      for (const c of o.previous.list) if (c.index <= from.index) list.push(c);
    }
    this.checkpoints = {
      parsed: this.parsed,
      eventRole: o.eventRole,
      list,
      events: this.events,
      imports: this.imports,
      unresolved: this.unresolved,
    };
    let since = 0;
    for (let k = 1; i < top.length; i++, k++) {
      if (pause && k % PAUSE_EVERY === 0 && pause()) yield;
      const n = top[i] as SyntaxNode;
      const journal = this.env instanceof JournalEnv;
      if (++since > 1 && this.ownTextOnly && !this.limit && checkpointDue(since, journal, this.env.size)) {
        list.push(this.checkpoint(i, top));
        since = 1;
      }
      if (!this.spend(n)) return;
      this.statement(n);
    }
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
      this.env instanceof JournalEnv ? this.env : (this.env = new JournalEnv(this.env, 0, this.env));
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
    switch (node.name) {
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
