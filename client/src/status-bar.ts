/** The "Sessions: memcached (cache)" status bar item for the active settings file, with the layer that set it in the tooltip. */
import * as vscode from 'vscode';
import {
  COMMAND_SHOW_LAYERS,
  type EffectiveConfigurationResult,
  type EffectiveConfigurationRow,
} from '../../common/protocol';
import { layerName, requestEffectiveConfiguration, whereSet } from './effective-configuration';
import type { ServerConnection } from './server-connection';

export class SessionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'djangoSessionLint.sessions',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the item's text or visibility changed (tests wait on it instead of sleeping). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.item, this.changed];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private shown = '';
  private tooltipText = '';

  constructor(private readonly server: ServerConnection) {
    this.item.name = 'Django Session Lint: session storage';
    this.item.command = COMMAND_SHOW_LAYERS;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      // The server re-analysed something: the active file's effective storage may have changed.
      vscode.languages.onDidChangeDiagnostics(() => this.schedule(150)),
      vscode.workspace.onDidSaveTextDocument(() => this.schedule(150)),
      server.onDidChangeState(() => this.schedule(0)),
    );
    this.schedule(0);
  }

  /** The item's text when shown, '' when hidden. */
  get text(): string {
    return this.shown;
  }

  get tooltip(): string {
    return this.tooltipText;
  }

  schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delayMs);
  }

  /** Recomputes the item now; resolves when it shows the result for the active editor. */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.server.isSettingsDocument(editor.document)) return this.hide(generation);
    if (this.server.state !== 'running') {
      return this.show(generation, 'Sessions: …', 'Django Session Lint: the language server is starting.');
    }
    let result: EffectiveConfigurationResult | undefined;
    try {
      result = await requestEffectiveConfiguration(this.server, editor.document.uri);
    } catch (err) {
      this.server.output.warn(`effective configuration: ${err instanceof Error ? err.message : String(err)}`);
      result = undefined;
    }
    if (generation !== this.generation) return;
    if (!result) return this.hide(generation);
    this.show(generation, `Sessions: ${result.storage.label}`, tooltipOf(result));
  }

  private show(generation: number, text: string, tooltip: string): void {
    if (generation !== this.generation) return;
    this.item.text = text;
    this.item.tooltip = new vscode.MarkdownString(tooltip);
    this.item.show();
    if (text !== this.shown || tooltip !== this.tooltipText) {
      this.shown = text;
      this.tooltipText = tooltip;
      this.changed.fire();
    }
  }

  private hide(generation: number): void {
    if (generation !== this.generation) return;
    this.item.hide();
    if (this.shown !== '') {
      this.shown = '';
      this.tooltipText = '';
      this.changed.fire();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!|<>~]/g, (c) => '\\' + c);
}

/** The rows that decide where sessions live: the engine, and the cache backend / database engine entries. */
function storageRows(result: EffectiveConfigurationResult): EffectiveConfigurationRow[] {
  const engine = result.rows.filter((r) => r.name === 'SESSION_ENGINE');
  const backends = result.rows.filter((r) => /^CACHES\..+\.BACKEND$|^DATABASES\..+\.ENGINE$/.test(r.name));
  return [...engine, ...backends.slice(0, 4)];
}

function tooltipOf(result: EffectiveConfigurationResult): string {
  const rows = storageRows(result).map(
    (r) => `- \`${r.name}\` — ${escape(layerName(r.layer))}${r.path ? ` (${escape(whereSet(r))})` : ''}`,
  );
  return [
    `**Session storage:** ${escape(result.storage.label)}`,
    rows.join('\n'),
    escape(result.summary),
    'Click to show the session storage layers.',
  ]
    .filter((part) => part !== '')
    .join('\n\n');
}
