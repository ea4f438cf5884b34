/** Shared helpers for the editor tests that run inside VS Code: the extension's API, fixture files, and waits on editor events (never fixed sleeps). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoSessionLintApi } from '../../client/src/extension';

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'django-session-lint.django-session-lint';

export function extension(): vscode.Extension<DjangoSessionLintApi> {
  const ext = vscode.extensions.getExtension<DjangoSessionLintApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** The extension's API (activates it when it is not active yet). */
export async function api(): Promise<DjangoSessionLintApi> {
  return extension().activate();
}

/** The (temporary) workspace folder the tests run in. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri;
}

export function fileUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** Writes a file into the workspace copy (creating folders). */
export function writeFile(relative: string, text: string): vscode.Uri {
  const uri = fileUri(relative);
  fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
  fs.writeFileSync(uri.fsPath, text);
  return uri;
}

export async function open(relative: string | vscode.Uri): Promise<vscode.TextEditor> {
  const uri = typeof relative === 'string' ? fileUri(relative) : relative;
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The code of a diagnostic as text (`DSL104`), whether or not it carries a documentation link. */
export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

/** This extension's diagnostics for a document (codes DSLnnn). */
export function lintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => /^DSL\d{3}$/.test(codeOf(d)));
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const ds = lintDiagnostics(uri);
  return ds.length === 0
    ? '(none)'
    : ds
        .map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
        .join('\n  ');
}

/**
 * Resolves with `probe()`'s first truthy result, checking now, on every `events` firing and, as a safety net
 * against a missed event, every 250 ms; rejects after `timeoutMs` with `describe()` in the message.
 */
export function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  events: vscode.Event<unknown>[] = [],
  timeoutMs = 30000,
  describe: () => string = () => '',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearInterval(interval);
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      fn();
    };
    const check = (): void => {
      try {
        const v = probe();
        if (v) finish(() => resolve(v));
      } catch (err) {
        finish(() => reject(err instanceof Error ? err : new Error(String(err))));
      }
    };
    for (const e of events) subscriptions.push(e(check));
    const interval = setInterval(check, 250);
    const timer = setTimeout(() => {
      const detail = describe();
      finish(() =>
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n  ${detail}` : ''}`),
        ),
      );
    }, timeoutMs);
    check();
  });
}

/** Waits until the document's lint diagnostics satisfy `predicate`; resolves with them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  predicate: (ds: vscode.Diagnostic[]) => boolean,
  timeoutMs = 30000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} in ${path.basename(uri.fsPath)}`,
    () => {
      const ds = lintDiagnostics(uri);
      return predicate(ds) ? ds : undefined;
    },
    [vscode.languages.onDidChangeDiagnostics],
    timeoutMs,
    () => `diagnostics now: ${describeDiagnostics(uri)}`,
  );
}

export const hasCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => codeOf(d) === code);

/** Waits for the language server to be running. */
export async function serverRunning(): Promise<DjangoSessionLintApi> {
  const a = await api();
  await waitFor(
    'the language server to run',
    () => a.serverState() === 'running',
    [a.onDidChangeServerState],
    60000,
    () => `state: ${a.serverState()}`,
  );
  return a;
}

/** Text of a hover's contents, whatever form each part has. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Position just after the first occurrence of `needle` (plus `offset`) in the document. */
export function positionAfter(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not found in ${doc.uri.fsPath}`);
  return doc.positionAt(i + needle.length + offset);
}

/** Closes every editor without saving (tests leave no dirty state behind). */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && doc.uri.scheme === 'file') {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
