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

/** How long a pull of the settings may take before the analysis goes on without them. */
export const CONFIGURATION_WAIT_MS = 10_000;

/** Where settings come from: pulled per resource when the client can, else the last pushed section. */
export class SettingsSource {
  private pushed: unknown;
  /** Called with an answer to workspace/configuration that came after CONFIGURATION_WAIT_MS. */
  answeredLate: ((scopeUri: string, settings: ServerSettings) => void) | undefined;
  /** Counts didChangeConfiguration notifications: a late answer from before the last one is stale. */
  private generation = 0;
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
    this.generation++;
  }

  async settingsFor(scopeUri: string): Promise<ServerSettings> {
    let raw: unknown = this.pushed;
    if (this.canPull) {
      try {
        raw = await this.pull(scopeUri);
      } catch (e) {
        this.connection.console.warn(
          `workspace/configuration failed (${e instanceof Error ? e.message : String(e)}); using defaults`,
        );
        raw = undefined;
      }
    }
    return this.parse(raw);
  }

  private parse(raw: unknown): ServerSettings {
    const { settings, problems } = parseServerSettings(raw);
    for (const p of problems) this.warn(p);
    return settings;
  }

  /**
   * The client's answer to workspace/configuration, or the last pushed section when it has not answered within
   * CONFIGURATION_WAIT_MS: a client that never answers must not hold every analysis and command back. An
   * answer that comes later is handed to `answeredLate` (the workspace applies it to the projects of that scope).
   */
  private async pull(scopeUri: string): Promise<unknown> {
    const request = this.connection.workspace.getConfiguration({ scopeUri, section: EXTENSION_ID });
    let timer: NodeJS.Timeout | undefined;
    const late = Symbol('late');
    const waited = new Promise<typeof late>((resolve) => {
      timer = setTimeout(() => resolve(late), CONFIGURATION_WAIT_MS);
    });
    try {
      const first = await Promise.race([request, waited]);
      if (first !== late) return first;
    } finally {
      clearTimeout(timer);
    }
    this.connection.console.warn(
      `workspace/configuration not answered within ${CONFIGURATION_WAIT_MS / 1000} s; ` +
        'analysing with the last pushed settings (or the defaults) until the editor answers',
    );
    const asked = this.generation;
    void request.then(
      (raw: unknown) => {
        if (asked === this.generation) this.answeredLate?.(scopeUri, this.parse(raw));
      },
      () => undefined,
    );
    return this.pushed;
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
