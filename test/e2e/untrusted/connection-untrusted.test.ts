/**
 * Editor test in an UNTRUSTED workspace (the `untrusted` label: workspace trust on, the folder not trusted; see
 * .vscode-test.mjs and VSCODE_SHIM_WORKSPACE_TRUST in tools/code-shim.mjs): "Check session storage connection"
 * is refused with a clear message, and the server the settings name sees no connection.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { COMMAND_CHECK_CONNECTION } from '../../../common/protocol';
import { writeFile } from '../helpers';

suite('connection check in an untrusted workspace', () => {
  test('is refused with a clear message, and nothing is contacted', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace must open untrusted for this suite');
    let connections = 0;
    const listener = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      const uri = writeFile(
        'site/settings.py',
        `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:${port}'}}
`,
      );
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      for (const login of [undefined, { login: true }]) {
        const result = await vscode.commands.executeCommand<{ status: string; message?: string }>(
          COMMAND_CHECK_CONNECTION,
          uri,
          login,
        );
        assert.equal(result?.status, 'untrusted');
        assert.match(result.message ?? '', /not run in an untrusted workspace\. Nothing was contacted\./);
      }
      // Give a connection that was (wrongly) started time to arrive before counting.
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(connections, 0, 'no connection may be made from an untrusted workspace');
      // The listener does count connections (so the assertion above can fail).
      await new Promise<void>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => {
          s.destroy();
          resolve();
        });
      });
      for (let i = 0; i < 100 && connections === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(connections, 1);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});
