/**
 * Statements: the module's statement list, blocks (depth-guarded by MAX_STATEMENT_DEPTH), the dispatch to
 * each statement's concern, definitions and expression statements (exec of a sibling, mutating calls).
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf } from '../python/parse';
import { MUTATING_METHODS } from './call-expressions';
import { ControlFlowEvaluator } from './control-flow';
import { EXEC_FUNCTIONS } from './imports';
import { MAX_STATEMENT_DEPTH } from './model';
import { unknown } from './values';

export abstract class StatementEvaluator extends ControlFlowEvaluator {
  run(): void {
    const top = this.parsed.tree.topNode;
    this.statements(childrenOf(top));
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
