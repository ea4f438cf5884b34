/** Names and small facts DSL120–DSL126 and DSL301–DSL307 need that the shared knowledge tables do not carry yet (entry keys, credential keys, environment variable names, loopback hosts); data and pure helpers only, no rule logic. */
import type { HorizonRelease } from './horizon-releases';
import { DEFAULT_ALIAS, HORIZON_SERIALIZER, LOCATION_SEPARATORS_RE, SESSIONS_APP } from './names';
import { findSessionSerializer } from './serializers';
import { compareVersions, version } from './versions';

// Keys of one DATABASES entry that rules read by name (§4; the full list is DATABASE_ENTRY_KEYS).
export const DB_KEY_ENGINE = 'ENGINE';
export const DB_KEY_NAME = 'NAME';
export const DB_KEY_USER = 'USER';
export const DB_KEY_PASSWORD = 'PASSWORD';
export const DB_KEY_HOST = 'HOST';
export const DB_KEY_PORT = 'PORT';
export const DB_KEY_OPTIONS = 'OPTIONS';
export const DB_KEY_TEST = 'TEST';
/** DATABASES keys that a documentation placeholder is often left in (DSL123). */
export const DB_PLACEHOLDER_KEYS: readonly string[] = [
  DB_KEY_NAME,
  DB_KEY_USER,
  DB_KEY_PASSWORD,
  DB_KEY_HOST,
];
/** Of those, the ones whose value is a secret and must be masked in messages. */
export const DB_SECRET_KEYS: readonly string[] = [DB_KEY_PASSWORD];

// Keys of one CACHES entry (DJ52 core/cache/backends/base.py::__init__).
export const CACHE_KEY_BACKEND = 'BACKEND';
export const CACHE_KEY_LOCATION = 'LOCATION';
export const CACHE_KEY_OPTIONS = 'OPTIONS';

/**
 * OPTIONS keys that carry a password: django-redis `PASSWORD` (DR README), redis-py's and pylibmc's
 * `password` keyword (Django passes OPTIONS through as client kwargs, §3.3), MySQLdb's `password`/`passwd`
 * and psycopg's `password` in a DATABASES entry's OPTIONS (which take precedence over PASSWORD, §4).
 */
export const CACHE_OPTIONS_PASSWORD_KEYS: readonly string[] = ['PASSWORD', 'password'];
export const DB_OPTIONS_PASSWORD_KEYS: readonly string[] = ['password', 'passwd'];

/** MySQL OPTIONS key for the connection character set (passed to MySQLdb.connect, §1.3). */
export const MYSQL_CHARSET_OPTION = 'charset';

/** The AppConfig path of the sessions app: listing it in INSTALLED_APPS counts as listing the app. */
export const SESSIONS_APP_CONFIG = `${SESSIONS_APP}.apps.SessionsConfig`;

/** MySQL's default TCP port, the visible default of the DATABASES snippet (DSL303). */
export const MYSQL_DEFAULT_PORT = '3306';
/** Visible defaults of the DSL303 snippet: the database/user name Horizon's guide creates (`dash`), a neutral one elsewhere, and the local server. */
export const SNIPPET_DB_NAME_HORIZON = 'dash';
export const SNIPPET_DB_NAME_DJANGO = 'django';
export const SNIPPET_DB_HOST = 'localhost';

/** The module the credential fixes read the environment through (`os.environ["…"]`). */
export const OS_MODULE = 'os';

// ---------------------------------------------------------------------------------------------------------
// Environment variables the credential fixes (DSL124) and the DATABASES snippet (DSL303) read. These are
// this linter's suggestions, not names Django or Horizon define; one variable per alias so that several
// databases or caches never share a secret by accident.
// ---------------------------------------------------------------------------------------------------------

const ENV_PREFIX = 'DJANGO_';

/** `default` → ``; `sessions-store` → `SESSIONS_STORE_`. */
function aliasPart(alias: string): string {
  if (alias === DEFAULT_ALIAS) return '';
  const cleaned = alias
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned === '' ? '' : `${cleaned}_`;
}

/** `DJANGO_DB_PASSWORD` for the default database, `DJANGO_DB_REPLICA_PASSWORD` for alias `replica`. */
export function databaseEnvVar(alias: string, what: 'PASSWORD' | 'NAME' | 'USER' | 'HOST' | 'PORT'): string {
  return `${ENV_PREFIX}DB_${aliasPart(alias)}${what}`;
}

/**
 * `DJANGO_CACHE_PASSWORD` / `DJANGO_CACHE_LOCATION` for the default cache, `DJANGO_CACHE_SESSIONS_LOCATION`
 * for alias `sessions`; `index` (1-based) tells the entries of a LOCATION list apart.
 */
export function cacheEnvVar(alias: string, what: 'PASSWORD' | 'LOCATION', index?: number): string {
  return `${ENV_PREFIX}CACHE_${aliasPart(alias)}${what}${index === undefined ? '' : `_${index}`}`;
}

// ---------------------------------------------------------------------------------------------------------
// Cache server addresses (§3.3 LOCATION formats) for DSL124 (password in a URL) and DSL126 (loopback).
// ---------------------------------------------------------------------------------------------------------

/** Host names that always mean "this machine" (RFC 6761 §6.3 for `localhost`). */
export const LOOPBACK_HOST_NAMES: readonly string[] = [
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
];

/** True for `localhost`, any 127.0.0.0/8 address, and `::1` (in any spelling of that IPv6 address). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (LOOPBACK_HOST_NAMES.includes(h) || h.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1';
}

/** One server of a LOCATION: a host (with the password found in a URL's userinfo, if any) or a local socket. */
export type CacheServer =
  | { readonly kind: 'host'; readonly host: string; readonly password?: string | undefined }
  | { readonly kind: 'socket'; readonly password?: string | undefined };

const URL_SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Parses one LOCATION server: `host:port`, `[v6]:port`, `inet6:[v6]:port`, `unix:/path`, `/path`,
 * `redis://[user[:password]@]host:port/db`, `rediss://…`, `unix:///path?db=0`. Undefined when empty.
 */
export function parseCacheServer(entry: string): CacheServer | undefined {
  let rest = entry.trim();
  if (rest === '') return undefined;
  const scheme = URL_SCHEME_RE.exec(rest);
  let password: string | undefined;
  if (scheme) {
    const isUnix = scheme[0].toLowerCase() === 'unix://';
    rest = rest.slice(scheme[0].length);
    // The userinfo ends at the last '@', so a password holding '@', '/' or ':' still counts as one password.
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) password = userinfo.slice(colon + 1);
      rest = rest.slice(at + 1);
    }
    if (isUnix) return { kind: 'socket', password };
    rest = rest.split(/[/?#]/)[0] ?? '';
  } else {
    if (/^unix:/i.test(rest) || rest.startsWith('/')) return { kind: 'socket' };
    rest = rest.replace(/^inet6:/i, '');
  }
  const v6 = /^\[([^\]]*)\]/.exec(rest);
  const host = v6 ? (v6[1] ?? '') : (rest.split(':')[0] ?? '');
  return { kind: 'host', host, password };
}

/** The servers of a string LOCATION; Django splits memcached/redis strings on `;` and `,` (§3.3). */
export function cacheServers(location: string): CacheServer[] {
  return location
    .split(LOCATION_SEPARATORS_RE)
    .map(parseCacheServer)
    .filter((s): s is CacheServer => s !== undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Serializers per Horizon release (§2.1).
// ---------------------------------------------------------------------------------------------------------

/**
 * Whether a Horizon release band ships `openstack_auth.serializers.HorizonSerializer` (25.6.0 and later):
 * true/false for a known band, undefined without one. Bands never straddle 25.6.0, so the band's first
 * version decides; the pre-Stein band has none and is older.
 */
export function horizonHasHorizonSerializer(release: HorizonRelease | undefined): boolean | undefined {
  const since = findSessionSerializer(HORIZON_SERIALIZER)?.horizonSince;
  if (!release || since === undefined) return undefined;
  if (release.firstVersion === undefined) return false;
  return compareVersions(version(release.firstVersion), version(since)) >= 0;
}

/** The first Horizon version with HorizonSerializer, for messages (`25.6.0`). */
export const HORIZON_SERIALIZER_SINCE: string = (() => {
  const since = findSessionSerializer(HORIZON_SERIALIZER)?.horizonSince;
  if (since === undefined) throw new Error('knowledge: HorizonSerializer has no horizonSince');
  return since;
})();
