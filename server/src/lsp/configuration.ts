/** User settings for a resource: pulled with workspace/configuration (section `djangoSessionLint`), validated with the CLI's zod schema; invalid keys fall back to defaults with a warning. No analysis here. */
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';
import {
  EXTENSION_ID,
  SETTING_CONNECTION_CHECK_ENABLED,
  SETTING_CONNECTION_CHECK_LOGIN,
  SETTING_REPORT_SYNTAX_ERRORS,
} from '../../../common/protocol';
import { DEFAULT_OPTIONS, parseOptions, type Options } from '../core/options';

export interface ServerSettings {
  readonly options: Options;
  /** Server-only: show DSL001 syntax errors (normally left to the editor's Python support). */
  readonly reportSyntaxErrors: boolean;
  /** `connectionCheck.enabled`: false refuses the connection check (nothing is contacted). */
  readonly connectionCheckEnabled: boolean;
  /** Where the configuration file turns the connection check off (`connection-check = false`), as `file:line`. */
  readonly connectionCheckOffBy?: string;
  /** `connectionCheck.login`: the check logs in to MySQL/MariaDB and PostgreSQL with DATABASES' USER/PASSWORD. */
  readonly connectionCheckLogin: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  options: DEFAULT_OPTIONS,
  reportSyntaxErrors: false,
  connectionCheckEnabled: true,
  connectionCheckLogin: false,
};

/** `{ connectionCheck: { enabled } }` as VS Code nests dotted keys, or the flat `'connectionCheck.enabled'`. */
function connectionCheckSetting(
  section: Record<string, unknown>,
  problems: string[],
): { enabled: boolean; login: boolean; rest: Record<string, unknown> } {
  const {
    connectionCheck: nested,
    [SETTING_CONNECTION_CHECK_ENABLED]: flat,
    [SETTING_CONNECTION_CHECK_LOGIN]: flatLogin,
    ...rest
  } = section;
  const read = (flatValue: unknown, key: string): unknown =>
    flatValue !== undefined
      ? flatValue
      : typeof nested === 'object' && nested !== null
        ? (nested as Record<string, unknown>)[key]
        : undefined;
  const raw = read(flat, 'enabled');
  const rawLogin = read(flatLogin, 'login');
  let login = false;
  if (typeof rawLogin === 'boolean') login = rawLogin;
  else if (rawLogin !== undefined && rawLogin !== null)
    // An invalid value never turns on a login.
    problems.push(`${SETTING_CONNECTION_CHECK_LOGIN}: expected true or false`);
  if (raw === undefined || raw === null) return { enabled: true, login, rest };
  if (typeof raw === 'boolean') return { enabled: raw, login, rest };
  problems.push(`${SETTING_CONNECTION_CHECK_ENABLED}: expected true or false`);
  // An invalid value must not turn on what the user may have meant to turn off.
  return { enabled: false, login, rest };
}

/** Validates a raw `djangoSessionLint` section; returns the settings and one readable problem per bad key. */
export function parseServerSettings(raw: unknown): { settings: ServerSettings; problems: string[] } {
  const section =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const connectionProblems: string[] = [];
  const connection = connectionCheckSetting(section, connectionProblems);
  const { [SETTING_REPORT_SYNTAX_ERRORS]: reportRaw, ...rest } = connection.rest;
  const { options, problems } = parseOptions(rest);
  problems.push(...connectionProblems);
  let reportSyntaxErrors = false;
  if (typeof reportRaw === 'boolean') reportSyntaxErrors = reportRaw;
  else if (reportRaw !== undefined && reportRaw !== null)
    problems.push(`${SETTING_REPORT_SYNTAX_ERRORS}: expected true or false`);
  return {
    settings: {
      options,
      reportSyntaxErrors,
      connectionCheckEnabled: connection.enabled,
      connectionCheckLogin: connection.login,
    },
    problems,
  };
}

/** Where settings come from: pulled per resource when the client can, else the last pushed section. */
export class SettingsSource {
  private pushed: unknown;
  /** Warnings already shown since the last configuration change, so typing does not repeat them. */
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  /** didChangeConfiguration: remember a pushed section (clients without pull send it) and warn afresh. */
  changed(settings: unknown): void {
    const all =
      typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>) : {};
    this.pushed = all[EXTENSION_ID];
    this.shown.clear();
  }

  async settingsFor(scopeUri: string): Promise<ServerSettings> {
    let raw: unknown = this.pushed;
    if (this.canPull) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri, section: EXTENSION_ID });
      } catch (e) {
        this.connection.console.warn(
          `workspace/configuration failed (${e instanceof Error ? e.message : String(e)}); using defaults`,
        );
        raw = undefined;
      }
    }
    const { settings, problems } = parseServerSettings(raw);
    for (const p of problems) this.warn(p);
    return settings;
  }

  private warn(problem: string): void {
    if (this.shown.has(problem)) return;
    this.shown.add(problem);
    const colon = problem.indexOf(':');
    const key = colon > 0 ? problem.slice(0, colon) : problem;
    const why = colon > 0 ? problem.slice(colon + 1).trim() : 'invalid value';
    void this.connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Warning,
      message: `django-session-lint: invalid setting ${EXTENSION_ID}.${key} (${why}); using its default.`,
    });
  }
}
