/**
 * Control flow: `if`/`elif`/`else` (decided statically, by an environment lookup's default, or merged into
 * oneOf values), `try`/`except` around imports that may fail, `with`, and loops (what a loop changes becomes
 * unknown). Branches run on a copy of the environment, charged to the work budget.
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf } from '../python/parse';
import { applyDecided, decidedByDefault, type DecidedByDefault } from './env-branches';
import { ImportEvaluator } from './imports';
import { copyBinding, copyEnv, LazyEnv, rawBinding } from './environment';
import type { Env } from './model';
import { oneOf, truthy, unknown } from './values';

export abstract class ControlFlowEvaluator extends ImportEvaluator {
  /** Runs a block's statements (statements.ts). */
  protected abstract body(node: SyntaxNode | undefined): void;

  /** Runs `fn` on a copy of the environment; returns the resulting environment. */
  protected branch(fn: () => void, conditional: boolean): Env {
    const saved = this.env;
    this.charge(saved.size);
    // Unread replayed names stay unread in the copy (environment.ts LazyEnv).
    this.env = copyEnv(saved);
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
  protected merge(alternatives: Env[], condition: string, stmt: SyntaxNode): Env {
    const first = alternatives[0];
    if (!first || alternatives.length === 1) return first ?? this.env;
    const names = new Set<string>();
    for (const a of alternatives) for (const n of a.keys()) names.add(n);
    this.charge(names.size * alternatives.length);
    const out = new LazyEnv();
    for (const name of names) {
      // A name no arm changed is the same binding, or the same unread replayed one, in every alternative.
      const raw = rawBinding(first, name);
      if (raw && alternatives.every((a) => rawBinding(a, name) === raw)) {
        copyBinding(out, name, first);
        continue;
      }
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

  protected ifStatement(node: SyntaxNode): void {
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
    // Per alternative: how the arm's condition goes in the default world — every environment variable unset,
    // every guarded file as the project has it on disk (true/false with what decides it, or undefined when
    // undecidable); the no-arm path is taken when reached.
    const byDefault: (DecidedByDefault | 'taken' | undefined)[] = [];
    let exhaustive = false;
    let undecidedBefore = false;
    for (const arm of arms) {
      const guard = arm.cond ? this.existenceGuard(arm.cond) : undefined;
      const cv = arm.cond && guard === undefined ? this.expr(arm.cond, 0) : undefined;
      // A file the project has decides its guard, as real Django loading the project does; an absent one only by
      // default — a deployment may add it (a local_settings.py kept out of version control).
      const c = guard ? (guard.present ? guard.truth : undefined) : cv ? truthy(cv) : true;
      if (c === false) continue;
      if (c === true && alternatives.length === 0) {
        this.body(arm.body); // statically taken: the only path
        return;
      }
      if (arm.cond) conditions.push(this.text(arm.cond));
      const d: DecidedByDefault | 'taken' | undefined =
        c === true
          ? 'taken'
          : guard
            ? { defaultWhen: `${guard.file} is absent`, whenUnset: guard.truth }
            : cv
              ? decidedByDefault(cv)
              : undefined;
      if (d === undefined) undecidedBefore = true;
      byDefault.push(undecidedBefore ? undefined : d);
      alternatives.push(this.branch(() => this.body(arm.body), true));
      if (c === true) {
        exhaustive = true; // later arms are unreachable
        break;
      }
    }
    if (alternatives.length === 0) return;
    if (!exhaustive) {
      alternatives.push(this.env); // the path on which no arm ran
      byDefault.push(undecidedBefore ? undefined : 'taken');
    }
    const merged = this.merge(alternatives, `if ${conditions.join(' / ')}`, node);
    // if/elif/else decided by environment defaults: the arm the defaults take is what the settings are "if the
    // variables are unset"; the other arms stay as the alternatives.
    const taken = byDefault.findIndex((d) => d === 'taken' || (d !== undefined && d.whenUnset));
    const deciding = byDefault.find((d): d is DecidedByDefault => d !== undefined && d !== 'taken');
    const takenEnv = alternatives[taken];
    if (taken >= 0 && deciding && takenEnv && byDefault[taken] !== undefined && merged !== takenEnv) {
      const d = byDefault[taken];
      const decider = d !== undefined && d !== 'taken' ? d : deciding;
      const others = alternatives.filter((_, i) => i !== taken);
      applyDecided(merged, takenEnv, others, decider, this.span(node), `if ${conditions.join(' / ')}`);
    }
    this.env = merged;
  }

  protected tryStatement(node: SyntaxNode): void {
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
    if (
      handlers.length === 0 ||
      !(containsImport(tryBody, this.parsed.source) || containsImport(elseBody, this.parsed.source))
    ) {
      this.body(tryBody);
      this.body(elseBody);
      this.body(finallyBody);
      return;
    }
    const savedFailing = this.failingImports;
    const savedGuarded = this.guardedImports;
    this.failingImports = 0;
    this.guardedImports = [];
    const after = this.branch(() => {
      this.body(tryBody);
      this.body(elseBody);
    }, false);
    const failing = this.failingImports;
    const guarded = this.guardedImports;
    this.failingImports = savedFailing;
    this.guardedImports = savedGuarded;
    const absent = guarded.filter((g) => !g.present);
    // `try: from .local import * except ImportError: pass` where every import that may fail is a settings module
    // the project does not have: the handler's result "if local.py is absent", the try body's kept as the other
    // possibility (a deployment may add the module). A module the project has simply succeeds; other imports
    // (a library) leave both paths open.
    if (handlers.length === 1 && failing > 0 && failing === absent.length) {
      const handlerEnv = this.branch(() => this.body(handlers[0]), true);
      const files = [...new Set(absent.map((g) => g.file))];
      const defaultWhen = `${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} absent`;
      for (const g of absent) g.record.guardedBy = defaultWhen;
      const merged = this.merge([after, handlerEnv], 'whether an import succeeds', node);
      const span = absent[0]?.record.span;
      const statement = span && span.file === this.parsed.file ? this.text(span) : 'import';
      applyDecided(merged, handlerEnv, [after], { defaultWhen }, this.span(node), `try: ${statement}`);
      this.env = merged;
    } else if (failing === 0 || handlers.length === 0) {
      this.env = after;
    } else {
      const alternatives = [after, ...handlers.map((h) => this.branch(() => this.body(h), true))];
      this.env = this.merge(alternatives, 'whether an import succeeds', node);
    }
    this.body(finallyBody);
  }

  protected withStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    for (let i = 0; i < kids.length; i++) {
      if (kids[i]?.name === 'as' && kids[i + 1]?.name === 'VariableName') {
        const n = kids[i + 1] as SyntaxNode;
        this.bind(this.text(n), unknown('context manager value', this.span(n)), node, n, 'assign');
      }
    }
    this.body(kids.find((k) => k.name === 'Body'));
  }

  protected loopStatement(node: SyntaxNode): void {
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
}

/**
 * Whether a statement subtree holds an import statement (the only thing a try block's handlers catch here).
 * Every import statement has the word `import` in its text: a body without it is answered by one string search
 * (walking the subtree with a cursor cost a fresh CLI run ~5% of its evaluation).
 */
function containsImport(node: SyntaxNode | undefined, source: string): boolean {
  if (!node) return false;
  if (!source.slice(node.from, node.to).includes('import')) return false;
  let found = false;
  node.cursor().iterate((n) => {
    if (found) return false;
    if (n.name === 'ImportStatement') found = true;
    return !found;
  });
  return found;
}
