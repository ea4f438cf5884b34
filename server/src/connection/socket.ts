/** A bounded client connection for the probes: TCP or unix socket, optional TLS, buffered reads, one deadline for everything; failures become ProbeErrors with a precise code. */
import type * as Net from 'node:net';
import { performance } from 'node:perf_hooks';
import type * as Tls from 'node:tls';
import type { StoreAddress } from '../core/server-addresses';

// node:net and node:tls are loaded by the first connection: a run that checks none (every lint) never loads
// them, which saves ~4 ms of each CLI start (issue #11).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net = (): typeof Net => require('node:net') as typeof Net;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tls = (): typeof Tls => require('node:tls') as typeof Tls;

/** `net.isIP`: 4 or 6 for an IP address, 0 for a host name. */
export function ipVersion(host: string): number {
  return net().isIP(host);
}

export const FAILURE_CODES = [
  'dns',
  'refused',
  'timeout',
  'tls',
  'auth',
  'no-database',
  'wrong-protocol',
  'unreachable',
  'no-socket',
  'permission',
  'closed',
  'server-error',
  'error',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export class ProbeError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

type Phase = 'connect' | 'tls' | 'answer';

/** `host:port`, `[v6]:port` or the socket path. */
export function addressText(a: StoreAddress): string {
  if (a.kind === 'unix') return a.path;
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

export class ProbeSocket {
  private socket: Net.Socket | undefined;
  private buffer = Buffer.alloc(0);
  private phase: Phase = 'connect';
  private failure: ProbeError | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly timer: ReturnType<typeof setTimeout>;
  /** Bytes kept at most (a greeting or a version reply is small; a flood is not read on). */
  private static readonly MAX_BUFFER = 64 * 1024;

  constructor(
    private readonly address: StoreAddress,
    private readonly timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.fail(this.timeoutError()), timeoutMs);
  }

  private timeoutError(): ProbeError {
    const ms = `${this.timeoutMs} ms`;
    switch (this.phase) {
      case 'connect':
        return new ProbeError(
          'timeout',
          `timed out connecting to ${addressText(this.address)} after ${ms} (no answer: a firewall dropping packets, or the host is down)`,
        );
      case 'tls':
        return new ProbeError(
          'tls',
          `TLS failed: the TLS handshake did not complete within ${ms} (does this port speak TLS?)`,
        );
      case 'answer':
        return new ProbeError('timeout', `timed out: connected, but no answer within ${ms}`);
    }
  }

  private fail(e: ProbeError): void {
    if (this.failure) return;
    this.failure = e;
    this.socket?.destroy();
    this.wake?.();
  }

  /** Opens the connection (and TLS when asked); resolves with the TCP connect time in ms. */
  async connect(tlsOptions?: { servername?: string; verify: boolean }): Promise<number> {
    const started = performance.now();
    const raw =
      this.address.kind === 'unix'
        ? net().connect({ path: this.address.path })
        : net().connect({ host: this.address.host, port: this.address.port });
    this.socket = raw;
    const connected = new Promise<void>((resolve) => {
      raw.once('connect', () => resolve());
      this.wake = resolve;
    });
    raw.on('error', (e) => this.fail(this.describe(e)));
    raw.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    await connected;
    this.throwIfFailed();
    const connectMs = performance.now() - started;
    if (tlsOptions) await this.tlsOver(raw, tlsOptions);
    this.phase = 'answer';
    this.listen();
    return connectMs;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.buffer.length < ProbeSocket.MAX_BUFFER) this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  };

  private listen(): void {
    this.socket?.on('data', this.onData);
  }

  private async tlsOver(
    raw: Net.Socket,
    tlsOptions: { servername?: string; verify: boolean },
  ): Promise<void> {
    this.phase = 'tls';
    const secure = tls().connect({
      socket: raw,
      rejectUnauthorized: tlsOptions.verify,
      ...(tlsOptions.servername ? { servername: tlsOptions.servername } : {}),
    });
    this.socket = secure;
    this.closed = false;
    const done = new Promise<void>((resolve) => {
      secure.once('secureConnect', () => resolve());
      this.wake = resolve;
    });
    secure.on('error', (e) => this.fail(this.describe(e)));
    secure.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    await done;
    this.throwIfFailed();
    if (this.closed)
      throw new ProbeError('tls', 'TLS failed: the server closed the connection during the handshake');
  }

  /** Upgrades an open plain connection to TLS (MySQL's SSLRequest, PostgreSQL's SSLRequest answered 'S'). */
  async startTls(tlsOptions: { servername?: string; verify: boolean }): Promise<void> {
    const raw = this.socket;
    if (!raw || raw instanceof tls().TLSSocket) throw new ProbeError('error', 'TLS is already on');
    raw.off('data', this.onData);
    this.buffer = Buffer.alloc(0);
    await this.tlsOver(raw, tlsOptions);
    this.phase = 'answer';
    this.listen();
  }

  /** Whether the connection is TLS now. */
  get secure(): boolean {
    return this.socket instanceof tls().TLSSocket;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  write(data: string | Buffer): void {
    this.throwIfFailed();
    this.socket?.write(data);
  }

  /** Bytes received so far (for fingerprinting a wrong protocol). */
  get received(): Buffer {
    return this.buffer;
  }

  /**
   * Waits until `parse` recognises the buffer (returning a value) or, with `graceMs`, until that much time
   * passed without a recognisable answer (then resolves undefined). Throws on failure, timeout or close.
   */
  async read<T>(parse: (buf: Buffer) => T | undefined, graceMs?: number): Promise<T | undefined> {
    let graceOver = false;
    const grace =
      graceMs === undefined
        ? undefined
        : setTimeout(() => {
            graceOver = true;
            this.wake?.();
          }, graceMs);
    try {
      for (;;) {
        this.throwIfFailed();
        const value = parse(this.buffer);
        if (value !== undefined) return value;
        if (graceOver) return undefined;
        if (this.closed) throw new ProbeError('closed', 'the server closed the connection');
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      if (grace) clearTimeout(grace);
    }
  }

  /** Drops what was read up to `n` bytes. */
  consume(n: number): void {
    this.buffer = this.buffer.subarray(n);
  }

  close(): void {
    clearTimeout(this.timer);
    this.wake = undefined;
    this.socket?.destroy();
  }

  private describe(e: Error & { code?: string }): ProbeError {
    const code = e.code ?? '';
    const where = addressText(this.address);
    if (this.phase === 'tls') {
      const why = /WRONG_VERSION_NUMBER|wrong version number|packet length too long|unknown protocol/i.test(
        `${code} ${e.message}`,
      )
        ? 'the server did not answer in TLS (a plain-text port?)'
        : code === 'ECONNRESET' || /disconnected before secure/i.test(e.message)
          ? 'the server closed the connection during the handshake (a plain-text port?)'
          : `${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`;
      return new ProbeError('tls', `TLS failed: ${why}`);
    }
    switch (code) {
      case 'ENOTFOUND':
      case 'EAI_NONAME':
      case 'EAI_NODATA':
        return new ProbeError(
          'dns',
          `name not resolved: '${this.address.kind === 'tcp' ? this.address.host : where}' (${code})`,
        );
      case 'EAI_AGAIN':
        return new ProbeError(
          'dns',
          `name not resolved: '${this.address.kind === 'tcp' ? this.address.host : where}' (temporary DNS failure, EAI_AGAIN)`,
        );
      case 'ECONNREFUSED':
        return new ProbeError(
          'refused',
          this.address.kind === 'unix'
            ? `connection refused: nothing listens on the socket ${where}`
            : `connection refused: nothing listens on ${where}`,
        );
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'EADDRNOTAVAIL':
        return new ProbeError('unreachable', `no route to ${where} (${code})`);
      case 'ENOENT':
        return new ProbeError('no-socket', `no such socket: ${where} does not exist`);
      case 'ENOTSOCK':
        return new ProbeError('no-socket', `${where} is not a socket`);
      case 'EACCES':
      case 'EPERM':
        return new ProbeError('permission', `permission denied opening ${where}`);
      case 'ECONNRESET':
      case 'EPIPE':
        return new ProbeError('closed', `the server reset the connection (${code})`);
      case 'ETIMEDOUT':
        return new ProbeError('timeout', `timed out connecting to ${where} (ETIMEDOUT)`);
      default:
        return new ProbeError(
          'error',
          `${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`,
        );
    }
  }
}
