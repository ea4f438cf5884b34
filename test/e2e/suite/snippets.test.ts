/** Editor tests: every contributed snippet, inserted with editor.insertSnippet into an empty settings file, lints clean in production (the locmem one warns, DSL104). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  describeDiagnostics,
  extension,
  lacksCode,
  open,
  serverRunning,
  waitForDiagnostics,
  writeFile,
} from '../helpers';

interface Snippet {
  prefix: string;
  body: string[] | string;
  description?: string;
}

function contributedSnippets(): [string, Snippet][] {
  const ext = extension();
  const entries = (ext.packageJSON as { contributes: { snippets: { language: string; path: string }[] } })
    .contributes.snippets;
  assert.ok(entries.length > 0, 'package.json contributes no snippets');
  return entries.flatMap((e) => {
    assert.equal(e.language, 'python');
    const file = path.join(ext.extensionPath, e.path);
    return Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Snippet>);
  });
}

/** Snippets allowed to warn in production, with the one code each must show. */
const EXPECTED: Record<string, string> = { 'sessions-locmem': 'DSL104' };

/** A line the server certainly flags (DSL101): when its diagnostic is gone, the server has analysed the snippet. */
const SENTINEL = "SESSION_ENGINE = 'django.contrib.sessions.backends.redis'\n";

suite('snippets', () => {
  suiteTeardown(closeAllEditors);

  const snippets = contributedSnippets();

  test('there is one snippet per session storage, plus the development-only locmem one', () => {
    const prefixes = snippets.map(([, s]) => s.prefix).sort();
    assert.deepEqual(prefixes, [
      'sessions-cached-db',
      'sessions-django-redis',
      'sessions-file',
      'sessions-locmem',
      'sessions-memcached',
      'sessions-mysql',
      'sessions-postgresql',
      'sessions-redis',
      'sessions-signed-cookies',
    ]);
  });

  for (const [name, snippet] of snippets) {
    const expected = EXPECTED[snippet.prefix];
    test(`${snippet.prefix} ${expected ? `shows ${expected}` : 'lints clean'} in production (${name})`, async () => {
      const dir = `snippet_checks/${snippet.prefix}`;
      // Pin the target Django the snippets are written for (current Django), as a project would.
      writeFile(`${dir}/requirements.txt`, 'Django>=5.2,<6.0\n');
      const uri = writeFile(`${dir}/settings.py`, '');
      const editor = await open(uri);
      await serverRunning();
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), SENTINEL));
      await waitForDiagnostics(uri, 'the sentinel DSL101', (ds) => ds.some((d) => codeOf(d) === 'DSL101'));

      // Replace everything with the snippet: the same as inserting it into an empty file.
      const doc = editor.document;
      editor.selection = new vscode.Selection(
        new vscode.Position(0, 0),
        doc.lineAt(doc.lineCount - 1).range.end,
      );
      const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
      assert.equal(await editor.insertSnippet(new vscode.SnippetString(body)), true);
      assert.ok(!doc.getText().includes(SENTINEL.trim()), 'the sentinel was not replaced');

      const ds = await waitForDiagnostics(uri, 'the snippet to be analysed', lacksCode('DSL101'));
      if (expected) {
        const final = ds.some((d) => codeOf(d) === expected)
          ? ds
          : await waitForDiagnostics(uri, expected, (x) => x.some((d) => codeOf(d) === expected));
        assert.deepEqual([...new Set(final.map(codeOf))], [expected], describeDiagnostics(uri));
      } else {
        assert.deepEqual(
          ds.map(codeOf),
          [],
          `${snippet.prefix}:\n  ${describeDiagnostics(uri)}\n--- text ---\n${doc.getText()}`,
        );
      }
      await vscode.commands.executeCommand('workbench.action.files.save');
    });
  }
});
