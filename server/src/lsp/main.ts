/** Language server (dist/server.js, started by `node dist/server-start.js --stdio` through a code cache, or IPC under VS Code): wires the connection, capabilities and handlers; holds no analysis logic. */
// First: tunes the heap before the rest of the server loads.
import { activity, afterAnalysis, youngGenerationCheck } from './heap';
import { fileURLToPath } from 'node:url';
import {
  type Connection,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { EXTENSION_ID } from '../../../common/protocol';
import { TOOL_NAME, TOOL_VERSION } from '../node/version';
import { CODE_ACTION_KINDS, EXTRA_COMMANDS, registerCodeActions, SERVER_COMMANDS } from './code-actions';
import { COMPLETION_TRIGGERS, registerCompletion } from './completion';
import { SettingsSource } from './configuration';
import { registerConnectionCheck } from './connection-check';
import { registerEffectiveConfiguration } from './effective-configuration';
import { guarded } from './guard';
import { registerHover } from './hover';
import { maskConsole } from './log';
import { LAYER_COMMANDS, registerLayers } from './layers';
import { DIAGNOSTIC_PROVIDER, PULL_COMMANDS, registerPullDiagnostics } from './pull-diagnostics';
import { registerTextSync } from './text-sync';
import { FramingGuard, ResponseTracker, SafeTextDocument } from './transport';
import { registerWatchedFiles, registerWatchers } from './watched-files';
import { Workspace } from './workspace';

// createConnection() picks the transport from the command line: --stdio, --node-ipc or --socket=N. Over stdio
// the input passes FramingGuard: a framing the JSON-RPC reader would hang on ends the input once the requests
// read before it are answered (ResponseTracker tells it which), and the server exits (1) so the editor restarts
// it, instead of a live process that never answers again.
function stdioConnection(): Connection {
  const guard = new FramingGuard((reason) => {
    process.stderr.write(`${TOOL_NAME} server: unusable message framing (${reason}); exiting\n`);
    process.exitCode = 1;
  });
  const output = new ResponseTracker(process.stdout, (id) => guard.answered(id));
  return createConnection(ProposedFeatures.all, process.stdin.pipe(guard), output);
}
const connection = process.argv.includes('--stdio')
  ? stdioConnection()
  : createConnection(ProposedFeatures.all);
// Every message from the client postpones the idle heap collection (heap.ts): a request never waits for it.
if (process.argv.includes('--stdio')) process.stdin.on('data', activity);
else process.on('message', activity);
maskConsole(connection.console);
const documents = new TextDocuments(SafeTextDocument);

let watchDynamically = false;
let configurationDynamically = false;

// Last resort: a bug outside a guarded handler is logged, never fatal to the editor session.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) =>
  connection.console.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
);

function rootOf(params: InitializeParams): string {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  if (uri?.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // Fall through to the working directory.
    }
  }
  return process.cwd();
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  const canPull = caps.workspace?.configuration === true;
  watchDynamically = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  configurationDynamically = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  const settings = new SettingsSource(connection, canPull);
  const ws = new Workspace(connection, settings, rootOf(params));
  ws.paused.push(youngGenerationCheck);
  ws.analysed.push((state) =>
    afterAnalysis(state.analysis?.model.files.reduce((n, f) => n + f.parsed.text.length, 0) ?? 0),
  );
  registerTextSync(connection, documents, ws);
  registerHover(connection, ws);
  registerCompletion(connection, ws);
  registerCodeActions(connection, ws, {
    resolveEdit: caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
    documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
  });
  registerEffectiveConfiguration(connection, ws);
  registerConnectionCheck(connection, ws, settings);
  registerLayers(connection, ws, {
    codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport === true,
    showDocument: caps.window?.showDocument?.support === true,
    layersChanged:
      (params.initializationOptions as { layersChanged?: unknown } | undefined)?.layersChanged === true,
    defaultsDocuments:
      (params.initializationOptions as { defaultsDocuments?: unknown } | undefined)?.defaultsDocuments ===
      true,
  });
  for (const [id, run] of Object.entries(LAYER_COMMANDS)) EXTRA_COMMANDS.set(id, (p) => run(connection, p));
  const pullCommands = registerPullDiagnostics(connection, ws, {
    refresh:
      caps.workspace?.diagnostics?.refreshSupport === true && caps.textDocument?.diagnostic !== undefined,
  });
  for (const [id, run] of Object.entries(pullCommands)) EXTRA_COMMANDS.set(id, () => run());
  registerWatchedFiles(connection, ws);
  settings.answeredLate = (scope, editor) => ws.settingsAnsweredLate(scope, editor);
  connection.onDidChangeConfiguration(
    guarded(connection, 'didChangeConfiguration', undefined, (p) => {
      settings.changed(p.settings);
      ws.configurationChanged();
    }),
  );
  return {
    capabilities: {
      textDocumentSync: {
        openClose: true,
        change: TextDocumentSyncKind.Incremental,
        save: { includeText: false },
      },
      hoverProvider: true,
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: true },
      executeCommandProvider: {
        commands: [...SERVER_COMMANDS, ...Object.keys(LAYER_COMMANDS), ...PULL_COMMANDS],
      },
      diagnosticProvider: DIAGNOSTIC_PROVIDER,
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: { resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      documentLinkProvider: { resolveProvider: false },
    },
    serverInfo: { name: TOOL_NAME, version: TOOL_VERSION },
  };
});

connection.onInitialized(() => {
  if (watchDynamically) void registerWatchers(connection);
  // Pull clients announce changes with an empty payload; ask to be told about changes to our section.
  if (configurationDynamically) {
    void connection.client
      .register(DidChangeConfigurationNotification.type, { section: EXTENSION_ID })
      .catch(() => undefined);
  }
});

documents.listen(connection);
connection.listen();
