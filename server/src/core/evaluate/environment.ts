/**
 * Namespaces: the shared namespace that records what a module changes, what a star import copies, and the
 * namespace whose replayed names are shifted when first read (LazyEnv).
 */
import type { Binding, Env } from './model';
import { Lazy } from './replay';

/** Public names a star import copies: `__all__` when it is a known list of strings, else names without `_`. */
export function publicNames(env: Env): string[] {
  const all = env.get('__all__')?.value;
  if (
    all &&
    (all.kind === 'list' || all.kind === 'tuple') &&
    !all.open &&
    all.items.every((i) => i.kind === 'str')
  ) {
    const names = new Set(all.items.map((i) => (i.kind === 'str' ? i.value : '')));
    return [...env.keys()].filter((n) => names.has(n));
  }
  return [...env.keys()].filter((n) => !n.startsWith('_'));
}

/**
 * A namespace holding names replayed from an earlier evaluation (replay.ts `Lazy`) whose binding is made when
 * first read (`get`, iterating the bindings) and kept: a statement replayed after an edit costs nothing until
 * someone reads what it wrote (a rule, a feature, the next layer), and most names nobody reads. `keys`, `has`
 * and `size` need no binding; copies made with `copyEnv`/`copyBinding` carry the unread names over unmade.
 * Making a binding never fails (`Shifter` shifts values of any depth), so whoever reads may make it.
 */
export class LazyEnv extends Map<string, Binding> {
  protected lazy: Map<string, Lazy> | undefined;

  constructor(entries: Iterable<readonly [string, Binding | Lazy]> = []) {
    super();
    for (const [k, v] of entries) {
      if (v instanceof Lazy) this.hold(k, v);
      else super.set(k, v);
    }
  }

  override get(name: string): Binding | undefined {
    const l = this.lazy?.get(name);
    if (!l) return super.get(name);
    this.lazy?.delete(name);
    const b = l.binding();
    super.set(name, b);
    return b;
  }

  override set(name: string, binding: Binding): this {
    this.lazy?.delete(name);
    return super.set(name, binding);
  }

  /** Binds `name` to what `lazy` makes when first read. */
  setLazy(name: string, lazy: Lazy): void {
    this.hold(name, lazy);
  }

  private hold(name: string, lazy: Lazy): void {
    const made = lazy.made;
    if (made) {
      this.lazy?.delete(name);
      super.set(name, made);
      return;
    }
    (this.lazy ??= new Map()).set(name, lazy);
    super.set(name, lazy.placeholder);
  }

  /** The binding of `name`, or the Lazy that makes it when not made yet (reads nothing). */
  raw(name: string): Binding | Lazy | undefined {
    return this.lazy?.get(name) ?? super.get(name);
  }

  /** Makes the binding of every name replayed and not read yet. */
  materialize(): void {
    const lazy = this.lazy;
    if (!lazy) return;
    this.lazy = undefined;
    for (const [name, l] of lazy) super.set(name, l.binding());
  }

  override delete(name: string): boolean {
    this.lazy?.delete(name);
    return super.delete(name);
  }

  override clear(): void {
    this.lazy = undefined;
    super.clear();
  }

  override values(): MapIterator<Binding> {
    this.materialize();
    return super.values();
  }

  override entries(): MapIterator<[string, Binding]> {
    this.materialize();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Binding]> {
    this.materialize();
    return super.entries();
  }

  override forEach(
    fn: (value: Binding, key: string, map: Map<string, Binding>) => void,
    thisArg?: unknown,
  ): void {
    this.materialize();
    super.forEach(fn, thisArg);
  }
}

/**
 * The namespace of a branch (an arm of an undecidable `if`, a loop body, a `try` around an import): what the
 * branch sets and deletes, over the namespace it started from (`parent`, which nobody changes while the branch
 * runs). A name the branch left alone is read from the parent (a journal records the read, checkpoints.ts), so
 * starting a branch copies nothing and merging or committing it touches only the names it changed
 * (control-flow.ts): an `if DEBUG:` costs what its arm does, not the size of the namespace. It iterates as a
 * copy of the parent changed by the branch would: the parent's order, a deleted name set again at the end.
 */
export class BranchEnv extends Map<string, Binding> {
  /** Names of the parent this branch deleted, set again since or not. */
  readonly removed = new Set<string>();

  constructor(readonly parent: Env) {
    super();
  }

  /** The names this branch set (in the order it first set them since any delete), without the parent's. */
  ownKeys(): MapIterator<string> {
    return super.keys();
  }

  /** How many names this branch set. */
  get ownSize(): number {
    return super.size;
  }

  /** What this branch set `name` to, if it did. */
  own(name: string): Binding | undefined {
    return super.get(name);
  }

  override get(name: string): Binding | undefined {
    const b = super.get(name);
    if (b !== undefined || this.removed.has(name)) return b;
    return this.parent.get(name);
  }

  override has(name: string): boolean {
    return super.has(name) || (!this.removed.has(name) && this.parent.has(name));
  }

  override delete(name: string): boolean {
    const had = this.has(name);
    super.delete(name);
    // Read (a journal records it): what the branch leaves depends on whether the namespace has the name.
    if (this.parent.has(name)) this.removed.add(name);
    return had;
  }

  override clear(): void {
    for (const name of this.parent.keys()) this.removed.add(name);
    super.clear();
  }

  /** The binding of `name`, or the parent's Lazy that makes it (reads nothing). */
  raw(name: string): Binding | Lazy | undefined {
    const b = super.get(name);
    if (b !== undefined || this.removed.has(name)) return b;
    return rawBinding(this.parent, name);
  }

  override get size(): number {
    let n = this.parent.size;
    for (const name of this.removed) if (!super.has(name)) n--;
    for (const name of super.keys())
      if (this.removed.has(name) || rawBinding(this.parent, name) === undefined) n++;
    return n;
  }

  override *keys(): MapIterator<string> {
    for (const name of this.parent.keys()) if (!this.removed.has(name)) yield name;
    for (const name of super.keys())
      if (this.removed.has(name) || rawBinding(this.parent, name) === undefined) yield name;
  }

  override *values(): MapIterator<Binding> {
    for (const name of this.keys()) yield this.get(name) as Binding;
  }

  override *entries(): MapIterator<[string, Binding]> {
    for (const name of this.keys()) yield [name, this.get(name) as Binding];
  }

  override [Symbol.iterator](): MapIterator<[string, Binding]> {
    return this.entries();
  }

  override forEach(
    fn: (value: Binding, key: string, map: Map<string, Binding>) => void,
    thisArg?: unknown,
  ): void {
    for (const [name, b] of this.entries()) fn.call(thisArg, b, name, this);
  }
}

/** The binding of `name` in `env`, or the Lazy that makes it (reads nothing). */
export function rawBinding(env: Env, name: string): Binding | Lazy | undefined {
  if (env instanceof LazyEnv || env instanceof BranchEnv) return env.raw(name);
  return env instanceof RecordingEnv ? rawBinding(env.target, name) : env.get(name);
}

/** Every name with its binding or the Lazy that makes it, without making any. */
export function* rawEntries(env: Env): Generator<[string, Binding | Lazy]> {
  for (const name of env.keys()) yield [name, rawBinding(env, name) as Binding | Lazy];
}

/**
 * Every name with its binding as stored, without making any: for a replayed name not read yet, the binding
 * before the shift (`Lazy.placeholder`: the same strings, the spans of the earlier text; not one to show).
 */
export function storedEntries(env: Env): MapIterator<[string, Binding]> {
  if (env instanceof RecordingEnv) return storedEntries(env.target);
  return Map.prototype.entries.call(env) as MapIterator<[string, Binding]>;
}

/** `storedEntries` as a callback over each binding and name (no entry pair made for each). */
export function forEachStored(env: Env, fn: (binding: Binding, name: string) => void): void {
  if (env instanceof RecordingEnv) forEachStored(env.target, fn);
  else Map.prototype.forEach.call(env, fn as (b: unknown, name: unknown) => void);
}

/** `to[name] = from[name]`, an unread replayed name staying unread when `to` can hold it. */
export function copyBinding(to: Env, name: string, from: Env): void {
  const b = rawBinding(from, name);
  if (b === undefined) return;
  if (b instanceof Lazy && to instanceof LazyEnv) to.setLazy(name, b);
  else to.set(name, b instanceof Lazy ? b.binding() : b);
}

/** A copy of a namespace that leaves its unread replayed names unread. */
export function copyEnv(env: Env): LazyEnv {
  return new LazyEnv(rawEntries(env));
}

/** A namespace shared with other modules that remembers which names this module set or deleted. */
export class RecordingEnv extends Map<string, Binding> {
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
export function sharedResult(shared: RecordingEnv, final: Env): { namespace: Env; own: Env } {
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
