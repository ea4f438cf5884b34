/**
 * The calls the evaluator understands: environment lookups (os.environ, os.getenv, django-environ, decouple),
 * a few builtins (dict, list, str, int …), os.path.join and common str/dict methods. Nothing is executed.
 */
import type { DictValue, Span, UnknownValue, Value } from '../types';
import { URL_HELPER_FACTS } from '../knowledge/url-helpers';
import { withEnvDefaults } from './format-values';
import { pyStr } from './operators';
import { environCast, type EnvCast } from './env-files';
import { STR_METHODS, strMethod } from './str-methods';
import { callUrlHelper } from './url-helpers';
import { findUrlHelper } from '../knowledge/url-helpers';
import { dictLookup, dictSet, unknown } from './values';

/** The keywords of a call that passes none (one map for all: CallArgs' keywords are never changed). */
export const NO_KEYWORDS: ReadonlyMap<string, Value> = new Map();

export interface CallArgs {
  readonly positional: readonly Value[];
  readonly keywords: ReadonlyMap<string, Value>;
  /** True when `*args`/`**kwargs` of unknown content were passed. */
  readonly open: boolean;
}

/** Qualified names of calls that read one environment variable, and where their default argument sits. */
const ENV_LOOKUPS: Record<string, { defaultIndex: number; defaultKeyword: string }> = {
  'os.environ.get': { defaultIndex: 1, defaultKeyword: 'default' },
  'os.getenv': { defaultIndex: 1, defaultKeyword: 'default' },
  'os.environ.setdefault': { defaultIndex: 1, defaultKeyword: 'default' },
};
const ENVIRON_CLASSES = new Set(['environ.Env', 'environ.FileAwareEnv', 'environ.environ.Env']);
/** django-environ `env.<cast>(name, default=…)` methods whose second positional argument is the default. */
const ENVIRON_CASTS = new Set([
  'str',
  'bool',
  'int',
  'float',
  'list',
  'tuple',
  'dict',
  'json',
  'url',
  'path',
  'bytes',
]);

type WhenSet = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | undefined;

/** What a qualified call may need beyond its arguments (call-expressions.ts supplies it). */
export interface CallContext {
  /** The object the method is called on, or the callable itself (a django-environ `Env(...)` with its scheme). */
  readonly receiver?: Value | undefined;
  /** The value an environment file gives a variable (env-files.ts); `decouple`: its repository counts too. */
  readonly fileValue?: (name: string, decouple: boolean) => string | undefined;
  /** `Env.read_env(...)`: loads the project's .env for the lookups that follow. */
  readonly readEnv?: (args: CallArgs) => void;
  /** decouple's first `config()`: finds its settings.ini / .env. */
  readonly loadDecouple?: () => void;
}

/** The variable a lookup names (first positional or `var`/`key`/`env` keyword). */
function lookupName(args: CallArgs, keyword?: string): string | undefined {
  const v =
    (keyword ? args.keywords.get(keyword) : undefined) ??
    args.positional[0] ??
    args.keywords.get('var') ??
    args.keywords.get('key');
  return v?.kind === 'str' ? v.value : undefined;
}

/** `args` with the default argument replaced (a value read from an environment file). */
function withDefault(args: CallArgs, index: number, keyword: string, value: Value): CallArgs {
  const keywords = new Map(args.keywords);
  const positional = [...args.positional];
  if (index >= 0 && positional.length > index && !keywords.has(keyword)) positional[index] = value;
  else keywords.set(keyword, value);
  return { ...args, positional, keywords };
}

function envLookup(
  args: CallArgs,
  defaultIndex: number,
  defaultKeyword: string,
  span: Span,
  whenSet: WhenSet,
): Value {
  const name = args.positional[0] ?? args.keywords.get('var') ?? args.keywords.get('key');
  const dflt =
    args.keywords.get(defaultKeyword) ?? (defaultIndex >= 0 ? args.positional[defaultIndex] : undefined);
  if (name?.kind !== 'str') return unknown('environment variable', span, { default: dflt, whenSet });
  return unknown(`environment variable ${name.value}`, span, { envVar: name.value, default: dflt, whenSet });
}

/** django-environ cast methods and the type they return whenever the variable is set. */
const ENVIRON_CAST_TYPES: Record<string, WhenSet> = {
  str: 'str',
  bool: 'bool',
  int: 'int',
  float: 'float',
  list: 'list',
  tuple: undefined,
  dict: 'dict',
  json: undefined,
  url: undefined,
  path: undefined,
  bytes: undefined,
};

/**
 * python-decouple's `config(name, default=…, cast=…)`: the value is a str whenever the variable (or the
 * settings.ini/.env entry) is set, unless cast; the cast also applies to the default. A cast to a URL helper
 * (`cast=dj_database_url.parse`) parses the default URL.
 */
function decoupleConfig(given: CallArgs, span: Span, ctx: CallContext): Value {
  // os.environ, then the repository (settings.ini / .env), then the default: a file's value is the default here.
  ctx.loadDecouple?.();
  const name = lookupName(given);
  const fromFile = name !== undefined ? ctx.fileValue?.(name, true) : undefined;
  const args =
    fromFile !== undefined
      ? withDefault(given, -1, 'default', { kind: 'str', value: fromFile, span })
      : given;
  const cast = args.keywords.get('cast');
  const castName = cast?.kind === 'unknown' ? cast.module : undefined;
  const base = envLookup(args, -1, 'default', span, cast ? undefined : 'str');
  if (!cast || base.kind !== 'unknown') return base;
  const dflt = base.default;
  if (castName === 'builtins.int' || castName === 'builtins.float') {
    const type = castName === 'builtins.int' ? 'int' : 'float';
    const d = dflt
      ? callBuiltin(type, { positional: [dflt], keywords: NO_KEYWORDS, open: false }, span)
      : undefined;
    return unknown(base.reason, span, {
      envVar: base.envVar,
      default: d && d.kind !== 'unknown' ? d : undefined,
      whenSet: type,
    });
  }
  if (castName === 'builtins.bool') {
    let d: Value | undefined;
    if (dflt?.kind === 'str') {
      const t = dflt.value.toLowerCase();
      if ((URL_HELPER_FACTS.decoupleTrue as readonly string[]).includes(t))
        d = { kind: 'bool', value: true, span };
      else if ((URL_HELPER_FACTS.decoupleFalse as readonly string[]).includes(t))
        d = { kind: 'bool', value: false, span };
    } else if (dflt?.kind === 'bool') d = dflt;
    return unknown(base.reason, span, { envVar: base.envVar, default: d, whenSet: 'bool' });
  }
  if (castName && base.envVar) {
    const helper = callUrlHelper(castName, { positional: [base], keywords: NO_KEYWORDS, open: false }, span);
    if (helper) return helper;
  }
  return unknown(base.reason, span, { envVar: base.envVar });
}

/** A call whose callee the evaluator knows by qualified name (`os.environ.get`, `environ.Env().str`, …). */
export function callQualified(name: string, given: CallArgs, span: Span, ctx: CallContext = {}): Value {
  if (name === 'environ.Env.read_env' || name === 'environ.Env().read_env') {
    ctx.readEnv?.(given);
    return { kind: 'none', span };
  }
  const env = ENV_LOOKUPS[name];
  if (env) {
    // `os.environ.get(…)`, the call settings make most (no URL helper has these names): withFileDefaults' own
    // case for them, then the lookup, without asking for a helper twice and comparing the other names.
    const variable = lookupName(given);
    const fromFile = variable !== undefined ? ctx.fileValue?.(variable, false) : undefined;
    const v = fromFile !== undefined ? environCast('str', fromFile, span) : undefined;
    const args = v ? withDefault(given, env.defaultIndex, 'default', v) : given;
    return envLookup(args, env.defaultIndex, env.defaultKeyword, span, 'str');
  }
  const args = withFileDefaults(name, given, span, ctx);
  const helper = callUrlHelper(name, args, span);
  if (helper) return helper;
  if (name === 'decouple.config' || name === 'decouple.AutoConfig()') return decoupleConfig(given, span, ctx);
  if (name === 'decouple.AutoConfig' || name === 'decouple.Config')
    return unknown('python-decouple config', span, { module: 'decouple.AutoConfig()' });
  const lookup = ENV_LOOKUPS[name];
  if (lookup) return envLookup(args, lookup.defaultIndex, lookup.defaultKeyword, span, 'str');
  if (ENVIRON_CLASSES.has(name))
    return unknown('django-environ Env', span, { module: 'environ.Env()', envSchema: environSchema(given) });
  // `env('X')`: cast by the Env's scheme when it names X (Env(X=(int, 3600))), else untyped.
  if (name === 'environ.Env()') return envLookup(args, -1, 'default', span, schemeCastType(given, ctx));
  if (name.startsWith('environ.Env().')) {
    const method = name.slice('environ.Env().'.length);
    if (ENVIRON_CASTS.has(method)) return envLookup(args, 1, 'default', span, ENVIRON_CAST_TYPES[method]);
    return unknown(`env.${method}()`, span);
  }
  if (name === 'os.path.join') return pathJoin(args, span);
  // The first of TMPDIR, TEMP, TMP that names a directory, else /tmp (Python's tempfile on Linux).
  if (name === 'tempfile.gettempdir' && args.positional.length === 0)
    return unknown('tempfile.gettempdir()', span, {
      envVar: 'TMPDIR',
      default: { kind: 'str', value: '/tmp', span },
      whenSet: 'str',
    });
  return unknown(`call to ${name}()`, span);
}

function pathJoin(args: CallArgs, span: Span): Value {
  if (args.open || args.positional.length === 0) return unknown('os.path.join()', span);
  let out = '';
  for (const p of args.positional) {
    if (p.kind !== 'str') return unknown('os.path.join() of unknown parts', span);
    if (p.value.startsWith('/')) out = p.value;
    else if (out === '' || out.endsWith('/')) out += p.value;
    else out += '/' + p.value;
  }
  return { kind: 'str', value: out, span };
}

/** What `int(str)` converts (base 10, underscores between digits, surrounding blanks). */
const INT_TEXT = /^\s*[-+]?\d[\d_]*\s*$/;

/** Builtins that convert an environment lookup's default. */
const CONVERSIONS = new Set(['int', 'float', 'str', 'bool']);

/** Builtins called by name (`dict(...)`, `int('3')` …), when not shadowed by an assignment. */
export function callBuiltin(name: string, args: CallArgs, span: Span): Value {
  const [first] = args.positional;
  // Conversions of an environment lookup keep its default, converted.
  if (first?.kind === 'unknown' && CONVERSIONS.has(name)) {
    const d = first.default
      ? callBuiltin(name, { positional: [first.default], keywords: NO_KEYWORDS, open: false }, span)
      : undefined;
    return unknown(first.reason, span, {
      envVar: first.envVar,
      default: d && d.kind !== 'unknown' ? d : undefined,
      whenSet: first.envVar ? (name as 'int' | 'float' | 'str' | 'bool') : undefined,
    });
  }
  switch (name) {
    case 'dict': {
      let d: DictValue = { kind: 'dict', entries: [], span };
      if (first?.kind === 'dict') d = { ...first, span };
      else if (first) d = { ...d, open: true };
      for (const [k, v] of args.keywords) d = dictSet(d, { kind: 'str', value: k }, v);
      return args.open ? { ...d, open: true } : d;
    }
    case 'list':
    case 'tuple':
      if (!first) return { kind: name, items: [], span };
      if (first.kind === 'list' || first.kind === 'tuple') return { ...first, kind: name, span };
      return unknown(`${name}()`, span);
    case 'str':
      return first ? (pyStr(first) ?? unknown('str()', span)) : { kind: 'str', value: '', span };
    case 'int': {
      if (!first) return { kind: 'int', value: 0, span };
      if (first.kind === 'int') return first;
      if (first.kind === 'bool') return { kind: 'int', value: first.value ? 1 : 0, span };
      if (first.kind === 'float') return { kind: 'int', value: Math.trunc(first.value), span };
      if (first.kind === 'str' && INT_TEXT.test(first.value))
        return { kind: 'int', value: parseInt(first.value.replace(/_/g, ''), 10), span };
      return unknown('int()', span);
    }
    case 'float': {
      if (first?.kind === 'int' || first?.kind === 'float')
        return { kind: 'float', value: first.value, span };
      if (first?.kind === 'str' && first.value.trim() !== '' && Number.isFinite(Number(first.value)))
        return { kind: 'float', value: Number(first.value), span };
      return unknown('float()', span);
    }
    case 'bool': {
      if (!first) return { kind: 'bool', value: false, span };
      const s = pyStr(first);
      if (first.kind === 'str') return { kind: 'bool', value: first.value.length > 0, span };
      if (s)
        return {
          kind: 'bool',
          value: !['0', '0.0', 'False', 'None'].includes((s as { value: string }).value),
          span,
        };
      return unknown('bool()', span);
    }
    default:
      return unknown(`call to ${name}()`, span);
  }
}

/** Methods called on a value (`'...'.format(...)`, `d.get(k, default)` …). */
export function callMethod(recv: Value, method: string, args: CallArgs, span: Span): Value {
  if (recv.kind === 'str' || (recv.kind === 'unknown' && STR_METHODS.has(method))) {
    const lifted = liftStrMethod(recv, method, args, span);
    if (lifted) return lifted;
  }
  if (recv.kind === 'unknown') return unknown(recv.reason, span);
  if (recv.kind === 'str') return strMethod(recv.value, method, args, span);
  if (recv.kind === 'dict') {
    if (method === 'get') {
      const key = args.positional[0];
      if (!key) return unknown('dict.get()', span);
      const found = dictLookup(recv, key);
      if (found.found === true) return found.entry.value;
      if (found.found === false) return args.positional[1] ?? { kind: 'none', span };
      return unknown('key may be set elsewhere', span);
    }
    if (method === 'copy') return recv;
  }
  if ((recv.kind === 'list' || recv.kind === 'tuple') && method === 'copy') return recv;
  return unknown(`.${method}()`, span);
}

/**
 * A str method whose receiver or arguments hold environment lookups: Unknown naming the variables, with the
 * result over their visible defaults as its default (undefined when nothing is an environment lookup).
 */
function liftStrMethod(recv: Value, method: string, args: CallArgs, span: Span): Value | undefined {
  if (args.open) return recv.kind === 'unknown' ? unknown(recv.reason, span) : undefined;
  const names = [...args.keywords.keys()];
  const n = args.positional.length;
  const inputs = [recv, ...args.positional, ...args.keywords.values()];
  const whenSet =
    recv.kind === 'unknown' && recv.whenSet !== 'str'
      ? undefined
      : method === 'split' || method === 'rsplit'
        ? 'list'
        : method === 'startswith' || method === 'endswith'
          ? 'bool'
          : 'str';
  return withEnvDefaults(
    inputs,
    ([r, ...rest]) =>
      callMethod(
        r as Value,
        method,
        {
          positional: rest.slice(0, n),
          keywords: new Map(names.map((k, i) => [k, rest[n + i] as Value])),
          open: false,
        },
        span,
      ),
    span,
    whenSet,
  );
}

// ------------------------------------------------------------------ environment files and Env schemes

const CAST_MODULES: Record<string, EnvCast> = {
  'builtins.str': 'str',
  'builtins.bool': 'bool',
  'builtins.int': 'int',
  'builtins.float': 'float',
  'builtins.list': 'list',
};

/** `Env(DEBUG=(bool, False), PORT=int)`: each variable's cast (a builtin's module name) and default. */
function environSchema(args: CallArgs): NonNullable<UnknownValue['envSchema']> {
  const out: Record<string, { cast?: string | undefined; default?: Value | undefined }> = {};
  for (const [k, v] of args.keywords) {
    if (v.kind === 'tuple' || v.kind === 'list') {
      const [c, d] = v.items;
      out[k] = { cast: c?.kind === 'unknown' ? c.module : undefined, default: d };
    } else out[k] = { cast: v.kind === 'unknown' ? v.module : undefined };
  }
  return out;
}

function schemeOf(ctx: CallContext): NonNullable<UnknownValue['envSchema']> | undefined {
  const r = ctx.receiver;
  return r?.kind === 'unknown' ? r.envSchema : undefined;
}

function schemeCastType(args: CallArgs, ctx: CallContext): WhenSet {
  const name = lookupName(args);
  const cast = name !== undefined ? schemeOf(ctx)?.[name]?.cast : undefined;
  const c = cast !== undefined ? CAST_MODULES[cast] : undefined;
  return c === 'list' ? 'list' : c;
}

/**
 * The default a lookup shows once environment files and Env schemes are taken into account: a value a .env
 * loaded into os.environ gives the variable (cast as the library casts what it reads), else the default
 * django-environ's scheme gives it when the call passes none. Other calls pass through unchanged.
 */
function withFileDefaults(name: string, args: CallArgs, span: Span, ctx: CallContext): CallArgs {
  const helper = findUrlHelper(name);
  if (helper) {
    if (!helper.envVar || !helper.defaultArg) return args;
    const named = helper.envVarArg
      ? (args.keywords.get(helper.envVarArg.keyword) ??
        (helper.envVarArg.index >= 0 ? args.positional[helper.envVarArg.index] : undefined))
      : undefined;
    const variable = named?.kind === 'str' ? named.value : named ? undefined : helper.envVar;
    if (variable === undefined) return args;
    const fromFile = ctx.fileValue?.(variable, false);
    if (fromFile !== undefined)
      return withDefault(args, helper.defaultArg.index, helper.defaultArg.keyword, {
        kind: 'str',
        value: fromFile,
        span,
      });
    const hasDefault =
      args.keywords.has(helper.defaultArg.keyword) ||
      (helper.defaultArg.index >= 0 && args.positional.length > helper.defaultArg.index);
    const scheme = helper.library === 'django-environ' ? schemeOf(ctx)?.[variable]?.default : undefined;
    return !hasDefault && scheme
      ? withDefault(args, helper.defaultArg.index, helper.defaultArg.keyword, scheme)
      : args;
  }
  let cast: EnvCast;
  let index: number;
  if (ENV_LOOKUPS[name]) {
    cast = 'str';
    index = ENV_LOOKUPS[name].defaultIndex;
  } else if (name === 'environ.Env()') {
    const v = lookupName(args);
    const c = v !== undefined ? schemeOf(ctx)?.[v]?.cast : undefined;
    cast = c !== undefined ? CAST_MODULES[c] : 'str';
    index = -1;
  } else if (name.startsWith('environ.Env().') && ENVIRON_CASTS.has(name.slice('environ.Env().'.length))) {
    const method = name.slice('environ.Env().'.length);
    cast = (['str', 'bool', 'int', 'float', 'list'] as const).find((m) => m === method);
    if (cast === undefined) return args;
    index = 1;
  } else return args;
  const variable = lookupName(args);
  if (variable === undefined) return args;
  const fromFile = ctx.fileValue?.(variable, false);
  if (fromFile !== undefined) {
    const v = environCast(cast, fromFile, span);
    return v ? withDefault(args, index, 'default', v) : args;
  }
  const hasDefault = args.keywords.has('default') || (index >= 0 && args.positional.length > index);
  const scheme = name.startsWith('environ.Env()') ? schemeOf(ctx)?.[variable]?.default : undefined;
  return !hasDefault && scheme ? withDefault(args, index, 'default', scheme) : args;
}
