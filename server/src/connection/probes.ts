/**
 * Protocol handshakes, one per store: memcached `version`; Redis AUTH / SELECT / PING / INFO server; the
 * MySQL/MariaDB initial handshake packet (no login); PostgreSQL's answer to an SSLRequest (no login). Each
 * reads only what the server sends back and says precisely why it failed.
 */
import { performance } from 'node:perf_hooks';
import type { PlannedEndpoint, StoreProtocol } from '../core/connection-plan';
import type { StoreAddress } from '../core/server-addresses';
import type { LoginResult } from './login';
import { mysqlError, mysqlLogin, parseMysqlGreeting } from './mysql-login';
import { postgresLogin } from './postgres-login';
import { addressText, ipVersion, ProbeError, ProbeSocket, type FailureCode } from './socket';

export interface ProbeResult {
  readonly ok: boolean;
  /** TCP (or unix socket) connect time. */
  readonly connectMs?: number;
  /** Round trip of the protocol exchange (request → answer; for MySQL connect → greeting). */
  readonly rttMs?: number;
  readonly serverVersion?: string;
  /** Extra facts: `version not disclosed before login`, `AUTH not tried: …`. */
  readonly notes: readonly string[];
  readonly code?: FailureCode;
  readonly message?: string;
  /** With `--login`, for MySQL/MariaDB and PostgreSQL: what the login found. */
  readonly login?: LoginResult;
}

const PROTOCOL_NAMES: Record<StoreProtocol, string> = {
  memcached: 'memcached',
  redis: 'Redis',
  mysql: 'MySQL/MariaDB',
  postgresql: 'PostgreSQL',
};

/** Which service a first answer comes from, by its shape. */
export function identifyProtocol(buf: Buffer): string | undefined {
  if (buf.length === 0) return undefined;
  const text = buf.subarray(0, 64).toString('latin1');
  if (/^(VERSION \S|ERROR\r\n|CLIENT_ERROR |SERVER_ERROR |END\r\n|STORED\r\n)/.test(text)) return 'memcached';
  if (/^(-(ERR|NOAUTH|WRONGPASS|DENIED|NOPERM|LOADING|MISCONF)\b|\+(PONG|OK)\r\n|[$*:][-0-9])/.test(text))
    return 'Redis';
  if (isMysqlPacket(buf)) return 'MySQL/MariaDB';
  if (/^HTTP\/\d/.test(text)) return 'HTTP';
  if (text.startsWith('SSH-')) return 'SSH';
  if (/^220[ -]/.test(text)) return 'SMTP or FTP';
  if (/^\* OK /.test(text)) return 'IMAP';
  if (buf[0] === 0x15 || buf[0] === 0x16) {
    if (buf[1] === 0x03) return 'TLS';
  }
  if (buf[0] === 0x45 /* E */ && buf.length >= 5 && /S(FATAL|ERROR|PANIC)/.test(text)) return 'PostgreSQL';
  return undefined;
}

function isMysqlPacket(buf: Buffer): boolean {
  if (buf.length < 5) return false;
  const len = buf.readUIntLE(0, 3);
  if (buf[3] !== 0 || len < 2 || len > 0x4000) return false;
  if (buf[4] === 0x0a) {
    // Protocol 10: a NUL-terminated printable version follows.
    const end = buf.indexOf(0, 5);
    return end > 5 && /^[\x20-\x7e]+$/.test(buf.subarray(5, end).toString('latin1'));
  }
  return buf[4] === 0xff && len >= 3;
}

function wrongProtocol(expected: StoreProtocol, buf: Buffer): ProbeError {
  const found = identifyProtocol(buf);
  const name = PROTOCOL_NAMES[expected];
  if (found)
    return new ProbeError('wrong-protocol', `wrong protocol: this port speaks ${found}, not ${name}`);
  const shown = buf
    .subarray(0, 24)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
  return new ProbeError('wrong-protocol', `wrong protocol: not a ${name} answer (received "${shown}")`);
}

/** Turns a close without an answer into a precise message. */
function closedWithout(expected: StoreProtocol, sock: ProbeSocket, e: unknown): unknown {
  if (!(e instanceof ProbeError) || e.code !== 'closed') return e;
  if (sock.received.length > 0) return wrongProtocol(expected, sock.received);
  return new ProbeError(
    'closed',
    `the server closed the connection without a ${PROTOCOL_NAMES[expected]} answer (${e.message.includes('reset') ? 'reset' : 'closed'}; not a ${PROTOCOL_NAMES[expected]} server, or it refuses this client)`,
  );
}

// ------------------------------------------------------------------ memcached

async function memcached(sock: ProbeSocket): Promise<Partial<ProbeResult>> {
  const sent = performance.now();
  sock.write('version\r\n');
  const line = await sock.read((buf) => {
    const i = buf.indexOf('\r\n');
    if (i >= 0) return buf.subarray(0, i).toString('latin1');
    // A MySQL greeting has no CRLF; recognise it whole.
    return isMysqlPacket(buf) ? '' : undefined;
  });
  const rttMs = performance.now() - sent;
  const m = /^VERSION (\S+)/.exec(line ?? '');
  if (!m) throw wrongProtocol('memcached', sock.received);
  return { rttMs, serverVersion: m[1] };
}

// ------------------------------------------------------------------ Redis

type Resp =
  | { kind: 'simple' | 'error'; text: string }
  | { kind: 'int'; value: number }
  | { kind: 'bulk'; text: string | null };

/** One RESP reply at the start of `buf`: the reply and bytes used, undefined when incomplete; throws when not RESP. */
export function parseResp(buf: Buffer): { reply: Resp; used: number } | undefined {
  if (buf.length === 0) return undefined;
  const type = String.fromCharCode(buf[0] ?? 0);
  if (!'+-:$*'.includes(type)) throw wrongProtocol('redis', buf);
  const eol = buf.indexOf('\r\n');
  if (eol < 0) {
    if (buf.length > 4096) throw wrongProtocol('redis', buf);
    return undefined;
  }
  const line = buf.subarray(1, eol).toString('utf8');
  switch (type) {
    case '+':
      return { reply: { kind: 'simple', text: line }, used: eol + 2 };
    case '-':
      return { reply: { kind: 'error', text: line }, used: eol + 2 };
    case ':':
      return { reply: { kind: 'int', value: Number(line) }, used: eol + 2 };
    case '$': {
      const n = Number(line);
      if (!Number.isInteger(n)) throw wrongProtocol('redis', buf);
      if (n < 0) return { reply: { kind: 'bulk', text: null }, used: eol + 2 };
      if (buf.length < eol + 2 + n + 2) return undefined;
      return {
        reply: { kind: 'bulk', text: buf.subarray(eol + 2, eol + 2 + n).toString('utf8') },
        used: eol + 4 + n,
      };
    }
    default:
      // Arrays are not asked for; treat as an unexpected but valid Redis answer.
      return { reply: { kind: 'simple', text: line }, used: buf.length };
  }
}

function resp(...args: string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''));
}

async function command(sock: ProbeSocket, ...args: string[]): Promise<Resp> {
  sock.write(resp(...args));
  const r = await sock.read(parseResp);
  if (!r) throw new ProbeError('closed', 'no answer');
  sock.consume(r.used);
  return r.reply;
}

function authFailure(text: string, ep: PlannedEndpoint): ProbeError {
  if (/^WRONGPASS|invalid password|invalid username-password/i.test(text))
    return new ProbeError(
      'auth',
      `authentication failed: the server rejected the configured ${ep.username ? 'username or password' : 'password'} (${text})`,
    );
  if (/without any password configured|no password is set/i.test(text))
    return new ProbeError(
      'auth',
      `authentication failed: a password is configured but the server has none, and redis-py fails on this AUTH (${text})`,
    );
  return new ProbeError('auth', `authentication failed: ${text}`);
}

async function redis(sock: ProbeSocket, ep: PlannedEndpoint): Promise<Partial<ProbeResult>> {
  const notes: string[] = [];
  if (ep.password !== undefined) {
    const r = await command(sock, 'AUTH', ...(ep.username ? [ep.username] : []), ep.password);
    if (r.kind === 'error') throw authFailure(r.text, ep);
  } else if (ep.passwordUnknown)
    notes.push(`AUTH not tried: the password comes from ${ep.passwordUnknown}, unknown here`);
  if (ep.db !== undefined && ep.db !== 0) {
    const r = await command(sock, 'SELECT', String(ep.db));
    if (r.kind === 'error') {
      if (/^NOAUTH/.test(r.text)) throw noAuth(r.text, ep);
      throw new ProbeError('server-error', `SELECT ${ep.db} failed: ${r.text}`);
    }
  }
  const sent = performance.now();
  const pong = await command(sock, 'PING');
  const rttMs = performance.now() - sent;
  if (pong.kind === 'error') {
    if (/^NOAUTH/.test(pong.text)) throw noAuth(pong.text, ep);
    throw new ProbeError('server-error', `PING failed: ${pong.text}`);
  }
  if (!(pong.kind === 'simple' && pong.text === 'PONG') && !(pong.kind === 'bulk' && pong.text === 'PONG'))
    throw wrongProtocol('redis', sock.received);
  let serverVersion: string | undefined;
  const info = await command(sock, 'INFO', 'server');
  if (info.kind === 'bulk' && info.text) {
    serverVersion = /^redis_version:(\S+)/m.exec(info.text)?.[1];
    const valkey = /^valkey_version:(\S+)/m.exec(info.text)?.[1];
    if (valkey) serverVersion = `valkey ${valkey}`;
  } else if (info.kind === 'error') notes.push(`version not shown: INFO refused (${info.text})`);
  return { rttMs, notes, ...(serverVersion ? { serverVersion } : {}) };
}

function noAuth(text: string, ep: PlannedEndpoint): ProbeError {
  return new ProbeError(
    'auth',
    ep.passwordUnknown
      ? `authentication failed: the server requires a password; it comes from ${ep.passwordUnknown}, which is unknown here (${text})`
      : `authentication failed: the server requires a password and none is configured (${text})`,
  );
}

// ------------------------------------------------------------------ Redis Sentinel

/** A RESP array of bulk strings (`*2 $9 127.0.0.1 $4 6379`), null for a null array/bulk, or an error line. */
function parseRespStrings(
  buf: Buffer,
): { value: string[] | null | { error: string }; used: number } | undefined {
  if (buf.length === 0) return undefined;
  const first = String.fromCharCode(buf[0] ?? 0);
  if (first !== '*') {
    const one = parseResp(buf);
    if (!one) return undefined;
    const r = one.reply;
    if (r.kind === 'error') return { value: { error: r.text }, used: one.used };
    if (r.kind === 'bulk' && r.text === null) return { value: null, used: one.used };
    throw wrongProtocol('redis', buf);
  }
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return undefined;
  const n = Number(buf.subarray(1, eol).toString('latin1'));
  if (!Number.isInteger(n) || n > 64) throw wrongProtocol('redis', buf);
  if (n < 0) return { value: null, used: eol + 2 };
  const out: string[] = [];
  let at = eol + 2;
  for (let i = 0; i < n; i++) {
    const item = parseResp(buf.subarray(at));
    if (!item) return undefined;
    if (item.reply.kind !== 'bulk' || item.reply.text === null) throw wrongProtocol('redis', buf);
    out.push(item.reply.text);
    at += item.used;
  }
  return { value: out, used: at };
}

type SentinelSettings = NonNullable<PlannedEndpoint['sentinel']>;

/** What asking the sentinels found: the master and who named it, or why each sentinel asked could not. */
interface SentinelAnswer {
  master?: StoreAddress;
  /** The sentinel that named the master. */
  named?: string;
  connectMs?: number;
  readonly failures: { code: FailureCode; text: string }[];
}

/** One sentinel's answer to `SENTINEL get-master-addr-by-name` (after AUTH with SENTINEL_KWARGS' password). */
async function askSentinel(sock: ProbeSocket, sentinel: SentinelSettings): Promise<StoreAddress> {
  if (sentinel.password !== undefined) {
    const r = await command(
      sock,
      'AUTH',
      ...(sentinel.username ? [sentinel.username] : []),
      sentinel.password,
    );
    if (r.kind === 'error')
      throw new ProbeError('auth', `the sentinel refused SENTINEL_KWARGS' password (${r.text})`);
  }
  sock.write(resp('SENTINEL', 'get-master-addr-by-name', sentinel.service));
  const answer = await sock.read(parseRespStrings);
  const value = answer?.value;
  if (value === null || value === undefined)
    throw new ProbeError('server-error', `the sentinel knows no master named '${sentinel.service}'`);
  if (!Array.isArray(value)) throw sentinelRefusal(value.error);
  const port = Number(value[1]);
  if (!value[0] || !Number.isInteger(port)) throw wrongProtocol('redis', sock.received);
  return { kind: 'tcp', host: value[0], port };
}

/** A sentinel's error answer: not a Sentinel, a password needed, or another refusal. */
function sentinelRefusal(error: string): ProbeError {
  if (/unknown command/i.test(error))
    return new ProbeError(
      'wrong-protocol',
      `wrong protocol: this port speaks Redis, but is not a Sentinel (${error})`,
    );
  if (/^NOAUTH/.test(error))
    return new ProbeError(
      'auth',
      `authentication failed: the sentinel requires a password and SENTINEL_KWARGS has none (${error})`,
    );
  return new ProbeError('server-error', `SENTINEL get-master-addr-by-name failed: ${error}`);
}

/** Asks the configured sentinels in order, until one names the master or the deadline passes. */
async function askSentinels(sentinel: SentinelSettings, deadline: number): Promise<SentinelAnswer> {
  const found: SentinelAnswer = { failures: [] };
  for (const address of sentinel.sentinels) {
    const left = Math.round(deadline - performance.now());
    if (left <= 0) break;
    const where = addressText(address);
    const sock = new ProbeSocket(address, left);
    try {
      found.connectMs = await sock.connect();
      found.master = await askSentinel(sock, sentinel);
      found.named = where;
      break;
    } catch (e) {
      found.failures.push(sentinelFailure(sock, where, e));
    } finally {
      sock.close();
    }
  }
  return found;
}

/** Why one sentinel did not answer, in the words a closed connection or a wrong protocol gets elsewhere. */
function sentinelFailure(sock: ProbeSocket, where: string, e: unknown): { code: FailureCode; text: string } {
  const err =
    e instanceof ProbeError ? e : new ProbeError('error', e instanceof Error ? e.message : String(e));
  const shown = closedWithout('redis', sock, err);
  return {
    code: shown instanceof ProbeError ? shown.code : err.code,
    text: `sentinel ${where}: ${shown instanceof Error ? shown.message : err.message}`,
  };
}

/**
 * Asks the configured sentinels, in order, for the address of the master named `service`
 * (`SENTINEL get-master-addr-by-name`), then checks that master as a Redis endpoint (AUTH, SELECT, PING) — what
 * django-redis's SentinelClient does — all within one timeout.
 */
async function viaSentinel(ep: PlannedEndpoint, timeoutMs: number): Promise<ProbeResult> {
  const sentinel = ep.sentinel;
  if (!sentinel) throw new Error('not a Sentinel endpoint');
  const deadline = performance.now() + timeoutMs;
  const { master, named, connectMs, failures } = await askSentinels(sentinel, deadline);
  if (!master) {
    const first = failures[0];
    return {
      ok: false,
      code: first?.code ?? 'timeout',
      message:
        failures.length > 0
          ? `no sentinel named the master of '${sentinel.service}': ${failures.map((f) => f.text).join('; ')}`
          : `timed out before a sentinel answered (${timeoutMs} ms)`,
      notes: [],
    };
  }
  const asked = `sentinel ${named ?? ''} names ${addressText(master)} as the master of '${sentinel.service}'`;
  const notes = [asked, ...failures.map((f) => `${f.text} (the next sentinel was asked)`)];
  const left = Math.round(deadline - performance.now());
  if (left <= 0)
    return { ok: false, code: 'timeout', message: `${asked}, but no time was left to check it`, notes };
  const { sentinel: _s, ...plain } = ep;
  const r = await probeEndpoint({ ...plain, address: master }, left);
  return {
    ...r,
    ...(connectMs !== undefined ? { connectMs } : {}),
    ...(r.ok ? {} : { message: `master ${addressText(master)}: ${r.message ?? 'failed'}` }),
    notes: [...notes, ...r.notes],
  };
}

// ------------------------------------------------------------------ MySQL / MariaDB

async function mysql(
  sock: ProbeSocket,
  started: number,
  timeoutMs: number,
  ep: PlannedEndpoint,
  login: boolean,
  servername: string | undefined,
): Promise<Partial<ProbeResult>> {
  const packet = (buf: Buffer): Buffer | undefined => {
    if (buf.length < 4) return undefined;
    const len = buf.readUIntLE(0, 3);
    // A plain-text answer (+PONG, ERROR) reads as an absurd length or sequence number.
    if (buf[3] !== 0 || len < 1 || len > 0x4000) throw wrongProtocol('mysql', buf);
    return buf.length >= 4 + len ? buf.subarray(4, 4 + len) : undefined;
  };
  // The server speaks first. A client-speaks-first service (Redis, memcached) stays silent: after a short
  // grace, a PING line makes it identify itself.
  let payload = await sock.read(packet, Math.min(1000, timeoutMs / 3));
  if (payload === undefined) {
    sock.write('PING\r\n');
    payload = await sock.read(packet);
  }
  const rttMs = performance.now() - started;
  if (!payload) throw new ProbeError('closed', 'no answer');
  if (payload[0] === 0xff) {
    const { code, message } = mysqlError(payload);
    throw new ProbeError(
      'server-error',
      `the server refused the connection before login: ${message} (error ${code})`,
    );
  }
  if (payload[0] !== 0x0a) throw wrongProtocol('mysql', sock.received);
  const end = payload.indexOf(0, 1);
  const raw = payload.subarray(1, end < 0 ? payload.length : end).toString('latin1');
  // MariaDB prefixes "5.5.5-" for old replication clients.
  const serverVersion = raw.replace(/^5\.5\.5-/, '');
  if (!login)
    return { rttMs, serverVersion, notes: ['handshake packet read; no login attempted (--login logs in)'] };
  const greeting = parseMysqlGreeting(payload);
  if (!greeting) throw wrongProtocol('mysql', sock.received);
  sock.consume(4 + payload.length);
  const result = await mysqlLogin(sock, greeting, ep, servername);
  return { rttMs, serverVersion, notes: [], login: withCaveat(result, ep) };
}

// ------------------------------------------------------------------ PostgreSQL

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** The answer to an SSLRequest: `S` (TLS offered), `N` (no TLS), a whole `E`rrorResponse, or `junk`. */
function readSslAnswer(sock: ProbeSocket): Promise<'S' | 'N' | 'E' | 'junk' | undefined> {
  return sock.read((buf) => {
    if (buf.length === 0) return undefined;
    const first = String.fromCharCode(buf[0] ?? 0);
    if (first === 'S' || first === 'N') return buf.length === 1 ? first : 'junk';
    if (first === 'E') {
      if (buf.length < 5) return undefined;
      const len = buf.readUInt32BE(1);
      if (len > 0x10000) return 'junk';
      return buf.length >= 1 + len ? 'E' : undefined;
    }
    return 'junk';
  });
}

/** After the server's S or N: TLS as OPTIONS['sslmode'] asks (libpq's rules), or why the login cannot go on. */
async function startPostgresTls(
  sock: ProbeSocket,
  answer: 'S' | 'N',
  sslmode: string,
  servername: string | undefined,
): Promise<void> {
  const needsTls = ['require', 'verify-ca', 'verify-full'].includes(sslmode);
  if (answer === 'N' && needsTls)
    throw new ProbeError(
      'tls',
      `TLS failed: the server offers no TLS, and OPTIONS['sslmode'] is '${sslmode}' (libpq refuses to go on)`,
    );
  if (answer === 'S' && sslmode !== 'allow')
    await sock.startTls({
      verify: sslmode === 'verify-ca' || sslmode === 'verify-full',
      ...(servername ? { servername } : {}),
    });
}

/** Logs in and says what it found, with the server version the login disclosed. */
async function postgresLoginResult(sock: ProbeSocket, ep: PlannedEndpoint): Promise<Partial<ProbeResult>> {
  const r = await postgresLogin(sock, ep);
  return {
    notes: [],
    login: withCaveat(r.login, ep),
    ...(r.serverVersion ? { serverVersion: r.serverVersion } : {}),
  };
}

async function postgresql(
  sock: ProbeSocket,
  ep: PlannedEndpoint,
  login: boolean,
  servername: string | undefined,
): Promise<Partial<ProbeResult>> {
  const sslmode = (ep.sslmode ?? 'prefer').toLowerCase();
  const sent = performance.now();
  if (login && sslmode === 'disable') {
    // No SSLRequest: libpq goes straight to the startup message (the round trip then includes the login).
    const result = await postgresLoginResult(sock, ep);
    return { rttMs: performance.now() - sent, ...result };
  }
  sock.write(SSL_REQUEST);
  const answer = await readSslAnswer(sock);
  const rttMs = performance.now() - sent;
  if ((answer === 'S' || answer === 'N') && login) {
    sock.consume(1);
    await startPostgresTls(sock, answer, sslmode, servername);
    return { rttMs, ...(await postgresLoginResult(sock, ep)) };
  }
  if (answer === 'S' || answer === 'N')
    return {
      rttMs,
      notes: [
        `answered the SSLRequest (${answer === 'S' ? 'TLS available' : 'no TLS'}); PostgreSQL discloses its version only after login, and no login was attempted (--login logs in)`,
      ],
    };
  if (answer === 'E') {
    const fields = sock.received.subarray(5).toString('utf8').split('\0');
    const message = fields.find((f) => f.startsWith('M'))?.slice(1) ?? 'error';
    if (identifyProtocol(sock.received) === 'PostgreSQL')
      throw new ProbeError('server-error', `the server refused the connection before login: ${message}`);
  }
  throw wrongProtocol('postgresql', sock.received);
}

/** A login's detail with what the settings' OPTIONS may change, and the environment defaults it used. */
function withCaveat(r: LoginResult, ep: PlannedEndpoint): LoginResult {
  const extra = [
    ep.credentialsIfUnset?.length
      ? `credentials from the defaults of ${ep.credentialsIfUnset.join(', ')} (if unset)`
      : '',
    ep.loginCaveat ?? '',
  ].filter(Boolean);
  return extra.length ? { ...r, detail: `${r.detail}; ${extra.join('; ')}` } : r;
}

// ------------------------------------------------------------------ entry

/** Contacts one endpoint, bounded by `timeoutMs` from the first packet to the last. */
export async function probeEndpoint(
  ep: PlannedEndpoint,
  timeoutMs: number,
  login = false,
): Promise<ProbeResult> {
  if (ep.sentinel) return viaSentinel(ep, timeoutMs);
  const sock = new ProbeSocket(ep.address, timeoutMs);
  const started = performance.now();
  try {
    const host = ep.address.kind === 'tcp' ? ep.address.host : undefined;
    const servername = host && ipVersion(host) === 0 ? host : undefined;
    const connectMs = await sock.connect(
      ep.tls ? { verify: ep.tlsVerify !== false, ...(servername ? { servername } : {}) } : undefined,
    );
    let r: Partial<ProbeResult>;
    try {
      switch (ep.protocol) {
        case 'memcached':
          r = await memcached(sock);
          break;
        case 'redis':
          r = await redis(sock, ep);
          break;
        case 'mysql':
          r = await mysql(sock, started, timeoutMs, ep, login, servername);
          break;
        case 'postgresql':
          r = await postgresql(sock, ep, login, servername);
          break;
      }
    } catch (e) {
      throw closedWithout(ep.protocol, sock, e);
    }
    if (r.login?.result === 'authentication-failed')
      return { connectMs, notes: [], ...r, ok: false, code: 'auth', message: r.login.detail };
    return { ok: true, connectMs, notes: [], ...r };
  } catch (e) {
    if (e instanceof ProbeError) return { ok: false, code: e.code, message: e.message, notes: [] };
    return { ok: false, code: 'error', message: e instanceof Error ? e.message : String(e), notes: [] };
  } finally {
    sock.close();
  }
}
