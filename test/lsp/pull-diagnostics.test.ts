/**
 * Workspace diagnostics (workspace/diagnostic) when files appear while a pull is being computed: the editor
 * tests copy deployment layouts into the workspace while VS Code pulls every few seconds.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileChangeType, type WorkspaceDiagnosticReport } from 'vscode-languageserver/node';
import { REDISCOVER_AFTER_MS } from '../../server/src/lsp/pull-diagnostics';
import { LspClient, REPO_ROOT, uriOf } from './lsp-client';

let tmp: string;
let client: LspClient | undefined;

function write(rel: string, text: string): string {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

const DEBIAN_LOCAL = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";
/** kolla's config directory (config.json, _9998-kolla-settings.py, _9999-custom-settings.py): _9999's LocMemCache holds the sessions. */
const KOLLA = path.join(REPO_ROOT, 'test/fixtures/deployments/kolla-2024.1-custom-locmem/etc/kolla/horizon');

async function pull(c: LspClient): Promise<Map<string, WorkspaceDiagnosticReport['items'][number]>> {
  const r = (await c.connection.sendRequest('workspace/diagnostic', {
    previousResultIds: [],
  })) as WorkspaceDiagnosticReport;
  return new Map(r.items.map((i) => [i.uri, i]));
}

describe('workspace diagnostics while files appear', function () {
  this.timeout(30000);

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-pull-')));
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a layout copied in without any watcher event is reported once discovery expires', async () => {
    write('debian/local_settings.py', DEBIAN_LOCAL);
    const c = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
    });
    client = c;
    const custom = uriOf(path.join(tmp, 'kolla/horizon/_9999-custom-settings.py'));
    const first = await pull(c);
    assert.ok(first.has(uriOf(path.join(tmp, 'debian/local_settings.py'))));
    // The watcher misses the copy (no didChangeWatchedFiles at all): a folder copied in at once can reach the
    // server as the folder alone, which no file glob matches.
    fs.cpSync(KOLLA, path.join(tmp, 'kolla/horizon'), { recursive: true });
    assert.equal((await pull(c)).has(custom), false, 'within REDISCOVER_AFTER_MS the last discovery is kept');
    await new Promise((resolve) => setTimeout(resolve, REDISCOVER_AFTER_MS + 500));
    const later = await pull(c);
    const report = later.get(custom) as { items?: { code?: unknown }[] } | undefined;
    assert.ok(
      report?.items?.some((d) => d.code === 'DSL104'),
      `DSL104 of _9999 once discovery expired; got ${JSON.stringify(report)}`,
    );
  });

  it('a layout copied in while a pull is computed is reported by the next pull', async () => {
    write('debian/local_settings.py', DEBIAN_LOCAL);
    const c = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
    });
    client = c;
    const watch = await c.waitForRegistration('workspace/didChangeWatchedFiles');
    assert.ok(watch);
    // The pull asks for the settings of each project it analyses, after discovery: at that moment the layout is
    // copied in and the watcher's events sent, before the answer lets the pull go on (as a copy that lands while
    // VS Code's periodic pull is being computed).
    let copied = false;
    c.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      if (!copied) {
        copied = true;
        fs.cpSync(KOLLA, path.join(tmp, 'kolla/horizon'), { recursive: true });
        const files = fs.readdirSync(KOLLA).map((f) => path.join(tmp, 'kolla/horizon', f));
        void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
          changes: files.map((f) => ({ uri: uriOf(f), type: FileChangeType.Created })),
        });
      }
      return p.items.map(() => ({ djangoVersion: '4.2', horizonRelease: '2024.1' }));
    });
    const custom = uriOf(path.join(tmp, 'kolla/horizon/_9999-custom-settings.py'));
    const first = await pull(c);
    assert.ok(copied, 'the pull asked for settings');
    assert.ok(first.has(uriOf(path.join(tmp, 'debian/local_settings.py'))));
    // The first pull ran its discovery before the copy; the next one must find the layout.
    const next = await pull(c);
    const report = next.get(custom);
    assert.ok(report && report.kind === 'full', `no report for _9999 in ${JSON.stringify([...next.keys()])}`);
    assert.ok(
      report.items.some((d) => d.code === 'DSL104'),
      JSON.stringify(report.items),
    );
  });
});
