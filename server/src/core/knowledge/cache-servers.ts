/** Cache server addresses (LOCATION formats) for DSL124 (password in a URL), DSL126 (loopback) and the connection check. */
import { LOCATION_SEPARATORS_RE } from './names';

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

/** The servers of a string LOCATION; Django splits memcached/redis strings on `;` and `,`. */
export function cacheServers(location: string): CacheServer[] {
  return location
    .split(LOCATION_SEPARATORS_RE)
    .map(parseCacheServer)
    .filter((s): s is CacheServer => s !== undefined);
}
