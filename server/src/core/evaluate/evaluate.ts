/**
 * Static evaluation of module-level Python into an environment of Values. Never executes anything, never
 * throws, always terminates: expression depth and total work are bounded, and each node is visited at most
 * once per evaluation of its module (star-imported modules are evaluated once and cached).
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf, spanOf, TEMPLATE_MASK, type ParsedFile } from '../python/parse';
import { decodeEscapes, decodeStringToken, splitStringToken } from '../python/strings';
import type { DictEntry, DictValue, Origin, Span, UnknownValue, Value } from '../types';
import { callBuiltin, callMethod, callQualified, type CallArgs } from './calls';
import { applyDecided, decidedByDefault, type DecidedByDefault } from './env-branches';
import { binaryOp, concatParts, pyStr } from './operators';
import { dictDelete, dictLookup, dictSet, oneOf, sameValue, truthy, unknown, withSpan } from './values';

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
  /** Shared work counter across one analysis. */
  readonly budget?: { remaining: number };
  /** Stamped on every assignment event of this module (the project layer it belongs to). */
  readonly eventRole?: string | undefined;
  /** Files being exec'd into this namespace, outermost first: stops `exec(open(…).read())` cycles. */
  readonly execChain?: readonly string[];
}

export const MAX_EXPRESSION_DEPTH = 100;
export const MAX_STATEMENT_DEPTH = 50;
export const DEFAULT_WORK_BUDGET = 5_000_000;
/** DSL003's wording when the budget is spent: it names the limit. */
const WORK_LIMIT_REASON = `work limit reached: ${DEFAULT_WORK_BUDGET.toLocaleString('en-US')} evaluation steps per analysis`;

/** Modules whose import never fails in practice; any other import may fail (try/except ImportError). */
const ALWAYS_IMPORTABLE = new Set([
  'os',
  'sys',
  'os.path',
  'logging',
  'pathlib',
  'socket',
  'json',
  're',
  'glob',
  'warnings',
]);

const EXEC_FUNCTIONS = new Set(['exec', 'execfile']);
/** A string literal naming a Python file: `'local_settings.py'`, `"/etc/x/settings_local.py"` (the name). */
/** A string literal that is a bare Python file name: `'local_settings.py'` (not a path elsewhere). */
const EXEC_TARGET = /^[rRuUbB]?['"]([A-Za-z_][\w-]*\.py)['"]$/;
const EXEC_TARGET_IN = /['"]([A-Za-z_][\w-]*\.py)['"]/g;
const EXISTS_CALLS = /^(?:os\.)?path\.(?:exists|isfile)$/;

const MUTATING_METHODS = new Set([
  'update',
  'setdefault',
  'append',
  'extend',
  'insert',
  'pop',
  'clear',
  'remove',
]);

class Evaluator {
  env: Env;
  readonly events: AssignmentEvent[] = [];
  readonly imports: ImportRecord[] = [];
  readonly unresolved: ImportRecord[] = [];
  readonly dependencies = new Set<string>();
  limit: ModuleEvaluation['limit'];
  private conditionalDepth = 0;
  private statementDepth = 0;
  /** Imports attempted in the current try body that may fail. */
  private failingImports = 0;
  private readonly budget: { remaining: number };
  /** The shared namespace, recording what this module changes in it (shareEnv). */
  readonly shared: RecordingEnv | undefined;

  constructor(
    private readonly parsed: ParsedFile,
    private readonly options: EvaluateOptions,
  ) {
    if (options.shareEnv && options.initialEnv) {
      this.shared = new RecordingEnv(options.initialEnv);
      this.env = this.shared;
    } else {
      this.env = new Map(options.initialEnv ?? []);
    }
    this.budget = options.budget ?? { remaining: DEFAULT_WORK_BUDGET };
  }

  run(): void {
    const top = this.parsed.tree.topNode;
    this.statements(childrenOf(top));
  }

  private span(node: { from: number; to: number }): Span {
    return spanOf(this.parsed, node);
  }

  private text(node: { from: number; to: number }): string {
    return this.parsed.source.slice(node.from, node.to);
  }

  /** Work proportional to the environment (a copy or merge of every name) counts against the budget too. */
  private charge(units: number): void {
    this.budget.remaining -= units;
  }

  private spend(node: SyntaxNode): boolean {
    if (this.budget.remaining <= 0) {
      this.limit ??= { reason: WORK_LIMIT_REASON, at: this.span(node) };
      return false;
    }
    this.budget.remaining--;
    return true;
  }

  private origin(node: SyntaxNode): Origin {
    return { kind: 'file', span: this.span(node) };
  }

  // ---------------------------------------------------------------- statements

  private statements(nodes: readonly SyntaxNode[]): void {
    for (const n of nodes) {
      if (!this.spend(n)) return;
      this.statement(n);
    }
  }

  private body(node: SyntaxNode | undefined): void {
    if (!node) return;
    if (this.statementDepth >= MAX_STATEMENT_DEPTH) {
      this.limit ??= { reason: `statements nested deeper than ${MAX_STATEMENT_DEPTH}`, at: this.span(node) };
      return;
    }
    this.statementDepth++;
    this.statements(childrenOf(node).filter((c) => c.name !== ':'));
    this.statementDepth--;
  }

  private statement(node: SyntaxNode): void {
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

  private definition(node: SyntaxNode): void {
    const name = childrenOf(node).find((c) => c.name === 'VariableName');
    if (!name) return;
    const kind = node.name === 'ClassDefinition' ? 'class' : 'function';
    this.bind(this.text(name), unknown(`${kind} ${this.text(name)}`, this.span(name)), node, name, 'assign');
  }

  private assignStatement(node: SyntaxNode): void {
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
  private groupValue(group: SyntaxNode[], stmt: SyntaxNode): Value {
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

  private assignTargets(group: SyntaxNode[], value: Value, stmt: SyntaxNode): void {
    const targets = group.filter((c) => c.name !== ',');
    if (targets.length === 1 && !group.some((c) => c.name === ',')) {
      this.assignTarget(targets[0] as SyntaxNode, value, stmt);
      return;
    }
    this.unpack(targets, value, stmt);
  }

  private unpack(targets: SyntaxNode[], value: Value, stmt: SyntaxNode): void {
    const items = (value.kind === 'tuple' || value.kind === 'list') && !value.open ? value.items : undefined;
    const starred = targets.some((t) => t.name === 'StarExpression' || this.text(t).startsWith('*'));
    targets.forEach((t, i) => {
      const v =
        items && !starred && items.length === targets.length
          ? (items[i] as Value)
          : unknown('unpacked value', value.span);
      this.assignTarget(t, v, stmt);
    });
  }

  private assignTarget(target: SyntaxNode, value: Value, stmt: SyntaxNode): void {
    switch (target.name) {
      case 'VariableName':
        this.bind(this.text(target), value, stmt, target, 'assign');
        return;
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression': {
        const inner = childrenOf(target).filter((c) => !['(', ')', '[', ']', ','].includes(c.name));
        if (target.name === 'ParenthesizedExpression' && inner.length === 1)
          this.assignTarget(inner[0] as SyntaxNode, value, stmt);
        else this.unpack(inner, value, stmt);
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
  private lvaluePath(
    node: SyntaxNode,
  ): { name: string; nameNode: SyntaxNode; keys: { value: Value; node: SyntaxNode }[] } | undefined {
    const keys: { value: Value; node: SyntaxNode }[] = [];
    let cur: SyntaxNode | null = node;
    while (cur && cur.name === 'MemberExpression') {
      const kids = childrenOf(cur);
      if (!kids.some((k) => k.name === '[')) return undefined;
      const keyNode = kids.find((k, i) => i > 0 && k.name !== '[' && k.name !== ']');
      if (!keyNode) return undefined;
      // A slice (`L[0:0] = …`) is not a key: the container changes in ways we do not model.
      const slice = kids.some((k) => k.name === ':') || keyNode.name === 'SliceExpression';
      keys.unshift({
        value: slice ? unknown('slice', this.span(keyNode)) : this.expr(keyNode, 0),
        node: keyNode,
      });
      cur = kids[0] ?? null;
    }
    if (!cur || cur.name !== 'VariableName') return undefined;
    return { name: this.text(cur), nameNode: cur, keys };
  }

  private setPath(
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
  private updateNested(
    container: Value,
    keys: { value: Value; node: SyntaxNode }[],
    fn: (old: Value | undefined) => Value | 'delete',
  ): Value {
    const [first, ...rest] = keys;
    if (!first) {
      const r = fn(container);
      return r === 'delete' ? unknown('deleted') : r;
    }
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
          : dictSet(container, first.value, r, this.span(first.node));
      }
      const inner = old ?? unknown(`missing key ${this.text(first.node)}`);
      return dictSet(
        container,
        first.value,
        this.updateNested(inner, rest, fn),
        found.found === true ? found.entry.keySpan : this.span(first.node),
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

  private bind(
    name: string,
    value: Value,
    stmt: SyntaxNode,
    target: SyntaxNode,
    kind: AssignmentEvent['kind'],
  ): void {
    this.env.set(name, { value, origin: this.origin(stmt) });
    this.record(name, [], kind, stmt, target);
  }

  private rebind(
    name: string,
    value: Value,
    stmt: SyntaxNode,
    target: SyntaxNode,
    kind: AssignmentEvent['kind'],
    keys: { value: Value }[],
  ): void {
    this.env.set(name, { value, origin: this.origin(stmt) });
    const path: string[] = [];
    for (const k of keys) {
      if (k.value.kind !== 'str') break;
      path.push(k.value.value);
    }
    this.record(name, path, kind, stmt, target);
  }

  private record(
    name: string,
    path: string[],
    kind: AssignmentEvent['kind'],
    stmt: SyntaxNode,
    target: SyntaxNode,
  ): void {
    this.events.push({
      name,
      path,
      kind,
      span: this.span(stmt),
      target: this.span(target),
      conditional: this.conditionalDepth > 0,
      role: this.options.eventRole,
    });
  }

  private updateStatement(node: SyntaxNode): void {
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

  private deleteStatement(node: SyntaxNode): void {
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

  private expressionStatement(node: SyntaxNode): void {
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

  /**
   * `exec(open(os.path.join(BASE_DIR, 'local_settings.py')).read())`, `execfile(…)`: runs the named sibling
   * module in this namespace, as Python does, when the resolver finds it. The file is named by the last `.py`
   * string literal in the call, or in the assignment of a variable the call reads (`exec(open(LOCAL).read())`).
   */
  private execSibling(call: SyntaxNode): boolean {
    const resolved = this.siblingFile(call);
    const chain = this.options.execChain ?? [this.parsed.file];
    if (resolved === undefined || chain.includes(resolved.file)) return false;
    this.dependencies.add(resolved.file);
    const result = evaluateModule(resolved, {
      ...this.options,
      initialEnv: this.env,
      onLayerImport: undefined,
      execChain: [...chain, resolved.file],
    });
    result.dependencies.forEach((d) => this.dependencies.add(d));
    this.events.push(...result.events);
    this.unresolved.push(...result.unresolvedStarImports);
    this.limit ??= result.limit;
    this.env = new Map(result.env);
    return true;
  }

  /**
   * The Python file an expression names by a bare `.py` string literal in it, or in the assignment of a
   * variable it reads (`os.path.join(BASE_DIR, 'local_settings.py')`, `LOCAL`): looked for next to this file,
   * then in its parent directory (Django's BASE_DIR is often the settings package's parent). Undefined when
   * no such file is found.
   */
  private siblingFile(expr: SyntaxNode): ParsedFile | undefined {
    let literal: string | undefined;
    const names: string[] = [];
    expr.cursor().iterate((n) => {
      if (n.name === 'String') literal = EXEC_TARGET.exec(this.text(n))?.[1] ?? literal;
      else if (n.name === 'VariableName') names.push(this.text(n));
    });
    for (const name of names) {
      if (literal !== undefined) break;
      const span = this.env.get(name)?.value.span;
      if (span?.file === this.parsed.file)
        literal = [...this.text(span).matchAll(EXEC_TARGET_IN)].pop()?.[1] ?? literal;
    }
    const module = literal?.slice(0, -'.py'.length);
    if (module === undefined || module.includes('.')) return undefined;
    for (const level of [1, 2]) {
      const resolved = this.options.resolveImport?.(module, level, this.parsed.file);
      if (resolved !== undefined && resolved !== 'layer') return resolved;
    }
    return undefined;
  }

  /**
   * `os.path.exists(…'local_settings.py')` / `os.path.isfile(…)` guarding an exec or import of a sibling:
   * true when that file is there (the reader found it). Undefined (undecided) otherwise: the path may
   * point somewhere the analyser does not look.
   */
  private siblingExists(cond: SyntaxNode): boolean | undefined {
    if (cond.name !== 'CallExpression') return undefined;
    const callee = childrenOf(cond)[0];
    if (!callee || !EXISTS_CALLS.test(this.text(callee).replace(/\s+/g, ''))) return undefined;
    return this.siblingFile(cond) !== undefined ? true : undefined;
  }

  private mutatingCall(
    path: { name: string; keys: { value: Value; node: SyntaxNode }[] },
    method: string,
    args: CallArgs,
    stmt: SyntaxNode,
    target: SyntaxNode,
  ): void {
    const base = this.env.get(path.name)?.value as Value;
    const span = this.span(stmt);
    const apply = (old: Value | undefined): Value => {
      if (!old) return unknown(`.${method}() on a missing value`, span);
      return applyMutation(old, method, args, span);
    };
    this.rebind(path.name, this.updateNested(base, path.keys, apply), stmt, target, 'mutate', path.keys);
  }

  private importStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    const isFrom = kids[0]?.name === 'from';
    const span = this.span(node);
    if (!isFrom) {
      // import a.b.c [as d], e
      let i = 1;
      while (i < kids.length) {
        const parts: string[] = [];
        let alias: SyntaxNode | undefined;
        let last: SyntaxNode | undefined;
        while (i < kids.length && kids[i]?.name !== ',') {
          const k = kids[i] as SyntaxNode;
          if (k.name === 'as') {
            alias = kids[i + 1];
            i += 2;
            continue;
          }
          if (k.name === 'VariableName') parts.push(this.text(k));
          last = k;
          i++;
        }
        i++;
        const module = parts.join('.');
        if (!module || !last) continue;
        this.imports.push({ module, level: 0, star: false, span, resolved: undefined });
        if (!ALWAYS_IMPORTABLE.has(module)) this.failingImports++;
        const local = alias ? this.text(alias) : (parts[0] as string);
        const bound = alias ? module : (parts[0] as string);
        this.bind(
          local,
          unknown(`module ${bound}`, this.span(alias ?? last), { module: bound } as Partial<UnknownValue>),
          node,
          alias ?? last,
          'import',
        );
      }
      return;
    }
    // from [.]*a.b import (x [as y], …) | *
    const importIdx = kids.findIndex((k) => k.name === 'import');
    let level = 0;
    const parts: string[] = [];
    for (const k of kids.slice(1, importIdx < 0 ? kids.length : importIdx)) {
      if (k.name === '.') {
        if (parts.length === 0) level++;
      } else if (k.name === '...' || this.text(k) === '...') level += 3;
      else if (k.name === 'VariableName') parts.push(this.text(k));
    }
    const module = parts.join('.');
    const names = importIdx < 0 ? [] : kids.slice(importIdx + 1);
    const star = names.some((k) => k.name === '*');
    // Only follow imports that can bring settings: star imports and UPPER_CASE names. Following
    // `from django.utils.translation import gettext_lazy` would only cost time.
    const wanted =
      star || names.some((k) => k.name === 'VariableName' && /^[A-Z][A-Z0-9_]*$/.test(this.text(k)));
    const resolved = wanted ? this.options.resolveImport?.(module, level, this.parsed.file) : undefined;
    const record: ImportRecord = {
      module: '.'.repeat(level) + module,
      level,
      star,
      span,
      resolved: resolved === 'layer' ? 'layer' : resolved?.file,
    };
    this.imports.push(record);
    if (resolved === 'layer') {
      if (this.options.onLayerImport) this.env = this.options.onLayerImport(this.env, span);
      return;
    }
    const evaluated = resolved ? this.evaluateImported(resolved) : undefined;
    if (wanted && !evaluated && !(level === 0 && ALWAYS_IMPORTABLE.has(module))) this.failingImports++;
    if (star) {
      if (!evaluated) {
        this.unresolved.push(record);
        return;
      }
      for (const [name, binding] of publicNames(evaluated.env)) {
        this.env.set(name, binding);
        this.record(name, [], 'import', node, node);
      }
      return;
    }
    for (let i = 0; i < names.length; i++) {
      const k = names[i] as SyntaxNode;
      if (k.name !== 'VariableName') continue;
      const original = this.text(k);
      let local = k;
      if (names[i + 1]?.name === 'as' && names[i + 2]) {
        local = names[i + 2] as SyntaxNode;
        i += 2;
      }
      const fromModule = evaluated?.env.get(original);
      const qualified = `${'.'.repeat(level)}${module}.${original}`;
      const value = fromModule
        ? fromModule.value
        : unknown(`imported from ${qualified}`, this.span(local), {
            module: `${module}.${original}`,
          } as Partial<UnknownValue>);
      this.bind(this.text(local), value, node, local, 'import');
      if (fromModule) this.env.set(this.text(local), fromModule);
    }
  }

  private evaluateImported(parsed: ParsedFile): ModuleEvaluation | undefined {
    this.dependencies.add(parsed.file);
    const cache = this.options.moduleCache;
    const cached = cache?.get(parsed.file);
    if (cached === 'in-progress') return undefined; // an import cycle: Python would see a partial module
    if (cached) {
      cached.dependencies.forEach((d) => this.dependencies.add(d));
      return cached;
    }
    cache?.set(parsed.file, 'in-progress');
    const result = evaluateModule(parsed, {
      ...this.options,
      initialEnv: undefined,
      onLayerImport: undefined,
    });
    cache?.set(parsed.file, result);
    result.dependencies.forEach((d) => this.dependencies.add(d));
    this.limit ??= result.limit;
    return result;
  }

  // ------------------------------------------------------------ control flow

  /** Runs `fn` on a copy of the environment; returns the resulting environment. */
  private branch(fn: () => void, conditional: boolean): Env {
    const saved = this.env;
    this.charge(saved.size);
    this.env = new Map(saved);
    if (conditional) this.conditionalDepth++;
    try {
      fn();
      return this.env;
    } finally {
      if (conditional) this.conditionalDepth--;
      this.env = saved;
    }
  }

  /** Merges alternative environments: names that differ become oneOf the alternatives. */
  private merge(alternatives: Env[], condition: string, stmt: SyntaxNode): Env {
    const first = alternatives[0];
    if (!first || alternatives.length === 1) return first ?? this.env;
    const names = new Set<string>();
    for (const a of alternatives) for (const n of a.keys()) names.add(n);
    this.charge(names.size * alternatives.length);
    const out: Env = new Map();
    for (const name of names) {
      const bindings = alternatives.map((a) => a.get(name));
      const b0 = bindings[0];
      if (b0 && bindings.every((b) => b === b0)) {
        out.set(name, b0);
        continue;
      }
      const options = bindings.map((b) => b?.value ?? unknown('not set on every path'));
      const changed = [...bindings].reverse().find((b) => b && b !== this.env.get(name));
      const value = oneOf(options, condition, this.span(stmt));
      out.set(name, { value, origin: changed?.origin ?? this.origin(stmt) });
    }
    return out;
  }

  private ifStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    const arms: { cond?: SyntaxNode; body: SyntaxNode }[] = [];
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i] as SyntaxNode;
      if ((k.name === 'if' || k.name === 'elif') && kids[i + 1] && kids[i + 2]?.name === 'Body') {
        arms.push({ cond: kids[i + 1] as SyntaxNode, body: kids[i + 2] as SyntaxNode });
        i += 2;
      } else if (k.name === 'else' && kids[i + 1]?.name === 'Body') {
        arms.push({ body: kids[i + 1] as SyntaxNode });
        i += 1;
      }
    }
    const alternatives: Env[] = [];
    const conditions: string[] = [];
    let exhaustive = false;
    let decided: DecidedByDefault | undefined;
    for (const arm of arms) {
      const exists = arm.cond ? this.siblingExists(arm.cond) : undefined;
      const cv = arm.cond && exists === undefined ? this.expr(arm.cond, 0) : undefined;
      const c = exists ?? (cv ? truthy(cv) : true);
      if (cv && arm === arms[0] && (arms.length === 1 || (arms.length === 2 && !arms[1]?.cond)))
        decided = decidedByDefault(cv);
      if (c === false) continue;
      if (c === true && alternatives.length === 0) {
        this.body(arm.body); // statically taken: the only path
        return;
      }
      if (arm.cond) conditions.push(this.text(arm.cond));
      alternatives.push(this.branch(() => this.body(arm.body), true));
      if (c === true) {
        exhaustive = true; // later arms are unreachable
        break;
      }
    }
    if (alternatives.length === 0) return;
    if (!exhaustive) alternatives.push(this.env); // the path on which no arm ran
    const merged = this.merge(alternatives, `if ${conditions.join(' / ')}`, node);
    const [ifEnv, elseEnv] = alternatives;
    if (decided && ifEnv && elseEnv && alternatives.length === 2 && merged !== ifEnv) {
      const [taken, other] = decided.whenUnset ? [ifEnv, elseEnv] : [elseEnv, ifEnv];
      applyDecided(merged, taken, other, decided, this.span(node), conditions[0] ?? '');
    }
    this.env = merged;
  }

  private tryStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    let tryBody: SyntaxNode | undefined;
    const handlers: SyntaxNode[] = [];
    let elseBody: SyntaxNode | undefined;
    let finallyBody: SyntaxNode | undefined;
    let mode = '';
    for (const k of kids) {
      if (['try', 'except', 'else', 'finally'].includes(k.name)) mode = k.name;
      else if (k.name === 'Body') {
        if (mode === 'try') tryBody = k;
        else if (mode === 'except') handlers.push(k);
        else if (mode === 'else') elseBody = k;
        else if (mode === 'finally') finallyBody = k;
      }
    }
    // Only an import can fail in a way the handlers model (failingImports): without one, the body runs on the
    // environment itself. Copying the environment for every try block dominated typing in large files.
    if (handlers.length === 0 || !(containsImport(tryBody) || containsImport(elseBody))) {
      this.body(tryBody);
      this.body(elseBody);
      this.body(finallyBody);
      return;
    }
    const savedFailing = this.failingImports;
    this.failingImports = 0;
    const after = this.branch(() => {
      this.body(tryBody);
      this.body(elseBody);
    }, false);
    const mayFail = this.failingImports > 0;
    this.failingImports = savedFailing;
    if (!mayFail || handlers.length === 0) {
      this.env = after;
    } else {
      const alternatives = [after, ...handlers.map((h) => this.branch(() => this.body(h), true))];
      this.env = this.merge(alternatives, 'whether an import succeeds', node);
    }
    this.body(finallyBody);
  }

  private withStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    for (let i = 0; i < kids.length; i++) {
      if (kids[i]?.name === 'as' && kids[i + 1]?.name === 'VariableName') {
        const n = kids[i + 1] as SyntaxNode;
        this.bind(this.text(n), unknown('context manager value', this.span(n)), node, n, 'assign');
      }
    }
    this.body(kids.find((k) => k.name === 'Body'));
  }

  private loopStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    const bodies = kids.filter((k) => k.name === 'Body');
    const before = this.env;
    const after = this.branch(() => {
      for (const b of bodies) this.body(b);
    }, true);
    this.charge(before.size + after.size);
    const out: Env = new Map(before);
    for (const [name, binding] of after) {
      if (before.get(name) !== binding) {
        out.set(name, { value: unknown('changed in a loop', binding.value.span), origin: binding.origin });
      }
    }
    for (const name of before.keys())
      if (!after.has(name))
        out.set(name, { value: unknown('may be deleted in a loop'), origin: this.origin(node) });
    // The loop variable itself.
    if (node.name === 'ForStatement') {
      const inIdx = kids.findIndex((k) => k.name === 'in');
      for (const t of kids.slice(1, inIdx < 0 ? 1 : inIdx)) {
        if (t.name === 'VariableName')
          out.set(this.text(t), { value: unknown('loop variable', this.span(t)), origin: this.origin(node) });
      }
    }
    this.env = out;
  }

  // ------------------------------------------------------------- expressions

  expr(node: SyntaxNode, depth: number): Value {
    const span = this.span(node);
    if (depth > MAX_EXPRESSION_DEPTH) {
      this.limit ??= { reason: `expression nested deeper than ${MAX_EXPRESSION_DEPTH}`, at: span };
      return unknown('expression too deeply nested', span);
    }
    if (!this.spend(node)) return unknown('work limit reached', span);
    const d = depth + 1;
    switch (node.name) {
      case 'String':
      case 'FormatString':
      case 'ContinuedString':
        return this.stringValue(node, d);
      case 'Number':
        return numberValue(this.text(node), span);
      case 'Boolean':
        return { kind: 'bool', value: this.text(node) === 'True', span };
      case 'None':
        return { kind: 'none', span };
      case 'VariableName':
        return this.lookup(this.text(node), span);
      case 'ParenthesizedExpression': {
        const inner = childrenOf(node).filter((c) => c.name !== '(' && c.name !== ')');
        return inner.length === 1
          ? withSpan(this.expr(inner[0] as SyntaxNode, d), span)
          : unknown('expression', span);
      }
      case 'ArrayExpression':
      case 'TupleExpression':
        return this.sequence(node, node.name === 'ArrayExpression' ? 'list' : 'tuple', d);
      case 'DictionaryExpression':
        return this.dict(node, d);
      case 'MemberExpression':
        return this.member(node, d);
      case 'CallExpression':
        return this.call(node, d);
      case 'BinaryExpression':
        return this.binary(node, d);
      case 'UnaryExpression':
        return this.unary(node, d);
      case 'ConditionalExpression': {
        const [a, , c, , b] = childrenOf(node);
        if (!a || !c || !b) return unknown('expression', span);
        const t = truthy(this.expr(c, d));
        if (t === true) return this.expr(a, d);
        if (t === false) return this.expr(b, d);
        return oneOf([this.expr(a, d), this.expr(b, d)], this.text(c), span);
      }
      default:
        return unknown(describeNode(node.name), span);
    }
  }

  private lookup(name: string, span: Span): Value {
    if (name.includes(TEMPLATE_MASK)) return unknown('template expression', span);
    const b = this.env.get(name);
    if (b) return b.value;
    if (name === '__file__' || name === '__name__') return unknown(name, span);
    // Builtin types passed as values (`config('X', cast=int)`): named so calls receiving them can tell.
    if (CAST_BUILTINS.has(name)) return unknown(`builtin ${name}`, span, { module: `builtins.${name}` });
    const from = this.unresolved[this.unresolved.length - 1];
    return unknown(from ? `'${name}' may come from ${from.module}` : `'${name}' is not defined here`, span);
  }

  private stringValue(node: SyntaxNode, depth: number): Value {
    const span = this.span(node);
    if (node.name === 'ContinuedString') {
      const parts = childrenOf(node).map((c) => this.stringValue(c, depth));
      return withSpan(concatParts(parts, span), span);
    }
    const token = this.text(node);
    if (node.name === 'String') {
      const decoded = decodeStringToken(token);
      if (!decoded) return unknown('unterminated string', span);
      if (decoded.value.includes(TEMPLATE_MASK)) return templatedString(decoded.value, span);
      return { kind: 'str', value: decoded.value, span };
    }
    // f-string: literal segments between replacement fields, `{{`/`}}` unescaped.
    const t = splitStringToken(token);
    if (!t) return unknown('unterminated f-string', span);
    const parts: Value[] = [];
    let pos = node.from + t.bodyStart;
    const end = node.from + t.bodyEnd;
    const literal = (from: number, to: number): void => {
      if (to > from) {
        const raw = this.parsed.source.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        parts.push({ kind: 'str', value: decodeEscapes(raw, t.raw, false) });
      }
    };
    for (const rep of childrenOf(node)) {
      if (rep.name !== 'FormatReplacement') continue;
      literal(pos, rep.from);
      parts.push(this.replacementField(rep, depth));
      pos = rep.to;
    }
    literal(pos, end);
    return withSpan(concatParts(parts, span), span);
  }

  private replacementField(rep: SyntaxNode, depth: number): Value {
    const kids = childrenOf(rep).filter((k) => k.name !== '{' && k.name !== '}');
    const expr = kids[0];
    if (!expr || kids.some((k) => k.name === 'FormatSpec' || k.name === 'FormatConversion'))
      return unknown('formatted field', this.span(rep));
    const v = this.expr(expr, depth);
    return (
      pyStr(v) ??
      unknown(
        v.kind === 'unknown' ? v.reason : 'formatted field',
        this.span(rep),
        v.kind === 'unknown'
          ? { envVar: v.envVar, default: v.default ? (pyStr(v.default) ?? undefined) : undefined }
          : {},
      )
    );
  }

  private sequence(node: SyntaxNode, kind: 'list' | 'tuple', depth: number): Value {
    const items: Value[] = [];
    let open = false;
    for (const c of childrenOf(node)) {
      if (['[', ']', '(', ')', ','].includes(c.name)) continue;
      if (c.name === '*') continue;
      const v = this.expr(c, depth);
      const prev = c.prevSibling;
      if (prev && prev.name === '*') {
        if ((v.kind === 'list' || v.kind === 'tuple') && !v.open) items.push(...v.items);
        else open = true;
        continue;
      }
      items.push(v);
    }
    return { kind, items, open: open || undefined, span: this.span(node) };
  }

  private dict(node: SyntaxNode, depth: number): Value {
    // Built in one array with an index of string keys: a literal with k entries costs O(k), not O(k²).
    const entries: DictEntry[] = [];
    const index = new Map<string, number>();
    let open = false;
    const put = (key: Value, value: Value, keySpan: Span | undefined): void => {
      if (key.kind === 'str') {
        const at = index.get(key.value);
        if (at !== undefined) {
          const old = entries[at] as DictEntry;
          entries[at] = { key: old.key, value, keySpan: old.keySpan };
          return;
        }
        index.set(key.value, entries.length);
      } else if (key.kind === 'unknown' || key.kind === 'oneOf') open = true;
      entries.push({ key, value, keySpan });
    };
    const kids = childrenOf(node).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',');
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i] as SyntaxNode;
      if (k.name === '**') {
        const spread = kids[i + 1];
        i++;
        if (!spread) continue;
        const v = this.expr(spread, depth);
        if (v.kind === 'dict') {
          for (const e of v.entries) put(e.key, e.value, e.keySpan);
          if (v.open) open = true;
        } else open = true;
        continue;
      }
      if (kids[i + 1]?.name === ':' && kids[i + 2]) {
        const key = this.expr(k, depth);
        const value = this.expr(kids[i + 2] as SyntaxNode, depth);
        put(key, value, this.span(k));
        i += 2;
      }
    }
    return { kind: 'dict', entries, open: open || undefined, span: this.span(node) };
  }

  private member(node: SyntaxNode, depth: number): Value {
    const kids = childrenOf(node);
    const span = this.span(node);
    const obj = kids[0];
    if (!obj) return unknown('expression', span);
    if (kids.some((k) => k.name === '[')) {
      const keyNode = kids.find((k, i) => i > 0 && k.name !== '[' && k.name !== ']');
      const container = this.expr(obj, depth);
      const isSlice = kids.some((k) => k.name === ':') || keyNode?.name === 'SliceExpression';
      const key = keyNode && !isSlice ? this.expr(keyNode, depth) : unknown('slice');
      return subscript(container, key, span);
    }
    const prop = kids[kids.length - 1];
    const base = this.expr(obj, depth);
    if (base.kind === 'unknown' && base.module && prop) {
      return unknown(`${base.module}.${this.text(prop)}`, span, {
        module: `${base.module}.${this.text(prop)}`,
      });
    }
    return unknown(`attribute ${prop ? this.text(prop) : ''}`, span);
  }

  args(argList: SyntaxNode, depth: number): CallArgs {
    const positional: Value[] = [];
    const keywords = new Map<string, Value>();
    let open = false;
    const kids = childrenOf(argList).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',');
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i] as SyntaxNode;
      if (k.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp' && kids[i + 2]) {
        keywords.set(this.text(k), this.expr(kids[i + 2] as SyntaxNode, depth));
        i += 2;
      } else if (k.name === '*' || k.name === '**') {
        const v = kids[i + 1] ? this.expr(kids[i + 1] as SyntaxNode, depth) : undefined;
        i++;
        if (k.name === '**' && v?.kind === 'dict' && !v.open) {
          for (const e of v.entries) if (e.key.kind === 'str') keywords.set(e.key.value, e.value);
        } else if (k.name === '*' && (v?.kind === 'list' || v?.kind === 'tuple') && !v.open)
          positional.push(...v.items);
        else open = true;
      } else {
        positional.push(this.expr(k, depth));
      }
    }
    return { positional, keywords, open };
  }

  private call(node: SyntaxNode, depth: number): Value {
    const span = this.span(node);
    const [callee, argList] = childrenOf(node);
    if (!callee || !argList) return unknown('call', span);
    const args = this.args(argList, depth);
    if (callee.name === 'MemberExpression' && !childrenOf(callee).some((k) => k.name === '[')) {
      const kids = childrenOf(callee);
      const recvNode = kids[0];
      const methodNode = kids[kids.length - 1];
      if (recvNode && methodNode) {
        const recv = this.expr(recvNode, depth);
        const method = this.text(methodNode);
        if (recv.kind === 'unknown' && recv.module)
          return this.unknownCallEffects(argList, callQualified(`${recv.module}.${method}`, args, span));
        return callMethod(recv, method, args, span);
      }
    }
    if (callee.name === 'VariableName') {
      const name = this.text(callee);
      const bound = this.env.get(name);
      if (bound) {
        const v = bound.value;
        if (v.kind === 'unknown' && v.module)
          return this.unknownCallEffects(argList, callQualified(v.module, args, span));
        return this.unknownCallEffects(argList, unknown(`call to ${name}()`, span));
      }
      return callBuiltin(name, args, span);
    }
    return this.unknownCallEffects(argList, unknown('call', span));
  }

  /**
   * A function we cannot see may mutate the lists and dicts passed to it by name (Horizon's
   * `update_dashboards(..., INSTALLED_APPS)` appends apps): those become open, so no rule trusts their
   * completeness afterwards.
   */
  private unknownCallEffects(argList: SyntaxNode, result: Value): Value {
    if (result.kind !== 'unknown' || (result.module && !result.reason.startsWith('call to'))) return result;
    for (const a of childrenOf(argList)) {
      if (a.name !== 'VariableName') continue;
      const name = this.text(a);
      const b = this.env.get(name);
      if (b && (b.value.kind === 'list' || b.value.kind === 'dict') && !b.value.open) {
        this.env.set(name, { value: { ...b.value, open: true }, origin: b.origin });
      }
    }
    return result;
  }

  private binary(node: SyntaxNode, depth: number): Value {
    const kids = childrenOf(node);
    const left = kids[0];
    const right = kids[kids.length - 1];
    if (!left || !right || kids.length < 3) return unknown('expression', this.span(node));
    const op = kids
      .slice(1, -1)
      .map((k) => this.text(k))
      .join(' ');
    const l = this.expr(left, depth);
    if (op === 'and' || op === 'or') {
      const t = truthy(l);
      if (t === undefined) {
        const r = this.expr(right, depth);
        return oneOf([l, r], this.text(left), this.span(node));
      }
      if ((op === 'and' && !t) || (op === 'or' && t)) return l;
      return this.expr(right, depth);
    }
    return withSpan(binaryOp(op, l, this.expr(right, depth)), this.span(node));
  }

  private unary(node: SyntaxNode, depth: number): Value {
    const kids = childrenOf(node);
    const op = kids[0] ? this.text(kids[0]) : '';
    const operand = kids[1] ? this.expr(kids[1], depth) : unknown('expression');
    const span = this.span(node);
    if (op === 'not') {
      const t = truthy(operand);
      return t === undefined ? unknown('not of an unknown value', span) : { kind: 'bool', value: !t, span };
    }
    if ((op === '-' || op === '+') && (operand.kind === 'int' || operand.kind === 'float')) {
      return { kind: operand.kind, value: op === '-' ? -operand.value : operand.value, span };
    }
    return unknown(`${op} expression`, span);
  }
}

const CAST_BUILTINS = new Set(['int', 'float', 'bool', 'str', 'list', 'tuple', 'dict']);

function describeNode(name: string): string {
  switch (name) {
    case 'ArrayComprehensionExpression':
    case 'DictionaryComprehensionExpression':
    case 'SetComprehensionExpression':
    case 'ComprehensionExpression':
      return 'comprehension';
    case 'LambdaExpression':
      return 'lambda';
    case 'SetExpression':
      return 'set';
    default:
      return name.replace(/Expression$/, ' expression').toLowerCase();
  }
}

function templatedString(value: string, span: Span): Value {
  const parts: (string | null)[] = [];
  for (const piece of value.split(new RegExp(`${TEMPLATE_MASK}+`))) {
    if (parts.length > 0) parts.push(null);
    if (piece) parts.push(piece);
  }
  return unknown('template expression', span, { parts });
}

export function numberValue(text: string, span: Span): Value {
  const t = text.replace(/_/g, '').toLowerCase();
  if (/j$/.test(t)) return unknown('complex number', span);
  if (/^0x[0-9a-f]+$/.test(t)) return { kind: 'int', value: parseInt(t.slice(2), 16), span };
  if (/^0o[0-7]+$/.test(t)) return { kind: 'int', value: parseInt(t.slice(2), 8), span };
  if (/^0b[01]+$/.test(t)) return { kind: 'int', value: parseInt(t.slice(2), 2), span };
  if (/^\d+l?$/.test(t)) return { kind: 'int', value: parseInt(t, 10), span };
  const f = Number(t);
  return Number.isFinite(f) ? { kind: 'float', value: f, span } : unknown('number', span);
}

export function subscript(container: Value, key: Value, span: Span): Value {
  if (container.kind === 'unknown') {
    if (container.module === 'os.environ' && key.kind === 'str') {
      return unknown(`environment variable ${key.value}`, span, { envVar: key.value, whenSet: 'str' });
    }
    return unknown(container.reason, span);
  }
  if (container.kind === 'dict') {
    const found = dictLookup(container, key);
    if (found.found === true) return found.entry.value;
    return unknown(found.found === 'maybe' ? 'key may be set elsewhere' : 'missing key', span);
  }
  if (
    (container.kind === 'list' || container.kind === 'tuple' || container.kind === 'str') &&
    key.kind === 'int'
  ) {
    const len = container.kind === 'str' ? container.value.length : container.items.length;
    const idx = key.value < 0 ? len + key.value : key.value;
    if (container.kind === 'str')
      return idx >= 0 && idx < len
        ? { kind: 'str', value: container.value[idx] as string, span }
        : unknown('index out of range', span);
    if (!container.open && idx >= 0 && idx < len) return container.items[idx] as Value;
  }
  if (container.kind === 'oneOf')
    return oneOf(
      container.options.map((o) => subscript(o, key, span)),
      container.condition,
      span,
    );
  return unknown('subscript', span);
}

/** The effect of a mutating method call on a value (dict.update/setdefault/pop/clear, list.append/extend/…). */
function applyMutation(old: Value, method: string, args: CallArgs, span: Span): Value {
  if (old.kind === 'dict') {
    switch (method) {
      case 'update': {
        let d: DictValue = old;
        const src = args.positional[0];
        if (src) {
          if (src.kind === 'dict') {
            for (const e of src.entries) d = dictSet(d, e.key, e.value, e.keySpan);
            if (src.open) d = { ...d, open: true };
          } else d = { ...d, open: true };
        }
        for (const [k, v] of args.keywords) d = dictSet(d, { kind: 'str', value: k }, v);
        if (args.open) d = { ...d, open: true };
        return d;
      }
      case 'setdefault': {
        const [key, value] = args.positional;
        if (!key) return old;
        const found = dictLookup(old, key);
        if (found.found === true) return old;
        const v = value ?? { kind: 'none', span };
        return found.found === 'maybe'
          ? dictSet(old, key, oneOf([v, unknown('may be set elsewhere')], 'setdefault'), key.span)
          : dictSet(old, key, v, key.span);
      }
      case 'pop': {
        const key = args.positional[0];
        return key ? dictDelete(old, key) : old;
      }
      case 'clear':
        return { ...old, entries: [], open: false };
      default:
        return unknown(`.${method}() on a dict`, span);
    }
  }
  if (old.kind === 'list') {
    switch (method) {
      case 'append':
        return args.positional[0] ? { ...old, items: [...old.items, args.positional[0]] } : old;
      case 'extend': {
        const src = args.positional[0];
        if (src && (src.kind === 'list' || src.kind === 'tuple') && !src.open)
          return { ...old, items: [...old.items, ...src.items] };
        return { ...old, open: true };
      }
      case 'insert': {
        const [idx, v] = args.positional;
        if (idx?.kind !== 'int' || !v) return { ...old, open: true };
        const items = [...old.items];
        items.splice(idx.value < 0 ? Math.max(0, items.length + idx.value) : idx.value, 0, v);
        return { ...old, items };
      }
      case 'remove': {
        const v = args.positional[0];
        if (!v) return old;
        const i = old.items.findIndex((x) => sameValueLoose(x, v));
        if (i < 0) return old.open ? old : old;
        const items = [...old.items];
        items.splice(i, 1);
        return { ...old, items };
      }
      case 'clear':
        return { ...old, items: [], open: false };
      default:
        return unknown(`.${method}() on a list`, span);
    }
  }
  if (old.kind === 'unknown') return old;
  return unknown(`.${method}() on ${old.kind}`, span);
}

function sameValueLoose(a: Value, b: Value): boolean {
  return sameValue({ ...a, span: undefined }, { ...b, span: undefined });
}

/** Public names a star import copies: `__all__` when it is a known list of strings, else names without `_`. */
function publicNames(env: Env): [string, Binding][] {
  const all = env.get('__all__')?.value;
  if (
    all &&
    (all.kind === 'list' || all.kind === 'tuple') &&
    !all.open &&
    all.items.every((i) => i.kind === 'str')
  ) {
    const names = new Set(all.items.map((i) => (i.kind === 'str' ? i.value : '')));
    return [...env].filter(([n]) => names.has(n));
  }
  return [...env].filter(([n]) => !n.startsWith('_'));
}

/** Whether a statement subtree holds an import statement (the only thing a try block's handlers catch here). */
function containsImport(node: SyntaxNode | undefined): boolean {
  if (!node) return false;
  let found = false;
  node.cursor().iterate((n) => {
    if (found) return false;
    if (n.name === 'ImportStatement') found = true;
    return !found;
  });
  return found;
}

/** A namespace shared with other modules that remembers which names this module set or deleted. */
class RecordingEnv extends Map<string, Binding> {
  readonly touched = new Set<string>();

  constructor(readonly target: Env) {
    super();
  }

  override get(name: string): Binding | undefined {
    return this.target.get(name);
  }

  override has(name: string): boolean {
    return this.target.has(name);
  }

  override set(name: string, binding: Binding): this {
    this.touched.add(name);
    this.target.set(name, binding);
    return this;
  }

  override delete(name: string): boolean {
    this.touched.add(name);
    return this.target.delete(name);
  }

  override clear(): void {
    for (const name of this.target.keys()) this.touched.add(name);
    this.target.clear();
  }

  override get size(): number {
    return this.target.size;
  }

  override keys(): MapIterator<string> {
    return this.target.keys();
  }

  override values(): MapIterator<Binding> {
    return this.target.values();
  }

  override entries(): MapIterator<[string, Binding]> {
    return this.target.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Binding]> {
    return this.target.entries();
  }

  override forEach(
    fn: (value: Binding, key: string, map: Map<string, Binding>) => void,
    thisArg?: unknown,
  ): void {
    this.target.forEach((v, k) => fn.call(thisArg, v, k, this));
  }
}

/**
 * For a shared namespace: the namespace after the module, and the names the module changed. When a branch
 * replaced the recording map by a merged copy, the names that differ from the recording map count too.
 */
function sharedResult(shared: RecordingEnv, final: Env): { namespace: Env; own: Env } {
  const own: Env = new Map();
  const changed = new Set(shared.touched);
  if (final !== shared) {
    for (const [name, b] of final) if (shared.get(name) !== b) changed.add(name);
    for (const name of shared.keys()) if (!final.has(name)) changed.add(name);
  }
  for (const name of changed) {
    const b = final.get(name);
    if (b) own.set(name, b);
  }
  return { namespace: final === shared ? shared.target : final, own };
}

/** Evaluates one module. Never throws: an internal failure yields an empty result with a limit note. */
export function evaluateModule(parsed: ParsedFile, options: EvaluateOptions = {}): ModuleEvaluation {
  const ev = new Evaluator(parsed, options);
  try {
    ev.run();
  } catch (e) {
    // A bug must not take the editor down; report it as an analysis limit on the file.
    ev.limit ??= {
      reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
      at: { file: parsed.file, from: 0, to: 0 },
    };
  }
  const shared = ev.shared ? sharedResult(ev.shared, ev.env) : undefined;
  return {
    file: parsed.file,
    env: shared ? shared.own : ev.env,
    namespace: shared?.namespace,
    events: ev.events,
    imports: ev.imports,
    unresolvedStarImports: ev.unresolved,
    limit:
      ev.limit ??
      (parsed.limit
        ? {
            reason: parsed.limit.reason,
            at: { file: parsed.file, from: parsed.limit.at, to: parsed.limit.at },
          }
        : undefined),
    dependencies: [...ev.dependencies],
  };
}

export type { DictEntry };
