/** Editor tests: the server starts for Horizon's local_settings.py, leaves other Python alone, publishes DSL104 across layers, and its quick fix works through the editor. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  describeDiagnostics,
  extension,
  hasCode,
  lacksCode,
  lintDiagnostics,
  open,
  serverRunning,
  waitForDiagnostics,
  writeFile,
} from '../helpers';

const LOCAL_SETTINGS = 'horizon/local_settings.py';
const DEBIAN_SNIPPET = 'horizon/local_settings.d/_0006_debian_cache.py';

suite('activation and diagnostics', () => {
  suiteTeardown(closeAllEditors);

  test('the extension is active in a workspace with settings files, and the server runs for local_settings.py', async () => {
    await open(LOCAL_SETTINGS);
    const a = await serverRunning();
    assert.equal(extension().isActive, true);
    assert.equal(a.serverState(), 'running');
  });

  test("DSL104 is reported on the Debian snippet and mirrored onto local_settings.py's CACHES", async () => {
    const snippet = (await open(DEBIAN_SNIPPET)).document;
    const [onSnippet] = (await waitForDiagnostics(snippet.uri, 'DSL104', hasCode('DSL104'))).filter(
      (d) => codeOf(d) === 'DSL104',
    );
    assert.ok(onSnippet);
    assert.match(snippet.getText(onSnippet.range), /LocMemCache|CACHES/);

    const local = (await open(LOCAL_SETTINGS)).document;
    const ds = await waitForDiagnostics(local.uri, 'DSL104', hasCode('DSL104'));
    const mirrored = ds.find((d) => codeOf(d) === 'DSL104');
    assert.ok(mirrored);
    const lines = local.getText().split('\n');
    const start = lines.findIndex((l) => l.startsWith('CACHES = {'));
    const end = lines.findIndex((l, i) => i > start && l.startsWith('}'));
    assert.ok(
      mirrored.range.start.line >= start && mirrored.range.start.line <= end,
      `DSL104 in local_settings.py should sit on CACHES (lines ${start + 1}-${end + 1}), got line ${mirrored.range.start.line + 1}`,
    );
    // The other layer is named (relatedInformation), so the user can jump to the snippet.
    const related = (mirrored.relatedInformation ?? []).map((r) => r.location.uri.fsPath);
    assert.ok(
      related.some((p) => p.endsWith('_0006_debian_cache.py')) ||
        /_0006_debian_cache\.py/.test(mirrored.message),
      `the mirrored diagnostic should point at the snippet: ${mirrored.message} / ${related.join(', ')}`,
    );
  });

  test('a Python file that is not a settings file gets no diagnostics', async () => {
    const tool = (await open('unrelated/tool.py')).document;
    assert.equal(tool.languageId, 'python');
    // Something the server certainly analyses after tool.py was opened: once its diagnostics are in,
    // the server has seen every earlier notification, and tool.py was never sent to it.
    const probe = writeFile(
      'probe_after_tool/settings.py',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.redis'\n",
    );
    await open(probe);
    await waitForDiagnostics(probe, 'DSL101', hasCode('DSL101'));
    assert.deepEqual(lintDiagnostics(tool.uri), [], describeDiagnostics(tool.uri));
  });

  test("RDO's extension-less local_settings opens as Python and is checked", async () => {
    const uri = writeFile(
      'rdo/local_settings',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    );
    const doc = (await open(uri)).document;
    assert.equal(doc.languageId, 'python');
    await waitForDiagnostics(uri, 'DSL104', hasCode('DSL104'));
  });

  test('the DSL104 quick fix applied through the editor comments out the override and removes the diagnostic', async () => {
    // local_settings.py, which Horizon runs before the snippet, sets a shared memcached CACHES: the fix comments the
    // snippet's LocMemCache override out (bringing that cache back) instead of writing another memcached over it.
    const editor = await open(DEBIAN_SNIPPET);
    const uri = editor.document.uri;
    const [diagnostic] = (await waitForDiagnostics(uri, 'DSL104', hasCode('DSL104'))).filter(
      (d) => codeOf(d) === 'DSL104',
    );
    assert.ok(diagnostic);
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
        10, // resolve lazily computed edits, as the lightbulb does on selection
      )) ?? [];
    const offered = actions.map(
      (a) => `${a.title} [edit: ${!!a.edit}, diagnostics: ${(a.diagnostics ?? []).map(codeOf).join(',')}]`,
    );
    const fix = actions.find((a) => /^Comment out the CACHES override/.test(a.title) && a.edit);
    assert.ok(fix, `no comment-out quick fix for DSL104; offered: ${offered.join(' | ') || '(none)'}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    if (fix.command)
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitForDiagnostics(uri, 'DSL104 to go away after the fix', lacksCode('DSL104'));
    const text = editor.document.getText();
    assert.match(text, /^# CACHES = \{$/m);
    assert.doesNotMatch(text, /^CACHES/m);
    assert.match(text, /^# Modelled on the snippet/m, 'the comment above the override is kept');
    // Back to the fixture's text for the next tests.
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(uri, 'DSL104 after reverting', hasCode('DSL104'));
  });
});
