/** The layers where you type over JSON-RPC: CodeLens and inlay hints (with their off switch), the open-location command, Go to Definition, Find All References and document links, on a Debian-style Horizon layout. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  CodeLens,
  DocumentDiagnosticReport,
  DocumentLink,
  Hover,
  MarkupContent,
  WorkspaceDiagnosticReport,
  InlayHint,
  InlayHintLabelPart,
  Location,
  Position,
} from 'vscode-languageserver/node';
import {
  DEFAULTS_DOCUMENT_REQUEST,
  DEFAULTS_SCHEME,
  LAYERS_CHANGED_NOTIFICATION,
  LAYERS_REQUEST,
  SERVER_COMMAND_CHECK_WORKSPACE,
  SERVER_COMMAND_OPEN_LOCATION,
  type CheckWorkspaceResult,
  type DefaultsDocumentResult,
  type LayersResult,
} from '../../common/protocol';
import { LspClient, uriOf } from './lsp-client';

let tmp = '';
let client: LspClient | undefined;

const LOCAL = `DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '10.0.0.11:11211',
    },
}
SECRET_KEY = 'Xk3vQ9pL2mZ7rT5wY1nB8cF4hJ6dG0sA'
LOCAL_SETTINGS_D = '/DIR/local_settings.d'
`;

const SNIPPET = `# Debian's cache snippet
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
`;

const KEY_SNIPPET = `SECRET_KEY = 'Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF'\n`;

function write(rel: string, text: string): string {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

function positionOf(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

async function openDebian(settings: Record<string, unknown> = {}): Promise<{ c: LspClient; uri: string }> {
  const local = write('horizon/local_settings.py', LOCAL.replace('/DIR', path.join(tmp, 'horizon')));
  write('horizon/local_settings.d/_0006_debian_cache.py', SNIPPET);
  write('horizon/local_settings.d/_0100_key.py', KEY_SNIPPET);
  const c = await LspClient.start({
    root: tmp,
    settings: { djangoVersion: '4.2', horizonRelease: '2024.1', ...settings },
  });
  client = c;
  const uri = c.open(local);
  await c.waitForDiagnostics(uri);
  return { c, uri };
}

describe('layers where you type over LSP', function () {
  this.timeout(30000);

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-layers-')));
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('advertises CodeLens, inlay hints, definition, references, document links and the open-location command', async () => {
    const { c } = await openDebian();
    const caps = c.initializeResult?.capabilities;
    assert.deepEqual(caps?.codeLensProvider, { resolveProvider: false });
    assert.ok(caps?.inlayHintProvider);
    assert.equal(caps?.definitionProvider, true);
    assert.equal(caps?.referencesProvider, true);
    assert.ok(caps?.documentLinkProvider);
    assert.ok(caps?.executeCommandProvider?.commands.includes(SERVER_COMMAND_OPEN_LOCATION));
  });

  it("lenses local_settings.py's CACHES with the snippet that overrides it; the lens opens that line", async () => {
    const { c, uri } = await openDebian();
    const lenses = (await c.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri },
    })) as CodeLens[];
    const titles = lenses.map((l) => l.command?.title);
    const caches = lenses.find((l) => l.command?.title.startsWith('overridden by'));
    assert.ok(caches, JSON.stringify(titles));
    assert.equal(
      caches.command?.title,
      'overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache',
    );
    assert.equal(caches.range.start.line, positionOf(LOCAL, 'CACHES').line);
    assert.equal(caches.command?.command, SERVER_COMMAND_OPEN_LOCATION);
    const target = caches.command?.arguments?.[0] as { uri: string; range: { start: Position } };
    assert.equal(target.uri, uriOf(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py')));
    assert.equal(target.range.start.line, 1);
    // SECRET_KEY is overridden too: the lens names the file, never the key.
    const key = lenses.find((l) => l.range.start.line === positionOf(LOCAL, 'SECRET_KEY').line);
    const keyTitle = key?.command?.title ?? '';
    assert.ok(
      keyTitle.startsWith('overridden by local_settings.d/_0100_key.py:1 → '),
      JSON.stringify(titles),
    );
    assert.ok(!keyTitle.includes('Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF'), keyTitle);
    assert.ok(!keyTitle.includes('Xk3vQ9pL2mZ7rT5wY1nB8cF4hJ6dG0sA'), keyTitle);
    assert.ok(keyTitle.includes('*'), keyTitle);

    // Running the lens command: the server asks the client to show the document at that line.
    const shown = new Promise<{ uri: string; selection?: { start: Position } }>((resolve) =>
      c.connection.onRequest('window/showDocument', (p: { uri: string; selection?: { start: Position } }) => {
        resolve(p);
        return { success: true };
      }),
    );
    const result = await c.connection.sendRequest('workspace/executeCommand', {
      command: caches.command?.command,
      arguments: caches.command?.arguments,
    });
    assert.deepEqual(result, { opened: true });
    const p = await shown;
    assert.equal(p.uri, target.uri);
    assert.equal(p.selection?.start.line, 1);
  });

  it("shows Horizon's defaults on the first line of a local_settings.py that does not set them", async () => {
    const local = write('horizon/local_settings.py', 'DEBUG = False\n');
    write('horizon/local_settings.d/.keep', '');
    const c = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
    });
    client = c;
    const uri = c.open(local);
    await c.waitForDiagnostics(uri);
    const lenses = (await c.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri },
    })) as CodeLens[];
    const engine = lenses.find((l) => l.command?.title.startsWith('SESSION_ENGINE'));
    assert.equal(engine?.command?.title, 'SESSION_ENGINE: cache — Horizon 2024.1 default');
    assert.equal(engine?.range.start.line, 0);
  });

  it('tells a snippet, on its first line, where the settings it does not set come from; inlineDefaults turns it off', async () => {
    const { c } = await openDebian();
    const snippet = path.join(tmp, 'horizon/local_settings.d/_0100_key.py');
    const uri = c.open(snippet);
    await c.waitForDiagnostics(uri);
    const lensesOf = async (): Promise<CodeLens[]> =>
      (await c.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    const lenses = await lensesOf();
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(
      lenses.every((l) => l.range.start.line === 0),
      JSON.stringify(titles),
    );
    const caches = lenses.find((l) => l.command?.title.startsWith('CACHES:'));
    assert.equal(
      caches?.command?.title,
      'CACHES: LocMemCache — local_settings.d/_0006_debian_cache.py:2 (overrides local_settings.py:3)',
    );
    // It opens the line that sets it.
    const target = caches.command?.arguments?.[0] as { uri: string; range: { start: Position } };
    assert.equal(target.uri, uriOf(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py')));
    assert.equal(target.range.start.line, 1);
    assert.ok(
      titles.includes('SESSION_SERIALIZER: PickleSerializer — Horizon 2024.1 default'),
      JSON.stringify(titles),
    );
    assert.ok(
      titles.includes('SESSION_ENGINE: cache — local_settings.py:2 (overrides the Horizon 2024.1 default)'),
      JSON.stringify(titles),
    );

    c.settings = { djangoVersion: '4.2', horizonRelease: '2024.1', inlineDefaults: false };
    let republished = c.waitForDiagnostics(uri);
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await republished;
    // An analysis under way when the configuration changed (the server runs it in time slices) may publish
    // first; the one with the new settings follows it.
    for (let i = 0; ; i++) {
      republished = c.waitForDiagnostics(uri);
      // Not awaited once the lenses are gone: its timeout then rejects unobserved.
      republished.catch(() => undefined);
      const now = await lensesOf();
      if (now.length === 0 || i >= 3) {
        assert.deepEqual(now, []);
        break;
      }
      await republished;
    }
  });

  it('shows inlay hints instead when inlineValues is inlayHint, and nothing when off', async () => {
    const { c, uri } = await openDebian({ inlineValues: 'inlayHint' });
    const hints = (await c.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
    })) as InlayHint[];
    const caches = hints.find((h) => h.position.line === positionOf(LOCAL, 'CACHES').line);
    assert.ok(caches, JSON.stringify(hints));
    const part = (caches.label as InlayHintLabelPart[])[0]!;
    assert.equal(part.value, 'overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache');
    assert.equal(part.location?.uri, uriOf(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py')));
    assert.equal(caches.position.character, 'CACHES = {'.length);
    const lenses = (await c.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri },
    })) as CodeLens[];
    assert.deepEqual(lenses, []);

    c.settings = { djangoVersion: '4.2', horizonRelease: '2024.1', inlineValues: 'off' };
    const republished = c.waitForDiagnostics(uri);
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // The configuration change is read, then the project analysed again and published.
    await republished;
    const after = async (): Promise<number> =>
      (
        (await c.connection.sendRequest('textDocument/inlayHint', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
        })) as InlayHint[]
      ).length;
    assert.equal(await after(), 0);
  });

  it('Go to Definition of CACHES lands on the snippet that wins; references list every layer in load order', async () => {
    const { c, uri } = await openDebian();
    const defs = (await c.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: positionOf(LOCAL, 'CACHES', 2),
    })) as Location[];
    assert.equal(defs.length, 1);
    assert.equal(defs[0]?.uri, uriOf(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py')));
    assert.deepEqual(defs[0]?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });

    const refs = (await c.connection.sendRequest('textDocument/references', {
      textDocument: { uri },
      position: positionOf(LOCAL, 'SECRET_KEY', 1),
      context: { includeDeclaration: true },
    })) as Location[];
    assert.deepEqual(
      refs.map((r) => [path.relative(tmp, new URL(r.uri).pathname), r.range.start.line]),
      [
        ['horizon/local_settings.py', positionOf(LOCAL, 'SECRET_KEY').line],
        ['horizon/local_settings.d/_0100_key.py', 0],
      ],
    );
  });

  it('Go to Definition of a built-in default (no Horizon settings.py here) opens its line in the defaults document, for clients that open those', async () => {
    const text =
      'DEBUG = False\nCSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE\nSESSION_TIMEOUT = SESSION_COOKIE_AGE\n';
    const local = write('horizon/local_settings.py', text);
    write('horizon/local_settings.d/.keep', '');
    const definitionOf = async (c: LspClient, uri: string, needle: string): Promise<Location[]> =>
      (await c.connection.sendRequest('textDocument/definition', {
        textDocument: { uri },
        position: positionOf(text, needle, 2),
      })) as Location[];
    const lineOf = async (c: LspClient, loc: Location | undefined): Promise<string | undefined> => {
      const doc = (await c.connection.sendRequest(DEFAULTS_DOCUMENT_REQUEST, {
        uri: loc?.uri ?? '',
      })) as DefaultsDocumentResult | null;
      return doc?.text.split('\n')[loc?.range.start.line ?? -1];
    };

    const c = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
      initializationOptions: { defaultsDocuments: true },
    });
    client = c;
    const uri = c.open(local);
    await c.waitForDiagnostics(uri);
    // Horizon's default (its table for 2024.1), then Django's (global_settings), each on its own line.
    const horizon = await definitionOf(c, uri, '= SESSION_COOKIE_SECURE');
    assert.equal(horizon.length, 1);
    assert.equal(horizon[0]?.uri, `${DEFAULTS_SCHEME}://built-in/horizon/2024.1/settings.py`);
    assert.equal(
      await lineOf(c, horizon[0]),
      'SESSION_COOKIE_SECURE = False  # openstack_dashboard/settings.py',
    );
    const django = await definitionOf(c, uri, '= SESSION_COOKIE_AGE');
    assert.equal(django[0]?.uri, `${DEFAULTS_SCHEME}://built-in/django/global_settings.py`);
    assert.equal(
      await lineOf(c, django[0]),
      'SESSION_COOKIE_AGE = 1209600  # django/conf/global_settings.py',
    );
    // A name this file sets still goes to its write; the first-line lens of a default opens the document too.
    const own = await definitionOf(c, uri, 'SESSION_TIMEOUT =');
    assert.equal(own[0]?.uri, uri);
    const lenses = (await c.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri },
    })) as CodeLens[];
    const engine = lenses.find((l) => l.command?.title.startsWith('SESSION_ENGINE:'));
    assert.equal(engine?.command?.command, SERVER_COMMAND_OPEN_LOCATION);
    const target = engine?.command?.arguments?.[0] as Location | undefined;
    assert.equal(
      await lineOf(c, target),
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'  # openstack_dashboard/settings.py",
    );
    assert.equal(
      await c.connection.sendRequest(DEFAULTS_DOCUMENT_REQUEST, {
        uri: `${DEFAULTS_SCHEME}://built-in/horizon/1999.1/settings.py`,
      }),
      null,
    );
    await c.stop();

    // A client that did not say it opens those documents gets no location (and a lens that is a label).
    const plain = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
    });
    client = plain;
    const plainUri = plain.open(local);
    await plain.waitForDiagnostics(plainUri);
    assert.deepEqual(await definitionOf(plain, plainUri, '= SESSION_COOKIE_SECURE'), []);
    const plainLenses = (await plain.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri: plainUri },
    })) as CodeLens[];
    assert.equal(
      plainLenses.find((l) => l.command?.title.startsWith('SESSION_ENGINE:'))?.command?.command,
      '',
    );
  });

  it('makes a local_settings.d path clickable (to its first snippet)', async () => {
    const { c, uri } = await openDebian();
    const links = (await c.connection.sendRequest('textDocument/documentLink', {
      textDocument: { uri },
    })) as DocumentLink[];
    assert.equal(links.length, 1, JSON.stringify(links));
    assert.equal(links[0]?.target, uriOf(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py')));
    assert.equal(links[0]?.range.start.line, positionOf(LOCAL, 'LOCAL_SETTINGS_D').line);
  });

  it('makes star imports, settings paths and includes clickable in a file of no analysed project; no link to what does not exist', async () => {
    write('lib/base.py', 'X = 1\n');
    write('lib/horizon.conf', 'Listen 80\n');
    write('lib/local_settings.d/_10_a.py', 'Y = 1\n');
    write('lib/local_settings.d/_05_b.py', 'Y = 2\n');
    const text = [
      'from .base import *',
      'from .missing import *',
      "exec(open('horizon.conf').read())",
      "SNIPPETS = './snippets/local_settings.d'",
      "OTHER = 'local_settings.d'",
      "GONE = '/nonexistent/local_settings.d'",
      '',
    ].join('\n');
    const file = write('lib/extra_settings_helper.py', text);
    const c = await LspClient.start({ root: tmp, settings: {} });
    client = c;
    const uri = c.open(file);
    const links = (await c.connection.sendRequest('textDocument/documentLink', {
      textDocument: { uri },
    })) as DocumentLink[];
    assert.deepEqual(
      links.map((l) => [l.range.start.line, path.relative(tmp, new URL(l.target!).pathname)]),
      [
        [0, 'lib/base.py'],
        [2, 'lib/horizon.conf'],
        // A directory: its first .py file in sorted order.
        [4, 'lib/local_settings.d/_05_b.py'],
      ],
    );
    assert.deepEqual(links[0]?.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 10 } });
  });

  it('answers the layers view: load order, the settings each layer sets, the effective one marked, masked', async () => {
    const { c, uri } = await openDebian();
    const r = (await c.connection.sendRequest(LAYERS_REQUEST, { uri })) as LayersResult;
    assert.equal(r.summary, 'Horizon 2024.1 · Django 4.2 · production');
    assert.deepEqual(
      r.layers.map((l) => l.label),
      [
        'Django 4.2 defaults',
        'Horizon 2024.1 defaults (built in)',
        'local_settings.py',
        'local_settings.d/_0006_debian_cache.py',
        'local_settings.d/_0100_key.py',
      ],
    );
    const local = r.layers[2]!;
    assert.equal(local.uri, uri);
    const caches = local.settings.find((s) => s.label === 'CACHES');
    assert.equal(caches?.effective, false);
    // What this layer set; the note says who wins.
    assert.equal(caches?.value, 'PyMemcacheCache');
    assert.equal(caches?.note, 'overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache');
    assert.equal(caches?.range?.start.line, positionOf(LOCAL, 'CACHES').line);
    const engine = local.settings.find((s) => s.label === 'SESSION_ENGINE');
    assert.deepEqual([engine?.value, engine?.effective], ['cache', true]);
    // The built-in defaults list what they set, marked overridden by what wins.
    const horizonCaches = r.layers[1]!.settings.find((s) => s.label === 'CACHES');
    assert.deepEqual(
      [horizonCaches?.value, horizonCaches?.effective, horizonCaches?.note],
      ['PyMemcacheCache', false, 'overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache'],
    );
    assert.equal(horizonCaches?.uri, uriOf(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py')));
    const cookieName = r.layers[0]!.settings.find((s) => s.label === 'SESSION_COOKIE_NAME');
    assert.deepEqual([cookieName?.value, cookieName?.effective], ["'sessionid'", true]);
    const key = r.layers[4]!.settings.find((s) => s.label === 'SECRET_KEY');
    assert.equal(key?.effective, true);
    assert.ok(!JSON.stringify(r).includes('Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF'), JSON.stringify(key));
    assert.ok(!JSON.stringify(r).includes('Xk3vQ9pL2mZ7rT5wY1nB8cF4hJ6dG0sA'));
  });

  it('sends layersChanged after each analysis to a client that asks for it', async () => {
    const local = write('horizon/local_settings.py', LOCAL);
    write('horizon/local_settings.d/.keep', '');
    const c = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
      initializationOptions: { layersChanged: true },
    });
    client = c;
    const changed = new Promise<{ uris: string[] }>((resolve) =>
      c.connection.onNotification(LAYERS_CHANGED_NOTIFICATION, (p: { uris: string[] }) => resolve(p)),
    );
    const uri = c.open(local);
    assert.deepEqual((await changed).uris, [uri]);
  });

  it('explains a diagnostic in the hover: the effective chain in one line', async () => {
    const { c, uri } = await openDebian();
    const published = await c.waitForLatestDiagnostics(uri, (p) =>
      p.diagnostics.some((d) => d.code === 'DSL104'),
    );
    const d = published.diagnostics.find((x) => x.code === 'DSL104')!;
    const h = (await c.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: d.range.start,
    })) as Hover;
    const md = (h.contents as MarkupContent).value.replace(/\\/g, '');
    assert.ok(
      md.includes(
        "**DSL104** SESSION_ENGINE cache (local_settings.py:2) → alias 'default' → LocMemCache (local_settings.d/_0006_debian_cache.py:4)",
      ),
      md,
    );
  });

  it('pulls the problems of settings files that are not open (workspace/diagnostic), none twice', async () => {
    const { c, uri } = await openDebian();
    const snippetUri = uriOf(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py'));
    const report = (await c.connection.sendRequest('workspace/diagnostic', {
      previousResultIds: [],
    })) as WorkspaceDiagnosticReport;
    const byUri = new Map(report.items.map((i) => [i.uri, i]));
    const snippet = byUri.get(snippetUri);
    assert.ok(snippet && snippet.kind === 'full', JSON.stringify(report.items.map((i) => i.uri)));
    assert.ok(
      snippet.items.some((d) => d.code === 'DSL104'),
      JSON.stringify(snippet.items),
    );
    // The open document's problems are pushed; its pull report is empty.
    const open = byUri.get(uri);
    assert.ok(open && open.kind === 'full');
    assert.deepEqual(open.items, []);
    // Nothing changed: the next pull says so.
    const again = (await c.connection.sendRequest('workspace/diagnostic', {
      previousResultIds: report.items.map((i) => ({ uri: i.uri, value: i.resultId ?? '' })),
    })) as WorkspaceDiagnosticReport;
    assert.ok(again.items.every((i) => i.kind === 'unchanged'));
    // The per-document pull of a closed file answers the same.
    const doc = (await c.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: snippetUri },
    })) as DocumentDiagnosticReport;
    assert.ok(doc.kind === 'full' && doc.items.some((d) => d.code === 'DSL104'));
    // An edit in the open local_settings.py changes the closed snippet's report at once: database sessions
    // make its LocMemCache nobody's sessions' business (the pull reads the editor's analysis of that version).
    const engine = positionOf(LOCAL, "'django.contrib.sessions.backends.cache'", 1);
    const version = c.change(uri, [
      {
        range: { start: engine, end: { line: engine.line, character: engine.character + 38 } },
        text: 'django.contrib.sessions.backends.db',
      },
    ]);
    await c.waitForVersion(uri, version);
    const edited = (await c.connection.sendRequest('workspace/diagnostic', {
      previousResultIds: [],
    })) as WorkspaceDiagnosticReport;
    const s1 = edited.items.find((i) => i.uri === snippetUri);
    assert.ok(s1 && s1.kind === 'full');
    assert.ok(!s1.items.some((d) => d.code === 'DSL104'), JSON.stringify(s1.items));
    // Edits to the snippet on disk show in the next pull.
    fs.writeFileSync(path.join(tmp, 'horizon/local_settings.d/_0006_debian_cache.py'), '# nothing\n');
    const after = (await c.connection.sendRequest('workspace/diagnostic', {
      previousResultIds: report.items.map((i) => ({ uri: i.uri, value: i.resultId ?? '' })),
    })) as WorkspaceDiagnosticReport;
    const s2 = after.items.find((i) => i.uri === snippetUri);
    assert.ok(s2 && s2.kind === 'full');
    assert.ok(!s2.items.some((d) => d.code === 'DSL104'));
  });

  it('"check all settings in workspace" publishes closed files\' problems to a client that does not pull', async () => {
    const { c } = await openDebian();
    const other = write(
      'other/local_settings.py',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'\n",
    );
    const otherUri = uriOf(other);
    const published = c.waitForDiagnostics(otherUri, (p) => p.diagnostics.some((d) => d.code === 'DSL101'));
    const r = (await c.connection.sendRequest('workspace/executeCommand', {
      command: SERVER_COMMAND_CHECK_WORKSPACE,
      arguments: [],
    })) as CheckWorkspaceResult;
    assert.equal(r.projects, 2);
    assert.ok(
      r.byFile.some((f) => f.uri === otherUri && f.problems >= 1),
      JSON.stringify(r),
    );
    assert.ok(r.problems >= 2);
    await published;
  });

  it('masks URL passwords a mutation shows in the view', async () => {
    const local = write(
      'horizon/local_settings.py',
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://:s3cretPw1@h:6379/1'}}\n",
    );
    write(
      'horizon/local_settings.d/_50_kolla.py',
      "CACHES['default']['LOCATION'] = 'redis://:0therPw2@h2:6379/1'\n",
    );
    const c = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1' },
    });
    client = c;
    const uri = c.open(local);
    await c.waitForDiagnostics(uri);
    const r = (await c.connection.sendRequest(LAYERS_REQUEST, { uri })) as LayersResult;
    const row = r.layers.at(-1)?.settings[0];
    assert.equal(row?.label, "CACHES['default']['LOCATION']");
    assert.ok(row?.value.startsWith("'redis://:") && row.value.includes('@h2:6379/1'), row?.value);
    const all = JSON.stringify(r);
    assert.ok(!all.includes('0therPw2') && !all.includes('s3cretPw1'), all);
    const lenses = (await c.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri },
    })) as CodeLens[];
    assert.equal(lenses[0]?.command?.title, 'changed by local_settings.d/_50_kolla.py:1 → RedisCache');
  });
});
