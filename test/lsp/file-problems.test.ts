/**
 * The language server reads files as the CLI does (node/read-source.ts): the same size limit (a huge snippet is
 * analysed up to the parser's limit and DSL003 says so) and the same words for a file it cannot use (a FIFO
 * named like a snippet, a link that leads nowhere or in a loop), shown on the project's open files and logged.
 * Unreadable kinds that stop root too, since the tests may run as root (chmod 000 does not stop it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DocumentDiagnosticReportKind,
  FileChangeType,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { runCli } from '../cli/cli-harness';
import { LspClient, uriOf } from './lsp-client';

let tmp = '';
let client: LspClient | undefined;

function write(rel: string, text: string): string {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

function mkfifo(rel: string): void {
  const r = spawnSync('mkfifo', [path.join(tmp, rel)]);
  assert.equal(r.status, 0, 'mkfifo (coreutils) is needed');
}

const LOCAL = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '10.0.0.11:11211',
    },
}
`;

const LOCMEM_SNIPPET = `CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
`;

/** CLI findings as JSON: code and message per file (display paths from the Horizon directory). */
function cliFindings(cwd: string): { file: string; code: string; message: string }[] {
  const r = runCli(['.', '--format', 'json', '--django-version', '4.2', '--horizon-release', '2024.2'], cwd);
  assert.ok(r.stdout.length > 0, r.stderr);
  const json = JSON.parse(r.stdout) as {
    diagnostics: { path: string; code: string; message: string }[];
  };
  return json.diagnostics.map((d) => ({ file: d.path, code: d.code, message: d.message }));
}

async function start(): Promise<LspClient> {
  client = await LspClient.start({ root: tmp, settings: { djangoVersion: '4.2', horizonRelease: '2024.2' } });
  return client;
}

async function pull(c: LspClient, file: string): Promise<Diagnostic[]> {
  const r = (await c.connection.sendRequest('textDocument/diagnostic', {
    textDocument: { uri: uriOf(file) },
  })) as DocumentDiagnosticReport;
  assert.equal(r.kind, DocumentDiagnosticReportKind.Full);
  return r.kind === DocumentDiagnosticReportKind.Full ? r.items : [];
}

describe('language server reads files as the CLI does', function () {
  this.timeout(60000);

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-lsp-files-')));
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a 20 MB snippet is analysed up to the limit and gets the CLI’s DSL003, not dropped', async () => {
    write('horizon/local_settings.py', LOCAL);
    // A setting that matters first, then 20 MB of statements: more than the parser's 2,000,000 characters and
    // more than the 16 MB the server used to skip files at.
    const filler = "PADDING = 'padding padding padding padding padding padding padding padding padding'\n";
    const huge = write(
      'horizon/local_settings.d/_50_huge.py',
      LOCMEM_SNIPPET + filler.repeat(Math.ceil((20 * 1024 * 1024) / filler.length)),
    );
    assert.ok(fs.statSync(huge).size > 20 * 1024 * 1024);
    const cli = cliFindings(path.join(tmp, 'horizon')).filter((f) => f.file.endsWith('_50_huge.py'));
    const cliCut = cli.find((f) => f.code === 'DSL003');
    assert.ok(cliCut, `the CLI reports DSL003 on the huge snippet: ${JSON.stringify(cli)}`);

    const c = await start();
    const local = path.join(tmp, 'horizon/local_settings.py');
    const uri = c.open(local);
    // local_settings.py's CACHES is replaced by the huge snippet's LocMemCache: the editor sees that layer.
    const published = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'DSL404'));
    assert.ok(
      published.diagnostics.some((d) => d.code === 'DSL404' && String(d.message).includes('_50_huge.py')),
      JSON.stringify(published.diagnostics),
    );
    // The snippet is not open: its findings come through pull diagnostics, DSL003 worded as the CLI words it.
    const items = await pull(c, huge);
    const cut = items.find((d) => d.code === 'DSL003');
    assert.ok(cut, `DSL003 on the huge snippet: ${JSON.stringify(items.map((d) => d.code))}`);
    assert.equal(cut.message, cliCut.message);
    assert.deepEqual(
      items.map((d) => d.code).sort(),
      cli.map((f) => f.code).sort(),
      'the same findings on the snippet as the CLI',
    );
  });

  it('a FIFO and broken links named like snippets are shown with the CLI’s words, and nothing stalls', async () => {
    write('horizon/local_settings.py', LOCAL);
    write('horizon/local_settings.d/_10_ok.py', 'SESSION_COOKIE_SECURE = True\n');
    mkfifo('horizon/local_settings.d/_90_x.py');
    fs.symlinkSync('nowhere.py', path.join(tmp, 'horizon/local_settings.d/_91_dangling.py'));
    fs.symlinkSync('_92_loop.py', path.join(tmp, 'horizon/local_settings.d/_92_loop.py'));
    const cli = runCli(['.', '--no-color'], path.join(tmp, 'horizon'));
    const expected = [
      'local_settings.d/_90_x.py: a FIFO (named pipe), not a regular file: skipped',
      'local_settings.d/_91_dangling.py: broken symbolic link',
      'local_settings.d/_92_loop.py: too many levels of symbolic links',
    ];
    for (const line of expected) assert.ok(cli.stderr.includes(`error: ${line}\n`), cli.stderr);
    assert.equal(cli.status, 2);

    const c = await start();
    const local = path.join(tmp, 'horizon/local_settings.py');
    const uri = c.open(local);
    const published = await c.waitForDiagnostics(uri, (p) =>
      p.diagnostics.some((d) => String(d.message).includes('_90_x.py')),
    );
    const shown = published.diagnostics.filter((d) => d.code === undefined).map((d) => String(d.message));
    assert.deepEqual(shown.sort(), expected);
    for (const d of published.diagnostics.filter((x) => x.code === undefined)) {
      assert.equal(d.source, 'django-session-lint');
      assert.deepEqual(d.range.start, { line: 0, character: 0 });
    }
    // Logged once each, with the full path, for the output channel.
    for (const name of ['_90_x.py', '_91_dangling.py', '_92_loop.py'])
      assert.equal(
        c.logs.filter((l) => l.includes(path.join(tmp, 'horizon/local_settings.d', name))).length,
        1,
        c.logs.join('\n'),
      );
    // The server still answers (nothing blocked on the FIFO).
    const hover = await c.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 3 },
    });
    assert.ok(hover);
    // The problems go when the files do.
    fs.rmSync(path.join(tmp, 'horizon/local_settings.d/_90_x.py'));
    fs.rmSync(path.join(tmp, 'horizon/local_settings.d/_91_dangling.py'));
    fs.rmSync(path.join(tmp, 'horizon/local_settings.d/_92_loop.py'));
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: ['_90_x.py', '_91_dangling.py', '_92_loop.py'].map((n) => ({
        uri: uriOf(path.join(tmp, 'horizon/local_settings.d', n)),
        type: FileChangeType.Deleted,
      })),
    });
    await c.waitForDiagnostics(uri, (p) => p.diagnostics.every((d) => d.code !== undefined));
  });

  it('a layer that became unreadable after discovery is shown with the reader’s words', async () => {
    write('horizon/local_settings.py', LOCAL);
    write('horizon/local_settings.d/_60_cache.py', LOCMEM_SNIPPET);
    const c = await start();
    const uri = c.open(path.join(tmp, 'horizon/local_settings.py'));
    await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'DSL404'));
    // Replaced by a FIFO in place; only a change event (no structural one, so no new discovery): the read says.
    fs.rmSync(path.join(tmp, 'horizon/local_settings.d/_60_cache.py'));
    mkfifo('horizon/local_settings.d/_60_cache.py');
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf(path.join(tmp, 'horizon/local_settings.d/_60_cache.py')), type: FileChangeType.Changed },
      ],
    });
    const published = await c.waitForDiagnostics(uri, (p) =>
      p.diagnostics.some((d) => String(d.message).includes('_60_cache.py: ')),
    );
    assert.deepEqual(
      published.diagnostics.filter((d) => d.code === undefined).map((d) => String(d.message)),
      ['local_settings.d/_60_cache.py: a FIFO (named pipe), not a regular file'],
    );
    // The layer is gone from the analysis: its LocMemCache no longer overrides local_settings.py's CACHES.
    assert.ok(!published.diagnostics.some((d) => d.code === 'DSL404'), JSON.stringify(published.diagnostics));
  });
});
