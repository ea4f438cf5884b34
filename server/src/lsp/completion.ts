/** textDocument/completion: the core's completion on the current text, with the target Django version and entry backends from the last analysis (never a new one). */
import {
  CompletionItemKind,
  CompletionItemTag,
  MarkupKind,
  type CompletionItem,
  type CompletionParams,
  type Connection,
} from 'vscode-languageserver/node';
import { complete } from '../core/features/completion';
import { entryString } from '../core/queries/session-storage';
import { parseVersion } from '../core/knowledge/versions';
import { uriToPath } from './files';
import { guarded } from './guard';
import type { Workspace } from './workspace';

/** Completion opens inside string literals, as soon as the quote is typed. */
export const COMPLETION_TRIGGERS = ["'", '"'];

export function registerCompletion(connection: Connection, workspace: Workspace): void {
  connection.onCompletion(
    guarded(
      connection,
      'completion',
      [] as CompletionItem[],
      (params: CompletionParams): CompletionItem[] => {
        const file = uriToPath(params.textDocument.uri);
        const doc = file ? workspace.files.openDocument(file) : undefined;
        if (!doc) return [];
        const analysis = workspace.analysisFor(params.textDocument.uri, false)?.analysis;
        const django = analysis?.summary.djangoVersion
          ? parseVersion(analysis.summary.djangoVersion)
          : undefined;
        const entries = complete(doc.getText(), doc.offsetAt(params.position), {
          django,
          entryField: analysis
            ? (setting, alias, key) => entryString(analysis, setting, alias, key)
            : undefined,
        });
        return entries.map((e) => {
          const range = { start: doc.positionAt(e.replace.from), end: doc.positionAt(e.replace.to) };
          const item: CompletionItem = {
            label: e.label,
            kind: e.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.Value,
            textEdit: { range, newText: e.newText },
            // The edit replaces the whole literal, quotes included: filter on what the client sees in that range.
            filterText: e.newText,
          };
          if (e.detail) item.detail = e.detail;
          if (e.documentation) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
          if (e.sortText) item.sortText = e.sortText;
          if (e.deprecated) item.tags = [CompletionItemTag.Deprecated];
          return item;
        });
      },
    ),
  );
}
