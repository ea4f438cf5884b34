/** Text document synchronisation (incremental): open, change, save and close drive re-analysis; open documents' text overrides the disk. */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { guarded } from './guard';
import type { Workspace } from './workspace';

export function registerTextSync(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  workspace: Workspace,
): void {
  documents.onDidOpen(guarded(connection, 'didOpen', undefined, (e) => workspace.open(e.document)));
  documents.onDidChangeContent(
    guarded(connection, 'didChange', undefined, (e) => workspace.change(e.document)),
  );
  // Saved to disk: projects reading the file through the disk (other than the open document) see it now.
  documents.onDidSave(guarded(connection, 'didSave', undefined, (e) => workspace.save(e.document.uri)));
  documents.onDidClose(guarded(connection, 'didClose', undefined, (e) => workspace.close(e.document.uri)));
}
