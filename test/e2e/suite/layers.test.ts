/** Editor tests: the layers where you type in real VS Code — the CodeLens that opens Debian's overriding snippet, Go to Definition and references, the "Session storage" view, the hover chain, and closed files' problems after "Check all settings in workspace". */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  COMMAND_CHECK_WORKSPACE,
  COMMAND_SHOW_LAYERS,
  type CheckWorkspaceResult,
} from '../../../common/protocol';
import {
  closeAllEditors,
  codeOf,
  fileUri,
  hasCode,
  hoverText,
  lintDiagnostics,
  open,
  positionAfter,
  serverRunning,
  waitFor,
  waitForDiagnostics,
  writeFile,
} from '../helpers';

const SNIPPET = 'horizon/local_settings.d/_0006_debian_cache.py';

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // Resolve up to 100 lenses (their commands) as the editor would.
  return (
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ??
    []
  );
}

suite('layers where you type', () => {
  suiteTeardown(closeAllEditors);

  test("a CodeLens on local_settings.py's CACHES names Debian's snippet and opens it in one click", async () => {
    const doc = (await open('horizon/local_settings.py')).document;
    await serverRunning();
    await waitForDiagnostics(doc.uri, 'DSL104', hasCode('DSL104'));
    const cachesLine = positionAfter(doc, 'CACHES = {').line;
    // The diagnostics may come from a workspace pull before the open document's analysis has prepared its
    // lenses (the server then asks the editor to refresh them): ask again, as the editor would, until they come.
    let all: vscode.CodeLens[] = [];
    let lens: vscode.CodeLens | undefined;
    for (let tries = 0; !lens && tries < 150; tries++) {
      if (tries) await new Promise((r) => setTimeout(r, 200));
      all = await lensesOf(doc.uri);
      lens = all.find(
        (l) => l.range.start.line === cachesLine && l.command?.title.startsWith('overridden by'),
      );
    }
    assert.ok(lens, JSON.stringify(all.map((l) => [l.range.start.line, l.command?.title])));
    assert.equal(lens.command?.title, 'overridden by local_settings.d/_0006_debian_cache.py:3 → LocMemCache');
    // The client runs it itself: the snippet opens at the overriding line.
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const editor = await waitFor('the snippet to open', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === fileUri(SNIPPET).fsPath
        ? vscode.window.activeTextEditor
        : undefined,
    );
    assert.equal(editor.selection.start.line, 2);
  });

  test('Go to Definition of CACHES lands on the snippet; references list both layers', async () => {
    const doc = (await open('horizon/local_settings.py')).document;
    await serverRunning();
    await waitForDiagnostics(doc.uri, 'DSL104', hasCode('DSL104'));
    // On the name CACHES (two characters in).
    const at = positionAfter(doc, '\nCACHES = {', -'ACHES = {'.length);
    const defs =
      (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        doc.uri,
        at,
      )) ?? [];
    assert.equal(defs.length, 1);
    const def = defs[0]!;
    const target = 'targetUri' in def ? def.targetUri : def.uri;
    const range = 'targetRange' in def ? def.targetRange : def.range;
    assert.equal(target.fsPath, fileUri(SNIPPET).fsPath);
    assert.equal(range.start.line, 2);
    const refs =
      (await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeReferenceProvider',
        doc.uri,
        at,
      )) ?? [];
    // VS Code sorts references by file; the server's load order is checked over plain LSP (test/lsp).
    assert.deepEqual(
      refs.map((r) => vscode.workspace.asRelativePath(r.uri)).sort(),
      [SNIPPET, 'horizon/local_settings.py'].sort(),
    );
  });

  test('the "Session storage" view lists the layers in load order; the status bar item opens it', async () => {
    const doc = (await open('horizon/local_settings.py')).document;
    const a = await serverRunning();
    await waitForDiagnostics(doc.uri, 'DSL104', hasCode('DSL104'));
    const view = await waitFor(
      'the layers view',
      () => {
        const v = a.layersView();
        return v && v.layers.some((l) => l.label === 'local_settings.py') ? v : undefined;
      },
      [a.onDidRenderLayers],
    );
    assert.deepEqual(
      view.layers.slice(2).map((l) => l.label),
      ['local_settings.py', 'local_settings.d/_0006_debian_cache.py'],
    );
    assert.match(view.layers[0]!.label, /^Django .*defaults$/);
    assert.match(view.layers[1]!.label, /^Horizon .*defaults \(built in\)$/);
    const local = view.layers[2]!;
    assert.equal(local.settings.find((s) => s.label === 'CACHES')?.effective, false);
    assert.equal(view.layers[3]!.settings.find((s) => s.label === 'CACHES')?.effective, true);
    assert.equal(await vscode.commands.executeCommand<boolean>(COMMAND_SHOW_LAYERS), true);
    // The status bar updates after its own request for the effective configuration.
    await waitFor('the status bar tooltip', () => /session storage layers/.test(a.statusTooltip()));
    assert.match(a.statusTooltip(), /session storage layers/);
  });

  test('the layers view refreshes as you type', async () => {
    const editor = await open('horizon/local_settings.py');
    const a = await serverRunning();
    await waitForDiagnostics(editor.document.uri, 'DSL104', hasCode('DSL104'));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, "\nSESSION_COOKIE_NAME = 'hz'\n"));
    try {
      await waitFor(
        'SESSION_COOKIE_NAME in the view',
        () => a.layersView()?.layers.some((l) => l.settings.some((s) => s.label === 'SESSION_COOKIE_NAME')),
        [a.onDidRenderLayers],
      );
    } finally {
      await vscode.commands.executeCommand('undo');
    }
  });

  test('the hover over a diagnostic explains the effective chain', async () => {
    const doc = (await open(SNIPPET)).document;
    await serverRunning();
    const ds = await waitForDiagnostics(doc.uri, 'DSL104', hasCode('DSL104'));
    const d = ds.find((x) => codeOf(x) === 'DSL104')!;
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        d.range.start,
      )) ?? [];
    const text = hoverText(hovers).replace(/\\/g, '');
    assert.ok(
      text.includes(
        "SESSION_ENGINE cache (local_settings.py:16) → alias 'default' → LocMemCache (local_settings.d/_0006_debian_cache.py:5)",
      ),
      text,
    );
  });

  test('"Check all settings in workspace" lists the problems of files that are not open', async () => {
    await closeAllEditors();
    const closed = writeFile(
      'closed_site/local_settings.py',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'\n",
    );
    // Start the server through a settings file, then close it: nothing of closed_site is open.
    await open('django_site/settings.py');
    await serverRunning();
    await closeAllEditors();
    const result = await vscode.commands.executeCommand<CheckWorkspaceResult>(COMMAND_CHECK_WORKSPACE);
    assert.ok(result && result.files >= 3, JSON.stringify(result));
    assert.ok(
      result.byFile.some((f) => f.uri.endsWith('closed_site/local_settings.py')),
      JSON.stringify(result),
    );
    await waitFor(
      'the closed file in the Problems panel',
      () => lintDiagnostics(closed).some((d) => codeOf(d) === 'DSL101'),
      [vscode.languages.onDidChangeDiagnostics],
    );
  });
});
