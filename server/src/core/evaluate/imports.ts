/**
 * Imports and exec'd siblings: `import`, `from … import` (star imports followed through the injected
 * resolver, each module evaluated once per analysis through the module cache, cycles cut), and
 * `exec(open(…).read())` / `execfile` of a sibling file in this namespace (exec chains cut by `execChain`).
 */
import type { SyntaxNode } from '@lezer/common';
import { childrenOf, type ParsedFile } from '../python/parse';
import type { UnknownValue } from '../types';
import { AssignmentEvaluator } from './assignments';
import { copyBinding, copyEnv, publicNames } from './environment';
import {
  MAX_EXPRESSION_DEPTH,
  MAX_IMPORT_DEPTH,
  type EvaluateOptions,
  type ImportRecord,
  type ModuleEvaluation,
} from './model';
import { unknown } from './values';

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

export const EXEC_FUNCTIONS = new Set(['exec', 'execfile']);
/** A string literal naming a Python file: the whole literal (`whole`), and such literals in a statement's text (`inside`). */
interface FileLiteral {
  readonly whole: RegExp;
  readonly inside: RegExp;
}
/** A bare Python file name: `'local_settings.py'` (not a path elsewhere). */
const EXEC_TARGET: FileLiteral = {
  whole: /^[rRuUbB]?['"]([A-Za-z_][\w-]*\.py)['"]$/,
  inside: /['"]([A-Za-z_][\w-]*\.py)['"]/g,
};
const EXISTS_CALLS = /^(?:os\.)?path\.(?:exists|isfile)$/;
/** A path to a Python file (`'/etc/x/secret.py'`, `'local.py'`): the path. */
const PY_PATH: FileLiteral = {
  whole: /^[rRuU]?['"]([^'"\\\n]*\.py)['"]$/,
  inside: /['"]([^'"\\\n]*\.py)['"]/g,
};
/** pathlib's guards: `(BASE_DIR / 'local_settings.py').exists()`, `Path(…).is_file()`, `LOCAL.exists()`. */
const PATHLIB_EXISTS = /\.(?:exists|is_file)$/;

/** A settings module imported inside a try body: whether the project has its file, and its name. */
export interface GuardedImport {
  readonly present: boolean;
  readonly file: string;
  readonly record: ImportRecord;
}

export abstract class ImportEvaluator extends AssignmentEvaluator {
  /** Settings modules (star or relative imports) imported in the current try body, for try/except ImportError. */
  protected guardedImports: GuardedImport[] = [];

  /** Evaluates another module (evaluate.ts's `evaluateModule`). */
  protected abstract evaluateChild(parsed: ParsedFile, options: EvaluateOptions): ModuleEvaluation;

  /**
   * `exec(open(os.path.join(BASE_DIR, 'local_settings.py')).read())`, `execfile(…)`: runs the named sibling
   * module in this namespace, as Python does, when the resolver finds it. The file is named by the last `.py`
   * string literal in the call, or in the assignment of a variable the call reads (`exec(open(LOCAL).read())`).
   */
  protected execSibling(call: SyntaxNode): boolean {
    const resolved = this.siblingFile(call);
    const chain = this.options.execChain ?? [this.parsed.file];
    if (resolved === undefined || chain.includes(resolved.file)) return false;
    this.dependencies.add(resolved.file);
    const importDepth = this.nestedImport(call);
    if (importDepth === undefined) return false;
    const result = this.evaluateChild(resolved, {
      ...this.options,
      initialEnv: this.env,
      onLayerImport: undefined,
      previous: undefined,
      execChain: [...chain, resolved.file],
      importDepth,
    });
    result.dependencies.forEach((d) => this.dependencies.add(d));
    this.events.push(...result.events);
    this.unresolved.push(...result.unresolvedStarImports);
    this.limit ??= result.limit;
    this.env = copyEnv(result.env);
    return true;
  }

  /**
   * The Python file an expression names by a bare `.py` string literal in it, or in the assignment of a
   * variable it reads (`os.path.join(BASE_DIR, 'local_settings.py')`, `LOCAL`): looked for next to this file,
   * then in its parent directory (Django's BASE_DIR is often the settings package's parent). Undefined when
   * no such file is found.
   */
  protected siblingFile(expr: SyntaxNode): ParsedFile | undefined {
    const module = this.fileNamedIn(expr, EXEC_TARGET)?.slice(0, -'.py'.length);
    if (module === undefined || module.includes('.')) return undefined;
    this.readsOutside();
    for (const level of [1, 2]) {
      const resolved = this.options.resolveImport?.(module, level, this.parsed.file);
      if (resolved !== undefined && resolved !== 'layer') return resolved;
    }
    return undefined;
  }

  /**
   * An existence guard on a Python file: `os.path.exists(…'local_settings.py')` / `os.path.isfile(…)` /
   * pathlib's `(BASE_DIR / 'local_settings.py').exists()` / `.is_file()`, or `not` one of them. The default
   * world is the file as the project has it on disk: present when the reader finds it next to this file or in
   * its parent directory (Django's BASE_DIR), absent otherwise — also a path elsewhere (`/etc/x/secret.py`),
   * which the analyser does not read. `truth` is the condition's value in that world; `file` names the file
   * as written. Undefined when the condition is not such a guard (a path that names no `.py` file included).
   */
  protected existenceGuard(
    cond: SyntaxNode,
    depth = 0,
  ): { truth: boolean; present: boolean; file: string } | undefined {
    if (depth > MAX_EXPRESSION_DEPTH) return undefined; // `not not … x` as deep as the file: undecided
    const kids = childrenOf(cond);
    if (cond.name === 'UnaryExpression' && kids[0] && this.text(kids[0]) === 'not' && kids[1]) {
      const inner = this.existenceGuard(kids[1], depth + 1);
      return inner && { ...inner, truth: !inner.truth };
    }
    if (cond.name === 'ParenthesizedExpression' && kids.length === 3 && kids[1])
      return this.existenceGuard(kids[1], depth + 1);
    if (cond.name !== 'CallExpression') return undefined;
    const callee = kids[0];
    const name = callee ? this.text(callee).replace(/\s+/g, '') : '';
    if (!callee || !(EXISTS_CALLS.test(name) || PATHLIB_EXISTS.test(name))) return undefined;
    const file = this.fileNamedIn(cond, PY_PATH);
    if (file === undefined) return undefined;
    const present = this.siblingFile(cond) !== undefined;
    return { truth: present, present, file };
  }

  /**
   * The Python file an expression names: the last string literal in it that `file` matches whole, else the last
   * such literal in this file's assignment of the first variable it reads that has one.
   */
  private fileNamedIn(expr: SyntaxNode, file: FileLiteral): string | undefined {
    let literal: string | undefined;
    const names: string[] = [];
    expr.cursor().iterate((n) => {
      if (n.name === 'String') literal = file.whole.exec(this.text(n))?.[1] ?? literal;
      else if (n.name === 'VariableName') names.push(this.text(n));
    });
    for (const name of names) {
      if (literal !== undefined) break;
      const span = this.env.get(name)?.value.span;
      if (span?.file === this.parsed.file) literal = [...this.text(span).matchAll(file.inside)].pop()?.[1];
    }
    return literal;
  }

  protected importStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    if (kids[0]?.name === 'from') this.fromImport(node, kids);
    else this.plainImport(node, kids);
  }

  /** `import a.b.c [as d], e`: binds module objects. */
  private plainImport(node: SyntaxNode, kids: SyntaxNode[]): void {
    const span = this.span(node);
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
  }

  /** `from [.]*a.b import (x [as y], …) | *`: follows star imports and UPPER_CASE names through the resolver. */
  private fromImport(node: SyntaxNode, kids: SyntaxNode[]): void {
    const span = this.span(node);
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
    if (wanted) this.readsOutside();
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
      this.readsOutside();
      if (this.options.onLayerImport) this.env = this.options.onLayerImport(this.env, span);
      return;
    }
    const evaluated = resolved ? this.evaluateImported(resolved, node) : undefined;
    if (wanted && !evaluated && !(level === 0 && ALWAYS_IMPORTABLE.has(module))) this.failingImports++;
    // A settings module of the project (a star or relative import): present or absent as the project has it.
    if (wanted && (star || level > 0) && module)
      this.guardedImports.push({
        present: evaluated !== undefined,
        file: moduleFile(module, resolved),
        record,
      });
    if (star) {
      if (!evaluated) {
        this.unresolved.push(record);
        return;
      }
      for (const name of publicNames(evaluated.env)) {
        copyBinding(this.env, name, evaluated.env);
        this.record(name, [], 'import', node, node);
      }
      return;
    }
    this.bindImportedNames(node, names, evaluated, level, module);
  }

  /** `from m import A, B as C`: each name from the evaluated module, or Unknown naming where it comes from. */
  private bindImportedNames(
    node: SyntaxNode,
    names: SyntaxNode[],
    evaluated: ModuleEvaluation | undefined,
    level: number,
    module: string,
  ): void {
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

  /** The import depth of a module imported or exec'd here; undefined (DSL003) past MAX_IMPORT_DEPTH. */
  private nestedImport(node: SyntaxNode): number | undefined {
    const depth = (this.options.importDepth ?? 0) + 1;
    if (depth <= MAX_IMPORT_DEPTH) return depth;
    this.limit ??= { reason: `imports nested deeper than ${MAX_IMPORT_DEPTH} modules`, at: this.span(node) };
    return undefined;
  }

  protected evaluateImported(parsed: ParsedFile, node: SyntaxNode): ModuleEvaluation | undefined {
    this.dependencies.add(parsed.file);
    const cache = this.options.moduleCache;
    const cached = cache?.get(parsed.file);
    if (cached === 'in-progress') return undefined; // an import cycle: Python would see a partial module
    if (cached) {
      cached.dependencies.forEach((d) => this.dependencies.add(d));
      return cached;
    }
    const importDepth = this.nestedImport(node);
    if (importDepth === undefined) return undefined;
    cache?.set(parsed.file, 'in-progress');
    const result = this.evaluateChild(parsed, {
      ...this.options,
      initialEnv: undefined,
      onLayerImport: undefined,
      previous: undefined,
      importDepth,
    });
    cache?.set(parsed.file, result);
    result.dependencies.forEach((d) => this.dependencies.add(d));
    this.limit ??= result.limit;
    return result;
  }
}

/** How a message names an imported settings module: its file (`local.py`, `settings/__init__.py` as `settings`). */
function moduleFile(module: string, resolved: ParsedFile | undefined): string {
  const base = resolved?.file.split(/[\\/]/).pop();
  if (base && base !== '__init__.py') return base;
  return `${module.split('.').pop() ?? module}${base === '__init__.py' ? '' : '.py'}`;
}
