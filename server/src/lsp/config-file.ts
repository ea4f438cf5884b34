/** The configuration file in the language server: the nearest `.django-session-lint.toml` / `pyproject.toml` [tool.django-session-lint] of each project (node/config.ts, as the CLI reads it), merged under the editor's settings, re-read when watched files change; its mistakes become diagnostics on the file and a warning message. No analysis here. */
import {
  DiagnosticSeverity,
  MessageType,
  ShowMessageNotification,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import type { Analysis } from '../core/analyze';
import { DEFAULT_OPTIONS, OptionsSchema, type Options } from '../core/options';
import {
  configFiltered,
  configOptions,
  ConfigFinder,
  connectionCheckOffBy,
  isConfigFile,
  type LoadedConfig,
} from '../node/config';
import type { ServerSettings } from './configuration';
import type { FileStore } from './files';
import type { LspProject } from './project-for-file';

/** The file a project's configuration is looked up from: its local_settings.py, else its settings module. */
export function entryFileOf(project: LspProject): string {
  return (
    project.layers.find((l) => l.role === 'local_settings')?.path ??
    project.layers.find((l) => l.role === 'settings')?.path ??
    project.layers[0]?.path ??
    project.root
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Defaults ← configuration file ← editor settings. An editor setting counts as set when it differs from its
 * default: `workspace/configuration` answers defaults and explicit values alike.
 */
export function mergeEditorOptions(editor: Options, config: LoadedConfig | undefined): Options {
  const fromFile = configOptions(config) as Record<string, unknown>;
  if (Object.keys(fromFile).length === 0) return editor;
  const merged: Record<string, unknown> = { ...editor };
  const defaults = DEFAULT_OPTIONS as Record<string, unknown>;
  for (const [key, value] of Object.entries(fromFile)) {
    if (sameValue((editor as Record<string, unknown>)[key], defaults[key])) merged[key] = value;
  }
  const parsed = OptionsSchema.safeParse(merged);
  return parsed.success ? parsed.data : editor;
}

export class ConfigFiles {
  private readonly finder: ConfigFinder;
  /** Configuration files whose problems were published, and the problems, so a fixed file is cleared. */
  private readonly published = new Map<string, string>();
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly files: FileStore,
  ) {
    this.finder = new ConfigFinder();
  }

  /** The configuration of a project (never throws: a broken file gives its valid keys and a diagnostic). */
  forProject(project: LspProject): LoadedConfig | undefined {
    let config: LoadedConfig | undefined;
    try {
      config = this.finder.forFile(entryFileOf(project));
    } catch (e) {
      this.connection.console.warn(
        `reading the configuration file failed: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    }
    if (config) this.report(config);
    return config;
  }

  settingsFor(project: LspProject, editor: ServerSettings): ServerSettings {
    const config = this.forProject(project);
    const offBy = connectionCheckOffBy(config);
    return {
      ...editor,
      options: mergeEditorOptions(editor.options, config),
      ...(offBy !== undefined ? { connectionCheckEnabled: false, connectionCheckOffBy: offBy } : {}),
    };
  }

  /** per-file-ignores and exclude applied to an analysis (paths in the server are absolute). */
  filter(analysis: Analysis, project: LspProject): Analysis {
    return configFiltered(analysis, this.forProject(project));
  }

  /** Watched files changed: true when one was a configuration file (every project must reload). */
  changed(paths: readonly string[]): boolean {
    if (!paths.some(isConfigFile)) return false;
    this.finder.clear();
    this.shown.clear();
    // Files that had problems are checked again when their projects reload; a deleted one is cleared now.
    for (const file of paths) if (this.published.has(file)) this.publish(file, []);
    return true;
  }

  private report(config: LoadedConfig): void {
    const key = config.problems.map((p) => `${p.line}:${p.message}`).join('\n');
    if ((this.published.get(config.file) ?? '') === key) return;
    const diagnostics: Diagnostic[] = config.problems.map((p) => ({
      range: { start: { line: p.line - 1, character: 0 }, end: { line: p.line - 1, character: 1000 } },
      severity: DiagnosticSeverity.Error,
      source: 'django-session-lint',
      message: p.message,
    }));
    this.publish(config.file, diagnostics, key);
    for (const p of config.problems) {
      const text = `django-session-lint: ${p.file}:${p.line}: ${p.message}; the rest of the file applies.`;
      if (this.shown.has(text)) continue;
      this.shown.add(text);
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: text,
      });
    }
  }

  private publish(file: string, diagnostics: Diagnostic[], key = ''): void {
    if (key === '') this.published.delete(file);
    else this.published.set(file, key);
    void this.connection.sendDiagnostics({ uri: this.files.uriOf(file), diagnostics });
  }
}
