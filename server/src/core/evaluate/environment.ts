/** Namespaces: the shared namespace that records what a module changes, and what a star import copies. */
import type { Binding, Env } from './model';

/** Public names a star import copies: `__all__` when it is a known list of strings, else names without `_`. */
export function publicNames(env: Env): [string, Binding][] {
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
