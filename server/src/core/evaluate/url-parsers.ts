/**
 * URLs as the settings-URL libraries read them: Python's `urllib.parse` pieces they use (`urlparse`,
 * `unquote`, `parse_qs`, `ast.literal_eval` of simple literals) and the four parsers (django-environ's cache
 * and database URLs, dj-database-url, django-cache-url) that turn a URL into the CACHES/DATABASES entry the
 * library would build, following the scheme tables in knowledge/url-helpers.ts. Used by url-helpers.ts.
 */
import {
  URL_HELPER_FACTS as F,
  URL_SCHEMES,
  type SchemeTarget,
  type UrlDialect,
} from '../knowledge/url-helpers';
import type { Value } from '../types';
import { unknown } from './values';

/** A URL parser's result: Python data, with Values where the URL is not known. */
export type Py = string | number | boolean | null | Py[] | { [k: string]: Py } | Value;

export const IS_VALUE = Symbol('value');
/** A Value placed inside a Py tree (an environment-dependent BACKEND, say). */
function asIs(v: Value): Py {
  return { [IS_VALUE]: v } as unknown as Py;
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
