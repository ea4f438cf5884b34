/** Command ids and custom LSP messages shared by the VS Code client and the language server. No imports. */

export const EXTENSION_ID = 'djangoSessionLint';

// ---------------------------------------------------------------------------------------------------------
// Language server ids (added with the language server; keep names stable, the VS Code client builds on them).
// ---------------------------------------------------------------------------------------------------------

/** Custom request: the effective session configuration of the project a document belongs to. */
export const EFFECTIVE_CONFIGURATION_REQUEST = 'djangoSessionLint/effectiveConfiguration';

export interface EffectiveConfigurationParams {
  /** Document URI (any file of the project: local_settings.py, a snippet, a settings module). */
  readonly uri: string;
}

export interface EffectiveConfigurationRow {
  /** Setting name, or a dotted path inside a dict (`CACHES.default.BACKEND`). */
  readonly name: string;
  /** Python-like display text, secrets masked; `(unknown: reason)` for values the analyser cannot resolve. */
  readonly value: string;
  /** Which layer set it: `django-defaults`, `horizon-defaults`, `settings`, `local_settings`, `local_settings.d`. */
  readonly layer: string;
  /** File that set it (absent for defaults). */
  readonly path?: string;
  /** 1-based line in `path`. */
  readonly line?: number;
}

export interface EffectiveConfigurationResult {
  /** One line for a status bar tooltip, e.g. `Horizon 2024.2 · Django 4.2 · production`. */
  readonly summary: string;
  readonly rows: readonly EffectiveConfigurationRow[];
  readonly storage: {
    /** Short label for a status bar, e.g. `memcached (cache)`, `database (db)`, `signed cookies`. */
    readonly label: string;
    /** `path:line` of the SESSION_ENGINE assignment, or whose default it is. */
    readonly setBy: string;
  };
  /** Markdown document for "Show effective session configuration" (the same rows, formatted). */
  readonly markdown: string;
}

/** Client commands (the VS Code client registers and implements these; the server never registers them). */
export const COMMAND_FIX_ALL = 'djangoSessionLint.fixAll';
/** Arguments: `(code: string, url: string)`; the client opens `url`. Sent by the server inside code actions. */
export const COMMAND_SHOW_RULE_DOCS = 'djangoSessionLint.showRuleDocs';
export const COMMAND_APPLY_SESSION_STORAGE = 'djangoSessionLint.applySessionStorage';

/**
 * Server commands (workspace/executeCommand). Distinct ids, because vscode-languageclient registers every
 * server command as a VS Code command and would clash with the client's own commands above.
 * - SERVER_COMMAND_FIX_ALL: arguments `[{ uri }]`; the server sends workspace/applyEdit with the safe fixes
 *   (unsafe too when `unsafeFixes` is set) and returns `{ applied: boolean }`.
 * - SERVER_COMMAND_APPLY_SESSION_STORAGE: arguments `[{ uri, target }]` (target: one of SESSION_STORAGE_TARGETS);
 *   the server sends workspace/applyEdit and returns `{ applied: boolean, message?: string }`.
 */
export const SERVER_COMMAND_FIX_ALL = 'djangoSessionLint.server.fixAll';
export const SERVER_COMMAND_APPLY_SESSION_STORAGE = 'djangoSessionLint.server.applySessionStorage';

/** Code action kinds: fix-all for `editor.codeActionsOnSave`, and the storage refactors. */
export const CODE_ACTION_KIND_FIX_ALL = 'source.fixAll.djangoSessionLint';
export const CODE_ACTION_KIND_SWITCH_STORAGE = 'refactor.rewrite.djangoSessionLint.switchStorage';

/** Targets of "Switch session storage to …", in menu order. */
export const SESSION_STORAGE_TARGETS = [
  'memcached',
  'redis',
  'django-redis',
  'mysql',
  'postgresql',
  'cached_db',
  'signed_cookies',
  'file',
] as const;
export type SessionStorageTarget = (typeof SESSION_STORAGE_TARGETS)[number];

/** Server-only setting (not in the shared options schema): report DSL001 syntax errors in the editor too. */
export const SETTING_REPORT_SYNTAX_ERRORS = 'reportSyntaxErrors';

// ---------------------------------------------------------------------------------------------------------
// VS Code client ids (owned by the client; the server never registers these). The client also implements
// COMMAND_FIX_ALL, COMMAND_SHOW_RULE_DOCS and COMMAND_APPLY_SESSION_STORAGE above ("Choose session storage…":
// optional arguments `(uri?: string, target?: SessionStorageTarget)`; without a target it asks with a QuickPick).
// ---------------------------------------------------------------------------------------------------------

/** Opens the read-only "effective session configuration" document. Optional argument: a document URI string. */
export const COMMAND_SHOW_EFFECTIVE_CONFIGURATION = 'djangoSessionLint.showEffectiveConfiguration';
export const COMMAND_RESTART_SERVER = 'djangoSessionLint.restartServer';
export const COMMAND_SHOW_OUTPUT = 'djangoSessionLint.showOutput';

/** URI scheme of the read-only effective-configuration documents. */
export const EFFECTIVE_CONFIGURATION_SCHEME = 'django-session-lint';

/** Client-only setting: globs (matched anywhere in the workspace) of the files the server is started for. */
export const SETTING_FILE_PATTERNS = 'filePatterns';
/** Default of `filePatterns`; `local_settings` without an extension is RDO's /etc/openstack-dashboard file. */
export const DEFAULT_FILE_PATTERNS: readonly string[] = [
  'settings.py',
  'settings/*.py',
  '*settings*.py',
  'local_settings.py',
  'local_settings',
  'local_settings.d/**/*.py',
];

// ---------------------------------------------------------------------------------------------------------
// The layers where you type (CodeLens, inlay hints, the layers view, whole-workspace problems).
// ---------------------------------------------------------------------------------------------------------

/**
 * Server command: opens a location. Arguments `[{ uri, range }]`; the server asks the client with
 * window/showDocument. CodeLenses and inlay hints carry it, so any LSP client can run them; the VS Code
 * client maps it to COMMAND_OPEN_LOCATION and opens the location itself.
 */
export const SERVER_COMMAND_OPEN_LOCATION = 'djangoSessionLint.server.openLocation';
/** Client command: opens `(uri: string, range: { start, end } in LSP positions)` in an editor. */
export const COMMAND_OPEN_LOCATION = 'djangoSessionLint.openLocation';

/** Where CodeLenses / inlay hints show overrides and defaults: one of these (setting `inlineValues`). */
export const INLINE_VALUES_MODES = ['codeLens', 'inlayHint', 'off'] as const;

/** Custom request: the layers view of a document's project (`LayersParams` → `LayersResult | null`). */
export const LAYERS_REQUEST = 'djangoSessionLint/layers';
/**
 * Custom notification (server → client) after a project was analysed again: `{ uris }`, the open documents
 * whose layers view may have changed. Sent only to clients that ask with `initializationOptions.layersChanged`.
 */
export const LAYERS_CHANGED_NOTIFICATION = 'djangoSessionLint/layersChanged';

export interface LayersParams {
  readonly uri: string;
}

export interface LayersSettingRow {
  /** `CACHES`, or `CACHES['default']['LOCATION']` for a mutation. */
  readonly label: string;
  /** Short value, secrets masked (`LocMemCache`, `cache`, `'***'`). */
  readonly value: string;
  /** True for the write whose value is effective. */
  readonly effective: boolean;
  /** `assign`, `mutate` or `delete`. */
  readonly kind: string;
  /** `overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache`, masked. */
  readonly note?: string;
  readonly uri?: string;
  readonly range?: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
}

export interface LayersLayer {
  /** `django-defaults`, `horizon-defaults`, `settings`, `local_settings`, `local_settings.d`. */
  readonly role: string;
  /** `Django 4.2 defaults`, `Horizon 2024.1 defaults (built in)`, `local_settings.d/_0006_debian_cache.py`. */
  readonly label: string;
  readonly uri?: string;
  readonly settings: readonly LayersSettingRow[];
}

export interface LayersResult {
  /** `Horizon 2024.1 · Django 4.2 · production`. */
  readonly summary: string;
  /** The project root. */
  readonly root: string;
  /** Layers in load order. */
  readonly layers: readonly LayersLayer[];
}

/**
 * URI scheme of the read-only documents of built-in defaults (Django's global_settings values,
 * `django-session-lint-defaults://built-in/django/global_settings.py`; Horizon's defaults of a release,
 * `…://built-in/horizon/<series>/settings.py`), one line per setting. The `//` makes editors that open files by
 * name (Neovim) keep the URI as the buffer name. Go to Definition (and the
 * CodeLens of a default) lands on one when a setting's value is a built-in default and no file on the machine
 * holds it (Horizon's settings.py not installed). Only for clients that say they can open these documents
 * (`initializationOptions.defaultsDocuments`, text from DEFAULTS_DOCUMENT_REQUEST); others get no location.
 */
export const DEFAULTS_SCHEME = 'django-session-lint-defaults';
/** The authority of DEFAULTS_SCHEME URIs the server makes (any is accepted). */
export const DEFAULTS_AUTHORITY = 'built-in';
/** Custom request: the text of a DEFAULTS_SCHEME document (`DefaultsDocumentParams` → `DefaultsDocumentResult | null`). */
export const DEFAULTS_DOCUMENT_REQUEST = 'djangoSessionLint/defaultsDocument';

export interface DefaultsDocumentParams {
  /** The document's URI (`django-session-lint-defaults:/django/global_settings.py`). */
  readonly uri: string;
}

export interface DefaultsDocumentResult {
  /** Python text, read-only. */
  readonly text: string;
}

/** VS Code: the "Session storage" tree view in the Explorer, and the command that reveals it. */
export const VIEW_SESSION_STORAGE = 'djangoSessionLint.sessionStorage';
export const COMMAND_SHOW_LAYERS = 'djangoSessionLint.showLayers';

/**
 * Server command: checks every settings file of the workspace. Arguments `[]`; returns
 * `CheckWorkspaceResult`. Clients that pull workspace diagnostics are asked to pull again
 * (workspace/diagnostic/refresh); others get publishDiagnostics for the files that are not open.
 */
export const SERVER_COMMAND_CHECK_WORKSPACE = 'djangoSessionLint.server.checkWorkspace';
/** Client command "Check all settings in workspace": runs the server command and shows the Problems panel. */
export const COMMAND_CHECK_WORKSPACE = 'djangoSessionLint.checkWorkspace';

export interface CheckWorkspaceResult {
  readonly projects: number;
  readonly files: number;
  readonly problems: number;
  /** Files with problems: URI and count. */
  readonly byFile: readonly { readonly uri: string; readonly problems: number }[];
}

// ---------------------------------------------------------------------------------------------------------
// Connection check: contacts the session store's servers, only when the user asks.
// ---------------------------------------------------------------------------------------------------------

/** Client command "Check session storage connection" (refused in untrusted workspaces and when turned off). */
export const COMMAND_CHECK_CONNECTION = 'djangoSessionLint.checkConnection';
/** Custom request: run the connection check for the project a document belongs to. */
export const CHECK_CONNECTION_REQUEST = 'djangoSessionLint/checkConnection';
/** Server-only setting (also read by the client): `false` refuses every connection check. */
export const SETTING_CONNECTION_CHECK_ENABLED = 'connectionCheck.enabled';
/** `true`: the check logs in to MySQL/MariaDB and PostgreSQL with DATABASES' USER/PASSWORD (off by default). */
export const SETTING_CONNECTION_CHECK_LOGIN = 'connectionCheck.login';

export interface CheckConnectionParams {
  readonly uri: string;
  /** Per-server timeout in ms (default 3000, at most 60000). */
  readonly timeoutMs?: number;
  /** Log in to the databases (overrides the `connectionCheck.login` setting when given). */
  readonly login?: boolean;
  /**
   * Whether the client's workspace is trusted. `false` makes the server refuse (status `untrusted`) and
   * contact nothing; clients that do not know trust leave it out.
   */
  readonly trusted?: boolean;
}

export interface CheckConnectionResult {
  /**
   * `checked`; `disabled` (the setting or the configuration file's `connection-check = false` turned it off:
   * nothing was contacted); `untrusted` (the client said the workspace is not trusted: nothing was contacted);
   * `no-project` (not a settings file).
   */
  readonly status: 'checked' | 'disabled' | 'untrusted' | 'no-project';
  readonly ok: number;
  readonly failed: number;
  readonly notChecked: number;
  /** The report (secrets masked), or why nothing was checked. */
  readonly markdown: string;
}
