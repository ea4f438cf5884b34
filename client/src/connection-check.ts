/** "Check session storage connection": asks the language server to contact the session store's servers, only on this explicit command; refused in untrusted workspaces and when `connectionCheck.enabled` is off. */
import * as vscode from 'vscode';
import {
  CHECK_CONNECTION_REQUEST,
  EXTENSION_ID,
  SETTING_CONNECTION_CHECK_ENABLED,
  type CheckConnectionParams,
  type CheckConnectionResult,
} from '../../common/protocol';
import type { ServerConnection } from './server-connection';

/** What the command returns (the editor tests read it). */
export type CheckConnectionOutcome =
  | CheckConnectionResult
  | { readonly status: 'untrusted' | 'no-server' | 'cancelled'; readonly message?: string };

const UNTRUSTED_MESSAGE =
  'Django Session Lint: the connection check contacts the servers named in these settings, so it is not run in an untrusted workspace. Nothing was contacted. Trust the workspace to use it.';

function enabled(uri: vscode.Uri): boolean {
  return (
    vscode.workspace
      .getConfiguration(EXTENSION_ID, uri)
      .get<boolean>(SETTING_CONNECTION_CHECK_ENABLED, true) !== false
  );
}

/** The command's second argument: `{ login: true }` logs in to the databases (else the `connectionCheck.login` setting decides). */
export interface CheckConnectionOptions {
  readonly login?: boolean;
}

export function checkConnectionOptions(arg: unknown): CheckConnectionOptions {
  if (typeof arg !== 'object' || arg === null) return {};
  const login = (arg as Record<string, unknown>)['login'];
  return typeof login === 'boolean' ? { login } : {};
}

export async function checkConnection(
  server: ServerConnection,
  uri: vscode.Uri,
  options: CheckConnectionOptions = {},
): Promise<CheckConnectionOutcome> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
    return { status: 'untrusted', message: UNTRUSTED_MESSAGE };
  }
  // Nothing below runs in an untrusted workspace: no server start, no request.
  if (!enabled(uri)) {
    void vscode.window.showInformationMessage(
      `Django Session Lint: the connection check is turned off (setting ${EXTENSION_ID}.${SETTING_CONNECTION_CHECK_ENABLED}).`,
    );
    return { status: 'disabled', ok: 0, failed: 0, notChecked: 0, markdown: '' };
  }
  const client = server.running ?? (await server.start());
  if (!client) return { status: 'no-server' };
  const params: CheckConnectionParams = {
    uri: client.code2ProtocolConverter.asUri(uri),
    // The server refuses too when told the workspace is untrusted (trust may have changed since the check above).
    trusted: vscode.workspace.isTrusted,
    ...(options.login !== undefined ? { login: options.login } : {}),
  };
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Django Session Lint: checking the session storage connection…',
      cancellable: true,
    },
    (_progress, token) =>
      client.sendRequest<CheckConnectionResult | null>(CHECK_CONNECTION_REQUEST, params, token).then(
        (r) => r ?? undefined,
        () => undefined,
      ),
  );
  if (!result) return { status: 'cancelled' };
  if (result.status !== 'checked') {
    void vscode.window.showInformationMessage(
      `Django Session Lint: ${result.markdown.replace(/^#.*\n+/, '').trim()}`,
    );
    return result;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  const summary = `${result.ok} reachable, ${result.failed} failed, ${result.notChecked} not checked`;
  if (result.failed > 0) void vscode.window.showWarningMessage(`Django Session Lint: ${summary}.`);
  else void vscode.window.setStatusBarMessage(`Django Session Lint: ${summary}`, 5000);
  return result;
}
