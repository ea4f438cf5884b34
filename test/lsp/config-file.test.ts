/** The configuration file in the language server, over JSON-RPC: pyproject.toml's [tool.django-session-lint] changes the diagnostics, editing it re-diagnoses (watched files), editor settings override it when set, and its mistakes become a diagnostic on the file and a warning, never a crash. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DiagnosticSeverity,
  FileChangeType,
  MessageType,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { EFFECTIVE_CONFIGURATION_REQUEST, type EffectiveConfigurationResult } from '../../common/protocol';
import { codes, LspClient, uriOf } from './lsp-client';

/** DSL104 and, in production, DSL501. */
const SETTINGS = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
INSTALLED_APPS = ['django.contrib.sessions']
SESSION_COOKIE_SECURE = False
`;

const sorted = (p: PublishDiagnosticsParams): string[] => [...new Set(codes(p.diagnostics))].sort();

describe('lsp: configuration file', () => {
  let dir = '';
  let client: LspClient | undefined;

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-lsp-config-')));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app/settings.py'), SETTINGS);
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function changed(c: LspClient, file: string, type: FileChangeType): Promise<void> {
    await c.waitForRegistration('workspace/didChangeWatchedFiles');
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(file), type }],
    });
  }

  it('a pyproject.toml setting changes the diagnostics; editing the file re-diagnoses', async () => {
    const pyproject = path.join(dir, 'pyproject.toml');
    fs.writeFileSync(
      pyproject,
      '[project]\nname = "site"\n\n[tool.django-session-lint]\nprofile = "production"\n',
    );
    client = await LspClient.start({ root: dir });
    const uri = client.open(path.join(dir, 'app/settings.py'));
    const first = await client.waitForDiagnostics(uri);
    assert.deepEqual(sorted(first), ['DSL104', 'DSL501']);

    fs.writeFileSync(
      pyproject,
      '[project]\nname = "site"\n\n[tool.django-session-lint]\nprofile = "production"\nignore = ["DSL501"]\n',
    );
    await changed(client, pyproject, FileChangeType.Changed);
    await client.waitForDiagnostics(uri, (p) => sorted(p).join() === 'DSL104');

    // A development profile turns DSL501 off, DSL104 down to information.
    fs.writeFileSync(pyproject, '[tool.django-session-lint]\nprofile = "development"\n');
    await changed(client, pyproject, FileChangeType.Changed);
    // (A publish from before the file was read again may come first: wait for the one under the new profile.)
    const dev = await client.waitForDiagnostics(
      uri,
      (p) => p.diagnostics.find((d) => d.code === 'DSL104')?.severity === DiagnosticSeverity.Information,
    );
    assert.deepEqual(sorted(dev), ['DSL104'], 'DSL501 is off in development');
  });

  it('a client that does not answer workspace/configuration is not waited for past 10 s; a late answer then applies', async function () {
    this.timeout(60_000);
    client = await LspClient.start({
      root: dir,
      settings: { profile: 'development' },
      configurationAnswer: { afterMs: 12_000 },
    });
    const uri = client.open(path.join(dir, 'app/settings.py'));
    // Analysed with the defaults (profile auto: DEBUG is unset, so production) before the answer comes.
    const first = await client.waitForDiagnostics(uri, () => true, 30_000);
    assert.deepEqual(sorted(first), ['DSL104', 'DSL501']);
    assert.ok(
      client.logs.some((l) => l.includes('workspace/configuration not answered within 10 s')),
      client.logs.join('\n'),
    );
    // The answer (development: DSL501 off, DSL104 information) is applied when it comes.
    const dev = await client.waitForDiagnostics(
      uri,
      (p) => p.diagnostics.find((d) => d.code === 'DSL104')?.severity === DiagnosticSeverity.Information,
      30_000,
    );
    assert.deepEqual(sorted(dev), ['DSL104']);
  });

  it('a client that never answers workspace/configuration still gets diagnostics and commands', async function () {
    this.timeout(60_000);
    client = await LspClient.start({ root: dir, configurationAnswer: 'never' });
    const uri = client.open(path.join(dir, 'app/settings.py'));
    // A command sent right away waits for the project and its settings, which stop waiting after 10 s.
    const effective = (await client.connection.sendRequest(EFFECTIVE_CONFIGURATION_REQUEST, {
      uri,
    })) as EffectiveConfigurationResult | null;
    assert.ok(effective?.storage.label, `no project for a file just opened: ${JSON.stringify(effective)}`);
    assert.deepEqual(sorted(await client.waitForLatestDiagnostics(uri)), ['DSL104', 'DSL501']);
  });

  it('a .django-session-lint.toml that appears is read; editor settings set to a non-default value override it', async () => {
    client = await LspClient.start({ root: dir, settings: { profile: 'production' } });
    const uri = client.open(path.join(dir, 'app/settings.py'));
    assert.deepEqual(sorted(await client.waitForDiagnostics(uri)), ['DSL104', 'DSL501']);
    const standalone = path.join(dir, '.django-session-lint.toml');
    fs.writeFileSync(standalone, 'profile = "development"\nignore = ["DSL104"]\n');
    await changed(client, standalone, FileChangeType.Created);
    // ignore comes from the file (the editor left it at its default); the profile from the editor (production:
    // DSL501 stays; development would turn it off).
    await client.waitForDiagnostics(uri, (p) => sorted(p).join() === 'DSL501');
  });

  it('mistakes become a diagnostic on the configuration file and a warning; the valid keys still apply', async () => {
    const pyproject = path.join(dir, 'pyproject.toml');
    fs.writeFileSync(pyproject, '[tool.django-session-lint]\nprofile = "production"\nselct = ["DSL1"]\n');
    client = await LspClient.start({ root: dir });
    const uri = client.open(path.join(dir, 'app/settings.py'));
    const config = await client.waitForDiagnostics(uriOf(pyproject));
    assert.equal(config.diagnostics.length, 1);
    assert.equal(config.diagnostics[0]?.range.start.line, 2);
    assert.equal(
      config.diagnostics[0]?.message,
      "unknown key 'selct' in [tool.django-session-lint], did you mean 'select'?",
    );
    const warning = await client.waitForMessage((m) => m.message.includes("unknown key 'selct'"));
    assert.equal(warning.type, MessageType.Warning);
    assert.deepEqual(sorted(await client.waitForLatestDiagnostics(uri)), ['DSL104', 'DSL501']);

    fs.writeFileSync(pyproject, '[tool.django-session-lint]\nprofile = "production"\nselect = ["DSL1"]\n');
    await changed(client, pyproject, FileChangeType.Changed);
    await client.waitForDiagnostics(uriOf(pyproject), (p) => p.diagnostics.length === 0);
    await client.waitForDiagnostics(uri, (p) => sorted(p).join() === 'DSL104');

    fs.writeFileSync(pyproject, '[tool.django-session-lint\nprofile = "production"\n');
    await changed(client, pyproject, FileChangeType.Changed);
    const broken = await client.waitForDiagnostics(uriOf(pyproject), (p) => p.diagnostics.length > 0);
    assert.match(String(broken.diagnostics[0]?.message ?? ''), /^invalid TOML: /);
    assert.equal(broken.diagnostics[0]?.range.start.line, 0);
  });
});
