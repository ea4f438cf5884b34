/** The `djangoSessionLint/checkConnection` request: runs the connection check (server/src/connection/) for a document's project, only when asked, and refuses when `connectionCheck.enabled` is off. */
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
        const current = await settings.settingsFor(params.uri);
        if (!current.connectionCheckEnabled)
          return nothing(
            'disabled',
            `# Session storage connection check\n\nTurned off by the setting \`${EXTENSION_ID}.${SETTING_CONNECTION_CHECK_ENABLED}\`: nothing was contacted.\n`,
          );
        const view = workspace.analysisFor(params.uri);
        if (!view)
          return nothing(
            'no-project',
            '# Session storage connection check\n\nThis file is not part of a settings project the server has analysed.\n',
          );
        const requested = params.timeoutMs;
        const timeoutMs =
          typeof requested === 'number' && Number.isFinite(requested)
            ? Math.min(MAX_TIMEOUT_MS, Math.max(10, Math.round(requested)))
            : DEFAULT_TIMEOUT_MS;
        const reports = await checkConnections(
          [{ root: view.analysis.summary.root, analysis: view.analysis }],
          { timeoutMs },
        );
        return { status: 'checked', ...summarize(reports), markdown: renderConnectionMarkdown(reports) };
      },
    ),
  );
}
