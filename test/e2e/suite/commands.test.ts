/** Editor tests: the status bar item, the effective-configuration document, Fix all, Choose session storage (with a target), Restart server and the rule-docs guard. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  COMMAND_APPLY_SESSION_STORAGE,
  COMMAND_FIX_ALL,
  COMMAND_RESTART_SERVER,
  COMMAND_SHOW_EFFECTIVE_CONFIGURATION,
  COMMAND_SHOW_OUTPUT,
  COMMAND_SHOW_RULE_DOCS,
  EFFECTIVE_CONFIGURATION_SCHEME,
} from '../../../common/protocol';
import {
  closeAllEditors,
  hasCode,
  lacksCode,
  open,
  serverRunning,
  waitFor,
  waitForDiagnostics,
  writeFile,
} from '../helpers';

/** Markdown source → text (the tooltip escapes Markdown characters such as `_`). */
function plain(markdown: string): string {
  return markdown.replace(/\\(.)/g, '$1');
}

suite('commands and status bar', () => {
  suiteTeardown(closeAllEditors);

  test('the status bar shows the session storage of the active settings file, with the layer in the tooltip', async () => {
    const a = await serverRunning();
    await open('django_site/settings.py');
    await waitFor(
      'the memcached status',
      () => a.statusText() === 'Sessions: memcached (cache)',
      [a.onDidChangeStatus],
      30000,
      () => `status: "${a.statusText()}"`,
    );
    assert.match(plain(a.statusTooltip()), /SESSION_ENGINE.*settings.*django_site\/settings\.py:\d+/);

    await open('unrelated/tool.py');
    await waitFor(
      'the item to hide on an unrelated file',
      () => a.statusText() === '',
      [a.onDidChangeStatus],
      30000,
      () => `status: "${a.statusText()}"`,
    );

    // Horizon + Debian's snippet: sessions end up in the per-process cache set by local_settings.d.
    await open('horizon/local_settings.py');
    await waitFor(
      'the Horizon status',
      () => a.statusText().startsWith('Sessions: ') && a.statusText() !== 'Sessions: …',
      [a.onDidChangeStatus],
      30000,
      () => `status: "${a.statusText()}"`,
    );
    assert.doesNotMatch(
      a.statusText(),
      /memcached/,
      'local_settings.d/_0006_debian_cache.py overrides the memcached CACHES',
    );
    // The tooltip names the layers: SESSION_ENGINE from local_settings.py, the cache from the snippet.
    const tooltip = plain(a.statusTooltip());
    assert.match(tooltip, /SESSION_ENGINE.*local_settings.*horizon\/local_settings\.py:16/);
    assert.match(tooltip, /CACHES\.default\.BACKEND.*local_settings\.d.*_0006_debian_cache\.py:\d+/);
  });

  test('"Show effective session configuration" opens a read-only document with each setting, value, layer and line', async () => {
    const source = (await open('horizon/local_settings.py')).document;
    await serverRunning();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      COMMAND_SHOW_EFFECTIVE_CONFIGURATION,
      source.uri.toString(),
    );
    assert.ok(editor);
    const doc = editor.document;
    assert.equal(doc.uri.scheme, EFFECTIVE_CONFIGURATION_SCHEME);
    const text = doc.getText();
    for (const needle of [
      'SESSION_ENGINE',
      'CACHES',
      'LocMemCache',
      '_0006_debian_cache.py',
      'local_settings.d',
    ])
      assert.ok(text.includes(needle), `"${needle}" missing from the effective configuration:\n${text}`);
    // Each row: setting, value, layer, file:line (workspace-relative).
    assert.match(
      text,
      /\| `SESSION_ENGINE` \| `'django\.contrib\.sessions\.backends\.cache'` \| local_settings \| horizon\/local_settings\.py:16 \|/,
    );
    assert.match(
      text,
      /\| `CACHES\.default\.BACKEND` \| `'django\.core\.cache\.backends\.locmem\.LocMemCache'` \| local_settings\.d snippet \| horizon\/local_settings\.d\/_0006_debian_cache\.py:\d+ \|/,
    );

    // The view follows unsaved edits of the settings file.
    const sourceEditor = await vscode.window.showTextDocument(source, vscode.ViewColumn.One);
    const line = source
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('SESSION_ENGINE'));
    await sourceEditor.edit((b) =>
      b.replace(source.lineAt(line).range, "SESSION_ENGINE = 'django.contrib.sessions.backends.file'"),
    );
    await waitFor(
      'the view to show the edited engine',
      () => doc.getText().includes('backends.file'),
      [vscode.workspace.onDidChangeTextDocument],
      30000,
      () => doc.getText(),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('"Fix all" applies the safe fixes of the file', async () => {
    // A shared cache: without one, the fixed engine would store sessions in LocMemCache (DSL104), and a fix that
    // adds a finding is not offered.
    const caches =
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '127.0.0.1:11211'}}\n";
    const uri = writeFile(
      'fix_all_site/settings.py',
      `SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'\n${caches}`,
    );
    const editor = await open(uri);
    await serverRunning();
    await waitForDiagnostics(uri, 'DSL101', hasCode('DSL101'));
    assert.equal(await vscode.commands.executeCommand<boolean>(COMMAND_FIX_ALL, uri.toString()), true);
    await waitForDiagnostics(uri, 'DSL101 to be fixed', lacksCode('DSL101'));
    assert.equal(
      editor.document.getText(),
      `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n${caches}`,
    );
  });

  test('"Choose session storage…" with a target rewrites the configuration through the server', async () => {
    const uri = writeFile(
      'storage_site/settings.py',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    );
    const editor = await open(uri);
    await serverRunning();
    await waitForDiagnostics(uri, 'DSL104', hasCode('DSL104'));
    const result = await vscode.commands.executeCommand<{ applied: boolean; message?: string }>(
      COMMAND_APPLY_SESSION_STORAGE,
      uri.toString(),
      'redis',
    );
    assert.equal(result?.applied, true, result?.message);
    await waitFor(
      'the Redis configuration',
      () => editor.document.getText().includes('django.core.cache.backends.redis.RedisCache'),
      [vscode.workspace.onDidChangeTextDocument],
    );
    await waitForDiagnostics(uri, 'DSL104 to go away', lacksCode('DSL104'));
  });

  test('"Choose session storage…" without a target asks with a QuickPick (memcached first)', async () => {
    const uri = writeFile(
      'picker_site/settings.py',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    );
    const editor = await open(uri);
    await serverRunning();
    await waitForDiagnostics(uri, 'DSL104', hasCode('DSL104'));
    let settled = false;
    const running = Promise.resolve(
      vscode.commands.executeCommand<{ applied: boolean; message?: string }>(COMMAND_APPLY_SESSION_STORAGE),
    ).finally(() => (settled = true));
    // There is no event for "a QuickPick is open": accept the active item until the command returns
    // (accepting while nothing is open does nothing).
    const deadline = Date.now() + 20000;
    while (!settled) {
      assert.ok(Date.now() < deadline, 'the QuickPick was never answered');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = await running;
    assert.equal(result?.applied, true, result?.message);
    await waitFor(
      'the memcached configuration',
      () => editor.document.getText().includes('PyMemcacheCache'),
      [vscode.workspace.onDidChangeTextDocument],
    );
    await waitForDiagnostics(uri, 'DSL104 to go away', lacksCode('DSL104'));
  });

  test('"Restart server" restarts it and diagnostics come back', async () => {
    const local = (await open('horizon/local_settings.py')).document;
    const a = await serverRunning();
    await waitForDiagnostics(local.uri, 'DSL104', hasCode('DSL104'));
    const states: string[] = [];
    const sub = a.onDidChangeServerState((s) => states.push(s));
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>(COMMAND_RESTART_SERVER), true);
    } finally {
      sub.dispose();
    }
    assert.ok(states.includes('stopped') && states.includes('running'), `states seen: ${states.join(' → ')}`);
    assert.equal(a.serverState(), 'running');
    await waitForDiagnostics(local.uri, 'DSL104 after the restart', hasCode('DSL104'));
  });

  test('"Show output" and the rule-docs command are registered; rule docs open only web links', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [COMMAND_SHOW_OUTPUT, COMMAND_SHOW_RULE_DOCS, COMMAND_RESTART_SERVER])
      assert.ok(commands.includes(id), id);
    await vscode.commands.executeCommand(COMMAND_SHOW_OUTPUT);
    assert.equal(
      await vscode.commands.executeCommand<boolean>(COMMAND_SHOW_RULE_DOCS, 'DSL104', 'file:///etc/passwd'),
      false,
    );
    assert.equal(
      await vscode.commands.executeCommand<boolean>(COMMAND_SHOW_RULE_DOCS, 'DSL104', 'javascript:alert(1)'),
      false,
    );
  });
});
