/** Editor tests: "Check session storage connection" runs only when asked, through the language server, and is refused when djangoSessionLint.connectionCheck.enabled is off. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  COMMAND_CHECK_CONNECTION,
  EXTENSION_ID,
  SETTING_CONNECTION_CHECK_ENABLED,
  type CheckConnectionResult,
} from '../../../common/protocol';
import { closeAllEditors, open, serverRunning } from '../helpers';

const LOCAL_SETTINGS = 'horizon/local_settings.py';

suite('connection check', () => {
  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration(EXTENSION_ID)
      .update(SETTING_CONNECTION_CHECK_ENABLED, undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  test('is refused when djangoSessionLint.connectionCheck.enabled is false', async () => {
    const editor = await open(LOCAL_SETTINGS);
    await serverRunning();
    await vscode.workspace
      .getConfiguration(EXTENSION_ID)
      .update(SETTING_CONNECTION_CHECK_ENABLED, false, vscode.ConfigurationTarget.Workspace);
    const result = await vscode.commands.executeCommand<{ status: string }>(
      COMMAND_CHECK_CONNECTION,
      editor.document.uri,
    );
    assert.equal(result?.status, 'disabled');
  });

  test('runs through the language server when asked: the Debian LocMemCache snippet needs no server', async () => {
    await vscode.workspace
      .getConfiguration(EXTENSION_ID)
      .update(SETTING_CONNECTION_CHECK_ENABLED, true, vscode.ConfigurationTarget.Workspace);
    assert.equal(vscode.workspace.isTrusted, true);
    const editor = await open(LOCAL_SETTINGS);
    const result = await vscode.commands.executeCommand<CheckConnectionResult>(
      COMMAND_CHECK_CONNECTION,
      editor.document.uri,
    );
    assert.equal(result?.status, 'checked');
    assert.deepEqual([result.ok, result.failed, result.notChecked], [0, 0, 0]);
    assert.match(result.markdown, /LocMemCache\) is inside each Django process: no server to contact/);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'markdown');
    assert.ok(shown, 'the report opens beside the editor');
    assert.match(shown.document.getText(), /# Session storage connection check/);
  });
});
