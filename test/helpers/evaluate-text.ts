/** Test helper: evaluates Python text (plus optional sibling modules) and returns readable bindings. */
import { evaluateModule, type ModuleEvaluation } from '../../server/src/core/evaluate/evaluate';
import { describe as describeValue } from '../../server/src/core/evaluate/values';
import { parsePython, type ParsedFile } from '../../server/src/core/python/parse';
import type { Value } from '../../server/src/core/types';

export function evaluateText(text: string, modules: Record<string, string> = {}): ModuleEvaluation {
  const parsedModules = new Map<string, ParsedFile>();
  for (const [name, src] of Object.entries(modules)) parsedModules.set(name, parsePython(`${name}.py`, src));
  return evaluateModule(parsePython('settings.py', text), {
    resolveImport: (module, level) =>
      parsedModules.get('.'.repeat(level) + module) ?? parsedModules.get(module),
    moduleCache: new Map(),
  });
}

export function valueOf(ev: ModuleEvaluation, name: string): Value | undefined {
  return ev.env.get(name)?.value;
}

/** Python-like rendering of a binding, `<reason>` for unknowns. */
export function show(ev: ModuleEvaluation, name: string): string {
  const v = valueOf(ev, name);
  return v ? describeValue(v, 10_000) : '<unset>';
}
