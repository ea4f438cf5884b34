/** The language client's lifecycle: started lazily for the first settings document, restarted on demand; never runs the server for unrelated Python. */
import * as vscode from 'vscode';
import { LAYERS_CHANGED_NOTIFICATION } from '../../common/protocol';
import { layersMiddleware } from './layers';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { EXTENSION_ID } from '../../common/protocol';
import { SERVER_NODE_FLAGS, SERVER_START } from '../../common/server-start';
import {
  buildDocumentSelector,
  isSettingsDocument,
  readFilePatterns,
  type SettingsFileFilter,
} from './document-selector';

export type ServerState = 'notStarted' | 'starting' | 'running' | 'stopped';

/** Files whose changes on disk the server must hear about: other layers and version pins. */
const WATCHED_FILES =
  '**/{*settings*.py,settings/*.py,local_settings,local_settings.d/**/*.py,requirements*.txt,requirements/*.txt,pyproject.toml,setup.cfg,Pipfile,Pipfile.lock,poetry.lock,uv.lock}';

export class ServerConnection implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private selector: SettingsFileFilter[] = buildDocumentSelector(readFilePatterns());
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  /** One watcher for the extension's lifetime: vscode-languageclient does not dispose watchers it is given. */
  private readonly watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES);
  private readonly layersEmitter = new vscode.EventEmitter<string[]>();
  private readonly disposables: vscode.Disposable[] = [this.stateEmitter, this.layersEmitter, this.watcher];
  private current: ServerState = 'notStarted';

  /** Fires on every state change (not started → starting → running → stopped). */
  readonly onDidChangeState = this.stateEmitter.event;
  /** The server analysed a project again: the URIs of its open documents (LAYERS_CHANGED_NOTIFICATION). */
  readonly onLayersChanged = this.layersEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.startIfNeeded(doc)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.startIfNeeded(e.document)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${EXTENSION_ID}.filePatterns`)) void this.onPatternsChanged();
      }),
    );
  }

  get state(): ServerState {
    return this.current;
  }

  /** The running client, or undefined (nothing is started by asking). */
  get running(): LanguageClient | undefined {
    return this.client && this.client.state === State.Running ? this.client : undefined;
  }

  documentSelector(): vscode.DocumentSelector {
    return this.selector;
  }

  isSettingsDocument(doc: vscode.TextDocument): boolean {
    return isSettingsDocument(this.selector, doc);
  }

  /** Starts the server when one of the already open documents is a settings file. */
  startForOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) if (this.startIfNeeded(doc)) return;
  }

  private startIfNeeded(doc: vscode.TextDocument): boolean {
    if (this.client || this.starting || !this.isSettingsDocument(doc)) return false;
    void this.start();
    return true;
  }

  /** Starts the server (once); resolves with the running client, or undefined when it could not start. */
  start(): Promise<LanguageClient | undefined> {
    // A start under way (say, one a document opened during a restart began) is awaited, not returned half-started:
    // its client is set before it runs.
    if (this.starting) return this.starting;
    if (this.client) return Promise.resolve(this.client);
    this.starting = this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private setState(state: ServerState): void {
    if (state === this.current) return;
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async doStart(): Promise<LanguageClient | undefined> {
    // The server's start entry loads its bundle through a V8 code cache (server/src/lsp/start.ts); node runs it
    // with the server's flags, as every client starts it (common/server-start.ts).
    const module = this.context.asAbsolutePath(SERVER_START);
    const execArgv = [...SERVER_NODE_FLAGS];
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv } },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: [...execArgv, '--nolazy', '--inspect=6011'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...this.selector],
      outputChannel: this.output,
      traceOutputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      synchronize: {
        configurationSection: EXTENSION_ID,
        fileEvents: this.watcher,
      },
      // Hovers carry documentation links only; no command links are trusted.
      markdown: { isTrusted: false, supportHtml: false },
      middleware: layersMiddleware,
      // The layers view refreshes on the server's word; Go to Definition of a built-in default opens a
      // DEFAULTS_SCHEME document (DefaultsDocumentProvider).
      initializationOptions: { layersChanged: true, defaultsDocuments: true },
    };
    // The id makes vscode-languageclient read `djangoSessionLint.trace.server`.
    const client = new LanguageClient(EXTENSION_ID, 'Django Session Lint', serverOptions, clientOptions);
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.setState('running');
      else if (e.newState === State.Starting) this.setState('starting');
      else if (this.client === client) this.setState('stopped');
    });
    this.client = client;
    this.setState('starting');
    try {
      await client.start();
      client.onNotification(LAYERS_CHANGED_NOTIFICATION, (p: { uris?: unknown }) => {
        if (Array.isArray(p.uris))
          this.layersEmitter.fire(p.uris.filter((u): u is string => typeof u === 'string'));
      });
      this.output.info(`language server started (${module})`);
      return client;
    } catch (err) {
      this.output.error(
        `the language server did not start: ${err instanceof Error ? err.message : String(err)}`,
      );
      this.client = undefined;
      this.setState('stopped');
      void client.dispose().catch(() => undefined);
      return undefined;
    }
  }

  /** Stops and starts the server again (or just starts it when it is not running). */
  async restart(): Promise<LanguageClient | undefined> {
    if (this.starting) await this.starting;
    const old = this.client;
    this.client = undefined;
    if (old) {
      this.setState('stopped');
      await old.dispose().catch((err: unknown) => this.output.warn(`stopping the server: ${String(err)}`));
    }
    return this.start();
  }

  private async onPatternsChanged(): Promise<void> {
    this.selector = buildDocumentSelector(readFilePatterns());
    // The selector is fixed when a client is created: a running server gets a new client.
    if (this.client || this.starting) await this.restart();
    else this.startForOpenDocuments();
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting;
    const old = this.client;
    this.client = undefined;
    if (old) await old.dispose().catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
  }
}
