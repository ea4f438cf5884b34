/**
 * The well-known URL settings helpers as data (django-environ `env.cache()`/`env.db()`, dj-database-url,
 * django-cache-url): a URL becomes the CACHES/DATABASES entry the library would build, following the scheme
 * tables in knowledge/url-helpers.ts. A helper reading an environment variable returns that entry as "what it
 * is if the variable is unset" (every leaf an environment lookup with a visible default), like
 * `os.environ.get` defaults; nothing is executed.
 */
import { URL_SCHEMES, findUrlHelper, type UrlDialect, type UrlHelper } from '../knowledge/url-helpers';
import type { DictEntry, Span, Value } from '../types';
import { IS_VALUE, parseSettingsUrl, type Py } from './url-parsers';
import { unknown } from './values';

interface Args {
  readonly positional: readonly Value[];
  readonly keywords: ReadonlyMap<string, Value>;
  readonly open: boolean;
}

function toValue(x: Py, span: Span): Value {
  if (x === null) return { kind: 'none', span };
  if (typeof x === 'string') return { kind: 'str', value: x, span };
  if (typeof x === 'boolean') return { kind: 'bool', value: x, span };
  if (typeof x === 'number') return { kind: Number.isInteger(x) ? 'int' : 'float', value: x, span };
  if (Array.isArray(x)) return { kind: 'list', items: x.map((i) => toValue(i, span)), span };
  const wrapped = (x as Record<symbol, Value | undefined>)[IS_VALUE];
  if (wrapped) return { ...wrapped, span };
  const entries: DictEntry[] = Object.entries(x).map(([k, v]) => ({
    key: { kind: 'str', value: k, span },
    value: toValue(v, span),
    keySpan: span,
  }));
  return { kind: 'dict', entries, span };
}

/**
 * `v` as "what it is if `envVar` is unset": a dict keeps its keys and every leaf becomes an environment
 * lookup whose visible default is the leaf (so rules judge it and say "if X is unset"); any other value
 * becomes one such lookup. An empty dict stays a lookup whose default is `{}`. Without `envVar`, the
 * default holds when `extra.defaultWhen` does (a file's existence: "if local.py is absent").
 */
export function asEnvDefault(
  v: Value,
  envVar: string | undefined,
  reason: string,
  extra: {
    whenSet?: 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict';
    alternatives?: readonly Value[];
    defaultWhen?: string | undefined;
  } = {},
  depth = 0,
): Value {
  if (v.kind === 'dict' && v.entries.length > 0 && !v.open && depth < 8) {
    const alts = extra.alternatives;
    return {
      ...v,
      entries: v.entries.map((e) => {
        // Each alternative's value under the same key (every arm of an if/elif/else chain).
        const altValues = alts?.map((alt) => {
          if (alt.kind !== 'dict') return unknown('other');
          const other = alt.entries.find(
            (o) => o.key.kind === 'str' && e.key.kind === 'str' && o.key.value === e.key.value,
          );
          return other ? other.value : unknown('not set');
        });
        return {
          ...e,
          value: asEnvDefault(
            e.value,
            envVar,
            reason,
            { alternatives: altValues, defaultWhen: extra.defaultWhen },
            depth + 1,
          ),
        };
      }),
    };
  }
  // A BACKEND the library chooses at load time stays the visible default: the layers resolve it.
  if (v.kind === 'unknown' && !v.backendChoice) {
    if (v.envVar === envVar) return v;
    return unknown(v.reason, v.span, { envVar: v.envVar ?? envVar, default: v.default, module: v.module });
  }
  return unknown(reason, v.span, {
    envVar,
    default: v,
    whenSet: extra.whenSet,
    alternatives: extra.alternatives,
    defaultWhen: envVar === undefined ? extra.defaultWhen : undefined,
  });
}

// ------------------------------------------------------------------ calls

function arg(args: Args, a: { index: number; keyword: string } | undefined): Value | undefined {
  if (!a) return undefined;
  return args.keywords.get(a.keyword) ?? (a.index >= 0 ? args.positional[a.index] : undefined);
}

function label(helper: UrlHelper, call: string): string {
  const short = call.replace(/^environ\.Env\(\)\./, 'env.').replace(/^environ\.Env\./, 'Env.');
  return `${short}() (${helper.library})`;
}

/**
 * The value of a call to a known URL helper, or undefined when `call` is not one. A URL read from the
 * environment gives its default's entry "if VAR is unset"; a URL given as a literal gives the entry itself.
 */
export function callUrlHelper(call: string, args: Args, span: Span): Value | undefined {
  const helper = findUrlHelper(call);
  if (!helper) return undefined;
  const name = label(helper, call);
  if (args.open) return unknown(`${name} with unknown arguments`, span);
  if (helper.urlArg) {
    const url = arg(args, helper.urlArg);
    return parseUrlValue(helper.dialect, url, args.keywords, span, name);
  }
  const varArg = arg(args, helper.envVarArg);
  if (varArg && varArg.kind !== 'str') return unknown(`${name} of an unknown variable`, span);
  const envVar = varArg?.value ?? helper.envVar ?? 'the environment variable';
  const reason = `environment variable ${envVar} read by ${name}`;
  let dflt = arg(args, helper.defaultArg);
  if (dflt === undefined && helper.whenUnset === 'url' && helper.implicitDefault !== undefined)
    dflt = { kind: 'str', value: helper.implicitDefault, span };
  if (dflt === undefined && helper.whenUnset === 'empty') dflt = { kind: 'none', span };
  if (dflt === undefined) {
    // django-environ: the variable is required (ImproperlyConfigured when unset).
    return unknown(reason, span, { envVar });
  }
  const parsed =
    dflt.kind === 'none'
      ? emptyOrNone(helper)
      : parseUrlValue(helper.dialect, dflt, args.keywords, span, name);
  if (parsed.kind === 'unknown' && !parsed.default) return unknown(reason, span, { envVar });
  return asEnvDefault(parsed, envVar, reason, { whenSet: 'dict' });
}

/** `default=None`: django-environ and dj-database-url give `{}`; django-cache-url would fail on None. */
function emptyOrNone(helper: UrlHelper): Value {
  return helper.library === 'django-cache-url'
    ? unknown('django-cache-url of None')
    : { kind: 'dict', entries: [] };
}

function parseUrlValue(
  dialect: UrlDialect,
  url: Value | undefined,
  keywords: ReadonlyMap<string, Value>,
  span: Span,
  name: string,
): Value {
  if (url?.kind === 'unknown' && url.envVar && url.default?.kind === 'str') {
    // `parse(os.environ.get('X', 'redis://…'))`: the entry of the default, if X is unset.
    const inner = parseSettingsUrl(dialect, url.default.value, keywords);
    if (inner === undefined) return unknown(`${name} of an environment variable`, span);
    const reason = `environment variable ${url.envVar} parsed by ${name}`;
    return asEnvDefault(toValue(inner, span), url.envVar, reason, { whenSet: 'dict' });
  }
  if (url?.kind !== 'str') return unknown(`${name} of an unknown URL`, span);
  const parsed = parseSettingsUrl(dialect, url.value, keywords);
  return parsed === undefined ? unknown(`${name}: a URL the library rejects`, span) : toValue(parsed, span);
}

/** The helper call a value came from (`env.cache() (django-environ)`), read from the lookups it built. */
export function urlHelperOf(
  v: Value,
): { call: string; helper: UrlHelper; envVar: string | undefined } | undefined {
  const leaf = firstLeaf(v, 0);
  const m = leaf?.kind === 'unknown' ? / (?:read|parsed) by (\S+)\(\) \(([a-z-]+)\)/.exec(leaf.reason) : null;
  if (!m || leaf?.kind !== 'unknown') return undefined;
  const short = m[1] ?? '';
  const call = short.startsWith('env.')
    ? `environ.Env().${short.slice(4)}`
    : short.replace(/^Env\./, 'environ.Env.');
  const helper = findUrlHelper(call);
  return helper ? { call: short, helper, envVar: leaf.envVar } : undefined;
}

function firstLeaf(v: Value, depth: number): Value | undefined {
  if (depth > 8) return undefined;
  if (v.kind === 'dict') {
    for (const e of v.entries) {
      const l = firstLeaf(e.value, depth + 1);
      if (l) return l;
    }
    return undefined;
  }
  return v.kind === 'unknown' ? v : undefined;
}

/** The value with every environment lookup replaced by its visible default; undefined where there is none. */
export function ifUnsetView(v: Value, depth = 0): Value | undefined {
  if (depth > 20) return undefined;
  if (v.kind === 'unknown') return v.default ? ifUnsetView(v.default, depth + 1) : undefined;
  if (v.kind === 'dict') {
    const entries: DictEntry[] = [];
    for (const e of v.entries) {
      const inner = ifUnsetView(e.value, depth + 1);
      if (!inner) return undefined;
      entries.push({ ...e, value: inner });
    }
    return { ...v, entries };
  }
  if (v.kind === 'list' || v.kind === 'tuple') {
    const items: Value[] = [];
    for (const i of v.items) {
      const inner = ifUnsetView(i, depth + 1);
      if (!inner) return undefined;
      items.push(inner);
    }
    return { ...v, items };
  }
  return v;
}

/** Example URLs of a helper's schemes, for completion: `[url, what it becomes]`. */
export function urlSchemeExamples(dialect: UrlDialect): [string, string][] {
  return Object.entries(URL_SCHEMES[dialect]).map(([scheme, t]) => [
    `${scheme}://`,
    typeof t === 'string' ? t : `one of ${t.candidates.join(', ')}`,
  ]);
}
