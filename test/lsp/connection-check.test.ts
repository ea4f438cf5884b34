/** The language server's djangoSessionLint/checkConnection request: refused when connectionCheck.enabled is off (nothing contacted), and a real check against a real memcached otherwise. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECK_CONNECTION_REQUEST, type CheckConnectionResult } from '../../common/protocol';
import {
  binaryVersion,
  postgresSql,
  startMemcached,
  startPostgres,
  type StartedServer,
} from '../real/helpers/store-servers';
import { LspClient, uriOf } from './lsp-client';

describe('LSP connection check', function () {
  this.timeout(60_000);
  let tmp = '';
  let client: LspClient | undefined;
  let memcached: StartedServer | undefined;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-lsp-conn-')));
    fs.mkdirSync(path.join(tmp, '.git'));
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    await memcached?.stop();
    memcached = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function settingsFile(location: string): string {
    const file = path.join(tmp, 'settings.py');
    fs.writeFileSync(
      file,
      `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '${location}'}}
`,
    );
    return file;
  }

  it('refuses when djangoSessionLint.connectionCheck.enabled is false, and contacts nothing', async () => {
    let connections = 0;
    const listener = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      client = await LspClient.start({ root: tmp, settings: { connectionCheck: { enabled: false } } });
      const uri = client.open(settingsFile(`127.0.0.1:${port}`));
      await client.waitForDiagnostics(uri);
      assert.equal(connections, 0, 'opening and analysing the file contacts nothing');
      const result = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
        uri,
      })) as CheckConnectionResult;
      assert.equal(result.status, 'disabled');
      assert.match(result.markdown, /djangoSessionLint\.connectionCheck\.enabled/);
      assert.equal(connections, 0, 'a refused check contacts nothing');
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  it('asked right after the file is opened (before its project is found), checks it rather than answering no-project', async () => {
    const listener = await counting();
    try {
      client = await LspClient.start({ root: tmp, settings: { connectionCheck: { enabled: true } } });
      const uri = client.open(settingsFile(`127.0.0.1:${listener.port}`));
      // No wait for the analysis: a command run at once, as a user may from the command palette.
      const result = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
        uri,
        timeoutMs: 2000,
      })) as CheckConnectionResult;
      assert.equal(result.status, 'checked', result.markdown);
      assert.equal(listener.count(), 1, 'the configured memcached endpoint was contacted once');
    } finally {
      await listener.close();
    }
  });

  /** A loopback listener that counts connections (and closes them). */
  async function counting(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
    let connections = 0;
    const listener = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return {
      port: (listener.address() as net.AddressInfo).port,
      count: () => connections,
      close: () => new Promise<void>((resolve) => listener.close(() => resolve())),
    };
  }

  it('refuses when the client says the workspace is untrusted, and contacts nothing', async () => {
    const l = await counting();
    try {
      client = await LspClient.start({ root: tmp, settings: {} });
      const uri = client.open(settingsFile(`127.0.0.1:${l.port}`));
      await client.waitForDiagnostics(uri);
      const result = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
        uri,
        trusted: false,
      })) as CheckConnectionResult;
      assert.equal(result.status, 'untrusted');
      assert.match(result.markdown, /The workspace is not trusted/);
      assert.equal(l.count(), 0, 'an untrusted request contacts nothing');
      // The same request from a trusted workspace does connect (so the count above can tell).
      const trusted = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
        uri,
        trusted: true,
        timeoutMs: 500,
      })) as CheckConnectionResult;
      assert.equal(trusted.status, 'checked');
      assert.equal(l.count(), 1);
    } finally {
      await l.close();
    }
  });

  it("refuses when the project's configuration file says connection-check = false, naming it", async () => {
    const l = await counting();
    try {
      fs.writeFileSync(path.join(tmp, '.django-session-lint.toml'), '# off here\nconnection-check = false\n');
      client = await LspClient.start({ root: tmp, settings: {} });
      const uri = client.open(settingsFile(`127.0.0.1:${l.port}`));
      await client.waitForDiagnostics(uri);
      const result = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
        uri,
      })) as CheckConnectionResult;
      assert.equal(result.status, 'disabled');
      assert.match(
        result.markdown,
        new RegExp(
          `connection-check = false\` in ${path.join(tmp, '.django-session-lint.toml').replace(/[.]/g, '\\.')}:2`,
        ),
      );
      assert.equal(l.count(), 0);
    } finally {
      await l.close();
    }
  });

  it('checks the configured memcached when asked, with its version', async () => {
    memcached = await startMemcached();
    client = await LspClient.start({ root: tmp, settings: {} });
    const uri = client.open(settingsFile(`127.0.0.1:${memcached.port}`));
    await client.waitForDiagnostics(uri);
    const result = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
      uri,
      timeoutMs: 2000,
    })) as CheckConnectionResult;
    assert.equal(result.status, 'checked');
    assert.deepEqual([result.ok, result.failed, result.notChecked], [1, 0, 0]);
    const version = binaryVersion('memcached', ['--version'], /memcached (\S+)/);
    assert.match(
      result.markdown,
      new RegExp(
        `reachable \\| memcached \`127\\.0\\.0\\.1:${memcached.port}\` \\| ${version.replace(/\./g, '\\.')} \\|`,
      ),
    );
  });

  it('logs in to the database only with connectionCheck.login (or login in the request), never printing the password', async () => {
    const postgres = await startPostgres({ hba: ['host all dash 127.0.0.1/32 scram-sha-256'] });
    try {
      postgresSql(postgres, "CREATE ROLE dash LOGIN PASSWORD 'lsp-db-pw'");
      const file = path.join(tmp, 'settings.py');
      fs.writeFileSync(
        file,
        `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'postgres', 'USER': 'dash',
                         'PASSWORD': 'lsp-db-pw', 'HOST': '127.0.0.1', 'PORT': ${postgres.port}}}
`,
      );
      client = await LspClient.start({ root: tmp, settings: { connectionCheck: { login: true } } });
      const uri = client.open(file);
      await client.waitForDiagnostics(uri);
      const withLogin = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
        uri,
      })) as CheckConnectionResult;
      assert.equal(withLogin.status, 'checked');
      assert.match(
        withLogin.markdown,
        /authenticated as 'dash' to the database 'postgres' \(SCRAM-SHA-256\)/,
      );
      assert.ok(!withLogin.markdown.includes('lsp-db-pw'));
      const without = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
        uri,
        login: false,
      })) as CheckConnectionResult;
      assert.doesNotMatch(without.markdown, /authenticated/);
      assert.match(without.markdown, /no login was attempted/);
    } finally {
      await postgres.stop();
    }
  });

  it('answers no-project for a file outside any settings project', async () => {
    client = await LspClient.start({ root: tmp, settings: {} });
    const result = (await client.connection.sendRequest(CHECK_CONNECTION_REQUEST, {
      uri: uriOf(path.join(tmp, 'nothing.py')),
    })) as CheckConnectionResult;
    assert.equal(result.status, 'no-project');
  });
});
