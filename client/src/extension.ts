/** VS Code entry point: commands, status bar and the lazily started language client; never imports the server or runs user code. */
import * as vscode from 'vscode';
import {
  CODE_ACTION_KIND_FIX_ALL,
  COMMAND_APPLY_SESSION_STORAGE,
  COMMAND_CHECK_CONNECTION,
  COMMAND_FIX_ALL,
  COMMAND_CHECK_WORKSPACE,
  COMMAND_OPEN_LOCATION,
  COMMAND_RESTART_SERVER,
  COMMAND_SHOW_LAYERS,
  COMMAND_SHOW_EFFECTIVE_CONFIGURATION,
  COMMAND_SHOW_OUTPUT,
  COMMAND_SHOW_RULE_DOCS,
  DEFAULTS_SCHEME,
  EFFECTIVE_CONFIGURATION_SCHEME,
  EXTENSION_ID,
  SERVER_COMMAND_CHECK_WORKSPACE,
  VIEW_SESSION_STORAGE,
  type CheckWorkspaceResult,
  type LayersResult,
  type SessionStorageTarget,
} from '../../common/protocol';
import {
  EffectiveConfigurationProvider,
  requestEffectiveConfiguration,
  showEffectiveConfiguration,
} from './effective-configuration';
import { checkConnection, checkConnectionOptions } from './connection-check';
import { DefaultsDocumentProvider, openLocation } from './layers';
import { LayersView } from './layers-view';
import { ServerConnection, type ServerState } from './server-connection';
import {
  applySessionStorage,
  isStorageTarget,
  pickSessionStorage,
  type ApplyStorageResult,
} from './session-storage-picker';
import { SessionStatusBar } from './status-bar';

/** What `activate` returns (`vscode.extensions.getExtension(...).exports`); the editor tests use it. */
export interface DjangoSessionLintApi {
  /** The status bar text for the active editor ('' when hidden), e.g. `Sessions: memcached (cache)`. */
  statusText(): string;
  /** The status bar tooltip (Markdown source), '' when hidden. */
  statusTooltip(): string;
  readonly onDidChangeStatus: vscode.Event<void>;
  /** `notStarted` until a settings file is opened: unrelated Python never starts the server. */
  serverState(): ServerState;
  readonly onDidChangeServerState: vscode.Event<ServerState>;
  /** Recomputes the status bar item now. */
  refreshStatus(): Promise<void>;
  /** What the "Session storage" view shows (undefined when no settings file is known). */
  layersView(): LayersResult | undefined;
  /** Fires after the "Session storage" view got new data. */
  readonly onDidRenderLayers: vscode.Event<void>;
}

/** "Check all settings in workspace": the server checks every settings file; the Problems panel lists them. */
async function checkWorkspace(server: ServerConnection): Promise<CheckWorkspaceResult | undefined> {
  const client = server.running ?? (await server.start());
  if (!client) return noSettingsFile();
  const result = await client.sendRequest<CheckWorkspaceResult | null>('workspace/executeCommand', {
    command: SERVER_COMMAND_CHECK_WORKSPACE,
    arguments: [],
  });
  if (!result) return undefined;
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  void vscode.window.setStatusBarMessage(
    `Django Session Lint: ${result.problems} problem${result.problems === 1 ? '' : 's'} in ${result.files} settings file${result.files === 1 ? '' : 's'} (${result.projects} project${result.projects === 1 ? '' : 's'})`,
    5000,
  );
  return result;
}

const CONTEXT_ACTIVE_SETTINGS_FILE = 'djangoSessionLint.activeSettingsFile';

let connection: ServerConnection | undefined;

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The settings file a command is about: its argument, else the active editor (or the file an effective-configuration view shows). */
function targetDocumentUri(server: ServerConnection, arg: unknown): vscode.Uri | undefined {
  const given = toUri(arg);
  if (given) return given;
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) return undefined;
  if (doc.uri.scheme === EFFECTIVE_CONFIGURATION_SCHEME && doc.uri.query) return toUri(doc.uri.query);
  return server.isSettingsDocument(doc) ? doc.uri : undefined;
}

function noSettingsFile(): undefined {
  void vscode.window.showInformationMessage(
    'Django Session Lint: open a Django or Horizon settings file first (see the "djangoSessionLint.filePatterns" setting).',
  );
  return undefined;
}

/** Applies the server's fix-all code action (kind source.fixAll.djangoSessionLint), as codeActionsOnSave would. */
async function fixAll(server: ServerConnection, uri: vscode.Uri): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!(await server.start())) return false;
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      whole,
      CODE_ACTION_KIND_FIX_ALL,
      // The server computes the fix-all edit in codeAction/resolve; resolve the first action.
      1,
    )) ?? [];
  const fixAllKind = vscode.CodeActionKind.Empty.append(CODE_ACTION_KIND_FIX_ALL);
  let applied = false;
  for (const action of actions) {
    if (!('kind' in action) || !action.kind || !fixAllKind.contains(action.kind)) continue;
    if (action.edit) applied = (await vscode.workspace.applyEdit(action.edit)) || applied;
    if (action.command) {
      await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      applied = true;
    }
    break;
  }
  if (!applied)
    void vscode.window.setStatusBarMessage('Django Session Lint: nothing to fix automatically', 3000);
  return applied;
}

/** Opens a rule's documentation; only web links, whatever the arguments say. */
async function showRuleDocs(code: unknown, url: unknown): Promise<boolean> {
  if (typeof url !== 'string') return false;
  let target: vscode.Uri;
  try {
    target = vscode.Uri.parse(url, true);
  } catch {
    return false;
  }
  if (target.scheme !== 'https' && target.scheme !== 'http') {
    connection?.output.warn(`not opening documentation link for ${String(code)}: ${url}`);
    return false;
  }
  return vscode.env.openExternal(target);
}

async function chooseSessionStorage(
  server: ServerConnection,
  uriArg: unknown,
  targetArg: unknown,
): Promise<ApplyStorageResult | undefined> {
  const uri = targetDocumentUri(server, uriArg);
  if (!uri) return noSettingsFile();
  let target: SessionStorageTarget | undefined = isStorageTarget(targetArg) ? targetArg : undefined;
  if (!target) {
    const current = await requestEffectiveConfiguration(server, uri).catch(() => undefined);
    target = await pickSessionStorage(current?.storage.label);
    if (!target) return undefined;
  }
  const result = await applySessionStorage(server, uri, target);
  if (!result.applied) {
    void vscode.window.showWarningMessage(
      `Django Session Lint: the session storage was not changed${result.message ? `: ${result.message}` : '.'}`,
    );
  }
  return result;
}

/** The extension's commands (package.json "contributes.commands"), each a thin call into the server. */
function registerCommands(
  server: ServerConnection,
  output: vscode.LogOutputChannel,
  layers: LayersView,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMAND_SHOW_EFFECTIVE_CONFIGURATION, async (arg?: unknown) => {
      const uri = targetDocumentUri(server, arg);
      return uri ? showEffectiveConfiguration(uri) : noSettingsFile();
    }),
    vscode.commands.registerCommand(COMMAND_APPLY_SESSION_STORAGE, (uri?: unknown, target?: unknown) =>
      chooseSessionStorage(server, uri, target),
    ),
    vscode.commands.registerCommand(COMMAND_FIX_ALL, async (arg?: unknown) => {
      const uri = targetDocumentUri(server, arg);
      return uri ? fixAll(server, uri) : noSettingsFile();
    }),
    vscode.commands.registerCommand(COMMAND_CHECK_CONNECTION, async (arg?: unknown, options?: unknown) => {
      const uri = targetDocumentUri(server, arg);
      return uri ? checkConnection(server, uri, checkConnectionOptions(options)) : noSettingsFile();
    }),
    vscode.commands.registerCommand(COMMAND_SHOW_RULE_DOCS, showRuleDocs),
    vscode.commands.registerCommand(COMMAND_OPEN_LOCATION, openLocation),
    vscode.commands.registerCommand(COMMAND_SHOW_LAYERS, async () => {
      await vscode.commands.executeCommand(`${VIEW_SESSION_STORAGE}.focus`);
      await layers.update();
      return layers.current !== undefined;
    }),
    vscode.commands.registerCommand(COMMAND_CHECK_WORKSPACE, () => checkWorkspace(server)),
    vscode.commands.registerCommand(COMMAND_RESTART_SERVER, async () => {
      output.info('restarting the language server');
      return (await server.restart()) !== undefined;
    }),
    vscode.commands.registerCommand(COMMAND_SHOW_OUTPUT, () => output.show(true)),
  ];
}

export function activate(context: vscode.ExtensionContext): DjangoSessionLintApi {
  const output = vscode.window.createOutputChannel('Django Session Lint', { log: true });
  const server = new ServerConnection(context, output);
  connection = server;
  const provider = new EffectiveConfigurationProvider(server);
  const status = new SessionStatusBar(server);
  const layers = new LayersView(server);
  const layersTree = vscode.window.createTreeView(VIEW_SESSION_STORAGE, {
    treeDataProvider: layers,
    showCollapseAll: true,
  });
  layers.view = layersTree;

  const updateContext = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand(
      'setContext',
      CONTEXT_ACTIVE_SETTINGS_FILE,
      !!doc && server.isSettingsDocument(doc),
    );
  };

  context.subscriptions.push(
    output,
    server,
    provider,
    status,
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_CONFIGURATION_SCHEME, provider),
    vscode.workspace.registerTextDocumentContentProvider(
      DEFAULTS_SCHEME,
      new DefaultsDocumentProvider(server),
    ),
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    layers,
    layersTree,
    ...registerCommands(server, output, layers),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(EXTENSION_ID)) {
        updateContext();
        status.schedule(300);
      }
    }),
  );
  updateContext();
  server.startForOpenDocuments();

  return {
    statusText: () => status.text,
    statusTooltip: () => status.tooltip,
    onDidChangeStatus: status.onDidChange,
    serverState: () => server.state,
    onDidChangeServerState: server.onDidChangeState,
    refreshStatus: () => status.update(),
    layersView: () => layers.current,
    onDidRenderLayers: layers.onDidRender,
  };
}

export async function deactivate(): Promise<void> {
  const c = connection;
  connection = undefined;
  await c?.stop();
}
