/** "Show effective session configuration": the server's custom request rendered as a read-only virtual document that follows edits. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  EFFECTIVE_CONFIGURATION_REQUEST,
  EFFECTIVE_CONFIGURATION_SCHEME,
  type EffectiveConfigurationParams,
  type EffectiveConfigurationResult,
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
  return client.sendRequest<EffectiveConfigurationResult | null>(EFFECTIVE_CONFIGURATION_REQUEST, params, token).then(
    (r) => r ?? undefined,
  );
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

/** Markdown from the rows, for a server that sends no `markdown` of its own. */
export function renderRows(result: EffectiveConfigurationResult, source: vscode.Uri): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `# Effective session configuration`,
    '',
    `For \`${source.fsPath}\` — ${result.summary}`,
    '',
    `**Session storage:** ${result.storage.label} (set by ${result.storage.setBy})`,
    '',
    '| Setting | Value | Layer | Set at |',
    '|---|---|---|---|',
    ...result.rows.map(
      (r) =>
        `| \`${cell(r.name)}\` | \`${cell(r.value)}\` | ${cell(r.layer)} | ${r.path ? cell(`${r.path}${r.line ? `:${r.line}` : ''}`) : '—'} |`,
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
      if (!result) return `# Effective session configuration\n\nThe language server is not running (see "Django Session Lint: Show output").\n`;
      return result.markdown && result.markdown.trim() !== '' ? result.markdown : renderRows(result, source);
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
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
}
