/**
 * What the settings say about reaching a server besides its address, read for the connection plan
 * (`connection-plan.ts`): Redis credentials, database number and certificate check from OPTIONS, django-redis's
 * Sentinel options, a database's HOST / PORT strings and MySQL's socket option — and, for a value the analyser
 * cannot know, why (and which environment variable to set).
 */
import { possibilities } from './evaluate/values';
import { findDatabaseEngine } from './knowledge';
import { entryNamed } from './queries/entries';
import { knownString, knownStrings } from './rules/framework';
import { parsePort, type StoreAddress } from './server-addresses';
import type { Span, Value } from './types';

/** The reason (and variable to set) for a value the analyser cannot know. */
export function whyUnknown(
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

/** A possibility as the analyser judges it: an environment lookup with a visible default is that default. */
export function orDefault(p: Value): { subject: Value; ifUnset?: string } {
  return p.kind === 'unknown' && p.default
    ? { subject: p.default, ifUnset: p.envVar ?? 'the environment variable' }
    : { subject: p };
}

/** The value under `key` of a dict value, when the key is certainly there. */
export function valueUnder(dict: Value | undefined, key: string): Value | undefined {
  return dict?.kind === 'dict' ? entryNamed(dict, key)?.value : undefined;
}

/** OPTIONS (its first possibility) when it is a dict. */
export function optionsDict(options: Value | undefined): Value | undefined {
  const dict = options ? possibilities(options)[0] : undefined;
  return dict?.kind === 'dict' ? dict : undefined;
}

/** django-redis's SentinelClient: OPTIONS['CLIENT_CLASS'] or OPTIONS['SENTINELS'] (a list of (host, port)). */
const SENTINEL_CLIENT = 'django_redis.client.SentinelClient';
const DEFAULT_SENTINEL_PORT = 26379;

/** The sentinels to ask and SENTINEL_KWARGS' credentials; why not; or undefined when no Sentinel is configured. */
export function sentinelOptions(
  options: Value | undefined,
  backend: string,
):
  | { sentinels: StoreAddress[]; password?: string; username?: string }
  | { reason: string; variable?: string; span?: Span }
  | undefined {
  const dict = optionsDict(options);
  if (!dict) return undefined;
  const client = knownString(valueUnder(dict, 'CLIENT_CLASS'))?.value;
  const list = valueUnder(dict, 'SENTINELS');
  if (client !== SENTINEL_CLIENT && list === undefined) return undefined;
  if (!backend.startsWith('django_redis.'))
    return { reason: `SENTINELS is an option of django-redis; '${backend}' does not read it` };
  if (list === undefined)
    return { reason: "SentinelClient without OPTIONS['SENTINELS']: no sentinel to ask" };
  const sentinels = sentinelAddresses(list);
  if (!Array.isArray(sentinels)) return sentinels;
  if (sentinels.length === 0) return { reason: 'SENTINELS is empty: no sentinel to ask' };
  const kwargs = valueUnder(dict, 'SENTINEL_KWARGS');
  const password = kwargs ? knownString(valueUnder(kwargs, 'password'))?.value : undefined;
  const username = kwargs ? knownString(valueUnder(kwargs, 'username'))?.value : undefined;
  return {
    sentinels,
    ...(password ? { password } : {}),
    ...(username ? { username } : {}),
  };
}

/** OPTIONS['SENTINELS'] as addresses (a port left out is 26379), or why it cannot be read. */
function sentinelAddresses(list: Value): StoreAddress[] | { reason: string; variable?: string; span?: Span } {
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
  return sentinels;
}

/** What OPTIONS gives a Redis connection (Django's RedisCache passes it to redis-py; django-redis reads PASSWORD). */
export interface RedisOptions {
  password?: string;
  passwordUnknown?: string;
  username?: string;
  db?: number;
  tlsVerify?: boolean;
}

/** password/username/db/ssl_cert_reqs from OPTIONS or its CONNECTION_POOL_KWARGS. */
export function redisOptions(options: Value | undefined): RedisOptions {
  const out: RedisOptions = {};
  const dict = optionsDict(options);
  if (!dict) return out;
  const pool = valueUnder(dict, 'CONNECTION_POOL_KWARGS');
  const get = (names: string[]): Value | undefined => {
    for (const n of names) {
      const v = valueUnder(dict, n);
      if (v !== undefined) return v;
    }
    for (const n of names) {
      const v = valueUnder(pool, n);
      if (v !== undefined) return v;
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

export function databaseProtocol(engine: string): 'mysql' | 'postgresql' | undefined {
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

/** A HOST or PORT possibility the plan can use: its text, the variable whose default gave it, where it was written. */
export interface KnownText {
  readonly value: string;
  readonly ifUnset: string | undefined;
  readonly span: Span | undefined;
}

/** Known string (or int, for PORT) possibilities, or why not. */
export function stringsOf(v: Value, intOk = false): KnownText[] | string {
  const out: KnownText[] = [];
  for (const p of possibilities(v)) {
    const { subject, ifUnset } = orDefault(p);
    if (subject.kind === 'str') out.push({ value: subject.value, ifUnset, span: subject.span });
    else if (intOk && subject.kind === 'int')
      out.push({ value: String(subject.value), ifUnset, span: subject.span });
    else if (subject.kind === 'none') out.push({ value: '', ifUnset, span: subject.span });
    else return 'unknown';
  }
  return out;
}

export function mysqlSocketOption(options: Value | undefined): string | undefined {
  const socket = valueUnder(optionsDict(options), 'unix_socket');
  return socket?.kind === 'str' ? socket.value : undefined;
}
