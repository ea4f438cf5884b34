/**
 * The server analyses one project at a time (lsp/workspace.ts `run`): projects changed together wait for their
 * turn instead of running interleaved, every one is still analysed and published once for its last text, a
 * request that needs a waiting project's current text analyses it at once, and workspace diagnostics wait for a
 * waiting project; a burst of changes handled one message after another starts one analysis (the debounce,
 * DEBOUNCE_TURNS). Driven through the Workspace itself with a recording connection, pausing at every point an
 * analysis may (no timing: the order of events is asserted).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseServerSettings, type SettingsSource } from '../../server/src/lsp/configuration';
import { pathToUri } from '../../server/src/lsp/files';
import { Workspace, type ProjectState } from '../../server/src/lsp/workspace';
import { recordingConnection, turn } from './in-process';

describe('one analysis at a time in the language server', function () {
  this.timeout(60000);
  const PROJECTS = 4;
  let tmp = '';
  let files: string[] = [];
  let ws: Workspace;
  let published: PublishDiagnosticsParams[];

  const text = (engine: string, n: number): string =>
    [
      `SESSION_ENGINE = 'django.contrib.sessions.backends.${engine}'`,
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
      ...Array.from(
        { length: 40 },
        (_, i) => `FEATURE_${i} = {'name': 'feature-${n}-${i}', 'limits': [${i}]}`,
      ),
      '',
    ].join('\n');

  async function until(what: string, test: () => boolean, each?: () => void): Promise<void> {
    for (let i = 0; i < 100_000 && !test(); i++) {
      each?.();
      await turn();
    }
    assert.ok(test(), `never: ${what}`);
  }

  const publishedFor = (file: string, version: number): number =>
    published.filter((p) => p.uri === pathToUri(file) && p.version === version).length;
  const stateOf = (file: string): ProjectState => ws.analysisFor(pathToUri(file), false)!.state;

  /** Every open file gets `engine` as its text version `version`, all in the same turn. */
  function changeAll(engine: string, version: number): void {
    files.forEach((file, n) => {
      const doc = TextDocument.update(ws.files.openDocument(file)!, [{ text: text(engine, n) }], version);
      ws.files.setOpen(file, doc);
      ws.change(doc);
    });
  }

  beforeEach(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-one-at-a-time-')));
    files = [];
    for (let n = 0; n < PROJECTS; n++) {
      const dir = path.join(tmp, `deployment-${n}`);
      fs.mkdirSync(path.join(dir, 'local_settings.d'), { recursive: true });
      const file = path.join(dir, 'local_settings.py');
      fs.writeFileSync(file, text('cache', n));
      files.push(file);
    }
    published = [];
    const settings = parseServerSettings({ djangoVersion: '4.2', horizonRelease: '2024.1' }).settings;
    const source = { settingsFor: () => Promise.resolve(settings) } as unknown as SettingsSource;
    // A slice of 0 ms: every analysis pauses at every point it may, so interleaved analyses would show.
    ws = new Workspace(recordingConnection(published), source, tmp, 0);
    files.forEach(
      (file, n) => void ws.open(TextDocument.create(pathToUri(file), 'python', 1, text('cache', n))),
    );
    await until('version 1 published everywhere', () => files.every((f) => publishedFor(f, 1) === 1));
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('runs the analyses of projects changed together one after another, each published once', async () => {
    assert.equal(new Set(files.map((f) => stateOf(f))).size, PROJECTS);
    changeAll('db', 2);
    let most = 0;
    let turns = 0;
    await until(
      'version 2 published everywhere',
      () => files.every((f) => publishedFor(f, 2) > 0),
      () => {
        turns++;
        most = Math.max(most, files.filter((f) => stateOf(f).running !== undefined).length);
      },
    );
    assert.equal(most, 1, 'analyses of different projects ran interleaved');
    assert.ok(turns > PROJECTS, 'the analyses ran in one go: nothing to interleave');
    for (let i = 0; i < 50; i++) await turn();
    for (const f of files) assert.equal(publishedFor(f, 2), 1, `${f} version 2 published more than once`);
    for (const f of files) {
      const view = ws.analysisFor(pathToUri(f), false)!;
      assert.equal(view.fresh, true);
      assert.equal(ws.currentAnalysis(view.state.project.key), view.analysis);
    }
  });

  it('analyses changes handled one message after another (one burst, as vscode-jsonrpc handles it) once, for the last text', async () => {
    const file = files[0] as string;
    const state = stateOf(file);
    // Counts the analyses the workspace starts (its private generator of phases).
    const wsAny = ws as unknown as Record<string, (...a: unknown[]) => unknown>;
    const phases = wsAny['analyzeInPhases'] as (...a: unknown[]) => unknown;
    let started = 0;
    wsAny['analyzeInPhases'] = function (this: Workspace, ...a: unknown[]) {
      if (a[0] === state) started++;
      return phases.apply(this, a);
    };
    // vscode-jsonrpc handles one message per immediate and queues the immediate of the next one at the end of
    // handling it: a burst of changes read together is handled in consecutive turns.
    const LAST = 6;
    const handle = (version: number): void => {
      setImmediate(() => {
        const doc = TextDocument.update(
          ws.files.openDocument(file)!,
          [{ text: text(`v${version}`, 0) }],
          version,
        );
        ws.files.setOpen(file, doc);
        ws.change(doc);
        if (version < LAST) handle(version + 1);
      });
    };
    handle(2);
    await until(`version ${LAST} published`, () => publishedFor(file, LAST) === 1);
    for (let i = 0; i < 50; i++) await turn();
    assert.equal(started, 1, 'an analysis started before the burst was handled');
    for (let v = 2; v < LAST; v++) assert.equal(publishedFor(file, v), 0, `version ${v} published`);
    assert.equal(publishedFor(file, LAST), 1);
  });

  it('analyses a waiting project at once for a request that needs its current text', async () => {
    changeAll('file', 2);
    const last = files[files.length - 1]!;
    // Until another project's analysis is under way and the last one waits for its turn.
    await until('another analysis under way', () =>
      files.slice(0, -1).some((f) => stateOf(f).running !== undefined),
    );
    assert.equal(stateOf(last).running, undefined);
    assert.equal(publishedFor(last, 2), 0);
    const view = ws.analysisFor(pathToUri(last));
    assert.equal(view?.fresh, true, 'a request got a stale analysis of a waiting project');
    assert.equal(publishedFor(last, 2), 1);
    await until('version 2 published everywhere', () => files.every((f) => publishedFor(f, 2) > 0));
    for (let i = 0; i < 50; i++) await turn();
    for (const f of files) assert.equal(publishedFor(f, 2), 1, `${f} version 2 published more than once`);
  });

  it('lets workspace diagnostics wait for a project that waits for its turn', async () => {
    changeAll('signed_cookies', 2);
    const last = files[files.length - 1]!;
    await until('another analysis under way', () =>
      files.slice(0, -1).some((f) => stateOf(f).running !== undefined),
    );
    const key = stateOf(last).project.key;
    assert.equal(ws.currentAnalysis(key), undefined);
    let settled = false;
    const wait = ws.settled(key).then(() => {
      settled = true;
    });
    await until('the waiting project to settle', () => settled);
    await wait;
    assert.equal(publishedFor(last, 2), 1);
    assert.equal(ws.currentAnalysis(key), ws.analysisFor(pathToUri(last), false)?.analysis);
  });
});
