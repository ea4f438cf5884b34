/** The `djangoSessionLint/checkConnection` request: runs the connection check (server/src/connection/) for a document's project, only when asked, and refuses when the client says the workspace is untrusted, when `connectionCheck.enabled` is off and when the project's configuration file says `connection-check = false`; `login` (or the `connectionCheck.login` setting) logs in to the databases. */
import type { Connection } from 'vscode-languageserver/node';
import {
  CHECK_CONNECTION_REQUEST,
  EXTENSION_ID,
  SETTING_CONNECTION_CHECK_ENABLED,
  type CheckConnectionParams,
  type CheckConnectionResult,
} from '../../../common/protocol';
import {
  checkConnections,
  DEFAULT_TIMEOUT_MS,
  renderConnectionMarkdown,
  summarize,
} from '../connection/check';
import type { SettingsSource } from './configuration';
import { guarded } from './guard';
import type { Workspace } from './workspace';

const MAX_TIMEOUT_MS = 60_000;
const TITLE = '# Session storage connection check\n\n';

function nothing(status: CheckConnectionResult['status'], markdown: string): CheckConnectionResult {
  return { status, ok: 0, failed: 0, notChecked: 0, markdown };
}

export function registerConnectionCheck(
  connection: Connection,
  workspace: Workspace,
  settings: SettingsSource,
): void {
  connection.onRequest(
    CHECK_CONNECTION_REQUEST,
    guarded(
      connection,
      'connection check',
      nothing('no-project', '# Session storage connection check\n\nThe check failed; see the server log.\n'),
      async (params: CheckConnectionParams): Promise<CheckConnectionResult> => {
        // Refused before anything is read or analysed: the client says the workspace is not trusted.
        if (params.trusted === false)
          return nothing(
            'untrusted',
            `${TITLE}The workspace is not trusted: the connection check contacts the servers named in its settings, so it is refused. Nothing was contacted.\n`,
          );
        const current = await settings.settingsFor(params.uri);
        if (!current.connectionCheckEnabled)
          return nothing(
            'disabled',
            `${TITLE}Turned off by the setting \`${EXTENSION_ID}.${SETTING_CONNECTION_CHECK_ENABLED}\`: nothing was contacted.\n`,
          );
        const view = await workspace.analysisForCommand(params.uri);
        if (!view)
          return nothing(
            'no-project',
            `${TITLE}This file is not part of a settings project the server has analysed.\n`,
          );
        // The project's configuration file (merged into its settings) may turn it off too.
        const project = view.state.settings;
        if (project && !project.connectionCheckEnabled)
          return nothing(
            'disabled',
            project.connectionCheckOffBy
              ? `${TITLE}Turned off by \`connection-check = false\` in ${project.connectionCheckOffBy}: nothing was contacted.\n`
              : `${TITLE}Turned off by the setting \`${EXTENSION_ID}.${SETTING_CONNECTION_CHECK_ENABLED}\`: nothing was contacted.\n`,
          );
        const requested = params.timeoutMs;
        const timeoutMs =
          typeof requested === 'number' && Number.isFinite(requested)
            ? Math.min(MAX_TIMEOUT_MS, Math.max(10, Math.round(requested)))
            : DEFAULT_TIMEOUT_MS;
        const login = typeof params.login === 'boolean' ? params.login : current.connectionCheckLogin;
        const reports = await checkConnections(
          [{ root: view.analysis.summary.root, analysis: view.analysis }],
          { timeoutMs, login },
        );
        return { status: 'checked', ...summarize(reports), markdown: renderConnectionMarkdown(reports) };
      },
    ),
  );
}
