/**
 * Which servers the session store in use needs, read from the effective configuration (no I/O): every LOCATION
 * of the sessions' cache alias, Horizon's `caches['default']` when SIMULTANEOUS_SESSIONS is 'disconnect', and
 * `DATABASES['default']` for db/cached_db (and DatabaseCache). The node-side checker (server/src/connection/)
 * contacts exactly these addresses and nothing else. Addresses are parsed in `server-addresses.ts`, OPTIONS and
 * HOST / PORT read in `connection-options.ts`.
 */
import type { Analysis } from './analyze';
import {
  optionsDict,
  orDefault,
  databaseProtocol,
  mysqlSocketOption,
  redisOptions,
  sentinelOptions,
  stringsOf,
  valueUnder,
  whyUnknown,
  type KnownText,
  type RedisOptions,
} from './connection-options';
import { possibilities } from './evaluate/values';
import {
  CACHES,
  CACHE_KEY_BACKEND,
  CACHE_KEY_LOCATION,
  CACHE_KEY_OPTIONS,
  DATABASES,
  DEFAULT_ALIAS,
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
import { knownString, knownStrings } from './rules/framework';
import { lookupEverywhere, type QuerySource, type SettingEntry } from './queries/entries';
import { sessionCacheAlias, sessionEngine, sessionStorage } from './queries/session-storage';
import {
  databaseAddresses,
  memcachedAddress,
  redisTarget,
  type RedisTarget,
  type StoreAddress,
} from './server-addresses';

/** The effective settings of the analysed model (the session-storage queries key their cache on it). */
type SettingsView = QuerySource & { effective(name: string): EffectiveSetting | undefined };
import type { Span, Value } from './types';

export const STORE_PROTOCOLS = ['memcached', 'redis', 'mysql', 'postgresql'] as const;
export type StoreProtocol = (typeof STORE_PROTOCOLS)[number];

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

/** A memcached or Redis backend of a CACHES alias: where its servers are written, and what needs them. */
interface CacheServers {
  readonly alias: string;
  readonly backend: string;
  readonly family: 'memcached' | 'redis';
  readonly purpose: string;
  readonly location: Value | undefined;
  readonly options: Value | undefined;
}

/** One server entry of a LOCATION, as written (a string may list several, split by the backend's separators). */
interface LocationItem {
  readonly text: string;
  readonly ifUnset?: string | undefined;
  readonly span?: Span | undefined;
  /** `CACHES['default']['LOCATION']`, with `[i]` for a list item. */
  readonly setting: string;
}

type SentinelPlan = PlannedEndpoint['sentinel'];

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
      if (!prior.includes(purpose)) this.addPurpose(alias, purpose, prior);
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
    for (const b of backends) this.cacheBackend(alias, entry, b.value.trim(), purpose);
  }

  /** An alias already planned for another purpose: adds `purpose` to what it produced. */
  private addPurpose(alias: string, purpose: string, prior: string[]): void {
    prior.push(purpose);
    const setting = `${CACHES}['${alias}']`;
    for (const [i, e] of this.endpoints.entries())
      if (e.setting.startsWith(setting)) this.endpoints[i] = { ...e, purposes: union(e.purposes, [purpose]) };
    for (const [i, u] of this.unchecked.entries())
      if (u.setting.startsWith(setting)) this.unchecked[i] = { ...u, purposes: union(u.purposes, [purpose]) };
  }

  /** What one BACKEND of an alias needs: its servers, DATABASES, or nothing (a note says why). */
  private cacheBackend(alias: string, entry: SettingEntry, backend: string, purpose: string): void {
    const label = `${CACHES}['${alias}']`;
    const family = cacheFamily(backend);
    switch (family) {
      case 'memcached':
      case 'redis':
        this.cacheServers({
          alias,
          backend,
          family,
          purpose,
          location: entry.field(CACHE_KEY_LOCATION),
          options: entry.field(CACHE_KEY_OPTIONS),
        });
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

  /** Every server a memcached or Redis backend's LOCATION names (through its sentinels for Redis Sentinel). */
  private cacheServers(c: CacheServers): void {
    const items = this.locationItems(c);
    if (!items) return;
    const opts = redisOptions(c.options);
    const sentinel = c.family === 'redis' ? sentinelOptions(c.options, c.backend) : undefined;
    if (typeof sentinel === 'object' && 'reason' in sentinel) {
      this.skip({
        purposes: [c.purpose],
        setting: `${CACHES}['${c.alias}']['OPTIONS']['SENTINELS']`,
        ...sentinel,
      });
      return;
    }
    for (const item of items) {
      if (c.family === 'memcached') {
        const parsed = memcachedAddress(item.text);
        if (typeof parsed === 'string') this.skipItem(c, item, parsed);
        // OPTIONS' username is carried as for Redis (the memcached probe does not use it).
        else
          this.endpoint({
            ...this.cacheEndpoint(c, item),
            address: parsed.address,
            ...(opts.username ? { username: opts.username } : {}),
          });
        continue;
      }
      const redis = redisTarget(item.text);
      if (typeof redis === 'string') {
        this.skipItem(c, item, redis);
        continue;
      }
      if (sentinel && redis.address.kind !== 'tcp') {
        this.skip({
          purposes: [c.purpose],
          setting: item.setting,
          reason: 'a Sentinel LOCATION names its master as redis://SERVICE/DB, not a socket',
          ...(item.span ? { span: item.span } : {}),
        });
        continue;
      }
      const via =
        sentinel && redis.address.kind === 'tcp' ? viaSentinel(redis.address.host, sentinel) : undefined;
      this.endpoint(redisEndpoint(this.cacheEndpoint(c, item), redis, opts, via));
    }
  }

  private skipItem(c: CacheServers, item: LocationItem, reason: string): void {
    this.skip({ purposes: [c.purpose], setting: item.setting, reason, span: item.span });
  }

  /** What every endpoint of a LOCATION item says (its address and protocol details are added to it). */
  private cacheEndpoint(c: CacheServers, item: LocationItem): CacheEndpointBase {
    return {
      purposes: [c.purpose],
      setting: item.setting,
      protocol: c.family,
      backend: c.backend,
      ...(item.ifUnset ? { ifUnset: item.ifUnset } : {}),
      ...(item.span ? { span: item.span } : {}),
    };
  }

  /**
   * The server entries of a LOCATION: its strings (an environment variable's visible default counts) split by
   * the backend's separators, list items one by one; what cannot be read is skipped with the reason. Undefined
   * when LOCATION is not set.
   */
  private locationItems(c: CacheServers): LocationItem[] | undefined {
    const setting = `${CACHES}['${c.alias}']['${CACHE_KEY_LOCATION}']`;
    if (!c.location) {
      this.skip({
        purposes: [c.purpose],
        setting,
        reason: 'LOCATION is not set: the backend has no server to use',
      });
      return undefined;
    }
    const separators = c.backend.startsWith('django_redis.')
      ? DJANGO_REDIS_LOCATION_SEPARATORS_RE
      : LOCATION_SEPARATORS_RE;
    const items: LocationItem[] = [];
    /** Adds a string possibility's entries; false when it is not a string. */
    const add = (p: Value, where: string): boolean => {
      const { subject, ifUnset } = orDefault(p);
      if (subject.kind !== 'str') return false;
      for (const part of subject.value.split(separators))
        if (part.trim() !== '')
          items.push({ text: part.trim(), span: subject.span, ifUnset, setting: where });
      return true;
    };
    for (const p of possibilities(c.location)) {
      if (add(p, setting)) continue;
      if (p.kind === 'list' || p.kind === 'tuple') {
        for (const [i, item] of p.items.entries()) {
          const where = `${setting}[${i}]`;
          for (const q of possibilities(item))
            if (!add(q, where))
              this.skip({ purposes: [c.purpose], setting: where, ...whyUnknown(q, 'not a string') });
        }
        if (p.open)
          this.skip({
            purposes: [c.purpose],
            setting,
            reason: 'the list may hold servers the analyser cannot see',
          });
      } else
        this.skip({ purposes: [c.purpose], setting, ...whyUnknown(p, 'LOCATION is not a string or list') });
    }
    return items;
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
    const engineValue = entry.field('ENGINE');
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
      if (protocol) this.databaseServers(entry, engine, protocol, purpose);
      else this.serverlessEngine(engine, purpose);
    }
  }

  /** An ENGINE this check does not contact: SQLite and the dummy engine need no server; others are skipped. */
  private serverlessEngine(engine: string, purpose: string): void {
    const label = `${DATABASES}['${DEFAULT_ALIAS}']`;
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
  }

  /** The servers HOST and PORT name for a MySQL or PostgreSQL ENGINE, each with the login the settings give. */
  private databaseServers(
    entry: SettingEntry,
    engine: string,
    protocol: 'mysql' | 'postgresql',
    purpose: string,
  ): void {
    const label = `${DATABASES}['${DEFAULT_ALIAS}']`;
    const hostValue = entry.field('HOST');
    const portValue = entry.field('PORT');
    const hosts = hostValue === undefined ? [UNSET_TEXT] : stringsOf(hostValue);
    const ports = portValue === undefined ? [UNSET_TEXT] : stringsOf(portValue, true);
    if (typeof hosts === 'string') {
      this.skip({ purposes: [purpose], setting: `${label}['HOST']`, ...whyUnknown(hostValue, hosts) });
      return;
    }
    if (typeof ports === 'string') {
      this.skip({ purposes: [purpose], setting: `${label}['PORT']`, ...whyUnknown(portValue, ports) });
      return;
    }
    const socketOption = protocol === 'mysql' ? mysqlSocketOption(entry.field('OPTIONS')) : undefined;
    const login = databaseLogin(protocol, (k) => entry.field(k));
    const where = hostValue !== undefined ? `${label}['HOST']` : label;
    for (const h of hosts)
      for (const p of ports) {
        const ifUnset = h.ifUnset ?? p.ifUnset;
        const span = h.span ? { span: h.span } : {};
        const addresses = databaseAddresses(protocol, h.value.trim(), p.value.trim(), socketOption);
        if (typeof addresses === 'string') {
          this.skip({ purposes: [purpose], setting: where, reason: addresses, ...span });
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
            ...span,
          });
      }
  }
}

/** HOST or PORT left out: the driver's default. */
const UNSET_TEXT: KnownText = { value: '', ifUnset: undefined, span: undefined };

type CacheEndpointBase = Pick<
  PlannedEndpoint,
  'purposes' | 'setting' | 'protocol' | 'backend' | 'ifUnset' | 'span'
>;

/** The master named `service` (a Sentinel LOCATION's host), asked of the configured sentinels. */
function viaSentinel(
  service: string,
  sentinel: { sentinels: StoreAddress[]; password?: string; username?: string },
): NonNullable<SentinelPlan> {
  return {
    service,
    sentinels: sentinel.sentinels.slice(0, MAX_ENDPOINTS),
    ...(sentinel.password !== undefined ? { password: sentinel.password } : {}),
    ...(sentinel.username !== undefined ? { username: sentinel.username } : {}),
  };
}

/** A Redis endpoint: the URL's TLS, db and credentials over OPTIONS', and its sentinels when there are. */
function redisEndpoint(
  base: CacheEndpointBase,
  redis: RedisTarget,
  opts: RedisOptions,
  sentinel: SentinelPlan,
): PlannedEndpoint {
  const password = redis.password ?? opts.password;
  const username = redis.username ?? opts.username;
  return {
    ...base,
    address: sentinel?.sentinels[0] ?? redis.address,
    ...(sentinel ? { sentinel } : {}),
    tls: redis.tls,
    tlsVerify: redis.tlsVerify && opts.tlsVerify !== false,
    db: redis.db ?? opts.db ?? 0,
    ...(username ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(password === undefined && opts.passwordUnknown ? { passwordUnknown: opts.passwordUnknown } : {}),
  };
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
  const dict = optionsDict(field('OPTIONS'));
  const option = (k: string): Value | undefined => valueUnder(dict, k);
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
