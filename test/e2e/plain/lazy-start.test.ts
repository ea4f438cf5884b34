/** Editor tests in a Python project without settings files: nothing starts for unrelated Python; the first settings file starts the server. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  extension,
  hasCode,
  lintDiagnostics,
  open,
  serverRunning,
  waitFor,
  waitForDiagnostics,
  writeFile,
} from '../helpers';

suite('no settings files in the workspace', () => {
  suiteTeardown(closeAllEditors);

  test('the extension is not active before any Python file is opened', () => {
    // Only onLanguage:python activates it (package.json has no workspaceContains events).
    assert.equal(extension().isActive, false);
  });

  test('opening unrelated Python activates the extension but does not start the server', async () => {
    const doc = (await open('scripts/tool.py')).document;
    assert.equal(doc.languageId, 'python');
    const ext = extension();
    await waitFor('onLanguage:python activation', () => ext.isActive, [], 20000);
    // activate() checks the open documents synchronously; nothing later would start it for this one.
    assert.equal(ext.exports.serverState(), 'notStarted');
    assert.equal(ext.exports.statusText(), '');
    assert.deepEqual(lintDiagnostics(doc.uri), []);
  });

  test('the first settings file starts the server', async () => {
    const uri = writeFile(
      'site/settings.py',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    );
    await open(uri);
    await serverRunning();
    await waitForDiagnostics(uri, 'DSL104', hasCode('DSL104'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
  });
});
