/** Which documents the language server is for: the `filePatterns` setting turned into a document selector. No server start here. */
import * as vscode from 'vscode';
import { DEFAULT_FILE_PATTERNS, EXTENSION_ID, SETTING_FILE_PATTERNS } from '../../common/protocol';

/** The configured globs, or the defaults when the setting is missing, empty or not a list of strings. */
export function readFilePatterns(): string[] {
  const raw = vscode.workspace.getConfiguration(EXTENSION_ID).get<unknown>(SETTING_FILE_PATTERNS);
  const patterns = Array.isArray(raw)
    ? raw.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim())
    : [];
  return patterns.length > 0 ? patterns : [...DEFAULT_FILE_PATTERNS];
}

/** A glob that matches the pattern in any folder (patterns are written relative to "somewhere"). */
function anywhere(pattern: string): string {
  const p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  return p.startsWith('**/') || p.startsWith('/') ? p : `**/${p}`;
}

/** A filter both VS Code and vscode-languageclient accept (the protocol's filters are plain strings). */
export interface SettingsFileFilter {
  readonly scheme: string;
  readonly language?: string;
  readonly pattern: string;
}

/**
 * One filter per pattern, files on disk only (the server reads the other layers from the file system).
 * `*.py` patterns require the Python language, so a text file that merely has a matching name is left
 * alone; extension-less patterns (RDO's `local_settings`) accept any language, since the user may not have
 * our `files.associations`-like mapping in effect for a renamed copy.
 */
export function buildDocumentSelector(patterns: readonly string[]): SettingsFileFilter[] {
  return patterns.map((p) => {
    const base = p.split('/').pop() ?? p;
    return /\.py$/i.test(base)
      ? { scheme: 'file', language: 'python', pattern: anywhere(p) }
      : { scheme: 'file', pattern: anywhere(p) };
  });
}

/** True when the document is one the server should analyse. */
export function isSettingsDocument(selector: vscode.DocumentSelector, doc: vscode.TextDocument): boolean {
  return vscode.languages.match(selector, doc) > 0;
}
