/** Protocol tests: a real JSON-RPC client drives the bundled server (`node dist/server.js --stdio`) on temporary Horizon and Django layouts. */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionKind,
  createProtocolConnection,
  FileChangeType,
  IPCMessageReader,
  IPCMessageWriter,
  MessageType,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type MarkupContent,
  type Position,
} from 'vscode-languageserver/node';
import {
  CODE_ACTION_KIND_FIX_ALL,
  CODE_ACTION_KIND_SWITCH_STORAGE,
  COMMAND_SHOW_RULE_DOCS,
  EFFECTIVE_CONFIGURATION_REQUEST,
  SERVER_COMMAND_APPLY_SESSION_STORAGE,
  SERVER_COMMAND_FIX_ALL,
  type EffectiveConfigurationResult,
} from '../../common/protocol';
import { ruleUrl } from '../../server/src/core/analyze';
import { ENGINE_CACHE, findSessionEngine, PYMEMCACHE } from '../../server/src/core/knowledge';
import { assertPythonParses } from '../helpers/rule-harness';
import { SERVER_NODE_FLAGS } from '../../common/server-start';
import { codes, LspClient, SERVER_BUNDLE, uriOf } from './lsp-client';

let tmp = '';
let client: LspClient | undefined;

/** Writes files under the temp directory; a `$0` in a text marks a position, returned per file. */
function tree(entries: Record<string, string>): Record<string, Position> {
  const marks: Record<string, Position> = {};
  for (const [rel, content] of Object.entries(entries)) {
    const abs = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const at = content.indexOf('$0');
    const text = content.replace('$0', '');
    if (at >= 0) {
      const before = text.slice(0, at).split('\n');
      marks[rel] = { line: before.length - 1, character: before[before.length - 1]!.length };
    }
    fs.writeFileSync(abs, text);
  }
  return marks;
}

const at = (rel: string): string => path.join(tmp, rel);

/** The LSP range of the first `needle` in `text` (expectations name text, never hand-counted positions). */
function rangeIn(text: string, needle: string): { start: Position; end: Position } {
  const from = text.indexOf(needle);
  assert.ok(from >= 0, `${needle} not in text`);
  const pos = (offset: number): Position => {
    const lines = text.slice(0, offset).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  };
  return { start: pos(from), end: pos(from + needle.length) };
}

async function start(
  settings: Record<string, unknown> = {},
  opts: { resolveSupport?: boolean } = {},
): Promise<LspClient> {
  client = await LspClient.start({
    root: tmp,
    settings: { djangoVersion: '4.2', horizonRelease: '2024.2', ...settings },
    ...opts,
  });
  return client;
}

function byCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

const hasCode = (code: string) => (p: { diagnostics: Diagnostic[] }) =>
  p.diagnostics.some((d) => d.code === code);
const lacksCode = (code: string) => (p: { diagnostics: Diagnostic[] }) =>
  !p.diagnostics.some((d) => d.code === code);

const INVALID_ENGINE = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'

CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '10.0.0.11:11211',
        'OPTIONS': {'ignore_exc': True},
    },
}
`;

const MEMCACHED = `DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'

CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '10.0.0.11:11211',
        'OPTIONS': {'ignore_exc': True},
    },
}
`;

const LOCMEM_SNIPPET = `# Debian's packaged snippet
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
`;

describe('language server over stdio', function () {
  this.timeout(30000);

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-lsp-')));
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('initializes with incremental sync, hover, completion, code actions and server-only commands', async () => {
    const c = await start();
    const caps = c.initializeResult?.capabilities;
    assert.ok(caps);
    assert.deepEqual(caps.textDocumentSync, {
      openClose: true,
      change: TextDocumentSyncKind.Incremental,
      save: { includeText: false },
    });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ["'", '"']);
    const actions = caps.codeActionProvider;
    assert.ok(typeof actions === 'object');
    assert.deepEqual(actions.codeActionKinds, [
      CodeActionKind.QuickFix,
      CODE_ACTION_KIND_FIX_ALL,
      CODE_ACTION_KIND_SWITCH_STORAGE,
    ]);
    assert.equal(actions.resolveProvider, true);
    // Client command ids must not be claimed by the server (vscode-languageclient would register them).
    const commands = caps.executeCommandProvider?.commands ?? [];
    assert.deepEqual(commands.slice(0, 2), [SERVER_COMMAND_FIX_ALL, SERVER_COMMAND_APPLY_SESSION_STORAGE]);
    assert.ok(
      commands.every((id) => id.startsWith('djangoSessionLint.server.')),
      commands.join(', '),
    );
    assert.equal(c.initializeResult?.serverInfo?.name, 'django-session-lint');
    const watch = await c.waitForRegistration('workspace/didChangeWatchedFiles');
    const globs = (
      (watch as { registerOptions?: { watchers: { globPattern: string }[] } }).registerOptions?.watchers ?? []
    ).map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.py') && globs.includes('**/local_settings'), globs.join(', '));
  });

  it('also runs over node IPC (how VS Code starts it) and publishes diagnostics there', async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const child = fork(SERVER_BUNDLE, ['--node-ipc'], { silent: true, execArgv: [...SERVER_NODE_FLAGS] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const published = new Promise<{ diagnostics: Diagnostic[] }>((resolve) =>
        connection.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: Diagnostic[] }) =>
          resolve(p),
        ),
      );
      connection.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
        p.items.map(() => ({ djangoVersion: '4.2' })),
      );
      connection.listen();
      const result = (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: uriOf(tmp),
        capabilities: { workspace: { configuration: true } },
      })) as { capabilities: { hoverProvider?: boolean } };
      assert.equal(result.capabilities.hoverProvider, true);
      await connection.sendNotification('initialized', {});
      const uri = uriOf(at('horizon/local_settings.py'));
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'python', version: 1, text: INVALID_ENGINE },
      });
      assert.ok(codes((await published).diagnostics).includes('DSL101'));
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });

  it('publishes diagnostics for a local_settings.py of a Horizon layout, with codes, links and versions', async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    const published = await c.waitForDiagnostics(uri, hasCode('DSL101'));
    assert.equal(published.version, 1);
    const [d] = byCode(published.diagnostics, 'DSL101');
    assert.ok(d);
    assert.equal(d.source, 'django-session-lint');
    assert.equal(d.codeDescription?.href, ruleUrl('DSL101'));
    assert.deepEqual(
      d.range,
      rangeIn(INVALID_ENGINE, "'django.contrib.sessions.backends.cache.SessionStore'"),
    );
    assert.ok(!codes(published.diagnostics).includes('DSL001'));
  });

  it('hovers the SESSION_ENGINE value with the engine card', async () => {
    const marks = tree({
      'horizon/local_settings.py': MEMCACHED.replace("backends.cache'", "backends.ca$0che'"),
      'horizon/local_settings.d/.keep': '',
    });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri);
    const hover = (await c.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: marks['horizon/local_settings.py'],
    })) as Hover | null;
    assert.ok(hover, 'no hover');
    const markdown = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(markdown, /Session engine/);
    assert.ok(markdown.includes(findSessionEngine(ENGINE_CACHE)!.card.summary), markdown);
    assert.deepEqual(hover.range, rangeIn(MEMCACHED, `'${ENGINE_CACHE}'`));
  });

  it("completes cache backends inside 'BACKEND': '|' with an edit replacing the whole string", async () => {
    const text = "CACHES = {\n    'default': {\n        'BACKEND': '$0',\n    },\n}\n";
    const marks = tree({ 'horizon/local_settings.py': text, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri);
    const pos = marks['horizon/local_settings.py']!;
    const items = (await c.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: pos,
    })) as CompletionItem[];
    const item = items.find((i) => i.label === PYMEMCACHE);
    assert.ok(item, items.map((i) => i.label).join('\n'));
    assert.ok(item.textEdit && 'range' in item.textEdit);
    assert.deepEqual(item.textEdit.range, rangeIn(text.replace('$0', ''), "''"));
    assert.equal(item.textEdit.newText, `'${PYMEMCACHE}'`);
    assert.equal((item.documentation as MarkupContent).kind, 'markdown');
    // Applying it gives the literal once, quotes balanced.
    c.edit(uri, [item.textEdit]);
    assert.match(c.text(uri), new RegExp(`'BACKEND': '${PYMEMCACHE.replace(/\./g, '\\.')}',\n`));
  });

  it("applies DSL101's fix from Diagnostic.data; the diagnostic is gone after didChange", async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    const published = await c.waitForDiagnostics(uri, hasCode('DSL101'));
    const [d] = byCode(published.diagnostics, 'DSL101');
    const actions = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d!.range,
      context: { diagnostics: [d], only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title === `Use '${ENGINE_CACHE}'`);
    assert.ok(fix?.edit, actions.map((a) => a.title).join('\n'));
    assert.equal(fix.isPreferred, true);
    const docs = actions.find((a) => a.title === 'Show documentation for DSL101');
    assert.deepEqual(docs?.command, {
      title: 'Show documentation for DSL101',
      command: COMMAND_SHOW_RULE_DOCS,
      arguments: ['DSL101', ruleUrl('DSL101')],
    });
    assert.ok(actions.some((a) => a.title === 'Disable DSL101 for this line'));
    const version = c.edit(uri, LspClient.editsFor(fix.edit, uri));
    const after = await c.waitForVersion(uri, version);
    assert.deepEqual(byCode(after.diagnostics, 'DSL101'), []);
    assert.ok(c.text(uri).startsWith(`SESSION_ENGINE = '${ENGINE_CACHE}'\n`));

    // The old diagnostic's data was computed on version 1: it is rejected now.
    const stale = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d!.range,
      context: { diagnostics: [d], only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    assert.ok(!stale.some((a) => a.edit && a.title === fix.title), 'stale fix data was applied');
  });

  it('offers a quick fix only when re-analysing the whole project with it applied passes', async () => {
    const cacheDb =
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 't'}}\n";
    tree({ 'site/settings.py': cacheDb });
    const c = await start({ horizonRelease: '' });
    const uri = c.open(at('site/settings.py'));
    const ask = async (d: Diagnostic): Promise<CodeAction[]> =>
      (await c.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d], only: [CodeActionKind.QuickFix] },
      })) as CodeAction[];
    const isSwitch = (a: CodeAction): boolean => a.title.startsWith('Use the session engine');
    // Switching to the db engine would leave sessions without a database (DSL303): not offered.
    const [d] = byCode((await c.waitForDiagnostics(uri, hasCode('DSL107'))).diagnostics, 'DSL107');
    const before = await ask(d!);
    assert.ok(!before.some(isSwitch), before.map((a) => a.title).join('\n'));
    // With a database the same switch passes and is offered.
    const end = { line: 2, character: 0 };
    const version = c.edit(uri, [
      {
        range: { start: end, end },
        newText: "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'app'}}\n",
      },
    ]);
    const after = await c.waitForVersion(uri, version);
    const [d2] = byCode(after.diagnostics, 'DSL107');
    const offered = await ask(d2!);
    assert.ok(offered.some(isSwitch), offered.map((a) => a.title).join('\n'));
  });

  it('disables a code for one line with a comment', async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    const [d] = byCode((await c.waitForDiagnostics(uri, hasCode('DSL101'))).diagnostics, 'DSL101');
    const actions = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d!.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const disable = actions.find((a) => a.title === 'Disable DSL101 for this line');
    assert.ok(disable?.edit);
    const version = c.edit(uri, LspClient.editsFor(disable.edit, uri));
    const after = await c.waitForVersion(uri, version);
    assert.deepEqual(byCode(after.diagnostics, 'DSL101'), []);
    assert.ok(
      c.text(uri).split('\n')[0]!.endsWith("SessionStore'  # session-lint: ignore[DSL101]"),
      c.text(uri),
    );
  });

  it('re-diagnoses a settings file when the .env its Env.read_env() loads changes on disk', async () => {
    const settings = [
      'import environ',
      'env = environ.Env()',
      'environ.Env.read_env()',
      'DEBUG = False',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
      "CACHES = {'default': env.cache('CACHE_URL', default='pymemcache://10.0.0.5:11211')}",
      '',
    ].join('\n');
    tree({ 'shop/settings.py': settings, 'shop/.env': 'CACHE_URL=pymemcache://10.0.0.6:11211\n' });
    const c = await start({ horizonRelease: '' });
    const uri = c.open(at('shop/settings.py'));
    const before = await c.waitForDiagnostics(uri);
    assert.deepEqual(byCode(before.diagnostics, 'DSL104'), []);
    const watch = await c.waitForRegistration('workspace/didChangeWatchedFiles');
    const globs = (
      (watch as { registerOptions?: { watchers: { globPattern: string }[] } }).registerOptions?.watchers ?? []
    ).map((w) => w.globPattern);
    assert.ok(globs.includes('**/.env') && globs.includes('**/settings.ini'), globs.join(', '));
    // The host's .env now puts the cache in per-process memory.
    tree({ 'shop/.env': 'CACHE_URL=locmemcache://\n' });
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(at('shop/.env')), type: FileChangeType.Changed }],
    });
    const after = await c.waitForDiagnostics(uri, hasCode('DSL104'));
    assert.match(String(byCode(after.diagnostics, 'DSL104')[0]?.message ?? ''), /if CACHE_URL is unset/);
  });

  it('re-diagnoses the open local_settings.py when a local_settings.d snippet appears on disk', async () => {
    tree({
      'horizon/local_settings.py': MEMCACHED,
      'horizon/local_settings.d/_0001_debug.py': 'DEBUG = False\n',
    });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    const before = await c.waitForDiagnostics(uri);
    assert.deepEqual(byCode(before.diagnostics, 'DSL104'), []);
    await c.waitForRegistration('workspace/didChangeWatchedFiles');

    tree({ 'horizon/local_settings.d/_0006_debian_cache.py': LOCMEM_SNIPPET });
    const snippetUri = uriOf(at('horizon/local_settings.d/_0006_debian_cache.py'));
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: snippetUri, type: FileChangeType.Created }],
    });
    const after = await c.waitForDiagnostics(uri, hasCode('DSL104'));
    const mirrored = byCode(after.diagnostics, 'DSL104');
    assert.equal(mirrored.length, 1, 'shown once');
    // Shown on this file's CACHES, pointing at the snippet that really sets it.
    assert.deepEqual(mirrored[0]!.range, rangeIn(MEMCACHED, 'CACHES'));
    assert.equal(mirrored[0]!.relatedInformation?.[0]?.location.uri, snippetUri);
    // Its fix, carried in data, edits the snippet where the value really is.
    const actions = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: mirrored[0]!.range,
      context: { diagnostics: mirrored, only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.edit && !a.title.startsWith('Disable'));
    assert.ok(fix?.edit, actions.map((a) => a.title).join('\n'));
    assert.deepEqual(LspClient.urisOf(fix.edit), [snippetUri]);

    // The snippet changes on disk (not open): re-diagnosed again, DSL104 gone.
    fs.writeFileSync(at('horizon/local_settings.d/_0006_debian_cache.py'), '# emptied\n');
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: snippetUri, type: FileChangeType.Changed }],
    });
    await c.waitForDiagnostics(uri, lacksCode('DSL104'));
  });

  it('re-diagnoses dependents when an open snippet is edited (the editor text overrides the disk)', async () => {
    tree({
      'horizon/local_settings.py': MEMCACHED,
      'horizon/local_settings.d/_0006_debian_cache.py': '# nothing yet\n',
    });
    const c = await start();
    const local = c.open(at('horizon/local_settings.py'));
    const snippet = c.open(at('horizon/local_settings.d/_0006_debian_cache.py'));
    await c.waitForDiagnostics(local, lacksCode('DSL104'));
    c.change(snippet, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: LOCMEM_SNIPPET },
    ]);
    await c.waitForDiagnostics(local, hasCode('DSL104'));
    await c.waitForDiagnostics(snippet, hasCode('DSL104'));
    // Closed without saving: the disk text counts again.
    c.close(snippet);
    await c.waitForDiagnostics(local, lacksCode('DSL104'));
  });

  it('takes a snippet opened in the editor as a new layer, without a file-watching notification', async () => {
    tree({ 'horizon/local_settings.py': MEMCACHED, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const local = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(local, lacksCode('DSL104'));
    tree({ 'horizon/local_settings.d/_0006_debian_cache.py': LOCMEM_SNIPPET });
    c.open(at('horizon/local_settings.d/_0006_debian_cache.py'));
    await c.waitForDiagnostics(local, hasCode('DSL104'));
  });

  it('re-diagnoses a settings module when the base module it star-imports changes on disk', async () => {
    tree({
      'mysite/settings/base.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.1:11211', 'OPTIONS': {'ignore_exc': True}}}\n",
      'mysite/settings/production.py': 'from .base import *\n\nDEBUG = False\n',
    });
    const c = await start({ horizonRelease: '' });
    const uri = c.open(at('mysite/settings/production.py'));
    await c.waitForDiagnostics(uri, lacksCode('DSL104'));
    fs.writeFileSync(
      at('mysite/settings/base.py'),
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    );
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(at('mysite/settings/base.py')), type: FileChangeType.Changed }],
    });
    const after = await c.waitForDiagnostics(uri, hasCode('DSL104'));
    // Shown on the star import that brings the setting in.
    assert.equal(byCode(after.diagnostics, 'DSL104')[0]!.range.start.line, 0);
  });

  it("shows a per-host local_settings.py, opened alone, its importer's findings (no false DSL104)", async () => {
    tree({
      'mysite/settings.py':
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.1:11211', 'OPTIONS': {'ignore_exc': True}}}\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n",
      // Alone, cache sessions would run on Django's default LocMemCache.
      'mysite/local_settings.py':
        "DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
    });
    const c = await start({ horizonRelease: '' });
    const uri = c.open(at('mysite/local_settings.py'));
    await c.waitForDiagnostics(uri, lacksCode('DSL104'));
    // The importer's project reads the editor's text of the imported module.
    c.change(uri, [
      {
        range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
        text: "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
      },
    ]);
    await c.waitForDiagnostics(uri, hasCode('DSL104'));
  });

  it("analyses a kolla snippet opened alone with its directory's layers (TLS flags set in _9998)", async () => {
    tree({
      'etc/kolla/horizon/config.json': JSON.stringify({
        config_files: ['_9998-kolla-settings.py', '_9999-custom-settings.py'].map((n) => ({
          source: `/var/lib/kolla/config_files/${n}`,
          dest: `/etc/openstack-dashboard/local_settings.d/${n}`,
        })),
      }),
      'etc/kolla/horizon/_9998-kolla-settings.py':
        'DEBUG = False\nCSRF_COOKIE_SECURE = True\nSESSION_COOKIE_SECURE = True\n',
      'etc/kolla/horizon/_9999-custom-settings.py': 'SESSION_TIMEOUT = 7200\n',
    });
    const c = await start();
    const uri = c.open(at('etc/kolla/horizon/_9999-custom-settings.py'));
    const published = await c.waitForDiagnostics(uri);
    assert.deepEqual(
      codes(published.diagnostics).filter((code) => code === 'DSL501' || code === 'DSL504'),
      [],
    );
  });

  it('shows a base module, opened alone, the findings its importer causes there', async () => {
    tree({
      'proj/settings/base.py':
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
      'proj/settings/production.py':
        "from .base import *\n\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
    });
    const c = await start({ horizonRelease: '' });
    const uri = c.open(at('proj/settings/base.py'));
    // Alone, base.py keeps Django's database sessions: DSL104 exists only in production.py's project.
    await c.waitForDiagnostics(uri, hasCode('DSL104'));
  });

  it('warns with window/showMessage about an invalid setting and uses its default', async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const c = await start({ profile: 'strict' });
    const uri = c.open(at('horizon/local_settings.py'));
    const message = await c.waitForMessage((m) => m.message.includes('djangoSessionLint.profile'));
    assert.equal(message.type, MessageType.Warning);
    await c.waitForDiagnostics(uri, hasCode('DSL101'));
  });

  it('reports syntax errors only when djangoSessionLint.reportSyntaxErrors is set', async () => {
    tree({
      'horizon/local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nCACHES = {\n",
      'horizon/local_settings.d/.keep': '',
    });
    let c = await start();
    let uri = c.open(at('horizon/local_settings.py'));
    assert.ok(!codes((await c.waitForDiagnostics(uri)).diagnostics).includes('DSL001'));
    await c.stop();
    c = await start({ reportSyntaxErrors: true });
    uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri, hasCode('DSL001'));
  });

  it('re-reads settings on didChangeConfiguration', async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri, hasCode('DSL101'));
    c.settings = { ...c.settings, ignore: ['DSL101'] };
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.waitForDiagnostics(uri, lacksCode('DSL101'));
  });

  for (const resolveSupport of [true, false]) {
    it(`fixes all safe problems as source.fixAll.djangoSessionLint (${resolveSupport ? 'resolved lazily' : 'eager edit'})`, async () => {
      tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
      const c = await start({}, { resolveSupport });
      const uri = c.open(at('horizon/local_settings.py'));
      const before = await c.waitForDiagnostics(uri, hasCode('DSL101'));
      const unsafeBefore = codes(before.diagnostics).filter((code) => code === 'DSL501');
      const actions = (await c.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      })) as CodeAction[];
      assert.deepEqual(
        actions.map((a) => a.kind),
        [CODE_ACTION_KIND_FIX_ALL],
      );
      let action = actions[0]!;
      if (resolveSupport) {
        assert.equal(action.edit, undefined);
        action = (await c.connection.sendRequest('codeAction/resolve', action)) as CodeAction;
      }
      assert.ok(action.edit);
      const version = c.edit(uri, LspClient.editsFor(action.edit, uri));
      const after = await c.waitForVersion(uri, version);
      assert.deepEqual(byCode(after.diagnostics, 'DSL101'), []);
      // Unsafe fixes (SESSION_COOKIE_SECURE) are not part of fix-all unless unsafeFixes is set.
      assert.deepEqual(
        codes(after.diagnostics).filter((code) => code === 'DSL501'),
        unsafeBefore,
      );
      assertPythonParses(c.text(uri));
    });
  }

  it('offers fix-all only for fixes that pass whole-project verification', async () => {
    // The engine's safe fix (…cache.SessionStore → …cache) would put sessions in the LocMemCache below, a new
    // DSL104: verification refuses it, so there is nothing for fix-all although the diagnostic carries a fix.
    tree({
      'horizon/local_settings.py': `DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n`,
      'horizon/local_settings.d/.keep': '',
    });
    const c = await start({}, { resolveSupport: true });
    const uri = c.open(at('horizon/local_settings.py'));
    const diagnostics = await c.waitForDiagnostics(uri, hasCode('DSL101'));
    // The unverified diagnostic does carry the safe fix…
    const d101 = byCode(diagnostics.diagnostics, 'DSL101')[0];
    assert.ok(d101?.data, 'DSL101 carries its (unverified) fix');
    const actions = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    // …but fix-all, which applies verified fixes only, has nothing to do.
    assert.deepEqual(actions, []);
  });

  it('runs fix-all as a server command through workspace/applyEdit', async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri, hasCode('DSL101'));
    const result = (await c.connection.sendRequest('workspace/executeCommand', {
      command: SERVER_COMMAND_FIX_ALL,
      arguments: [{ uri }],
    })) as { applied: boolean };
    assert.equal(result.applied, true);
    await c.waitForDiagnostics(uri, lacksCode('DSL101'));
  });

  it('offers the storage refactors; the memcached switch lints clean of storage problems', async () => {
    const marks = tree({
      'horizon/local_settings.py':
        "DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.ca$0che'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
      'horizon/local_settings.d/.keep': '',
    });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri, hasCode('DSL104'));
    const pos = marks['horizon/local_settings.py']!;
    const actions = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: pos, end: pos },
      context: { diagnostics: [] },
    })) as CodeAction[];
    const refactors = actions.filter((a) => a.kind === CODE_ACTION_KIND_SWITCH_STORAGE).map((a) => a.title);
    assert.deepEqual(refactors, [
      'Switch session storage to memcached (PyMemcacheCache)',
      "Switch session storage to Redis (Django's RedisCache)",
      'Switch session storage to Redis (django-redis)',
      'Switch session storage to the database (MySQL)',
      'Switch session storage to the database (PostgreSQL)',
      'Switch session storage to cached_db (database with a shared cache)',
      'Switch session storage to files',
    ]);
    const memcached = actions.find((a) => a.title.startsWith('Switch session storage to memcached'))!;
    const resolved = (await c.connection.sendRequest('codeAction/resolve', memcached)) as CodeAction;
    assert.ok(resolved.edit);
    const version = c.edit(uri, LspClient.editsFor(resolved.edit, uri));
    const after = await c.waitForVersion(uri, version);
    const storageProblems = after.diagnostics.filter(
      (d) => (d.severity === 1 || d.severity === 2) && !/^DSL5/.test(String(d.code)),
    );
    assert.deepEqual(
      storageProblems.map((d) => `${d.range.start.line + 1} ${String(d.code)} ${d.message}`),
      [],
    );
    assertPythonParses(c.text(uri));
  });

  it('switches storage through the server command', async () => {
    tree({ 'horizon/local_settings.py': 'DEBUG = False\n', 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri);
    const result = (await c.connection.sendRequest('workspace/executeCommand', {
      command: SERVER_COMMAND_APPLY_SESSION_STORAGE,
      arguments: [{ uri, target: 'django-redis' }],
    })) as { applied: boolean; message: string };
    assert.equal(result.applied, true);
    assert.match(result.message, /django-redis/);
    assert.match(c.text(uri), /'BACKEND': 'django_redis\.cache\.RedisCache'/);
    const bad = (await c.connection.sendRequest('workspace/executeCommand', {
      command: SERVER_COMMAND_APPLY_SESSION_STORAGE,
      arguments: [{ uri, target: 'mongodb' }],
    })) as { applied: boolean };
    assert.equal(bad.applied, false);
  });

  it('answers djangoSessionLint/effectiveConfiguration with masked values and who set them', async () => {
    tree({
      'horizon/local_settings.py': `${MEMCACHED}DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'PASSWORD': 'hunter2-is-my-password'}}\n`,
      'horizon/local_settings.d/.keep': '',
    });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri);
    const result = (await c.connection.sendRequest(EFFECTIVE_CONFIGURATION_REQUEST, {
      uri,
    })) as EffectiveConfigurationResult;
    assert.equal(result.storage.label, 'memcached (cache)');
    assert.equal(result.storage.setBy, `${at('horizon/local_settings.py')}:2`);
    assert.match(result.summary, /Horizon 2024\.2 · Django 4\.2 · production/);
    const engine = result.rows.find((r) => r.name === 'SESSION_ENGINE');
    assert.deepEqual(engine, {
      name: 'SESSION_ENGINE',
      value: `'${ENGINE_CACHE}'`,
      layer: 'local_settings',
      path: at('horizon/local_settings.py'),
      line: 2,
    });
    assert.ok(result.rows.some((r) => r.name === 'CACHES.default.BACKEND' && r.value === `'${PYMEMCACHE}'`));
    const json = JSON.stringify(result);
    assert.ok(!json.includes('hunter2-is-my-password'), 'password leaked');
    assert.ok(result.rows.some((r) => r.name === 'DATABASES.default.PASSWORD'));
    assert.match(result.markdown, /^# Effective session configuration/);
  });

  it('answers effectiveConfiguration asked right after opening (the status bar) with the project, not null', async () => {
    tree({
      'horizon/local_settings.py': MEMCACHED,
      'horizon/local_settings.d/_0006_debian_cache.py': LOCMEM_SNIPPET,
    });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    // No wait for the analysis: the request comes while the file's project is still being found.
    const result = (await c.connection.sendRequest(EFFECTIVE_CONFIGURATION_REQUEST, {
      uri,
    })) as EffectiveConfigurationResult | null;
    assert.ok(result, 'no project for a file just opened');
    assert.ok(
      result.rows.some(
        (r) =>
          r.name === 'CACHES.default.BACKEND' &&
          r.path === at('horizon/local_settings.d/_0006_debian_cache.py'),
      ),
      JSON.stringify(result.rows),
    );
    // The analysis the request finished is published too.
    await c.waitForLatestDiagnostics(uri, hasCode('DSL104'));
  });

  it('never crashes on any text: garbage in, answers out', async () => {
    tree({ 'horizon/local_settings.py': INVALID_ENGINE, 'horizon/local_settings.d/.keep': '' });
    const c = await start();
    const uri = c.open(at('horizon/local_settings.py'));
    await c.waitForDiagnostics(uri, hasCode('DSL101'));
    const garbage = [
      '{{{{[[[(((',
      '\u0000\uffff\ud800',
      "CACHES = {'default': " + '['.repeat(500),
      'if x:\n\tpass\n  else:\n',
      '"""',
      "SESSION_ENGINE = f'{",
      '\\\n\\\n',
    ];
    let version = 1;
    for (const g of garbage) {
      version = c.change(uri, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: g },
      ]);
      for (const position of [
        { line: 0, character: 0 },
        { line: 0, character: 3 },
        { line: 500, character: 500 },
      ]) {
        await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
        await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
        await c.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: position, end: position },
          context: { diagnostics: [] },
        });
      }
    }
    await c.waitForVersion(uri, version);
    assert.equal(c.child.exitCode, null, 'server exited');
  });
});
