/** textDocument/hover: the core's hover on the last analysis (a pending debounced analysis runs first; hover never triggers an extra one). */
import { MarkupKind, type Connection, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { hover } from '../core/features/hover';
import { chainsAt } from '../core/features/layers';
import { escapeText } from '../core/features/markdown';
import { maskerOf } from './layers';
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
      const offset = doc.offsetAt(params.position);
      const result = hover(view.analysis, file, offset);
      // Over a diagnostic: where the values it is about come from, in one line each.
      const mask = maskerOf(view.analysis);
      const chains = chainsAt(view.analysis, file, offset).map(
        (c) => `**${c.code}** ${escapeText(mask(c.chain))}`,
      );
      if (!result && chains.length === 0) return null;
      const markdown = [...chains, ...(result ? [result.markdown] : [])].join('\n\n');
      return {
        contents: { kind: MarkupKind.Markdown, value: mask(markdown) }, // the one masker, hover card included
        ...(result ? { range: rangeOf(view.analysis, result.span) } : {}),
      };
    }),
  );
}
