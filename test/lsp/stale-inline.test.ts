/**
 * CodeLens and inlay hints answered from the last analysis while a newer one runs (lsp/layers.ts): their
 * positions are those of the document now (moved with the edit), or the lens is left out while its line is
 * being edited — never a lens on the wrong line. Driven through the Workspace, a 0 ms slice pausing at every
 * point an analysis may (no timing).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeLens, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseServerSettings, type SettingsSource } from '../../server/src/lsp/configuration';
import { pathToUri } from '../../server/src/lsp/files';
import { codeLenses, inlayHints } from '../../server/src/lsp/layers';
import { Workspace } from '../../server/src/lsp/workspace';
import { recordingConnection, turn } from './in-process';

const LOCAL = [
  "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
  "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.1:11211'}}",
  ...Array.from(
    { length: 300 },
    (_, i) => `FEATURE_${i} = {'name': 'feature-${i}', 'limits': [${i}, ${i * 2}]}`,
  ),
  "SECRET_KEY = 'local-0123456789abcdef-local'",
  '',
].join('\n');

const SNIPPET = `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
SECRET_KEY = 'snippet-0123456789abcdef-snippet'
`;

describe('CodeLens and inlay hints from the last analysis while the next one runs', function () {
  this.timeout(60000);
  let tmp = '';
  let file = '';
  let published: PublishDiagnosticsParams[];

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-stale-')));
    fs.mkdirSync(path.join(tmp, 'local_settings.d'));
    fs.writeFileSync(path.join(tmp, 'local_settings.d', '_0006_debian_cache.py'), SNIPPET);
    file = path.join(tmp, 'local_settings.py');
    fs.writeFileSync(file, LOCAL);
    published = [];
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function until(what: string, test: () => boolean): Promise<void> {
    for (let i = 0; i < 100_000 && !test(); i++) await turn();
    assert.ok(test(), `never: ${what}`);
  }

  async function workspace(inlineValues: 'codeLens' | 'inlayHint'): Promise<Workspace> {
    const settings = parseServerSettings({
      djangoVersion: '4.2',
      horizonRelease: '2024.1',
      inlineValues,
    }).settings;
    const source = { settingsFor: () => Promise.resolve(settings) } as unknown as SettingsSource;
    const ws = new Workspace(recordingConnection(published), source, tmp, 0);
    await ws.open(TextDocument.create(pathToUri(file), 'python', 1, LOCAL));
    await until('version 1 published', () => published.some((p) => p.version === 1));
    return ws;
  }

  /** Edits the document and collects, at every turn until its analysis is published, what `read` answers. */
  async function whileAnalysing<T>(
    ws: Workspace,
    edit: (text: string) => string,
    read: (doc: TextDocument) => T,
  ): Promise<{ stale: T[]; doc: TextDocument }> {
    const old = ws.files.openDocument(file)!;
    const doc = TextDocument.update(old, [{ text: edit(old.getText()) }], old.version + 1);
    ws.files.setOpen(file, doc);
    ws.change(doc);
    const stale: T[] = [];
    await until(`version ${doc.version} published`, () => {
      if (ws.analysisFor(pathToUri(file), false)?.fresh === false) stale.push(read(doc));
      return published.some((p) => p.version === doc.version);
    });
    assert.ok(stale.length > 5, `${stale.length} turns answered from the older analysis`);
    return { stale, doc };
  }

  const lineOf = (doc: TextDocument, line: number): string =>
    doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });

  it('moves lenses with lines added above them, and leaves out the one whose statement start is edited', async () => {
    const ws = await workspace('codeLens');
    const uri = pathToUri(file);
    const fresh = codeLenses(ws, uri);
    const first = ws.files.openDocument(file)!;
    // Each lens (by its title) and the setting whose statement it sits on (the first line's notes aside).
    const settingOf = new Map(
      fresh
        .filter((l) => l.range.start.line > 0)
        .map((l) => [l.command?.title, /^\w+/.exec(lineOf(first, l.range.start.line))?.[0]]),
    );
    const cachesTitle = fresh.find((l) => l.range.start.line === 1)?.command?.title;
    assert.ok(cachesTitle && settingOf.get(cachesTitle) === 'CACHES', JSON.stringify(fresh));
    assert.ok(settingOf.size >= 2, JSON.stringify(fresh));
    const onTheirLines = (doc: TextDocument, lenses: readonly CodeLens[]): void => {
      for (const l of lenses) {
        if (l.range.start.line === 0 && !settingOf.has(l.command?.title)) continue;
        const setting = settingOf.get(l.command?.title);
        assert.ok(setting, `a lens that was not there: ${JSON.stringify(l)}`);
        assert.ok(
          lineOf(doc, l.range.start.line).startsWith(`${setting} = `),
          `${setting} lens on a wrong line`,
        );
      }
    };

    // Three lines added at the top: every lens moved down with its statement.
    const added = await whileAnalysing(
      ws,
      (t) => `# a\n# b\n# c\n${t}`,
      () => codeLenses(ws, uri),
    );
    for (const lenses of added.stale) {
      onTheirLines(added.doc, lenses);
      assert.equal(lenses.length, fresh.length);
      assert.equal(lenses.find((l) => l.command?.title === cachesTitle)?.range.start.line, 4);
    }

    // Typing inside the CACHES statement: its lens stays where the statement starts.
    const at = added.doc.getText().indexOf('PyMemcacheCache');
    const typed = await whileAnalysing(
      ws,
      (t) => t.slice(0, at) + 'X' + t.slice(at),
      () => codeLenses(ws, uri),
    );
    for (const lenses of typed.stale) {
      onTheirLines(typed.doc, lenses);
      assert.equal(lenses.length, fresh.length);
    }

    // The statement's first character replaced: its lens is left out until the new analysis, the others stay.
    const start = typed.doc.getText().indexOf('CACHES = ');
    const renamed = await whileAnalysing(
      ws,
      (t) => `${t.slice(0, start)}K${t.slice(start + 1)}`,
      () => codeLenses(ws, uri),
    );
    for (const lenses of renamed.stale) {
      onTheirLines(renamed.doc, lenses);
      assert.equal(lenses.length, fresh.length - 1);
      assert.ok(!lenses.some((l) => l.command?.title === cachesTitle));
    }
  });

  it('moves inlay hints to the end of their line as it is now', async () => {
    const ws = await workspace('inlayHint');
    const uri = pathToUri(file);
    const everything = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };
    const fresh = inlayHints(ws, uri, everything);
    assert.ok(
      fresh.some((h) => h.position.line === 1),
      JSON.stringify(fresh),
    );

    // Typing inside the CACHES line's string moves its hint along the line (to its new end).
    const at = LOCAL.indexOf("'10.0.0.1:11211'") + 1;
    const typed = await whileAnalysing(
      ws,
      (t) => `${t.slice(0, at)}10.0.0.2:11211,${t.slice(at)}`,
      () => inlayHints(ws, uri, everything),
    );
    for (const hints of typed.stale) {
      const caches = hints.find((h) => h.position.line === 1);
      assert.ok(caches, JSON.stringify(hints));
      assert.equal(caches.position.character, lineOf(typed.doc, 1).trimEnd().length);
    }
    // Lines added above move it down.
    const added = await whileAnalysing(
      ws,
      (t) => `# a\n# b\n${t}`,
      () => inlayHints(ws, uri, everything),
    );
    for (const hints of added.stale) {
      assert.ok(!hints.some((h) => h.position.line === 1), JSON.stringify(hints));
      const caches = hints.find((h) => h.position.line === 3);
      assert.ok(caches, JSON.stringify(hints));
      assert.equal(caches.position.character, lineOf(added.doc, 3).trimEnd().length);
    }
  });
});
