/**
 * The well-known URL settings helpers as data (django-environ `env.cache()`/`env.db()`, dj-database-url,
 * django-cache-url): a URL becomes the CACHES/DATABASES entry the library would build, following the scheme
 * tables in knowledge/url-helpers.ts. A helper reading an environment variable returns that entry as "what it
 * is if the variable is unset" (every leaf an environment lookup with a visible default), like
 * `os.environ.get` defaults; nothing is executed.
 */
import {
  URL_HELPER_FACTS as F,
  URL_SCHEMES,
  findUrlHelper,
  type SchemeTarget,
  type UrlDialect,
  type UrlHelper,
} from '../knowledge/url-helpers';
import type { DictEntry, Span, Value } from '../types';
import { unknown } from './values';

interface Args {
  readonly positional: readonly Value[];
  readonly keywords: ReadonlyMap<string, Value>;
  readonly open: boolean;
}

type Py = string | number | boolean | null | Py[] | { [k: string]: Py } | Value;

const IS_VALUE = Symbol('value');
/** A Value placed inside a Py tree (an environment-dependent BACKEND, say). */
function asIs(v: Value): Py {
  return { [IS_VALUE]: v } as unknown as Py;
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

// ------------------------------------------------------------------ URLs as Python's urlparse sees them

interface Url {
  readonly scheme: string;
  readonly netloc: string;
  readonly path: string;
  readonly query: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly hostname: string | undefined;
  readonly port: number | undefined;
}

function urlparse(url: string): Url | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!m) return undefined;
  const netloc = m[2] ?? '';
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  let hostname: string | undefined;
  let port: number | undefined;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  if (hp) {
    hostname = (hp[1] ?? '').replace(/^\[|\]$/g, '').toLowerCase() || undefined;
    if (hp[2]) port = parseInt(hp[2], 10);
  } else {
    hostname = hostport.toLowerCase() || undefined;
  }
  const colon = userinfo?.indexOf(':') ?? -1;
  return {
    scheme: (m[1] ?? '').toLowerCase(),
    netloc,
    path: m[3] ?? '',
    query: m[4] ?? '',
    username: userinfo === undefined ? undefined : colon >= 0 ? userinfo.slice(0, colon) : userinfo,
    password: userinfo !== undefined && colon >= 0 ? userinfo.slice(colon + 1) : undefined,
    hostname,
    port,
  };
}

function unquote(s: string, plus = false): string {
  const t = plus ? s.replace(/\+/g, ' ') : s;
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
}

/** `urllib.parse.parse_qs`: blank values dropped, keys/values unquoted, repeated keys collected. */
function parseQs(query: string): [string, string[]][] {
  const out = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const v = unquote(part.slice(eq + 1), true);
    if (v === '') continue;
    const k = unquote(part.slice(0, eq), true);
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  return [...out];
}

/** `ast.literal_eval` of simple literals, else the string (django-environ's `_cast`). */
function literalEval(s: string): Py {
  if (/^[-+]?\d+$/.test(s)) return parseInt(s, 10);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (s === 'True') return true;
  if (s === 'False') return false;
  if (s === 'None') return null;
  const q = /^(['"])(.*)\1$/.exec(s);
  if (q) return q[2] ?? '';
  return s;
}

function target(t: SchemeTarget | undefined, what: string): Py | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'string') return t;
  return asIs(
    unknown(`${what}: one of ${t.candidates.join(', ')} (${t.choice})`, undefined, {
      backendChoice: t.rules,
    }),
  );
}

// ------------------------------------------------------------------ the four parsers

/** Parses `url` the way `dialect` does; undefined when the library would raise or the URL is not understood. */
export function parseSettingsUrl(
  dialect: UrlDialect,
  url: string,
  keywords: ReadonlyMap<string, Value> = new Map(),
): Py | undefined {
  switch (dialect) {
    case 'environ-cache':
      return environCache(url);
    case 'environ-db':
      return environDb(url);
    case 'dj-database-url':
      return djDatabaseUrl(url, keywords);
    case 'django-cache-url':
      return djangoCacheUrl(url);
  }
}

function environCache(raw: string): Py | undefined {
  if (!raw) return {};
  const url = urlparse(raw);
  if (!url) return undefined;
  const schemes = URL_SCHEMES['environ-cache'];
  if (!(url.scheme in schemes)) return undefined;
  const hosts = url.netloc.split(',');
  let location: Py = hosts.length === 1 ? (hosts[0] ?? '') : hosts;
  if (url.scheme === 'filecache') location = url.netloc + url.path;
  else if (url.scheme.startsWith('redis')) {
    const scheme = url.hostname ? url.scheme.replace('cache', '') : 'unix';
    const locs = hosts.map((h) => `${scheme}://${h}${url.path}`);
    location = locs.length === 1 ? (locs[0] ?? '') : locs;
  } else if (!url.netloc && url.path && (url.scheme === 'memcache' || url.scheme === 'pymemcache')) {
    location = 'unix:' + url.path;
  }
  const out: Record<string, Py> = {
    BACKEND: target(schemes[url.scheme], 'django-environ BACKEND') ?? null,
    LOCATION: location,
  };
  const q = parseQs(url.query);
  if (q.length > 0) {
    const options: Record<string, Py> = {};
    for (const [k, v] of q) {
      const key = k.toUpperCase();
      const val = literalEval(v[0] ?? '');
      if ((F.environCacheBaseOptions as readonly string[]).includes(key)) out[key] = val;
      else options[key] = val;
    }
    out['OPTIONS'] = options;
  }
  return out;
}

function environDb(raw: string): Py | undefined {
  const sqlite = URL_SCHEMES['environ-db']['sqlite'];
  if (raw === 'sqlite://:memory:') return { ENGINE: target(sqlite, 'ENGINE') ?? null, NAME: ':memory:' };
  if (!raw) return undefined;
  const url = urlparse(raw);
  if (!url) return undefined;
  let path = unquote((url.path.slice(1).split('?')[0] ?? '').replace(/\+/g, ' '));
  if (url.scheme === 'sqlite' && path === '') path = ':memory:';
  const postgres = (F.environPostgresSchemes as readonly string[]).includes(url.scheme);
  let host: Py = url.hostname ?? '';
  let port: Py = url.port ?? '';
  if (postgres && url.netloc.includes(',')) {
    const hostsPart = url.netloc.slice(url.netloc.lastIndexOf('@') + 1);
    const pairs = hostsPart.split(',').map((h) => h.split(':'));
    host = pairs.map((p) => p[0] ?? '').join(',');
    port = pairs.map((p) => p[1] ?? '').join(',');
  }
  const out: Record<string, Py> = {
    NAME: path,
    USER: url.username ? unquote(url.username) : '',
    PASSWORD: url.password ? unquote(url.password) : '',
    HOST: host,
    PORT: url.scheme === 'oracle' && port !== '' ? String(port) : port,
  };
  if (postgres && path.startsWith('/')) {
    const slash = path.lastIndexOf('/');
    out['HOST'] = path.slice(0, slash);
    out['NAME'] = path.slice(slash + 1);
  }
  const q = parseQs(url.query);
  if (q.length > 0) {
    const options: Record<string, Py> = {};
    for (const [k, v] of q) {
      const val = v[0] ?? '';
      if ((F.environDbBaseOptions as readonly string[]).includes(k.toUpperCase()))
        out[k.toUpperCase()] = literalEval(val);
      else options[k] = /^[-+]?\d+$/.test(val) ? parseInt(val, 10) : val;
    }
    out['OPTIONS'] = options;
  }
  out['ENGINE'] = target(URL_SCHEMES['environ-db'][url.scheme], 'ENGINE') ?? url.scheme;
  return out;
}

function djDatabaseUrl(raw: string, kw: ReadonlyMap<string, Value>): Py | undefined {
  const schemes = URL_SCHEMES['dj-database-url'];
  if (raw === 'sqlite://:memory:')
    return { ENGINE: target(schemes['sqlite'], 'ENGINE') ?? null, NAME: ':memory:' };
  if (!raw) return {};
  const url = urlparse(raw);
  if (!url || !(url.scheme in schemes)) return undefined;
  let hostname = url.hostname ?? '';
  if (hostname.includes('%')) hostname = url.netloc.slice(url.netloc.lastIndexOf('@') + 1);
  hostname = unquote(hostname);
  const stringPort = (F.djDatabaseUrlStringPort as readonly string[]).includes(url.scheme);
  const out: Record<string, Py> = {
    NAME: unquote(url.path.slice(1)),
    USER: unquote(url.username ?? ''),
    PASSWORD: unquote(url.password ?? ''),
    HOST: hostname,
    PORT: url.port === undefined ? '' : stringPort ? String(url.port) : url.port,
  };
  for (const a of F.djDatabaseUrlArgumentKeys) {
    const given = kw.get(a.keyword);
    out[a.key] = given ? asIs(given) : a.default;
  }
  const engine = kw.get('engine');
  out['ENGINE'] = engine ? asIs(engine) : (target(schemes[url.scheme], 'ENGINE') ?? null);
  if (url.scheme === 'sqlite' && out['NAME'] === '') out['NAME'] = ':memory:';
  const options: Record<string, Py> = {};
  for (const [k, vs] of parseQs(url.query)) {
    const cast = vs.map((v): Py =>
      /^\d+$/.test(v) ? parseInt(v, 10) : v === 'true' ? true : v === 'false' ? false : v,
    );
    options[k] = cast.length === 1 ? (cast[0] ?? '') : cast;
  }
  const ssl = kw.get('ssl_require');
  if (ssl?.kind === 'bool' && ssl.value) options['sslmode'] = 'require';
  else if (ssl && ssl.kind !== 'bool') return undefined;
  if (Object.keys(options).length > 0) out['OPTIONS'] = options;
  return out;
}

function djangoCacheUrl(raw: string): Py | undefined {
  if (!raw) return {};
  const url = urlparse(raw);
  if (!url) return undefined;
  const schemes = URL_SCHEMES['django-cache-url'];
  if (!(url.scheme in schemes)) return undefined;
  const args: [string, string][] = parseQs(url.query).map(([k, v]) => [k.toUpperCase(), v.join(';')]);
  const out: Record<string, Py> = {};
  const redisScheme = ['redis', 'rediss', 'hiredis'].includes(url.scheme);
  const lib = args.find(([k]) => k === 'LIB')?.[1];
  out['BACKEND'] =
    redisScheme && lib === 'redis-cache'
      ? 'redis_cache.RedisCache'
      : (target(schemes[url.scheme], 'django-cache-url BACKEND') ?? null);
  const options: Record<string, Py> = {};
  if (url.scheme === 'hiredis') options['PARSER_CLASS'] = 'redis.connection.HiredisParser';
  if (!url.netloc) {
    if ((F.cacheUrlMemcachedSchemes as readonly string[]).includes(url.scheme))
      out['LOCATION'] = 'unix://' + url.path;
    else if (url.scheme === 'redis' || url.scheme === 'hiredis') {
      const m = /^.+?(\d+)/.exec(url.path);
      const dir = m ? url.path.slice(0, url.path.lastIndexOf('/')) : url.path;
      out['LOCATION'] = `unix://${dir}?db=${m?.[1] ?? '0'}`;
    } else out['LOCATION'] = url.path;
  } else {
    out['LOCATION'] = url.netloc.split(',').join(';');
    if (redisScheme) {
      if (url.netloc.includes(',')) return undefined; // two redis hosts: ValueError on the port
      const scheme = url.scheme === 'rediss' ? 'rediss' : 'redis';
      if (url.password) {
        // Django < 4 with django_redis moves it to OPTIONS; elsewhere it stays in LOCATION.
        out['LOCATION'] = asIs(unknown('django-cache-url LOCATION (the password moves by Django version)'));
      } else {
        out['LOCATION'] = `${scheme}://${url.hostname ?? ''}:${url.port ?? 6379}/${url.path.slice(1) || '0'}`;
      }
    }
  }
  if (url.scheme === 'uwsgicache' && !out['LOCATION']) out['LOCATION'] = 'default';
  const rest: [string, string][] = [];
  for (const [k, v] of args) {
    if ((F.cacheUrlIntOptions as readonly string[]).includes(k)) {
      if (!/^[-+]?\d+$/.test(v.trim())) return undefined;
      options[k] = parseInt(v, 10);
    } else rest.push([k, v]);
  }
  if (Object.keys(options).length > 0) out['OPTIONS'] = options;
  for (const [k, v] of rest) out[k] = v;
  return out;
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
