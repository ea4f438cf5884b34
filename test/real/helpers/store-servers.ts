/**
 * Real session-store servers for the connection-check tests: memcached, redis-server, MariaDB and PostgreSQL
 * from Debian's packages (scripts/ensure-test-deps.mjs installs them), each started as a child process on a
 * free loopback port with its own temporary directory, and stopped afterwards. A server that cannot start
 * fails the test with the reason (never a skip). `suiteServers` keeps a suite's servers, `checkConnection` runs
 * the CLI's check on a settings text.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionJson } from '../../../server/src/cli/check-connection';
import type { EndpointReport } from '../../../server/src/connection/check';
import { makeProject, removeProject, runCli } from '../../cli/cli-harness';

const IS_ROOT = process.getuid?.() === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function which(cmd: string, extraDirs: readonly string[] = []): string {
  for (const dir of [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin', ...extraDirs]) {
    const p = path.join(dir, cmd);
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error(
    `${cmd} is not installed: run \`node scripts/ensure-test-deps.mjs\` (it apt-installs the Debian packages the tests need)`,
  );
}

/** `X.Y.Z` from a binary's own --version output (e.g. `memcached 1.6.18`, `Redis server v=7.0.15`). */
export function binaryVersion(cmd: string, args: readonly string[], re: RegExp): string {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8' });
  const m = re.exec(`${r.stdout}${r.stderr}`);
  if (!m?.[1]) throw new Error(`cannot read the version of ${cmd}: ${r.stdout}${r.stderr}`);
  return m[1];
}

export interface StartedServer {
  readonly name: string;
  readonly port: number;
  readonly dir: string;
  /** Unix socket path, when the server has one. */
  readonly socket?: string;
  stop(): Promise<void>;
}

async function waitForPort(
  port: number,
  child: ChildProcess | undefined,
  what: string,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited: string | undefined;
  child?.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${what} did not start (${exited}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within 30 s: ${log()}`);
}

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `dsl-${prefix}-`)));
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function spawnLogged(
  cmd: string,
  args: readonly string[],
  dir: string,
): { child: ChildProcess; log: () => string } {
  const logFile = path.join(dir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, [...args], { stdio: ['ignore', out, out], detached: false });
  fs.closeSync(out);
  return { child, log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '') };
}

/** Runs `bin args` (logged into `dir`) until it listens on `port`; stopping it ends the process and removes `dir`. */
async function serve(
  name: string,
  bin: string,
  args: readonly string[],
  where: { port: number; dir: string; socket?: string },
): Promise<StartedServer> {
  const { port, dir } = where;
  const { child, log } = spawnLogged(bin, args, dir);
  await waitForPort(port, child, name, log);
  return {
    name,
    ...where,
    async stop() {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startMemcached(): Promise<StartedServer> {
  const bin = which('memcached');
  const port = await freePort();
  const dir = tempDir('memcached');
  return serve(
    'memcached',
    bin,
    ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '8', ...(IS_ROOT ? ['-u', 'root'] : [])],
    { port, dir },
  );
}

export async function startRedis(opts: { password?: string } = {}): Promise<StartedServer> {
  const bin = which('redis-server');
  const port = await freePort();
  const dir = tempDir('redis');
  const socket = path.join(dir, 'redis.sock');
  return serve(
    'redis',
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      ...(opts.password ? ['--requirepass', opts.password] : []),
    ],
    { port, dir, socket },
  );
}

/**
 * A Redis Sentinel (redis-server --sentinel, as Debian's redis-sentinel runs it) monitoring `master` under the
 * name `service`; `password` is the master's requirepass (auth-pass).
 */
export async function startSentinel(
  master: StartedServer,
  service: string,
  opts: { password?: string } = {},
): Promise<StartedServer> {
  const bin = which('redis-server');
  const port = await freePort();
  const dir = tempDir('sentinel');
  const conf = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${service} 127.0.0.1 ${master.port} 1`,
      ...(opts.password ? [`sentinel auth-pass ${service} ${opts.password}`] : []),
      '',
    ].join('\n'),
  );
  return serve('sentinel', bin, [conf, '--sentinel'], { port, dir });
}

/** A self-signed certificate and key (openssl) in `dir`, readable by the server (postgres when run as root). */
function tlsFiles(dir: string, args: (cert: string, key: string) => string[]): string[] {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stdout}${r.stderr}`);
  fs.chmodSync(key, 0o600);
  if (IS_ROOT) spawnSync('chown', ['postgres', key, cert]);
  return args(cert, key);
}

/** MariaDB in a fresh data directory (mariadb-install-db, then mariadbd; as root it runs with --user=root). */
export async function startMariadb(opts: { tls?: boolean } = {}): Promise<StartedServer> {
  const install = which('mariadb-install-db');
  const bin = which('mariadbd');
  const port = await freePort();
  const dir = tempDir('mariadb');
  const data = path.join(dir, 'data');
  const user = IS_ROOT ? ['--user=root'] : [];
  const r = spawnSync(
    install,
    [
      '--no-defaults',
      ...user,
      `--datadir=${data}`,
      '--skip-test-db',
      '--auth-root-authentication-method=normal',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`mariadb-install-db failed: ${r.stdout}${r.stderr}`.slice(-2000));
  const socket = path.join(dir, 'mysqld.sock');
  return serve(
    'mariadb',
    bin,
    [
      '--no-defaults',
      ...user,
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${path.join(dir, 'mariadb.pid')}`,
      '--innodb-buffer-pool-size=16M',
      '--skip-log-bin',
      ...(opts.tls ? tlsFiles(dir, (cert, key) => [`--ssl-cert=${cert}`, `--ssl-key=${key}`]) : []),
    ],
    { port, dir, socket },
  );
}

function postgresBin(cmd: string): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return which(
    cmd,
    versions.map((v) => path.join(base, v, 'bin')),
  );
}

/**
 * PostgreSQL in a fresh cluster (initdb + pg_ctl, as the postgres user via runuser when run as root). `hba`:
 * pg_hba.conf lines put before initdb's own (which trust everyone), e.g. `host all dash 127.0.0.1/32 md5`.
 */
export async function startPostgres(
  opts: { hba?: readonly string[]; tls?: boolean } = {},
): Promise<StartedServer> {
  const initdb = postgresBin('initdb');
  const pgCtl = postgresBin('pg_ctl');
  const port = await freePort();
  const dir = tempDir('postgres');
  const data = path.join(dir, 'data');
  const asPg = (cmd: string, args: string[]): ReturnType<typeof spawnSync> =>
    IS_ROOT
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
  if (IS_ROOT) spawnSync('chown', ['postgres', dir]);
  const init = asPg(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  if (init.status !== 0)
    throw new Error(`initdb failed: ${String(init.stdout)}${String(init.stderr)}`.slice(-2000));
  if (opts.hba?.length) {
    const hba = path.join(data, 'pg_hba.conf');
    fs.writeFileSync(hba, `${opts.hba.join('\n')}\n${fs.readFileSync(hba, 'utf8')}`);
  }
  const start = asPg(pgCtl, [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '30',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=8MB -c fsync=off -c log_connections=on${
      opts.tls
        ? tlsFiles(dir, (cert, key) => [` -c ssl=on -c ssl_cert_file=${cert} -c ssl_key_file=${key}`]).join(
            '',
          )
        : ''
    }`,
    'start',
  ]);
  const log = (): string => {
    const f = path.join(dir, 'server.log');
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').slice(-2000) : '';
  };
  if (start.status !== 0)
    throw new Error(`pg_ctl start failed: ${String(start.stdout)}${String(start.stderr)} ${log()}`);
  await waitForPort(port, undefined, 'postgres', log);
  return {
    name: 'postgres',
    port,
    dir,
    socket: path.join(dir, `.s.PGSQL.${port}`),
    async stop() {
      asPg(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs SQL in a started PostgreSQL as its superuser over the unix socket; throws with psql's output on failure. */
export function postgresSql(server: StartedServer, sql: string): string {
  const args = [
    '-h',
    server.dir,
    '-p',
    String(server.port),
    '-U',
    'postgres',
    '-d',
    'postgres',
    '-v',
    'ON_ERROR_STOP=1',
    '-At',
    '-c',
    sql,
  ];
  const psql = postgresBin('psql');
  const r = IS_ROOT
    ? spawnSync('runuser', ['-u', 'postgres', '--', psql, ...args], { encoding: 'utf8' })
    : spawnSync(psql, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

/** Runs SQL in a started MariaDB as root over its unix socket; throws with the client's output on failure. */
export function mariadbSql(server: StartedServer, sql: string): string {
  const r = spawnSync(
    which('mariadb'),
    ['--no-defaults', `--socket=${server.socket ?? ''}`, '-uroot', '-N', '-B', '-e', sql],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`mariadb failed: ${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

export function postgresVersion(): string {
  return binaryVersion(postgresBin('postgres'), ['--version'], /\(PostgreSQL\) (\d+\.\d+)/);
}

/** A TCP listener that accepts and never answers (for timeouts). */
export async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The servers of one suite (call it inside `describe`): each started through the returned function, one
 * after the other in `before`, is stopped after the suite, the last first, also when a later one failed
 * to start (a failure names the server and its log: the test fails, never skips).
 */
export function suiteServers(): <T extends StartedServer>(starting: Promise<T>) => Promise<T> {
  const started: StartedServer[] = [];
  after(async () => {
    for (const s of started.splice(0).reverse()) await s.stop();
  });
  return async (starting) => {
    const server = await starting;
    started.push(server);
    return server;
  };
}

export interface Checked {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: ConnectionJson;
  readonly endpoints: EndpointReport[];
}

/** `check-connection --format json ARGS .` on a project of one settings.py holding `settings`. */
export function checkConnection(settings: string, args: readonly string[] = []): Checked {
  const dir = makeProject({ 'settings.py': settings });
  try {
    const r = runCli(['check-connection', '--format', 'json', ...args, '.'], dir);
    let json: ConnectionJson;
    try {
      json = JSON.parse(r.stdout) as ConnectionJson;
    } catch {
      throw new Error(`not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
    }
    return { ...r, json, endpoints: json.projects.flatMap((p) => [...p.endpoints]) };
  } finally {
    removeProject(dir);
  }
}

/** The one endpoint checked; fails when there are none or several. */
export function onlyEndpoint(c: Checked): EndpointReport {
  assert.equal(c.endpoints.length, 1, JSON.stringify(c.json, null, 2));
  return c.endpoints[0]!;
}
