/** textDocument/hover: the core's hover on the last analysis (a pending debounced analysis runs first; hover never triggers an extra one). */
import { MarkupKind, type Connection, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { hover } from '../core/features/hover';
import { rangeOf } from './diagnostics';
import { guarded } from './guard';
import { uriToPath } from './files';
import type { Workspace } from './workspace';

export function registerHover(connection: Connection, workspace: Workspace): void {
  connection.onHover(
    guarded(connection, 'hover', null, (params: HoverParams): Hover | null => {
      const view = workspace.analysisFor(params.textDocument.uri);
      const file = uriToPath(params.textDocument.uri);
      const doc = file ? workspace.files.openDocument(file) : undefined;
      // Offsets of an older text would point at the wrong characters.
      if (!view?.fresh || !file || !doc) return null;
      const result = hover(view.analysis, file, doc.offsetAt(params.position));
      if (!result) return null;
      return {
        contents: { kind: MarkupKind.Markdown, value: result.markdown },
        range: rangeOf(view.analysis, result.span),
      };
    }),
  );
}
