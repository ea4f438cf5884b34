/**
 * Call expressions in the evaluator: arguments, method and qualified calls (answered by calls.ts), the
 * effects of a call the analyser cannot see, and mutating method calls on names (`D.update(…)`).
 */
import type { SyntaxNode } from '@lezer/common';
import type { DictValue, Span, Value } from '../types';
import {
  callBuiltin,
  callMethod,
  callQualified,
  NO_KEYWORDS,
  type CallArgs,
  type CallContext,
} from './calls';
import { EnvFiles, parseDotenv, parseSettingsIni } from './env-files';
import { ExpressionEvaluator } from './expressions';
import { dictDelete, dictLookup, dictSet, oneOf, sameValue, unknown } from './values';

export const MUTATING_METHODS = new Set([
  'update',
  'setdefault',
  'append',
  'extend',
  'insert',
  'pop',
  'clear',
  'remove',
]);

export abstract class CallEvaluator extends ExpressionEvaluator {
  private ownEnvFiles: EnvFiles | undefined;

  /** The environment files of this analysis (shared through the options with imported modules). */
  protected get envFiles(): EnvFiles {
    return this.options.envFiles ?? (this.ownEnvFiles ??= new EnvFiles());
  }

  /** The parts of every call's context but its receiver: made once per evaluation, not per call. */
  private contextParts: Omit<CallContext, 'receiver'> | undefined;

  /** What a qualified call needs besides its arguments: the receiver, environment files (env-files.ts). */
  protected callContext(receiver: Value): CallContext {
    const parts = (this.contextParts ??= this.makeContextParts());
    return { receiver, fileValue: parts.fileValue, readEnv: parts.readEnv, loadDecouple: parts.loadDecouple };
  }

  private makeContextParts(): Omit<CallContext, 'receiver'> {
    const files = this.envFiles;
    const read = (name: string): { path: string; text: string } | undefined => {
      this.readsOutside();
      const found = this.options.readSibling?.(name, this.parsed.file);
      if (found) {
        files.files.add(found.path);
        this.dependencies.add(found.path);
      }
      return found;
    };
    return {
      fileValue: (name, decouple) => files.value(name, decouple),
      readEnv: (args) => {
        // read_env(path) names the file; only a `.env`-named file next to the settings (or above) is read.
        const named = args.positional[0] ?? args.keywords.get('env_file');
        // A path the analyser cannot compute (`BASE_DIR / '.env'`) is taken as the usual `.env`.
        const wanted = named?.kind === 'str' ? (named.value.split(/[\\/]/).pop() ?? '.env') : '.env';
        const found = wanted && /^\.env[\w.-]*$/.test(wanted) ? read(wanted) : undefined;
        if (found) files.load(parseDotenv(found.text));
      },
      loadDecouple: () => {
        if (files.decouple !== undefined) return;
        const ini = read('settings.ini');
        const env = ini ? undefined : read('.env');
        files.decouple = ini ? parseSettingsIni(ini.text) : env ? parseDotenv(env.text) : null;
      },
    };
  }

  /** Whether the ArgList `args` read last has a VariableName child (`unknownCallEffects` looks at those). */
  private argNames = false;

  args(argList: SyntaxNode, depth: number): CallArgs {
    const positional: Value[] = [];
    // Made for the first keyword: most calls pass none.
    let keywords: Map<string, Value> | undefined;
    let open = false;
    const kids: SyntaxNode[] = [];
    // Their type names, read once each (`type.name`, a field: `name` is a getter, a call per read).
    const kidNames: string[] = [];
    let names = false;
    for (let c = argList.firstChild; c; c = c.nextSibling) {
      const name = c.type.name;
      if (name !== '(' && name !== ')' && name !== ',' && name !== 'Comment') {
        kids.push(c);
        kidNames.push(name);
      }
      if (name === 'VariableName') names = true;
    }
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i] as SyntaxNode;
      const kName = kidNames[i];
      if (kName === 'VariableName' && kidNames[i + 1] === 'AssignOp' && kids[i + 2]) {
        (keywords ??= new Map()).set(this.text(k), this.expr(kids[i + 2] as SyntaxNode, depth));
        i += 2;
      } else if (kName === '*' || kName === '**') {
        const v = kids[i + 1] ? this.expr(kids[i + 1] as SyntaxNode, depth) : undefined;
        i++;
        if (kName === '**' && v?.kind === 'dict' && !v.open) {
          for (const e of v.entries)
            if (e.key.kind === 'str') (keywords ??= new Map()).set(e.key.value, e.value);
        } else if (kName === '*' && (v?.kind === 'list' || v?.kind === 'tuple') && !v.open)
          positional.push(...v.items);
        else open = true;
      } else {
        positional.push(this.expr(k, depth));
      }
    }
    // Set last: the arguments evaluated above may be calls whose own lists set it.
    this.argNames = names;
    return { positional, keywords: keywords ?? NO_KEYWORDS, open };
  }

  protected call(node: SyntaxNode, depth: number): Value {
    const span = this.span(node);
    const callee = nextCode(node.firstChild);
    const argList = nextCode(callee?.nextSibling ?? null);
    if (!callee || !argList) return unknown('call', span);
    const args = this.args(argList, depth);
    // Taken now: evaluating the callee may read other argument lists.
    const names = this.argNames;
    const calleeName = callee.type.name;
    if (calleeName === 'MemberExpression') {
      // `recv.method(…)`: the receiver is the first child, the method the last; a subscript is not a method.
      let recvNode: SyntaxNode | undefined;
      let methodNode: SyntaxNode | undefined;
      let bracket = false;
      for (let c = callee.firstChild; c; c = c.nextSibling) {
        const name = c.type.name;
        if (name === 'Comment') continue;
        if (name === '[') bracket = true;
        recvNode ??= c;
        methodNode = c;
      }
      if (!bracket && recvNode && methodNode) {
        const recv = this.expr(recvNode, depth);
        const method = this.text(methodNode);
        if (recv.kind === 'unknown' && recv.module)
          return this.unknownCallEffects(
            names ? argList : undefined,
            callQualified(`${recv.module}.${method}`, args, span, this.callContext(recv)),
          );
        return callMethod(recv, method, args, span);
      }
    }
    if (calleeName === 'VariableName') {
      const name = this.text(callee);
      const bound = this.env.get(name);
      if (bound) {
        const v = bound.value;
        if (v.kind === 'unknown' && v.module)
          return this.unknownCallEffects(
            names ? argList : undefined,
            callQualified(v.module, args, span, this.callContext(v)),
          );
        return this.unknownCallEffects(names ? argList : undefined, unknown(`call to ${name}()`, span));
      }
      return callBuiltin(name, args, span);
    }
    return this.unknownCallEffects(names ? argList : undefined, unknown('call', span));
  }

  /**
   * A function we cannot see may mutate the lists and dicts passed to it by name (Horizon's
   * `update_dashboards(..., INSTALLED_APPS)` appends apps): those become open, so no rule trusts their
   * completeness afterwards. `argList` undefined: the call names no variable among its arguments.
   */
  protected unknownCallEffects(argList: SyntaxNode | undefined, result: Value): Value {
    if (!argList || result.kind !== 'unknown' || (result.module && !result.reason.startsWith('call to')))
      return result;
    for (let a = argList.firstChild; a; a = a.nextSibling) {
      if (a.name !== 'VariableName') continue;
      const name = this.text(a);
      const b = this.env.get(name);
      if (b && (b.value.kind === 'list' || b.value.kind === 'dict') && !b.value.open) {
        this.env.set(name, { value: { ...b.value, open: true }, origin: b.origin });
      }
    }
    return result;
  }

  /** Rebinds a name after a mutation of the value at `path` (assignments.ts). */
  protected abstract updateNested(
    container: Value,
    keys: { value: Value; node: SyntaxNode }[],
    fn: (old: Value | undefined) => Value | 'delete',
  ): Value;

  protected mutatingCall(
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

/** `node` or the first sibling after it that is not a comment. */
function nextCode(node: SyntaxNode | null): SyntaxNode | null {
  let c = node;
  while (c && c.type.name === 'Comment') c = c.nextSibling;
  return c;
}
