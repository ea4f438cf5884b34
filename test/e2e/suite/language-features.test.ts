/** Editor tests: the hover tradeoff card and BACKEND completion, asked through VS Code's own provider commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  hasCode,
  hoverText,
  open,
  positionAfter,
  serverRunning,
  waitForDiagnostics,
  writeFile,
} from '../helpers';

suite('hover and completion', () => {
  suiteTeardown(closeAllEditors);

  test('hovering a cache BACKEND shows the tradeoff card', async () => {
    const doc = (await open('horizon/local_settings.py')).document;
    await serverRunning();
    // Once the layered analysis is published, hovers answer from it.
    await waitForDiagnostics(doc.uri, 'DSL104', hasCode('DSL104'));
    // Inside the string 'django.core.cache.backends.memcached.PyMemcacheCache'.
    const position = positionAfter(doc, 'memcached.PyMemcache');
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        position,
      )) ?? [];
    const card = hoverText(hovers);
    assert.match(card, /PyMemcacheCache/);
    for (const row of ['Persistence', 'Shared across processes', 'Shared across hosts', 'Dependencies'])
      assert.ok(card.includes(row), `hover lacks the card row "${row}":\n${card}`);
  });

  test("completion inside 'BACKEND': '' lists PyMemcacheCache", async () => {
    const uri = writeFile('completion_site/settings.py', "CACHES = {'default': {'BACKEND': ''}}\n");
    const doc = (await open(uri)).document;
    await serverRunning();
    const position = positionAfter(doc, "'BACKEND': '");
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      position,
    );
    const labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(
      labels.some((l) => l.includes('PyMemcacheCache')),
      `no PyMemcacheCache among ${labels.length} completions: ${labels.slice(0, 30).join(', ')}`,
    );
  });
});
