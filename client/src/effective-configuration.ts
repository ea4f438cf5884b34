/** "Show effective session configuration": the server's custom request rendered as a read-only virtual document that follows edits. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  EFFECTIVE_CONFIGURATION_REQUEST,
  EFFECTIVE_CONFIGURATION_SCHEME,
  type EffectiveConfigurationParams,
  type EffectiveConfigurationResult,
  type EffectiveConfigurationRow,
} from '../../common/protocol';
import type { ServerConnection } from './server-connection';

/** Asks the running server for the effective configuration of the project `uri` belongs to. */
export async function requestEffectiveConfiguration(
  server: ServerConnection,
  uri: vscode.Uri,
  token?: vscode.CancellationToken,
): Promise<EffectiveConfigurationResult | undefined> {
  const client = server.running ?? (await server.start());
  if (!client) return undefined;
  const params: EffectiveConfigurationParams = { uri: client.code2ProtocolConverter.asUri(uri) };
  return client
    .sendRequest<EffectiveConfigurationResult | null>(EFFECTIVE_CONFIGURATION_REQUEST, params, token)
    .then((r) => r ?? undefined);
}

/** The virtual document's URI: readable path (shown as the tab title), the source document in the query. */
export function effectiveConfigurationUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({
    scheme: EFFECTIVE_CONFIGURATION_SCHEME,
    path: `/Effective session configuration (${path.posix.basename(source.path)}).md`,
    query: source.toString(),
  });
}

function sourceOf(uri: vscode.Uri): vscode.Uri | undefined {
  try {
    return uri.query ? vscode.Uri.parse(uri.query, true) : undefined;
  } catch {
    return undefined;
  }
}

/** `horizon/local_settings.py:16` (workspace-relative when inside the workspace), or '' for defaults. */
export function whereSet(row: EffectiveConfigurationRow): string {
  if (!row.path) return '';
  const file = vscode.workspace.asRelativePath(vscode.Uri.file(row.path), false);
  return row.line ? `${file}:${row.line}` : file;
}

/** Human names of the server's layer ids. */
export function layerName(layer: string): string {
  switch (layer) {
    case 'django-defaults':
      return "Django's defaults";
    case 'horizon-defaults':
      return "Horizon's defaults";
    case 'settings':
      return 'settings';
    case 'local_settings':
      return 'local_settings';
    case 'local_settings.d':
      return 'local_settings.d snippet';
    default:
      return layer;
  }
}

/**
 * The document: every row with its value, the layer that set it and the file and line. Rendered here rather
 * than taken from the server's `markdown`, so that paths are workspace-relative and layer and line both show.
 */
export function renderDocument(result: EffectiveConfigurationResult, source: vscode.Uri): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const code = (s: string): string => (s.includes('`') ? cell(s) : `\`${cell(s)}\``);
  const engine = result.rows.find((r) => r.name === 'SESSION_ENGINE');
  const lines = [
    `# Effective session configuration`,
    '',
    `${vscode.workspace.asRelativePath(source, false)} — ${result.summary}`,
    '',
    `**Session storage:** ${result.storage.label}${engine ? ` (SESSION_ENGINE set by ${whereSet(engine) || layerName(engine.layer)})` : ''}`,
    '',
    'Read-only: values are what Django would see after every layer (secrets masked); nothing was executed.',
    '',
    '| Setting | Value | Layer | File:line |',
    '|---|---|---|---|',
    ...result.rows.map(
      (r) =>
        `| ${code(r.name)} | ${code(r.value)} | ${cell(layerName(r.layer))} | ${cell(whereSet(r)) || '—'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** Serves `django-session-lint:` documents; refreshes open ones when the server re-publishes diagnostics. */
export class EffectiveConfigurationProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly server: ServerConnection) {
    // A new analysis of any settings file can change another file's effective values (layers).
    this.disposables.push(
      vscode.languages.onDidChangeDiagnostics(() => this.scheduleRefresh()),
      vscode.workspace.onDidSaveTextDocument(() => this.scheduleRefresh()),
      server.onDidChangeState((s) => s === 'running' && this.scheduleRefresh()),
    );
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      for (const doc of vscode.workspace.textDocuments)
        if (doc.uri.scheme === EFFECTIVE_CONFIGURATION_SCHEME) this.changed.fire(doc.uri);
    }, 300);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const source = sourceOf(uri);
    if (!source) return '# Effective session configuration\n\nNo settings file given.\n';
    try {
      const result = await requestEffectiveConfiguration(this.server, source, token);
      if (!result)
        return `# Effective session configuration\n\nThe language server is not running (see "Django Session Lint: Show output").\n`;
      return renderDocument(result, source);
    } catch (err) {
      return `# Effective session configuration\n\nThe language server could not answer: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** Opens the effective configuration of `source` beside the editor (read-only: content providers are). */
export async function showEffectiveConfiguration(source: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(effectiveConfigurationUri(source));
  return vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.Beside,
    preview: true,
    preserveFocus: false,
  });
}
