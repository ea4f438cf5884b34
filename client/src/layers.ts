/** The layers where you type, VS Code side: the open-location command CodeLenses and inlay hints run, the middleware that runs it in the client instead of a server round trip, and the read-only documents of built-in defaults. Renders only; the data is the server's. */
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import {
  COMMAND_OPEN_LOCATION,
  DEFAULTS_DOCUMENT_REQUEST,
  DEFAULTS_SCHEME,
  SERVER_COMMAND_OPEN_LOCATION,
  type DefaultsDocumentParams,
  type DefaultsDocumentResult,
} from '../../common/protocol';
import type { ServerConnection } from './server-connection';

interface LspRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

function toRange(r: LspRange | undefined): vscode.Range | undefined {
  if (!r || typeof r.start?.line !== 'number' || typeof r.end?.line !== 'number') return undefined;
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/**
 * COMMAND_OPEN_LOCATION: `(uri: string, range?: LspRange)`; opens the file with the range selected. Only file
 * URIs and the defaults documents.
 */
export async function openLocation(uri: unknown, range?: unknown): Promise<boolean> {
  if (typeof uri !== 'string') return false;
  let target: vscode.Uri;
  try {
    target = vscode.Uri.parse(uri, true);
  } catch {
    return false;
  }
  if (target.scheme !== 'file' && target.scheme !== DEFAULTS_SCHEME) return false;
  const selection = toRange(range as LspRange | undefined);
  await vscode.window.showTextDocument(target, { selection, preview: false });
  return true;
}

/** The server's open-location command, run in the client. */
function clientCommand(command: vscode.Command | undefined): vscode.Command | undefined {
  if (command?.command !== SERVER_COMMAND_OPEN_LOCATION) return command;
  const arg = command.arguments?.[0] as { uri?: unknown; range?: unknown } | undefined;
  return { title: command.title, command: COMMAND_OPEN_LOCATION, arguments: [arg?.uri, arg?.range] };
}

export const layersMiddleware: Middleware = {
  async provideCodeLenses(document, token, next) {
    const lenses = await next(document, token);
    for (const lens of lenses ?? []) lens.command = clientCommand(lens.command);
    return lenses;
  },
  async provideInlayHints(document, range, token, next) {
    const hints = await next(document, range, token);
    for (const hint of hints ?? []) {
      if (typeof hint.label === 'string') continue;
      for (const part of hint.label) part.command = clientCommand(part.command);
    }
    return hints;
  },
};

/**
 * Serves DEFAULTS_SCHEME documents (Django's and Horizon's built-in defaults, where Go to Definition of a default
 * lands when Horizon's settings.py is not installed): the text is the server's, read-only.
 */
export class DefaultsDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly server: ServerConnection) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const client = this.server.running ?? (await this.server.start());
    if (!client) return '# The language server is not running (see "Django Session Lint: Show output").\n';
    const params: DefaultsDocumentParams = { uri: uri.toString() };
    try {
      const r = await client.sendRequest<DefaultsDocumentResult | null>(
        DEFAULTS_DOCUMENT_REQUEST,
        params,
        token,
      );
      return r?.text ?? `# No built-in defaults are known for ${uri.path}.\n`;
    } catch (err) {
      return `# The language server could not answer: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }
}
