/**
 * The language server keeps the analyses of the KEPT_ANALYSES small projects analysed or asked about last and
 * parks the others' (issue #11: <= 80 MB resident with 100 settings files open): a parked project's hover, Go to
 * Definition, references, CodeLens, inlay hints and links answer exactly as before it was parked, its diagnostics
 * are not sent again, and an edit to it is diagnosed as a fresh server diagnoses the new text. Driven through the
 * Workspace with a recording connection; counts of entries are asserted, never times or bytes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hover } from '../../server/src/core/features/hover';
import { parseServerSettings, type SettingsSource } from '../../server/src/lsp/configuration';
import { pathToUri } from '../../server/src/lsp/files';
import {
  codeLenses,
  definition,
  documentLinks,
  inlayHints,
  maskerOf,
  references,
} from '../../server/src/lsp/layers';
import { KEPT_ANALYSES, PARK_MAX_CHARS, Workspace } from '../../server/src/lsp/workspace';
import { recordingConnection, turn, writeDeployments } from './in-process';

const PROJECTS = KEPT_ANALYSES + 4;

const localSettings = (i: number): string =>
  [
    'import os',
    `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'`,
    `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.${i}:11211'}}`,
    `OPENSTACK_HOST = os.environ.get('OS_HOST', 'controller-${i}')`,
    `SECRET_KEY = 'sup3r-s3cret-key-number-${i}-abcdefghijkl'`,
    'SESSION_COOKIE_AGE = 100',
    'SESSION_COOKIE_SECURE = False',
    "SNIPPETS = 'local_settings.d'",
    '',
  ].join('\n');

/** Every answer a request gives on a file: hover and navigation on each line's first name, lenses, hints, links. */
function answers(
  ws: Workspace,
  file: string,
  inline: 'codeLens' | 'inlayHint',
): {
  lines: { hover: unknown; definition: unknown[]; references: unknown[] }[];
  inline: unknown[];
  links: unknown[];
} {
  const uri = pathToUri(file);
  const text = ws.files.openDocument(file)!.getText();
  const lines = text.split('\n');
  const out: { hover: unknown; definition: unknown[]; references: unknown[] }[] = [];
  for (const [line, l] of lines.entries()) {
    if (l.length === 0) continue;
    const position = { line, character: 1 };
    const view = ws.analysisFor(uri);
    assert.ok(view?.fresh, `an analysis of the current text of ${file}`);
    const offset = ws.files.openDocument(file)!.offsetAt(position);
    const h = hover(view.analysis, file, offset);
    out.push({
      hover: h && { markdown: maskerOf(view.analysis)(h.markdown), span: h.span },
      definition: definition(ws, { textDocument: { uri }, position }),
      references: references(ws, { textDocument: { uri }, position, context: { includeDeclaration: true } }),
    });
  }
  return {
    lines: out,
    inline:
      inline === 'codeLens'
        ? codeLenses(ws, uri)
        : inlayHints(ws, uri, {
            start: { line: 0, character: 0 },
            end: { line: lines.length, character: 0 },
          }),
    links: documentLinks(ws, { textDocument: { uri } }),
  };
}

describe('language server: parked projects', function () {
  this.timeout(120000);
  let tmp = '';
  let files: string[] = [];

  async function until(what: string, test: () => boolean): Promise<void> {
    for (let i = 0; i < 1_000_000 && !test(); i++) await turn();
    assert.ok(test(), `never: ${what}`);
  }

  function workspace(
    published: PublishDiagnosticsParams[],
    inline: 'codeLens' | 'inlayHint' = 'codeLens',
  ): Workspace {
    const settings = parseServerSettings({
      djangoVersion: '4.2',
      horizonRelease: '2024.1',
      inlineValues: inline,
    }).settings;
    const source = { settingsFor: () => Promise.resolve(settings) } as unknown as SettingsSource;
    return new Workspace(recordingConnection(published), source, tmp);
  }

  const publishedAt = (published: PublishDiagnosticsParams[], file: string, version: number): boolean =>
    published.some((p) => p.uri === pathToUri(file) && p.version === version);

  async function openAll(
    ws: Workspace,
    published: PublishDiagnosticsParams[],
    which: string[],
  ): Promise<void> {
    for (const file of which)
      await ws.open(TextDocument.create(pathToUri(file), 'python', 1, fs.readFileSync(file, 'utf8')));
    for (const file of which) await until(`${file} published`, () => publishedAt(published, file, 1));
  }

  before(() => {
    ({ tmp, files } = writeDeployments('dsl-parked-', PROJECTS, localSettings));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const inline of ['codeLens', 'inlayHint'] as const) {
    it(`answers requests on a parked project as before, without publishing again (${inline})`, async () => {
      const published: PublishDiagnosticsParams[] = [];
      const ws = workspace(published, inline);
      const [first, ...rest] = files;
      await openAll(ws, published, [first!]);
      const before = answers(ws, first!, inline);
      // Something to compare: hovers (the secret masked), definitions, references, an override's lens or hint.
      assert.ok(before.lines.filter((l) => l.hover).length >= 5, JSON.stringify(before));
      assert.ok(before.lines.some((l) => l.definition.length > 0 && l.references.length > 0));
      assert.ok(before.inline.length > 0 && before.links.length > 0);
      assert.ok(!JSON.stringify(before).includes('sup3r-s3cret'));
      const diagnostics = published.filter((p) => p.uri === pathToUri(first!));
      assert.equal(diagnostics.length, 1);
      assert.ok(diagnostics[0]!.diagnostics.length > 0, 'the file has findings');

      await openAll(ws, published, rest);
      // Each kept project holds its two parsed files; the parked ones hold none.
      assert.deepEqual(
        { analyses: ws.held().analyses, parsed: ws.held().parsed },
        { analyses: KEPT_ANALYSES, parsed: 2 * KEPT_ANALYSES },
      );

      assert.deepEqual(answers(ws, first!, inline), before);
      // Analysed again for the requests (another project parked instead), its diagnostics not sent again.
      assert.equal(ws.held().analyses, KEPT_ANALYSES);
      assert.deepEqual(
        published.filter((p) => p.uri === pathToUri(first!)),
        diagnostics,
      );
      for (const file of files) ws.close(pathToUri(file));
      assert.deepEqual(ws.held(), { projects: 0, analyses: 0, parsed: 0, diskTexts: 0, versions: 0 });
    });
  }

  it('diagnoses an edit to a parked project as a fresh server does', async () => {
    const published: PublishDiagnosticsParams[] = [];
    const ws = workspace(published);
    await openAll(ws, published, files);
    const first = files[0]!;
    assert.equal(ws.held().analyses, KEPT_ANALYSES);
    const edited = localSettings(0).replace('SESSION_COOKIE_SECURE = False', 'SESSION_COOKIE_SECURE = True');
    const doc = TextDocument.update(ws.files.openDocument(first)!, [{ text: edited }], 2);
    ws.files.setOpen(first, doc);
    ws.change(doc);
    await until('the edit published', () => publishedAt(published, first, 2));
    const afterEdit = published.filter((p) => p.uri === pathToUri(first) && p.version === 2);

    const freshPublished: PublishDiagnosticsParams[] = [];
    const fresh = workspace(freshPublished);
    await fresh.open(TextDocument.create(pathToUri(first), 'python', 2, edited));
    await until('fresh published', () => publishedAt(freshPublished, first, 2));
    assert.deepEqual(afterEdit, freshPublished);
    assert.notDeepEqual(
      afterEdit[0]!.diagnostics,
      published.find((p) => p.uri === pathToUri(first) && p.version === 1)!.diagnostics,
      'the edit changed the findings',
    );
    for (const file of files) ws.close(pathToUri(file));
    fresh.close(pathToUri(first));
  });

  it('keeps the analysis of a project larger than PARK_MAX_CHARS', async () => {
    const big = path.join(tmp, 'big', 'settings.py');
    fs.mkdirSync(path.dirname(big), { recursive: true });
    const lines = [localSettings(99)];
    for (let k = 0; lines.join('\n').length <= PARK_MAX_CHARS; k++)
      lines.push(`EXTRA_SETTING_${k} = 'value-${k}'`);
    fs.writeFileSync(big, lines.join('\n') + '\n');
    const published: PublishDiagnosticsParams[] = [];
    const ws = workspace(published);
    await openAll(ws, published, [big, ...files]);
    // The kept small projects and the large one.
    assert.equal(ws.held().analyses, KEPT_ANALYSES + 1);
    for (const file of [big, ...files]) ws.close(pathToUri(file));
  });
});
