/**
 * Editor tests on the layouts an operator opens, as the issue judges them: a copy of Debian's package layout
 * (test/fixtures/deployments/debian-12-package) and of kolla's config directory (kolla-2024.1-custom-locmem) in
 * the workspace, and Debian's real /etc/openstack-dashboard with Horizon's installed settings.py
 * (openstack-dashboard, installed by scripts/ensure-test-deps.mjs). From local_settings.py a CodeLens names
 * _0006_debian_cache.py as what sets CACHES and opens it; Go to Definition of SESSION_ENGINE lands on Horizon's
 * settings line; the layers view lists the files in load order; closed files' problems reach the Problems panel.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULTS_SCHEME, type LayersResult } from '../../../common/protocol';
import {
  closeAllEditors,
  codeOf,
  extension,
  fileUri,
  hasCode,
  lintDiagnostics,
  open,
  positionAfter,
  serverRunning,
  waitFor,
  waitForDiagnostics,
} from '../helpers';

const DEBIAN = 'deployments/debian/openstack-dashboard';
const KOLLA = 'deployments/kolla/horizon';
const REAL_DEBIAN = '/etc/openstack-dashboard/local_settings.py';

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ??
    []
  );
}

/** The lens starting with `prefix`, once the server has analysed the document (asked again on each change). */
async function lensWith(uri: vscode.Uri, prefix: string): Promise<vscode.CodeLens> {
  const deadline = Date.now() + 30000;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const all = await lensesOf(uri);
    seen = all.map((l) => `${l.range.start.line}: ${l.command?.title ?? '?'}`);
    const lens = all.find((l) => l.command?.title.startsWith(prefix));
    if (lens) return lens;
    // The next analysis publishes diagnostics; a timer covers an analysis that changed none.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 250);
      const sub = vscode.languages.onDidChangeDiagnostics(done);
      function done(): void {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }
  assert.fail(`no lens starting with '${prefix}' in ${uri.fsPath}; lenses:\n${seen.join('\n')}`);
}

/** Runs a lens as a click does and waits for the editor it opens. */
async function click(lens: vscode.CodeLens, expected: vscode.Uri): Promise<vscode.TextEditor> {
  await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
  return waitFor(`${path.basename(expected.fsPath)} to open`, () =>
    vscode.window.activeTextEditor?.document.uri.fsPath === expected.fsPath
      ? vscode.window.activeTextEditor
      : undefined,
  );
}

/** The layers view once it shows the project of `label`'s layer. */
async function viewWith(label: string): Promise<LayersResult> {
  const a = await serverRunning();
  return waitFor(
    `the layers view with ${label}`,
    () => {
      const v = a.layersView();
      return v && v.layers.some((l) => l.label === label) ? v : undefined;
    },
    [a.onDidRenderLayers],
    30000,
    () => JSON.stringify(a.layersView()?.layers.map((l) => l.label)),
  );
}

suite('deployment layouts in the editor (Debian, kolla)', () => {
  suiteSetup(() => {
    const fixtures = path.join(extension().extensionPath, 'test', 'fixtures', 'deployments');
    fs.cpSync(
      path.join(fixtures, 'debian-12-package', 'etc', 'openstack-dashboard'),
      fileUri(DEBIAN).fsPath,
      { recursive: true },
    );
    fs.cpSync(
      path.join(fixtures, 'kolla-2024.1-custom-locmem', 'etc', 'kolla', 'horizon'),
      fileUri(KOLLA).fsPath,
      { recursive: true },
    );
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    fs.rmSync(fileUri('deployments').fsPath, { recursive: true, force: true });
  });

  test("Debian: local_settings.py's first-line lens names _0006_debian_cache.py for CACHES and opens it", async () => {
    const doc = (await open(`${DEBIAN}/local_settings.py`)).document;
    await serverRunning();
    await waitForDiagnostics(doc.uri, 'DSL501', hasCode('DSL501'));
    // local_settings.py leaves CACHES commented out, as shipped: the lens says who sets it.
    const lens = await lensWith(doc.uri, 'CACHES:');
    assert.equal(lens.range.start.line, 0);
    assert.match(
      lens.command?.title ?? '',
      /^CACHES: LocMemCache — local_settings\.d\/_0006_debian_cache\.py:3 \(overrides the Horizon \S+ default\)$/,
    );
    const editor = await click(lens, fileUri(`${DEBIAN}/local_settings.d/_0006_debian_cache.py`));
    assert.equal(editor.selection.start.line, 2);
    assert.match(editor.document.lineAt(2).text, /^CACHES = \{/);
  });

  test('Debian: the layers view lists the files in the order Horizon loads them, defaults overridden', async () => {
    const doc = (await open(`${DEBIAN}/local_settings.py`)).document;
    await waitForDiagnostics(doc.uri, 'DSL501', hasCode('DSL501'));
    const view = await viewWith('local_settings.d/_0006_debian_cache.py');
    assert.deepEqual(
      view.layers.map((l) => l.label.replace(/^(Django|Horizon) \S+ /, '$1 ')),
      [
        'Django defaults',
        'Horizon defaults (built in)',
        'local_settings.py',
        'local_settings.d/_0001_debian_debug.py',
        'local_settings.d/_0002_debian_compress_offline.py',
        'local_settings.d/_0003_debian_static_root.py',
        'local_settings.d/_0004_debian_osprofiler.py',
        'local_settings.d/_0005_debian_webroot.py',
        'local_settings.d/_0006_debian_cache.py',
      ],
    );
    const horizonCaches = view.layers[1]!.settings.find((s) => s.label === 'CACHES');
    assert.equal(horizonCaches?.effective, false);
    assert.equal(horizonCaches?.note, 'overridden by local_settings.d/_0006_debian_cache.py:3 → LocMemCache');
    assert.equal(view.layers[1]!.settings.find((s) => s.label === 'SESSION_ENGINE')?.effective, true);
    assert.equal(view.layers.at(-1)!.settings.find((s) => s.label === 'CACHES')?.effective, true);
  });

  test("Debian: the closed snippet's problem reaches the Problems panel (workspace diagnostics)", async () => {
    const doc = (await open(`${DEBIAN}/local_settings.py`)).document;
    await waitForDiagnostics(doc.uri, 'DSL501', hasCode('DSL501'));
    const snippet = fileUri(`${DEBIAN}/local_settings.d/_0006_debian_cache.py`);
    // Nothing is run: VS Code pulls the workspace's diagnostics by itself.
    await waitForDiagnostics(snippet, 'DSL104 of the closed snippet', hasCode('DSL104'), 45000);
    const d = lintDiagnostics(snippet).find((x) => codeOf(x) === 'DSL104')!;
    assert.equal(d.range.start.line, 4);
  });

  test("real Debian: Go to Definition of SESSION_ENGINE lands on Horizon's settings.py line", async () => {
    assert.ok(
      fs.existsSync(REAL_DEBIAN),
      `${REAL_DEBIAN} is missing: install Debian's openstack-dashboard (node scripts/ensure-test-deps.mjs)`,
    );
    const doc = (await open(vscode.Uri.file(REAL_DEBIAN))).document;
    await serverRunning();
    // The first-line lens of SESSION_ENGINE names Horizon's settings.py (the analysis is done when it shows).
    const lens = await lensWith(doc.uri, 'SESSION_ENGINE:');
    assert.match(
      lens.command?.title ?? '',
      /^SESSION_ENGINE: cache — Horizon default \(.*openstack_dashboard\/settings\.py:\d+\)$/,
    );
    // On the name in the commented-out line, as an operator reading the file would ask.
    const at = positionAfter(doc, '#SESSION_ENGINE', -3);
    const defs =
      (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        doc.uri,
        at,
      )) ?? [];
    assert.equal(defs.length, 1, JSON.stringify(defs));
    const def = defs[0]!;
    const target = 'targetUri' in def ? def.targetUri : def.uri;
    const range = 'targetRange' in def ? def.targetRange : def.range;
    assert.match(target.fsPath, /openstack_dashboard[\\/]settings\.py$/);
    const line = fs.readFileSync(target.fsPath, 'utf8').split('\n')[range.start.line] ?? '';
    assert.match(line, /^SESSION_ENGINE = 'django\.contrib\.sessions\.backends\.cache'/);
    // The lens opens the same line.
    const editor = await click(lens, target);
    assert.equal(editor.selection.start.line, range.start.line);
  });

  test("kolla: _9998's CACHES['default']['LOCATION'] lens opens _9999, which replaces CACHES; view and closed file", async () => {
    const doc = (await open(`${KOLLA}/_9998-kolla-settings.py`)).document;
    await serverRunning();
    const lens = await lensWith(doc.uri, 'overridden by');
    assert.equal(lens.command?.title, 'overridden by _9999-custom-settings.py:2 → LocMemCache');
    assert.equal(lens.range.start.line, positionAfter(doc, "CACHES['default']").line);
    const view = await viewWith('_9999-custom-settings.py');
    assert.deepEqual(
      view.layers.map((l) => l.label.replace(/^(Django|Horizon) \S+ /, '$1 ')),
      [
        'Django defaults',
        'Horizon defaults (built in)',
        '_9998-kolla-settings.py',
        '_9999-custom-settings.py',
      ],
    );
    const location = view.layers[2]!.settings.find((s) => s.label === "CACHES['default']['LOCATION']");
    assert.equal(location?.effective, false);
    const custom = fileUri(`${KOLLA}/_9999-custom-settings.py`);
    // _9999 is not open: its DSL104 comes through workspace diagnostics.
    await waitForDiagnostics(custom, 'DSL104 of the closed _9999', hasCode('DSL104'), 45000);
    const editor = await click(lens, custom);
    assert.equal(editor.selection.start.line, 1);
  });

  test("kolla without Horizon installed: a default's lens and Go to Definition open its line in the built-in defaults", async () => {
    const editor = await open(`${KOLLA}/_9998-kolla-settings.py`);
    const doc = editor.document;
    await serverRunning();
    // _9998 does not set SESSION_SERIALIZER: its first-line lens names Horizon's default and opens that line.
    const lens = await lensWith(doc.uri, 'SESSION_SERIALIZER:');
    const series = /^SESSION_SERIALIZER: \S+ — Horizon (\S+) default$/.exec(lens.command?.title ?? '')?.[1];
    assert.ok(series, lens.command?.title);
    const defaultsPath = `/horizon/${series}/settings.py`;
    const inDefaults = (): vscode.TextEditor | undefined => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === DEFAULTS_SCHEME && e.document.uri.path === defaultsPath
        ? e
        : undefined;
    };
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const shown = await waitFor('the defaults document to open', inDefaults);
    assert.match(shown.document.lineAt(shown.selection.start.line).text, /^SESSION_SERIALIZER = '/);
    assert.match(shown.document.getText(), /settings\.py is not installed/);

    // Go to Definition on a name that no file sets (read, as an operator's snippet may): its default's line.
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(doc.lineCount, 0), 'SESSION_COOKIE_AGE = SESSION_TIMEOUT\n');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    try {
      const defs =
        (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
          'vscode.executeDefinitionProvider',
          doc.uri,
          positionAfter(doc, '= SESSION_TIMEOUT', -3),
        )) ?? [];
      assert.equal(defs.length, 1, JSON.stringify(defs));
      const def = defs[0]!;
      const target = 'targetUri' in def ? def.targetUri : def.uri;
      const range = 'targetRange' in def ? def.targetRange : def.range;
      assert.equal(target.scheme, DEFAULTS_SCHEME);
      const defaults = await vscode.workspace.openTextDocument(target);
      assert.equal(
        defaults.lineAt(range.start.line).text,
        'SESSION_TIMEOUT = 3600  # openstack_auth/defaults.py',
      );
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
