/** check-connection reads the configuration file as the lint command does (horizon-settings, exclude, its errors with file and line), and `connection-check = false` there turns it off: exit 2, nothing contacted. */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { ConnectionJson } from '../../server/src/cli/check-connection';
import { spawn } from 'node:child_process';
import { assertBundle, CLI_BUNDLE, suiteProjects, type CliResult } from './cli-harness';

/** The CLI run without blocking this process (the listener below lives in it). */
function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A loopback listener that counts the connections it sees and answers memcached's `version`. */
async function countingListener(): Promise<{ port: number; count: () => number; close(): Promise<void> }> {
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    s.on('error', () => undefined);
    s.on('data', () => s.end('VERSION 1.6.99\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    count: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function memcachedSettings(port: number): string {
  return `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:${port}'}}
`;
}

describe('cli: check-connection and the configuration file', () => {
  let listener: Awaited<ReturnType<typeof countingListener>>;
  const project = suiteProjects();
  before(async () => {
    assertBundle();
    listener = await countingListener();
  });
  after(async () => {
    await listener.close();
  });

  it('connection-check = false turns it off: exit 2, the file and line named, nothing contacted', async () => {
    const dir = project({
      'app/settings.py': memcachedSettings(listener.port),
      '.django-session-lint.toml': 'profile = "production"\nconnection-check = false\n',
    });
    const before = listener.count();
    const r = await runCli(['check-connection', 'app'], dir);
    assert.equal(r.status, 2, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /app: the connection check is turned off by connection-check = false \(\.django-session-lint\.toml:2\): nothing was contacted/,
    );
    assert.equal(listener.count(), before, 'no connection was made');
    // The same project with the key removed is checked (so the listener can tell).
    const on = project({ 'app/settings.py': memcachedSettings(listener.port) });
    const checked = await runCli(['check-connection', 'app'], on);
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    assert.match(checked.stdout, /ok +memcached 127\.0\.0\.1:\d+: version 1\.6\.99/);
    assert.equal(listener.count(), before + 1);
  });

  it('with two projects, the one turned off is named and the other checked', async () => {
    const dir = project({
      'a/settings.py': memcachedSettings(listener.port),
      'b/settings.py': memcachedSettings(listener.port),
      'b/.django-session-lint.toml': 'connection-check = false\n',
    });
    const before = listener.count();
    const r = await runCli(['check-connection', '--format', 'json', 'a', 'b'], dir);
    const json = JSON.parse(r.stdout) as ConnectionJson;
    assert.deepEqual(
      json.projects.map((p) => p.root),
      ['a'],
    );
    assert.deepEqual(json.turnedOff, [{ root: 'b', by: 'b/.django-session-lint.toml:1' }]);
    assert.equal(listener.count(), before + 1);
    assert.equal(r.status, 0);
  });

  it('horizon-settings from the file is the base layer, as for the lint command', async () => {
    const dir = project({
      'local/local_settings.py': 'DEBUG = False\n',
      'vendor/openstack_dashboard/settings.py': `${memcachedSettings(listener.port)}try:\n    from local.local_settings import *  # noqa\nexcept ImportError:\n    pass\n`,
      'pyproject.toml':
        '[tool.django-session-lint]\nhorizon-settings = "vendor/openstack_dashboard/settings.py"\n',
    });
    const r = await runCli(['check-connection', '--format', 'json', 'local'], dir);
    const json = JSON.parse(r.stdout) as ConnectionJson;
    const addresses = json.projects.flatMap((p) => p.endpoints.map((e) => e.address));
    assert.deepEqual(addresses, [`127.0.0.1:${listener.port}`], r.stdout + r.stderr);
  });

  it('a mistake in the file is an error with its line (exit 2), and nothing is contacted', async () => {
    const dir = project({
      'app/settings.py': memcachedSettings(listener.port),
      '.django-session-lint.toml': 'profile = "production"\nconnection-check = "no"\n',
    });
    const before = listener.count();
    const r = await runCli(['check-connection', 'app'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.django-session-lint\.toml:2: invalid value for 'connection-check'/);
    assert.equal(listener.count(), before);
  });

  it('exclude leaves a project out unless its file is named', async () => {
    const dir = project({
      'app/settings.py': memcachedSettings(listener.port),
      '.django-session-lint.toml': 'exclude = ["app"]\n',
    });
    const r = await runCli(['check-connection', '.'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no Django settings files found/);
    const named = await runCli(['check-connection', 'app/settings.py'], dir);
    assert.equal(named.status, 0, named.stderr);
  });
});
