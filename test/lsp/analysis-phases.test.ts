/**
 * The server's analysis runs its phases one event-loop turn apart (lsp/workspace.ts): what arrives meanwhile is
 * handled against the last complete analysis instead of waiting behind the new one; a request that needs the
 * current text finishes it at once; workspace diagnostics wait for it rather than analyse the same texts again.
 * Driven through the Workspace itself with a recording connection (no timing: the order of events is asserted).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseServerSettings, type SettingsSource } from '../../server/src/lsp/configuration';
import { pathToUri } from '../../server/src/lsp/files';
import { SLICE_MS, Workspace } from '../../server/src/lsp/workspace';
import { recordingConnection, turn } from './in-process';
import type { Analysis } from '../../server/src/core/analyze';
import { generateSettings } from '../bench/generate';

describe('analysis phases in the language server', function () {
  this.timeout(30000);
  let tmp = '';
  let file = '';
  let ws: Workspace;
  let published: PublishDiagnosticsParams[];

  const text = (engine: string): string =>
    [
      `SESSION_ENGINE = 'django.contrib.sessions.backends.${engine}'`,
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
      ...Array.from(
        { length: 300 },
        (_, i) => `FEATURE_${i} = {'name': 'feature-${i}', 'limits': [${i}, ${i * 2}]}`,
      ),
      '',
    ].join('\n');

  async function until(what: string, test: () => boolean): Promise<void> {
    for (let i = 0; i < 100_000 && !test(); i++) await turn();
    assert.ok(test(), `never: ${what}`);
  }

  const publishedFor = (version: number): boolean => published.some((p) => p.version === version);

  /** A Workspace over `tmp` that publishes to `published`, with the given time slice and request budget (ms). */
  const workspace = (sliceMs = SLICE_MS, flushBudgetMs?: number): Workspace => {
    const settings = parseServerSettings({ djangoVersion: '4.2', horizonRelease: '2024.1' }).settings;
    const source = { settingsFor: () => Promise.resolve(settings) } as unknown as SettingsSource;
    return new Workspace(recordingConnection(published), source, tmp, sliceMs, flushBudgetMs);
  };

  /** 6,000 lines, each other one a syntax error: lezer's recovery makes its parse long (30 segments). */
  const errorDense = (): string => {
    let broken = '';
    for (let i = 0; i < 3000; i++) broken += `A${i} = [1,)\nB${i} = 2\n`;
    return broken;
  };

  beforeEach(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-phases-')));
    fs.mkdirSync(path.join(tmp, 'local_settings.d'));
    file = path.join(tmp, 'local_settings.py');
    fs.writeFileSync(file, text('cache'));
    published = [];
    // A request that needs the current text runs the analysis under way to its end, however long it takes.
    ws = workspace(SLICE_MS, Infinity);
    await ws.open(TextDocument.create(pathToUri(file), 'python', 1, text('cache')));
    await until('version 1 published', () => publishedFor(1));
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads the last complete analysis while the next one is between its phases, then the new one', async () => {
    const uri = pathToUri(file);
    const first = ws.analysisFor(uri, false)?.analysis;
    assert.ok(first);
    const doc = TextDocument.update(ws.files.openDocument(file)!, [{ text: text('signed_cookies') }], 2);
    ws.files.setOpen(file, doc);
    ws.change(doc);
    // Turns of the event loop after the new text was parsed and before its diagnostics went out: requests
    // handled there see the previous analysis, complete (or, in the last turns before the diagnostics go out,
    // the new one, complete: what requests read is made before they are published).
    const between: (Analysis | undefined)[] = [];
    await until('version 2 published', () => {
      if (!publishedFor(2) && ws.cache.peek(file)?.text === doc.getText())
        between.push(ws.analysisFor(uri, false)?.analysis);
      return publishedFor(2);
    });
    const now = ws.analysisFor(uri, false);
    assert.ok(between.includes(first), 'the analysis ran in one go: no turn between its phases');
    assert.ok(
      between.every((a) => a === first || a === now?.analysis),
      'a request between the phases saw a half-done analysis',
    );
    assert.notEqual(now?.analysis, first);
    assert.equal(now?.fresh, true);
  });

  it('finishes a paused analysis at once for a request that needs the current text, and publishes it once', async () => {
    const uri = pathToUri(file);
    const doc = TextDocument.update(ws.files.openDocument(file)!, [{ text: text('db') }], 2);
    ws.files.setOpen(file, doc);
    ws.change(doc);
    await until('version 2 parsed', () => ws.cache.peek(file)?.text === doc.getText());
    assert.equal(publishedFor(2), false);
    // Hover, definition and code actions ask with flush: the rest of the phases run now.
    const view = ws.analysisFor(uri);
    assert.equal(view?.fresh, true);
    assert.equal(publishedFor(2), true);
    for (let i = 0; i < 20; i++) await turn();
    assert.equal(published.filter((p) => p.version === 2).length, 1);
  });

  it('a request that finishes the analysis at any turn, also after its last phase while the masker is built, gets it and it is published', async () => {
    // Every turn from the parse to the publish is tried, so the turns between the last phase and the masker's
    // are too: a request there (the status bar's effective configuration after a restart) once took the spent
    // generator's undefined for the analysis, and the project had none and published nothing until the next edit.
    const uri = pathToUri(file);
    let version = 1;
    for (let k = 0; ; k++) {
      version++;
      const engine = k % 2 === 0 ? 'db' : 'cache';
      const doc = TextDocument.update(ws.files.openDocument(file)!, [{ text: text(engine) }], version);
      ws.files.setOpen(file, doc);
      ws.change(doc);
      await until(`version ${version} parsed`, () => ws.cache.peek(file)?.text === doc.getText());
      for (let i = 0; i < k; i++) await turn();
      const wasPublished = publishedFor(version);
      const view = ws.analysisFor(uri);
      assert.ok(view, `no analysis for a request ${k} turns after the parse`);
      assert.equal(view.fresh, true, `a stale analysis ${k} turns after the parse`);
      assert.equal(publishedFor(version), true, `version ${version} not published`);
      for (let i = 0; i < 20; i++) await turn();
      assert.equal(
        published.filter((p) => p.version === version).length,
        1,
        `version ${version} published twice`,
      );
      assert.equal(ws.analysisFor(uri, false)?.analysis, view.analysis);
      if (wasPublished) break;
      assert.ok(k < 1000, 'the analysis never completed on its own');
    }
  });

  it('lets workspace diagnostics wait for the editor analysis under way instead of analysing again', async () => {
    const doc = TextDocument.update(ws.files.openDocument(file)!, [{ text: text('file') }], 2);
    ws.files.setOpen(file, doc);
    ws.change(doc);
    const key = ws.analysisFor(pathToUri(file), false)!.state.project.key;
    assert.equal(ws.currentAnalysis(key), undefined);
    let settled = false;
    const wait = ws.settled(key).then(() => {
      settled = true;
    });
    await until('the analysis to settle', () => settled);
    await wait;
    assert.equal(publishedFor(2), true);
    assert.equal(ws.currentAnalysis(key), ws.analysisFor(pathToUri(file), false)?.analysis);
  });

  it('answers requests during the first analysis of an error-dense file without finishing it, before its diagnostics (issue #11)', async () => {
    // A request that needs the current text (hover) runs the analysis under way for its budget at most (0 here:
    // one step), then reads the last complete analysis: none yet. A slice of 0 ms pauses at every point.
    const broken = errorDense();
    const sliced = workspace(0, 0);
    const uri = pathToUri(file);
    await sliced.open(TextDocument.create(uri, 'python', 21, broken));
    let whileParsing = 0;
    await until('version 21 published', () => {
      if (publishedFor(21)) return true;
      const view = sliced.analysisFor(uri);
      if (sliced.cache.peek(file)?.text !== broken) {
        // Answered (from no analysis) while the parse is still under way: the request did not finish it.
        assert.equal(view, undefined, 'an analysis before the file was parsed');
        assert.equal(publishedFor(21), false);
        whileParsing++;
      }
      return false;
    });
    // 6,000 lines, 30 segments: requests were answered between the segments and inside lezer's parse of each.
    assert.ok(whileParsing > 100, `${whileParsing} requests answered while the file was parsed`);
    const view = sliced.analysisFor(uri);
    assert.equal(view?.fresh, true);
    assert.equal(view?.analysis.findings.find((f) => f.code === 'DSL001')?.span?.from, 8);
    // Requests that ran its steps and then its masker for a while (each turn) left the rest to the slices, once.
    for (let i = 0; i < 20; i++) await turn();
    assert.equal(published.filter((p) => p.version === 21).length, 1);
  });

  it('drops an analysis still parsing when the text changes, and publishes the new text once (issue #11)', async () => {
    const broken = errorDense();
    const sliced = workspace(0, 0);
    const uri = pathToUri(file);
    await sliced.open(TextDocument.create(uri, 'python', 31, broken));
    for (let i = 0; i < 200; i++) await turn();
    assert.notEqual(sliced.cache.peek(file)?.text, broken, 'the first parse is over already');
    const doc = TextDocument.update(sliced.files.openDocument(file)!, [{ text: `X = 1\n${broken}` }], 32);
    sliced.files.setOpen(file, doc);
    sliced.change(doc);
    await until('version 32 published', () => publishedFor(32));
    for (let i = 0; i < 20; i++) await turn();
    assert.equal(publishedFor(31), false, 'the stale text was analysed to its end');
    assert.equal(published.filter((p) => p.version === 32).length, 1);
    const view = sliced.analysisFor(uri, false);
    assert.equal(view?.fresh, true);
    assert.equal(view?.analysis.findings.find((f) => f.code === 'DSL001')?.span?.from, 14);
  });

  it('a command right after opening waits for the analysis its budget did not finish (analysisForCommand)', async () => {
    const sliced = workspace(0, 0);
    const uri = pathToUri(file);
    void sliced.open(TextDocument.create(uri, 'python', 41, text('db')));
    // A request's budget of 0 runs one step: a hover would read no analysis yet; the command waits for it.
    const view = await sliced.analysisForCommand(uri);
    assert.equal(view?.fresh, true);
    assert.match(JSON.stringify(view?.analysis.model.effective('SESSION_ENGINE')?.value), /backends\.db/);
  });

  it('answers from the last complete analysis in the middle of evaluating a long file (time slices)', async () => {
    // A slice of 0 ms pauses at every point an analysis may (the server's is SLICE_MS): no timing involved.
    const long = (engine: string): string =>
      text(engine) +
      generateSettings(3000) +
      `\nSESSION_ENGINE = 'django.contrib.sessions.backends.${engine}'\n`;
    const sliced = workspace(0);
    const uri = pathToUri(file);
    await sliced.open(TextDocument.create(uri, 'python', 11, long('cache')));
    await until('version 11 published', () => publishedFor(11));
    const first = sliced.analysisFor(uri, false)?.analysis;
    assert.ok(first);
    const doc = TextDocument.update(sliced.files.openDocument(file)!, [{ text: long('db') }], 12);
    sliced.files.setOpen(file, doc);
    sliced.change(doc);
    // Turns after the new text was parsed and before its evaluation ended (the layer's evaluation leaves its
    // checkpoints in the cache when it ends): a request handled there is answered, from the last analysis.
    const midEvaluation: boolean[] = [];
    await until('version 12 published', () => {
      const parsed = sliced.cache.peek(file)?.text === doc.getText();
      const evaluated = sliced.cache.previousEvaluation(file)?.parsed.text === doc.getText();
      if (!publishedFor(12) && parsed && !evaluated)
        midEvaluation.push(sliced.analysisFor(uri, false)?.analysis === first);
      return publishedFor(12);
    });
    assert.ok(midEvaluation.length > 20, `${midEvaluation.length} turns while the layer was evaluated`);
    assert.ok(midEvaluation.every(Boolean), 'a request during the evaluation saw a half-done analysis');
    const now = sliced.analysisFor(uri, false);
    assert.equal(now?.fresh, true);
    assert.equal(now?.analysis.model.effective('SESSION_ENGINE')?.value.kind, 'str');
    assert.match(JSON.stringify(now?.analysis.model.effective('SESSION_ENGINE')?.value), /backends\.db/);
  });
});
