/**
 * Database logins for `check-connection --login` (never without it): MySQL/MariaDB's mysql_native_password and
 * caching_sha2_password, PostgreSQL's cleartext, md5 and SCRAM-SHA-256, with node's crypto. The password only
 * ever goes into the hashes the protocols ask for (or, where a protocol sends it whole, only over TLS or a unix
 * socket); it is never part of a result.
 */
import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { PlannedEndpoint } from '../core/connection-plan';
import { ProbeError, type ProbeSocket } from './socket';

const pbkdf2 = promisify(crypto.pbkdf2);

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

function sha1(...parts: Buffer[]): Buffer {
  const h = crypto.createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

function sha256(...parts: Buffer[]): Buffer {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i % b.length] ?? 0);
  return out;
}

// ------------------------------------------------------------------ MySQL / MariaDB

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); empty for an empty password. */
export function mysqlNativeScramble(password: string, scramble: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  return xor(stage1, sha1(scramble, sha1(stage1)));
}

/** caching_sha2_password (fast path): SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble). */
export function cachingSha2Scramble(password: string, scramble: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const m1 = sha256(Buffer.from(password, 'utf8'));
  return xor(m1, sha256(sha256(m1), scramble));
}

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_LONG_FLAG = 0x4;
const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_TRANSACTIONS = 0x2000;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
const UTF8MB4_GENERAL_CI = 45;
const MAX_PACKET = 16 * 1024 * 1024;

/** The parts of a protocol-10 greeting a login needs. */
export interface MysqlGreeting {
  readonly version: string;
  readonly capabilities: number;
  readonly scramble: Buffer;
  readonly plugin: string;
}

export function parseMysqlGreeting(payload: Buffer): MysqlGreeting | undefined {
  if (payload[0] !== 0x0a) return undefined;
  let at = payload.indexOf(0, 1);
  if (at < 0) return undefined;
  const version = payload.subarray(1, at).toString('latin1');
  at += 1 + 4; // connection id
  if (payload.length < at + 8 + 1 + 2) return undefined;
  const part1 = payload.subarray(at, at + 8);
  at += 8 + 1; // filler
  let capabilities = payload.readUInt16LE(at);
  at += 2;
  let part2: Buffer = Buffer.alloc(0);
  let plugin = 'mysql_native_password';
  if (payload.length >= at + 1 + 2 + 2 + 1 + 10) {
    at += 1 + 2; // charset, status
    capabilities |= payload.readUInt16LE(at) << 16;
    capabilities >>>= 0;
    at += 2;
    const authLength = payload[at] ?? 0;
    at += 1 + 10; // reserved (MariaDB's extended capabilities in its last 4)
    if (capabilities & CLIENT_SECURE_CONNECTION) {
      const n = Math.max(13, authLength - 8);
      part2 = payload.subarray(at, Math.min(payload.length, at + n));
      at += n;
      // The scramble is 20 bytes; its part 2 ends with a NUL.
      if (part2.length > 0 && part2[part2.length - 1] === 0) part2 = part2.subarray(0, part2.length - 1);
    }
    if (capabilities & CLIENT_PLUGIN_AUTH && at < payload.length) {
      const end = payload.indexOf(0, at);
      plugin = payload.subarray(at, end < 0 ? payload.length : end).toString('latin1');
    }
  }
  return { version, capabilities, scramble: Buffer.concat([part1, part2]), plugin };
}

function mysqlPacket(seq: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = seq & 0xff;
  return Buffer.concat([head, payload]);
}

function lenenc(n: number): Buffer {
  if (n < 251) return Buffer.from([n]);
  const b = Buffer.alloc(3);
  b[0] = 0xfc;
  b.writeUInt16LE(n, 1);
  return b;
}

function mysqlAuthResponse(plugin: string, password: string, scramble: Buffer): Buffer | undefined {
  if (plugin === 'mysql_native_password') return mysqlNativeScramble(password, scramble);
  if (plugin === 'caching_sha2_password') return cachingSha2Scramble(password, scramble);
  return undefined;
}

/** Reads one MySQL packet (payload and sequence number), consuming it. */
async function readMysqlPacket(sock: ProbeSocket): Promise<{ seq: number; payload: Buffer }> {
  const p = await sock.read((buf) => {
    if (buf.length < 4) return undefined;
    const len = buf.readUIntLE(0, 3);
    return buf.length >= 4 + len
      ? { seq: buf[3] ?? 0, payload: Buffer.from(buf.subarray(4, 4 + len)), used: 4 + len }
      : undefined;
  });
  if (!p) throw new ProbeError('closed', 'the server closed the connection during the login');
  sock.consume(p.used);
  return { seq: p.seq, payload: p.payload };
}

function mysqlError(payload: Buffer): { code: number; message: string } {
  const code = payload.readUInt16LE(1);
  const message = payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('utf8');
  return { code, message };
}

/**
 * Logs in after the greeting: TLS first when the server offers it (certificate not verified: what is checked is
 * the account, and mysqlclient's default does not verify either), then the account's plugin. Returns what the
 * login found; a server answer that is not the protocol throws.
 */
export async function mysqlLogin(
  sock: ProbeSocket,
  greeting: MysqlGreeting,
  ep: PlannedEndpoint,
  servername: string | undefined,
): Promise<LoginResult> {
  const user = ep.username;
  if (user === undefined)
    return {
      result: 'not-tried',
      detail: ep.usernameUnknown
        ? `login not tried: USER comes from ${ep.usernameUnknown}, unknown here`
        : 'login not tried: USER is not set (mysqlclient would log in as the system user that runs Django, unknown here)',
    };
  if (ep.passwordUnknown)
    return {
      result: 'not-tried',
      user,
      detail: `login not tried: PASSWORD comes from ${ep.passwordUnknown}, unknown here`,
    };
  const password = ep.password ?? '';
  let seq = 1;
  const unix = ep.address.kind === 'unix';
  let caps =
    CLIENT_LONG_PASSWORD |
    CLIENT_LONG_FLAG |
    CLIENT_PROTOCOL_41 |
    CLIENT_TRANSACTIONS |
    CLIENT_SECURE_CONNECTION |
    CLIENT_PLUGIN_AUTH |
    CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA |
    (ep.database ? CLIENT_CONNECT_WITH_DB : 0);
  caps &= greeting.capabilities | CLIENT_CONNECT_WITH_DB;
  const fixed = (withCaps: number): Buffer => {
    const b = Buffer.alloc(32);
    b.writeUInt32LE(withCaps >>> 0, 0);
    b.writeUInt32LE(MAX_PACKET, 4);
    b[8] = UTF8MB4_GENERAL_CI;
    return b;
  };
  if (!unix && greeting.capabilities & CLIENT_SSL) {
    caps |= CLIENT_SSL;
    sock.write(mysqlPacket(seq++, fixed(caps)));
    await sock.startTls({ verify: false, ...(servername ? { servername } : {}) });
  }
  const safeChannel = unix || sock.secure;
  let plugin = ['mysql_native_password', 'caching_sha2_password'].includes(greeting.plugin)
    ? greeting.plugin
    : 'mysql_native_password';
  let scramble: Buffer = greeting.scramble;
  const auth = mysqlAuthResponse(plugin, password, scramble) ?? Buffer.alloc(0);
  const body = [fixed(caps), Buffer.from(`${user}\0`, 'utf8')];
  if (caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) body.push(lenenc(auth.length), auth);
  else body.push(Buffer.from([auth.length]), auth);
  if (caps & CLIENT_CONNECT_WITH_DB && ep.database) body.push(Buffer.from(`${ep.database}\0`, 'utf8'));
  body.push(Buffer.from(`${plugin}\0`, 'latin1'));
  sock.write(mysqlPacket(seq, Buffer.concat(body)));
  const how = (): string => `${plugin}${sock.secure ? ', over TLS' : unix ? ', on the unix socket' : ''}`;
  for (let round = 0; round < 8; round++) {
    const packet = await readMysqlPacket(sock);
    seq = packet.seq + 1;
    const p = packet.payload;
    const kind = p[0];
    if (kind === 0x00) {
      sock.write(mysqlPacket(0, Buffer.from([0x01]))); // COM_QUIT
      return {
        result: 'authenticated',
        user,
        method: plugin,
        detail: `authenticated as '${user}' (${how()})`,
      };
    }
    if (kind === 0xff) {
      const e = mysqlError(p);
      const text = `${e.message} (error ${e.code})`;
      if (e.code === 1045 || e.code === 1698)
        return {
          result: 'authentication-failed',
          user,
          method: plugin,
          detail: `authentication failed: ${text}`,
        };
      if (e.code === 1044 || e.code === 1049)
        throw new ProbeError(
          'no-database',
          `authenticated as '${user}', but the database '${ep.database ?? ''}' cannot be used: ${text}`,
        );
      throw new ProbeError('server-error', `the server refused the login: ${text}`);
    }
    if (kind === 0xfe) {
      // AuthSwitchRequest: the account uses another plugin.
      const end = p.indexOf(0, 1);
      plugin = p.subarray(1, end < 0 ? p.length : end).toString('latin1');
      scramble = end < 0 ? Buffer.alloc(0) : p.subarray(end + 1);
      if (scramble.length > 0 && scramble[scramble.length - 1] === 0)
        scramble = scramble.subarray(0, scramble.length - 1);
      let answer = mysqlAuthResponse(plugin, password, scramble);
      if (!answer && plugin === 'mysql_clear_password') {
        if (!safeChannel)
          return {
            result: 'not-tried',
            user,
            method: plugin,
            detail:
              'login not tried: the account uses mysql_clear_password, which sends the password as it is, and the server offers no TLS here',
          };
        answer = Buffer.from(`${password}\0`, 'utf8');
      }
      if (!answer)
        return {
          result: 'not-tried',
          user,
          method: plugin,
          detail: `login not finished: the account uses the ${plugin} plugin, which this check does not speak (mysql_native_password and caching_sha2_password are)`,
        };
      sock.write(mysqlPacket(seq, answer));
      continue;
    }
    if (kind === 0x01 && plugin === 'caching_sha2_password') {
      if (p[1] === 0x03) continue; // fast authentication succeeded; the OK packet follows
      if (p[1] === 0x04) {
        // Full authentication: the server has not cached this account since its last restart.
        if (safeChannel) {
          sock.write(mysqlPacket(seq, Buffer.from(`${password}\0`, 'utf8')));
          continue;
        }
        // Over plain TCP the password goes encrypted with the server's RSA key (asked for here).
        sock.write(mysqlPacket(seq, Buffer.from([0x02])));
        const keyPacket = await readMysqlPacket(sock);
        seq = keyPacket.seq + 1;
        const pem = keyPacket.payload.subarray(1).toString('latin1');
        let encrypted: Buffer;
        try {
          encrypted = crypto.publicEncrypt(
            { key: pem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING },
            xor(Buffer.from(`${password}\0`, 'utf8'), scramble),
          );
        } catch {
          return {
            result: 'not-tried',
            user,
            method: plugin,
            detail:
              'login not finished: caching_sha2_password asked for a full authentication, which needs TLS (the server offers none) or its RSA public key (it sent none usable)',
          };
        }
        sock.write(mysqlPacket(seq, encrypted));
        continue;
      }
    }
    throw new ProbeError('wrong-protocol', 'wrong protocol: an unexpected answer during the MySQL login');
  }
  throw new ProbeError('server-error', 'the login did not finish (too many exchanges)');
}

// ------------------------------------------------------------------ PostgreSQL

/** md5 method: 'md5' + md5(md5(password + user) + salt). */
export function postgresMd5(user: string, password: string, salt: Buffer): string {
  const inner = crypto.createHash('md5').update(password, 'utf8').update(user, 'utf8').digest('hex');
  return `md5${crypto.createHash('md5').update(inner, 'latin1').update(salt).digest('hex')}`;
}

/** SCRAM-SHA-256 (RFC 5802/7677) without channel binding, as libpq does without TLS. */
export class ScramSha256 {
  readonly nonce: string;
  readonly clientFirstBare: string;
  private serverSignature: Buffer | undefined;

  /** PostgreSQL takes the user from the startup message: the SCRAM user name is left empty (as libpq does). */
  constructor(nonce = crypto.randomBytes(18).toString('base64'), user = '') {
    this.nonce = nonce;
    this.clientFirstBare = `n=${user},r=${nonce}`;
  }

  clientFirst(): string {
    return `n,,${this.clientFirstBare}`;
  }

  /** The client-final message for the server-first one; throws ProbeError when the server's is malformed. */
  async clientFinal(password: string, serverFirst: string): Promise<string> {
    const attrs = new Map(serverFirst.split(',').map((kv) => [kv.slice(0, 1), kv.slice(2)] as const));
    const nonce = attrs.get('r') ?? '';
    const salt = Buffer.from(attrs.get('s') ?? '', 'base64');
    const iterations = Number(attrs.get('i'));
    if (!nonce.startsWith(this.nonce) || salt.length === 0 || !Number.isInteger(iterations) || iterations < 1)
      throw new ProbeError('wrong-protocol', 'wrong protocol: a malformed SCRAM server-first message');
    if (iterations > 10_000_000)
      throw new ProbeError(
        'server-error',
        `the server asks for ${iterations} SCRAM iterations: not computed`,
      );
    const salted = await pbkdf2(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
    const clientKey = crypto.createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = sha256(clientKey);
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = crypto.createHmac('sha256', storedKey).update(authMessage).digest();
    const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest();
    this.serverSignature = crypto.createHmac('sha256', serverKey).update(authMessage).digest();
    return `${withoutProof},p=${xor(clientKey, signature).toString('base64')}`;
  }

  /** Whether the server-final message proves the server knew the password too. */
  verifyServer(serverFinal: string): boolean {
    const v = /(?:^|,)v=([^,]+)/.exec(serverFinal)?.[1];
    return (
      v !== undefined &&
      this.serverSignature !== undefined &&
      Buffer.from(v, 'base64').equals(this.serverSignature)
    );
  }
}

function pgMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** The StartupMessage (protocol 3.0) for a user and database. */
function pgStartup(user: string, database: string): Buffer {
  const params = Buffer.from(
    `user\0${user}\0database\0${database}\0application_name\0django-session-lint\0\0`,
    'utf8',
  );
  const head = Buffer.alloc(8);
  head.writeUInt32BE(params.length + 8, 0);
  head.writeUInt32BE(196608, 4);
  return Buffer.concat([head, params]);
}

async function readPgMessage(sock: ProbeSocket): Promise<{ type: string; body: Buffer }> {
  const m = await sock.read((buf) => {
    if (buf.length < 5) return undefined;
    const len = buf.readUInt32BE(1);
    if (len < 4 || len > 1 << 20)
      throw new ProbeError('wrong-protocol', 'wrong protocol: not a PostgreSQL message during the login');
    return buf.length >= 1 + len
      ? { type: String.fromCharCode(buf[0] ?? 0), body: Buffer.from(buf.subarray(5, 1 + len)), used: 1 + len }
      : undefined;
  });
  if (!m) throw new ProbeError('closed', 'the server closed the connection during the login');
  sock.consume(m.used);
  return { type: m.type, body: m.body };
}

/** An ErrorResponse's fields: S(everity), C(ode), M(essage), … */
function pgErrorFields(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of body.toString('utf8').split('\0')) if (f.length > 1) out.set(f[0] ?? '', f.slice(1));
  return out;
}

const PG_METHODS: Record<number, string> = {
  3: 'password (cleartext)',
  5: 'md5',
  10: 'SCRAM-SHA-256',
};

/**
 * Logs in after the SSLRequest exchange (and TLS when it was agreed): StartupMessage, then what the server
 * asks (trust, cleartext, md5, SCRAM-SHA-256), up to ReadyForQuery. Returns the result and the server version
 * from its ParameterStatus.
 */
export async function postgresLogin(
  sock: ProbeSocket,
  ep: PlannedEndpoint,
): Promise<{ login: LoginResult; serverVersion?: string }> {
  const user = ep.username;
  if (user === undefined)
    return {
      login: {
        result: 'not-tried',
        detail: ep.usernameUnknown
          ? `login not tried: USER comes from ${ep.usernameUnknown}, unknown here`
          : 'login not tried: USER is not set (libpq would log in as the system user that runs Django, unknown here)',
      },
    };
  const database = ep.database ?? 'postgres';
  sock.write(pgStartup(user, database));
  let method = 'trust';
  let scram: ScramSha256 | undefined;
  let serverVersion: string | undefined;
  let authenticated = false;
  const channel = sock.secure ? ', over TLS' : ep.address.kind === 'unix' ? ', on the unix socket' : '';
  const noPassword = (): LoginResult => ({
    result: ep.passwordUnknown ? 'not-tried' : 'authentication-failed',
    user,
    method,
    detail: ep.passwordUnknown
      ? `login not tried: the server asks for a password (${method}) and PASSWORD comes from ${ep.passwordUnknown}, unknown here`
      : `authentication failed: the server asks for a password (${method}) and none is configured (libpq could still find one in PGPASSWORD or ~/.pgpass of the process that runs Django)`,
  });
  for (let round = 0; round < 64; round++) {
    const { type, body } = await readPgMessage(sock);
    if (type === 'R') {
      const code = body.readUInt32BE(0);
      if (code === 0) {
        authenticated = true;
        continue;
      }
      if (code === 3 || code === 5) {
        method = PG_METHODS[code] ?? method;
        if (ep.password === undefined) return { login: noPassword() };
        const answer = code === 3 ? ep.password : postgresMd5(user, ep.password, body.subarray(4, 8));
        sock.write(pgMessage('p', Buffer.from(`${answer}\0`, 'utf8')));
        continue;
      }
      if (code === 10) {
        const mechanisms = body.subarray(4).toString('utf8').split('\0').filter(Boolean);
        method = 'SCRAM-SHA-256';
        if (!mechanisms.includes('SCRAM-SHA-256'))
          return {
            login: {
              result: 'not-tried',
              user,
              detail: `login not finished: the server offers only ${mechanisms.join(', ')}`,
            },
          };
        if (ep.password === undefined) return { login: noPassword() };
        scram = new ScramSha256();
        const first = Buffer.from(scram.clientFirst(), 'utf8');
        const len = Buffer.alloc(4);
        len.writeUInt32BE(first.length, 0);
        sock.write(pgMessage('p', Buffer.concat([Buffer.from('SCRAM-SHA-256\0', 'latin1'), len, first])));
        continue;
      }
      if (code === 11 && scram && ep.password !== undefined) {
        const final = await scram.clientFinal(ep.password, body.subarray(4).toString('utf8'));
        sock.write(pgMessage('p', Buffer.from(final, 'utf8')));
        continue;
      }
      if (code === 12 && scram) {
        if (!scram.verifyServer(body.subarray(4).toString('utf8')))
          throw new ProbeError(
            'auth',
            'authentication failed: the server did not prove it knows the password (SCRAM server signature mismatch)',
          );
        continue;
      }
      return {
        login: {
          result: 'not-tried',
          user,
          detail: `login not finished: the server asks for an authentication this check does not speak (code ${code}: Kerberos, GSSAPI, SSPI or another)`,
        },
      };
    }
    if (type === 'S') {
      const [name, value] = body.toString('utf8').split('\0');
      if (name === 'server_version' && value) serverVersion = value.split(' ')[0];
      continue;
    }
    if (type === 'E') {
      const f = pgErrorFields(body);
      const sqlstate = f.get('C') ?? '';
      const text = `${f.get('M') ?? 'error'} (${sqlstate || 'no SQLSTATE'})`;
      if (!authenticated && (sqlstate === '28P01' || sqlstate === '28000'))
        return {
          login: { result: 'authentication-failed', user, method, detail: `authentication failed: ${text}` },
        };
      if (authenticated && sqlstate === '3D000')
        throw new ProbeError('no-database', `authenticated as '${user}', but ${text}`);
      throw new ProbeError('server-error', `the server refused the login: ${text}`);
    }
    if (type === 'Z') {
      sock.write(pgMessage('X', Buffer.alloc(0)));
      return {
        login: {
          result: 'authenticated',
          user,
          method,
          detail: `authenticated as '${user}' to the database '${database}' (${method}${channel})`,
        },
        ...(serverVersion ? { serverVersion } : {}),
      };
    }
    // BackendKeyData, NoticeResponse, NegotiateProtocolVersion: nothing to do.
  }
  throw new ProbeError('server-error', 'the login did not finish (too many messages)');
}
