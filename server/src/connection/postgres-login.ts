/**
 * The PostgreSQL login (protocol 3.0): the StartupMessage, then what the server asks — trust, cleartext, md5 or
 * SCRAM-SHA-256 — up to ReadyForQuery, on the skeleton of `login.ts`.
 */
import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
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

const pbkdf2 = promisify(crypto.pbkdf2);

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
    const storedKey = hash('sha256', clientKey);
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

interface PgMessage {
  readonly type: string;
  readonly body: Buffer;
}

function readPgMessage(sock: ProbeSocket): Promise<PgMessage> {
  return readLoginMessage(sock, (buf) => {
    if (buf.length < 5) return undefined;
    const len = buf.readUInt32BE(1);
    if (len < 4 || len > 1 << 20)
      throw new ProbeError('wrong-protocol', 'wrong protocol: not a PostgreSQL message during the login');
    return buf.length >= 1 + len
      ? { type: String.fromCharCode(buf[0] ?? 0), body: Buffer.from(buf.subarray(5, 1 + len)), used: 1 + len }
      : undefined;
  });
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

/** The login's state after the StartupMessage: the method the server asked for, SCRAM's, the server version. */
class PostgresLogin implements LoginConversation<PgMessage> {
  readonly maxMessages = 64;
  readonly tooMany = 'too many messages';
  /** From the server's ParameterStatus. */
  serverVersion: string | undefined;
  private method = 'trust';
  private scram: ScramSha256 | undefined;
  private authenticated = false;
  private readonly channel: string;

  constructor(
    private readonly sock: ProbeSocket,
    private readonly ep: PlannedEndpoint,
    private readonly user: string,
    private readonly database: string,
  ) {
    this.channel = channelText(sock, ep);
  }

  read(): Promise<PgMessage> {
    return readPgMessage(this.sock);
  }

  async onMessage({ type, body }: PgMessage): Promise<LoginResult | undefined> {
    if (type === 'R') return this.onAuthenticationRequest(body);
    if (type === 'S') {
      const [name, value] = body.toString('utf8').split('\0');
      if (name === 'server_version' && value) this.serverVersion = value.split(' ')[0];
      return undefined;
    }
    if (type === 'E') return this.refused(body);
    if (type === 'Z') {
      this.sock.write(pgMessage('X', Buffer.alloc(0)));
      const detail = `authenticated as '${this.user}' to the database '${this.database}' (${this.method}${this.channel})`;
      return loginEnd('authenticated', this.user, this.method, detail);
    }
    return undefined; // BackendKeyData, NoticeResponse, NegotiateProtocolVersion: nothing to do.
  }

  /** An Authentication message: OK, or the method the server asks for and each SCRAM step. */
  private async onAuthenticationRequest(body: Buffer): Promise<LoginResult | undefined> {
    const code = body.readUInt32BE(0);
    if (code === 0) this.authenticated = true;
    else if (code === 3 || code === 5) return this.sendPassword(code, body.subarray(4, 8));
    else if (code === 10) return this.startScram(body.subarray(4));
    else if (code === 11 && this.scram && this.ep.password !== undefined) {
      const final = await this.scram.clientFinal(this.ep.password, body.subarray(4).toString('utf8'));
      this.sock.write(pgMessage('p', Buffer.from(final, 'utf8')));
    } else if (code === 12 && this.scram) {
      if (!this.scram.verifyServer(body.subarray(4).toString('utf8')))
        throw new ProbeError(
          'auth',
          'authentication failed: the server did not prove it knows the password (SCRAM server signature mismatch)',
        );
    } else
      return this.notFinished(
        `login not finished: the server asks for an authentication this check does not speak (code ${code}: Kerberos, GSSAPI, SSPI or another)`,
      );
    return undefined;
  }

  /** Cleartext (3) or md5 (5) with its salt. */
  private sendPassword(code: number, salt: Buffer): LoginResult | undefined {
    this.method = PG_METHODS[code] ?? this.method;
    if (this.ep.password === undefined) return this.noPassword();
    const answer = code === 3 ? this.ep.password : postgresMd5(this.user, this.ep.password, salt);
    this.sock.write(pgMessage('p', Buffer.from(`${answer}\0`, 'utf8')));
    return undefined;
  }

  /** AuthenticationSASL: SCRAM-SHA-256's client-first message when the server offers it. */
  private startScram(offered: Buffer): LoginResult | undefined {
    const mechanisms = offered.toString('utf8').split('\0').filter(Boolean);
    this.method = 'SCRAM-SHA-256';
    if (!mechanisms.includes('SCRAM-SHA-256'))
      return this.notFinished(`login not finished: the server offers only ${mechanisms.join(', ')}`);
    if (this.ep.password === undefined) return this.noPassword();
    this.scram = new ScramSha256();
    const first = Buffer.from(this.scram.clientFirst(), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(first.length, 0);
    this.sock.write(pgMessage('p', Buffer.concat([Buffer.from('SCRAM-SHA-256\0', 'latin1'), len, first])));
    return undefined;
  }

  /** A login this check cannot finish: no method is named (the server asked for none it speaks). */
  private notFinished(detail: string): LoginResult {
    return loginEnd('not-tried', this.user, undefined, detail);
  }

  /** The server asks for a password and the settings give none (or one from an unknown variable). */
  private noPassword(): LoginResult {
    const unknown = this.ep.passwordUnknown;
    return loginEnd(
      unknown ? 'not-tried' : 'authentication-failed',
      this.user,
      this.method,
      unknown
        ? `login not tried: the server asks for a password (${this.method}) and PASSWORD comes from ${unknown}, unknown here`
        : `authentication failed: the server asks for a password (${this.method}) and none is configured (libpq could still find one in PGPASSWORD or ~/.pgpass of the process that runs Django)`,
    );
  }

  private refused(body: Buffer): LoginResult {
    const f = pgErrorFields(body);
    const sqlstate = f.get('C') ?? '';
    const text = `${f.get('M') ?? 'error'} (${sqlstate || 'no SQLSTATE'})`;
    const refusal =
      !this.authenticated && (sqlstate === '28P01' || sqlstate === '28000')
        ? 'account'
        : this.authenticated && sqlstate === '3D000'
          ? 'database'
          : 'other';
    return refusedLogin(refusal, this.user, this.method, text);
  }
}

/**
 * Logs in after the SSLRequest exchange (and TLS when it was agreed): StartupMessage, then what the server
 * asks (trust, cleartext, md5, SCRAM-SHA-256), up to ReadyForQuery. Returns the result and, once authenticated,
 * the server version from its ParameterStatus.
 */
export async function postgresLogin(
  sock: ProbeSocket,
  ep: PlannedEndpoint,
): Promise<{ login: LoginResult; serverVersion?: string }> {
  const user = ep.username;
  if (user === undefined) return { login: userNotKnown(ep, 'libpq') };
  const database = ep.database ?? 'postgres';
  sock.write(pgStartup(user, database));
  const conversation = new PostgresLogin(sock, ep, user, database);
  const login = await converse(conversation);
  const serverVersion = login.result === 'authenticated' ? conversation.serverVersion : undefined;
  return { login, ...(serverVersion ? { serverVersion } : {}) };
}
