/** Documentation placeholders (DSL123) and secret masking for every output (ARCHITECTURE.md, "Secrets stay secret"); must never return a secret unmasked. */

/**
 * Values copied verbatim from install guides and examples (compared case-insensitively). The seed page uses
 * `my_memcached_host` and `DASH_DBPASS`; the rest are the usual "fill me in" words.
 */
export const KNOWN_PLACEHOLDERS: readonly string[] = [
  'my_memcached_host',
  'my-memcached-host',
  'my_redis_host',
  'DASH_DBPASS',
  'DBPASS',
  'CHANGEME',
  'change_me',
  'change-me',
  'changeit',
  'REPLACE_ME',
  'replaceme',
  'password',
  'passwd',
  'secret',
  'secret_key',
  'secretkey',
  'your-secret-key',
  'your_secret_key',
  'yoursecretkey',
  'mysecretkey',
  'mypassword',
  'TODO',
  'FIXME',
  'TBD',
  'XXX',
  '...',
  '…',
  'example',
  'hostname',
  'your-host',
  'dbhost',
  'db_host',
];

const KNOWN = new Set(KNOWN_PLACEHOLDERS.map((p) => p.toLowerCase()));

const PATTERNS: readonly RegExp[] = [
  /^<[^<>]{1,60}>$/, // <password>, <your-host>
  /^\[[A-Za-z _-]{1,40}\]$/, // [PASSWORD] (not an IPv6 literal: letters only)
  /^\{[A-Za-z _-]{1,40}\}$/, // {password} left from str.format examples
  /^x{3,}$/i, // XXX, xxxxxxxx
  /^\*{3,}$/, // *** (an already-masked value pasted back)
  /^(change|replace|fill|set)[-_ ]?(me|this|it)$/i,
  /^your[-_ ][a-z0-9_ -]{1,40}$/i, // your-secret-key, YOUR_DB_PASSWORD
  /^my[-_][a-z0-9_-]*(host|server|pass|passwd|password|secret|key)$/i, // my_memcached_host, my-db-password
  // OpenStack install-guide style, upper-case only: DASH_DBPASS, KEYSTONE_DBPASS, RABBIT_PASS, ADMIN_PASS.
  /^[A-Z][A-Z0-9]*_(DBPASS|PASS|PASSWORD)$/,
  /^(insert|put|enter)[-_ ].{1,40}[-_ ]here$/i,
];

/**
 * True when `value` is a documentation placeholder rather than a real host, name or secret. Conservative:
 * real-looking values (random strings, host names with dots, numbers) are never placeholders.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return false;
  if (KNOWN.has(v.toLowerCase())) return true;
  return PATTERNS.some((re) => re.test(v));
}

/** Host names reserved for documentation (RFC 2606 / RFC 6761): they can never be a real server. */
export function isExampleHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return /(^|\.)example(\.(com|net|org))?$/.test(h) || /\.(test|invalid)$/.test(h);
}

export interface LocationPlaceholder {
  readonly part: 'host' | 'password';
  readonly value: string;
}

/**
 * The first placeholder inside a cache LOCATION (`my_memcached_host:11211`, `redis://:CHANGEME@h:6379/0`,
 * `[<host>]:11211`), or undefined. A password placeholder is returned as found: it is not a real secret.
 */
export function placeholderInLocation(location: string): LocationPlaceholder | undefined {
  for (const raw of location.split(/[;,]/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const { host, password } = splitServerAddress(entry);
    if (password !== undefined && isPlaceholder(password)) return { part: 'password', value: password };
    if (host !== undefined && (isPlaceholder(host) || isExampleHost(host)))
      return { part: 'host', value: host };
  }
  return undefined;
}

/** Host and password of `scheme://[user[:pw]@]host[:port]/…`, `host:port`, `[v6]:port`, `inet6:[v6]:port`. */
function splitServerAddress(entry: string): { host?: string; password?: string } {
  let rest = entry;
  let password: string | undefined;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) password = decodeSafely(userinfo.slice(colon + 1));
      rest = rest.slice(at + 1);
    }
    if (scheme[0].toLowerCase() === 'unix://') return password === undefined ? {} : { password };
    rest = rest.split(/[/?#]/)[0] ?? '';
  } else {
    rest = rest.replace(/^(inet6|unix):/i, '');
    if (rest.startsWith('/')) return {}; // socket path
  }
  const v6 = /^\[([^\]]*)\]/.exec(rest);
  const host = v6 ? v6[1] : rest.split(':')[0];
  const out: { host?: string; password?: string } = {};
  if (host !== undefined && host !== '') out.host = host;
  if (password !== undefined) out.password = password;
  return out;
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Masking.
// ---------------------------------------------------------------------------------------------------------

export const MASK = '***';

// Setting names and dict keys whose string values are secrets, by what they are rather than by substring:
// SECRET_KEY(_FALLBACKS), EMAIL_HOST_PASSWORD, DATABASES[…]['PASSWORD'], OPTIONS 'password' (redis-py,
// pymemcache) and 'passwd' (MySQLdb), AWS_SECRET_ACCESS_KEY, *_TOKEN. The secret word ends the name:
// Horizon's HORIZON_CONFIG['password_autocomplete'] or 'password_validator' are switches, not secrets.
const SECRET_NAME =
  /(?:^|[_-])(?:passw(?:or)?d|pass|pwd|secret|secret_key|secret_key_fallbacks|secret_access_key|api_key|token|auth_token|credentials?)$/i;

/** Whether a setting name or dict key holds a secret (the one definition for every output). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A secret for display: at most its first 2 characters, then `***`. Short secrets show fewer characters
 * (none below 4), so the output never contains the whole value and reveals at most a quarter of it.
 */
export function maskSecret(value: string): string {
  const chars = Array.from(value); // code points, so a surrogate pair is never split
  const shown = Math.min(2, Math.floor(chars.length / 4));
  return chars.slice(0, shown).join('') + MASK;
}

/**
 * The URL (or list of URLs) with every password replaced by `***`: `redis://:pw@host` →
 * `redis://:***@host`, `redis://user:pw@host` → `redis://user:***@host`, also `user:pw@host` without a scheme.
 * The userinfo ends at the last `@` of each URL so a password containing `@`, `/` or `:` is still masked whole.
 */
export function maskUrlPassword(url: string): string {
  const starts = urlSchemes(url).map((m) => m.end);
  if (starts.length === 0) return maskUserinfo(url);
  let out = url.slice(0, starts[0]);
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i] ?? 0;
    const next = starts[i + 1];
    // The next URL begins at its scheme, which precedes `next` by the scheme's own length.
    const end = next === undefined ? url.length : schemeStart(url, next);
    out += maskUserinfo(url.slice(from, end));
    if (next !== undefined) out += url.slice(end, next);
  }
  return out;
}

const isSchemeChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * Every `scheme://` in `s`, left to right, as `/[a-z][a-z0-9+.-]*:\/\//gi` would find them, in linear time
 * (that regex restarts its greedy scheme scan at every letter: quadratic on a long run of letters). `start`
 * is the scheme's first letter, `end` the offset after `://`.
 */
export function urlSchemes(s: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let floor = 0;
  for (let k = s.indexOf('://'); k >= 0; k = s.indexOf('://', k + 1)) {
    let i = k;
    while (i > floor && isSchemeChar(s.charCodeAt(i - 1))) i--;
    while (i < k && !isLetter(s.charCodeAt(i))) i++;
    if (i === k) continue;
    out.push({ start: i, end: k + 3 });
    floor = k + 3;
    k += 2;
  }
  return out;
}

function schemeStart(url: string, afterSlashes: number): number {
  let i = afterSlashes - 3; // position of ':' in '://'
  while (i > 0 && isSchemeChar(url.charCodeAt(i - 1))) i--;
  return i;
}

/** Masks the password in `user:pw@rest` (the part of a URL after `scheme://`). */
function maskUserinfo(segment: string): string {
  const at = segment.lastIndexOf('@');
  if (at < 0) return segment;
  const userinfo = segment.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return segment;
  return `${userinfo.slice(0, colon + 1)}${MASK}${segment.slice(at)}`;
}
