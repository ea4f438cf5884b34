/** The connection plan (core/connection-plan.ts): which servers the session store in use needs, read from the effective configuration without any I/O. */
import assert from 'node:assert/strict';
import { connectionPlan, MAX_ENDPOINTS, type ConnectionPlan } from '../../server/src/core/connection-plan';
import { databaseAddresses, memcachedAddress, redisTarget } from '../../server/src/core/server-addresses';
import { addressText } from '../../server/src/connection/socket';
import { lint, type Files } from '../helpers/rule-harness';

function plan(files: Files, kind?: 'horizon' | 'django'): ConnectionPlan {
  return connectionPlan(lint(files, kind ? { kind } : {}));
}

function addresses(p: ConnectionPlan): string[] {
  return p.endpoints.map((e) => `${e.protocol} ${addressText(e.address)}`);
}

describe('connection plan', () => {
  it('cache sessions: every LOCATION server of the alias sessions use, and nothing else', () => {
    const p = plan({
      'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
SESSION_CACHE_ALIAS = 'sessions'
CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.9:11211'},
    'sessions': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
                 'LOCATION': ['10.0.0.1:11211', '[fd00::2]:11300', 'unix:/run/memcached.sock', 'cache3']},
}
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'HOST': 'db'}}
`,
    });
    assert.deepEqual(addresses(p), [
      'memcached 10.0.0.1:11211',
      'memcached [fd00::2]:11300',
      'memcached /run/memcached.sock',
      'memcached cache3:11211',
    ]);
    assert.equal(p.endpoints[0]?.setting, "CACHES['sessions']['LOCATION'][0]");
    assert.deepEqual(p.unchecked, []);
  });

  it('cached_db: the cache and DATABASES["default"]; db: only the database', () => {
    const caches = `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://r1:6380/2'}}
DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'pg.example', 'PORT': 5433}}
`;
    const cachedDb = plan({
      'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\n${caches}`,
    });
    assert.deepEqual(addresses(cachedDb), ['redis r1:6380', 'postgresql pg.example:5433']);
    assert.equal(cachedDb.endpoints[0]?.db, 2);
    const db = plan({ 'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n${caches}` });
    assert.deepEqual(addresses(db), ['postgresql pg.example:5433']);
  });

  it('signed cookies and file sessions contact nothing and say so', () => {
    const p = plan({ 'settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\n" });
    assert.deepEqual(p.endpoints, []);
    assert.deepEqual(p.unchecked, []);
    assert.match(p.notes.join('\n'), /signed cookies/);
  });

  it("Horizon with SIMULTANEOUS_SESSIONS = 'disconnect' also needs caches['default']", () => {
    const files: Files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
SESSION_CACHE_ALIAS = 'sessions'
SIMULTANEOUS_SESSIONS = 'disconnect'
CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc1:11211'},
    'sessions': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://r1:6379'},
}
`,
    };
    const p = plan(files, 'horizon');
    assert.deepEqual(addresses(p), ['redis r1:6379', 'memcached mc1:11211']);
    assert.deepEqual(p.endpoints[1]?.purposes, ["Horizon's SIMULTANEOUS_SESSIONS"]);
    const allow = plan(
      { 'local_settings.py': files['local_settings.py']!.replace("'disconnect'", "'allow'") },
      'horizon',
    );
    assert.deepEqual(addresses(allow), ['redis r1:6379']);
  });

  it('one server needed for two purposes is contacted once, with both purposes', () => {
    const p = plan(
      {
        'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
SIMULTANEOUS_SESSIONS = 'disconnect'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc1:11211'}}
`,
      },
      'horizon',
    );
    assert.deepEqual(addresses(p), ['memcached mc1:11211']);
    assert.deepEqual(p.endpoints[0]?.purposes, ['sessions', "Horizon's SIMULTANEOUS_SESSIONS"]);
  });

  it('an address from the environment without a default is listed as not checked, with the variable', () => {
    const p = plan({
      'settings.py': `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
                      'LOCATION': [os.environ['MEMCACHED_1'], os.environ.get('MEMCACHED_2', 'mc2:11211')]}}
`,
    });
    assert.deepEqual(addresses(p), ['memcached mc2:11211']);
    assert.equal(p.endpoints[0]?.ifUnset, 'MEMCACHED_2');
    assert.equal(p.unchecked.length, 1);
    assert.equal(p.unchecked[0]?.variable, 'MEMCACHED_1');
    assert.equal(p.unchecked[0]?.setting, "CACHES['default']['LOCATION'][0]");
  });

  it("a LOCATION built with '%s:%d', str.format or join from an environment default is planned 'if unset'", () => {
    const p = plan({
      'settings.py': `import os
H = os.environ.get('MC_HOST', '10.0.0.5')
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
                      'LOCATION': ['%s:%d' % (H, 11211), '{}:{}'.format(H, 11212), ':'.join([H, '11213']),
                                   '%s:%d' % (os.environ['MC_OTHER'], 11214)]}}
`,
    });
    assert.deepEqual(addresses(p), [
      'memcached 10.0.0.5:11211',
      'memcached 10.0.0.5:11212',
      'memcached 10.0.0.5:11213',
    ]);
    assert.deepEqual(
      p.endpoints.map((e) => e.ifUnset),
      ['MC_HOST', 'MC_HOST', 'MC_HOST'],
    );
    assert.equal(p.unchecked.length, 1);
    assert.equal(p.unchecked[0]?.variable, 'MC_OTHER');
    assert.equal(p.unchecked[0]?.setting, "CACHES['default']['LOCATION'][3]");
  });

  it('Redis passwords come from the URL, OPTIONS or a visible environment default; an unknown one is named', () => {
    const p = plan({
      'settings.py': `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
SESSION_CACHE_ALIAS = 'a'
CACHES = {
    'a': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://user:p%40ss@r1:6379/3,rediss://r2:6380',
          'OPTIONS': {'PASSWORD': os.environ.get('REDIS_PASSWORD', 'from-env-default')}},
}
`,
    });
    assert.equal(p.endpoints[0]?.password, 'p@ss');
    assert.equal(p.endpoints[0]?.username, 'user');
    assert.equal(p.endpoints[0]?.db, 3);
    assert.equal(p.endpoints[1]?.password, 'from-env-default');
    assert.equal(p.endpoints[1]?.tls, true);
    const unknown = plan({
      'settings.py': `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://r1:6379',
                      'OPTIONS': {'password': os.environ['REDIS_PASSWORD']}}}
`,
    });
    assert.equal(unknown.endpoints[0]?.password, undefined);
    assert.equal(unknown.endpoints[0]?.passwordUnknown, 'REDIS_PASSWORD');
  });

  it('an unknown SESSION_ENGINE or CACHES is not checked, with the reason', () => {
    const p = plan({ 'settings.py': "import os\nSESSION_ENGINE = os.environ['SESSION_ENGINE']\n" });
    assert.deepEqual(p.endpoints, []);
    assert.equal(p.unchecked[0]?.variable, 'SESSION_ENGINE');
  });

  it('address parsing follows the clients: memcached host:port forms, redis-py URLs, mysqlclient and libpq hosts', () => {
    assert.deepEqual(memcachedAddress('inet6:[::1]:11222'), {
      address: { kind: 'tcp', host: '::1', port: 11222 },
    });
    assert.deepEqual(memcachedAddress('/tmp/m.sock'), { address: { kind: 'unix', path: '/tmp/m.sock' } });
    assert.equal(typeof memcachedAddress('h:99999'), 'string');
    assert.deepEqual(redisTarget('unix://:pw@/run/redis.sock?db=4'), {
      address: { kind: 'unix', path: '/run/redis.sock' },
      tls: false,
      tlsVerify: true,
      password: 'pw',
      db: 4,
    });
    assert.deepEqual(redisTarget('redis://[::1]'), {
      address: { kind: 'tcp', host: '::1', port: 6379 },
      tls: false,
      tlsVerify: true,
    });
    assert.equal(typeof redisTarget('memcached://x'), 'string');
    assert.deepEqual(databaseAddresses('mysql', '', ''), [{ kind: 'unix', path: '/run/mysqld/mysqld.sock' }]);
    assert.deepEqual(databaseAddresses('mysql', 'db', ''), [{ kind: 'tcp', host: 'db', port: 3306 }]);
    assert.deepEqual(databaseAddresses('postgresql', '/srv/pg,h2', '6000'), [
      { kind: 'unix', path: '/srv/pg/.s.PGSQL.6000' },
      { kind: 'tcp', host: 'h2', port: 6000 },
    ]);
  });
  it(`at most ${MAX_ENDPOINTS} servers are planned, and the note says so`, () => {
    const many = Array.from({ length: 200 }, (_, i) => `'10.1.${Math.floor(i / 250)}.${i % 250}:11211'`);
    const p = plan({
      'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': [${many.join(', ')}]}}
`,
    });
    assert.equal(p.endpoints.length, MAX_ENDPOINTS);
    assert.ok(
      p.notes.includes(
        `more than ${MAX_ENDPOINTS} servers configured: only the first ${MAX_ENDPOINTS} are checked`,
      ),
    );
  });

  it('databases carry USER, PASSWORD and NAME for --login, environment defaults named, unknown ones too', () => {
    const p = plan({
      'settings.py': `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', 'NAME': 'dash',
                         'USER': os.environ.get('DB_USER', 'horizon'), 'PASSWORD': os.environ['DB_PASSWORD'],
                         'OPTIONS': {'sslmode': 'require', 'passfile': '/etc/pgpass'}}}
`,
    });
    const e = p.endpoints[0];
    assert.equal(e?.username, 'horizon');
    assert.equal(e?.password, undefined);
    assert.equal(e?.passwordUnknown, 'DB_PASSWORD');
    assert.equal(e?.database, 'dash');
    assert.deepEqual(e?.credentialsIfUnset, ['DB_USER']);
    assert.equal(e?.sslmode, 'require');
    assert.equal(e?.loginCaveat, "OPTIONS['passfile'] may supply other credentials");
  });

  it('django-redis SentinelClient: the sentinels and the master name; an unknown SENTINELS is not checked', () => {
    const sentinelSettings = (sentinels: string): string => `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://mymaster/1',
                      'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.SentinelClient', 'PASSWORD': 'master-pw',
                                  'SENTINELS': ${sentinels}, 'SENTINEL_KWARGS': {'password': 'sentinel-pw'}}}}
`;
    const p = plan({ 'settings.py': sentinelSettings("[('s1', 26379), ('10.0.0.2', 26380), ['s3']]") });
    assert.equal(p.endpoints.length, 1);
    const e = p.endpoints[0];
    assert.equal(e?.sentinel?.service, 'mymaster');
    assert.deepEqual(e?.sentinel?.sentinels.map(addressText), ['s1:26379', '10.0.0.2:26380', 's3:26379']);
    assert.equal(e?.sentinel?.password, 'sentinel-pw');
    assert.equal(e?.password, 'master-pw');
    assert.equal(e?.db, 1);
    assert.equal(addressText(e!.address), 's1:26379');
    const unknown = plan({ 'settings.py': sentinelSettings("os.environ['SENTINELS']") });
    assert.deepEqual(unknown.endpoints, []);
    assert.equal(unknown.unchecked[0]?.variable, 'SENTINELS');
    assert.equal(unknown.unchecked[0]?.setting, "CACHES['default']['OPTIONS']['SENTINELS']");
  });
});
