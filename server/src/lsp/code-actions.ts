/** textDocument/codeAction, codeAction/resolve and workspace/executeCommand: rule fixes from Diagnostic.data, "Disable for this line", rule docs, fix-all and the session-storage refactors. No fix state is kept. */
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionParams,
  type Command,
  type Connection,
  type Diagnostic,
  type ExecuteCommandParams,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import {
  CODE_ACTION_KIND_FIX_ALL,
  CODE_ACTION_KIND_SWITCH_STORAGE,
  COMMAND_SHOW_RULE_DOCS,
  SERVER_COMMAND_APPLY_SESSION_STORAGE,
  SERVER_COMMAND_FIX_ALL,
} from '../../../common/protocol';
import { ruleUrl } from '../core/analyze';
import { suppressionEdit } from '../core/features/diagnostics';
import {
  isStorageTarget,
  storageTargets,
  storageTargetTitle,
  switchSessionStorage,
  type StorageTarget,
} from '../core/features/switch-storage';
import { fixAll, fixAllowed, verifyFix } from '../core/fixes';
import { CACHES, DATABASES, SESSION_CACHE_ALIAS, SESSION_ENGINE } from '../core/knowledge';
import { LineIndex } from '../core/python/line-index';
import type { Finding, TextEdit } from '../core/types';
import { isFixData, SOURCE } from './diagnostics';
import { uriToPath } from './files';
import { guarded } from './guard';
import type { AnalysisView, Workspace } from './workspace';

export const CODE_ACTION_KINDS = [
  CodeActionKind.QuickFix,
  CODE_ACTION_KIND_FIX_ALL,
  CODE_ACTION_KIND_SWITCH_STORAGE,
];
export const SERVER_COMMANDS = [SERVER_COMMAND_FIX_ALL, SERVER_COMMAND_APPLY_SESSION_STORAGE];

/** Server commands other modules implement (one workspace/executeCommand handler serves them all). */
export const EXTRA_COMMANDS = new Map<string, (params: ExecuteCommandParams) => Promise<unknown>>();

export interface CodeActionCapabilities {
  /** The client resolves a code action's `edit` lazily (codeAction/resolve). */
  readonly resolveEdit: boolean;
  /** The client takes versioned `documentChanges` in a WorkspaceEdit. */
  readonly documentChanges: boolean;
}

/** What an unresolved fix-all or refactor action carries until codeAction/resolve computes its edit. */
type LazyData =
  | { readonly kind: 'djangoSessionLint.fixAll'; readonly uri: string; readonly version: number }
  | {
      readonly kind: 'djangoSessionLint.switch';
      readonly uri: string;
      readonly version: number;
      readonly target: StorageTarget;
    };

const STORAGE_SETTINGS = [SESSION_ENGINE, CACHES, DATABASES, SESSION_CACHE_ALIAS];
const FIX_ALL_TITLE = 'Fix all django-session-lint problems';

function isLazyData(d: unknown): d is LazyData {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as Partial<Record<string, unknown>>;
  if (typeof x['uri'] !== 'string' || typeof x['version'] !== 'number') return false;
  return (
    x['kind'] === 'djangoSessionLint.fixAll' ||
    (x['kind'] === 'djangoSessionLint.switch' && isStorageTarget(x['target']))
  );
}

/** Whether a requested `only` list admits `kind` (hierarchically: `source.fixAll` admits `source.fixAll.x`). */
function admits(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function explicitlyAsked(only: readonly string[] | undefined, kind: string): boolean {
  return only !== undefined && admits(only, kind);
}

export function registerCodeActions(
  connection: Connection,
  workspace: Workspace,
  caps: CodeActionCapabilities,
): void {
  const actions = new CodeActions(connection, workspace, caps);
  connection.onCodeAction(
    guarded(
      connection,
      'code actions',
      [] as (CodeAction | Command)[],
      (params: CodeActionParams): CodeAction[] => actions.offer(params),
    ),
  );
  connection.onCodeActionResolve(
    guarded(
      connection,
      'code action resolve',
      undefined as unknown as CodeAction,
      (action: CodeAction): CodeAction => actions.resolve(action),
    ),
  );
  connection.onExecuteCommand(
    guarded(
      connection,
      'execute command',
      null as unknown,
      (params: ExecuteCommandParams): Promise<unknown> => actions.execute(params),
    ),
  );
}

/** The three handlers and the edits they share, for one connection. */
class CodeActions {
  /** Per analysis, per (safety, file): whether fix-all has a verified fix to apply (see hasVerifiedFix). */
  private readonly verifiedFixAll = new WeakMap<object, Map<string, boolean>>();

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
    private readonly caps: CodeActionCapabilities,
  ) {}

  // --- textDocument/codeAction ---

  /** The code actions offered for a range of an open document, filtered by the requested `only` kinds. */
  offer(params: CodeActionParams): CodeAction[] {
    const uri = params.textDocument.uri;
    const file = uriToPath(uri);
    const doc = file ? this.workspace.files.openDocument(file) : undefined;
    if (!file || !doc) return [];
    const only = params.context.only;
    const view = this.workspace.analysisFor(uri);
    const actions: CodeAction[] = [];

    if (admits(only, CodeActionKind.QuickFix)) {
      for (const d of params.context.diagnostics) {
        if (d.source !== SOURCE || d.code === undefined) continue;
        actions.push(...this.quickFixes(d, String(d.code), view, file));
      }
    }
    if (view?.fresh && explicitlyAsked(only, CODE_ACTION_KIND_FIX_ALL)) {
      const action = this.fixAllAction(view, uri, file, doc.version);
      if (action) actions.push(action);
    }
    if (view?.fresh && admits(only, CODE_ACTION_KIND_SWITCH_STORAGE)) {
      // Offered where storage is configured, or wherever the user opens the refactor menu.
      if (
        explicitlyAsked(only, CODE_ACTION_KIND_SWITCH_STORAGE) ||
        this.touchesStorage(view, file, params.range)
      ) {
        actions.push(...this.switchStorageActions(view, uri, file, doc.version));
      }
    }
    return actions;
  }

  /** For one of our diagnostics: its verified fix, "Disable for this line" and "Show documentation". */
  private quickFixes(
    d: Diagnostic,
    code: string,
    view: AnalysisView | undefined,
    file: string,
  ): CodeAction[] {
    const out: CodeAction[] = [];
    const data: unknown = d.data;
    // Data computed on another text (the document changed since) is rejected rather than misapplied; a fix is
    // offered only when re-analysing the whole project with it applied passes (core fixes.ts verifyFix).
    if (
      isFixData(data) &&
      data.guards.every((g) => this.workspace.guardHolds(g)) &&
      this.fixVerified(view, code, data.title)
    ) {
      const byUri = new Map(data.edits.map((e) => [e.uri, e.edits] as const));
      out.push({
        title: data.applicability === 'unsafe' ? `${data.title} (unsafe fix)` : data.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: data.applicability === 'safe',
        edit: this.toWorkspaceEdit(byUri),
      });
    }
    if (view?.fresh) {
      const edit = suppressionEdit(view.analysis, file, d.range.start.line, code);
      const lsp = edit ? this.lspEdits([edit]) : undefined;
      if (lsp)
        out.push({
          title: `Disable ${code} for this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: this.toWorkspaceEdit(lsp),
        });
    }
    const url = d.codeDescription?.href ?? ruleUrl(code);
    const title = `Show documentation for ${code}`;
    out.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title, command: COMMAND_SHOW_RULE_DOCS, arguments: [code, url] },
    });
    return out;
  }

  /** "Fix all" for `file` when fix-all has a verified fix there; its edit now, or lazily when the client resolves. */
  private fixAllAction(
    view: AnalysisView,
    uri: string,
    file: string,
    version: number,
  ): CodeAction | undefined {
    const options = view.state.settings?.options;
    const fixable = options !== undefined && this.hasVerifiedFix(view, file, options.unsafeFixes);
    if (!fixable) return undefined;
    const data: LazyData = { kind: 'djangoSessionLint.fixAll', uri, version };
    const action: CodeAction = { title: FIX_ALL_TITLE, kind: CODE_ACTION_KIND_FIX_ALL, data };
    if (!this.caps.resolveEdit) action.edit = this.fixAllEdit(view, file);
    return this.caps.resolveEdit || action.edit ? action : undefined;
  }

  /** One "switch session storage" refactor per target; edits now, or lazily when the client resolves. */
  private switchStorageActions(view: AnalysisView, uri: string, file: string, version: number): CodeAction[] {
    const actions: CodeAction[] = [];
    for (const target of storageTargets(view.analysis)) {
      const result = this.caps.resolveEdit ? undefined : this.switchEdit(view, file, target);
      const title = storageTargetTitle(view.analysis, target);
      const data: LazyData = { kind: 'djangoSessionLint.switch', uri, version, target };
      const action: CodeAction = { title, kind: CODE_ACTION_KIND_SWITCH_STORAGE, data };
      if (result) action.edit = result.edit;
      if (this.caps.resolveEdit || action.edit) actions.push(action);
    }
    return actions;
  }

  /** Whether `range` overlaps an assignment of a session-storage setting in `file`. */
  private touchesStorage(view: AnalysisView, file: string, range: Range): boolean {
    const lines = view.analysis.lines(file);
    if (!lines) return false;
    return view.analysis.model.events.some((e) => {
      if (e.span.file !== file || !STORAGE_SETTINGS.includes(e.name)) return false;
      const from = lines.positionAt(e.span.from).line;
      const to = lines.positionAt(e.span.to).line;
      return from <= range.end.line && range.start.line <= to;
    });
  }

  // --- fix verification ---

  /**
   * Whether the fix titled `title` of a `code` finding passes verifyFix on the project's current texts. The
   * diagnostics' analysis skips verification (it would run once per fix on every keystroke); it runs here,
   * when a fix is asked for. Without a fresh analysis the guards decide alone.
   */
  private fixVerified(view: AnalysisView | undefined, code: string, title: string): boolean {
    if (!view?.fresh) return true;
    // Findings with the same code and fix title cannot be told apart from the data: each must pass.
    return view.analysis.findings
      .filter((f) => f.code === code && f.fix?.title === title)
      .every((finding) => this.verifies(view, finding));
  }

  /**
   * Whether fix-all has anything to apply in `file`: a fix fix-all may take there that passes verifyFix (the
   * diagnostics' analysis is unverified, so its fixes alone would offer "Fix all" for fixes fix-all then
   * refuses). Stops at the first verified fix; remembered per analysis.
   */
  private hasVerifiedFix(view: AnalysisView, file: string, unsafe: boolean): boolean {
    const memo = this.verifiedFixAll.get(view.analysis) ?? new Map<string, boolean>();
    this.verifiedFixAll.set(view.analysis, memo);
    const key = `${unsafe ? 'u' : 's'}\u0000${file}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const candidates = view.analysis.findings.filter(
      (f) => fixAllowed(f.fix, unsafe) && f.fix.edits.every((e) => e.file === file),
    );
    const result = candidates.some((finding) => this.verifies(view, finding));
    memo.set(key, result);
    return result;
  }

  /** Whether re-analysing the project with `finding`'s fix applied removes it and adds nothing (verifyFix). */
  private verifies(view: AnalysisView, finding: Finding): boolean {
    return (
      verifyFix(
        view.analysis,
        finding,
        (f) => this.workspace.files.read(f),
        (overlay) => this.workspace.analyzeWith(view.state, overlay, false),
      ) === undefined
    );
  }

  // --- codeAction/resolve and workspace/executeCommand ---

  /** Computes the edit of a lazily offered fix-all or refactor, unless the document changed since. */
  resolve(action: CodeAction): CodeAction {
    const data: unknown = action.data;
    if (!isLazyData(data)) return action;
    const file = uriToPath(data.uri);
    const doc = file ? this.workspace.files.openDocument(file) : undefined;
    // Stale: the document changed after the action was offered.
    if (!file || !doc || doc.version !== data.version) return action;
    const view = this.workspace.analysisFor(data.uri);
    if (!view?.fresh) return action;
    const edit =
      data.kind === 'djangoSessionLint.fixAll'
        ? this.fixAllEdit(view, file)
        : this.switchEdit(view, file, data.target)?.edit;
    return edit ? { ...action, edit } : action;
  }

  /** Runs a server command: another module's (EXTRA_COMMANDS), fix-all or the session-storage switch. */
  async execute(params: ExecuteCommandParams): Promise<unknown> {
    const extra = EXTRA_COMMANDS.get(params.command);
    if (extra) return extra(params);
    const arg: unknown = params.arguments?.[0];
    const uri =
      typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string'
        ? (arg as { uri: string }).uri
        : undefined;
    const file = uri ? uriToPath(uri) : undefined;
    const view = uri ? await this.workspace.analysisForCommand(uri) : undefined;
    if (!uri || !file || !view?.fresh)
      return { applied: false, message: 'The document is not analysed yet; try again.' };
    if (params.command === SERVER_COMMAND_FIX_ALL) return this.applyFixAll(view, file);
    if (params.command === SERVER_COMMAND_APPLY_SESSION_STORAGE) {
      return this.applySessionStorage(view, file, (arg as { target?: unknown }).target);
    }
    return null;
  }

  private async applyFixAll(view: AnalysisView, file: string): Promise<unknown> {
    const edit = this.fixAllEdit(view, file);
    if (!edit) return { applied: false, message: 'Nothing to fix.' };
    const r = await this.connection.workspace.applyEdit({ label: FIX_ALL_TITLE, edit });
    return { applied: r.applied };
  }

  private async applySessionStorage(view: AnalysisView, file: string, target: unknown): Promise<unknown> {
    if (!isStorageTarget(target))
      return { applied: false, message: `Unknown session storage target ${JSON.stringify(target)}.` };
    const result = this.switchEdit(view, file, target);
    if (!result)
      return {
        applied: false,
        message: 'This file cannot be rewritten (it does not parse, or is a template).',
      };
    const r = await this.connection.workspace.applyEdit({
      label: storageTargetTitle(view.analysis, target),
      edit: result.edit,
    });
    return { applied: r.applied, message: result.notes.join(' ') };
  }

  // --- edits ---

  /** The fix-all result for `file` as one minimal edit, or undefined when it changes nothing. */
  private fixAllEdit(view: AnalysisView, file: string): WorkspaceEdit | undefined {
    const options = view.state.settings?.options;
    const before = this.workspace.files.read(file);
    if (!options || before === undefined) return undefined;
    const result = fixAll(
      (overlay) => this.workspace.analyzeWith(view.state, overlay),
      (f) => this.workspace.files.read(f),
      {
        unsafe: options.unsafeFixes,
        onlyFile: file,
      },
    );
    const after = result.changed.get(file);
    if (after === undefined || after === before) return undefined;
    const edits = this.lspEdits([minimalEdit(file, before, after)]);
    return edits ? this.toWorkspaceEdit(edits) : undefined;
  }

  private switchEdit(
    view: AnalysisView,
    file: string,
    target: StorageTarget,
  ): { edit: WorkspaceEdit; notes: readonly string[] } | undefined {
    if (!view.fresh) return undefined;
    const result = switchSessionStorage(view.analysis, file, target);
    const edits = result ? this.lspEdits(result.edits) : undefined;
    return result && edits ? { edit: this.toWorkspaceEdit(edits), notes: result.notes } : undefined;
  }

  /** Core edits (offsets) as LSP edits on the files' current texts. */
  private lspEdits(edits: readonly TextEdit[]): Map<string, LspTextEdit[]> | undefined {
    const out = new Map<string, LspTextEdit[]>();
    const indexes = new Map<string, LineIndex>();
    for (const e of edits) {
      let li = indexes.get(e.file);
      if (!li) {
        const text = this.workspace.files.read(e.file);
        if (text === undefined) return undefined;
        li = new LineIndex(text);
        indexes.set(e.file, li);
      }
      const uri = this.workspace.files.uriOf(e.file);
      const list = out.get(uri) ?? [];
      list.push({ range: { start: li.positionAt(e.from), end: li.positionAt(e.to) }, newText: e.newText });
      out.set(uri, list);
    }
    return out;
  }

  /** Versioned `documentChanges` when the client takes them, plain `changes` otherwise. */
  private toWorkspaceEdit(byUri: ReadonlyMap<string, readonly LspTextEdit[]>): WorkspaceEdit {
    if (this.caps.documentChanges) {
      return {
        documentChanges: [...byUri].map(([uri, edits]) => {
          const file = uriToPath(uri);
          const doc = file ? this.workspace.files.openDocument(file) : undefined;
          return TextDocumentEdit.create({ uri, version: doc ? doc.version : null }, [...edits]);
        }),
      };
    }
    return { changes: Object.fromEntries([...byUri].map(([uri, edits]) => [uri, [...edits]])) };
  }
}

/** One edit covering what differs between two texts (common prefix and suffix kept), so cursors stay put. */
export function minimalEdit(file: string, before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (
    end < max - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  if (end > 0 && isHighSurrogate(before.charCodeAt(before.length - end - 1))) end--;
  return { file, from: start, to: before.length - end, newText: after.slice(start, after.length - end) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
