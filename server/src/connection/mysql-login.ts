/**
 * The MySQL/MariaDB login (protocol 41): TLS when the server offers it, the HandshakeResponse, then the answers
 * the account's plugin asks for — mysql_native_password and caching_sha2_password (fast and full
 * authentication), mysql_clear_password only over TLS or a unix socket — on the skeleton of `login.ts`.
 */
import * as crypto from 'node:crypto';
import type { PlannedEndpoint } from '../core/connection-plan';
import {
  channelText,
  converse,
  loginEnd,
  readLoginMessage,
  refusedLogin,
  hash,
  userNotKnown,
  xor,
  type LoginConversation,
  type LoginResult,
} from './login';
import { ProbeError, type ProbeSocket } from './socket';

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); empty for an empty password. */
export function mysqlNativeScramble(password: string, scramble: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = hash('sha1', Buffer.from(password, 'utf8'));
  return xor(stage1, hash('sha1', scramble, hash('sha1', stage1)));
}

/** caching_sha2_password (fast path): SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble). */
export function cachingSha2Scramble(password: string, scramble: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const m1 = hash('sha256', Buffer.from(password, 'utf8'));
  return xor(m1, hash('sha256', hash('sha256', m1), scramble));
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

const NATIVE_PASSWORD = 'mysql_native_password';
const CACHING_SHA2 = 'caching_sha2_password';
const CLEAR_PASSWORD = 'mysql_clear_password';

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
  let plugin = NATIVE_PASSWORD;
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
  if (plugin === NATIVE_PASSWORD) return mysqlNativeScramble(password, scramble);
  if (plugin === CACHING_SHA2) return cachingSha2Scramble(password, scramble);
  return undefined;
}

interface MysqlPacket {
  readonly seq: number;
  readonly payload: Buffer;
}

/** Reads one MySQL packet (payload and sequence number), consuming it. */
function readMysqlPacket(sock: ProbeSocket): Promise<MysqlPacket> {
  return readLoginMessage(sock, (buf) => {
    if (buf.length < 4) return undefined;
    const len = buf.readUIntLE(0, 3);
    return buf.length >= 4 + len
      ? { seq: buf[3] ?? 0, payload: Buffer.from(buf.subarray(4, 4 + len)), used: 4 + len }
      : undefined;
  });
}

/** An ERR packet's error code and message (after the SQL state when there is one). */
export function mysqlError(payload: Buffer): { code: number; message: string } {
  const code = payload.readUInt16LE(1);
  const message = payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('utf8');
  return { code, message };
}

/** What the client asks for: the flags this check speaks, those the server offers (CONNECT_WITH_DB always). */
function clientCapabilities(greeting: MysqlGreeting, ep: PlannedEndpoint): number {
  const wanted =
    CLIENT_LONG_PASSWORD |
    CLIENT_LONG_FLAG |
    CLIENT_PROTOCOL_41 |
    CLIENT_TRANSACTIONS |
    CLIENT_SECURE_CONNECTION |
    CLIENT_PLUGIN_AUTH |
    CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA |
    (ep.database ? CLIENT_CONNECT_WITH_DB : 0);
  return wanted & (greeting.capabilities | CLIENT_CONNECT_WITH_DB);
}

/** The 32 bytes every HandshakeResponse (and the SSLRequest) begins with. */
function fixedFields(capabilities: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(capabilities >>> 0, 0);
  b.writeUInt32LE(MAX_PACKET, 4);
  b[8] = UTF8MB4_GENERAL_CI;
  return b;
}

/** The HandshakeResponse41: user, the first auth answer, the database and the plugin that answer is for. */
function handshakeResponse(
  capabilities: number,
  user: string,
  auth: Buffer,
  database: string | undefined,
  plugin: string,
): Buffer {
  const body = [fixedFields(capabilities), Buffer.from(`${user}\0`, 'utf8')];
  if (capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) body.push(lenenc(auth.length), auth);
  else body.push(Buffer.from([auth.length]), auth);
  if (capabilities & CLIENT_CONNECT_WITH_DB && database) body.push(Buffer.from(`${database}\0`, 'utf8'));
  body.push(Buffer.from(`${plugin}\0`, 'latin1'));
  return Buffer.concat(body);
}

/** An AuthSwitchRequest's plugin and scramble (without its trailing NUL). */
function parseAuthSwitch(p: Buffer): { plugin: string; scramble: Buffer } {
  const end = p.indexOf(0, 1);
  const plugin = p.subarray(1, end < 0 ? p.length : end).toString('latin1');
  let scramble = end < 0 ? Buffer.alloc(0) : p.subarray(end + 1);
  if (scramble.length > 0 && scramble[scramble.length - 1] === 0)
    scramble = scramble.subarray(0, scramble.length - 1);
  return { plugin, scramble };
}

/** The login's state after the greeting: the sequence number, the plugin in use and its scramble. */
class MysqlLogin implements LoginConversation<MysqlPacket> {
  readonly maxMessages = 8;
  readonly tooMany = 'too many exchanges';
  private seq = 1;
  private plugin: string;
  private scramble: Buffer;
  private readonly password: string;
  /** TLS or a unix socket: a password may go as it is. */
  private safeChannel = false;

  constructor(
    private readonly sock: ProbeSocket,
    private readonly ep: PlannedEndpoint,
    private readonly user: string,
    private readonly greeting: MysqlGreeting,
  ) {
    this.password = ep.password ?? '';
    this.plugin = [NATIVE_PASSWORD, CACHING_SHA2].includes(greeting.plugin)
      ? greeting.plugin
      : NATIVE_PASSWORD;
    this.scramble = greeting.scramble;
  }

  read(): Promise<MysqlPacket> {
    return readMysqlPacket(this.sock);
  }

  /** TLS first when the server offers it (not over a unix socket), then the HandshakeResponse. */
  async start(servername: string | undefined): Promise<void> {
    let capabilities = clientCapabilities(this.greeting, this.ep);
    const unix = this.ep.address.kind === 'unix';
    if (!unix && this.greeting.capabilities & CLIENT_SSL) {
      capabilities |= CLIENT_SSL;
      this.sock.write(mysqlPacket(this.seq++, fixedFields(capabilities)));
      await this.sock.startTls({ verify: false, ...(servername ? { servername } : {}) });
    }
    this.safeChannel = unix || this.sock.secure;
    const auth = mysqlAuthResponse(this.plugin, this.password, this.scramble) ?? Buffer.alloc(0);
    this.send(handshakeResponse(capabilities, this.user, auth, this.ep.database, this.plugin));
  }

  async onMessage(packet: MysqlPacket): Promise<LoginResult | undefined> {
    this.seq = packet.seq + 1;
    const p = packet.payload;
    if (p[0] === 0x00) return this.authenticated();
    if (p[0] === 0xff) return this.refused(p);
    if (p[0] === 0xfe) return this.switchPlugin(p);
    if (p[0] === 0x01 && this.plugin === CACHING_SHA2) {
      if (p[1] === 0x03) return undefined; // fast authentication succeeded; the OK packet follows
      if (p[1] === 0x04) return this.fullAuthentication();
    }
    throw new ProbeError('wrong-protocol', 'wrong protocol: an unexpected answer during the MySQL login');
  }

  private send(payload: Buffer): void {
    this.sock.write(mysqlPacket(this.seq, payload));
  }

  private authenticated(): LoginResult {
    this.sock.write(mysqlPacket(0, Buffer.from([0x01]))); // COM_QUIT
    const how = `${this.plugin}${channelText(this.sock, this.ep)}`;
    return loginEnd('authenticated', this.user, this.plugin, `authenticated as '${this.user}' (${how})`);
  }

  private refused(p: Buffer): LoginResult {
    const e = mysqlError(p);
    const text = `${e.message} (error ${e.code})`;
    const refusal =
      e.code === 1045 || e.code === 1698
        ? 'account'
        : e.code === 1044 || e.code === 1049
          ? 'database'
          : 'other';
    const database = `the database '${this.ep.database ?? ''}' cannot be used: ${text}`;
    return refusedLogin(refusal, this.user, this.plugin, text, database);
  }

  /** AuthSwitchRequest: the account uses another plugin; answers it when this check speaks it. */
  private switchPlugin(p: Buffer): LoginResult | undefined {
    const next = parseAuthSwitch(p);
    this.plugin = next.plugin;
    this.scramble = next.scramble;
    let answer = mysqlAuthResponse(this.plugin, this.password, this.scramble);
    if (!answer && this.plugin === CLEAR_PASSWORD) {
      if (!this.safeChannel)
        return this.notFinished(
          'login not tried: the account uses mysql_clear_password, which sends the password as it is, and the server offers no TLS here',
        );
      answer = Buffer.from(`${this.password}\0`, 'utf8');
    }
    if (!answer)
      return this.notFinished(
        `login not finished: the account uses the ${this.plugin} plugin, which this check does not speak (mysql_native_password and caching_sha2_password are)`,
      );
    this.send(answer);
    return undefined;
  }

  /**
   * caching_sha2_password's full authentication (the server has not cached this account since its last
   * restart): the password as it is over a safe channel; over plain TCP encrypted with the server's RSA key
   * (asked for here).
   */
  private async fullAuthentication(): Promise<LoginResult | undefined> {
    if (this.safeChannel) {
      this.send(Buffer.from(`${this.password}\0`, 'utf8'));
      return undefined;
    }
    this.send(Buffer.from([0x02]));
    const keyPacket = await readMysqlPacket(this.sock);
    this.seq = keyPacket.seq + 1;
    const pem = keyPacket.payload.subarray(1).toString('latin1');
    let encrypted: Buffer;
    try {
      encrypted = crypto.publicEncrypt(
        { key: pem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING },
        xor(Buffer.from(`${this.password}\0`, 'utf8'), this.scramble),
      );
    } catch {
      return this.notFinished(
        'login not finished: caching_sha2_password asked for a full authentication, which needs TLS (the server offers none) or its RSA public key (it sent none usable)',
      );
    }
    this.send(encrypted);
    return undefined;
  }

  private notFinished(detail: string): LoginResult {
    return loginEnd('not-tried', this.user, this.plugin, detail);
  }
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
  if (user === undefined) return userNotKnown(ep, 'mysqlclient');
  if (ep.passwordUnknown)
    return {
      result: 'not-tried',
      user,
      detail: `login not tried: PASSWORD comes from ${ep.passwordUnknown}, unknown here`,
    };
  const login = new MysqlLogin(sock, ep, user, greeting);
  await login.start(servername);
  return converse(login);
}
