/**
 * Where a server listens, from the strings Django's cache backends and database drivers accept: memcached's
 * `host:port` forms, redis-py's URLs, and the HOST / PORT that mysqlclient and libpq read. Pure string work: the
 * connection plan (`connection-plan.ts`) calls these for every value it can see.
 */
import {
  DEFAULT_MEMCACHED_PORT,
  DEFAULT_MYSQL_PORT,
  DEFAULT_MYSQL_SOCKET,
  DEFAULT_POSTGRESQL_PORT,
  DEFAULT_POSTGRESQL_SOCKET_DIR,
  DEFAULT_REDIS_PORT,
} from './knowledge';
import { redisUrlFor } from './rules/dsl110-redis-location-without-scheme';

export type StoreAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

export function parsePort(s: string): number | undefined {
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** `host:port`, `[v6]:port`, `inet6:[v6]:port`, `host` (port 11211), `unix:/path`, `/path` — or why not. */
export function memcachedAddress(entry: string): { address: StoreAddress } | string {
  let t = entry.trim();
  if (/^unix:/i.test(t)) return { address: { kind: 'unix', path: t.slice(5).replace(/^\/\/(?=\/)/, '') } };
  if (t.startsWith('/')) return { address: { kind: 'unix', path: t } };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t))
    return `'${t.replace(/\/\/.*@/, '//…@')}' is a URL; memcached backends expect host:port`;
  t = t.replace(/^inet6:/i, '');
  const v6 = /^\[([0-9A-Fa-f:.%\w]+)\](?::(\d+))?$/.exec(t);
  if (v6) {
    const port = v6[2] === undefined ? DEFAULT_MEMCACHED_PORT : parsePort(v6[2]);
    return port ? { address: { kind: 'tcp', host: v6[1] ?? '', port } } : `'${t}' has an invalid port`;
  }
  const hp = /^([\w.-]+)(?::(\d+))?$/.exec(t);
  if (!hp) return `'${t}' is not a host:port address`;
  const port = hp[2] === undefined ? DEFAULT_MEMCACHED_PORT : parsePort(hp[2]);
  return port ? { address: { kind: 'tcp', host: hp[1] ?? '', port } } : `'${t}' has an invalid port`;
}

export interface RedisTarget {
  readonly address: StoreAddress;
  readonly tls: boolean;
  readonly tlsVerify: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** redis-py's URL query: parameter names lower-cased, names and values percent-decoded. */
function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const kv of query.split('&')) {
    if (kv === '') continue;
    const eq = kv.indexOf('=');
    params.set(decode(eq < 0 ? kv : kv.slice(0, eq)).toLowerCase(), decode(eq < 0 ? '' : kv.slice(eq + 1)));
  }
  return params;
}

/** The parts of a redis://, rediss:// or unix:// URL: credentials from the userinfo, the rest as written. */
interface RedisUrl {
  readonly scheme: string;
  /** `host:port` (empty for unix://). */
  readonly hostport: string;
  /** The socket path for unix://, else `/db` or empty. */
  readonly path: string;
  readonly username?: string;
  readonly password?: string;
  readonly params: Map<string, string>;
}

function parseRedisUrl(url: string): RedisUrl {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  let rest = url.slice(scheme.length + 3);
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1).split('#')[0] ?? '';
    rest = rest.slice(0, q);
  }
  // The userinfo ends at the last '@' before the path (a password may hold '@').
  const slash = scheme === 'unix' ? rest.indexOf('/') : rest.indexOf('/', Math.max(0, rest.lastIndexOf('@')));
  const authority =
    scheme === 'unix' ? rest.slice(0, Math.max(0, slash)) : slash < 0 ? rest : rest.slice(0, slash);
  const path = scheme === 'unix' ? rest.slice(Math.max(0, slash)) : slash < 0 ? '' : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  if (at < 0) return { scheme, hostport: authority, path, params: queryParams(query) };
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  return {
    scheme,
    hostport: authority.slice(at + 1),
    path,
    ...(user !== '' ? { username: user } : {}),
    ...(colon >= 0 ? { password: decode(userinfo.slice(colon + 1)) } : {}),
    params: queryParams(query),
  };
}

/** `host:port` or `[v6]:port` of a redis:// URL (empty host: localhost; no port: 6379) — or why not. */
function redisTcpAddress(hostport: string): StoreAddress | string {
  const v6 = /^\[([^\]]+)\](?::(\d*))?$/.exec(hostport);
  const hp = v6 ?? /^([^:]*)(?::(\d*))?$/.exec(hostport);
  if (!hp) return 'invalid host:port';
  const host = hp[1] || 'localhost';
  const port = hp[2] ? parsePort(hp[2]) : DEFAULT_REDIS_PORT;
  if (!port) return `invalid port '${hp[2] ?? ''}'`;
  return { kind: 'tcp', host, port };
}

/** The database number of a URL: `?db=N`, else redis://host/N (not for unix://), else none — or why not. */
function redisDb(url: RedisUrl): { db?: number } | string {
  const dbParam = url.params.get('db');
  if (dbParam !== undefined) {
    if (!/^\d+$/.test(dbParam)) return `db=${dbParam} is not a number`;
    return { db: Number(dbParam) };
  }
  if (url.scheme === 'unix') return {};
  const path = url.path.replace(/^\//, '');
  if (path === '') return {};
  if (!/^\d+$/.test(path)) return `'/${path}' is not a database number`;
  return { db: Number(path) };
}

/** A redis-py URL (`redis://[[user]:pw@]host[:port][/db]`, `rediss://…`, `unix://[[user]:pw@]/path?db=N`) — or why not. */
export function redisTarget(entry: string): RedisTarget | string {
  let t = entry.trim();
  if (!/^(rediss?|unix):\/\//i.test(t)) {
    const url = redisUrlFor(t);
    if (!url) return `'${t}' is not a redis://, rediss:// or unix:// URL (DSL110)`;
    t = url;
  }
  const url = parseRedisUrl(t);
  const username = url.params.has('username') ? url.params.get('username') : url.username;
  const password = url.params.has('password') ? url.params.get('password') : url.password;
  const db = redisDb(url);
  if (typeof db === 'string') return db;
  const verify = (url.params.get('ssl_cert_reqs') ?? 'required').toLowerCase();
  const tlsVerify = verify !== 'none' && verify !== 'optional';
  if (url.scheme === 'unix' && url.path === '') return 'unix:// URL without a socket path';
  const address: StoreAddress | string =
    url.scheme === 'unix' ? { kind: 'unix', path: url.path } : redisTcpAddress(url.hostport);
  if (typeof address === 'string') return address;
  return {
    address,
    tls: url.scheme === 'rediss',
    tlsVerify,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
    ...db,
  };
}

/** Where mysqlclient / libpq connect for a HOST and PORT (Django passes them on unchanged). */
export function databaseAddresses(
  protocol: 'mysql' | 'postgresql',
  host: string,
  portText: string,
  mysqlSocket?: string,
): StoreAddress[] | string {
  if (protocol === 'mysql') {
    const port = portText === '' ? DEFAULT_MYSQL_PORT : parsePort(portText);
    if (!port) return `PORT '${portText}' is not a port number`;
    // mysqlclient: HOST starting with '/' is the socket (Django); '' and 'localhost' mean the default socket.
    if (host.startsWith('/')) return [{ kind: 'unix', path: host }];
    if (host === '' || host.toLowerCase() === 'localhost')
      return [{ kind: 'unix', path: mysqlSocket ?? DEFAULT_MYSQL_SOCKET }];
    return [{ kind: 'tcp', host, port }];
  }
  // libpq: comma-separated host and port lists; a host starting with '/' is a socket directory.
  const hosts = host === '' ? [''] : host.split(',');
  const ports = portText === '' ? [] : portText.split(',');
  const out: StoreAddress[] = [];
  for (const [i, h0] of hosts.entries()) {
    const h = h0.trim();
    const pt = (ports.length === 1 ? ports[0] : ports[i])?.trim() ?? '';
    const port = pt === '' ? DEFAULT_POSTGRESQL_PORT : parsePort(pt);
    if (!port) return `PORT '${portText}' is not a port number`;
    if (h === '' || h.startsWith('/'))
      out.push({
        kind: 'unix',
        path: `${h === '' ? DEFAULT_POSTGRESQL_SOCKET_DIR : h.replace(/\/+$/, '')}/.s.PGSQL.${port}`,
      });
    else out.push({ kind: 'tcp', host: h, port });
  }
  return out;
}
