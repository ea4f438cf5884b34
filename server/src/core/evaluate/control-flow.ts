/**
 * Control flow: `if`/`elif`/`else` (decided statically, by an environment lookup's default, or merged into
 * oneOf values), `try`/`except` around imports that may fail, `with`, and loops (what a loop changes becomes
 * unknown). Branches run on what they change over the environment (`BranchEnv`), charged to the work budget.
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf } from '../python/parse';
import { applyDecided, decidedByDefault, type DecidedByDefault } from './env-branches';
import { ImportEvaluator } from './imports';
import { JournalEnv } from './checkpoints';
import { BranchEnv, copyBinding, copyEnv, LazyEnv, rawBinding } from './environment';
import type { Binding, Env } from './model';
import { Lazy } from './replay';
import { oneOf, truthy, unknown } from './values';

/**
 * For tests: `copies` runs branches on copies of the namespace, merged name by name (how they ran before
 * `BranchEnv`), so that a test can check both give the same namespaces, in the same order, and events.
 */
export const branchMode = { copies: false };

export abstract class ControlFlowEvaluator extends ImportEvaluator {
  /** Runs a block's statements (statements.ts). */
  protected abstract body(node: SyntaxNode | undefined): void;

  /**
   * Runs `fn` on a branch of the environment (`BranchEnv`: what it changes, over the environment, which stays as
   * it was); returns the resulting environment, for `merge`, `commit` or the loop's comparison.
   */
  protected branch(fn: () => void, conditional: boolean): Env {
    const saved = this.env;
    if (branchMode.copies) {
      this.charge(saved.size);
      this.env = copyEnv(saved);
    } else {
      this.charge(1);
      this.env = new BranchEnv(saved);
    }
    if (conditional) this.conditionalDepth++;
    try {
      fn();
      return this.env;
    } finally {
      if (conditional) this.conditionalDepth--;
      this.env = saved;
    }
  }

  /** Whether `env` is a branch of the current environment that nothing replaced (an exec'd sibling may). */
  private ownBranch(env: Env): env is BranchEnv {
    return env instanceof BranchEnv && env.parent === this.env;
  }

  /** The environment as `after`, a branch of it, left it: its changes written into the environment. */
  protected commit(after: Env): void {
    if (!this.ownBranch(after)) {
      this.env = after;
      return;
    }
    const env = this.env;
    this.charge(after.ownSize + after.removed.size + 1);
    // As a copy changed by the branch: a deleted name set again comes at the end.
    for (const name of after.removed) env.delete(name);
    for (const name of after.ownKeys()) env.set(name, after.own(name) as Binding);
  }

  /**
   * Merges alternative environments: names that differ become oneOf the alternatives. `decide` may rewrite the
   * merged bindings (`applyDecided`) while the alternatives are still as the arms left them. When every
   * alternative is the environment or a branch of it, only the names an arm changed are merged, into the
   * environment itself; otherwise (an arm replaced the environment) every name, into a new one.
   */
  protected merge(
    alternatives: Env[],
    condition: string,
    stmt: SyntaxNode,
    decide?: (merged: Map<string, Binding>) => void,
  ): Env {
    const first = alternatives[0];
    if (!first || alternatives.length === 1) {
      if (first && this.ownBranch(first)) {
        this.commit(first);
        return this.env;
      }
      return first ?? this.env;
    }
    if (alternatives.every((a) => a === this.env || this.ownBranch(a))) {
      this.mergeChanged(alternatives, condition, stmt, decide);
      return this.env;
    }
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
      out.set(name, this.mergedBinding(alternatives, name, condition, stmt));
    }
    decide?.(out);
    return out;
  }

  /** The merge of `name` over alternatives that do not all hold the same binding. */
  private mergedBinding(alternatives: Env[], name: string, condition: string, stmt: SyntaxNode): Binding {
    const bindings = alternatives.map((a) => a.get(name));
    const b0 = bindings[0];
    if (b0 && bindings.every((b) => b === b0)) return b0;
    const options = bindings.map((b) => b?.value ?? unknown('not set on every path'));
    const changed = [...bindings].reverse().find((b) => b && b !== this.env.get(name));
    const value = oneOf(options, condition, this.span(stmt));
    return { value, origin: changed?.origin ?? this.origin(stmt) };
  }

  /**
   * `merge` of the environment and branches of it, in place: only the names some arm set or deleted, and in the
   * order a merge of copies gives (the environment's, then the names the arms added or deleted and set again,
   * in the order the alternatives meet them).
   */
  private mergeChanged(
    alternatives: Env[],
    condition: string,
    stmt: SyntaxNode,
    decide: ((merged: Map<string, Binding>) => void) | undefined,
  ): void {
    const env = this.env;
    const first = alternatives[0] as Env;
    const names = new Set<string>();
    for (const a of alternatives)
      if (a instanceof BranchEnv) {
        for (const n of a.ownKeys()) names.add(n);
        for (const n of a.removed) names.add(n);
      }
    this.charge(names.size * alternatives.length + 1);
    // Each name's merge, from the alternatives as the arms left them (undefined: set on no path).
    const merged = new Map<string, Binding>();
    const same = new Map<string, Binding | Lazy>();
    for (const name of names) {
      env.has(name); // what the merge gives depends on the environment's binding: a journal records the read
      const raw = rawBinding(first, name);
      if (raw && alternatives.every((a) => rawBinding(a, name) === raw)) same.set(name, raw);
      else if (alternatives.some((a) => a.has(name)))
        merged.set(name, this.mergedBinding(alternatives, name, condition, stmt));
    }
    decide?.(merged);
    const tail = mergeTail(alternatives, env, names);
    for (const name of names) {
      if (!tail.has(name) && rawBinding(env, name) !== undefined && !same.has(name) && !merged.has(name))
        env.delete(name);
    }
    for (const name of tail) if (rawBinding(env, name) !== undefined) env.delete(name);
    const put = (name: string): void => {
      const m = merged.get(name);
      if (m) {
        env.set(name, m);
        return;
      }
      const raw = same.get(name);
      if (raw === undefined || rawBinding(env, name) === raw) return;
      if (raw instanceof Lazy && env instanceof LazyEnv) env.setLazy(name, raw);
      else env.set(name, raw instanceof Lazy ? raw.binding() : raw);
    };
    for (const name of names) if (!tail.has(name)) put(name);
    for (const name of tail) put(name);
  }

  /**
   * What decided a top-level `if` just evaluated while its statement's reads were collected (statements.ts
   * `tracked`): `ifOutcome`'s key, and the names its conditions read (in reading order, repeats kept); undefined
   * when a condition is a file's existence or the `if` was not such a statement.
   */
  protected ifDecision: { readonly outcome: string; readonly condReads: readonly string[] } | undefined;

  /** An `if`'s arms: each condition (none for `else`) and body. */
  private ifArms(node: SyntaxNode): { cond?: SyntaxNode; body: SyntaxNode }[] {
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
    return arms;
  }

  /**
   * How one arm's condition goes: `c` true/false/undefined (undecidable), `d` how it goes in the default world
   * (see ifStatement), and its part of the `if`'s outcome key (undefined for a file's existence, which reads
   * the project's files: never compared).
   */
  private armDecision(arm: { cond?: SyntaxNode }): {
    c: boolean | undefined;
    d: DecidedByDefault | undefined;
    key: string | undefined;
    guard: ReturnType<ImportEvaluator['existenceGuard']>;
  } {
    const guard = arm.cond ? this.existenceGuard(arm.cond) : undefined;
    const cv = arm.cond && guard === undefined ? this.expr(arm.cond, 0) : undefined;
    // A file the project has decides its guard, as real Django loading the project does; an absent one only by
    // default — a deployment may add it (a local_settings.py kept out of version control).
    const c = guard ? (guard.present ? guard.truth : undefined) : cv ? truthy(cv) : true;
    const d =
      c !== undefined
        ? undefined
        : guard
          ? { defaultWhen: `${guard.file} is absent`, whenUnset: guard.truth }
          : cv
            ? decidedByDefault(cv)
            : undefined;
    const key = guard
      ? undefined
      : c === true
        ? 't'
        : c === false
          ? 'f'
          : d
            ? `u${d.whenUnset ? 1 : 0}${d.envVar ?? ''}\u0000`
            : 'u';
    return { c, d, key, guard };
  }

  /**
   * The outcome of an `if`'s conditions in the current namespace, as `ifStatement` meets them (each arm's
   * decision up to the first arm taken for sure), as one key; undefined when a condition is a file's existence.
   * Two evaluations of the same `if` text whose keys are equal run the same arms, merged the same way: what it
   * writes then depends on what its bodies read only (statements.ts replays such an `if` after an edit that
   * changed only what its conditions read, `DEBUG = False` → `DEBUG = Fals` before every `if DEBUG:`).
   */
  protected ifOutcome(node: SyntaxNode): string | undefined {
    let key = '';
    for (const arm of this.ifArms(node)) {
      const a = this.armDecision(arm);
      if (a.key === undefined) return undefined;
      key += a.key;
      if (a.c === true) break;
    }
    return key;
  }

  protected ifStatement(node: SyntaxNode): void {
    const arms = this.ifArms(node);
    // A top-level `if` whose reads are collected notes what decided it and what its conditions read.
    const j =
      this.statementDepth === 0 && this.env instanceof JournalEnv && this.env.collecting
        ? this.env
        : undefined;
    const condReads: string[] | undefined = j ? [] : undefined;
    let outcome: string | undefined = '';
    const decided = (): void => {
      if (j) this.ifDecision = outcome === undefined ? undefined : { outcome, condReads: condReads ?? [] };
    };
    const alternatives: Env[] = [];
    const conditions: string[] = [];
    // Per alternative: how the arm's condition goes in the default world — every environment variable unset,
    // every guarded file as the project has it on disk (true/false with what decides it, or undefined when
    // undecidable); the no-arm path is taken when reached.
    const byDefault: (DecidedByDefault | 'taken' | undefined)[] = [];
    let exhaustive = false;
    let undecidedBefore = false;
    for (const arm of arms) {
      const readFrom = j?.reads?.length ?? 0;
      const { c, d: undecided, key } = this.armDecision(arm);
      if (j && condReads) {
        const reads = j.reads;
        if (reads) for (let k = readFrom; k < reads.length; k++) condReads.push(reads[k] as string);
      }
      outcome = outcome === undefined || key === undefined ? undefined : outcome + key;
      if (c === false) continue;
      if (c === true && alternatives.length === 0) {
        decided();
        this.body(arm.body); // statically taken: the only path
        return;
      }
      if (arm.cond) conditions.push(this.text(arm.cond));
      const d: DecidedByDefault | 'taken' | undefined = c === true ? 'taken' : undecided;
      if (d === undefined) undecidedBefore = true;
      byDefault.push(undecidedBefore ? undefined : d);
      alternatives.push(this.branch(() => this.body(arm.body), true));
      if (c === true) {
        exhaustive = true; // later arms are unreachable
        break;
      }
    }
    decided();
    if (alternatives.length === 0) return;
    if (!exhaustive) {
      alternatives.push(this.env); // the path on which no arm ran
      byDefault.push(undecidedBefore ? undefined : 'taken');
    }
    // if/elif/else decided by environment defaults: the arm the defaults take is what the settings are "if the
    // variables are unset"; the other arms stay as the alternatives.
    const taken = byDefault.findIndex((d) => d === 'taken' || (d !== undefined && d.whenUnset));
    const deciding = byDefault.find((d): d is DecidedByDefault => d !== undefined && d !== 'taken');
    const takenEnv = alternatives[taken];
    const condition = `if ${conditions.join(' / ')}`;
    this.env = this.merge(alternatives, condition, node, (merged) => {
      if (taken >= 0 && deciding && takenEnv && byDefault[taken] !== undefined && merged !== takenEnv) {
        const d = byDefault[taken];
        const decider = d !== undefined && d !== 'taken' ? d : deciding;
        const others = alternatives.filter((_, i) => i !== taken);
        applyDecided(merged, takenEnv, others, decider, this.span(node), condition);
      }
    });
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
      const span = absent[0]?.record.span;
      const statement = span && span.file === this.parsed.file ? this.text(span) : 'import';
      this.env = this.merge([after, handlerEnv], 'whether an import succeeds', node, (merged) =>
        applyDecided(merged, handlerEnv, [after], { defaultWhen }, this.span(node), `try: ${statement}`),
      );
    } else if (failing === 0 || handlers.length === 0) {
      this.commit(after);
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
    let out: Env;
    if (this.ownBranch(after)) {
      // Only what the body set or deleted, in the environment itself (a set name keeps its place, a new one
      // comes last, as in a copy).
      out = before;
      this.charge(after.ownSize + after.removed.size + 1);
      for (const name of after.ownKeys()) {
        const binding = after.own(name) as Binding;
        if (before.get(name) !== binding)
          out.set(name, { value: unknown('changed in a loop', binding.value.span), origin: binding.origin });
      }
      for (const name of after.removed)
        if (after.own(name) === undefined)
          out.set(name, { value: unknown('may be deleted in a loop'), origin: this.origin(node) });
    } else {
      this.charge(before.size + after.size);
      out = new Map(before);
      for (const [name, binding] of after) {
        if (before.get(name) !== binding) {
          out.set(name, { value: unknown('changed in a loop', binding.value.span), origin: binding.origin });
        }
      }
      for (const name of before.keys())
        if (!after.has(name))
          out.set(name, { value: unknown('may be deleted in a loop'), origin: this.origin(node) });
    }
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

/**
 * Which of the changed `names` a merge of copies would put after the environment's names, in its order. Such a
 * merge lists the alternatives' names in turn: a name of `env` the first alternative holds stays where `env` has
 * it; the others (new names, names the first deleted) follow as each alternative meets them — `env`'s names it
 * holds in `env`'s order, then the names it added or deleted and set again, in the order it set them.
 */
function mergeTail(alternatives: readonly Env[], env: Env, names: ReadonlySet<string>): Set<string> {
  const tail = new Set<string>();
  const inEnv = (n: string): boolean => rawBinding(env, n) !== undefined;
  const inPlace = (a: Env, n: string): boolean => inEnv(n) && !(a instanceof BranchEnv && a.removed.has(n));
  const first = alternatives[0] as Env;
  const seen = new Set<string>();
  for (const n of names) if (inPlace(first, n)) seen.add(n);
  let order: Map<string, number> | undefined;
  for (const a of alternatives) {
    const held: string[] = [];
    for (const n of names) if (!seen.has(n) && inPlace(a, n)) held.push(n);
    if (held.length > 1) {
      // Only names every earlier alternative deleted: rare enough to read env's order for.
      if (!order) {
        order = new Map();
        let k = 0;
        for (const n of env.keys()) if (names.has(n)) order.set(n, k++);
      }
      const o = order;
      held.sort((x, y) => (o.get(x) ?? 0) - (o.get(y) ?? 0));
    }
    for (const n of held) {
      seen.add(n);
      tail.add(n);
    }
    if (a instanceof BranchEnv)
      for (const n of a.ownKeys())
        if (!seen.has(n) && (a.removed.has(n) || !inEnv(n))) {
          seen.add(n);
          tail.add(n);
        }
  }
  return tail;
}
