/**
 * The language server's caches stay bounded (issue #11: no unbounded caches): what it holds follows the open
 * projects, not the number of edits, and closing the files gives it all back. Driven through the Workspace with a
 * recording connection; counts of entries are asserted, never times or bytes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseServerSettings, type SettingsSource } from '../../server/src/lsp/configuration';
import { pathToUri } from '../../server/src/lsp/files';
import { cachedLinkDocuments, documentLinks } from '../../server/src/lsp/layers';
import { Workspace } from '../../server/src/lsp/workspace';
import { recordingConnection, turn, writeDeployments } from './in-process';

const PROJECTS = 12;
const ROUNDS = 25;

const localSettings = (i: number, round: number): string =>
  [
    `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'`,
    `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.${i}:11211'}}`,
    `OPENSTACK_HOST = 'controller-${i}-${'x'.repeat(round)}'`,
    `SECRET_KEY = 'k${i}'`,
    '',
  ].join('\n');

describe('language server caches', function () {
  this.timeout(120000);
  let tmp = '';
  let ws: Workspace;
  let published: PublishDiagnosticsParams[];
  let files: string[] = [];

  async function until(what: string, test: () => boolean): Promise<void> {
    for (let i = 0; i < 1_000_000 && !test(); i++) await turn();
    assert.ok(test(), `never: ${what}`);
  }
  const publishedAt = (file: string, version: number): boolean =>
    published.some((p) => p.uri === pathToUri(file) && p.version === version);

  before(() => {
    ({ tmp, files } = writeDeployments('dsl-bounded-', PROJECTS, (i) => localSettings(i, 0)));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  beforeEach(() => {
    published = [];
    const settings = parseServerSettings({ djangoVersion: '4.2', horizonRelease: '2024.1' }).settings;
    const source = { settingsFor: () => Promise.resolve(settings) } as unknown as SettingsSource;
    ws = new Workspace(recordingConnection(published), source, tmp);
  });

  it('holds per project, whatever the number of edits, and nothing once the files are closed', async () => {
    for (const [i, file] of files.entries())
      await ws.open(TextDocument.create(pathToUri(file), 'python', 1, localSettings(i, 0)));
    for (const file of files) await until(`${file} v1 published`, () => publishedAt(file, 1));
    const afterOpen = ws.held();
    assert.equal(afterOpen.projects, PROJECTS);
    // Each project: its local_settings.py and its snippet, parsed; its snippet read from disk; the version of its
    // own open file (not of every open file: that grew with the square of the files open).
    assert.ok(afterOpen.parsed <= 4 * PROJECTS, JSON.stringify(afterOpen));
    assert.ok(afterOpen.diskTexts <= PROJECTS, JSON.stringify(afterOpen));
    assert.equal(afterOpen.versions, PROJECTS, JSON.stringify(afterOpen));

    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, file] of files.entries()) {
        const doc = TextDocument.update(
          ws.files.openDocument(file)!,
          [{ text: localSettings(i, round) }],
          round + 1,
        );
        ws.files.setOpen(file, doc);
        ws.change(doc);
      }
      for (const file of files) await until(`${file} v${round + 1}`, () => publishedAt(file, round + 1));
    }
    assert.deepEqual(ws.held(), afterOpen, 'the same entries after the edits as after opening');

    for (const file of files) ws.close(pathToUri(file));
    assert.deepEqual(ws.held(), { projects: 0, analyses: 0, parsed: 0, diskTexts: 0, versions: 0 });
  });

  it('does not keep what closed projects read while others stay open', async () => {
    // Open and close the projects one after the other, one of them open throughout.
    const [first, ...rest] = files;
    await ws.open(TextDocument.create(pathToUri(first!), 'python', 1, localSettings(0, 0)));
    await until('first published', () => publishedAt(first!, 1));
    const one = ws.held();
    for (const [k, file] of rest.entries()) {
      await ws.open(TextDocument.create(pathToUri(file), 'python', 1, localSettings(k + 1, 0)));
      await until(`${file} published`, () => publishedAt(file, 1));
      ws.close(pathToUri(file));
      assert.deepEqual(ws.held(), one, `after closing ${file}`);
    }
  });

  it('keeps document links of open documents only (each holds an analysis)', async () => {
    const [first, second] = files;
    for (const [i, file] of [first!, second!].entries()) {
      await ws.open(TextDocument.create(pathToUri(file), 'python', 1, localSettings(i, 0)));
      await until(`${file} published`, () => publishedAt(file, 1));
      documentLinks(ws, { textDocument: { uri: pathToUri(file) } });
    }
    assert.ok(cachedLinkDocuments() >= 2);
    ws.close(pathToUri(second!));
    documentLinks(ws, { textDocument: { uri: pathToUri(first!) } });
    ws.close(pathToUri(first!));
    const doc = path.join(path.dirname(first!), 'local_settings.d', '_10_site.py');
    await ws.open(TextDocument.create(pathToUri(doc), 'python', 1, fs.readFileSync(doc, 'utf8')));
    documentLinks(ws, { textDocument: { uri: pathToUri(doc) } });
    assert.equal(cachedLinkDocuments(), 1);
    ws.close(pathToUri(doc));
  });
});
