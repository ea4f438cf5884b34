/** For tests that drive the language server's Workspace in this process instead of over JSON-RPC. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection, PublishDiagnosticsParams } from 'vscode-languageserver/node';

/** One event-loop turn (the analysis runs its steps a turn or more apart). */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A connection that keeps the diagnostics published to it and ignores everything else. */
export function recordingConnection(published: PublishDiagnosticsParams[]): Connection {
  const ignore = (): void => undefined;
  return {
    sendDiagnostics: (p: PublishDiagnosticsParams) => {
      published.push(p);
      return Promise.resolve();
    },
    sendNotification: () => Promise.resolve(),
    console: { error: ignore, warn: ignore, info: ignore, log: ignore },
  } as unknown as Connection;
}

/**
 * Writes `count` Horizon deployments under a new temporary directory (`prefix`): each a local_settings.py
 * (`localSettings(i)`, the file an editor opens) and a snippet read from disk that overrides one of its settings
 * (a CodeLens, a link). Returns the directory (to remove after) and the local_settings.py paths in order.
 */
export function writeDeployments(
  prefix: string,
  count: number,
  localSettings: (i: number) => string,
): { tmp: string; files: string[] } {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const dir = path.join(tmp, `deploy${i}`, 'openstack_dashboard', 'local');
    fs.mkdirSync(path.join(dir, 'local_settings.d'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'local_settings.d', '_10_site.py'), `SESSION_COOKIE_AGE = ${3600 + i}\n`);
    const file = path.join(dir, 'local_settings.py');
    fs.writeFileSync(file, localSettings(i));
    files.push(file);
  }
  return { tmp, files };
}
