/**
 * `check-connection --login` against real MariaDB and PostgreSQL servers (Debian's packages) with users created
 * here: the right password is "authenticated", a wrong one "authentication failed", for MariaDB's
 * mysql_native_password (TCP and unix socket) and PostgreSQL's cleartext, md5 and SCRAM-SHA-256 methods; no
 * login happens without --login; the password is never printed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertBundle } from '../cli/cli-harness';
import {
  binaryVersion,
  checkConnection,
  mariadbSql,
  onlyEndpoint,
  postgresSql,
  postgresVersion,
  startMariadb,
  startPostgres,
  suiteServers,
  type Checked,
  type StartedServer,
} from './helpers/store-servers';

const RIGHT = 'S3ssion-store-pw';
const WRONG = 'not-the-password-9';
const MYSQL = 'django.db.backends.mysql';
const POSTGRES = 'django.db.backends.postgresql';

function settings(
  engine: string,
  db: { host: string; port: string | number; user: string; password: string; name: string },
  extra = '',
): string {
  return `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {'default': {'ENGINE': '${engine}', 'NAME': '${db.name}', 'USER': '${db.user}',
                         'PASSWORD': '${db.password}', 'HOST': '${db.host}', 'PORT': '${db.port}'${extra}}}
`;
}

/** A wrong password: failed (code auth, login "authentication-failed") for the server's reason, no password printed, exit 1. */
function assertAuthFailed(c: Checked, reason: RegExp | string): void {
  const e = onlyEndpoint(c);
  assert.equal(e.status, 'failed');
  assert.equal(e.code, 'auth');
  assert.equal(e.login?.result, 'authentication-failed');
  if (typeof reason === 'string') assert.equal(e.reason, reason);
  else assert.match(e.reason ?? '', reason);
  assert.ok(!c.stdout.includes(WRONG) && !c.stdout.includes(RIGHT), 'no password is printed');
  assert.equal(c.status, 1);
}

describe('check-connection --login against real databases (Debian packages)', function () {
  this.timeout(120_000);
  let mariadb: StartedServer;
  let postgres: StartedServer;
  const start = suiteServers();

  before(async function () {
    assertBundle();
    mariadb = await start(startMariadb());
    mariadbSql(
      mariadb,
      `CREATE DATABASE dash;
       CREATE USER 'dash'@'127.0.0.1' IDENTIFIED BY '${RIGHT}';
       CREATE USER 'dash'@'localhost' IDENTIFIED BY '${RIGHT}';
       GRANT ALL ON dash.* TO 'dash'@'127.0.0.1';
       GRANT ALL ON dash.* TO 'dash'@'localhost';`,
    );
    postgres = await start(
      startPostgres({
        hba: [
          'host all pw_clear 127.0.0.1/32 password',
          'host all pw_md5 127.0.0.1/32 md5',
          'host all pw_scram 127.0.0.1/32 scram-sha-256',
          'local all pw_scram scram-sha-256',
        ],
        // TLS on: libpq's default sslmode 'prefer' (and this check) log in over it; sslmode 'disable' does not.
        tls: true,
      }),
    );
    postgresSql(
      postgres,
      `SET password_encryption = 'md5'; CREATE ROLE pw_md5 LOGIN PASSWORD '${RIGHT}';
       SET password_encryption = 'scram-sha-256';
       CREATE ROLE pw_clear LOGIN PASSWORD '${RIGHT}'; CREATE ROLE pw_scram LOGIN PASSWORD '${RIGHT}';`,
    );
    postgresSql(postgres, 'CREATE DATABASE dash');
    // The stored hashes are of the kind each method needs (md5 needs an md5 hash).
    assert.match(postgresSql(postgres, "SELECT rolpassword FROM pg_authid WHERE rolname = 'pw_md5'"), /^md5/);
    assert.match(
      postgresSql(postgres, "SELECT rolpassword FROM pg_authid WHERE rolname = 'pw_scram'"),
      /^SCRAM-SHA-256\$/,
    );
  });

  it('MariaDB: the right password is "authenticated" (mysql_native_password, TCP and unix socket)', () => {
    const version = binaryVersion('mariadbd', ['--version'], /Ver (\S+)/);
    for (const host of ['127.0.0.1', mariadb.socket ?? '']) {
      const c = checkConnection(
        settings(MYSQL, { host, port: mariadb.port, user: 'dash', password: RIGHT, name: 'dash' }),
        ['--login'],
      );
      const e = onlyEndpoint(c);
      assert.equal(e.status, 'ok', e.reason);
      assert.equal(e.serverVersion, version);
      assert.equal(e.login?.result, 'authenticated', e.login?.detail);
      assert.equal(e.login?.method, 'mysql_native_password');
      assert.equal(e.login?.user, 'dash');
      assert.ok(!c.stdout.includes(RIGHT), 'the password is never printed');
      assert.equal(c.status, 0);
    }
  });

  it('MariaDB: a wrong password is "authentication failed" with the server\'s error 1045', () => {
    const c = checkConnection(
      settings(MYSQL, { host: '127.0.0.1', port: mariadb.port, user: 'dash', password: WRONG, name: 'dash' }),
      ['--login'],
    );
    assertAuthFailed(
      c,
      /^authentication failed: Access denied for user 'dash'@'[^']+' \(using password: YES\) \(error 1045\)/,
    );
  });

  it('MariaDB: the right password but a database that does not exist is named as such', () => {
    const e = onlyEndpoint(
      checkConnection(
        settings(MYSQL, {
          host: '127.0.0.1',
          port: mariadb.port,
          user: 'dash',
          password: RIGHT,
          name: 'nodb',
        }),
        ['--login'],
      ),
    );
    assert.equal(e.status, 'failed');
    assert.equal(e.code, 'no-database');
    assert.match(
      e.reason ?? '',
      /^authenticated as 'dash', but the database 'nodb' cannot be used: .*error 104[49]/,
    );
  });

  it('MariaDB: without --login no login is attempted (the server counts no access denied for a wrong password)', () => {
    const denied = (): number =>
      Number(mariadbSql(mariadb, "SHOW GLOBAL STATUS LIKE 'Access_denied_errors'").split(/\s+/)[1]);
    const before = denied();
    const text = settings(MYSQL, {
      host: '127.0.0.1',
      port: mariadb.port,
      user: 'dash',
      password: WRONG,
      name: 'dash',
    });
    const e = onlyEndpoint(checkConnection(text, []));
    assert.equal(e.status, 'ok', e.reason);
    assert.equal(e.login, undefined);
    assert.match(e.notes.join(' '), /no login attempted/);
    assert.equal(denied(), before);
    // The same settings with --login do count one (so the counter above can tell).
    assert.equal(onlyEndpoint(checkConnection(text, ['--login'])).code, 'auth');
    assert.equal(denied(), before + 1);
  });

  for (const [user, method] of [
    ['pw_clear', 'password (cleartext)'],
    ['pw_md5', 'md5'],
    ['pw_scram', 'SCRAM-SHA-256'],
  ] as const) {
    it(`PostgreSQL ${method}: the right password is "authenticated", with the server's version; a wrong one fails`, () => {
      const ok = onlyEndpoint(
        checkConnection(
          settings(POSTGRES, { host: '127.0.0.1', port: postgres.port, user, password: RIGHT, name: 'dash' }),
          ['--login'],
        ),
      );
      assert.equal(ok.status, 'ok', ok.reason);
      assert.equal(ok.login?.result, 'authenticated', ok.login?.detail);
      assert.equal(ok.login?.method, method);
      assert.equal(
        ok.login?.detail,
        `authenticated as '${user}' to the database 'dash' (${method}, over TLS)`,
      );
      assert.equal(ok.serverVersion, postgresVersion());
      const bad = checkConnection(
        settings(POSTGRES, { host: '127.0.0.1', port: postgres.port, user, password: WRONG, name: 'dash' }),
        ['--login'],
      );
      assertAuthFailed(
        bad,
        `authentication failed: password authentication failed for user "${user}" (28P01)`,
      );
    });
  }

  it('PostgreSQL SCRAM-SHA-256 on the unix socket, a missing database, and a password from an environment default', () => {
    const socket = onlyEndpoint(
      checkConnection(
        settings(POSTGRES, {
          host: postgres.dir,
          port: postgres.port,
          user: 'pw_scram',
          password: RIGHT,
          name: 'dash',
        }),
        ['--login'],
      ),
    );
    assert.equal(socket.login?.result, 'authenticated', socket.login?.detail);
    assert.equal(socket.address, postgres.socket);
    const nodb = onlyEndpoint(
      checkConnection(
        settings(POSTGRES, {
          host: '127.0.0.1',
          port: postgres.port,
          user: 'pw_scram',
          password: RIGHT,
          name: 'nodb',
        }),
        ['--login'],
      ),
    );
    assert.equal(nodb.code, 'no-database');
    assert.equal(nodb.reason, `authenticated as 'pw_scram', but database "nodb" does not exist (3D000)`);
    const env = onlyEndpoint(
      checkConnection(
        `import os\n${settings(POSTGRES, {
          host: '127.0.0.1',
          port: postgres.port,
          user: 'pw_scram',
          password: 'x',
          name: 'dash',
        }).replace("'PASSWORD': 'x'", `'PASSWORD': os.environ.get('DB_PASSWORD', '${RIGHT}')`)}`,
        ['--login'],
      ),
    );
    assert.equal(env.login?.result, 'authenticated', env.login?.detail);
    assert.match(env.login?.detail ?? '', /credentials from the defaults of DB_PASSWORD \(if unset\)/);
    const unknown = checkConnection(
      `import os\n${settings(POSTGRES, {
        host: '127.0.0.1',
        port: postgres.port,
        user: 'pw_scram',
        password: 'x',
        name: 'dash',
      }).replace("'PASSWORD': 'x'", `'PASSWORD': os.environ['DB_PASSWORD']`)}`,
      ['--login'],
    );
    const u = onlyEndpoint(unknown);
    assert.equal(u.status, 'ok');
    assert.equal(u.login?.result, 'not-tried');
    assert.match(u.login?.detail ?? '', /PASSWORD comes from DB_PASSWORD, unknown here/);
    assert.equal(unknown.status, 1, 'a login asked for and not tried is not a pass');
  });

  it('PostgreSQL: without --login nothing logs in (the server logs no authorized connection)', () => {
    const log = path.join(postgres.dir, 'server.log');
    const mark = fs.readFileSync(log, 'utf8').length;
    const e = onlyEndpoint(
      checkConnection(
        settings(POSTGRES, {
          host: '127.0.0.1',
          port: postgres.port,
          user: 'pw_scram',
          password: RIGHT,
          name: 'dash',
        }),
        [],
      ),
    );
    assert.equal(e.status, 'ok', e.reason);
    assert.equal(e.login, undefined);
    assert.match(e.notes.join(' '), /no login was attempted/);
    const after = fs.readFileSync(log, 'utf8').slice(mark);
    assert.match(after, /connection received: host=127\.0\.0\.1/, 'the server saw the probe');
    assert.doesNotMatch(after, /connection authorized|authentication failed/);
  });

  it("PostgreSQL with OPTIONS sslmode 'disable' logs in without TLS; 'require' against a server without TLS fails as TLS", async () => {
    const plain = onlyEndpoint(
      checkConnection(
        settings(
          POSTGRES,
          { host: '127.0.0.1', port: postgres.port, user: 'pw_scram', password: RIGHT, name: 'dash' },
          ", 'OPTIONS': {'sslmode': 'disable'}",
        ),
        ['--login'],
      ),
    );
    assert.equal(plain.login?.detail, "authenticated as 'pw_scram' to the database 'dash' (SCRAM-SHA-256)");
    const noTls = await startPostgres();
    try {
      const e = onlyEndpoint(
        checkConnection(
          settings(
            POSTGRES,
            { host: '127.0.0.1', port: noTls.port, user: 'postgres', password: 'x', name: 'postgres' },
            ", 'OPTIONS': {'sslmode': 'require'}",
          ),
          ['--login'],
        ),
      );
      assert.equal(e.code, 'tls');
      assert.equal(
        e.reason,
        "TLS failed: the server offers no TLS, and OPTIONS['sslmode'] is 'require' (libpq refuses to go on)",
      );
    } finally {
      await noTls.stop();
    }
  });

  it('MariaDB offering TLS: the login goes over TLS; right and wrong passwords', async () => {
    const secure = await startMariadb({ tls: true });
    try {
      mariadbSql(secure, `CREATE USER 'dash'@'127.0.0.1' IDENTIFIED BY '${RIGHT}';`);
      const ok = onlyEndpoint(
        checkConnection(
          settings(MYSQL, { host: '127.0.0.1', port: secure.port, user: 'dash', password: RIGHT, name: '' }),
          ['--login'],
        ),
      );
      assert.equal(ok.login?.detail, "authenticated as 'dash' (mysql_native_password, over TLS)");
      const bad = onlyEndpoint(
        checkConnection(
          settings(MYSQL, { host: '127.0.0.1', port: secure.port, user: 'dash', password: WRONG, name: '' }),
          ['--login'],
        ),
      );
      assert.equal(bad.login?.result, 'authentication-failed');
    } finally {
      await secure.stop();
    }
  });
});
