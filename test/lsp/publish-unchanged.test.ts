/**
 * Publishing after an edit (lsp/workspace.ts sendDiagnostics): every open file of the project is analysed
 * again, but a file whose diagnostics and version are what was last published for it gets no new message;
 * one whose diagnostics changed does, and a file closed and opened again is published afresh.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codes, LspClient } from './lsp-client';

const LOCAL = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nDEBUG = False\n";
const SNIPPET = "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n";

describe('publishing only what changed', () => {
  let tmp = '';
  let client: LspClient | undefined;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-publish-'));
    fs.mkdirSync(path.join(tmp, 'horizon', 'local_settings.d'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'horizon', 'local_settings.py'), LOCAL);
    fs.writeFileSync(path.join(tmp, 'horizon', 'local_settings.d', '_10_cache.py'), SNIPPET);
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('sends an open file its diagnostics again only when they or its version changed', async () => {
    client = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
    });
    const c = client;
    const local = c.open(path.join(tmp, 'horizon', 'local_settings.py'));
    const snippet = c.open(path.join(tmp, 'horizon', 'local_settings.d', '_10_cache.py'));
    await c.waitForVersion(local, 1);
    const first = await c.waitForLatestDiagnostics(snippet, (p) => codes(p.diagnostics).includes('DSL104'));
    const count = (uri: string): number => c.publishes.filter((p) => p.uri === uri).length;
    // A comment typed into local_settings.py: its own version is published, the snippet's findings stay.
    // (Counted from the first keystroke's analysis on: the analyses of the openings publish both files.)
    let version = c.change(local, [
      { range: { start: { line: 1, character: 13 }, end: { line: 1, character: 13 } }, text: '  # x' },
    ]);
    await c.waitForVersion(local, version);
    const before = count(snippet);
    version = c.change(local, [
      { range: { start: { line: 1, character: 18 }, end: { line: 1, character: 18 } }, text: 'y' },
    ]);
    await c.waitForVersion(local, version);
    version = c.change(local, [
      { range: { start: { line: 1, character: 19 }, end: { line: 1, character: 19 } }, text: 'z' },
    ]);
    await c.waitForVersion(local, version);
    assert.equal(count(snippet), before, 'the snippet was not published again');
    // The engine changed: the snippet's finding goes, and that is published.
    version = c.change(local, [
      { range: { start: { line: 0, character: 51 }, end: { line: 0, character: 56 } }, text: 'db' },
    ]);
    await c.waitForVersion(local, version);
    const after = await c.waitForLatestDiagnostics(snippet, (p) => !codes(p.diagnostics).includes('DSL104'));
    assert.notDeepEqual(after.diagnostics, first.diagnostics);
    // Closed (cleared) and opened again: published afresh, though the same as before it closed.
    c.close(snippet);
    await c.waitForLatestDiagnostics(snippet, (p) => p.diagnostics.length === 0);
    const cleared = count(snippet);
    c.open(path.join(tmp, 'horizon', 'local_settings.d', '_10_cache.py'));
    await c.waitForDiagnostics(snippet, () => true);
    assert.ok(count(snippet) > cleared);
  });
});
