/**
 * Database logins for `check-connection --login` (never without it): MySQL/MariaDB's mysql_native_password and
 * caching_sha2_password (`mysql-login.ts`), PostgreSQL's cleartext, md5 and SCRAM-SHA-256 (`postgres-login.ts`),
 * with node's crypto. Both follow the skeleton here: the client's opening message, then one server message at a
 * time until the login ends with a result. The password only ever goes into the hashes the protocols ask for (or,
 * where a protocol sends it whole, only over TLS or a unix socket); it is never part of a result.
 */
import * as crypto from 'node:crypto';
import type { PlannedEndpoint } from '../core/connection-plan';
import { ProbeError, type ProbeSocket } from './socket';

/** What a login attempt found. */
export interface LoginResult {
  readonly result: 'authenticated' | 'authentication-failed' | 'not-tried';
  /** The user logged in as (not a secret; masked on output like everything). */
  readonly user?: string;
  /** `mysql_native_password`, `SCRAM-SHA-256`, … */
  readonly method?: string;
  /** Why it failed or was not tried, or what else was found (`over TLS`). */
  readonly detail: string;
}

/** The SHA-1 or SHA-256 digest of the parts, in order. */
export function hash(algorithm: 'sha1' | 'sha256', ...parts: Buffer[]): Buffer {
  const h = crypto.createHash(algorithm);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i % b.length] ?? 0);
  return out;
}

/** One protocol's side of a login, after its opening message: how it reads the server and answers it. */
export interface LoginConversation<M> {
  /** Most server messages read before the login is given up, and how that is said (`too many messages`). */
  readonly maxMessages: number;
  readonly tooMany: string;
  read(): Promise<M>;
  /** Acts on one server message (answering it when the protocol asks): a result ends the login. */
  onMessage(message: M): Promise<LoginResult | undefined>;
}

/** Reads one protocol message (`parse` says how long it is, undefined while incomplete) and consumes it. */
export async function readLoginMessage<M>(
  sock: ProbeSocket,
  parse: (buf: Buffer) => (M & { used: number }) | undefined,
): Promise<M> {
  const m = await sock.read(parse);
  if (!m) throw new ProbeError('closed', 'the server closed the connection during the login');
  sock.consume(m.used);
  return m;
}

/** Reads and answers server messages until the conversation ends the login; a server that never does is an error. */
export async function converse<M>(login: LoginConversation<M>): Promise<LoginResult> {
  for (let round = 0; round < login.maxMessages; round++) {
    const result = await login.onMessage(await login.read());
    if (result) return result;
  }
  throw new ProbeError('server-error', `the login did not finish (${login.tooMany})`);
}

/** The login not tried because USER is unknown; `client` is the library that would pick the system user. */
export function userNotKnown(ep: PlannedEndpoint, client: string): LoginResult {
  return {
    result: 'not-tried',
    detail: ep.usernameUnknown
      ? `login not tried: USER comes from ${ep.usernameUnknown}, unknown here`
      : `login not tried: USER is not set (${client} would log in as the system user that runs Django, unknown here)`,
  };
}

/** A login's end for `user`; `method` is absent when the server asked for none this check speaks. */
export function loginEnd(
  result: LoginResult['result'],
  user: string,
  method: string | undefined,
  detail: string,
): LoginResult {
  return { result, user, ...(method !== undefined ? { method } : {}), detail };
}

/** `, over TLS`, `, on the unix socket` or nothing: how the login's messages travelled. */
export function channelText(sock: ProbeSocket, ep: PlannedEndpoint): string {
  return sock.secure ? ', over TLS' : ep.address.kind === 'unix' ? ', on the unix socket' : '';
}

/**
 * What a server's error answer to a login means, by the protocol's error code: the account was refused (a
 * result), or the database cannot be used (`database`: what to say after "authenticated as 'user', but"), or
 * another refusal (both thrown).
 */
export function refusedLogin(
  refusal: 'account' | 'database' | 'other',
  user: string,
  method: string,
  text: string,
  database = text,
): LoginResult {
  if (refusal === 'account')
    return loginEnd('authentication-failed', user, method, `authentication failed: ${text}`);
  if (refusal === 'database')
    throw new ProbeError('no-database', `authenticated as '${user}', but ${database}`);
  throw new ProbeError('server-error', `the server refused the login: ${text}`);
}
