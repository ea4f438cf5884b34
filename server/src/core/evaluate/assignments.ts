/**
 * Assignment statements: plain, unpacking, subscript targets (`NAME['a'][k] = …`), augmented assignment and
 * `del`, with the nested container updates they imply.
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf } from '../python/parse';
import type { Value } from '../types';
import { CallEvaluator } from './call-expressions';
import { memberParts } from './expressions';
import { MAX_EXPRESSION_DEPTH } from './model';
import { binaryOp } from './operators';
import { dictDelete, dictLookup, dictSet, oneOf, unknown, withSpan } from './values';

export abstract class AssignmentEvaluator extends CallEvaluator {
  protected assignStatement(node: SyntaxNode): void {
    // The usual shape, `target = value` (three children, no comment or annotation): evaluated without building
    // the groups below, which is what a fresh process spends its time on before the code is optimised.
    const target = node.firstChild;
    const op = target?.nextSibling;
    const rhs = op?.nextSibling;
    const rhsName = rhs?.type.name;
    if (
      target &&
      op &&
      rhs &&
      op.type.name === 'AssignOp' &&
      target.type.name !== 'Comment' &&
      rhsName !== 'Comment' &&
      rhsName !== ',' &&
      !rhs.nextSibling
    ) {
      this.assignTarget(target, this.expr(rhs, 0), node);
      return;
    }
    const groups: SyntaxNode[][] = [[]];
    for (const c of childrenOf(node)) {
      if (c.name === 'AssignOp') groups.push([]);
      else if (c.name !== 'TypeDef') (groups[groups.length - 1] as SyntaxNode[]).push(c);
    }
    const valueGroup = groups.pop() ?? [];
    const value = this.groupValue(valueGroup, node);
    for (const g of groups) this.assignTargets(g, value, node);
  }

  /** A comma-separated group of expressions: one expression, or a tuple. */
  protected groupValue(group: SyntaxNode[], stmt: SyntaxNode): Value {
    const exprs = group.filter((c) => c.name !== ',');
    if (exprs.length === 0) return unknown('missing value', this.span(stmt));
    if (exprs.length === 1 && !group.some((c) => c.name === ',')) return this.expr(exprs[0] as SyntaxNode, 0);
    const first = exprs[0] as SyntaxNode;
    const last = group[group.length - 1] as SyntaxNode;
    return {
      kind: 'tuple',
      items: exprs.map((e) => this.expr(e, 0)),
      span: this.span({ from: first.from, to: last.to }),
    };
  }

  protected assignTargets(group: SyntaxNode[], value: Value, stmt: SyntaxNode): void {
    const targets = group.filter((c) => c.name !== ',');
    if (targets.length === 1 && !group.some((c) => c.name === ',')) {
      this.assignTarget(targets[0] as SyntaxNode, value, stmt);
      return;
    }
    this.unpack(targets, value, stmt);
  }

  protected unpack(targets: SyntaxNode[], value: Value, stmt: SyntaxNode, depth = 0): void {
    const items = (value.kind === 'tuple' || value.kind === 'list') && !value.open ? value.items : undefined;
    const starred = targets.some((t) => t.name === 'StarExpression' || this.text(t).startsWith('*'));
    targets.forEach((t, i) => {
      const v =
        items && !starred && items.length === targets.length
          ? (items[i] as Value)
          : unknown('unpacked value', value.span);
      this.assignTarget(t, v, stmt, depth);
    });
  }

  protected assignTarget(target: SyntaxNode, value: Value, stmt: SyntaxNode, depth = 0): void {
    if (depth > MAX_EXPRESSION_DEPTH) {
      this.limit ??= {
        reason: `assignment targets nested deeper than ${MAX_EXPRESSION_DEPTH}`,
        at: this.span(target),
      };
      return;
    }
    switch (target.type.name) {
      case 'VariableName':
        this.bind(this.text(target), value, stmt, target, 'assign');
        return;
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression': {
        const inner = childrenOf(target).filter((c) => !['(', ')', '[', ']', ','].includes(c.name));
        if (target.name === 'ParenthesizedExpression' && inner.length === 1)
          this.assignTarget(inner[0] as SyntaxNode, value, stmt, depth + 1);
        else this.unpack(inner, value, stmt, depth + 1);
        return;
      }
      case 'MemberExpression': {
        const path = this.lvaluePath(target);
        if (path) this.setPath(path, value, stmt, target);
        return; // attribute assignment (obj.attr = …) does not change settings names
      }
      default:
        return;
    }
  }

  /** `NAME['a'][k]…` as a name plus evaluated keys; undefined for attribute access or non-name roots. */
  protected lvaluePath(
    node: SyntaxNode,
  ): { name: string; nameNode: SyntaxNode; keys: { value: Value; node: SyntaxNode }[] } | undefined {
    const keys: { value: Value; node: SyntaxNode }[] = [];
    let cur: SyntaxNode | null = node;
    while (cur && cur.type.name === 'MemberExpression') {
      if (keys.length >= MAX_EXPRESSION_DEPTH) {
        this.limit ??= {
          reason: `subscripts chained deeper than ${MAX_EXPRESSION_DEPTH}`,
          at: this.span(node),
        };
        return undefined;
      }
      const { obj, keyNode, bracket, colon } = memberParts(cur);
      if (!bracket || !keyNode) return undefined;
      // A slice (`L[0:0] = …`) is not a key: the container changes in ways we do not model.
      const slice = colon || keyNode.type.name === 'SliceExpression';
      keys.unshift({
        value: slice ? unknown('slice', this.span(keyNode)) : this.expr(keyNode, 0),
        node: keyNode,
      });
      cur = obj ?? null;
    }
    if (!cur || cur.type.name !== 'VariableName') return undefined;
    return { name: this.text(cur), nameNode: cur, keys };
  }

  protected setPath(
    path: { name: string; keys: { value: Value; node: SyntaxNode }[] },
    value: Value,
    stmt: SyntaxNode,
    target: SyntaxNode,
  ): void {
    const existing = this.env.get(path.name);
    // Python raises NameError here; the statement has no effect we could use.
    if (!existing) return;
    const base = existing.value;
    const updated = this.updateNested(base, path.keys, () => value);
    this.rebind(path.name, updated, stmt, target, 'mutate', path.keys);
  }

  /** Returns `container` with the value at `keys` replaced by `fn(old)`; unknown containers stay unknown. */
  protected updateNested(
    container: Value,
    keys: { value: Value; node: SyntaxNode }[],
    fn: (old: Value | undefined) => Value | 'delete',
  ): Value {
    // Not `[first, ...rest] = keys`: destructuring iterates (an object per step before the code is optimised).
    const first = keys[0];
    if (!first) {
      const r = fn(container);
      return r === 'delete' ? unknown('deleted') : r;
    }
    const rest = keys.slice(1);
    if (container.kind === 'dict') {
      const found = dictLookup(container, first.value);
      const old =
        found.found === true
          ? found.entry.value
          : found.found === 'maybe'
            ? unknown('key may be set elsewhere')
            : undefined;
      if (rest.length === 0) {
        const r = fn(old);
        return r === 'delete'
          ? dictDelete(container, first.value)
          : dictSet(container, first.value, r, this.keySpan(first.value, first.node));
      }
      const inner = old ?? unknown(`missing key ${this.text(first.node)}`);
      return dictSet(
        container,
        first.value,
        this.updateNested(inner, rest, fn),
        found.found === true ? found.entry.keySpan : this.keySpan(first.value, first.node),
      );
    }
    if ((container.kind === 'list' || container.kind === 'tuple') && first.value.kind === 'unknown') {
      return { ...container, items: container.items, open: true };
    }
    if (
      (container.kind === 'list' || container.kind === 'tuple') &&
      first.value.kind === 'int' &&
      !container.open
    ) {
      const idx = first.value.value < 0 ? container.items.length + first.value.value : first.value.value;
      if (idx < 0 || idx >= container.items.length) return container;
      const items = [...container.items];
      const r = rest.length === 0 ? fn(items[idx]) : this.updateNested(items[idx] as Value, rest, fn);
      if (r === 'delete') items.splice(idx, 1);
      else items[idx] = r;
      return { ...container, items };
    }
    if (container.kind === 'oneOf') {
      return oneOf(
        container.options.map((o) => this.updateNested(o, keys, fn)),
        container.condition,
        container.span,
      );
    }
    return container.kind === 'unknown'
      ? container
      : unknown('changed through an unknown container', container.span);
  }

  protected updateStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    const target = kids[0];
    const op = kids.find((k) => k.name === 'UpdateOp');
    const valueNode = kids[kids.length - 1];
    if (!target || !op || !valueNode || valueNode === target) return;
    const rhs = this.expr(valueNode, 0);
    const operator = this.text(op).replace(/=$/, '');
    const span = this.span(node);
    const combine = (old: Value | undefined): Value =>
      old
        ? withSpan(binaryOp(operator, old, rhs), span)
        : unknown('augmented assignment of an undefined value', span);
    if (target.name === 'VariableName') {
      const name = this.text(target);
      const old = this.env.get(name)?.value;
      this.env.set(name, { value: combine(old), origin: this.origin(node) });
      this.record(name, [], 'mutate', node, target);
      return;
    }
    const path = this.lvaluePath(target);
    if (!path) return;
    const base = this.env.get(path.name)?.value ?? unknown(`'${path.name}' is not defined here`);
    this.rebind(path.name, this.updateNested(base, path.keys, combine), node, target, 'mutate', path.keys);
  }

  protected deleteStatement(node: SyntaxNode): void {
    for (const t of childrenOf(node)) {
      if (t.name === 'VariableName') {
        const name = this.text(t);
        this.env.delete(name);
        this.record(name, [], 'delete', node, t);
      } else if (t.name === 'MemberExpression') {
        const path = this.lvaluePath(t);
        if (!path) continue;
        const base = this.env.get(path.name)?.value;
        if (!base) continue;
        this.rebind(
          path.name,
          this.updateNested(base, path.keys, () => 'delete'),
          node,
          t,
          'delete',
          path.keys,
        );
      }
    }
  }
}
