/** The "Session storage" tree view in the Explorer: the active settings file's project layers in load order, and under each the session settings it sets with the effective one marked. Renders the server's LAYERS_REQUEST answer; refreshes when the server says the project was analysed. */
import * as vscode from 'vscode';
import {
  COMMAND_OPEN_LOCATION,
  LAYERS_REQUEST,
  type LayersLayer,
  type LayersParams,
  type LayersResult,
  type LayersSettingRow,
} from '../../common/protocol';
import type { ServerConnection } from './server-connection';

type Node =
  | { readonly kind: 'layer'; readonly layer: LayersLayer }
  | { readonly kind: 'setting'; readonly row: LayersSettingRow };

const ROLE_NAMES: Record<string, string> = {
  'django-defaults': 'built in',
  'horizon-defaults': 'built in',
  settings: 'settings',
  local_settings: 'local_settings',
  'local_settings.d': 'snippet',
};

export class LayersView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly rendered = new vscode.EventEmitter<void>();
  /** Fires after the view's data was replaced (the editor tests wait on it). */
  readonly onDidRender = this.rendered.event;
  private result: LayersResult | undefined;
  private source: vscode.Uri | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.rendered];
  view: vscode.TreeView<Node> | undefined;

  constructor(private readonly server: ServerConnection) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      server.onDidChangeState(() => this.schedule(0)),
      server.onLayersChanged((uris) => {
        if (!this.source || uris.includes(this.source.toString())) this.schedule(50);
      }),
    );
    this.schedule(0);
  }

  /** What the view shows now (the editor tests read it). */
  get current(): LayersResult | undefined {
    return this.result;
  }

  schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delayMs);
  }

  /** Asks the server for the active settings file's layers (keeps the last file's when another editor is active). */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && this.server.isSettingsDocument(doc)) this.source = doc.uri;
    const client = this.server.running;
    if (!this.source || !client) return this.render(generation, undefined);
    let result: LayersResult | undefined;
    try {
      const params: LayersParams = { uri: client.code2ProtocolConverter.asUri(this.source) };
      result = (await client.sendRequest<LayersResult | null>(LAYERS_REQUEST, params)) ?? undefined;
    } catch (err) {
      this.server.output.warn(`layers view: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.render(generation, result);
  }

  private render(generation: number, result: LayersResult | undefined): void {
    if (generation !== this.generation) return;
    this.result = result;
    // The view appears once a settings file's layers were shown, and stays (it keeps the last file's layers).
    if (result) void vscode.commands.executeCommand('setContext', 'djangoSessionLint.layersKnown', true);
    if (this.view) {
      this.view.message = result ? undefined : 'Open a Django or Horizon settings file to see its layers.';
      this.view.description = result?.summary;
    }
    this.changed.fire(undefined);
    this.rendered.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) return (this.result?.layers ?? []).map((layer) => ({ kind: 'layer', layer }));
    if (node.kind === 'layer') return node.layer.settings.map((row) => ({ kind: 'setting', row }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'layer') {
      const l = node.layer;
      // Files open expanded; the built-in defaults (every session setting their tables set) start collapsed.
      const item = new vscode.TreeItem(
        l.label,
        l.settings.length === 0
          ? vscode.TreeItemCollapsibleState.None
          : l.uri
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.description = ROLE_NAMES[l.role] ?? l.role;
      item.iconPath = new vscode.ThemeIcon(l.uri ? 'file-code' : 'library');
      item.contextValue = 'layer';
      if (l.uri) {
        item.resourceUri = vscode.Uri.parse(l.uri, true);
        item.command = { title: 'Open', command: COMMAND_OPEN_LOCATION, arguments: [l.uri] };
      }
      return item;
    }
    const r = node.row;
    const item = new vscode.TreeItem(r.label, vscode.TreeItemCollapsibleState.None);
    // `PyMemcacheCache — overridden`: the note (tooltip) says by what; a click opens that line.
    const mode = r.note?.split(' ')[0];
    item.description = r.effective ? `${r.value} — effective` : mode ? `${r.value} — ${mode}` : r.value;
    item.iconPath = new vscode.ThemeIcon(
      r.effective ? 'pass-filled' : r.kind === 'mutate' ? 'edit' : 'circle-slash',
      r.effective ? new vscode.ThemeColor('testing.iconPassed') : undefined,
    );
    item.tooltip = r.note ?? (r.effective ? 'This value is effective.' : undefined);
    item.contextValue = r.effective ? 'setting.effective' : 'setting';
    if (r.uri) item.command = { title: 'Open', command: COMMAND_OPEN_LOCATION, arguments: [r.uri, r.range] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
