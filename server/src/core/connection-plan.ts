/**
 * Which servers the session store in use needs, read from the effective configuration (no I/O): every LOCATION
 * of the sessions' cache alias, Horizon's `caches['default']` when SIMULTANEOUS_SESSIONS is 'disconnect', and
 * `DATABASES['default']` for db/cached_db (and DatabaseCache). The node-side checker (server/src/connection/)
 * contacts exactly these addresses and nothing else.
 */
import type { Analysis } from './analyze';
import { dictLookup, possibilities } from './evaluate/values';
import {
  CACHES,
  CACHE_KEY_BACKEND,
  CACHE_KEY_LOCATION,
  CACHE_KEY_OPTIONS,
  DATABASES,
  DEFAULT_ALIAS,
  DEFAULT_MEMCACHED_PORT,
  DEFAULT_MYSQL_PORT,
  DEFAULT_MYSQL_SOCKET,
  DEFAULT_POSTGRESQL_PORT,
  DEFAULT_POSTGRESQL_SOCKET_DIR,
  DEFAULT_REDIS_PORT,
  DJANGO_REDIS_LOCATION_SEPARATORS_RE,
  LOCATION_SEPARATORS_RE,
  SESSION_ENGINE,
  SIMULTANEOUS_SESSIONS,
  SIMULTANEOUS_SESSIONS_DISCONNECT,
  cacheFamily,
  findDatabaseEngine,
  findSessionEngine,
} from './knowledge';
import type { EffectiveSetting } from './layers/project';
import { redisUrlFor } from './rules/dsl110-redis-location-without-scheme';
import { knownString, knownStrings } from './rules/framework';
import { lookupEverywhere, type QuerySource } from './queries/entries';
import { sessionCacheAlias, sessionEngine, sessionStorage } from './queries/session-storage';

/** The effective settings of the analysed model (the session-storage queries key their cache on it). */
type SettingsView = QuerySource & { effective(name: string): EffectiveSetting | undefined };
import type { Span, Value } from './types';

export const STORE_PROTOCOLS = ['memcached', 'redis', 'mysql', 'postgresql'] as const;
export type StoreProtocol = (typeof STORE_PROTOCOLS)[number];

export type StoreAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

/** One server to contact. `password` is a secret: used for AUTH only, never shown. */
export interface PlannedEndpoint {
  /** What needs it: `sessions`, `Horizon SIMULTANEOUS_SESSIONS`, `sessions (cached_db)`. */
  readonly purposes: readonly string[];
  /** The setting it comes from: `CACHES['default']['LOCATION']`. */
  readonly setting: string;
  readonly protocol: StoreProtocol;
  /** BACKEND or ENGINE path. */
  readonly backend: string;
  readonly address: StoreAddress;
  /** TLS (rediss://). */
  readonly tls?: boolean;
  /** Verify the server certificate (redis-py's default ssl_cert_reqs='required'). */
  readonly tlsVerify?: boolean;
  readonly username?: string;
  readonly password?: string;
  /** A password is configured but comes from an environment variable with no default (named here). */
  readonly passwordUnknown?: string;
  /** Redis database number to SELECT. */
  readonly db?: number;
  /**
   * Redis Sentinel (django-redis SentinelClient / OPTIONS['SENTINELS']): the sentinels to ask, in order, for the
   * address of the master named by `service` (the LOCATION's host); the master is then checked like any Redis.
   * `address` is the first sentinel.
   */
  readonly sentinel?: {
    readonly service: string;
    readonly sentinels: readonly StoreAddress[];
    /** SENTINEL_KWARGS password (a secret, like `password`). */
    readonly password?: string;
    readonly username?: string;
  };
  /** Databases (for `--login`): the USER comes from an environment variable with no default (named here). */
  readonly usernameUnknown?: string;
  /** Databases: NAME, the database Django connects to. */
  readonly database?: string;
  /** Databases: the environment variables whose visible defaults gave USER, PASSWORD or NAME. */
  readonly credentialsIfUnset?: readonly string[];
  /** PostgreSQL: OPTIONS['sslmode'] (libpq's default is `prefer`). */
  readonly sslmode?: string;
  /** Databases: why a login would not use what the settings show (OPTIONS read_default_file, service, …). */
  readonly loginCaveat?: string;
  /** The environment variable whose visible default gave this address. */
  readonly ifUnset?: string;
  /** Where the value was written (absent for defaults). */
  readonly span?: Span;
}

/** A server the configuration needs but whose address the analyser cannot know. */
export interface UncheckedEndpoint {
  readonly purposes: readonly string[];
  readonly setting: string;
  readonly reason: string;
  /** The environment variable to set (or look at) to know the address. */
  readonly variable?: string;
  readonly span?: Span;
}

export interface ConnectionPlan {
  /** SESSION_ENGINE's possible values (empty when unknown). */
  readonly engines: readonly string[];
  readonly endpoints: readonly PlannedEndpoint[];
  readonly unchecked: readonly UncheckedEndpoint[];
  /** Parts of the store that need no server (`sessions are signed cookies: nothing to contact`). */
  readonly notes: readonly string[];
}

/** Most endpoints one plan lists (a LOCATION list cannot make the check contact hundreds of hosts). */
export const MAX_ENDPOINTS = 64;

const PURPOSE_SESSIONS = 'sessions';
const PURPOSE_HORIZON = "Horizon's SIMULTANEOUS_SESSIONS";

class Planner {
  readonly endpoints: PlannedEndpoint[] = [];
  readonly unchecked: UncheckedEndpoint[] = [];
  readonly notes: string[] = [];
  private readonly doneAliases = new Map<string, string[]>();

  constructor(private readonly view: SettingsView) {}

  endpoint(e: PlannedEndpoint): void {
    const same = this.endpoints.find(
      (x) =>
        x.protocol === e.protocol &&
        sameAddress(x.address, e.address) &&
        x.db === e.db &&
        x.password === e.password &&
        x.tls === e.tls &&
        x.sentinel?.service === e.sentinel?.service,
    );
    if (same) {
      const merged = { ...same, purposes: union(same.purposes, e.purposes) };
      this.endpoints[this.endpoints.indexOf(same)] = merged;
      return;
    }
    if (this.endpoints.length >= MAX_ENDPOINTS) {
      this.note(`more than ${MAX_ENDPOINTS} servers configured: only the first ${MAX_ENDPOINTS} are checked`);
      return;
    }
    this.endpoints.push(e);
  }

  skip(u: UncheckedEndpoint): void {
    const same = this.unchecked.find((x) => x.setting === u.setting && x.reason === u.reason);
    if (same)
      this.unchecked[this.unchecked.indexOf(same)] = { ...same, purposes: union(same.purposes, u.purposes) };
    else this.unchecked.push(u);
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Every server of a CACHES alias. */
  cacheAlias(alias: string, purpose: string): void {
    const prior = this.doneAliases.get(alias);
    if (prior) {
      // Already planned: add the purpose to what that alias produced.
      if (!prior.includes(purpose)) {
        prior.push(purpose);
        const setting = `${CACHES}['${alias}']`;
        for (const [i, e] of this.endpoints.entries())
          if (e.setting.startsWith(setting))
            this.endpoints[i] = { ...e, purposes: union(e.purposes, [purpose]) };
        for (const [i, u] of this.unchecked.entries())
          if (u.setting.startsWith(setting))
            this.unchecked[i] = { ...u, purposes: union(u.purposes, [purpose]) };
      }
      return;
    }
    this.doneAliases.set(alias, [purpose]);
    const label = `${CACHES}['${alias}']`;
    const storage = sessionStorage(this.view);
    const caches = storage.cachesSetting;
    const entry = storage.cacheEntry(alias);
    if (!entry) {
      this.skip({
        purposes: [purpose],
        setting: label,
        ...whyUnknown(
          caches?.value,
          caches ? `${CACHES} has no '${alias}' alias the analyser can see` : `${CACHES} is not set`,
        ),
      });
      return;
    }
    const backendValue = entry.field(CACHE_KEY_BACKEND);
    const backends = knownStrings(backendValue);
    if (!backends) {
      this.skip({
        purposes: [purpose],
        setting: `${label}['${CACHE_KEY_BACKEND}']`,
        ...whyUnknown(backendValue, 'BACKEND is unknown'),
      });
      return;
    }
    for (const b of backends) {
      const backend = b.value.trim();
      const family = cacheFamily(backend);
      switch (family) {
        case 'memcached':
        case 'redis':
          this.cacheServers(
            alias,
            entry.field(CACHE_KEY_LOCATION),
            entry.field(CACHE_KEY_OPTIONS),
            backend,
            family,
            purpose,
          );
          break;
        case 'database':
          this.note(`${label} is a DatabaseCache: it lives in DATABASES['${DEFAULT_ALIAS}']`);
          this.database(`${purpose} (${label}, DatabaseCache)`);
          break;
        case 'locmem':
        case 'dummy':
          this.note(`${label} (${lastPart(backend)}) is inside each Django process: no server to contact`);
          break;
        case 'filebased':
          this.note(`${label} (FileBasedCache) is files on the Django host: no server to contact`);
          break;
        default:
          this.skip({
            purposes: [purpose],
            setting: `${label}['${CACHE_KEY_BACKEND}']`,
            reason: `unknown cache backend '${backend}': not checked`,
          });
      }
    }
  }

  private cacheServers(
    alias: string,
    location: Value | undefined,
    options: Value | undefined,
    backend: string,
    family: 'memcached' | 'redis',
    purpose: string,
  ): void {
    const setting = `${CACHES}['${alias}']['${CACHE_KEY_LOCATION}']`;
    if (!location) {
      this.skip({
        purposes: [purpose],
        setting,
        reason: 'LOCATION is not set: the backend has no server to use',
      });
      return;
    }
    const separators = backend.startsWith('django_redis.')
      ? DJANGO_REDIS_LOCATION_SEPARATORS_RE
      : LOCATION_SEPARATORS_RE;
    const items: { text: string; ifUnset?: string; span?: Span; setting: string }[] = [];
    const addString = (
      s: string,
      span: Span | undefined,
      ifUnset: string | undefined,
      where: string,
    ): void => {
      for (const part of s.split(separators))
        if (part.trim() !== '') items.push({ text: part.trim(), span, ifUnset, setting: where });
    };
    for (const p of possibilities(location)) {
      if (p.kind === 'str') addString(p.value, p.span, undefined, setting);
      else if (p.kind === 'unknown' && p.default?.kind === 'str')
        addString(p.default.value, p.default.span, p.envVar ?? 'the environment variable', setting);
      else if (p.kind === 'list' || p.kind === 'tuple') {
        for (const [i, item] of p.items.entries()) {
          const where = `${setting}[${i}]`;
          for (const q of possibilities(item)) {
            if (q.kind === 'str') addString(q.value, q.span, undefined, where);
            else if (q.kind === 'unknown' && q.default?.kind === 'str')
              addString(q.default.value, q.default.span, q.envVar ?? 'the environment variable', where);
            else this.skip({ purposes: [purpose], setting: where, ...whyUnknown(q, 'not a string') });
          }
        }
        if (p.open)
          this.skip({
            purposes: [purpose],
            setting,
            reason: 'the list may hold servers the analyser cannot see',
          });
      } else
        this.skip({ purposes: [purpose], setting, ...whyUnknown(p, 'LOCATION is not a string or list') });
    }
    const opts = redisOptions(options);
    const sentinel = family === 'redis' ? sentinelOptions(options, backend) : undefined;
    if (typeof sentinel === 'object' && 'reason' in sentinel) {
      this.skip({
        purposes: [purpose],
        setting: `${CACHES}['${alias}']['OPTIONS']['SENTINELS']`,
        ...sentinel,
      });
      return;
    }
    for (const item of items) {
      const parsed = family === 'memcached' ? memcachedAddress(item.text) : redisTarget(item.text);
      if (typeof parsed === 'string') {
        this.skip({ purposes: [purpose], setting: item.setting, reason: parsed, span: item.span });
        continue;
      }
      const redis = family === 'redis' ? (parsed as RedisTarget) : undefined;
      const password = redis?.password ?? (family === 'redis' ? opts.password : undefined);
      let viaSentinel: PlannedEndpoint['sentinel'];
      if (sentinel && redis) {
        if (parsed.address.kind !== 'tcp') {
          this.skip({
            purposes: [purpose],
            setting: item.setting,
            reason: 'a Sentinel LOCATION names its master as redis://SERVICE/DB, not a socket',
            ...(item.span ? { span: item.span } : {}),
          });
          continue;
        }
        viaSentinel = {
          service: parsed.address.host,
          sentinels: sentinel.sentinels,
          ...(sentinel.password !== undefined ? { password: sentinel.password } : {}),
          ...(sentinel.username !== undefined ? { username: sentinel.username } : {}),
        };
      }
      this.endpoint({
        purposes: [purpose],
        setting: item.setting,
        protocol: family,
        backend,
        address: viaSentinel?.sentinels[0] ?? parsed.address,
        ...(viaSentinel ? { sentinel: viaSentinel } : {}),
        ...(redis
          ? {
              tls: redis.tls,
              tlsVerify: redis.tlsVerify && opts.tlsVerify !== false,
              db: redis.db ?? opts.db ?? 0,
            }
          : {}),
        ...((redis?.username ?? opts.username) ? { username: redis?.username ?? opts.username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(redis && password === undefined && opts.passwordUnknown
          ? { passwordUnknown: opts.passwordUnknown }
          : {}),
        ...(item.ifUnset ? { ifUnset: item.ifUnset } : {}),
        ...(item.span ? { span: item.span } : {}),
      });
    }
  }

  /** DATABASES['default'] (the only alias session and DatabaseCache code uses). */
  database(purpose: string): void {
    const label = `${DATABASES}['${DEFAULT_ALIAS}']`;
    const storage = sessionStorage(this.view);
    const entry = storage.database;
    if (!entry) {
      const dbs = storage.databasesSetting;
      this.skip({
        purposes: [purpose],
        setting: label,
        ...whyUnknown(
          (dbs && lookupEverywhere(dbs.value, DEFAULT_ALIAS)) ?? dbs?.value,
          `${DATABASES} has no '${DEFAULT_ALIAS}' entry the analyser can see`,
        ),
      });
      return;
    }
    const field = (k: string): Value | undefined => entry.field(k);
    const engineValue = field('ENGINE');
    const engines = knownStrings(engineValue);
    if (!engines) {
      this.skip({
        purposes: [purpose],
        setting: `${label}['ENGINE']`,
        ...whyUnknown(engineValue, 'ENGINE is unknown'),
      });
      return;
    }
    for (const e of engines) {
      const engine = e.value.trim();
      const protocol = databaseProtocol(engine);
      if (!protocol) {
        const known = findDatabaseEngine(engine);
        if (known?.shortName === 'sqlite3')
          this.note(`${label} is SQLite: a file on the Django host, no server to contact`);
        else if (known && !known.storesData)
          this.note(`${label} is Django's dummy engine: nothing stores sessions (DSL303)`);
        else
          this.skip({
            purposes: [purpose],
            setting: `${label}['ENGINE']`,
            reason: `database engine '${engine}' is not checked (MySQL/MariaDB and PostgreSQL are)`,
          });
        continue;
      }
      const hostValue = field('HOST');
      const portValue = field('PORT');
      const hosts =
        hostValue === undefined ? [{ value: '', ifUnset: undefined, span: undefined }] : stringsOf(hostValue);
      const ports =
        portValue === undefined
          ? [{ value: '', ifUnset: undefined, span: undefined }]
          : stringsOf(portValue, true);
      if (typeof hosts === 'string') {
        this.skip({ purposes: [purpose], setting: `${label}['HOST']`, ...whyUnknown(hostValue, hosts) });
        continue;
      }
      if (typeof ports === 'string') {
        this.skip({ purposes: [purpose], setting: `${label}['PORT']`, ...whyUnknown(portValue, ports) });
        continue;
      }
      const socketOption = protocol === 'mysql' ? mysqlSocketOption(field('OPTIONS')) : undefined;
      const login = databaseLogin(protocol, field);
      for (const h of hosts)
        for (const p of ports) {
          const ifUnset = h.ifUnset ?? p.ifUnset;
          const where = hostValue !== undefined ? `${label}['HOST']` : label;
          const addresses = databaseAddresses(protocol, h.value.trim(), p.value.trim(), socketOption);
          if (typeof addresses === 'string') {
            this.skip({
              purposes: [purpose],
              setting: where,
              reason: addresses,
              ...(h.span ? { span: h.span } : {}),
            });
            continue;
          }
          for (const address of addresses)
            this.endpoint({
              purposes: [purpose],
              setting: where,
              protocol,
              backend: engine,
              address,
              ...login,
              ...(ifUnset ? { ifUnset } : {}),
              ...(h.span ? { span: h.span } : {}),
            });
        }
    }
  }
}

/** The servers the session store in use needs. */
export function connectionPlan(analysis: Analysis): ConnectionPlan {
  const view: SettingsView = {
    model: analysis.model,
    effective: (name: string): EffectiveSetting | undefined => analysis.model.effective(name),
  };
  const planner = new Planner(view);
  const e = sessionEngine(view);
  if (!e) {
    const setting = view.effective(SESSION_ENGINE);
    planner.skip({
      purposes: [PURPOSE_SESSIONS],
      setting: SESSION_ENGINE,
      ...whyUnknown(setting?.value, 'SESSION_ENGINE is unknown'),
    });
    return { engines: [], endpoints: planner.endpoints, unchecked: planner.unchecked, notes: planner.notes };
  }
  const engines = [...new Set(e.judged.map((j) => j.value.trim()))];
  for (const path of engines) {
    const engine = findSessionEngine(path);
    switch (engine?.shortName) {
      case 'cache':
      case 'cached_db': {
        const alias = sessionAlias(view);
        if (typeof alias === 'string') planner.cacheAlias(alias, PURPOSE_SESSIONS);
        else planner.skip({ purposes: [PURPOSE_SESSIONS], setting: 'SESSION_CACHE_ALIAS', ...alias });
        if (engine.shortName === 'cached_db') planner.database(PURPOSE_SESSIONS);
        break;
      }
      case 'db':
        planner.database(PURPOSE_SESSIONS);
        break;
      case 'file':
        planner.note('sessions are files in SESSION_FILE_PATH on the Django host: no server to contact');
        break;
      case 'signed_cookies':
        planner.note('sessions are signed cookies in the browser: no server to contact');
        break;
      default:
        planner.skip({
          purposes: [PURPOSE_SESSIONS],
          setting: SESSION_ENGINE,
          reason: `'${path}' is not one of Django's session engines: not checked`,
        });
    }
  }
  if (analysis.summary.kind === 'horizon' && horizonDisconnects(view))
    planner.cacheAlias(DEFAULT_ALIAS, PURPOSE_HORIZON);
  return { engines, endpoints: planner.endpoints, unchecked: planner.unchecked, notes: planner.notes };
}

function horizonDisconnects(view: SettingsView): boolean {
  const v = knownStrings(view.effective(SIMULTANEOUS_SESSIONS)?.value);
  return v?.some((j) => j.value === SIMULTANEOUS_SESSIONS_DISCONNECT) ?? false;
}

function sessionAlias(view: SettingsView): string | { reason: string; variable?: string } {
  const known = sessionCacheAlias(view);
  if (known) return known.alias;
  return whyUnknown(view.effective('SESSION_CACHE_ALIAS')?.value, 'SESSION_CACHE_ALIAS is unknown');
}

/** The reason (and variable to set) for a value the analyser cannot know. */
function whyUnknown(
  v: Value | undefined,
  fallback: string,
): { reason: string; variable?: string; span?: Span } {
  const span = v?.span;
  if (v?.kind === 'unknown') {
    return {
      reason: v.envVar
        ? `comes from the environment variable ${v.envVar}, which has no default here`
        : `unknown: ${v.reason}`,
      ...(v.envVar ? { variable: v.envVar } : {}),
      ...(span ? { span } : {}),
    };
  }
  if (v?.kind === 'oneOf') {
    const inner = v.options.find((o) => o.kind === 'unknown' && o.envVar);
    if (inner?.kind === 'unknown' && inner.envVar)
      return {
        reason: `depends on ${v.condition}; one branch reads ${inner.envVar}`,
        variable: inner.envVar,
        ...(span ? { span } : {}),
      };
  }
  return { reason: fallback, ...(span ? { span } : {}) };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function sameAddress(a: StoreAddress, b: StoreAddress): boolean {
  return a.kind === 'tcp' && b.kind === 'tcp'
    ? a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port
    : a.kind === 'unix' && b.kind === 'unix' && a.path === b.path;
}

function lastPart(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function parsePort(s: string): number | undefined {
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

/** A redis-py URL (`redis://[[user]:pw@]host[:port][/db]`, `rediss://…`, `unix://[[user]:pw@]/path?db=N`) — or why not. */
export function redisTarget(entry: string): RedisTarget | string {
  let t = entry.trim();
  if (!/^(rediss?|unix):\/\//i.test(t)) {
    const url = redisUrlFor(t);
    if (!url) return `'${t}' is not a redis://, rediss:// or unix:// URL (DSL110)`;
    t = url;
  }
  const scheme = t.slice(0, t.indexOf(':')).toLowerCase();
  let rest = t.slice(scheme.length + 3);
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1).split('#')[0] ?? '';
    rest = rest.slice(0, q);
  }
  const params = new Map<string, string>();
  for (const kv of query.split('&')) {
    if (kv === '') continue;
    const eq = kv.indexOf('=');
    params.set(decode(eq < 0 ? kv : kv.slice(0, eq)).toLowerCase(), decode(eq < 0 ? '' : kv.slice(eq + 1)));
  }
  let username: string | undefined;
  let password: string | undefined;
  // The userinfo ends at the last '@' before the path (a password may hold '@').
  const slash = scheme === 'unix' ? rest.indexOf('/') : rest.indexOf('/', Math.max(0, rest.lastIndexOf('@')));
  const authority =
    scheme === 'unix' ? rest.slice(0, Math.max(0, slash)) : slash < 0 ? rest : rest.slice(0, slash);
  let path = scheme === 'unix' ? rest.slice(Math.max(0, slash)) : slash < 0 ? '' : rest.slice(slash);
  let hostport = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    hostport = authority.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
    if (user !== '') username = user;
    if (colon >= 0) password = decode(userinfo.slice(colon + 1));
  }
  if (params.has('password')) password = params.get('password');
  if (params.has('username')) username = params.get('username');
  let db: number | undefined;
  const dbParam = params.get('db');
  if (dbParam !== undefined) {
    if (!/^\d+$/.test(dbParam)) return `db=${dbParam} is not a number`;
    db = Number(dbParam);
  }
  const verify = (params.get('ssl_cert_reqs') ?? 'required').toLowerCase();
  const tlsVerify = verify !== 'none' && verify !== 'optional';
  const extra = {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
  if (scheme === 'unix') {
    if (path === '') return 'unix:// URL without a socket path';
    return {
      address: { kind: 'unix', path },
      tls: false,
      tlsVerify,
      ...extra,
      ...(db !== undefined ? { db } : {}),
    };
  }
  path = path.replace(/^\//, '');
  if (db === undefined && path !== '') {
    if (!/^\d+$/.test(path)) return `'/${path}' is not a database number`;
    db = Number(path);
  }
  const v6 = /^\[([^\]]+)\](?::(\d*))?$/.exec(hostport);
  const hp = v6 ?? /^([^:]*)(?::(\d*))?$/.exec(hostport);
  if (!hp) return 'invalid host:port';
  const host = hp[1] || 'localhost';
  const port = hp[2] ? parsePort(hp[2]) : DEFAULT_REDIS_PORT;
  if (!port) return `invalid port '${hp[2] ?? ''}'`;
  return {
    address: { kind: 'tcp', host, port },
    tls: scheme === 'rediss',
    tlsVerify,
    ...extra,
    ...(db !== undefined ? { db } : {}),
  };
}

/** django-redis's SentinelClient: OPTIONS['CLIENT_CLASS'] or OPTIONS['SENTINELS'] (a list of (host, port)). */
const SENTINEL_CLIENT = 'django_redis.client.SentinelClient';
const DEFAULT_SENTINEL_PORT = 26379;

function sentinelOptions(
  options: Value | undefined,
  backend: string,
):
  | { sentinels: StoreAddress[]; password?: string; username?: string }
  | { reason: string; variable?: string; span?: Span }
  | undefined {
  const dict = options ? possibilities(options)[0] : undefined;
  if (dict?.kind !== 'dict') return undefined;
  const get = (d: Value, k: string): Value | undefined => {
    if (d.kind !== 'dict') return undefined;
    const f = dictLookup(d, { kind: 'str', value: k });
    return f.found === true ? f.entry.value : undefined;
  };
  const client = knownString(get(dict, 'CLIENT_CLASS'))?.value;
  const list = get(dict, 'SENTINELS');
  if (client !== SENTINEL_CLIENT && list === undefined) return undefined;
  if (!backend.startsWith('django_redis.'))
    return { reason: `SENTINELS is an option of django-redis; '${backend}' does not read it` };
  if (list === undefined)
    return { reason: "SentinelClient without OPTIONS['SENTINELS']: no sentinel to ask" };
  const seq = possibilities(list);
  const only = seq.length === 1 ? seq[0] : undefined;
  if (!only || (only.kind !== 'list' && only.kind !== 'tuple') || only.open)
    return whyUnknown(list, 'SENTINELS is not a list the analyser can read');
  const sentinels: StoreAddress[] = [];
  for (const item of only.items) {
    const pair = possibilities(item);
    const p = pair.length === 1 ? pair[0] : undefined;
    if (!p || (p.kind !== 'list' && p.kind !== 'tuple') || p.items.length < 1)
      return whyUnknown(item, 'a SENTINELS entry is not a (host, port) pair');
    const host = knownString(p.items[0]);
    const portValue = p.items[1];
    const port =
      portValue === undefined
        ? DEFAULT_SENTINEL_PORT
        : portValue.kind === 'int'
          ? portValue.value
          : parsePort(knownString(portValue)?.value ?? '');
    if (!host) return whyUnknown(p.items[0], 'a SENTINELS host is unknown');
    if (!port || port < 1 || port > 65535) return whyUnknown(portValue, 'a SENTINELS port is unknown');
    sentinels.push({ kind: 'tcp', host: host.value, port });
  }
  if (sentinels.length === 0) return { reason: 'SENTINELS is empty: no sentinel to ask' };
  const kwargs = get(dict, 'SENTINEL_KWARGS');
  const password = kwargs ? knownString(get(kwargs, 'password'))?.value : undefined;
  const username = kwargs ? knownString(get(kwargs, 'username'))?.value : undefined;
  return {
    sentinels: sentinels.slice(0, MAX_ENDPOINTS),
    ...(password ? { password } : {}),
    ...(username ? { username } : {}),
  };
}

/** password/username/db from OPTIONS (Django's RedisCache passes them to redis-py; django-redis reads PASSWORD). */
function redisOptions(options: Value | undefined): {
  password?: string;
  passwordUnknown?: string;
  username?: string;
  db?: number;
  tlsVerify?: boolean;
} {
  const out: ReturnType<typeof redisOptions> = {};
  const dict = options ? possibilities(options)[0] : undefined;
  if (dict?.kind !== 'dict') return out;
  const get = (names: string[]): Value | undefined => {
    for (const n of names) {
      const f = dictLookup(dict, { kind: 'str', value: n });
      if (f.found === true) return f.entry.value;
    }
    const pool = dictLookup(dict, { kind: 'str', value: 'CONNECTION_POOL_KWARGS' });
    if (pool.found === true && pool.entry.value.kind === 'dict')
      for (const n of names) {
        const f = dictLookup(pool.entry.value, { kind: 'str', value: n });
        if (f.found === true) return f.entry.value;
      }
    return undefined;
  };
  const pw = get(['password', 'PASSWORD']);
  if (pw) {
    const s = knownStrings(pw);
    if (s && s.length === 1 && s[0] && s[0].value !== '') out.password = s[0].value;
    else if (!s)
      out.passwordUnknown =
        pw.kind === 'unknown' && pw.envVar ? pw.envVar : 'a value the analyser cannot resolve';
  }
  const user = knownStrings(get(['username', 'USERNAME']));
  if (user?.length === 1 && user[0]) out.username = user[0].value;
  const db = get(['db', 'DB']);
  if (db?.kind === 'int') out.db = db.value;
  const reqs = get(['ssl_cert_reqs']);
  if (reqs?.kind === 'none' || (reqs?.kind === 'str' && /^(none|optional)$/i.test(reqs.value)))
    out.tlsVerify = false;
  return out;
}

function databaseProtocol(engine: string): 'mysql' | 'postgresql' | undefined {
  const short = findDatabaseEngine(engine)?.shortName;
  if (short === 'mysql' || engine === 'django.contrib.gis.db.backends.mysql') return 'mysql';
  if (
    short === 'postgresql' ||
    short === 'postgresql_psycopg2' ||
    engine === 'django.contrib.gis.db.backends.postgis'
  )
    return 'postgresql';
  return undefined;
}

/** Known string (or int, for PORT) possibilities, or why not. */
function stringsOf(
  v: Value,
  intOk = false,
): { value: string; ifUnset: string | undefined; span: Span | undefined }[] | string {
  const out: { value: string; ifUnset: string | undefined; span: Span | undefined }[] = [];
  for (const p of possibilities(v)) {
    let subject = p;
    let ifUnset: string | undefined;
    if (p.kind === 'unknown' && p.default) {
      subject = p.default;
      ifUnset = p.envVar ?? 'the environment variable';
    }
    if (subject.kind === 'str') out.push({ value: subject.value, ifUnset, span: subject.span });
    else if (intOk && subject.kind === 'int')
      out.push({ value: String(subject.value), ifUnset, span: subject.span });
    else if (subject.kind === 'none') out.push({ value: '', ifUnset, span: subject.span });
    else return 'unknown';
  }
  return out;
}

type LoginFields = Pick<
  PlannedEndpoint,
  | 'username'
  | 'usernameUnknown'
  | 'password'
  | 'passwordUnknown'
  | 'database'
  | 'credentialsIfUnset'
  | 'sslmode'
  | 'loginCaveat'
>;

/** One known string (or an environment variable's visible default), or the variable / reason it depends on. */
function credential(v: Value | undefined): { value?: string; ifUnset?: string; unknown?: string } {
  if (v === undefined || v.kind === 'none') return {};
  const s = knownString(v);
  if (s) return { value: s.value, ...(s.ifUnset ? { ifUnset: s.ifUnset } : {}) };
  const env = possibilities(v).find((p) => p.kind === 'unknown' && p.envVar);
  return {
    unknown: env?.kind === 'unknown' && env.envVar ? env.envVar : 'a value the analyser cannot resolve',
  };
}

/** USER, PASSWORD, NAME and the OPTIONS that change a login, as Django hands them to mysqlclient / psycopg. */
function databaseLogin(
  protocol: 'mysql' | 'postgresql',
  field: (k: string) => Value | undefined,
): LoginFields {
  const user = credential(field('USER'));
  const password = credential(field('PASSWORD'));
  const name = credential(field('NAME'));
  const ifUnset = [user.ifUnset, password.ifUnset, name.ifUnset].filter((x): x is string => !!x);
  const options = field('OPTIONS');
  const dict = options ? possibilities(options)[0] : undefined;
  const option = (k: string): Value | undefined => {
    if (dict?.kind !== 'dict') return undefined;
    const f = dictLookup(dict, { kind: 'str', value: k });
    return f.found === true ? f.entry.value : undefined;
  };
  const caveats: string[] = [];
  const blocking =
    protocol === 'mysql' ? ['read_default_file', 'read_default_group'] : ['service', 'passfile'];
  for (const k of blocking)
    if (option(k) !== undefined) caveats.push(`OPTIONS['${k}'] may supply other credentials`);
  if (protocol === 'mysql' && option('ssl') !== undefined) caveats.push("OPTIONS['ssl'] is not applied here");
  const sslmode = protocol === 'postgresql' ? knownString(option('sslmode'))?.value : undefined;
  return {
    ...(user.value !== undefined && user.value !== '' ? { username: user.value } : {}),
    ...(user.unknown ? { usernameUnknown: user.unknown } : {}),
    ...(password.value !== undefined && password.value !== '' ? { password: password.value } : {}),
    ...(password.unknown ? { passwordUnknown: password.unknown } : {}),
    ...(name.value !== undefined && name.value !== '' ? { database: name.value } : {}),
    ...(ifUnset.length > 0 ? { credentialsIfUnset: [...new Set(ifUnset)] } : {}),
    ...(sslmode ? { sslmode } : {}),
    ...(caveats.length > 0 ? { loginCaveat: caveats.join('; ') } : {}),
  };
}

function mysqlSocketOption(options: Value | undefined): string | undefined {
  const dict = options ? possibilities(options)[0] : undefined;
  if (dict?.kind !== 'dict') return undefined;
  const f = dictLookup(dict, { kind: 'str', value: 'unix_socket' });
  return f.found === true && f.entry.value.kind === 'str' ? f.entry.value.value : undefined;
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
