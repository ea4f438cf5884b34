/** The layers where you type, VS Code side: the open-location command CodeLenses and inlay hints run, and the middleware that runs it in the client instead of a server round trip. Renders only; the data is the server's. */
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { COMMAND_OPEN_LOCATION, SERVER_COMMAND_OPEN_LOCATION } from '../../common/protocol';

interface LspRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

function toRange(r: LspRange | undefined): vscode.Range | undefined {
  if (!r || typeof r.start?.line !== 'number' || typeof r.end?.line !== 'number') return undefined;
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** COMMAND_OPEN_LOCATION: `(uri: string, range?: LspRange)`; opens the file with the range selected. Only file URIs. */
export async function openLocation(uri: unknown, range?: unknown): Promise<boolean> {
  if (typeof uri !== 'string') return false;
  let target: vscode.Uri;
  try {
    target = vscode.Uri.parse(uri, true);
  } catch {
    return false;
  }
  if (target.scheme !== 'file') return false;
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
