/**
 * `check-connection` against real servers from Debian's packages (memcached, redis-server with and without
 * requirepass and on a unix socket, MariaDB, PostgreSQL), started here on loopback and stopped after: the
 * versions reported are the binaries' own, and every failure carries its true reason.
 */
import assert from 'node:assert/strict';
import { assertBundle, makeProject, removeProject, runCli } from '../cli/cli-harness';
import {
  binaryVersion,
  checkConnection,
  freePort,
  onlyEndpoint,
  postgresVersion,
  silentListener,
  startMariadb,
  startMemcached,
  startPostgres,
  startRedis,
  startSentinel,
  suiteServers,
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

describe('check-connection against real servers (Debian packages)', function () {
  this.timeout(120_000);
  let memcached: StartedServer;
  let redis: StartedServer;
  let redisAuth: StartedServer;
  let mariadb: StartedServer;
  let postgres: StartedServer;
  const start = suiteServers();

  before(async function () {
    assertBundle();
    memcached = await start(startMemcached());
    redis = await start(startRedis());
    redisAuth = await start(startRedis({ password: REDIS_PASSWORD }));
    mariadb = await start(startMariadb());
    postgres = await start(startPostgres());
  });

  it('memcached: reachable, with the version memcached --version prints', () => {
    const c = checkConnection(cacheSettings(MEMCACHED, `'127.0.0.1:${memcached.port}'`));
    const e = onlyEndpoint(c);
    assert.equal(e.status, 'ok', e.reason);
    assert.equal(e.serverVersion, binaryVersion('memcached', ['--version'], /memcached (\S+)/));
    assert.equal(e.protocol, 'memcached');
    assert.ok(typeof e.rttMs === 'number' && e.rttMs >= 0);
    assert.equal(c.status, 0);
  });

  it('Redis: PING and SELECT of the configured db, with the version redis-server --version prints', () => {
    const e = onlyEndpoint(checkConnection(cacheSettings(REDIS, `'redis://127.0.0.1:${redis.port}/5'`)));
    assert.equal(e.status, 'ok', e.reason);
    assert.equal(e.db, 5);
    assert.equal(e.serverVersion, binaryVersion('redis-server', ['--version'], /v=(\S+)/));
  });

  it('Redis with requirepass: the right password authenticates, over TCP and on the unix socket', () => {
    const c = checkConnection(
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
    const e = onlyEndpoint(
      checkConnection(
        `import os\n${cacheSettings(REDIS, `'redis://127.0.0.1:${redisAuth.port}'`, `, 'OPTIONS': {'password': os.environ.get('REDIS_PASSWORD', '${REDIS_PASSWORD}')}`)}`,
      ),
    );
    assert.equal(e.status, 'ok', e.reason);
  });

  it('Redis: a wrong password is "authentication failed", a missing one too, and the password is not printed', () => {
    const c = checkConnection(
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
    const e = onlyEndpoint(
      checkConnection(cacheSettings(REDIS, `'rediss://127.0.0.1:${redis.port}'`), ['--timeout', '2']),
    );
    assert.equal(e.status, 'failed');
    assert.equal(e.code, 'tls', e.reason);
    assert.match(e.reason ?? '', /^TLS failed/);
  });

  it('wrong protocol: a Redis port given to a memcached backend, and a memcached port to a Redis backend', () => {
    const e = onlyEndpoint(checkConnection(cacheSettings(MEMCACHED, `'127.0.0.1:${redis.port}'`)));
    assert.equal(e.code, 'wrong-protocol');
    assert.equal(e.reason, 'wrong protocol: this port speaks Redis, not memcached');
    const back = onlyEndpoint(checkConnection(cacheSettings(REDIS, `'redis://127.0.0.1:${memcached.port}'`)));
    assert.equal(back.code, 'wrong-protocol');
    assert.equal(back.reason, 'wrong protocol: this port speaks memcached, not Redis');
    const db = onlyEndpoint(checkConnection(dbSettings('django.db.backends.mysql', '127.0.0.1', redis.port)));
    assert.equal(db.reason, 'wrong protocol: this port speaks Redis, not MySQL/MariaDB');
  });

  it('MariaDB: the initial handshake gives the version mariadbd --version prints (TCP and unix socket), no login', () => {
    const version = binaryVersion('mariadbd', ['--version'], /Ver (\S+)/);
    const tcp = onlyEndpoint(
      checkConnection(dbSettings('django.db.backends.mysql', '127.0.0.1', mariadb.port)),
    );
    assert.equal(tcp.status, 'ok', tcp.reason);
    assert.equal(tcp.serverVersion, version);
    assert.match(tcp.notes.join(' '), /no login/);
    const socket = onlyEndpoint(
      checkConnection(dbSettings('django.db.backends.mysql', mariadb.socket ?? '', '')),
    );
    assert.equal(socket.status, 'ok', socket.reason);
    assert.equal(socket.address, mariadb.socket);
    assert.equal(socket.serverVersion, version);
  });

  it('PostgreSQL: answers the SSLRequest over TCP and in its socket directory; the version is said to need a login', () => {
    assert.match(postgresVersion(), /^\d+\.\d+$/);
    const c = checkConnection(
      dbSettings('django.db.backends.postgresql', `127.0.0.1,${postgres.dir}`, postgres.port),
    );
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
    const e = onlyEndpoint(checkConnection(cacheSettings(MEMCACHED, `'127.0.0.1:${port}'`)));
    assert.equal(e.code, 'refused');
    assert.equal(e.reason, `connection refused: nothing listens on 127.0.0.1:${port}`);
  });

  it('a listener that never answers is "timed out", within the given timeout', async () => {
    const silent = await silentListener();
    try {
      const c = checkConnection(
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
    const c = checkConnection(sentinelSettings('redis://mymaster/2', `[('127.0.0.1', ${sentinel.port})]`));
    const e = onlyEndpoint(c);
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
    const e = onlyEndpoint(
      checkConnection(
        sentinelSettings('redis://mymaster', `[('127.0.0.1', ${down}), ('127.0.0.1', ${sentinel.port})]`),
      ),
    );
    assert.equal(e.status, 'ok', e.reason);
    assert.match(e.notes.join('\n'), new RegExp(`sentinel 127\\.0\\.0\\.1:${down}: connection refused`));
  });

  it('a master name the sentinel does not know, a plain Redis given as a sentinel, and a sentinel that is down', async () => {
    const unknown = onlyEndpoint(
      checkConnection(sentinelSettings('redis://othermaster', `[('127.0.0.1', ${sentinel.port})]`)),
    );
    assert.equal(unknown.status, 'failed');
    assert.equal(
      unknown.reason,
      `no sentinel named the master of 'othermaster': sentinel 127.0.0.1:${sentinel.port}: the sentinel knows no master named 'othermaster'`,
    );
    const plain = onlyEndpoint(
      checkConnection(sentinelSettings('redis://mymaster', `[('127.0.0.1', ${master.port})]`)),
    );
    assert.equal(plain.code, 'wrong-protocol');
    assert.match(plain.reason ?? '', /this port speaks Redis, but is not a Sentinel/);
    const down = await freePort();
    const refused = onlyEndpoint(
      checkConnection(sentinelSettings('redis://mymaster', `[('127.0.0.1', ${down})]`)),
    );
    assert.equal(refused.code, 'refused');
  });

  it("the master's password: right is reachable, wrong is authentication failed, never printed", () => {
    const right = checkConnection(
      sentinelSettings(
        'redis://securemaster',
        `[('127.0.0.1', ${authSentinel.port})]`,
        `, 'PASSWORD': '${REDIS_PASSWORD}'`,
      ),
    );
    assert.equal(onlyEndpoint(right).status, 'ok', onlyEndpoint(right).reason);
    const wrong = checkConnection(
      sentinelSettings(
        'redis://securemaster',
        `[('127.0.0.1', ${authSentinel.port})]`,
        `, 'PASSWORD': 'not-it-either'`,
      ),
    );
    const e = onlyEndpoint(wrong);
    assert.equal(e.code, 'auth');
    assert.match(
      e.reason ?? '',
      new RegExp(`^master 127\\.0\\.0\\.1:${authMaster.port}: authentication failed`),
    );
    assert.ok(!right.stdout.includes(REDIS_PASSWORD) && !wrong.stdout.includes('not-it-either'));
  });

  it('SENTINELS from the environment without a default is not checked, with the variable to set', () => {
    const e = onlyEndpoint(
      checkConnection(`import os\n${sentinelSettings('redis://mymaster', "os.environ['REDIS_SENTINELS']")}`),
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
    const c = checkConnection(`import os
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
