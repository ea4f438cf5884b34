/** workspace/didChangeWatchedFiles: asks the client to watch settings, snippets and version files, and re-analyses every project that reads a changed file (open or not). */
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Connection,
  type DidChangeWatchedFilesParams,
  type FileSystemWatcher,
} from 'vscode-languageserver/node';
import { classifyVersionFile } from '../core/versions/version-files';
import { uriToPath } from './files';
import { guarded } from './guard';
import type { Workspace } from './workspace';

/** Python modules (layers, star-imported bases, snippets), RDO's extension-less local_settings, environment files (.env, settings.ini), version pins, and the configuration files. */
export const WATCHED_GLOBS = [
  '**/*.py',
  '**/local_settings',
  '**/*.j2',
  '**/*.erb',
  // Environment files the settings read (Env.read_env(), python-decouple): core/evaluate/env-files.ts.
  '**/.env',
  '**/settings.ini',
  '**/requirements*.txt',
  '**/requirements/*.txt',
  '**/constraints*.txt',
  '**/upper-constraints.txt',
  '**/pyproject.toml',
  '**/.django-session-lint.toml',
  '**/setup.cfg',
  '**/Pipfile',
  '**/Pipfile.lock',
  '**/poetry.lock',
  '**/uv.lock',
];

export function watchers(): FileSystemWatcher[] {
  return WATCHED_GLOBS.map((globPattern) => ({ globPattern }));
}

/** Registers the watchers (only when the client supports dynamic registration; otherwise saves and closes still refresh). */
export async function registerWatchers(connection: Connection): Promise<void> {
  try {
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: watchers() });
  } catch (e) {
    connection.console.warn(`file watching unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function registerWatchedFiles(connection: Connection, workspace: Workspace): void {
  connection.onDidChangeWatchedFiles(
    guarded(
      connection,
      'watched files',
      undefined,
      async (params: DidChangeWatchedFilesParams): Promise<void> => {
        const changes = params.changes.flatMap((c) => {
          const file = uriToPath(c.uri);
          if (!file) return [];
          // A file that appeared or went may add or remove a layer (a new local_settings.d snippet).
          const structural = c.type !== FileChangeType.Changed;
          return [{ path: file, structural, versionFile: classifyVersionFile(file) !== undefined }];
        });
        if (changes.length > 0) await workspace.filesChanged(changes);
      },
    ),
  );
}
