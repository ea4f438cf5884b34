/**
 * `check-connection` against real servers from Debian's packages (memcached, redis-server with and without
 * requirepass and on a unix socket, MariaDB, PostgreSQL), started here on loopback and stopped after: the
 * versions reported are the binaries' own, and every failure carries its true reason.
 */
import assert from 'node:assert/strict';
import { assertBundle, makeProject, removeProject, runCli } from '../cli/cli-harness';
import type { ConnectionJson } from '../../server/src/cli/check-connection';
import type { EndpointReport } from '../../server/src/connection/check';
import {
  binaryVersion,
  freePort,
  postgresVersion,
  silentListener,
  startMariadb,
  startMemcached,
  startPostgres,
  startRedis,
  startSentinel,
  type StartedServer,
} from './helpers/store-servers';

const REDIS_PASSWORD = 'Tr0ub4dor-and-3';

function cacheSettings(backend: string, location: string, extra = ''): string {
  return `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': '${backend}', 'LOCATION': ${location}${extra}}}
`;
}
const MEMCACHED = 'django.core.cache.backends.memcached.PyMemcacheCache';
const REDIS = 'django.core.cache.backends.redis.RedisCache';

function dbSettings(engine: string, host: string, port: string | number): string {
  return `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {'default': {'ENGINE': '${engine}', 'NAME': 'dash', 'USER': 'dash', 'PASSWORD': 'db-secret-pw',
                         'HOST': '${host}', 'PORT': '${port}'}}
`;
}

interface Checked {
  status: number | null;
  stdout: string;
  stderr: string;
  json: ConnectionJson;
  endpoints: EndpointReport[];
}

function check(settings: string, args: string[] = []): Checked {
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

function only(c: Checked): EndpointReport {
  assert.equal(c.endpoints.length, 1, JSON.stringify(c.json, null, 2));
  return c.endpoints[0]!;
}

describe('check-connection against real servers (Debian packages)', function () {
  this.timeout(120_000);
  let memcached: StartedServer;
  let redis: StartedServer;
  let redisAuth: StartedServer;
  let mariadb: StartedServer;
  let postgres: StartedServer;
  const started: StartedServer[] = [];

  before(async function () {
    assertBundle();
    // Started one after the other: a failure names the server and its log (the test fails, never skips).
    memcached = await startMemcached();
    started.push(memcached);
    redis = await startRedis();
    started.push(redis);
    redisAuth = await startRedis({ password: REDIS_PASSWORD });
    started.push(redisAuth);
    mariadb = await startMariadb();
    started.push(mariadb);
    postgres = await startPostgres();
    started.push(postgres);
  });

  after(async () => {
    for (const s of started.reverse()) await s.stop();
  });

  it('memcached: reachable, with the version memcached --version prints', () => {
    const c = check(cacheSettings(MEMCACHED, `'127.0.0.1:${memcached.port}'`));
    const e = only(c);
    assert.equal(e.status, 'ok', e.reason);
    assert.equal(e.serverVersion, binaryVersion('memcached', ['--version'], /memcached (\S+)/));
    assert.equal(e.protocol, 'memcached');
    assert.ok(typeof e.rttMs === 'number' && e.rttMs >= 0);
    assert.equal(c.status, 0);
  });

  it('Redis: PING and SELECT of the configured db, with the version redis-server --version prints', () => {
    const e = only(check(cacheSettings(REDIS, `'redis://127.0.0.1:${redis.port}/5'`)));
    assert.equal(e.status, 'ok', e.reason);
    assert.equal(e.db, 5);
    assert.equal(e.serverVersion, binaryVersion('redis-server', ['--version'], /v=(\S+)/));
  });

  it('Redis with requirepass: the right password authenticates, over TCP and on the unix socket', () => {
    const c = check(
      cacheSettings(
        REDIS,
        `['redis://:${REDIS_PASSWORD}@127.0.0.1:${redisAuth.port}/1', 'unix://:${REDIS_PASSWORD}@${redisAuth.socket}?db=2']`,
      ),
    );
    assert.equal(c.endpoints.length, 2);
    for (const e of c.endpoints) {
      assert.equal(e.status, 'ok', e.reason);
      assert.equal(e.serverVersion, binaryVersion('redis-server', ['--version'], /v=(\S+)/));
    }
    assert.equal(c.endpoints[1]?.address, redisAuth.socket);
    assert.ok(!c.stdout.includes(REDIS_PASSWORD), 'the password is never printed');
    assert.equal(c.status, 0);
  });

  it('Redis password from OPTIONS with a visible environment default', () => {
    const e = only(
      check(
        `import os\n${cacheSettings(REDIS, `'redis://127.0.0.1:${redisAuth.port}'`, `, 'OPTIONS': {'password': os.environ.get('REDIS_PASSWORD', '${REDIS_PASSWORD}')}`)}`,
      ),
    );
    assert.equal(e.status, 'ok', e.reason);
  });

  it('Redis: a wrong password is "authentication failed", a missing one too, and the password is not printed', () => {
    const c = check(
      cacheSettings(
        REDIS,
        `['redis://:not-the-password@127.0.0.1:${redisAuth.port}', 'redis://127.0.0.1:${redisAuth.port}']`,
      ),
    );
    const [wrong, missing] = c.endpoints;
    assert.equal(wrong?.status, 'failed');
    assert.equal(wrong?.code, 'auth');
    assert.match(wrong?.reason ?? '', /rejected the configured password/);
    assert.equal(missing?.code, 'auth');
    assert.match(missing?.reason ?? '', /requires a password and none is configured/);
    assert.ok(!c.stdout.includes('not-the-password'));
    assert.equal(c.status, 1);
  });

  it('rediss:// against a plain Redis port: TLS failed', () => {
    const e = only(check(cacheSettings(REDIS, `'rediss://127.0.0.1:${redis.port}'`), ['--timeout', '2']));
    assert.equal(e.status, 'failed');
    assert.equal(e.code, 'tls', e.reason);
    assert.match(e.reason ?? '', /^TLS failed/);
  });

  it('wrong protocol: a Redis port given to a memcached backend, and a memcached port to a Redis backend', () => {
    const e = only(check(cacheSettings(MEMCACHED, `'127.0.0.1:${redis.port}'`)));
    assert.equal(e.code, 'wrong-protocol');
    assert.equal(e.reason, 'wrong protocol: this port speaks Redis, not memcached');
    const back = only(check(cacheSettings(REDIS, `'redis://127.0.0.1:${memcached.port}'`)));
    assert.equal(back.code, 'wrong-protocol');
    assert.equal(back.reason, 'wrong protocol: this port speaks memcached, not Redis');
    const db = only(check(dbSettings('django.db.backends.mysql', '127.0.0.1', redis.port)));
    assert.equal(db.reason, 'wrong protocol: this port speaks Redis, not MySQL/MariaDB');
  });

  it('MariaDB: the initial handshake gives the version mariadbd --version prints (TCP and unix socket), no login', () => {
    const version = binaryVersion('mariadbd', ['--version'], /Ver (\S+)/);
    const tcp = only(check(dbSettings('django.db.backends.mysql', '127.0.0.1', mariadb.port)));
    assert.equal(tcp.status, 'ok', tcp.reason);
    assert.equal(tcp.serverVersion, version);
    assert.match(tcp.notes.join(' '), /no login/);
    const socket = only(check(dbSettings('django.db.backends.mysql', mariadb.socket ?? '', '')));
    assert.equal(socket.status, 'ok', socket.reason);
    assert.equal(socket.address, mariadb.socket);
    assert.equal(socket.serverVersion, version);
  });

  it('PostgreSQL: answers the SSLRequest over TCP and in its socket directory; the version is said to need a login', () => {
    assert.match(postgresVersion(), /^\d+\.\d+$/);
    const c = check(dbSettings('django.db.backends.postgresql', `127.0.0.1,${postgres.dir}`, postgres.port));
    assert.equal(c.endpoints.length, 2);
    for (const e of c.endpoints) {
      assert.equal(e.status, 'ok', e.reason);
      assert.equal(e.protocol, 'postgresql');
      assert.equal(e.serverVersion, undefined);
      assert.match(e.notes.join(' '), /discloses its version only after login/);
    }
    assert.equal(c.endpoints[1]?.address, postgres.socket);
    assert.ok(!c.stdout.includes('db-secret-pw'));
  });

  it('a refused port is "connection refused"', async () => {
    const port = await freePort();
    const e = only(check(cacheSettings(MEMCACHED, `'127.0.0.1:${port}'`)));
    assert.equal(e.code, 'refused');
    assert.equal(e.reason, `connection refused: nothing listens on 127.0.0.1:${port}`);
  });

  it('a listener that never answers is "timed out", within the given timeout', async () => {
    const silent = await silentListener();
    try {
      const c = check(
        `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'
CACHES = {'default': {'BACKEND': '${MEMCACHED}', 'LOCATION': '127.0.0.1:${silent.port}'}}
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'HOST': '127.0.0.1', 'PORT': ${silent.port}}}
`,
        ['--timeout', '0.5'],
      );
      assert.equal(c.json.timeoutMs, 500);
      assert.equal(c.endpoints.length, 2);
      for (const e of c.endpoints) {
        assert.equal(e.code, 'timeout', e.reason);
        assert.equal(e.reason, 'timed out: connected, but no answer within 500 ms');
      }
      assert.equal(c.status, 1);
    } finally {
      await silent.close();
    }
  });

  it('text output: one line per server with the reason, and an unknown address with the variable to set', () => {
    const dir = makeProject({
      'settings.py': `import os
${cacheSettings(MEMCACHED, `['127.0.0.1:${memcached.port}', os.environ['MEMCACHED_2']]`)}`,
    });
    try {
      const r = runCli(['check-connection', '.'], dir);
      assert.equal(r.status, 1, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(`^  ok +memcached 127\\.0\\.0\\.1:${memcached.port}: version \\S+, round trip`, 'm'),
      );
      assert.match(
        r.stdout,
        /^ {2}not checked {2}CACHES\['default'\]\['LOCATION'\]\[1\]: .*\(set MEMCACHED_2 to check it\)/m,
      );
      assert.match(r.stdout, /^1 reachable, 0 failed, 1 not checked$/m);
    } finally {
      removeProject(dir);
    }
  });
});

describe('check-connection through Redis Sentinel (redis-server --sentinel, Debian package)', function () {
  this.timeout(120_000);
  const started: StartedServer[] = [];
  let master: StartedServer;
  let sentinel: StartedServer;
  let authMaster: StartedServer;
  let authSentinel: StartedServer;
  const SENTINEL_CLIENT = 'django_redis.client.SentinelClient';
  const DJANGO_REDIS = 'django_redis.cache.RedisCache';

  function sentinelSettings(location: string, sentinels: string, extra = ''): string {
    return `SENTINELS = ${sentinels}
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': '${DJANGO_REDIS}', 'LOCATION': '${location}',
                      'OPTIONS': {'CLIENT_CLASS': '${SENTINEL_CLIENT}', 'SENTINELS': SENTINELS${extra}}}}
`;
  }

  before(async () => {
    assertBundle();
    master = await startRedis();
    started.push(master);
    sentinel = await startSentinel(master, 'mymaster');
    started.push(sentinel);
    authMaster = await startRedis({ password: REDIS_PASSWORD });
    started.push(authMaster);
    authSentinel = await startSentinel(authMaster, 'securemaster', { password: REDIS_PASSWORD });
    started.push(authSentinel);
  });
  after(async () => {
    for (const s of started.reverse()) await s.stop();
  });

  it('asks the sentinel for the master, then PINGs it: reachable, with the master version and address', () => {
    const c = check(sentinelSettings('redis://mymaster/2', `[('127.0.0.1', ${sentinel.port})]`));
    const e = only(c);
    assert.equal(e.status, 'ok', e.reason);
    assert.deepEqual(e.sentinel, { service: 'mymaster', sentinels: [`127.0.0.1:${sentinel.port}`] });
    assert.equal(e.serverVersion, binaryVersion('redis-server', ['--version'], /v=(\S+)/));
    assert.equal(e.db, 2);
    assert.match(
      e.notes.join('\n'),
      new RegExp(
        `sentinel 127\\.0\\.0\\.1:${sentinel.port} names 127\\.0\\.0\\.1:${master.port} as the master of 'mymaster'`,
      ),
    );
    assert.equal(c.status, 0);
  });

  it('a first sentinel that is down is named, and the next one answers', async () => {
    const down = await freePort();
    const e = only(
      check(
        sentinelSettings('redis://mymaster', `[('127.0.0.1', ${down}), ('127.0.0.1', ${sentinel.port})]`),
      ),
    );
    assert.equal(e.status, 'ok', e.reason);
    assert.match(e.notes.join('\n'), new RegExp(`sentinel 127\\.0\\.0\\.1:${down}: connection refused`));
  });

  it('a master name the sentinel does not know, a plain Redis given as a sentinel, and a sentinel that is down', async () => {
    const unknown = only(check(sentinelSettings('redis://othermaster', `[('127.0.0.1', ${sentinel.port})]`)));
    assert.equal(unknown.status, 'failed');
    assert.equal(
      unknown.reason,
      `no sentinel named the master of 'othermaster': sentinel 127.0.0.1:${sentinel.port}: the sentinel knows no master named 'othermaster'`,
    );
    const plain = only(check(sentinelSettings('redis://mymaster', `[('127.0.0.1', ${master.port})]`)));
    assert.equal(plain.code, 'wrong-protocol');
    assert.match(plain.reason ?? '', /this port speaks Redis, but is not a Sentinel/);
    const down = await freePort();
    const refused = only(check(sentinelSettings('redis://mymaster', `[('127.0.0.1', ${down})]`)));
    assert.equal(refused.code, 'refused');
  });

  it("the master's password: right is reachable, wrong is authentication failed, never printed", () => {
    const right = check(
      sentinelSettings(
        'redis://securemaster',
        `[('127.0.0.1', ${authSentinel.port})]`,
        `, 'PASSWORD': '${REDIS_PASSWORD}'`,
      ),
    );
    assert.equal(only(right).status, 'ok', only(right).reason);
    const wrong = check(
      sentinelSettings(
        'redis://securemaster',
        `[('127.0.0.1', ${authSentinel.port})]`,
        `, 'PASSWORD': 'not-it-either'`,
      ),
    );
    const e = only(wrong);
    assert.equal(e.code, 'auth');
    assert.match(
      e.reason ?? '',
      new RegExp(`^master 127\\.0\\.0\\.1:${authMaster.port}: authentication failed`),
    );
    assert.ok(!right.stdout.includes(REDIS_PASSWORD) && !wrong.stdout.includes('not-it-either'));
  });

  it('SENTINELS from the environment without a default is not checked, with the variable to set', () => {
    const e = only(
      check(`import os\n${sentinelSettings('redis://mymaster', "os.environ['REDIS_SENTINELS']")}`),
    );
    assert.equal(e.status, 'not-checked');
    assert.equal(e.variable, 'REDIS_SENTINELS');
  });
});

describe('check-connection: f-string LOCATIONs whose parts are known', function () {
  this.timeout(60_000);
  let memcached: StartedServer;
  before(async () => {
    assertBundle();
    memcached = await startMemcached();
  });
  after(async () => memcached.stop());

  it('f"{HOST}:{PORT}" with HOST from an environment default and PORT a constant is checked; an unknown part is not', () => {
    const c = check(`import os
HOST = os.environ.get('MEMCACHED_HOST', '127.0.0.1')
PORT = ${memcached.port}
${cacheSettings(MEMCACHED, `[f'{HOST}:{PORT}', f"{os.environ['OTHER_HOST']}:11211"]`)}`);
    assert.equal(c.endpoints.length, 2, JSON.stringify(c.endpoints));
    const [known, unknown] = c.endpoints;
    assert.equal(known?.status, 'ok', known?.reason);
    assert.equal(known?.address, `127.0.0.1:${memcached.port}`);
    assert.equal(known?.ifUnset, 'MEMCACHED_HOST');
    assert.equal(unknown?.status, 'not-checked');
    assert.equal(unknown?.variable, 'OTHER_HOST');
  });
});
